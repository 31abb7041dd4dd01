// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#pragma once

#include <stdint.h>

#include "conf.h"
#include "dp_punt.h"

// ICMP errors the ITR owes a site host (time exceeded, packet too big, unreachable), built on the control
// lcore from the offending frame a worker punted (DP_PUNT_ICMP_ERROR), sent back out of the
// port it came in on. The workers enforce the rate limit.
void icmp_error_input(const struct dxtr_conf *c, const struct dp_punt *pk);

struct icmp_error_counters {
	uint64_t sent;
	uint64_t suppressed; // about an ICMP error, or from a multicast/unspecified source
	uint64_t no_source; // the port has no address of the family to send from
	uint64_t failed; // no buffer, malformed
};
void icmp_error_counters(struct icmp_error_counters *c);
