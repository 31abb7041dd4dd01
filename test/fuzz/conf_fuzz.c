// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// libFuzzer target for the YAML configuration loader (control/conf_*.c): arbitrary bytes go to
// conf_load_buffer. Oracles, from the contract in conf.h:
// - a failure writes one "NAME:LINE:COL: message\n" and leaves *c at the defaults;
// - the same failure into a shorter error buffer writes a NUL-terminated prefix of that message;
// - a success writes no message and gives a struct that holds every range, family, count and
//   uniqueness rule conf.h and conf/dxtr.example.yaml promise (what main() and api calls rely
//   on without checking again).
// conf.dict (the schema's keys and words) makes valid structure easy to reach: pass -dict=.

#include "conf.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.yaml"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// About 1 MiB each: never on the stack.
static struct dxtr_conf conf, defaults;
static char err[8192], err_short[8192];

static bool
is_pow2(unsigned x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static bool
str_ok(const char *s, size_t size, const char *extra)
{
	size_t n = strnlen(s, size);

	if (n == 0 || n == size)
		return false;
	if (extra == NULL)
		return true;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
			|| (ch >= '0' && ch <= '9');
		if (!alnum && strchr(extra, ch) == NULL)
			return false;
	}
	return true;
}

static bool
addr_ok(const struct ip_addr *a)
{
	return a->af == AF_INET || a->af == AF_INET6;
}

static bool
prefix_ok(const struct ip_prefix *p)
{
	return addr_ok(&p->addr) && p->len <= (p->addr.af == AF_INET ? 32 : 128);
}

static bool
same_addr(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->af == b->af && memcmp(a->bytes, b->bytes, a->af == AF_INET ? 4 : 16) == 0;
}

static bool
unicast(const struct ip_addr *a)
{
	static const uint8_t zero[16], loop6[16] = {[15] = 1};

	if (a->af == AF_INET) {
		uint32_t x = ntohl(a->v4.s_addr);
		return x != 0 && (x >> 24) != 127 && (x >> 28) != 0xe && x != UINT32_MAX;
	}
	return memcmp(a->bytes, zero, 16) != 0 && memcmp(a->bytes, loop6, 16) != 0
		&& a->bytes[0] != 0xff;
}

static const struct conf_port *
port_of(const struct dxtr_conf *c, const struct ip_addr *a)
{
	for (unsigned i = 0; i < c->n_ports; i++)
		for (unsigned j = 0; j < c->ports[i].n_addrs; j++)
			if (same_addr(&c->ports[i].addrs[j].addr, a))
				return &c->ports[i];
	return NULL;
}

static void
check_ports(const struct dxtr_conf *c)
{
	CHECK(c->n_ports >= 1 && c->n_ports <= CONF_MAX_PORTS);
	for (unsigned i = 0; i < c->n_ports; i++) {
		const struct conf_port *p = &c->ports[i];
		bool v6 = false;

		CHECK(str_ok(p->name, sizeof(p->name), "_.-"));
		CHECK(str_ok(p->device, sizeof(p->device), NULL));
		CHECK(p->role == CONF_ROLE_EID || p->role == CONF_ROLE_RLOC);
		CHECK(p->iid <= CONF_IID_MAX);
		CHECK(p->role == CONF_ROLE_EID || p->iid == 0);
		CHECK(p->n_addrs <= CONF_MAX_PORT_ADDRS);
		CHECK(p->role == CONF_ROLE_EID || p->n_addrs >= 1);
		for (unsigned j = 0; j < p->n_addrs; j++) {
			CHECK(prefix_ok(&p->addrs[j]));
			CHECK(unicast(&p->addrs[j].addr));
			v6 |= p->addrs[j].addr.af == AF_INET6;
			// Each address once, on any port.
			CHECK(port_of(c, &p->addrs[j].addr) == p);
			for (unsigned k = 0; k < j; k++)
				CHECK(!same_addr(&p->addrs[k].addr, &p->addrs[j].addr));
		}
		CHECK(p->mtu >= 68 && p->mtu <= 9600);
		CHECK(!v6 || p->mtu >= 1280);
		CHECK(is_pow2(p->rx_desc) && p->rx_desc >= 64 && p->rx_desc <= 16384);
		CHECK(is_pow2(p->tx_desc) && p->tx_desc >= 64 && p->tx_desc <= 16384);
		for (unsigned k = 0; k < i; k++)
			CHECK(strcmp(c->ports[k].name, p->name) != 0);
	}
}

