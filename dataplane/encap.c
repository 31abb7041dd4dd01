// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// ITR: site traffic received on an EID port, looked up in the map-cache of the port's
// instance and encapsulated toward the chosen locator (lisp-protocol.md §1.3-1.4, §1.10, §3.1).
// A burst is validated first, its destinations looked up in bulk (entries prefetched), then
// each frame is finished from its locator's prebuilt header template.

#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_udp.h>

#include "dp_priv.h"
#include "lisp_hdr.h"

#define DP_MAX_FRAGS 8 // 9000-byte jumbo frames over a 1500-byte path need 7

// One frame of the burst on its way through the ITR.
struct itr_pkt {
	struct rte_mbuf *m;
	uint8_t *l3; // the inner IP header
	uint16_t l3_len; // inner packet length (IPv4 total length, IPv6 40 + payload length)
	uint8_t tos; // DSCP and ECN
	uint8_t ttl; // already decremented
	uint32_t hash; // inner flow hash
};

// The inner flow: addresses, protocol and, for TCP/UDP/SCTP first fragments, the ports.
static inline uint32_t
flow_hash4(const struct rte_ipv4_hdr *ip, unsigned hlen, unsigned len)
{
	uint32_t h = rte_hash_crc_4byte(ip->src_addr, ip->next_proto_id);

	h = rte_hash_crc_4byte(ip->dst_addr, h);
	if ((ip->next_proto_id == IPPROTO_TCP || ip->next_proto_id == IPPROTO_UDP ||
	     ip->next_proto_id == IPPROTO_SCTP) &&
	    !(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) && len >= hlen + 4) {
		uint32_t ports; // the header is only 2-byte aligned in the frame
		memcpy(&ports, (const uint8_t *)ip + hlen, sizeof(ports));
		h = rte_hash_crc_4byte(ports, h);
	}
	return h;
}

static inline uint32_t
flow_hash6(const struct rte_ipv6_hdr *ip6, unsigned len)
{
	uint64_t addrs[4]; // both addresses, aligned for the 8-byte CRC steps
	uint32_t h;

	memcpy(addrs, ip6->src_addr, sizeof(addrs));
	h = rte_hash_crc(addrs, sizeof(addrs), ip6->proto);
	if ((ip6->proto == IPPROTO_TCP || ip6->proto == IPPROTO_UDP || ip6->proto == IPPROTO_SCTP) &&
	    len >= sizeof(*ip6) + 4) {
		uint32_t ports;
		memcpy(&ports, ip6 + 1, sizeof(ports));
		h = rte_hash_crc_4byte(ports, h);
	}
	return h;
}

// Asks control for an ICMP error about m (which control then owns), within the worker's share
// of the ICMP rate limit; the packet is dropped either way.
static void
dp_itr_icmp(struct dp_wctx *wc, unsigned port, struct rte_mbuf *m, unsigned type, unsigned mtu)
{
	static const uint8_t drops[] = {
		[DP_ICMP_TIME_EXCEEDED] = DP_DROP_TTL_EXCEEDED,
		[DP_ICMP_TOO_BIG] = DP_DROP_TOO_BIG,
		[DP_ICMP_UNREACHABLE] = DP_DROP_NEGATIVE,
		[DP_ICMP_PROHIBITED] = DP_DROP_NEGATIVE,
	};

	dp_acc_drop(&wc->acc, drops[type], 1);
	if (!dp_bucket_take(&wc->icmp_bucket)) {
		dp_acc_stat(&wc->acc, DP_STAT_ICMP_RATE_LIMITED, 1);
		rte_pktmbuf_free(m);
		return;
	}
	dp_punt(wc, m, DP_PUNT_ICMP_ERROR, port, type << 16 | mtu);
}

