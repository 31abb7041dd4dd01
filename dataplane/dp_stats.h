// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Data-plane counters, generated from dp_stats.def.

#pragma once

#include <stdbool.h>
#include <stdint.h>

enum dp_stat {
#define DP_STAT(id, name, help) DP_STAT_##id,
#define DP_DROP(id, name, help)
#include "dp_stats.def"
#undef DP_STAT
#undef DP_DROP
	DP_STAT_MAX
};

enum dp_drop {
#define DP_STAT(id, name, help)
#define DP_DROP(id, name, help) DP_DROP_##id,
#include "dp_stats.def"
#undef DP_STAT
#undef DP_DROP
	DP_DROP_MAX
};

// Name and help of a counter or drop reason (NULL past the end).
const char *dp_stat_name(unsigned id);
const char *dp_stat_help(unsigned id);
const char *dp_drop_name(unsigned id);
const char *dp_drop_help(unsigned id);

// Sums over the workers. raw: since start (monotonic, as telemetry reports them); otherwise
// since the last dp_stats_clear (control lcore only).
void dp_stats_read(uint64_t stats[DP_STAT_MAX], uint64_t drops[DP_DROP_MAX], bool raw);

// `clear stats`: takes the current sums, port counters included, as the new zero. Workers are
// not involved: they only ever add. Control lcore only.
void dp_stats_clear(void);
