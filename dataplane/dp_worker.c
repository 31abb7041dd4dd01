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
#include <rte_rcu_qsbr.h>
#include <rte_ring_elem.h>

#include "dp_priv.h"

#define DP_MAX_BURST 256

// Frames to send per port, collected during one loop iteration (worker-private).
struct tx_queue {
	uint16_t n;
	struct rte_mbuf *pkts[DP_MAX_BURST];
};

// Frames for control, collected during one burst (worker-private).
struct punt_queue {
	uint16_t n;
	struct dp_punt msgs[DP_MAX_BURST];
};

static bool
for_us(const struct dp_port *p, const struct rte_ether_hdr *eth)
{
	return rte_is_same_ether_addr(&eth->dst_addr, &p->mac) ||
		rte_is_multicast_ether_addr(&eth->dst_addr);
}

// Decides one frame's fate.
static enum dp_verdict
classify(const struct dp_port *p, struct rte_mbuf *m, struct dp_acc *acc, uint16_t *punt)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (rte_pktmbuf_data_len(m) < sizeof(*eth)) {
		dp_acc_drop(acc, DP_DROP_ETHERTYPE, 1);
		return DP_DROP;
	}
	if (!for_us(p, eth)) {
		dp_acc_drop(acc, DP_DROP_NOT_FOR_US, 1);
		return DP_DROP;
	}
	switch (eth->ether_type) {
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		return dp_local_arp(p, m, acc, punt);
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		return dp_local_ip4(p, m, acc, punt);
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return dp_local_ip6(p, m, acc, punt);
	default:
		dp_acc_drop(acc, DP_DROP_ETHERTYPE, 1);
		return DP_DROP;
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
flush_punt(struct punt_queue *pq, struct dp_acc *acc)
{
	unsigned done;

	if (pq->n == 0)
		return;
	done = rte_ring_mp_enqueue_burst_elem(dp.punt, pq->msgs, sizeof(pq->msgs[0]), pq->n, NULL);
	for (unsigned i = done; i < pq->n; i++)
		rte_pktmbuf_free(pq->msgs[i].m);
	if (done < pq->n)
		dp_acc_drop(acc, DP_DROP_PUNT_FULL, pq->n - done);
	dp_acc_stat(acc, DP_STAT_PUNT, done);
	pq->n = 0;
}

// Worker 0 sends what control queued for ports where control has no TX queue of its own.
static void
drain_inject(struct dp_worker *w, struct dp_acc *acc)
{
	struct rte_mbuf *pkts[64];

	for (unsigned p = 0; p < dp.n_ports; p++) {
		struct rte_ring *r = dp.ports[p].inject;
		if (r == NULL)
			continue;
		unsigned n = rte_ring_sc_dequeue_burst(r, (void **)pkts, RTE_DIM(pkts), NULL);
		if (n == 0)
			continue;
		uint16_t sent = rte_eth_tx_burst(dp.ports[p].port_id, w->queue, pkts, n);
		if (sent < n) {
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
			dp_acc_drop(acc, DP_DROP_TX_FULL, n - sent);
		}
		dp_acc_stat(acc, DP_STAT_CTL_TX, sent);
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
	static struct tx_queue txqs[DP_MAX_WORKERS][DP_MAX_PORTS];
	static struct punt_queue pqs[DP_MAX_WORKERS];
	struct tx_queue *txq = txqs[w->queue];
	struct punt_queue *pq = &pqs[w->queue];
	struct dp_acc acc = {0};
	const unsigned burst = dp.burst;
	const unsigned n_ports = dp.n_ports;
	const bool injector = w->queue == 0;

	rte_rcu_qsbr_thread_register(dp.qsv, w->lcore);
	rte_rcu_qsbr_thread_online(dp.qsv, w->lcore);
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
				uint16_t reason = 0;
				bytes += rte_pktmbuf_pkt_len(m);
				switch (classify(port, m, &acc, &reason)) {
				case DP_TX:
					txq[p].pkts[txq[p].n++] = m;
					break;
				case DP_PUNT:
					pq->msgs[pq->n++] = (struct dp_punt){
						.m = m,
						.reason = reason,
						.port = p,
					};
					break;
				case DP_DROP:
					rte_pktmbuf_free(m);
					break;
				}
			}
			dp_counter_add(&st->rx_packets[p], n);
			dp_counter_add(&st->rx_bytes[p], bytes);
			dp_acc_stat(&acc, DP_STAT_RX, n);
			// Replies go back out of the port they came in on; one burst at most per
			// port and iteration, so the queue cannot overflow.
			flush_tx(w, txq, &acc);
			flush_punt(pq, &acc);
			busy = true;
		}
		if (injector)
			drain_inject(w, &acc);
		rte_rcu_qsbr_quiescent(dp.qsv, w->lcore);
		dp_counter_add(&st->loops, 1);
		if (busy) {
			dp_counter_add(&st->busy_loops, 1);
		}
		if (acc.dirty)
			flush_acc(st, &acc);
	}
	rte_rcu_qsbr_thread_offline(dp.qsv, w->lcore);
	rte_rcu_qsbr_thread_unregister(dp.qsv, w->lcore);
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
