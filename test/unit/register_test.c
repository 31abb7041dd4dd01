// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Map-Server registration (control/register.c): the Map-Registers it sends, byte for byte
// against lisp-protocol.md §5.4 for HMAC-SHA-1 and the same message with HMAC-SHA-256 (computed
// with Python's hmac module); the records it builds; which Map-Notifies confirm a registration
// and which are dropped, and why; retransmissions; Map-Notify-Acks for unsolicited
// Map-Notifies; databases split over several Map-Registers.
//
// lisp_io_send() is stubbed here to capture what is sent. The link wraps clock_gettime() (a
// clock the tests move) and getrandom() (the nonces the tests choose).

#include "register.h"
#include "route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>

// clang-format off

// §5.4 (d): Map-Register with HMAC-SHA-1, key "lisp-key", M=1 (the UDP payload).
static const uint8_t vec_register_sha1[] = {
	// type 3 | reserved | M | 1 record
	0x30, 0x00, 0x01, 0x01,
	// nonce
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	// key ID 0, algorithm 1 | auth data length 20
	0x00, 0x01, 0x00, 0x14,
	// HMAC-SHA-1("lisp-key", message with this field zeroed)
	0xd4, 0x73, 0x5b, 0x08, 0xc1, 0x53, 0x40, 0x5b, 0x00, 0x42,
	0x2e, 0xa2, 0xb9, 0x6a, 0x23, 0x6e, 0x64, 0xb7, 0x2d, 0x59,
	// record: TTL 1440 | 1 locator, /16, A | version 0, AFI 1 | 240.2.0.0
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xf0, 0x02, 0x00, 0x00,
	// locator: priority 1, weight 100, M priority 255, M weight 0 | L+R | AFI 1, 198.51.100.2
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

// The same with HMAC-SHA-256 (algorithm 2, 32 bytes).
static const uint8_t vec_register_sha256[] = {
	0x30, 0x00, 0x01, 0x01,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	// key ID 0, algorithm 2 | auth data length 32
	0x00, 0x02, 0x00, 0x20,
	// HMAC-SHA-256("lisp-key", message with this field zeroed)
	0xa3, 0x6a, 0x20, 0x6f, 0x75, 0x9b, 0x54, 0x11,
	0x5d, 0x4a, 0x8f, 0x8f, 0x52, 0x70, 0x9c, 0xaa,
	0xc7, 0xe7, 0x3e, 0x4b, 0x56, 0xec, 0x62, 0x94,
	0x53, 0xf1, 0xa9, 0x72, 0xf0, 0x99, 0x7d, 0x8b,
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xf0, 0x02, 0x00, 0x00,
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

// clang-format on

#define KEY "lisp-key"
#define MS_ADDR "203.0.113.10"
#define ETR_RLOC "198.51.100.2"
#define VEC_NONCE 0x0102030405060708ull

// Stubs and wraps --------------------------------------------------------------------------------

struct sent {
	struct ip_addr src, dst;
	uint16_t sport, dport;
	size_t len;
	uint8_t buf[9600];
};

static struct sent sent[32];
static unsigned n_sent;
static unsigned tx_count[LISP_IO_TYPES];
static int send_result; // what lisp_io_send() returns

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
	if (send_result < 0)
		return send_result;
	assert_true(n_sent < sizeof(sent) / sizeof(sent[0]));
	assert_true(len <= sizeof(sent[0].buf));
	struct sent *s = &sent[n_sent++];
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
	tx_count[type & (LISP_IO_TYPES - 1)]++;
}

static uint64_t clock_ms = 1000000; // CLOCK_MONOTONIC, as the tests set it

int __real_clock_gettime(clockid_t id, struct timespec *ts);
int __wrap_clock_gettime(clockid_t id, struct timespec *ts);
int
__wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
	if (id != CLOCK_MONOTONIC)
		return __real_clock_gettime(id, ts);
	ts->tv_sec = (time_t)(clock_ms / 1000);
	ts->tv_nsec = (long)(clock_ms % 1000) * 1000000;
	return 0;
}

