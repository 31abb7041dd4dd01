// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Hands the workers their map-cache and local database, and finds each EID port's tables.

#include <errno.h>

#include <rte_errno.h>

#include "dp_priv.h"

int
dp_set_lisp(const struct dp_lisp_conf *lc, struct mc *mc, struct mc *db)
{
	if (__atomic_load_n(&dp.running, __ATOMIC_ACQUIRE))
		return -EBUSY;
	dp.lisp = *lc;
	dp.mc = mc;
	dp.db = db;
	for (unsigned p = 0; p < dp.n_ports; p++) {
		struct dp_port *port = &dp.ports[p];
		if (port->role != DP_ROLE_EID)
			continue;
		port->mc4 = mc_table4(mc, port->iid);
		port->mc6 = mc_table6(mc, port->iid);
		port->db4 = mc_table4(db, port->iid);
		port->db6 = mc_table6(db, port->iid);
		if (port->mc4 == NULL || port->mc6 == NULL || port->db4 == NULL || port->db6 == NULL)
			return -rte_errno;
	}
	for (unsigned i = 0; i < dp.n_workers; i++) {
		dp.workers[i].mc_reader = mc_reader_register(mc, dp.workers[i].lcore);
		if (dp.workers[i].mc_reader == NULL)
			return -rte_errno;
	}
	return 0;
}

struct rte_rcu_qsbr *
dp_rcu(void)
{
	return dp.qsv;
}

int
dp_reinject(unsigned port, struct rte_mbuf *m)
{
	m->port = port;
	if (rte_ring_sp_enqueue(dp.reinject, m) < 0) {
		rte_pktmbuf_free(m);
		return -ENOBUFS;
	}
	return 0;
}
