// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "register.h"
#include "route.h"

LOG_TYPE(register);

#define REG_MSG_MAX 9600 // the largest path MTU the configuration takes
#define REG_HDR_ROOM 48 // IPv6 and UDP headers: what the path MTU leaves for the message
#define REG_MAX_MSGS CONF_MAX_DATABASE // one record per message at worst

// One Map-Register of a round: database records [first, first + n).
struct reg_msg {
	uint16_t first;
	uint16_t n;
	uint64_t nonce; // of this round
	unsigned tries; // sends this round; 0: not sent yet
	uint64_t sent_ms;
	bool awaiting; // sent with M, no Map-Notify yet, retransmissions left
	bool confirmed; // a Map-Notify answered it this round
};

struct reg_server {
	const struct conf_map_server *ms;
	size_t key_len;
	struct reg_msg msgs[REG_MAX_MSGS];
	unsigned n_msgs;
	uint64_t next_round_ms;
	uint64_t registered_ms; // last confirmation; 0: never
	struct register_counters cnt;
};

// Control lcore only.
static const struct dxtr_conf *conf;
static struct reg_server servers[CONF_MAX_MAP_SERVERS];
static unsigned n_servers;
static struct register_global_counters gcnt;
// Messages are large (up to 32 records of 32 locators): built here, one at a time.
static struct lisp_msg out;
static uint8_t buf[REG_MSG_MAX];

static uint64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
new_nonce(void)
{
	uint64_t n;

	if (getrandom(&n, sizeof(n), GRND_NONBLOCK) != sizeof(n))
		n = ((uint64_t)rand() << 32) ^ (uint64_t)rand();
	return n;
}

// How long a Map-Server keeps a registration that is not refreshed (lisp-protocol.md §3.10).
static uint64_t
hold_ms(void)
{
	return (uint64_t)conf->mapsys.register_interval * 3000;
}

const char *
register_state_name(enum register_state s)
{
	switch (s) {
	case REGISTER_NEVER:
		return "never";
	case REGISTER_REGISTERED:
		return "registered";
	case REGISTER_UNREGISTERED:
		return "unregistered";
	}
	return "?";
}

static void
to_lisp_ip(const struct ip_addr *a, struct lisp_ip *l)
{
	memset(l, 0, sizeof(*l));
	l->afi = a->af == AF_INET ? LISP_AFI_IPV4 : LISP_AFI_IPV6;
	memcpy(l->bytes, a->bytes, 16);
}

// Locators sorted as the ETR sends them (IPv4 before IPv6, ascending): the order LSBs refer to.
static int
loc_cmp(const void *a, const void *b)
{
	const struct lisp_locator *x = a, *y = b;

	if (x->addr.ip.afi != y->addr.ip.afi)
		return x->addr.ip.afi < y->addr.ip.afi ? -1 : 1;
	return memcmp(x->addr.ip.bytes, y->addr.ip.bytes, 16);
}

// A database entry as a Map-Register record: authoritative, every locator ours (L) and up (R).
static void
fill_record(struct lisp_record *rec, const struct conf_mapping *m)
{
	memset(rec, 0, sizeof(*rec));
	rec->ttl = conf->mapsys.reply_ttl_min; // what the Map-Server hands out in proxy replies
	rec->authoritative = true;
	rec->eid.len = m->prefix.len;
	if (m->iid != 0) {
		rec->eid.addr.lcaf = LISP_LCAF_IID;
		rec->eid.addr.iid = m->iid;
	}
	to_lisp_ip(&m->prefix.addr, &rec->eid.addr.ip);
	rec->n_locators = m->n_loc;
	for (unsigned i = 0; i < m->n_loc; i++) {
		struct lisp_locator *l = &rec->locators[i];
		l->priority = m->loc[i].priority;
		l->weight = m->loc[i].weight;
		l->mpriority = 255;
		l->local = true;
		l->reachable = true;
		to_lisp_ip(&m->loc[i].addr, &l->addr.ip);
	}
	qsort(rec->locators, rec->n_locators, sizeof(rec->locators[0]), loc_cmp);
}

// Encodes the Map-Register of database records [first, first + n) for s into buf (at most size
// bytes), signed. Returns its length or a negative errno.
static int
encode(const struct reg_server *s, unsigned first, unsigned n, uint64_t nonce, size_t size)
{
	struct lisp_map_register *r = &out.reg;
	int len, auth_len = lisp_auth_len(s->ms->alg);

	if (auth_len < 0)
		return auth_len;
	memset(&out, 0, offsetof(struct lisp_msg, reg.records));
	out.type = LISP_TYPE_MAP_REGISTER;
	r->want_map_notify = s->ms->want_notify;
	r->nonce = nonce;
	r->key_id = s->ms->key_id;
	r->alg_id = s->ms->alg;
	r->auth_len = (uint16_t)auth_len;
	r->n_records = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		fill_record(&r->records[i], &conf->database[first + i]);
	len = lisp_msg_encode(&out, buf, size);
	if (len < 0)
		return len;
	return lisp_auth_sign(buf, (size_t)len, s->ms->key, s->key_len) < 0 ? -EIO : len;
}

