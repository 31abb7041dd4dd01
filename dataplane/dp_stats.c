// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Counter names and sums over the workers.

#include <string.h>

#include <rte_common.h>

#include "dp_priv.h"

static const char *const stat_names[] = {
#define DP_STAT(id, name, help) [DP_STAT_##id] = name,
#define DP_DROP(id, name, help)
#include "dp_stats.def"
#undef DP_STAT
#undef DP_DROP
};
static const char *const stat_helps[] = {
#define DP_STAT(id, name, help) [DP_STAT_##id] = help,
#define DP_DROP(id, name, help)
#include "dp_stats.def"
#undef DP_STAT
#undef DP_DROP
};
static const char *const drop_names[] = {
#define DP_STAT(id, name, help)
#define DP_DROP(id, name, help) [DP_DROP_##id] = name,
#include "dp_stats.def"
#undef DP_STAT
#undef DP_DROP
};
static const char *const drop_helps[] = {
#define DP_STAT(id, name, help)
#define DP_DROP(id, name, help) [DP_DROP_##id] = help,
#include "dp_stats.def"
#undef DP_STAT
#undef DP_DROP
};

const char *
dp_stat_name(unsigned id)
{
	return id < RTE_DIM(stat_names) ? stat_names[id] : NULL;
}

const char *
dp_stat_help(unsigned id)
{
	return id < RTE_DIM(stat_helps) ? stat_helps[id] : NULL;
}

const char *
dp_drop_name(unsigned id)
{
	return id < RTE_DIM(drop_names) ? drop_names[id] : NULL;
}

const char *
dp_drop_help(unsigned id)
{
	return id < RTE_DIM(drop_helps) ? drop_helps[id] : NULL;
}

void
dp_stats_read(uint64_t stats[DP_STAT_MAX], uint64_t drops[DP_DROP_MAX], bool raw)
{
	memset(stats, 0, sizeof(uint64_t) * DP_STAT_MAX);
	memset(drops, 0, sizeof(uint64_t) * DP_DROP_MAX);
	for (unsigned w = 0; w < dp.n_workers; w++) {
		const struct dp_worker_stats *s = &dp.workers[w].stats;
		for (unsigned i = 0; i < DP_STAT_MAX; i++)
			stats[i] += dp_counter_read(&s->stats[i]);
		for (unsigned i = 0; i < DP_DROP_MAX; i++)
			drops[i] += dp_counter_read(&s->drops[i]);
	}
	if (raw)
		return;
	for (unsigned i = 0; i < DP_STAT_MAX; i++)
		stats[i] -= dp.base.stats[i];
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		drops[i] -= dp.base.drops[i];
}

void
dp_stats_clear(void)
{
	dp_stats_read(dp.base.stats, dp.base.drops, true);
	for (unsigned p = 0; p < dp.n_ports; p++)
		dp_port_counters_raw(p, &dp.base.ports[p]);
}
