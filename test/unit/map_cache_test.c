// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The map-cache: longest-prefix match (IPv4, IPv6, nested prefixes, /0, host routes, delete
// falling back to the covering prefix, IIDs isolated), locator choice (priority, weight,
// priority 255, stable buckets), outer header templates (lisp-protocol.md §5.1 vector (a)),
// counters and slot reuse. The two-lcore reader/writer stress test is in map_cache_stress.c.
// EAL runs inside the test: --no-huge -m 512, its own file prefix, removed at the end.

#include "map_cache.h"
#include "map_cache_test.h"

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_random.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// --- Helpers (shared with map_cache_stress.c through map_cache_test.h) ---

struct mc_prefix
mct_pfx(const char *addr, unsigned len)
{
	struct mc_prefix p = {.len = (uint8_t)len};

	if (strchr(addr, ':') != NULL) {
		p.af = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, p.addr), 1);
	} else {
		p.af = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, p.addr), 1);
	}
	return p;
}

void
mct_loc(
	struct mc_locator_spec *l,
	const char *rloc,
	uint8_t prio,
	uint8_t weight,
	bool usable
)
{
	memset(l, 0, sizeof(*l));
	l->priority = prio;
	l->weight = weight;
	l->usable = usable;
	if (strchr(rloc, ':') != NULL) {
		l->af = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, rloc, l->rloc), 1);
		assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff::1", l->src), 1);
	} else {
		l->af = AF_INET;
		assert_int_equal(inet_pton(AF_INET, rloc, l->rloc), 1);
		assert_int_equal(inet_pton(AF_INET, "198.18.0.1", l->src), 1);
	}
}

struct mc *
mct_create(uint32_t max_entries)
{
	struct mc_conf c = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = max_entries,
		.max_tables = 8,
		.v4_tbl8 = 100, // with max_entries <= 127: 1-byte next hops, a 16 MB tbl24
		.v6_tbl8 = 1024,
		.defer_size = 64,
	};
	struct mc *mc = mc_create(&c);

	assert_non_null(mc);
	return mc;
}

