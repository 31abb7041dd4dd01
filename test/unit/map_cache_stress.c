// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Reader/writer stress test of the map-cache. The writer (main lcore) adds, replaces, deletes
// and flips locators of nested IPv4 and IPv6 prefixes (many longer than /24, so tbl8 groups are
// freed and reused all the time) as fast as it can for STRESS_SECONDS; a reader on a second
// lcore looks up bursts of addresses inside those prefixes and validates every entry it gets:
// magic (the free path poisons it; ASan builds free entries to libc, where a late read is
// reported), covering prefix, contents derived from the prefix, and, after holding the whole
// burst a while, magic and generation again. Then the final table is checked against a shadow
// copy by brute-force longest match. Timing alone rarely catches a missing grace period inside
// rte_fib (a reader is exposed for nanoseconds), so test_mc_grace checks the protocol itself
// with a reader that holds an entry and reports its quiescent state on command.

#include "map_cache_test.h"

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_random.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define STRESS_SECONDS 2.5 // phase 1: random churn
#define FOCUS_SECONDS 1.0 // phase 2: tbl8 group reuse
#define N_PFX 256 // per family
#define BURST 32
#define IID 1
#define IID_LATE 2 // created while the reader runs
#define IID_FOCUS 3 // phase 2

struct stress {
	// Written before the launch, read by the reader.
	struct mc *mc;
	struct mc_reader *r;
	const struct mc_table *t4, *t6;
	struct mc_prefix pfx4[N_PFX], pfx6[N_PFX];
	const struct mc_table *f4, *f6; // phase 2
	// The writer: release stores; the reader: acquire loads per iteration.
	bool focus; // phase 2 started
	bool stop;
	// The reader's results, read after the join.
	uint64_t iterations, lookups, hits, late_hits, focus_iterations;
	unsigned errors;
	char first_error[160];
};

static uint32_t
pfx_hash(const struct mc_prefix *p)
{
	uint32_t h = 2166136261u;

	h = (h ^ p->af) * 16777619u;
	h = (h ^ p->len) * 16777619u;
	for (unsigned i = 0; i < 16; i++)
		h = (h ^ p->addr[i]) * 16777619u;
	return h;
}

// Locator j of prefix p's entries: the RLOC encodes the prefix.
static void
expected_rloc(const struct mc_prefix *p, unsigned j, uint8_t rloc[16])
{
	uint32_t h = pfx_hash(p);

	memset(rloc, 0, 16);
	rloc[0] = 198;
	rloc[1] = (uint8_t)(18 + j);
	rloc[2] = (uint8_t)(h >> 8);
	rloc[3] = (uint8_t)h;
}

static void
make_spec(const struct mc_prefix *p, struct mc_entry_spec *s)
{
	uint8_t rloc[16];
	char txt[32];

	memset(s, 0, sizeof(*s));
	// One prefix in four is negative; the others have 1-4 locators.
	if (pfx_hash(p) % 4 == 0) {
		s->action = MC_ACT_DROP;
		return;
	}
	s->action = MC_ACT_ENCAP;
	s->tmpl_flags = MC_TMPL_NONCE;
	s->expire = rte_rand();
	s->n_locators = 1 + (unsigned)(rte_rand() % 4);
	for (unsigned j = 0; j < s->n_locators; j++) {
		expected_rloc(p, j, rloc);
		snprintf(txt, sizeof(txt), "%u.%u.%u.%u", rloc[0], rloc[1], rloc[2], rloc[3]);
		mct_loc(&s->loc[j], txt, 1, (uint8_t)(rte_rand() % 100), rte_rand() % 4 != 0);
	}
}

// Phase 2 entries: negative, so building them costs little.
static void
spec_focus(struct mc_entry_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->action = MC_ACT_NATIVE_FWD;
}

static bool
covers(const struct mc_prefix *p, const uint8_t *addr)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = p->len > i * 8 ? p->len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		if ((addr[i] & mask) != p->addr[i])
			return false;
	}
	return true;
}

