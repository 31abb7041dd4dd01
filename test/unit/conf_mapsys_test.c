// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The mapping-system section of the configuration: defaults, a file with every key away from its
// default, one ms_bad_*.yaml fixture per error class with its exact message, the edges of every
// value, the checks against the ports and the database, and the example configurations in conf/.
// Arguments: the fixture directory and the conf directory.

#include "conf.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *data_dir;
static const char *conf_dir;
static struct dxtr_conf conf; // about 1 MiB: keep it off the stack
static char err[1024];

// Bad fixtures and the message each must give, after "DATA_DIR/FILE:".
static const struct {
	const char *file;
	const char *msg;
} bad_files[] = {
	{"ms_bad_dup_key.yaml", "17:3: duplicate key 'refresh' in 'mapping-system'"},
	{"ms_bad_dup_section.yaml", "16:1: duplicate key 'mapping-system'"},
	{"ms_bad_etr_echo_nonce.yaml",
	 "16:17: 'mapping-system.etr.echo-nonce' must be true or false"},
	{"ms_bad_etr_rate.yaml",
	 "16:17: 'mapping-system.etr.rate-limit' must be between 1 and 100000"},
	{"ms_bad_etr_ttl.yaml",
	 "16:20: 'mapping-system.etr.map-reply-ttl' must be between 1 and 65535"},
	{"ms_bad_etr_type.yaml", "15:8: 'mapping-system.etr' must be a mapping (key: value)"},
	{"ms_bad_etr_unknown.yaml", "16:5: unknown key 'ttl' in 'mapping-system.etr'"},
	{"ms_bad_negative_action.yaml",
	 "15:20: 'mapping-system.negative-action' must be one of: no-action, natively-forward, "
	 "send-map-request, drop"},
	{"ms_bad_negative_ttl.yaml",
	 "15:17: 'mapping-system.negative-ttl' must be between 1 and 86400"},
	{"ms_bad_probe_interval.yaml",
	 "16:15: 'mapping-system.rloc-probing.interval' must be 0 (off) or between 5 and 3600"},
	{"ms_bad_probe_interval_type.yaml",
	 "16:15: 'mapping-system.rloc-probing.interval' must be an integer"},
	{"ms_bad_probe_retries.yaml",
	 "16:14: 'mapping-system.rloc-probing.retries' must be between 1 and 10"},
	{"ms_bad_probe_unknown.yaml",
	 "16:5: unknown key 'enabled' in 'mapping-system.rloc-probing'"},
	{"ms_bad_refresh.yaml", "15:12: 'mapping-system.refresh' must be true or false"},
	{"ms_bad_register_interval.yaml",
	 "15:22: 'mapping-system.register-interval' must be between 10 and 3600"},
	{"ms_bad_request_interval.yaml",
	 "16:18: 'mapping-system.map-request.interval-ms' must be between 100 and 10000"},
	{"ms_bad_request_rate.yaml",
	 "16:17: 'mapping-system.map-request.rate-limit' must be between 1 and 10000"},
	{"ms_bad_request_retries.yaml",
	 "15:26: 'mapping-system.map-request.retries' must be between 0 and 10"},
	{"ms_bad_request_type.yaml",
	 "15:16: 'mapping-system.map-request' must be a mapping (key: value)"},
	{"ms_bad_request_unknown.yaml",
	 "16:5: unknown key 'retry' in 'mapping-system.map-request'"},
	{"ms_bad_resolver_addr.yaml",
	 "15:31: 'mapping-system.map-resolvers[1]': bad IPv4/IPv6 address 'mr.example.net'"},
	{"ms_bad_resolver_broadcast.yaml",
	 "15:19: 'mapping-system.map-resolvers[0]': '255.255.255.255' is the broadcast address"},
	{"ms_bad_resolver_dup.yaml",
	 "18:7: 'mapping-system.map-resolvers[2]': map-resolver '2001:DB8:FFFF:0::2' is listed "
	 "twice"},
	{"ms_bad_resolver_eid_own.yaml",
	 "15:19: 'mapping-system.map-resolvers[0]': '192.0.2.1' is an address of this xTR (port "
	 "'eid0')"},
	{"ms_bad_resolver_family.yaml",
	 "15:31: 'mapping-system.map-resolvers[1]': no rloc port has an IPv6 address"},
	{"ms_bad_resolver_loopback.yaml",
	 "15:19: 'mapping-system.map-resolvers[0]': '127.0.0.1' is a loopback address"},
	{"ms_bad_resolver_multicast.yaml",
	 "15:19: 'mapping-system.map-resolvers[0]': 'ff02::2' is a multicast address"},
	{"ms_bad_resolver_own.yaml",
	 "15:31: 'mapping-system.map-resolvers[1]': '2001:db8:ffff::1' is an address of this xTR "
	 "(port 'rloc0')"},
	{"ms_bad_resolver_prefix.yaml",
	 "15:19: 'mapping-system.map-resolvers[0]': '198.18.0.2/24' must be an address without a "
	 "prefix length"},
	{"ms_bad_resolver_type.yaml",
	 "16:7: 'mapping-system.map-resolvers[0]' must be an IPv4 or IPv6 address"},
	{"ms_bad_resolver_unspecified.yaml",
	 "15:19: 'mapping-system.map-resolvers[0]': '::' is the unspecified address"},
	{"ms_bad_resolvers_count.yaml",
	 "16:5: 'mapping-system.map-resolvers' must have at most 8 entries"},
	{"ms_bad_resolvers_type.yaml", "15:18: 'mapping-system.map-resolvers' must be a list"},
	{"ms_bad_server_addr.yaml",
	 "16:17: 'mapping-system.map-servers[0].address': '2001:db8:ffff::3/64' must be an address "
	 "without a prefix length"},
	{"ms_bad_server_alg.yaml",
	 "18:18: 'mapping-system.map-servers[0].algorithm' must be one of: hmac-sha-1-96, "
	 "hmac-sha-256-128"},
	{"ms_bad_server_dup.yaml",
	 "17:17: 'mapping-system.map-servers[1].address': map-server '2001:db8:ffff:0:0::3' is "
	 "listed twice"},
	{"ms_bad_server_family.yaml",
	 "17:17: 'mapping-system.map-servers[1].address': no rloc port has an IPv6 address"},
	{"ms_bad_server_item.yaml",
	 "16:7: 'mapping-system.map-servers[0]' must be a mapping (key: value)"},
	{"ms_bad_server_key_control.yaml",
	 "17:12: 'mapping-system.map-servers[0].key' must not contain control characters"},
	{"ms_bad_server_key_empty.yaml",
	 "17:12: 'mapping-system.map-servers[0].key' must be a non-empty string"},
	{"ms_bad_server_key_id.yaml",
	 "18:15: 'mapping-system.map-servers[0].key-id' must be between 0 and 255"},
	{"ms_bad_server_key_long.yaml",
	 "17:12: 'mapping-system.map-servers[0].key' is too long (at most 128 characters)"},
	{"ms_bad_server_missing_address.yaml",
	 "18:7: missing required key 'address' in 'mapping-system.map-servers[1]'"},
	{"ms_bad_server_missing_key.yaml",
	 "16:7: missing required key 'key' in 'mapping-system.map-servers[0]'"},
	{"ms_bad_server_multicast.yaml",
	 "16:16: 'mapping-system.map-servers[0].address': '224.0.0.1' is a multicast address"},
	{"ms_bad_server_no_database.yaml", "14:5: map-servers need a 'database' to register"},
	{"ms_bad_server_own.yaml",
	 "16:16: 'mapping-system.map-servers[0].address': '198.18.0.1' is an address of this xTR "
	 "(port 'rloc0')"},
	{"ms_bad_server_unknown.yaml",
	 "17:7: unknown key 'password' in 'mapping-system.map-servers[0]'"},
	{"ms_bad_server_want_notify.yaml",
	 "18:24: 'mapping-system.map-servers[0].want-map-notify' must be true or false"},
	{"ms_bad_servers_count.yaml",
	 "16:5: 'mapping-system.map-servers' must have at most 4 entries"},
	{"ms_bad_servers_type.yaml", "16:5: 'mapping-system.map-servers' must be a list"},
	{"ms_bad_trusted.yaml", "15:12: 'mapping-system.trusted' must be true or false"},
	{"ms_bad_type.yaml", "14:17: 'mapping-system' must be a mapping (key: value)"},
	{"ms_bad_unknown.yaml", "15:3: unknown key 'map-resolver' in 'mapping-system'"},
};

