// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The worker loop: receive a burst on each port, classify every frame, answer what is for the
// router itself, encapsulate site traffic (ITR), decapsulate LISP data (ETR), hand control what
// it must see, count every drop by reason, and send in one burst per port. The loop never logs,
// locks, allocates memory from the heap or makes syscalls.

#include <errno.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring_elem.h>

#include "dp_priv.h"

// Worker contexts, one per worker, each touched only by its worker (indexed by queue).
static struct dp_wctx wctx[DP_MAX_WORKERS];

bool
dp_bucket_take(struct dp_bucket *b)
{
	uint64_t now, cap, hz, add;

	if (b->rate == 0)
		return true;
	now = rte_rdtsc();
	hz = rte_get_tsc_hz();
	cap = b->rate * DP_BUCKET_SCALE; // at most one second's worth
	if (now - b->last_tsc >= hz) {
		b->tokens = cap;
		b->last_tsc = now;
	} else {
		// last_tsc moves only by the time the scaled tokens added stand for: the remainder
		// counts toward the next call (calls closer together than one scaled token would
		// otherwise never refill the bucket).
		add = (now - b->last_tsc) * cap / hz;
		b->tokens += add;
		b->last_tsc += add * hz / cap;
		if (b->tokens > cap) {
			b->tokens = cap;
			b->last_tsc = now;
		}
	}
	if (b->tokens < DP_BUCKET_SCALE)
		return false;
	b->tokens -= DP_BUCKET_SCALE;
	return true;
}

static bool
for_us(const struct dp_port *p, const struct rte_ether_hdr *eth)
{
	return rte_is_same_ether_addr(&eth->dst_addr, &p->mac) ||
		rte_is_multicast_ether_addr(&eth->dst_addr);
}

// Decides one frame's fate.
static enum dp_verdict
classify(const struct dp_port *p, struct rte_mbuf *m, struct dp_acc *acc, uint16_t *punt,
	 struct dp_l3 *l3)
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
		return dp_local_ip4(p, m, acc, punt, l3);
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return dp_local_ip6(p, m, acc, punt, l3);
	default:
		dp_acc_drop(acc, DP_DROP_ETHERTYPE, 1);
		return DP_DROP;
	}
}

// One received burst of port p: local answers inline, ETR and ITR frames batched (a port gives
// only one of the two kinds: LISP data is dropped on EID ports, transit exists only there).
void
dp_rx_burst(struct dp_wctx *wc, unsigned p, struct rte_mbuf **pkts, unsigned n)
{
	const struct dp_port *port = &dp.ports[p];
	struct rte_mbuf *transit[DP_MAX_BURST], *lisp[DP_MAX_BURST];
	struct dp_l3 lisp_l3[DP_MAX_BURST];
	unsigned n_transit = 0, n_lisp = 0;

	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct dp_l3 l3;
		uint16_t reason = 0;
		switch (classify(port, m, &wc->acc, &reason, &l3)) {
		case DP_TX:
			dp_tx(wc, p, m);
			break;
		case DP_PUNT:
			dp_punt(wc, m, reason, p, 0);
			break;
		case DP_TRANSIT:
			transit[n_transit++] = m;
			break;
		case DP_LISP_DATA:
			lisp_l3[n_lisp] = l3;
			lisp[n_lisp++] = m;
			break;
		case DP_DROP:
			rte_pktmbuf_free(m);
			break;
		case DP_CONSUMED:
			break;
		}
	}
	if (n_lisp > 0)
		dp_etr_burst(wc, p, lisp, lisp_l3, n_lisp);
	if (n_transit > 0)
		dp_itr_burst_classified(wc, p, transit, n_transit);
}

static void
flush_tx(struct dp_wctx *wc)
{
	struct dp_worker *w = wc->w;

	for (unsigned p = 0; p < dp.n_ports; p++) {
		uint16_t n = wc->tx[p].n;
		if (n == 0)
			continue;
		uint16_t sent = rte_eth_tx_burst(dp.ports[p].port_id, w->queue, wc->tx[p].pkts, n);
		if (sent < n) {
			rte_pktmbuf_free_bulk(wc->tx[p].pkts + sent, n - sent);
			dp_acc_drop(&wc->acc, DP_DROP_TX_FULL, n - sent);
		}
		dp_acc_stat(&wc->acc, DP_STAT_TX, sent);
		wc->tx[p].n = 0;
	}
}

static void
flush_punt(struct dp_wctx *wc)
{
	unsigned n = wc->n_punt, done;

	if (n == 0)
		return;
	done = rte_ring_mp_enqueue_burst_elem(dp.punt, wc->punt, sizeof(wc->punt[0]), n, NULL);
	for (unsigned i = done; i < n; i++)
		rte_pktmbuf_free(wc->punt[i].m);
	if (done < n)
		dp_acc_drop(&wc->acc, DP_DROP_PUNT_FULL, n - done);
	dp_acc_stat(&wc->acc, DP_STAT_PUNT, done);
	wc->n_punt = 0;
}

