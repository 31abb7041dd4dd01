// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The ITR on crafted mbufs (encap.c, behind the worker's classification, or dp_itr_burst
// directly): encapsulation in the four inner/outer combinations (addresses, lengths, checksums,
// TTL, DSCP/ECN, UDP source port, LISP flags, IID, nonce, inner packet untouched), golden
// vector (a) of lisp-protocol.md §5.1 byte for byte, and one packet per ITR drop reason or
// punt: malformed inner headers, TTL exceeded, too big, inner fragmentation, negative mappings,
// native forwarding, misses, pending mappings (and a held packet's release), the miss and ICMP
// rate limits, an unresolved next hop, no headroom.

#include "dp_test_harness.h"

#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_udp.h>

#define ETH_LEN RTE_ETHER_HDR_LEN
#define TOS 0xb9 // DSCP 46 (EF), ECN ECT(1)

// --- Entries ---

static void
spec_encap(struct mc_entry_spec *s, const char *rloc, int nh, unsigned flags, uint32_t lsbs)
{
	memset(s, 0, sizeof(*s));
	s->action = MC_ACT_ENCAP;
	s->tmpl_flags = flags;
	s->lsbs = lsbs;
	s->n_locators = 1;
	dpt_loc(&s->loc[0], rloc, nh);
}

static void
add_neg(uint32_t iid, const char *addr, unsigned len, unsigned action)
{
	struct mc_entry_spec s = {.action = (enum mc_action)action};

	dpt_add(dpt.mc, iid, addr, len, &s);
}

static void
encap_setup(void)
{
	struct mc_entry_spec s;

	// Vector (a): N, L, I with IID 0, LSB 0x01.
	spec_encap(&s, DPT_ETR4, dpt.nh4, MC_TMPL_NONCE | MC_TMPL_LSB | MC_TMPL_IID, 0x01);
	dpt_add(dpt.mc, 0, "240.2.0.0", 16, &s);
	spec_encap(&s, DPT_ETR6, dpt.nh6, MC_TMPL_NONCE, 0);
	dpt_add(dpt.mc, 0, "240.3.0.0", 16, &s);
	spec_encap(&s, DPT_ETR4, dpt.nh4, MC_TMPL_LSB, 0x00000005);
	dpt_add(dpt.mc, 0, "2001:db8:b::", 48, &s);
	spec_encap(&s, DPT_ETR6, dpt.nh6, MC_TMPL_NONCE | MC_TMPL_IID, 0);
	dpt_add(dpt.mc, 0, "2001:db8:c::", 48, &s);
	// IID 7: I is set without MC_TMPL_IID.
	spec_encap(&s, DPT_ETR4, dpt.nh4, 0, 0);
	dpt_add(dpt.mc, 7, "240.2.0.0", 16, &s);
	spec_encap(&s, DPT_ETR6, dpt.nh6, MC_TMPL_NONCE | MC_TMPL_LSB, 0x03);
	dpt_add(dpt.mc, 7, "2001:db8:b::", 48, &s);

	// Negative entries, pending ones.
	add_neg(0, "240.10.0.0", 16, MC_ACT_DROP);
	add_neg(0, "240.11.0.0", 16, MC_ACT_DROP_POLICY);
	add_neg(0, "240.12.0.0", 16, MC_ACT_DROP_AUTH);
	add_neg(0, "240.13.0.0", 16, 6);
	add_neg(0, "240.14.0.0", 16, 7);
	add_neg(0, "2001:db8:d::", 48, MC_ACT_DROP);
	add_neg(0, "240.20.0.0", 16, MC_ACT_NATIVE_FWD);
	add_neg(0, "240.21.0.0", 16, MC_ACT_NO_ACTION);
	add_neg(0, "240.30.0.0", 16, MC_ACT_PENDING);
	add_neg(0, "240.31.0.0", 16, MC_ACT_SEND_MAP_REQUEST);
	add_neg(0, "2001:db8:e::", 48, MC_ACT_PENDING);
	add_neg(7, "240.30.0.0", 16, MC_ACT_PENDING);
	add_neg(0, "240.32.0.0", 16, MC_ACT_PENDING); // test_itr_miss_then_release's
	// Positive entries without a usable locator.
	spec_encap(&s, DPT_ETR4, dpt.nh4, 0, 0);
	s.loc[0].usable = false;
	dpt_add(dpt.mc, 0, "240.40.0.0", 16, &s);
	spec_encap(&s, DPT_ETR4, dpt.nh4, 0, 0);
	s.n_locators = 0;
	dpt_add(dpt.mc, 0, "240.41.0.0", 16, &s);
	spec_encap(&s, DPT_ETR4, dpt.nh4, 0, 0);
	s.loc[0].priority = 255;
	dpt_add(dpt.mc, 0, "240.42.0.0", 16, &s);
	// A locator whose next hop has no MAC yet.
	spec_encap(&s, DPT_ETR4_UNRESOLVED, dpt.nh4_unresolved, 0, 0);
	dpt_add(dpt.mc, 0, "240.50.0.0", 16, &s);
}

// --- Packets ---

