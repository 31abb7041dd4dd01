// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The mapping-system section of the configuration schema: the Map-Resolvers and how Map-Requests
// are sent to them (ITR side), the negative entry installed when resolution gives up, how the ETR
// answers, the Map-Servers it registers with, RLOC-probing and trust in what peers send
// (lisp-protocol.md §2.7, §3.2-3.4, §3.7, §3.9-3.11). What depends on the ports and the database
// is checked by conf_mapsys_check() once the whole file is parsed, so the sections may come in
// any order. conf/dxtr.example.yaml and conf/README.md document the same keys: keep the three in
// step.

#include "conf.h"
#include "conf_walk.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

// h_enum stores the index of the word: the word lists follow the enums.
_Static_assert(CONF_ACT_NO_ACTION == 0 && CONF_ACT_NATIVE_FWD == 1 && CONF_ACT_SEND_MAP_REQUEST == 2
		       && CONF_ACT_DROP == 3,
	       "action_words");
_Static_assert(CONF_AUTH_HMAC_SHA1_96 == 1 && CONF_AUTH_HMAC_SHA256_128 == 2, "alg_words");

// The ACT values of negative entries, as in the map-cache section.
static const char *const action_words[] = {
	"no-action",
	"natively-forward",
	"send-map-request",
	"drop",
	NULL,
};
// Algorithm IDs from 1 (h_alg adds it to the index).
static const char *const alg_words[] = {"hmac-sha-1-96", "hmac-sha-256-128", NULL};

void
conf_mapsys_defaults(struct conf_mapsys *m)
{
	memset(m, 0, sizeof(*m));
	m->retries = 3;
	m->interval_ms = 1000;
	m->request_rate = 100;
	m->negative_ttl = 60;
	m->negative_action = CONF_ACT_DROP;
	m->refresh = true;
	m->reply_ttl_min = 1440;
	m->reply_rate = 100;
	m->echo_nonce = false;
	m->register_interval = 60;
	m->probe_interval = 30;
	m->probe_retries = 3;
	m->trusted = false;
}

static void
server_defaults(struct conf_map_server *s, struct conf_mark mark)
{
	memset(s, 0, sizeof(*s));
	s->key_id = 0;
	s->alg = CONF_AUTH_HMAC_SHA256_128;
	s->want_notify = true;
	s->mark = mark;
}

// Values ------------------------------------------------------------------------------------------

static int
h_unicast(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	return walk_get_unicast(w, v, field_ptr(f, obj));
}

// 0 (off) or an integer in f->min..f->max, stored as h_uint does.
static int
h_uint_or_off(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	struct field any = *f;
	long long x = 0;

	if (get_int(w, v, LLONG_MIN, LLONG_MAX, &x) < 0)
		return -1;
	if (x != 0 && (x < f->min || x > f->max))
		return walk_fail(w,
				 v->mark,
				 "'%s' must be 0 (off) or between %lld and %lld",
				 w->path,
				 f->min,
				 f->max);
	any.min = 0;
	return h_uint(w, v, &any, obj);
}

// An algorithm name: its Algorithm ID (index + 1) in a uint8_t.
static int
h_alg(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	struct field by_index = *f;
	uint8_t i = 0;

	by_index.off = 0;
	by_index.size = sizeof(i);
	if (h_enum(w, v, &by_index, &i) < 0)
		return -1;
	*(uint8_t *)field_ptr(f, obj) = (uint8_t)(i + CONF_AUTH_HMAC_SHA1_96);
	return 0;
}

// map-resolvers -----------------------------------------------------------------------------------

static int
resolver_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct conf_mapsys *m = ctx;

	if (walk_get_unicast(w, n, &m->resolvers[i]) < 0)
		return -1;
	for (unsigned j = 0; j < i; j++) {
		if (same_addr(&m->resolvers[j], &m->resolvers[i]))
			return walk_fail(w,
					 n->mark,
					 "'%s': map-resolver '%s' is listed twice",
					 w->path,
					 n->str);
	}
	m->n_resolvers = i + 1;
	return 0;
}

// An empty (null) list is allowed, as an empty mapping is.
static int
h_resolvers(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	if (node_is_null(v))
		return 0;
	return walk_list(w, v, 0, CONF_MAX_MAP_RESOLVERS, resolver_item, obj);
}

// map-servers -------------------------------------------------------------------------------------

// Each Map-Server once (compared as addresses, not as written).
static int
server_check(struct walk *w, const struct node *map, void *obj)
{
	const struct conf_map_server *s = obj, *list = w->conf->mapsys.servers;
	const struct node *a;

	for (const struct conf_map_server *o = list; o < s; o++) {
		if (same_addr(&o->addr, &s->addr)) {
			a = node_find(map, "address");
			return walk_fail(w,
					 a->mark,
					 "'%s.address': map-server '%s' is listed twice",
					 w->path,
					 a->str);
		}
	}
	return 0;
}

static const struct field server_fields[] = {
	{.key = "address",
	 .parse = h_unicast,
	 .off = offsetof(struct conf_map_server, addr),
	 .required = true},
	{.key = "key",
	 .parse = h_str,
	 .off = offsetof(struct conf_map_server, key),
	 .size = FIELD_SIZE(struct conf_map_server, key),
	 .required = true},
	F_UINT(struct conf_map_server, key_id, "key-id", 0, 255),
	{.key = "algorithm",
	 .parse = h_alg,
	 .off = offsetof(struct conf_map_server, alg),
	 .names = alg_words},
	F_BOOL(struct conf_map_server, want_notify, "want-map-notify"),
	{0},
};
static const struct section server_section = {server_fields, server_check};

