// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The map-cache: per instance-ID (24-bit IID), an IPv4 and an IPv6 longest-prefix-match table
// from EID prefixes to immutable forwarding entries (design.md §4).
//
// Threads:
// * One writer: the control lcore. Everything here is control-only and not reentrant, except
//   the reader section at the end, mc_table_find(), and the pure helpers (mc_template_build,
//   mc_buckets_rebuild, mc_action_name, mc_locator_rloc).
// * Any number of readers (worker lcores), lock-free. A reader holds entry pointers only between
//   two quiescent-state reports, and reports once per loop iteration:
//
//	struct mc_reader *r = mc_reader_register(mc, lcore); // control, before the launch
//	mc_reader_online(r);                                  // worker, before its loop
//	while (running) {
//		mc_lookup_bulk4(tbl, dst, e, n);              // prefetches entries' lines 0-1
//		... mc_prefetch_locator(e[i], hash[i]); mc_prefetch_counters(r, e[i]); ...
//		... l = mc_pick_locator(e[i], hash[i]); encapsulate with l->tmpl ...
//		mc_reader_count(r, e[i], 1, len);
//		mc_reader_quiescent(r);                       // no entry pointer kept past here
//	}
//	mc_reader_offline(r);                                 // before blocking or exiting
//
//   The thread id is the reader's id on the RCU QSBR variable (mc_rcu()); use the lcore id.
//   When that variable is shared with other data-plane structures (mc_conf.qsv), one
//   rte_rcu_qsbr_quiescent() per iteration serves all of them; mc_reader_quiescent() is that.
//
// Tables: rte_fib DIR24_8 (IPv4) and rte_fib6 TRIE (IPv6), one each per IID, created with the
// first prefix. Their next hop is a slot index: slot 0 means "no entry" (the miss value), slot
// s > 0 owns one prefix for its whole life, and slots[s] points to the prefix's current entry.
// Replacing an entry is a release store into slots[s]; the FIB is not touched. Per-slot packet
// and byte counters live in one array per reader.
//
// Reclamation (the safety argument is in map_cache.c): replaced and deleted entries, and the
// slots of deleted prefixes, are freed or reused only after a grace period (rte_rcu_qsbr_dq).
// rte_fib/rte_fib6 have no RCU hook in DPDK 22.11, so after a delete the writer waits for a
// grace period before the next add to the same table that could allocate tbl8 groups (prefix
// longer than /24): a group freed by the delete may be reused by that add while a reader still
// walks it. Control should therefore batch: deletes first, then adds (one wait, not one each).
//
// Errors: 0 or a negative errno; constructors return NULL and set rte_errno. Nothing here logs.

#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#define MC_MAX_LOCATORS 8
// Flow-hash buckets per entry: one cache line of uint8_t locator indexes.
#define MC_BUCKETS 64
// A bucket without a locator (only when no locator is usable).
#define MC_NO_LOCATOR 0xff
#define MC_IID_MAX 0xffffff
// mc_lookup_bulk4/6 work in chunks of this many destinations.
#define MC_LOOKUP_BURST 32

// What a worker does with a packet that hit an entry: entry->action. Values 0-5 are the ACT
// values of negative Map-Replies (lisp-protocol.md §2.6); ACT 6 and 7 are installed as
// MC_ACT_DROP.
enum mc_action {
	MC_ACT_NO_ACTION = 0, // forward natively, keep the entry
	MC_ACT_NATIVE_FWD = 1, // forward natively (or to a PETR)
	MC_ACT_SEND_MAP_REQUEST = 2, // tell control (rate-limited); drop or hold the packet
	MC_ACT_DROP = 3, // Drop/No-Reason
	MC_ACT_DROP_POLICY = 4, // Drop/Policy-Denied
	MC_ACT_DROP_AUTH = 5, // Drop/Auth-Failure
	MC_ACT_ENCAP = 8, // positive entry: mc_pick_locator() never returns NULL
	MC_ACT_PENDING = 9, // a Map-Request for this destination is in flight: drop or hold, count
	// Effective action only, never in a spec: a positive entry whose locators are all unusable,
	// have priority 255, or none at all. Workers drop and count it as "no locator"
	// (lisp-protocol.md §3.6 step 4; control decides whether to refresh).
	MC_ACT_DROP_NO_LOCATOR = 10,
};

// The name of an action for the shell and for drop counters ("encap", "drop-no-locator", ...).
const char *mc_action_name(unsigned action);

