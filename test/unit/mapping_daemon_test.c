// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The mapping daemon's state machine (control/pending.c, map_request.c, mapping.c) against the
// real map-cache, with a controlled clock (lisp-protocol.md §3.1-3.5): a miss makes a pending
// host entry, holds a copy and sends a Map-Request (an ECM to the Map-Resolver); a Map-Reply
// with a matching nonce installs positive or negative entries and releases the held packets;
// unknown nonces and records that do not cover the EID change nothing; unanswered requests are
// resent with back-off and new nonces (all of them stay valid), fail over to the next
// Map-Resolver and give up with a negative-local entry (none over a destination that a mapping
// arriving meanwhile covers); the global rate limit; TTL expiry and refresh; pending timeouts;
// SMR-invoked requests.
//
// EAL runs inside the test (--no-huge, net_null ports), the data plane is set up as control sets
// it up, and the control modules run on the test's thread as on the control lcore. Stubs here:
// lisp_io_send() (captures every message sent), lisp_io_count_tx(), the lisp_io address
// helpers, ctl_now_us() (the clock the tests move), neigh_resolve() and probe_is_down(). The
// link wraps getrandom() (nonces) and dp_reinject() (released packets are captured).
//
// The map-cache's deadlines are in TSC cycles (rte_get_tsc_cycles()), which the test cannot
// move: the expiry and refresh tests move an entry's deadline instead (mc_set_expire).

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#include "conf.h"
#include "ctl_loop.h"
#include "dp.h"
#include "dp_punt.h"
#include "lisp_io.h"
#include "lisp_msg.h"
#include "map_cache.h"
#include "map_request.h"
#include "mapping.h"
#include "neighbor.h"
#include "pending.h"
#include "probe.h"
#include "register.h"
#include "route.h"
#include "smr.h"

#define MR1 "203.0.113.1"
#define MR2 "203.0.113.2"
#define ITR4 "192.0.2.1" // our RLOCs
#define ITR6 "2001:db8:1::1"
#define TICK_MS 100 // as control's LISP timer (main.c)

// Stubs and wraps --------------------------------------------------------------------------------

static uint64_t now_us = 1000000000; // the control clock: 1000 s

uint64_t
ctl_now_us(void)
{
	return now_us;
}

struct sent {
	uint64_t at_ms;
	struct ip_addr src, dst;
	uint16_t sport, dport;
	size_t len;
	uint8_t buf[1500];
};

static struct sent sent[512];
static unsigned n_sent;
static unsigned tx_ecm;

int
lisp_io_send(
	const struct ip_addr *src,
	const struct ip_addr *dst,
	uint16_t sport,
	uint16_t dport,
	const void *msg,
	size_t len
)
{
	assert_true(n_sent < sizeof(sent) / sizeof(sent[0]));
	assert_true(len <= sizeof(sent[0].buf));
	struct sent *s = &sent[n_sent++];
	s->at_ms = ctl_now_ms();
	s->src = *src;
	s->dst = *dst;
	s->sport = sport;
	s->dport = dport;
	s->len = len;
	memcpy(s->buf, msg, len);
	return 0;
}

void
lisp_io_count_tx(unsigned type)
{
	assert_int_equal(type, LISP_TYPE_ECM);
	tx_ecm++;
}

void
lisp_ip_from_addr(struct lisp_ip *l, const struct ip_addr *a)
{
	memset(l, 0, sizeof(*l));
	l->afi = a->af == AF_INET ? LISP_AFI_IPV4 : a->af == AF_INET6 ? LISP_AFI_IPV6 : LISP_AFI_NONE;
	memcpy(l->bytes, a->bytes, 16);
}

void
lisp_ip_to_addr(struct ip_addr *a, const struct lisp_ip *l)
{
	memset(a, 0, sizeof(*a));
	a->af = l->afi == LISP_AFI_IPV4 ? AF_INET : l->afi == LISP_AFI_IPV6 ? AF_INET6 : 0;
	memcpy(a->bytes, l->bytes, 16);
}

#define TEST_NH 3

int
neigh_resolve(unsigned port, const struct ip_addr *addr, const struct ip_addr *src)
{
	(void)port;
	(void)addr;
	(void)src;
	return TEST_NH;
}

bool
probe_is_down(const struct ip_addr *addr)
{
	(void)addr;
	return false;
}

// Database changes (not driven here): registration and SMRs have their own tests.
void
register_now(void)
{
}

unsigned
smr_send(uint32_t iid, const struct ip_prefix *changed)
{
	(void)iid;
	(void)changed;
	return 0;
}

static uint64_t nonce_counter;

ssize_t __wrap_getrandom(void *buf, size_t len, unsigned flags);
ssize_t __real_getrandom(void *buf, size_t len, unsigned flags);
ssize_t
__wrap_getrandom(void *buf, size_t len, unsigned flags)
{
	uint64_t n = 0x6e6f6e6365000000ull + ++nonce_counter;

	if (len != sizeof(n))
		return __real_getrandom(buf, len, flags);
	memcpy(buf, &n, sizeof(n));
	return (ssize_t)len;
}

// Packets the pending table released, as dp_reinject() got them.
struct reinjected {
	unsigned port;
	struct ip_addr dst;
};
static struct reinjected reinj[64];
static unsigned n_reinj;
static struct rte_mempool *ctl_pool; // control's pool ("dxtr_ctl_mbufs")

int __wrap_dp_reinject(unsigned port, struct rte_mbuf *m);
int
__wrap_dp_reinject(unsigned port, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct reinjected *r = &reinj[n_reinj++];

	assert_true(n_reinj <= sizeof(reinj) / sizeof(reinj[0]));
	assert_ptr_equal(m->pool, ctl_pool); // a copy in control's pool, not the worker's mbuf
	r->port = port;
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
		r->dst.af = AF_INET;
		memcpy(r->dst.bytes, &ip->dst_addr, 4);
	} else {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eth + 1);
		r->dst.af = AF_INET6;
		memcpy(r->dst.bytes, ip6->dst_addr, 16);
	}
	rte_pktmbuf_free(m);
	return 0;
}

// EAL, the data plane, the configuration ---------------------------------------------------------

static char runtime_dir[PATH_MAX];
static struct dxtr_conf conf; // about 1 MiB: not on the stack
static unsigned eid0, eid7, rloc_port; // data-plane port indexes
static struct rte_mempool *frames; // the "worker" pool misses come from
static unsigned ctl_base; // control mbufs in use when the test started
static struct mreq_counters mreq0;
static struct pending_counters pend0;
static bool started;

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;

	assert_int_equal(conf_parse_addr(s, &a), 0);
	return a;
}

static struct ip_prefix
prefix(const char *s)
{
	struct ip_prefix p;

	assert_int_equal(conf_parse_prefix(s, &p), 0);
	return p;
}

static unsigned
add_port(const struct conf_port *p)
{
	struct dp_port_conf pc = {
		.name = p->name,
		.device = p->device,
		.role = p->role == CONF_ROLE_EID ? DP_ROLE_EID : DP_ROLE_RLOC,
		.iid = p->iid,
		.mtu = 1500,
		.rx_desc = 64,
		.tx_desc = 64,
	};
	char err[256] = "";
	int ret;

	for (unsigned a = 0; a < p->n_addrs; a++) {
		const struct ip_addr *ip = &p->addrs[a].addr;
		if (ip->af == AF_INET)
			pc.ip4[pc.n_ip4++] = ip->v4.s_addr;
		else
			memcpy(pc.ip6[pc.n_ip6++], ip->v6.s6_addr, 16);
	}
	ret = dp_port_add(&pc, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "dp_port_add %s: %s\n", p->name, err);
	assert_true(ret >= 0);
	return (unsigned)ret;
}

