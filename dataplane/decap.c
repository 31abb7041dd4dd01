// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// ETR: LISP data packets (UDP 4341 to one of our RLOCs) checked in the order of
// lisp-protocol.md §1.5, stripped, and delivered to a host on the EID port of their instance.
// Every failed check is a named drop counter.

#include <string.h>

#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_priv.h"
#include "lisp_hdr.h"

#define ECN_MASK 0x03
#define ECN_CE 0x03

static inline enum dp_verdict
drop(struct dp_wctx *wc, enum dp_drop reason)
{
	dp_acc_drop(&wc->acc, reason, 1);
	return DP_DROP;
}

// The EID port of an instance.
static int
eid_port(uint32_t iid)
{
	for (unsigned p = 0; p < dp.n_ports; p++)
		if (dp.ports[p].role == DP_ROLE_EID && dp.ports[p].iid == iid)
			return p;
	return -1;
}

// True when dst lies in a local EID-prefix of the port's instance.
static bool
local_eid(const struct dp_port *p, int af, const uint8_t *dst)
{
	const struct mc_entry *e = NULL;

	if (af == AF_INET) {
		uint32_t d;
		memcpy(&d, dst, 4);
		mc_lookup_bulk4(p->db4, &d, &e, 1);
	} else {
		mc_lookup_bulk6(p->db6, (const uint8_t(*)[16])dst, &e, 1);
	}
	return e != NULL;
}

// TTL and traffic class on the way out (§1.5 step 9). Returns false when the packet must go.
static __rte_always_inline bool
inner4_out(struct dp_wctx *wc, struct rte_ipv4_hdr *ip, uint8_t outer_ttl, uint8_t outer_tos)
{
	uint8_t ttl = RTE_MIN(ip->time_to_live, outer_ttl);
	uint8_t ecn = ip->type_of_service & ECN_MASK;

	if (ttl <= 1) {
		dp_acc_drop(&wc->acc, DP_DROP_TTL_EXCEEDED, 1);
		return false;
	}
	if ((outer_tos & ECN_MASK) == ECN_CE) {
		if (ecn == 0) {
			dp_acc_drop(&wc->acc, DP_DROP_ECN_NOT_ECT, 1);
			return false;
		}
		ecn = ECN_CE;
	}
	// The checksum was verified: update it for the two words that change (RFC 1624, eqn. 3),
	// which gives what a full recomputation gives.
	uint16_t w0 = (uint16_t)(ip->version_ihl << 8 | ip->type_of_service);
	uint16_t w4 = (uint16_t)(ip->time_to_live << 8 | ip->next_proto_id);
	ip->time_to_live = ttl - 1;
	ip->type_of_service = (outer_tos & ~ECN_MASK) | ecn;
	uint32_t s = (uint16_t)~__builtin_bswap16(ip->hdr_checksum) + (uint16_t)~w0 +
		(uint16_t)~w4 + (uint16_t)(ip->version_ihl << 8 | ip->type_of_service) +
		(uint16_t)(ip->time_to_live << 8 | ip->next_proto_id);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	ip->hdr_checksum = __builtin_bswap16((uint16_t)~s);
	return true;
}

static __rte_always_inline bool
inner6_out(struct dp_wctx *wc, struct rte_ipv6_hdr *ip6, uint8_t outer_ttl, uint8_t outer_tos)
{
	uint32_t vtc = rte_be_to_cpu_32(ip6->vtc_flow);
	uint8_t tc = (uint8_t)(vtc >> 20);
	uint8_t ttl = RTE_MIN(ip6->hop_limits, outer_ttl);
	uint8_t ecn = tc & ECN_MASK;

	if (ttl <= 1) {
		dp_acc_drop(&wc->acc, DP_DROP_TTL_EXCEEDED, 1);
		return false;
	}
	if ((outer_tos & ECN_MASK) == ECN_CE) {
		if (ecn == 0) {
			dp_acc_drop(&wc->acc, DP_DROP_ECN_NOT_ECT, 1);
			return false;
		}
		ecn = ECN_CE;
	}
	tc = (outer_tos & ~ECN_MASK) | ecn;
	ip6->vtc_flow = rte_cpu_to_be_32((vtc & 0xf00fffff) | (uint32_t)tc << 20);
	ip6->hop_limits = ttl - 1;
	return true;
}

