// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Private to the configuration loader (conf_yaml.c, conf_schema.c, conf_lisp.c): the node tree
// built from the YAML events and the table-driven schema walker. A section is a table of keys,
// each with a handler; adding a section means a table, a few handlers and one line in its parent
// table.

#pragma once

#include "conf.h"

#include <stdbool.h>
#include <stddef.h>

enum node_type {
	NODE_SCALAR,
	NODE_MAP,
	NODE_SEQ,
};

struct node {
	enum node_type type;
	struct conf_mark mark;
	bool plain; // plain (unquoted) scalar: only these are integers, booleans or null
	unsigned n; // children: list items, or 2 per mapping pair (key, value, key, value, ...)
	struct node *first, *last, *next; // children in document order, and the next sibling
	struct node *all; // every node of the tree, for freeing
	size_t len; // scalar length (a "\0" escape can put NUL bytes inside)
	char str[]; // scalar text, NUL-terminated
};

// The state of one load: where messages go and the key path of the node being walked.
struct walk {
	struct dxtr_conf *conf;
	const char *name; // FILE in messages
	char *err;
	size_t errlen;
	bool failed; // only the first error is written
	char path[256]; // "ports[1].addresses[0]"; empty at the top level
	size_t plen;
};

struct field;

// (w, v, f, obj): parses v, the value of key f, into obj (the object of the section holding f).
// Returns 0 or -1.
typedef int (*field_parse_t)(struct walk *, const struct node *, const struct field *, void *);

struct section {
	const struct field *fields; // ends with an entry whose key is NULL; at most 64 keys
	// Cross-key checks, run once all keys of the mapping are parsed (may be NULL).
	int (*check)(struct walk *w, const struct node *map, void *obj);
};

struct field {
	const char *key;
	field_parse_t parse;
	size_t off; // of the target in obj
	size_t size; // of the target: integer width, or string buffer size
	long long min, max; // integer range
	const char *chars; // strings: allowed characters besides letters and digits (NULL: any)
	const struct section *sub; // h_section: the nested mapping's table
	const char *const *names; // h_enum: the accepted words, NULL-terminated; stores the index
	bool required;
};

#define FIELD_SIZE(type, member) sizeof(((type *)0)->member)
#define F_SECTION(type, member, name, section)                                                     \
	{                                                                                          \
		.key = name, .parse = h_section, .off = offsetof(type, member), .sub = section     \
	}
#define F_UINT(type, member, name, lo, hi)                                                         \
	{                                                                                          \
		.key = name, .parse = h_uint, .off = offsetof(type, member),                       \
		.size = FIELD_SIZE(type, member), .min = lo, .max = hi                             \
	}
#define F_POW2(type, member, name, lo, hi)                                                         \
	{                                                                                          \
		.key = name, .parse = h_pow2, .off = offsetof(type, member),                       \
		.size = FIELD_SIZE(type, member), .min = lo, .max = hi                             \
	}
#define F_BOOL(type, member, name)                                                                 \
	{                                                                                          \
		.key = name, .parse = h_bool, .off = offsetof(type, member)                        \
	}
#define F_ENUM(type, member, name, words)                                                          \
	{                                                                                          \
		.key = name, .parse = h_enum, .off = offsetof(type, member),                       \
		.size = FIELD_SIZE(type, member), .names = words                                   \
	}
#define F_STR(type, member, name, extra_chars)                                                     \
	{                                                                                          \
		.key = name, .parse = h_str, .off = offsetof(type, member),                        \
		.size = FIELD_SIZE(type, member), .chars = extra_chars                             \
	}

// The top-level table (conf_schema.c).
extern const struct section conf_root_section;

// The LISP sections (conf_lisp.c): the lisp mapping, the routes, database and map-cache lists,
// and the checks across sections, run on the top-level mapping once every section is parsed.
extern const struct section conf_lisp_section;
int h_routes(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_database(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_map_cache(struct walk *w, const struct node *v, const struct field *f, void *obj);
int conf_lisp_check(struct walk *w, const struct node *root, void *obj);

// The mapping-system section (conf_mapsys.c): its defaults, its table, and its checks against the
// ports and the database, run on the top-level mapping once every section is parsed.
void conf_mapsys_defaults(struct conf_mapsys *m);
extern const struct section conf_mapsys_section;
int conf_mapsys_check(struct walk *w, const struct node *root, void *obj);

// Why p (an address and its subnet length) is not a usable host address, or NULL (conf_schema.c).
const char *host_problem(const struct ip_prefix *p);
bool same_addr(const struct ip_addr *a, const struct ip_addr *b);

// Writes "FILE:LINE:COL: message\n" for the first error; returns -1.
int walk_fail(struct walk *w, struct conf_mark m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

// Text safe to quote in a message: control characters replaced, long text cut with "...".
#define SHOWN_MAX 64 // characters of a scalar quoted in a message
struct shown {
	char s[272]; // also holds walk_where(): " in '" + path + "'"
};
struct shown walk_show(const char *s, size_t len);
// " in 'PATH'", or "" at the top level.
struct shown walk_where(const struct walk *w);

// Appends to w->path; returns the length to restore with walk_pop().
size_t walk_push(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void walk_pop(struct walk *w, size_t old);

// Walks a mapping against a section table: unknown, duplicate and missing required keys, then
// s->check. A null value counts as an empty mapping.
int walk_map(struct walk *w, const struct node *map, const struct section *s, void *obj);
// Checks v is a list of min..max entries and calls item() on each with the path set to "[i]".
int walk_list(struct walk *w,
	      const struct node *v,
	      unsigned min,
	      unsigned max,
	      int (*item)(struct walk *w, const struct node *n, unsigned i, void *ctx),
	      void *ctx);

bool node_is_null(const struct node *n);
// A scalar equal to s.
bool node_is(const struct node *n, const char *s);
// The value of key in map, or NULL.
const struct node *node_find(const struct node *map, const char *key);
// Item i of a list, or NULL.
const struct node *node_at(const struct node *seq, unsigned i);

// A decimal integer in min..max.
int get_int(struct walk *w, const struct node *v, long long min, long long max, long long *out);
// A non-empty string shorter than size, without control characters; with chars, made only of
// letters, digits and those characters. The text is v->str.
int get_str(struct walk *w, const struct node *v, size_t size, const char *chars);

// Generic handlers for the F_* table entries.
int h_section(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_uint(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_pow2(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_bool(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_str(struct walk *w, const struct node *v, const struct field *f, void *obj);
int h_enum(struct walk *w, const struct node *v, const struct field *f, void *obj);

// Shared by the sections.
const char *conf_af_name(int af); // "IPv4" or "IPv6"
// An address without a prefix length, or the failure reported.
int walk_get_addr(struct walk *w, const struct node *v, struct ip_addr *a);
// A unicast address: not unspecified, loopback, multicast or the IPv4 broadcast address.
int walk_get_unicast(struct walk *w, const struct node *v, struct ip_addr *a);

// Where a field's value goes in obj.
static inline void *
field_ptr(const struct field *f, void *obj)
{
	return (char *)obj + f->off;
}
