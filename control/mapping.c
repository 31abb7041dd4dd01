// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "dp.h"
#include "dp_nh.h"
#include "log.h"
#include "map_cache.h"
#include "map_request.h"
#include "mapping.h"
#include "neighbor.h"
#include "pending.h"
#include "probe.h"
#include "register.h"
#include "route.h"
#include "smr.h"

LOG_TYPE(mapping);

#define MAPPING_MAX_ENTRIES 65535
#define MAPPING_DB_MAX 1024

// Control lcore only.
static struct mc *mc;
static struct mc *db;
static const struct dxtr_conf *conf;
static uint8_t *origins; // by map-cache slot
// By slot, for refreshes: the entry's TTL, its packet count when installed (then when the
// last tenth of its TTL began), and where its refresh stands (enum refresh_state).
enum refresh_state {
	REFRESH_NONE,
	REFRESH_WATCH, // in its last tenth: marks[] holds the packet count at its start
	REFRESH_SENT, // a refresh was asked for
};
static uint32_t *ttls;
static uint64_t *marks;
static uint8_t *refreshing;
static uint32_t lsbs; // our own Locator-Status-Bits (all locators up)

const char *
mapping_origin_name(enum mapping_origin o)
{
	switch (o) {
	case MAPPING_STATIC:
		return "static";
	case MAPPING_PENDING:
		return "pending";
	case MAPPING_MAP_REPLY:
		return "map-reply";
	case MAPPING_NEGATIVE_LOCAL:
		return "negative-local";
	}
	return "?";
}

struct mc *
mapping_mc(void)
{
	return mc;
}

struct mc *
mapping_db(void)
{
	return db;
}

enum mapping_origin
mapping_origin_of(uint32_t slot)
{
	return slot <= MAPPING_MAX_ENTRIES ? origins[slot] : MAPPING_STATIC;
}

static void
to_mc_prefix(const struct ip_prefix *p, struct mc_prefix *out)
{
	memset(out, 0, sizeof(*out));
	out->af = p->addr.af;
	out->len = p->len;
	memcpy(out->addr, p->addr.bytes, p->addr.af == AF_INET ? 4 : 16);
}

// A locator's outer source, next hop and usability, from the underlay routes.
static void
locator_spec(const struct conf_locator *cl, struct mc_locator_spec *ls)
{
	struct ip_addr nexthop;
	const struct route *r = route_lookup(&cl->addr, &nexthop);

	memset(ls, 0, sizeof(*ls));
	ls->af = cl->addr.af;
	ls->priority = cl->priority;
	ls->weight = cl->weight;
	memcpy(ls->rloc, cl->addr.bytes, 16);
	if (r == NULL) {
		ls->usable = false; // no route: keep it, never choose it
		return;
	}
	int nh = neigh_resolve(r->port, &nexthop, &r->src);
	if (nh < 0) {
		ls->usable = false;
		return;
	}
	memcpy(ls->src, r->src.bytes, 16);
	ls->nh = nh;
	ls->usable = !probe_is_down(&cl->addr);
}

static unsigned
tmpl_flags(void)
{
	unsigned f = 0;

	if (conf->lisp.nonce == CONF_NONCE_RANDOM)
		f |= MC_TMPL_NONCE;
	if (conf->lisp.iid_always)
		f |= MC_TMPL_IID;
	if (conf->lisp.lsb)
		f |= MC_TMPL_LSB;
	return f;
}

// Locators in RFC 6830 order (IPv4 before IPv6, ascending): the order locator-status-bits and
// Map-Replies use, so bit i is entry locator i.
struct sorted_loc {
	struct conf_locator loc;
	bool down;
};

static int
loc_order(const void *a, const void *b)
{
	const struct conf_locator *x = &((const struct sorted_loc *)a)->loc;
	const struct conf_locator *y = &((const struct sorted_loc *)b)->loc;

	if (x->addr.af != y->addr.af)
		return x->addr.af == AF_INET ? -1 : 1;
	return memcmp(x->addr.bytes, y->addr.bytes, 16);
}

