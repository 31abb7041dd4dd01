// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp.h"
#include "etr.h"
#include "lisp_io.h"
#include "lisp_msg.h"
#include "log.h"
#include "map_request.h"
#include "neighbor.h"
#include "probe.h"
#include "register.h"
#include "route.h"

LOG_TYPE(lisp_io);

#define IO_TTL 64

static struct lisp_io_counters cnt;
// Decoded messages are large (Map-Replies hold 32 records of 32 locators): one static each,
// control lcore only.
static struct lisp_msg msg;
static struct lisp_msg inner_msg;

void
lisp_ip_from_addr(struct lisp_ip *l, const struct ip_addr *a)
{
	memset(l, 0, sizeof(*l));
	l->afi = a->af == AF_INET ? LISP_AFI_IPV4 : a->af == AF_INET6 ? LISP_AFI_IPV6 : LISP_AFI_NONE;
	memcpy(l->bytes, a->bytes, 16);
}

void
lisp_ip_to_addr(struct ip_addr *a, const struct lisp_ip *l)
{
	memset(a, 0, sizeof(*a));
	a->af = l->afi == LISP_AFI_IPV4 ? AF_INET : l->afi == LISP_AFI_IPV6 ? AF_INET6 : 0;
	memcpy(a->bytes, l->bytes, 16);
}

void
lisp_io_count_tx(unsigned type)
{
	cnt.tx[type & (LISP_IO_TYPES - 1)]++;
}

void
lisp_io_counters(struct lisp_io_counters *c)
{
	*c = cnt;
}

// The UDP payload of a punted IPv4/IPv6 frame, with its addresses; checksums verified.
static const uint8_t *
udp_payload(struct rte_mbuf *m, struct lisp_io_peer *peer, size_t *len)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint32_t frame = rte_pktmbuf_data_len(m) - sizeof(*eth);
	const struct rte_udp_hdr *udp;
	unsigned l3, l4;

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
		l3 = (ip->version_ihl & 0xf) * 4;
		l4 = rte_be_to_cpu_16(ip->total_length) - l3; // checked by the worker
		udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + l3);
		if (udp->dgram_cksum != 0 && rte_ipv4_udptcp_cksum_verify(ip, udp) != 0) {
			cnt.rx_checksum++;
			return NULL;
		}
		peer->src.af = peer->dst.af = AF_INET;
		memcpy(peer->src.bytes, &ip->src_addr, 4);
		memcpy(peer->dst.bytes, &ip->dst_addr, 4);
	} else {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eth + 1);
		l3 = sizeof(*ip6);
		l4 = rte_be_to_cpu_16(ip6->payload_len);
		udp = (const struct rte_udp_hdr *)(ip6 + 1);
		if (rte_ipv6_udptcp_cksum_verify(ip6, udp) != 0) {
			cnt.rx_checksum++;
			return NULL;
		}
		peer->src.af = peer->dst.af = AF_INET6;
		memcpy(peer->src.bytes, ip6->src_addr, 16);
		memcpy(peer->dst.bytes, ip6->dst_addr, 16);
	}
	unsigned ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (l3 + l4 > frame || ulen < sizeof(*udp) || ulen > l4) {
		cnt.rx_malformed++;
		return NULL;
	}
	peer->sport = rte_be_to_cpu_16(udp->src_port);
	*len = ulen - sizeof(*udp);
	return (const uint8_t *)(udp + 1);
}

// An ECM: only Map-Requests inside, for our own EIDs (the ETR answers; we are no resolver).
static void
ecm_input(const struct lisp_io_peer *peer)
{
	const struct lisp_ecm *ecm = &msg.ecm;

	if (lisp_msg_decode(&inner_msg, ecm->msg, ecm->msg_len) < 0) {
		cnt.rx_malformed++;
		return;
	}
	if (inner_msg.type != LISP_TYPE_MAP_REQUEST) {
		cnt.rx_unexpected++;
		return;
	}
	cnt.rx[LISP_TYPE_MAP_REQUEST]++;
	etr_request(&inner_msg.request, peer, ecm->inner.sport);
}

void
lisp_io_input(const struct dp_punt *pk)
{
	struct lisp_io_peer peer = {.port = pk->port};
	const uint8_t *payload;
	size_t len;

	payload = udp_payload(pk->m, &peer, &len);
	if (payload == NULL)
		goto out;
	if (lisp_msg_decode(&msg, payload, len) < 0) {
		cnt.rx_malformed++;
		goto out;
	}
	cnt.rx[msg.type & (LISP_IO_TYPES - 1)]++;
	switch (msg.type) {
	case LISP_TYPE_MAP_REQUEST:
		etr_request(&msg.request, &peer, peer.sport);
		break;
	case LISP_TYPE_MAP_REPLY:
		if (msg.reply.probe)
			probe_reply(&msg.reply, &peer);
		else
			mreq_reply(&msg.reply, &peer);
		break;
	case LISP_TYPE_MAP_NOTIFY:
		register_notify(&msg.reg, &peer);
		break;
	case LISP_TYPE_ECM:
		ecm_input(&peer);
		break;
	default:
		cnt.rx_unexpected++;
		break;
	}
out:
	rte_pktmbuf_free(pk->m);
}

static struct rte_mbuf *
build(const struct ip_addr *src, const struct ip_addr *dst, uint16_t sport, uint16_t dport,
      const void *payload, size_t len)
{
	const bool v4 = dst->af == AF_INET;
	unsigned l3 = v4 ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr);
	struct rte_mbuf *m = dp_ctl_alloc();
	uint8_t *f;

	if (m == NULL)
		return NULL;
	f = (uint8_t *)rte_pktmbuf_append(m, RTE_ETHER_HDR_LEN + l3 + sizeof(struct rte_udp_hdr) +
						     len);
	if (f == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(f + RTE_ETHER_HDR_LEN + l3);
	memset(eth, 0, sizeof(*eth));
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + len);
	udp->dgram_cksum = 0;
	memcpy(udp + 1, payload, len);
	if (v4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(l3 + sizeof(*udp) + len);
		ip->time_to_live = IO_TTL;
		ip->next_proto_id = IPPROTO_UDP;
		memcpy(&ip->src_addr, src->bytes, 4);
		memcpy(&ip->dst_addr, dst->bytes, 4);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16(sizeof(*udp) + len);
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = IO_TTL;
		memcpy(ip6->src_addr, src->bytes, 16);
		memcpy(ip6->dst_addr, dst->bytes, 16);
		udp->dgram_cksum = rte_ipv6_udptcp_cksum(ip6, udp);
	}
	return m;
}

int
lisp_io_send(
	const struct ip_addr *src,
	const struct ip_addr *dst,
	uint16_t sport,
	uint16_t dport,
	const void *payload,
	size_t len
)
{
	struct ip_addr nexthop;
	const struct route *r = route_lookup(dst, &nexthop);
	struct rte_mbuf *m;
	int nh;

	if (r == NULL) {
		cnt.tx_no_route++;
		return -ENETUNREACH;
	}
	m = build(src != NULL ? src : &r->src, dst, sport, dport, payload, len);
	nh = m != NULL ? neigh_resolve(r->port, &nexthop, &r->src) : -ENOBUFS;
	if (nh < 0) {
		rte_pktmbuf_free(m);
		cnt.tx_failed++;
		return nh;
	}
	neigh_output(nh, m);
	return 0;
}