// Locator-status-bits (lisp-protocol.md §1.7, trusted peers only): bit i is the i-th locator of
// the mapping of the inner source. When they disagree with the usable locators of the entry we
// cache for that source, control is told (rate-limited); it updates the entry, after which they
// agree again.
static void
lsb_check(struct dp_wctx *wc, const struct dp_port *eid, const uint8_t *inner, const uint8_t *lisp)
{
	const struct mc_entry *e = NULL;
	uint32_t lsbs = lisp_lsbs(lisp), mask, expect = 0;

	if ((inner[0] >> 4) == 4) {
		uint32_t src;
		memcpy(&src, inner + 12, 4);
		mc_lookup_bulk4(eid->mc4, &src, &e, 1);
	} else {
		uint8_t src[1][16];
		memcpy(src[0], inner + 8, 16);
		mc_lookup_bulk6(eid->mc6, (const uint8_t(*)[16])src, &e, 1);
	}
	if (e == NULL || e->spec_action != MC_ACT_ENCAP || e->n_locators == 0)
		return;
	mask = (lisp[0] & LISP_I) ? 0xff : 0xffffffff;
	if (e->n_locators < 32)
		mask &= (1u << e->n_locators) - 1;
	for (unsigned i = 0; i < e->n_locators && i < 32; i++)
		expect |= (uint32_t)(e->loc[i].usable != 0) << i;
	if ((lsbs & mask) == (expect & mask) || !dp_bucket_take(&wc->lsb_bucket))
		return;
	dp_acc_stat(&wc->acc, DP_STAT_LSB_CHANGE, 1);
	dp_punt(wc, NULL, DP_PUNT_LSB, (uint16_t)(eid - dp.ports), e->slot);
	wc->punt[wc->n_punt - 1].arg2 = lsbs & mask;
}

// A LISP data packet that passed steps 2-5, on its way to delivery.
struct etr_pkt {
	struct rte_mbuf *m;
	uint8_t *inner; // the inner IP header
	const uint8_t *dst; // the inner destination address, in the packet
	const struct mc_table *db; // the local database table of the instance and inner family
	uint16_t strip; // outer IP, UDP and LISP headers
	uint16_t inner_len;
	uint8_t out; // the EID port of the instance
	uint8_t af; // inner family
	uint8_t outer_ttl, outer_tos;
};