// The nonces getrandom() gives: queued ones first, then a counter.
static uint64_t nonces[8];
static unsigned n_nonces;
static uint64_t nonce_counter;

ssize_t __wrap_getrandom(void *buf, size_t len, unsigned flags);
ssize_t
__wrap_getrandom(void *buf, size_t len, unsigned flags)
{
	uint64_t n;

	(void)flags;
	assert_int_equal(len, sizeof(n));
	if (n_nonces > 0) {
		n = nonces[0];
		memmove(nonces, nonces + 1, --n_nonces * sizeof(nonces[0]));
	} else {
		n = 0xabcd000000000000ull + ++nonce_counter;
	}
	memcpy(buf, &n, sizeof(n));
	return (ssize_t)len;
}

// Helpers ----------------------------------------------------------------------------------------

static struct dxtr_conf conf; // about 1 MiB: not on the stack
static struct lisp_msg decoded;
static struct lisp_msg built;

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;
	assert_int_equal(conf_parse_addr(s, &a), 0);
	return a;
}

static void
add_mapping(uint32_t iid, const char *prefix, const char *const *locs, unsigned n_locs)
{
	struct conf_mapping *m = &conf.database[conf.n_database++];

	memset(m, 0, sizeof(*m));
	m->iid = iid;
	assert_int_equal(conf_parse_prefix(prefix, &m->prefix), 0);
	m->action = CONF_ACT_ENCAP;
	for (unsigned i = 0; i < n_locs; i++) {
		m->loc[i].addr = addr(locs[i]);
		m->loc[i].priority = 1;
		m->loc[i].weight = 100;
	}
	m->n_loc = n_locs;
}

static struct conf_map_server *
add_server(const char *a, const char *key, uint8_t alg, bool want_notify)
{
	struct conf_map_server *s = &conf.mapsys.servers[conf.mapsys.n_servers++];

	memset(s, 0, sizeof(*s));
	s->addr = addr(a);
	snprintf(s->key, sizeof(s->key), "%s", key);
	s->alg = alg;
	s->want_notify = want_notify;
	return s;
}

// The §5.4 setting: 240.2.0.0/16 at 198.51.100.2, one map-server at 203.0.113.10.
static void
golden_conf(uint8_t alg)
{
	static const char *const loc[] = {ETR_RLOC};

	add_mapping(0, "240.2.0.0/16", loc, 1);
	add_server(MS_ADDR, KEY, alg, true);
}

static int
setup(void **state)
{
	struct ip_prefix p;
	struct ip_addr via;

	(void)state;
	conf_defaults(&conf);
	n_sent = 0;
	memset(tx_count, 0, sizeof(tx_count));
	send_result = 0;
	n_nonces = 0;
	clock_ms = 1000000;
	route_flush();
	assert_int_equal(conf_parse_prefix(ETR_RLOC "/24", &p), 0);
	assert_int_equal(route_add_connected(0, &p), 0);
	assert_int_equal(conf_parse_prefix("203.0.113.0/24", &p), 0);
	assert_int_equal(conf_parse_addr("198.51.100.1", &via), 0);
	assert_int_equal(route_add(&p, &via), 0);
	return 0;
}

struct view_ctx {
	unsigned want, i;
	struct register_view *out;
};

static void
view_cb(const struct register_view *v, void *arg)
{
	struct view_ctx *c = arg;

	if (c->i++ == c->want)
		*c->out = *v;
}

// The state of map-server idx.
static void
get_view(unsigned idx, struct register_view *out)
{
	struct view_ctx c = {.want = idx, .out = out};

	memset(out, 0, sizeof(*out));
	register_foreach(view_cb, &c);
	assert_true(c.i > idx);
}

static struct register_view
view(void)
{
	struct register_view v;
	get_view(0, &v);
	return v;
}

static const struct lisp_map_register *
decode_sent(unsigned i, enum lisp_type type)
{
	assert_true(i < n_sent);
	assert_int_equal(lisp_msg_decode(&decoded, sent[i].buf, sent[i].len), (int)sent[i].len);
	assert_int_equal(decoded.type, type);
	return &decoded.reg;
}