static uint32_t
ip4(const char *s)
{
	uint32_t a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
spec_neg(struct mc_entry_spec *s, enum mc_action a)
{
	memset(s, 0, sizeof(*s));
	s->action = a;
}

static void
spec_one(struct mc_entry_spec *s, const char *rloc)
{
	memset(s, 0, sizeof(*s));
	s->action = MC_ACT_ENCAP;
	s->n_locators = 1;
	mct_loc(&s->loc[0], rloc, 1, 100, true);
}

static void
add(struct mc *mc, uint32_t iid, const char *addr, unsigned len, const struct mc_entry_spec *s)
{
	struct mc_prefix p = mct_pfx(addr, len);

	assert_int_equal(mc_add(mc, iid, &p, s), 0);
}

static void
del(struct mc *mc, uint32_t iid, const char *addr, unsigned len)
{
	struct mc_prefix p = mct_pfx(addr, len);

	assert_int_equal(mc_del(mc, iid, &p), 0);
}

// The prefix length of the entry an address hits, -1 on a miss.
static int
hit4(const struct mc_table *t, const char *addr)
{
	uint32_t a = ip4(addr);
	const struct mc_entry *e;

	mc_lookup_bulk4(t, &a, &e, 1);
	if (e == NULL)
		return -1;
	assert_int_equal(e->magic, MC_ENTRY_MAGIC);
	return e->prefix.len;
}

static int
hit6(const struct mc_table *t, const char *addr)
{
	uint8_t a[1][16];
	const struct mc_entry *e;

	assert_int_equal(inet_pton(AF_INET6, addr, a[0]), 1);
	mc_lookup_bulk6(t, (const uint8_t(*)[16])a, &e, 1);
	if (e == NULL)
		return -1;
	assert_int_equal(e->magic, MC_ENTRY_MAGIC);
	return e->prefix.len;
}

// --- 1. Longest-prefix match ---

static void
test_lpm4(void **state)
{
	struct mc *mc = mct_create(100);
	struct mc_entry_spec s;
	struct mc_table *t1, *t2;
	const struct mc_entry *e;
	struct mc_prefix p;
	(void)state;

	// No table yet, then an empty table: everything misses.
	assert_null(mc_table_find(mc, AF_INET, 1));
	assert_int_equal(hit4(NULL, "10.1.2.3"), -1);
	t1 = mc_table4(mc, 1);
	assert_non_null(t1);
	assert_ptr_equal(mc_table_find(mc, AF_INET, 1), t1);
	assert_int_equal(hit4(t1, "10.1.2.3"), -1);

	spec_neg(&s, MC_ACT_DROP);
	add(mc, 1, "0.0.0.0", 0, &s);
	spec_neg(&s, MC_ACT_NATIVE_FWD);
	add(mc, 1, "10.0.0.0", 8, &s);
	spec_one(&s, "198.18.1.1");
	add(mc, 1, "10.1.0.0", 16, &s);
	spec_neg(&s, MC_ACT_SEND_MAP_REQUEST);
	add(mc, 1, "10.1.2.0", 24, &s);
	spec_neg(&s, MC_ACT_DROP_POLICY);
	add(mc, 1, "10.1.2.128", 25, &s);
	spec_neg(&s, MC_ACT_PENDING);
	add(mc, 1, "10.1.2.200", 32, &s);
	// Host bits are masked off.
	spec_neg(&s, MC_ACT_NO_ACTION);
	add(mc, 1, "10.1.2.77", 30, &s);
	assert_int_equal(mc_count(mc), 7);

	assert_int_equal(hit4(t1, "10.1.2.200"), 32);
	assert_int_equal(hit4(t1, "10.1.2.201"), 25);
	assert_int_equal(hit4(t1, "10.1.2.255"), 25);
	assert_int_equal(hit4(t1, "10.1.2.127"), 24);
	assert_int_equal(hit4(t1, "10.1.2.76"), 30);
	assert_int_equal(hit4(t1, "10.1.2.79"), 30);
	assert_int_equal(hit4(t1, "10.1.2.80"), 24);
	assert_int_equal(hit4(t1, "10.1.3.1"), 16);
	assert_int_equal(hit4(t1, "10.2.0.1"), 8);
	assert_int_equal(hit4(t1, "11.0.0.1"), 0);
	assert_int_equal(hit4(t1, "255.255.255.255"), 0);

	p = mct_pfx("10.1.2.76", 30);
	assert_int_equal(mc_get(mc, 1, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_NO_ACTION);
	assert_int_equal(e->prefix.addr[3], 76);
	assert_int_equal(e->iid, 1);
	p = mct_pfx("10.1.2.200", 32);
	assert_int_equal(mc_get(mc, 1, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_PENDING);
	assert_null(mc_pick_locator(e, 7));

	// IIDs are isolated.
	spec_neg(&s, MC_ACT_DROP_AUTH);
	add(mc, 2, "10.1.2.200", 32, &s);
	t2 = mc_table_find(mc, AF_INET, 2);
	assert_non_null(t2);
	assert_int_equal(hit4(t2, "10.1.2.200"), 32);
	assert_int_equal(hit4(t2, "10.1.2.201"), -1);
	assert_int_equal(hit4(t2, "11.0.0.1"), -1);
	assert_int_equal(hit4(t1, "10.1.2.200"), 32);
	p = mct_pfx("10.1.2.200", 32);
	assert_int_equal(mc_get(mc, 2, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_DROP_AUTH);
	assert_int_equal(e->iid, 2);
	assert_int_equal(mc_del(mc, 2, &p), 0);
	assert_int_equal(hit4(t2, "10.1.2.200"), -1);
	assert_int_equal(hit4(t1, "10.1.2.200"), 32);
	assert_null(mc_table_find(mc, AF_INET6, 1));

	// A bulk lookup over more than one chunk.
	{
		static const char *const addrs[] = {
			"10.1.2.200",
			"10.1.2.201",
			"10.1.2.5",
			"10.1.9.9",
			"10.9.9.9",
			"99.9.9.9",
			"10.1.2.78",
		};
		static const int want[] = {32, 25, 24, 16, 8, 0, 30};
		uint32_t dst[70];
		const struct mc_entry *out[70];
		for (unsigned i = 0; i < 70; i++)
			dst[i] = ip4(addrs[i % 7]);
		assert_int_equal(mc_lookup_bulk4(t1, dst, out, 70), 70);
		for (unsigned i = 0; i < 70; i++)
			assert_int_equal(out[i]->prefix.len, want[i % 7]);
	}

	// Replacing keeps the slot and bumps the generation.
	p = mct_pfx("10.1.0.0", 16);
	assert_int_equal(mc_get(mc, 1, &p, &e, NULL), 0);
	{
		uint32_t slot = e->slot;
		spec_neg(&s, MC_ACT_DROP);
		assert_int_equal(mc_add(mc, 1, &p, &s), 0);
		assert_int_equal(mc_get(mc, 1, &p, &e, NULL), 0);
		assert_int_equal(e->slot, slot);
		assert_int_equal(e->gen, 2);
		assert_int_equal(e->action, MC_ACT_DROP);
		assert_int_equal(mc_count(mc), 7);
	}

	// Deletes fall back to the covering prefix.
	del(mc, 1, "10.1.2.200", 32);
	assert_int_equal(hit4(t1, "10.1.2.200"), 25);
	del(mc, 1, "10.1.2.128", 25);
	assert_int_equal(hit4(t1, "10.1.2.200"), 24);
	del(mc, 1, "10.1.2.0", 24);
	assert_int_equal(hit4(t1, "10.1.2.200"), 16);
	assert_int_equal(hit4(t1, "10.1.2.77"), 30);
	del(mc, 1, "10.1.0.0", 16);
	assert_int_equal(hit4(t1, "10.1.2.200"), 8);
	del(mc, 1, "10.0.0.0", 8);
	assert_int_equal(hit4(t1, "10.1.2.200"), 0);
	del(mc, 1, "0.0.0.0", 0);
	assert_int_equal(hit4(t1, "10.1.2.200"), -1);
	assert_int_equal(hit4(t1, "10.1.2.77"), 30);
	// Re-adding a host route after deletes (waits for the grace period of the tbl8 groups).
	spec_neg(&s, MC_ACT_DROP);
	add(mc, 1, "10.1.2.200", 32, &s);
	assert_int_equal(hit4(t1, "10.1.2.200"), 32);
	assert_int_equal(mc_count(mc), 2);

	// Errors.
	p = mct_pfx("10.1.2.200", 31);
	assert_int_equal(mc_del(mc, 1, &p), -ENOENT);
	assert_int_equal(mc_del(mc, 3, &p), -ENOENT);
	p.len = 33;
	assert_int_equal(mc_add(mc, 1, &p, &s), -EINVAL);
	p.len = 32;
	assert_int_equal(mc_add(mc, MC_IID_MAX + 1, &p, &s), -EINVAL);
	s.n_locators = 1;
	assert_int_equal(mc_add(mc, 1, &p, &s), -EINVAL); // locators on a negative entry
	s.action = MC_ACT_DROP_NO_LOCATOR;
	s.n_locators = 0;
	assert_int_equal(mc_add(mc, 1, &p, &s), -EINVAL); // not an installable action
	mc_destroy(mc);
}

static void
test_lpm6(void **state)
{
	struct mc *mc = mct_create(100);
	struct mc_entry_spec s;
	struct mc_table *t1, *t2;
	const struct mc_entry *e;
	struct mc_prefix p;
	(void)state;

	t1 = mc_table6(mc, 7);
	assert_non_null(t1);
	assert_int_equal(hit6(t1, "2001:db8::1"), -1);
	spec_neg(&s, MC_ACT_NATIVE_FWD);
	add(mc, 7, "::", 0, &s);
	spec_neg(&s, MC_ACT_DROP);
	add(mc, 7, "2001:db8::", 32, &s);
	spec_one(&s, "2001:db8:ffff::a");
	add(mc, 7, "2001:db8:a::", 48, &s);
	spec_one(&s, "198.18.0.2");
	add(mc, 7, "2001:db8:a:1::", 64, &s);
	spec_neg(&s, MC_ACT_PENDING);
	add(mc, 7, "2001:db8:a:1::1", 128, &s);
	spec_neg(&s, MC_ACT_SEND_MAP_REQUEST);
	add(mc, 7, "2001:db8:a:1:8000::", 65, &s);
	// An IPv4 prefix in the same IID is another table.
	add(mc, 7, "10.0.0.0", 8, &s);

	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), 128);
	assert_int_equal(hit6(t1, "2001:db8:a:1::2"), 64);
	assert_int_equal(hit6(t1, "2001:db8:a:1:8000::2"), 65);
	assert_int_equal(hit6(t1, "2001:db8:a:2::1"), 48);
	assert_int_equal(hit6(t1, "2001:db8:b::1"), 32);
	assert_int_equal(hit6(t1, "2001:db9::1"), 0);
	assert_int_equal(hit6(t1, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 0);
	assert_int_equal(hit6(t1, "::"), 0);
	assert_int_equal(hit4(mc_table_find(mc, AF_INET, 7), "10.0.0.1"), 8);

	p = mct_pfx("2001:db8:a:1::", 64);
	assert_int_equal(mc_get(mc, 7, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_ENCAP);
	assert_int_equal(e->prefix.af, AF_INET6);
	assert_int_equal(mc_tmpl_af(&e->loc[0].tmpl), AF_INET); // IPv6 EIDs over an IPv4 RLOC

	// IIDs are isolated.
	spec_neg(&s, MC_ACT_DROP_POLICY);
	add(mc, 8, "2001:db8:a:1::1", 128, &s);
	t2 = mc_table_find(mc, AF_INET6, 8);
	assert_int_equal(hit6(t2, "2001:db8:a:1::1"), 128);
	assert_int_equal(hit6(t2, "2001:db8:a:1::2"), -1);
	assert_int_equal(hit6(t2, "2001:db9::1"), -1);

	// A bulk lookup over more than one chunk.
	{
		static const char *const addrs[] = {
			"2001:db8:a:1::1",
			"2001:db8:a:1::3",
			"2001:db8:a:3::",
			"2001:db8:c::",
			"3000::",
			"2001:db8:a:1:ffff::",
		};
		static const int want[] = {128, 64, 48, 32, 0, 65};
		uint8_t dst[50][16];
		const struct mc_entry *out[50];
		for (unsigned i = 0; i < 50; i++)
			assert_int_equal(inet_pton(AF_INET6, addrs[i % 6], dst[i]), 1);
		assert_int_equal(mc_lookup_bulk6(t1, (const uint8_t(*)[16])dst, out, 50), 50);
		for (unsigned i = 0; i < 50; i++)
			assert_int_equal(out[i]->prefix.len, want[i % 6]);
	}

	del(mc, 7, "2001:db8:a:1::1", 128);
	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), 64);
	del(mc, 7, "2001:db8:a:1::", 64);
	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), 48);
	assert_int_equal(hit6(t1, "2001:db8:a:1:8000::1"), 65);
	del(mc, 7, "2001:db8:a::", 48);
	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), 32);
	del(mc, 7, "2001:db8::", 32);
	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), 0);
	del(mc, 7, "::", 0);
	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), -1);
	assert_int_equal(hit6(t1, "2001:db8:a:1:8000::1"), 65);
	assert_int_equal(hit6(t2, "2001:db8:a:1::1"), 128);
	spec_neg(&s, MC_ACT_DROP);
	add(mc, 7, "2001:db8:a:1::1", 128, &s);
	assert_int_equal(hit6(t1, "2001:db8:a:1::1"), 128);
	p = mct_pfx("2001:db8::", 129);
	assert_int_equal(mc_add(mc, 7, &p, &s), -EINVAL);
	mc_destroy(mc);
}

