// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The LISP part of the configuration schema: the lisp mapping (data header bits, path MTU, ICMP
// and miss-path limits), the static underlay routes, the database (local EID-prefixes, ETR side)
// and the static map-cache (remote mappings, ITR side). What depends on the ports is checked by
// conf_lisp_check() once the whole file is parsed, so the sections may come in any order.
// conf/dxtr.example.yaml and conf/README.md document the same keys: keep the three in step.

#include "conf.h"
#include "conf_walk.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

// h_enum stores the index of the word: the word lists follow the enums.
_Static_assert(CONF_NONCE_RANDOM == 0 && CONF_NONCE_NONE == 1, "nonce_words");
_Static_assert(CONF_ACT_NO_ACTION == 0 && CONF_ACT_NATIVE_FWD == 1 && CONF_ACT_SEND_MAP_REQUEST == 2
		       && CONF_ACT_DROP == 3,
	       "action_words");

static const char *const nonce_words[] = {"random", "none", NULL};
static const char *const iid_bit_words[] = {"auto", "always", NULL}; // iid_always: false, true
static const char *const action_words[] = {
	"no-action",
	"natively-forward",
	"send-map-request",
	"drop",
	NULL,
};

// lisp --------------------------------------------------------------------------------------------

// lisp.miss.* are fields of struct conf_lisp too.
static const struct field miss_fields[] = {
	F_UINT(struct conf_lisp, miss_rate, "rate-limit", 1, 1000000),
	F_UINT(struct conf_lisp, hold_packets, "hold-packets", 0, 64),
	F_UINT(struct conf_lisp, hold_total, "hold-total", 0, 1048576),
	F_UINT(struct conf_lisp, hold_timeout_ms, "hold-timeout-ms", 100, 60000),
	{0},
};
static const struct section miss_section = {miss_fields, NULL};

static const struct field lisp_fields[] = {
	F_ENUM(struct conf_lisp, nonce, "nonce", nonce_words),
	F_ENUM(struct conf_lisp, iid_always, "instance-id-bit", iid_bit_words),
	F_BOOL(struct conf_lisp, lsb, "locator-status-bits"),
	F_BOOL(struct conf_lisp, udp_csum6, "udp-checksum-ipv6"),
	F_UINT(struct conf_lisp, path_mtu, "path-mtu", 576, 9600),
	F_UINT(struct conf_lisp, icmp_rate, "icmp-rate-limit", 1, 100000),
	{.key = "miss", .parse = h_section, .off = 0, .sub = &miss_section},
	{0},
};
const struct section conf_lisp_section = {lisp_fields, NULL};

// Addresses and prefixes --------------------------------------------------------------------------

static bool
is_text(const struct node *v)
{
	return v->type == NODE_SCALAR && !node_is_null(v) && v->len == strlen(v->str);
}

static bool
same_prefix(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return a->len == b->len && same_addr(&a->addr, &b->addr);
}

// An address/length without host bits.
static int
get_prefix(struct walk *w, const struct node *v, struct ip_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 4];
	struct ip_prefix m;
	struct ip_addr a;

	if (!is_text(v))
		return walk_fail(w, v->mark, "'%s' must be an address/prefix-length", w->path);
	if (strchr(v->str, '/') == NULL && conf_parse_addr(v->str, &a) == 0)
		return walk_fail(w,
				 v->mark,
				 "'%s': '%s' has no prefix length (write '%s/<len>')",
				 w->path,
				 v->str,
				 v->str);
	if (conf_parse_prefix(v->str, p) < 0)
		return walk_fail(w,
				 v->mark,
				 "'%s': bad IPv4/IPv6 prefix '%s'",
				 w->path,
				 walk_show(v->str, v->len).s);
	if (!conf_prefix_is_canonical(p)) {
		m = *p;
		conf_prefix_mask(&m);
		return walk_fail(w,
				 v->mark,
				 "'%s': '%s' has host bits set (did you mean %s?)",
				 w->path,
				 v->str,
				 conf_fmt_prefix(&m, buf, sizeof(buf)));
	}
	return 0;
}

static int
h_prefix(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	return get_prefix(w, v, field_ptr(f, obj));
}

// Any address: the checks against the ports come later.
static int
h_addr(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	return walk_get_addr(w, v, field_ptr(f, obj));
}

// A unicast address (whether it is ours is checked once the ports are known).
static int
h_unicast(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	return walk_get_unicast(w, v, field_ptr(f, obj));
}

