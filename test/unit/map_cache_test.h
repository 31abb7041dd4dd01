// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Helpers shared by map_cache_test.c and map_cache_stress.c.

#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "map_cache.h"

// A prefix from text ("10.0.0.0", 8 or "2001:db8::", 32).
struct mc_prefix mct_pfx(const char *addr, unsigned len);
// A locator with our RLOC 198.18.0.1 or 2001:db8:ffff::1 as source.
void mct_loc(
	struct mc_locator_spec *l,
	const char *rloc,
	uint8_t prio,
	uint8_t weight,
	bool usable
);
// A small map-cache (fits -m 512 with room to spare).
struct mc *mct_create(uint32_t max_entries);

void test_mc_stress(void **state);
void test_mc_grace(void **state);
