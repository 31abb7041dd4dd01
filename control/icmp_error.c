// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "dp.h"
#include "icmp_error.h"

#define ICMP4_MAX 576 // RFC 1812: the error fits in 576 bytes
#define ICMP6_MAX 1280 // RFC 4443: in the IPv6 minimum MTU
#define ICMP6_DEST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3

static struct icmp_error_counters cnt;

// Our first address of family af on port.
static const struct ip_addr *
port_addr(const struct dxtr_conf *c, unsigned port, int af)
{
	if (port >= c->n_ports)
		return NULL;
	for (unsigned i = 0; i < c->ports[port].n_addrs; i++)
		if (c->ports[port].addrs[i].addr.af == af)
			return &c->ports[port].addrs[i].addr;
	return NULL;
}

// Copies len bytes of m from off into dst (rte_pktmbuf_read copies only across segments).
static void
quote_copy(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint8_t *dst)
{
	const void *p = rte_pktmbuf_read(m, off, len, dst);

	if (p != NULL && p != dst)
		memcpy(dst, p, len);
}

static bool
is_error4(const struct rte_ipv4_hdr *ip, uint32_t len)
{
	unsigned hlen = (ip->version_ihl & 0xf) * 4;
	const uint8_t *icmp = (const uint8_t *)ip + hlen;

	if (ip->next_proto_id != IPPROTO_ICMP || len < hlen + 1)
		return false;
	// Echo request/reply, timestamp, info: not errors.
	return !(icmp[0] == 0 || icmp[0] == 8 || (icmp[0] >= 13 && icmp[0] <= 18));
}

static void
error4(const struct dxtr_conf *c, const struct dp_punt *pk, unsigned type, unsigned mtu)
{
	struct rte_mbuf *m = pk->m;
	const struct rte_ether_hdr *oeth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *oip = (const struct rte_ipv4_hdr *)(oeth + 1);
	uint32_t olen = rte_pktmbuf_pkt_len(m) - sizeof(*oeth);
	const struct ip_addr *src = port_addr(c, pk->port, AF_INET);
	uint32_t osrc = rte_be_to_cpu_32(oip->src_addr);

	if (src == NULL) {
		cnt.no_source++;
		return;
	}
	if (is_error4(oip, olen) || osrc == 0 || (osrc >> 28) == 0xe) {
		cnt.suppressed++;
		return;
	}
	unsigned quote = RTE_MIN(olen, (uint32_t)(ICMP4_MAX - 28));
	struct rte_mbuf *r = dp_ctl_alloc();
	uint8_t *f = r ? (uint8_t *)rte_pktmbuf_append(r, sizeof(*oeth) + 28 + quote) : NULL;
	if (f == NULL) {
		rte_pktmbuf_free(r);
		cnt.failed++;
		return;
	}
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint8_t *icmp = (uint8_t *)(ip + 1);
	struct dp_port_info info;
	dp_port_info(pk->port, &info);
	eth->dst_addr = oeth->src_addr;
	eth->src_addr = info.mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(28 + quote);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	memcpy(&ip->src_addr, src->bytes, 4);
	ip->dst_addr = oip->src_addr;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	memset(icmp, 0, 8);
	switch (type) {
	case DP_ICMP_TOO_BIG:
		icmp[0] = 3; // destination unreachable, code 4: fragmentation needed and DF set
		icmp[1] = 4;
		icmp[6] = (uint8_t)(mtu >> 8);
		icmp[7] = (uint8_t)mtu;
		break;
	case DP_ICMP_UNREACHABLE:
		icmp[0] = 3; // destination unreachable, code 1: host unreachable
		icmp[1] = 1;
		break;
	case DP_ICMP_PROHIBITED:
		icmp[0] = 3; // destination unreachable, code 13: administratively prohibited
		icmp[1] = 13;
		break;
	default:
		icmp[0] = 11; // time exceeded in transit
		break;
	}
	quote_copy(m, sizeof(*oeth), quote, icmp + 8);
	uint16_t ck = ~rte_raw_cksum(icmp, 8 + quote);
	memcpy(icmp + 2, &ck, 2);
	dp_ctl_tx(pk->port, &r, 1);
	cnt.sent++;
}

