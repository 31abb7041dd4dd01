// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// map-cache add/del, show map-cache, show pending.
//
//   map-cache add [iid N] PREFIX rloc ADDR [priority P] [weight W] [rloc ADDR ...]
//   map-cache add [iid N] PREFIX negative ACTION
//   map-cache del [iid N] PREFIX
//   show map-cache [iid N] [PREFIX] [json]

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "cli_args.h"
#include "cli_show.h"
#include "conf_walk.h"
#include "dxtr.h"
#include "map_cache.h"
#include "mapping.h"
#include "pending.h"

static const char *const actions[] = {
	[CONF_ACT_NO_ACTION] = "no-action",
	[CONF_ACT_NATIVE_FWD] = "natively-forward",
	[CONF_ACT_SEND_MAP_REQUEST] = "send-map-request",
	[CONF_ACT_DROP] = "drop",
};

// The configuration's rules for static map-cache locators (conf_lisp.c): unicast (not
// unspecified, loopback, multicast or broadcast) and not an address of this xTR.
static bool
remote_locators(struct cmdline *cl, const struct conf_locator *loc, unsigned n)
{
	char buf[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < n; i++) {
		const struct ip_addr *a = &loc[i].addr;
		struct ip_prefix host = {.addr = *a, .len = a->af == AF_INET ? 32 : 128};
		const char *why = host_problem(&host);

		if (why == NULL && conf_port_of(&dxtr.conf, a) != NULL)
			why = "is an address of this xTR";
		if (why != NULL) {
			cli_fail(cl, "locator '%s' %s", conf_fmt_addr(a, buf, sizeof(buf)), why);
			return false;
		}
	}
	return true;
}

static void
add(struct cmdline *cl, char **w, unsigned n)
{
	struct conf_locator loc[CONF_MAX_LOCATORS];
	enum conf_map_action action = CONF_ACT_ENCAP;
	unsigned n_loc = 0;
	struct ip_prefix p;
	uint32_t iid;
	char err[256];
	int i = cli_parse_target(cl, w, n, &iid, &p);
	const char *word;

	if (i < 0)
		return;
	word = w[i - 1]; // the prefix as typed
	if ((unsigned)i + 1 < n && strcmp(w[i], "negative") == 0 && (unsigned)i + 2 == n) {
		for (action = 0; action < RTE_DIM(actions); action++)
			if (strcmp(w[i + 1], actions[action]) == 0)
				break;
		if (action == RTE_DIM(actions)) {
			cli_fail(cl, "unknown action '%s' (no-action natively-forward send-map-request drop)",
				 w[i + 1]);
			return;
		}
	} else {
		int k = cli_parse_locators(cl, w, n, i, "rloc", loc);
		if (k < 0 || !remote_locators(cl, loc, (unsigned)k))
			return;
		n_loc = k;
	}
	struct mapping_spec ms = {
		.iid = iid,
		.prefix = p,
		.action = action,
		.loc = loc,
		.n_loc = n_loc,
		.origin = MAPPING_STATIC,
	};
	if (mapping_add(&ms, err, sizeof(err)) < 0) {
		cli_fail(cl, "%s", err);
		return;
	}
	cmdline_printf(cl, "added %s in iid %u\n", word, iid);
}

static void
del(struct cmdline *cl, char **w, unsigned n)
{
	struct ip_prefix p;
	uint32_t iid;
	int i = cli_parse_target(cl, w, n, &iid, &p);

	if (i < 0)
		return;
	if ((unsigned)i != n) {
		cli_fail(cl, "unexpected '%s'", w[i]);
		return;
	}
	if (mapping_del(iid, &p) < 0) {
		cli_fail(cl, "no entry %s in iid %u", w[i - 1], iid);
		return;
	}
	cmdline_printf(cl, "deleted %s in iid %u\n", w[i - 1], iid);
}

struct edit_res {
	cmdline_fixed_string_t map_cache;
	cmdline_fixed_string_t verb;
	cmdline_multi_string_t args;
};

