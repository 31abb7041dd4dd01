// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The configuration schema: defaults, one key table per mapping, the handlers that need more
// than the generic ones of conf_yaml.c, and the cross-key checks. conf/dxtr.example.yaml and
// conf/README.md document the same keys: keep the three in step.

#include "conf.h"
#include "conf_walk.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define NAME_CHARS "_.-" // port names
#define PREFIX_CHARS "_-" // eal.file-prefix
#define LOG_TYPE_CHARS "_.-*?" // log type names and fnmatch patterns
#define VDEV_NAME_MAX 64 // RTE_DEV_NAME_MAX_LEN
#define LEVELS "emerg, alert, crit, err, warning, notice, info, debug"

void
conf_defaults(struct dxtr_conf *c)
{
	// Not the large arrays at the end: this runs twice on every failed load.
	memset(c, 0, offsetof(struct dxtr_conf, routes));
	c->eal.control_lcore = 0;
	c->eal.worker_lcores[0] = 1;
	c->eal.n_workers = 1;
	c->eal.memory_mb = 512;
	snprintf(c->eal.file_prefix, sizeof(c->eal.file_prefix), "%s", CONF_DEFAULT_FILE_PREFIX);
	c->log.level = 7; // RTE_LOG_INFO
	snprintf(c->control.socket, sizeof(c->control.socket), "%s", CONF_DEFAULT_SOCKET);
	c->control.socket_mode = 0600;
	c->dataplane.mbufs = 8191;
	c->dataplane.burst = 32;
	c->lisp.nonce = CONF_NONCE_RANDOM;
	c->lisp.iid_always = false;
	c->lisp.lsb = false;
	c->lisp.udp_csum6 = true;
	c->lisp.path_mtu = 1500;
	c->lisp.icmp_rate = 100;
	c->lisp.miss_rate = 100;
	c->lisp.hold_packets = 4;
	c->lisp.hold_total = 1024;
	c->lisp.hold_timeout_ms = 3000;
	conf_mapsys_defaults(&c->mapsys);
}

static void
port_defaults(struct conf_port *p)
{
	memset(p, 0, sizeof(*p));
	p->role = CONF_ROLE_EID;
	p->mtu = 1500;
	p->rx_desc = 1024;
	p->tx_desc = 1024;
}

// eal ---------------------------------------------------------------------------------------------

static int
worker_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct conf_eal *eal = ctx;
	long long x = 0;

	if (get_int(w, n, 0, CONF_MAX_LCORE, &x) < 0)
		return -1;
	for (unsigned j = 0; j < i; j++) {
		if (eal->worker_lcores[j] == x)
			return walk_fail(w,
					 n->mark,
					 "'%s': lcore %lld is listed twice",
					 w->path,
					 x);
	}
	eal->worker_lcores[i] = (unsigned)x;
	eal->n_workers = i + 1;
	return 0;
}

static int
h_workers(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	return walk_list(w, v, 1, CONF_MAX_WORKERS, worker_item, obj);
}

static int
arg_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct conf_eal *eal = ctx;

	if (get_str(w, n, CONF_EAL_ARG_MAX, NULL) < 0)
		return -1;
	if (n->str[0] != '-')
		return walk_fail(w, n->mark, "'%s' must start with '-'", w->path);
	memcpy(eal->args[i], n->str, n->len + 1);
	eal->n_args = i + 1;
	return 0;
}

static int
h_eal_args(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	return walk_list(w, v, 0, CONF_MAX_EAL_ARGS, arg_item, obj);
}

static int
eal_check(struct walk *w, const struct node *map, void *obj)
{
	const struct node *workers = node_find(map, "worker-lcores");
	const struct node *n;
	struct conf_eal *eal = obj;

	if (eal->in_memory && !eal->hugepages)
		return walk_fail(w,
				 node_find(map, "in-memory")->mark,
				 "'%s.in-memory' needs '%s.hugepages: true'",
				 w->path,
				 w->path);
	if (workers == NULL) {
		if (eal->control_lcore == eal->worker_lcores[0])
			return walk_fail(
				w,
				node_find(map, "control-lcore")->mark,
				"'%s.control-lcore' %u is also the default worker lcore: set "
				"'%s.worker-lcores'",
				w->path,
				eal->control_lcore,
				w->path);
		return 0;
	}
	n = workers->first;
	for (unsigned i = 0; i < eal->n_workers; i++, n = n->next) {
		if (eal->worker_lcores[i] == eal->control_lcore)
			return walk_fail(
				w,
				n->mark,
				"'%s.worker-lcores[%u]' must not be the control lcore (%u)",
				w->path,
				i,
				eal->control_lcore);
	}
	return 0;
}

