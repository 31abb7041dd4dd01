// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The YAML configuration loader: valid files (every field, defaults included), one fixture per
// error class with its exact message, hostile buffers, the address and log level helpers, and
// every example configuration in conf/. Arguments: the fixture directory and the conf directory.

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
#include <unistd.h>

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
	{"bad_addr_broadcast.yaml",
	 "6:17: 'ports[0].addresses[0]': '192.0.2.255/24' is a broadcast address, not a host "
	 "address"},
	{"bad_addr_count.yaml", "6:16: 'ports[0].addresses' must have at most 8 entries"},
	{"bad_addr_loopback.yaml",
	 "6:17: 'ports[0].addresses[0]': '127.0.0.1/8' is a loopback address"},
	{"bad_addr_multicast.yaml",
	 "6:17: 'ports[0].addresses[0]': 'ff02::1/64' is a multicast address"},
	{"bad_addr_network.yaml",
	 "6:17: 'ports[0].addresses[0]': '192.0.2.0/24' is a network address, not a host address"},
	{"bad_addr_type.yaml", "6:17: 'ports[0].addresses[0]' must be an address/prefix-length"},
	{"bad_addr_unspecified.yaml",
	 "6:17: 'ports[0].addresses[0]': '::/0' is the unspecified address"},
	{"bad_alias.yaml", "16:16: YAML aliases are not supported ('*w')"},
	{"bad_bool.yaml", "3:14: 'eal.hugepages' must be true or false"},
	{"bad_bool_quoted.yaml", "3:14: 'eal.hugepages' must be true or false"},
	{"bad_burst.yaml", "3:10: 'dataplane.burst' must be between 1 and 256"},
	{"bad_control_chars.yaml", "4:13: 'ports[0].device' must not contain control characters"},
	{"bad_db_action.yaml", "13:5: unknown key 'action' in 'database[0]'"},
	{"bad_db_dup.yaml",
	 "17:13: 'database[2].prefix': duplicate prefix '192.0.2.0/24' in iid 0 (already in "
	 "database[0])"},
	{"bad_db_host_bits.yaml",
	 "12:13: 'database[0].prefix': '192.0.2.1/24' has host bits set (did you mean "
	 "192.0.2.0/24?)"},
	{"bad_db_iid_range.yaml", "12:10: 'database[0].iid' must be between 0 and 16777215"},
	{"bad_db_locator_dup.yaml",
	 "16:18: 'database[0].locators[2].address': locator '198.18.0.1' is listed twice"},
	{"bad_db_locator_eid.yaml",
	 "13:26: 'database[0].locators[0].address': '192.0.2.1' is not an address of an rloc "
	 "port"},
	{"bad_db_locator_item.yaml",
	 "13:16: 'database[0].locators[0]' must be a mapping (key: value)"},
	{"bad_db_locator_missing_address.yaml",
	 "14:9: missing required key 'address' in 'database[0].locators[0]'"},
	{"bad_db_locator_not_own.yaml",
	 "15:18: 'database[0].locators[1].address': '198.18.0.2' is not an address of an rloc "
	 "port"},
	{"bad_db_locators_count.yaml", "14:7: 'database[0].locators' must have 1 to 8 entries"},
	{"bad_db_locators_empty.yaml", "13:15: 'database[0].locators' must have 1 to 8 entries"},
	{"bad_db_missing_locators.yaml", "12:5: missing required key 'locators' in 'database[0]'"},
	{"bad_db_missing_prefix.yaml", "12:5: missing required key 'prefix' in 'database[0]'"},
	{"bad_db_no_eid_iid.yaml", "5:10: 'database[1].iid': no eid port has iid 5"},
	{"bad_db_priority.yaml",
	 "13:48: 'database[0].locators[0].priority' must be between 0 and 255"},
	{"bad_db_type.yaml", "12:3: 'database' must be a list"},
	{"bad_db_weight.yaml", "13:46: 'database[0].locators[0].weight' must be between 0 and 100"},
	{"bad_desc_pow2.yaml", "7:21: 'ports[0].rx-descriptors' must be a power of two"},
	{"bad_desc_range.yaml", "7:21: 'ports[0].tx-descriptors' must be between 64 and 16384"},
	{"bad_device.yaml",
	 "4:13: 'ports[0].device' must be a PCI address or a vdev spec (net_<driver>...)"},
	{"bad_device_pci.yaml",
	 "4:13: 'ports[0].device' must be a PCI address or a vdev spec (net_<driver>...)"},
	{"bad_device_vdev_args.yaml",
	 "4:13: 'ports[0].device' must be a PCI address or a vdev spec (net_<driver>...)"},
	{"bad_dup_addr.yaml",
	 "10:32: 'ports[1].addresses[1]': duplicate address '192.0.2.1/30' (already on port "
	 "'eid0')"},
	{"bad_dup_addr_port.yaml",
	 "6:35: 'ports[0].addresses[1]': address '2001:db8:0::1/48' is listed twice"},
	{"bad_dup_device.yaml",
	 "8:13: duplicate device 'net_af_packet0' (already used by port 'eid0')"},
	{"bad_dup_key.yaml", "11:5: duplicate key 'role' in 'ports[1]'"},
	{"bad_dup_pci.yaml", "7:13: duplicate device '0000:03:00.0' (already used by port 'eid0')"},
	{"bad_dup_port_name.yaml", "7:11: duplicate port name 'eid0'"},
	{"bad_dup_section.yaml", "13:1: duplicate key 'log'"},
	{"bad_eal_arg.yaml", "3:22: 'eal.args[1]' must start with '-'"},
	{"bad_eal_args_count.yaml", "3:9: 'eal.args' must have at most 32 entries"},
	{"bad_empty.yaml", "1:1: missing required key 'ports'"},
	{"bad_file_prefix.yaml",
	 "3:16: 'eal.file-prefix' may only contain letters, digits and '_-'"},
	{"bad_iid_negative.yaml", "7:10: 'ports[0].iid' must be between 0 and 16777215"},
	{"bad_iid_range.yaml", "7:10: 'ports[0].iid' must be between 0 and 16777215"},
	{"bad_iid_rloc.yaml", "11:10: 'ports[1].iid' is only valid on eid ports"},
	{"bad_in_memory.yaml", "4:14: 'eal.in-memory' needs 'eal.hugepages: true'"},
	{"bad_key_type.yaml", "2:3: keys must be strings"},
	{"bad_lcore_range.yaml", "3:18: 'eal.control-lcore' must be between 0 and 1023"},
	{"bad_lisp_icmp_rate.yaml", "12:20: 'lisp.icmp-rate-limit' must be between 1 and 100000"},
	{"bad_lisp_iid_bit.yaml", "12:20: 'lisp.instance-id-bit' must be one of: auto, always"},
	{"bad_lisp_lsb.yaml", "12:24: 'lisp.locator-status-bits' must be true or false"},
	{"bad_lisp_nonce.yaml", "12:10: 'lisp.nonce' must be one of: random, none"},
	{"bad_lisp_path_mtu.yaml", "12:13: 'lisp.path-mtu' must be between 576 and 9600"},
	{"bad_lisp_type.yaml", "11:7: 'lisp' must be a mapping (key: value)"},
	{"bad_lisp_udp_csum.yaml", "12:22: 'lisp.udp-checksum-ipv6' must be true or false"},
	{"bad_lisp_unknown.yaml", "13:3: unknown key 'hold-packets' in 'lisp'"},
	{"bad_log_level.yaml",
	 "3:10: 'log.level' must be one of: emerg, alert, crit, err, warning, notice, info, "
	 "debug"},
	{"bad_log_type_dup.yaml", "6:5: duplicate key 'dxtr.port' in 'log.types'"},
	{"bad_log_type_level.yaml",
	 "4:16: 'log.types.dxtr.port' must be one of: emerg, alert, crit, err, warning, notice, "
	 "info, debug"},
	{"bad_log_type_name.yaml",
	 "4:5: 'log.types.dxtr port' may only contain letters, digits and '_.-*?'"},
	{"bad_log_types_type.yaml", "3:10: 'log.types' must be a mapping (type: level)"},
	{"bad_mbufs.yaml", "3:10: 'dataplane.mbufs' must be between 1023 and 1048575"},
	{"bad_mc_action.yaml",
	 "13:13: 'map-cache[0].action' must be one of: no-action, natively-forward, "
	 "send-map-request, drop"},
	{"bad_mc_both.yaml",
	 "14:13: 'map-cache[0]' must have either 'locators' or 'action', not both"},
	{"bad_mc_dup.yaml",
	 "18:13: 'map-cache[2].prefix': duplicate prefix '198.51.100.0/24' in iid 7 (already in "
	 "map-cache[1])"},
	{"bad_mc_host_bits.yaml",
	 "12:13: 'map-cache[0].prefix': '2001:db8:b::1/48' has host bits set (did you mean "
	 "2001:db8:b::/48?)"},
	{"bad_mc_iid_negative.yaml", "12:10: 'map-cache[0].iid' must be between 0 and 16777215"},
	{"bad_mc_locator_loopback.yaml",
	 "13:26: 'map-cache[0].locators[0].address': '127.0.0.1' is a loopback address"},
	{"bad_mc_locator_multicast.yaml",
	 "13:26: 'map-cache[0].locators[0].address': 'ff0e::1' is a multicast address"},
	{"bad_mc_locator_own.yaml",
	 "15:18: 'map-cache[0].locators[1].address': '2001:db8:ffff::1' is an address of this "
	 "xTR (port 'rloc0')"},
	{"bad_mc_locator_unspecified.yaml",
	 "13:26: 'map-cache[0].locators[0].address': '0.0.0.0' is the unspecified address"},
	{"bad_mc_locators_count.yaml", "14:7: 'map-cache[0].locators' must have 1 to 8 entries"},
	{"bad_mc_neither.yaml", "12:5: missing key 'locators' or 'action' in 'map-cache[0]'"},
	{"bad_mc_priority_type.yaml",
	 "13:48: 'map-cache[0].locators[0].priority' must be an integer"},
	{"bad_mc_type.yaml", "11:12: 'map-cache' must be a list"},
	{"bad_mc_weight.yaml",
	 "13:46: 'map-cache[0].locators[0].weight' must be between 0 and 100"},
	{"bad_memory.yaml", "3:14: 'eal.memory-mb' must be between 64 and 1048576"},
	{"bad_miss_hold_packets.yaml", "13:19: 'lisp.miss.hold-packets' must be between 0 and 64"},
	{"bad_miss_hold_total.yaml", "13:17: 'lisp.miss.hold-total' must be between 0 and 1048576"},
	{"bad_miss_rate.yaml", "13:17: 'lisp.miss.rate-limit' must be between 1 and 1000000"},
	{"bad_miss_timeout.yaml",
	 "13:22: 'lisp.miss.hold-timeout-ms' must be between 100 and 60000"},
	{"bad_miss_unknown.yaml", "13:5: unknown key 'rate' in 'lisp.miss'"},
	{"bad_missing_device.yaml", "3:5: missing required key 'device' in 'ports[0]'"},
	{"bad_missing_ports.yaml", "2:1: missing required key 'ports'"},
	{"bad_mtu_ipv6.yaml",
	 "7:10: 'ports[0].mtu' must be at least 1280 on a port with an IPv6 address"},
	{"bad_mtu_leading_zero.yaml", "7:10: 'ports[0].mtu' must be an integer"},
	{"bad_mtu_range.yaml", "7:10: 'ports[0].mtu' must be between 68 and 9600"},
	{"bad_mtu_type.yaml", "7:10: 'ports[0].mtu' must be an integer"},
	{"bad_multi_doc.yaml", "11:1: only one YAML document is allowed"},
	{"bad_name_chars.yaml", "3:11: 'ports[0].name' may only contain letters, digits and '_.-'"},
	{"bad_name_long.yaml", "3:11: 'ports[0].name' is too long (at most 31 characters)"},
	{"bad_name_null.yaml", "3:11: 'ports[0].name' must be a non-empty string"},
	{"bad_port_item.yaml", "3:5: 'ports[0]' must be a mapping (key: value)"},
	{"bad_ports_empty.yaml", "2:8: 'ports' must have 1 to 32 entries"},
	{"bad_ports_type.yaml", "2:8: 'ports' must be a list"},
	{"bad_prefix.yaml", "6:17: 'ports[0].addresses[0]': bad IPv4/IPv6 prefix '192.0.2.1/33'"},
	{"bad_prefix_garbage.yaml",
	 "6:31: 'ports[0].addresses[1]': bad IPv4/IPv6 prefix 'not-an-address'"},
	{"bad_prefix_missing_len.yaml",
	 "6:17: 'ports[0].addresses[0]': '192.0.2.1' has no prefix length (write "
	 "'192.0.2.1/<len>')"},
	{"bad_rloc_no_addr.yaml", "7:5: rloc port 'rloc0' needs at least one address"},
	{"bad_role.yaml", "9:11: 'ports[1].role' must be one of: eid, rloc"},
	{"bad_route_dup.yaml",
	 "16:13: 'routes[2].prefix': duplicate route '10.0.0.0/8' (already in routes[0])"},
	{"bad_route_family.yaml",
	 "13:10: 'routes[0].via': '2001:db8:ffff::fe' is an IPv6 address but the prefix is IPv4"},
	{"bad_route_host_bits.yaml",
	 "12:13: 'routes[0].prefix': '10.0.0.1/8' has host bits set (did you mean 10.0.0.0/8?)"},
	{"bad_route_host_bits6.yaml",
	 "12:13: 'routes[0].prefix': '2001:db8:1::1/48' has host bits set (did you mean "
	 "2001:db8:1::/48?)"},
	{"bad_route_item.yaml", "12:5: 'routes[0]' must be a mapping (key: value)"},
	{"bad_route_missing_prefix.yaml", "12:5: missing required key 'prefix' in 'routes[0]'"},
	{"bad_route_missing_via.yaml", "12:5: missing required key 'via' in 'routes[0]'"},
	{"bad_route_no_len.yaml",
	 "12:13: 'routes[0].prefix': '10.0.0.0' has no prefix length (write '10.0.0.0/<len>')"},
	{"bad_route_prefix.yaml", "12:13: 'routes[0].prefix': bad IPv4/IPv6 prefix 'default'"},
	{"bad_route_prefix_type.yaml",
	 "12:13: 'routes[0].prefix' must be an address/prefix-length"},
	{"bad_route_unknown.yaml", "14:5: unknown key 'metric' in 'routes[0]'"},
	{"bad_route_via.yaml", "13:10: 'routes[0].via': bad IPv4/IPv6 address 'gateway'"},
	{"bad_route_via_broadcast.yaml",
	 "13:10: 'routes[0].via': '198.18.0.255' is a broadcast address, not a host address"},
	{"bad_route_via_eid.yaml",
	 "13:10: 'routes[0].via': '192.0.2.254' is not in the subnet of an rloc port address"},
	{"bad_route_via_len.yaml",
	 "13:10: 'routes[0].via': '198.18.0.254/24' must be an address without a prefix length"},
	{"bad_route_via_multicast.yaml",
	 "13:10: 'routes[0].via': '224.0.0.5' is a multicast address"},
	{"bad_route_via_own.yaml",
	 "13:10: 'routes[0].via': '198.18.0.1' is an address of this xTR (port 'rloc0')"},
	{"bad_route_via_subnet.yaml",
	 "6:10: 'routes[1].via': '2001:db8:fffe::1' is not in the subnet of an rloc port "
	 "address"},
	{"bad_routes_type.yaml", "12:3: 'routes' must be a list"},
	{"bad_section_type.yaml", "2:6: 'eal' must be a mapping (key: value)"},
	{"bad_socket_long.yaml", "3:11: 'control.socket' is too long (at most 107 characters)"},
	{"bad_socket_mode_owner.yaml",
	 "3:16: 'control.socket-mode' must include owner read and write (0600)"},
	{"bad_socket_mode_range.yaml", "3:16: 'control.socket-mode' must not exceed 0777"},
	{"bad_socket_mode_syntax.yaml",
	 "3:16: 'control.socket-mode' must be an octal mode like \"0600\""},
	{"bad_socket_relative.yaml", "3:11: 'control.socket' must be an absolute path"},
	{"bad_syntax.yaml",
	 "4:4: syntax error: did not find expected '-' indicator (while parsing a block "
	 "collection at 3:3)"},
	{"bad_tag.yaml", "7:10: YAML tags are not supported ('tag:yaml.org,2002:int')"},
	{"bad_top_level.yaml", "2:1: the top level must be a mapping (key: value)"},
	{"bad_truncated.yaml",
	 "4:23: syntax error: found unexpected end of stream (while scanning a quoted scalar at "
	 "4:13)"},
	{"bad_unknown_eal.yaml", "3:3: unknown key 'worker-lcore' in 'eal'"},
	{"bad_unknown_key.yaml", "11:5: unknown key 'fooo' in 'ports[1]'"},
	{"bad_unknown_top.yaml", "2:1: unknown key 'mapcache'"},
	{"bad_worker_control.yaml",
	 "4:22: 'eal.worker-lcores[1]' must not be the control lcore (2)"},
	{"bad_worker_default.yaml",
	 "3:18: 'eal.control-lcore' 1 is also the default worker lcore: set 'eal.worker-lcores'"},
	{"bad_worker_dup.yaml", "6:7: 'eal.worker-lcores[2]': lcore 1 is listed twice"},
	{"bad_workers_empty.yaml", "3:18: 'eal.worker-lcores' must have 1 to 64 entries"},
	{"bad_workers_type.yaml", "3:18: 'eal.worker-lcores' must be a list"},
};

