// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The worker loop: receive a burst on each port, classify every frame, answer what is for the
// router itself, count every drop by reason, send what is to be sent in one burst per port.
// Encapsulation and decapsulation plug in where frames are classified. The loop never logs,
// locks, allocates or makes syscalls.

#include <errno.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dp_priv.h"

#define DP_MAX_BURST 256

// Frames to send per port, collected during one loop iteration (worker-private).
struct tx_queue {
	uint16_t n;
	struct rte_mbuf *pkts[DP_MAX_BURST];
};

static bool
for_us(const struct dp_port *p, const struct rte_ether_hdr *eth)
{
	return rte_is_same_ether_addr(&eth->dst_addr, &p->mac) ||
		rte_is_multicast_ether_addr(&eth->dst_addr);
}

// Decides one frame's fate: true to send it back out of p (answered in place).
static bool
classify(const struct dp_port *p, struct rte_mbuf *m, struct dp_acc *acc)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (rte_pktmbuf_data_len(m) < sizeof(*eth)) {
		dp_acc_drop(acc, DP_DROP_ETHERTYPE, 1);
		return false;
	}
	if (!for_us(p, eth)) {
		dp_acc_drop(acc, DP_DROP_NOT_FOR_US, 1);
		return false;
	}
	switch (eth->ether_type) {
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		return dp_local_arp(p, m, acc);
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		return dp_local_ip4(p, m, acc);
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return dp_local_ip6(p, m, acc);
	default:
		dp_acc_drop(acc, DP_DROP_ETHERTYPE, 1);
		return false;
	}
}

static void
flush_tx(struct dp_worker *w, struct tx_queue *txq, struct dp_acc *acc)
{
	for (unsigned p = 0; p < dp.n_ports; p++) {
		struct tx_queue *q = &txq[p];
		if (q->n == 0)
			continue;
		uint16_t sent = rte_eth_tx_burst(dp.ports[p].port_id, w->queue, q->pkts, q->n);
		if (sent < q->n) {
			rte_pktmbuf_free_bulk(q->pkts + sent, q->n - sent);
			dp_acc_drop(acc, DP_DROP_TX_FULL, q->n - sent);
		}
		dp_acc_stat(acc, DP_STAT_TX, sent);
		q->n = 0;
	}
}

static void
flush_acc(struct dp_worker_stats *st, struct dp_acc *acc)
{
	for (unsigned i = 0; i < DP_STAT_MAX; i++)
		if (acc->stats[i] != 0)
			dp_counter_add(&st->stats[i], acc->stats[i]);
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		if (acc->drops[i] != 0)
			dp_counter_add(&st->drops[i], acc->drops[i]);
	*acc = (struct dp_acc){0};
}

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct dp_worker_stats *st = &w->stats;
	struct rte_mbuf *pkts[DP_MAX_BURST];
	struct tx_queue txq[DP_MAX_PORTS] = {0};
	struct dp_acc acc = {0};
	const unsigned burst = dp.burst;
	const unsigned n_ports = dp.n_ports;

	while (__atomic_load_n(&dp.running, __ATOMIC_ACQUIRE)) {
		bool busy = false;
		for (unsigned p = 0; p < n_ports; p++) {
			const struct dp_port *port = &dp.ports[p];
			uint16_t n = rte_eth_rx_burst(port->port_id, w->queue, pkts, burst);
			if (n == 0)
				continue;
			uint64_t bytes = 0;
			for (uint16_t i = 0; i < n; i++) {
				struct rte_mbuf *m = pkts[i];
				bytes += rte_pktmbuf_pkt_len(m);
				if (classify(port, m, &acc))
					txq[p].pkts[txq[p].n++] = m;
				else
					rte_pktmbuf_free(m);
			}
			dp_counter_add(&st->rx_packets[p], n);
			dp_counter_add(&st->rx_bytes[p], bytes);
			dp_acc_stat(&acc, DP_STAT_RX, n);
			// Replies go back out of the port they came in on; one burst at most per
			// port and iteration, so the queue cannot overflow.
			flush_tx(w, txq, &acc);
			busy = true;
		}
		dp_counter_add(&st->loops, 1);
		if (busy) {
			dp_counter_add(&st->busy_loops, 1);
			flush_acc(st, &acc);
		}
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