// No mapping yet (pending: control already asked). Control holds a bounded copy and sends it
// once the mapping arrives; past the worker's share of the miss rate the packet is dropped.
// The frame goes back with the TTL it came in with: control re-injects it through the ITR,
// which decrements it then (once in all).
static void
dp_itr_miss(struct dp_wctx *wc, unsigned port, struct itr_pkt *p, uint32_t iid, bool pending)
{
	if (!dp_bucket_take(&wc->miss_bucket)) {
		dp_acc_drop(&wc->acc, DP_DROP_MISS_RATE_LIMITED, 1);
		rte_pktmbuf_free(p->m);
		return;
	}
	if ((p->l3[0] >> 4) == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p->l3;
		uint32_t ck = (uint32_t)rte_be_to_cpu_16(ip->hdr_checksum) + 0xfeff; // - 0x0100
		ip->time_to_live++;
		ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)(ck + (ck >> 16)));
	} else {
		((struct rte_ipv6_hdr *)p->l3)->hop_limits++;
	}
	dp_acc_stat(&wc->acc, pending ? DP_STAT_PENDING : DP_STAT_MISS, 1);
	dp_punt(wc, p->m, DP_PUNT_MISS, port, iid);
}

// The largest outer packet toward a locator: the configured path MTU, and no more than the
// port the next hop is on.
static inline unsigned
dp_path_mtu(const struct mc_locator *l)
{
	unsigned port_mtu = dp.ports[dp_nh[l->nh].key.port].mtu;
	return RTE_MIN((unsigned)dp.lisp.path_mtu, port_mtu);
}

// Checks the inner IPv4 header and decrements its TTL (checksum updated incrementally, RFC
// 1624). Returns false after counting a drop or asking control for an ICMP error. classified:
// the frame passed dp_local_ip4 (dp_worker.c's classification), which makes the same header
// checks; they are not repeated.
static __rte_always_inline bool
inner4(struct dp_wctx *wc, unsigned port, struct itr_pkt *p, bool classified)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p->l3;
	uint32_t frame = rte_pktmbuf_data_len(p->m) - RTE_ETHER_HDR_LEN;
	unsigned hlen = (ip->version_ihl & 0xf) * 4;
	uint16_t total;

	if (!classified && (frame < sizeof(*ip) || (ip->version_ihl >> 4) != 4 ||
			    hlen < sizeof(*ip) || hlen > frame || dp_cksum_ip4(ip, hlen) != 0xffff)) {
		dp_acc_drop(&wc->acc, DP_DROP_INNER_MALFORMED, 1);
		rte_pktmbuf_free(p->m);
		return false;
	}
	total = __builtin_bswap16(ip->total_length);
	if (!classified && (total < hlen || total > frame)) {
		dp_acc_drop(&wc->acc, DP_DROP_INNER_MALFORMED, 1);
		rte_pktmbuf_free(p->m);
		return false;
	}
	if (ip->time_to_live <= 1) {
		dp_itr_icmp(wc, port, p->m, DP_ICMP_TIME_EXCEEDED, 0);
		return false;
	}
	// Ethernet padding is not part of the packet.
	if (frame != total)
		rte_pktmbuf_trim(p->m, frame - total);
	ip->time_to_live--;
	uint32_t ck = (uint32_t)__builtin_bswap16(ip->hdr_checksum) + 0x0100;
	ip->hdr_checksum = __builtin_bswap16((uint16_t)(ck + (ck >> 16)));
	p->l3_len = total;
	p->tos = ip->type_of_service;
	p->ttl = ip->time_to_live;
	p->hash = flow_hash4(ip, hlen, total);
	return true;
}