#define PORTS "ports:\n  - {name: r, device: net_null0, role: rloc, addresses: [203.0.113.7/24]}\n"
// An eid port with iid 3 and an rloc port with both families: lines 1 to 6.
#define LPORTS                                                                                     \
	"ports:\n"                                                                                 \
	"  - {name: e, device: net_null0, role: eid, iid: 3, addresses: [10.0.0.1/24]}\n"          \
	"  - name: r\n"                                                                            \
	"    device: net_null1\n"                                                                  \
	"    role: rloc\n"                                                                         \
	"    addresses: [203.0.113.7/24, \"2001:db8::7/64\"]\n"

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

// Expects exactly "buf:" msg "\n", and *c back to its defaults.
static void
buf_bad(const void *buf, size_t len, const char *msg)
{
	char want[1024];

	snprintf(want, sizeof(want), "buf:%s\n", msg);
	assert_int_equal(conf_load_buffer(&conf, "buf", buf, len, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_int_equal(conf.n_ports, 0);
	assert_int_equal(conf.n_routes, 0);
	assert_int_equal(conf.n_database, 0);
	assert_int_equal(conf.n_map_cache, 0);
	assert_string_equal(conf.path, "buf");
}

static void
str_bad(const char *s, const char *msg)
{
	buf_bad(s, strlen(s), msg);
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
	assert_true(n + (size_t)used < len - 1);
	assert_ptr_equal(strchr(err, '\n'), err + len - 1);
}

static void
assert_prefix(const struct ip_prefix *p, int af, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 4];

	assert_int_equal(p->addr.af, af);
	assert_string_equal(conf_fmt_prefix(p, buf, sizeof(buf)), text);
}

static void
assert_addr(const struct ip_addr *a, int af, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 4];

	assert_int_equal(a->af, af);
	assert_string_equal(conf_fmt_addr(a, buf, sizeof(buf)), text);
}