static void
check_mapping(const struct dxtr_conf *c, const struct conf_mapping *m, bool local)
{
	CHECK(m->iid <= CONF_IID_MAX);
	CHECK(prefix_ok(&m->prefix) && conf_prefix_is_canonical(&m->prefix));
	if (local || m->action == CONF_ACT_ENCAP) {
		CHECK(m->action == CONF_ACT_ENCAP);
		CHECK(m->n_loc >= 1 && m->n_loc <= CONF_MAX_LOCATORS);
	} else {
		CHECK(m->action <= CONF_ACT_DROP);
		CHECK(m->n_loc == 0);
	}
	for (unsigned i = 0; i < m->n_loc; i++) {
		const struct conf_locator *l = &m->loc[i];
		const struct conf_port *p = port_of(c, &l->addr);

		CHECK(addr_ok(&l->addr));
		CHECK(l->weight <= 100);
		if (local) {
			CHECK(p != NULL && p->role == CONF_ROLE_RLOC);
		} else {
			CHECK(p == NULL);
			CHECK(unicast(&l->addr));
		}
		for (unsigned j = 0; j < i; j++)
			CHECK(!same_addr(&m->loc[j].addr, &l->addr));
	}
	if (local) {
		bool found = false;
		for (unsigned i = 0; i < c->n_ports; i++)
			found |= c->ports[i].role == CONF_ROLE_EID && c->ports[i].iid == m->iid;
		CHECK(found);
	}
}

static bool
same_prefix(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return a->len == b->len && same_addr(&a->addr, &b->addr);
}

static void
check_unique(const struct conf_mapping *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			CHECK(list[i].iid != list[j].iid
			      || !same_prefix(&list[i].prefix, &list[j].prefix));
}

static void
check_routes(const struct dxtr_conf *c)
{
	CHECK(c->n_routes <= CONF_MAX_ROUTES);
	for (unsigned i = 0; i < c->n_routes; i++) {
		const struct conf_route *r = &c->routes[i];
		const struct conf_port *p;
		bool inside = false;

		CHECK(prefix_ok(&r->prefix) && conf_prefix_is_canonical(&r->prefix));
		CHECK(r->via.af == r->prefix.addr.af);
		CHECK(unicast(&r->via));
		CHECK(port_of(c, &r->via) == NULL);
		CHECK(r->port < c->n_ports);
		p = &c->ports[r->port];
		CHECK(p->role == CONF_ROLE_RLOC);
		for (unsigned j = 0; j < p->n_addrs; j++)
			inside |= conf_prefix_contains(&p->addrs[j], &r->via);
		CHECK(inside);
		for (unsigned j = 0; j < i; j++)
			CHECK(!same_prefix(&c->routes[j].prefix, &r->prefix));
	}
}

static void
check_mapsys(const struct dxtr_conf *c)
{
	const struct conf_mapsys *m = &c->mapsys;

	CHECK(m->n_resolvers <= CONF_MAX_MAP_RESOLVERS);
	for (unsigned i = 0; i < m->n_resolvers; i++) {
		CHECK(addr_ok(&m->resolvers[i]) && unicast(&m->resolvers[i]));
		CHECK(port_of(c, &m->resolvers[i]) == NULL);
		for (unsigned j = 0; j < i; j++)
			CHECK(!same_addr(&m->resolvers[j], &m->resolvers[i]));
	}
	CHECK(m->retries <= 10);
	CHECK(m->interval_ms >= 100 && m->interval_ms <= 10000);
	CHECK(m->request_rate >= 1 && m->request_rate <= 10000);
	CHECK(m->negative_ttl >= 1 && m->negative_ttl <= 86400);
	CHECK(m->negative_action <= CONF_ACT_DROP);
	CHECK(m->reply_ttl_min >= 1);
	CHECK(m->reply_rate >= 1 && m->reply_rate <= 100000);
	CHECK(m->n_servers <= CONF_MAX_MAP_SERVERS);
	CHECK(m->n_servers == 0 || c->n_database > 0);
	for (unsigned i = 0; i < m->n_servers; i++) {
		const struct conf_map_server *s = &m->servers[i];
		size_t klen = strnlen(s->key, sizeof(s->key));

		CHECK(addr_ok(&s->addr) && unicast(&s->addr));
		CHECK(port_of(c, &s->addr) == NULL);
		CHECK(klen >= 1 && klen < sizeof(s->key));
		for (size_t k = 0; k < klen; k++)
			CHECK((unsigned char)s->key[k] >= 0x20 && s->key[k] != 0x7f);
		CHECK(s->alg == CONF_AUTH_HMAC_SHA1_96 || s->alg == CONF_AUTH_HMAC_SHA256_128);
		for (unsigned j = 0; j < i; j++)
			CHECK(!same_addr(&m->servers[j].addr, &s->addr));
	}
	CHECK(m->register_interval >= 10 && m->register_interval <= 3600);
	CHECK(m->probe_interval == 0 || (m->probe_interval >= 5 && m->probe_interval <= 3600));
	CHECK(m->probe_retries >= 1 && m->probe_retries <= 10);
}