// Steps 2-5 (§1.5): lengths, UDP checksum, flags, instance, inner header. Returns false after
// counting a drop (the caller frees m).
static __rte_always_inline bool
etr_check(struct dp_wctx *wc, struct rte_mbuf *m, const struct dp_l3 *h, struct etr_pkt *ep)
{
	const unsigned l3_len = h->l3_len, l4_len = h->l4_len;
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, RTE_ETHER_HDR_LEN);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(l3 + l3_len);
	const bool outer4 = (l3[0] >> 4) == 4;
	uint8_t *lisp = (uint8_t *)(udp + 1);
	uint8_t *inner = lisp + LISP_HDR_LEN;
	unsigned udp_len, inner_len;
	int out;

	// Lengths (§1.5 step 2): l4_len is what the outer IP header says follows it.
	udp_len = __builtin_bswap16(udp->dgram_len);
	if (l4_len < sizeof(*udp) || udp_len > l4_len || udp_len < sizeof(*udp))
		return drop(wc, DP_DROP_UDP_LENGTH);
	if (udp_len < sizeof(*udp) + LISP_HDR_LEN + sizeof(struct rte_ipv4_hdr))
		return drop(wc, DP_DROP_LISP_SHORT);
	if (udp->dgram_cksum != 0) {
		int bad = outer4 ? rte_ipv4_udptcp_cksum_verify((struct rte_ipv4_hdr *)l3, udp)
				 : rte_ipv6_udptcp_cksum_verify((struct rte_ipv6_hdr *)l3, udp);
		if (bad)
			return drop(wc, DP_DROP_UDP_CHECKSUM);
	}
	// Flags (step 3) and instance (step 4).
	if (lisp[0] & LISP_KK)
		return drop(wc, DP_DROP_LISP_CRYPTO);
	out = eid_port(lisp_iid(lisp));
	if (out < 0)
		return drop(wc, DP_DROP_UNKNOWN_IID);
	// Inner header (step 5).
	inner_len = udp_len - sizeof(*udp) - LISP_HDR_LEN;
	if (outer4) {
		const struct rte_ipv4_hdr *o = (const struct rte_ipv4_hdr *)l3;
		ep->outer_ttl = o->time_to_live;
		ep->outer_tos = o->type_of_service;
	} else {
		const struct rte_ipv6_hdr *o = (const struct rte_ipv6_hdr *)l3;
		ep->outer_ttl = o->hop_limits;
		ep->outer_tos = (uint8_t)(rte_be_to_cpu_32(o->vtc_flow) >> 20);
	}
	const struct dp_port *eid = &dp.ports[out];
	if ((inner[0] >> 4) == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)inner;
		unsigned hlen = (ip->version_ihl & 0xf) * 4;
		unsigned total = __builtin_bswap16(ip->total_length);
		if (hlen < sizeof(*ip) || total < hlen || total > inner_len ||
		    dp_cksum_ip4(ip, hlen) != 0xffff)
			return drop(wc, DP_DROP_DECAP_INNER_MALFORMED);
		ep->inner_len = total;
		ep->af = AF_INET;
		ep->dst = (const uint8_t *)&ip->dst_addr;
		ep->db = eid->db4;
	} else if ((inner[0] >> 4) == 6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)inner;
		unsigned total = sizeof(*ip6) + __builtin_bswap16(ip6->payload_len);
		if (inner_len < sizeof(*ip6) || total > inner_len)
			return drop(wc, DP_DROP_DECAP_INNER_MALFORMED);
		ep->inner_len = total;
		ep->af = AF_INET6;
		ep->dst = ip6->dst_addr;
		ep->db = eid->db6;
	} else {
		return drop(wc, DP_DROP_INNER_VERSION);
	}
	// Step 8: a trusted peer's locator-status-bits.
	if (unlikely(dp.lisp.trusted && (lisp[0] & LISP_L)))
		lsb_check(wc, eid, inner, lisp);
	ep->m = m;
	ep->inner = inner;
	ep->out = (uint8_t)out;
	ep->strip = l3_len + sizeof(*udp) + LISP_HDR_LEN;
	return true;
}

static_assert(offsetof(struct dp_nh_key, af) == 2 && offsetof(struct dp_nh_key, addr) == 4 &&
		      sizeof(struct dp_nh_key) == 20,
	      "next-hop key layout");

// The next hop of an inner destination on the EID port: dp_nh_find() behind a small per-worker
// cache. A cached index is used only when its key is (port, af, dst): next hops are never freed
// and their keys never change, so it is the index dp_nh_find() would return.
static inline int
etr_nh(struct dp_wctx *wc, unsigned port, int af, const uint8_t *dst)
{
	const uint16_t kp = (uint16_t)port, ka = (uint16_t)af;
	uint8_t head[8];
	uint64_t w0, w1 = 0, k0, k1;
	uint32_t a, w2 = 0, k2;
	uint16_t *slot;
	int nh;

	// The key as dp_nh_find() builds it (port, af, address; IPv4 in the first 4 bytes, the rest
	// zero), as three words.
	memcpy(&a, dst, 4);
	memcpy(head, &kp, 2);
	memcpy(head + 2, &ka, 2);
	memcpy(head + 4, &a, 4);
	memcpy(&w0, head, 8);
	if (af == AF_INET) {
		slot = &wc->nh_cache[rte_hash_crc_4byte(a, port) & (DP_NH_CACHE - 1)];
	} else {
		memcpy(&w1, dst + 4, 8);
		memcpy(&w2, dst + 12, 4);
		// From the words already loaded: the address itself may be 2-byte aligned only.
		slot = &wc->nh_cache[rte_hash_crc_4byte(w2, rte_hash_crc_8byte(w1,
				rte_hash_crc_4byte(a, port))) & (DP_NH_CACHE - 1)];
	}
	if (*slot != 0) {
		const uint8_t *k = (const uint8_t *)&dp_nh[*slot - 1].key;
		memcpy(&k0, k, 8);
		memcpy(&k1, k + 8, 8);
		memcpy(&k2, k + 16, 4);
		if (((k0 ^ w0) | (k1 ^ w1) | (k2 ^ w2)) == 0)
			return *slot - 1;
	}
	nh = dp_nh_find(port, af, dst);
	if (nh >= 0)
		*slot = (uint16_t)(nh + 1);
	return nh;
}

