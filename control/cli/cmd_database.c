// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// database add/del, show database: the local EID-prefixes this xTR is the ETR for. A change
// registers again with the Map-Servers and sends SMRs to the remote sites in the map-cache.
//
//   database add [iid N] PREFIX locator ADDR [priority P] [weight W] [locator ...]
//   database del [iid N] PREFIX

#include <string.h>

#include "cli_args.h"
#include "cli_show.h"
#include "dxtr.h"
#include "mapping.h"

// Every locator must be one of our RLOCs; the instance must have an EID port.
static bool
check(struct cmdline *cl, uint32_t iid, const struct conf_locator *loc, unsigned n)
{
	const struct dxtr_conf *c = &dxtr.conf;
	bool eid = false;

	for (unsigned p = 0; p < c->n_ports; p++)
		eid |= c->ports[p].role == CONF_ROLE_EID && c->ports[p].iid == iid;
	if (!eid) {
		cli_fail(cl, "no eid port has iid %u", iid);
		return false;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct conf_port *p = conf_port_of(c, &loc[i].addr);
		if (p == NULL || p->role != CONF_ROLE_RLOC) {
			char buf[INET6_ADDRSTRLEN];
			cli_fail(cl, "'%s' is not an address of an rloc port",
				 conf_fmt_addr(&loc[i].addr, buf, sizeof(buf)));
			return false;
		}
	}
	return true;
}

struct db_res {
	cmdline_fixed_string_t database;
	cmdline_fixed_string_t verb;
	cmdline_multi_string_t args;
};

static void
db_cb(void *res, struct cmdline *cl, void *data)
{
	struct db_res *r = res;
	struct conf_mapping m = {0};
	char *w[CLI_MAX_WORDS], err[256], buf[INET6_ADDRSTRLEN + 8];
	unsigned n = cli_split(r->args, w, CLI_MAX_WORDS);
	int i = cli_parse_target(cl, w, n, &m.iid, &m.prefix);

	(void)data;
	if (i < 0)
		return;
	conf_fmt_prefix(&m.prefix, buf, sizeof(buf));
	if (strcmp(r->verb, "del") == 0) {
		if ((unsigned)i != n) {
			cli_fail(cl, "unexpected '%s'", w[i]);
			return;
		}
		if (mapping_db_del(&dxtr.conf, m.iid, &m.prefix) < 0) {
			cli_fail(cl, "no local prefix %s in iid %u", buf, m.iid);
			return;
		}
		cmdline_printf(cl, "deleted %s in iid %u\n", buf, m.iid);
		return;
	}
	int k = cli_parse_locators(cl, w, n, i, "locator", m.loc);
	if (k < 0 || !check(cl, m.iid, m.loc, k))
		return;
	m.n_loc = k;
	m.action = CONF_ACT_ENCAP;
	if (mapping_db_set(&dxtr.conf, &m, err, sizeof(err)) < 0) {
		cli_fail(cl, "%s", err);
		return;
	}
	cmdline_printf(cl, "set %s in iid %u\n", buf, m.iid);
}

static cmdline_parse_token_string_t db_t0 = TOKEN_STRING_INITIALIZER(struct db_res, database, "database");
static cmdline_parse_token_string_t db_add = TOKEN_STRING_INITIALIZER(struct db_res, verb, "add");
static cmdline_parse_token_string_t db_del = TOKEN_STRING_INITIALIZER(struct db_res, verb, "del");
static cmdline_parse_token_string_t db_args =
	TOKEN_STRING_INITIALIZER(struct db_res, args, TOKEN_STRING_MULTI);
static cmdline_parse_inst_t cmd_database_add = {
	.f = db_cb,
	.help_str = "database add [iid N] PREFIX locator ADDR [priority P] [weight W] [locator ...]: "
		    "add or replace a local EID-prefix (registers, sends SMRs)",
	.tokens = {(void *)&db_t0, (void *)&db_add, (void *)&db_args, NULL},
};
static cmdline_parse_inst_t cmd_database_del = {
	.f = db_cb,
	.help_str = "database del [iid N] PREFIX: remove a local EID-prefix",
	.tokens = {(void *)&db_t0, (void *)&db_del, (void *)&db_args, NULL},
};



static int
show_database(struct out *o, struct cmdline *cl)
{
	const struct dxtr_conf *c = &dxtr.conf;
	char buf[INET6_ADDRSTRLEN + 8];

	(void)cl;
	out_list(o, "database");
	for (unsigned i = 0; i < c->n_database; i++) {
		const struct conf_mapping *m = &c->database[i];
		out_obj(o, NULL);
		out_u64(o, "iid", m->iid);
		out_str(o, "prefix", conf_fmt_prefix(&m->prefix, buf, sizeof(buf)));
		out_list(o, "locators");
		for (unsigned l = 0; l < m->n_loc; l++) {
			out_obj(o, NULL);
			out_str(o, "address", conf_fmt_addr(&m->loc[l].addr, buf, sizeof(buf)));
			out_u64(o, "priority", m->loc[l].priority);
			out_u64(o, "weight", m->loc[l].weight);
			out_close(o);
		}
		out_close(o);
		out_close(o);
	}
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_database, "database", show_database, "the local EID-prefixes (ETR)");

CLI_GROUP(database, &cmd_database_add, &cmd_database_del, &cmd_show_database, &cmd_show_database_json);
