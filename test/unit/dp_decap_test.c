// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The ETR on crafted mbufs (decap.c, behind the worker's classification of frames for our
// RLOCs): golden vector (a) of lisp-protocol.md §5.1 and its I=0 variant accepted and delivered,
// decapsulation in the four outer/inner combinations and instance-IDs, the TTL rule
// (min(inner, outer) - 1), DSCP and ECN (RFC 6040), unresolved hosts handed to control, and one
// packet per drop reason of §1.5's checks.

#include "dp_test_harness.h"

#include <string.h>

#include <rte_ip.h>
#include <rte_udp.h>

#define ETH_LEN RTE_ETHER_HDR_LEN
#define ECN_CE 0x03

static struct rte_ether_addr host4_mac = {{0x02, 0, 0, 0, 0, 0xb1}};
static struct rte_ether_addr host6_mac = {{0x02, 0, 0, 0, 0, 0xb6}};
static struct rte_ether_addr host74_mac = {{0x02, 0, 0, 0, 0, 0x71}};
static struct rte_ether_addr host76_mac = {{0x02, 0, 0, 0, 0, 0x76}};
static int nh_unresolved; // 240.2.0.8 on eid0, known but without a MAC

static void
eid_host(unsigned port, const char *addr, const struct rte_ether_addr *mac)
{
	struct mc_prefix p = dpt_pfx(addr, 0);
	int nh = dp_nh_get(port, p.af, p.addr);

	assert_true(nh >= 0);
	dp_nh_set_mac((uint32_t)nh, mac);
}

static void
decap_setup(void)
{
	// The local EID-prefixes, as control installs them (dxtr's mapping.c).
	struct mc_entry_spec s = {.action = MC_ACT_NO_ACTION};
	struct mc_prefix p;

	dpt_add(dpt.db, 0, "240.2.0.0", 16, &s);
	dpt_add(dpt.db, 0, "2001:db8:b::", 48, &s);
	dpt_add(dpt.db, 7, "240.7.0.0", 16, &s);
	dpt_add(dpt.db, 7, "2001:db8:77::", 48, &s);
	eid_host(dpt.eid0, "240.2.0.1", &host4_mac);
	eid_host(dpt.eid0, "2001:db8:b::1", &host6_mac);
	eid_host(dpt.eid7, "240.7.0.1", &host74_mac);
	eid_host(dpt.eid7, "2001:db8:77::1", &host76_mac);
	p = dpt_pfx("240.2.0.8", 0);
	nh_unresolved = dp_nh_get(dpt.eid0, AF_INET, p.addr);
	assert_true(nh_unresolved >= 0);
}

// --- Packets ---

enum ck { CK_ZERO, CK_GOOD, CK_BAD };

struct outer {
	int af; // AF_INET or AF_INET6
	uint8_t ttl;
	uint8_t tos; // IPv4 TOS or IPv6 traffic class
	uint8_t lisp[8];
	enum ck ck;
	int udp_len_delta; // added to the UDP length field
};

// A LISP header: flags, nonce 0xabcdef with N, the IID with I, LSBs 0x01 with L.
static void
lisp_hdr(uint8_t h[8], uint8_t flags, uint32_t iid)
{
	memset(h, 0, 8);
	h[0] = flags;
	if (flags & LISP_N) {
		h[1] = 0xab;
		h[2] = 0xcd;
		h[3] = 0xef;
	}
	if (flags & LISP_I) {
		h[4] = (uint8_t)(iid >> 16);
		h[5] = (uint8_t)(iid >> 8);
		h[6] = (uint8_t)iid;
	}
	if (flags & LISP_L)
		h[7] = 0x01;
}

static struct outer
outer(int af, uint8_t flags, uint32_t iid)
{
	struct outer o = {.af = af, .ttl = 64, .tos = 0, .ck = af == AF_INET ? CK_ZERO : CK_GOOD};

	lisp_hdr(o.lisp, flags, iid);
	return o;
}

