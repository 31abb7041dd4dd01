// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ctl_loop.h"
#include "etr.h"
#include "log.h"
#include "map_request.h"
#include "route.h"

LOG_TYPE(etr);

#define ETR_RATE_SLOTS 1024 // requesters remembered for the rate limit
#define ETR_MSG_MAX 1500

// Control lcore only.
static const struct dxtr_conf *conf;
static struct etr_counters cnt;
// Per requester (hashed into a slot): replies sent in the current second.
static struct {
	struct ip_addr who;
	uint64_t second;
	uint32_t sent;
} rate[ETR_RATE_SLOTS];

int
etr_init(const struct dxtr_conf *c)
{
	conf = c;
	memset(rate, 0, sizeof(rate));
	return 0;
}

static bool
rate_ok(const struct ip_addr *who)
{
	uint32_t h = 2166136261u;
	uint64_t s = ctl_now_ms() / 1000;

	for (unsigned i = 0; i < 16; i++)
		h = (h ^ who->bytes[i]) * 16777619u;
	h ^= who->af;
	unsigned slot = h % ETR_RATE_SLOTS;
	if (!ip_addr_equal(&rate[slot].who, who) || rate[slot].second != s) {
		rate[slot].who = *who;
		rate[slot].second = s;
		rate[slot].sent = 0;
	}
	if (rate[slot].sent >= conf->mapsys.reply_rate)
		return false;
	rate[slot].sent++;
	return true;
}

// The most specific local EID-prefix of iid that covers the requested prefix.
static const struct conf_mapping *
lookup(uint32_t iid, const struct ip_prefix *want)
{
	const struct conf_mapping *best = NULL;

	for (unsigned i = 0; i < conf->n_database; i++) {
		const struct conf_mapping *m = &conf->database[i];
		if (m->iid != iid || m->prefix.addr.af != want->addr.af || m->prefix.len > want->len ||
		    !conf_prefix_contains(&m->prefix, &want->addr))
			continue;
		if (best == NULL || m->prefix.len > best->prefix.len)
			best = m;
	}
	return best;
}

// Locators sorted as RFC 6830 asks (IPv4 before IPv6, ascending), the order LSBs refer to.
static int
loc_cmp(const void *a, const void *b)
{
	const struct lisp_locator *x = a, *y = b;

	if (x->addr.ip.afi != y->addr.ip.afi)
		return x->addr.ip.afi < y->addr.ip.afi ? -1 : 1;
	return memcmp(x->addr.ip.bytes, y->addr.ip.bytes, 16);
}

static void
fill_record(struct lisp_record *rec, const struct conf_mapping *m, bool probe,
	    const struct ip_addr *probed)
{
	memset(rec, 0, sizeof(*rec));
	rec->ttl = conf->mapsys.reply_ttl_min;
	rec->authoritative = true;
	rec->eid.len = m->prefix.len;
	if (m->iid != 0) {
		rec->eid.addr.lcaf = LISP_LCAF_IID;
		rec->eid.addr.iid = m->iid;
	}
	lisp_ip_from_addr(&rec->eid.addr.ip, &m->prefix.addr);
	rec->n_locators = m->n_loc;
	for (unsigned i = 0; i < m->n_loc; i++) {
		struct lisp_locator *l = &rec->locators[i];
		l->priority = m->loc[i].priority;
		l->weight = m->loc[i].weight;
		l->mpriority = 255;
		l->local = true;
		l->reachable = true;
		l->probed = probe && ip_addr_equal(&m->loc[i].addr, probed);
		lisp_ip_from_addr(&l->addr.ip, &m->loc[i].addr);
	}
	qsort(rec->locators, rec->n_locators, sizeof(rec->locators[0]), loc_cmp);
}

// The ITR-RLOC to answer: one of the request's family first, then any we can route to.
static const struct lisp_addr *
pick_itr_rloc(const struct lisp_map_request *req, int af, struct ip_addr *to)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < req->n_itr_rlocs; i++) {
			const struct lisp_addr *a = &req->itr_rlocs[i];
			struct ip_addr ip = {0};
			if (a->lcaf != LISP_LCAF_NONE || a->ip.afi == LISP_AFI_NONE)
				continue;
			ip.af = a->ip.afi == LISP_AFI_IPV4 ? AF_INET : AF_INET6;
			memcpy(ip.bytes, a->ip.bytes, 16);
			if (pass == 0 && ip.af != af)
				continue;
			if (route_lookup(&ip, NULL) == NULL)
				continue;
			*to = ip;
			return a;
		}
	}
	return NULL;
}

void
etr_request(const struct lisp_map_request *req, const struct lisp_io_peer *peer,
	    uint16_t reply_port)
{
	static struct lisp_msg out;
	struct lisp_map_reply *rep = &out.reply;
	uint8_t buf[ETR_MSG_MAX];
	struct ip_addr to;
	int len;

	cnt.requests++;
	if (req->smr)
		mreq_smr(req); // the sender's mapping changed: ask again (the ITR side)
	if (req->dont_map_reply) {
		cnt.dont_reply++;
		return;
	}
	memset(&out, 0, sizeof(out));
	out.type = LISP_TYPE_MAP_REPLY;
	rep->nonce = req->nonce;
	rep->probe = req->probe;
	rep->echo_nonce = conf->mapsys.echo_nonce;
	for (unsigned i = 0; i < req->n_eids && rep->n_records < LISP_MAX_RECORDS; i++) {
		const struct lisp_prefix *e = &req->eids[i];
		struct ip_prefix want = {.len = e->len};
		uint32_t iid = e->addr.lcaf == LISP_LCAF_IID ? e->addr.iid : 0;
		if (e->addr.lcaf == LISP_LCAF_AFI_LIST || e->addr.ip.afi == LISP_AFI_NONE)
			continue;
		want.addr.af = e->addr.ip.afi == LISP_AFI_IPV4 ? AF_INET : AF_INET6;
		memcpy(want.addr.bytes, e->addr.ip.bytes, 16);
		const struct conf_mapping *m = lookup(iid, &want);
		if (m == NULL) {
			cnt.not_ours++;
			continue;
		}
		fill_record(&rep->records[rep->n_records++], m, req->probe, &peer->dst);
	}
	if (rep->n_records == 0)
		return; // negative answers are the Map-Server's job
	if (pick_itr_rloc(req, peer->src.af, &to) == NULL) {
		cnt.no_itr_rloc++;
		return;
	}
	if (!rate_ok(&to)) {
		cnt.rate_limited++;
		return;
	}
	len = lisp_msg_encode(&out, buf, sizeof(buf));
	// A probe is answered from the probed address; anything else from our RLOC on the way.
	const struct ip_addr *src = req->probe && peer->dst.af == to.af ? &peer->dst : NULL;
	if (len < 0 ||
	    lisp_io_send(src, &to, LISP_CONTROL_PORT, reply_port, buf, (size_t)len) < 0) {
		cnt.failed++;
		return;
	}
	lisp_io_count_tx(LISP_TYPE_MAP_REPLY);
	cnt.replies++;
}

void
etr_counters(struct etr_counters *c)
{
	*c = cnt;
}