// An inner UDP packet from the site to dst: IPv4 (DF set, id 0x4242) or IPv6, n payload bytes.
static size_t
inner_udp(uint8_t *buf, const char *dst, uint8_t ttl, uint8_t tos, uint16_t sport, size_t n)
{
	uint8_t l4[2048];
	size_t l4_len = dpt_build_udp(l4, sport, 7777, n, (uint8_t)sport);

	if (strchr(dst, ':') == NULL)
		return dpt_build_ip4(buf, "10.1.0.1", dst, IPPROTO_UDP, ttl, tos, 0x4242,
				     RTE_IPV4_HDR_DF_FLAG, l4, l4_len);
	return dpt_build_ip6(buf, "2001:db8:a::1", dst, IPPROTO_UDP, ttl, tos, l4, l4_len);
}

static uint16_t
ethertype(const uint8_t *l3)
{
	return (l3[0] >> 4) == 4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6;
}

// A frame from the site host to the EID port's MAC.
static struct rte_mbuf *
site_frame(unsigned port, const uint8_t *l3, size_t len)
{
	return dpt_frame(&dp.ports[port].mac, ethertype(l3), l3, len);
}

// --- Checking an encapsulated frame ---

struct expect {
	int outer_af;
	uint8_t lisp[8]; // bytes 1-3 (nonce) are not compared when N is set
};

struct encap_out {
	uint16_t sport;
	uint32_t nonce;
};

// Checks frame m, the encapsulation of inner (as the host sent it, len bytes), and returns the
// per-packet fields.
static struct encap_out
check_encap(const struct rte_mbuf *m, const struct expect *x, const uint8_t *inner, size_t len)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	const bool o4 = x->outer_af == AF_INET;
	const size_t ol = o4 ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr);
	const uint8_t *o = f + ETH_LEN, *udpb = o + ol, *lisp = udpb + 8, *in = lisp + 8;
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)udpb;
	const bool in4 = (inner[0] >> 4) == 4;
	const uint8_t tos = in4 ? inner[1] : (uint8_t)((inner[0] << 4) | (inner[1] >> 4));
	const uint8_t ttl = (uint8_t)((in4 ? inner[8] : inner[7]) - 1);
	struct encap_out out;

	assert_int_equal(m->nb_segs, 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + ol + 16 + len);
	// Ethernet: to the next hop, from the RLOC port, type by outer family.
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)f;
	assert_memory_equal(&eth->dst_addr, o4 ? &dpt.nh4_mac : &dpt.nh6_mac, 6);
	assert_memory_equal(&eth->src_addr, &dp.ports[dpt.rloc].mac, 6);
	assert_int_equal(rte_be_to_cpu_16(eth->ether_type),
			 o4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	// Outer IP.
	if (o4) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)o;
		assert_int_equal(ip->version_ihl, 0x45);
		assert_int_equal(ip->type_of_service, tos);
		assert_int_equal(rte_be_to_cpu_16(ip->total_length), 36 + len);
		assert_int_equal(rte_be_to_cpu_16(ip->fragment_offset), RTE_IPV4_HDR_DF_FLAG);
		assert_int_equal(ip->time_to_live, ttl);
		assert_int_equal(ip->next_proto_id, IPPROTO_UDP);
		assert_true(dpt_ip4_cksum_ok(ip));
		assert_int_equal(ip->src_addr, dpt_ip4(DPT_ITR4));
		assert_int_equal(ip->dst_addr, dpt_ip4(DPT_ETR4));
	} else {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)o;
		uint8_t a[16];
		uint32_t vtc = rte_be_to_cpu_32(ip6->vtc_flow);
		assert_int_equal(vtc >> 28, 6);
		assert_int_equal((vtc >> 20) & 0xff, tos);
		assert_int_equal(rte_be_to_cpu_16(ip6->payload_len), 16 + len);
		assert_int_equal(ip6->proto, IPPROTO_UDP);
		assert_int_equal(ip6->hop_limits, ttl);
		dpt_ip6(DPT_ITR6, a);
		assert_memory_equal(ip6->src_addr, a, 16);
		dpt_ip6(DPT_ETR6, a);
		assert_memory_equal(ip6->dst_addr, a, 16);
	}
	// UDP.
	out.sport = rte_be_to_cpu_16(udp->src_port);
	assert_true(out.sport >= 0xc000);
	assert_int_equal(rte_be_to_cpu_16(udp->dst_port), 4341);
	assert_int_equal(rte_be_to_cpu_16(udp->dgram_len), 16 + len);
	if (o4) {
		assert_int_equal(udp->dgram_cksum, 0);
	} else {
		assert_int_not_equal(udp->dgram_cksum, 0);
		assert_int_equal(
			rte_ipv6_udptcp_cksum_verify((const struct rte_ipv6_hdr *)o, udp), 0);
	}
	// LISP.
	assert_int_equal(lisp[0], x->lisp[0]);
	assert_memory_equal(lisp + 4, x->lisp + 4, 4);
	out.nonce = lisp_nonce(lisp);
	if (!(lisp[0] & LISP_N))
		assert_int_equal(out.nonce, 0);
	// The inner packet: only the TTL moved (and the IPv4 checksum with it).
	if (in4) {
		assert_memory_equal(in, inner, 8);
		assert_int_equal(in[8], ttl);
		assert_int_equal(in[9], inner[9]);
		assert_true(dpt_ip4_cksum_ok(in));
		assert_memory_equal(in + 12, inner + 12, len - 12);
	} else {
		assert_memory_equal(in, inner, 7);
		assert_int_equal(in[7], ttl);
		assert_memory_equal(in + 8, inner + 8, len - 8);
	}
	return out;
}