static void
reader_error(struct stress *st, const char *what, const struct mc_entry *e)
{
	if (st->errors++ == 0)
		snprintf(
			st->first_error,
			sizeof(st->first_error),
			"%s: entry %p magic %#x gen %u slot %u",
			what,
			(const void *)e,
			e->magic,
			e->gen,
			e->slot
		);
}

// Everything the entry says must follow from its prefix and the lookup.
static void
validate(struct stress *st, const struct mc_entry *e, uint8_t af, const uint8_t *addr, uint32_t iid)
{
	uint8_t want[16], got[16];

	if (e->magic != MC_ENTRY_MAGIC) {
		reader_error(st, "bad magic", e);
		return;
	}
	if (e->prefix.af != af || !covers(&e->prefix, addr) || e->iid != iid) {
		reader_error(st, "entry does not cover the address", e);
		return;
	}
	if (e->size != sizeof(*e) + e->n_locators * sizeof(e->loc[0]) || e->slot == 0) {
		reader_error(st, "bad size or slot", e);
		return;
	}
	if (pfx_hash(&e->prefix) % 4 == 0) {
		if (e->action != MC_ACT_DROP || e->n_locators != 0)
			reader_error(st, "negative entry changed", e);
		return;
	}
	if (e->action != MC_ACT_ENCAP && e->action != MC_ACT_DROP_NO_LOCATOR) {
		reader_error(st, "bad action", e);
		return;
	}
	for (unsigned j = 0; j < e->n_locators; j++) {
		expected_rloc(&e->prefix, j, want);
		mc_locator_rloc(&e->loc[j], got);
		if (memcmp(want, got, 16) != 0 || e->loc[j].tmpl.hdr[MC_TMPL4_LISP] != 0x88) {
			reader_error(st, "locator does not match the prefix", e);
			return;
		}
	}
	for (unsigned b = 0; b < MC_BUCKETS; b++) {
		uint8_t l = e->buckets[b];
		bool ok = e->action == MC_ACT_ENCAP ? l < e->n_locators && e->loc[l].usable :
			l == MC_NO_LOCATOR;
		if (!ok) {
			reader_error(st, "bad bucket", e);
			return;
		}
	}
}

// A random address inside a random prefix of the universe.
static void
random_addr(const struct mc_prefix *p, uint8_t *addr)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = p->len > i * 8 ? p->len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		addr[i] = (uint8_t)((p->addr[i] & mask) | (rte_rand() & ~mask));
	}
	if (p->af == AF_INET)
		memset(addr + 4, 0, 12);
}

static void
hold_and_recheck(struct stress *st, const struct mc_entry **e, const uint32_t *gen, unsigned n)
{
	for (unsigned k = 0; k < 64; k++)
		rte_pause();
	for (unsigned i = 0; i < n; i++)
		if (e[i] != NULL && (e[i]->magic != MC_ENTRY_MAGIC || e[i]->gen != gen[i]))
			reader_error(st, "entry changed or freed while held", e[i]);
}

static void
lookup4(struct stress *st, const struct mc_table *t, uint32_t iid)
{
	uint8_t addr[BURST][16];
	uint32_t dst[BURST], gen[BURST];
	const struct mc_entry *e[BURST];
	unsigned hits;

	for (unsigned i = 0; i < BURST; i++) {
		random_addr(&st->pfx4[rte_rand() % N_PFX], addr[i]);
		memcpy(&dst[i], addr[i], 4);
	}
	hits = mc_lookup_bulk4(t, dst, e, BURST);
	for (unsigned i = 0; i < BURST; i++) {
		gen[i] = 0;
		if (e[i] == NULL)
			continue;
		validate(st, e[i], AF_INET, addr[i], iid);
		gen[i] = e[i]->gen;
		if (e[i]->action == MC_ACT_ENCAP) {
			const struct mc_locator *l = mc_pick_locator(e[i], (uint32_t)rte_rand());
			if (l == NULL || l->tmpl.hdr[0] != 0x45)
				reader_error(st, "bad locator pick", e[i]);
		}
	}
	hold_and_recheck(st, e, gen, BURST);
	st->lookups += BURST;
	if (iid == IID)
		st->hits += hits;
	else
		st->late_hits += hits;
}

