// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Data-plane benchmark: the real worker code on two net_ring ports (an EID port and an RLOC
// port), one worker lcore, synthetic 64-byte frames. scripts/bench.sh builds and runs it; see
// docs/performance.md.
//
// Each case is measured in two modes, both on the worker lcore while the main lcore sleeps:
// * proc: the timed region is one call of dp_rx_burst() (dp_worker.c) on a burst of 32 frames:
//   classification, local-address checks, map-cache lookup, encapsulation or decapsulation,
//   and queuing in the worker's TX arrays. Before it (not timed) the harness rewrites the 32
//   frames from pristine copies; after it (not timed) it checks that all 32 are queued for TX
//   and empties the TX array.
// * loop: the timed region is one call of dp_worker_poll() (the loop body of dp_worker_main for
//   one port): rte_eth_rx_burst from the net_ring, the per-port counters, dp_rx_burst, and
//   rte_eth_tx_burst to the other port's net_ring. The harness fills the RX ring before and
//   drains the TX ring after, untimed.
// Cycles are TSC ticks per packet (rte_rdtsc around each burst); the reported value is the
// median over chunks of 4096 bursts.
//
// Usage: dp_bench <EAL args> -- [--json FILE] [--seconds S] [--cases a,b,...]

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "dp_priv.h"
#include "lisp_hdr.h"
#include "map_cache.h"

#define BURST 32
#define N_BURSTS 32 // frames in flight: N_BURSTS x BURST mbufs, reused round-robin
#define CHUNK 4096 // bursts per measurement chunk
#define MAX_CHUNKS 8192
#define FRAME_LEN 64
#define DECAP_LEN (FRAME_LEN + 36)
#define N_HOSTS 16 // site hosts: inner sources (encap) and destinations (decap)

enum kind {
	K_ENCAP4,
	K_ENCAP6,
	K_DECAP4,
};

struct bench_case {
	const char *name;
	const char *what;
	enum kind kind;
	unsigned entries;
	bool udp_csum6;
};

static const struct bench_case cases[] = {
	{"encap4_1k", "IPv4-in-IPv4 encap, 1k entries", K_ENCAP4, 1024, true},
	{"encap4_1m", "IPv4-in-IPv4 encap, 1M entries, random dst", K_ENCAP4, 1u << 20, true},
	{"encap6_1k", "IPv6-in-IPv6 encap, 1k entries, UDP csum", K_ENCAP6, 1024, true},
	{"encap6_1k_nocsum", "IPv6-in-IPv6 encap, 1k entries, UDP csum 0", K_ENCAP6, 1024, false},
	{"decap4", "IPv4-in-IPv4 decap to a resolved host", K_DECAP4, 0, true},
};
#define N_CASES RTE_DIM(cases)

struct result {
	bool done;
	double proc, proc_min, proc_max; // TSC cycles per packet
	double loop, loop_min, loop_max;
	uint64_t packets; // timed packets, both modes
	double build_s; // map-cache fill time
};

static struct result results[N_CASES];

// Addresses (network order) and MACs of the set-up.
static const uint8_t own_eid6[16] = {0xfd, 0, 0xff, 0xff, [15] = 1}; // fd00:ffff::1
static const uint8_t own_rloc6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}; // 2001:db8::1
static const uint8_t gw6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe};
static const struct rte_ether_addr host_mac = {{0x02, 0, 0, 0, 0x01, 0x01}};
static const struct rte_ether_addr gw_mac = {{0x02, 0, 0, 0, 0x02, 0xfe}};
#define OWN_EID4 RTE_IPV4(10, 255, 0, 1)
#define HOST4(k) RTE_IPV4(10, 255, 0, 16 + (k))
#define OWN_RLOC4 RTE_IPV4(192, 0, 2, 1)
#define GW4 RTE_IPV4(192, 0, 2, 254)
#define PEER_RLOC4 RTE_IPV4(198, 51, 100, 7)
#define IID 0

static unsigned eid_port, rloc_port; // data-plane port indexes
static struct rte_ring *eid_rx, *eid_tx, *rloc_rx, *rloc_tx;
static uint16_t nh_gw4, nh_gw6;
static struct mc *db;
static struct dp_wctx wc;
static unsigned worker_lcore;
static double seconds = 1.0;
static uint64_t tsc_hz;