// --- 2. Locator choice ---

static unsigned
count_loc(const uint8_t b[MC_BUCKETS], uint8_t l)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MC_BUCKETS; i++)
		n += b[i] == l;
	return n;
}

static void
test_weights(void **state)
{
	struct mc *mc = mct_create(100);
	struct mc_prefix p = mct_pfx("192.0.2.0", 24);
	unsigned hits[MC_MAX_LOCATORS] = {0};
	struct mc_entry_spec s = {.action = MC_ACT_ENCAP, .n_locators = 3};
	const struct mc_entry *e;
	(void)state;

	// 70/30 at priority 1; a better priority that is unusable; priority 255 with a big weight.
	mct_loc(&s.loc[0], "198.18.0.10", 1, 70, true);
	mct_loc(&s.loc[1], "198.18.0.11", 1, 30, true);
	mct_loc(&s.loc[2], "198.18.0.12", 0, 100, false);
	s.loc[1].nh = 4095;
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_ENCAP);
	assert_int_equal(e->n_usable, 2);
	assert_int_equal(e->loc[1].nh, 4095);
	assert_int_equal(e->loc[1].weight, 30);
	assert_int_equal(e->loc[2].priority, 0);
	assert_true(e->loc[1].usable);
	assert_false(e->loc[2].usable);
	assert_int_equal(mc_tmpl_af(&e->loc[0].tmpl), AF_INET);
	for (unsigned i = 0; i < 100000; i++) {
		const struct mc_locator *l = mc_pick_locator(e, (uint32_t)rte_rand());
		assert_non_null(l);
		hits[l - e->loc]++;
	}
	assert_in_range(hits[0], 68000, 72000);
	assert_in_range(hits[1], 28000, 32000);
	assert_int_equal(hits[2], 0);
	// A flow stays on its locator.
	for (uint32_t h = 0; h < 1000; h++) {
		uint32_t hash = h * 2654435761u;
		assert_ptr_equal(mc_pick_locator(e, hash), mc_pick_locator(e, hash));
	}

	// The better priority, once usable, takes everything.
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 2, true), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(count_loc(e->buckets, 2), MC_BUCKETS);
	assert_int_equal(e->gen, 2);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 2, false), 0);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 9, false), -EINVAL);

	// Priority 255 is never used: with the others down the entry drops, named.
	s.n_locators = 2;
	mct_loc(&s.loc[0], "198.18.0.10", 255, 100, true);
	mct_loc(&s.loc[1], "198.18.0.11", 3, 1, true);
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(count_loc(e->buckets, 1), MC_BUCKETS);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 1, false), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_DROP_NO_LOCATOR);
	assert_int_equal(e->spec_action, MC_ACT_ENCAP);
	assert_int_equal(e->n_usable, 0);
	assert_null(mc_pick_locator(e, 12345));
	assert_string_equal(mc_action_name(e->action), "drop-no-locator");
	// No locators at all: the same.
	s.n_locators = 0;
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(e->action, MC_ACT_DROP_NO_LOCATOR);

	// Weight 0 among non-zero weights is never chosen; all zero: equal shares.
	s.n_locators = 3;
	mct_loc(&s.loc[0], "198.18.0.10", 1, 0, true);
	mct_loc(&s.loc[1], "198.18.0.11", 1, 50, true);
	mct_loc(&s.loc[2], "198.18.0.12", 1, 50, true);
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(count_loc(e->buckets, 0), 0);
	assert_int_equal(count_loc(e->buckets, 1), 32);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 1, false), 0);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 2, false), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(count_loc(e->buckets, 0), MC_BUCKETS); // the only one left, weight 0
	s.loc[1].weight = 0;
	s.loc[2].weight = 0;
	s.loc[1].usable = s.loc[2].usable = true;
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(count_loc(e->buckets, 0), 22);
	assert_int_equal(count_loc(e->buckets, 1), 21);
	assert_int_equal(count_loc(e->buckets, 2), 21);

	// The lisp-protocol.md §3.6 example, 30/20/20/30.
	s.n_locators = 4;
	mct_loc(&s.loc[0], "198.18.0.10", 1, 30, true);
	mct_loc(&s.loc[1], "198.18.0.11", 1, 20, true);
	mct_loc(&s.loc[2], "198.18.0.12", 1, 20, true);
	mct_loc(&s.loc[3], "198.18.0.13", 1, 30, true);
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	assert_int_equal(count_loc(e->buckets, 0), 19);
	assert_int_equal(count_loc(e->buckets, 1), 13);
	assert_int_equal(count_loc(e->buckets, 2), 13);
	assert_int_equal(count_loc(e->buckets, 3), 19);
	mc_destroy(mc);
}