// A Map-Notify for sent Map-Register i: its records, the given nonce, signed with key and alg;
// returned decoded, as lisp_io hands it over.
static const struct lisp_map_register *
notify_for(unsigned i, uint64_t nonce, const char *key, uint8_t alg, uint8_t key_id)
{
	static uint8_t buf[9600];
	int len;

	decode_sent(i, LISP_TYPE_MAP_REGISTER);
	built = decoded;
	built.type = LISP_TYPE_MAP_NOTIFY;
	built.reg.want_map_notify = false;
	built.reg.nonce = nonce;
	built.reg.key_id = key_id;
	built.reg.alg_id = alg;
	built.reg.auth_len = (uint16_t)lisp_auth_len(alg);
	len = lisp_msg_encode(&built, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(lisp_auth_sign(buf, (size_t)len, key, strlen(key)), 0);
	assert_int_equal(lisp_msg_decode(&built, buf, (size_t)len), len);
	return &built.reg;
}

static uint64_t
sent_nonce(unsigned i)
{
	return decode_sent(i, LISP_TYPE_MAP_REGISTER)->nonce;
}

static struct lisp_io_peer
peer_from(const char *src)
{
	return (struct lisp_io_peer){
		.src = addr(src),
		.dst = addr(ETR_RLOC),
		.sport = LISP_CONTROL_PORT,
	};
}

// Moves the clock by ms and runs the timer.
static void
tick_after(uint64_t ms)
{
	clock_ms += ms;
	register_tick();
}

// Tests ------------------------------------------------------------------------------------------

static void
check_golden(uint8_t alg, const uint8_t *vec, size_t vec_len)
{
	golden_conf(alg);
	nonces[n_nonces++] = VEC_NONCE;
	assert_int_equal(register_init(&conf), 0);
	assert_int_equal(n_sent, 0); // the first tick registers
	register_tick();
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[0].len, vec_len);
	assert_memory_equal(sent[0].buf, vec, vec_len);
	struct ip_addr src = addr(ETR_RLOC), dst = addr(MS_ADDR);
	assert_true(ip_addr_equal(&sent[0].src, &src));
	assert_true(ip_addr_equal(&sent[0].dst, &dst));
	assert_int_equal(sent[0].sport, LISP_CONTROL_PORT);
	assert_int_equal(sent[0].dport, LISP_CONTROL_PORT);
	assert_int_equal(tx_count[LISP_TYPE_MAP_REGISTER], 1);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, KEY, strlen(KEY)), 0);
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "lisp-kez", 8), -EACCES);

	const struct lisp_map_register *r = decode_sent(0, LISP_TYPE_MAP_REGISTER);
	assert_true(r->want_map_notify);
	assert_false(r->proxy_reply || r->security || r->xtr_id_present || r->rtr);
	assert_int_equal(r->nonce, VEC_NONCE);
	assert_int_equal(r->key_id, 0);
	assert_int_equal(r->alg_id, alg);
	assert_int_equal(r->n_records, 1);
	assert_int_equal(r->records[0].ttl, 1440);
	assert_true(r->records[0].authoritative);
	assert_int_equal(r->records[0].n_locators, 1);
	assert_true(r->records[0].locators[0].local && r->records[0].locators[0].reachable);
	assert_false(r->records[0].locators[0].probed);

	// Nothing more until the retransmission time.
	tick_after(REG_RETRANSMIT_MS - 1);
	assert_int_equal(n_sent, 1);
	struct register_view v = view();
	assert_int_equal(v.state, REGISTER_NEVER);
	assert_int_equal(v.last_registered_age_s, -1);
	assert_int_equal(v.cnt.registers_sent, 1);
	assert_int_equal(v.n_messages, 1);
}

static void
test_golden_sha1(void **state)
{
	(void)state;
	check_golden(LISP_AUTH_HMAC_SHA1_96, vec_register_sha1, sizeof(vec_register_sha1));
}