// An eid port (iid 0) and an rloc port with both families: lines 1 to 6. DB adds a database
// entry on lines 7 and 8; PORTS4 has only IPv4 on its rloc port.
#define PORTS                                                                                      \
	"ports:\n"                                                                                 \
	"  - {name: e, device: net_null0, role: eid, addresses: [10.0.0.1/24]}\n"                  \
	"  - name: r\n"                                                                            \
	"    device: net_null1\n"                                                                  \
	"    role: rloc\n"                                                                         \
	"    addresses: [203.0.113.7/24, \"2001:db8::7/64\"]\n"
#define PORTS4 "ports:\n  - {name: r, device: net_null0, role: rloc, addresses: [203.0.113.7/24]}\n"
#define DB "database:\n  - {prefix: 10.0.0.0/24, locators: [{address: 203.0.113.7}]}\n"

static void
load_ok(const char *dir, const char *file)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (conf_load_file(&conf, path, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_string_equal(conf.path, path);
}

static void
str_ok(const char *s)
{
	if (conf_load_buffer(&conf, "buf", s, strlen(s), err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

static void assert_mapsys_defaults(const struct conf_mapsys *m);

// Expects exactly "buf:" msg "\n", and *c back to its defaults.
static void
str_bad(const char *s, const char *msg)
{
	char want[1024];

	snprintf(want, sizeof(want), "buf:%s\n", msg);
	assert_int_equal(conf_load_buffer(&conf, "buf", s, strlen(s), err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_int_equal(conf.n_ports, 0);
	assert_int_equal(conf.n_database, 0);
	assert_mapsys_defaults(&conf.mapsys);
}

static void
assert_addr(const struct ip_addr *a, int af, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 4];

	assert_int_equal(a->af, af);
	assert_string_equal(conf_fmt_addr(a, buf, sizeof(buf)), text);
}

static void
assert_mapsys_defaults(const struct conf_mapsys *m)
{
	assert_int_equal(m->n_resolvers, 0);
	assert_int_equal(m->retries, 3);
	assert_int_equal(m->interval_ms, 1000);
	assert_int_equal(m->request_rate, 100);
	assert_int_equal(m->negative_ttl, 60);
	assert_int_equal(m->negative_action, CONF_ACT_DROP);
	assert_true(m->refresh);
	assert_int_equal(m->reply_ttl_min, 1440);
	assert_int_equal(m->reply_rate, 100);
	assert_false(m->echo_nonce);
	assert_int_equal(m->n_servers, 0);
	assert_int_equal(m->register_interval, 60);
	assert_int_equal(m->probe_interval, 30);
	assert_int_equal(m->probe_retries, 3);
	assert_false(m->trusted);
}

// A map-server: address, key, key-id, algorithm, want-map-notify.
static void
assert_server(const struct conf_map_server *s,
	      int af,
	      const char *addr,
	      const char *key,
	      unsigned key_id,
	      enum conf_auth_alg alg,
	      bool want_notify)
{
	assert_addr(&s->addr, af, addr);
	assert_string_equal(s->key, key);
	assert_int_equal(s->key_id, key_id);
	assert_int_equal(s->alg, alg);
	assert_int_equal(s->want_notify, want_notify);
}

static void
test_defaults(void **state)
{
	(void)state;
	memset(&conf, 0xa5, sizeof(conf));
	conf_defaults(&conf);
	assert_mapsys_defaults(&conf.mapsys);

	// No section, an empty one, empty subsections and lists: the defaults.
	load_ok(data_dir, "good_minimal.yaml");
	assert_mapsys_defaults(&conf.mapsys);
	str_ok("mapping-system:\n" PORTS);
	assert_mapsys_defaults(&conf.mapsys);
	str_ok("mapping-system: {}\n" PORTS);
	assert_mapsys_defaults(&conf.mapsys);
	str_ok("mapping-system:\n  map-resolvers:\n  map-request:\n  etr: ~\n  map-servers: []\n"
	       "  rloc-probing: {}\n" PORTS);
	assert_mapsys_defaults(&conf.mapsys);
	str_ok("mapping-system: {map-resolvers: [], map-servers: ~}\n" PORTS);
	assert_mapsys_defaults(&conf.mapsys);
}

// Every key away from its default, the section before the ports and the database.
static void
test_full(void **state)
{
	const struct conf_mapsys *m = &conf.mapsys;
	char k128[129];

	(void)state;
	for (int i = 0; i < 128; i++)
		k128[i] = (char)('a' + i % 26);
	k128[128] = '\0';
	load_ok(data_dir, "ms_good_full.yaml");
	assert_int_equal(conf.n_ports, 3);
	assert_int_equal(conf.n_database, 1);
	assert_int_equal(m->n_resolvers, 3);
	assert_addr(&m->resolvers[0], AF_INET, "198.18.0.2");
	assert_addr(&m->resolvers[1], AF_INET6, "2001:db8:ffff::2");
	assert_addr(&m->resolvers[2], AF_INET, "203.0.113.9");
	assert_int_equal(m->retries, 0);
	assert_int_equal(m->interval_ms, 10000);
	assert_int_equal(m->request_rate, 10000);
	assert_int_equal(m->negative_ttl, 86400);
	assert_int_equal(m->negative_action, CONF_ACT_NATIVE_FWD);
	assert_false(m->refresh);
	assert_int_equal(m->reply_ttl_min, 65535);
	assert_int_equal(m->reply_rate, 1);
	assert_true(m->echo_nonce);
	assert_int_equal(m->n_servers, 4);
	assert_server(&m->servers[0],
		      AF_INET,
		      "198.18.0.2",
		      "lisp-key",
		      255,
		      CONF_AUTH_HMAC_SHA1_96,
		      false);
	assert_int_equal(m->servers[0].mark.line, 20);
	assert_int_equal(m->servers[0].mark.col, 7);
	assert_server(&m->servers[1],
		      AF_INET6,
		      "2001:db8:ffff::3",
		      "k",
		      0,
		      CONF_AUTH_HMAC_SHA256_128,
		      true);
	assert_int_equal(m->servers[1].mark.line, 25);
	assert_server(&m->servers[2],
		      AF_INET,
		      "203.0.113.4",
		      " an 'odd' key: # and spaces ",
		      0,
		      CONF_AUTH_HMAC_SHA256_128,
		      true);
	assert_int_equal(m->servers[2].mark.line, 27);
	assert_int_equal(m->servers[2].mark.col, 7);
	assert_server(&m->servers[3],
		      AF_INET,
		      "198.18.0.5",
		      k128,
		      0,
		      CONF_AUTH_HMAC_SHA256_128,
		      true);
	assert_int_equal(m->servers[3].mark.line, 29);
	assert_int_equal(m->register_interval, 3600);
	assert_int_equal(m->probe_interval, 0);
	assert_int_equal(m->probe_retries, 10);
	assert_true(m->trusted);
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

// err holds one message: "NAME:LINE:COL: text\n".
static void
assert_one_message(const char *name)
{
	size_t n = strlen(name), len = strlen(err);
	unsigned line = 0, col = 0;
	int used = 0;

	assert_true(len > n);
	assert_memory_equal(err, name, n);
	assert_int_equal(sscanf(err + n, ":%u:%u: %n", &line, &col, &used), 2);
	assert_true(used > 0 && line >= 1 && col >= 1);
	assert_ptr_equal(strchr(err, '\n'), err + len - 1);
}

static void
test_bad_files(void **state)
{
	char path[4096], want[4096 + 1024];
	unsigned failures = 0, n = 0;
	struct dirent *de;
	DIR *dir;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir, bad_files[i].file);
		snprintf(want, sizeof(want), "%s:%s\n", path, bad_files[i].msg);
		if (conf_load_file(&conf, path, err, sizeof(err)) == 0) {
			print_error("%s: loaded, expected: %s", bad_files[i].file, want);
			failures++;
		} else if (strcmp(err, want) != 0) {
			print_error("%s:\n  got:    %s  wanted: %s", bad_files[i].file, err, want);
			failures++;
		} else {
			assert_one_message(path);
			assert_int_equal(conf.n_ports, 0);
			assert_mapsys_defaults(&conf.mapsys);
		}
	}

	// Every ms_bad_*.yaml fixture has its expected message above.
	dir = opendir(data_dir);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		bool found = false;
		if (fnmatch("ms_bad_*.yaml", de->d_name, 0) != 0)
			continue;
		n++;
		for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++)
			found = found || strcmp(bad_files[i].file, de->d_name) == 0;
		if (!found) {
			print_error("%s has no expected message in bad_files[]\n", de->d_name);
			failures++;
		}
	}
	closedir(dir);
	assert_int_equal(n, sizeof(bad_files) / sizeof(bad_files[0]));
	assert_int_equal(failures, 0);
}

// The edges of every value, and the words.
static void
test_values(void **state)
{
	static const struct {
		const char *word;
		enum conf_map_action action;
	} actions[] = {
		{"no-action", CONF_ACT_NO_ACTION},
		{"natively-forward", CONF_ACT_NATIVE_FWD},
		{"\"send-map-request\"", CONF_ACT_SEND_MAP_REQUEST},
		{"'drop'", CONF_ACT_DROP},
	};
	char buf[1024];

	(void)state;
	str_ok("mapping-system: {map-request: {retries: 10, interval-ms: 100, rate-limit: 1}, "
	       "negative-ttl: 1, register-interval: 10, rloc-probing: {interval: 5, retries: 1}, "
	       "etr: {map-reply-ttl: 1, rate-limit: 100000, echo-nonce: no}, refresh: yes, "
	       "trusted: no}\n" PORTS);
	assert_int_equal(conf.mapsys.retries, 10);
	assert_int_equal(conf.mapsys.interval_ms, 100);
	assert_int_equal(conf.mapsys.request_rate, 1);
	assert_int_equal(conf.mapsys.negative_ttl, 1);
	assert_int_equal(conf.mapsys.register_interval, 10);
	assert_int_equal(conf.mapsys.probe_interval, 5);
	assert_int_equal(conf.mapsys.probe_retries, 1);
	assert_int_equal(conf.mapsys.reply_ttl_min, 1);
	assert_int_equal(conf.mapsys.reply_rate, 100000);
	assert_false(conf.mapsys.echo_nonce);
	assert_true(conf.mapsys.refresh);
	assert_false(conf.mapsys.trusted);
	str_ok("mapping-system: {rloc-probing: {interval: 3600}}\n" PORTS);
	assert_int_equal(conf.mapsys.probe_interval, 3600);
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		snprintf(buf,
			 sizeof(buf),
			 "mapping-system: {negative-action: %s}\n" PORTS,
			 actions[i].word);
		str_ok(buf);
		assert_int_equal(conf.mapsys.negative_action, actions[i].action);
	}

	// Past the edges.
	str_bad("mapping-system: {map-request: {retries: -1}}\n" PORTS,
		"1:41: 'mapping-system.map-request.retries' must be between 0 and 10");
	str_bad("mapping-system: {map-request: {interval-ms: 10001}}\n" PORTS,
		"1:45: 'mapping-system.map-request.interval-ms' must be between 100 and 10000");
	str_bad("mapping-system: {map-request: {rate-limit: 10001}}\n" PORTS,
		"1:44: 'mapping-system.map-request.rate-limit' must be between 1 and 10000");
	str_bad("mapping-system: {negative-ttl: 0}\n" PORTS,
		"1:32: 'mapping-system.negative-ttl' must be between 1 and 86400");
	str_bad("mapping-system: {register-interval: 3601}\n" PORTS,
		"1:37: 'mapping-system.register-interval' must be between 10 and 3600");
	str_bad("mapping-system: {etr: {map-reply-ttl: 65536}}\n" PORTS,
		"1:39: 'mapping-system.etr.map-reply-ttl' must be between 1 and 65535");
	str_bad("mapping-system: {etr: {rate-limit: 0}}\n" PORTS,
		"1:36: 'mapping-system.etr.rate-limit' must be between 1 and 100000");
	str_bad("mapping-system: {rloc-probing: {retries: 11}}\n" PORTS,
		"1:42: 'mapping-system.rloc-probing.retries' must be between 1 and 10");
	str_bad("mapping-system: {rloc-probing: {interval: 3601}}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be 0 (off) or between 5 and "
		"3600");
	str_bad("mapping-system: {rloc-probing: {interval: -1}}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be 0 (off) or between 5 and "
		"3600");
	str_bad("mapping-system: {rloc-probing: {interval: 1}}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be 0 (off) or between 5 and "
		"3600");
	str_bad("mapping-system: {rloc-probing: {interval: 99999999999999999999999}}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be 0 (off) or between 5 and "
		"3600");
	str_bad("mapping-system: {rloc-probing: {interval: 05}}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be an integer");
	str_bad("mapping-system: {rloc-probing: {interval: \"30\"}}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be an integer");
	str_bad("mapping-system: {rloc-probing: {interval: }}\n" PORTS,
		"1:43: 'mapping-system.rloc-probing.interval' must be an integer");
	str_bad("mapping-system: {negative-action: encap}\n" PORTS,
		"1:35: 'mapping-system.negative-action' must be one of: no-action, "
		"natively-forward, send-map-request, drop");
	str_bad("mapping-system: {negative-action: Drop}\n" PORTS,
		"1:35: 'mapping-system.negative-action' must be one of: no-action, "
		"natively-forward, send-map-request, drop");
	str_bad("mapping-system: {etr: {echo-nonce: \"true\"}}\n" PORTS,
		"1:36: 'mapping-system.etr.echo-nonce' must be true or false");
	str_bad("mapping-system: {rloc-probing: []}\n" PORTS,
		"1:32: 'mapping-system.rloc-probing' must be a mapping (key: value)");
	str_bad("mapping-system: {map-request: {retries: 1, retries: 2}}\n" PORTS,
		"1:44: duplicate key 'retries' in 'mapping-system.map-request'");
}

// Map-resolvers and map-servers: addresses, keys, algorithms, the checks after parsing.
static void
test_peers(void **state)
{
	const struct conf_mapsys *m = &conf.mapsys;
	char buf[1024], key[200];

	(void)state;
	// Both families; a map-server may be a map-resolver too; any text key.
	str_ok("mapping-system:\n"
	       "  map-resolvers: [\"2001:db8::1\", 203.0.113.1, \"fe80::1\"]\n"
	       "  map-servers:\n"
	       "    - {address: 203.0.113.1, key: 0600, algorithm: hmac-sha-1-96, key-id: 7}\n"
	       "    - {address: \"2001:db8::1\", key: \"\\u00e9t\\u00e9\", want-map-notify: no}\n"
	       "    - {address: 198.51.100.1, key: yes}\n" PORTS DB);
	assert_int_equal(m->n_resolvers, 3);
	assert_addr(&m->resolvers[0], AF_INET6, "2001:db8::1");
	assert_addr(&m->resolvers[1], AF_INET, "203.0.113.1");
	assert_addr(&m->resolvers[2], AF_INET6, "fe80::1");
	assert_int_equal(m->n_servers, 3);
	assert_server(&m->servers[0],
		      AF_INET,
		      "203.0.113.1",
		      "0600",
		      7,
		      CONF_AUTH_HMAC_SHA1_96,
		      true);
	assert_server(&m->servers[1],
		      AF_INET6,
		      "2001:db8::1",
		      "\xc3\xa9t\xc3\xa9",
		      0,
		      CONF_AUTH_HMAC_SHA256_128,
		      false);
	assert_server(&m->servers[2],
		      AF_INET,
		      "198.51.100.1",
		      "yes",
		      0,
		      CONF_AUTH_HMAC_SHA256_128,
		      true);
	assert_int_equal(m->servers[2].mark.line, 6);
	assert_int_equal(m->servers[2].mark.col, 7);

	// Keys: 128 characters (bytes) at most, none of them a control character.
	memset(key, 'x', 128);
	key[128] = '\0';
	snprintf(buf,
		 sizeof(buf),
		 "mapping-system: {map-servers: [{address: 203.0.113.1, key: %s}]}\n" PORTS DB,
		 key);
	str_ok(buf);
	assert_string_equal(m->servers[0].key, key);
	snprintf(buf,
		 sizeof(buf),
		 "mapping-system: {map-servers: [{address: 203.0.113.1, key: %sx}]}\n" PORTS DB,
		 key);
	str_bad(buf,
		"1:60: 'mapping-system.map-servers[0].key' is too long (at most 128 characters)");
	str_bad("mapping-system: {map-servers: [{address: 203.0.113.1, key: ~}]}\n" PORTS DB,
		"1:60: 'mapping-system.map-servers[0].key' must be a non-empty string");
	str_bad("mapping-system: {map-servers: [{address: 203.0.113.1, key: [a]}]}\n" PORTS DB,
		"1:60: 'mapping-system.map-servers[0].key' must be a non-empty string");
	str_bad("mapping-system: {map-servers: [{address: 203.0.113.1, key: \"a\\0b\"}]}\n"
		PORTS DB,
		"1:60: 'mapping-system.map-servers[0].key' must not contain control characters");
	str_bad("mapping-system: {map-servers: [{address: 203.0.113.1, key: k, key-id: -1}]}\n"
		PORTS DB,
		"1:71: 'mapping-system.map-servers[0].key-id' must be between 0 and 255");
	str_bad("mapping-system: {map-servers: [{address: 203.0.113.1, key: k, "
		"algorithm: HMAC-SHA-1-96}]}\n" PORTS DB,
		"1:74: 'mapping-system.map-servers[0].algorithm' must be one of: hmac-sha-1-96, "
		"hmac-sha-256-128");
	str_bad("mapping-system: {map-servers: [{address: 203.0.113.1, key: k, algorithm: 1}]}\n"
		PORTS DB,
		"1:74: 'mapping-system.map-servers[0].algorithm' must be one of: hmac-sha-1-96, "
		"hmac-sha-256-128");
	str_bad("mapping-system: {map-servers: [{key: k}]}\n" PORTS DB,
		"1:32: missing required key 'address' in 'mapping-system.map-servers[0]'");
	str_bad("mapping-system: {map-servers: [{address: ~, key: k}]}\n" PORTS DB,
		"1:42: 'mapping-system.map-servers[0].address' must be an IPv4 or IPv6 address");
	str_bad("mapping-system: {map-servers: [{address: 0.0.0.0, key: k}]}\n" PORTS DB,
		"1:42: 'mapping-system.map-servers[0].address': '0.0.0.0' is the unspecified "
		"address");
	str_bad("mapping-system: {map-servers: [{address: \"::1\", key: k}]}\n" PORTS DB,
		"1:42: 'mapping-system.map-servers[0].address': '::1' is the loopback address");
	str_bad("mapping-system: {map-resolvers: [\"\"]}\n" PORTS,
		"1:34: 'mapping-system.map-resolvers[0]': bad IPv4/IPv6 address ''");
	str_bad("mapping-system: {map-resolvers: [~]}\n" PORTS,
		"1:34: 'mapping-system.map-resolvers[0]' must be an IPv4 or IPv6 address");
	str_bad("mapping-system: {map-resolvers: [203.0.113.1, 203.0.113.1]}\n" PORTS,
		"1:47: 'mapping-system.map-resolvers[1]': map-resolver '203.0.113.1' is listed "
		"twice");

	// Not ours, on any port (the eid port's address too); checked once the ports are known.
	str_bad("mapping-system: {map-resolvers: [203.0.113.7]}\n" PORTS,
		"1:34: 'mapping-system.map-resolvers[0]': '203.0.113.7' is an address of this xTR "
		"(port 'r')");
	str_bad("mapping-system: {map-servers: [{address: 10.0.0.1, key: k}]}\n" PORTS DB,
		"1:42: 'mapping-system.map-servers[0].address': '10.0.0.1' is an address of this "
		"xTR (port 'e')");
	str_bad(PORTS DB "mapping-system: {map-resolvers: [\"2001:DB8::7\"]}\n",
		"9:34: 'mapping-system.map-resolvers[0]': '2001:DB8::7' is an address of this xTR "
		"(port 'r')");

	// A family we can source: an rloc port address of it (an eid port's does not count).
	str_ok("mapping-system: {map-resolvers: [198.51.100.1]}\n" PORTS4);
	str_bad("mapping-system: {map-resolvers: [198.51.100.1, \"2001:db8::1\"]}\n" PORTS4,
		"1:48: 'mapping-system.map-resolvers[1]': no rloc port has an IPv6 address");
	str_bad("mapping-system: {map-resolvers: [198.51.100.1]}\n"
		"ports:\n"
		"  - {name: e, device: net_null0, role: eid, addresses: [10.0.0.1/24]}\n"
		"  - {name: r, device: net_null1, role: rloc, addresses: [\"2001:db8::7/64\"]}\n",
		"1:34: 'mapping-system.map-resolvers[0]': no rloc port has an IPv4 address");

	// Map-servers need a database, whatever the order; an empty list needs none.
	str_bad("mapping-system: {map-servers: [{address: 198.51.100.1, key: k}]}\n" PORTS,
		"1:31: map-servers need a 'database' to register");
	str_bad("mapping-system: {map-servers: [{address: 198.51.100.1, key: k}]}\n" PORTS
		"database: []\n",
		"1:31: map-servers need a 'database' to register");
	str_ok("mapping-system: {map-servers: []}\n" PORTS);
	str_ok("mapping-system: {map-servers: [{address: 198.51.100.1, key: k}]}\n" PORTS DB);
	assert_int_equal(m->n_servers, 1);
	str_bad("mapping-system:\n"
		"  map-servers:\n"
		"    - {address: 198.51.100.1, key: a}\n"
		"    - {address: 198.51.100.2, key: b}\n"
		"    - {address: \"198.51.100.1\", key: c}\n" PORTS DB,
		"5:17: 'mapping-system.map-servers[2].address': map-server '198.51.100.1' is "
		"listed twice");

	// The checks of the other sections come first, then these.
	str_bad("mapping-system: {map-resolvers: [203.0.113.7]}\n"
		"routes: [{prefix: 0.0.0.0/0, via: 198.18.0.1}]\n" PORTS,
		"2:35: 'routes[0].via': '198.18.0.1' is not in the subnet of an rloc port address");
	// ... and only once every section parsed.
	str_bad("mapping-system: {map-resolvers: [203.0.113.7]}\n"
		"lisp: {nonce: sometimes}\n" PORTS,
		"2:15: 'lisp.nonce' must be one of: random, none");
}

// Cuts and byte flips of ms_good_full.yaml: success or one message, never a crash or a leak.
static void
test_mutations(void **state)
{
	static const char flips[] =
		{'\0', '\xff', ':', '[', '{', '\n', '&', '*', '"', '-', ' ', '!', '0', '9'};
	char path[4096], *buf, *copy;
	size_t len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/ms_good_full.yaml", data_dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	buf = malloc(1 << 16);
	copy = malloc(1 << 16);
	if (buf == NULL || copy == NULL)
		abort();
	len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	assert_true(len > 0 && len < (1 << 16));
	for (size_t i = 0; i <= len; i++) {
		if (conf_load_buffer(&conf, "cut", buf, i, err, sizeof(err)) < 0)
			assert_one_message("cut");
	}
	for (size_t i = 0; i < len; i++) {
		for (size_t j = 0; j < sizeof(flips); j++) {
			memcpy(copy, buf, len);
			copy[i] = flips[j];
			if (conf_load_buffer(&conf, "flip", copy, len, err, sizeof(err)) < 0)
				assert_one_message("flip");
		}
	}
	free(buf);
	free(copy);
}

// Appends to buf[0..size) from *n on.
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	assert_true(r >= 0 && (size_t)r < size - *n);
	*n += (size_t)r;
}