static void
error6(const struct dxtr_conf *c, const struct dp_punt *pk, unsigned type, unsigned mtu)
{
	struct rte_mbuf *m = pk->m;
	const struct rte_ether_hdr *oeth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv6_hdr *oip = (const struct rte_ipv6_hdr *)(oeth + 1);
	uint32_t olen = rte_pktmbuf_pkt_len(m) - sizeof(*oeth);
	const struct ip_addr *src = port_addr(c, pk->port, AF_INET6);
	static const uint8_t unspecified[16];
	const uint8_t *oicmp = (const uint8_t *)(oip + 1);

	if (src == NULL) {
		cnt.no_source++;
		return;
	}
	if (oip->src_addr[0] == 0xff || memcmp(oip->src_addr, unspecified, 16) == 0 ||
	    (oip->proto == IPPROTO_ICMPV6 && olen > sizeof(*oip) && oicmp[0] < 128)) {
		cnt.suppressed++;
		return;
	}
	unsigned quote = RTE_MIN(olen, (uint32_t)(ICMP6_MAX - 48));
	struct rte_mbuf *r = dp_ctl_alloc();
	uint8_t *f = r ? (uint8_t *)rte_pktmbuf_append(r, sizeof(*oeth) + 48 + quote) : NULL;
	if (f == NULL) {
		rte_pktmbuf_free(r);
		cnt.failed++;
		return;
	}
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	uint8_t *icmp = (uint8_t *)(ip6 + 1);
	struct dp_port_info info;
	dp_port_info(pk->port, &info);
	eth->dst_addr = oeth->src_addr;
	eth->src_addr = info.mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = RTE_BE32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(8 + quote);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 64;
	memcpy(ip6->src_addr, src->bytes, 16);
	memcpy(ip6->dst_addr, oip->src_addr, 16);
	memset(icmp, 0, 8);
	switch (type) {
	case DP_ICMP_TOO_BIG:
		icmp[0] = ICMP6_PACKET_TOO_BIG;
		icmp[4] = (uint8_t)(mtu >> 24);
		icmp[5] = (uint8_t)(mtu >> 16);
		icmp[6] = (uint8_t)(mtu >> 8);
		icmp[7] = (uint8_t)mtu;
		break;
	case DP_ICMP_UNREACHABLE:
		icmp[0] = ICMP6_DEST_UNREACH;
		icmp[1] = 3; // address unreachable
		break;
	case DP_ICMP_PROHIBITED:
		icmp[0] = ICMP6_DEST_UNREACH;
		icmp[1] = 1; // administratively prohibited
		break;
	default:
		icmp[0] = ICMP6_TIME_EXCEEDED;
		break;
	}
	quote_copy(m, sizeof(*oeth), quote, icmp + 8);
	uint16_t ck = rte_ipv6_udptcp_cksum(ip6, icmp);
	memcpy(icmp + 2, &ck, 2);
	dp_ctl_tx(pk->port, &r, 1);
	cnt.sent++;
}

void
icmp_error_input(const struct dxtr_conf *c, const struct dp_punt *pk)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(pk->m, const struct rte_ether_hdr *);
	unsigned type = pk->arg >> 16, mtu = pk->arg & 0xffff;
	uint32_t len = rte_pktmbuf_data_len(pk->m);

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	    len >= sizeof(*eth) + sizeof(struct rte_ipv4_hdr))
		error4(c, pk, type, mtu);
	else if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
		 len >= sizeof(*eth) + sizeof(struct rte_ipv6_hdr))
		error6(c, pk, type, mtu);
	else
		cnt.failed++;
	rte_pktmbuf_free(pk->m);
}

void
icmp_error_counters(struct icmp_error_counters *c)
{
	*c = cnt;
}
