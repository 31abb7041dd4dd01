// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Structured output for show commands: a command describes its result once, as nested objects
// and lists of scalars, and the writer renders it as indented text or as JSON (trailing `json`).

#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <cmdline.h>

#define OUT_MAX_DEPTH 16

struct out {
	struct cmdline *cl;
	bool json;
	unsigned depth;
	bool first[OUT_MAX_DEPTH]; // no member printed yet at this depth
	bool list[OUT_MAX_DEPTH]; // this depth is a list
	bool dash; // text: the next key starts a list item ("- ")
	bool opened; // json: the top-level '{' is out (written with the first member)
};

// Starts the top-level object. json selects JSON.
void out_begin(struct out *o, struct cmdline *cl, bool json);
// Ends the top-level object (and the line).
void out_end(struct out *o);

// Opens a nested object or list under key (key is ignored inside a list).
void out_obj(struct out *o, const char *key);
void out_list(struct out *o, const char *key);
void out_close(struct out *o);

void out_str(struct out *o, const char *key, const char *val);
void out_fmt(struct out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void out_u64(struct out *o, const char *key, uint64_t val);
void out_int(struct out *o, const char *key, int64_t val);
void out_bool(struct out *o, const char *key, bool val);
void out_null(struct out *o, const char *key);
