// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The configuration: a plain struct filled by the YAML loader (conf_yaml.c), validated in full
// before anything starts, then applied through the API. No DPDK dependency: the loader and its
// tests build and run without EAL. conf/dxtr.example.yaml documents every key.

#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_NAME_MAX 32 // port names, log type names (with NUL)
#define CONF_PATH_MAX 108 // sun_path of a UNIX socket
#define CONF_DEVICE_MAX 256 // a PCI address or a vdev spec
#define CONF_MAX_PORTS 32
#define CONF_MAX_PORT_ADDRS 8
#define CONF_MAX_WORKERS 64
#define CONF_MAX_EAL_ARGS 32
#define CONF_EAL_ARG_MAX 256
#define CONF_MAX_LOG_TYPES 32
#define CONF_MAX_ROUTES 64
#define CONF_MAX_DATABASE 256 // local EID-prefixes
#define CONF_MAX_MAP_CACHE 4096 // static remote mappings
#define CONF_MAX_LOCATORS 8 // per mapping (the LSBs next to an instance-ID have 8 bits)
#define CONF_MAX_MAP_RESOLVERS 8
#define CONF_MAX_MAP_SERVERS 4
#define CONF_MS_KEY_MAX 129 // a Map-Server key: 1..128 characters (with NUL)
#define CONF_IID_MAX 0xffffff // the data plane carries 24 bits of instance-ID
#define CONF_MAX_LCORE 1023 // highest lcore id accepted in eal.*
#define CONF_FILE_MAX (4u << 20) // larger inputs are refused
#define CONF_DEPTH_MAX 32 // deeper nesting of mappings and lists is refused
#define CONF_NODES_MAX 262144 // scalars + mappings + lists in one file

#define CONF_DEFAULT_SOCKET "/run/dxtr/dxtr.sock"
#define CONF_DEFAULT_FILE_PREFIX "dxtr"

