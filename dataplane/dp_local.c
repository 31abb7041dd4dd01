// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Answers for the router's own addresses, on the worker: ARP requests, ICMP echo, IPv6 neighbor
// solicitations and ICMPv6 echo. Replies are built in place in the received mbuf: no allocation.

#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_priv.h"
#include "lisp_hdr.h"

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LLADDR 1
#define ND_OPT_TARGET_LLADDR 2
#define ND_NA_FLAG_ROUTER 0x80
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20
#define LOCAL_TTL 64

// ICMPv6 header + 4 bytes + target address (RFC 4861 §4.3/4.4); the option follows.
struct nd_msg {
	uint8_t type;
	uint8_t code;
	rte_be16_t cksum;
	uint8_t flags; // NA only
	uint8_t reserved[3];
	uint8_t target[16];
} __rte_packed;

struct nd_opt_lladdr {
	uint8_t type;
	uint8_t len; // in units of 8 bytes
	uint8_t addr[RTE_ETHER_ADDR_LEN];
};

// Sends the frame back where it came from, from the port's own MAC.
static void
reflect_eth(const struct dp_port *p, struct rte_ether_hdr *eth)
{
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&p->mac, &eth->src_addr);
}

enum dp_verdict
dp_local_arp(const struct dp_port *p, struct rte_mbuf *m, struct dp_acc *acc, uint16_t *punt)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*arp)) {
		dp_acc_drop(acc, DP_DROP_ARP_MALFORMED, 1);
		return DP_DROP;
	}
	arp = (struct rte_arp_hdr *)(eth + 1);
	if (arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) || arp->arp_hlen != 6 ||
	    arp->arp_plen != 4) {
		dp_acc_drop(acc, DP_DROP_ARP_MALFORMED, 1);
		return DP_DROP;
	}
	if (arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY) &&
	    dp_port_has_ip4(p, arp->arp_data.arp_tip)) {
		*punt = DP_PUNT_NEIGHBOR;
		return DP_PUNT;
	}
	if (arp->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST) ||
	    !dp_port_has_ip4(p, arp->arp_data.arp_tip)) {
		dp_acc_drop(acc, DP_DROP_ARP_OTHER, 1);
		return DP_DROP;
	}
	uint32_t own = arp->arp_data.arp_tip;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &arp->arp_data.arp_tha);
	arp->arp_data.arp_tip = arp->arp_data.arp_sip;
	arp->arp_data.arp_sip = own;
	rte_ether_addr_copy(&p->mac, &arp->arp_data.arp_sha);
	reflect_eth(p, eth);
	dp_acc_stat(acc, DP_STAT_ARP_REPLY, 1);
	return DP_TX;
}

// UDP to one of our addresses: LISP data for the ETR (rloc ports), LISP control for control.
static enum dp_verdict
local_udp(
	const struct dp_port *p,
	const struct rte_udp_hdr *udp,
	unsigned l4_len,
	struct dp_acc *acc,
	uint16_t *punt
)
{
	if (l4_len < sizeof(*udp)) {
		dp_acc_drop(acc, DP_DROP_UDP_LENGTH, 1);
		return DP_DROP;
	}
	if (udp->dst_port == RTE_BE16(LISP_DATA_PORT)) {
		if (p->role != DP_ROLE_RLOC) {
			dp_acc_drop(acc, DP_DROP_LISP_ON_EID_PORT, 1);
			return DP_DROP;
		}
		return DP_LISP_DATA;
	}
	if (udp->dst_port == RTE_BE16(LISP_CONTROL_PORT)) {
		*punt = DP_PUNT_CONTROL;
		return DP_PUNT;
	}
	dp_acc_drop(acc, DP_DROP_LOCAL_UNHANDLED, 1);
	return DP_DROP;
}

static enum dp_verdict local_icmp4(const struct dp_port *p, struct rte_mbuf *m,
				   struct dp_acc *acc, unsigned hlen, unsigned total);