// routes ------------------------------------------------------------------------------------------

static int
route_check(struct walk *w, const struct node *map, void *obj)
{
	const struct node *via = node_find(map, "via");
	char buf[INET6_ADDRSTRLEN + 4];
	struct dxtr_conf *c = w->conf;
	struct conf_route *r = obj;

	if (r->via.af != r->prefix.addr.af)
		return walk_fail(w,
				 via->mark,
				 "'%s.via': '%s' is an %s address but the prefix is %s",
				 w->path,
				 via->str,
				 conf_af_name(r->via.af),
				 conf_af_name(r->prefix.addr.af));
	for (const struct conf_route *o = c->routes; o < r; o++) {
		if (same_prefix(&o->prefix, &r->prefix))
			return walk_fail(
				w,
				node_find(map, "prefix")->mark,
				"'%s.prefix': duplicate route '%s' (already in routes[%u])",
				w->path,
				conf_fmt_prefix(&r->prefix, buf, sizeof(buf)),
				(unsigned)(o - c->routes));
	}
	return 0;
}

static const struct field route_fields[] = {
	{.key = "prefix",
	 .parse = h_prefix,
	 .off = offsetof(struct conf_route, prefix),
	 .required = true},
	{.key = "via",
	 .parse = h_unicast,
	 .off = offsetof(struct conf_route, via),
	 .required = true},
	{0},
};
static const struct section route_section = {route_fields, route_check};

static int
route_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct dxtr_conf *c = ctx;
	struct conf_route *r = &c->routes[i];

	memset(r, 0, sizeof(*r));
	r->mark = n->mark;
	c->n_routes = i; // the routes before this one, for the duplicate check
	if (walk_map(w, n, &route_section, r) < 0)
		return -1;
	c->n_routes = i + 1;
	return 0;
}

// An empty (null) list section is allowed, as an empty mapping section is.
int
h_routes(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	if (node_is_null(v))
		return 0;
	return walk_list(w, v, 0, CONF_MAX_ROUTES, route_item, obj);
}

// database and map-cache --------------------------------------------------------------------------

// Database locators must be our own rloc addresses (checked later); map-cache locators remote.
static const struct field local_loc_fields[] = {
	{.key = "address",
	 .parse = h_addr,
	 .off = offsetof(struct conf_locator, addr),
	 .required = true},
	F_UINT(struct conf_locator, priority, "priority", 0, 255),
	F_UINT(struct conf_locator, weight, "weight", 0, 100),
	{0},
};
static const struct section local_loc_section = {local_loc_fields, NULL};

static const struct field remote_loc_fields[] = {
	{.key = "address",
	 .parse = h_unicast,
	 .off = offsetof(struct conf_locator, addr),
	 .required = true},
	F_UINT(struct conf_locator, priority, "priority", 0, 255),
	F_UINT(struct conf_locator, weight, "weight", 0, 100),
	{0},
};
static const struct section remote_loc_section = {remote_loc_fields, NULL};

static int
locator_item(struct walk *w,
	     const struct node *n,
	     unsigned i,
	     struct conf_mapping *m,
	     const struct section *s)
{
	struct conf_locator *l = &m->loc[i];
	const struct node *a;

	memset(l, 0, sizeof(*l));
	l->priority = 1;
	l->weight = 100;
	if (walk_map(w, n, s, l) < 0)
		return -1;
	for (unsigned j = 0; j < i; j++) {
		if (same_addr(&m->loc[j].addr, &l->addr)) {
			a = node_find(n, "address");
			return walk_fail(w,
					 a->mark,
					 "'%s.address': locator '%s' is listed twice",
					 w->path,
					 a->str);
		}
	}
	m->n_loc = i + 1;
	return 0;
}

static int
local_loc_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	return locator_item(w, n, i, ctx, &local_loc_section);
}

static int
remote_loc_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	return locator_item(w, n, i, ctx, &remote_loc_section);
}

static int
h_local_locators(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	return walk_list(w, v, 1, CONF_MAX_LOCATORS, local_loc_item, obj);
}

static int
h_remote_locators(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	return walk_list(w, v, 1, CONF_MAX_LOCATORS, remote_loc_item, obj);
}