static void
set_port(unsigned i, const char *name, const char *dev, enum conf_port_role role, uint32_t iid,
	 const char *a4, const char *a6)
{
	struct conf_port *p = &conf.ports[i];

	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->device, sizeof(p->device), "%s", dev);
	p->role = role;
	p->iid = iid;
	p->addrs[0] = prefix(a4);
	p->addrs[1] = prefix(a6);
	p->n_addrs = 2;
}

// The configuration every test starts from: two EID ports (IID 0 and 7), one RLOC port with
// 192.0.2.1/24 and 2001:db8:1::1/64, one Map-Resolver, the defaults otherwise.
static void
base_conf(void)
{
	conf_defaults(&conf);
	set_port(0, "eid0", "net_null0", CONF_ROLE_EID, 0, "10.1.0.254/24", "2001:db8:a::fe/64");
	set_port(1, "eid7", "net_null1", CONF_ROLE_EID, 7, "10.7.0.254/24", "2001:db8:7::fe/64");
	set_port(2, "rloc", "net_null2", CONF_ROLE_RLOC, 0, ITR4 "/24", ITR6 "/64");
	conf.n_ports = 3;
	conf.mapsys.resolvers[0] = addr(MR1);
	conf.mapsys.n_resolvers = 1;
}

static int
group_setup(void **state)
{
	struct dp_init_conf ic = {
		.n_workers = 1,
		.worker_lcores = {rte_lcore_id()},
		.n_mbufs = 1023,
		.burst = 32,
	};

	(void)state;
	base_conf();
	assert_int_equal(dp_init(&ic), 0);
	eid0 = add_port(&conf.ports[0]);
	eid7 = add_port(&conf.ports[1]);
	rloc_port = add_port(&conf.ports[2]);
	frames = rte_pktmbuf_pool_create("md_frames", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 rte_socket_id());
	assert_non_null(frames);
	ctl_pool = rte_mempool_lookup("dxtr_ctl_mbufs");
	assert_non_null(ctl_pool);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rte_mempool_free(frames);
	dp_fini();
	return 0;
}

static int
test_setup(void **state)
{
	(void)state;
	base_conf();
	n_sent = 0;
	n_reinj = 0;
	tx_ecm = 0;
	started = false;
	return 0;
}

// Starts the mapping daemon on conf, as main.c does: underlay routes, the map-cache, the
// pending table, the Map-Request machinery.
static void
start(void)
{
	struct ip_prefix p;
	struct ip_addr via;
	char err[256] = "";

	route_flush();
	p = prefix(ITR4 "/24");
	assert_int_equal(route_add_connected(rloc_port, &p), 0);
	p = prefix(ITR6 "/64");
	assert_int_equal(route_add_connected(rloc_port, &p), 0);
	p = prefix("0.0.0.0/0");
	via = addr("192.0.2.254");
	assert_int_equal(route_add(&p, &via), 0);
	p = prefix("::/0");
	via = addr("2001:db8:1::fe");
	assert_int_equal(route_add(&p, &via), 0);
	if (mapping_init(&conf, err, sizeof(err)) < 0)
		fail_msg("mapping_init: %s", err);
	assert_int_equal(pending_init(&conf.lisp), 0);
	assert_int_equal(mreq_init(&conf), 0);
	// The modules' counters live as long as the process: the tests look at what they add.
	mreq_counters(&mreq0);
	pending_counters(&pend0);
	ctl_base = rte_mempool_in_use_count(ctl_pool);
	started = true;
}

static int
test_teardown(void **state)
{
	(void)state;
	if (!started)
		return 0;
	mreq_fini();
	pending_fini();
	mapping_fini();
	// Held copies were released or freed; nothing else of control's pool is in use.
	assert_int_equal(rte_mempool_in_use_count(ctl_pool), ctl_base);
	assert_int_equal(rte_mempool_in_use_count(frames), 0);
	return 0;
}

// What the counters added since start().
static struct mreq_counters
mreq_delta(void)
{
	struct mreq_counters c;
	uint64_t a[sizeof(c) / 8], b[sizeof(c) / 8];

	_Static_assert(sizeof(c) % 8 == 0, "all uint64_t");
	mreq_counters(&c);
	memcpy(a, &c, sizeof(c));
	memcpy(b, &mreq0, sizeof(c));
	for (unsigned i = 0; i < sizeof(c) / 8; i++)
		a[i] -= b[i];
	memcpy(&c, a, sizeof(c));
	return c;
}

static struct pending_counters
pending_delta(void)
{
	struct pending_counters c;
	uint64_t a[sizeof(c) / 8], b[sizeof(c) / 8];

	_Static_assert(sizeof(c) % 8 == 0, "all uint64_t");
	pending_counters(&c);
	memcpy(a, &c, sizeof(c));
	memcpy(b, &pend0, sizeof(c));
	for (unsigned i = 0; i < sizeof(c) / 8; i++)
		a[i] -= b[i];
	memcpy(&c, a, sizeof(c));
	return c;
}

// Time passes: control's LISP timer runs every TICK_MS (main.c: lisp_tick).
static void
run_for(uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += TICK_MS) {
		now_us += TICK_MS * 1000;
		pending_tick();
		mreq_tick();
		mapping_tick();
	}
}

// Packets -------------------------------------------------------------------------------------------

// A frame from src to dst (IPv4 or IPv6) received on an EID port without a mapping, punted by a
// worker as DP_PUNT_MISS (arg: the port's IID) and handed to the pending table.
static void
miss(unsigned port, uint32_t iid, const char *src, const char *dst)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(frames);
	struct ip_addr s = addr(src), d = addr(dst);
	struct rte_ether_hdr *eth;
	struct rte_udp_hdr *udp;
	size_t l3 = s.af == AF_INET ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr);
	size_t len = sizeof(*eth) + l3 + sizeof(*udp) + 8;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, (uint16_t)len);
	assert_non_null(eth);
	memset(eth, 0, len);
	eth->src_addr.addr_bytes[0] = 0x02;
	eth->src_addr.addr_bytes[5] = 0x01;
	if (s.af == AF_INET) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(l3 + sizeof(*udp) + 8));
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = s.v4.s_addr;
		ip->dst_addr = d.v4.s_addr;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp = (struct rte_udp_hdr *)(ip + 1);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16(sizeof(*udp) + 8);
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = 64;
		memcpy(ip6->src_addr, s.bytes, 16);
		memcpy(ip6->dst_addr, d.bytes, 16);
		udp = (struct rte_udp_hdr *)(ip6 + 1);
	}
	udp->src_port = RTE_BE16(40000);
	udp->dst_port = RTE_BE16(9);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + 8);

	struct dp_punt pk = {.m = m, .reason = DP_PUNT_MISS, .port = (uint16_t)port, .arg = iid};
	pending_input(&pk);
}

// Sent messages -----------------------------------------------------------------------------------

static struct lisp_msg outer, inner;