static const struct field eal_fields[] = {
	F_UINT(struct conf_eal, control_lcore, "control-lcore", 0, CONF_MAX_LCORE),
	{.key = "worker-lcores", .parse = h_workers},
	F_UINT(struct conf_eal, memory_mb, "memory-mb", 64, 1048576),
	F_BOOL(struct conf_eal, hugepages, "hugepages"),
	F_BOOL(struct conf_eal, in_memory, "in-memory"),
	F_STR(struct conf_eal, file_prefix, "file-prefix", PREFIX_CHARS),
	{.key = "args", .parse = h_eal_args},
	{0},
};
static const struct section eal_section = {eal_fields, eal_check};

// log ---------------------------------------------------------------------------------------------

static int
get_level(struct walk *w, const struct node *v, unsigned *level)
{
	int l = -1;

	if (v->type == NODE_SCALAR && v->len == strlen(v->str))
		l = conf_log_level_parse(v->str);
	if (l < 0)
		return walk_fail(w, v->mark, "'%s' must be one of: %s", w->path, LEVELS);
	*level = (unsigned)l;
	return 0;
}

static int
h_level(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	return get_level(w, v, (unsigned *)field_ptr(f, obj));
}

static int
h_log_types(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	struct conf_log *log = obj;
	unsigned i = 0;

	(void)f;
	if (node_is_null(v))
		return 0;
	if (v->type != NODE_MAP)
		return walk_fail(w, v->mark, "'%s' must be a mapping (type: level)", w->path);
	if (v->n / 2 > CONF_MAX_LOG_TYPES)
		return walk_fail(w,
				 v->mark,
				 "'%s' must have at most %u entries",
				 w->path,
				 CONF_MAX_LOG_TYPES);
	for (const struct node *k = v->first; k != NULL && k->next != NULL;
	     k = k->next->next, i++) {
		struct conf_log_type *t = &log->types[i];
		size_t old;
		int r;

		old = walk_push(w, ".%s", walk_show(k->str, k->len).s);
		r = get_str(w, k, sizeof(t->name), LOG_TYPE_CHARS);
		walk_pop(w, old);
		if (r < 0)
			return -1;
		for (unsigned j = 0; j < i; j++) {
			if (strcmp(log->types[j].name, k->str) == 0)
				return walk_fail(w,
						 k->mark,
						 "duplicate key '%s'%s",
						 k->str,
						 walk_where(w).s);
		}
		memcpy(t->name, k->str, k->len + 1);
		old = walk_push(w, ".%s", t->name);
		r = get_level(w, k->next, &t->level);
		walk_pop(w, old);
		if (r < 0)
			return -1;
		log->n_types = i + 1;
	}
	return 0;
}

static const struct field log_fields[] = {
	{.key = "level", .parse = h_level, .off = offsetof(struct conf_log, level)},
	{.key = "types", .parse = h_log_types},
	{0},
};
static const struct section log_section = {log_fields, NULL};

// control -----------------------------------------------------------------------------------------

static int
h_socket(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	if (get_str(w, v, f->size, NULL) < 0)
		return -1;
	if (v->str[0] != '/')
		return walk_fail(w, v->mark, "'%s' must be an absolute path", w->path);
	return h_str(w, v, f, obj);
}