enum dp_verdict
dp_local_ip4(
	const struct dp_port *p,
	struct rte_mbuf *m,
	struct dp_acc *acc,
	uint16_t *punt,
	struct dp_l3 *l3
)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint32_t frame = rte_pktmbuf_data_len(m) - sizeof(*eth);
	unsigned hlen;
	uint16_t total;


	if (frame < sizeof(*ip) || (ip->version_ihl >> 4) != 4) {
		dp_acc_drop(acc, DP_DROP_IP4_MALFORMED, 1);
		return DP_DROP;
	}
	hlen = (ip->version_ihl & 0xf) * 4;
	total = __builtin_bswap16(ip->total_length);
	if (hlen < sizeof(*ip) || total < hlen || total > frame ||
	    dp_cksum_ip4(ip, hlen) != 0xffff) {
		dp_acc_drop(acc, DP_DROP_IP4_MALFORMED, 1);
		return DP_DROP;
	}
	if (!dp_port_has_ip4(p, ip->dst_addr)) {
		if (p->role == DP_ROLE_EID)
			return DP_TRANSIT;
		dp_acc_drop(acc, DP_DROP_NOT_LOCAL, 1);
		return DP_DROP;
	}
	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) {
		dp_acc_drop(acc, DP_DROP_IP_FRAGMENT_LOCAL, 1);
		return DP_DROP;
	}
	if (ip->next_proto_id == IPPROTO_UDP) {
		l3->l3_len = hlen;
		l3->l4_len = total - hlen;
		return local_udp(p, (const struct rte_udp_hdr *)((uint8_t *)ip + hlen), total - hlen,
				 acc, punt);
	}
	return local_icmp4(p, m, acc, hlen, total);
}

// ICMP to one of our addresses: echo requests are answered. Out of line: the transit and LISP
// paths of dp_local_ip4 stay light.
static __rte_noinline enum dp_verdict
local_icmp4(const struct dp_port *p, struct rte_mbuf *m, struct dp_acc *acc, unsigned hlen,
	    unsigned total)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint32_t frame = rte_pktmbuf_data_len(m) - sizeof(*eth);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + hlen);
	unsigned icmp_len = total - hlen;

	if (ip->next_proto_id != IPPROTO_ICMP || icmp_len < sizeof(*icmp) ||
	    icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0) {
		dp_acc_drop(acc, DP_DROP_LOCAL_UNHANDLED, 1);
		return DP_DROP;
	}
	// Trim Ethernet padding so the reply is as long as the request's IP packet.
	rte_pktmbuf_trim(m, frame - total);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, icmp_len);
	uint32_t dst = ip->dst_addr;
	ip->dst_addr = ip->src_addr;
	ip->src_addr = dst;
	ip->time_to_live = LOCAL_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	reflect_eth(p, eth);
	dp_acc_stat(acc, DP_STAT_ICMP_ECHO_REPLY, 1);
	return DP_TX;
}

// ff02::1:ffXX:XXXX for one of our addresses.
static bool
is_own_solicited_node(const struct dp_port *p, const uint8_t *dst)
{
	static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};

	if (memcmp(dst, prefix, sizeof(prefix)) != 0)
		return DP_DROP;
	for (unsigned i = 0; i < p->n_ip6; i++)
		if (memcmp(p->ip6[i] + 13, dst + 13, 3) == 0)
			return DP_TX;
	return DP_DROP;
}

// fe80::/10 and multicast ff00::/8.
static bool
is_link_scope(const uint8_t *dst)
{
	return dst[0] == 0xff || (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80);
}

static bool
is_all_nodes(const uint8_t *dst)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
	return memcmp(dst, all_nodes, 16) == 0;
}

static void
icmp6_finish(struct rte_ipv6_hdr *ip6, void *l4, unsigned len)
{
	struct nd_msg *h = l4;

	ip6->payload_len = rte_cpu_to_be_16(len);
	h->cksum = 0;
	h->cksum = rte_ipv6_udptcp_cksum(ip6, l4);
}

static enum dp_verdict
neighbor_advert(
	const struct dp_port *p,
	struct rte_mbuf *m,
	struct rte_ipv6_hdr *ip6,
	struct nd_msg *nd,
	unsigned len,
	struct dp_acc *acc
)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
	static const uint8_t unspecified[16];
	struct nd_opt_lladdr *opt;
	bool dad = memcmp(ip6->src_addr, unspecified, 16) == 0;

	if (len < sizeof(*nd) || nd->code != 0 || ip6->hop_limits != 255 ||
	    !dp_port_has_ip6(p, nd->target)) {
		dp_acc_drop(acc, DP_DROP_ND_OTHER, 1);
		return DP_DROP;
	}
	// The advert is the message plus one target link-layer address option.
	unsigned new_len = sizeof(*nd) + sizeof(*opt);
	unsigned have = rte_pktmbuf_data_len(m) - ((uint8_t *)nd - rte_pktmbuf_mtod(m, uint8_t *));
	if (have < new_len && rte_pktmbuf_append(m, new_len - have) == NULL) {
		dp_acc_drop(acc, DP_DROP_NO_MBUF, 1);
		return DP_DROP;
	}
	if (have > new_len)
		rte_pktmbuf_trim(m, have - new_len);
	nd->type = ND_NEIGHBOR_ADVERT;
	nd->flags = ND_NA_FLAG_ROUTER | ND_NA_FLAG_OVERRIDE | (dad ? 0 : ND_NA_FLAG_SOLICITED);
	memset(nd->reserved, 0, sizeof(nd->reserved));
	opt = (struct nd_opt_lladdr *)(nd + 1);
	opt->type = ND_OPT_TARGET_LLADDR;
	opt->len = 1;
	memcpy(opt->addr, p->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	memcpy(ip6->dst_addr, dad ? all_nodes : ip6->src_addr, 16);
	memcpy(ip6->src_addr, nd->target, 16);
	ip6->hop_limits = 255;
	icmp6_finish(ip6, nd, new_len);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	reflect_eth(p, eth);
	if (dad) {
		// 33:33 + the low 32 bits of ff02::1.
		struct rte_ether_addr mc = {{0x33, 0x33, 0, 0, 0, 0x01}};
		rte_ether_addr_copy(&mc, &eth->dst_addr);
	}
	dp_acc_stat(acc, DP_STAT_ND_ADVERT, 1);
	return DP_TX;
}