static void
assert_loc(const struct conf_locator *l, int af, const char *addr, unsigned prio, unsigned weight)
{
	assert_addr(&l->addr, af, addr);
	assert_int_equal(l->priority, prio);
	assert_int_equal(l->weight, weight);
}

// A mapping: iid, prefix, action and, for CONF_ACT_ENCAP, n_loc; the item's line (column 5).
static void
assert_mapping(const struct conf_mapping *m,
	       uint32_t iid,
	       int af,
	       const char *prefix,
	       enum conf_map_action action,
	       unsigned n_loc,
	       unsigned line)
{
	assert_int_equal(m->iid, iid);
	assert_prefix(&m->prefix, af, prefix);
	assert_int_equal(m->action, action);
	assert_int_equal(m->n_loc, n_loc);
	assert_int_equal(m->mark.line, line);
	assert_int_equal(m->mark.col, 5);
}

static void assert_lisp_defaults(const struct dxtr_conf *c);

static void
assert_defaults_but_ports(const struct dxtr_conf *c)
{
	assert_int_equal(c->eal.control_lcore, 0);
	assert_int_equal(c->eal.n_workers, 1);
	assert_int_equal(c->eal.worker_lcores[0], 1);
	assert_int_equal(c->eal.memory_mb, 512);
	assert_false(c->eal.hugepages);
	assert_false(c->eal.in_memory);
	assert_string_equal(c->eal.file_prefix, CONF_DEFAULT_FILE_PREFIX);
	assert_int_equal(c->eal.n_args, 0);
	assert_int_equal(c->log.level, 7);
	assert_int_equal(c->log.n_types, 0);
	assert_string_equal(c->control.socket, CONF_DEFAULT_SOCKET);
	assert_int_equal(c->control.socket_mode, 0600);
	assert_int_equal(c->dataplane.mbufs, 8191);
	assert_int_equal(c->dataplane.burst, 32);
	assert_lisp_defaults(c);
}

static void
assert_lisp_defaults(const struct dxtr_conf *c)
{
	assert_int_equal(c->lisp.nonce, CONF_NONCE_RANDOM);
	assert_false(c->lisp.iid_always);
	assert_false(c->lisp.lsb);
	assert_true(c->lisp.udp_csum6);
	assert_int_equal(c->lisp.path_mtu, 1500);
	assert_int_equal(c->lisp.icmp_rate, 100);
	assert_int_equal(c->lisp.miss_rate, 100);
	assert_int_equal(c->lisp.hold_packets, 4);
	assert_int_equal(c->lisp.hold_total, 1024);
	assert_int_equal(c->lisp.hold_timeout_ms, 3000);
}

static void
assert_no_mappings(const struct dxtr_conf *c)
{
	assert_int_equal(c->n_routes, 0);
	assert_int_equal(c->n_database, 0);
	assert_int_equal(c->n_map_cache, 0);
}

static void
test_defaults(void **state)
{
	(void)state;
	memset(&conf, 0xa5, sizeof(conf));
	conf_defaults(&conf);
	assert_defaults_but_ports(&conf);
	assert_int_equal(conf.n_ports, 0);
	assert_no_mappings(&conf);
	assert_string_equal(conf.path, "");
}

static void
test_minimal(void **state)
{
	const struct conf_port *p = &conf.ports[0];

	(void)state;
	load_ok(data_dir, "good_minimal.yaml");
	assert_defaults_but_ports(&conf);
	assert_no_mappings(&conf);
	assert_int_equal(conf.n_ports, 1);
	assert_string_equal(p->name, "r");
	assert_string_equal(p->device, "net_null0");
	assert_int_equal(p->role, CONF_ROLE_RLOC);
	assert_int_equal(p->iid, 0);
	assert_int_equal(p->n_addrs, 1);
	assert_prefix(&p->addrs[0], AF_INET, "203.0.113.7/24");
	assert_int_equal(p->mtu, 1500);
	assert_int_equal(p->rx_desc, 1024);
	assert_int_equal(p->tx_desc, 1024);
	assert_int_equal(p->mark.line, 3);
	assert_int_equal(p->mark.col, 5);
}

static void
test_full(void **state)
{
	const struct conf_port *p;

	(void)state;
	load_ok(data_dir, "good_full.yaml");
	assert_int_equal(conf.eal.control_lcore, 2);
	assert_int_equal(conf.eal.n_workers, 3);
	assert_int_equal(conf.eal.worker_lcores[0], 3);
	assert_int_equal(conf.eal.worker_lcores[1], 5);
	assert_int_equal(conf.eal.worker_lcores[2], 4);
	assert_int_equal(conf.eal.memory_mb, 1024);
	assert_true(conf.eal.hugepages);
	assert_true(conf.eal.in_memory);
	assert_string_equal(conf.eal.file_prefix, "lab_1-x");
	assert_int_equal(conf.eal.n_args, 2);
	assert_string_equal(conf.eal.args[0], "--no-pci");
	assert_string_equal(conf.eal.args[1], "--log-level=lib.eal:notice");
	assert_int_equal(conf.log.level, 5);
	assert_int_equal(conf.log.n_types, 2);
	assert_string_equal(conf.log.types[0].name, "dxtr.port");
	assert_int_equal(conf.log.types[0].level, 8);
	assert_string_equal(conf.log.types[1].name, "lib.*");
	assert_int_equal(conf.log.types[1].level, 4);
	assert_string_equal(conf.control.socket, "/tmp/dxtr-test.sock");
	assert_int_equal(conf.control.socket_mode, 0660);
	assert_int_equal(conf.dataplane.mbufs, 16383);
	assert_int_equal(conf.dataplane.burst, 64);
	assert_int_equal(conf.n_ports, 3);

	p = &conf.ports[0];
	assert_string_equal(p->name, "site.a-0");
	assert_string_equal(p->device, "0000:03:00.1");
	assert_int_equal(p->role, CONF_ROLE_EID);
	assert_int_equal(p->iid, CONF_IID_MAX);
	assert_int_equal(p->n_addrs, 3);
	assert_prefix(&p->addrs[0], AF_INET, "10.0.0.1/8");
	assert_prefix(&p->addrs[1], AF_INET6, "2001:db8:a::1/64");
	assert_prefix(&p->addrs[2], AF_INET, "192.0.2.5/32");
	assert_int_equal(p->mtu, 9000);
	assert_int_equal(p->rx_desc, 4096);
	assert_int_equal(p->tx_desc, 512);
	assert_int_equal(p->mark.line, 22);
	assert_int_equal(p->mark.col, 5);

	p = &conf.ports[1];
	assert_string_equal(p->name, "rloc_0");
	assert_string_equal(p->device, "net_tap0,iface=dtap0,persist=[a,b]");
	assert_int_equal(p->role, CONF_ROLE_RLOC);
	assert_int_equal(p->iid, 0);
	assert_int_equal(p->n_addrs, 2);
	assert_prefix(&p->addrs[0], AF_INET, "198.18.0.0/31");
	assert_prefix(&p->addrs[1], AF_INET6, "2001:db8:ffff::2/127");
	assert_int_equal(p->mtu, 1280);
	assert_int_equal(p->rx_desc, 1024);
	assert_int_equal(p->tx_desc, 1024);
	assert_int_equal(p->mark.line, 33);

	p = &conf.ports[2];
	assert_string_equal(p->name, "X");
	assert_string_equal(p->device, "03:00.0");
	assert_int_equal(p->role, CONF_ROLE_EID);
	assert_int_equal(p->n_addrs, 0);
	assert_int_equal(p->mtu, 68);
	assert_int_equal(p->mark.line, 38);
	assert_int_equal(p->mark.col, 5);
}