static void
check_conf(const struct dxtr_conf *c)
{
	const struct conf_eal *e = &c->eal;

	CHECK(strcmp(c->path, NAME) == 0);
	CHECK(e->control_lcore <= CONF_MAX_LCORE);
	CHECK(e->n_workers >= 1 && e->n_workers <= CONF_MAX_WORKERS);
	for (unsigned i = 0; i < e->n_workers; i++) {
		CHECK(e->worker_lcores[i] <= CONF_MAX_LCORE);
		CHECK(e->worker_lcores[i] != e->control_lcore);
		for (unsigned j = 0; j < i; j++)
			CHECK(e->worker_lcores[j] != e->worker_lcores[i]);
	}
	CHECK(e->memory_mb >= 64 && e->memory_mb <= 1048576);
	CHECK(!e->in_memory || e->hugepages);
	CHECK(str_ok(e->file_prefix, sizeof(e->file_prefix), "_-"));
	CHECK(e->n_args <= CONF_MAX_EAL_ARGS);
	for (unsigned i = 0; i < e->n_args; i++)
		CHECK(str_ok(e->args[i], sizeof(e->args[i]), NULL) && e->args[i][0] == '-');

	CHECK(c->log.level >= 1 && c->log.level <= 8);
	CHECK(c->log.n_types <= CONF_MAX_LOG_TYPES);
	for (unsigned i = 0; i < c->log.n_types; i++) {
		CHECK(str_ok(c->log.types[i].name, sizeof(c->log.types[i].name), "_.-*?"));
		CHECK(c->log.types[i].level >= 1 && c->log.types[i].level <= 8);
		for (unsigned j = 0; j < i; j++)
			CHECK(strcmp(c->log.types[j].name, c->log.types[i].name) != 0);
	}

	CHECK(str_ok(c->control.socket, sizeof(c->control.socket), NULL));
	CHECK(c->control.socket[0] == '/');
	CHECK(c->control.socket_mode <= 0777 && (c->control.socket_mode & 0600) == 0600);

	CHECK(c->dataplane.mbufs >= 1023 && c->dataplane.mbufs <= 1048575);
	CHECK(c->dataplane.burst >= 1 && c->dataplane.burst <= 256);

	CHECK(c->lisp.nonce == CONF_NONCE_RANDOM || c->lisp.nonce == CONF_NONCE_NONE);
	CHECK(c->lisp.path_mtu >= 576 && c->lisp.path_mtu <= 9600);
	CHECK(c->lisp.icmp_rate >= 1 && c->lisp.icmp_rate <= 100000);
	CHECK(c->lisp.miss_rate >= 1 && c->lisp.miss_rate <= 1000000);
	CHECK(c->lisp.hold_packets <= 64);
	CHECK(c->lisp.hold_total <= 1048576);
	CHECK(c->lisp.hold_timeout_ms >= 100 && c->lisp.hold_timeout_ms <= 60000);

	check_ports(c);
	check_routes(c);
	CHECK(c->n_database <= CONF_MAX_DATABASE);
	for (unsigned i = 0; i < c->n_database; i++)
		check_mapping(c, &c->database[i], true);
	check_unique(c->database, c->n_database);
	CHECK(c->n_map_cache <= CONF_MAX_MAP_CACHE);
	for (unsigned i = 0; i < c->n_map_cache; i++)
		check_mapping(c, &c->map_cache[i], false);
	check_unique(c->map_cache, c->n_map_cache);
	check_mapsys(c);
}

// "NAME:LINE:COL: message\n", LINE and COL 1-based.
static void
check_message(const char *msg)
{
	size_t n = strlen(msg);
	unsigned line = 0, col = 0;
	int used = 0;

	CHECK(n > 0 && n < sizeof(err) - 1);
	CHECK(msg[n - 1] == '\n');
	CHECK(strchr(msg, '\n') == msg + n - 1); // one message
	CHECK(strncmp(msg, NAME ":", strlen(NAME ":")) == 0);
	CHECK(sscanf(msg + strlen(NAME ":"), "%u:%u: %n", &line, &col, &used) == 2 && used > 0);
	CHECK(line >= 1 && col >= 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t errlen, want;
	int ret;

	if (defaults.path[0] == '\0') {
		conf_defaults(&defaults);
		snprintf(defaults.path, sizeof(defaults.path), "%s", NAME);
	}
	ret = conf_load_buffer(&conf, NAME, data, size, err, sizeof(err));
	CHECK(ret == 0 || ret == -1);
	if (ret == 0) {
		CHECK(err[0] == '\0');
		check_conf(&conf);
		return 0;
	}
	check_message(err);
	// The defaults again, in everything conf_defaults() sets (up to the large arrays).
	CHECK(memcmp(&conf, &defaults, offsetof(struct dxtr_conf, routes)) == 0);

	// A short error buffer: the same message, cut and NUL-terminated.
	errlen = 1 + (size > 0 ? data[size / 2] : 0) % 96;
	memset(err_short, 0x5a, sizeof(err_short));
	CHECK(conf_load_buffer(&conf, NAME, data, size, err_short, errlen) == -1);
	want = strlen(err) < errlen - 1 ? strlen(err) : errlen - 1;
	CHECK(strlen(err_short) == want && memcmp(err_short, err, want) == 0);
	CHECK((unsigned char)err_short[errlen] == 0x5a);
	return 0;
}
