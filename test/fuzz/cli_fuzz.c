// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// libFuzzer target for the shell (control/cli): each line of the input (at most MAX_LINES) runs
// through cli_exec on one cmdline writing to a memory file, as the control socket does, with the
// real command groups that can run without EAL linked in:
//   cli_args.c       the argument parsers shared by the commands below
//   cmd_map_cache.c  map-cache add/del, show map-cache [iid N] [PREFIX] [json], show pending
//   cmd_database.c   database add/del, show database
//   cmd_config.c     show config
//   cmd_log.c        set log level TYPE LEVEL, show log (with the real log.c on rte_log)
//   cmd_system.c     help, quit, show version/lcores
//   cmd_stats.c      show stats/drops, clear stats (the real dp_stats.c on a zeroed data plane)
//   cmd_ports.c      show ports
//   cmd_underlay.c   show routes (the real route.c), show neighbors
// The layer under the commands is replaced by the stubs below: mapping_add/mapping_del keep a
// small map-cache of real struct mc_entry (templates from the real mc_entry.c) that mc_walk
// shows, mapping_db_set/mapping_db_del edit the configuration's database as the real ones do,
// so adds, replaces, deletes and shows run end to end; ports, neighbors, pending destinations
// and workers are fixed views. cmd_mapsys.c (mapping system state) is left out.
// Oracles: cli_exec returns 0 or -1, and -1 comes with an "error: " line; what reaches the API
// obeys the rules the configuration file has for the same entries (conf/dxtr.example.yaml):
// canonical prefixes, ranges, 1 to 8 distinct locators, remote locators unicast and not ours,
// local ones on rloc ports of an instance with an eid port; `map-cache add` says what it added;
// every `show ... json` that succeeds prints exactly one valid JSON object and a newline. The
// log levels, the map-cache and the database are reset after each input.

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_log.h>

#include "cli.h"
#include "conf.h"
#include "conf_walk.h"
#include "ctl_proto.h"
#include "dp.h"
#include "dp_priv.h"
#include "dp_stats.h"
#include "dxtr.h"
#include "map_cache.h"
#include "mapping.h"
#include "neighbor.h"
#include "pending.h"
#include "route.h"

#define MAX_LINES 32
#define MAX_ENTRIES 64
#define MAX_LOG_TYPES 1024
#define OUT_MAX (1 << 20)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// What the commands read: the running configuration, the data plane's counters.
struct dxtr_state dxtr;
struct dp_state dp;

static const char conf_yaml[] =
	"eal: {worker-lcores: [1, 2]}\n"
	"ports:\n"
	"  - {name: eid0, device: net_null0, role: eid, iid: 7,\n"
	"     addresses: [10.1.0.254/24, \"2001:db8:a::fe/64\"]}\n"
	"  - {name: rloc0, device: net_null1, role: rloc,\n"
	"     addresses: [192.0.2.1/24, \"2001:db8:1::1/64\"]}\n"
	"routes: [{prefix: 0.0.0.0/0, via: 192.0.2.254}]\n"
	"database:\n"
	"  - {iid: 7, prefix: 10.1.0.0/24, locators: [{address: 192.0.2.1}]}\n"
	"  - {iid: 7, prefix: \"2001:db8:a::/48\",\n"
	"     locators: [{address: 192.0.2.1, weight: 0}, {address: \"2001:db8:1::1\"}]}\n"
	"mapping-system: {map-resolvers: [192.0.2.10]}\n";

// Stubbed control layer --------------------------------------------------------------------

static struct mc_entry *entries[MAX_ENTRIES];
static unsigned n_entries;
static struct mc *const fake_mc = (struct mc *)&entries;
static bool quit_called;

static void
to_mc_prefix(const struct ip_prefix *p, struct mc_prefix *m)
{
	memset(m, 0, sizeof(*m));
	m->af = (uint8_t)p->addr.af;
	m->len = p->len;
	memcpy(m->addr, p->addr.bytes, p->addr.af == AF_INET ? 4 : 16);
}

