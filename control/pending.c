// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_ip.h>
#include <rte_jhash.h>
#include <rte_lcore.h>

#include "dp.h"
#include "ctl_loop.h"
#include "log.h"
#include "map_request.h"
#include "mapping.h"
#include "pending.h"
#include "route.h"

LOG_TYPE(pending);

struct pending_key {
	uint32_t iid;
	uint32_t af;
	uint8_t addr[16];
};

struct pending {
	bool used;
	struct pending_key key;
	unsigned port; // the EID port the packets came in on
	uint64_t created_ms;
	uint64_t packets;
	unsigned n_held;
	struct rte_mbuf *held[64]; // copies in control's pool; at most hold_packets
};

// Control lcore only.
static struct pending table[PENDING_MAX];
static struct rte_hash *by_key;
static unsigned n_pending;
static unsigned total_held;
static struct conf_lisp lisp;
static struct pending_counters cnt;

int
pending_init(const struct conf_lisp *l)
{
	struct rte_hash_parameters hp = {
		.name = "dxtr_pending",
		.entries = PENDING_MAX * 2,
		.key_len = sizeof(struct pending_key),
		.hash_func = rte_jhash,
		.socket_id = SOCKET_ID_ANY,
	};

	lisp = *l;
	if (lisp.hold_packets > RTE_DIM(table[0].held))
		lisp.hold_packets = RTE_DIM(table[0].held);
	by_key = rte_hash_create(&hp);
	return by_key == NULL ? -ENOMEM : 0;
}

static void
host_prefix(const struct pending_key *k, struct ip_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->addr.af = k->af;
	memcpy(p->addr.bytes, k->addr, 16);
	p->len = k->af == AF_INET ? 32 : 128;
}

static void
forget(struct pending *pd)
{
	for (unsigned i = 0; i < pd->n_held; i++)
		rte_pktmbuf_free(pd->held[i]);
	total_held -= pd->n_held;
	pd->n_held = 0;
	rte_hash_del_key(by_key, &pd->key);
	pd->used = false;
	n_pending--;
}

void
pending_fini(void)
{
	for (unsigned i = 0; i < PENDING_MAX; i++)
		if (table[i].used)
			forget(&table[i]);
	rte_hash_free(by_key);
	by_key = NULL;
}

// The inner destination (and source) of an EID-side frame.
static bool
frame_dst(struct rte_mbuf *m, struct pending_key *k, struct ip_addr *src)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint32_t len = rte_pktmbuf_data_len(m);

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	    len >= sizeof(*eth) + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
		k->af = AF_INET;
		memcpy(k->addr, &ip->dst_addr, 4);
		src->af = AF_INET;
		memcpy(src->bytes, &ip->src_addr, 4);
		return true;
	}
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
	    len >= sizeof(*eth) + sizeof(struct rte_ipv6_hdr)) {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eth + 1);
		k->af = AF_INET6;
		memcpy(k->addr, ip6->dst_addr, 16);
		src->af = AF_INET6;
		memcpy(src->bytes, ip6->src_addr, 16);
		return true;
	}
	return false;
}

static struct pending *
create(const struct pending_key *k, unsigned port, const struct ip_addr *src)
{
	struct ip_prefix host;
	char err[256];
	unsigned i;

	if (n_pending >= PENDING_MAX)
		return NULL;
	for (i = 0; i < PENDING_MAX && table[i].used; i++)
		;
	if (i == PENDING_MAX || rte_hash_add_key_data(by_key, k, &table[i]) < 0)
		return NULL;
	table[i] = (struct pending){.used = true, .key = *k, .port = port, .created_ms = ctl_now_ms()};
	n_pending++;
	cnt.misses++;
	// Later packets to it now hit a pending entry instead of missing again.
	host_prefix(k, &host);
	struct mapping_spec ms = {.iid = k->iid, .prefix = host, .origin = MAPPING_PENDING};
	if (mapping_add(&ms, err, sizeof(err)) < 0)
		LOG(DEBUG, "no pending entry: %s", err);
	mreq_start(k->iid, &host.addr, src);
	return &table[i];
}

void
pending_input(const struct dp_punt *pk)
{
	struct pending_key k = {.iid = pk->arg};
	struct ip_addr src = {0};
	struct pending *pd;
	void *data;

	if (!frame_dst(pk->m, &k, &src)) {
		cnt.malformed++;
		rte_pktmbuf_free(pk->m);
		return;
	}
	if (rte_hash_lookup_data(by_key, &k, &data) >= 0)
		pd = data;
	else
		pd = create(&k, pk->port, &src);
	if (pd == NULL) {
		cnt.table_full++;
		rte_pktmbuf_free(pk->m);
		return;
	}
	pd->packets++;
	if (pd->n_held >= lisp.hold_packets || total_held >= lisp.hold_total) {
		cnt.hold_dropped++;
		rte_pktmbuf_free(pk->m);
		return;
	}
	struct rte_mbuf *copy = dp_ctl_copy(pk->m);
	rte_pktmbuf_free(pk->m);
	if (copy == NULL) {
		cnt.hold_dropped++;
		return;
	}
	pd->held[pd->n_held++] = copy;
	total_held++;
	cnt.held++;
}

void
pending_release(uint32_t iid, const struct ip_prefix *prefix)
{
	for (unsigned i = 0; i < PENDING_MAX && n_pending > 0; i++) {
		struct pending *pd = &table[i];
		struct ip_addr dst = {.af = pd->key.af};
		struct ip_prefix host;
		if (!pd->used || pd->key.iid != iid)
			continue;
		memcpy(dst.bytes, pd->key.addr, 16);
		if (!conf_prefix_contains(prefix, &dst))
			continue;
		// Drop the pending host entry first (unless the new mapping is that very host
		// prefix and replaced it), so the released packets find the new mapping.
		host_prefix(&pd->key, &host);
		if (host.len != prefix->len)
			mapping_del(iid, &host);
		for (unsigned j = 0; j < pd->n_held; j++)
			if (dp_reinject(pd->port, pd->held[j]) == 0)
				cnt.released++;
		total_held -= pd->n_held;
		pd->n_held = 0;
		forget(pd);
	}
}

void
pending_tick(void)
{
	uint64_t now = ctl_now_ms();

	for (unsigned i = 0; i < PENDING_MAX && n_pending > 0; i++) {
		struct pending *pd = &table[i];
		struct ip_prefix host;
		if (!pd->used || now - pd->created_ms < lisp.hold_timeout_ms)
			continue;
		cnt.timed_out += pd->n_held;
		host_prefix(&pd->key, &host);
		mapping_del(pd->key.iid, &host);
		forget(pd);
	}
}

void
pending_counters(struct pending_counters *c)
{
	*c = cnt;
}

unsigned
pending_count(void)
{
	return n_pending;
}

void
pending_foreach(void (*cb)(const struct pending_view *v, void *arg), void *arg)
{
	uint64_t now = ctl_now_ms();

	for (unsigned i = 0; i < PENDING_MAX; i++) {
		const struct pending *pd = &table[i];
		if (!pd->used)
			continue;
		struct pending_view v = {
			.iid = pd->key.iid,
			.dst = {.af = pd->key.af},
			.held = pd->n_held,
			.age_ms = now - pd->created_ms,
			.packets = pd->packets,
		};
		memcpy(v.dst.bytes, pd->key.addr, 16);
		cb(&v, arg);
	}
}
