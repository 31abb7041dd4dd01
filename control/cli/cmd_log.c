// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// set log level TYPE LEVEL, show log.

#include "cli_show.h"
#include "conf.h"
#include "log.h"

struct set_log_res {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t log;
	cmdline_fixed_string_t level_kw;
	cmdline_fixed_string_t type;
	cmdline_fixed_string_t level;
};

static void
set_log_cb(void *res, struct cmdline *cl, void *data)
{
	struct set_log_res *r = res;
	int level = conf_log_level_parse(r->level);

	(void)data;
	if (level < 0) {
		cli_fail(cl, "unknown level '%s' (emerg alert crit err warning notice info debug)", r->level);
		return;
	}
	if (dxtr_log_set_level(r->type, level) < 0) {
		cli_fail(cl, "no log type matches '%s' (see 'show log')", r->type);
		return;
	}
	cmdline_printf(cl, "%s: %s\n", r->type, conf_log_level_name(level));
}

static cmdline_parse_token_string_t set_log_t0 =
	TOKEN_STRING_INITIALIZER(struct set_log_res, set, "set");
static cmdline_parse_token_string_t set_log_t1 =
	TOKEN_STRING_INITIALIZER(struct set_log_res, log, "log");
static cmdline_parse_token_string_t set_log_t2 =
	TOKEN_STRING_INITIALIZER(struct set_log_res, level_kw, "level");
static cmdline_parse_token_string_t set_log_t3 =
	TOKEN_STRING_INITIALIZER(struct set_log_res, type, NULL);
static cmdline_parse_token_string_t set_log_t4 = TOKEN_STRING_INITIALIZER(
	struct set_log_res,
	level,
	"emerg#alert#crit#err#error#warning#warn#notice#info#debug"
);
static cmdline_parse_inst_t cmd_set_log_level = {
	.f = set_log_cb,
	.help_str = "set log level TYPE LEVEL: TYPE is a log type or pattern (dxtr.*), LEVEL "
		    "emerg..debug",
	.tokens = {
		(void *)&set_log_t0,
		(void *)&set_log_t1,
		(void *)&set_log_t2,
		(void *)&set_log_t3,
		(void *)&set_log_t4,
		NULL,
	},
};

static void
show_one(const char *name, unsigned level, void *arg)
{
	out_str(arg, name, conf_log_level_name(level));
}

static int
show_log(struct out *o, struct cmdline *cl)
{
	(void)cl;
	out_obj(o, "types");
	dxtr_log_foreach(show_one, o);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_log, "log", show_log, "log types and their levels");

CLI_GROUP(log, &cmd_set_log_level, &cmd_show_log, &cmd_show_log_json);
