// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The shell: rte_cmdline commands registered per area (one cmd_<area>.c file each) and merged
// into one context served on the terminal (-i) and on the control socket.

#pragma once

#include <stdbool.h>
#include <sys/queue.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <rte_common.h>

struct cli_group {
	const char *name;
	cmdline_parse_inst_t *const *cmds; // NULL-terminated
	TAILQ_ENTRY(cli_group) next;
};

void cli_register(struct cli_group *g);

// Registers the commands of one area from a constructor:
// CLI_GROUP(ports, &cmd_show_ports, &cmd_other);
#define CLI_GROUP(area, ...)                                                                       \
	static cmdline_parse_inst_t *const cli_cmds_##area[] = {__VA_ARGS__, NULL};                \
	static struct cli_group cli_group_##area = {.name = #area, .cmds = cli_cmds_##area};       \
	RTE_INIT(cli_register_##area)                                                              \
	{                                                                                          \
		cli_register(&cli_group_##area);                                                   \
	}

// The merged context (built on first use, freed by cli_fini).
cmdline_parse_ctx_t *cli_ctx(void);
void cli_fini(void);

// Runs one command line on cl; parse errors are printed to cl. Returns 0 when the command
// succeeded, -1 when it did not parse or reported a failure with cli_fail.
int cli_exec(struct cmdline *cl, const char *line);

// Prints "error: ...\n" to cl and marks the running command as failed.
void cli_fail(struct cmdline *cl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Iterates over all registered commands (for help).
void cli_foreach(void (*cb)(const cmdline_parse_inst_t *inst, void *arg), void *arg);
