// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Process-wide state of the appliance. Written by main before the control loop starts and by
// shell commands on the control lcore; never read by workers.

#pragma once

#include <stdbool.h>
#include <time.h>

#include "conf.h"

struct dxtr_state {
	struct dxtr_conf conf; // as loaded and validated; the running configuration
	time_t started; // wall-clock start time
	bool interactive; // -i: a shell on the terminal
};

extern struct dxtr_state dxtr;

// Stops the appliance: the control loop ends, then main shuts everything down.
void dxtr_quit(void);

// Builds the EAL argument vector for c into argv (at most max entries, argv[0] = prog).
// Strings point into a static buffer owned by eal_args.c. Returns argc or -1 if too long.
int eal_args_build(const struct dxtr_conf *c, const char *prog, char **argv, int max);
