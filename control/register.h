// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Map-Server registration (lisp-protocol.md §2.7, §2.8, §3.10): every configured map-server
// gets the whole local database in Map-Registers at start-up and then every register-interval
// seconds (plus up to a tenth of it, at random), sent from our RLOC towards it, 4342 -> 4342,
// signed with its key. With want-map-notify, a Map-Notify from the server that echoes a
// Map-Register's nonce and passes its HMAC confirms the registration; a Map-Register left
// unanswered is sent again every REG_RETRANSMIT_MS, at most REG_RETRANSMITS times. An
// authenticated Map-Notify answering nothing of ours (the server's own news) gets a
// Map-Notify-Ack. Control lcore only.
//
// A database larger than one message (LISP_MAX_RECORDS records, or more bytes than the path MTU
// leaves) goes in several Map-Registers, each with its own nonce; a registration is confirmed
// when every one of them is.

#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "lisp_io.h"
#include "lisp_msg.h"

#define REG_RETRANSMIT_MS 3000 // without a Map-Notify, send the Map-Register again after this
#define REG_RETRANSMITS 3 // at most, per Map-Register

int register_init(const struct dxtr_conf *c);
// Rounds and retransmissions; from a control-loop timer (every 100 ms is fine).
void register_tick(void);
// The local database changed: register again at the next tick.
void register_now(void);
// A Map-Notify (decoded; it is re-encoded to check its authentication data).
void register_notify(const struct lisp_map_register *notify, const struct lisp_io_peer *peer);

enum register_state {
	REGISTER_NEVER, // no registration confirmed yet
	REGISTER_REGISTERED, // confirmed within the last 3 intervals (what a Map-Server keeps)
	REGISTER_UNREGISTERED, // confirmed once, but not for 3 intervals
};
const char *register_state_name(enum register_state s);

// Per map-server.
struct register_counters {
	uint64_t registers_sent; // Map-Registers sent, retransmissions included
	uint64_t retransmits;
	uint64_t unanswered; // Map-Registers left without a Map-Notify after every retransmission
	uint64_t send_failed; // no route, no buffer, encoding failed
	uint64_t notifies_ok; // Map-Notifies that confirmed a Map-Register
	uint64_t notify_acks; // Map-Notify-Acks sent for unsolicited Map-Notifies
	uint64_t bad_nonce; // authenticated, but not the nonce of the Map-Register awaiting one
	uint64_t bad_auth; // wrong key ID or algorithm, or the HMAC does not verify
};

// Map-Notifies that match no map-server.
struct register_global_counters {
	uint64_t unknown_server; // the outer source is no configured map-server
};

struct register_view {
	const struct conf_map_server *server;
	enum register_state state;
	int64_t last_registered_age_s; // -1: never
	unsigned n_messages; // Map-Registers per round
	struct register_counters cnt;
};
void register_foreach(void (*cb)(const struct register_view *v, void *arg), void *arg);
void register_global_counters(struct register_global_counters *c);