// 8 map-resolvers and 4 map-servers, not more.
static void
test_limits(void **state)
{
	char buf[2048];
	size_t n = 0, end;

	(void)state;
	append(buf, sizeof(buf), &n, "mapping-system:\n  map-resolvers:\n");
	for (unsigned i = 0; i < CONF_MAX_MAP_RESOLVERS; i++)
		append(buf, sizeof(buf), &n, "    - 198.51.100.%u\n", i + 1);
	end = n;
	append(buf, sizeof(buf), &n, "%s", PORTS);
	str_ok(buf);
	assert_int_equal(conf.mapsys.n_resolvers, CONF_MAX_MAP_RESOLVERS);
	assert_addr(&conf.mapsys.resolvers[CONF_MAX_MAP_RESOLVERS - 1], AF_INET, "198.51.100.8");
	n = end;
	append(buf, sizeof(buf), &n, "    - 198.51.100.99\n%s", PORTS);
	str_bad(buf, "3:5: 'mapping-system.map-resolvers' must have at most 8 entries");

	n = 0;
	append(buf, sizeof(buf), &n, "mapping-system:\n  map-servers:\n");
	for (unsigned i = 0; i < CONF_MAX_MAP_SERVERS; i++)
		append(buf,
		       sizeof(buf),
		       &n,
		       "    - {address: 198.51.100.%u, key: k%u, key-id: %u}\n",
		       i + 1,
		       i,
		       i);
	end = n;
	append(buf, sizeof(buf), &n, "%s", PORTS DB);
	str_ok(buf);
	assert_int_equal(conf.mapsys.n_servers, CONF_MAX_MAP_SERVERS);
	assert_server(&conf.mapsys.servers[CONF_MAX_MAP_SERVERS - 1],
		      AF_INET,
		      "198.51.100.4",
		      "k3",
		      3,
		      CONF_AUTH_HMAC_SHA256_128,
		      true);
	n = end;
	append(buf, sizeof(buf), &n, "    - {address: 198.51.100.99, key: k}\n%s", PORTS DB);
	str_bad(buf, "3:5: 'mapping-system.map-servers' must have at most 4 entries");
}

