// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Arguments of the commands that take the rest of the line (TOKEN_STRING_MULTI): split into
// words, then parsed here, each failure reported with cli_fail.

#pragma once

#include <stdint.h>

#include "cli.h"
#include "conf.h"

#define CLI_MAX_WORDS 64

// Splits s (modified) into words; returns how many (at most max).
unsigned cli_split(char *s, char **w, unsigned max);
// A decimal number 0..max. 0 or -1.
int cli_parse_u32(const char *s, uint32_t max, uint32_t *out);
// [iid N] PREFIX (canonical): returns the index of the next word, or -1 after cli_fail.
int cli_parse_target(struct cmdline *cl, char **w, unsigned n, uint32_t *iid, struct ip_prefix *p);
// (KEYWORD ADDR [priority P] [weight W])... from word i to the end: returns the number of
// locators (at least one, each address once), or -1 after cli_fail.
int cli_parse_locators(
	struct cmdline *cl,
	char **w,
	unsigned n,
	unsigned i,
	const char *keyword,
	struct conf_locator *loc
);