static int
server_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct conf_mapsys *m = ctx;

	server_defaults(&m->servers[i], n->mark);
	m->n_servers = i; // the servers before this one, for the duplicate check
	if (walk_map(w, n, &server_section, &m->servers[i]) < 0)
		return -1;
	m->n_servers = i + 1;
	return 0;
}

static int
h_servers(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	if (node_is_null(v))
		return 0;
	return walk_list(w, v, 0, CONF_MAX_MAP_SERVERS, server_item, obj);
}

// mapping-system ----------------------------------------------------------------------------------

// mapping-system.map-request.*, .etr.* and .rloc-probing.* are fields of struct conf_mapsys too.
static const struct field request_fields[] = {
	F_UINT(struct conf_mapsys, retries, "retries", 0, 10),
	F_UINT(struct conf_mapsys, interval_ms, "interval-ms", 100, 10000),
	F_UINT(struct conf_mapsys, request_rate, "rate-limit", 1, 10000),
	{0},
};
static const struct section request_section = {request_fields, NULL};

static const struct field etr_fields[] = {
	F_UINT(struct conf_mapsys, reply_ttl_min, "map-reply-ttl", 1, 65535),
	F_UINT(struct conf_mapsys, reply_rate, "rate-limit", 1, 100000),
	F_BOOL(struct conf_mapsys, echo_nonce, "echo-nonce"),
	{0},
};
static const struct section etr_section = {etr_fields, NULL};

static const struct field probe_fields[] = {
	{.key = "interval",
	 .parse = h_uint_or_off,
	 .off = offsetof(struct conf_mapsys, probe_interval),
	 .size = FIELD_SIZE(struct conf_mapsys, probe_interval),
	 .min = 5,
	 .max = 3600},
	F_UINT(struct conf_mapsys, probe_retries, "retries", 1, 10),
	{0},
};
static const struct section probe_section = {probe_fields, NULL};

static const struct field mapsys_fields[] = {
	{.key = "map-resolvers", .parse = h_resolvers},
	{.key = "map-request", .parse = h_section, .off = 0, .sub = &request_section},
	F_UINT(struct conf_mapsys, negative_ttl, "negative-ttl", 1, 86400),
	F_ENUM(struct conf_mapsys, negative_action, "negative-action", action_words),
	F_BOOL(struct conf_mapsys, refresh, "refresh"),
	{.key = "etr", .parse = h_section, .off = 0, .sub = &etr_section},
	{.key = "map-servers", .parse = h_servers},
	F_UINT(struct conf_mapsys, register_interval, "register-interval", 10, 3600),
	{.key = "rloc-probing", .parse = h_section, .off = 0, .sub = &probe_section},
	F_BOOL(struct conf_mapsys, trusted, "trusted"),
	{0},
};
const struct section conf_mapsys_section = {mapsys_fields, NULL};

// Checks against the ports and the database -------------------------------------------------------

// True when an rloc port has an address of family af: we can source packets of that family.
static bool
rloc_has_family(const struct dxtr_conf *c, int af)
{
	for (unsigned i = 0; i < c->n_ports; i++) {
		if (c->ports[i].role != CONF_ROLE_RLOC)
			continue;
		for (unsigned j = 0; j < c->ports[i].n_addrs; j++) {
			if (c->ports[i].addrs[j].addr.af == af)
				return true;
		}
	}
	return false;
}

// A peer of the control plane: not ours, and reachable from an rloc port address of its family.
// The path is at v, the address as written.
static int
peer_xcheck(struct walk *w, const struct ip_addr *a, const struct node *v)
{
	const struct conf_port *p;

	if ((p = conf_port_of(w->conf, a)) != NULL)
		return walk_fail(w,
				 v->mark,
				 "'%s': '%s' is an address of this xTR (port '%s')",
				 w->path,
				 v->str,
				 p->name);
	if (!rloc_has_family(w->conf, a->af))
		return walk_fail(w,
				 v->mark,
				 "'%s': no rloc port has an %s address",
				 w->path,
				 conf_af_name(a->af));
	return 0;
}

int
conf_mapsys_check(struct walk *w, const struct node *root, void *obj)
{
	const struct node *ms = node_find(root, "mapping-system"), *list;
	const struct dxtr_conf *c = obj;
	const struct conf_mapsys *m = &c->mapsys;
	size_t old;
	int r;

	if (ms == NULL)
		return 0;
	list = node_find(ms, "map-resolvers");
	for (unsigned i = 0; i < m->n_resolvers; i++) {
		old = walk_push(w, "mapping-system.map-resolvers[%u]", i);
		r = peer_xcheck(w, &m->resolvers[i], node_at(list, i));
		walk_pop(w, old);
		if (r < 0)
			return -1;
	}
	if (m->n_servers == 0)
		return 0;
	list = node_find(ms, "map-servers");
	if (c->n_database == 0)
		return walk_fail(w, list->mark, "map-servers need a 'database' to register");
	for (unsigned i = 0; i < m->n_servers; i++) {
		old = walk_push(w, "mapping-system.map-servers[%u].address", i);
		r = peer_xcheck(w, &m->servers[i].addr, node_find(node_at(list, i), "address"));
		walk_pop(w, old);
		if (r < 0)
			return -1;
	}
	return 0;
}
