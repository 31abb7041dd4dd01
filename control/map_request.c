// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_lcore.h>

#include "ctl_loop.h"
#include "log.h"
#include "map_cache.h"
#include "map_request.h"
#include "mapping.h"
#include "route.h"

LOG_TYPE(mreq);

#define MREQ_NONCES 12 // every attempt's nonce stays valid (10 tries at most, plus failover)
#define MREQ_DEFAULT_TTL_MIN 1440
#define MREQ_MSG_MAX 1500
#define MREQ_RATE_MAX 10000 // map-request.rate-limit's upper bound

struct mreq {
	bool used;
	bool refresh; // re-asking for a cached prefix: no negative entry on give-up
	bool smr_invoked;
	uint32_t iid;
	struct ip_addr eid;
	uint8_t len; // of the EID record: 32/128 on a miss, the cached length on a refresh
	struct ip_addr src_eid; // af 0: none
	unsigned tries; // sent to the current resolver
	unsigned resolver;
	uint64_t next_ms;
	uint64_t started_ms;
	unsigned n_nonces;
	uint64_t nonces[MREQ_NONCES];
};

// Control lcore only.
static const struct dxtr_conf *conf;
static struct mreq reqs[MREQ_MAX];
static struct rte_hash *by_nonce; // nonce -> struct mreq *
static struct mreq_counters cnt;
// The global rate limit: when the last `rate-limit` Map-Requests went (a ring, oldest first),
// so that no second ever holds more than rate-limit of them.
static struct {
	uint64_t ms[MREQ_RATE_MAX];
	unsigned first, n;
} window;

int
mreq_init(const struct dxtr_conf *c)
{
	struct rte_hash_parameters hp = {
		.name = "dxtr_mreq",
		.entries = MREQ_MAX * MREQ_NONCES,
		.key_len = sizeof(uint64_t),
		.hash_func = rte_jhash,
		.socket_id = SOCKET_ID_ANY,
	};

	conf = c;
	memset(reqs, 0, sizeof(reqs));
	window.first = window.n = 0;
	by_nonce = rte_hash_create(&hp);
	return by_nonce == NULL ? -ENOMEM : 0;
}

void
mreq_fini(void)
{
	rte_hash_free(by_nonce);
	by_nonce = NULL;
}

static bool
take_token(void)
{
	uint64_t now = ctl_now_ms();
	unsigned rate = conf->mapsys.request_rate;

	if (rate == 0 || rate > MREQ_RATE_MAX) // outside what the configuration allows
		rate = MREQ_RATE_MAX;
	// A send is allowed when the one `rate` sends back is at least a second old.
	if (window.n == rate) {
		if (now - window.ms[window.first] < 1000)
			return false;
		window.first = (window.first + 1) % rate;
		window.n--;
	}
	window.ms[(window.first + window.n) % rate] = now;
	window.n++;
	return true;
}

// Our RLOCs, at most one list entry each, IPv4 first: the ITR-RLOCs of our requests.
static unsigned
own_rlocs(struct lisp_addr *out, unsigned max)
{
	unsigned n = 0;

	for (int pass = 0; pass < 2; pass++) {
		int af = pass == 0 ? AF_INET : AF_INET6;
		for (unsigned p = 0; p < conf->n_ports; p++) {
			const struct conf_port *port = &conf->ports[p];
			if (port->role != CONF_ROLE_RLOC)
				continue;
			for (unsigned a = 0; a < port->n_addrs && n < max; a++) {
				if (port->addrs[a].addr.af != af)
					continue;
				memset(&out[n], 0, sizeof(out[n]));
				lisp_ip_from_addr(&out[n].ip, &port->addrs[a].addr);
				n++;
			}
		}
	}
	return n;
}

static void
forget(struct mreq *r)
{
	for (unsigned i = 0; i < r->n_nonces; i++)
		rte_hash_del_key(by_nonce, &r->nonces[i]);
	r->used = false;
}