// --- 1. The four inner/outer combinations ---

struct combo {
	const char *name;
	bool eid7; // sent on the IID 7 port
	const char *dst;
	struct expect x;
};

static const struct combo combos[] = {
	{"4-in-4 N L I, IID 0", false, "240.2.0.1", {AF_INET, {0xc8, 0, 0, 0, 0, 0, 0, 0x01}}},
	{"4-in-6 N", false, "240.3.0.1", {AF_INET6, {0x80, 0, 0, 0, 0, 0, 0, 0}}},
	{"6-in-4 L, 32-bit LSBs", false, "2001:db8:b::1", {AF_INET, {0x40, 0, 0, 0, 0, 0, 0, 5}}},
	{"6-in-6 N I, IID 0", false, "2001:db8:c::1", {AF_INET6, {0x88, 0, 0, 0, 0, 0, 0, 0}}},
	{"4-in-4 I, IID 7", true, "240.2.0.1", {AF_INET, {0x08, 0, 0, 0, 0, 0, 7, 0}}},
	{"6-in-6 N L I, IID 7", true, "2001:db8:b::1", {AF_INET6, {0xc8, 0, 0, 0, 0, 0, 7, 3}}},
};

static unsigned
combo_port(const struct combo *c)
{
	return c->eid7 ? dpt.eid7 : dpt.eid0;
}

// Sends inner to the EID port (classification, then the ITR); returns the encapsulated frame.
static struct rte_mbuf *
send_ok(unsigned port, const uint8_t *inner, size_t len, int outer_af)
{
	dpt_wc.acc = (struct dp_acc){0};
	dpt_rx(port, site_frame(port, inner, len));
	dpt_assert_acc(-1, outer_af == AF_INET ? DP_STAT_ENCAP4 : DP_STAT_ENCAP6);
	assert_int_equal(dpt_wc.n_punt, 0);
	return dpt_take_tx(dpt.rloc);
}

static void
test_encap_combos(void **state)
{
	uint8_t inner[512];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(combos); i++) {
		const struct combo *c = &combos[i];
		print_message("%s\n", c->name);
		// TTL 64, and the smallest that still goes: 2 (outer and inner 1).
		const uint8_t ttls[] = {64, 2};
		for (unsigned t = 0; t < RTE_DIM(ttls); t++) {
			size_t len = inner_udp(inner, c->dst, ttls[t], TOS, 1000, 100 + i);
			struct rte_mbuf *m = send_ok(combo_port(c), inner, len, c->x.outer_af);
			check_encap(m, &c->x, inner, len);
			rte_pktmbuf_free(m);
		}
	}
}

// Ethernet padding after a short inner packet is not encapsulated.
static void
test_encap_padding(void **state)
{
	uint8_t inner[128];
	size_t len = inner_udp(inner, "240.2.0.1", 64, 0, 1000, 4);
	uint8_t padded[46] = {0};
	struct rte_mbuf *m;

	(void)state;
	assert_true(len < sizeof(padded));
	memcpy(padded, inner, len);
	dpt_rx(dpt.eid0, site_frame(dpt.eid0, padded, sizeof(padded)));
	m = dpt_take_tx(dpt.rloc);
	check_encap(m, &combos[0].x, inner, len);
	rte_pktmbuf_free(m);
}

// Same flow, same UDP source port; flows spread over the port range; nonces vary.
static void
test_encap_flows(void **state)
{
	uint8_t inner[256];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(combos); i++) {
		const struct combo *c = &combos[i];
		const bool n_bit = c->x.lisp[0] & LISP_N;
		uint32_t nonces[8];
		uint16_t sport0 = 0, sports[64];
		unsigned distinct = 0;

		print_message("%s\n", c->name);
		// One flow, eight packets (payload differs: not part of the flow).
		for (unsigned k = 0; k < RTE_DIM(nonces); k++) {
			size_t len = inner_udp(inner, c->dst, 64, TOS, 4242, 20 + k);
			struct rte_mbuf *m = send_ok(combo_port(c), inner, len, c->x.outer_af);
			struct encap_out o = check_encap(m, &c->x, inner, len);
			rte_pktmbuf_free(m);
			if (k == 0)
				sport0 = o.sport;
			assert_int_equal(o.sport, sport0);
			nonces[k] = o.nonce;
		}
		// Random 24-bit nonces: eight in a row all differ (or all 0 without N).
		for (unsigned a = 0; a < RTE_DIM(nonces); a++)
			for (unsigned b = a + 1; b < RTE_DIM(nonces); b++)
				if (n_bit)
					assert_int_not_equal(nonces[a], nonces[b]);
				else
					assert_int_equal(nonces[a], 0);
		// 64 flows (UDP source ports): the outer source ports spread.
		for (unsigned k = 0; k < RTE_DIM(sports); k++) {
			uint16_t flow = (uint16_t)(5000 + k * 13);
			size_t len = inner_udp(inner, c->dst, 64, TOS, flow, 20);
			struct rte_mbuf *m = send_ok(combo_port(c), inner, len, c->x.outer_af);
			sports[k] = check_encap(m, &c->x, inner, len).sport;
			rte_pktmbuf_free(m);
			bool seen = false;
			for (unsigned j = 0; j < k; j++)
				seen |= sports[j] == sports[k];
			distinct += !seen;
		}
		print_message("  %u distinct source ports for 64 flows\n", distinct);
		assert_true(distinct >= 48);
	}
}