static bool
lisp_ip_is(const struct lisp_ip *l, const char *s)
{
	struct ip_addr a = addr(s), b;

	lisp_ip_to_addr(&b, l);
	return ip_addr_equal(&a, &b);
}

#define assert_lisp_ip(l, s)                                                                       \
	do {                                                                                       \
		char buf_[LISP_ADDR_STR_MAX];                                                      \
		struct lisp_addr la_ = {.ip = *(l)};                                               \
		lisp_addr_format(buf_, sizeof(buf_), &la_);                                        \
		if (!lisp_ip_is((l), (s)))                                                         \
			fail_msg("address %s, expected %s", buf_, (s));                            \
	} while (0)

// Sent message i, an ECM to a Map-Resolver from our RLOC, port 4342 to 4342, decoded: the inner
// IP/UDP header into *ih (may be NULL), the Map-Request returned (valid until the next call).
static const struct lisp_map_request *
request(unsigned i, struct lisp_inner_hdr *ih)
{
	const struct sent *s;
	struct ip_addr itr = addr(ITR4);

	assert_true(i < n_sent);
	s = &sent[i];
	assert_true(ip_addr_equal(&s->src, &itr));
	assert_int_equal(s->sport, LISP_CONTROL_PORT);
	assert_int_equal(s->dport, LISP_CONTROL_PORT);
	assert_true(lisp_msg_decode(&outer, s->buf, s->len) > 0);
	assert_int_equal(outer.type, LISP_TYPE_ECM);
	assert_false(outer.ecm.security || outer.ecm.ddt || outer.ecm.to_etr || outer.ecm.to_ms);
	assert_int_equal(outer.ecm.inner.sport, LISP_CONTROL_PORT);
	assert_int_equal(outer.ecm.inner.dport, LISP_CONTROL_PORT);
	if (ih != NULL)
		*ih = outer.ecm.inner;
	assert_int_equal(lisp_msg_decode(&inner, outer.ecm.msg, outer.ecm.msg_len),
			 outer.ecm.msg_len);
	assert_int_equal(inner.type, LISP_TYPE_MAP_REQUEST);
	// Type 1, A=0, no probe, no SMR, no mapping of ours, D=0.
	const struct lisp_map_request *q = &inner.request;
	assert_false(q->authoritative || q->map_data || q->probe || q->smr || q->pitr ||
		     q->local_xtr || q->dont_map_reply);
	// ITR-RLOCs: our RLOCs, IPv4 first.
	assert_int_equal(q->n_itr_rlocs, 2);
	assert_int_equal(q->itr_rlocs[0].lcaf, LISP_LCAF_NONE);
	assert_lisp_ip(&q->itr_rlocs[0].ip, ITR4);
	assert_int_equal(q->itr_rlocs[1].lcaf, LISP_LCAF_NONE);
	assert_lisp_ip(&q->itr_rlocs[1].ip, ITR6);
	assert_int_equal(q->n_eids, 1);
	return q;
}

static uint64_t
nonce_of(unsigned i)
{
	return request(i, NULL)->nonce;
}

static bool
sent_to(unsigned i, const char *dst)
{
	struct ip_addr a = addr(dst);

	return ip_addr_equal(&sent[i].dst, &a);
}

// The EID (inner destination) sent message i asks for.
static struct ip_addr
asked(unsigned i)
{
	struct lisp_inner_hdr ih;
	struct ip_addr a;

	request(i, &ih);
	lisp_ip_to_addr(&a, &ih.dst);
	return a;
}

// Map-Replies -----------------------------------------------------------------------------------

static struct lisp_map_reply rep;

static void
reply_start(uint64_t nonce)
{
	memset(&rep, 0, sizeof(rep));
	rep.nonce = nonce;
}

static struct lisp_record *
reply_record(uint32_t iid, const char *pfx, uint32_t ttl_min)
{
	struct lisp_record *r = &rep.records[rep.n_records++];
	struct ip_prefix p = prefix(pfx);

	memset(r, 0, sizeof(*r));
	r->ttl = ttl_min;
	r->authoritative = true;
	lisp_ip_from_addr(&r->eid.addr.ip, &p.addr);
	r->eid.len = p.len;
	if (iid != 0) {
		r->eid.addr.lcaf = LISP_LCAF_IID;
		r->eid.addr.iid = iid;
	}
	return r;
}

static void
reply_locator(struct lisp_record *r, const char *a, uint8_t prio, uint8_t weight, bool reachable)
{
	struct lisp_locator *l = &r->locators[r->n_locators++];
	struct ip_addr ip = addr(a);

	memset(l, 0, sizeof(*l));
	l->priority = prio;
	l->weight = weight;
	l->mpriority = 255;
	l->reachable = reachable;
	lisp_ip_from_addr(&l->addr.ip, &ip);
}