// An EID prefix. Bits past len are ignored on input and zero in entries.
struct mc_prefix {
	uint8_t af; // AF_INET or AF_INET6
	uint8_t len; // 0-32 or 0-128
	uint8_t addr[16]; // network order; IPv4 in addr[0..3]
};

// The outer header template of one locator: outer IPv4 (20) or IPv6 (40), UDP (8), LISP (8).
// Constant fields are set: version, IHL/DF/protocol 17 (IPv4) or next header 17 (IPv6), source
// and destination RLOC, UDP destination port 4341, the LISP flags, IID and LSBs. Zero and
// patched per packet: IPv4 TOS, total length, TTL, header checksum; IPv6 traffic class, flow
// label, payload length, hop limit; UDP source port, length, checksum; LISP nonce (bytes 1-3).
#define MC_TMPL_MAX 56
#define MC_TMPL4_LEN 36
#define MC_TMPL6_LEN 56
#define MC_TMPL4_UDP 20 // offset of the UDP header in an IPv4 template
#define MC_TMPL6_UDP 40
#define MC_TMPL4_LISP 28 // offset of the LISP header
#define MC_TMPL6_LISP 48
#define MC_LISP_DATA_PORT 4341
// LISP header flag bits (byte 0).
#define MC_LISP_FLAG_N 0x80
#define MC_LISP_FLAG_L 0x40
#define MC_LISP_FLAG_E 0x20
#define MC_LISP_FLAG_I 0x08
// mc_template_build() flags.
#define MC_TMPL_NONCE 0x01 // N=1: the encapsulation writes a nonce into every packet
#define MC_TMPL_LSB 0x02 // L=1: lsbs are our site's Locator-Status-Bits
#define MC_TMPL_IID 0x04 // I=1 even for IID 0 (I is always set for IID != 0)

// Packed (59 bytes) so that a locator, with its next hop and control's fields, fits one line.
struct mc_tmpl {
	uint8_t hdr[MC_TMPL_MAX];
	// A folded 16-bit one's-complement sum of the constant big-endian words, so that the
	// encapsulation finishes a checksum from registers (see mc_tmpl_finish()):
	// IPv4: the IP header without TOS, total length, TTL (and identification 0, checksum 0);
	// IPv6: the UDP checksum's constant part: source, destination, next header 17, the UDP
	// destination port and LISP bytes 4-7. Add 2 x UDP length, the source port, LISP bytes 0-3
	// and the inner packet for a full UDP checksum.
	uint16_t csum;
	uint8_t len; // MC_TMPL4_LEN or MC_TMPL6_LEN
} __rte_packed;

// Builds the template from our RLOC (src), the destination RLOC (dst), both network order of
// family af, the IID (24 bits), MC_TMPL_* flags and the LSBs (8 bits when I=1, else 32; written
// only with MC_TMPL_LSB). Returns 0 or -EINVAL.
int mc_template_build(
	struct mc_tmpl *t,
	uint8_t af,
	const uint8_t *src,
	const uint8_t *dst,
	uint32_t iid,
	unsigned flags,
	uint32_t lsbs
);

// The outer address family (AF_INET or AF_INET6), from the IP version.
static inline uint8_t
mc_tmpl_af(const struct mc_tmpl *t)
{
	return (t->hdr[0] >> 4) == 4 ? AF_INET : AF_INET6;
}

// One locator of an entry: exactly one cache line, with all a worker needs to encapsulate. Its
// address family and RLOC are in the template (mc_tmpl_af, mc_locator_rloc). Written by control
// before the entry is published, like the rest of the entry.
struct mc_locator {
	struct mc_tmpl tmpl;
	uint8_t usable; // reachable and allowed (R bit, probes, LSBs, admin); for show and rebuilds
	uint16_t nh; // control's underlay next-hop index for this RLOC; opaque to the map-cache
	uint8_t priority; // 255: never used
	uint8_t weight;
} __rte_cache_aligned;

// A forwarding entry. Control writes it before publishing it (a release store into its slot);
// readers only read it; nobody writes it afterwards: every change is a new entry.
struct mc_entry {
	// Line 0: read by workers for every packet.
	uint32_t magic; // MC_ENTRY_MAGIC while readers may hold it; the free path poisons it
	uint8_t action; // enum mc_action, effective: what workers do
	uint8_t n_locators;
	uint8_t n_usable; // locators that own buckets; 0 unless action == MC_ACT_ENCAP
	uint8_t spec_action; // enum mc_action control installed (for show)
	uint32_t slot; // the prefix's slot: next hop in the FIB and index of the counters
	uint32_t gen; // 1 for a new prefix, +1 for each replacement
	uint64_t expire; // control's deadline (rte_get_tsc_cycles() units), 0 = never
	uint32_t iid;
	uint32_t size; // bytes allocated
	struct mc_prefix prefix;
	// Line 1: locator index per flow-hash bucket (MC_NO_LOCATOR when n_usable == 0).
	uint8_t buckets[MC_BUCKETS] __rte_cache_aligned;
	// Lines 2...: the locators, in the order control gave them.
	struct mc_locator loc[];
};