// The frame from the ITR's next hop to the RLOC port: outer IP (ITR RLOC -> our RLOC), UDP
// 0xc123 -> 4341, LISP, inner.
static struct rte_mbuf *
lisp_frame(const struct outer *o, const uint8_t *inner, size_t len)
{
	uint8_t l4[2048], buf[2048];
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)l4;
	size_t l4_len = sizeof(*udp) + 8 + len, n;

	udp->src_port = RTE_BE16(0xc123);
	udp->dst_port = RTE_BE16(LISP_DATA_PORT);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)((int)l4_len + o->udp_len_delta));
	udp->dgram_cksum = 0;
	memcpy(l4 + sizeof(*udp), o->lisp, 8);
	memcpy(l4 + sizeof(*udp) + 8, inner, len);
	if (o->af == AF_INET)
		n = dpt_build_ip4(buf, DPT_ITR4, DPT_ETR4, IPPROTO_UDP, o->ttl, o->tos, 0,
				  RTE_IPV4_HDR_DF_FLAG, l4, l4_len);
	else
		n = dpt_build_ip6(buf, DPT_ITR6, DPT_ETR6, IPPROTO_UDP, o->ttl, o->tos, l4, l4_len);
	udp = (struct rte_udp_hdr *)(buf + (o->af == AF_INET ? 20 : 40));
	if (o->ck != CK_ZERO) {
		uint16_t ck = o->af == AF_INET
			? rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)buf, udp)
			: rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)buf, udp);
		if (o->ck == CK_BAD)
			ck = ck == 0x1234 ? 0x4321 : 0x1234;
		udp->dgram_cksum = ck;
	}
	return dpt_frame(&dp.ports[dpt.rloc].mac,
			 o->af == AF_INET ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6, buf, n);
}

// An inner UDP packet from the remote site to dst.
static size_t
inner_udp(uint8_t *buf, const char *dst, uint8_t ttl, uint8_t tos, size_t n)
{
	uint8_t l4[2048];
	size_t l4_len = dpt_build_udp(l4, 1000, 2000, n, 3);

	if (strchr(dst, ':') == NULL)
		return dpt_build_ip4(buf, "10.1.0.1", dst, IPPROTO_UDP, ttl, tos, 0x77, 0, l4,
				     l4_len);
	return dpt_build_ip6(buf, "2001:db8:a::1", dst, IPPROTO_UDP, ttl, tos, l4, l4_len);
}

static bool
is4(const uint8_t *ip)
{
	return (ip[0] >> 4) == 4;
}

static uint8_t
tos_of(const uint8_t *ip)
{
	return is4(ip) ? ip[1] : (uint8_t)(ip[0] << 4 | ip[1] >> 4);
}

// Checks the delivered inner packet: TTL ttl, traffic class tos, everything else as sent.
static void
check_inner(const uint8_t *got, const uint8_t *inner, size_t len, uint8_t ttl, uint8_t tos)
{
	assert_int_equal(tos_of(got), tos);
	if (is4(inner)) {
		assert_int_equal(got[0], inner[0]);
		assert_memory_equal(got + 2, inner + 2, 6);
		assert_int_equal(got[8], ttl);
		assert_int_equal(got[9], inner[9]);
		assert_true(dpt_ip4_cksum_ok(got));
		assert_memory_equal(got + 12, inner + 12, len - 12);
	} else {
		assert_int_equal(got[0] >> 4, 6);
		assert_int_equal(got[1] & 0x0f, inner[1] & 0x0f); // flow label
		assert_memory_equal(got + 2, inner + 2, 5);
		assert_int_equal(got[7], ttl);
		assert_memory_equal(got + 8, inner + 8, len - 8);
	}
}

