// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// LISP control messages on the wire, for the control lcore: UDP 4342 frames the workers punted
// are checked and dispatched by message type; messages are sent over the underlay from one of
// our RLOCs, through the routes and the neighbor table.

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "dp_punt.h"

// A DP_PUNT_CONTROL frame.
void lisp_io_input(const struct dp_punt *pk);

// Sends msg (len bytes) in UDP from sport to dst:dport. src: our address to send from, or NULL
// for the route's. Returns 0 or a negative errno (no route, no buffer...).
int lisp_io_send(
	const struct ip_addr *src,
	const struct ip_addr *dst,
	uint16_t sport,
	uint16_t dport,
	const void *msg,
	size_t len
);

// Where a received message came from.
struct lisp_io_peer {
	struct ip_addr src; // outer source
	struct ip_addr dst; // outer destination (one of ours)
	uint16_t sport;
	unsigned port; // data-plane port it came in on
};

#define LISP_IO_TYPES 16

struct lisp_io_counters {
	uint64_t rx[LISP_IO_TYPES]; // by message type
	uint64_t tx[LISP_IO_TYPES];
	uint64_t rx_malformed; // bad IP/UDP lengths or a message that does not decode
	uint64_t rx_checksum; // wrong UDP checksum
	uint64_t rx_unexpected; // a type this xTR does not take (Map-Register, Map-Referral...)
	uint64_t tx_no_route;
	uint64_t tx_failed; // no buffer, no next hop
};
void lisp_io_counters(struct lisp_io_counters *c);

struct lisp_ip;
// Between the configuration's addresses and the codec's (af 0 <-> AFI 0).
void lisp_ip_from_addr(struct lisp_ip *l, const struct ip_addr *a);
void lisp_ip_to_addr(struct ip_addr *a, const struct lisp_ip *l);
void lisp_io_count_tx(unsigned type);