#define MC_ENTRY_MAGIC 0x4d43454eu // "MCEN"
#define MC_ENTRY_DEAD 0xdeadbeefu

// Entry contents for mc_add().
struct mc_locator_spec {
	uint8_t af; // AF_INET or AF_INET6
	uint8_t priority; // 255: never used
	uint8_t weight;
	bool usable;
	uint16_t nh; // copied to mc_locator.nh
	uint8_t rloc[16]; // destination RLOC, network order
	uint8_t src[16]; // our RLOC of the same family: outer source address
};

struct mc_entry_spec {
	enum mc_action action; // MC_ACT_ENCAP, MC_ACT_PENDING or ACT 0-7; locators only with ENCAP
	uint64_t expire; // stored as is (control's clock)
	unsigned tmpl_flags; // MC_TMPL_* for every template
	uint32_t lsbs; // for MC_TMPL_LSB
	unsigned n_locators;
	struct mc_locator_spec loc[MC_MAX_LOCATORS];
};

struct mc_counters {
	uint64_t packets;
	uint64_t bytes;
};

// Creation parameters. A zero limit picks the default shown in parentheses.
struct mc_conf {
	int socket_id; // NUMA socket for all memory, or SOCKET_ID_ANY
	uint32_t max_entries; // prefixes in all tables together (65535); at most 2^31 - 2
	uint32_t max_tables; // IID x family tables (64)
	uint32_t v4_max_routes; // prefixes per IPv4 table (max_entries)
	uint32_t v4_tbl8; // per IPv4 table: 256-entry groups, 1 per /24 with prefixes > /24 (4096)
	uint32_t v6_max_routes; // prefixes per IPv6 table (max_entries)
	uint32_t v6_tbl8; // per IPv6 table: 256-entry groups, 1 per byte past /24 per path (16384)
	// Retired entries that may wait for their grace period before the writer blocks
	// (max_entries, at most 65536).
	uint32_t defer_size;
	// The QSBR variable of the data plane. NULL: the map-cache creates one for RTE_MAX_LCORE
	// threads (mc_rcu() returns it).
	struct rte_rcu_qsbr *qsv;
};
// Memory: each table's tbl24 is 2^24 next hops of the smallest size holding max_entries and
// its tbl8 count (1, 2 or 4 bytes: 16, 32 or 64 MB), plus tbl8 groups and the RIB (~2 nodes
// per route).

struct mc;
struct mc_table;

struct mc *mc_create(const struct mc_conf *conf);
// Frees everything. No reader may be online (stop the workers first).
void mc_destroy(struct mc *mc);
struct rte_rcu_qsbr *mc_rcu(const struct mc *mc);

// The table handle of an IID, created if needed (no FIB memory until its first prefix); stable
// until mc_destroy. Control hands it to the workers (e.g. per EID port). NULL + rte_errno
// (EINVAL, ENOSPC: max_tables) on failure.
struct mc_table *mc_table4(struct mc *mc, uint32_t iid);
struct mc_table *mc_table6(struct mc *mc, uint32_t iid);
// Any thread: an existing handle or NULL. Tables are published with release stores.
struct mc_table *mc_table_find(const struct mc *mc, uint8_t af, uint32_t iid);

// Adds the prefix or replaces its entry (counters continue). Returns 0, -EINVAL (bad prefix,
// IID or spec), -ENOSPC (max_entries, max_tables, FIB routes or tbl8 groups), -ENOMEM.
int mc_add(struct mc *mc, uint32_t iid, const struct mc_prefix *p, const struct mc_entry_spec *s);
// Returns 0 or -ENOENT. Lookups fall back to the covering prefix.
int mc_del(struct mc *mc, uint32_t iid, const struct mc_prefix *p);
// Marks locator idx usable or not; only that locator's buckets move. 0, -ENOENT, -EINVAL.
int mc_set_locator_usable(
	struct mc *mc,
	uint32_t iid,
	const struct mc_prefix *p,
	unsigned idx,
	bool usable
);
int mc_set_expire(struct mc *mc, uint32_t iid, const struct mc_prefix *p, uint64_t expire);