// The same for IPv6 (dp_local_ip6 checks the version and the payload length).
static __rte_always_inline bool
inner6(struct dp_wctx *wc, unsigned port, struct itr_pkt *p, bool classified)
{
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)p->l3;
	uint32_t frame = rte_pktmbuf_data_len(p->m) - RTE_ETHER_HDR_LEN;
	uint32_t vtc;
	unsigned len;

	if (!classified && frame < sizeof(*ip6)) {
		dp_acc_drop(&wc->acc, DP_DROP_INNER_MALFORMED, 1);
		rte_pktmbuf_free(p->m);
		return false;
	}
	vtc = rte_be_to_cpu_32(ip6->vtc_flow);
	len = sizeof(*ip6) + __builtin_bswap16(ip6->payload_len);
	if (!classified && ((vtc >> 28) != 6 || len > frame)) {
		dp_acc_drop(&wc->acc, DP_DROP_INNER_MALFORMED, 1);
		rte_pktmbuf_free(p->m);
		return false;
	}
	if (ip6->hop_limits <= 1) {
		dp_itr_icmp(wc, port, p->m, DP_ICMP_TIME_EXCEEDED, 0);
		return false;
	}
	if (frame != len)
		rte_pktmbuf_trim(p->m, frame - len);
	ip6->hop_limits--;
	p->l3_len = len;
	p->tos = (uint8_t)(vtc >> 20);
	p->ttl = ip6->hop_limits;
	p->hash = flow_hash6(ip6, len);
	return true;
}

// mc_tmpl_finish(), the same bytes with word stores. __builtin_bswap16, not rte_bswap16: DPDK's
// is an asm statement the compiler cannot fold.
static inline void
put_be16(uint8_t *p, uint16_t v)
{
	v = __builtin_bswap16(v);
	memcpy(p, &v, 2);
}

static inline void
tmpl_finish_udp(uint8_t *udp, uint16_t udp_len, uint16_t sport, uint32_t nonce)
{
	put_be16(udp, sport);
	put_be16(udp + 4, udp_len);
	if (udp[8] & MC_LISP_FLAG_N) {
		uint32_t f = __builtin_bswap32((uint32_t)udp[8] << 24 | (nonce & 0xffffff));
		memcpy(udp + 8, &f, 4);
	}
}

static inline void
tmpl_finish4(const struct mc_tmpl *t, uint8_t *hdr, uint16_t inner_len, uint8_t tos, uint8_t ttl,
	     uint16_t sport, uint32_t nonce)
{
	uint16_t tot = (uint16_t)(MC_TMPL4_LEN + inner_len);
	uint32_t s = (uint32_t)t->csum + tos + tot + ((uint32_t)ttl << 8);

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	hdr[1] = tos;
	put_be16(hdr + 2, tot);
	hdr[8] = ttl;
	put_be16(hdr + 10, (uint16_t)~s);
	tmpl_finish_udp(hdr + MC_TMPL4_UDP, (uint16_t)(16 + inner_len), sport, nonce);
}

static inline void
tmpl_finish6(uint8_t *hdr, uint16_t inner_len, uint8_t tos, uint8_t ttl, uint16_t sport,
	     uint32_t nonce)
{
	uint16_t udp_len = (uint16_t)(16 + inner_len);

	// Version 6, traffic class, the template's flow label bits 16-19.
	put_be16(hdr, (uint16_t)(0x6000 | (uint16_t)tos << 4 | (hdr[1] & 0x0f)));
	put_be16(hdr + 4, udp_len);
	hdr[7] = ttl;
	tmpl_finish_udp(hdr + MC_TMPL6_UDP, udp_len, sport, nonce);
}

// What rte_ipv6_udptcp_cksum_mbuf() gives for the UDP header at udp (after mc_tmpl_finish) and
// an inner packet of inner_len contiguous bytes right after the LISP header, finished from the
// template's constant part: the lengths (pseudo-header and UDP header), the source port and
// LISP bytes 0-3 are added, then the inner packet.
static inline uint16_t
udp6_cksum(const struct mc_tmpl *t, const uint8_t *udp, const uint8_t *inner, unsigned inner_len)
{
	uint32_t udp_len = (uint16_t)(16 + inner_len);
	// Big-endian words, like t->csum.
	uint32_t s = (uint32_t)t->csum + 2 * udp_len + ((uint32_t)udp[0] << 8 | udp[1]) +
		((uint32_t)udp[8] << 8 | udp[9]) + ((uint32_t)udp[10] << 8 | udp[11]);
	uint16_t ck;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	// rte_raw_cksum sums host-order (little-endian) words: the same sum, byte-swapped.
	ck = (uint16_t)~dp_cksum_fold64(
		dp_cksum_add64(dp_cksum_sum64(inner, inner_len), __builtin_bswap16((uint16_t)s)));
	return ck == 0 ? 0xffff : ck; // RFC 768: a computed 0 goes out as all ones
}