static void
edit_cb(void *res, struct cmdline *cl, void *data)
{
	struct edit_res *r = res;
	char *w[CLI_MAX_WORDS];
	unsigned n = cli_split(r->args, w, CLI_MAX_WORDS);

	(void)data;
	if (strcmp(r->verb, "add") == 0)
		add(cl, w, n);
	else
		del(cl, w, n);
}

static cmdline_parse_token_string_t edit_t0 =
	TOKEN_STRING_INITIALIZER(struct edit_res, map_cache, "map-cache");
static cmdline_parse_token_string_t edit_add =
	TOKEN_STRING_INITIALIZER(struct edit_res, verb, "add");
static cmdline_parse_token_string_t edit_del =
	TOKEN_STRING_INITIALIZER(struct edit_res, verb, "del");
static cmdline_parse_token_string_t edit_args =
	TOKEN_STRING_INITIALIZER(struct edit_res, args, TOKEN_STRING_MULTI);
static cmdline_parse_inst_t cmd_map_cache_add = {
	.f = edit_cb,
	.help_str = "map-cache add [iid N] PREFIX rloc ADDR [priority P] [weight W] [rloc ...] | "
		    "map-cache add [iid N] PREFIX negative no-action|natively-forward|"
		    "send-map-request|drop",
	.tokens = {(void *)&edit_t0, (void *)&edit_add, (void *)&edit_args, NULL},
};
static cmdline_parse_inst_t cmd_map_cache_del = {
	.f = edit_cb,
	.help_str = "map-cache del [iid N] PREFIX: remove a map-cache entry",
	.tokens = {(void *)&edit_t0, (void *)&edit_del, (void *)&edit_args, NULL},
};

// show map-cache ---------------------------------------------------------------------------

struct show_filter {
	struct out *o;
	bool by_iid;
	uint32_t iid;
	bool by_prefix;
	struct ip_prefix prefix;
};

static void
show_locator(struct out *o, const struct mc_locator *l)
{
	uint8_t rloc[16];
	struct ip_addr a = {.af = mc_tmpl_af(&l->tmpl)};
	char buf[INET6_ADDRSTRLEN];

	mc_locator_rloc(l, rloc);
	memcpy(a.bytes, rloc, 16);
	out_obj(o, NULL);
	out_str(o, "address", conf_fmt_addr(&a, buf, sizeof(buf)));
	out_u64(o, "priority", l->priority);
	out_u64(o, "weight", l->weight);
	out_str(o, "state", l->usable ? "up" : "down");
	out_close(o);
}

static int
show_entry(const struct mc_entry *e, const struct mc_counters *ctr, void *arg)
{
	struct show_filter *f = arg;
	struct out *o = f->o;
	struct ip_prefix p = {.addr = {.af = e->prefix.af}, .len = e->prefix.len};
	char buf[INET6_ADDRSTRLEN + 8];

	memcpy(p.addr.bytes, e->prefix.addr, 16);
	if (f->by_iid && e->iid != f->iid)
		return 0;
	if (f->by_prefix && (f->prefix.len != p.len || !conf_prefix_contains(&f->prefix, &p.addr)))
		return 0;
	out_obj(o, NULL);
	out_u64(o, "iid", e->iid);
	out_str(o, "prefix", conf_fmt_prefix(&p, buf, sizeof(buf)));
	out_str(o, "action", mc_action_name(e->spec_action));
	out_str(o, "origin", mapping_origin_name(mapping_origin_of(e->slot)));
	if (e->expire == 0) {
		out_null(o, "ttl_s");
	} else {
		uint64_t now = rte_get_tsc_cycles();
		out_u64(o, "ttl_s", e->expire > now ? (e->expire - now) / rte_get_tsc_hz() : 0);
	}
	out_u64(o, "packets", ctr->packets);
	out_u64(o, "bytes", ctr->bytes);
	out_list(o, "locators");
	for (unsigned i = 0; i < e->n_locators; i++)
		show_locator(o, &e->loc[i]);
	out_close(o);
	out_close(o);
	return 0;
}

static void
show_map_cache(struct cmdline *cl, struct show_filter *f, bool json)
{
	struct out o;

	out_begin(&o, cl, json);
	f->o = &o;
	out_list(&o, "map_cache");
	mc_walk(mapping_mc(), show_entry, f);
	out_close(&o);
	out_end(&o);
}