static struct mc_entry *
entry_new(uint32_t iid, const struct mc_prefix *p, enum mc_action action,
	  const struct conf_locator *loc, unsigned n_loc, uint32_t slot)
{
	static const uint8_t src4[4] = {192, 0, 2, 1};
	static const uint8_t src6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1};
	size_t size = sizeof(struct mc_entry) + n_loc * sizeof(struct mc_locator);
	struct mc_entry *e = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(size, 64));

	CHECK(e != NULL);
	memset(e, 0, size);
	e->magic = MC_ENTRY_MAGIC;
	e->action = (uint8_t)action;
	e->spec_action = (uint8_t)action;
	e->n_locators = (uint8_t)n_loc;
	e->slot = slot;
	e->gen = 1;
	e->iid = iid;
	e->size = (uint32_t)size;
	e->prefix = *p;
	for (unsigned i = 0; i < n_loc; i++) {
		const struct conf_locator *l = &loc[i];
		bool v4 = l->addr.af == AF_INET;
		CHECK(mc_template_build(&e->loc[i].tmpl,
					(uint8_t)l->addr.af,
					v4 ? src4 : src6,
					l->addr.bytes,
					iid,
					MC_TMPL_NONCE,
					0) == 0);
		e->loc[i].usable = i % 2 == 0;
		e->loc[i].priority = l->priority;
		e->loc[i].weight = l->weight;
		e->n_usable += e->loc[i].usable;
	}
	return e;
}

static bool
same_prefix(const struct mc_entry *e, uint32_t iid, const struct mc_prefix *p)
{
	return e->iid == iid && e->prefix.af == p->af && e->prefix.len == p->len
		&& memcmp(e->prefix.addr, p->addr, 16) == 0;
}

static bool
is_ours(const struct ip_addr *a, enum conf_port_role role)
{
	const struct dxtr_conf *c = &dxtr.conf;

	for (unsigned p = 0; p < c->n_ports; p++)
		for (unsigned i = 0; i < c->ports[p].n_addrs; i++)
			if (c->ports[p].role == role && same_addr(&c->ports[p].addrs[i].addr, a))
				return true;
	return false;
}

// The rules of the configuration file for the locators of a map-cache (remote) or database
// (local) entry.
static void
check_locators(const struct conf_locator *loc, unsigned n, bool local)
{
	CHECK(n >= 1 && n <= CONF_MAX_LOCATORS && loc != NULL);
	for (unsigned i = 0; i < n; i++) {
		const struct ip_addr *a = &loc[i].addr;
		struct ip_prefix host = {.addr = *a, .len = a->af == AF_INET ? 32 : 128};

		CHECK(a->af == AF_INET || a->af == AF_INET6);
		CHECK(loc[i].weight <= 100);
		if (local) {
			CHECK(is_ours(a, CONF_ROLE_RLOC));
		} else {
			CHECK(host_problem(&host) == NULL);
			CHECK(!is_ours(a, CONF_ROLE_RLOC) && !is_ours(a, CONF_ROLE_EID));
		}
		for (unsigned j = 0; j < i; j++)
			CHECK(!same_addr(&loc[j].addr, a));
	}
}

static void
check_target(uint32_t iid, const struct ip_prefix *p)
{
	CHECK(iid <= CONF_IID_MAX);
	CHECK(p->addr.af == AF_INET || p->addr.af == AF_INET6);
	CHECK(p->len <= (p->addr.af == AF_INET ? 32 : 128));
	CHECK(conf_prefix_is_canonical(p));
}