static void
lookup6(struct stress *st)
{
	uint8_t dst[BURST][16];
	uint32_t gen[BURST];
	const struct mc_entry *e[BURST];

	for (unsigned i = 0; i < BURST; i++)
		random_addr(&st->pfx6[rte_rand() % N_PFX], dst[i]);
	st->hits += mc_lookup_bulk6(st->t6, (const uint8_t(*)[16])dst, e, BURST);
	for (unsigned i = 0; i < BURST; i++) {
		gen[i] = 0;
		if (e[i] == NULL)
			continue;
		validate(st, e[i], AF_INET6, dst[i], IID);
		gen[i] = e[i]->gen;
	}
	hold_and_recheck(st, e, gen, BURST);
	st->lookups += BURST;
}

// Phase 2: the writer adds and deletes a /25 (/64) in region A and then one in region B, so
// that each add gets the tbl8 groups the previous delete freed; we look up region A in a tight
// loop. Without the grace period between a delete and the next add, a lookup that loaded the
// parent entry before the delete walks the group after B's add filled it, and gets B's prefix.
static void
focus_lookups(struct stress *st)
{
	uint32_t dst[BURST];
	uint8_t dst6[BURST][16], addr[16];
	const struct mc_entry *e[BURST];

	for (unsigned i = 0; i < BURST; i++) {
		addr[0] = 10;
		addr[1] = 200;
		addr[2] = 0;
		addr[3] = (uint8_t)rte_rand();
		memcpy(&dst[i], addr, 4);
		memset(dst6[i], 0, 16);
		dst6[i][0] = 0x20;
		dst6[i][1] = 0x01;
		dst6[i][2] = 0x0d;
		dst6[i][3] = 0xb8;
		dst6[i][7] = 1;
		dst6[i][15] = (uint8_t)rte_rand();
	}
	mc_lookup_bulk4(st->f4, dst, e, BURST);
	for (unsigned i = 0; i < BURST; i++) {
		memcpy(addr, &dst[i], 4);
		memset(addr + 4, 0, 12);
		if (e[i] != NULL &&
			(e[i]->magic != MC_ENTRY_MAGIC || !covers(&e[i]->prefix, addr)))
			reader_error(st, "phase 2: IPv4 entry does not cover the address", e[i]);
	}
	mc_lookup_bulk6(st->f6, (const uint8_t(*)[16])dst6, e, BURST);
	for (unsigned i = 0; i < BURST; i++)
		if (e[i] != NULL &&
			(e[i]->magic != MC_ENTRY_MAGIC || !covers(&e[i]->prefix, dst6[i])))
			reader_error(st, "phase 2: IPv6 entry does not cover the address", e[i]);
	st->lookups += 2 * BURST;
}

static int
reader_main(void *arg)
{
	struct stress *st = arg;
	const struct mc_table *late = NULL;

	mc_reader_online(st->r);
	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&st->focus, __ATOMIC_ACQUIRE)) {
			focus_lookups(st);
			mc_reader_quiescent(st->r);
			st->focus_iterations++;
			continue;
		}
		lookup4(st, st->t4, IID);
		lookup6(st);
		// A table created while we run: found once, then used.
		if (late == NULL)
			late = mc_table_find(st->mc, AF_INET, IID_LATE);
		if (late != NULL)
			lookup4(st, late, IID_LATE);
		mc_reader_quiescent(st->r);
		st->iterations++;
	}
	mc_reader_offline(st->r);
	return 0;
}