// --- Synthetic traffic ---

// Per case: pristine frames and the destinations the harness writes into them.
struct traffic {
	enum kind kind;
	uint8_t frame[N_HOSTS][DECAP_LEN];
	uint16_t len;
	uint32_t csum_base; // encap4: unfolded sum of the inner IPv4 header without dst and checksum
	uint32_t n_dst; // power of two
	uint32_t *dst4; // encap4
	uint8_t (*dst6)[16]; // encap6
	unsigned in_port, out_port;
	struct rte_ring *in_ring, *out_ring;
	struct rte_mbuf *pkts[N_BURSTS][BURST];
	uint64_t next; // frames written so far
};

static uint32_t
sum16(const void *p, unsigned len)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (unsigned i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8; // host (little-endian) words
	return s;
}

static uint16_t
fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void
put_eth(uint8_t *f, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	uint16_t type)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;

	eth->dst_addr = *dst;
	eth->src_addr = *src;
	eth->ether_type = rte_cpu_to_be_16(type);
}

// An IPv4/UDP packet of total bytes at p (checksum over the header filled in).
static void
put_ip4_udp(uint8_t *p, unsigned total, uint32_t src, uint32_t dst, uint8_t ttl, uint16_t sport,
	    uint16_t dport)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(p, 0, total);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(total);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(total - sizeof(*ip));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

// Entry i's IPv4 /24: distinct for i < 2^24, spread over the whole space.
static uint32_t
prefix24(uint32_t i)
{
	return ((i * 2654435761u) & 0xffffff) << 8;
}

// Entry i's IPv6 /48: fd00:XXXX:iiii::/48 with XXXX a hash of i.
static void
prefix48(uint32_t i, uint8_t out[16])
{
	uint32_t h = (i * 40503u) & 0xffff;

	memset(out, 0, 16);
	out[0] = 0xfd;
	out[2] = (uint8_t)(h >> 8);
	out[3] = (uint8_t)h;
	out[4] = (uint8_t)(i >> 8);
	out[5] = (uint8_t)i;
}

static uint16_t
harness_sport(uint64_t n)
{
	return (uint16_t)(1024 + (n * 7919) % 50000);
}