// Delivers the reply as lisp_io does: off the wire (encoded, then decoded), from the resolver.
static void
reply_send(void)
{
	static struct lisp_msg m, d;
	static uint8_t buf[9000];
	struct lisp_io_peer peer = {.src = addr(MR1), .dst = addr(ITR4), .sport = 4342};
	int len;

	m.type = LISP_TYPE_MAP_REPLY;
	m.reply = rep;
	len = lisp_msg_encode(&m, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(lisp_msg_decode(&d, buf, (size_t)len), len);
	assert_int_equal(d.type, LISP_TYPE_MAP_REPLY);
	mreq_reply(&d.reply, &peer);
}

// A positive reply to nonce: one record for pfx with one locator.
static void
reply_simple(uint64_t nonce, uint32_t iid, const char *pfx, uint32_t ttl_min, const char *rloc)
{
	reply_start(nonce);
	reply_locator(reply_record(iid, pfx, ttl_min), rloc, 1, 100, true);
	reply_send();
}

// The map-cache ------------------------------------------------------------------------------------

static struct mc_prefix
mc_pfx(const char *s)
{
	struct ip_prefix p = prefix(s);
	struct mc_prefix m = {.af = (uint8_t)p.addr.af, .len = p.len};

	memcpy(m.addr, p.addr.bytes, 16);
	return m;
}

// The entry of exactly iid/pfx, or NULL.
static const struct mc_entry *
entry(uint32_t iid, const char *pfx)
{
	struct mc_prefix p = mc_pfx(pfx);
	const struct mc_entry *e;

	return mc_get(mapping_mc(), iid, &p, &e, NULL) == 0 ? e : NULL;
}

static const struct mc_entry *
must_entry(uint32_t iid, const char *pfx)
{
	const struct mc_entry *e = entry(iid, pfx);

	if (e == NULL)
		fail_msg("no map-cache entry for [%u] %s", iid, pfx);
	return e;
}

static const char *
origin(const struct mc_entry *e)
{
	return mapping_origin_name(mapping_origin_of(e->slot));
}

// Seconds left before the entry's deadline.
static double
ttl_left(const struct mc_entry *e)
{
	uint64_t now = rte_get_tsc_cycles();

	assert_int_not_equal(e->expire, 0);
	return e->expire > now ? (double)(e->expire - now) / (double)rte_get_tsc_hz() : 0;
}

#define assert_ttl(e, s)                                                                           \
	do {                                                                                       \
		double left_ = ttl_left(e);                                                        \
		if (left_ > (s) || left_ < (s) - 5)                                                \
			fail_msg("TTL left %.1f s, expected %u s", left_, (unsigned)(s));          \
	} while (0)

// Moves the entry's deadline to `s` seconds from now (the TTL passing, on the map-cache clock).
static void
set_ttl_left(uint32_t iid, const char *pfx, double s)
{
	struct mc_prefix p = mc_pfx(pfx);
	uint64_t now = rte_get_tsc_cycles();

	assert_int_equal(mc_set_expire(mapping_mc(), iid, &p,
				       now + (uint64_t)(s * (double)rte_get_tsc_hz())), 0);
}

// Traffic through the entry, counted as a worker counts it.
static void
traffic(uint32_t iid, const char *pfx, unsigned packets)
{
	struct mc_reader *r = mc_reader_register(mapping_mc(), rte_lcore_id());

	assert_non_null(r);
	mc_reader_count(r, must_entry(iid, pfx), packets, packets * 100u);
}

struct pending_find {
	struct ip_addr dst;
	uint32_t iid;
	bool found;
	struct pending_view v;
};

static void
pending_cb(const struct pending_view *v, void *arg)
{
	struct pending_find *f = arg;

	if (v->iid == f->iid && ip_addr_equal(&v->dst, &f->dst)) {
		f->found = true;
		f->v = *v;
	}
}

// The pending destination iid/dst: true and its view, or false.
static bool
pending_find(uint32_t iid, const char *dst, struct pending_view *v)
{
	struct pending_find f = {.dst = addr(dst), .iid = iid};

	pending_foreach(pending_cb, &f);
	if (v != NULL)
		*v = f.v;
	return f.found;
}

struct mreq_find {
	unsigned n;
	struct mreq_view last;
};

static void
mreq_cb(const struct mreq_view *v, void *arg)
{
	struct mreq_find *f = arg;

	f->n++;
	f->last = *v;
}

// Requests in flight; *last: one of them.
static unsigned
in_flight(struct mreq_view *last)
{
	struct mreq_find f = {0};

	mreq_foreach(mreq_cb, &f);
	if (last != NULL)
		*last = f.last;
	return f.n;
}

static bool
reinjected(unsigned i, unsigned port, const char *dst)
{
	struct ip_addr a = addr(dst);

	return i < n_reinj && reinj[i].port == port && ip_addr_equal(&reinj[i].dst, &a);
}

// Tests ------------------------------------------------------------------------------------------

// 1. A miss: a pending host entry, a held copy, one Map-Request to resolver 0 for the /32 with
// the packet's source as source EID; later packets join the wait.
static void
test_miss(void **state)
{
	struct lisp_inner_hdr ih;
	struct pending_view pv;
	struct mreq_view mv;

	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");

	assert_int_equal(pending_count(), 1);
	assert_true(pending_find(0, "10.2.0.5", &pv));
	assert_int_equal(pv.held, 1);
	assert_int_equal(pv.packets, 1);
	const struct mc_entry *e = must_entry(0, "10.2.0.5/32");
	assert_string_equal(origin(e), "pending");
	assert_int_equal(e->spec_action, MC_ACT_PENDING);
	assert_int_equal(e->action, MC_ACT_PENDING);
	assert_int_equal(e->n_locators, 0);
	assert_int_equal(e->expire, 0);
	assert_int_equal(mc_count(mapping_mc()), 1);
	// The held packet is a copy in control's pool; the worker's mbuf went back.
	assert_int_equal(rte_mempool_in_use_count(ctl_pool), ctl_base + 1);
	assert_int_equal(rte_mempool_in_use_count(frames), 0);

	assert_int_equal(n_sent, 1);
	assert_int_equal(tx_ecm, 1);
	assert_true(sent_to(0, MR1));
	const struct lisp_map_request *q = request(0, &ih);
	assert_lisp_ip(&ih.src, "10.1.0.5");
	assert_lisp_ip(&ih.dst, "10.2.0.5");
	assert_int_equal(q->source_eid.lcaf, LISP_LCAF_NONE);
	assert_lisp_ip(&q->source_eid.ip, "10.1.0.5");
	assert_int_equal(q->eids[0].len, 32);
	assert_int_equal(q->eids[0].addr.lcaf, LISP_LCAF_NONE);
	assert_lisp_ip(&q->eids[0].addr.ip, "10.2.0.5");
	assert_false(q->smr_invoked);
	assert_int_not_equal(q->nonce, 0);

	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.requests, 1);
	assert_int_equal(c.retransmits, 0);
	assert_int_equal(in_flight(&mv), 1);
	assert_int_equal(mv.tries, 1);
	assert_int_equal(mv.resolver, 0);

	// More packets to it (from another source too) join the wait: no new request.
	miss(eid0, 0, "10.1.0.6", "10.2.0.5");
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	assert_int_equal(n_sent, 1);
	assert_int_equal(pending_count(), 1);
	assert_true(pending_find(0, "10.2.0.5", &pv));
	assert_int_equal(pv.held, 3);
	assert_int_equal(pv.packets, 3);
	struct pending_counters pc = pending_delta();
	assert_int_equal(pc.misses, 1);
	assert_int_equal(pc.held, 3);
	assert_int_equal(pc.hold_dropped, 0);

	// A second destination: its own pending entry and request.
	miss(eid0, 0, "10.1.0.5", "10.2.0.6");
	assert_int_equal(pending_count(), 2);
	assert_int_equal(n_sent, 2);
	struct ip_addr a = asked(1), want = addr("10.2.0.6");
	assert_true(ip_addr_equal(&a, &want));
	assert_int_not_equal(nonce_of(1), nonce_of(0));
	// Nothing more until the retransmission time.
	run_for(conf.mapsys.interval_ms - TICK_MS);
	assert_int_equal(n_sent, 2);
}

// 1 (IPv6, IID 7): the EID record is the /128 inside an IID LCAF; the inner header is IPv6.
// 2: a Map-Reply for exactly the host replaces the pending entry; a record with another IID is
// ignored.
static void
test_miss_ipv6_iid(void **state)
{
	struct lisp_inner_hdr ih;

	(void)state;
	start();
	miss(eid7, 7, "2001:db8:7::5", "2001:db8:99::5");
	const struct mc_entry *e = must_entry(7, "2001:db8:99::5/128");
	assert_string_equal(origin(e), "pending");
	assert_int_equal(e->spec_action, MC_ACT_PENDING);
	assert_null(entry(0, "2001:db8:99::5/128"));

	assert_int_equal(n_sent, 1);
	assert_true(sent_to(0, MR1));
	const struct lisp_map_request *q = request(0, &ih);
	assert_int_equal(ih.src.afi, LISP_AFI_IPV6);
	assert_lisp_ip(&ih.src, "2001:db8:7::5");
	assert_lisp_ip(&ih.dst, "2001:db8:99::5");
	assert_lisp_ip(&q->source_eid.ip, "2001:db8:7::5");
	assert_int_equal(q->eids[0].len, 128);
	assert_int_equal(q->eids[0].addr.lcaf, LISP_LCAF_IID);
	assert_int_equal(q->eids[0].addr.iid, 7);
	assert_lisp_ip(&q->eids[0].addr.ip, "2001:db8:99::5");
	uint64_t nonce = q->nonce;

	uint32_t slot = e->slot;
	reply_start(nonce);
	// IID 0: not what was asked.
	reply_locator(reply_record(0, "2001:db8:99::/48", 60), "198.51.100.10", 1, 100, true);
	reply_locator(reply_record(7, "2001:db8:99::5/128", 1), "2001:db8:9::1", 1, 100, true);
	reply_send();

	e = must_entry(7, "2001:db8:99::5/128");
	assert_int_equal(e->slot, slot); // the pending entry replaced in place
	assert_string_equal(origin(e), "map-reply");
	assert_int_equal(e->spec_action, MC_ACT_ENCAP);
	assert_int_equal(e->action, MC_ACT_ENCAP);
	assert_int_equal(e->n_locators, 1);
	uint8_t rl[16];
	struct ip_addr want = addr("2001:db8:9::1");
	mc_locator_rloc(&e->loc[0], rl);
	assert_memory_equal(rl, want.bytes, 16);
	assert_ttl(e, 60);
	assert_null(entry(0, "2001:db8:99::/48"));
	assert_null(entry(7, "2001:db8:99::/48"));
	assert_int_equal(mc_count(mapping_mc()), 1);

	assert_int_equal(n_reinj, 1);
	assert_true(reinjected(0, eid7, "2001:db8:99::5"));
	assert_int_equal(pending_count(), 0);
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.replies, 1);
	assert_int_equal(c.records_installed, 1);
	assert_int_equal(c.records_ignored, 1);
	assert_int_equal(pending_delta().released, 1);
}