// Nested prefixes: IPv4 inside 10.0.0.0/14, IPv6 inside 2001:db8::/32, most longer than /24.
static void
make_universe(struct stress *st)
{
	static const uint8_t len4[] = {14, 16, 20, 24, 25, 26, 28, 29, 30, 31, 32, 32};
	static const uint8_t len6[] = {32, 40, 48, 52, 56, 64, 72, 96, 120, 128, 128};

	for (unsigned i = 0; i < N_PFX; i++) {
		struct mc_prefix *p = &st->pfx4[i];
		bool dup;
		do {
			memset(p, 0, sizeof(*p));
			p->af = AF_INET;
			p->len = len4[rte_rand() % RTE_DIM(len4)];
			p->addr[0] = 10;
			p->addr[1] = (uint8_t)(rte_rand() % 4);
			p->addr[2] = (uint8_t)(rte_rand() % 32);
			p->addr[3] = (uint8_t)rte_rand();
			for (unsigned b = 0; b < 4; b++) {
				unsigned bits = p->len > b * 8 ? p->len - b * 8 : 0;
				p->addr[b] &= bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
			}
			dup = false;
			for (unsigned j = 0; j < i; j++)
				dup |= memcmp(p, &st->pfx4[j], sizeof(*p)) == 0;
		} while (dup);
	}
	for (unsigned i = 0; i < N_PFX; i++) {
		struct mc_prefix *p = &st->pfx6[i];
		bool dup;
		do {
			memset(p, 0, sizeof(*p));
			p->af = AF_INET6;
			p->len = len6[rte_rand() % RTE_DIM(len6)];
			p->addr[0] = 0x20;
			p->addr[1] = 0x01;
			p->addr[2] = 0x0d;
			p->addr[3] = 0xb8;
			p->addr[4] = (uint8_t)(rte_rand() % 2);
			p->addr[5] = (uint8_t)(rte_rand() % 4);
			p->addr[6] = (uint8_t)(rte_rand() % 2);
			for (unsigned b = 7; b < 16; b++)
				p->addr[b] = (uint8_t)(rte_rand() % 3);
			for (unsigned b = 0; b < 16; b++) {
				unsigned bits = p->len > b * 8 ? p->len - b * 8 : 0;
				p->addr[b] &= bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
			}
			dup = false;
			for (unsigned j = 0; j < i; j++)
				dup |= memcmp(p, &st->pfx6[j], sizeof(*p)) == 0;
		} while (dup);
	}
}

// The longest present prefix of the shadow set covering addr, -1 if none.
static int
shadow_lpm(const struct mc_prefix *pfx, const bool *present, const uint8_t *addr)
{
	int best = -1;

	for (unsigned i = 0; i < N_PFX; i++)
		if (present[i] && covers(&pfx[i], addr) && (best < 0 || pfx[i].len > pfx[best].len))
			best = (int)i;
	return best;
}