// --- 2. Golden vector (a) ---

static void
test_encap_vector_a(void **state)
{
	// The host's packet: ICMP echo request 10.1.0.1 -> 240.2.0.1, id 0x1234, seq 1, "LISP",
	// TTL 64 (the vector's inner packet before the ITR's decrement).
	static const uint8_t icmp[] = {
		0x08, 0x00, 0x46, 0x31, 0x12, 0x34, 0x00, 0x01, 'L', 'I', 'S', 'P',
	};
	uint8_t inner[32], out[DPT_VEC_A_LEN];
	size_t len = dpt_build_ip4(inner, "10.1.0.1", "240.2.0.1", IPPROTO_ICMP, 64, 0, 1, 0, icmp,
				   sizeof(icmp));
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(len, 32);
	assert_int_equal(inner[10] << 8 | inner[11], 0x80d7); // 0x81d7 at TTL 63
	assert_memory_equal(inner + 12, dpt_vec_a + DPT_VEC_A_INNER + 12, 20);

	m = send_ok(dpt.eid0, inner, len, AF_INET);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + DPT_VEC_A_LEN);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	assert_memory_equal(&eth->dst_addr, &dpt.nh4_mac, 6);
	assert_memory_equal(&eth->src_addr, &dp.ports[dpt.rloc].mac, 6);
	assert_int_equal(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	memcpy(out, eth + 1, sizeof(out));
	rte_pktmbuf_free(m);
	// The per-packet fields the vector fixes: the source port (a flow hash here) and the nonce.
	assert_true((out[20] << 8 | out[21]) >= 0xc000);
	out[20] = 54321 >> 8;
	out[21] = 54321 & 0xff;
	out[29] = 0x12;
	out[30] = 0x34;
	out[31] = 0x56;
	assert_memory_equal(out, dpt_vec_a, DPT_VEC_A_LEN);
}

// --- 3. Drops and punts ---

// dp_itr_burst directly: the worker's classification already drops what is malformed before
// the ITR sees it, the ITR checks again.
static void
itr_expect_drop(unsigned port, const uint8_t *l3, size_t len, uint16_t type, enum dp_drop d)
{
	dpt_itr(port, dpt_frame(&dp.ports[port].mac, type, l3, len));
	dpt_assert_dropped(d);
	dpt_wc_reset();
}

static void
fix_ck4(uint8_t *ip)
{
	struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;

	h->hdr_checksum = 0;
	h->hdr_checksum = (uint16_t)~rte_raw_cksum(h, (h->version_ihl & 0xf) * 4u);
}

static void
test_itr_inner_malformed(void **state)
{
	uint8_t good[256], p[256];
	size_t len = inner_udp(good, "240.2.0.1", 64, 0, 1000, 60);

	(void)state;
	// IPv4: bad version (checksum right).
	memcpy(p, good, len);
	p[0] = 0x55;
	fix_ck4(p);
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);
	// Bad header checksum.
	memcpy(p, good, len);
	p[11] ^= 0x01;
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);
	// Total length past the frame.
	memcpy(p, good, len);
	((struct rte_ipv4_hdr *)p)->total_length = rte_cpu_to_be_16((uint16_t)(len + 1));
	fix_ck4(p);
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);
	// Total length shorter than the header.
	memcpy(p, good, len);
	((struct rte_ipv4_hdr *)p)->total_length = rte_cpu_to_be_16(19);
	fix_ck4(p);
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);
	// Header length 16 (IHL 4).
	memcpy(p, good, len);
	p[0] = 0x44;
	fix_ck4(p);
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);
	// Header length past the frame (IHL 15, 60 bytes, in a 40-byte frame).
	memcpy(p, good, 40);
	p[0] = 0x4f;
	itr_expect_drop(dpt.eid0, p, 40, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);
	// Shorter than an IPv4 header.
	itr_expect_drop(dpt.eid0, good, 19, RTE_ETHER_TYPE_IPV4, DP_DROP_INNER_MALFORMED);

	// IPv6: version 4 behind the IPv6 ethertype, payload length past the frame, too short.
	len = inner_udp(good, "2001:db8:c::1", 64, 0, 1000, 60);
	memcpy(p, good, len);
	p[0] = (uint8_t)(0x40 | (p[0] & 0x0f));
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV6, DP_DROP_INNER_MALFORMED);
	memcpy(p, good, len);
	((struct rte_ipv6_hdr *)p)->payload_len = rte_cpu_to_be_16((uint16_t)(len - 40 + 1));
	itr_expect_drop(dpt.eid0, p, len, RTE_ETHER_TYPE_IPV6, DP_DROP_INNER_MALFORMED);
	itr_expect_drop(dpt.eid0, good, 39, RTE_ETHER_TYPE_IPV6, DP_DROP_INNER_MALFORMED);
}