// Checks one transition: only the leaver's buckets move / only the returner's needs move.
static void
check_transition(const uint8_t *before, const uint8_t *after, unsigned idx, bool usable)
{
	unsigned moved = 0;

	for (unsigned b = 0; b < MC_BUCKETS; b++) {
		if (before[b] == after[b]) {
			if (!usable)
				assert_int_not_equal(before[b], idx);
			continue;
		}
		moved++;
		if (usable)
			assert_int_equal(after[b], idx); // only buckets going to the returner move
		else
			assert_int_equal(before[b], idx); // only the leaver's buckets move
	}
	if (usable)
		assert_int_equal(moved, count_loc(after, (uint8_t)idx));
}

static unsigned
usable_weight(const struct mc_bucket_loc *bl, unsigned n)
{
	unsigned w = 0;

	for (unsigned i = 0; i < n; i++)
		w += bl[i].usable ? bl[i].weight : 0;
	return w;
}

// Flips locator idx, rebuilds cur and checks the move and the shares.
static void
flip(struct mc_bucket_loc *bl, unsigned n, unsigned idx, uint8_t cur[MC_BUCKETS])
{
	unsigned w_before = usable_weight(bl, n), w_after;
	uint8_t next[MC_BUCKETS];

	bl[idx].usable = !bl[idx].usable;
	w_after = usable_weight(bl, n);
	mc_buckets_rebuild(next, cur, bl, n);
	// With no weighted locator left (or before), the weight-0 rule changes the whole set.
	if (w_before != 0 && w_after != 0)
		check_transition(cur, next, idx, bl[idx].usable);
	for (unsigned i = 0; w_after != 0 && i < n; i++) {
		double quota = bl[i].usable ? 64.0 * bl[i].weight / w_after : 0;
		double got = count_loc(next, (uint8_t)i);
		assert_true(got > quota - 2 && got < quota + 2);
		assert_true(bl[i].usable && bl[i].weight != 0 ? got >= 1 : got == 0);
	}
	memcpy(cur, next, MC_BUCKETS);
}

