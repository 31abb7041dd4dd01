// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// ITR miss resolution: one Map-Request in flight per destination, sent as an ECM to the
// configured Map-Resolvers (failing over in order), retransmitted with back-off under a global
// rate limit; a Map-Reply whose nonce matches installs its records, a give-up installs a short
// negative entry. Control lcore only.

#pragma once

#include <stdint.h>

#include "conf.h"
#include "lisp_io.h"
#include "lisp_msg.h"

#define MREQ_MAX 4096

int mreq_init(const struct dxtr_conf *c);
void mreq_fini(void);
// A new pending destination: ask for its mapping (src_eid: the packet's source, may be NULL).
void mreq_start(uint32_t iid, const struct ip_addr *eid, const struct ip_addr *src_eid);
// Re-asks for a cached prefix (source EID AFI 0): before its TTL ends while in use, or as the
// SMR-invoked request after a Map-Request with S. No negative entry if nobody answers.
void mreq_refresh(uint32_t iid, const struct ip_prefix *prefix, bool smr_invoked);
// A Map-Request with S=1 (lisp-protocol.md §3.8): the sender's mapping we cache is stale.
void mreq_smr(const struct lisp_map_request *req);
// A Map-Reply; unknown nonces are counted and dropped.
void mreq_reply(const struct lisp_map_reply *rep, const struct lisp_io_peer *peer);
// Retransmissions, failover and give-ups; from a control-loop timer.
void mreq_tick(void);

struct mreq_counters {
	uint64_t requests; // Map-Requests sent, retransmissions included
	uint64_t retransmits;
	uint64_t failovers; // moves to the next Map-Resolver
	uint64_t gave_up; // destinations given a negative entry after every try
	uint64_t rate_limited; // sends postponed by the global rate limit
	uint64_t replies; // Map-Replies that matched a request
	uint64_t bad_nonce; // Map-Replies without a matching request
	uint64_t records_installed;
	uint64_t records_ignored; // not covering the requested EID, TTL 0, bad locators
	uint64_t no_resolver; // misses while no Map-Resolver is configured
	uint64_t refreshes; // refresh requests started (entries in use near their TTL)
	uint64_t smr_received;
	uint64_t smr_ignored; // for an EID we do not cache
	uint64_t smr_invoked; // SMR-invoked Map-Requests started
};
void mreq_counters(struct mreq_counters *c);

struct mreq_view {
	uint32_t iid;
	struct ip_addr eid;
	unsigned tries;
	unsigned resolver; // index in the configured list
	uint64_t age_ms;
};
void mreq_foreach(void (*cb)(const struct mreq_view *v, void *arg), void *arg);