// Exact match, for control. The entry stays valid until the next control call that changes
// the map-cache. ctr may be NULL. 0 or -ENOENT.
int mc_get(
	const struct mc *mc,
	uint32_t iid,
	const struct mc_prefix *p,
	const struct mc_entry **e,
	struct mc_counters *ctr
);
// The entry in slot (as workers report it in events), or NULL. Control only; valid until the
// next control call that changes the map-cache.
const struct mc_entry *mc_get_slot(const struct mc *mc, uint32_t slot);
// Calls cb for every prefix (in slot order) until cb returns non-zero, and returns that.
typedef int (*mc_walk_cb)(const struct mc_entry *e, const struct mc_counters *ctr, void *arg);
int mc_walk(const struct mc *mc, mc_walk_cb cb, void *arg);
unsigned mc_count(const struct mc *mc);

struct mc_stats {
	uint32_t entries; // live prefixes
	uint32_t max_entries;
	uint32_t tables;
	uint32_t deferred; // entries waiting for a grace period
	uint64_t adds; // new prefixes
	uint64_t replaces;
	uint64_t dels;
	uint64_t reclaimed; // entries freed after their grace period
	uint64_t gp_waits; // times the writer blocked on a grace period
	uint64_t rebuilds; // IPv6 FIBs rebuilt to recover tbl8 reservations (see map_cache.c)
};
void mc_stats_get(const struct mc *mc, struct mc_stats *st);

// Frees what finished its grace period, without blocking. Call from the control loop's tick;
// mc_add/mc_del also reclaim as they go.
void mc_reclaim(struct mc *mc);
// Waits for a grace period and frees everything retired before the call.
void mc_synchronize(struct mc *mc);

// The locator's RLOC (16 bytes, IPv4 in the first 4) from its template.
void mc_locator_rloc(const struct mc_locator *l, uint8_t rloc[16]);

// Weight-expanded buckets (mc_buckets.c). Among usable locators of the best (lowest) priority
// other than 255: by weight; weight 0 never chosen unless all eligible weights are 0, then an
// equal share. Shares come from a divisor method (Huntington-Hill), so removing a locator never
// shrinks another's share. The new array is built from old: when a locator leaves, only its
// buckets move; when it returns, exactly the buckets it needs move to it, back to the ones it
// had while all locators were usable. old may be NULL (a new entry) and may hold indexes >= n
// or MC_NO_LOCATOR. Returns the number of locators owning buckets (0: all MC_NO_LOCATOR).
struct mc_bucket_loc {
	uint8_t priority;
	uint8_t weight;
	bool usable;
};
unsigned mc_buckets_rebuild(
	uint8_t buckets[MC_BUCKETS],
	const uint8_t *old,
	const struct mc_bucket_loc *loc,
	unsigned n
);

// --- Readers (workers) ---

// Per-reader state, returned by mc_reader_register.
struct mc_reader {
	// control: writes in mc_reader_register; the reader: reads.
	struct rte_rcu_qsbr *qsv;
	unsigned thread_id;
	// The reader: writes (relaxed, it is the only writer); control: reads (relaxed) and sums.
	// Indexed by slot, max_entries + 1 elements.
	struct mc_counters *ctr;
} __rte_cache_aligned;

// Control (or the worker itself, before its loop): registers thread_id on the QSBR variable
// (idempotent) and gives it a counter array. The handle lives until mc_destroy; registering the
// same thread_id again returns the same handle. NULL + rte_errno (EINVAL, ENOMEM).
struct mc_reader *mc_reader_register(struct mc *mc, unsigned thread_id);
// Unregisters from the QSBR variable (the counters stay). The reader must be offline.
void mc_reader_unregister(struct mc_reader *r);

static inline void
mc_reader_online(struct mc_reader *r)
{
	rte_rcu_qsbr_thread_online(r->qsv, r->thread_id);
}

static inline void
mc_reader_offline(struct mc_reader *r)
{
	rte_rcu_qsbr_thread_offline(r->qsv, r->thread_id);
}

// Once per loop iteration: the reader holds no entry pointer obtained before this call.
static inline void
mc_reader_quiescent(struct mc_reader *r)
{
	rte_rcu_qsbr_quiescent(r->qsv, r->thread_id);
}