static void
test_stability(void **state)
{
	struct mc *mc = mct_create(100);
	struct mc_prefix p = mct_pfx("203.0.113.0", 24);
	struct mc_entry_spec s = {.action = MC_ACT_ENCAP, .n_locators = 5};
	struct mc_bucket_loc bl[MC_MAX_LOCATORS];
	uint8_t orig[MC_BUCKETS], cur[MC_BUCKETS], next[MC_BUCKETS];
	const struct mc_entry *e;
	(void)state;

	// Through the map-cache: 40/25/15/15/5, one down and back.
	mct_loc(&s.loc[0], "198.18.0.10", 1, 40, true);
	mct_loc(&s.loc[1], "198.18.0.11", 1, 25, true);
	mct_loc(&s.loc[2], "198.18.0.12", 1, 15, true);
	mct_loc(&s.loc[3], "198.18.0.13", 1, 15, true);
	mct_loc(&s.loc[4], "198.18.0.14", 1, 5, true);
	assert_int_equal(mc_add(mc, 0, &p, &s), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	memcpy(orig, e->buckets, MC_BUCKETS);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 1, false), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	check_transition(orig, e->buckets, 1, false);
	assert_int_equal(count_loc(e->buckets, 1), 0);
	// The leaver's buckets went to the others in proportion to their weights.
	assert_int_equal(count_loc(e->buckets, 0), 34);
	assert_int_equal(count_loc(e->buckets, 2), 13);
	assert_int_equal(count_loc(e->buckets, 3), 13);
	assert_int_equal(count_loc(e->buckets, 4), 4);
	memcpy(cur, e->buckets, MC_BUCKETS);
	assert_int_equal(mc_set_locator_usable(mc, 0, &p, 1, true), 0);
	assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
	check_transition(cur, e->buckets, 1, true);
	assert_memory_equal(e->buckets, orig, MC_BUCKETS);

	// A refresh with the same RLOCs in another order keeps every flow on its RLOC.
	{
		struct mc_entry_spec r = s;
		uint8_t a[16], b[16];
		r.loc[0] = s.loc[4];
		r.loc[4] = s.loc[0];
		r.loc[1].usable = false;
		assert_int_equal(mc_set_locator_usable(mc, 0, &p, 1, false), 0);
		assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
		memcpy(cur, e->buckets, MC_BUCKETS);
		assert_int_equal(mc_add(mc, 0, &p, &r), 0);
		assert_int_equal(mc_get(mc, 0, &p, &e, NULL), 0);
		for (unsigned i = 0; i < MC_BUCKETS; i++) {
			const uint8_t map[] = {4, 1, 2, 3, 0};
			assert_int_equal(e->buckets[i], map[cur[i]]);
			mc_locator_rloc(&e->loc[e->buckets[i]], a);
			memcpy(b, s.loc[cur[i]].rloc, 16);
			assert_memory_equal(a, b, 4);
		}
	}
	mc_destroy(mc);

	// Random walks of usable flags over up to 8 locators of one priority: every step moves only
	// the changed locator's buckets (and only to it when it returns), shares follow the
	// weights, and flipping back at once gives the same shares. Nested down/up sequences from
	// the all-up array restore it exactly (below).
	for (unsigned round = 0; round < 200; round++) {
		unsigned n = 2 + (unsigned)(rte_rand() % 7);
		for (unsigned i = 0; i < n; i++) {
			bl[i].priority = 1;
			bl[i].weight = (uint8_t)(rte_rand() % 256);
			bl[i].usable = true;
		}
		mc_buckets_rebuild(cur, NULL, bl, n);
		for (unsigned step = 0; step < 30; step++) {
			unsigned idx = (unsigned)(rte_rand() % n);
			uint8_t prev[MC_BUCKETS];
			flip(bl, n, idx, cur);
			memcpy(prev, cur, MC_BUCKETS);
			flip(bl, n, idx, cur);
			flip(bl, n, idx, cur);
			for (uint8_t i = 0; i < n; i++)
				assert_int_equal(count_loc(cur, i), count_loc(prev, i));
		}
	}
	// From the all-up array, two leave and return in reverse order: back to the all-up array.
	for (unsigned i = 0; i < 5; i++) {
		bl[i].priority = 1;
		bl[i].weight = (uint8_t)(10 * (i + 1));
		bl[i].usable = true;
	}
	mc_buckets_rebuild(orig, NULL, bl, 5);
	bl[3].usable = false;
	mc_buckets_rebuild(cur, orig, bl, 5);
	bl[1].usable = false;
	mc_buckets_rebuild(next, cur, bl, 5);
	check_transition(cur, next, 1, false);
	bl[1].usable = true;
	mc_buckets_rebuild(cur, next, bl, 5);
	check_transition(next, cur, 1, true);
	bl[3].usable = true;
	mc_buckets_rebuild(next, cur, bl, 5);
	check_transition(cur, next, 3, true);
	assert_memory_equal(next, orig, MC_BUCKETS);
}