// An IPv4 or IPv6 address; af is AF_INET or AF_INET6 (0: unset).
struct ip_addr {
	int af;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

struct ip_prefix {
	struct ip_addr addr;
	uint8_t len;
};

// Where a value came from in the file, for messages about it after parsing.
struct conf_mark {
	unsigned line; // 1-based
	unsigned col; // 1-based
};

enum conf_port_role {
	CONF_ROLE_EID, // site side: hosts, with an instance-ID
	CONF_ROLE_RLOC, // underlay side
};

struct conf_port {
	char name[CONF_NAME_MAX]; // unique, [A-Za-z0-9_.-]
	char device[CONF_DEVICE_MAX]; // PCI address or vdev spec "net_xxx0,key=val,..."
	enum conf_port_role role;
	uint32_t iid; // eid ports only; 0..CONF_IID_MAX
	struct ip_prefix addrs[CONF_MAX_PORT_ADDRS]; // address + prefix length of the subnet
	unsigned n_addrs;
	uint16_t mtu; // 68..9600 (IPv6 on the port needs >= 1280); default 1500
	uint16_t rx_desc; // default 1024
	uint16_t tx_desc; // default 1024
	struct conf_mark mark; // the list item, for errors found later (e.g. the device fails)
};

struct conf_eal {
	unsigned control_lcore; // default 0
	unsigned worker_lcores[CONF_MAX_WORKERS]; // default {1}; distinct, != control_lcore
	unsigned n_workers;
	unsigned memory_mb; // default 512; 64..1048576
	bool hugepages; // default false: --no-huge --no-shconf
	bool in_memory; // default false; only with hugepages
	char file_prefix[CONF_NAME_MAX]; // default "dxtr"; ignored when in_memory
	char args[CONF_MAX_EAL_ARGS][CONF_EAL_ARG_MAX]; // appended verbatim
	unsigned n_args;
};

struct conf_log_type {
	char name[CONF_NAME_MAX]; // an rte_log type name or pattern ("dxtr.*", "lib.eal")
	unsigned level; // RTE_LOG_EMERG (1) .. RTE_LOG_DEBUG (8)
};

struct conf_log {
	unsigned level; // for every dxtr.* type; default 7 (info)
	struct conf_log_type types[CONF_MAX_LOG_TYPES];
	unsigned n_types;
};

struct conf_control {
	char socket[CONF_PATH_MAX]; // default CONF_DEFAULT_SOCKET
	unsigned socket_mode; // permission bits; default 0600
};

struct conf_dataplane {
	unsigned mbufs; // per port-socket pool; default 8191; 1023..1048575
	unsigned burst; // rx burst size; default 32; 1..256
};

enum conf_nonce {
	CONF_NONCE_RANDOM, // N bit and a random 24-bit nonce in every data packet
	CONF_NONCE_NONE, // N=0, nonce bytes zero
};

// The LISP data plane (lisp-protocol.md §1.2-1.4, §1.7, §1.10) and the miss path.
struct conf_lisp {
	enum conf_nonce nonce; // default CONF_NONCE_RANDOM
	bool iid_always; // instance-id-bit: always (true) | auto (false: I bit only for IID != 0)
	bool lsb; // L bit with our own site's Locator-Status-Bits; default false
	bool udp_csum6; // UDP checksum over an IPv6 outer header (false: zero); default true
	uint16_t path_mtu; // largest outer packet between ITR and ETR; 576..9600, default 1500
	uint32_t icmp_rate; // ICMP errors sent per second, total; 1..100000, default 100
	uint32_t miss_rate; // miss.rate-limit: misses signalled per second; 1..1000000, default 100
	uint16_t hold_packets; // miss.hold-packets: per pending destination; 0..64, default 4
	uint32_t hold_total; // miss.hold-total: held in total; 0..1048576, default 1024
	uint32_t hold_timeout_ms; // miss.hold-timeout-ms; 100..60000, default 3000
};

// A static underlay route.
struct conf_route {
	struct ip_prefix prefix; // canonical (host bits zero), unique among the routes
	struct ip_addr via; // same family; inside the subnet of an rloc port address, not ours
	unsigned port; // index in ports[] of the rloc port whose subnet holds via (longest match)
	struct conf_mark mark; // the list item
};

// What an ITR does with packets matching a mapping. The first four are the LISP ACT values of
// negative entries (lisp-protocol.md §2.6); CONF_ACT_ENCAP is no ACT value (ACT has 3 bits).
enum conf_map_action {
	CONF_ACT_NO_ACTION = 0,
	CONF_ACT_NATIVE_FWD = 1,
	CONF_ACT_SEND_MAP_REQUEST = 2,
	CONF_ACT_DROP = 3,
	CONF_ACT_ENCAP = 8, // a positive entry: encapsulate to loc[]
};

struct conf_locator {
	struct ip_addr addr; // database: an rloc port address; map-cache: unicast, not ours
	uint8_t priority; // 0..255 (255: never used); default 1
	uint8_t weight; // 0..100; default 100
};

// A database entry (local EID-prefix, ETR side) or a static map-cache entry (ITR side).
struct conf_mapping {
	uint32_t iid; // 0..CONF_IID_MAX; default 0
	struct ip_prefix prefix; // canonical; (iid, prefix) is unique in its list
	enum conf_map_action action; // CONF_ACT_ENCAP with locators (always in the database)
	struct conf_locator loc[CONF_MAX_LOCATORS]; // in file order
	unsigned n_loc; // 1..CONF_MAX_LOCATORS with CONF_ACT_ENCAP, else 0
	struct conf_mark mark; // the list item
};

// Map-Register authentication: the LISP Algorithm ID values (lisp-protocol.md §2.7).
enum conf_auth_alg {
	CONF_AUTH_HMAC_SHA1_96 = 1,
	CONF_AUTH_HMAC_SHA256_128 = 2,
};

// A Map-Server this xTR registers its database with (lisp-protocol.md §2.7, §3.10).
struct conf_map_server {
	struct ip_addr addr; // unicast, not ours, unique among the map-servers
	char key[CONF_MS_KEY_MAX]; // the shared secret, 1..128 characters, raw bytes as written
	uint8_t key_id; // the Key ID byte of Map-Register/Map-Notify; default 0
	uint8_t alg; // enum conf_auth_alg; default CONF_AUTH_HMAC_SHA256_128
	bool want_notify; // M bit: ask for a Map-Notify; default true
	struct conf_mark mark; // the list item
};

// The mapping system: resolution (ITR side), answers and registration (ETR side), RLOC-probing
// (lisp-protocol.md §3.2-3.4, §3.7, §3.9-3.11). Without map-resolvers, misses are not resolved.
struct conf_mapsys {
	// Map-Requests go as ECMs to resolvers[0], failing over to the next after unanswered
	// retries. Unicast, not ours, distinct, each of a family some rloc port has. Default: none.
	struct ip_addr resolvers[CONF_MAX_MAP_RESOLVERS];
	unsigned n_resolvers;
	uint8_t retries; // map-request.retries, after the first request; 0..10, default 3
	uint16_t interval_ms; // map-request.interval-ms, then doubling; 100..10000, default 1000
	uint32_t request_rate; // map-request.rate-limit, per second, total; 1..10000, default 100
	uint32_t negative_ttl; // seconds, when resolution gives up; 1..86400, default 60
	enum conf_map_action negative_action; // never CONF_ACT_ENCAP; default CONF_ACT_DROP
	bool refresh; // re-request entries in use shortly before their TTL ends; default true
	uint16_t reply_ttl_min; // etr.map-reply-ttl, minutes; 1..65535, default 1440
	uint32_t reply_rate; // etr.rate-limit, per second per requester; 1..100000, default 100
	bool echo_nonce; // etr.echo-nonce: E bit in Map-Replies, run echo-nonce; default false
	struct conf_map_server servers[CONF_MAX_MAP_SERVERS]; // default: none; needs a database
	unsigned n_servers;
	uint32_t register_interval; // seconds; 10..3600, default 60
	uint32_t probe_interval; // rloc-probing.interval, seconds; 0 (off) or 5..3600, default 30
	uint8_t probe_retries; // rloc-probing.retries, probes before down; 1..10, default 3
	bool trusted; // apply locator-status-bits and gleaning from peers; default false
};

struct dxtr_conf {
	char path[4096]; // the file it was loaded from
	struct conf_eal eal;
	struct conf_log log;
	struct conf_control control;
	struct conf_dataplane dataplane;
	struct conf_lisp lisp;
	struct conf_mapsys mapsys;
	struct conf_port ports[CONF_MAX_PORTS];
	unsigned n_ports;
	unsigned n_routes;
	unsigned n_database;
	unsigned n_map_cache;
	// The large arrays come last (about 1 MiB): conf_defaults() does not clear them, so entries
	// past their count hold garbage. Keep a struct dxtr_conf off the stack.
	struct conf_route routes[CONF_MAX_ROUTES];
	struct conf_mapping database[CONF_MAX_DATABASE];
	struct conf_mapping map_cache[CONF_MAX_MAP_CACHE];
};

// Fills *c with defaults (what an empty file gives). Cheap: routes[], database[] and map_cache[]
// are left as they are, only their counts are zeroed.
void conf_defaults(struct dxtr_conf *c);

// Loads and validates path into *c (which is reset to defaults first). Returns 0 on success. On
// failure returns -1 and writes one message per error, each "FILE:LINE:COL: message\n", into
// err (at most errlen bytes, NUL-terminated); loading stops at the first error. LINE and COL are
// 1-based and point at the offending node (for a missing key: at the mapping that lacks it).
// Only when the file cannot be read at all is the message "FILE: cannot read: <strerror>".
// After a failure *c holds the defaults again. err may be NULL when errlen is 0.
int conf_load_file(struct dxtr_conf *c, const char *path, char *err, size_t errlen);

// The same from a memory buffer; name stands for FILE in messages.
int conf_load_buffer(
	struct dxtr_conf *c,
	const char *name,
	const void *buf,
	size_t len,
	char *err,
	size_t errlen
);

// Helpers shared with the shell: parse "192.0.2.1", "2001:db8::1", "192.0.2.0/24". Return 0 or -1.
// A prefix needs its "/len"; the address is kept as written (no masking of host bits).
int conf_parse_addr(const char *s, struct ip_addr *a);
int conf_parse_prefix(const char *s, struct ip_prefix *p);
// Clears the host bits of p (those past p->len).
void conf_prefix_mask(struct ip_prefix *p);
// True when p is IPv4 or IPv6 and has no host bits set.
bool conf_prefix_is_canonical(const struct ip_prefix *p);
// True when a has p's family and its first p->len bits equal p's (host bits of p are ignored).
bool conf_prefix_contains(const struct ip_prefix *p, const struct ip_addr *a);
// Formats an address or prefix into buf (at least INET6_ADDRSTRLEN + 4 bytes); returns buf.
const char *conf_fmt_addr(const struct ip_addr *a, char *buf, size_t len);
const char *conf_fmt_prefix(const struct ip_prefix *p, char *buf, size_t len);
// The port that has address a, or NULL (an address is on one port at most).
const struct conf_port *conf_port_of(const struct dxtr_conf *c, const struct ip_addr *a);
// Log level names ("emerg".."debug") <-> RTE_LOG_* numbers; -1 / NULL when unknown.
int conf_log_level_parse(const char *s);
const char *conf_log_level_name(unsigned level);