int
mapping_add(const struct mapping_spec *s, char *err, size_t errlen)
{
	struct mc_prefix p;
	struct mc_entry *e;
	unsigned i;

	// What the shell promises the API.
	check_target(s->iid, &s->prefix);
	CHECK(s->origin == MAPPING_STATIC && s->ttl_s == 0 && s->down == 0);
	if (s->action == CONF_ACT_ENCAP)
		check_locators(s->loc, s->n_loc, false);
	else
		CHECK(s->action <= CONF_ACT_DROP && s->n_loc == 0);
	to_mc_prefix(&s->prefix, &p);
	for (i = 0; i < n_entries; i++)
		if (same_prefix(entries[i], s->iid, &p))
			break;
	if (i == MAX_ENTRIES) {
		snprintf(err, errlen, "map-cache full (%u entries)", MAX_ENTRIES);
		return -ENOSPC;
	}
	e = entry_new(s->iid,
		      &p,
		      s->action == CONF_ACT_ENCAP ? MC_ACT_ENCAP : (enum mc_action)s->action,
		      s->loc,
		      s->n_loc,
		      i);
	if (i < n_entries) {
		e->gen = entries[i]->gen + 1;
		free(entries[i]);
	} else {
		n_entries++;
	}
	entries[i] = e;
	return 0;
}

int
mapping_del(uint32_t iid, const struct ip_prefix *prefix)
{
	struct mc_prefix p;

	CHECK(iid <= CONF_IID_MAX && conf_prefix_is_canonical(prefix));
	to_mc_prefix(prefix, &p);
	for (unsigned i = 0; i < n_entries; i++) {
		if (!same_prefix(entries[i], iid, &p))
			continue;
		free(entries[i]);
		entries[i] = entries[--n_entries];
		entries[n_entries] = NULL;
		if (i < n_entries)
			entries[i]->slot = i;
		return 0;
	}
	return -ENOENT;
}

static unsigned base_n_database; // the configuration's database, restored after each input
static struct conf_mapping base_database[4];

static int
find_db(uint32_t iid, const struct ip_prefix *p)
{
	for (unsigned i = 0; i < dxtr.conf.n_database; i++) {
		const struct conf_mapping *m = &dxtr.conf.database[i];
		if (m->iid == iid && m->prefix.len == p->len
		    && same_addr(&m->prefix.addr, &p->addr))
			return (int)i;
	}
	return -1;
}

int
mapping_db_set(struct dxtr_conf *c, const struct conf_mapping *m, char *err, size_t errlen)
{
	int i = find_db(m->iid, &m->prefix);
	bool eid = false;

	CHECK(c == &dxtr.conf);
	check_target(m->iid, &m->prefix);
	CHECK(m->action == CONF_ACT_ENCAP);
	check_locators(m->loc, m->n_loc, true);
	for (unsigned p = 0; p < c->n_ports; p++)
		eid |= c->ports[p].role == CONF_ROLE_EID && c->ports[p].iid == m->iid;
	CHECK(eid);
	if (i < 0 && c->n_database >= CONF_MAX_DATABASE) {
		snprintf(err, errlen, "the database is full (%u prefixes)", CONF_MAX_DATABASE);
		return -ENOSPC;
	}
	c->database[i < 0 ? (int)c->n_database++ : i] = *m;
	return 0;
}

int
mapping_db_del(struct dxtr_conf *c, uint32_t iid, const struct ip_prefix *prefix)
{
	int i = find_db(iid, prefix);

	CHECK(c == &dxtr.conf);
	check_target(iid, prefix);
	if (i < 0)
		return -ENOENT;
	memmove(&c->database[i], &c->database[i + 1],
		sizeof(c->database[0]) * (c->n_database - (unsigned)i - 1));
	c->n_database--;
	return 0;
}

const char *
mapping_origin_name(enum mapping_origin o)
{
	return o == MAPPING_STATIC ? "static" : "?";
}

enum mapping_origin
mapping_origin_of(uint32_t slot)
{
	(void)slot;
	return MAPPING_STATIC;
}

struct mc *
mapping_mc(void)
{
	return fake_mc;
}