// Rewrites one frame of the burst (harness, not timed).
static inline void
reset_frame(struct traffic *t, struct rte_mbuf *m)
{
	uint64_t n = t->next++;
	const uint8_t *src = t->frame[n % N_HOSTS];
	uint8_t *d = (uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM;

	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->data_len = t->len;
	m->pkt_len = t->len;
	memcpy(d, src, t->len);
	if (t->kind == K_ENCAP4) {
		uint32_t dst = t->dst4[n & (t->n_dst - 1)];
		uint16_t ck = (uint16_t)~fold(t->csum_base + (dst & 0xffff) + (dst >> 16));
		memcpy(d + RTE_ETHER_HDR_LEN + 16, &dst, 4);
		memcpy(d + RTE_ETHER_HDR_LEN + 10, &ck, 2);
		uint16_t sport = rte_cpu_to_be_16(harness_sport(n));
		memcpy(d + RTE_ETHER_HDR_LEN + 20, &sport, 2);
	} else if (t->kind == K_ENCAP6) {
		memcpy(d + RTE_ETHER_HDR_LEN + 24, t->dst6[n & (t->n_dst - 1)], 16);
		uint16_t sport = rte_cpu_to_be_16(harness_sport(n));
		memcpy(d + RTE_ETHER_HDR_LEN + 40, &sport, 2);
	}
}

static void
reset_burst(struct traffic *t, struct rte_mbuf **pkts)
{
	for (unsigned i = 0; i < BURST; i++)
		reset_frame(t, pkts[i]);
}

static void
traffic_frames(struct traffic *t, const struct rte_ether_addr *eid_mac,
	       const struct rte_ether_addr *rloc_mac)
{
	for (unsigned k = 0; k < N_HOSTS; k++) {
		uint8_t *f = t->frame[k];
		switch (t->kind) {
		case K_ENCAP4:
			put_eth(f, eid_mac, &host_mac, RTE_ETHER_TYPE_IPV4);
			put_ip4_udp(f + RTE_ETHER_HDR_LEN, FRAME_LEN - RTE_ETHER_HDR_LEN, HOST4(k), 0, 64,
				    1024, 5001);
			t->len = FRAME_LEN;
			break;
		case K_ENCAP6: {
			struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(f + RTE_ETHER_HDR_LEN);
			struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip6 + 1);
			unsigned plen = FRAME_LEN - RTE_ETHER_HDR_LEN - sizeof(*ip6);
			put_eth(f, eid_mac, &host_mac, RTE_ETHER_TYPE_IPV6);
			memset(ip6, 0, FRAME_LEN - RTE_ETHER_HDR_LEN);
			ip6->vtc_flow = RTE_BE32(0x60000000);
			ip6->payload_len = rte_cpu_to_be_16(plen);
			ip6->proto = IPPROTO_UDP;
			ip6->hop_limits = 64;
			memcpy(ip6->src_addr, own_eid6, 16);
			ip6->src_addr[15] = (uint8_t)(16 + k);
			udp->src_port = RTE_BE16(1024);
			udp->dst_port = RTE_BE16(5001);
			udp->dgram_len = rte_cpu_to_be_16(plen);
			t->len = FRAME_LEN;
			break;
		}
		case K_DECAP4: {
			uint8_t *o = f + RTE_ETHER_HDR_LEN;
			uint8_t *lisp = o + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr);
			put_eth(f, rloc_mac, &gw_mac, RTE_ETHER_TYPE_IPV4);
			// The inner packet first: put_ip4_udp clears what it covers.
			put_ip4_udp(lisp + LISP_HDR_LEN, FRAME_LEN - RTE_ETHER_HDR_LEN,
				    prefix24(k) | 2, HOST4(k), 63, 1024 + k, 5001);
			uint8_t inner[FRAME_LEN];
			memcpy(inner, lisp + LISP_HDR_LEN, FRAME_LEN - RTE_ETHER_HDR_LEN);
			put_ip4_udp(o, DECAP_LEN - RTE_ETHER_HDR_LEN, PEER_RLOC4, OWN_RLOC4, 64,
				    0xc000 | k, LISP_DATA_PORT);
			memcpy(lisp + LISP_HDR_LEN, inner, FRAME_LEN - RTE_ETHER_HDR_LEN);
			lisp[0] = LISP_N | LISP_I;
			lisp[1] = 0x12;
			lisp[2] = 0x34;
			lisp[3] = (uint8_t)k;
			lisp[4] = (uint8_t)(IID >> 16);
			lisp[5] = (uint8_t)(IID >> 8);
			lisp[6] = (uint8_t)IID;
			t->len = DECAP_LEN;
			break;
		}
		}
	}
	if (t->kind == K_ENCAP4) {
		// Destination and checksum are rewritten per frame: the rest of the header's sum.
		struct rte_ipv4_hdr ip;
		memcpy(&ip, t->frame[0] + RTE_ETHER_HDR_LEN, sizeof(ip));
		// Sources differ per host: keep them equal to host 0's in the sum by using one source.
		ip.dst_addr = 0;
		ip.hdr_checksum = 0;
		t->csum_base = sum16(&ip, sizeof(ip));
		for (unsigned k = 1; k < N_HOSTS; k++) {
			// All hosts share the base: same source address in every frame.
			memcpy(t->frame[k] + RTE_ETHER_HDR_LEN + 12, t->frame[0] + RTE_ETHER_HDR_LEN + 12,
			       4);
		}
	}
}

// --- Set-up ---

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "dp_bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static struct rte_ring *
ring(const char *name)
{
	struct rte_ring *r =
		rte_ring_create(name, 1024, rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);

	if (r == NULL)
		die("ring %s: %s", name, rte_strerror(rte_errno));
	return r;
}