int
mapping_add(const struct mapping_spec *ms, char *err, size_t errlen)
{
	struct sorted_loc sorted[MC_MAX_LOCATORS];
	struct mc_entry_spec spec = {0};
	struct mc_prefix p;
	const struct mc_entry *e;
	int ret;

	if (ms->n_loc > MC_MAX_LOCATORS) {
		snprintf(err, errlen, "at most %u locators", MC_MAX_LOCATORS);
		return -EINVAL;
	}
	to_mc_prefix(&ms->prefix, &p);
	spec.action = ms->origin == MAPPING_PENDING ? MC_ACT_PENDING
		: ms->action == CONF_ACT_ENCAP	   ? MC_ACT_ENCAP
						   : (enum mc_action)ms->action;
	spec.expire = ms->ttl_s ? rte_get_tsc_cycles() + (uint64_t)ms->ttl_s * rte_get_tsc_hz() : 0;
	spec.tmpl_flags = tmpl_flags();
	spec.lsbs = lsbs;
	spec.n_locators = ms->n_loc;
	for (unsigned i = 0; i < ms->n_loc; i++)
		sorted[i] = (struct sorted_loc){.loc = ms->loc[i], .down = ms->down & (1u << i)};
	qsort(sorted, ms->n_loc, sizeof(sorted[0]), loc_order);
	for (unsigned i = 0; i < ms->n_loc; i++) {
		locator_spec(&sorted[i].loc, &spec.loc[i]);
		if (sorted[i].down)
			spec.loc[i].usable = false;
	}
	ret = mc_add(mc, ms->iid, &p, &spec);
	if (ret < 0) {
		snprintf(err, errlen, "cannot install the mapping: %s", strerror(-ret));
		return ret;
	}
	struct mc_counters ctr;
	if (mc_get(mc, ms->iid, &p, &e, &ctr) == 0 && e->slot <= MAPPING_MAX_ENTRIES) {
		origins[e->slot] = ms->origin;
		ttls[e->slot] = ms->ttl_s;
		marks[e->slot] = ctr.packets;
		refreshing[e->slot] = REFRESH_NONE;
	}
	// Destinations waiting for this prefix can go now.
	if (ms->origin != MAPPING_PENDING)
		pending_release(ms->iid, &ms->prefix);
	return 0;
}

int
mapping_del(uint32_t iid, const struct ip_prefix *prefix)
{
	struct mc_prefix p;

	to_mc_prefix(prefix, &p);
	return mc_del(mc, iid, &p);
}

// Our Locator-Status-Bits: every locator of our (first) mapping is up.
static void
own_lsbs(const struct dxtr_conf *c)
{
	unsigned n = c->n_database > 0 ? c->database[0].n_loc : 0;
	lsbs = n >= 32 ? 0xffffffff : (1u << n) - 1;
}

static int
find_db(const struct dxtr_conf *c, uint32_t iid, const struct ip_prefix *p)
{
	for (unsigned i = 0; i < c->n_database; i++)
		if (c->database[i].iid == iid && c->database[i].prefix.len == p->len &&
		    conf_prefix_contains(&c->database[i].prefix, &p->addr))
			return i;
	return -1;
}

// A change of the local database: tell the Map-Servers and the ITRs caching us.
static void
db_changed(uint32_t iid, const struct ip_prefix *prefix)
{
	register_now();
	smr_send(iid, prefix);
}

int
mapping_db_set(struct dxtr_conf *c, const struct conf_mapping *m, char *err, size_t errlen)
{
	struct mc_entry_spec spec = {.action = MC_ACT_NO_ACTION};
	struct mc_prefix p;
	int i = find_db(c, m->iid, &m->prefix);
	int ret;

	if (i < 0 && c->n_database >= CONF_MAX_DATABASE) {
		snprintf(err, errlen, "the database is full (%u prefixes)", CONF_MAX_DATABASE);
		return -ENOSPC;
	}
	to_mc_prefix(&m->prefix, &p);
	ret = mc_add(db, m->iid, &p, &spec);
	if (ret < 0) {
		snprintf(err, errlen, "cannot install the prefix: %s", strerror(-ret));
		return ret;
	}
	c->database[i < 0 ? (int)c->n_database++ : i] = *m;
	own_lsbs(c);
	db_changed(m->iid, &m->prefix);
	return 0;
}

int
mapping_db_del(struct dxtr_conf *c, uint32_t iid, const struct ip_prefix *prefix)
{
	struct mc_prefix p;
	int i = find_db(c, iid, prefix);

	if (i < 0)
		return -ENOENT;
	to_mc_prefix(prefix, &p);
	mc_del(db, iid, &p);
	memmove(&c->database[i], &c->database[i + 1],
		sizeof(c->database[0]) * (c->n_database - i - 1));
	c->n_database--;
	own_lsbs(c);
	db_changed(iid, prefix);
	return 0;
}

// The local database: one entry per local EID-prefix, looked up by the ETR.
static int
install_database(const struct dxtr_conf *c, char *err, size_t errlen)
{
	for (unsigned i = 0; i < c->n_database; i++) {
		const struct conf_mapping *m = &c->database[i];
		struct mc_entry_spec spec = {.action = MC_ACT_NO_ACTION};
		struct mc_prefix p;
		to_mc_prefix(&m->prefix, &p);
		int ret = mc_add(db, m->iid, &p, &spec);
		if (ret < 0) {
			snprintf(err, errlen, "%s:%u:%u: database entry: %s", c->path, m->mark.line,
				 m->mark.col, strerror(-ret));
			return ret;
		}
	}
	own_lsbs(c);
	return 0;
}

// Where natively forwarded packets go: the default route's gateway.
static uint32_t
native_nexthop(int af)
{
	const struct route *r = route_default(af);
	int nh;

	if (r == NULL || r->connected)
		return DP_NH_NONE;
	nh = neigh_resolve(r->port, &r->via, &r->src);
	return nh < 0 ? DP_NH_NONE : (uint32_t)nh;
}