// 2. A positive Map-Reply with the matching nonce: the record installed with its TTL,
// priorities, weights and R bits; the held packets released; the pending state gone.
static void
test_reply_positive(void **state)
{
	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	assert_int_equal(n_sent, 1);
	uint64_t nonce = nonce_of(0);

	reply_start(nonce);
	struct lisp_record *r = reply_record(0, "10.2.0.0/16", 10);
	reply_locator(r, "198.51.100.10", 1, 70, true);
	reply_locator(r, "198.51.100.11", 1, 30, false); // R=0
	reply_locator(r, "2001:db8:9::1", 2, 100, true);
	reply_send();

	const struct mc_entry *e = must_entry(0, "10.2.0.0/16");
	assert_string_equal(origin(e), "map-reply");
	assert_int_equal(e->spec_action, MC_ACT_ENCAP);
	assert_int_equal(e->action, MC_ACT_ENCAP);
	assert_ttl(e, 600);
	assert_int_equal(e->n_locators, 3);
	static const char *const rlocs[] = {"198.51.100.10", "198.51.100.11", "2001:db8:9::1"};
	static const uint8_t prio[] = {1, 1, 2}, weight[] = {70, 30, 100}, usable[] = {1, 0, 1};
	for (unsigned i = 0; i < 3; i++) {
		struct ip_addr want = addr(rlocs[i]);
		uint8_t rl[16];
		mc_locator_rloc(&e->loc[i], rl);
		assert_int_equal(mc_tmpl_af(&e->loc[i].tmpl), want.af);
		assert_memory_equal(rl, want.bytes, want.af == AF_INET ? 4 : 16);
		assert_int_equal(e->loc[i].priority, prio[i]);
		assert_int_equal(e->loc[i].weight, weight[i]);
		assert_int_equal(e->loc[i].usable, usable[i]);
		assert_int_equal(e->loc[i].nh, TEST_NH);
	}
	// R=0: the locator is never chosen; the best usable priority-1 locator takes every flow.
	assert_int_equal(e->n_usable, 1);
	for (uint32_t h = 0; h < MC_BUCKETS; h++)
		assert_ptr_equal(mc_pick_locator(e, h), &e->loc[0]);

	// Pending gone, held packets released to the port they came in on.
	assert_null(entry(0, "10.2.0.5/32"));
	assert_int_equal(mc_count(mapping_mc()), 1);
	assert_int_equal(pending_count(), 0);
	assert_int_equal(n_reinj, 2);
	assert_true(reinjected(0, eid0, "10.2.0.5"));
	assert_true(reinjected(1, eid0, "10.2.0.5"));
	assert_int_equal(pending_delta().released, 2);
	assert_int_equal(in_flight(NULL), 0);
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.replies, 1);
	assert_int_equal(c.records_installed, 1);
	assert_int_equal(c.records_ignored, 0);
	assert_int_equal(c.bad_nonce, 0);

	// The nonce is spent: the same reply again is unknown and changes nothing.
	uint32_t gen = e->gen;
	reply_simple(nonce, 0, "10.2.0.0/16", 1, "198.51.100.99");
	assert_int_equal(mreq_delta().bad_nonce, 1);
	assert_int_equal(must_entry(0, "10.2.0.0/16")->gen, gen);

	// No retransmission afterwards.
	run_for(20000);
	assert_int_equal(n_sent, 1);
}

// 3. Negative Map-Replies: cached with their action and TTL; TTL 0 is not installed.
static void
test_reply_negative(void **state)
{
	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.3.0.5");
	miss(eid0, 0, "10.1.0.5", "10.4.0.5");
	miss(eid0, 0, "10.1.0.5", "10.5.0.5");
	assert_int_equal(n_sent, 3);

	// Natively-Forward, 15 minutes (a non-LISP destination).
	reply_start(nonce_of(0));
	reply_record(0, "10.3.0.0/16", 15)->act = LISP_ACT_NATIVE_FORWARD;
	reply_send();
	const struct mc_entry *e = must_entry(0, "10.3.0.0/16");
	assert_string_equal(origin(e), "map-reply");
	assert_int_equal(e->spec_action, MC_ACT_NATIVE_FWD);
	assert_int_equal(e->action, MC_ACT_NATIVE_FWD);
	assert_int_equal(e->n_locators, 0);
	assert_ttl(e, 900);
	assert_null(entry(0, "10.3.0.5/32"));
	assert_true(reinjected(0, eid0, "10.3.0.5"));

	// Drop/Policy-Denied, 1 minute: the action is kept (the data plane answers "prohibited").
	reply_start(nonce_of(1));
	reply_record(0, "10.4.0.5/32", 1)->act = LISP_ACT_DROP_POLICY_DENIED;
	reply_send();
	e = must_entry(0, "10.4.0.5/32");
	assert_string_equal(origin(e), "map-reply");
	assert_int_equal(e->spec_action, MC_ACT_DROP_POLICY);
	assert_int_equal(e->action, MC_ACT_DROP_POLICY);
	assert_ttl(e, 60);
	assert_true(reinjected(1, eid0, "10.4.0.5"));

	// TTL 0: "do not install"; the pending state stays until its timeout.
	reply_start(nonce_of(2));
	reply_record(0, "10.5.0.0/16", 0)->act = LISP_ACT_DROP;
	reply_send();
	assert_null(entry(0, "10.5.0.0/16"));
	assert_string_equal(origin(must_entry(0, "10.5.0.5/32")), "pending");
	assert_int_equal(pending_count(), 1);
	assert_int_equal(n_reinj, 2);

	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.replies, 3);
	assert_int_equal(c.records_installed, 2);
	assert_int_equal(c.records_ignored, 1);
}