// Every LISP key away from its default; the sections before the ports they refer to.
static void
test_lisp_full(void **state)
{
	const struct conf_mapping *m;
	const struct conf_route *r;

	(void)state;
	load_ok(data_dir, "good_lisp.yaml");
	assert_int_equal(conf.lisp.nonce, CONF_NONCE_NONE);
	assert_true(conf.lisp.iid_always);
	assert_true(conf.lisp.lsb);
	assert_false(conf.lisp.udp_csum6);
	assert_int_equal(conf.lisp.path_mtu, 9600);
	assert_int_equal(conf.lisp.icmp_rate, 1);
	assert_int_equal(conf.lisp.miss_rate, 1000000);
	assert_int_equal(conf.lisp.hold_packets, 0);
	assert_int_equal(conf.lisp.hold_total, 1048576);
	assert_int_equal(conf.lisp.hold_timeout_ms, 100);
	assert_int_equal(conf.n_ports, 4);

	assert_int_equal(conf.n_routes, 4);
	r = &conf.routes[0];
	assert_prefix(&r->prefix, AF_INET, "0.0.0.0/0");
	assert_addr(&r->via, AF_INET, "198.18.0.254");
	assert_int_equal(r->port, 2);
	assert_int_equal(r->mark.line, 45);
	assert_int_equal(r->mark.col, 5);
	r = &conf.routes[1];
	assert_prefix(&r->prefix, AF_INET6, "::/0");
	assert_addr(&r->via, AF_INET6, "2001:db8:ffff::fe");
	assert_int_equal(r->port, 2);
	assert_int_equal(r->mark.line, 47);
	r = &conf.routes[2];
	assert_prefix(&r->prefix, AF_INET, "10.0.0.0/8");
	assert_addr(&r->via, AF_INET, "203.0.113.254");
	assert_int_equal(r->port, 3);
	r = &conf.routes[3];
	assert_prefix(&r->prefix, AF_INET, "10.0.0.0/9");
	assert_addr(&r->via, AF_INET, "198.18.0.150");
	assert_int_equal(r->port, 3); // the longest subnet that holds it
	assert_int_equal(r->mark.line, 51);

	assert_int_equal(conf.n_database, 4);
	m = &conf.database[0];
	assert_mapping(m, 0, AF_INET, "192.0.2.0/24", CONF_ACT_ENCAP, 2, 20);
	assert_loc(&m->loc[0], AF_INET, "198.18.0.1", 1, 100);
	assert_loc(&m->loc[1], AF_INET6, "2001:db8:ffff::1", 2, 50);
	m = &conf.database[1];
	assert_mapping(m, 7, AF_INET, "192.0.2.0/24", CONF_ACT_ENCAP, 1, 24);
	assert_loc(&m->loc[0], AF_INET, "198.18.0.1", 0, 0);
	m = &conf.database[2];
	assert_mapping(m, 0, AF_INET, "192.0.2.0/25", CONF_ACT_ENCAP, 1, 27);
	assert_loc(&m->loc[0], AF_INET, "203.0.113.1", 255, 100);
	m = &conf.database[3];
	assert_mapping(m, 0, AF_INET6, "::/0", CONF_ACT_ENCAP, 1, 30);
	assert_loc(&m->loc[0], AF_INET6, "2001:db8:ffff::1", 1, 100);

	assert_int_equal(conf.n_map_cache, 7);
	m = &conf.map_cache[0];
	assert_mapping(m, 0, AF_INET, "198.51.100.0/24", CONF_ACT_ENCAP, 3, 4);
	assert_loc(&m->loc[0], AF_INET, "198.18.0.2", 0, 0);
	assert_loc(&m->loc[1], AF_INET6, "2001:db8:ffff::2", 255, 100);
	assert_loc(&m->loc[2], AF_INET, "203.0.113.9", 1, 100);
	m = &conf.map_cache[1];
	assert_mapping(m, CONF_IID_MAX, AF_INET6, "2001:db8:b::/48", CONF_ACT_NO_ACTION, 0, 11);
	assert_mapping(&conf.map_cache[2], 7, AF_INET, "10.0.0.0/8", CONF_ACT_NATIVE_FWD, 0, 14);
	assert_mapping(&conf.map_cache[3],
		       7,
		       AF_INET,
		       "10.1.0.0/16",
		       CONF_ACT_SEND_MAP_REQUEST,
		       0,
		       15);
	assert_mapping(&conf.map_cache[4], 0, AF_INET, "0.0.0.0/0", CONF_ACT_DROP, 0, 16);
	m = &conf.map_cache[5];
	assert_mapping(m, 0, AF_INET, "192.0.2.128/25", CONF_ACT_ENCAP, 1, 17);
	assert_loc(&m->loc[0], AF_INET, "198.18.0.3", 1, 100);
	m = &conf.map_cache[6];
	assert_mapping(m, 7, AF_INET, "192.0.2.0/24", CONF_ACT_ENCAP, 1, 18);
	assert_loc(&m->loc[0], AF_INET, "198.18.0.3", 1, 100);
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
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
		}
	}

	// Every bad_*.yaml fixture has its expected message above.
	dir = opendir(data_dir);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		bool found = false;
		if (fnmatch("bad_*.yaml", de->d_name, 0) != 0)
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

static void
test_empty_and_null(void **state)
{
	(void)state;
	str_bad("", "1:1: missing required key 'ports'");
	str_bad("# only a comment\n", "1:1: missing required key 'ports'");
	str_bad("~\n", "1:1: missing required key 'ports'");
	str_bad("---\n", "2:1: missing required key 'ports'");
	str_bad("hello\n", "1:1: the top level must be a mapping (key: value)");
	str_bad("[1, 2]\n", "1:1: the top level must be a mapping (key: value)");
	// Empty sections are allowed and give the defaults.
	str_ok("eal:\nlog: ~\ncontrol: {}\ndataplane:\n" PORTS);
	assert_defaults_but_ports(&conf);
	// An explicit end of document is fine; another document after it is not.
	str_ok(PORTS "...\n");
	str_bad(PORTS "---\n" PORTS, "3:1: only one YAML document is allowed");
	str_bad(PORTS "...\n---\n" PORTS, "4:1: only one YAML document is allowed");
	str_bad(PORTS "...\n" PORTS, "4:1: syntax error: did not find expected <document start>");
}

static void
test_values(void **state)
{
	(void)state;
	str_ok("control: {socket-mode: 0600}\n" PORTS);
	assert_int_equal(conf.control.socket_mode, 0600);
	str_ok("control: {socket-mode: \"0o640\"}\n" PORTS);
	assert_int_equal(conf.control.socket_mode, 0640);
	str_ok("control: {socket-mode: 700}\n" PORTS);
	assert_int_equal(conf.control.socket_mode, 0700);
	str_bad("control: {socket-mode: 384}\n" PORTS,
		"1:24: 'control.socket-mode' must be an octal mode like \"0600\"");

	str_ok("eal: {hugepages: yes, in-memory: no}\n" PORTS);
	assert_true(conf.eal.hugepages);
	assert_false(conf.eal.in_memory);
	str_ok("eal: {hugepages: true, in-memory: true}\n" PORTS);
	assert_true(conf.eal.in_memory);
	str_bad("eal: {hugepages: on}\n" PORTS, "1:18: 'eal.hugepages' must be true or false");
	str_bad("eal: {hugepages: True}\n" PORTS, "1:18: 'eal.hugepages' must be true or false");

	str_ok("log: {level: error}\n" PORTS);
	assert_int_equal(conf.log.level, 4);
	str_ok("log: {level: debug}\n" PORTS);
	assert_int_equal(conf.log.level, 8);
	str_bad("log: {level: 7}\n" PORTS,
		"1:14: 'log.level' must be one of: emerg, alert, crit, err, warning, notice, info, "
		"debug");

	// Integer edges.
	str_ok("dataplane: {mbufs: 1023, burst: 256}\n" PORTS);
	assert_int_equal(conf.dataplane.mbufs, 1023);
	assert_int_equal(conf.dataplane.burst, 256);
	str_bad("dataplane: {mbufs: 99999999999999999999999}\n" PORTS,
		"1:20: 'dataplane.mbufs' must be between 1023 and 1048575");
	str_bad("dataplane: {burst: 0x20}\n" PORTS, "1:20: 'dataplane.burst' must be an integer");
	str_bad("dataplane: {burst: \"32\"}\n" PORTS, "1:20: 'dataplane.burst' must be an integer");
	str_bad("dataplane: {burst: 3.2}\n" PORTS, "1:20: 'dataplane.burst' must be an integer");
	str_bad("dataplane: {burst: }\n" PORTS, "1:20: 'dataplane.burst' must be an integer");
	str_bad("dataplane: {burst: [32]}\n" PORTS, "1:20: 'dataplane.burst' must be an integer");
}

