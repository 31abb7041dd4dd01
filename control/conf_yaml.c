// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The YAML loader. libyaml events become a small node tree (no aliases, bounded depth, node count
// and input size), then a table-driven walk over that tree fills and validates struct dxtr_conf.
// The schema itself (section tables, their handlers and checks) lives in conf_schema.c; this file
// holds the input side, the walker and the generic value handlers.

#include "conf.h"
#include "conf_walk.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

// Messages ----------------------------------------------------------------------------------------

int
walk_fail(struct walk *w, struct conf_mark m, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int r;

	if (w->failed || w->errlen == 0) {
		w->failed = true;
		return -1;
	}
	w->failed = true;
	r = snprintf(w->err, w->errlen, "%s:%u:%u: ", w->name, m.line, m.col);
	if (r < 0 || (size_t)r >= w->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(w->err + r, w->errlen - r, fmt, ap);
	va_end(ap);
	n = strlen(w->err);
	if (n + 1 < w->errlen) {
		w->err[n] = '\n';
		w->err[n + 1] = '\0';
	}
	return -1;
}

struct shown
walk_show(const char *s, size_t len)
{
	struct shown out;
	size_t i, o = 0;

	for (i = 0; i < len && o < SHOWN_MAX; i++) {
		unsigned char ch = (unsigned char)s[i];
		out.s[o++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	if (i < len) {
		memcpy(out.s + o, "...", 3);
		o += 3;
	}
	out.s[o] = '\0';
	return out;
}

struct shown
walk_where(const struct walk *w)
{
	struct shown out = {.s = ""};
	if (w->plen > 0)
		snprintf(out.s, sizeof(out.s), " in '%s'", w->path);
	return out;
}

size_t
walk_push(struct walk *w, const char *fmt, ...)
{
	size_t old = w->plen;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(w->path + old, sizeof(w->path) - old, fmt, ap);
	va_end(ap);
	if (r < 0)
		r = 0;
	w->plen = old + (size_t)r;
	if (w->plen >= sizeof(w->path))
		w->plen = sizeof(w->path) - 1;
	return old;
}

void
walk_pop(struct walk *w, size_t old)
{
	w->plen = old;
	w->path[old] = '\0';
}

// The node tree -----------------------------------------------------------------------------------

struct tree {
	struct node *root;
	struct node *all; // every node, linked through node->all, for tree_free()
	unsigned n_nodes;
};

static struct conf_mark
ymark(yaml_mark_t m)
{
	return (struct conf_mark){.line = (unsigned)m.line + 1, .col = (unsigned)m.column + 1};
}

static struct node *
node_new(struct walk *w,
	 struct tree *t,
	 enum node_type type,
	 yaml_mark_t m,
	 const unsigned char *s,
	 size_t len)
{
	struct node *n;

	if (t->n_nodes >= CONF_NODES_MAX) {
		walk_fail(w, ymark(m), "too many YAML nodes (more than %u)", CONF_NODES_MAX);
		return NULL;
	}
	n = calloc(1, sizeof(*n) + len + 1);
	if (n == NULL) {
		walk_fail(w, ymark(m), "out of memory");
		return NULL;
	}
	n->type = type;
	n->mark = ymark(m);
	n->len = len;
	if (len > 0)
		memcpy(n->str, s, len);
	n->all = t->all;
	t->all = n;
	t->n_nodes++;
	return n;
}

static void
tree_free(struct tree *t)
{
	while (t->all != NULL) {
		struct node *n = t->all;
		t->all = n->all;
		free(n);
	}
	t->root = NULL;
}

static void
node_attach(struct tree *t, struct node *parent, struct node *n)
{
	if (parent == NULL) {
		t->root = n;
		return;
	}
	if (parent->last != NULL)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
	parent->n++;
}

// Line and column of a byte offset, for reader errors (libyaml gives only the offset). Line breaks
// are counted as libyaml does: LF, CRLF or a lone CR.
static struct conf_mark
offset_mark(const unsigned char *buf, size_t len, size_t off)
{
	struct conf_mark m = {.line = 1, .col = 1};

	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'))) {
			m.line++;
			m.col = 1;
		} else if ((buf[i] & 0xc0) != 0x80) {
			m.col++;
		}
	}
	return m;
}

static int
parser_fail(struct walk *w, const yaml_parser_t *p, const unsigned char *buf, size_t len)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	struct conf_mark m = ymark(p->problem_mark), end = offset_mark(buf, len, len);

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return walk_fail(w, ymark(p->mark), "out of memory");
	case YAML_READER_ERROR:
		m = offset_mark(buf, len, p->problem_offset);
		if (p->problem_value != -1)
			return walk_fail(w, m, "bad input: %s (0x%02x)", problem, p->problem_value);
		return walk_fail(w, m, "bad input: %s", problem);
	default:
		// At the end of the stream libyaml moves to a line after the last one: point at the
		// end of the input instead.
		if (p->problem_mark.line + 1 > end.line)
			m = end;
		if (p->context != NULL) {
			struct conf_mark cm = ymark(p->context_mark);
			return walk_fail(w,
					 m,
					 "syntax error: %s (%s at %u:%u)",
					 problem,
					 p->context,
					 cm.line,
					 cm.col);
		}
		return walk_fail(w, m, "syntax error: %s", problem);
	}
}