// 4. A Map-Reply with an unknown nonce is counted and changes nothing; records that do not
// cover the requested EID (or are of another IID or family) are ignored.
static void
test_reply_bad_nonce_and_coverage(void **state)
{
	struct mreq_view mv;

	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	uint64_t nonce = nonce_of(0);
	uint32_t gen = must_entry(0, "10.2.0.5/32")->gen;

	reply_simple(nonce ^ 1, 0, "10.2.0.0/16", 10, "198.51.100.10");
	reply_simple(0, 0, "10.2.0.5/32", 10, "198.51.100.10");
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.bad_nonce, 2);
	assert_int_equal(c.replies, 0);
	assert_int_equal(mc_count(mapping_mc()), 1);
	assert_null(entry(0, "10.2.0.0/16"));
	const struct mc_entry *e = must_entry(0, "10.2.0.5/32");
	assert_string_equal(origin(e), "pending");
	assert_int_equal(e->gen, gen);
	assert_int_equal(pending_count(), 1);
	assert_int_equal(n_reinj, 0);
	assert_int_equal(in_flight(&mv), 1); // still waiting for the real answer

	// The matching nonce: only the record covering 10.2.0.5 is taken; one for another prefix
	// (outside it), another IID or another family is ignored.
	reply_start(nonce);
	reply_locator(reply_record(0, "10.3.0.0/16", 10), "198.51.100.10", 1, 100, true);
	reply_locator(reply_record(5, "10.2.0.0/16", 10), "198.51.100.10", 1, 100, true);
	reply_locator(reply_record(0, "2001:db8:99::/48", 10), "198.51.100.10", 1, 100, true);
	reply_locator(reply_record(0, "10.2.0.0/15", 5), "198.51.100.12", 3, 40, true);
	reply_send();
	assert_null(entry(0, "10.3.0.0/16"));
	assert_null(entry(5, "10.2.0.0/16"));
	assert_null(entry(0, "2001:db8:99::/48"));
	e = must_entry(0, "10.2.0.0/15");
	assert_string_equal(origin(e), "map-reply");
	assert_int_equal(e->n_locators, 1);
	assert_int_equal(e->loc[0].priority, 3);
	assert_int_equal(e->loc[0].weight, 40);
	assert_ttl(e, 300);
	assert_int_equal(mc_count(mapping_mc()), 1);
	assert_true(reinjected(0, eid0, "10.2.0.5"));
	c = mreq_delta();
	assert_int_equal(c.replies, 1);
	assert_int_equal(c.records_installed, 1);
	assert_int_equal(c.records_ignored, 3);
	assert_int_equal(c.bad_nonce, 2);
}

// 5. No reply: resent after interval, 2 x interval, ... with new nonces; after `retries` the
// next Map-Resolver; then a negative-local entry with negative-action and negative-ttl.
static void
test_retransmit_failover_give_up(void **state)
{
	// Offsets (ms) of the sends: 1 + retries to each resolver, doubling intervals.
	static const uint64_t at[] = {0, 1000, 3000, 7000, 8000, 10000};
	static const char *const to[] = {MR1, MR1, MR1, MR2, MR2, MR2};
	struct mreq_view mv;

	(void)state;
	conf.mapsys.resolvers[1] = addr(MR2);
	conf.mapsys.n_resolvers = 2;
	conf.mapsys.retries = 2;
	conf.mapsys.interval_ms = 1000;
	conf.mapsys.negative_ttl = 30;
	conf.mapsys.negative_action = CONF_ACT_NATIVE_FWD;
	conf.lisp.hold_timeout_ms = 60000; // the held packet waits for the give-up
	start();
	uint64_t t0 = ctl_now_ms();
	miss(eid0, 0, "10.1.0.5", "10.6.0.5");

	// Run up to just before the give-up (at 10000 + 4 x 1000), checking each send.
	while (ctl_now_ms() - t0 < 14000 - TICK_MS) {
		unsigned before = n_sent;
		run_for(TICK_MS);
		assert_true(n_sent - before <= 1);
	}
	assert_int_equal(n_sent, 6);
	for (unsigned i = 0; i < 6; i++) {
		struct lisp_inner_hdr ih;
		assert_int_equal(sent[i].at_ms - t0, at[i]);
		assert_true(sent_to(i, to[i]));
		const struct lisp_map_request *q = request(i, &ih);
		assert_lisp_ip(&ih.dst, "10.6.0.5");
		assert_lisp_ip(&q->eids[0].addr.ip, "10.6.0.5");
		assert_lisp_ip(&q->source_eid.ip, "10.1.0.5");
		uint64_t n = q->nonce;
		for (unsigned j = 0; j < i; j++)
			assert_int_not_equal(nonce_of(j), n);
	}
	assert_int_equal(in_flight(&mv), 1);
	assert_int_equal(mv.resolver, 1);
	assert_int_equal(mv.tries, 3);
	assert_string_equal(origin(must_entry(0, "10.6.0.5/32")), "pending");
	assert_int_equal(pending_count(), 1);
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.requests, 6);
	assert_int_equal(c.retransmits, 4);
	assert_int_equal(c.failovers, 1);
	assert_int_equal(c.gave_up, 0);

	// Give-up: a negative-local host entry with the configured action and TTL; the held packet
	// is released (it meets the negative entry).
	run_for(TICK_MS);
	assert_int_equal(n_sent, 6);
	const struct mc_entry *e = must_entry(0, "10.6.0.5/32");
	assert_string_equal(origin(e), "negative-local");
	assert_int_equal(e->spec_action, MC_ACT_NATIVE_FWD);
	assert_int_equal(e->n_locators, 0);
	assert_ttl(e, 30);
	assert_int_equal(in_flight(NULL), 0);
	assert_int_equal(pending_count(), 0);
	assert_int_equal(n_reinj, 1);
	assert_true(reinjected(0, eid0, "10.6.0.5"));
	c = mreq_delta();
	assert_int_equal(c.gave_up, 1);
	assert_int_equal(c.failovers, 1);

	// Nothing more is sent, and a late reply is an unknown nonce.
	run_for(30000);
	assert_int_equal(n_sent, 6);
	reply_simple(nonce_of(5), 0, "10.6.0.0/16", 10, "198.51.100.10");
	assert_int_equal(mreq_delta().bad_nonce, 1);
	assert_null(entry(0, "10.6.0.0/16"));
}

// 5. A request that gives up while a mapping covering its destination arrived meanwhile (the
// answer to another destination's request) leaves no negative entry over it.
static void
test_give_up_covered(void **state)
{
	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	miss(eid0, 0, "10.1.0.5", "10.2.0.6");
	assert_int_equal(n_sent, 2);
	reply_simple(nonce_of(0), 0, "10.2.0.0/16", 10, "198.51.100.10");
	// Both destinations are served by it; the second request is still in flight.
	assert_int_equal(pending_count(), 0);
	assert_int_equal(n_reinj, 2);
	assert_true(reinjected(1, eid0, "10.2.0.6"));
	assert_null(entry(0, "10.2.0.6/32"));
	assert_int_equal(in_flight(NULL), 1);

	run_for(20000); // 1 + 3 tries, then the give-up at 15 s
	assert_int_equal(n_sent, 5);
	assert_int_equal(in_flight(NULL), 0);
	assert_null(entry(0, "10.2.0.6/32"));
	assert_string_equal(origin(must_entry(0, "10.2.0.0/16")), "map-reply");
	assert_int_equal(mc_count(mapping_mc()), 1);
	assert_int_equal(mreq_delta().gave_up, 0);
}