// TTL 1 (or 0): no encapsulation, control is asked for an ICMP time exceeded about the frame
// as received.
static void
test_itr_ttl_exceeded(void **state)
{
	static const char *const dsts[] = {"240.2.0.1", "2001:db8:c::1", "240.99.0.1"};
	uint8_t inner[256];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(dsts); i++) {
		for (uint8_t ttl = 0; ttl <= 1; ttl++) {
			size_t len = inner_udp(inner, dsts[i], ttl, TOS, 1000, 30);
			struct rte_mbuf *m = site_frame(dpt.eid0, inner, len);
			dpt_rx(dpt.eid0, m);
			const struct dp_punt *pk = dpt_assert_punted(
				DP_PUNT_ICMP_ERROR, dpt.eid0, DP_ICMP_TIME_EXCEEDED << 16);
			dpt_assert_acc(DP_DROP_TTL_EXCEEDED, -1);
			assert_ptr_equal(pk->m, m);
			assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + len);
			assert_memory_equal(rte_pktmbuf_mtod_offset(m, uint8_t *, ETH_LEN), inner,
					    len);
			dpt_wc_reset();
		}
	}
}

// Over the ICMP rate: the TTL-exceeded packet is dropped without asking control.
static void
test_itr_icmp_rate_limited(void **state)
{
	uint8_t inner[128];
	size_t len = inner_udp(inner, "240.2.0.1", 1, 0, 1000, 10);

	(void)state;
	dpt_wc.icmp_bucket = (struct dp_bucket){.rate = 1, .last_tsc = rte_rdtsc()};
	dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
	dpt_assert_acc(DP_DROP_TTL_EXCEEDED, DP_STAT_ICMP_RATE_LIMITED);
	assert_int_equal(dpt_n_tx(), 0);
	assert_int_equal(dpt_wc.n_punt, 0);
}

// DF set (or IPv6) and larger than path MTU - outer headers: ICMP too big with that MTU; one
// byte less goes through.
static void
too_big(const char *dst, uint16_t conf_mtu, uint16_t path_mtu, unsigned hdr, int outer_af)
{
	uint8_t inner[2048];
	const unsigned max_inner = path_mtu - hdr;
	const bool in4 = strchr(dst, ':') == NULL;
	const size_t udp_over = in4 ? 28 : 48;
	size_t len;
	struct rte_mbuf *m;

	dpt_wc_reset();
	dp.lisp.path_mtu = conf_mtu;
	len = inner_udp(inner, dst, 64, TOS, 1000, max_inner + 1 - udp_over);
	assert_int_equal(len, max_inner + 1);
	dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
	dpt_assert_punted(DP_PUNT_ICMP_ERROR, dpt.eid0, DP_ICMP_TOO_BIG << 16 | max_inner);
	dpt_assert_acc(DP_DROP_TOO_BIG, -1);
	dpt_wc_reset();

	len = inner_udp(inner, dst, 64, TOS, 1000, max_inner - udp_over);
	m = send_ok(dpt.eid0, inner, len, outer_af);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + path_mtu);
	rte_pktmbuf_free(m);
}

static void
test_itr_too_big(void **state)
{
	(void)state;
	too_big("240.2.0.1", 1500, 1500, 36, AF_INET);
	too_big("240.2.0.1", 1400, 1400, 36, AF_INET);
	too_big("240.3.0.1", 1500, 1500, 56, AF_INET6);
	too_big("2001:db8:b::1", 1500, 1500, 36, AF_INET);
	too_big("2001:db8:c::1", 1280 + 56, 1280 + 56, 56, AF_INET6);
	// The port's MTU (1500) caps the configured path MTU.
	too_big("240.2.0.1", 9000, 1500, 36, AF_INET);
}