// --- 3. Templates ---

// §5.1 vector (a), outer headers: IPv4 len 68, DF, TTL 63, UDP 54321 -> 4341 len 48, LISP
// N L I, nonce 0x123456, IID 0, LSB 0x01.
static const uint8_t vec_a_outer[36] = {
	0x45, 0x00, 0x00, 0x44, 0x00, 0x00, 0x40, 0x00, 0x3f, 0x11, 0x4f, 0x72,
	0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
	0xd4, 0x31, 0x10, 0xf5, 0x00, 0x30, 0x00, 0x00,
	0xc8, 0x12, 0x34, 0x56, 0x00, 0x00, 0x00, 0x01,
};

static void
test_template4(void **state)
{
	uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {198, 51, 100, 2};
	uint8_t hdr[MC_TMPL_MAX];
	struct mc_tmpl t;
	unsigned flags;
	(void)state;

	flags = MC_TMPL_NONCE | MC_TMPL_LSB | MC_TMPL_IID;
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 0, flags, 1), 0);
	assert_int_equal(t.len, 36);
	assert_int_equal(mc_tmpl_af(&t), AF_INET);
	// The constant fields, per-packet fields zero.
	assert_int_equal(t.hdr[0], 0x45);
	assert_int_equal(t.hdr[6], 0x40);
	assert_int_equal(t.hdr[9], 17);
	assert_memory_equal(t.hdr + 12, vec_a_outer + 12, 8);
	assert_int_equal(t.hdr[22], 0x10);
	assert_int_equal(t.hdr[23], 0xf5);
	assert_int_equal(t.hdr[28], 0xc8);
	assert_memory_equal(t.hdr + 32, vec_a_outer + 32, 4);
	assert_int_equal(t.hdr[2] | t.hdr[3] | t.hdr[8] | t.hdr[10] | t.hdr[11], 0);

	memcpy(hdr, t.hdr, t.len);
	mc_tmpl_finish(&t, hdr, 32, 0, 63, 54321, 0x123456);
	assert_memory_equal(hdr, vec_a_outer, 36);
	// Other per-packet values agree with a checksum computed on the header.
	memcpy(hdr, t.hdr, t.len);
	mc_tmpl_finish(&t, hdr, 1400, 0xb9, 255, 0xc001, 0xabcdef);
	{
		uint16_t ck = (uint16_t)(hdr[10] << 8 | hdr[11]);
		hdr[10] = hdr[11] = 0;
		uint16_t want = rte_ipv4_cksum((const struct rte_ipv4_hdr *)hdr);
		assert_int_equal(rte_be_to_cpu_16(want), ck);
	}
	assert_int_equal(hdr[1], 0xb9);
	assert_int_equal(hdr[29] << 16 | hdr[30] << 8 | hdr[31], 0xabcdef);

	// Variant (a'): no I bit, 32-bit LSBs.
	flags = MC_TMPL_NONCE | MC_TMPL_LSB;
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 0, flags, 1), 0);
	memcpy(hdr, t.hdr, t.len);
	mc_tmpl_finish(&t, hdr, 32, 0, 63, 54321, 0x123456);
	assert_int_equal(hdr[28], 0xc0);
	assert_memory_equal(hdr, vec_a_outer, 28);
	assert_memory_equal(hdr + 29, vec_a_outer + 29, 7);
	// Without N the nonce field stays 0; a non-zero IID sets I.
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 0x123456, 0, 0), 0);
	memcpy(hdr, t.hdr, t.len);
	mc_tmpl_finish(&t, hdr, 32, 0, 63, 54321, 0x777777);
	assert_int_equal(hdr[28], 0x08);
	assert_int_equal(hdr[29] | hdr[30] | hdr[31] | hdr[35], 0);
	assert_int_equal(hdr[32] << 16 | hdr[33] << 8 | hdr[34], 0x123456);

	// Errors.
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 1u << 24, 0, 0), -EINVAL);
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 5, MC_TMPL_LSB, 0x100), -EINVAL);
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 0, MC_TMPL_LSB, 0x100), 0);
	assert_int_equal(mc_template_build(&t, AF_INET, src, dst, 0, 0x80, 0), -EINVAL);
	assert_int_equal(mc_template_build(&t, 99, src, dst, 0, 0, 0), -EINVAL);
}