static void
test_lisp_values(void **state)
{
	(void)state;
	// Empty sections keep the defaults, lists included.
	str_ok("lisp:\nroutes:\ndatabase: ~\nmap-cache: []\n" PORTS);
	assert_defaults_but_ports(&conf);
	assert_no_mappings(&conf);
	str_ok("lisp: {miss: }\n" PORTS);
	assert_defaults_but_ports(&conf);

	// Words may be quoted; anything else is refused with the list of words.
	str_ok("lisp: {nonce: \"none\", instance-id-bit: 'auto'}\n" PORTS);
	assert_int_equal(conf.lisp.nonce, CONF_NONCE_NONE);
	assert_false(conf.lisp.iid_always);
	str_bad("lisp: {nonce: [random]}\n" PORTS,
		"1:15: 'lisp.nonce' must be one of: random, none");
	str_bad("lisp: {nonce: Random}\n" PORTS, "1:15: 'lisp.nonce' must be one of: random, none");
	str_bad("lisp: {instance-id-bit: }\n" PORTS,
		"1:25: 'lisp.instance-id-bit' must be one of: auto, always");

	// Integer edges.
	str_ok("lisp: {path-mtu: 576, icmp-rate-limit: 100000, miss: {rate-limit: 1, "
	       "hold-packets: 64, hold-total: 0, hold-timeout-ms: 60000}}\n" PORTS);
	assert_int_equal(conf.lisp.path_mtu, 576);
	assert_int_equal(conf.lisp.icmp_rate, 100000);
	assert_int_equal(conf.lisp.miss_rate, 1);
	assert_int_equal(conf.lisp.hold_packets, 64);
	assert_int_equal(conf.lisp.hold_total, 0);
	assert_int_equal(conf.lisp.hold_timeout_ms, 60000);
	str_bad("lisp: {path-mtu: 9601}\n" PORTS,
		"1:18: 'lisp.path-mtu' must be between 576 and 9600");
	str_bad("lisp: {icmp-rate-limit: 100001}\n" PORTS,
		"1:25: 'lisp.icmp-rate-limit' must be between 1 and 100000");
	str_bad("lisp: {miss: {hold-total: 1048577}}\n" PORTS,
		"1:27: 'lisp.miss.hold-total' must be between 0 and 1048576");
	str_bad("lisp: {miss: []}\n" PORTS, "1:14: 'lisp.miss' must be a mapping (key: value)");

	// Prefixes: canonical in both families, compared as numbers, host routes allowed.
	str_ok(LPORTS
	       "database:\n"
	       "  - {iid: 3, prefix: \"2001:DB8:0::/32\", locators: [{address: 203.0.113.7}]}\n"
	       "  - {iid: 3, prefix: 10.0.0.1/32, locators: [{address: \"2001:db8::7\"}]}\n"
	       "  - {iid: 3, prefix: \"2001:db8::1/128\", locators: [{address: 203.0.113.7}]}\n"
	       "  - {iid: 3, prefix: 0.0.0.0/0, locators: [{address: 203.0.113.7}]}\n");
	assert_int_equal(conf.n_database, 4);
	assert_prefix(&conf.database[0].prefix, AF_INET6, "2001:db8::/32");
	assert_prefix(&conf.database[1].prefix, AF_INET, "10.0.0.1/32");
	assert_addr(&conf.database[1].loc[0].addr, AF_INET6, "2001:db8::7");
	str_bad(LPORTS
		"database:\n"
		"  - {iid: 3, prefix: \"2001:DB8:0::/32\", locators: [{address: 203.0.113.7}]}\n"
		"  - {iid: 3, prefix: \"2001:db8::/32\", locators: [{address: 203.0.113.7}]}\n",
		"9:22: 'database[1].prefix': duplicate prefix '2001:db8::/32' in iid 3 (already in "
		"database[0])");
	str_bad("map-cache: [{prefix: 10.0.0.128/24, action: drop}]\n" PORTS,
		"1:22: 'map-cache[0].prefix': '10.0.0.128/24' has host bits set (did you mean "
		"10.0.0.0/24?)");
	str_bad("map-cache: [{prefix: \"::1/0\", action: drop}]\n" PORTS,
		"1:22: 'map-cache[0].prefix': '::1/0' has host bits set (did you mean ::/0?)");
	str_bad("map-cache: [{prefix: \"\", action: drop}]\n" PORTS,
		"1:22: 'map-cache[0].prefix': bad IPv4/IPv6 prefix ''");
	str_bad("map-cache: [{prefix: , action: drop}]\n" PORTS,
		"1:22: 'map-cache[0].prefix' must be an address/prefix-length");
	str_bad("routes: [{prefix: 0.0.0.0/0, via: {a: 1}}]\n" PORTS,
		"1:35: 'routes[0].via' must be an IPv4 or IPv6 address");

	// The database needs an eid port of its iid: 0 by default.
	str_bad(LPORTS "database: [{prefix: 10.0.0.0/24, locators: [{address: 203.0.113.7}]}]\n",
		"7:12: 'database[0]': no eid port has iid 0 (the default)");
	str_bad("database: [{iid: 0, prefix: 10.0.0.0/24, "
		"locators: [{address: 203.0.113.7}]}]\n" PORTS,
		"1:18: 'database[0].iid': no eid port has iid 0");

	// Remote locators: unicast and not ours, on any port; any family whatever the prefix's.
	str_ok(LPORTS "map-cache:\n"
		      "  - prefix: 192.0.2.0/24\n"
		      "    locators: [{address: \"2001:db8::8\"}, {address: 203.0.113.8}]\n");
	assert_int_equal(conf.map_cache[0].n_loc, 2);
	str_bad(LPORTS "map-cache: [{prefix: 192.0.2.0/24, locators: [{address: 10.0.0.1}]}]\n",
		"7:57: 'map-cache[0].locators[0].address': '10.0.0.1' is an address of this xTR "
		"(port 'e')");
	str_bad("map-cache: [{prefix: 192.0.2.0/24, "
		"locators: [{address: 255.255.255.255}]}]\n" PORTS,
		"1:57: 'map-cache[0].locators[0].address': '255.255.255.255' is the broadcast "
		"address");
	str_bad("map-cache: [{prefix: 192.0.2.0/24, locators: [{address: \"::1\"}]}]\n" PORTS,
		"1:57: 'map-cache[0].locators[0].address': '::1' is the loopback address");
	str_bad("map-cache: [{prefix: 192.0.2.0/24, "
		"locators: [{address: 192.0.2.1/32}]}]\n" PORTS,
		"1:57: 'map-cache[0].locators[0].address': '192.0.2.1/32' must be an address "
		"without a prefix length");
	str_bad("map-cache: [{prefix: 192.0.2.0/24, locators: [{address: 192.0.2.1, weight: 1, "
		"weight: 2}]}]\n" PORTS,
		"1:79: duplicate key 'weight' in 'map-cache[0].locators[0]'");
	str_bad("map-cache: [{prefix: 192.0.2.0/24, action: drop, action: drop}]\n" PORTS,
		"1:50: duplicate key 'action' in 'map-cache[0]'");

	// Next hops: a host address of an rloc subnet, never ours.
	str_bad(LPORTS "routes: [{prefix: 0.0.0.0/0, via: 203.0.113.0}]\n",
		"7:35: 'routes[0].via': '203.0.113.0' is a network address, not a host address");
	str_bad(LPORTS "routes: [{prefix: 0.0.0.0/0, via: 203.0.113.7}]\n",
		"7:35: 'routes[0].via': '203.0.113.7' is an address of this xTR (port 'r')");
	str_bad(LPORTS "routes: [{prefix: \"::/0\", via: \"fe80::1\"}]\n",
		"7:32: 'routes[0].via': 'fe80::1' is not in the subnet of an rloc port address");
	str_bad(LPORTS "routes: [{prefix: 10.9.0.0/16, via: 10.0.0.2}]\n",
		"7:37: 'routes[0].via': '10.0.0.2' is not in the subnet of an rloc port address");
	str_ok(LPORTS "routes: [{prefix: \"::/0\", via: \"2001:db8::ffff:ffff:ffff:ffff\"}, "
		      "{prefix: 10.9.0.0/16, via: 203.0.113.254}]\n");
	assert_int_equal(conf.n_routes, 2);
	assert_int_equal(conf.routes[0].port, 1);

	// Checks against the ports run in file order, whatever the section order.
	str_bad("map-cache: [{prefix: 192.0.2.0/24, locators: [{address: 203.0.113.7}]}]\n"
		"routes: [{prefix: 0.0.0.0/0, via: 198.18.0.1}]\n" PORTS,
		"1:57: 'map-cache[0].locators[0].address': '203.0.113.7' is an address of this xTR "
		"(port 'r')");
	str_bad("routes: [{prefix: 0.0.0.0/0, via: 198.18.0.1}]\n"
		"map-cache: [{prefix: 192.0.2.0/24, locators: [{address: 203.0.113.7}]}]\n" PORTS,
		"1:35: 'routes[0].via': '198.18.0.1' is not in the subnet of an rloc port address");
	// ... but only once every section parsed.
	str_bad("routes: [{prefix: 0.0.0.0/0, via: 198.18.0.1}]\n"
		"map-cache: [{prefix: 192.0.2.0/24, action: none}]\n" PORTS,
		"2:44: 'map-cache[0].action' must be one of: no-action, natively-forward, "
		"send-map-request, drop");
}

