// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ring_elem.h>

#include "dp_priv.h"
#include "dp_punt.h"

#define PUNT_RING_SIZE 4096
#define INJECT_RING_SIZE 1024
#define CTL_POOL_SIZE 4095

int
dp_punt_init(void)
{
	dp.punt = rte_ring_create_elem(
		"dxtr_punt",
		sizeof(struct dp_punt),
		PUNT_RING_SIZE,
		rte_socket_id(),
		RING_F_MP_RTS_ENQ | RING_F_SC_DEQ
	);
	if (dp.punt == NULL)
		return -rte_errno;
	dp.reinject = rte_ring_create("dxtr_reinject", INJECT_RING_SIZE, rte_socket_id(),
				      RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (dp.reinject == NULL)
		return -rte_errno;
	dp.ctl_pool = rte_pktmbuf_pool_create(
		"dxtr_ctl_mbufs",
		CTL_POOL_SIZE,
		0, // the control lcore is the only allocator: no per-lcore cache
		0,
		RTE_MBUF_DEFAULT_BUF_SIZE,
		rte_socket_id()
	);
	if (dp.ctl_pool == NULL)
		return -rte_errno;
	return 0;
}

// The inject ring of a port whose driver gives control no TX queue of its own.
int
dp_inject_init(struct dp_port *p, unsigned idx)
{
	char name[RTE_RING_NAMESIZE];

	if (p->ctl_txq_own)
		return 0;
	snprintf(name, sizeof(name), "dxtr_inject%u", idx);
	p->inject = rte_ring_create(name, INJECT_RING_SIZE, rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	return p->inject == NULL ? -rte_errno : 0;
}

void
dp_punt_fini(void)
{
	struct dp_punt pk[64];
	unsigned n;

	if (dp.punt != NULL) {
		while ((n = dp_punt_drain(pk, RTE_DIM(pk))) > 0)
			for (unsigned i = 0; i < n; i++)
				rte_pktmbuf_free(pk[i].m);
		rte_ring_free(dp.punt);
	}
	dp.punt = NULL;
	if (dp.reinject != NULL) {
		struct rte_mbuf *m;
		while (rte_ring_sc_dequeue(dp.reinject, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(dp.reinject);
	}
	dp.reinject = NULL;
	for (unsigned p = 0; p < dp.n_ports; p++) {
		struct rte_ring *r = dp.ports[p].inject;
		struct rte_mbuf *m;
		if (r == NULL)
			continue;
		while (rte_ring_sc_dequeue(r, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(r);
		dp.ports[p].inject = NULL;
	}
}

unsigned
dp_punt_drain(struct dp_punt *out, unsigned n)
{
	unsigned got = rte_ring_sc_dequeue_burst_elem(dp.punt, out, sizeof(*out), n, NULL);
	dp.ctl.punted += got;
	return got;
}

unsigned
dp_ctl_tx(unsigned port, struct rte_mbuf **pkts, unsigned n)
{
	const struct dp_port *p;
	unsigned sent;

	if (port >= dp.n_ports) {
		rte_pktmbuf_free_bulk(pkts, n);
		dp.ctl.tx_dropped += n;
		return 0;
	}
	p = &dp.ports[port];
	if (p->ctl_txq_own)
		sent = rte_eth_tx_burst(p->port_id, p->ctl_txq, pkts, n);
	else
		sent = rte_ring_sp_enqueue_burst(p->inject, (void **)pkts, n, NULL);
	if (sent < n) {
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		dp.ctl.tx_dropped += n - sent;
	}
	dp.ctl.tx += sent;
	return sent;
}

struct rte_mbuf *
dp_ctl_alloc(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.ctl_pool);

	if (m == NULL)
		dp.ctl.alloc_failed++;
	return m;
}

struct rte_mbuf *
dp_ctl_copy(const struct rte_mbuf *m)
{
	struct rte_mbuf *c = rte_pktmbuf_copy(m, dp.ctl_pool, 0, UINT32_MAX);

	if (c == NULL)
		dp.ctl.alloc_failed++;
	return c;
}

void
dp_ctl_stats(struct dp_ctl_stats *st)
{
	*st = (struct dp_ctl_stats){
		.punted = dp.ctl.punted,
		.tx = dp.ctl.tx,
		.tx_dropped = dp.ctl.tx_dropped,
		.alloc_failed = dp.ctl.alloc_failed,
	};
}