// 5. Every attempt's nonce stays valid until the request ends: destination k is answered with
// the nonce of its k-th attempt, after all attempts.
static void
test_all_nonces_accepted(void **state)
{
	enum { N = 6 }; // 1 + retries to each of the two resolvers
	uint64_t nonces[N][N];
	unsigned n_nonces[N] = {0};
	char dst[N][32];

	(void)state;
	conf.mapsys.resolvers[1] = addr(MR2);
	conf.mapsys.n_resolvers = 2;
	conf.mapsys.retries = 2;
	conf.lisp.hold_timeout_ms = 60000;
	start();
	for (unsigned k = 0; k < N; k++) {
		snprintf(dst[k], sizeof(dst[k]), "10.20.0.%u", k + 1);
		miss(eid0, 0, "10.1.0.5", dst[k]);
	}
	run_for(12000); // every attempt made, no give-up yet (at 14 s)
	assert_int_equal(n_sent, N * N);
	assert_int_equal(in_flight(NULL), N);
	for (unsigned i = 0; i < n_sent; i++) {
		struct ip_addr a = asked(i);
		unsigned k = a.bytes[3] - 1u;
		assert_true(k < N && n_nonces[k] < N);
		nonces[k][n_nonces[k]++] = nonce_of(i);
	}
	for (unsigned k = 0; k < N; k++) {
		char pfx[40];
		assert_int_equal(n_nonces[k], N);
		snprintf(pfx, sizeof(pfx), "%s/32", dst[k]);
		reply_simple(nonces[k][k], 0, pfx, 10, "198.51.100.10");
		const struct mc_entry *e = must_entry(0, pfx);
		assert_string_equal(origin(e), "map-reply");
		assert_int_equal(e->spec_action, MC_ACT_ENCAP);
		assert_true(reinjected(k, eid0, dst[k]));
	}
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.replies, N);
	assert_int_equal(c.bad_nonce, 0);
	assert_int_equal(c.records_installed, N);
	assert_int_equal(in_flight(NULL), 0);
	assert_int_equal(pending_count(), 0);
}

// 6. The global rate limit: sends beyond it are postponed and counted, and no window of one
// second holds more than rate-limit Map-Requests (first tries and retransmissions alike).
static void
test_rate_limit(void **state)
{
	enum { RATE = 5, DESTS = 12 };
	bool asked_for[DESTS] = {false};

	(void)state;
	conf.mapsys.request_rate = RATE;
	conf.mapsys.retries = 3;
	conf.mapsys.interval_ms = 1000;
	conf.lisp.hold_timeout_ms = 60000;
	start();
	uint64_t t0 = ctl_now_ms();
	for (unsigned k = 0; k < DESTS; k++) {
		char dst[32];
		snprintf(dst, sizeof(dst), "10.30.0.%u", k + 1);
		miss(eid0, 0, "10.1.0.5", dst);
	}
	assert_int_equal(pending_count(), DESTS);
	assert_int_equal(n_sent, RATE);
	assert_true(mreq_delta().rate_limited >= DESTS - RATE);

	run_for(8000);
	assert_true(n_sent > 2 * RATE);
	for (unsigned i = 0; i < n_sent; i++) {
		struct ip_addr a = asked(i);
		asked_for[a.bytes[3] - 1] = true;
		// At most RATE sends in any second: the one RATE sends later is a second later.
		if (i + RATE < n_sent && sent[i + RATE].at_ms - sent[i].at_ms < 1000)
			fail_msg("sends %u at %" PRIu64 " ms and %u at %" PRIu64 " ms", i,
				 sent[i].at_ms - t0, i + RATE, sent[i + RATE].at_ms - t0);
	}
	for (unsigned k = 0; k < DESTS; k++)
		assert_true(asked_for[k]);
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.requests, n_sent);
	assert_true(c.rate_limited >= DESTS - RATE);
}

// 7. Expiry: an entry whose TTL passed goes at the next mapping_tick, and the next packet
// misses again. An entry without traffic is not refreshed.
static void
test_expiry(void **state)
{
	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	reply_simple(nonce_of(0), 0, "10.2.0.0/16", 1, "198.51.100.10");
	miss(eid0, 0, "10.1.0.5", "10.3.0.5");
	reply_start(nonce_of(1));
	reply_record(0, "10.3.0.0/16", 1)->act = LISP_ACT_NATIVE_FORWARD;
	reply_send();
	assert_int_equal(mc_count(mapping_mc()), 2);

	run_for(TICK_MS);
	assert_non_null(entry(0, "10.2.0.0/16"));
	// Near the end of the TTL, unused: no refresh.
	set_ttl_left(0, "10.2.0.0/16", 3);
	run_for(10 * TICK_MS);
	assert_int_equal(n_sent, 2);
	assert_int_equal(mreq_delta().refreshes, 0);

	// The TTL passes (both entries), the next tick removes them.
	set_ttl_left(0, "10.2.0.0/16", 0);
	set_ttl_left(0, "10.3.0.0/16", 0);
	assert_non_null(entry(0, "10.2.0.0/16"));
	mapping_tick();
	assert_null(entry(0, "10.2.0.0/16"));
	assert_null(entry(0, "10.3.0.0/16"));
	assert_int_equal(mc_count(mapping_mc()), 0);
	assert_int_equal(n_sent, 2);

	// The next packet misses again.
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	assert_string_equal(origin(must_entry(0, "10.2.0.5/32")), "pending");
	assert_int_equal(n_sent, 3);
	assert_int_equal(pending_delta().misses, 3);
}

