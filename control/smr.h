// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Solicit-Map-Requests (lisp-protocol.md §3.8): when a local EID-prefix changes, every locator
// of every remote site we cache gets a Map-Request with S and D set, so those ITRs ask again
// through the mapping system and learn the new mapping.

#pragma once

#include <stdint.h>

#include "conf.h"

#define SMR_MAX_PER_CHANGE 256 // SMRs one change sends at most

// Sends the SMRs for a change of local prefix (iid, changed). Returns how many went out.
unsigned smr_send(uint32_t iid, const struct ip_prefix *changed);

struct smr_counters {
	uint64_t sent;
	uint64_t capped; // not sent: over SMR_MAX_PER_CHANGE
	uint64_t failed;
};
void smr_counters(struct smr_counters *c);
