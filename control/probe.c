// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_common.h>

#include "ctl_loop.h"
#include "log.h"
#include "map_cache.h"
#include "mapping.h"
#include "probe.h"
#include "route.h"

LOG_TYPE(probe);

#define PROBE_MSG_MAX 1500

struct rloc_state {
	bool used;
	bool up;
	bool waiting; // a probe is out
	bool seen; // still in the map-cache at the last walk
	struct ip_addr addr;
	uint32_t iid; // of an entry using it (the probe's EID record)
	struct ip_prefix eid;
	uint64_t nonce;
	uint64_t sent_us;
	uint64_t rtt_us;
	unsigned missed;
};

// Control lcore only.
static const struct dxtr_conf *conf;
static struct rloc_state rlocs[PROBE_MAX_RLOCS];
static struct probe_counters cnt;
static uint64_t next_round_us;

int
probe_init(const struct dxtr_conf *c)
{
	conf = c;
	memset(rlocs, 0, sizeof(rlocs));
	next_round_us = ctl_now_us() + 1000000;
	return 0;
}

void
probe_fini(void)
{
	memset(rlocs, 0, sizeof(rlocs));
}

static struct rloc_state *
find(const struct ip_addr *a, bool create)
{
	struct rloc_state *free_slot = NULL;

	for (unsigned i = 0; i < PROBE_MAX_RLOCS; i++) {
		if (!rlocs[i].used) {
			free_slot = free_slot ? free_slot : &rlocs[i];
			continue;
		}
		if (ip_addr_equal(&rlocs[i].addr, a))
			return &rlocs[i];
	}
	if (!create || free_slot == NULL)
		return NULL;
	*free_slot = (struct rloc_state){.used = true, .up = true, .addr = *a};
	return free_slot;
}

bool
probe_is_down(const struct ip_addr *addr)
{
	const struct rloc_state *r = find(addr, false);
	return r != NULL && !r->up;
}

// Every locator of every entry: remembered (with one entry using it) for the round.
static int
collect(const struct mc_entry *e, const struct mc_counters *ctr, void *arg)
{
	(void)ctr;
	(void)arg;
	for (unsigned i = 0; i < e->n_locators; i++) {
		struct ip_addr a = {.af = mc_tmpl_af(&e->loc[i].tmpl)};
		uint8_t rloc[16];
		mc_locator_rloc(&e->loc[i], rloc);
		memcpy(a.bytes, rloc, 16);
		struct rloc_state *r = find(&a, true);
		if (r == NULL)
			return 1; // table full: probe those we have
		r->seen = true;
		r->iid = e->iid;
		r->eid.addr.af = e->prefix.af;
		r->eid.len = e->prefix.len;
		memcpy(r->eid.addr.bytes, e->prefix.addr, 16);
	}
	return 0;
}

static void
send_probe(struct rloc_state *r)
{
	static struct lisp_msg m;
	struct lisp_map_request *q = &m.request;
	uint8_t buf[PROBE_MSG_MAX];
	const struct route *route = route_lookup(&r->addr, NULL);
	int len;

	if (route == NULL)
		return;
	if (getrandom(&r->nonce, sizeof(r->nonce), GRND_NONBLOCK) != sizeof(r->nonce))
		r->nonce = ((uint64_t)rand() << 32) ^ (uint64_t)rand();
	memset(&m, 0, sizeof(m));
	m.type = LISP_TYPE_MAP_REQUEST;
	q->probe = true;
	q->nonce = r->nonce;
	q->n_itr_rlocs = 1;
	lisp_ip_from_addr(&q->itr_rlocs[0].ip, &route->src);
	q->n_eids = 1;
	q->eids[0].len = r->eid.len;
	if (r->iid != 0) {
		q->eids[0].addr.lcaf = LISP_LCAF_IID;
		q->eids[0].addr.iid = r->iid;
	}
	lisp_ip_from_addr(&q->eids[0].addr.ip, &r->eid.addr);
	len = lisp_msg_encode(&m, buf, sizeof(buf));
	if (len < 0)
		return;
	if (lisp_io_send(&route->src, &r->addr, LISP_CONTROL_PORT, LISP_CONTROL_PORT, buf, len) == 0) {
		lisp_io_count_tx(LISP_TYPE_MAP_REQUEST);
		cnt.sent++;
		r->waiting = true;
		r->sent_us = ctl_now_us();
	}
}