// 7. Refresh: an entry with traffic within the last tenth of its TTL gets one refresh
// Map-Request (source EID AFI 0, the cached prefix); unanswered, it leaves no negative entry;
// answered, the entry is renewed.
static void
test_refresh(void **state)
{
	struct lisp_inner_hdr ih;

	(void)state;
	conf.mapsys.retries = 1;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	reply_simple(nonce_of(0), 0, "10.2.0.0/16", 10, "198.51.100.10");
	miss(eid0, 0, "10.1.0.5", "10.8.0.5");
	reply_simple(nonce_of(1), 0, "10.8.0.0/16", 10, "198.51.100.10");
	assert_int_equal(n_sent, 2);

	// Traffic early in the TTL, none in its last tenth: not "used recently".
	traffic(0, "10.2.0.0/16", 5);
	run_for(10 * TICK_MS);
	set_ttl_left(0, "10.2.0.0/16", 50); // < 600 s / 10
	run_for(10 * TICK_MS);
	assert_int_equal(n_sent, 2);
	assert_int_equal(mreq_delta().refreshes, 0);

	// Traffic in the last tenth: one refresh Map-Request through the Map-Resolver.
	traffic(0, "10.2.0.0/16", 1);
	run_for(TICK_MS);
	assert_int_equal(n_sent, 3);
	assert_int_equal(mreq_delta().refreshes, 1);
	assert_true(sent_to(2, MR1));
	const struct lisp_map_request *q = request(2, &ih);
	assert_int_equal(q->source_eid.lcaf, LISP_LCAF_NONE);
	assert_int_equal(q->source_eid.ip.afi, LISP_AFI_NONE);
	assert_int_equal(q->eids[0].addr.lcaf, LISP_LCAF_NONE);
	assert_lisp_ip(&q->eids[0].addr.ip, "10.2.0.0");
	assert_int_equal(q->eids[0].len, 16);
	assert_false(q->smr_invoked);
	assert_lisp_ip(&ih.src, ITR4); // no source EID: our RLOC
	assert_lisp_ip(&ih.dst, "10.2.0.0");

	// More traffic: still one refresh (its retransmission aside), then no answer: the entry
	// stays until its TTL, no negative entry.
	for (unsigned i = 0; i < 50; i++) {
		traffic(0, "10.2.0.0/16", 1);
		run_for(TICK_MS);
	}
	assert_int_equal(mreq_delta().refreshes, 1);
	assert_int_equal(n_sent, 4); // the retransmission (retries: 1)
	struct ip_addr a = asked(3), want = addr("10.2.0.0");
	assert_true(ip_addr_equal(&a, &want));
	assert_int_equal(in_flight(NULL), 0); // gave up
	const struct mc_entry *e = must_entry(0, "10.2.0.0/16");
	assert_string_equal(origin(e), "map-reply");
	assert_int_equal(e->spec_action, MC_ACT_ENCAP);
	assert_null(entry(0, "10.2.0.0/32"));
	assert_int_equal(mc_count(mapping_mc()), 2);
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.gave_up, 0);
	assert_int_equal(c.retransmits, 1);

	// The other entry: refreshed and answered (with a new locator): renewed for a full TTL.
	set_ttl_left(0, "10.8.0.0/16", 50);
	run_for(TICK_MS);
	traffic(0, "10.8.0.0/16", 1);
	run_for(TICK_MS);
	assert_int_equal(n_sent, 5);
	q = request(4, NULL);
	assert_int_equal(q->source_eid.ip.afi, LISP_AFI_NONE);
	assert_lisp_ip(&q->eids[0].addr.ip, "10.8.0.0");
	assert_int_equal(q->eids[0].len, 16);
	reply_simple(q->nonce, 0, "10.8.0.0/16", 10, "198.51.100.20");
	e = must_entry(0, "10.8.0.0/16");
	assert_string_equal(origin(e), "map-reply");
	assert_ttl(e, 600);
	uint8_t rl[16];
	want = addr("198.51.100.20");
	mc_locator_rloc(&e->loc[0], rl);
	assert_memory_equal(rl, want.bytes, 4);
	assert_int_equal(mreq_delta().refreshes, 2);
	assert_int_equal(in_flight(NULL), 0);
	run_for(5000);
	assert_int_equal(n_sent, 5);
}

// 8. Pending timeout: held packets dropped and counted, the pending host entry removed; the
// request in flight goes on, and a later packet waits for it without a second request.
static void
test_pending_timeout(void **state)
{
	struct pending_view pv;

	(void)state;
	conf.lisp.hold_packets = 2;
	conf.lisp.hold_timeout_ms = 3000;
	conf.mapsys.interval_ms = 5000;
	start();
	for (unsigned i = 0; i < 3; i++)
		miss(eid0, 0, "10.1.0.5", "10.9.0.5");
	assert_true(pending_find(0, "10.9.0.5", &pv));
	assert_int_equal(pv.held, 2);
	assert_int_equal(pv.packets, 3);
	struct pending_counters pc = pending_delta();
	assert_int_equal(pc.held, 2);
	assert_int_equal(pc.hold_dropped, 1);
	assert_int_equal(rte_mempool_in_use_count(ctl_pool), ctl_base + 2);

	run_for(3000 - TICK_MS);
	assert_int_equal(pending_count(), 1);
	assert_non_null(entry(0, "10.9.0.5/32"));
	assert_int_equal(pending_delta().timed_out, 0);

	run_for(TICK_MS);
	assert_int_equal(pending_count(), 0);
	assert_null(entry(0, "10.9.0.5/32"));
	assert_int_equal(mc_count(mapping_mc()), 0);
	pc = pending_delta();
	assert_int_equal(pc.timed_out, 2);
	assert_int_equal(n_reinj, 0);
	assert_int_equal(rte_mempool_in_use_count(ctl_pool), ctl_base);
	assert_int_equal(in_flight(NULL), 1);
	assert_int_equal(n_sent, 1);

	// A new packet: pending again, but the request in flight serves it.
	miss(eid0, 0, "10.1.0.5", "10.9.0.5");
	assert_int_equal(pending_count(), 1);
	assert_string_equal(origin(must_entry(0, "10.9.0.5/32")), "pending");
	assert_int_equal(n_sent, 1);
	assert_int_equal(pending_delta().misses, 2);
	reply_simple(nonce_of(0), 0, "10.9.0.0/24", 10, "198.51.100.10");
	assert_int_equal(pending_count(), 0);
	assert_int_equal(n_reinj, 1);
	assert_true(reinjected(0, eid0, "10.9.0.5"));
	assert_null(entry(0, "10.9.0.5/32"));
	assert_non_null(entry(0, "10.9.0.0/24"));
}

// SMR: for a cached EID, an SMR-invoked Map-Request through the Map-Resolver for the cached
// prefix; for an EID not cached, nothing.
static void
test_smr(void **state)
{
	static struct lisp_map_request smr;
	struct ip_addr a;

	(void)state;
	start();
	miss(eid0, 0, "10.1.0.5", "10.2.0.5");
	reply_simple(nonce_of(0), 0, "10.2.0.0/16", 10, "198.51.100.10");

	memset(&smr, 0, sizeof(smr));
	smr.smr = true;
	smr.nonce = 42;
	a = addr("10.2.3.4");
	lisp_ip_from_addr(&smr.source_eid.ip, &a);
	mreq_smr(&smr);
	assert_int_equal(n_sent, 2);
	const struct lisp_map_request *q = request(1, NULL);
	assert_true(q->smr_invoked);
	assert_int_equal(q->source_eid.ip.afi, LISP_AFI_NONE);
	assert_lisp_ip(&q->eids[0].addr.ip, "10.2.0.0");
	assert_int_equal(q->eids[0].len, 16);
	assert_true(sent_to(1, MR1));

	a = addr("10.99.0.1");
	lisp_ip_from_addr(&smr.source_eid.ip, &a);
	mreq_smr(&smr);
	assert_int_equal(n_sent, 2);
	struct mreq_counters c = mreq_delta();
	assert_int_equal(c.smr_received, 2);
	assert_int_equal(c.smr_ignored, 1);
	assert_int_equal(c.smr_invoked, 1);
}

int
main(int argc, char **argv)
{
	static char prefix_arg[64], arg0[PATH_MAX];
	char *eal_argv[] = {
		arg0,
		"--no-huge",
		"-m",
		"1024",
		"--no-shconf",
		"--no-pci",
		"--no-telemetry",
		"--lcores=0",
		"--log-level=lib.eal:warning",
		"--log-level=pmd.net.null:warning",
		"--log-level=dxtr.*:warning",
		"--vdev=net_null0",
		"--vdev=net_null1",
		"--vdev=net_null2",
		"--file-prefix",
		prefix_arg,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_miss, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_miss_ipv6_iid, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_reply_positive, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_reply_negative, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_reply_bad_nonce_and_coverage, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_retransmit_failover_give_up, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_give_up_covered, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_all_nonces_accepted, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_expiry, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_refresh, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_pending_timeout, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_smr, test_setup, test_teardown),
	};
	int ret;

	(void)argc;
	snprintf(arg0, sizeof(arg0), "%s", argv[0]);
	snprintf(prefix_arg, sizeof(prefix_arg), "dxtr_md_%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv), eal_argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	ret = cmocka_run_group_tests(tests, group_setup, group_teardown);
	rte_eal_cleanup();
	nftw(runtime_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return ret;
}