// DF clear and too big: the inner packet is fragmented to fit, each fragment encapsulated.
static void
test_itr_fragmented(void **state)
{
	uint8_t l4[2048], inner[2048];
	const uint16_t path_mtu = 576;
	const unsigned max_inner = path_mtu - 36, frag_payload = (max_inner - 20) & ~7u;
	size_t l4_len = dpt_build_udp(l4, 1000, 2000, 1372, 9);
	size_t len = dpt_build_ip4(inner, "10.1.0.1", "240.2.0.1", IPPROTO_UDP, 64, TOS, 0x4242, 0,
				   l4, l4_len);
	const unsigned n_frags = (unsigned)((l4_len + frag_payload - 1) / frag_payload);
	uint8_t joined[2048];
	size_t joined_len = 0;
	uint16_t sport = 0;

	(void)state;
	assert_int_equal(len, 1400);
	assert_int_equal(n_frags, 3);
	dp.lisp.path_mtu = path_mtu;
	dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
	assert_int_equal(dpt_wc.n_punt, 0);
	assert_int_equal(dpt_n_tx(), n_frags);
	assert_int_equal(dpt_wc.tx[dpt.rloc].n, n_frags);
	for (int i = 0; i < DP_DROP_MAX; i++)
		assert_int_equal(dpt_wc.acc.drops[i], 0);
	assert_int_equal(dpt_wc.acc.stats[DP_STAT_FRAGMENTED], 1);
	assert_int_equal(dpt_wc.acc.stats[DP_STAT_ENCAP4], n_frags);

	for (unsigned i = 0; i < n_frags; i++) {
		const struct rte_mbuf *m = dpt_wc.tx[dpt.rloc].pkts[i];
		const uint8_t *in = rte_pktmbuf_mtod_offset(m, const uint8_t *, ETH_LEN + 36);
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)in;
		const bool last = i == n_frags - 1;
		const size_t flen = last ? l4_len - i * frag_payload : frag_payload;
		uint8_t expect[64];

		const uint16_t frag = (uint16_t)((last ? 0 : RTE_IPV4_HDR_MF_FLAG) |
						 (i * frag_payload / 8));

		// The fragment as the host would have sent it (check_encap: then TTL - 1).
		dpt_build_ip4(expect, "10.1.0.1", "240.2.0.1", IPPROTO_UDP, 64, TOS, 0x4242, frag,
			      NULL, 0);
		((struct rte_ipv4_hdr *)expect)->total_length =
			rte_cpu_to_be_16((uint16_t)(20 + flen));
		fix_ck4(expect);
		uint8_t whole[2048];
		memcpy(whole, expect, 20);
		memcpy(whole + 20, l4 + i * frag_payload, flen);
		print_message("fragment %u: %zu bytes, offset %u%s\n", i, 20 + flen,
			      i * frag_payload, last ? "" : ", MF");
		assert_true(ETH_LEN + 36 + 20 + flen <= ETH_LEN + path_mtu);
		struct encap_out o = check_encap(m, &combos[0].x, whole, 20 + flen);
		assert_int_equal(rte_be_to_cpu_16(ip->fragment_offset), frag);
		assert_true(dpt_ip4_cksum_ok(ip));
		if (i == 0)
			sport = o.sport;
		assert_int_equal(o.sport, sport);
		memcpy(joined + joined_len, in + 20, flen);
		joined_len += flen;
	}
	assert_int_equal(joined_len, l4_len);
	assert_memory_equal(joined, l4, l4_len);
}

// No mbuf for the fragments: the packet is dropped.
static void
test_itr_fragment_failed(void **state)
{
	uint8_t inner[2048];
	size_t len = inner_udp(inner, "240.2.0.1", 64, TOS, 1000, 1000);
	struct rte_mbuf *m, *all[4096];
	unsigned n = 0;

	(void)state;
	inner[6] = 0; // DF clear
	fix_ck4(inner);
	m = site_frame(dpt.eid0, inner, len);
	while (n < RTE_DIM(all) && (all[n] = rte_pktmbuf_alloc(dp.pool)) != NULL)
		n++;
	assert_true(n < RTE_DIM(all));
	dp.lisp.path_mtu = 576;
	dpt_rx(dpt.eid0, m);
	rte_pktmbuf_free_bulk(all, n);
	dpt_assert_dropped(DP_DROP_FRAGMENT_FAILED);
}

static void
itr_expect_rx_drop(unsigned port, const char *dst, enum dp_drop d)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, dst, 64, TOS, 1000, 30);

	dpt_rx(port, site_frame(port, inner, len));
	dpt_assert_dropped(d);
	dpt_wc_reset();
}

// Drop actions: dropped, and control asked for an ICMP unreachable (ACT 3, and the unassigned
// 6 and 7, which the map-cache installs as 3) or administratively prohibited (4, 5).
static void
itr_expect_negative(const char *dst, unsigned icmp)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, dst, 64, TOS, 1000, 30);

	dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
	dpt_assert_punted(DP_PUNT_ICMP_ERROR, dpt.eid0, icmp << 16);
	dpt_assert_acc(DP_DROP_NEGATIVE, -1);
	dpt_wc_reset();
}

static void
test_itr_negative(void **state)
{
	(void)state;
	itr_expect_negative("240.10.0.1", DP_ICMP_UNREACHABLE);
	itr_expect_negative("240.11.0.1", DP_ICMP_PROHIBITED);
	itr_expect_negative("240.12.0.1", DP_ICMP_PROHIBITED);
	itr_expect_negative("240.13.0.1", DP_ICMP_UNREACHABLE); // 6 and 7 are installed as drop
	itr_expect_negative("240.14.0.1", DP_ICMP_UNREACHABLE);
	itr_expect_negative("2001:db8:d::1", DP_ICMP_UNREACHABLE);
}

