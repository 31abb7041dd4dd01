// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// help, quit, show version, show lcores.

#include <stdlib.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_version.h>

#include "cli_show.h"
#include "dp.h"
#include "dxtr.h"

// help ---------------------------------------------------------------------------------------

#define HELP_MAX 256

struct help_ctx {
	const char *lines[HELP_MAX];
	unsigned n;
};

static void
help_collect(const cmdline_parse_inst_t *inst, void *arg)
{
	struct help_ctx *h = arg;

	// The json twin of a show command shares its help text: keep it once.
	if (inst->help_str == NULL || h->n >= HELP_MAX)
		return;
	if (h->n > 0 && h->lines[h->n - 1] == inst->help_str)
		return;
	h->lines[h->n++] = inst->help_str;
}

static int
help_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct help_res {
	cmdline_fixed_string_t help;
};

static void
help_cb(void *res, struct cmdline *cl, void *data)
{
	struct help_ctx h = {.n = 0};

	(void)res;
	(void)data;
	cli_foreach(help_collect, &h);
	qsort(h.lines, h.n, sizeof(h.lines[0]), help_cmp);
	cmdline_printf(cl, "Commands (TAB completes, '?' lists choices):\n");
	for (unsigned i = 0; i < h.n; i++)
		cmdline_printf(cl, "  %s\n", h.lines[i]);
}

static cmdline_parse_token_string_t help_t = TOKEN_STRING_INITIALIZER(struct help_res, help, "help");
static cmdline_parse_inst_t cmd_help = {
	.f = help_cb,
	.help_str = "help: list the commands",
	.tokens = {(void *)&help_t, NULL},
};

// quit ---------------------------------------------------------------------------------------

static void
quit_cb(void *res, struct cmdline *cl, void *data)
{
	(void)res;
	(void)data;
	cmdline_printf(cl, "stopping dxtr\n");
	dxtr_quit();
}

static cmdline_parse_token_string_t quit_t = TOKEN_STRING_INITIALIZER(struct help_res, help, "quit");
static cmdline_parse_inst_t cmd_quit = {
	.f = quit_cb,
	.help_str = "quit: stop dxtr (workers, ports, sockets) and exit",
	.tokens = {(void *)&quit_t, NULL},
};

// show version -------------------------------------------------------------------------------

static int
show_version(struct out *o, struct cmdline *cl)
{
	(void)cl;
	out_str(o, "dxtr", DXTR_VERSION);
	out_str(o, "dpdk", rte_version());
	out_str(o, "built", __DATE__ " " __TIME__);
	out_u64(o, "uptime_s", (uint64_t)(time(NULL) - dxtr.started));
	return 0;
}
CLI_SHOW(cmd_show_version, "version", show_version, "versions of dxtr and DPDK, uptime");

// show lcores --------------------------------------------------------------------------------

static int
show_lcores(struct out *o, struct cmdline *cl)
{
	(void)cl;
	out_list(o, "lcores");
	out_obj(o, NULL);
	out_u64(o, "lcore", rte_get_main_lcore());
	out_str(o, "role", "control");
	out_int(o, "socket", rte_lcore_to_socket_id(rte_get_main_lcore()));
	out_close(o);
	for (unsigned i = 0; i < dp_worker_count(); i++) {
		struct dp_worker_info w;
		if (dp_worker_info(i, &w) < 0)
			continue;
		out_obj(o, NULL);
		out_u64(o, "lcore", w.lcore);
		out_str(o, "role", "worker");
		out_int(o, "socket", w.socket);
		out_u64(o, "queue", i);
		out_bool(o, "running", w.running);
		out_u64(o, "loops", w.loops);
		out_u64(o, "busy_loops", w.busy_loops);
		out_u64(o, "rx_packets", w.rx_packets);
		out_close(o);
	}
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_lcores, "lcores", show_lcores, "the control and worker lcores");

CLI_GROUP(
	system,
	&cmd_help,
	&cmd_quit,
	&cmd_show_version,
	&cmd_show_version_json,
	&cmd_show_lcores,
	&cmd_show_lcores_json
);
