// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "dp.h"
#include "dp_nh.h"
#include "dxtr.h"
#include "ctl_loop.h"
#include "log.h"
#include "neighbor.h"

LOG_TYPE(neigh);

#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LLADDR 1
#define ND_OPT_TARGET_LLADDR 2

struct neigh {
	bool used;
	enum neigh_state state;
	unsigned tries;
	uint64_t next_ms; // next request
	uint64_t answered_ms;
	struct ip_addr addr;
	struct ip_addr src;
	unsigned port;
	uint8_t mac[6];
	unsigned n_held;
	struct rte_mbuf *held[NEIGH_HOLD_MAX]; // copies in control's pool
};

// Control lcore only; indexed by next-hop index.
static struct neigh neighs[DP_NH_MAX];
static struct neigh_counters cnt;

static int
port_mac(unsigned port, struct rte_ether_addr *mac)
{
	struct dp_port_info info;

	if (dp_port_info(port, &info) < 0)
		return -ENOENT;
	*mac = info.mac;
	return 0;
}

static struct rte_mbuf *
build_arp_request(struct neigh *n, const struct rte_ether_addr *mac)
{
	struct rte_mbuf *m = dp_ctl_alloc();
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	if (m == NULL)
		return NULL;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, sizeof(*eth) + sizeof(*arp));
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	eth->src_addr = *mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = *mac;
	memcpy(&arp->arp_data.arp_sip, n->src.bytes, 4);
	memset(&arp->arp_data.arp_tha, 0, sizeof(arp->arp_data.arp_tha));
	memcpy(&arp->arp_data.arp_tip, n->addr.bytes, 4);
	return m;
}

static struct rte_mbuf *
build_solicit(struct neigh *n, const struct rte_ether_addr *mac)
{
	struct rte_mbuf *m = dp_ctl_alloc();
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip6;
	uint8_t *icmp;

	if (m == NULL)
		return NULL;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, sizeof(*eth) + sizeof(*ip6) + 32);
	ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	icmp = (uint8_t *)(ip6 + 1);
	// To the solicited-node group ff02::1:ffXX:XXXX, at MAC 33:33:ffXX:XXXX.
	uint8_t group[16] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};
	memcpy(group + 13, n->addr.bytes + 13, 3);
	uint8_t dmac[6] = {0x33, 0x33, 0xff, n->addr.bytes[13], n->addr.bytes[14], n->addr.bytes[15]};
	memcpy(eth->dst_addr.addr_bytes, dmac, 6);
	eth->src_addr = *mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = RTE_BE32(6u << 28);
	ip6->payload_len = RTE_BE16(32);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 255;
	memcpy(ip6->src_addr, n->src.bytes, 16);
	memcpy(ip6->dst_addr, group, 16);
	memset(icmp, 0, 32);
	icmp[0] = ND_NEIGHBOR_SOLICIT;
	memcpy(icmp + 8, n->addr.bytes, 16);
	icmp[24] = ND_OPT_SOURCE_LLADDR;
	icmp[25] = 1;
	memcpy(icmp + 26, mac->addr_bytes, 6);
	uint16_t ck = rte_ipv6_udptcp_cksum(ip6, icmp);
	memcpy(icmp + 2, &ck, 2);
	return m;
}

static void
solicit(struct neigh *n)
{
	struct rte_ether_addr mac;
	struct rte_mbuf *m;

	if (port_mac(n->port, &mac) < 0)
		return;
	m = n->addr.af == AF_INET ? build_arp_request(n, &mac) : build_solicit(n, &mac);
	if (m == NULL)
		return;
	dp_ctl_tx(n->port, &m, 1);
	cnt.requests++;
	n->tries++;
	n->next_ms = ctl_now_ms() + NEIGH_RETRY_MS;
}

static void
drop_held(struct neigh *n, uint64_t *counter)
{
	for (unsigned i = 0; i < n->n_held; i++)
		rte_pktmbuf_free(n->held[i]);
	*counter += n->n_held;
	n->n_held = 0;
}