// Always octal, quoted or not: "0600", 0600, 0o600 and 600 all mean rw-------.
static int
h_mode(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	const char *s = v->str;
	unsigned mode = 0;

	if (v->type != NODE_SCALAR || v->len != strlen(v->str))
		goto bad;
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		s += 2;
	if (*s == '\0' || strlen(s) > 6)
		goto bad;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7')
			goto bad;
		mode = mode * 8 + (unsigned)(*s - '0');
	}
	if (mode > 0777)
		return walk_fail(w, v->mark, "'%s' must not exceed 0777", w->path);
	if ((mode & 0600) != 0600)
		return walk_fail(w,
				 v->mark,
				 "'%s' must include owner read and write (0600)",
				 w->path);
	*(unsigned *)field_ptr(f, obj) = mode;
	return 0;
bad:
	return walk_fail(w, v->mark, "'%s' must be an octal mode like \"0600\"", w->path);
}

static const struct field control_fields[] = {
	{.key = "socket",
	 .parse = h_socket,
	 .off = offsetof(struct conf_control, socket),
	 .size = FIELD_SIZE(struct conf_control, socket)},
	{.key = "socket-mode", .parse = h_mode, .off = offsetof(struct conf_control, socket_mode)},
	{0},
};
static const struct section control_section = {control_fields, NULL};

// dataplane ---------------------------------------------------------------------------------------

static const struct field dataplane_fields[] = {
	F_UINT(struct conf_dataplane, mbufs, "mbufs", 1023, 1048575),
	F_UINT(struct conf_dataplane, burst, "burst", 1, 256),
	{0},
};
static const struct section dataplane_section = {dataplane_fields, NULL};

// ports -------------------------------------------------------------------------------------------

static bool
is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool
is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_alnum(s[i]) || (s[i] > 'f' && s[i] <= 'z') || (s[i] > 'F' && s[i] <= 'Z'))
			return false;
	}
	return true;
}

// "DDDD:BB:DD.F" or "BB:DD.F": key gets the long form, lower case.
static int
pci_key(const char *s, char *key, size_t size)
{
	const char *bdf = s;
	char dom[5] = "0000";

	if (strlen(s) == 12) {
		if (!is_hex(s, 4) || s[4] != ':')
			return -1;
		memcpy(dom, s, 4);
		bdf = s + 5;
	}
	if (strlen(bdf) != 7 || !is_hex(bdf, 2) || bdf[2] != ':' || !is_hex(bdf + 3, 2)
	    || bdf[5] != '.' || bdf[6] < '0' || bdf[6] > '7')
		return -1;
	if (bdf[3] > '1') // device 0x00..0x1f
		return -1;
	snprintf(key, size, "%s:%s", dom, bdf);
	for (char *p = key; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	}
	return 0;
}