// Longest-prefix match of n destinations (IPv4 network order; IPv6 16-byte arrays). out[i] is
// the entry or NULL (miss; also, rarely and transiently, while a covering prefix is being
// deleted). Looks up in chunks of MC_LOOKUP_BURST and prefetches the entries' first two lines
// for the caller. A NULL table, or a table without prefixes, misses. Returns the hits.
unsigned mc_lookup_bulk4(
	const struct mc_table *t,
	const uint32_t *dst_be,
	const struct mc_entry **out,
	unsigned n
);
unsigned mc_lookup_bulk6(
	const struct mc_table *t,
	const uint8_t (*dst)[16],
	const struct mc_entry **out,
	unsigned n
);

// The locator of a flow: hash is any well-mixed flow hash (its low 6 bits pick the bucket).
// NULL unless e->action == MC_ACT_ENCAP.
static inline const struct mc_locator *
mc_pick_locator(const struct mc_entry *e, uint32_t hash)
{
	uint8_t i = e->buckets[hash & (MC_BUCKETS - 1)];
	return i == MC_NO_LOCATOR ? NULL : &e->loc[i];
}

static inline void
mc_prefetch_locator(const struct mc_entry *e, uint32_t hash)
{
	rte_prefetch0(&e->loc[e->buckets[hash & (MC_BUCKETS - 1)] & (MC_MAX_LOCATORS - 1)]);
}

static inline void
mc_prefetch_counters(const struct mc_reader *r, const struct mc_entry *e)
{
	rte_prefetch0(&r->ctr[e->slot]);
}

static inline void
mc_reader_count(struct mc_reader *r, const struct mc_entry *e, uint64_t packets, uint64_t bytes)
{
	struct mc_counters *c = &r->ctr[e->slot];

	uint64_t p = __atomic_load_n(&c->packets, __ATOMIC_RELAXED) + packets;
	uint64_t b = __atomic_load_n(&c->bytes, __ATOMIC_RELAXED) + bytes;

	// Single writer per array: a relaxed load-add-store keeps control's reads tear-free.
	__atomic_store_n(&c->packets, p, __ATOMIC_RELAXED);
	__atomic_store_n(&c->bytes, b, __ATOMIC_RELAXED);
}

// Reference for the encapsulation: patches a copy (hdr) of t->hdr for an inner packet of
// inner_len bytes. tos is the outer DSCP/ECN (IPv4 TOS, IPv6 traffic class), ttl the outer
// TTL/hop limit, sport the UDP source port (flow entropy), nonce the 24-bit LISP nonce (written
// when the template has N). The IPv4 header checksum is finished from t->csum; the UDP checksum
// stays 0 (IPv4; IPv6 zero-checksum tunnels; see struct mc_tmpl for a full one).
static inline void
mc_tmpl_finish(
	const struct mc_tmpl *t,
	uint8_t *hdr,
	uint16_t inner_len,
	uint8_t tos,
	uint8_t ttl,
	uint16_t sport,
	uint32_t nonce
)
{
	uint16_t udp_len = (uint16_t)(16 + inner_len);
	uint8_t *udp;

	if (mc_tmpl_af(t) == AF_INET) {
		uint16_t tot = (uint16_t)(MC_TMPL4_LEN + inner_len);
		uint32_t s = (uint32_t)t->csum + tos + tot + ((uint32_t)ttl << 8);
		s = (s & 0xffff) + (s >> 16);
		s = (s & 0xffff) + (s >> 16);
		hdr[1] = tos;
		hdr[2] = (uint8_t)(tot >> 8);
		hdr[3] = (uint8_t)tot;
		hdr[8] = ttl;
		hdr[10] = (uint8_t)(~s >> 8);
		hdr[11] = (uint8_t)~s;
		udp = hdr + MC_TMPL4_UDP;
	} else {
		hdr[0] = (uint8_t)(0x60 | tos >> 4);
		hdr[1] = (uint8_t)(tos << 4 | (hdr[1] & 0x0f));
		hdr[4] = (uint8_t)(udp_len >> 8);
		hdr[5] = (uint8_t)udp_len;
		hdr[7] = ttl;
		udp = hdr + MC_TMPL6_UDP;
	}
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[4] = (uint8_t)(udp_len >> 8);
	udp[5] = (uint8_t)udp_len;
	if (udp[8] & MC_LISP_FLAG_N) {
		udp[9] = (uint8_t)(nonce >> 16);
		udp[10] = (uint8_t)(nonce >> 8);
		udp[11] = (uint8_t)nonce;
	}
}