// Sends the frame to the RLOC port and checks the one frame delivered on port: to mac, from
// the port, inner packet with ttl and tos.
static void
expect_delivered(struct rte_mbuf *f, unsigned port, const struct rte_ether_addr *mac,
		 const uint8_t *inner, size_t len, uint8_t ttl, uint8_t tos)
{
	struct rte_mbuf *m;

	dpt_wc.acc = (struct dp_acc){0};
	dpt_rx(dpt.rloc, f);
	dpt_assert_acc(-1, is4(inner) ? DP_STAT_DECAP4 : DP_STAT_DECAP6);
	assert_int_equal(dpt_wc.n_punt, 0);
	m = dpt_take_tx(port);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	assert_int_equal(m->nb_segs, 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + len);
	assert_memory_equal(&eth->dst_addr, mac, 6);
	assert_memory_equal(&eth->src_addr, &dp.ports[port].mac, 6);
	assert_int_equal(rte_be_to_cpu_16(eth->ether_type),
			 is4(inner) ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	check_inner((const uint8_t *)(eth + 1), inner, len, ttl, tos);
	rte_pktmbuf_free(m);
}

static void
expect_drop(struct rte_mbuf *f, enum dp_drop d)
{
	dpt_wc.acc = (struct dp_acc){0};
	dpt_rx(dpt.rloc, f);
	dpt_assert_dropped(d);
	dpt_wc_reset();
}

// --- 2. Golden vector (a) ---

static void
test_decap_vector_a(void **state)
{
	uint8_t v[DPT_VEC_A_LEN];

	(void)state;
	// (a), then (a'): no I bit, a 32-bit LSB field; both for instance 0. Inner TTL 63 and outer
	// 63: delivered with 62.
	memcpy(v, dpt_vec_a, sizeof(v));
	for (unsigned i = 0; i < 2; i++) {
		if (i == 1)
			v[0x1c] = 0xc0;
		struct rte_mbuf *f = dpt_frame(&dp.ports[dpt.rloc].mac, RTE_ETHER_TYPE_IPV4, v,
					       sizeof(v));
		expect_delivered(f, dpt.eid0, &host4_mac, dpt_vec_a + DPT_VEC_A_INNER, 32, 62, 0);
	}
}

// --- 4. Decapsulation: the four combinations, instances, checksums ---

struct combo {
	const char *name;
	int outer_af;
	uint8_t flags;
	uint32_t iid;
	enum ck ck;
	const char *dst;
};

static const struct combo combos[] = {
	{"4-in-4, I=0, UDP checksum 0", AF_INET, LISP_N, 0, CK_ZERO, "240.2.0.1"},
	{"4-in-4, IID 7, UDP checksum right", AF_INET, LISP_N | LISP_I, 7, CK_GOOD, "240.7.0.1"},
	{"6-in-4, N L I IID 0", AF_INET, LISP_N | LISP_L | LISP_I, 0, CK_ZERO, "2001:db8:b::1"},
	{"6-in-4, IID 7", AF_INET, LISP_I, 7, CK_ZERO, "2001:db8:77::1"},
	{"4-in-6, UDP checksum right", AF_INET6, LISP_N, 0, CK_GOOD, "240.2.0.1"},
	{"4-in-6, UDP checksum 0, IID 7", AF_INET6, LISP_I | LISP_L, 7, CK_ZERO, "240.7.0.1"},
	{"6-in-6, UDP checksum right", AF_INET6, LISP_N | LISP_I, 0, CK_GOOD, "2001:db8:b::1"},
	{"6-in-6, IID 7, E and V ignored", AF_INET6, LISP_I | LISP_E | LISP_V, 7, CK_GOOD,
	 "2001:db8:77::1"},
	{"4-in-4, R ignored", AF_INET, LISP_R, 0, CK_ZERO, "240.2.0.1"},
};

static const struct rte_ether_addr *
host_mac(const char *dst)
{
	if (strcmp(dst, "240.2.0.1") == 0)
		return &host4_mac;
	if (strcmp(dst, "2001:db8:b::1") == 0)
		return &host6_mac;
	if (strcmp(dst, "240.7.0.1") == 0)
		return &host74_mac;
	return &host76_mac;
}

static void
test_decap_combos(void **state)
{
	uint8_t inner[512];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(combos); i++) {
		const struct combo *c = &combos[i];
		struct outer o = outer(c->outer_af, c->flags, c->iid);
		unsigned port = c->iid == 7 ? dpt.eid7 : dpt.eid0;
		print_message("%s\n", c->name);
		o.ck = c->ck;
		o.ttl = 63;
		o.tos = 0x28; // DSCP 10, not ECT
		// The host sent TTL 64 and ECT(0); the ITR sent outer TTL 63 and ECT(0) too, but a
		// core router re-marked the outer DSCP: that DSCP is copied in (and ECT(0) kept).
		size_t len = inner_udp(inner, c->dst, 64, 0xb8 | 0x02, 40 + i);
		o.tos |= 0x02;
		expect_delivered(lisp_frame(&o, inner, len), port, host_mac(c->dst), inner, len, 62,
				 0x28 | 0x02);
	}
}