struct show_args_res {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	cmdline_multi_string_t args;
};

static void
show_args_cb(void *res, struct cmdline *cl, void *data)
{
	struct show_args_res *r = res;
	struct show_filter f = {0};
	char *w[CLI_MAX_WORDS];
	unsigned n = cli_split(r->args, w, CLI_MAX_WORDS), i = 0;
	bool json = n > 0 && strcmp(w[n - 1], "json") == 0;

	(void)data;
	n -= json;
	if (i < n && strcmp(w[i], "iid") == 0) {
		if (i + 1 >= n || cli_parse_u32(w[i + 1], CONF_IID_MAX, &f.iid) < 0) {
			cli_fail(cl, "iid needs a number 0..%u", CONF_IID_MAX);
			return;
		}
		f.by_iid = true;
		i += 2;
	}
	if (i < n) {
		if (conf_parse_prefix(w[i], &f.prefix) < 0) {
			cli_fail(cl, "expected [iid N] [PREFIX] [json], got '%s'", w[i]);
			return;
		}
		f.by_prefix = true;
		i++;
	}
	if (i != n) {
		cli_fail(cl, "unexpected '%s'", w[i]);
		return;
	}
	show_map_cache(cl, &f, json);
}

static cmdline_parse_token_string_t sa_t0 =
	TOKEN_STRING_INITIALIZER(struct show_args_res, show, "show");
static cmdline_parse_token_string_t sa_t1 =
	TOKEN_STRING_INITIALIZER(struct show_args_res, what, "map-cache");
static cmdline_parse_token_string_t sa_t2 =
	TOKEN_STRING_INITIALIZER(struct show_args_res, args, TOKEN_STRING_MULTI);
static void
show_plain_cb(void *res, struct cmdline *cl, void *data)
{
	struct show_filter f = {0};

	(void)res;
	(void)data;
	show_map_cache(cl, &f, false);
}

static cmdline_parse_inst_t cmd_show_map_cache = {
	.f = show_plain_cb,
	.help_str = "show map-cache [iid N] [PREFIX] [json]: map-cache entries with origin, TTL, "
		    "counters and locators",
	.tokens = {(void *)&sa_t0, (void *)&sa_t1, NULL},
};
static cmdline_parse_inst_t cmd_show_map_cache_args = {
	.f = show_args_cb,
	.help_str = "show map-cache [iid N] [PREFIX] [json]: map-cache entries with origin, TTL, "
		    "counters and locators",
	.tokens = {(void *)&sa_t0, (void *)&sa_t1, (void *)&sa_t2, NULL},
};

// show pending -----------------------------------------------------------------------------

static void
pending_one(const struct pending_view *v, void *arg)
{
	struct out *o = arg;
	char buf[INET6_ADDRSTRLEN];

	out_obj(o, NULL);
	out_u64(o, "iid", v->iid);
	out_str(o, "destination", conf_fmt_addr(&v->dst, buf, sizeof(buf)));
	out_u64(o, "held", v->held);
	out_u64(o, "packets", v->packets);
	out_u64(o, "age_ms", v->age_ms);
	out_close(o);
}

static int
show_pending(struct out *o, struct cmdline *cl)
{
	struct pending_counters c;

	(void)cl;
	out_list(o, "pending");
	pending_foreach(pending_one, o);
	out_close(o);
	pending_counters(&c);
	out_obj(o, "counters");
	out_u64(o, "misses", c.misses);
	out_u64(o, "held", c.held);
	out_u64(o, "released", c.released);
	out_u64(o, "timed_out", c.timed_out);
	out_u64(o, "hold_dropped", c.hold_dropped);
	out_u64(o, "table_full", c.table_full);
	out_u64(o, "malformed", c.malformed);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_pending, "pending", show_pending,
	 "destinations waiting for a mapping, with their held packets");

CLI_GROUP(
	map_cache,
	&cmd_map_cache_add,
	&cmd_map_cache_del,
	&cmd_show_map_cache,
	&cmd_show_map_cache_args,
	&cmd_show_pending,
	&cmd_show_pending_json
);