static unsigned
add_port(const char *name, enum dp_port_role role, struct rte_ring *rx, struct rte_ring *tx,
	 uint8_t mac_last)
{
	struct dp_port_conf pc = {
		.name = name,
		.role = role,
		.iid = IID,
		.mtu = 1500,
		.rx_desc = 1024,
		.tx_desc = 1024,
	};
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, mac_last}};
	char dev[64], err[256];
	int port_id, ret;

	port_id = rte_eth_from_rings(name, &rx, 1, &tx, 1, rte_socket_id());
	if (port_id < 0)
		die("rte_eth_from_rings %s: %s", name, rte_strerror(rte_errno));
	// Fails on drivers without MAC set-up; the port keeps its own address then.
	rte_eth_dev_default_mac_addr_set(port_id, &mac);
	snprintf(dev, sizeof(dev), "net_ring_%s", name);
	pc.device = dev;
	if (role == DP_ROLE_EID) {
		pc.ip4[0] = rte_cpu_to_be_32(OWN_EID4);
		memcpy(pc.ip6[0], own_eid6, 16);
	} else {
		pc.ip4[0] = rte_cpu_to_be_32(OWN_RLOC4);
		memcpy(pc.ip6[0], own_rloc6, 16);
	}
	pc.n_ip4 = pc.n_ip6 = 1;
	ret = dp_port_add(&pc, err, sizeof(err));
	if (ret < 0)
		die("dp_port_add %s: %s", name, err);
	return (unsigned)ret;
}

static uint16_t
resolved_nh(unsigned port, int af, const void *addr, const struct rte_ether_addr *mac)
{
	int nh = dp_nh_get(port, af, addr);

	if (nh < 0)
		die("dp_nh_get: %s", strerror(-nh));
	dp_nh_set_mac((uint32_t)nh, mac);
	return (uint16_t)nh;
}

static void
setup(void)
{
	struct dp_init_conf ic = {
		.n_workers = 1,
		.n_mbufs = 8191,
		.burst = BURST,
	};
	int ret;

	worker_lcore = rte_get_next_lcore(-1, 1, 0);
	if (worker_lcore >= RTE_MAX_LCORE)
		die("needs two lcores (EAL -l 0,1)");
	ic.worker_lcores[0] = worker_lcore;
	ret = dp_init(&ic);
	if (ret < 0)
		die("dp_init: %s", strerror(-ret));
	eid_rx = ring("b_eid_rx");
	eid_tx = ring("b_eid_tx");
	rloc_rx = ring("b_rloc_rx");
	rloc_tx = ring("b_rloc_tx");
	eid_port = add_port("eid", DP_ROLE_EID, eid_rx, eid_tx, 0x10);
	rloc_port = add_port("rloc", DP_ROLE_RLOC, rloc_rx, rloc_tx, 0x20);
	uint32_t a = rte_cpu_to_be_32(GW4);
	nh_gw4 = resolved_nh(rloc_port, AF_INET, &a, &gw_mac);
	nh_gw6 = resolved_nh(rloc_port, AF_INET6, gw6, &gw_mac);
	for (unsigned k = 0; k < N_HOSTS; k++) {
		a = rte_cpu_to_be_32(HOST4(k));
		resolved_nh(eid_port, AF_INET, &a, &host_mac);
	}

	// The local database: our EID-prefixes, as control installs them.
	struct mc_conf dbc = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = 1024,
		.v4_tbl8 = 256,
		.v6_tbl8 = 1024,
		.qsv = dp_rcu(),
	};
	struct mc_entry_spec none = {.action = MC_ACT_NO_ACTION};
	struct mc_prefix p4 = {.af = AF_INET, .len = 24, .addr = {10, 255, 0}};
	struct mc_prefix p6 = {.af = AF_INET6, .len = 48};
	memcpy(p6.addr, own_eid6, 6);
	db = mc_create(&dbc);
	if (db == NULL || mc_add(db, IID, &p4, &none) < 0 || mc_add(db, IID, &p6, &none) < 0)
		die("database: %s", rte_strerror(rte_errno));
}