int
mc_walk(const struct mc *mc, mc_walk_cb cb, void *arg)
{
	struct mc_counters ctr = {.packets = 3, .bytes = 300};
	int ret;

	CHECK(mc == fake_mc);
	for (unsigned i = 0; i < n_entries; i++) {
		CHECK(entries[i]->magic == MC_ENTRY_MAGIC);
		if ((ret = cb(entries[i], &ctr, arg)) != 0)
			return ret;
	}
	return 0;
}

void
pending_foreach(void (*cb)(const struct pending_view *v, void *arg), void *arg)
{
	struct pending_view v = {.iid = 7, .held = 2, .age_ms = 1500, .packets = 9};

	conf_parse_addr("198.51.100.7", &v.dst);
	cb(&v, arg);
}

void
pending_counters(struct pending_counters *c)
{
	*c = (struct pending_counters){.misses = 1, .held = 2};
}

void
dxtr_quit(void)
{
	quit_called = true;
}

unsigned
dp_worker_count(void)
{
	return dxtr.conf.eal.n_workers;
}

int
dp_worker_info(unsigned idx, struct dp_worker_info *info)
{
	if (idx >= dxtr.conf.eal.n_workers)
		return -ENOENT;
	*info = (struct dp_worker_info){
		.lcore = dxtr.conf.eal.worker_lcores[idx],
		.running = true,
		.loops = 100,
		.busy_loops = 10,
		.rx_packets = 42,
	};
	return 0;
}

unsigned
dp_port_count(void)
{
	return dxtr.conf.n_ports;
}

int
dp_port_info(unsigned idx, struct dp_port_info *info)
{
	const struct conf_port *p;

	if (idx >= dxtr.conf.n_ports)
		return -ENOENT;
	p = &dxtr.conf.ports[idx];
	*info = (struct dp_port_info){
		.port_id = (uint16_t)idx,
		.role = p->role == CONF_ROLE_EID ? DP_ROLE_EID : DP_ROLE_RLOC,
		.iid = p->iid,
		.mtu = p->mtu,
		.n_rxq = 2,
		.n_txq = 3,
		.ctl_txq = 2,
		.ctl_txq_own = idx == 0,
		.mac = {{0x02, 0, 0, 0, 0, (uint8_t)idx}},
		.link_up = true,
		.link_speed = 10000,
	};
	snprintf(info->name, sizeof(info->name), "%s", p->name);
	snprintf(info->device, sizeof(info->device), "%s", p->device);
	snprintf(info->driver, sizeof(info->driver), "net_null");
	return 0;
}

int
dp_port_counters_raw(unsigned idx, struct dp_port_counters *cnt)
{
	if (idx >= dxtr.conf.n_ports)
		return -ENOENT;
	*cnt = (struct dp_port_counters){.rx_packets = 5, .rx_bytes = 500, .tx_packets = 4};
	return 0;
}

int
dp_port_counters(unsigned idx, struct dp_port_counters *cnt)
{
	return dp_port_counters_raw(idx, cnt);
}

void
neigh_foreach(void (*cb)(const struct neigh_view *v, void *arg), void *arg)
{
	struct neigh_view v = {.nh = 1, .port = 1, .state = NEIGH_REACHABLE,
			       .mac = {2, 0, 0, 0, 0, 9}, .age_ms = 20};

	conf_parse_addr("192.0.2.254", &v.addr);
	cb(&v, arg);
	v = (struct neigh_view){.nh = 2, .port = 0, .state = NEIGH_INCOMPLETE, .held = 1};
	conf_parse_addr("2001:db8:a::1", &v.addr);
	cb(&v, arg);
}

void
neigh_counters(struct neigh_counters *c)
{
	*c = (struct neigh_counters){.requests = 2, .replies = 1};
}

const char *
neigh_state_name(enum neigh_state s)
{
	return s == NEIGH_REACHABLE ? "reachable" : s == NEIGH_INCOMPLETE ? "incomplete" : "failed";
}

// JSON checker ------------------------------------------------------------------------------

static const char *json_value(const char *s, unsigned depth);

