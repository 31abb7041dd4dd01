// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The worker loop. For now it polls its RX queue on every port, counts and frees: the data-plane
// issue fills in classification, encapsulation and decapsulation. The hot loop never logs,
// locks, allocates or makes syscalls.

#include <errno.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dp_priv.h"

#define DP_MAX_BURST 256

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct dp_worker_stats *st = &w->stats;
	struct rte_mbuf *pkts[DP_MAX_BURST];
	const unsigned burst = dp.burst;
	const unsigned n_ports = dp.n_ports;

	while (__atomic_load_n(&dp.running, __ATOMIC_ACQUIRE)) {
		bool busy = false;
		for (unsigned p = 0; p < n_ports; p++) {
			uint16_t n = rte_eth_rx_burst(dp.ports[p].port_id, w->queue, pkts, burst);
			if (n == 0)
				continue;
			uint64_t bytes = 0;
			for (uint16_t i = 0; i < n; i++)
				bytes += rte_pktmbuf_pkt_len(pkts[i]);
			rte_pktmbuf_free_bulk(pkts, n);
			dp_counter_add(&st->rx_packets[p], n);
			dp_counter_add(&st->rx_bytes[p], bytes);
			busy = true;
		}
		dp_counter_add(&st->loops, 1);
		if (busy)
			dp_counter_add(&st->busy_loops, 1);
	}
	return 0;
}

int
dp_start(void)
{
	if (dp.burst == 0 || dp.burst > DP_MAX_BURST)
		return -EINVAL;
	__atomic_store_n(&dp.running, true, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < dp.n_workers; i++) {
		struct dp_worker *w = &dp.workers[i];
		int ret = rte_eal_remote_launch(dp_worker_main, w, w->lcore);
		if (ret < 0) {
			dp_stop();
			return ret;
		}
		w->launched = true;
	}
	return 0;
}

void
dp_stop(void)
{
	__atomic_store_n(&dp.running, false, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < dp.n_workers; i++) {
		struct dp_worker *w = &dp.workers[i];
		if (!w->launched)
			continue;
		rte_eal_wait_lcore(w->lcore);
		w->launched = false;
	}
}

unsigned
dp_worker_count(void)
{
	return dp.n_workers;
}

int
dp_worker_info(unsigned idx, struct dp_worker_info *info)
{
	const struct dp_worker *w;

	if (idx >= dp.n_workers)
		return -ENOENT;
	w = &dp.workers[idx];
	info->lcore = w->lcore;
	info->socket = rte_lcore_to_socket_id(w->lcore);
	info->running = w->launched && rte_eal_get_lcore_state(w->lcore) == RUNNING;
	info->loops = dp_counter_read(&w->stats.loops);
	info->busy_loops = dp_counter_read(&w->stats.busy_loops);
	info->rx_packets = 0;
	for (unsigned p = 0; p < dp.n_ports; p++)
		info->rx_packets += dp_counter_read(&w->stats.rx_packets[p]);
	return 0;
}