// A map-cache for the case, given to the workers.
static struct mc *
case_mc(const struct bench_case *c, struct traffic *t, double *build_s)
{
	struct mc_conf cc = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = RTE_MAX(65535u, c->entries + 1),
		.qsv = dp_rcu(),
	};
	struct dp_lisp_conf lc = {
		.path_mtu = 1500,
		.udp_csum6 = c->udp_csum6,
		.miss_rate = 100,
		.icmp_rate = 100,
	};
	struct mc_entry_spec s = {
		.action = MC_ACT_ENCAP,
		.tmpl_flags = MC_TMPL_NONCE, // the defaults: nonce random, no LSBs, I bit for IID != 0
		.n_locators = 1,
	};
	struct mc_locator_spec *l = &s.loc[0];
	struct mc *mc = mc_create(&cc);
	struct timespec t0, t1;
	int ret;

	if (mc == NULL)
		die("mc_create: %s", rte_strerror(rte_errno));
	l->priority = 1;
	l->weight = 100;
	l->usable = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < c->entries; i++) {
		struct mc_prefix p = {0};
		if (c->kind == K_ENCAP4) {
			uint32_t pfx = rte_cpu_to_be_32(prefix24(i));
			uint32_t rloc = rte_cpu_to_be_32(RTE_IPV4(100, 64, 0, 0) + i);
			uint32_t src = rte_cpu_to_be_32(OWN_RLOC4);
			p.af = AF_INET;
			p.len = 24;
			memcpy(p.addr, &pfx, 4);
			l->af = AF_INET;
			l->nh = nh_gw4;
			memcpy(l->rloc, &rloc, 4);
			memcpy(l->src, &src, 4);
		} else {
			p.af = AF_INET6;
			p.len = 48;
			prefix48(i, p.addr);
			l->af = AF_INET6;
			l->nh = nh_gw6;
			memcpy(l->rloc, own_rloc6, 16);
			l->rloc[4] = 1;
			l->rloc[12] = (uint8_t)(i >> 24);
			l->rloc[13] = (uint8_t)(i >> 16);
			l->rloc[14] = (uint8_t)(i >> 8);
			l->rloc[15] = (uint8_t)i;
			memcpy(l->src, own_rloc6, 16);
		}
		ret = mc_add(mc, IID, &p, &s);
		if (ret < 0)
			die("mc_add %u: %s", i, strerror(-ret));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*build_s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	ret = dp_set_lisp(&lc, mc, db);
	if (ret < 0)
		die("dp_set_lisp: %s", strerror(-ret));

	// Destinations: a random address inside a random entry.
	if (c->kind == K_ENCAP4) {
		t->n_dst = c->entries >= (1u << 20) ? 1u << 22 : 1u << 16;
		t->dst4 = malloc(t->n_dst * sizeof(t->dst4[0]));
		for (uint32_t i = 0; i < t->n_dst; i++) {
			uint32_t e = (uint32_t)(rnd() % c->entries);
			t->dst4[i] = rte_cpu_to_be_32(prefix24(e) | (2 + (uint32_t)(rnd() % 252)));
		}
	} else if (c->kind == K_ENCAP6) {
		t->n_dst = 1u << 16;
		t->dst6 = malloc(t->n_dst * sizeof(t->dst6[0]));
		for (uint32_t i = 0; i < t->n_dst; i++) {
			uint64_t r = rnd();
			prefix48((uint32_t)(rnd() % c->entries), t->dst6[i]);
			memcpy(t->dst6[i] + 8, &r, 8);
		}
	}
	if ((c->kind != K_DECAP4 && t->dst4 == NULL && t->dst6 == NULL))
		die("out of memory");
	return mc;
}

// --- Measurement (worker lcore) ---

enum mode {
	M_PROC,
	M_LOOP,
};

