// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// help, quit, show version, show config, show lcores.

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

// show config --------------------------------------------------------------------------------

static const char *
role_name(enum conf_port_role r)
{
	return r == CONF_ROLE_EID ? "eid" : "rloc";
}

static void
show_port_conf(struct out *o, const struct conf_port *p)
{
	char buf[INET6_ADDRSTRLEN + 8];

	out_obj(o, NULL);
	out_str(o, "name", p->name);
	out_str(o, "device", p->device);
	out_str(o, "role", role_name(p->role));
	if (p->role == CONF_ROLE_EID)
		out_u64(o, "iid", p->iid);
	out_list(o, "addresses");
	for (unsigned i = 0; i < p->n_addrs; i++)
		out_str(o, NULL, conf_fmt_prefix(&p->addrs[i], buf, sizeof(buf)));
	out_close(o);
	out_u64(o, "mtu", p->mtu);
	out_u64(o, "rx-descriptors", p->rx_desc);
	out_u64(o, "tx-descriptors", p->tx_desc);
	out_close(o);
}

static int
show_config(struct out *o, struct cmdline *cl)
{
	const struct dxtr_conf *c = &dxtr.conf;

	(void)cl;
	out_str(o, "file", c->path);
	out_obj(o, "eal");
	out_u64(o, "control-lcore", c->eal.control_lcore);
	out_list(o, "worker-lcores");
	for (unsigned i = 0; i < c->eal.n_workers; i++)
		out_u64(o, NULL, c->eal.worker_lcores[i]);
	out_close(o);
	out_u64(o, "memory-mb", c->eal.memory_mb);
	out_bool(o, "hugepages", c->eal.hugepages);
	out_bool(o, "in-memory", c->eal.in_memory);
	out_str(o, "file-prefix", c->eal.file_prefix);
	out_list(o, "args");
	for (unsigned i = 0; i < c->eal.n_args; i++)
		out_str(o, NULL, c->eal.args[i]);
	out_close(o);
	out_close(o);

	out_obj(o, "log");
	out_str(o, "level", conf_log_level_name(c->log.level));
	out_obj(o, "types");
	for (unsigned i = 0; i < c->log.n_types; i++)
		out_str(o, c->log.types[i].name, conf_log_level_name(c->log.types[i].level));
	out_close(o);
	out_close(o);

	out_obj(o, "control");
	out_str(o, "socket", c->control.socket);
	out_fmt(o, "socket-mode", "%04o", c->control.socket_mode);
	out_close(o);

	out_obj(o, "dataplane");
	out_u64(o, "mbufs", c->dataplane.mbufs);
	out_u64(o, "burst", c->dataplane.burst);
	out_close(o);

	out_list(o, "ports");
	for (unsigned i = 0; i < c->n_ports; i++)
		show_port_conf(o, &c->ports[i]);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_config, "config", show_config, "the running configuration");

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
	&cmd_show_config,
	&cmd_show_config_json,
	&cmd_show_lcores,
	&cmd_show_lcores_json
);
