// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Neighbor resolution on the control lcore: ARP (IPv4) and neighbor discovery (IPv6) for the
// next hops the data plane sends to. Workers punt frames for unresolved next hops; control
// keeps bounded copies of them, asks, and sends them once the answer comes.

#pragma once

#include <stdint.h>

#include "conf.h"
#include "dp_punt.h"

#define NEIGH_HOLD_MAX 16 // frames held per unresolved next hop
#define NEIGH_RETRY_MS 1000
#define NEIGH_TRIES 3 // unanswered requests before a neighbor fails
#define NEIGH_REFRESH_MS 30000 // a resolved neighbor is asked again this often

// The next-hop index of addr on port, created and solicited when new (src: our address on
// that link, the source of the request). Returns the index or a negative errno.
int neigh_resolve(unsigned port, const struct ip_addr *addr, const struct ip_addr *src);
// An ARP reply or neighbor advertisement a worker punted.
void neigh_input(const struct dp_punt *pk);
// A frame for an unresolved next hop (pk->arg): kept (a copy) until it resolves or fails.
void neigh_hold(const struct dp_punt *pk);
// Sends a frame control built (in its own pool, Ethernet addresses left to fill) to next hop
// idx: now when resolved, else held like a worker's frame.
void neigh_output(uint32_t idx, struct rte_mbuf *m);
// Retries, failures and refreshes; from a control-loop timer.
void neigh_tick(void);
// Frees held frames (shutdown).
void neigh_fini(void);

enum neigh_state {
	NEIGH_INCOMPLETE, // asked, no answer yet
	NEIGH_REACHABLE,
	NEIGH_FAILED, // no answer after NEIGH_TRIES requests; asked again on demand
};

struct neigh_counters {
	uint64_t requests; // ARP requests and neighbor solicitations sent
	uint64_t replies; // answers that resolved or refreshed a next hop
	uint64_t unexpected; // answers for addresses nobody asked about
	uint64_t malformed;
	uint64_t held; // frames held
	uint64_t released; // held frames sent on resolution
	uint64_t hold_dropped; // over the per-neighbor bound or no control buffer
	uint64_t failed_dropped; // held frames dropped when a neighbor failed
};
void neigh_counters(struct neigh_counters *c);

struct neigh_view {
	uint32_t nh;
	unsigned port;
	struct ip_addr addr;
	enum neigh_state state;
	uint8_t mac[6];
	unsigned held;
	uint64_t age_ms; // since the last answer (0: never answered)
};
// Calls cb for every neighbor.
void neigh_foreach(void (*cb)(const struct neigh_view *v, void *arg), void *arg);
const char *neigh_state_name(enum neigh_state s);
