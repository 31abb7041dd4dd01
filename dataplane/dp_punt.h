// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Between the workers and the control lcore.
//
// Punt ring (workers -> control, MP/SC): frames control must see (neighbor replies, packets
// waiting for a neighbor, later map-cache misses and LISP control messages). A worker hands its
// mbuf over; control frees it or keeps a copy in its own pool, never the worker's mbuf, so a
// worker pool cannot drain into control. A full ring drops the frame under a named counter.
//
// Control TX: control sends on its own TX queue of the port when it has one; otherwise (drivers
// that pair RX and TX queues) through a per-port inject ring (SP/SC) that worker 0 drains into
// its own TX queue once per loop iteration.

#pragma once

#include <stdint.h>

#include <rte_mbuf.h>

enum dp_punt_reason {
	DP_PUNT_NEIGHBOR, // an ARP reply or IPv6 neighbor advertisement for us
	DP_PUNT_RESOLVE, // a frame for next hop `arg` whose MAC is not known yet
	DP_PUNT_MISS, // an EID-port frame without a mapping (arg: the IID), or a pending one
	DP_PUNT_ICMP_ERROR, // send an ICMP error about this frame: arg = type << 16 | MTU
	DP_PUNT_CONTROL, // a LISP control message (UDP 4342) to one of our addresses
	DP_PUNT_LSB, // no frame: a trusted peer's locator-status-bits (arg2) differ from what the
		     // map-cache entry in slot arg has usable
};

// DP_PUNT_ICMP_ERROR types (the family comes from the frame).
#define DP_ICMP_TIME_EXCEEDED 1
#define DP_ICMP_TOO_BIG 2
#define DP_ICMP_UNREACHABLE 3 // a negative mapping says drop
#define DP_ICMP_PROHIBITED 4 // a negative mapping says drop: policy or authentication

struct dp_punt {
	struct rte_mbuf *m; // starts with the Ethernet header; NULL for DP_PUNT_LSB
	uint16_t reason; // enum dp_punt_reason
	uint16_t port; // data-plane port index it arrived on or leaves by
	uint32_t arg; // reason-specific (DP_PUNT_RESOLVE: next-hop index)
	uint32_t arg2; // DP_PUNT_LSB: the bits
};

// Control: takes up to n punted frames. Returns how many.
unsigned dp_punt_drain(struct dp_punt *out, unsigned n);

// Control: sends n frames out of port (already with their Ethernet header). Frames that cannot
// be queued are freed and counted. Returns how many were accepted.
unsigned dp_ctl_tx(unsigned port, struct rte_mbuf **pkts, unsigned n);

// Control: allocates an mbuf from control's own pool (NULL when empty).
struct rte_mbuf *dp_ctl_alloc(void);
// Control: a deep copy of m in control's own pool (NULL when empty).
struct rte_mbuf *dp_ctl_copy(const struct rte_mbuf *m);

// Control's counters for `show stats`.
struct dp_ctl_stats {
	uint64_t punted; // frames control took from the punt ring
	uint64_t tx; // frames control sent (directly or through a worker)
	uint64_t tx_dropped; // refused by the TX queue or the inject ring
	uint64_t alloc_failed;
};
void dp_ctl_stats(struct dp_ctl_stats *st);