static int
no_tag(struct walk *w, const yaml_event_t *ev, const yaml_char_t *tag)
{
	if (tag == NULL)
		return 0;
	return walk_fail(w,
			 ymark(ev->start_mark),
			 "YAML tags are not supported ('%s')",
			 walk_show((const char *)tag, strlen((const char *)tag)).s);
}

// One event: builds the tree through stack[]/depth. Returns 1 at the end of the stream, 0 to go on,
// -1 on error.
static int
tree_event(struct walk *w,
	   struct tree *t,
	   const yaml_event_t *ev,
	   struct node **stack,
	   unsigned *depth,
	   unsigned *docs)
{
	struct node *parent = *depth > 0 ? stack[*depth - 1] : NULL;
	enum node_type type = NODE_MAP;
	struct node *n;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if ((*docs)++ > 0)
			return walk_fail(w,
					 ymark(ev->start_mark),
					 "only one YAML document is allowed");
		return 0;
	case YAML_ALIAS_EVENT:
		return walk_fail(w,
				 ymark(ev->start_mark),
				 "YAML aliases are not supported ('*%s')",
				 walk_show((const char *)ev->data.alias.anchor,
					   strlen((const char *)ev->data.alias.anchor))
					 .s);
	case YAML_SCALAR_EVENT:
		if (no_tag(w, ev, ev->data.scalar.tag) < 0)
			return -1;
		n = node_new(w,
			     t,
			     NODE_SCALAR,
			     ev->start_mark,
			     ev->data.scalar.value,
			     ev->data.scalar.length);
		if (n == NULL)
			return -1;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		node_attach(t, parent, n);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		type = NODE_SEQ;
		if (no_tag(w, ev, ev->data.sequence_start.tag) < 0)
			return -1;
		// fallthrough
	case YAML_MAPPING_START_EVENT:
		if (type == NODE_MAP && no_tag(w, ev, ev->data.mapping_start.tag) < 0)
			return -1;
		if (*depth >= CONF_DEPTH_MAX)
			return walk_fail(w,
					 ymark(ev->start_mark),
					 "nesting is deeper than %u levels",
					 CONF_DEPTH_MAX);
		n = node_new(w, t, type, ev->start_mark, NULL, 0);
		if (n == NULL)
			return -1;
		node_attach(t, parent, n);
		stack[(*depth)++] = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (*depth > 0)
			(*depth)--;
		return 0;
	default:
		return 0;
	}
}