// Prepends the locator's outer headers and an Ethernet header to the inner packet at p->l3 and
// queues the frame on the next hop's port (or hands it to control until the next hop resolves).
static __rte_always_inline void
encapsulate(struct dp_wctx *wc, struct itr_pkt *p, const struct mc_locator *l)
{
	const struct mc_tmpl *t = &l->tmpl;
	struct rte_mbuf *m = p->m;
	struct rte_ether_addr dmac;
	uint8_t *frame, *hdr;
	uint32_t nonce = (uint32_t)dp_random(wc) & 0xffffff;
	uint16_t sport = 0xc000 | (uint16_t)((p->hash >> 16) & 0x3fff);
	const struct dp_nh *nh = &dp_nh[l->nh];
	unsigned out_port = nh->key.port;

	// The Ethernet header already in front of l3 is reused: only the template is new room.
	frame = (uint8_t *)rte_pktmbuf_prepend(m, t->len);
	if (frame == NULL) {
		dp_acc_drop(&wc->acc, DP_DROP_NO_HEADROOM, 1);
		rte_pktmbuf_free(m);
		return;
	}
	hdr = frame + RTE_ETHER_HDR_LEN;
	// Constant-size copies: inline moves instead of a call to memcpy.
	if (mc_tmpl_af(t) == AF_INET) {
		memcpy(hdr, t->hdr, MC_TMPL4_LEN);
		tmpl_finish4(t, hdr, p->l3_len, p->tos, p->ttl, sport, nonce);
	} else {
		memcpy(hdr, t->hdr, MC_TMPL6_LEN);
		tmpl_finish6(hdr, p->l3_len, p->tos, p->ttl, sport, nonce);
	}
	if (mc_tmpl_af(t) == AF_INET6 && dp.lisp.udp_csum6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)hdr;
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(hdr + MC_TMPL6_UDP);
		udp->dgram_cksum = 0;
		if (m->nb_segs == 1)
			udp->dgram_cksum = udp6_cksum(t, (const uint8_t *)udp, hdr + MC_TMPL6_LEN,
						      p->l3_len);
		else
			udp->dgram_cksum = rte_ipv6_udptcp_cksum_mbuf(m, ip6,
								      RTE_ETHER_HDR_LEN + MC_TMPL6_UDP);
	}
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	eth->ether_type = mc_tmpl_af(t) == AF_INET ? RTE_BE16(RTE_ETHER_TYPE_IPV4)
						   : RTE_BE16(RTE_ETHER_TYPE_IPV6);
	rte_ether_addr_copy(&dp.ports[out_port].mac, &eth->src_addr);
	dp_acc_stat(&wc->acc, mc_tmpl_af(t) == AF_INET ? DP_STAT_ENCAP4 : DP_STAT_ENCAP6, 1);
	if (!dp_nh_lookup_mac(l->nh, &dmac)) {
		dp_acc_stat(&wc->acc, DP_STAT_NH_UNRESOLVED, 1);
		dp_punt(wc, m, DP_PUNT_RESOLVE, out_port, l->nh);
		return;
	}
	rte_ether_addr_copy(&dmac, &eth->dst_addr);
	dp_tx(wc, out_port, m);
}