// Bytes after the inner packet inside the UDP payload are not delivered.
static void
test_decap_trailer(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 20);
	struct outer o = outer(AF_INET, LISP_N, 0);

	(void)state;
	memset(inner + len, 0xee, 10);
	// The frame carries len + 10 bytes after the LISP header; the inner header says len.
	struct rte_mbuf *f = lisp_frame(&o, inner, len + 10);
	expect_delivered(f, dpt.eid0, &host4_mac, inner, len, 63, 0);
	len = inner_udp(inner, "2001:db8:b::1", 64, 0, 20);
	memset(inner + len, 0xee, 10);
	o = outer(AF_INET6, LISP_N, 0);
	f = lisp_frame(&o, inner, len + 10);
	expect_delivered(f, dpt.eid0, &host6_mac, inner, len, 63, 0);
}

// Inner TTL = min(inner, outer) - 1 (lisp-protocol.md §1.5 step 9).
static void
test_decap_ttl(void **state)
{
	static const struct {
		uint8_t inner, outer, out;
	} cases[] = {{64, 10, 9}, {5, 64, 4}, {64, 64, 63}, {255, 2, 1}, {2, 255, 1}};
	static const char *const dsts[] = {"240.2.0.1", "2001:db8:b::1"};
	uint8_t inner[256];

	(void)state;
	for (unsigned d = 0; d < RTE_DIM(dsts); d++)
		for (unsigned oaf = 0; oaf < 2; oaf++)
			for (unsigned i = 0; i < RTE_DIM(cases); i++) {
				struct outer o = outer(oaf ? AF_INET6 : AF_INET, LISP_N, 0);
				size_t len = inner_udp(inner, dsts[d], cases[i].inner, 0, 10);
				o.ttl = cases[i].outer;
				expect_delivered(lisp_frame(&o, inner, len), dpt.eid0,
						 host_mac(dsts[d]), inner, len, cases[i].out, 0);
			}
}

// TTL (or hop limit) exhausted at the ETR: dropped.
static void
test_decap_ttl_exceeded(void **state)
{
	static const char *const dsts[] = {"240.2.0.1", "2001:db8:b::1"};
	uint8_t inner[256];

	(void)state;
	for (unsigned d = 0; d < RTE_DIM(dsts); d++) {
		struct outer o = outer(AF_INET, LISP_N, 0);
		size_t len = inner_udp(inner, dsts[d], 64, 0, 10);
		o.ttl = 1;
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_TTL_EXCEEDED);
		len = inner_udp(inner, dsts[d], 1, 0, 10);
		o = outer(AF_INET6, LISP_N, 0);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_TTL_EXCEEDED);
		len = inner_udp(inner, dsts[d], 0, 0, 10);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_TTL_EXCEEDED);
	}
}

// ECN (RFC 6040 normal mode): outer CE marks an ECT inner packet CE, and drops a not-ECT one;
// otherwise the inner ECN field stays. DSCP comes from the outer header.
static void
test_decap_ecn(void **state)
{
	static const struct {
		uint8_t outer, inner, out; // ECN fields; out 0xff: dropped
	} cases[] = {
		{ECN_CE, 0x02, ECN_CE}, {ECN_CE, 0x01, ECN_CE}, {ECN_CE, ECN_CE, ECN_CE},
		{ECN_CE, 0x00, 0xff},	{0x02, 0x00, 0x00},	{0x01, 0x02, 0x02},
		{0x00, ECN_CE, ECN_CE}, {0x00, 0x01, 0x01},	{0x02, 0x01, 0x01},
	};
	static const char *const dsts[] = {"240.2.0.1", "2001:db8:b::1"};
	uint8_t inner[256];

	(void)state;
	for (unsigned d = 0; d < RTE_DIM(dsts); d++)
		for (unsigned oaf = 0; oaf < 2; oaf++)
			for (unsigned i = 0; i < RTE_DIM(cases); i++) {
				struct outer o = outer(oaf ? AF_INET6 : AF_INET, LISP_N, 0);
				uint8_t tos = 0xb8 | cases[i].inner; // DSCP 46
				size_t len = inner_udp(inner, dsts[d], 64, tos, 10);
				o.tos = 0x48 | cases[i].outer; // DSCP 18
				struct rte_mbuf *f = lisp_frame(&o, inner, len);
				if (cases[i].out == 0xff)
					expect_drop(f, DP_DROP_ECN_NOT_ECT);
				else
					expect_delivered(f, dpt.eid0, host_mac(dsts[d]), inner, len,
							 63, 0x48 | cases[i].out);
			}
}