void
test_mc_stress(void **state)
{
	static struct stress st;
	struct mc_conf conf = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = 2048,
		.max_tables = 8,
		.v4_tbl8 = 512,
		.v6_tbl8 = 4096,
		.defer_size = 1024,
	};
	static bool present[2][N_PFX], present_late[N_PFX];
	unsigned lcore = rte_get_next_lcore(-1, 1, 0), writer_errors = 0, n_present = 0;
	uint64_t ops = 0, start, end, late_at;
	struct mc_entry_spec s;
	struct mc_stats stats;
	int first_ret = 0;
	(void)state;

	if (lcore >= RTE_MAX_LCORE) {
		print_message("no second lcore: skipped\n");
		skip();
	}
	memset(&st, 0, sizeof(st));
	memset(present, 0, sizeof(present));
	memset(present_late, 0, sizeof(present_late));
	st.mc = mc_create(&conf);
	assert_non_null(st.mc);
	st.t4 = mc_table4(st.mc, IID);
	st.t6 = mc_table6(st.mc, IID);
	st.f4 = mc_table4(st.mc, IID_FOCUS);
	st.f6 = mc_table6(st.mc, IID_FOCUS);
	st.r = mc_reader_register(st.mc, lcore);
	assert_non_null(st.r);
	make_universe(&st);
	assert_int_equal(rte_eal_remote_launch(reader_main, &st, lcore), 0);

	start = rte_get_tsc_cycles();
	end = start + (uint64_t)(STRESS_SECONDS * (double)rte_get_tsc_hz());
	late_at = start + (end - start) / 3;
	while (rte_get_tsc_cycles() < end) {
		for (unsigned k = 0; k < 64; k++, ops++) {
			unsigned fam = (unsigned)(rte_rand() % 2);
			unsigned i = (unsigned)(rte_rand() % N_PFX);
			bool late = fam == 0 && rte_get_tsc_cycles() > late_at;
			late = late && rte_rand() % 4 == 0;
			const struct mc_prefix *p = fam == 0 ? &st.pfx4[i] : &st.pfx6[i];
			bool *pres = late ? &present_late[i] : &present[fam][i];
			uint32_t iid = late ? IID_LATE : IID;
			unsigned r = (unsigned)(rte_rand() % 10);
			const struct mc_entry *e;
			int ret;
			if (!*pres) {
				make_spec(p, &s);
				ret = mc_add(st.mc, iid, p, &s);
				*pres = ret == 0;
			} else if (r < 4) {
				ret = mc_del(st.mc, iid, p);
				*pres = ret != 0;
			} else if (r < 7) {
				make_spec(p, &s);
				ret = mc_add(st.mc, iid, p, &s);
			} else {
				ret = mc_get(st.mc, iid, p, &e, NULL);
				if (ret == 0 && e->n_locators != 0)
					ret = mc_set_locator_usable(
						st.mc,
						iid,
						p,
						(unsigned)(rte_rand() % e->n_locators),
						rte_rand() % 2
					);
				else if (ret == 0)
					ret = mc_set_expire(st.mc, iid, p, rte_rand());
			}
			if (ret != 0 && writer_errors++ == 0)
				first_ret = ret;
		}
		mc_reclaim(st.mc);
	}

	// Phase 2: covering prefixes stay; /25s (/64s) come and go in regions A and B.
	{
		struct mc_prefix cover4 = mct_pfx("10.200.0.0", 16);
		struct mc_prefix cover6 = mct_pfx("2001:db8::", 32);
		struct mc_prefix a4 = mct_pfx("10.200.0.128", 25), b4 = mct_pfx("10.200.1.128", 25);
		struct mc_prefix a6 = mct_pfx("2001:db8:0:1::", 120);
		struct mc_prefix b6 = mct_pfx("2001:db8:1:2::", 120);
		// Each delete is followed at once by the add that reuses its groups.
		const struct mc_prefix *seq[] = {&a4, &b4, &a4, &b4, &a6, &b6, &a6, &b6};
		spec_focus(&s);
		if (mc_add(st.mc, IID_FOCUS, &cover4, &s) != 0)
			writer_errors++;
		if (mc_add(st.mc, IID_FOCUS, &cover6, &s) != 0)
			writer_errors++;
		__atomic_store_n(&st.focus, true, __ATOMIC_RELEASE);
		end = rte_get_tsc_cycles() + (uint64_t)(FOCUS_SECONDS * (double)rte_get_tsc_hz());
		while (rte_get_tsc_cycles() < end) {
			for (unsigned k = 0; k < RTE_DIM(seq); k++, ops++) {
				if (mc_add(st.mc, IID_FOCUS, seq[k], &s) != 0)
					writer_errors++;
				if (mc_del(st.mc, IID_FOCUS, seq[k]) != 0)
					writer_errors++;
			}
			mc_reclaim(st.mc);
		}
	}
	__atomic_store_n(&st.stop, true, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(lcore);

	mc_stats_get(st.mc, &stats);
	print_message(
		"stress: %" PRIu64 " writer ops (%" PRIu64 " adds, %" PRIu64 " replaces, %" PRIu64
		" deletes, %" PRIu64 " grace-period waits, %" PRIu64 " reclaimed, %" PRIu64
		" IPv6 rebuilds); reader: %" PRIu64 " iterations, %" PRIu64 " lookups, %" PRIu64
		" hits, %" PRIu64 " in the late table, %" PRIu64 " phase-2 iterations\n",
		ops,
		stats.adds,
		stats.replaces,
		stats.dels,
		stats.gp_waits,
		stats.reclaimed,
		stats.rebuilds,
		st.iterations,
		st.lookups,
		st.hits,
		st.late_hits,
		st.focus_iterations
	);
	if (st.errors != 0)
		print_error("reader: %u errors, first: %s\n", st.errors, st.first_error);
	if (writer_errors != 0)
		print_error("writer: %u errors, first: %d\n", writer_errors, first_ret);
	assert_int_equal(st.errors, 0);
	assert_int_equal(writer_errors, 0);
	assert_true(st.iterations > 100);
	assert_true(st.hits > 0);
	assert_true(st.late_hits > 0);
	assert_true(st.focus_iterations > 100);
	assert_true(stats.dels > 1000);
	assert_true(stats.reclaimed > 1000);

	// The final table equals the shadow set, prefix by prefix and by longest match.
	for (unsigned fam = 0; fam < 2; fam++)
		for (unsigned i = 0; i < N_PFX; i++) {
			const struct mc_prefix *p = fam == 0 ? &st.pfx4[i] : &st.pfx6[i];
			assert_int_equal(mc_get(st.mc, IID, p, NULL, NULL) == 0, present[fam][i]);
			n_present += present[fam][i] + (fam == 0 ? present_late[i] : 0);
		}
	assert_int_equal(mc_count(st.mc), n_present + 2); // + the covering prefixes of phase 2
	for (unsigned k = 0; k < 20000; k++) {
		unsigned fam = k % 2;
		const struct mc_prefix *pfx = fam == 0 ? st.pfx4 : st.pfx6;
		uint8_t addr[16];
		const struct mc_entry *e;
		int want;
		random_addr(&pfx[rte_rand() % N_PFX], addr);
		want = shadow_lpm(pfx, present[fam], addr);
		if (fam == 0) {
			uint32_t a;
			memcpy(&a, addr, 4);
			mc_lookup_bulk4(st.t4, &a, &e, 1);
		} else {
			mc_lookup_bulk6(st.t6, (const uint8_t(*)[16])&addr, &e, 1);
		}
		if (want < 0) {
			assert_null(e);
		} else {
			assert_non_null(e);
			assert_memory_equal(&e->prefix, &pfx[want], sizeof(e->prefix));
		}
	}
	mc_destroy(st.mc);
}