// Splits the database into as few Map-Registers as fit the path MTU.
static void
split(struct reg_server *s)
{
	size_t budget = conf->lisp.path_mtu - REG_HDR_ROOM;
	unsigned first = 0;

	s->n_msgs = 0;
	while (first < conf->n_database && s->n_msgs < REG_MAX_MSGS) {
		unsigned n = 1; // a record too large for the budget still goes, alone
		while (first + n < conf->n_database && n < LISP_MAX_RECORDS &&
		       encode(s, first, n + 1, 0, budget) > 0)
			n++;
		s->msgs[s->n_msgs++] = (struct reg_msg){.first = (uint16_t)first, .n = (uint16_t)n};
		first += n;
	}
}

int
register_init(const struct dxtr_conf *c)
{
	char a[INET6_ADDRSTRLEN];
	uint64_t now = now_ms();

	conf = c;
	memset(servers, 0, sizeof(servers));
	memset(&gcnt, 0, sizeof(gcnt));
	n_servers = c->mapsys.n_servers;
	for (unsigned i = 0; i < n_servers; i++) {
		struct reg_server *s = &servers[i];
		s->ms = &c->mapsys.servers[i];
		s->key_len = strnlen(s->ms->key, sizeof(s->ms->key));
		s->next_round_ms = now; // the first tick registers
		split(s);
		LOG(INFO, "map-server %s: %u database records in %u Map-Registers",
		    conf_fmt_addr(&s->ms->addr, a, sizeof(a)), c->n_database, s->n_msgs);
	}
	return 0;
}

// Sends (or resends) m with its nonce; false when it could not be sent (it is retried all the
// same when a Map-Notify is awaited).
static bool
send_msg(struct reg_server *s, struct reg_msg *m, uint64_t now)
{
	char a[INET6_ADDRSTRLEN];
	const struct route *r;
	int len;

	m->tries++;
	m->sent_ms = now;
	m->awaiting = s->ms->want_notify;
	len = encode(s, m->first, m->n, m->nonce, sizeof(buf));
	r = route_lookup(&s->ms->addr, NULL);
	if (len < 0 || r == NULL ||
	    lisp_io_send(&r->src, &s->ms->addr, LISP_CONTROL_PORT, LISP_CONTROL_PORT, buf,
			 (size_t)len) < 0) {
		s->cnt.send_failed++;
		LOG(DEBUG, "Map-Register to %s not sent: %s",
		    conf_fmt_addr(&s->ms->addr, a, sizeof(a)),
		    len < 0 ? strerror(-len) : r == NULL ? "no route" : "send failed");
		return false;
	}
	lisp_io_count_tx(LISP_TYPE_MAP_REGISTER);
	s->cnt.registers_sent++;
	return true;
}

static void
start_round(struct reg_server *s, uint64_t now)
{
	uint64_t interval = (uint64_t)conf->mapsys.register_interval * 1000;
	bool sent_all = true;

	s->next_round_ms = now + interval + (uint64_t)rand() % (interval / 10 + 1);
	for (unsigned i = 0; i < s->n_msgs; i++) {
		struct reg_msg *m = &s->msgs[i];
		if (m->awaiting)
			s->cnt.unanswered++; // superseded before its retransmissions ran out
		m->nonce = new_nonce();
		m->tries = 0;
		m->confirmed = false;
		sent_all = send_msg(s, m, now) && sent_all;
	}
	// Without Map-Notifies, a registration sent is all there is to know.
	if (!s->ms->want_notify && sent_all && s->n_msgs > 0)
		s->registered_ms = now;
}

static void
retransmit(struct reg_server *s, uint64_t now)
{
	char a[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < s->n_msgs; i++) {
		struct reg_msg *m = &s->msgs[i];
		if (!m->awaiting || now - m->sent_ms < REG_RETRANSMIT_MS)
			continue;
		if (m->tries > REG_RETRANSMITS) {
			m->awaiting = false;
			s->cnt.unanswered++;
			LOG(WARNING, "map-server %s: no Map-Notify after %u Map-Registers",
			    conf_fmt_addr(&s->ms->addr, a, sizeof(a)), m->tries);
			continue;
		}
		s->cnt.retransmits++;
		send_msg(s, m, now);
	}
}