int
neigh_resolve(unsigned port, const struct ip_addr *addr, const struct ip_addr *src)
{
	int idx = dp_nh_get(port, addr->af, addr->bytes);
	struct neigh *n;

	if (idx < 0)
		return idx;
	n = &neighs[idx];
	if (n->used)
		return idx;
	*n = (struct neigh){.used = true, .addr = *addr, .src = *src, .port = port};
	solicit(n);
	return idx;
}

static void
resolved(uint32_t idx, const uint8_t *mac)
{
	struct neigh *n = &neighs[idx];
	struct rte_ether_addr ea;

	memcpy(ea.addr_bytes, mac, 6);
	if (n->state != NEIGH_REACHABLE || memcmp(n->mac, mac, 6) != 0)
		LOG(INFO, "next hop %u on port %u: %02x:%02x:%02x:%02x:%02x:%02x", idx, n->port,
		    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	memcpy(n->mac, mac, 6);
	n->state = NEIGH_REACHABLE;
	n->tries = 0;
	n->answered_ms = ctl_now_ms();
	n->next_ms = n->answered_ms + NEIGH_REFRESH_MS;
	dp_nh_set_mac(idx, &ea);
	cnt.replies++;
	// Release what waited for it, addressed now.
	for (unsigned i = 0; i < n->n_held; i++) {
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(n->held[i], struct rte_ether_hdr *);
		eth->dst_addr = ea;
		port_mac(n->port, &eth->src_addr);
	}
	if (n->n_held > 0) {
		cnt.released += dp_ctl_tx(n->port, n->held, n->n_held);
		n->n_held = 0;
	}
}

// Parses an ARP reply or a neighbor advertisement; returns the sender's IP and MAC.
static bool
parse_answer(struct rte_mbuf *m, struct ip_addr *ip, uint8_t *mac)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint32_t len = rte_pktmbuf_data_len(m);

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)(eth + 1);
		if (len < sizeof(*eth) + sizeof(*arp))
			return false;
		ip->af = AF_INET;
		memcpy(ip->bytes, &arp->arp_data.arp_sip, 4);
		memcpy(mac, arp->arp_data.arp_sha.addr_bytes, 6);
		return true;
	}
	// IPv6 neighbor advertisement: target + target link-layer option.
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eth + 1);
	const uint8_t *icmp = (const uint8_t *)(ip6 + 1);
	uint32_t plen;
	if (len < sizeof(*eth) + sizeof(*ip6) + 24)
		return false;
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (plen < 24 || plen > len - sizeof(*eth) - sizeof(*ip6) || icmp[0] != ND_NEIGHBOR_ADVERT)
		return false;
	ip->af = AF_INET6;
	memcpy(ip->bytes, icmp + 8, 16);
	for (uint32_t off = 24; off + 8 <= plen; off += icmp[off + 1] * 8) {
		if (icmp[off + 1] == 0)
			return false;
		if (icmp[off] == ND_OPT_TARGET_LLADDR) {
			memcpy(mac, icmp + off + 2, 6);
			return true;
		}
	}
	return false; // no link-layer address: nothing to learn
}

void
neigh_input(const struct dp_punt *pk)
{
	struct ip_addr ip = {0};
	uint8_t mac[6];
	int idx;

	if (!parse_answer(pk->m, &ip, mac)) {
		cnt.malformed++;
	} else if ((idx = dp_nh_find(pk->port, ip.af, ip.bytes)) < 0 || !neighs[idx].used) {
		cnt.unexpected++;
	} else {
		resolved(idx, mac);
	}
	rte_pktmbuf_free(pk->m);
}

// The next hop of a decapsulated frame to a site host nobody asked about yet: its inner
// destination on the EID port, asked from our address of the same family there.
static int
host_nexthop(const struct dp_punt *pk)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(pk->m, const struct rte_ether_hdr *);
	const struct conf_port *port;
	struct ip_addr dst = {0};
	const struct ip_addr *src = NULL;

	if (pk->port >= dxtr.conf.n_ports)
		return -EINVAL;
	port = &dxtr.conf.ports[pk->port];
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		dst.af = AF_INET;
		memcpy(dst.bytes, &((const struct rte_ipv4_hdr *)(eth + 1))->dst_addr, 4);
	} else {
		dst.af = AF_INET6;
		memcpy(dst.bytes, ((const struct rte_ipv6_hdr *)(eth + 1))->dst_addr, 16);
	}
	for (unsigned i = 0; i < port->n_addrs; i++) {
		if (port->addrs[i].addr.af != dst.af)
			continue;
		if (src == NULL || conf_prefix_contains(&port->addrs[i], &dst))
			src = &port->addrs[i].addr;
	}
	if (src == NULL)
		return -EADDRNOTAVAIL;
	return neigh_resolve(pk->port, &dst, src);
}