int
mapping_init(const struct dxtr_conf *c, char *err, size_t errlen)
{
	struct mc_conf mcc = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = MAPPING_MAX_ENTRIES,
		.qsv = dp_rcu(),
	};
	struct mc_conf dbc = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = MAPPING_DB_MAX,
		.v4_tbl8 = 256,
		.v6_tbl8 = 1024,
		.qsv = dp_rcu(),
	};
	struct dp_lisp_conf lc = {
		.path_mtu = c->lisp.path_mtu,
		.udp_csum6 = c->lisp.udp_csum6,
		.miss_rate = c->lisp.miss_rate,
		.icmp_rate = c->lisp.icmp_rate,
		.trusted = c->mapsys.trusted,
	};
	int ret;

	lc.native_nh4 = native_nexthop(AF_INET);
	lc.native_nh6 = native_nexthop(AF_INET6);
	conf = c;
	origins = calloc(MAPPING_MAX_ENTRIES + 1, sizeof(*origins));
	ttls = calloc(MAPPING_MAX_ENTRIES + 1, sizeof(*ttls));
	marks = calloc(MAPPING_MAX_ENTRIES + 1, sizeof(*marks));
	refreshing = calloc(MAPPING_MAX_ENTRIES + 1, sizeof(*refreshing));
	mc = mc_create(&mcc);
	db = mc_create(&dbc);
	if (origins == NULL || ttls == NULL || marks == NULL || refreshing == NULL || mc == NULL ||
	    db == NULL) {
		snprintf(err, errlen, "cannot create the map-cache: %s", rte_strerror(rte_errno));
		return -ENOMEM;
	}
	ret = install_database(c, err, errlen);
	if (ret < 0)
		return ret;
	for (unsigned i = 0; i < c->n_map_cache; i++) {
		const struct conf_mapping *m = &c->map_cache[i];
		struct mapping_spec ms = {
			.iid = m->iid,
			.prefix = m->prefix,
			.action = m->action,
			.loc = m->loc,
			.n_loc = m->n_loc,
			.origin = MAPPING_STATIC,
		};
		char why[256];
		ret = mapping_add(&ms, why, sizeof(why));
		if (ret < 0) {
			snprintf(err, errlen, "%s:%u:%u: %s", c->path, m->mark.line, m->mark.col, why);
			return ret;
		}
	}
	ret = dp_set_lisp(&lc, mc, db);
	if (ret < 0)
		snprintf(err, errlen, "cannot give the workers the map-cache: %s", strerror(-ret));
	return ret;
}

void
mapping_fini(void)
{
	mc_destroy(mc);
	mc_destroy(db);
	mc = db = NULL;
	free(origins);
	free(ttls);
	free(marks);
	free(refreshing);
	origins = NULL;
	ttls = NULL;
	marks = NULL;
	refreshing = NULL;
}

#define EXPIRE_BATCH 64

struct expired {
	unsigned n, n_refresh;
	uint64_t now;
	struct {
		uint32_t iid;
		struct mc_prefix prefix;
	} e[EXPIRE_BATCH], refresh[EXPIRE_BATCH];
};

// Entries past their TTL, and learned entries in use within the last tenth of their TTL.
static int
collect_expired(const struct mc_entry *e, const struct mc_counters *ctr, void *arg)
{
	struct expired *x = arg;
	uint32_t s = e->slot;

	if (e->expire == 0)
		return 0;
	if (e->expire <= x->now) {
		x->e[x->n].iid = e->iid;
		x->e[x->n].prefix = e->prefix;
		x->n++;
	} else if (conf->mapsys.refresh && s <= MAPPING_MAX_ENTRIES &&
		   origins[s] == MAPPING_MAP_REPLY && refreshing[s] != REFRESH_SENT &&
		   e->expire - x->now < (uint64_t)ttls[s] * rte_get_tsc_hz() / 10) {
		// Only traffic from the start of the last tenth on counts (used recently): an
		// entry idle since then simply expires (lisp-protocol.md §3.5).
		if (refreshing[s] == REFRESH_NONE) {
			refreshing[s] = REFRESH_WATCH;
			marks[s] = ctr->packets;
		} else if (ctr->packets > marks[s] && x->n_refresh < EXPIRE_BATCH) {
			refreshing[s] = REFRESH_SENT;
			x->refresh[x->n_refresh].iid = e->iid;
			x->refresh[x->n_refresh].prefix = e->prefix;
			x->n_refresh++;
		}
	}
	return x->n == EXPIRE_BATCH; // the rest at the next tick
}

void
mapping_tick(void)
{
	static struct expired x;

	// Entries past their TTL go; the next packet misses and asks again.
	x.n = x.n_refresh = 0;
	x.now = rte_get_tsc_cycles();
	mc_walk(mc, collect_expired, &x);
	for (unsigned i = 0; i < x.n; i++)
		mc_del(mc, x.e[i].iid, &x.e[i].prefix);
	for (unsigned i = 0; i < x.n_refresh; i++) {
		struct ip_prefix p = {.addr = {.af = x.refresh[i].prefix.af},
				      .len = x.refresh[i].prefix.len};
		memcpy(p.addr.bytes, x.refresh[i].prefix.addr, 16);
		mreq_refresh(x.refresh[i].iid, &p, false);
	}
	mc_reclaim(mc);
	mc_reclaim(db);
}