enum dp_verdict
dp_local_ip6(
	const struct dp_port *p,
	struct rte_mbuf *m,
	struct dp_acc *acc,
	uint16_t *punt,
	struct dp_l3 *l3
)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	uint32_t frame = rte_pktmbuf_data_len(m) - sizeof(*eth);
	unsigned plen;

	if (frame < sizeof(*ip6) || (rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6) {
		dp_acc_drop(acc, DP_DROP_IP6_MALFORMED, 1);
		return DP_DROP;
	}
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (plen > frame - sizeof(*ip6)) {
		dp_acc_drop(acc, DP_DROP_IP6_MALFORMED, 1);
		return DP_DROP;
	}
	bool own = dp_port_has_ip6(p, ip6->dst_addr);
	if (ip6->proto == IPPROTO_ICMPV6 && plen >= sizeof(struct nd_msg) &&
	    ((const struct nd_msg *)(ip6 + 1))->type == ND_NEIGHBOR_ADVERT) {
		// Solicited adverts come to our address, unsolicited ones to all nodes.
		if (!own && !is_all_nodes(ip6->dst_addr)) {
			dp_acc_drop(acc, DP_DROP_ND_OTHER, 1);
			return DP_DROP;
		}
		*punt = DP_PUNT_NEIGHBOR;
		return DP_PUNT;
	}
	if (!own && !is_own_solicited_node(p, ip6->dst_addr)) {
		// Site traffic to be encapsulated; link-local and multicast stay on the link.
		if (p->role == DP_ROLE_EID && !is_link_scope(ip6->dst_addr))
			return DP_TRANSIT;
		dp_acc_drop(acc, DP_DROP_NOT_LOCAL, 1);
		return DP_DROP;
	}
	if (own && ip6->proto == IPPROTO_UDP) {
		l3->l3_len = sizeof(*ip6);
		l3->l4_len = plen;
		return local_udp(p, (const struct rte_udp_hdr *)(ip6 + 1), plen, acc, punt);
	}
	struct nd_msg *icmp = (struct nd_msg *)(ip6 + 1);
	if (ip6->proto != IPPROTO_ICMPV6 || plen < 4) {
		dp_acc_drop(acc, DP_DROP_LOCAL_UNHANDLED, 1);
		return DP_DROP;
	}
	// Drop the Ethernet padding: the reply's length follows the IPv6 payload length.
	rte_pktmbuf_trim(m, frame - sizeof(*ip6) - plen);
	if (icmp->type == ND_NEIGHBOR_SOLICIT)
		return neighbor_advert(p, m, ip6, icmp, plen, acc);
	if (!own || icmp->type != ICMP6_ECHO_REQUEST || icmp->code != 0 || plen < 8) {
		dp_acc_drop(acc, DP_DROP_LOCAL_UNHANDLED, 1);
		return DP_DROP;
	}
	uint8_t dst[16];
	memcpy(dst, ip6->dst_addr, 16);
	memcpy(ip6->dst_addr, ip6->src_addr, 16);
	memcpy(ip6->src_addr, dst, 16);
	ip6->hop_limits = LOCAL_TTL;
	icmp->type = ICMP6_ECHO_REPLY;
	icmp6_finish(ip6, icmp, plen);
	reflect_eth(p, eth);
	dp_acc_stat(acc, DP_STAT_ICMP6_ECHO_REPLY, 1);
	return DP_TX;
}
