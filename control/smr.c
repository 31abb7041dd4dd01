// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "lisp_io.h"
#include "lisp_msg.h"
#include "log.h"
#include "map_cache.h"
#include "mapping.h"
#include "route.h"
#include "smr.h"

LOG_TYPE(smr);

#define SMR_MSG_MAX 512

static struct smr_counters cnt;

struct smr_ctx {
	uint32_t iid;
	const struct ip_prefix *changed;
	unsigned sent;
};

static void
send_one(struct smr_ctx *x, const struct mc_entry *e, const struct ip_addr *rloc)
{
	static struct lisp_msg m;
	struct lisp_map_request *q = &m.request;
	const struct route *route = route_lookup(rloc, NULL);
	uint8_t buf[SMR_MSG_MAX];
	struct ip_addr remote = {.af = e->prefix.af};
	int len;

	if (route == NULL) {
		cnt.failed++;
		return;
	}
	memset(&m, 0, sizeof(m));
	m.type = LISP_TYPE_MAP_REQUEST;
	q->smr = true;
	q->dont_map_reply = true; // RFC 9301: an SMR is not answered
	if (getrandom(&q->nonce, sizeof(q->nonce), GRND_NONBLOCK) != sizeof(q->nonce))
		q->nonce = ((uint64_t)rand() << 32) ^ (uint64_t)rand();
	if (x->iid != 0) {
		q->source_eid.lcaf = LISP_LCAF_IID;
		q->source_eid.iid = x->iid;
	}
	lisp_ip_from_addr(&q->source_eid.ip, &x->changed->addr);
	q->n_itr_rlocs = 1;
	lisp_ip_from_addr(&q->itr_rlocs[0].ip, &route->src);
	q->n_eids = 1;
	q->eids[0].len = e->prefix.len;
	if (e->iid != 0) {
		q->eids[0].addr.lcaf = LISP_LCAF_IID;
		q->eids[0].addr.iid = e->iid;
	}
	memcpy(remote.bytes, e->prefix.addr, 16);
	lisp_ip_from_addr(&q->eids[0].addr.ip, &remote);
	len = lisp_msg_encode(&m, buf, sizeof(buf));
	if (len < 0 ||
	    lisp_io_send(&route->src, rloc, LISP_CONTROL_PORT, LISP_CONTROL_PORT, buf, len) < 0) {
		cnt.failed++;
		return;
	}
	lisp_io_count_tx(LISP_TYPE_MAP_REQUEST);
	cnt.sent++;
	x->sent++;
}

static int
each_entry(const struct mc_entry *e, const struct mc_counters *ctr, void *arg)
{
	struct smr_ctx *x = arg;

	(void)ctr;
	if (e->iid != x->iid || e->spec_action != MC_ACT_ENCAP)
		return 0;
	for (unsigned i = 0; i < e->n_locators; i++) {
		struct ip_addr rloc = {.af = mc_tmpl_af(&e->loc[i].tmpl)};
		uint8_t b[16];
		if (x->sent >= SMR_MAX_PER_CHANGE) {
			cnt.capped++;
			continue;
		}
		mc_locator_rloc(&e->loc[i], b);
		memcpy(rloc.bytes, b, 16);
		send_one(x, e, &rloc);
	}
	return 0;
}

unsigned
smr_send(uint32_t iid, const struct ip_prefix *changed)
{
	struct smr_ctx x = {.iid = iid, .changed = changed};

	mc_walk(mapping_mc(), each_entry, &x);
	return x.sent;
}

void
smr_counters(struct smr_counters *c)
{
	*c = cnt;
}
