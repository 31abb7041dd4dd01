// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Locator-status-bits from trusted peers (lisp-protocol.md §1.7): a worker saw L=1 packets whose
// bits disagree with the usable locators of the entry covering the inner source; bit i is the
// i-th locator of that mapping, which mapping.c keeps in RFC order (IPv4 before IPv6, ascending).
// A 0 takes the locator out; a 1 brings it back unless probing or the routes say otherwise.

#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "lsb.h"
#include "map_cache.h"
#include "mapping.h"
#include "probe.h"
#include "route.h"

LOG_TYPE(lsb);

static struct lsb_counters cnt;

void
lsb_input(const struct dp_punt *pk)
{
	const struct mc_entry *e = mc_get_slot(mapping_mc(), pk->arg);

	cnt.events++;
	if (e == NULL || e->spec_action != MC_ACT_ENCAP) {
		cnt.stale++;
		return;
	}
	uint32_t iid = e->iid;
	struct mc_prefix prefix = e->prefix;
	unsigned n = e->n_locators;
	bool want[MC_MAX_LOCATORS];
	struct ip_addr addr[MC_MAX_LOCATORS];
	bool have[MC_MAX_LOCATORS];

	// Copy what we need: each change below replaces the entry.
	for (unsigned i = 0; i < n; i++) {
		uint8_t rloc[16];
		mc_locator_rloc(&e->loc[i], rloc);
		addr[i] = (struct ip_addr){.af = mc_tmpl_af(&e->loc[i].tmpl)};
		memcpy(addr[i].bytes, rloc, 16);
		have[i] = e->loc[i].usable;
		want[i] = i < 32 && ((pk->arg2 >> i) & 1);
	}
	for (unsigned i = 0; i < n; i++) {
		if (want[i] == have[i])
			continue;
		if (want[i] && (probe_is_down(&addr[i]) || route_lookup(&addr[i], NULL) == NULL))
			continue;
		if (mc_set_locator_usable(mapping_mc(), iid, &prefix, i, want[i]) == 0)
			want[i] ? cnt.up++ : cnt.down++;
	}
}

void
lsb_counters(struct lsb_counters *c)
{
	*c = cnt;
}