// (iid, prefix) is unique in its list; list[0..m) are the entries before m.
static int
mapping_unique(struct walk *w,
	       const struct node *map,
	       const struct conf_mapping *m,
	       const struct conf_mapping *list,
	       const char *name)
{
	char buf[INET6_ADDRSTRLEN + 4];

	for (const struct conf_mapping *o = list; o < m; o++) {
		if (o->iid == m->iid && same_prefix(&o->prefix, &m->prefix))
			return walk_fail(
				w,
				node_find(map, "prefix")->mark,
				"'%s.prefix': duplicate prefix '%s' in iid %u (already in %s[%u])",
				w->path,
				conf_fmt_prefix(&m->prefix, buf, sizeof(buf)),
				m->iid,
				name,
				(unsigned)(o - list));
	}
	return 0;
}

static int
db_check(struct walk *w, const struct node *map, void *obj)
{
	return mapping_unique(w, map, obj, w->conf->database, "database");
}

static int
mc_check(struct walk *w, const struct node *map, void *obj)
{
	const struct node *locs = node_find(map, "locators"), *act = node_find(map, "action");

	if (locs != NULL && act != NULL)
		return walk_fail(w,
				 act->mark,
				 "'%s' must have either 'locators' or 'action', not both",
				 w->path);
	if (locs == NULL && act == NULL)
		return walk_fail(w,
				 map->mark,
				 "missing key 'locators' or 'action' in '%s'",
				 w->path);
	return mapping_unique(w, map, obj, w->conf->map_cache, "map-cache");
}

static const struct field db_fields[] = {
	F_UINT(struct conf_mapping, iid, "iid", 0, CONF_IID_MAX),
	{.key = "prefix",
	 .parse = h_prefix,
	 .off = offsetof(struct conf_mapping, prefix),
	 .required = true},
	{.key = "locators", .parse = h_local_locators, .required = true},
	{0},
};
static const struct section db_section = {db_fields, db_check};

static const struct field mc_fields[] = {
	F_UINT(struct conf_mapping, iid, "iid", 0, CONF_IID_MAX),
	{.key = "prefix",
	 .parse = h_prefix,
	 .off = offsetof(struct conf_mapping, prefix),
	 .required = true},
	{.key = "locators", .parse = h_remote_locators},
	F_ENUM(struct conf_mapping, action, "action", action_words),
	{0},
};
static const struct section mc_section = {mc_fields, mc_check};

static void
mapping_init(struct conf_mapping *m, struct conf_mark mark)
{
	memset(m, 0, sizeof(*m));
	m->action = CONF_ACT_ENCAP; // "action" replaces it (and then there are no locators)
	m->mark = mark;
}

static int
db_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct dxtr_conf *c = ctx;

	mapping_init(&c->database[i], n->mark);
	c->n_database = i; // the entries before this one, for the duplicate check
	if (walk_map(w, n, &db_section, &c->database[i]) < 0)
		return -1;
	c->n_database = i + 1;
	return 0;
}

static int
mc_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct dxtr_conf *c = ctx;

	mapping_init(&c->map_cache[i], n->mark);
	c->n_map_cache = i;
	if (walk_map(w, n, &mc_section, &c->map_cache[i]) < 0)
		return -1;
	c->n_map_cache = i + 1;
	return 0;
}

int
h_database(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	if (node_is_null(v))
		return 0;
	return walk_list(w, v, 0, CONF_MAX_DATABASE, db_item, obj);
}

int
h_map_cache(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	if (node_is_null(v))
		return 0;
	return walk_list(w, v, 0, CONF_MAX_MAP_CACHE, mc_item, obj);
}

// Checks against the ports ------------------------------------------------------------------------

// Not ours, inside the subnet of an rloc port address (the longest that holds it), and a host
// address of that subnet. The path is at the via.
static int
route_xcheck(struct walk *w, struct conf_route *r, const struct node *via)
{
	const struct dxtr_conf *c = w->conf;
	const struct ip_prefix *best = NULL;
	const struct conf_port *own;
	struct ip_prefix host;
	const char *why;

	if ((own = conf_port_of(c, &r->via)) != NULL)
		return walk_fail(w,
				 via->mark,
				 "'%s': '%s' is an address of this xTR (port '%s')",
				 w->path,
				 via->str,
				 own->name);
	for (unsigned i = 0; i < c->n_ports; i++) {
		const struct conf_port *p = &c->ports[i];

		if (p->role != CONF_ROLE_RLOC)
			continue;
		for (unsigned j = 0; j < p->n_addrs; j++) {
			if (conf_prefix_contains(&p->addrs[j], &r->via)
			    && (best == NULL || p->addrs[j].len > best->len)) {
				best = &p->addrs[j];
				r->port = i;
			}
		}
	}
	if (best == NULL)
		return walk_fail(w,
				 via->mark,
				 "'%s': '%s' is not in the subnet of an rloc port address",
				 w->path,
				 via->str);
	host = (struct ip_prefix){.addr = r->via, .len = best->len};
	if ((why = host_problem(&host)) != NULL)
		return walk_fail(w, via->mark, "'%s': '%s' %s", w->path, via->str, why);
	return 0;
}

