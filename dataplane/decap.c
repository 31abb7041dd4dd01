// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// ETR: LISP data packets (UDP 4341 to one of our RLOCs) checked in the order of
// lisp-protocol.md §1.5, stripped, and delivered to a host on the EID port of their instance.
// Every failed check is a named drop counter.

#include <string.h>

#include <rte_ether.h>
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
static bool
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
	ip->time_to_live = ttl - 1;
	ip->type_of_service = (outer_tos & ~ECN_MASK) | ecn;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return true;
}

static bool
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

enum dp_verdict
dp_etr(struct dp_wctx *wc, unsigned port, struct rte_mbuf *m, const struct dp_l3 *h)
{
	const unsigned l3_len = h->l3_len, l4_len = h->l4_len;
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, RTE_ETHER_HDR_LEN);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(l3 + l3_len);
	const bool outer4 = (l3[0] >> 4) == 4;
	uint8_t *lisp = (uint8_t *)(udp + 1);
	uint8_t *inner = lisp + LISP_HDR_LEN;
	uint8_t outer_ttl, outer_tos;
	unsigned udp_len, inner_len;
	int out;

	(void)port;
	// Lengths (§1.5 step 2): l4_len is what the outer IP header says follows it.
	udp_len = rte_be_to_cpu_16(udp->dgram_len);
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
		outer_ttl = o->time_to_live;
		outer_tos = o->type_of_service;
	} else {
		const struct rte_ipv6_hdr *o = (const struct rte_ipv6_hdr *)l3;
		outer_ttl = o->hop_limits;
		outer_tos = (uint8_t)(rte_be_to_cpu_32(o->vtc_flow) >> 20);
	}
	const struct dp_port *eid = &dp.ports[out];
	int af;
	const uint8_t *dst;
	if ((inner[0] >> 4) == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)inner;
		unsigned hlen = (ip->version_ihl & 0xf) * 4;
		unsigned total = rte_be_to_cpu_16(ip->total_length);
		if (hlen < sizeof(*ip) || total < hlen || total > inner_len ||
		    rte_raw_cksum(ip, hlen) != 0xffff)
			return drop(wc, DP_DROP_DECAP_INNER_MALFORMED);
		inner_len = total;
		af = AF_INET;
		dst = (const uint8_t *)&ip->dst_addr;
		// Destination (step 6), then TTL, DSCP, ECN (step 9).
		if (!local_eid(eid, af, dst))
			return drop(wc, DP_DROP_NOT_LOCAL_EID);
		if (!inner4_out(wc, ip, outer_ttl, outer_tos))
			return DP_DROP;
		dp_acc_stat(&wc->acc, DP_STAT_DECAP4, 1);
	} else if ((inner[0] >> 4) == 6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)inner;
		unsigned total = sizeof(*ip6) + rte_be_to_cpu_16(ip6->payload_len);
		if (inner_len < sizeof(*ip6) || total > inner_len)
			return drop(wc, DP_DROP_DECAP_INNER_MALFORMED);
		inner_len = total;
		af = AF_INET6;
		dst = ip6->dst_addr;
		if (!local_eid(eid, af, dst))
			return drop(wc, DP_DROP_NOT_LOCAL_EID);
		if (!inner6_out(wc, ip6, outer_ttl, outer_tos))
			return DP_DROP;
		dp_acc_stat(&wc->acc, DP_STAT_DECAP6, 1);
	} else {
		return drop(wc, DP_DROP_INNER_VERSION);
	}
	// Strip the outer headers: a new Ethernet header goes right in front of the inner packet.
	unsigned strip = l3_len + sizeof(*udp) + LISP_HDR_LEN;
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (RTE_ETHER_HDR_LEN + strip + inner_len));
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)rte_pktmbuf_adj(m, strip);
	eth->ether_type =
		af == AF_INET ? RTE_BE16(RTE_ETHER_TYPE_IPV4) : RTE_BE16(RTE_ETHER_TYPE_IPV6);
	rte_ether_addr_copy(&eid->mac, &eth->src_addr);
	int nh = dp_nh_find(out, af, dst);
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