// Builds and sends one Map-Request for r, as an ECM to its current Map-Resolver.
static int
send_request(struct mreq *r)
{
	static struct lisp_msg m, ecm;
	uint8_t inner[MREQ_MSG_MAX], outer[MREQ_MSG_MAX];
	const struct ip_addr *resolver = &conf->mapsys.resolvers[r->resolver];
	struct lisp_map_request *q = &m.request;
	const struct route *route;
	struct ip_addr nexthop;
	uint64_t nonce;
	int len, olen;

	if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) != sizeof(nonce))
		nonce = ((uint64_t)rand() << 32) ^ (uint64_t)rand() ^ ctl_now_ms();
	memset(&m, 0, sizeof(m));
	m.type = LISP_TYPE_MAP_REQUEST;
	q->nonce = nonce;
	if (r->src_eid.af != 0)
		lisp_ip_from_addr(&q->source_eid.ip, &r->src_eid);
	q->n_itr_rlocs = own_rlocs(q->itr_rlocs, LISP_MAX_ITR_RLOCS);
	q->smr_invoked = r->smr_invoked;
	q->n_eids = 1;
	q->eids[0].len = r->len;
	if (r->iid != 0) {
		q->eids[0].addr.lcaf = LISP_LCAF_IID;
		q->eids[0].addr.iid = r->iid;
	}
	lisp_ip_from_addr(&q->eids[0].addr.ip, &r->eid);
	len = lisp_msg_encode(&m, inner, sizeof(inner));
	if (len < 0 || q->n_itr_rlocs == 0)
		return len < 0 ? len : -EADDRNOTAVAIL;

	// The ECM: inner IP from the source EID (or our RLOC of the EID's family) to the EID.
	route = route_lookup(resolver, &nexthop);
	if (route == NULL)
		return -ENETUNREACH;
	memset(&ecm, 0, sizeof(ecm));
	ecm.type = LISP_TYPE_ECM;
	if (r->src_eid.af == r->eid.af) {
		lisp_ip_from_addr(&ecm.ecm.inner.src, &r->src_eid);
	} else {
		for (unsigned i = 0; i < q->n_itr_rlocs; i++)
			if (q->itr_rlocs[i].ip.afi == (r->eid.af == AF_INET ? LISP_AFI_IPV4 : LISP_AFI_IPV6))
				ecm.ecm.inner.src = q->itr_rlocs[i].ip;
		if (ecm.ecm.inner.src.afi == LISP_AFI_NONE)
			return -EADDRNOTAVAIL;
	}
	lisp_ip_from_addr(&ecm.ecm.inner.dst, &r->eid);
	ecm.ecm.inner.ttl = 64;
	ecm.ecm.inner.sport = LISP_CONTROL_PORT; // replies come back to 4342
	ecm.ecm.inner.dport = LISP_CONTROL_PORT;
	ecm.ecm.msg = inner;
	ecm.ecm.msg_len = len;
	olen = lisp_msg_encode(&ecm, outer, sizeof(outer));
	if (olen < 0)
		return olen;
	if (r->n_nonces == MREQ_NONCES) {
		rte_hash_del_key(by_nonce, &r->nonces[0]);
		memmove(r->nonces, r->nonces + 1, sizeof(r->nonces[0]) * (MREQ_NONCES - 1));
		r->n_nonces--;
	}
	if (rte_hash_add_key_data(by_nonce, &nonce, r) < 0)
		return -ENOSPC;
	r->nonces[r->n_nonces++] = nonce;
	int ret = lisp_io_send(&route->src, resolver, LISP_CONTROL_PORT, LISP_CONTROL_PORT, outer, olen);
	if (ret == 0) {
		lisp_io_count_tx(LISP_TYPE_ECM);
		cnt.requests++;
	}
	return ret;
}

static uint64_t
backoff_ms(unsigned tries)
{
	uint64_t ms = conf->mapsys.interval_ms;

	for (unsigned i = 1; i < tries && ms < 60000; i++)
		ms *= 2;
	return ms;
}

// True when the map-cache has an entry (not a pending one) covering r's destination: one that
// arrived meanwhile, such as the answer to another destination's request.
static bool
covered(const struct mreq *r)
{
	const struct mc_table *t = mc_table_find(mapping_mc(), (uint8_t)r->eid.af, r->iid);
	const struct mc_entry *e = NULL;

	if (r->eid.af == AF_INET)
		mc_lookup_bulk4(t, &r->eid.v4.s_addr, &e, 1);
	else
		mc_lookup_bulk6(t, (const uint8_t(*)[16])r->eid.bytes, &e, 1);
	return e != NULL && e->spec_action != MC_ACT_PENDING;
}

