// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Helpers shared by dp_encap_test.c and dp_decap_test.c: EAL inside the test (--no-huge, three
// net_null ports, its own file prefix), the data plane set up as control would set it up, a
// worker context, packet builders and counter checks.
//
// The set-up, for both tests:
//	port eid0 (net_null0): EID, IID 0, 10.1.0.254, 2001:db8:a::fe
//	port eid7 (net_null1): EID, IID 7, 10.7.0.254, 2001:db8:7::fe
//	port rloc (net_null2): RLOC, 192.0.2.1, 198.51.100.2, 2001:db8:1::1, 2001:db8:2::2
//	next hops on rloc: 198.51.100.2 (02:00:00:00:00:02) and 2001:db8:2::2 (02:00:00:00:00:06),
//	resolved; 198.51.100.99, unresolved.
// Each test adds its own map-cache and database entries in its group set-up (dpt.setup).

#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dp_priv.h"
#include "lisp_hdr.h"

#define DPT_PATH_MTU 1500

// Our RLOCs (template sources) and the peer ETR's.
#define DPT_ITR4 "192.0.2.1"
#define DPT_ETR4 "198.51.100.2"
#define DPT_ITR6 "2001:db8:1::1"
#define DPT_ETR6 "2001:db8:2::2"
#define DPT_ETR4_UNRESOLVED "198.51.100.99"

// Golden vector (a) of lisp-protocol.md §5.1, from the outer IP header (68 bytes; the inner
// packet starts at DPT_VEC_A_INNER).
#define DPT_VEC_A_LEN 68
#define DPT_VEC_A_INNER 36
extern const uint8_t dpt_vec_a[DPT_VEC_A_LEN];

struct dpt {
	unsigned eid0, eid7, rloc; // data-plane port indexes
	struct mc *mc, *db;
	int nh4, nh6, nh4_unresolved; // next-hop indexes on rloc
	struct rte_ether_addr nh4_mac, nh6_mac;
	struct rte_ether_addr host_mac; // the source of frames the tests send
	// The test's own entries, called at the end of the group set-up.
	void (*setup)(void);
};
extern struct dpt dpt;

// The worker context the tests drive, fresh for each test (dpt_test_setup).
extern struct dp_wctx dpt_wc;

// main(): starts EAL with its own file prefix (dxtr_<name>_<pid>); 0 or -1.
int dpt_eal_init(const char *name, const char *argv0);
// main(): stops EAL and removes its runtime directory.
void dpt_eal_fini(void);

// cmocka group set-up and teardown: the data plane, ports, map-cache, database, next hops.
int dpt_group_setup(void **state);
int dpt_group_teardown(void **state);
// cmocka test set-up and teardown: a fresh dpt_wc and default LISP settings; then everything
// queued or punted is freed, and no mbuf of the pool may be left in use.
int dpt_test_setup(void **state);
int dpt_test_teardown(void **state);

// One frame received on port, dispatched as the worker loop does (dp_worker.c): the real
// classification (dp_local_arp/ip4/ip6), then the ETR inline or the ITR for transit frames.
void dpt_rx(unsigned port, struct rte_mbuf *m);
// dp_itr_burst for one frame.
void dpt_itr(unsigned port, struct rte_mbuf *m);

// Addresses from text.
uint32_t dpt_ip4(const char *s);
void dpt_ip6(const char *s, uint8_t out[16]);
struct mc_prefix dpt_pfx(const char *addr, unsigned len);

// Builders: write into buf, return the length written.
// An IPv4 header (no options) with a correct checksum, then l4. frag: flags and offset field,
// host order (RTE_IPV4_HDR_DF_FLAG, ...).
size_t dpt_build_ip4(
	uint8_t *buf,
	const char *src,
	const char *dst,
	uint8_t proto,
	uint8_t ttl,
	uint8_t tos,
	uint16_t id,
	uint16_t frag,
	const void *l4,
	size_t l4_len
);
// An IPv6 header (flow label 0x12345), then l4.
size_t dpt_build_ip6(
	uint8_t *buf,
	const char *src,
	const char *dst,
	uint8_t proto,
	uint8_t hop,
	uint8_t tc,
	const void *l4,
	size_t l4_len
);
// A UDP header (checksum 0) and n bytes of a pattern starting at seed.
size_t dpt_build_udp(uint8_t *buf, uint16_t sport, uint16_t dport, size_t n, uint8_t seed);

// A frame in the data plane's pool: Ethernet (dst, from host_mac, type) + l3.
struct rte_mbuf *dpt_frame(const struct rte_ether_addr *dst, uint16_t type, const void *l3,
			   size_t len);

// Frames queued for TX on all ports together.
unsigned dpt_n_tx(void);
// Takes the only frame queued on port (asserts there is exactly one queued anywhere); the
// caller frees it.
struct rte_mbuf *dpt_take_tx(unsigned port);

// Asserts what the last call counted: exactly drops[drop] == 1 and stats[stat] == 1 (-1: none
// of that kind), every other counter 0.
void dpt_assert_acc(int drop, int stat);
// Asserts the drop counted nothing else, and nothing was queued or punted.
void dpt_assert_dropped(enum dp_drop drop);
// Asserts exactly one frame was punted, with this reason, port and argument, and nothing was
// queued for TX; returns it (still owned by dpt_wc: freed in the teardown).
const struct dp_punt *dpt_assert_punted(uint16_t reason, uint16_t port, uint32_t arg);

// Frees what dpt_wc holds and zeroes its counters (between sub-cases of one test).
void dpt_wc_reset(void);

// A locator spec toward rloc (IPv4 or IPv6 text) from our RLOC of that family, next hop nh.
void dpt_loc(struct mc_locator_spec *l, const char *rloc, int nh);
// Adds prefix/len in iid to the map-cache (mc) or the database (db).
void dpt_add(struct mc *mc, uint32_t iid, const char *addr, unsigned len,
	     const struct mc_entry_spec *s);

// True when the IPv4 header (with options) sums to 0xffff.
bool dpt_ip4_cksum_ok(const void *ip);