static const char *
json_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *
json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*s++;
		if (c == '"')
			return s;
		if (c < 0x20)
			return NULL; // also the end of the text
		if (c != '\\')
			continue;
		c = (unsigned char)*s++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++, s++)
				if (strchr("0123456789abcdefABCDEF", *s) == NULL || *s == '\0')
					return NULL;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0') {
			return NULL;
		}
	}
}

static const char *
json_number(const char *s)
{
	const char *start;

	if (*s == '-')
		s++;
	if (*s == '0') {
		s++;
	} else {
		start = s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == start || *start == '0')
			return NULL;
	}
	if (*s == '.') {
		start = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == start)
			return NULL;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		start = s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == start)
			return NULL;
	}
	return s;
}

static const char *
json_container(const char *s, unsigned depth, bool object)
{
	const char close = object ? '}' : ']';

	s = json_ws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (object) {
			if ((s = json_string(s)) == NULL)
				return NULL;
			s = json_ws(s);
			if (*s++ != ':')
				return NULL;
		}
		if ((s = json_value(json_ws(s), depth + 1)) == NULL)
			return NULL;
		s = json_ws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
		s = json_ws(s);
	}
}

static const char *
json_value(const char *s, unsigned depth)
{
	if (depth > 64)
		return NULL;
	switch (*s) {
	case '{':
		return json_container(s, depth, true);
	case '[':
		return json_container(s, depth, false);
	case '"':
		return json_string(s);
	case 't':
		return strncmp(s, "true", 4) == 0 ? s + 4 : NULL;
	case 'f':
		return strncmp(s, "false", 5) == 0 ? s + 5 : NULL;
	case 'n':
		return strncmp(s, "null", 4) == 0 ? s + 4 : NULL;
	default:
		return json_number(s);
	}
}

// Exactly one object, then "\n".
static bool
json_ok(const char *text)
{
	const char *end;

	if (text[0] != '{')
		return false;
	end = json_value(text, 0);
	return end != NULL && strcmp(end, "\n") == 0;
}

// Harness ------------------------------------------------------------------------------------

static int out_fd = -1;
static struct cmdline *cl;
static char out[OUT_MAX + 1];
static int log_levels[MAX_LOG_TYPES];
static bool verbose; // CLI_FUZZ_VERBOSE set: print each line and its output

static void
save_log_levels(void)
{
	for (unsigned i = 0; i < MAX_LOG_TYPES; i++)
		log_levels[i] = rte_log_get_level(i);
}

static void
restore_log_levels(void)
{
	for (unsigned i = 0; i < MAX_LOG_TYPES; i++)
		if (log_levels[i] >= 0 && rte_log_get_level(i) != log_levels[i])
			rte_log_set_level(i, (uint32_t)log_levels[i]);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];
	FILE *devnull;

	(void)argc;
	(void)argv;
	if (conf_load_buffer(&dxtr.conf, "cli_fuzz.yaml", conf_yaml, strlen(conf_yaml), err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "%s", err);
		abort();
	}
	dxtr.started = time(NULL);
	CHECK(dxtr.conf.n_database <= RTE_DIM(base_database));
	base_n_database = dxtr.conf.n_database;
	memcpy(base_database, dxtr.conf.database, sizeof(base_database[0]) * base_n_database);
	for (unsigned i = 0; i < dxtr.conf.n_ports; i++) {
		const struct conf_port *pc = &dxtr.conf.ports[i];
		if (pc->role != CONF_ROLE_RLOC)
			continue;
		for (unsigned j = 0; j < pc->n_addrs; j++)
			CHECK(route_add_connected(i, &pc->addrs[j]) == 0);
	}
	for (unsigned i = 0; i < dxtr.conf.n_routes; i++)
		CHECK(route_add(&dxtr.conf.routes[i].prefix, &dxtr.conf.routes[i].via) == 0);

	// rte_log without EAL writes to stderr: `set log level dxtr.* debug` must not flood it.
	devnull = fopen("/dev/null", "w");
	CHECK(devnull != NULL);
	rte_openlog_stream(devnull);
	save_log_levels();

	verbose = getenv("CLI_FUZZ_VERBOSE") != NULL;
	out_fd = memfd_create("cli_fuzz", 0);
	CHECK(out_fd >= 0);
	cl = cmdline_new(cli_ctx(), "", -1, out_fd);
	CHECK(cl != NULL);
	return 0;
}