static uint32_t
sum16(const uint8_t *b, unsigned len)
{
	uint32_t s = 0;

	for (unsigned i = 0; i < len; i += 2)
		s += (uint32_t)b[i] << 8 | (i + 1 < len ? b[i + 1] : 0);
	return s;
}

static void
test_template6(void **state)
{
	uint8_t pkt[56 + 101];
	struct mc_tmpl t;
	uint8_t src[16], dst[16];
	(void)state;

	assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff::1", src), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff::2", dst), 1);
	assert_int_equal(mc_template_build(&t, AF_INET6, src, dst, 5, MC_TMPL_NONCE, 0), 0);
	assert_int_equal(t.len, 56);
	assert_int_equal(mc_tmpl_af(&t), AF_INET6);
	memcpy(pkt, t.hdr, t.len);
	for (unsigned i = 56; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)rte_rand();
	mc_tmpl_finish(&t, pkt, 101, 0xb8, 64, 0xc123, 0xabcdef);
	// IPv6: version 6, traffic class 0xb8, flow label 0, payload 117, UDP, hop limit 64.
	assert_int_equal(pkt[0], 0x6b);
	assert_int_equal(pkt[1], 0x80);
	assert_int_equal(pkt[2] | pkt[3], 0);
	assert_int_equal(pkt[4] << 8 | pkt[5], 117);
	assert_int_equal(pkt[6], 17);
	assert_int_equal(pkt[7], 64);
	assert_memory_equal(pkt + 8, src, 16);
	assert_memory_equal(pkt + 24, dst, 16);
	// UDP 0xc123 -> 4341, length 117, checksum 0; LISP N I, nonce, IID 5, LSBs 0.
	assert_int_equal(pkt[40] << 8 | pkt[41], 0xc123);
	assert_int_equal(pkt[42] << 8 | pkt[43], 4341);
	assert_int_equal(pkt[44] << 8 | pkt[45], 117);
	assert_int_equal(pkt[46] | pkt[47], 0);
	static const uint8_t lisp[8] = {0x88, 0xab, 0xcd, 0xef, 0x00, 0x00, 0x05, 0x00};
	assert_memory_equal(pkt + 48, lisp, 8);

	// A full UDP checksum from the partial sum matches one computed on the packet.
	{
		uint16_t udp_len = 117, ck, want;
		uint32_t s = t.csum + 2u * udp_len + 0xc123 + sum16(pkt + 48, 4);
		s += sum16(pkt + 56, 101);
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		ck = (uint16_t)~s;
		want = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)pkt, pkt + 40);
		assert_int_equal(rte_be_to_cpu_16(want), ck == 0 ? 0xffff : ck);
	}
}

// --- 4. Counters and slot reuse ---

static int
walk_sum(const struct mc_entry *e, const struct mc_counters *c, void *arg)
{
	uint64_t *sum = arg;

	assert_int_equal(e->magic, MC_ENTRY_MAGIC);
	sum[0]++;
	sum[1] += c->packets;
	sum[2] += c->bytes;
	return 0;
}