static void
test_golden_sha256(void **state)
{
	(void)state;
	check_golden(LISP_AUTH_HMAC_SHA256_128, vec_register_sha256, sizeof(vec_register_sha256));
}

// Instance-IDs, IPv6, locator order, key-id, no M bit.
static void
test_records(void **state)
{
	static const char *const locs[] = {"2001:db8::2", "198.51.100.9", "2001:db8::1",
					   ETR_RLOC};
	struct conf_map_server *ms;

	(void)state;
	add_mapping(5, "10.1.0.0/16", locs, 4);
	add_mapping(0, "2001:db8:a::/48", locs + 2, 1);
	conf.database[0].loc[1].priority = 2;
	conf.database[0].loc[1].weight = 30;
	conf.mapsys.reply_ttl_min = 60;
	ms = add_server(MS_ADDR, "another key", LISP_AUTH_HMAC_SHA256_128, false);
	ms->key_id = 7;
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[0].buf[2], 0x00); // no M bit
	assert_int_equal(sent[0].buf[12], 7); // key ID
	assert_int_equal(sent[0].buf[13], 2); // algorithm
	assert_int_equal(lisp_auth_verify(sent[0].buf, sent[0].len, "another key", 11), 0);

	const struct lisp_map_register *r = decode_sent(0, LISP_TYPE_MAP_REGISTER);
	assert_false(r->want_map_notify);
	assert_int_equal(r->n_records, 2);
	const struct lisp_record *a = &r->records[0], *b = &r->records[1];
	assert_int_equal(a->ttl, 60);
	assert_int_equal(a->eid.addr.lcaf, LISP_LCAF_IID);
	assert_int_equal(a->eid.addr.iid, 5);
	assert_int_equal(a->eid.addr.ip.afi, LISP_AFI_IPV4);
	assert_int_equal(a->eid.len, 16);
	assert_int_equal(a->n_locators, 4);
	static const char *const sorted[] = {
		ETR_RLOC, "198.51.100.9", "2001:db8::1", "2001:db8::2",
	};
	for (unsigned i = 0; i < 4; i++) {
		struct ip_addr want = addr(sorted[i]);
		const struct lisp_locator *l = &a->locators[i];
		uint16_t afi = want.af == AF_INET ? LISP_AFI_IPV4 : LISP_AFI_IPV6;
		assert_int_equal(l->addr.ip.afi, afi);
		assert_memory_equal(l->addr.ip.bytes, want.bytes, want.af == AF_INET ? 4 : 16);
		assert_true(l->local && l->reachable && !l->probed);
		assert_int_equal(l->mpriority, 255);
	}
	assert_int_equal(a->locators[1].priority, 2); // 198.51.100.9 kept its own
	assert_int_equal(a->locators[1].weight, 30);
	assert_int_equal(b->eid.addr.lcaf, LISP_LCAF_NONE);
	assert_int_equal(b->eid.addr.ip.afi, LISP_AFI_IPV6);
	assert_int_equal(b->eid.len, 48);
	assert_true(b->authoritative);

	// Without Map-Notifies: registered once sent, never retransmitted.
	struct register_view v = view();
	assert_int_equal(v.state, REGISTER_REGISTERED);
	assert_int_equal(v.last_registered_age_s, 0);
	for (unsigned i = 0; i < 5; i++)
		tick_after(REG_RETRANSMIT_MS);
	assert_int_equal(n_sent, 1);
	assert_int_equal(view().cnt.retransmits, 0);
}

static void
test_notify_accepted(void **state)
{
	struct lisp_io_peer peer = peer_from(MS_ADDR);

	(void)state;
	golden_conf(LISP_AUTH_HMAC_SHA1_96);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	register_notify(notify_for(0, sent_nonce(0), KEY, 1, 0), &peer);
	struct register_view v = view();
	assert_int_equal(v.state, REGISTER_REGISTERED);
	assert_int_equal(v.last_registered_age_s, 0);
	assert_int_equal(v.cnt.notifies_ok, 1);
	assert_int_equal(v.cnt.bad_nonce + v.cnt.bad_auth + v.cnt.notify_acks, 0);
	// Answered: no retransmission.
	tick_after(REG_RETRANSMIT_MS);
	tick_after(REG_RETRANSMIT_MS);
	assert_int_equal(n_sent, 1);
	assert_int_equal(view().last_registered_age_s, 6);
	// A repeated answer changes nothing but the count.
	register_notify(notify_for(0, sent_nonce(0), KEY, 1, 0), &peer);
	assert_int_equal(view().cnt.notifies_ok, 2);
	assert_int_equal(n_sent, 1);
	// Not refreshed for 3 intervals (no timer ran meanwhile): unregistered.
	clock_ms += 3 * 60 * 1000;
	assert_int_equal(view().state, REGISTER_UNREGISTERED);
}