void
register_tick(void)
{
	uint64_t now = now_ms();

	for (unsigned i = 0; i < n_servers; i++) {
		struct reg_server *s = &servers[i];
		if (now >= s->next_round_ms)
			start_round(s, now);
		else
			retransmit(s, now);
	}
}

void
register_now(void)
{
	for (unsigned i = 0; i < CONF_MAX_MAP_SERVERS; i++)
		servers[i].next_round_ms = 0;
}

static struct reg_server *
server_of(const struct ip_addr *src)
{
	for (unsigned i = 0; i < n_servers; i++)
		if (ip_addr_equal(&servers[i].ms->addr, src))
			return &servers[i];
	return NULL;
}

// The server's own news: acknowledged with the same content, signed afresh.
static void
send_ack(struct reg_server *s, const struct lisp_map_register *notify,
	 const struct lisp_io_peer *peer)
{
	int len;

	out.type = LISP_TYPE_MAP_NOTIFY_ACK;
	memcpy(&out.reg, notify, sizeof(*notify));
	len = lisp_msg_encode(&out, buf, sizeof(buf));
	if (len < 0 || lisp_auth_sign(buf, (size_t)len, s->ms->key, s->key_len) < 0 ||
	    lisp_io_send(&peer->dst, &peer->src, LISP_CONTROL_PORT, peer->sport, buf,
			 (size_t)len) < 0) {
		s->cnt.send_failed++;
		return;
	}
	lisp_io_count_tx(LISP_TYPE_MAP_NOTIFY_ACK);
	s->cnt.notify_acks++;
}

static void
confirm(struct reg_server *s, struct reg_msg *m)
{
	char a[INET6_ADDRSTRLEN];
	uint64_t now = now_ms();

	s->cnt.notifies_ok++;
	m->awaiting = false;
	if (m->confirmed)
		return; // a duplicate answer
	m->confirmed = true;
	for (unsigned i = 0; i < s->n_msgs; i++)
		if (!s->msgs[i].confirmed)
			return;
	if (s->registered_ms == 0 || now - s->registered_ms > hold_ms())
		LOG(NOTICE, "registered with map-server %s",
		    conf_fmt_addr(&s->ms->addr, a, sizeof(a)));
	s->registered_ms = now;
}

void
register_notify(const struct lisp_map_register *notify, const struct lisp_io_peer *peer)
{
	struct reg_server *s = server_of(&peer->src);
	bool awaiting = false;
	int len;

	if (s == NULL) {
		gcnt.unknown_server++;
		return;
	}
	// The HMAC covers the message as sent: re-encoded, it is the same bytes as long as the
	// server kept the reserved bits at zero (any other content fails the check below).
	out.type = LISP_TYPE_MAP_NOTIFY;
	memcpy(&out.reg, notify, sizeof(*notify));
	len = lisp_msg_encode(&out, buf, sizeof(buf));
	if (notify->key_id != s->ms->key_id || notify->alg_id != s->ms->alg || len < 0 ||
	    lisp_auth_verify(buf, (size_t)len, s->ms->key, s->key_len) != 0) {
		s->cnt.bad_auth++;
		return;
	}
	for (unsigned i = 0; i < s->n_msgs; i++) {
		struct reg_msg *m = &s->msgs[i];
		if (m->tries > 0 && m->nonce == notify->nonce) {
			confirm(s, m);
			return;
		}
		awaiting = awaiting || m->awaiting;
	}
	// While a Map-Register waits for its answer, anything else is a stale or forged one; the
	// server repeats its own Map-Notifies until they are acknowledged.
	if (awaiting) {
		s->cnt.bad_nonce++;
		return;
	}
	send_ack(s, notify, peer);
}

void
register_foreach(void (*cb)(const struct register_view *v, void *arg), void *arg)
{
	uint64_t now = now_ms();

	for (unsigned i = 0; i < n_servers; i++) {
		const struct reg_server *s = &servers[i];
		struct register_view v = {
			.server = s->ms,
			.state = REGISTER_NEVER,
			.last_registered_age_s = -1,
			.n_messages = s->n_msgs,
			.cnt = s->cnt,
		};
		if (s->registered_ms != 0) {
			v.last_registered_age_s = (int64_t)((now - s->registered_ms) / 1000);
			v.state = now - s->registered_ms <= hold_ms() ? REGISTER_REGISTERED
								      : REGISTER_UNREGISTERED;
		}
		cb(&v, arg);
	}
}

void
register_global_counters(struct register_global_counters *c)
{
	*c = gcnt;
}