static void
test_counters(void **state)
{
	struct mc *mc = mct_create(100);
	struct mc_prefix p = mct_pfx("192.0.2.0", 24), q = mct_pfx("198.51.100.0", 24);
	struct mc_reader *r1, *r2;
	struct mc_entry_spec s;
	const struct mc_entry *e;
	struct mc_counters c;
	struct mc_stats st;
	uint64_t sum[3] = {0};
	uint32_t slot;
	(void)state;

	// Two readers' arrays (registered, never online: nothing waits for them).
	r1 = mc_reader_register(mc, 1);
	r2 = mc_reader_register(mc, 2);
	assert_non_null(r1);
	assert_non_null(r2);
	assert_ptr_equal(mc_reader_register(mc, 1), r1);
	assert_null(mc_reader_register(mc, RTE_MAX_LCORE));

	spec_one(&s, "198.18.0.2");
	assert_int_equal(mc_add(mc, 3, &p, &s), 0);
	assert_int_equal(mc_get(mc, 3, &p, &e, &c), 0);
	assert_int_equal(c.packets, 0);
	slot = e->slot;
	mc_reader_count(r1, e, 3, 300);
	mc_reader_count(r2, e, 1, 64);
	assert_int_equal(mc_get(mc, 3, &p, NULL, &c), 0);
	assert_int_equal(c.packets, 4);
	assert_int_equal(c.bytes, 364);
	// A replacement keeps the prefix's counts.
	assert_int_equal(mc_set_expire(mc, 3, &p, 123456789), 0);
	assert_int_equal(mc_get(mc, 3, &p, &e, &c), 0);
	assert_int_equal(e->expire, 123456789);
	assert_int_equal(e->slot, slot);
	assert_int_equal(c.packets, 4);

	// Delete, wait for the grace period: the next prefix reuses the slot and starts at zero.
	assert_int_equal(mc_del(mc, 3, &p), 0);
	mc_stats_get(mc, &st);
	assert_int_equal(st.deferred, 2); // the replaced entry and the deleted one
	mc_synchronize(mc);
	mc_stats_get(mc, &st);
	assert_int_equal(st.deferred, 0);
	assert_int_equal(st.reclaimed, 2);
	spec_neg(&s, MC_ACT_DROP);
	assert_int_equal(mc_add(mc, 3, &q, &s), 0);
	assert_int_equal(mc_get(mc, 3, &q, &e, &c), 0);
	assert_int_equal(e->slot, slot);
	assert_int_equal(c.packets, 0);
	assert_int_equal(c.bytes, 0);
	mc_reader_count(r2, e, 2, 100);
	assert_int_equal(mc_get(mc, 3, &q, NULL, &c), 0);
	assert_int_equal(c.packets, 2);
	assert_int_equal(c.bytes, 100);
	assert_int_equal(mc_get(mc, 3, &p, NULL, &c), -ENOENT);

	// mc_walk sees every live prefix with its counts.
	assert_int_equal(mc_add(mc, 4, &p, &s), 0);
	assert_int_equal(mc_walk(mc, walk_sum, sum), 0);
	assert_int_equal(sum[0], 2);
	assert_int_equal(sum[1], 2);
	assert_int_equal(sum[2], 100);

	// Slot exhaustion; a full defer queue makes the writer synchronize instead.
	mc_stats_get(mc, &st);
	for (unsigned i = 0; i < 200; i++)
		assert_int_equal(mc_set_expire(mc, 4, &p, i), 0);
	{
		struct mc_stats st2;
		mc_stats_get(mc, &st2);
		assert_true(st2.reclaimed > st.reclaimed);
	}
	for (unsigned i = 0; i < 98; i++) {
		struct mc_prefix h = mct_pfx("10.0.0.0", 32);
		h.addr[3] = (uint8_t)i;
		assert_int_equal(mc_add(mc, 4, &h, &s), 0);
	}
	assert_int_equal(mc_count(mc), 100);
	{
		struct mc_prefix h = mct_pfx("10.0.1.0", 32);
		assert_int_equal(mc_add(mc, 4, &h, &s), -ENOSPC);
		h = mct_pfx("10.0.0.5", 32);
		assert_int_equal(mc_del(mc, 4, &h), 0);
		// The freed slot comes back after a grace period the writer waits for itself.
		h = mct_pfx("10.0.1.0", 32);
		assert_int_equal(mc_add(mc, 4, &h, &s), 0);
	}
	mc_destroy(mc);
}

// --- EAL ---

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(int argc, char **argv)
{
	char prefix[64], runtime_dir[PATH_MAX];
	char *eal_argv[] = {
		argv[0],
		"--no-huge",
		"-m",
		"512",
		"--no-shconf",
		"--no-pci",
		"--no-telemetry",
		"--lcores=0-1",
		"--log-level=lib.eal:warning",
		"--file-prefix",
		prefix,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lpm4),
		cmocka_unit_test(test_lpm6),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_stability),
		cmocka_unit_test(test_template4),
		cmocka_unit_test(test_template6),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_mc_grace),
		cmocka_unit_test(test_mc_stress),
	};
	int ret;
	(void)argc;

	snprintf(prefix, sizeof(prefix), "dxtr_mc_test_%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv), eal_argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	nftw(runtime_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return ret;
}