static int
tree_build(struct walk *w, struct tree *t, const unsigned char *buf, size_t len)
{
	struct node *stack[CONF_DEPTH_MAX];
	unsigned depth = 0, docs = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return walk_fail(w, (struct conf_mark){1, 1}, "out of memory");
	yaml_parser_set_input_string(&parser, buf, len);
	while (r == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			r = parser_fail(w, &parser, buf, len);
			break;
		}
		r = tree_event(w, t, &ev, stack, &depth, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return r < 0 ? -1 : 0;
}

// The walker --------------------------------------------------------------------------------------

bool
node_is_null(const struct node *n)
{
	if (n->type != NODE_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0
		|| strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

bool
node_is(const struct node *n, const char *s)
{
	return n->type == NODE_SCALAR && n->len == strlen(s) && memcmp(n->str, s, n->len) == 0;
}

const struct node *
node_find(const struct node *map, const char *key)
{
	if (map->type != NODE_MAP)
		return NULL;
	for (const struct node *k = map->first; k != NULL && k->next != NULL; k = k->next->next) {
		if (node_is(k, key))
			return k->next;
	}
	return NULL;
}

const struct node *
node_at(const struct node *seq, unsigned i)
{
	const struct node *n;

	if (seq->type != NODE_SEQ)
		return NULL;
	for (n = seq->first; n != NULL && i > 0; i--)
		n = n->next;
	return n;
}

int
walk_map(struct walk *w, const struct node *map, const struct section *s, void *obj)
{
	uint64_t seen = 0;
	unsigned i;

	if (map->type != NODE_MAP && !node_is_null(map)) {
		if (w->plen == 0)
			return walk_fail(w,
					 map->mark,
					 "the top level must be a mapping (key: value)");
		return walk_fail(w, map->mark, "'%s' must be a mapping (key: value)", w->path);
	}
	for (const struct node *k = map->first; k != NULL && k->next != NULL; k = k->next->next) {
		const struct field *f = NULL;
		size_t old;
		int r;

		if (k->type != NODE_SCALAR)
			return walk_fail(w, k->mark, "keys must be strings%s", walk_where(w).s);
		for (i = 0; s->fields[i].key != NULL; i++) {
			if (node_is(k, s->fields[i].key)) {
				f = &s->fields[i];
				break;
			}
		}
		if (f == NULL)
			return walk_fail(w,
					 k->mark,
					 "unknown key '%s'%s",
					 walk_show(k->str, k->len).s,
					 walk_where(w).s);
		if (seen & (UINT64_C(1) << i))
			return walk_fail(w,
					 k->mark,
					 "duplicate key '%s'%s",
					 f->key,
					 walk_where(w).s);
		seen |= UINT64_C(1) << i;
		old = walk_push(w, w->plen > 0 ? ".%s" : "%s", f->key);
		r = f->parse(w, k->next, f, obj);
		walk_pop(w, old);
		if (r < 0)
			return -1;
	}
	for (i = 0; s->fields[i].key != NULL; i++) {
		if (s->fields[i].required && !(seen & (UINT64_C(1) << i)))
			return walk_fail(w,
					 map->mark,
					 "missing required key '%s'%s",
					 s->fields[i].key,
					 walk_where(w).s);
	}
	return s->check != NULL ? s->check(w, map, obj) : 0;
}

int
walk_list(struct walk *w,
	  const struct node *v,
	  unsigned min,
	  unsigned max,
	  int (*item)(struct walk *w, const struct node *n, unsigned i, void *ctx),
	  void *ctx)
{
	unsigned i = 0;

	if (v->type != NODE_SEQ)
		return walk_fail(w, v->mark, "'%s' must be a list", w->path);
	if (v->n < min || v->n > max) {
		if (min == 0)
			return walk_fail(w,
					 v->mark,
					 "'%s' must have at most %u entries",
					 w->path,
					 max);
		return walk_fail(w, v->mark, "'%s' must have %u to %u entries", w->path, min, max);
	}
	for (const struct node *n = v->first; n != NULL; n = n->next, i++) {
		size_t old = walk_push(w, "[%u]", i);
		int r = item(w, n, i, ctx);
		walk_pop(w, old);
		if (r < 0)
			return -1;
	}
	return 0;
}

// Generic values ----------------------------------------------------------------------------------

// A plain scalar: an optional '-' and decimal digits, no leading zero (YAML 1.1 would read 0600
// as octal). Values beyond long long saturate, so they fail the range check, not the syntax one.
static bool
parse_decimal(const struct node *v, long long *out)
{
	const char *s = v->str;
	bool neg = false;
	long long x = 0;

	if (v->type != NODE_SCALAR || !v->plain || v->len != strlen(v->str))
		return false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (x > (LLONG_MAX - 9) / 10)
			x = LLONG_MAX / 2; // saturated: far beyond any range we accept
		else
			x = x * 10 + (*s - '0');
	}
	*out = neg ? -x : x;
	return true;
}

int
get_int(struct walk *w, const struct node *v, long long min, long long max, long long *out)
{
	if (!parse_decimal(v, out))
		return walk_fail(w, v->mark, "'%s' must be an integer", w->path);
	if (*out < min || *out > max)
		return walk_fail(w,
				 v->mark,
				 "'%s' must be between %lld and %lld",
				 w->path,
				 min,
				 max);
	return 0;
}

static bool
char_ok(char ch, const char *extra)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return ch != '\0' && strchr(extra, ch) != NULL;
}

int
get_str(struct walk *w, const struct node *v, size_t size, const char *chars)
{
	if (v->type != NODE_SCALAR || v->len == 0 || node_is_null(v))
		return walk_fail(w, v->mark, "'%s' must be a non-empty string", w->path);
	if (v->len >= size)
		return walk_fail(w,
				 v->mark,
				 "'%s' is too long (at most %zu characters)",
				 w->path,
				 size - 1);
	for (size_t i = 0; i < v->len; i++) {
		unsigned char ch = (unsigned char)v->str[i];
		if (chars != NULL && !char_ok((char)ch, chars))
			return walk_fail(w,
					 v->mark,
					 "'%s' may only contain letters, digits and '%s'",
					 w->path,
					 chars);
		if (ch < 0x20 || ch == 0x7f)
			return walk_fail(w,
					 v->mark,
					 "'%s' must not contain control characters",
					 w->path);
	}
	return 0;
}

int
h_section(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	return walk_map(w, v, f->sub, field_ptr(f, obj));
}

static void
store_uint(const struct field *f, void *obj, unsigned long long x)
{
	void *p = field_ptr(f, obj);

	switch (f->size) {
	case sizeof(uint8_t):
		*(uint8_t *)p = (uint8_t)x;
		break;
	case sizeof(uint16_t):
		*(uint16_t *)p = (uint16_t)x;
		break;
	case sizeof(uint32_t):
		*(uint32_t *)p = (uint32_t)x;
		break;
	default:
		*(uint64_t *)p = (uint64_t)x;
		break;
	}
}

int
h_uint(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	long long x = 0;

	if (get_int(w, v, f->min, f->max, &x) < 0)
		return -1;
	store_uint(f, obj, (unsigned long long)x);
	return 0;
}

int
h_pow2(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	long long x = 0;

	if (get_int(w, v, f->min, f->max, &x) < 0)
		return -1;
	if (x <= 0 || (x & (x - 1)) != 0)
		return walk_fail(w, v->mark, "'%s' must be a power of two", w->path);
	store_uint(f, obj, (unsigned long long)x);
	return 0;
}

// Booleans: true/false, and yes/no as YAML 1.1 spells them; plain (unquoted) and lower case only.
int
h_bool(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	bool *p = field_ptr(f, obj);

	if (v->plain && (node_is(v, "true") || node_is(v, "yes")))
		*p = true;
	else if (v->plain && (node_is(v, "false") || node_is(v, "no")))
		*p = false;
	else
		return walk_fail(w, v->mark, "'%s' must be true or false", w->path);
	return 0;
}

int
h_str(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	if (get_str(w, v, f->size, f->chars) < 0)
		return -1;
	memcpy(field_ptr(f, obj), v->str, v->len + 1);
	return 0;
}

// One of a few words (quoted or not); the index of the word is stored.
int
h_enum(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	char list[256] = "";
	size_t n = 0;
	unsigned i;

	for (i = 0; f->names[i] != NULL; i++) {
		if (node_is(v, f->names[i])) {
			store_uint(f, obj, i);
			return 0;
		}
	}
	for (i = 0; f->names[i] != NULL && n < sizeof(list); i++) {
		int r = snprintf(list + n,
				 sizeof(list) - n,
				 "%s%s",
				 i > 0 ? ", " : "",
				 f->names[i]);
		if (r < 0)
			break;
		n += (size_t)r;
	}
	return walk_fail(w, v->mark, "'%s' must be one of: %s", w->path, list);
}

// Loading -----------------------------------------------------------------------------------------

int
conf_load_buffer(struct dxtr_conf *c,
		 const char *name,
		 const void *buf,
		 size_t len,
		 char *err,
		 size_t errlen)
{
	struct walk w = {
		.conf = c,
		.name = name != NULL ? name : "<buffer>",
		.err = err,
		.errlen = err != NULL ? errlen : 0,
	};
	static const struct node empty = {.type = NODE_SCALAR, .mark = {1, 1}, .plain = true};
	struct tree t = {0};

	if (w.errlen > 0)
		err[0] = '\0';
	conf_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", w.name);

	if (len > CONF_FILE_MAX)
		walk_fail(&w, empty.mark, "input is larger than %u bytes", CONF_FILE_MAX);
	else if (buf == NULL && len > 0)
		walk_fail(&w, empty.mark, "no input");
	else if (tree_build(&w, &t, buf != NULL ? buf : "", len) == 0)
		walk_map(&w, t.root != NULL ? t.root : &empty, &conf_root_section, c);
	tree_free(&t);

	if (w.failed) {
		conf_defaults(c);
		snprintf(c->path, sizeof(c->path), "%s", w.name);
		return -1;
	}
	return 0;
}

int
conf_load_file(struct dxtr_conf *c, const char *path, char *err, size_t errlen)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = NULL, *nbuf;
	FILE *f;
	int r;

	f = fopen(path, "rb");
	if (f == NULL)
		goto ioerr;
	for (;;) {
		nbuf = realloc(buf, cap);
		if (nbuf == NULL) {
			errno = ENOMEM;
			goto ioerr;
		}
		buf = nbuf;
		len += fread(buf + len, 1, cap - len, f);
		if (ferror(f))
			goto ioerr;
		if (len < cap || len > CONF_FILE_MAX)
			break;
		cap = cap * 2 > CONF_FILE_MAX ? CONF_FILE_MAX + 1 : cap * 2;
	}
	fclose(f);
	// One byte past CONF_FILE_MAX is enough for conf_load_buffer() to report the size.
	r = conf_load_buffer(c, path, buf, len, err, errlen);
	free(buf);
	return r;

ioerr:
	r = errno;
	if (f != NULL)
		fclose(f);
	free(buf);
	conf_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: cannot read: %s\n", path, strerror(r));
	return -1;
}