// Worker 0 sends what control queued for ports where control has no TX queue of its own.
static void
drain_inject(struct dp_wctx *wc)
{
	struct rte_mbuf *pkts[64];

	for (unsigned p = 0; p < dp.n_ports; p++) {
		struct rte_ring *r = dp.ports[p].inject;
		if (r == NULL)
			continue;
		unsigned n = rte_ring_sc_dequeue_burst(r, (void **)pkts, RTE_DIM(pkts), NULL);
		if (n == 0)
			continue;
		uint16_t sent = rte_eth_tx_burst(dp.ports[p].port_id, wc->w->queue, pkts, n);
		if (sent < n) {
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
			dp_acc_drop(&wc->acc, DP_DROP_TX_FULL, n - sent);
		}
		dp_acc_stat(&wc->acc, DP_STAT_CTL_TX, sent);
	}
}

// Worker 0 also takes frames control releases (held packets whose mapping arrived) and
// processes them as if just received on their port (m->port holds the data-plane port index).
static bool
drain_reinject(struct dp_wctx *wc)
{
	struct rte_mbuf *pkts[32];
	unsigned n = rte_ring_sc_dequeue_burst(dp.reinject, (void **)pkts, RTE_DIM(pkts), NULL);

	for (unsigned i = 0; i < n; i++) {
		unsigned p = pkts[i]->port;
		if (p >= dp.n_ports) {
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		dp_rx_burst(wc, p, &pkts[i], 1);
	}
	return n > 0;
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

void
dp_wctx_init(struct dp_wctx *wc, struct dp_worker *w)
{
	uint64_t now = rte_rdtsc();

	memset(wc, 0, sizeof(*wc));
	wc->w = w;
	wc->rng = (now ^ ((uint64_t)w->lcore << 32)) | 1;
	wc->miss_bucket.rate = (dp.lisp.miss_rate + dp.n_workers - 1) / dp.n_workers;
	wc->icmp_bucket.rate = (dp.lisp.icmp_rate + dp.n_workers - 1) / dp.n_workers;
	wc->miss_bucket.last_tsc = wc->icmp_bucket.last_tsc = now;
	wc->miss_bucket.tokens = wc->miss_bucket.rate * DP_BUCKET_SCALE;
	wc->icmp_bucket.tokens = wc->icmp_bucket.rate * DP_BUCKET_SCALE;
	wc->lsb_bucket.rate = DP_LSB_RATE;
	wc->lsb_bucket.last_tsc = now;
	wc->lsb_bucket.tokens = DP_LSB_RATE * DP_BUCKET_SCALE;
	wc->mc_reader = dp.mc != NULL ? w->mc_reader : NULL;
}

// One port's share of a loop iteration: receive, process, send and punt.
uint16_t
dp_worker_poll(struct dp_wctx *wc, unsigned p, struct rte_mbuf **pkts, unsigned burst)
{
	struct dp_worker_stats *st = &wc->w->stats;
	uint16_t n = rte_eth_rx_burst(dp.ports[p].port_id, wc->w->queue, pkts, burst);
	uint64_t bytes = 0;

	if (n == 0)
		return 0;
	for (uint16_t i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	dp_counter_add(&st->rx_packets[p], n);
	dp_counter_add(&st->rx_bytes[p], bytes);
	dp_acc_stat(&wc->acc, DP_STAT_RX, n);
	dp_rx_burst(wc, p, pkts, n);
	// At most one burst per port is queued before this flush.
	flush_tx(wc);
	flush_punt(wc);
	return n;
}

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct dp_worker_stats *st = &w->stats;
	struct dp_wctx *wc = &wctx[w->queue];
	struct rte_mbuf *pkts[DP_MAX_BURST];
	const unsigned burst = dp.burst;
	const unsigned n_ports = dp.n_ports;
	const bool first = w->queue == 0;

	dp_wctx_init(wc, w);
	rte_rcu_qsbr_thread_online(dp.qsv, w->lcore);
	while (__atomic_load_n(&dp.running, __ATOMIC_ACQUIRE)) {
		bool busy = false;
		for (unsigned p = 0; p < n_ports; p++)
			if (dp_worker_poll(wc, p, pkts, burst) > 0)
				busy = true;
		if (first) {
			drain_inject(wc);
			if (drain_reinject(wc)) {
				flush_tx(wc);
				flush_punt(wc);
			}
		}
		// No map-cache entry or next hop read before this point is used after it.
		rte_rcu_qsbr_quiescent(dp.qsv, w->lcore);
		dp_counter_add(&st->loops, 1);
		if (busy)
			dp_counter_add(&st->busy_loops, 1);
		if (wc->acc.dirty)
			flush_acc(st, &wc->acc);
	}
	rte_rcu_qsbr_thread_offline(dp.qsv, w->lcore);
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
		// Registered here, before the worker can read anything control may free.
		rte_rcu_qsbr_thread_register(dp.qsv, w->lcore);
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
		rte_rcu_qsbr_thread_unregister(dp.qsv, w->lcore);
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