// Native forwarding: without an underlay default route, dropped; with one, sent out of the
// route's port unencapsulated (TTL decremented).
static void
test_itr_native_forward(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.20.0.1", 64, TOS, 1000, 30);
	struct rte_mbuf *m;

	(void)state;
	itr_expect_rx_drop(dpt.eid0, "240.20.0.1", DP_DROP_NATIVE_FORWARD);
	itr_expect_rx_drop(dpt.eid0, "240.21.0.1", DP_DROP_NATIVE_FORWARD);

	dp.lisp.native_nh4 = (uint32_t)dpt.nh4;
	dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
	dpt_assert_acc(-1, DP_STAT_NATIVE);
	m = dpt_take_tx(dpt.rloc);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const uint8_t *ip = (const uint8_t *)(eth + 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + len);
	assert_memory_equal(&eth->dst_addr, &dpt.nh4_mac, 6);
	assert_memory_equal(&eth->src_addr, &dp.ports[dpt.rloc].mac, 6);
	assert_int_equal(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	assert_memory_equal(ip, inner, 8);
	assert_int_equal(ip[8], 63);
	assert_true(dpt_ip4_cksum_ok(ip));
	assert_memory_equal(ip + 12, inner + 12, len - 12);
	rte_pktmbuf_free(m);
}

static void
test_itr_no_locator(void **state)
{
	(void)state;
	itr_expect_rx_drop(dpt.eid0, "240.40.0.1", DP_DROP_NO_LOCATOR); // locator unusable
	itr_expect_rx_drop(dpt.eid0, "240.41.0.1", DP_DROP_NO_LOCATOR); // no locator
	itr_expect_rx_drop(dpt.eid0, "240.42.0.1", DP_DROP_NO_LOCATOR); // priority 255
}

// No entry (miss) or one being resolved (pending): the frame goes to control, which holds it
// and re-injects it once the mapping arrives. It goes back as it came: re-injected, it goes
// through the ITR again (one TTL decrement in all).
static void
itr_expect_miss(unsigned port, const char *dst, uint32_t iid, enum dp_stat stat)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, dst, 64, TOS, 1000, 30);
	struct rte_mbuf *m = site_frame(port, inner, len);
	const struct dp_punt *pk;

	dpt_rx(port, m);
	pk = dpt_assert_punted(DP_PUNT_MISS, (uint16_t)port, iid);
	dpt_assert_acc(-1, stat);
	assert_ptr_equal(pk->m, m);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ETH_LEN + len);
	assert_memory_equal(rte_pktmbuf_mtod_offset(m, uint8_t *, ETH_LEN), inner, len);
	dpt_wc_reset();
}

static void
test_itr_miss(void **state)
{
	(void)state;
	itr_expect_miss(dpt.eid0, "240.99.0.1", 0, DP_STAT_MISS);
	itr_expect_miss(dpt.eid7, "240.99.0.1", 7, DP_STAT_MISS);
	itr_expect_miss(dpt.eid7, "240.3.0.1", 7, DP_STAT_MISS); // IID 0's prefix, not 7's
	itr_expect_miss(dpt.eid0, "2001:db8:99::1", 0, DP_STAT_MISS);
	itr_expect_miss(dpt.eid7, "2001:db8:c::1", 7, DP_STAT_MISS);
}

static void
test_itr_pending(void **state)
{
	(void)state;
	itr_expect_miss(dpt.eid0, "240.30.0.1", 0, DP_STAT_PENDING);
	itr_expect_miss(dpt.eid0, "240.31.0.1", 0, DP_STAT_PENDING); // send-map-request
	itr_expect_miss(dpt.eid0, "2001:db8:e::1", 0, DP_STAT_PENDING);
	itr_expect_miss(dpt.eid7, "240.30.0.1", 7, DP_STAT_PENDING);
}

// A released packet (re-injected by control after a miss) is forwarded with one TTL decrement.
static void
test_itr_miss_then_release(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.32.0.1", 64, TOS, 1000, 30);
	struct rte_mbuf *held = site_frame(dpt.eid0, inner, len), *m;
	struct mc_entry_spec s;

	(void)state;
	dpt_rx(dpt.eid0, held);
	dpt_assert_punted(DP_PUNT_MISS, dpt.eid0, 0);
	// Control holds the frame; the mapping arrives; control re-injects the frame, which the
	// worker processes as if just received.
	dpt_wc.n_punt = 0;
	dpt_wc.acc = (struct dp_acc){0};
	spec_encap(&s, DPT_ETR4, dpt.nh4, MC_TMPL_NONCE | MC_TMPL_LSB | MC_TMPL_IID, 0x01);
	dpt_add(dpt.mc, 0, "240.32.0.0", 16, &s);
	dpt_rx(dpt.eid0, held);
	dpt_assert_acc(-1, DP_STAT_ENCAP4);
	m = dpt_take_tx(dpt.rloc);
	check_encap(m, &combos[0].x, inner, len); // TTL 63 outside and inside
	rte_pktmbuf_free(m);
}

// Over the miss rate: dropped, control not told.
static void
test_itr_miss_rate_limited(void **state)
{
	static const char *const dsts[] = {"240.99.0.1", "240.30.0.1", "2001:db8:99::1"};
	uint8_t inner[256];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(dsts); i++) {
		size_t len = inner_udp(inner, dsts[i], 64, TOS, 1000, 30);
		dpt_wc.miss_bucket = (struct dp_bucket){.rate = 1, .last_tsc = rte_rdtsc()};
		dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
		dpt_assert_dropped(DP_DROP_MISS_RATE_LIMITED);
		dpt_wc_reset();
	}
}

