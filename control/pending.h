// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Destinations without a mapping. The first packets to such a destination are held (copies in
// control's pool, bounded per destination and in total) while the mapping is resolved, and sent
// when it arrives, or dropped with a counter on timeout. A pending host entry in the map-cache
// makes later packets to the same destination join the wait instead of signalling a new miss.

#pragma once

#include <stdint.h>

#include "conf.h"
#include "dp_punt.h"

#define PENDING_MAX 4096

int pending_init(const struct conf_lisp *l);
void pending_fini(void);
// A DP_PUNT_MISS frame.
void pending_input(const struct dp_punt *pk);
// A mapping for prefix arrived: send what waited for destinations inside it.
void pending_release(uint32_t iid, const struct ip_prefix *prefix);
// Timeouts; from a control-loop timer.
void pending_tick(void);

struct pending_counters {
	uint64_t misses; // new pending destinations
	uint64_t held; // packets held
	uint64_t released; // held packets sent after their mapping arrived
	uint64_t timed_out; // held packets dropped when their destination timed out
	uint64_t hold_dropped; // over the per-destination or total bound, or no buffer
	uint64_t table_full; // misses dropped: PENDING_MAX destinations already pending
	uint64_t malformed;
};
void pending_counters(struct pending_counters *c);

struct pending_view {
	uint32_t iid;
	struct ip_addr dst;
	unsigned held;
	uint64_t age_ms;
	uint64_t packets; // packets seen for it, held or not
};
void pending_foreach(void (*cb)(const struct pending_view *v, void *arg), void *arg);
unsigned pending_count(void);
