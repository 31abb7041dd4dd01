// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Logging through rte_log, one log type per module named "dxtr.<module>". A file declares its
// module once with LOG_TYPE(module) and then uses LOG(LEVEL, fmt, ...). Never on the hot path.

#pragma once

#include <rte_log.h>

#define LOG_TYPE(mod)                                                                              \
	RTE_LOG_REGISTER(dxtr_logtype_##mod, dxtr.mod, INFO);                                      \
	static int *const log_type_ptr __attribute__((unused)) = &dxtr_logtype_##mod

#define LOG(level, fmt, ...)                                                                       \
	rte_log(RTE_LOG_##level,                                                                   \
		*log_type_ptr,                                                                     \
		"dxtr: %s: " fmt "\n",                                                             \
		__func__,                                                                          \
		##__VA_ARGS__)

// Sets the level of every log type whose name matches pattern (fnmatch: "dxtr.*", "lib.eal").
// Returns 0, or -1 when nothing matched (the level is remembered for types registered later).
int dxtr_log_set_level(const char *pattern, unsigned level);

// Calls cb for every registered log type with its current level.
int dxtr_log_foreach(void (*cb)(const char *name, unsigned level, void *arg), void *arg);