// Applies a locator's state to every entry that has it.
struct apply_ctx {
	const struct ip_addr *addr;
	bool usable;
	unsigned n;
	struct {
		uint32_t iid;
		struct mc_prefix prefix;
		unsigned idx;
	} hits[256];
};

static int
match(const struct mc_entry *e, const struct mc_counters *ctr, void *arg)
{
	struct apply_ctx *a = arg;

	(void)ctr;
	for (unsigned i = 0; i < e->n_locators && a->n < RTE_DIM(a->hits); i++) {
		uint8_t rloc[16];
		mc_locator_rloc(&e->loc[i], rloc);
		if (mc_tmpl_af(&e->loc[i].tmpl) != a->addr->af ||
		    memcmp(rloc, a->addr->bytes, a->addr->af == AF_INET ? 4 : 16) != 0)
			continue;
		a->hits[a->n].iid = e->iid;
		a->hits[a->n].prefix = e->prefix;
		a->hits[a->n].idx = i;
		a->n++;
	}
	return a->n == RTE_DIM(a->hits);
}

static void
apply(const struct ip_addr *addr, bool usable)
{
	static struct apply_ctx a;
	char buf[INET6_ADDRSTRLEN];

	LOG(NOTICE, "locator %s %s", conf_fmt_addr(addr, buf, sizeof(buf)),
	    usable ? "answers again: up" : "does not answer probes: down");
	// At most RTE_DIM(a.hits) entries per change: past that, the next round catches up as
	// entries are rebuilt with probe_is_down().
	a.addr = addr;
	a.usable = usable;
	a.n = 0;
	mc_walk(mapping_mc(), match, &a);
	for (unsigned i = 0; i < a.n; i++)
		mc_set_locator_usable(mapping_mc(), a.hits[i].iid, &a.hits[i].prefix, a.hits[i].idx,
				      usable);
}

void
probe_tick(void)
{
	uint64_t now = ctl_now_us();
	uint64_t interval = (uint64_t)conf->mapsys.probe_interval * 1000000;

	if (conf->mapsys.probe_interval == 0 || now < next_round_us)
		return;
	// Jitter of up to a tenth of the interval keeps probes of many xTRs apart.
	next_round_us = now + interval + (uint64_t)rand() % (interval / 10 + 1);
	for (unsigned i = 0; i < PROBE_MAX_RLOCS; i++)
		rlocs[i].seen = false;
	mc_walk(mapping_mc(), collect, NULL);
	for (unsigned i = 0; i < PROBE_MAX_RLOCS; i++) {
		struct rloc_state *r = &rlocs[i];
		if (!r->used)
			continue;
		if (!r->seen) {
			r->used = false; // no entry uses it any more
			continue;
		}
		if (r->waiting) {
			cnt.unanswered++;
			if (++r->missed >= conf->mapsys.probe_retries && r->up) {
				r->up = false;
				cnt.went_down++;
				apply(&r->addr, false);
			}
		}
		send_probe(r);
	}
}

bool
probe_reply(const struct lisp_map_reply *rep, const struct lisp_io_peer *peer)
{
	(void)peer;
	for (unsigned i = 0; i < PROBE_MAX_RLOCS; i++) {
		struct rloc_state *r = &rlocs[i];
		if (!r->used || !r->waiting || r->nonce != rep->nonce)
			continue;
		r->waiting = false;
		r->missed = 0;
		r->rtt_us = ctl_now_us() - r->sent_us;
		cnt.answered++;
		if (!r->up) {
			r->up = true;
			cnt.came_up++;
			apply(&r->addr, true);
		}
		return true;
	}
	cnt.bad_nonce++;
	return false;
}

void
probe_counters(struct probe_counters *c)
{
	*c = cnt;
}

void
probe_foreach(void (*cb)(const struct probe_view *v, void *arg), void *arg)
{
	for (unsigned i = 0; i < PROBE_MAX_RLOCS; i++) {
		const struct rloc_state *r = &rlocs[i];
		if (!r->used)
			continue;
		struct probe_view v = {.rloc = r->addr, .up = r->up, .missed = r->missed,
				       .rtt_us = r->rtt_us};
		cb(&v, arg);
	}
}
