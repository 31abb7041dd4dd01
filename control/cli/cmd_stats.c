// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// show stats, show drops, clear stats.

#include <inttypes.h>

#include "cli_show.h"
#include "dp.h"
#include "dp_stats.h"

static int
show_stats(struct out *o, struct cmdline *cl)
{
	uint64_t stats[DP_STAT_MAX], drops[DP_DROP_MAX], total = 0;

	(void)cl;
	dp_stats_read(stats, drops, false);
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		total += drops[i];
	for (unsigned i = 0; i < DP_STAT_MAX; i++)
		out_u64(o, dp_stat_name(i), stats[i]);
	out_u64(o, "drops", total);
	return 0;
}
CLI_SHOW(cmd_show_stats, "stats", show_stats, "data-plane counters since start or 'clear stats'");

static int
show_drops(struct out *o, struct cmdline *cl)
{
	uint64_t stats[DP_STAT_MAX], drops[DP_DROP_MAX];

	(void)cl;
	dp_stats_read(stats, drops, false);
	if (o->json) {
		for (unsigned i = 0; i < DP_DROP_MAX; i++)
			out_u64(o, dp_drop_name(i), drops[i]);
		return 0;
	}
	// Text: every reason with its meaning, so an operator needs no manual.
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		out_fmt(o, dp_drop_name(i), "%" PRIu64 "  (%s)", drops[i], dp_drop_help(i));
	return 0;
}
CLI_SHOW(cmd_show_drops, "drops", show_drops, "drops by reason, every reason named");

struct clear_res {
	cmdline_fixed_string_t clear;
	cmdline_fixed_string_t stats;
};

static void
clear_stats_cb(void *res, struct cmdline *cl, void *data)
{
	(void)res;
	(void)data;
	dp_stats_clear();
	cmdline_printf(cl, "counters cleared\n");
}

static cmdline_parse_token_string_t clear_t0 =
	TOKEN_STRING_INITIALIZER(struct clear_res, clear, "clear");
static cmdline_parse_token_string_t clear_t1 =
	TOKEN_STRING_INITIALIZER(struct clear_res, stats, "stats");
static cmdline_parse_inst_t cmd_clear_stats = {
	.f = clear_stats_cb,
	.help_str = "clear stats: zero the data-plane and port counters shown by the shell",
	.tokens = {(void *)&clear_t0, (void *)&clear_t1, NULL},
};

CLI_GROUP(
	stats,
	&cmd_show_stats,
	&cmd_show_stats_json,
	&cmd_show_drops,
	&cmd_show_drops_json,
	&cmd_clear_stats
);