// A host without a MAC: the decapsulated frame goes to control with the next hop (or
// DP_NH_NONE when control has never heard of it).
static void
test_decap_unresolved(void **state)
{
	static const struct {
		const char *dst;
		bool known;
	} cases[] = {{"240.2.0.9", false}, {"240.2.0.8", true}, {"2001:db8:b::9", false}};
	uint8_t inner[256];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(cases); i++) {
		struct outer o = outer(AF_INET, LISP_N, 0);
		size_t len = inner_udp(inner, cases[i].dst, 64, 0, 10);
		const struct dp_punt *pk;

		dpt_rx(dpt.rloc, lisp_frame(&o, inner, len));
		pk = dpt_assert_punted(DP_PUNT_RESOLVE, dpt.eid0,
				       cases[i].known ? (uint32_t)nh_unresolved : DP_NH_NONE);
		const int decap = is4(inner) ? DP_STAT_DECAP4 : DP_STAT_DECAP6;
		for (int s = 0; s < DP_STAT_MAX; s++)
			assert_int_equal(dpt_wc.acc.stats[s],
					 s == DP_STAT_NH_UNRESOLVED || s == decap ? 1 : 0);
		for (int dr = 0; dr < DP_DROP_MAX; dr++)
			assert_int_equal(dpt_wc.acc.drops[dr], 0);
		const struct rte_ether_hdr *eth =
			rte_pktmbuf_mtod(pk->m, const struct rte_ether_hdr *);
		assert_int_equal(rte_pktmbuf_pkt_len(pk->m), ETH_LEN + len);
		assert_memory_equal(&eth->src_addr, &dp.ports[dpt.eid0].mac, 6);
		assert_int_equal(rte_be_to_cpu_16(eth->ether_type),
				 is4(inner) ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
		check_inner((const uint8_t *)(eth + 1), inner, len, 63, 0);
		dpt_wc_reset();
	}
}

// --- 3. Drops ---

static void
test_decap_udp_length(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 10);

	(void)state;
	for (unsigned oaf = 0; oaf < 2; oaf++) {
		struct outer o = outer(oaf ? AF_INET6 : AF_INET, LISP_N, 0);
		o.ck = CK_ZERO;
		// Past the IP payload by one byte.
		o.udp_len_delta = 1;
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_UDP_LENGTH);
		// Shorter than the UDP header.
		o.udp_len_delta = 7 - (int)(16 + len);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_UDP_LENGTH);
	}
	// An IP payload shorter than a UDP header.
	{
		static const uint8_t six[6] = {0xc1, 0x23, 0x10, 0xf5, 0x00, 0x06};
		uint8_t ip[64];
		size_t n = dpt_build_ip4(ip, DPT_ITR4, DPT_ETR4, IPPROTO_UDP, 64, 0, 0, 0, six, 6);
		expect_drop(dpt_frame(&dp.ports[dpt.rloc].mac, RTE_ETHER_TYPE_IPV4, ip, n),
			    DP_DROP_UDP_LENGTH);
		n = dpt_build_ip6(ip, DPT_ITR6, DPT_ETR6, IPPROTO_UDP, 64, 0, six, 6);
		expect_drop(dpt_frame(&dp.ports[dpt.rloc].mac, RTE_ETHER_TYPE_IPV6, ip, n),
			    DP_DROP_UDP_LENGTH);
	}
}

// A non-zero UDP checksum is verified (a zero one accepted: test_decap_combos).
static void
test_decap_udp_checksum(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 10);

	(void)state;
	for (unsigned oaf = 0; oaf < 2; oaf++) {
		struct outer o = outer(oaf ? AF_INET6 : AF_INET, LISP_N, 0);
		o.ck = CK_BAD;
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_UDP_CHECKSUM);
	}
}