// The rate limiters refill while packets keep coming, however close together.
static void
test_bucket_refill(void **state)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t unit = hz / (1000 * DP_BUCKET_SCALE); // cycles per scaled token at 1000/s
	struct dp_bucket b = {.rate = 1000, .last_tsc = rte_rdtsc()};
	uint64_t start;
	unsigned taken = 0;

	(void)state;
	// Calls half a scaled token apart (last_tsc moved back by that much before each): 2 x 1024
	// calls stand for one token's worth of time; 5 tokens' worth, plus the real time the loop
	// takes (well under 2 ms: 2 tokens).
	for (unsigned i = 0; i < 5 * 2 * DP_BUCKET_SCALE; i++) {
		b.last_tsc -= unit / 2;
		taken += dp_bucket_take(&b);
	}
	print_message("%u tokens for 5 tokens' worth of calls half a scaled token apart\n", taken);
	assert_true(taken >= 4 && taken <= 7);
	// In real time: 100 ms at 100 per second, 10 tokens.
	b = (struct dp_bucket){.rate = 100, .last_tsc = rte_rdtsc()};
	start = rte_rdtsc();
	taken = 0;
	while (rte_rdtsc() - start < hz / 10)
		taken += dp_bucket_take(&b);
	print_message("%u tokens in 100 ms at 100/s\n", taken);
	assert_true(taken >= 8 && taken <= 11);
	// A full bucket holds one second's worth, not more.
	b = (struct dp_bucket){.rate = 100, .tokens = 0, .last_tsc = rte_rdtsc() - 10 * hz};
	taken = 0;
	for (unsigned i = 0; i < 1000; i++)
		taken += dp_bucket_take(&b);
	assert_true(taken >= 100 && taken <= 101);
	// Rate 0: unlimited.
	b = (struct dp_bucket){0};
	for (unsigned i = 0; i < 1000; i++)
		assert_true(dp_bucket_take(&b));
}

// The locator's next hop has no MAC yet: the encapsulated frame goes to control.
static void
test_itr_nh_unresolved(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.50.0.1", 64, TOS, 1000, 30);
	const struct dp_punt *pk;

	(void)state;
	dpt_rx(dpt.eid0, site_frame(dpt.eid0, inner, len));
	pk = dpt_assert_punted(DP_PUNT_RESOLVE, dpt.rloc, (uint32_t)dpt.nh4_unresolved);
	for (int i = 0; i < DP_STAT_MAX; i++)
		assert_int_equal(dpt_wc.acc.stats[i],
				 i == DP_STAT_ENCAP4 || i == DP_STAT_NH_UNRESOLVED ? 1 : 0);
	for (int i = 0; i < DP_DROP_MAX; i++)
		assert_int_equal(dpt_wc.acc.drops[i], 0);
	const uint8_t *o = rte_pktmbuf_mtod_offset(pk->m, const uint8_t *, ETH_LEN);
	assert_int_equal(rte_pktmbuf_pkt_len(pk->m), ETH_LEN + 36 + len);
	assert_int_equal(((const struct rte_ipv4_hdr *)o)->dst_addr, dpt_ip4(DPT_ETR4_UNRESOLVED));
	assert_memory_equal(o + 36 + 12, inner + 12, len - 12);
}

// No room in front of the packet for the outer headers.
static void
test_itr_no_headroom(void **state)
{
	uint8_t inner[256];
	size_t len = inner_udp(inner, "240.2.0.1", 64, TOS, 1000, 30);
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);

	(void)state;
	assert_non_null(m);
	m->data_off = 16; // less than the 36 bytes of an IPv4 template
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, ETH_LEN + len);
	assert_non_null(eth);
	rte_ether_addr_copy(&dp.ports[dpt.eid0].mac, &eth->dst_addr);
	rte_ether_addr_copy(&dpt.host_mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memcpy(eth + 1, inner, len);
	dpt_rx(dpt.eid0, m);
	dpt_assert_dropped(DP_DROP_NO_HEADROOM);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dpt_test_setup, dpt_test_teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_encap_combos),
		T(test_encap_padding),
		T(test_encap_flows),
		T(test_encap_vector_a),
		T(test_itr_inner_malformed),
		T(test_itr_ttl_exceeded),
		T(test_itr_icmp_rate_limited),
		T(test_itr_too_big),
		T(test_itr_fragmented),
		T(test_itr_fragment_failed),
		T(test_itr_negative),
		T(test_itr_native_forward),
		T(test_itr_no_locator),
		T(test_itr_miss),
		T(test_itr_pending),
		T(test_itr_miss_then_release),
		T(test_itr_miss_rate_limited),
		T(test_bucket_refill),
		T(test_itr_nh_unresolved),
		T(test_itr_no_headroom),
	};
	int ret;

	(void)argc;
	if (dpt_eal_init("encap_test", argv[0]) < 0)
		return 1;
	dpt.setup = encap_setup;
	ret = cmocka_run_group_tests(tests, dpt_group_setup, dpt_group_teardown);
	dpt_eal_fini();
	return ret;
}