static void
test_notify_rejected(void **state)
{
	struct lisp_io_peer peer = peer_from(MS_ADDR);
	struct lisp_io_peer stranger = peer_from("203.0.113.11");
	struct register_global_counters g;
	uint64_t nonce;

	(void)state;
	golden_conf(LISP_AUTH_HMAC_SHA1_96);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	nonce = sent_nonce(0);

	register_notify(notify_for(0, nonce + 1, KEY, 1, 0), &peer); // wrong nonce
	assert_int_equal(view().cnt.bad_nonce, 1);
	register_notify(notify_for(0, nonce, "wrong-key", 1, 0), &peer); // wrong key
	assert_int_equal(view().cnt.bad_auth, 1);
	register_notify(notify_for(0, nonce, KEY, 2, 0), &peer); // right key, wrong algorithm
	assert_int_equal(view().cnt.bad_auth, 2);
	register_notify(notify_for(0, nonce, KEY, 1, 3), &peer); // wrong key ID
	assert_int_equal(view().cnt.bad_auth, 3);
	register_notify(notify_for(0, nonce, KEY, 1, 0), &stranger); // not our map-server
	register_global_counters(&g);
	assert_int_equal(g.unknown_server, 1);

	struct register_view v = view();
	assert_int_equal(v.state, REGISTER_NEVER);
	assert_int_equal(v.cnt.notifies_ok, 0);
	assert_int_equal(v.cnt.bad_nonce, 1);
	assert_int_equal(v.cnt.notify_acks, 0);
	assert_int_equal(n_sent, 1); // nothing answered

	// The right one still registers.
	register_notify(notify_for(0, nonce, KEY, 1, 0), &peer);
	assert_int_equal(view().state, REGISTER_REGISTERED);
	assert_int_equal(view().cnt.notifies_ok, 1);
}

static void
test_retransmit(void **state)
{
	struct lisp_io_peer peer = peer_from(MS_ADDR);

	(void)state;
	golden_conf(LISP_AUTH_HMAC_SHA256_128);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	for (unsigned i = 1; i <= REG_RETRANSMITS; i++) {
		tick_after(REG_RETRANSMIT_MS - 1);
		assert_int_equal(n_sent, i);
		tick_after(1);
		assert_int_equal(n_sent, i + 1);
		// The same Map-Register again, same nonce.
		assert_int_equal(sent[i].len, sent[0].len);
		assert_memory_equal(sent[i].buf, sent[0].buf, sent[0].len);
	}
	struct register_view v = view();
	assert_int_equal(v.cnt.registers_sent, 1 + REG_RETRANSMITS);
	assert_int_equal(v.cnt.retransmits, REG_RETRANSMITS);
	assert_int_equal(v.cnt.unanswered, 0);
	// Bounded: then it gives up until the next round.
	tick_after(REG_RETRANSMIT_MS);
	tick_after(REG_RETRANSMIT_MS);
	assert_int_equal(n_sent, 1 + REG_RETRANSMITS);
	assert_int_equal(view().cnt.unanswered, 1);
	assert_int_equal(tx_count[LISP_TYPE_MAP_REGISTER], 1 + REG_RETRANSMITS);
	// A late answer to the last Map-Register still counts.
	register_notify(notify_for(0, sent_nonce(0), KEY, 2, 0), &peer);
	assert_int_equal(view().state, REGISTER_REGISTERED);

	// The next round: within interval + a tenth of it, with a new nonce.
	unsigned before = n_sent;
	clock_ms += 66 * 1000 - 5 * REG_RETRANSMIT_MS;
	register_tick();
	assert_int_equal(n_sent, before + 1);
	assert_int_not_equal(sent_nonce(before), sent_nonce(0));
	// An answer to the previous round's nonce is stale now.
	register_notify(notify_for(0, sent_nonce(0), KEY, 2, 0), &peer);
	assert_int_equal(view().cnt.bad_nonce, 1);
	// Sends that fail are counted and retried all the same.
	send_result = -ENETUNREACH;
	tick_after(REG_RETRANSMIT_MS);
	assert_int_equal(view().cnt.send_failed, 1);
	send_result = 0;
	tick_after(REG_RETRANSMIT_MS);
	assert_int_equal(n_sent, before + 2);
	assert_int_equal(view().cnt.retransmits, REG_RETRANSMITS + 2);
}