// The example documents every key with its default (and example resolvers and a server); the
// static labs have no mapping system; site-a-ms.yaml is site A resolving through site B.
static void
test_conf_dir(void **state)
{
	const struct conf_mapsys *m = &conf.mapsys;
	struct conf_mapsys want;

	(void)state;
	load_ok(conf_dir, "dxtr.example.yaml");
	assert_int_equal(m->n_resolvers, 2);
	assert_addr(&m->resolvers[0], AF_INET, "198.18.0.10");
	assert_addr(&m->resolvers[1], AF_INET6, "2001:db8:ffff::10");
	assert_int_equal(m->n_servers, 1);
	assert_server(&m->servers[0],
		      AF_INET,
		      "198.18.0.10",
		      "change-me",
		      0,
		      CONF_AUTH_HMAC_SHA256_128,
		      true);
	want = *m;
	want.n_resolvers = 0;
	want.n_servers = 0;
	assert_mapsys_defaults(&want);

	load_ok(conf_dir, "site-a.yaml");
	assert_mapsys_defaults(m);
	assert_int_equal(conf.n_map_cache, 2);
	load_ok(conf_dir, "site-b.yaml");
	assert_mapsys_defaults(m);

	load_ok(conf_dir, "site-a-ms.yaml");
	assert_string_equal(conf.eal.file_prefix, "dxtr-a-ms");
	assert_string_equal(conf.control.socket, "/run/dxtr/site-a-ms.sock");
	assert_int_equal(conf.n_ports, 2);
	assert_string_equal(conf.ports[0].device, "net_af_packet0,iface=xa-eid");
	assert_string_equal(conf.ports[1].device, "net_af_packet1,iface=xa-rloc");
	assert_int_equal(conf.n_routes, 1);
	assert_int_equal(conf.n_database, 2);
	assert_int_equal(conf.n_map_cache, 0);
	assert_int_equal(m->n_resolvers, 1);
	assert_addr(&m->resolvers[0], AF_INET, "198.18.0.2");
	want = *m;
	want.n_resolvers = 0;
	assert_mapsys_defaults(&want);
}

// Every .yaml in conf/ loads.
static void
test_conf_all(void **state)
{
	struct dirent *de;
	unsigned n = 0;
	DIR *dir;

	(void)state;
	dir = opendir(conf_dir);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		if (!has_suffix(de->d_name, ".yaml"))
			continue;
		load_ok(conf_dir, de->d_name);
		n++;
	}
	closedir(dir);
	assert_true(n >= 4);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_peers),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_conf_dir),
		cmocka_unit_test(test_conf_all),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s DATA_DIR CONF_DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	conf_dir = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