// Inner IPv4 without DF too large for the path: fragment it (copies from the worker's pool),
// then encapsulate every fragment.
static void
fragment_and_encapsulate(struct dp_wctx *wc, struct itr_pkt *p, const struct mc_locator *l,
			 unsigned max_inner)
{
	struct rte_mbuf *frags[DP_MAX_FRAGS];
	struct rte_mbuf *m = p->m;
	int n;

	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	n = rte_ipv4_fragment_copy_nonseg_packet(m, frags, DP_MAX_FRAGS, max_inner, dp.pool);
	rte_pktmbuf_free(m);
	if (n <= 0) {
		dp_acc_drop(&wc->acc, DP_DROP_FRAGMENT_FAILED, 1);
		return;
	}
	dp_acc_stat(&wc->acc, DP_STAT_FRAGMENTED, 1);
	for (int i = 0; i < n; i++) {
		struct rte_mbuf *f = frags[i];
		struct itr_pkt fp = *p;
		// Room for the Ethernet header encapsulate() expects in front of the IP header.
		if (rte_pktmbuf_prepend(f, RTE_ETHER_HDR_LEN) == NULL) {
			dp_acc_drop(&wc->acc, DP_DROP_NO_HEADROOM, 1);
			rte_pktmbuf_free(f);
			continue;
		}
		fp.m = f;
		fp.l3 = rte_pktmbuf_mtod_offset(f, uint8_t *, RTE_ETHER_HDR_LEN);
		fp.l3_len = rte_pktmbuf_pkt_len(f) - RTE_ETHER_HDR_LEN;
		// The library leaves the fragments' header checksum to the caller.
		struct rte_ipv4_hdr *fip = (struct rte_ipv4_hdr *)fp.l3;
		fip->hdr_checksum = 0;
		fip->hdr_checksum = rte_ipv4_cksum(fip);
		encapsulate(wc, &fp, l);
	}
}

// A negative entry that says forward natively: out of the underlay, unencapsulated, toward the
// default route's next hop (the TTL was decremented already).
static void
native_forward(struct dp_wctx *wc, struct itr_pkt *p)
{
	const bool v4 = (p->l3[0] >> 4) == 4;
	uint32_t nh = v4 ? dp.lisp.native_nh4 : dp.lisp.native_nh6;
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(p->m, struct rte_ether_hdr *);
	struct rte_ether_addr dmac;
	unsigned out;

	if (nh == DP_NH_NONE) {
		dp_acc_drop(&wc->acc, DP_DROP_NATIVE_FORWARD, 1);
		rte_pktmbuf_free(p->m);
		return;
	}
	out = dp_nh[nh].key.port;
	if (p->l3_len > dp.ports[out].mtu) {
		dp_acc_drop(&wc->acc, DP_DROP_TOO_BIG, 1);
		rte_pktmbuf_free(p->m);
		return;
	}
	rte_ether_addr_copy(&dp.ports[out].mac, &eth->src_addr);
	dp_acc_stat(&wc->acc, DP_STAT_NATIVE, 1);
	if (!dp_nh_lookup_mac(nh, &dmac)) {
		dp_acc_stat(&wc->acc, DP_STAT_NH_UNRESOLVED, 1);
		dp_punt(wc, p->m, DP_PUNT_RESOLVE, out, nh);
		return;
	}
	rte_ether_addr_copy(&dmac, &eth->dst_addr);
	dp_tx(wc, out, p->m);
}

// A hit on an entry: encapsulate, or apply its negative action.
static __rte_always_inline void
itr_entry(struct dp_wctx *wc, unsigned port, struct itr_pkt *p, const struct mc_entry *e)
{
	const struct mc_locator *l;
	unsigned max_inner;

	switch (e->action) {
	case MC_ACT_ENCAP:
		break;
	case MC_ACT_PENDING:
	case MC_ACT_SEND_MAP_REQUEST:
		dp_itr_miss(wc, port, p, e->iid, true);
		return;
	case MC_ACT_NO_ACTION:
	case MC_ACT_NATIVE_FWD:
		native_forward(wc, p);
		return;
	case MC_ACT_DROP_NO_LOCATOR:
		dp_acc_drop(&wc->acc, DP_DROP_NO_LOCATOR, 1);
		rte_pktmbuf_free(p->m);
		return;
	case MC_ACT_DROP:
		dp_itr_icmp(wc, port, p->m, DP_ICMP_UNREACHABLE, 0);
		return;
	default: // policy-denied, auth-failure, and the non-standard 6 and 7
		dp_itr_icmp(wc, port, p->m, DP_ICMP_PROHIBITED, 0);
		return;
	}
	l = mc_pick_locator(e, p->hash);
	if (l == NULL) {
		dp_acc_drop(&wc->acc, DP_DROP_NO_LOCATOR, 1);
		rte_pktmbuf_free(p->m);
		return;
	}
	mc_reader_count(wc->mc_reader, e, 1, p->l3_len);
	max_inner = dp_path_mtu(l) - l->tmpl.len;
	if (p->l3_len <= max_inner) {
		encapsulate(wc, p, l);
		return;
	}
	// Too big for the path (lisp-protocol.md §1.10).
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p->l3;
	if ((p->l3[0] >> 4) == 4 && !(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))) {
		fragment_and_encapsulate(wc, p, l, max_inner);
		return;
	}
	dp_itr_icmp(wc, port, p->m, DP_ICMP_TOO_BIG, max_inner);
}

