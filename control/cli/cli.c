// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_show.h"
#include "ctl_proto.h"

static TAILQ_HEAD(, cli_group) groups = TAILQ_HEAD_INITIALIZER(groups);
static cmdline_parse_ctx_t *ctx;
// Set by cli_fail while a command runs; read by cli_exec. Control lcore only.
static bool failed;

void
cli_register(struct cli_group *g)
{
	TAILQ_INSERT_TAIL(&groups, g, next);
}

cmdline_parse_ctx_t *
cli_ctx(void)
{
	struct cli_group *g;
	unsigned n = 0, i = 0;

	if (ctx != NULL)
		return ctx;
	TAILQ_FOREACH (g, &groups, next)
		for (unsigned j = 0; g->cmds[j] != NULL; j++)
			n++;
	ctx = calloc(n + 1, sizeof(*ctx));
	if (ctx == NULL)
		return NULL;
	TAILQ_FOREACH (g, &groups, next)
		for (unsigned j = 0; g->cmds[j] != NULL; j++)
			ctx[i++] = g->cmds[j];
	return ctx;
}

void
cli_fini(void)
{
	free(ctx);
	ctx = NULL;
}

void
cli_foreach(void (*cb)(const cmdline_parse_inst_t *inst, void *arg), void *arg)
{
	struct cli_group *g;

	TAILQ_FOREACH (g, &groups, next)
		for (unsigned j = 0; g->cmds[j] != NULL; j++)
			cb(g->cmds[j], arg);
}

void
cli_fail(struct cmdline *cl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cmdline_printf(cl, "error: %s\n", msg);
	failed = true;
}

int
cli_exec(struct cmdline *cl, const char *line)
{
	char buf[CTL_LINE_MAX + 2];
	size_t len = strcspn(line, "\r\n");
	int ret;

	if (len > CTL_LINE_MAX - 1) {
		cmdline_printf(cl, "error: command line too long (at most %d bytes)\n", CTL_LINE_MAX - 1);
		return -1;
	}
	// cmdline_parse wants the line to end with "\n\0".
	memcpy(buf, line, len);
	buf[len] = '\n';
	buf[len + 1] = '\0';
	if (strspn(buf, " \t\n") == len + 1)
		return 0; // empty line
	failed = false;
	ret = cmdline_parse(cl, buf);
	switch (ret) {
	case CMDLINE_PARSE_AMBIGUOUS:
		cmdline_printf(cl, "error: ambiguous command\n");
		return -1;
	case CMDLINE_PARSE_NOMATCH:
		cmdline_printf(cl, "error: unknown command (try 'help')\n");
		return -1;
	case CMDLINE_PARSE_BAD_ARGS:
		cmdline_printf(cl, "error: bad arguments (try 'help')\n");
		return -1;
	default:
		break;
	}
	return ret < 0 || failed ? -1 : 0;
}

void
cli_show_run(struct cmdline *cl, int (*fn)(struct out *, struct cmdline *), bool json)
{
	struct out o;

	out_begin(&o, cl, json);
	if (fn(&o, cl) < 0)
		return; // cli_fail printed the error; no half-written object
	out_end(&o);
}