// --- The grace-period protocol, step by step ---

struct grace {
	struct mc_reader *r;
	const struct mc_table *t;
	// Both sides: release stores and acquire loads.
	unsigned step; // 1: the reader holds an entry; 2: go on; 3: the reader reported
	// The reader's results, read after the join.
	uint64_t quiescent_tsc; // just before it reported
	bool held_ok; // the held entry stayed intact until then
	bool timeout;
};

static int
grace_reader(void *arg)
{
	struct grace *g = arg;
	uint32_t dst;
	const struct mc_entry *e;
	uint64_t deadline;
	uint8_t a[4] = {10, 9, 0, 200};

	memcpy(&dst, a, 4);
	mc_reader_online(g->r);
	mc_lookup_bulk4(g->t, &dst, &e, 1);
	g->held_ok = e != NULL && e->prefix.len == 25;
	__atomic_store_n(&g->step, 1, __ATOMIC_RELEASE);
	deadline = rte_get_tsc_cycles() + 2 * rte_get_tsc_hz();
	while (__atomic_load_n(&g->step, __ATOMIC_ACQUIRE) != 2 && !g->timeout)
		g->timeout = rte_get_tsc_cycles() > deadline;
	// Keep holding a while after the writer went on: its add must wait for us.
	deadline = rte_get_tsc_cycles() + rte_get_tsc_hz() / 20;
	while (rte_get_tsc_cycles() < deadline)
		g->held_ok &= e->magic == MC_ENTRY_MAGIC && e->prefix.len == 25;
	g->quiescent_tsc = rte_get_tsc_cycles();
	mc_reader_quiescent(g->r);
	__atomic_store_n(&g->step, 3, __ATOMIC_RELEASE);
	mc_reader_offline(g->r);
	return 0;
}

