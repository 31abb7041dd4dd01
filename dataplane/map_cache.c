// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The map-cache: creation, slots, entries' publication and reclamation, readers and counters,
// the control API. Tables, FIBs and lookups are in mc_table.c, entries in mc_entry.c, buckets in
// mc_buckets.c.
//
// Why readers never see a freed entry, a reused slot, or a recycled tbl8 group:
// 1. Publication. An entry is fully built before a release store puts it into its slot; a
//    slot holds its entry before the FIB add that makes the slot reachable. Readers load
//    slots with acquire. Entries are never written after publication.
// 2. Retirement. A replaced entry is retired after the store of its successor; a deleted
//    prefix's entry and slot are retired after rte_fib_delete returned. Retiring enqueues on an
//    rte_rcu_qsbr defer queue, which takes a QSBR token then; they are freed (entry) and pushed
//    back on the free stack (slot) only when every reader has reported a quiescent state after
//    that token. A reader holds pointers only between two reports, so whatever it holds was
//    reachable after its last report, hence not yet freed. A full defer queue makes the writer
//    synchronize instead: same rule, blocking.
// 3. FIB internals (rte_fib has no RCU in 22.11). A delete may free tbl8 groups (DIR24_8 and
//    TRIE recycle a group that became uniform, zeroing it at once); a later add may hand the
//    group out again and fill it for other addresses while a reader that loaded the old parent
//    entry still indexes into it. So each table records a QSBR token after a delete, and the
//    next add that can allocate groups (prefix longer than /24; shorter ones cover whole tbl24
//    entries, and any more-specific inside them already owns its groups) waits for that token.
//    Replacing an entry never touches the FIB: every prefix has its own slot, hence its own next
//    hop, so no group becomes uniform by an add either. A reader racing the zeroing itself reads
//    next hop 0, slot 0, NULL: a transient miss, never a wrong entry.
// 4. Counters: slot s's counters only grow; when s gets a new prefix (after its grace period,
//    so every increment for the old prefix is visible) control records their sum as the base.

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_malloc.h>

#include "mc_priv.h"

static unsigned mc_next_id;

static void
defer_free(void *p, void *data, unsigned n)
{
	struct mc *mc = p;
	struct mc_defer *d = data;

	for (unsigned i = 0; i < n; i++) {
		if (d[i].kind == MC_DEFER_FIB6) {
			rte_fib6_free(d[i].ptr);
			continue;
		}
		if (d[i].slot != 0) {
			__atomic_store_n(&mc->slots[d[i].slot], NULL, __ATOMIC_RELAXED);
			mc->slot_state[d[i].slot] = MC_SLOT_FREE;
			mc->free_slots[mc->n_free++] = d[i].slot;
		}
		mc_entry_free(d[i].ptr);
		mc->stats.deferred--;
		mc->stats.reclaimed++;
	}
}

void
mc_defer_push(struct mc *mc, struct mc_defer *d)
{
	if (rte_rcu_qsbr_dq_enqueue(mc->dq, d) == 0)
		return;
	// Queue full of entries still in their grace period: wait for it, free directly.
	mc->stats.gp_waits++;
	rte_rcu_qsbr_synchronize(mc->qsv, RTE_QSBR_THRID_INVALID);
	defer_free(mc, d, 1);
	rte_rcu_qsbr_dq_reclaim(mc->dq, UINT32_MAX, NULL, NULL, NULL);
}

static void
retire(struct mc *mc, struct mc_entry *e, uint32_t slot)
{
	struct mc_defer d = {.ptr = e, .slot = slot, .kind = MC_DEFER_ENTRY};

	mc->stats.deferred++;
	mc_defer_push(mc, &d);
}

void
mc_reclaim(struct mc *mc)
{
	rte_rcu_qsbr_dq_reclaim(mc->dq, UINT32_MAX, NULL, NULL, NULL);
}

void
mc_synchronize(struct mc *mc)
{
	rte_rcu_qsbr_synchronize(mc->qsv, RTE_QSBR_THRID_INVALID);
	mc_reclaim(mc);
	for (uint32_t i = 0; i < mc->n_tables; i++)
		mc->tables[i]->gp_pending = false;
}

// The smallest next-hop size that holds every slot index and tbl8 index.
static int
nh_size4(uint32_t max)
{
	if (max <= INT8_MAX)
		return RTE_FIB_DIR24_8_1B;
	if (max <= INT16_MAX)
		return RTE_FIB_DIR24_8_2B;
	return RTE_FIB_DIR24_8_4B;
}