static void
test_limits(void **state)
{
	char *buf, *p;
	size_t len;

	(void)state;
	// Nesting: 32 levels pass the tree builder (and meet the schema), 33 do not.
	len = 4 * 1024 * 1024;
	buf = malloc(len + 64);
	if (buf == NULL)
		abort();
	p = buf + sprintf(buf, "a: ");
	memset(p, '[', 31);
	memset(p + 31, ']', 31);
	p[62] = '\0';
	str_bad(buf, "1:1: unknown key 'a'");
	p = buf + sprintf(buf, "a: ");
	memset(p, '[', 40);
	memset(p + 40, ']', 40);
	p[80] = '\0';
	str_bad(buf, "1:35: nesting is deeper than 32 levels");
	memset(buf, '[', len);
	buf_bad(buf, len, "1:33: nesting is deeper than 32 levels");
	p = buf;
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "%*sk%d:\n", i, "", i);
	str_bad(buf, "33:33: nesting is deeper than 32 levels");

	// Size: CONF_FILE_MAX bytes load, one more does not.
	len = CONF_FILE_MAX;
	p = buf + sprintf(buf, PORTS "#");
	memset(p, 'x', len - (size_t)(p - buf) - 1);
	buf[len - 1] = '\n';
	if (conf_load_buffer(&conf, "buf", buf, len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	buf[len] = '\n';
	buf_bad(buf, len + 1, "1:1: input is larger than 4194304 bytes");

	// Node count: a flat list of CONF_NODES_MAX items.
	p = buf + sprintf(buf, "a: [");
	for (unsigned i = 0; i < CONF_NODES_MAX; i++)
		p += sprintf(p, "1,");
	sprintf(p, "]\n");
	str_bad(buf, "1:524287: too many YAML nodes (more than 262144)");

	// Long scalars: refused, never cut.
	p = buf + sprintf(buf, "ports:\n  - {name: r, device: \"net_null0,a=");
	memset(p, 'x', 250);
	sprintf(p + 250, "\", role: eid}\n");
	str_bad(buf, "2:23: 'ports[0].device' is too long (at most 255 characters)");
	p = buf + sprintf(buf, "eal: {args: [\"-");
	memset(p, 'x', 255);
	sprintf(p + 255, "\"]}\n" PORTS);
	str_bad(buf, "1:14: 'eal.args[0]' is too long (at most 255 characters)");
	// (a plain key is limited to 1024 characters by YAML itself: take the long form)
	buf[0] = '?';
	buf[1] = ' ';
	memset(buf + 2, 'k', 1 << 20);
	sprintf(buf + 2 + (1 << 20), "\n: 1\n");
	str_bad(buf,
		"1:3: unknown key "
		"'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'");

	// 33 ports.
	p = buf + sprintf(buf, "ports:\n");
	for (int i = 0; i < 33; i++)
		p += sprintf(p, "  - {name: p%d, device: net_null%d, role: eid}\n", i, i);
	str_bad(buf, "2:3: 'ports' must have 1 to 32 entries");

	// 64 routes, 256 database entries, 4096 map-cache entries, 8 locators each.
	p = buf + sprintf(buf, LPORTS "routes:\n");
	for (unsigned i = 0; i < CONF_MAX_ROUTES; i++)
		p += sprintf(p, "  - {prefix: 10.%u.0.0/16, via: 203.0.113.1}\n", i);
	str_ok(buf);
	assert_int_equal(conf.n_routes, CONF_MAX_ROUTES);
	sprintf(p, "  - {prefix: 10.255.0.0/16, via: 203.0.113.1}\n");
	str_bad(buf, "8:3: 'routes' must have at most 64 entries");

	p = buf + sprintf(buf, LPORTS "database:\n");
	for (unsigned i = 0; i < CONF_MAX_DATABASE; i++)
		p += sprintf(
			p,
			"  - {iid: 3, prefix: 10.%u.0.0/16, locators: [{address: 203.0.113.7}]}\n",
			i);
	str_ok(buf);
	assert_int_equal(conf.n_database, CONF_MAX_DATABASE);
	sprintf(p, "  - {iid: 3, prefix: 11.0.0.0/16, locators: [{address: 203.0.113.7}]}\n");
	str_bad(buf, "8:3: 'database' must have at most 256 entries");

	p = buf + sprintf(buf, PORTS "map-cache:\n");
	for (unsigned i = 0; i < CONF_MAX_MAP_CACHE; i++)
		p += sprintf(p,
			     "  - {iid: %u, prefix: 10.%u.%u.0/24, action: drop}\n",
			     i % 3,
			     i >> 8,
			     i & 0xff);
	str_ok(buf);
	assert_int_equal(conf.n_map_cache, CONF_MAX_MAP_CACHE);
	assert_mapping(&conf.map_cache[CONF_MAX_MAP_CACHE - 1],
		       0,
		       AF_INET,
		       "10.15.255.0/24",
		       CONF_ACT_DROP,
		       0,
		       CONF_MAX_MAP_CACHE + 3);
	sprintf(p, "  - {prefix: 11.0.0.0/24, action: drop}\n");
	str_bad(buf, "4:3: 'map-cache' must have at most 4096 entries");

	p = buf + sprintf(buf, PORTS "map-cache:\n  - prefix: 10.0.0.0/8\n    locators:\n");
	for (unsigned i = 0; i < CONF_MAX_LOCATORS; i++)
		p += sprintf(p,
			     "      - {address: 192.0.2.%u, priority: %u, weight: %u}\n",
			     i + 1,
			     i,
			     i * 10);
	str_ok(buf);
	assert_int_equal(conf.map_cache[0].n_loc, CONF_MAX_LOCATORS);
	assert_loc(&conf.map_cache[0].loc[7], AF_INET, "192.0.2.8", 7, 70);
	free(buf);
}

static void
test_hostile(void **state)
{
	static const char elf[] = "\x7f"
				  "ELF\x02\x01\x01\x00\x00\x00\x00\x00";
	static const char laughs[] = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
				     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
				     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
				     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
	uint32_t seed = 12345;
	char buf[512];

	(void)state;
	buf_bad(elf, sizeof(elf) - 1, "1:1: bad input: control characters are not allowed (0x7f)");
	buf_bad("ports:\0x", 8, "1:7: bad input: control characters are not allowed (0x00)");
	str_bad("ports: \xc3\x28\n", "1:9: bad input: invalid trailing UTF-8 octet (0x28)");
	str_bad("a: \xe2\x82", "1:4: bad input: incomplete UTF-8 octet sequence");
	str_bad("}{][::\n",
		"1:1: syntax error: did not find expected node content (while parsing a "
		"block node at 1:1)");
	str_bad(laughs, "2:8: YAML aliases are not supported ('*a')");
	str_bad("base: &b {mtu: 1500}\nports:\n  - <<: *b\n",
		"3:9: YAML aliases are not supported ('*b')");
	str_bad("ports: !!seq []\n", "1:8: YAML tags are not supported ('tag:yaml.org,2002:seq')");
	str_bad("ports:\n  - {name: r, device: \"net_null0,a=\\0\", role: eid}\n",
		"2:23: 'ports[0].device' must not contain control characters");
	str_bad("ports:\n  - {name: \"r\\0x\", device: net_null0, role: eid}\n",
		"2:12: 'ports[0].name' may only contain letters, digits and '_.-'");
	str_bad("ports: [{name: r, device: net_null0",
		"1:36: syntax error: did not find expected "
		"',' or '}' (while parsing a flow mapping at "
		"1:9)");

	// Encodings that are valid: CRLF line ends, a UTF-8 byte order mark.
	str_ok("ports:\r\n  - name: r\r\n    device: net_null0\r\n    role: eid\r\n");
	assert_int_equal(conf.n_ports, 1);
	str_ok("\xef\xbb\xbf" PORTS);
	assert_int_equal(conf.n_ports, 1);

	// Random bytes over a YAML-ish alphabet: one well-formed message or success, never a crash.
	for (int i = 0; i < 3000; i++) {
		static const char alphabet[] = "ab:-[]{},&*!#'\"\n  \t01|>?~\\\x00\xff\xc3";
		size_t len = 0;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % sizeof(buf);
		for (size_t j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			buf[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (conf_load_buffer(&conf, "buf", buf, len, err, sizeof(err)) < 0)
			assert_one_message("buf");
	}
}

static void
test_err_buffer(void **state)
{
	char small[12];

	(void)state;
	assert_int_equal(conf_load_buffer(&conf, "buf", "x: 1\n", 5, NULL, 0), -1);
	memset(small, 'z', sizeof(small));
	assert_int_equal(conf_load_buffer(&conf, "buf", "x: 1\n", 5, small, 8), -1);
	assert_string_equal(small, "buf:1:1");
	assert_int_equal(small[8], 'z');
	assert_int_equal(conf_load_buffer(&conf, NULL, "x: 1\n", 5, err, sizeof(err)), -1);
	assert_string_equal(err, "<buffer>:1:1: unknown key 'x'\n");
	assert_int_equal(conf_load_buffer(&conf, "buf", NULL, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "buf:1:1: missing required key 'ports'\n");
	assert_int_equal(conf_load_file(&conf, "/nonexistent/dxtr.yaml", err, sizeof(err)), -1);
	assert_string_equal(err,
			    "/nonexistent/dxtr.yaml: cannot read: No such file or directory\n");
	assert_int_equal(conf.n_ports, 0);
}

static void
test_file_size(void **state)
{
	char path[] = "/tmp/conf_test.XXXXXX", want[256];
	static char chunk[1 << 16];
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	memset(chunk, '#', sizeof(chunk));
	for (unsigned i = 0; i < (CONF_FILE_MAX / sizeof(chunk)) + 1; i++)
		assert_int_equal(fwrite(chunk, 1, sizeof(chunk), f), sizeof(chunk));
	fclose(f);
	snprintf(want, sizeof(want), "%s:1:1: input is larger than 4194304 bytes\n", path);
	assert_int_equal(conf_load_file(&conf, path, err, sizeof(err)), -1);
	unlink(path);
	assert_string_equal(err, want);
}

// Cuts and byte flips of a real configuration: success or one message, never a crash or a leak.
static void
test_mutations(void **state)
{
	static const char flips[] =
		{'\0', '\xff', ':', '[', '{', '\n', '&', '*', '"', '-', ' ', '!'};
	char path[4096], *buf, *copy;
	size_t len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/site-a.yaml", conf_dir);
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

static void
test_addr_helpers(void **state)
{
	static const char *const round[] = {
		"192.0.2.1/24",
		"0.0.0.0/0",
		"255.255.255.255/32",
		"2001:db8:a::1/64",
		"::/0",
		"::1/128",
		"fe80::1/10",
		"::ffff:192.0.2.1/96",
	};
	static const char *const bad_prefixes[] = {
		"192.0.2.1",
		"192.0.2.1/",
		"192.0.2.1/33",
		"/24",
		"2001:db8::/129",
		"192.0.2.1/024",
		"192.0.2.1/+4",
		"192.0.2.1/2 ",
		"192.0.2.1/1000",
		"192.0.2/24",
		"2001:db8::1%eth0/64",
		"192.0.2.1/24/24",
		"",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/24",
	};
	static const char *const bad_addrs[] = {
		"",
		"192.0.2",
		"192.0.2.256",
		"192.0.2.1/24",
		"::g",
		"1:2:3:4:5:6:7:8:9",
		" 192.0.2.1",
	};
	static const struct {
		const char *in, *masked;
	} masks[] = {
		{"192.0.2.1/24", "192.0.2.0/24"},
		{"192.0.2.255/25", "192.0.2.128/25"},
		{"10.255.255.255/9", "10.128.0.0/9"},
		{"255.255.255.255/0", "0.0.0.0/0"},
		{"255.255.255.255/32", "255.255.255.255/32"},
		{"192.0.2.3/31", "192.0.2.2/31"},
		{"2001:db8:a:b::1/48", "2001:db8:a::/48"},
		{"2001:db8:ffff::1/127", "2001:db8:ffff::/127"},
		{"2001:db8::ffff/121", "2001:db8::ff80/121"},
		{"ffff::1/0", "::/0"},
		{"2001:db8::1/128", "2001:db8::1/128"},
	};
	char buf[INET6_ADDRSTRLEN + 4], small[4];
	struct ip_prefix p, q;
	struct ip_addr a;

	(void)state;
	assert_int_equal(conf_parse_addr("192.0.2.1", &a), 0);
	assert_int_equal(a.af, AF_INET);
	assert_int_equal(a.v4.s_addr, htonl(0xc0000201));
	assert_string_equal(conf_fmt_addr(&a, buf, sizeof(buf)), "192.0.2.1");
	assert_int_equal(conf_parse_addr("2001:DB8:0:0::1", &a), 0);
	assert_int_equal(a.af, AF_INET6);
	assert_int_equal(a.bytes[0], 0x20);
	assert_int_equal(a.bytes[15], 0x01);
	assert_string_equal(conf_fmt_addr(&a, buf, sizeof(buf)), "2001:db8::1");
	for (size_t i = 0; i < sizeof(bad_addrs) / sizeof(bad_addrs[0]); i++) {
		if (conf_parse_addr(bad_addrs[i], &a) == 0)
			fail_msg("address '%s' parsed", bad_addrs[i]);
		assert_int_equal(a.af, 0);
	}
	assert_int_equal(conf_parse_addr(NULL, &a), -1);

	// The host bits stay as written.
	assert_int_equal(conf_parse_prefix("192.0.2.1/24", &p), 0);
	assert_int_equal(p.len, 24);
	assert_int_equal(p.addr.v4.s_addr, htonl(0xc0000201));
	for (size_t i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
		assert_int_equal(conf_parse_prefix(round[i], &p), 0);
		assert_string_equal(conf_fmt_prefix(&p, buf, sizeof(buf)), round[i]);
		assert_int_equal(conf_parse_prefix(buf, &q), 0);
		assert_memory_equal(&p, &q, sizeof(p));
	}
	assert_int_equal(conf_parse_prefix("2001:DB8:0::1/64", &p), 0);
	assert_string_equal(conf_fmt_prefix(&p, buf, sizeof(buf)), "2001:db8::1/64");
	for (size_t i = 0; i < sizeof(bad_prefixes) / sizeof(bad_prefixes[0]); i++) {
		if (conf_parse_prefix(bad_prefixes[i], &p) == 0)
			fail_msg("prefix '%s' parsed", bad_prefixes[i]);
		assert_int_equal(p.addr.af, 0);
		assert_int_equal(p.len, 0);
	}
	assert_int_equal(conf_parse_prefix(NULL, &p), -1);

	// Host bits: masking, the canonical test, containment.
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		bool same = strcmp(masks[i].in, masks[i].masked) == 0;

		assert_int_equal(conf_parse_prefix(masks[i].in, &p), 0);
		assert_int_equal(conf_prefix_is_canonical(&p), same);
		conf_prefix_mask(&p);
		assert_string_equal(conf_fmt_prefix(&p, buf, sizeof(buf)), masks[i].masked);
		assert_true(conf_prefix_is_canonical(&p));
	}
	memset(&p, 0, sizeof(p));
	assert_false(conf_prefix_is_canonical(&p)); // unset
	conf_prefix_mask(&p);
	assert_int_equal(conf_parse_prefix("10.0.0.0/8", &p), 0);
	p.len = 33;
	assert_false(conf_prefix_is_canonical(&p));
	assert_false(conf_prefix_contains(&p, &p.addr));
	assert_int_equal(conf_parse_prefix("198.18.0.1/24", &p), 0);
	assert_int_equal(conf_parse_addr("198.18.0.254", &a), 0);
	assert_true(conf_prefix_contains(&p, &a));
	assert_int_equal(conf_parse_addr("198.18.1.1", &a), 0);
	assert_false(conf_prefix_contains(&p, &a));
	assert_int_equal(conf_parse_addr("::ffff:198.18.0.1", &a), 0);
	assert_false(conf_prefix_contains(&p, &a)); // another family, even under /0
	assert_int_equal(conf_parse_prefix("0.0.0.0/0", &p), 0);
	assert_false(conf_prefix_contains(&p, &a));
	assert_int_equal(conf_parse_addr("203.0.113.1", &a), 0);
	assert_true(conf_prefix_contains(&p, &a));
	assert_int_equal(conf_parse_prefix("2001:db8:ffff::1/127", &p), 0);
	assert_int_equal(conf_parse_addr("2001:db8:ffff::", &a), 0);
	assert_true(conf_prefix_contains(&p, &a));
	assert_int_equal(conf_parse_addr("2001:db8:ffff::2", &a), 0);
	assert_false(conf_prefix_contains(&p, &a));
	assert_int_equal(conf_parse_prefix("::/0", &p), 0);
	assert_true(conf_prefix_contains(&p, &a));

	// Unset addresses and short buffers.
	memset(&a, 0, sizeof(a));
	assert_string_equal(conf_fmt_addr(&a, buf, sizeof(buf)), "unset");
	assert_int_equal(conf_parse_prefix("2001:db8::1/64", &p), 0);
	memset(small, 'z', sizeof(small));
	conf_fmt_prefix(&p, small, sizeof(small));
	assert_true(memchr(small, '\0', sizeof(small)) != NULL);
}

static void
test_log_levels(void **state)
{
	(void)state;
	for (unsigned l = 1; l <= 8; l++) {
		const char *name = conf_log_level_name(l);
		assert_non_null(name);
		assert_int_equal(conf_log_level_parse(name), l);
	}
	assert_string_equal(conf_log_level_name(1), "emerg");
	assert_string_equal(conf_log_level_name(4), "err");
	assert_string_equal(conf_log_level_name(5), "warning");
	assert_string_equal(conf_log_level_name(7), "info");
	assert_string_equal(conf_log_level_name(8), "debug");
	assert_int_equal(conf_log_level_parse("error"), 4);
	assert_int_equal(conf_log_level_parse("warn"), 5);
	assert_int_equal(conf_log_level_parse("INFO"), -1);
	assert_int_equal(conf_log_level_parse("verbose"), -1);
	assert_int_equal(conf_log_level_parse(""), -1);
	assert_int_equal(conf_log_level_parse(NULL), -1);
	assert_null(conf_log_level_name(0));
	assert_null(conf_log_level_name(9));
}

static void
assert_site(const char *prefix, const char *sock, const char *iface, const char *const addrs[4])
{
	char dev[64];

	assert_int_equal(conf.eal.control_lcore, 0);
	assert_int_equal(conf.eal.n_workers, 1);
	assert_int_equal(conf.eal.worker_lcores[0], 1);
	assert_int_equal(conf.eal.memory_mb, 512);
	assert_false(conf.eal.hugepages);
	assert_string_equal(conf.eal.file_prefix, prefix);
	assert_string_equal(conf.control.socket, sock);
	assert_int_equal(conf.n_ports, 2);
	assert_string_equal(conf.ports[0].name, "eid0");
	snprintf(dev, sizeof(dev), "net_af_packet0,iface=%s-eid", iface);
	assert_string_equal(conf.ports[0].device, dev);
	assert_int_equal(conf.ports[0].role, CONF_ROLE_EID);
	assert_int_equal(conf.ports[0].iid, 0);
	assert_int_equal(conf.ports[0].n_addrs, 2);
	assert_prefix(&conf.ports[0].addrs[0], AF_INET, addrs[0]);
	assert_prefix(&conf.ports[0].addrs[1], AF_INET6, addrs[1]);
	assert_string_equal(conf.ports[1].name, "rloc0");
	snprintf(dev, sizeof(dev), "net_af_packet1,iface=%s-rloc", iface);
	assert_string_equal(conf.ports[1].device, dev);
	assert_int_equal(conf.ports[1].role, CONF_ROLE_RLOC);
	assert_int_equal(conf.ports[1].n_addrs, 2);
	assert_prefix(&conf.ports[1].addrs[0], AF_INET, addrs[2]);
	assert_prefix(&conf.ports[1].addrs[1], AF_INET6, addrs[3]);
}

// A database or map-cache entry of the lab: iid 0, an IPv4 and an IPv6 locator, priority 1,
// weight 100.
static void
assert_lab_mapping(const struct conf_mapping *m,
		   int af,
		   const char *prefix,
		   const char *const rlocs[2])
{
	assert_int_equal(m->iid, 0);
	assert_prefix(&m->prefix, af, prefix);
	assert_int_equal(m->action, CONF_ACT_ENCAP);
	assert_int_equal(m->n_loc, 2);
	assert_loc(&m->loc[0], AF_INET, rlocs[0], 1, 100);
	assert_loc(&m->loc[1], AF_INET6, rlocs[1], 1, 100);
}

// The LISP sections of a lab xTR: default lisp keys, a default route through 198.18.0.254, our
// EID-prefixes on our RLOCs, the peer's on its RLOCs (first in the map-cache, then others).
static void
assert_lab(const char *const eids[2],
	   const char *const rlocs[2],
	   const char *const peer_eids[2],
	   const char *const peer_rlocs[2],
	   unsigned n_map_cache)
{
	assert_lisp_defaults(&conf);
	assert_int_equal(conf.n_routes, 1);
	assert_prefix(&conf.routes[0].prefix, AF_INET, "0.0.0.0/0");
	assert_addr(&conf.routes[0].via, AF_INET, "198.18.0.254");
	assert_int_equal(conf.routes[0].port, 1);
	assert_int_equal(conf.n_database, 2);
	assert_lab_mapping(&conf.database[0], AF_INET, eids[0], rlocs);
	assert_lab_mapping(&conf.database[1], AF_INET6, eids[1], rlocs);
	assert_int_equal(conf.n_map_cache, n_map_cache);
	assert_lab_mapping(&conf.map_cache[0], AF_INET, peer_eids[0], peer_rlocs);
	assert_lab_mapping(&conf.map_cache[1], AF_INET6, peer_eids[1], peer_rlocs);
}

// Every example configuration loads.
static void
test_conf_dir(void **state)
{
	static const char *const a[] = {"192.0.2.1/24",
					"2001:db8:a::1/64",
					"198.18.0.1/24",
					"2001:db8:ffff::1/64"};
	static const char *const b[] = {"198.51.100.1/24",
					"2001:db8:b::1/64",
					"198.18.0.2/24",
					"2001:db8:ffff::2/64"};
	static const char *const a_eids[] = {"192.0.2.0/24", "2001:db8:a::/48"};
	static const char *const b_eids[] = {"198.51.100.0/24", "2001:db8:b::/48"};
	static const char *const a_rlocs[] = {"198.18.0.1", "2001:db8:ffff::1"};
	static const char *const b_rlocs[] = {"198.18.0.2", "2001:db8:ffff::2"};
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
	assert_true(n >= 3);

	// The reference shows every default, plus examples of args and types (default: none).
	load_ok(conf_dir, "dxtr.example.yaml");
	assert_int_equal(conf.eal.n_args, 1);
	assert_int_equal(conf.log.n_types, 2);
	conf.eal.n_args = 0;
	conf.log.n_types = 0;
	assert_defaults_but_ports(&conf);
	assert_int_equal(conf.n_ports, 2);
	// ... and examples of routes, database and map-cache entries (default: none): site A's.
	assert_lab(a_eids, a_rlocs, b_eids, b_rlocs, 3);
	assert_mapping(&conf.map_cache[2],
		       0,
		       AF_INET,
		       "203.0.113.0/24",
		       CONF_ACT_NATIVE_FWD,
		       0,
		       conf.map_cache[2].mark.line);
	load_ok(conf_dir, "site-a.yaml");
	assert_site("dxtr-a", "/run/dxtr/site-a.sock", "xa", a);
	assert_lab(a_eids, a_rlocs, b_eids, b_rlocs, 2);
	load_ok(conf_dir, "site-b.yaml");
	assert_site("dxtr-b", "/run/dxtr/site-b.sock", "xb", b);
	assert_lab(b_eids, b_rlocs, a_eids, a_rlocs, 2);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_lisp_full),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_lisp_values),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_err_buffer),
		cmocka_unit_test(test_file_size),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_addr_helpers),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_conf_dir),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s DATA_DIR CONF_DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	conf_dir = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