static void
test_no_route(void **state)
{
	(void)state;
	golden_conf(LISP_AUTH_HMAC_SHA1_96);
	conf.mapsys.servers[0].addr = addr("192.0.2.200"); // no route there
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	assert_int_equal(n_sent, 0);
	assert_int_equal(view().cnt.send_failed, 1);
	assert_int_equal(view().cnt.registers_sent, 0);
}

static void
test_unsolicited_notify_acked(void **state)
{
	struct lisp_io_peer peer = peer_from(MS_ADDR);

	(void)state;
	golden_conf(LISP_AUTH_HMAC_SHA1_96);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	register_notify(notify_for(0, sent_nonce(0), KEY, 1, 0), &peer);
	assert_int_equal(view().state, REGISTER_REGISTERED);

	// The server's own news, from another port: acknowledged there, signed with our key.
	peer.sport = 61000;
	const struct lisp_map_register *n = notify_for(0, 0x1122334455667788ull, KEY, 1, 0);
	register_notify(n, &peer);
	assert_int_equal(n_sent, 2);
	struct ip_addr ms = addr(MS_ADDR), us = addr(ETR_RLOC);
	assert_true(ip_addr_equal(&sent[1].dst, &ms));
	assert_true(ip_addr_equal(&sent[1].src, &us));
	assert_int_equal(sent[1].sport, LISP_CONTROL_PORT);
	assert_int_equal(sent[1].dport, 61000);
	assert_int_equal(sent[1].buf[0] >> 4, LISP_TYPE_MAP_NOTIFY_ACK);
	assert_int_equal(lisp_auth_verify(sent[1].buf, sent[1].len, KEY, strlen(KEY)), 0);
	const struct lisp_map_register *ack = decode_sent(1, LISP_TYPE_MAP_NOTIFY_ACK);
	assert_int_equal(ack->nonce, 0x1122334455667788ull);
	assert_int_equal(ack->alg_id, 1);
	assert_int_equal(ack->n_records, 1);
	assert_true(lisp_record_equal(&ack->records[0], &n->records[0]));
	assert_int_equal(tx_count[LISP_TYPE_MAP_NOTIFY_ACK], 1);
	assert_int_equal(view().cnt.notify_acks, 1);
	assert_int_equal(view().cnt.notifies_ok, 1);

	// Not authenticated: no acknowledgement.
	register_notify(notify_for(0, 0x1122334455667789ull, "wrong-key", 1, 0), &peer);
	assert_int_equal(n_sent, 2);
	assert_int_equal(view().cnt.bad_auth, 1);
}

