// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Map-cache internals shared by map_cache.c and mc_entry.c. Each field says who writes it and
// who reads it; "control" is the single writer.

#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <rte_lcore.h>
#include <rte_rcu_qsbr.h>

#include "map_cache.h"

enum mc_slot_state {
	MC_SLOT_FREE, // on the free stack
	MC_SLOT_LIVE, // owns a prefix that is in its table
	MC_SLOT_DYING, // its prefix was deleted; back to the free stack after a grace period
};

struct mc_table {
	// control: writes before publishing the handle (release store of mc->n_tables); readers:
	// read-only afterwards.
	struct mc_entry **slots; // the map-cache's slot array
	uint32_t iid;
	uint8_t af;
	// control: release store once, when the first prefix is added; readers: acquire load per
	// lookup call. struct rte_fib * (IPv4) or struct rte_fib6 * (IPv6).
	void *fib;
	// control only.
	struct mc *mc;
	uint32_t n_prefixes;
	bool gp_pending; // a delete may have freed tbl8 groups since gp_token was taken
	uint64_t gp_token;
	uint32_t long_dels; // deletes of prefixes longer than /24 since the FIB was built
	uint32_t fib_gen; // FIBs created for this table (unique names)
} __rte_cache_aligned;

struct mc {
	// control: writes in mc_create; readers: read (through their tables and mc_reader).
	// slots[s]: control release-stores entry pointers, readers acquire-load them. slots[0] is
	// always NULL: the FIBs' miss value.
	struct mc_entry **slots;
	uint32_t max_entries;
	struct rte_rcu_qsbr *qsv;
	// control: stores tables[n], then n_tables with release; any thread: loads n_tables with
	// acquire, then tables[0..n_tables).
	struct mc_table **tables;
	uint32_t n_tables;

	// Control only from here.
	struct mc_conf conf; // with the defaults filled in
	unsigned id; // makes DPDK object names unique
	bool own_qsv;
	uint8_t nh_sz4; // enum rte_fib_dir24_8_nh_sz
	uint8_t nh_sz6; // enum rte_fib_trie_nh_sz
	uint8_t *slot_state; // enum mc_slot_state per slot
	uint32_t *free_slots; // stack
	uint32_t n_free;
	struct mc_counters *base; // counters of the slot when its prefix was added
	struct rte_rcu_qsbr_dq *dq; // retired entries (and slots) waiting for a grace period
	struct mc_reader *readers[RTE_MAX_LCORE]; // by QSBR thread id
	unsigned reader_ids[RTE_MAX_LCORE]; // registered thread ids, n_readers of them
	unsigned n_readers;
	struct mc_table *last_table; // cache of table lookups
	struct mc_stats stats;
};

// map_cache.c
// What waits on the defer queue: an entry and the slot to free with it (0: none), or a FIB
// replaced by a rebuild.
enum mc_defer_kind {
	MC_DEFER_ENTRY,
	MC_DEFER_FIB6,
};

struct mc_defer {
	void *ptr;
	uint32_t slot;
	uint32_t kind; // enum mc_defer_kind
};
// Frees d after a grace period (blocks for one when the defer queue is full).
void mc_defer_push(struct mc *mc, struct mc_defer *d);

// mc_table.c
// Validates a prefix and zeroes its host bits.
int mc_prefix_norm(const struct mc_prefix *p, struct mc_prefix *out);
// The table of an IID: existing (NULL if none), or created if needed (NULL + rte_errno).
struct mc_table *mc_table_lookup(const struct mc *mc, uint8_t af, uint32_t iid);
struct mc_table *mc_table_get(struct mc *mc, uint8_t af, uint32_t iid);
// Creates the table's FIB if it has none yet.
int mc_table_fib(struct mc *mc, struct mc_table *t);
// The slot of an exact prefix, 0 if absent.
uint32_t mc_table_slot(const struct mc_table *t, const struct mc_prefix *p);
// FIB add (after the grace period a delete requires, when needed) and delete.
int mc_fib_add(struct mc *mc, struct mc_table *t, const struct mc_prefix *p, uint32_t slot);
int mc_fib_del(struct mc *mc, struct mc_table *t, const struct mc_prefix *p);
void mc_table_free(struct mc_table *t);

// mc_entry.c
int mc_spec_check(const struct mc_entry_spec *s);
// Builds an unpublished entry for prefix p of table t in slot. old is the entry it replaces (its
// buckets are kept where locators match by address) or NULL.
int mc_entry_build(
	struct mc_entry **out,
	const struct mc_table *t,
	const struct mc_prefix *p,
	const struct mc_entry_spec *s,
	const struct mc_entry *old,
	uint32_t slot,
	int socket_id
);
// A copy with gen + 1, to modify before publishing. NULL on ENOMEM.
struct mc_entry *mc_entry_clone(const struct mc_entry *e, int socket_id);
// Recomputes the buckets (from old_buckets, may be NULL), n_usable and action.
void mc_entry_finish(struct mc_entry *e, const uint8_t *old_buckets);
// Poisons and frees an entry no reader can hold.
void mc_entry_free(struct mc_entry *e);