// Shared by the sections ---------------------------------------------------------------------

const char *
conf_af_name(int af)
{
	return af == AF_INET ? "IPv4" : "IPv6";
}

const struct conf_port *
conf_port_of(const struct dxtr_conf *c, const struct ip_addr *a)
{
	for (unsigned i = 0; i < c->n_ports; i++) {
		for (unsigned j = 0; j < c->ports[i].n_addrs; j++) {
			if (same_addr(&c->ports[i].addrs[j].addr, a))
				return &c->ports[i];
		}
	}
	return NULL;
}

int
walk_get_addr(struct walk *w, const struct node *v, struct ip_addr *a)
{
	struct ip_prefix p;

	if (v->type != NODE_SCALAR || node_is_null(v) || v->len != strlen(v->str))
		return walk_fail(w, v->mark, "'%s' must be an IPv4 or IPv6 address", w->path);
	if (conf_parse_addr(v->str, a) == 0)
		return 0;
	if (conf_parse_prefix(v->str, &p) == 0)
		return walk_fail(w,
				 v->mark,
				 "'%s': '%s' must be an address without a prefix length",
				 w->path,
				 v->str);
	return walk_fail(w,
			 v->mark,
			 "'%s': bad IPv4/IPv6 address '%s'",
			 w->path,
			 walk_show(v->str, v->len).s);
}

int
walk_get_unicast(struct walk *w, const struct node *v, struct ip_addr *a)
{
	struct ip_prefix host;
	const char *why;

	if (walk_get_addr(w, v, a) < 0)
		return -1;
	host = (struct ip_prefix){.addr = *a, .len = a->af == AF_INET ? 32 : 128};
	if ((why = host_problem(&host)) != NULL)
		return walk_fail(w, v->mark, "'%s': '%s' %s", w->path, v->str, why);
	return 0;
}