// More records than one Map-Register takes (32), then more bytes than the path MTU leaves.
static void
test_split(void **state)
{
	static const char *const loc[] = {ETR_RLOC};
	static const char *const locs6[] = {"2001:db8::1", "2001:db8::2", "2001:db8::3",
					    "2001:db8::4", "2001:db8::5", "2001:db8::6",
					    "2001:db8::7", "2001:db8::8"};
	struct lisp_io_peer peer = peer_from(MS_ADDR);
	char p[32];

	(void)state;
	for (unsigned i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "10.%u.0.0/16", i);
		add_mapping(0, p, loc, 1);
	}
	add_server(MS_ADDR, KEY, LISP_AUTH_HMAC_SHA1_96, true);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	assert_int_equal(n_sent, 2);
	assert_int_equal(view().n_messages, 2);
	assert_int_equal(decode_sent(0, LISP_TYPE_MAP_REGISTER)->n_records, 32);
	assert_int_equal(decode_sent(1, LISP_TYPE_MAP_REGISTER)->n_records, 8);
	assert_int_equal(decoded.reg.records[7].eid.addr.ip.bytes[1], 39);
	assert_int_not_equal(sent_nonce(0), sent_nonce(1));
	// Registered once both are confirmed; the unconfirmed one alone is retransmitted.
	register_notify(notify_for(1, sent_nonce(1), KEY, 1, 0), &peer);
	assert_int_equal(view().state, REGISTER_NEVER);
	tick_after(REG_RETRANSMIT_MS);
	assert_int_equal(n_sent, 3);
	assert_int_equal(sent_nonce(2), sent_nonce(0));
	register_notify(notify_for(0, sent_nonce(0), KEY, 1, 0), &peer);
	assert_int_equal(view().state, REGISTER_REGISTERED);
	assert_int_equal(view().cnt.notifies_ok, 2);

	// 20 records of 8 IPv6 locators (208 bytes each): 6 in each 1452 bytes.
	setup(NULL);
	for (unsigned i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "10.%u.0.0/16", i);
		add_mapping(0, p, locs6, 8);
	}
	add_server(MS_ADDR, KEY, LISP_AUTH_HMAC_SHA256_128, true);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	assert_int_equal(n_sent, 4);
	unsigned total = 0;
	for (unsigned i = 0; i < n_sent; i++) {
		assert_true(sent[i].len <= 1500 - 48);
		assert_int_equal(lisp_auth_verify(sent[i].buf, sent[i].len, KEY, strlen(KEY)), 0);
		total += decode_sent(i, LISP_TYPE_MAP_REGISTER)->n_records;
	}
	assert_int_equal(total, 20);
	assert_int_equal(decode_sent(0, LISP_TYPE_MAP_REGISTER)->n_records, 6);
}

// Two map-servers: each its own key, nonces and state.
static void
test_two_servers(void **state)
{
	struct lisp_io_peer peer = peer_from(MS_ADDR);
	struct register_view v0, v1;

	(void)state;
	golden_conf(LISP_AUTH_HMAC_SHA1_96);
	add_server("203.0.113.20", "other", LISP_AUTH_HMAC_SHA256_128, true);
	assert_int_equal(register_init(&conf), 0);
	register_tick();
	assert_int_equal(n_sent, 2);
	assert_int_equal(lisp_auth_verify(sent[1].buf, sent[1].len, "other", 5), 0);
	// Server 0 answering with server 1's nonce: not its nonce.
	register_notify(notify_for(0, sent_nonce(1), KEY, 1, 0), &peer);
	register_notify(notify_for(0, sent_nonce(0), KEY, 1, 0), &peer);
	get_view(0, &v0);
	get_view(1, &v1);
	assert_int_equal(v0.state, REGISTER_REGISTERED);
	assert_int_equal(v0.cnt.bad_nonce, 1);
	assert_int_equal(v1.state, REGISTER_NEVER);
	assert_int_equal(v1.cnt.notifies_ok + v1.cnt.bad_nonce, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_golden_sha1, setup),
		cmocka_unit_test_setup(test_golden_sha256, setup),
		cmocka_unit_test_setup(test_records, setup),
		cmocka_unit_test_setup(test_notify_accepted, setup),
		cmocka_unit_test_setup(test_notify_rejected, setup),
		cmocka_unit_test_setup(test_retransmit, setup),
		cmocka_unit_test_setup(test_no_route, setup),
		cmocka_unit_test_setup(test_unsolicited_notify_acked, setup),
		cmocka_unit_test_setup(test_split, setup),
		cmocka_unit_test_setup(test_two_servers, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
