// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// State shared by the data-plane files. Each field says who writes it and who reads it.

#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dp.h"
#include "dp_cksum.h"
#include "dp_nh.h"
#include "map_cache.h"
#include "dp_punt.h"
#include "dp_stats.h"

// Counters a worker writes with relaxed stores (only its own lcore writes them) and the control
// lcore reads with relaxed loads and sums. Cache-aligned so workers never share a line.
struct dp_worker_stats {
	uint64_t loops;
	uint64_t busy_loops;
	uint64_t rx_packets[DP_MAX_PORTS];
	uint64_t rx_bytes[DP_MAX_PORTS];
	uint64_t stats[DP_STAT_MAX];
	uint64_t drops[DP_DROP_MAX];
} __rte_cache_aligned;

// What a worker counts during one loop iteration, flushed into its dp_worker_stats after it.
struct dp_acc {
	uint32_t stats[DP_STAT_MAX];
	uint32_t drops[DP_DROP_MAX];
	bool dirty;
};

static inline void
dp_acc_stat(struct dp_acc *a, enum dp_stat s, uint32_t n)
{
	a->stats[s] += n;
	a->dirty = true;
}

static inline void
dp_acc_drop(struct dp_acc *a, enum dp_drop d, uint32_t n)
{
	a->drops[d] += n;
	a->dirty = true;
}

struct dp_worker {
	// control: writes before dp_start; worker: reads.
	unsigned lcore;
	uint16_t queue; // RX and TX queue index on every port
	// worker: writes; control: reads (relaxed).
	struct dp_worker_stats stats;
	// control: writes at launch and after the join; control reads.
	bool launched;
	// control: registers before dp_start; the worker counts map-cache hits through it.
	struct mc_reader *mc_reader;
} __rte_cache_aligned;

struct dp_port {
	// control: writes in dp_port_add, before dp_start; workers: read-only afterwards.
	uint16_t port_id;
	enum dp_port_role role;
	uint32_t iid;
	uint16_t mtu;
	uint16_t n_rxq;
	uint16_t n_txq;
	uint16_t ctl_txq; // == n_txq - 1 when the control lcore has its own TX queue
	bool ctl_txq_own; // false: the driver pairs RX and TX queues (see dp_port.c)
	struct rte_ether_addr mac;
	uint32_t ip4[DP_MAX_ADDRS]; // network byte order
	unsigned n_ip4;
	uint8_t ip6[DP_MAX_ADDRS][16];
	unsigned n_ip6;
	// Control's frames for this port when !ctl_txq_own. control: enqueues; worker 0: dequeues.
	struct rte_ring *inject;
	// EID ports: the map-cache tables of the port's IID (ITR lookups) and the local database
	// tables (ETR: is the inner destination ours?). Handles are stable for the map-cache's life.
	const struct mc_table *mc4, *mc6;
	const struct mc_table *db4, *db6;
	char name[DP_NAME_MAX];
	char device[256];
};

struct dp_state {
	// control: writes in dp_init/dp_port_add, before dp_start; workers: read-only afterwards.
	struct rte_mempool *pool;
	unsigned burst;
	unsigned n_workers;
	struct dp_worker workers[DP_MAX_WORKERS];
	unsigned n_ports;
	struct dp_port ports[DP_MAX_PORTS];
	// control: writes (release) to stop the workers; workers: read (acquire) once per loop.
	bool running;
	// Created in dp_init. Workers: enqueue (MP); control: dequeues (SC).
	struct rte_ring *punt;
	// Frames control hands back for processing as if received (held packets released after a
	// mapping arrived). control: enqueues (SP); worker 0: dequeues (SC).
	struct rte_ring *reinject;
	// control: writes before dp_start; workers: read-only.
	struct mc *mc; // the map-cache
	struct mc *db; // the local EID-prefixes, as a second map-cache instance
	struct dp_lisp_conf lisp;
	// The data plane's RCU variable (created in dp_init, RTE_MAX_LCORE threads, thread id =
	// lcore id). Workers report quiescent once per loop iteration; control waits on it before
	// freeing anything a worker may still hold.
	struct rte_rcu_qsbr *qsv;
	// control only: mbufs control builds or copies into (neighbor requests, held packets).
	struct rte_mempool *ctl_pool;
	// control only.
	struct {
		uint64_t punted, tx, tx_dropped, alloc_failed;
	} ctl;
	// control only: the sums at the last `clear stats`, subtracted from what the shell shows.
	struct {
		uint64_t stats[DP_STAT_MAX];
		uint64_t drops[DP_DROP_MAX];
		struct dp_port_counters ports[DP_MAX_PORTS];
	} base;
};