// Runs one line; returns cli_exec's result, the output in out.
static int
run(const char *line)
{
	off_t len;
	int ret;

	CHECK(ftruncate(out_fd, 0) == 0);
	CHECK(lseek(out_fd, 0, SEEK_SET) == 0);
	ret = cli_exec(cl, line);
	len = lseek(out_fd, 0, SEEK_CUR);
	CHECK(len >= 0 && len <= OUT_MAX);
	CHECK(pread(out_fd, out, (size_t)len, 0) == len);
	out[len] = '\0';
	CHECK(strlen(out) == (size_t)len); // no NUL bytes in what the shell prints
	return ret;
}

// What rte_cmdline parses of a line: cli_exec passes it up to the first CR/LF, and a '#' starts
// a comment. Words are separated by blanks.
static void
effective(const char *line, char *cmd, size_t size)
{
	snprintf(cmd, size, "%.*s", (int)strcspn(line, "\r\n#"), line);
}

// The first word is show and the last json.
static bool
is_show_json(const char *cmd)
{
	size_t n = strlen(cmd);

	while (n > 0 && (cmd[n - 1] == ' ' || cmd[n - 1] == '\t'))
		n--;
	return strncmp(cmd + strspn(cmd, " \t"), "show", 4) == 0 && n >= 5
		&& memcmp(cmd + n - 4, "json", 4) == 0 && (cmd[n - 5] == ' ' || cmd[n - 5] == '\t');
}

static bool
is_map_cache_add(const char *cmd)
{
	char w0[16] = "", w1[8] = "";

	return sscanf(cmd, "%15s %7s", w0, w1) == 2 && strcmp(w0, "map-cache") == 0
		&& strcmp(w1, "add") == 0;
}

// "added PREFIX in iid N\n", PREFIX as typed.
static void
check_added(void)
{
	char word[128];
	struct ip_prefix p;
	unsigned iid;
	int end = 0;

	if (sscanf(out, "added %127s in iid %u%n", word, &iid, &end) != 2
	    || strcmp(out + end, "\n") != 0 || conf_parse_prefix(word, &p) < 0) {
		fprintf(stderr, "map-cache add said: %s", out);
		abort();
	}
}

static void
reset(void)
{
	for (unsigned i = 0; i < n_entries; i++) {
		free(entries[i]);
		entries[i] = NULL;
	}
	n_entries = 0;
	dxtr.conf.n_database = base_n_database;
	memcpy(dxtr.conf.database, base_database, sizeof(base_database[0]) * base_n_database);
	restore_log_levels();
	memset(&dp.base, 0, sizeof(dp.base));
	quit_called = false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *save = NULL, *line;
	char cmd[CTL_LINE_MAX + 1];
	unsigned n = 0;

	CHECK(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL && n < MAX_LINES;
	     line = strtok_r(NULL, "\n", &save), n++) {
		int ret = run(line);

		if (verbose)
			fprintf(stderr, "> %s\n%s", line, out);
		CHECK(ret == 0 || ret == -1);
		if (ret < 0) {
			CHECK(strstr(out, "error: ") != NULL);
			continue;
		}
		effective(line, cmd, sizeof(cmd));
		if (is_map_cache_add(cmd))
			check_added();
		if (is_show_json(cmd)) {
			if (!json_ok(out)) {
				fprintf(stderr, "not JSON: %s\n", out);
				abort();
			}
		}
	}
	free(text);
	reset();
	return 0;
}