// Steps 6 and 9 and the delivery: local tells whether the inner destination lies in a local
// EID-prefix of the instance. DP_DROP (counted; the caller frees) or DP_CONSUMED.
static __rte_always_inline enum dp_verdict
etr_deliver(struct dp_wctx *wc, const struct etr_pkt *ep, bool local)
{
	struct rte_mbuf *m = ep->m;
	const unsigned out = ep->out;
	const int af = ep->af;

	// Destination (step 6), then TTL, DSCP, ECN (step 9).
	if (!local)
		return drop(wc, DP_DROP_NOT_LOCAL_EID);
	if (af == AF_INET) {
		if (!inner4_out(wc, (struct rte_ipv4_hdr *)ep->inner, ep->outer_ttl, ep->outer_tos))
			return DP_DROP;
		dp_acc_stat(&wc->acc, DP_STAT_DECAP4, 1);
	} else {
		if (!inner6_out(wc, (struct rte_ipv6_hdr *)ep->inner, ep->outer_ttl, ep->outer_tos))
			return DP_DROP;
		dp_acc_stat(&wc->acc, DP_STAT_DECAP6, 1);
	}
	// Strip the outer headers: a new Ethernet header goes right in front of the inner packet.
	unsigned strip = ep->strip;
	unsigned extra = rte_pktmbuf_pkt_len(m) - (RTE_ETHER_HDR_LEN + strip + ep->inner_len);
	if (extra != 0)
		rte_pktmbuf_trim(m, extra);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)rte_pktmbuf_adj(m, strip);
	eth->ether_type =
		af == AF_INET ? RTE_BE16(RTE_ETHER_TYPE_IPV4) : RTE_BE16(RTE_ETHER_TYPE_IPV6);
	rte_ether_addr_copy(&dp.ports[out].mac, &eth->src_addr);
	int nh = etr_nh(wc, out, af, ep->dst);
	struct rte_ether_addr mac;
	if (nh < 0 || !dp_nh_lookup_mac(nh, &mac)) {
		dp_acc_stat(&wc->acc, DP_STAT_NH_UNRESOLVED, 1);
		dp_punt(wc, m, DP_PUNT_RESOLVE, out, nh < 0 ? DP_NH_NONE : (uint32_t)nh);
		return DP_CONSUMED;
	}
	rte_ether_addr_copy(&mac, &eth->dst_addr);
	dp_tx(wc, out, m);
	return DP_CONSUMED;
}

enum dp_verdict
dp_etr(struct dp_wctx *wc, unsigned port, struct rte_mbuf *m, const struct dp_l3 *h)
{
	struct etr_pkt ep;

	(void)port;
	if (!etr_check(wc, m, h, &ep))
		return DP_DROP;
	return etr_deliver(wc, &ep, local_eid(&dp.ports[ep.out], ep.af, ep.dst));
}

void
dp_etr_burst(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts, const struct dp_l3 *h,
	     unsigned n)
{
	struct etr_pkt ep[DP_MAX_BURST];
	const struct mc_entry *e[DP_MAX_BURST];
	uint32_t dst4[DP_MAX_BURST];
	uint8_t dst6[DP_MAX_BURST][16];
	unsigned k = 0;

	(void)port;
	for (unsigned i = 0; i < n; i++) {
		if (etr_check(wc, pkts[i], &h[i], &ep[k]))
			k++;
		else
			rte_pktmbuf_free(pkts[i]);
	}
	// Step 6 in bulk, one lookup per run of packets of the same instance and inner family.
	for (unsigned i = 0, j; i < k; i = j) {
		const struct mc_table *db = ep[i].db;
		for (j = i; j < k && ep[j].db == db && ep[j].af == ep[i].af; j++) {
			if (ep[j].af == AF_INET)
				memcpy(&dst4[j], ep[j].dst, 4);
			else
				memcpy(dst6[j], ep[j].dst, 16);
		}
		if (ep[i].af == AF_INET)
			mc_lookup_bulk4(db, dst4 + i, e + i, j - i);
		else
			mc_lookup_bulk6(db, (const uint8_t(*)[16])(dst6 + i), e + i, j - i);
	}
	for (unsigned i = 0; i < k; i++)
		if (etr_deliver(wc, &ep[i], e[i] != NULL) == DP_DROP)
			rte_pktmbuf_free(ep[i].m);
}