// "net_<driver><N>[,key=value...]": key gets the device name (before the first comma). A value
// may hold a bracketed list with commas ("member=[a,b]").
static int
vdev_key(const char *s, char *key, size_t size)
{
	size_t n = strcspn(s, ",");
	const char *p = s + n;

	if (n < 6 || n >= VDEV_NAME_MAX || n >= size || strncmp(s, "net_", 4) != 0)
		return -1;
	if (s[4] >= '0' && s[4] <= '9')
		return -1; // net_<driver> starts with a letter ...
	if (s[n - 1] < '0' || s[n - 1] > '9')
		return -1; // ... and the name ends with the instance number
	for (size_t i = 4; i < n; i++) {
		if (!is_alnum(s[i]) && s[i] != '_')
			return -1;
	}
	while (*p == ',') {
		const char *k = ++p;
		int depth = 0;

		while (is_alnum(*p) || *p == '_' || *p == '-')
			p++;
		if (p == k || *p != '=')
			return -1;
		k = ++p;
		for (; *p != '\0' && (*p != ',' || depth > 0); p++) {
			if (*p <= ' ' || *p == 0x7f)
				return -1;
			depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			if (depth < 0)
				return -1;
		}
		if (p == k || depth != 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	memcpy(key, s, n);
	key[n] = '\0';
	return 0;
}

static int
device_key(const char *s, char *key, size_t size)
{
	if (strncmp(s, "net_", 4) == 0)
		return vdev_key(s, key, size);
	return pci_key(s, key, size);
}

static int
h_device(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	char key[VDEV_NAME_MAX];

	if (get_str(w, v, f->size, NULL) < 0)
		return -1;
	if (device_key(v->str, key, sizeof(key)) < 0)
		return walk_fail(w,
				 v->mark,
				 "'%s' must be a PCI address or a vdev spec (net_<driver>...)",
				 w->path);
	return h_str(w, v, f, obj);
}

static int
h_role(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	struct conf_port *p = obj;

	(void)f;
	if (node_is(v, "eid"))
		p->role = CONF_ROLE_EID;
	else if (node_is(v, "rloc"))
		p->role = CONF_ROLE_RLOC;
	else
		return walk_fail(w, v->mark, "'%s' must be one of: eid, rloc", w->path);
	return 0;
}

const char *
host_problem(const struct ip_prefix *p)
{
	static const uint8_t loop6[16] = {[15] = 1}, zero6[16] = {0};

	if (p->addr.af == AF_INET) {
		uint32_t a = ntohl(p->addr.v4.s_addr);
		uint32_t mask = p->len > 0 ? UINT32_MAX << (32 - p->len) : 0;

		if (a == 0)
			return "is the unspecified address";
		if ((a >> 24) == 127)
			return "is a loopback address";
		if ((a >> 28) == 0xe)
			return "is a multicast address";
		if (a == UINT32_MAX)
			return "is the broadcast address";
		if (p->len <= 30 && (a & ~mask) == 0)
			return "is a network address, not a host address";
		if (p->len <= 30 && (a & ~mask) == ~mask)
			return "is a broadcast address, not a host address";
		return NULL;
	}
	if (memcmp(p->addr.bytes, zero6, 16) == 0)
		return "is the unspecified address";
	if (memcmp(p->addr.bytes, loop6, 16) == 0)
		return "is the loopback address";
	if (p->addr.bytes[0] == 0xff)
		return "is a multicast address";
	return NULL;
}

bool
same_addr(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->af == b->af && memcmp(a->bytes, b->bytes, a->af == AF_INET ? 4 : 16) == 0;
}

static int
addr_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct conf_port *port = ctx;
	struct dxtr_conf *c = w->conf;
	struct ip_prefix *p = &port->addrs[i];
	struct ip_addr a;
	const char *why;

	if (n->type != NODE_SCALAR || n->len != strlen(n->str))
		return walk_fail(w, n->mark, "'%s' must be an address/prefix-length", w->path);
	if (strchr(n->str, '/') == NULL && conf_parse_addr(n->str, &a) == 0)
		return walk_fail(w,
				 n->mark,
				 "'%s': '%s' has no prefix length (write '%s/<len>')",
				 w->path,
				 n->str,
				 n->str);
	if (conf_parse_prefix(n->str, p) < 0)
		return walk_fail(w,
				 n->mark,
				 "'%s': bad IPv4/IPv6 prefix '%s'",
				 w->path,
				 walk_show(n->str, n->len).s);
	if ((why = host_problem(p)) != NULL)
		return walk_fail(w, n->mark, "'%s': '%s' %s", w->path, n->str, why);
	for (unsigned j = 0; j < i; j++) {
		if (same_addr(&port->addrs[j].addr, &p->addr))
			return walk_fail(w,
					 n->mark,
					 "'%s': address '%s' is listed twice",
					 w->path,
					 n->str);
	}
	for (const struct conf_port *o = c->ports; o < port; o++) {
		for (unsigned j = 0; j < o->n_addrs; j++) {
			if (same_addr(&o->addrs[j].addr, &p->addr))
				return walk_fail(
					w,
					n->mark,
					"'%s': duplicate address '%s' (already on port '%s')",
					w->path,
					n->str,
					o->name);
		}
	}
	port->n_addrs = i + 1;
	return 0;
}

static int
h_addrs(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	return walk_list(w, v, 0, CONF_MAX_PORT_ADDRS, addr_item, obj);
}

static int
port_check(struct walk *w, const struct node *map, void *obj)
{
	struct conf_port *p = obj;
	struct dxtr_conf *c = w->conf;
	char key[VDEV_NAME_MAX], okey[VDEV_NAME_MAX];
	const struct node *n;

	device_key(p->device, key, sizeof(key));
	for (const struct conf_port *o = c->ports; o < p; o++) {
		if (strcmp(o->name, p->name) == 0)
			return walk_fail(w,
					 node_find(map, "name")->mark,
					 "duplicate port name '%s'",
					 p->name);
		device_key(o->device, okey, sizeof(okey));
		if (strcmp(okey, key) == 0)
			return walk_fail(w,
					 node_find(map, "device")->mark,
					 "duplicate device '%s' (already used by port '%s')",
					 key,
					 o->name);
	}
	if (p->role == CONF_ROLE_RLOC) {
		if ((n = node_find(map, "iid")) != NULL)
			return walk_fail(w,
					 n->mark,
					 "'%s.iid' is only valid on eid ports",
					 w->path);
		if (p->n_addrs == 0)
			return walk_fail(w,
					 map->mark,
					 "rloc port '%s' needs at least one address",
					 p->name);
	}
	for (unsigned i = 0; i < p->n_addrs; i++) {
		if (p->addrs[i].addr.af == AF_INET6 && p->mtu < 1280)
			return walk_fail(
				w,
				node_find(map, "mtu")->mark,
				"'%s.mtu' must be at least 1280 on a port with an IPv6 address",
				w->path);
	}
	return 0;
}

static const struct field port_fields[] = {
	{.key = "name",
	 .parse = h_str,
	 .off = offsetof(struct conf_port, name),
	 .size = FIELD_SIZE(struct conf_port, name),
	 .chars = NAME_CHARS,
	 .required = true},
	{.key = "device",
	 .parse = h_device,
	 .off = offsetof(struct conf_port, device),
	 .size = FIELD_SIZE(struct conf_port, device),
	 .required = true},
	{.key = "role", .parse = h_role, .required = true},
	F_UINT(struct conf_port, iid, "iid", 0, CONF_IID_MAX),
	{.key = "addresses", .parse = h_addrs},
	F_UINT(struct conf_port, mtu, "mtu", 68, 9600),
	F_POW2(struct conf_port, rx_desc, "rx-descriptors", 64, 16384),
	F_POW2(struct conf_port, tx_desc, "tx-descriptors", 64, 16384),
	{0},
};
static const struct section port_section = {port_fields, port_check};

static int
port_item(struct walk *w, const struct node *n, unsigned i, void *ctx)
{
	struct dxtr_conf *c = ctx;
	struct conf_port *p = &c->ports[i];

	port_defaults(p);
	p->mark = n->mark;
	c->n_ports = i; // the ports before this one, for the duplicate checks
	if (walk_map(w, n, &port_section, p) < 0)
		return -1;
	c->n_ports = i + 1;
	return 0;
}

static int
h_ports(struct walk *w, const struct node *v, const struct field *f, void *obj)
{
	(void)f;
	return walk_list(w, v, 1, CONF_MAX_PORTS, port_item, obj);
}

// The top level -----------------------------------------------------------------------------------

static const struct field root_fields[] = {
	F_SECTION(struct dxtr_conf, eal, "eal", &eal_section),
	F_SECTION(struct dxtr_conf, log, "log", &log_section),
	F_SECTION(struct dxtr_conf, control, "control", &control_section),
	F_SECTION(struct dxtr_conf, dataplane, "dataplane", &dataplane_section),
	F_SECTION(struct dxtr_conf, lisp, "lisp", &conf_lisp_section),
	{.key = "ports", .parse = h_ports, .required = true},
	{.key = "routes", .parse = h_routes},
	{.key = "database", .parse = h_database},
	{.key = "map-cache", .parse = h_map_cache},
	F_SECTION(struct dxtr_conf, mapsys, "mapping-system", &conf_mapsys_section),
	{0},
};

// The checks across sections need them all, whatever their order in the file: those of the LISP
// sections first (in file order), then those of mapping-system.
static int
root_check(struct walk *w, const struct node *root, void *obj)
{
	if (conf_lisp_check(w, root, obj) < 0)
		return -1;
	return conf_mapsys_check(w, root, obj);
}

const struct section conf_root_section = {root_fields, root_check};