void
test_mc_grace(void **state)
{
	unsigned lcore = rte_get_next_lcore(-1, 1, 0);
	struct mc_prefix cover = mct_pfx("10.9.0.0", 16), a = mct_pfx("10.9.0.128", 25);
	struct mc_prefix b = mct_pfx("10.9.1.128", 25), c = mct_pfx("10.10.0.0", 24);
	struct grace g = {0};
	struct mc_entry_spec s;
	struct mc_stats st0, st;
	uint64_t t_before, t_after;
	struct mc *mc;
	(void)state;

	if (lcore >= RTE_MAX_LCORE) {
		print_message("no second lcore: skipped\n");
		skip();
	}
	mc = mct_create(100);
	spec_focus(&s);
	assert_int_equal(mc_add(mc, 9, &cover, &s), 0);
	assert_int_equal(mc_add(mc, 9, &a, &s), 0);
	g.t = mc_table_find(mc, AF_INET, 9);
	g.r = mc_reader_register(mc, lcore);
	assert_non_null(g.r);
	assert_int_equal(rte_eal_remote_launch(grace_reader, &g, lcore), 0);
	while (__atomic_load_n(&g.step, __ATOMIC_ACQUIRE) != 1)
		rte_pause();

	// The reader holds a's entry. Deleting a retires it; nothing frees it yet.
	mc_stats_get(mc, &st0);
	assert_int_equal(mc_del(mc, 9, &a), 0);
	mc_reclaim(mc);
	mc_stats_get(mc, &st);
	assert_int_equal(st.deferred, 1);
	// Adds that cannot take tbl8 groups and replacements do not wait.
	assert_int_equal(mc_add(mc, 9, &c, &s), 0);
	assert_int_equal(mc_add(mc, 9, &cover, &s), 0);
	assert_int_equal(mc_set_expire(mc, 9, &cover, 5), 0);
	mc_reclaim(mc);
	mc_stats_get(mc, &st);
	assert_int_equal(st.gp_waits, st0.gp_waits);
	assert_int_equal(st.deferred, 3);
	// A longer prefix could reuse a's groups: the add waits for the reader's quiescent state.
	__atomic_store_n(&g.step, 2, __ATOMIC_RELEASE);
	t_before = rte_get_tsc_cycles();
	assert_int_equal(mc_add(mc, 9, &b, &s), 0);
	t_after = rte_get_tsc_cycles();
	while (__atomic_load_n(&g.step, __ATOMIC_ACQUIRE) != 3)
		rte_pause();
	rte_eal_wait_lcore(lcore);
	assert_false(g.timeout);
	assert_true(g.held_ok);
	assert_true(t_after > g.quiescent_tsc);
	assert_true(t_after - t_before > rte_get_tsc_hz() / 50);
	mc_stats_get(mc, &st);
	assert_int_equal(st.gp_waits, st0.gp_waits + 1);
	// The grace period is over: everything retired is freed.
	mc_reclaim(mc);
	mc_stats_get(mc, &st);
	assert_int_equal(st.deferred, 0);
	mc_destroy(mc);
}