// Every try of every resolver failed: a short negative entry for the destination, unless a
// mapping covering it arrived meanwhile (a negative host entry would hide it).
static void
give_up(struct mreq *r)
{
	struct ip_prefix host = {.addr = r->eid, .len = r->eid.af == AF_INET ? 32 : 128};
	struct mapping_spec ms = {
		.iid = r->iid,
		.prefix = host,
		.action = conf->mapsys.negative_action,
		.origin = MAPPING_NEGATIVE_LOCAL,
		.ttl_s = conf->mapsys.negative_ttl,
	};
	char err[256];
	char buf[INET6_ADDRSTRLEN];

	if (r->refresh || covered(r)) {
		// The cached entry stays until its TTL; a miss after that asks again.
		forget(r);
		return;
	}
	cnt.gave_up++;
	LOG(INFO, "no mapping for %s in iid %u: negative entry for %us",
	    conf_fmt_addr(&r->eid, buf, sizeof(buf)), r->iid, conf->mapsys.negative_ttl);
	forget(r);
	if (mapping_add(&ms, err, sizeof(err)) < 0)
		LOG(WARNING, "negative entry: %s", err);
}

// A free request slot for (iid, addr), or NULL when one is in flight already (one request per
// destination) or the table is full.
static struct mreq *
slot_for(uint32_t iid, const struct ip_addr *addr)
{
	struct mreq *r = NULL;

	for (unsigned i = 0; i < MREQ_MAX; i++) {
		if (!reqs[i].used)
			r = r ? r : &reqs[i];
		else if (reqs[i].iid == iid && ip_addr_equal(&reqs[i].eid, addr))
			return NULL;
	}
	return r;
}

// Starts r; the next tick sends it, within the rate limit.
static void
launch(struct mreq *r)
{
	r->used = true;
	r->started_ms = r->next_ms = ctl_now_ms();
	mreq_tick();
}

void
mreq_start(uint32_t iid, const struct ip_addr *eid, const struct ip_addr *src_eid)
{
	struct mreq *r;

	if (conf->mapsys.n_resolvers == 0) {
		cnt.no_resolver++;
		return;
	}
	r = slot_for(iid, eid);
	if (r == NULL)
		return;
	*r = (struct mreq){.iid = iid, .eid = *eid, .len = eid->af == AF_INET ? 32 : 128};
	if (src_eid != NULL)
		r->src_eid = *src_eid;
	launch(r);
}

void
mreq_refresh(uint32_t iid, const struct ip_prefix *prefix, bool smr_invoked)
{
	struct mreq *r;

	if (conf->mapsys.n_resolvers == 0) {
		cnt.no_resolver++;
		return;
	}
	r = slot_for(iid, &prefix->addr);
	if (r == NULL)
		return;
	*r = (struct mreq){
		.refresh = true,
		.smr_invoked = smr_invoked,
		.iid = iid,
		.eid = prefix->addr,
		.len = prefix->len,
	};
	if (smr_invoked)
		cnt.smr_invoked++;
	else
		cnt.refreshes++;
	launch(r);
}

// The cached entry covering addr in iid, for an SMR.
struct cover_ctx {
	uint32_t iid;
	struct ip_addr addr;
	bool found;
	struct ip_prefix best;
};

static int
cover(const struct mc_entry *e, const struct mc_counters *ctr, void *arg)
{
	struct cover_ctx *c = arg;
	struct ip_prefix p = {.addr = {.af = e->prefix.af}, .len = e->prefix.len};

	(void)ctr;
	memcpy(p.addr.bytes, e->prefix.addr, 16);
	if (e->iid != c->iid || e->spec_action == MC_ACT_PENDING ||
	    !conf_prefix_contains(&p, &c->addr))
		return 0;
	if (!c->found || p.len > c->best.len)
		c->best = p;
	c->found = true;
	return 0;
}

void
mreq_smr(const struct lisp_map_request *req)
{
	const struct lisp_addr *src = &req->source_eid;
	struct cover_ctx c = {.iid = src->lcaf == LISP_LCAF_IID ? src->iid : 0};

	cnt.smr_received++;
	if (src->lcaf == LISP_LCAF_AFI_LIST || src->ip.afi == LISP_AFI_NONE) {
		cnt.smr_ignored++;
		return;
	}
	lisp_ip_to_addr(&c.addr, &src->ip);
	mc_walk(mapping_mc(), cover, &c);
	if (!c.found) {
		cnt.smr_ignored++;
		return;
	}
	// Always through the mapping system: a forged SMR cannot steer the cache (§3.8).
	mreq_refresh(c.iid, &c.best, true);
}

