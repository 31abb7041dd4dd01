// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// `show WORD [json]` commands without other arguments: one line declares both forms.
//
//   static int show_version(struct out *o, struct cmdline *cl);
//   CLI_SHOW(cmd_show_version, "version", show_version, "dxtr's version and build");
//
// then list both cmd_show_version and cmd_show_version_json in CLI_GROUP. The function
// describes its result through o; it returns 0, or -1 after cli_fail().

#pragma once

#include <cmdline_parse_string.h>

#include "cli.h"
#include "out.h"

struct cli_show_res {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t json;
};

// Runs fn with a text or JSON writer; shared by every CLI_SHOW command.
void cli_show_run(struct cmdline *cl, int (*fn)(struct out *, struct cmdline *), bool json);

#define CLI_SHOW(id, word, fn, help)                                                               \
	static cmdline_parse_token_string_t id##_t_show =                                          \
		TOKEN_STRING_INITIALIZER(struct cli_show_res, show, "show");                       \
	static cmdline_parse_token_string_t id##_t_what =                                          \
		TOKEN_STRING_INITIALIZER(struct cli_show_res, what, word);                         \
	static cmdline_parse_token_string_t id##_t_json =                                          \
		TOKEN_STRING_INITIALIZER(struct cli_show_res, json, "json");                       \
	static void id##_cb(void *res, struct cmdline *cl, void *data)                             \
	{                                                                                          \
		(void)res;                                                                         \
		cli_show_run(cl, fn, data != NULL);                                                \
	}                                                                                          \
	static cmdline_parse_inst_t id = {                                                         \
		.f = id##_cb,                                                                      \
		.data = NULL,                                                                      \
		.help_str = "show " word " [json]: " help,                                         \
		.tokens = {(void *)&id##_t_show, (void *)&id##_t_what, NULL},                      \
	};                                                                                         \
	static cmdline_parse_inst_t id##_json = {                                                  \
		.f = id##_cb,                                                                      \
		.data = (void *)1,                                                                 \
		.help_str = "show " word " [json]: " help,                                         \
		.tokens = {(void *)&id##_t_show, (void *)&id##_t_what, (void *)&id##_t_json, NULL}, \
	}