struct run {
	struct traffic *t;
	enum mode mode;
	bool warmup;
	double *out, *out_min, *out_max;
	uint64_t packets;
	const char *error;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double chunk_cpp[MAX_CHUNKS];

// Checks and empties what the burst left in the worker's arrays (harness, not timed).
static bool
take_tx(struct traffic *t, struct rte_mbuf **pkts)
{
	unsigned out = t->out_port;

	if (wc.tx[out].n != BURST || wc.n_punt != 0)
		return false;
	memcpy(pkts, wc.tx[out].pkts, sizeof(pkts[0]) * BURST);
	wc.tx[out].n = 0;
	return true;
}

static int
run_mode(void *arg)
{
	struct run *r = arg;
	struct traffic *t = r->t;
	struct rte_mbuf *rx[DP_MAX_BURST];
	const uint64_t budget = (uint64_t)((r->warmup ? 0.2 : seconds) * tsc_hz);
	const uint64_t start = rte_rdtsc();
	unsigned n_chunks = 0;
	uint64_t b = 0, chunk_cycles = 0, total_cycles = 0;

	memset(&wc.acc, 0, sizeof(wc.acc));
	for (;;) {
		struct rte_mbuf **pkts = t->pkts[b % N_BURSTS];
		uint64_t t0, t1;

		reset_burst(t, pkts);
		if (r->mode == M_PROC) {
			t0 = rte_rdtsc();
			dp_rx_burst(&wc, t->in_port, pkts, BURST);
			t1 = rte_rdtsc();
			if (!take_tx(t, pkts)) {
				r->error = "a frame was not queued for TX";
				return -1;
			}
		} else {
			if (rte_ring_sp_enqueue_burst(t->in_ring, (void **)pkts, BURST, NULL) != BURST) {
				r->error = "RX ring full";
				return -1;
			}
			t0 = rte_rdtsc();
			uint16_t n = dp_worker_poll(&wc, t->in_port, rx, BURST);
			t1 = rte_rdtsc();
			if (n != BURST || wc.n_punt != 0 ||
			    rte_ring_sc_dequeue_burst(t->out_ring, (void **)pkts, BURST, NULL) != BURST) {
				r->error = "a frame did not come out of the TX ring";
				return -1;
			}
		}
		chunk_cycles += t1 - t0;
		if (++b % CHUNK == 0) {
			if (n_chunks < MAX_CHUNKS)
				chunk_cpp[n_chunks++] = (double)chunk_cycles / (CHUNK * BURST);
			total_cycles += chunk_cycles;
			chunk_cycles = 0;
			// The 32-bit per-iteration counters would wrap: the loop flushes them, so do we.
			memset(&wc.acc, 0, sizeof(wc.acc));
			if (rte_rdtsc() - start > budget)
				break;
		}
	}
	r->packets = b * BURST;
	if (r->warmup)
		return 0;
	qsort(chunk_cpp, n_chunks, sizeof(chunk_cpp[0]), cmp_double);
	*r->out = chunk_cpp[n_chunks / 2];
	*r->out_min = chunk_cpp[0];
	*r->out_max = chunk_cpp[n_chunks - 1];
	(void)total_cycles;
	return 0;
}

// Runs fn on the worker lcore while the main lcore sleeps (a busy main lcore would slow the
// worker down: the two vCPUs share a core's resources).
static int
on_worker(lcore_function_t *fn, void *arg)
{
	int ret = rte_eal_remote_launch(fn, arg, worker_lcore);

	if (ret < 0)
		die("remote launch: %s", strerror(-ret));
	while (rte_eal_get_lcore_state(worker_lcore) == RUNNING)
		usleep(2000);
	return rte_eal_wait_lcore(worker_lcore);
}

// Harness costs, for the record: the TSC read pair around an empty region, and the frame reset.
struct harness {
	struct traffic *t;
	double timer_per_burst;
	double reset_per_pkt;
};

static int
measure_harness(void *arg)
{
	struct harness *h = arg;
	uint64_t best = UINT64_MAX, t0, t1, n = 0;

	for (unsigned i = 0; i < 100000; i++) {
		t0 = rte_rdtsc();
		t1 = rte_rdtsc();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	h->timer_per_burst = (double)best;
	t0 = rte_rdtsc();
	for (unsigned i = 0; i < 20000; i++, n += BURST)
		reset_burst(h->t, h->t->pkts[i % N_BURSTS]);
	t1 = rte_rdtsc();
	h->reset_per_pkt = (double)(t1 - t0) / n;
	return 0;
}

// First burst: the frames must come out as the integration tests expect them.
static void
check_output(const struct bench_case *c, struct traffic *t)
{
	struct rte_mbuf **pkts = t->pkts[0];

	reset_burst(t, pkts);
	dp_rx_burst(&wc, t->in_port, pkts, BURST);
	if (wc.tx[t->out_port].n != BURST) {
		for (unsigned i = 0; i < DP_DROP_MAX; i++)
			if (wc.acc.drops[i])
				fprintf(stderr, "drop %u: %u\n", i, wc.acc.drops[i]);
		die("%s: %u of %u frames queued, %u punted", c->name, wc.tx[t->out_port].n, BURST,
		    wc.n_punt);
	}
	for (unsigned i = 0; i < BURST; i++) {
		struct rte_mbuf *m = wc.tx[t->out_port].pkts[i];
		const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
		const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)f;
		const uint8_t *l3 = f + RTE_ETHER_HDR_LEN;
		bool ok;
		switch (c->kind) {
		case K_ENCAP4: {
			const struct rte_ipv4_hdr *o = (const struct rte_ipv4_hdr *)l3;
			const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)(o + 1);
			ok = m->data_len == FRAME_LEN + 36 &&
				rte_is_same_ether_addr(&eth->dst_addr, &gw_mac) &&
				eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
				rte_raw_cksum(o, 20) == 0xffff && o->src_addr == rte_cpu_to_be_32(OWN_RLOC4) &&
				u->dst_port == RTE_BE16(LISP_DATA_PORT) &&
				rte_be_to_cpu_16(o->total_length) == FRAME_LEN - RTE_ETHER_HDR_LEN + 36 &&
				l3[36 + 8] == 63; // inner TTL
			break;
		}
		case K_ENCAP6: {
			const struct rte_ipv6_hdr *o = (const struct rte_ipv6_hdr *)l3;
			const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)(o + 1);
			ok = m->data_len == FRAME_LEN + 56 &&
				rte_is_same_ether_addr(&eth->dst_addr, &gw_mac) &&
				eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
				u->dst_port == RTE_BE16(LISP_DATA_PORT) &&
				(!c->udp_csum6 || rte_ipv6_udptcp_cksum_verify(o, u) == 0) &&
				(c->udp_csum6 || u->dgram_cksum == 0) && l3[56 + 7] == 63;
			break;
		}
		case K_DECAP4: {
			const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)l3;
			ok = m->data_len == FRAME_LEN && rte_is_same_ether_addr(&eth->dst_addr, &host_mac) &&
				eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
				rte_raw_cksum(ip, 20) == 0xffff && ip->time_to_live == 62;
			break;
		}
		default:
			ok = false;
		}
		if (!ok)
			die("%s: frame %u is not what the data plane should send", c->name, i);
	}
	wc.tx[t->out_port].n = 0;
}