// Too short for the LISP header and an inner IPv4 header.
static void
test_decap_lisp_short(void **state)
{
	uint8_t inner[64];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 0);

	(void)state;
	for (unsigned oaf = 0; oaf < 2; oaf++) {
		struct outer o = outer(oaf ? AF_INET6 : AF_INET, LISP_N, 0);
		expect_drop(lisp_frame(&o, inner, 19), DP_DROP_LISP_SHORT);
		expect_drop(lisp_frame(&o, inner, 0), DP_DROP_LISP_SHORT);
		// A LISP header cut short.
		o.udp_len_delta = -(int)(len + 4);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_LISP_SHORT);
	}
}

static void
test_decap_lisp_crypto(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 10);

	(void)state;
	for (uint8_t kk = 1; kk <= 3; kk++) {
		struct outer o = outer(AF_INET, LISP_N | kk, 0);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_LISP_CRYPTO);
		o = outer(AF_INET6, LISP_I | kk, 7);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_LISP_CRYPTO);
	}
}

static void
test_decap_unknown_iid(void **state)
{
	static const uint32_t iids[] = {1, 99, 0x123456, 0xffffff};
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 10);

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(iids); i++) {
		struct outer o = outer(i % 2 ? AF_INET6 : AF_INET, LISP_N | LISP_I, iids[i]);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_UNKNOWN_IID);
	}
}

static void
test_decap_inner_version(void **state)
{
	static const uint8_t versions[] = {0x00, 0x55, 0x75, 0xf0};
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 30);

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(versions); i++) {
		struct outer o = outer(i % 2 ? AF_INET6 : AF_INET, LISP_N, 0);
		inner[0] = versions[i];
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_INNER_VERSION);
	}
}

static void
fix_ck4(uint8_t *ip)
{
	struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;

	h->hdr_checksum = 0;
	h->hdr_checksum = (uint16_t)~rte_raw_cksum(h, (h->version_ihl & 0xf) * 4u);
}

static void
test_decap_inner_malformed(void **state)
{
	uint8_t good[256], p[256];
	size_t len = inner_udp(good, "240.2.0.1", 64, 0, 30);
	struct outer o = outer(AF_INET, LISP_N, 0);

	(void)state;
	// IPv4: bad header checksum.
	memcpy(p, good, len);
	p[10] ^= 0x40;
	expect_drop(lisp_frame(&o, p, len), DP_DROP_DECAP_INNER_MALFORMED);
	// Total length past what the UDP length leaves for it.
	memcpy(p, good, len);
	((struct rte_ipv4_hdr *)p)->total_length = rte_cpu_to_be_16((uint16_t)(len + 1));
	fix_ck4(p);
	expect_drop(lisp_frame(&o, p, len), DP_DROP_DECAP_INNER_MALFORMED);
	// Total length shorter than the header.
	memcpy(p, good, len);
	((struct rte_ipv4_hdr *)p)->total_length = rte_cpu_to_be_16(16);
	fix_ck4(p);
	expect_drop(lisp_frame(&o, p, len), DP_DROP_DECAP_INNER_MALFORMED);
	// Header length 16 (IHL 4).
	memcpy(p, good, len);
	p[0] = 0x44;
	fix_ck4(p);
	expect_drop(lisp_frame(&o, p, len), DP_DROP_DECAP_INNER_MALFORMED);
	// Header length 60 in a 48-byte packet.
	memcpy(p, good, len);
	p[0] = 0x4f;
	expect_drop(lisp_frame(&o, p, 48), DP_DROP_DECAP_INNER_MALFORMED);

	// IPv6: payload length past the packet; shorter than an IPv6 header.
	len = inner_udp(good, "2001:db8:b::1", 64, 0, 30);
	o = outer(AF_INET6, LISP_N, 0);
	memcpy(p, good, len);
	((struct rte_ipv6_hdr *)p)->payload_len = rte_cpu_to_be_16((uint16_t)(len - 40 + 1));
	expect_drop(lisp_frame(&o, p, len), DP_DROP_DECAP_INNER_MALFORMED);
	expect_drop(lisp_frame(&o, good, 39), DP_DROP_DECAP_INNER_MALFORMED);
	expect_drop(lisp_frame(&o, good, 20), DP_DROP_DECAP_INNER_MALFORMED);
}