static inline void
itr_prefetch(const struct dp_wctx *wc, const struct mc_entry *e, uint32_t hash)
{
	mc_prefetch_locator(e, hash);
	if (wc->mc_reader != NULL)
		mc_prefetch_counters(wc->mc_reader, e);
}

static __rte_always_inline void
itr_burst(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts, unsigned n, bool classified)
{
	const struct dp_port *pt = &dp.ports[port];
	struct itr_pkt p4[DP_MAX_BURST], p6[DP_MAX_BURST];
	uint32_t dst4[DP_MAX_BURST];
	uint8_t dst6[DP_MAX_BURST][16];
	const struct mc_entry *e4[DP_MAX_BURST], *e6[DP_MAX_BURST];
	unsigned n4 = 0, n6 = 0;

	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		uint8_t *l3 = (uint8_t *)(eth + 1);
		// The line the outer headers will go to, in the headroom: nothing has touched it yet.
		rte_prefetch0_write((const uint8_t *)eth - 1);
		if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
			p4[n4].m = m;
			p4[n4].l3 = l3;
			if (inner4(wc, port, &p4[n4], classified)) {
				dst4[n4] = ((const struct rte_ipv4_hdr *)l3)->dst_addr;
				n4++;
			}
		} else {
			p6[n6].m = m;
			p6[n6].l3 = l3;
			if (inner6(wc, port, &p6[n6], classified)) {
				memcpy(dst6[n6], ((const struct rte_ipv6_hdr *)l3)->dst_addr, 16);
				n6++;
			}
		}
	}
	if (n4 > 0)
		mc_lookup_bulk4(pt->mc4, dst4, e4, n4);
	if (n6 > 0)
		mc_lookup_bulk6(pt->mc6, (const uint8_t(*)[16])dst6, e6, n6);
	// The lookups prefetched the entries; now their locators and counters (second stage).
	for (unsigned i = 0; i < n4; i++)
		if (e4[i] != NULL)
			itr_prefetch(wc, e4[i], p4[i].hash);
	for (unsigned i = 0; i < n6; i++)
		if (e6[i] != NULL)
			itr_prefetch(wc, e6[i], p6[i].hash);
	for (unsigned i = 0; i < n4; i++) {
		if (e4[i] == NULL)
			dp_itr_miss(wc, port, &p4[i], pt->iid, false);
		else
			itr_entry(wc, port, &p4[i], e4[i]);
	}
	for (unsigned i = 0; i < n6; i++) {
		if (e6[i] == NULL)
			dp_itr_miss(wc, port, &p6[i], pt->iid, false);
		else
			itr_entry(wc, port, &p6[i], e6[i]);
	}
}

void
dp_itr_burst(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts, unsigned n)
{
	itr_burst(wc, port, pkts, n, false);
}

void
dp_itr_burst_classified(struct dp_wctx *wc, unsigned port, struct rte_mbuf **pkts, unsigned n)
{
	itr_burst(wc, port, pkts, n, true);
}
