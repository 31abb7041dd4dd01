// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The control end of the punt ring: takes what the workers handed over and gives each frame to
// its module. Runs as a control-loop poller.

#include "ctl_loop.h"
#include "dp_punt.h"
#include "dxtr.h"
#include "icmp_error.h"
#include "lisp_io.h"
#include "log.h"
#include "lsb.h"
#include "neighbor.h"
#include "pending.h"
#include "punt.h"

LOG_TYPE(punt);

#define PUNT_BURST 64

static uint64_t unknown_reason;

static unsigned
punt_poll(void *arg)
{
	struct dp_punt pk[PUNT_BURST];
	unsigned n = dp_punt_drain(pk, PUNT_BURST);

	(void)arg;
	for (unsigned i = 0; i < n; i++) {
		switch (pk[i].reason) {
		case DP_PUNT_NEIGHBOR:
			neigh_input(&pk[i]);
			break;
		case DP_PUNT_RESOLVE:
			neigh_hold(&pk[i]);
			break;
		case DP_PUNT_MISS:
			pending_input(&pk[i]);
			break;
		case DP_PUNT_ICMP_ERROR:
			icmp_error_input(&dxtr.conf, &pk[i]);
			break;
		case DP_PUNT_CONTROL:
			lisp_io_input(&pk[i]);
			break;
		case DP_PUNT_LSB:
			lsb_input(&pk[i]);
			break;
		default:
			unknown_reason++;
			rte_pktmbuf_free(pk[i].m);
			break;
		}
	}
	return n;
}

int
punt_start(void)
{
	return ctl_loop_add_poller(punt_poll, NULL);
}