// The inner destination must be a local EID-prefix of the packet's instance.
static void
test_decap_not_local_eid(void **state)
{
	static const struct {
		const char *dst;
		uint32_t iid;
	} cases[] = {
		{"240.9.0.1", 0},      {"2001:db8:99::1", 0}, {"240.7.0.1", 0}, // IID 7's
		{"2001:db8:77::1", 0}, {"240.2.0.1", 7},      {"2001:db8:b::1", 7}, // IID 0's
		{"10.1.0.254", 0}, // the EID port's own address
	};
	uint8_t inner[256];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(cases); i++) {
		struct outer o = outer(i % 2 ? AF_INET6 : AF_INET, LISP_N | LISP_I, cases[i].iid);
		size_t len = inner_udp(inner, cases[i].dst, 64, 0, 10);
		expect_drop(lisp_frame(&o, inner, len), DP_DROP_NOT_LOCAL_EID);
	}
}

static void
test_decap_ecn_not_ect(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 10);
	struct outer o = outer(AF_INET, LISP_N, 0);

	(void)state;
	o.tos = ECN_CE;
	expect_drop(lisp_frame(&o, inner, len), DP_DROP_ECN_NOT_ECT);
	len = inner_udp(inner, "2001:db8:b::1", 64, 0xb8, 10);
	o = outer(AF_INET6, LISP_N, 0);
	o.tos = 0xb8 | ECN_CE;
	expect_drop(lisp_frame(&o, inner, len), DP_DROP_ECN_NOT_ECT);
}

// What the classification keeps from the ETR: LISP data on an EID port, outer fragments (not
// reassembled), UDP 4341 to an address that is not ours.
static void
test_decap_classified_out(void **state)
{
	uint8_t inner[256], l4[512], ip[512];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 10);
	size_t l4_len, n;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)l4;

	(void)state;
	l4_len = sizeof(*udp) + 8 + len;
	udp->src_port = RTE_BE16(0xc123);
	udp->dst_port = RTE_BE16(LISP_DATA_PORT);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)l4_len);
	udp->dgram_cksum = 0;
	lisp_hdr(l4 + sizeof(*udp), LISP_N, 0);
	memcpy(l4 + sizeof(*udp) + 8, inner, len);

	n = dpt_build_ip4(ip, DPT_ITR4, "10.1.0.254", IPPROTO_UDP, 64, 0, 0, 0, l4, l4_len);
	dpt_rx(dpt.eid0, dpt_frame(&dp.ports[dpt.eid0].mac, RTE_ETHER_TYPE_IPV4, ip, n));
	dpt_assert_dropped(DP_DROP_LISP_ON_EID_PORT);
	dpt_wc_reset();

	n = dpt_build_ip4(ip, DPT_ITR4, DPT_ETR4, IPPROTO_UDP, 64, 0, 0, RTE_IPV4_HDR_MF_FLAG, l4,
			  l4_len);
	expect_drop(dpt_frame(&dp.ports[dpt.rloc].mac, RTE_ETHER_TYPE_IPV4, ip, n),
		    DP_DROP_IP_FRAGMENT_LOCAL);

	n = dpt_build_ip4(ip, DPT_ITR4, "198.51.100.3", IPPROTO_UDP, 64, 0, 0, 0, l4, l4_len);
	expect_drop(dpt_frame(&dp.ports[dpt.rloc].mac, RTE_ETHER_TYPE_IPV4, ip, n),
		    DP_DROP_NOT_LOCAL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dpt_test_setup, dpt_test_teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_decap_vector_a),
		T(test_decap_combos),
		T(test_decap_trailer),
		T(test_decap_ttl),
		T(test_decap_ttl_exceeded),
		T(test_decap_ecn),
		T(test_decap_unresolved),
		T(test_decap_udp_length),
		T(test_decap_udp_checksum),
		T(test_decap_lisp_short),
		T(test_decap_lisp_crypto),
		T(test_decap_unknown_iid),
		T(test_decap_inner_version),
		T(test_decap_inner_malformed),
		T(test_decap_not_local_eid),
		T(test_decap_ecn_not_ect),
		T(test_decap_classified_out),
	};
	int ret;

	(void)argc;
	if (dpt_eal_init("decap_test", argv[0]) < 0)
		return 1;
	dpt.setup = decap_setup;
	ret = cmocka_run_group_tests(tests, dpt_group_setup, dpt_group_teardown);
	dpt_eal_fini();
	return ret;
}
