// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// RLOC-probing (lisp-protocol.md §3.7): every locator of the map-cache gets a Map-Request with
// P=1 each interval, sent straight to it; a locator that leaves `retries` probes unanswered is
// marked unusable in every entry that has it (its flows move, only its flows), and usable again
// when it answers. One probe per distinct RLOC, whatever the number of entries using it.

#pragma once

#include <stdbool.h>

#include "conf.h"
#include "lisp_io.h"
#include "lisp_msg.h"

#define PROBE_MAX_RLOCS 1024

int probe_init(const struct dxtr_conf *c);
void probe_fini(void);
// From a control-loop timer (every second is fine).
void probe_tick(void);
// A Map-Reply with P set. Returns true when it answered one of our probes.
bool probe_reply(const struct lisp_map_reply *rep, const struct lisp_io_peer *peer);
// True when probing found addr unreachable (entries built now keep it unusable).
bool probe_is_down(const struct ip_addr *addr);

struct probe_counters {
	uint64_t sent;
	uint64_t answered;
	uint64_t unanswered;
	uint64_t went_down;
	uint64_t came_up;
	uint64_t bad_nonce;
};
void probe_counters(struct probe_counters *c);

struct probe_view {
	struct ip_addr rloc;
	bool up;
	unsigned missed; // probes unanswered in a row
	uint64_t rtt_us; // of the last answer, 0: none yet
};
void probe_foreach(void (*cb)(const struct probe_view *v, void *arg), void *arg);