extern struct dp_state dp;

static inline void
dp_counter_add(uint64_t *c, uint64_t n)
{
	// Single writer: a relaxed load-add-store is enough and keeps readers tear-free.
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

static inline uint64_t
dp_counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

int dp_worker_main(void *arg);

// Next hops (dp_nh.c). Key without padding: it is hashed as bytes.
struct dp_nh_key {
	uint16_t port;
	uint16_t af;
	uint8_t addr[16]; // IPv4 in the first 4 bytes, the rest zero
};

#define DP_NH_VALID (1ull << 63)

struct dp_nh {
	// control: writes (release) when the neighbor resolves or fails; workers: read (acquire).
	// DP_NH_VALID | the MAC's 6 bytes in memory order in the low bytes.
	uint64_t mac;
	// control: writes before the index is published; read-only afterwards.
	struct dp_nh_key key;
};

extern struct dp_nh dp_nh[DP_NH_MAX];

// Any thread: the MAC of next hop idx if resolved.
static inline bool
dp_nh_lookup_mac(uint32_t idx, struct rte_ether_addr *mac)
{
	uint64_t v = __atomic_load_n(&dp_nh[idx].mac, __ATOMIC_ACQUIRE);

	if (!(v & DP_NH_VALID))
		return false;
	memcpy(mac->addr_bytes, &v, RTE_ETHER_ADDR_LEN);
	return true;
}

int dp_nh_init(void);
void dp_nh_fini(void);
int dp_punt_init(void);
void dp_punt_fini(void);
int dp_inject_init(struct dp_port *p, unsigned idx);

// Registers the /dxtr/ telemetry commands (dp_telemetry.c).
void dp_telemetry_register(void);

// Port counters since start (dp_port_counters subtracts the clear-stats baseline).
int dp_port_counters_raw(unsigned idx, struct dp_port_counters *cnt);

#define DP_MAX_BURST 256

// A token bucket refilled from the TSC (dp_bucket_take).
struct dp_bucket {
	uint64_t tokens; // scaled by DP_BUCKET_SCALE
	uint64_t last_tsc;
	uint64_t rate; // tokens per second; 0: unlimited
};

#define DP_BUCKET_SCALE 1024
#define DP_LSB_RATE 100 // locator-status-bits reports per second and worker

// Per-worker cache of the next hops the ETR delivers to (decap.c), slots.
#define DP_NH_CACHE 256

// A worker's private state: what it sends and punts during one loop iteration, its counters
// before they are flushed, its random state and rate limiters. Only its worker touches it.
struct dp_wctx {
	struct dp_worker *w;
	struct dp_acc acc;
	struct {
		uint16_t n;
		struct rte_mbuf *pkts[DP_MAX_BURST];
	} tx[DP_MAX_PORTS];
	uint16_t n_punt;
	struct dp_punt punt[DP_MAX_BURST];
	uint64_t rng; // xorshift64 state, never 0
	struct mc_reader *mc_reader; // the map-cache's per-reader counters
	// Misses signalled and ICMP errors asked for, each worker its share of the global rate.
	struct dp_bucket miss_bucket;
	struct dp_bucket icmp_bucket;
	struct dp_bucket lsb_bucket; // locator-status-bits changes reported to control
	// decap.c: next-hop index + 1 of a recent (EID port, inner destination), 0: empty.
	uint16_t nh_cache[DP_NH_CACHE];
};

// Queues m for TX on port at the end of the burst. The caller made room: at most one burst of
// frames is queued per port and iteration, and every frame goes out at most once.
static inline void
dp_tx(struct dp_wctx *wc, unsigned port, struct rte_mbuf *m)
{
	wc->tx[port].pkts[wc->tx[port].n++] = m;
}

// Queues m for the control lcore.
static inline void
dp_punt(struct dp_wctx *wc, struct rte_mbuf *m, uint16_t reason, uint16_t port, uint32_t arg)
{
	wc->punt[wc->n_punt++] = (struct dp_punt){.m = m, .reason = reason, .port = port, .arg = arg};
}

static inline uint64_t
dp_random(struct dp_wctx *wc)
{
	uint64_t x = wc->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	wc->rng = x;
	return x;
}

// Takes one token; false when the bucket is empty.
bool dp_bucket_take(struct dp_bucket *b);

// The worker loop's pieces (dp_worker.c); test/bench/dp_bench.c drives them directly.
void dp_wctx_init(struct dp_wctx *wc, struct dp_worker *w);
// One received burst of port p: classification, local answers, ETR, ITR; what leaves is queued
// in wc (tx, punt) until the flush.
void dp_rx_burst(struct dp_wctx *wc, unsigned p, struct rte_mbuf **pkts, unsigned n);
// Port p's share of one loop iteration: receive up to burst frames, dp_rx_burst, send, punt.
// Returns the frames received.
uint16_t dp_worker_poll(struct dp_wctx *wc, unsigned p, struct rte_mbuf **pkts, unsigned burst);

// What the worker does with a frame once a stage has looked at it.
enum dp_verdict {
	DP_DROP, // the stage counted the reason; the caller frees the mbuf
	DP_TX, // send it out of the port it came in on (answered in place)
	DP_PUNT, // hand it to control with the reason the stage set in *punt
	DP_TRANSIT, // EID port: not for us, for the ITR
	DP_LISP_DATA, // UDP 4341 to one of our addresses: for the ETR
	DP_CONSUMED, // the stage queued or punted the mbuf itself
};

// Offsets dp_local_ip4/6 found, for the ETR.
struct dp_l3 {
	uint16_t l3_len; // outer IP header length (with IPv6: 40, no extension headers)
	uint16_t l4_len; // what the outer IP header says follows it
};

// Own-address services (dp_local.c): ARP, ICMP echo, IPv6 ND and ICMPv6 echo, answered in
// place. Neighbor replies go to control.
enum dp_verdict
dp_local_arp(const struct dp_port *p, struct rte_mbuf *m, struct dp_acc *acc, uint16_t *punt);
enum dp_verdict dp_local_ip4(
	const struct dp_port *p,
	struct rte_mbuf *m,
	struct dp_acc *acc,
	uint16_t *punt,
	struct dp_l3 *l3
);
enum dp_verdict dp_local_ip6(
	const struct dp_port *p,
	struct rte_mbuf *m,
	struct dp_acc *acc,
	uint16_t *punt,
	struct dp_l3 *l3
);

// ITR (encap.c): frames of one burst received on EID port `port`, not for us. Consumes them.
void dp_itr_burst(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts, unsigned n);
// The same for frames dp_local_ip4/dp_local_ip6 returned DP_TRANSIT for: their IP header checks
// are not repeated (the worker loop).
void dp_itr_burst_classified(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts,
			     unsigned n);
// ETR (decap.c): a LISP data packet for us; DP_DROP (counted, caller frees) or DP_CONSUMED.
enum dp_verdict dp_etr(struct dp_wctx *wc, unsigned port, struct rte_mbuf *m, const struct dp_l3 *l3);
// The same for the n LISP data packets of a burst (l3[i] for pkts[i]), the database looked up in
// bulk. Consumes them all.
void dp_etr_burst(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts, const struct dp_l3 *l3,
		  unsigned n);

// Is addr one of the port's own addresses? Inline: the classification asks for every frame.
static inline bool
dp_port_has_ip4(const struct dp_port *p, uint32_t addr)
{
	for (unsigned i = 0; i < p->n_ip4; i++)
		if (p->ip4[i] == addr)
			return true;
	return false;
}

static inline bool
dp_port_has_ip6(const struct dp_port *p, const uint8_t *addr)
{
	for (unsigned i = 0; i < p->n_ip6; i++)
		if (memcmp(p->ip6[i], addr, 16) == 0)
			return true;
	return false;
}
