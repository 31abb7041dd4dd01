// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Map-cache tables: one rte_fib (IPv4) or rte_fib6 (IPv6) per IID and family, their creation
// and publication, FIB changes under the grace-period rule, and the readers' bulk lookups.
// See map_cache.c for the safety argument.

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_malloc.h>
#include <rte_rib.h>
#include <rte_rib6.h>

#include "mc_priv.h"

// --- Prefixes and tables ---

// Validates and masks a prefix.
int
mc_prefix_norm(const struct mc_prefix *p, struct mc_prefix *out)
{
	unsigned bytes;

	if (p == NULL)
		return -EINVAL;
	if (p->af == AF_INET && p->len <= 32)
		bytes = 4;
	else if (p->af == AF_INET6 && p->len <= 128)
		bytes = 16;
	else
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->af = p->af;
	out->len = p->len;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned bits = p->len > i * 8 ? p->len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		out->addr[i] = p->addr[i] & mask;
	}
	return 0;
}

static uint32_t
prefix_ip4(const struct mc_prefix *p)
{
	return (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 | (uint32_t)p->addr[2] << 8 |
		p->addr[3];
}

struct mc_table *
mc_table_lookup(const struct mc *mc, uint8_t af, uint32_t iid)
{
	for (uint32_t i = 0; i < mc->n_tables; i++) {
		struct mc_table *t = mc->tables[i];
		if (t->af == af && t->iid == iid)
			return t;
	}
	return NULL;
}

// The table of an IID, created if needed. NULL + rte_errno.
struct mc_table *
mc_table_get(struct mc *mc, uint8_t af, uint32_t iid)
{
	struct mc_table *t = mc->last_table;

	if (t != NULL && t->af == af && t->iid == iid)
		return t;
	t = mc_table_lookup(mc, af, iid);
	if (t != NULL) {
		mc->last_table = t;
		return t;
	}
	if ((af != AF_INET && af != AF_INET6) || iid > MC_IID_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (mc->n_tables == mc->conf.max_tables) {
		rte_errno = ENOSPC;
		return NULL;
	}
	t = rte_zmalloc_socket("mc_table", sizeof(*t), RTE_CACHE_LINE_SIZE, mc->conf.socket_id);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t->slots = mc->slots;
	t->iid = iid;
	t->af = af;
	t->mc = mc;
	mc->tables[mc->n_tables] = t;
	// Publication: the handle is complete before readers can count it.
	__atomic_store_n(&mc->n_tables, mc->n_tables + 1, __ATOMIC_RELEASE);
	mc->stats.tables = mc->n_tables;
	mc->last_table = t;
	return t;
}

struct mc_table *
mc_table4(struct mc *mc, uint32_t iid)
{
	return mc_table_get(mc, AF_INET, iid);
}

struct mc_table *
mc_table6(struct mc *mc, uint32_t iid)
{
	return mc_table_get(mc, AF_INET6, iid);
}

struct mc_table *
mc_table_find(const struct mc *mc, uint8_t af, uint32_t iid)
{
	uint32_t n = __atomic_load_n(&mc->n_tables, __ATOMIC_ACQUIRE);

	for (uint32_t i = 0; i < n; i++) {
		struct mc_table *t = mc->tables[i];
		if (t->af == af && t->iid == iid)
			return t;
	}
	return NULL;
}

// A new, empty FIB for the table (names must be unique in the process).
static void *
fib_create(struct mc *mc, struct mc_table *t)
{
	char name[32];

	snprintf(
		name,
		sizeof(name),
		"mc%u_%c%x_%x",
		mc->id,
		t->af == AF_INET ? '4' : '6',
		t->iid,
		t->fib_gen++
	);
	if (t->af == AF_INET) {
		struct rte_fib_conf fc = {
			.type = RTE_FIB_DIR24_8,
			.default_nh = 0,
			.max_routes = (int)mc->conf.v4_max_routes,
			.dir24_8 = {.nh_sz = mc->nh_sz4, .num_tbl8 = mc->conf.v4_tbl8},
		};
		return rte_fib_create(name, mc->conf.socket_id, &fc);
	} else {
		struct rte_fib6_conf fc = {
			.type = RTE_FIB6_TRIE,
			.default_nh = 0,
			.max_routes = (int)mc->conf.v6_max_routes,
			.trie = {.nh_sz = mc->nh_sz6, .num_tbl8 = mc->conf.v6_tbl8},
		};
		return rte_fib6_create(name, mc->conf.socket_id, &fc);
	}
}

// Creates the table's FIB with its first prefix.
int
mc_table_fib(struct mc *mc, struct mc_table *t)
{
	void *fib;

	if (t->fib != NULL)
		return 0;
	fib = fib_create(mc, t);
	if (fib == NULL)
		return rte_errno == EINVAL ? -EINVAL : -ENOMEM;
	__atomic_store_n(&t->fib, fib, __ATOMIC_RELEASE);
	return 0;
}

static int
copy_route6(struct rte_fib6 *fib, const struct rte_rib6_node *n)
{
	uint8_t ip[16], depth;
	uint64_t nh;

	rte_rib6_get_ip(n, ip);
	rte_rib6_get_depth(n, &depth);
	rte_rib6_get_nh(n, &nh);
	return rte_fib6_add(fib, ip, depth, nh);
}

// DPDK 22.11's TRIE never gives back the tbl8 groups it reserves for a prefix longer than /24
// when the prefix is deleted (its delete path finds the prefix itself where it looks for
// other prefixes below it), so after enough churn every such add fails with ENOSPC although
// groups are free. The cure: a new FIB with the same routes, published with a release store
// like a new table; the old one is freed after a grace period. Its groups are unreachable from
// the new FIB, so the new one needs no grace period before adds either.
static int
table_rebuild6(struct mc *mc, struct mc_table *t)
{
	static const uint8_t any[16];
	struct rte_rib6 *rib = rte_fib6_get_rib(t->fib);
	struct rte_rib6_node *n;
	struct mc_defer d = {.ptr = t->fib, .kind = MC_DEFER_FIB6};
	struct rte_fib6 *fib;
	int ret = 0;

	fib = fib_create(mc, t);
	if (fib == NULL)
		return -ENOMEM;
	n = rte_rib6_lookup_exact(rib, any, 0); // get_nxt below skips the /0 itself
	if (n != NULL)
		ret = copy_route6(fib, n);
	n = NULL;
	while (ret == 0 && (n = rte_rib6_get_nxt(rib, any, 0, n, RTE_RIB6_GET_NXT_ALL)) != NULL)
		ret = copy_route6(fib, n);
	if (ret < 0) {
		rte_fib6_free(fib);
		return ret;
	}
	__atomic_store_n(&t->fib, fib, __ATOMIC_RELEASE);
	mc_defer_push(mc, &d);
	t->long_dels = 0;
	t->gp_pending = false;
	mc->stats.rebuilds++;
	return 0;
}

// The slot of an exact prefix, 0 if absent.
uint32_t
mc_table_slot(const struct mc_table *t, const struct mc_prefix *p)
{
	uint64_t nh = 0;

	if (t == NULL || t->fib == NULL)
		return 0;
	if (t->af == AF_INET) {
		struct rte_rib *rib = rte_fib_get_rib(t->fib);
		struct rte_rib_node *n = rte_rib_lookup_exact(rib, prefix_ip4(p), p->len);
		if (n == NULL || rte_rib_get_nh(n, &nh) != 0)
			return 0;
	} else {
		struct rte_rib6 *rib = rte_fib6_get_rib(t->fib);
		struct rte_rib6_node *n = rte_rib6_lookup_exact(rib, p->addr, p->len);
		if (n == NULL || rte_rib6_get_nh(n, &nh) != 0)
			return 0;
	}
	return (uint32_t)nh;
}

int
mc_fib_add(struct mc *mc, struct mc_table *t, const struct mc_prefix *p, uint32_t slot)
{
	int ret;

	// Rule 3 in map_cache.c: a group freed by a delete must not be reused under a reader.
	if (t->gp_pending && p->len > 24) {
		if (!rte_rcu_qsbr_check(mc->qsv, t->gp_token, false)) {
			mc->stats.gp_waits++;
			rte_rcu_qsbr_check(mc->qsv, t->gp_token, true);
		}
		t->gp_pending = false;
	}
	if (t->af == AF_INET)
		return rte_fib_add(t->fib, prefix_ip4(p), p->len, slot);
	ret = rte_fib6_add(t->fib, p->addr, p->len, slot);
	if (ret == -ENOSPC && t->long_dels != 0) {
		ret = table_rebuild6(mc, t);
		if (ret == 0)
			ret = rte_fib6_add(t->fib, p->addr, p->len, slot);
	}
	return ret;
}

int
mc_fib_del(struct mc *mc, struct mc_table *t, const struct mc_prefix *p)
{
	int ret;

	if (t->af == AF_INET)
		ret = rte_fib_delete(t->fib, prefix_ip4(p), p->len);
	else
		ret = rte_fib6_delete(t->fib, p->addr, p->len);
	// Taken after the delete: readers that may still walk a freed group predate the token.
	t->gp_token = rte_rcu_qsbr_start(mc->qsv);
	t->gp_pending = true;
	if (ret == 0 && p->len > 24)
		t->long_dels++;
	return ret;
}

void
mc_table_free(struct mc_table *t)
{
	if (t->fib != NULL && t->af == AF_INET)
		rte_fib_free(t->fib);
	else if (t->fib != NULL)
		rte_fib6_free(t->fib);
	rte_free(t);
}

// --- Lookups (readers) ---

// Slot pointers, then entries: prefetch a whole chunk before touching any of it.
static unsigned
resolve(struct mc_entry *const *slots, const uint64_t *nh, const struct mc_entry **out, unsigned n)
{
	unsigned hits = 0;

	for (unsigned i = 0; i < n; i++)
		rte_prefetch0(&slots[nh[i]]);
	for (unsigned i = 0; i < n; i++) {
		const struct mc_entry *e = __atomic_load_n(&slots[nh[i]], __ATOMIC_ACQUIRE);
		out[i] = e;
		if (e != NULL) {
			rte_prefetch0(e);
			rte_prefetch0(e->buckets);
			hits++;
		}
	}
	return hits;
}

unsigned
mc_lookup_bulk4(
	const struct mc_table *t,
	const uint32_t *dst_be,
	const struct mc_entry **out,
	unsigned n
)
{
	struct rte_fib *fib = t != NULL ? __atomic_load_n(&t->fib, __ATOMIC_ACQUIRE) : NULL;
	uint32_t ip[MC_LOOKUP_BURST];
	uint64_t nh[MC_LOOKUP_BURST];
	unsigned hits = 0;

	if (fib == NULL) {
		memset(out, 0, n * sizeof(out[0]));
		return 0;
	}
	for (unsigned off = 0; off < n; off += MC_LOOKUP_BURST) {
		unsigned m = RTE_MIN(n - off, (unsigned)MC_LOOKUP_BURST);
		for (unsigned i = 0; i < m; i++)
			ip[i] = rte_be_to_cpu_32(dst_be[off + i]);
		rte_fib_lookup_bulk(fib, ip, nh, (int)m);
		hits += resolve(t->slots, nh, out + off, m);
	}
	return hits;
}

unsigned
mc_lookup_bulk6(
	const struct mc_table *t,
	const uint8_t (*dst)[16],
	const struct mc_entry **out,
	unsigned n
)
{
	struct rte_fib6 *fib = t != NULL ? __atomic_load_n(&t->fib, __ATOMIC_ACQUIRE) : NULL;
	uint64_t nh[MC_LOOKUP_BURST];
	unsigned hits = 0;

	if (fib == NULL) {
		memset(out, 0, n * sizeof(out[0]));
		return 0;
	}
	for (unsigned off = 0; off < n; off += MC_LOOKUP_BURST) {
		unsigned m = RTE_MIN(n - off, (unsigned)MC_LOOKUP_BURST);
		// rte_fib6_lookup_bulk only reads the addresses.
		rte_fib6_lookup_bulk(fib, (uint8_t(*)[16])(uintptr_t)(dst + off), nh, (int)m);
		hits += resolve(t->slots, nh, out + off, m);
	}
	return hits;
}
