// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#pragma once

#include <stdint.h>

#include "dp_punt.h"

// A DP_PUNT_LSB event from a worker (only with mapping-system.trusted).
void lsb_input(const struct dp_punt *pk);

struct lsb_counters {
	uint64_t events; // reports from the workers
	uint64_t down; // locators taken out
	uint64_t up; // locators brought back
	uint64_t stale; // the entry changed or went meanwhile
};
void lsb_counters(struct lsb_counters *c);