static int
routes_xcheck(struct walk *w, const struct node *list)
{
	struct dxtr_conf *c = w->conf;

	for (unsigned i = 0; i < c->n_routes; i++) {
		const struct node *via = node_find(node_at(list, i), "via");
		size_t old = walk_push(w, "routes[%u].via", i);
		int r = route_xcheck(w, &c->routes[i], via);

		walk_pop(w, old);
		if (r < 0)
			return -1;
	}
	return 0;
}

// An eid port with the entry's iid; locators on rloc ports. The path is at the entry.
static int
db_entry_xcheck(struct walk *w, const struct conf_mapping *m, const struct node *item)
{
	const struct node *iid = node_find(item, "iid"), *locs = node_find(item, "locators");
	const struct dxtr_conf *c = w->conf;
	const struct conf_port *p;
	bool found = false;

	for (unsigned i = 0; i < c->n_ports && !found; i++)
		found = c->ports[i].role == CONF_ROLE_EID && c->ports[i].iid == m->iid;
	if (!found && iid != NULL)
		return walk_fail(w, iid->mark, "'%s.iid': no eid port has iid %u", w->path, m->iid);
	if (!found)
		return walk_fail(w,
				 item->mark,
				 "'%s': no eid port has iid %u (the default)",
				 w->path,
				 m->iid);
	for (unsigned j = 0; j < m->n_loc; j++) {
		const struct node *a = node_find(node_at(locs, j), "address");

		p = conf_port_of(c, &m->loc[j].addr);
		if (p == NULL || p->role != CONF_ROLE_RLOC)
			return walk_fail(
				w,
				a->mark,
				"'%s.locators[%u].address': '%s' is not an address of an rloc port",
				w->path,
				j,
				a->str);
	}
	return 0;
}

// Remote locators are not ours. The path is at the entry.
static int
mc_entry_xcheck(struct walk *w, const struct conf_mapping *m, const struct node *item)
{
	const struct node *locs = node_find(item, "locators");
	const struct conf_port *p;

	for (unsigned j = 0; j < m->n_loc; j++) {
		const struct node *a = node_find(node_at(locs, j), "address");

		if ((p = conf_port_of(w->conf, &m->loc[j].addr)) != NULL)
			return walk_fail(
				w,
				a->mark,
				"'%s.locators[%u].address': '%s' is an address of this xTR "
				"(port '%s')",
				w->path,
				j,
				a->str,
				p->name);
	}
	return 0;
}

static int
mappings_xcheck(struct walk *w,
		const struct node *list,
		const struct conf_mapping *m,
		unsigned n,
		const char *name,
		int (*entry)(struct walk *, const struct conf_mapping *, const struct node *))
{
	for (unsigned i = 0; i < n; i++) {
		size_t old = walk_push(w, "%s[%u]", name, i);
		int r = entry(w, &m[i], node_at(list, i));

		walk_pop(w, old);
		if (r < 0)
			return -1;
	}
	return 0;
}

int
conf_lisp_check(struct walk *w, const struct node *root, void *obj)
{
	struct dxtr_conf *c = obj;
	int r = 0;

	// Section by section in file order: the first error reported is the first in the file.
	for (const struct node *k = root->first; k != NULL && k->next != NULL; k = k->next->next) {
		if (node_is(k, "routes"))
			r = routes_xcheck(w, k->next);
		else if (node_is(k, "database"))
			r = mappings_xcheck(w,
					    k->next,
					    c->database,
					    c->n_database,
					    "database",
					    db_entry_xcheck);
		else if (node_is(k, "map-cache"))
			r = mappings_xcheck(w,
					    k->next,
					    c->map_cache,
					    c->n_map_cache,
					    "map-cache",
					    mc_entry_xcheck);
		if (r < 0)
			return -1;
	}
	return 0;
}