void
neigh_hold(const struct dp_punt *pk)
{
	int idx = pk->arg == DP_NH_NONE ? host_nexthop(pk) : (int)pk->arg;
	struct neigh *n = idx >= 0 && idx < DP_NH_MAX ? &neighs[idx] : NULL;
	struct rte_mbuf *copy;

	if (n == NULL || !n->used || n->n_held >= NEIGH_HOLD_MAX) {
		cnt.hold_dropped++;
		rte_pktmbuf_free(pk->m);
		return;
	}
	copy = dp_ctl_copy(pk->m);
	if (copy != NULL) {
		n->held[n->n_held++] = copy;
		cnt.held++;
	} else {
		cnt.hold_dropped++;
	}
	rte_pktmbuf_free(pk->m);
	if (n->state == NEIGH_FAILED) {
		// Asked for again: start over.
		n->state = NEIGH_INCOMPLETE;
		n->tries = 0;
		solicit(n);
	}
}

void
neigh_output(uint32_t idx, struct rte_mbuf *m)
{
	struct neigh *n = idx < DP_NH_MAX ? &neighs[idx] : NULL;
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	if (n == NULL || !n->used) {
		cnt.hold_dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	port_mac(n->port, &eth->src_addr);
	if (n->state == NEIGH_REACHABLE) {
		memcpy(eth->dst_addr.addr_bytes, n->mac, 6);
		dp_ctl_tx(n->port, &m, 1);
		return;
	}
	if (n->n_held >= NEIGH_HOLD_MAX) {
		cnt.hold_dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	n->held[n->n_held++] = m;
	cnt.held++;
	if (n->state == NEIGH_FAILED) {
		n->state = NEIGH_INCOMPLETE;
		n->tries = 0;
		solicit(n);
	}
}

void
neigh_tick(void)
{
	uint64_t now = ctl_now_ms();
	unsigned count = dp_nh_count();

	for (unsigned i = 0; i < count; i++) {
		struct neigh *n = &neighs[i];
		if (!n->used || n->state == NEIGH_FAILED || now < n->next_ms)
			continue;
		if (n->tries < NEIGH_TRIES) {
			solicit(n);
			continue;
		}
		LOG(NOTICE, "next hop %u on port %u: no answer after %u requests", i, n->port, n->tries);
		n->state = NEIGH_FAILED;
		dp_nh_set_mac(i, NULL);
		drop_held(n, &cnt.failed_dropped);
	}
}

void
neigh_fini(void)
{
	uint64_t dropped = 0;

	for (unsigned i = 0; i < DP_NH_MAX; i++) {
		drop_held(&neighs[i], &dropped);
		neighs[i].used = false;
	}
}

void
neigh_counters(struct neigh_counters *c)
{
	*c = cnt;
}

const char *
neigh_state_name(enum neigh_state s)
{
	switch (s) {
	case NEIGH_INCOMPLETE:
		return "incomplete";
	case NEIGH_REACHABLE:
		return "reachable";
	case NEIGH_FAILED:
		return "failed";
	}
	return "?";
}

void
neigh_foreach(void (*cb)(const struct neigh_view *v, void *arg), void *arg)
{
	uint64_t now = ctl_now_ms();
	unsigned count = dp_nh_count();

	for (unsigned i = 0; i < count; i++) {
		const struct neigh *n = &neighs[i];
		struct neigh_view v = {
			.nh = i,
			.port = n->port,
			.addr = n->addr,
			.state = n->state,
			.held = n->n_held,
			.age_ms = n->answered_ms ? now - n->answered_ms : 0,
		};
		if (!n->used)
			continue;
		memcpy(v.mac, n->mac, 6);
		cb(&v, arg);
	}
}