static void
run_case(unsigned ci)
{
	const struct bench_case *c = &cases[ci];
	struct result *res = &results[ci];
	struct traffic *t = rte_zmalloc("traffic", sizeof(*t), RTE_CACHE_LINE_SIZE);
	struct dp_port_info eid, rloc;
	struct mc *mc;

	if (t == NULL)
		die("out of memory");
	dp_port_info(eid_port, &eid);
	dp_port_info(rloc_port, &rloc);
	t->kind = c->kind;
	if (c->kind == K_DECAP4) {
		t->in_port = rloc_port;
		t->out_port = eid_port;
		t->in_ring = rloc_rx;
		t->out_ring = eid_tx;
	} else {
		t->in_port = eid_port;
		t->out_port = rloc_port;
		t->in_ring = eid_rx;
		t->out_ring = rloc_tx;
	}
	traffic_frames(t, &eid.mac, &rloc.mac);
	for (unsigned i = 0; i < N_BURSTS; i++)
		if (rte_pktmbuf_alloc_bulk(dp.pool, t->pkts[i], BURST) != 0)
			die("mbuf pool empty");
	fprintf(stderr, "%s: %s: building %u entries...\n", c->name, c->what, c->entries);
	mc = case_mc(c, t, &res->build_s);
	dp_wctx_init(&wc, &dp.workers[0]);
	check_output(c, t);

	struct run r = {.t = t, .mode = M_PROC, .warmup = true};
	if (on_worker(run_mode, &r) < 0)
		die("%s: %s", c->name, r.error);
	r = (struct run){.t = t, .mode = M_PROC, .out = &res->proc, .out_min = &res->proc_min,
			 .out_max = &res->proc_max};
	if (on_worker(run_mode, &r) < 0)
		die("%s: %s", c->name, r.error);
	res->packets = r.packets;
	r = (struct run){.t = t, .mode = M_LOOP, .warmup = true};
	if (on_worker(run_mode, &r) < 0)
		die("%s: %s", c->name, r.error);
	r = (struct run){.t = t, .mode = M_LOOP, .out = &res->loop, .out_min = &res->loop_min,
			 .out_max = &res->loop_max};
	if (on_worker(run_mode, &r) < 0)
		die("%s: %s", c->name, r.error);
	res->packets += r.packets;
	res->done = true;
	fprintf(stderr, "%s: %.1f cycles/packet (loop %.1f), %.1f Mpps\n", c->name, res->proc,
		res->loop, tsc_hz / res->proc / 1e6);

	for (unsigned i = 0; i < N_BURSTS; i++)
		rte_pktmbuf_free_bulk(t->pkts[i], BURST);
	free(t->dst4);
	free(t->dst6);
	rte_free(t);
	mc_destroy(mc);
}

