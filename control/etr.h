// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The ETR responder: authoritative Map-Replies for Map-Requests about EIDs in the local database
// (lisp-protocol.md §3.9), received natively or as ECMs; rate-limited per requester.

#pragma once

#include <stdint.h>

#include "conf.h"
#include "lisp_io.h"
#include "lisp_msg.h"

int etr_init(const struct dxtr_conf *c);
// reply_port: the request's UDP source port (the inner one for an ECM).
void etr_request(const struct lisp_map_request *req, const struct lisp_io_peer *peer,
		 uint16_t reply_port);

struct etr_counters {
	uint64_t requests; // Map-Requests received
	uint64_t replies; // Map-Replies sent
	uint64_t not_ours; // EID records outside the local database: ignored
	uint64_t dont_reply; // D bit set
	uint64_t no_itr_rloc; // no ITR-RLOC of a family we can reach
	uint64_t rate_limited;
	uint64_t failed; // encode or send failures
};
void etr_counters(struct etr_counters *c);