void
mreq_tick(void)
{
	uint64_t now = ctl_now_ms();

	for (unsigned i = 0; i < MREQ_MAX; i++) {
		struct mreq *r = &reqs[i];
		if (!r->used || now < r->next_ms)
			continue;
		if (r->tries > conf->mapsys.retries) {
			// This resolver never answered: the next one, or give up.
			if (r->resolver + 1 < conf->mapsys.n_resolvers) {
				r->resolver++;
				r->tries = 0;
				cnt.failovers++;
			} else {
				give_up(r);
				continue;
			}
		}
		if (!take_token()) {
			cnt.rate_limited++;
			r->next_ms = now + 10;
			continue;
		}
		if (r->tries > 0)
			cnt.retransmits++;
		int ret = send_request(r);
		if (ret < 0)
			LOG(DEBUG, "Map-Request not sent: %s", strerror(-ret));
		r->tries++;
		r->next_ms = now + backoff_ms(r->tries);
	}
}

// Installs one record of a reply to r. Returns true when installed.
static bool
install(const struct mreq *r, const struct lisp_record *rec)
{
	struct conf_locator loc[CONF_MAX_LOCATORS];
	struct mapping_spec ms = {.iid = r->iid, .origin = MAPPING_MAP_REPLY, .loc = loc};
	uint32_t iid = rec->eid.addr.lcaf == LISP_LCAF_IID ? rec->eid.addr.iid : 0;
	char err[256];

	if (rec->eid.addr.lcaf == LISP_LCAF_AFI_LIST || iid != r->iid || rec->ttl == 0)
		return false;
	lisp_ip_to_addr(&ms.prefix.addr, &rec->eid.addr.ip);
	ms.prefix.len = rec->eid.len;
	if (ms.prefix.addr.af != r->eid.af || ms.prefix.len > (r->eid.af == AF_INET ? 32 : 128))
		return false;
	conf_prefix_mask(&ms.prefix);
	// The record must cover what we asked for (lisp-protocol.md §3.3).
	if (!conf_prefix_contains(&ms.prefix, &r->eid))
		return false;
	ms.ttl_s = (rec->ttl == LISP_TTL_DECIDE ? MREQ_DEFAULT_TTL_MIN : rec->ttl) * 60u;
	if (rec->n_locators == 0) {
		// ACT 0-5 as they are (the map-cache has Drop/Policy-Denied and Drop/Auth-Failure
		// too); the undefined 6 and 7 as Drop.
		ms.action = rec->act <= LISP_ACT_DROP_AUTH_FAILURE ? (enum conf_map_action)rec->act
								    : CONF_ACT_DROP;
	} else {
		ms.action = CONF_ACT_ENCAP;
		for (unsigned i = 0; i < rec->n_locators && ms.n_loc < CONF_MAX_LOCATORS; i++) {
			const struct lisp_locator *l = &rec->locators[i];
			if (l->addr.lcaf != LISP_LCAF_NONE || l->addr.ip.afi == LISP_AFI_NONE)
				continue;
			struct conf_locator *c = &loc[ms.n_loc];
			lisp_ip_to_addr(&c->addr, &l->addr.ip);
			c->priority = l->priority;
			c->weight = l->weight > 100 ? 100 : l->weight;
			if (!l->reachable)
				ms.down |= 1u << ms.n_loc;
			ms.n_loc++;
		}
		if (ms.n_loc == 0)
			return false;
	}
	if (mapping_add(&ms, err, sizeof(err)) < 0) {
		LOG(WARNING, "mapping from a Map-Reply: %s", err);
		return false;
	}
	return true;
}

void
mreq_reply(const struct lisp_map_reply *rep, const struct lisp_io_peer *peer)
{
	struct mreq *r;
	void *data;

	(void)peer;
	if (rte_hash_lookup_data(by_nonce, &rep->nonce, &data) < 0) {
		cnt.bad_nonce++;
		return;
	}
	r = data;
	cnt.replies++;
	// Forget the request first: installing releases the held packets.
	struct mreq copy = *r;
	forget(r);
	for (unsigned i = 0; i < rep->n_records; i++) {
		if (install(&copy, &rep->records[i]))
			cnt.records_installed++;
		else
			cnt.records_ignored++;
	}
}

void
mreq_counters(struct mreq_counters *c)
{
	*c = cnt;
}

void
mreq_foreach(void (*cb)(const struct mreq_view *v, void *arg), void *arg)
{
	uint64_t now = ctl_now_ms();

	for (unsigned i = 0; i < MREQ_MAX; i++) {
		const struct mreq *r = &reqs[i];
		if (!r->used)
			continue;
		struct mreq_view v = {
			.iid = r->iid,
			.eid = r->eid,
			.tries = r->tries,
			.resolver = r->resolver,
			.age_ms = now - r->started_ms,
		};
		cb(&v, arg);
	}
}