static const char timed_region[] =
	"proc: one dp_rx_burst() call per 32-frame burst (classify, local-address checks, "
	"map-cache bulk lookup, encap/decap, queue for TX); loop: one dp_worker_poll() call "
	"(rte_eth_rx_burst from net_ring, port counters, dp_rx_burst, rte_eth_tx_burst to net_ring); "
	"not timed: rewriting the frames, filling/draining the rings, checks";

static void
print_json(FILE *f, const struct harness *h)
{
	fprintf(f, "{\n  \"tsc_hz\": %" PRIu64 ",\n", tsc_hz);
	fprintf(f, "  \"burst\": %u,\n  \"frame_bytes\": %u,\n", BURST, FRAME_LEN);
	fprintf(f, "  \"timed_region\": \"%s\",\n", timed_region);
	fprintf(f, "  \"timer_overhead_cycles_per_pkt\": %.2f,\n", h->timer_per_burst / BURST);
	fprintf(f, "  \"harness_reset_cycles_per_pkt\": %.2f", h->reset_per_pkt);
	for (unsigned i = 0; i < N_CASES; i++) {
		const struct result *r = &results[i];
		if (!r->done)
			continue;
		fprintf(f,
			",\n  \"%s\": {\"cycles_per_pkt\": %.2f, \"mpps\": %.2f, "
			"\"cycles_min\": %.2f, \"cycles_max\": %.2f, "
			"\"loop_cycles_per_pkt\": %.2f, \"loop_mpps\": %.2f, "
			"\"entries\": %u, \"build_s\": %.3f, \"packets\": %" PRIu64 "}",
			cases[i].name, r->proc, tsc_hz / r->proc / 1e6, r->proc_min, r->proc_max,
			r->loop, tsc_hz / r->loop / 1e6, cases[i].entries, r->build_s, r->packets);
	}
	fprintf(f, "\n}\n");
}

static bool
selected(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (list == NULL)
		return true;
	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'},
		{"seconds", required_argument, NULL, 's'},
		{"cases", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	const char *json = NULL, *list = NULL;
	int ret, opt;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		die("rte_eal_init: %s", rte_strerror(rte_errno));
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = optarg;
			break;
		case 's':
			seconds = atof(optarg);
			break;
		case 'c':
			list = optarg;
			break;
		default:
			die("usage: dp_bench <EAL args> -- [--json FILE] [--seconds S] [--cases a,b]");
		}
	}
	tsc_hz = rte_get_tsc_hz();
	setup();

	struct harness h = {0};
	bool harness_done = false;
	for (unsigned i = 0; i < N_CASES; i++) {
		if (!selected(list, cases[i].name))
			continue;
		run_case(i);
		if (!harness_done) {
			// The harness costs, measured once on encap-like frames.
			struct traffic *t = rte_zmalloc("traffic", sizeof(*t), RTE_CACHE_LINE_SIZE);
			struct dp_port_info eid;
			dp_port_info(eid_port, &eid);
			t->kind = K_ENCAP4;
			t->n_dst = 1;
			uint32_t d = 0;
			t->dst4 = &d;
			traffic_frames(t, &eid.mac, &eid.mac);
			for (unsigned b = 0; b < N_BURSTS; b++)
				if (rte_pktmbuf_alloc_bulk(dp.pool, t->pkts[b], BURST) != 0)
					die("mbuf pool empty");
			h.t = t;
			on_worker(measure_harness, &h);
			for (unsigned b = 0; b < N_BURSTS; b++)
				rte_pktmbuf_free_bulk(t->pkts[b], BURST);
			rte_free(t);
			harness_done = true;
		}
	}

	FILE *f = json != NULL ? fopen(json, "w") : stdout;
	if (f == NULL)
		die("%s: %s", json, strerror(errno));
	print_json(f, &h);
	if (f != stdout)
		fclose(f);
	mc_destroy(db);
	dp_fini();
	rte_eal_cleanup();
	return 0;
}