static int
nh_size6(uint32_t max)
{
	return max <= INT16_MAX ? RTE_FIB6_TRIE_2B : RTE_FIB6_TRIE_4B;
}

static void
conf_defaults(struct mc_conf *c)
{
	if (c->max_entries == 0)
		c->max_entries = 65535;
	if (c->max_tables == 0)
		c->max_tables = 64;
	if (c->v4_max_routes == 0)
		c->v4_max_routes = c->max_entries;
	if (c->v4_tbl8 == 0)
		c->v4_tbl8 = 4096;
	if (c->v6_max_routes == 0)
		c->v6_max_routes = c->max_entries;
	if (c->v6_tbl8 == 0)
		c->v6_tbl8 = 16384;
	if (c->defer_size == 0)
		c->defer_size = RTE_MIN(c->max_entries, 65536u);
}

struct mc *
mc_create(const struct mc_conf *conf)
{
	struct rte_rcu_qsbr_dq_parameters dqp = {0};
	char name[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct mc_conf c = {.socket_id = SOCKET_ID_ANY};
	struct mc *mc;

	if (conf != NULL)
		c = *conf;
	conf_defaults(&c);
	if (c.max_entries > INT32_MAX - 1 || c.v4_max_routes > INT32_MAX / 2 ||
		c.v6_max_routes > INT32_MAX / 2 || c.v4_tbl8 > INT32_MAX - 64 ||
		c.v6_tbl8 > INT32_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	mc = calloc(1, sizeof(*mc));
	if (mc == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	mc->conf = c;
	mc->id = mc_next_id++;
	mc->max_entries = c.max_entries;
	mc->nh_sz4 = (uint8_t)nh_size4(RTE_MAX(c.max_entries, c.v4_tbl8));
	mc->nh_sz6 = (uint8_t)nh_size6(RTE_MAX(c.max_entries, c.v6_tbl8));
	mc->slots = rte_zmalloc_socket(
		"mc_slots",
		(c.max_entries + 1) * sizeof(mc->slots[0]),
		RTE_CACHE_LINE_SIZE,
		c.socket_id
	);
	mc->tables = calloc(c.max_tables, sizeof(mc->tables[0]));
	mc->slot_state = calloc(c.max_entries + 1, sizeof(mc->slot_state[0]));
	mc->free_slots = calloc(c.max_entries, sizeof(mc->free_slots[0]));
	mc->base = calloc(c.max_entries + 1, sizeof(mc->base[0]));
	if (mc->slots == NULL || mc->tables == NULL || mc->slot_state == NULL ||
		mc->free_slots == NULL || mc->base == NULL)
		goto nomem;
	// Popped from the top: slots 1, 2, ... first.
	for (uint32_t s = c.max_entries; s >= 1; s--)
		mc->free_slots[mc->n_free++] = s;

	mc->qsv = c.qsv;
	if (mc->qsv == NULL) {
		size_t sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
		mc->qsv = rte_zmalloc_socket("mc_qsv", sz, RTE_CACHE_LINE_SIZE, c.socket_id);
		if (mc->qsv == NULL)
			goto nomem;
		mc->own_qsv = true;
		rte_rcu_qsbr_init(mc->qsv, RTE_MAX_LCORE);
	}

	snprintf(name, sizeof(name), "mc%u", mc->id);
	dqp.name = name;
	dqp.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE;
	dqp.size = c.defer_size;
	dqp.esize = sizeof(struct mc_defer);
	dqp.trigger_reclaim_limit = 32;
	dqp.max_reclaim_size = 64;
	dqp.free_fn = defer_free;
	dqp.p = mc;
	dqp.v = mc->qsv;
	mc->dq = rte_rcu_qsbr_dq_create(&dqp);
	if (mc->dq == NULL)
		goto nomem;
	mc->stats.max_entries = c.max_entries;
	return mc;
nomem:
	mc_destroy(mc);
	rte_errno = ENOMEM;
	return NULL;
}

void
mc_destroy(struct mc *mc)
{
	if (mc == NULL)
		return;
	// No reader is online: every grace period is over.
	if (mc->dq != NULL)
		rte_rcu_qsbr_dq_delete(mc->dq);
	if (mc->slots != NULL)
		for (uint32_t s = 1; s <= mc->max_entries; s++)
			mc_entry_free(mc->slots[s]);
	for (uint32_t i = 0; mc->tables != NULL && i < mc->n_tables; i++)
		mc_table_free(mc->tables[i]);
	for (unsigned i = 0; i < mc->n_readers; i++) {
		struct mc_reader *r = mc->readers[mc->reader_ids[i]];
		rte_free(r->ctr);
		rte_free(r);
	}
	if (mc->own_qsv)
		rte_free(mc->qsv);
	rte_free(mc->slots);
	free(mc->tables);
	free(mc->slot_state);
	free(mc->free_slots);
	free(mc->base);
	free(mc);
}

struct rte_rcu_qsbr *
mc_rcu(const struct mc *mc)
{
	return mc->qsv;
}

// --- Readers ---

struct mc_reader *
mc_reader_register(struct mc *mc, unsigned thread_id)
{
	struct mc_reader *r;

	if (thread_id >= RTE_MAX_LCORE) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = mc->readers[thread_id];
	if (r == NULL) {
		int socket = mc->conf.socket_id;
		r = rte_zmalloc_socket("mc_reader", sizeof(*r), RTE_CACHE_LINE_SIZE, socket);
		if (r == NULL) {
			rte_errno = ENOMEM;
			return NULL;
		}
		r->ctr = rte_zmalloc_socket(
			"mc_ctr",
			(mc->max_entries + 1) * sizeof(r->ctr[0]),
			RTE_CACHE_LINE_SIZE,
			socket
		);
		if (r->ctr == NULL) {
			rte_free(r);
			rte_errno = ENOMEM;
			return NULL;
		}
		r->qsv = mc->qsv;
		r->thread_id = thread_id;
		mc->readers[thread_id] = r;
		mc->reader_ids[mc->n_readers++] = thread_id;
	}
	if (rte_rcu_qsbr_thread_register(mc->qsv, thread_id) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	return r;
}

void
mc_reader_unregister(struct mc_reader *r)
{
	rte_rcu_qsbr_thread_unregister(r->qsv, r->thread_id);
}

static void
slot_counters(const struct mc *mc, uint32_t slot, struct mc_counters *out)
{
	out->packets = 0;
	out->bytes = 0;
	for (unsigned i = 0; i < mc->n_readers; i++) {
		const struct mc_counters *c = &mc->readers[mc->reader_ids[i]]->ctr[slot];
		out->packets += __atomic_load_n(&c->packets, __ATOMIC_RELAXED);
		out->bytes += __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
	}
}

static uint32_t
slot_alloc(struct mc *mc)
{
	uint32_t s;

	if (mc->n_free == 0 && mc->stats.deferred != 0) {
		mc_reclaim(mc);
		if (mc->n_free == 0) {
			mc->stats.gp_waits++;
			mc_synchronize(mc);
		}
	}
	if (mc->n_free == 0)
		return 0;
	s = mc->free_slots[--mc->n_free];
	// The old prefix's increments are all visible: its grace period is over.
	slot_counters(mc, s, &mc->base[s]);
	return s;
}

static void
slot_free_unpublished(struct mc *mc, uint32_t s)
{
	mc->free_slots[mc->n_free++] = s;
}

// Publishes e in place of old (same slot) and retires old.
static void
replace(struct mc *mc, struct mc_entry *old, struct mc_entry *e)
{
	__atomic_store_n(&mc->slots[e->slot], e, __ATOMIC_RELEASE);
	retire(mc, old, 0);
	mc->stats.replaces++;
}

int
mc_add(struct mc *mc, uint32_t iid, const struct mc_prefix *p, const struct mc_entry_spec *s)
{
	struct mc_prefix pm;
	struct mc_table *t;
	struct mc_entry *e;
	uint32_t slot;
	int ret;

	ret = mc_prefix_norm(p, &pm);
	if (ret < 0)
		return ret;
	if (iid > MC_IID_MAX)
		return -EINVAL;
	ret = mc_spec_check(s);
	if (ret < 0)
		return ret;
	t = mc_table_get(mc, pm.af, iid);
	if (t == NULL)
		return -rte_errno;
	ret = mc_table_fib(mc, t);
	if (ret < 0)
		return ret;

	slot = mc_table_slot(t, &pm);
	if (slot != 0) {
		struct mc_entry *old = mc->slots[slot];
		ret = mc_entry_build(&e, t, &pm, s, old, slot, mc->conf.socket_id);
		if (ret < 0)
			return ret;
		replace(mc, old, e);
		return 0;
	}

	slot = slot_alloc(mc);
	if (slot == 0)
		return -ENOSPC;
	ret = mc_entry_build(&e, t, &pm, s, NULL, slot, mc->conf.socket_id);
	if (ret < 0) {
		slot_free_unpublished(mc, slot);
		return ret;
	}
	__atomic_store_n(&mc->slots[slot], e, __ATOMIC_RELEASE);
	ret = mc_fib_add(mc, t, &pm, slot);
	if (ret < 0) {
		// The FIB may have written some ranges before it failed: retire, do not reuse now.
		mc->slot_state[slot] = MC_SLOT_DYING;
		retire(mc, e, slot);
		return ret == -ENOMEM ? -ENOSPC : ret;
	}
	mc->slot_state[slot] = MC_SLOT_LIVE;
	t->n_prefixes++;
	mc->stats.entries++;
	mc->stats.adds++;
	return 0;
}

// The table and slot of an existing prefix.
static int
find(
	const struct mc *mc,
	uint32_t iid,
	const struct mc_prefix *p,
	struct mc_prefix *pm,
	struct mc_table **t,
	uint32_t *slot
)
{
	int ret = mc_prefix_norm(p, pm);

	if (ret < 0)
		return ret;
	*t = mc_table_lookup(mc, pm->af, iid);
	*slot = mc_table_slot(*t, pm);
	return *slot == 0 ? -ENOENT : 0;
}

int
mc_del(struct mc *mc, uint32_t iid, const struct mc_prefix *p)
{
	struct mc_prefix pm;
	struct mc_table *t;
	uint32_t slot;
	int ret;

	ret = find(mc, iid, p, &pm, &t, &slot);
	if (ret < 0)
		return ret;
	ret = mc_fib_del(mc, t, &pm);
	if (ret < 0)
		return ret;
	mc->slot_state[slot] = MC_SLOT_DYING;
	retire(mc, mc->slots[slot], slot);
	t->n_prefixes--;
	mc->stats.entries--;
	mc->stats.dels++;
	return 0;
}

int
mc_set_locator_usable(
	struct mc *mc,
	uint32_t iid,
	const struct mc_prefix *p,
	unsigned idx,
	bool usable
)
{
	struct mc_entry *old, *e;
	struct mc_prefix pm;
	struct mc_table *t;
	uint32_t slot;
	int ret;

	ret = find(mc, iid, p, &pm, &t, &slot);
	if (ret < 0)
		return ret;
	old = mc->slots[slot];
	if (idx >= old->n_locators)
		return -EINVAL;
	if ((old->loc[idx].usable != 0) == usable)
		return 0;
	e = mc_entry_clone(old, mc->conf.socket_id);
	if (e == NULL)
		return -ENOMEM;
	e->loc[idx].usable = usable;
	mc_entry_finish(e, old->buckets);
	replace(mc, old, e);
	return 0;
}

int
mc_set_expire(struct mc *mc, uint32_t iid, const struct mc_prefix *p, uint64_t expire)
{
	struct mc_entry *old, *e;
	struct mc_prefix pm;
	struct mc_table *t;
	uint32_t slot;
	int ret;

	ret = find(mc, iid, p, &pm, &t, &slot);
	if (ret < 0)
		return ret;
	old = mc->slots[slot];
	e = mc_entry_clone(old, mc->conf.socket_id);
	if (e == NULL)
		return -ENOMEM;
	e->expire = expire;
	replace(mc, old, e);
	return 0;
}

int
mc_get(
	const struct mc *mc,
	uint32_t iid,
	const struct mc_prefix *p,
	const struct mc_entry **e,
	struct mc_counters *ctr
)
{
	struct mc_prefix pm;
	struct mc_table *t;
	uint32_t slot;
	int ret;

	ret = find(mc, iid, p, &pm, &t, &slot);
	if (ret < 0)
		return ret;
	if (e != NULL)
		*e = mc->slots[slot];
	if (ctr != NULL) {
		slot_counters(mc, slot, ctr);
		ctr->packets -= mc->base[slot].packets;
		ctr->bytes -= mc->base[slot].bytes;
	}
	return 0;
}

const struct mc_entry *
mc_get_slot(const struct mc *mc, uint32_t slot)
{
	if (slot == 0 || slot > mc->max_entries || mc->slot_state[slot] != MC_SLOT_LIVE)
		return NULL;
	return mc->slots[slot];
}

int
mc_walk(const struct mc *mc, mc_walk_cb cb, void *arg)
{
	for (uint32_t s = 1; s <= mc->max_entries; s++) {
		struct mc_counters c;
		int ret;
		if (mc->slot_state[s] != MC_SLOT_LIVE)
			continue;
		slot_counters(mc, s, &c);
		c.packets -= mc->base[s].packets;
		c.bytes -= mc->base[s].bytes;
		ret = cb(mc->slots[s], &c, arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

unsigned
mc_count(const struct mc *mc)
{
	return mc->stats.entries;
}

void
mc_stats_get(const struct mc *mc, struct mc_stats *st)
{
	*st = mc->stats;
}
