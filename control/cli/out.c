// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "out.h"

void
out_begin(struct out *o, struct cmdline *cl, bool json)
{
	*o = (struct out){.cl = cl, .json = json};
	o->first[0] = true;
}

// JSON: the top-level brace goes out with the first member, so a command that fails before
// printing anything leaves only its error text.
static void
open_top(struct out *o)
{
	if (o->json && !o->opened)
		cmdline_printf(o->cl, "{");
	o->opened = true;
}

void
out_end(struct out *o)
{
	while (o->depth > 0)
		out_close(o);
	open_top(o);
	if (o->json)
		cmdline_printf(o->cl, "}\n");
}

static void
json_string(struct out *o, const char *s)
{
	char buf[512];
	unsigned n = 0;

	cmdline_printf(o->cl, "\"");
	for (; *s != '\0'; s++) {
		unsigned char c = *s;
		if (n > sizeof(buf) - 8) {
			buf[n] = '\0';
			cmdline_printf(o->cl, "%s", buf);
			n = 0;
		}
		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = c;
		} else if (c < 0x20) {
			n += snprintf(buf + n, sizeof(buf) - n, "\\u%04x", c);
		} else {
			buf[n++] = c;
		}
	}
	buf[n] = '\0';
	cmdline_printf(o->cl, "%s\"", buf);
}

// Starts a member: separator and key in JSON, indentation and key in text.
static void
member(struct out *o, const char *key, bool scalar)
{
	bool in_list = o->list[o->depth];

	open_top(o);
	if (o->json) {
		if (!o->first[o->depth])
			cmdline_printf(o->cl, ",");
		if (!in_list) {
			json_string(o, key);
			cmdline_printf(o->cl, ":");
		}
	} else {
		unsigned indent = o->depth * 2;
		if (in_list) {
			cmdline_printf(o->cl, "%*s- ", indent - 2, "");
		} else if (o->dash) {
			cmdline_printf(o->cl, "%*s- %s:", indent - 2, "", key);
		} else {
			cmdline_printf(o->cl, "%*s%s:", indent, "", key);
		}
		o->dash = false;
		if (scalar && !in_list)
			cmdline_printf(o->cl, " ");
	}
	o->first[o->depth] = false;
}

static void
open(struct out *o, const char *key, bool list)
{
	bool in_list = o->list[o->depth];

	if (o->depth + 1 >= OUT_MAX_DEPTH)
		return;
	if (o->json) {
		member(o, key, false);
		cmdline_printf(o->cl, list ? "[" : "{");
	} else if (in_list && !list) {
		// An object as a list item: its first key carries the dash.
		o->first[o->depth] = false;
		o->dash = true;
	} else {
		member(o, key, false);
		cmdline_printf(o->cl, "\n");
	}
	o->depth++;
	o->first[o->depth] = true;
	o->list[o->depth] = list;
}

void
out_obj(struct out *o, const char *key)
{
	open(o, key, false);
}

void
out_list(struct out *o, const char *key)
{
	open(o, key, true);
}

void
out_close(struct out *o)
{
	if (o->depth == 0)
		return;
	if (o->json)
		cmdline_printf(o->cl, o->list[o->depth] ? "]" : "}");
	else if (o->list[o->depth] && o->first[o->depth])
		cmdline_printf(o->cl, "%*s[]\n", o->depth * 2, ""); // an empty list
	o->dash = false;
	o->depth--;
}

void
out_str(struct out *o, const char *key, const char *val)
{
	member(o, key, true);
	if (o->json)
		json_string(o, val);
	else
		cmdline_printf(o->cl, "%s", val);
	if (!o->json)
		cmdline_printf(o->cl, "\n");
}

void
out_fmt(struct out *o, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out_str(o, key, buf);
}

static void
raw(struct out *o, const char *key, const char *text)
{
	member(o, key, true);
	cmdline_printf(o->cl, o->json ? "%s" : "%s\n", text);
}

void
out_u64(struct out *o, const char *key, uint64_t val)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	raw(o, key, buf);
}

void
out_int(struct out *o, const char *key, int64_t val)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, val);
	raw(o, key, buf);
}

void
out_bool(struct out *o, const char *key, bool val)
{
	raw(o, key, val ? "true" : "false");
}

void
out_null(struct out *o, const char *key)
{
	raw(o, key, o->json ? "null" : "-");
}
