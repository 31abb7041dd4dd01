// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Weight-expanded bucket arrays: which locator each of the MC_BUCKETS flow-hash buckets uses
// (lisp-protocol.md §3.6), rebuilt from the previous array so that flows stay where they are.
//
// Shares: the Huntington-Hill divisor method. A locator with k buckets has priority
// w / sqrt(k (k + 1)) (infinite for k = 0, so every eligible locator with a non-zero weight gets a
// bucket), and buckets go one at a time to the highest priority, ties to the lowest index. Each
// locator's priorities decrease with k and the order between locators is fixed, so the buckets
// given out are the top MC_BUCKETS of one merged list: removing a locator only lets the others'
// next items in, and never lowers anyone's share (no population paradox, unlike largest
// remainder). That is what lets a locator leave by moving only its own buckets.
//
// Homes: the array the entry has while all its locators are usable (the best priority among
// all locators other than 255). A rebuild keeps, in this order and up to each locator's share,
// buckets held by their home locator, then buckets whose home is not eligible, then any other
// bucket its holder still may keep; the rest go to their home if it is short, else to the
// locator most short. Leaving: the others' shares only grow, so they keep everything and only
// the leaver's buckets move. Returning: the others keep their homes and orphans, give up exactly
// the surplus, and the surplus buckets go home.

#include <string.h>

#include "map_cache.h"

// True if (wa, ka) comes before (wb, kb) in the merged priority list.
static bool
before(uint64_t wa, uint64_t ka, uint64_t wb, uint64_t kb)
{
	if (ka == 0 || kb == 0)
		return ka == 0 && kb != 0;
	return wa * wa * kb * (kb + 1) > wb * wb * ka * (ka + 1);
}

// Shares of MC_BUCKETS for the locators in mask with their weights (all-zero weights: equal).
static void
shares(const struct mc_bucket_loc *loc, unsigned n, unsigned mask, uint8_t share[])
{
	unsigned w[MC_MAX_LOCATORS];
	bool all_zero = true;

	for (unsigned i = 0; i < n; i++)
		if ((mask & (1u << i)) && loc[i].weight != 0)
			all_zero = false;
	for (unsigned i = 0; i < n; i++) {
		share[i] = 0;
		if (!(mask & (1u << i)))
			w[i] = 0;
		else
			w[i] = all_zero ? 1 : loc[i].weight;
	}
	for (unsigned b = 0; b < MC_BUCKETS; b++) {
		int best = -1;
		for (unsigned i = 0; i < n; i++) {
			if (w[i] == 0)
				continue;
			if (best < 0 || before(w[i], share[i], w[best], share[best]))
				best = (int)i;
		}
		if (best < 0)
			return;
		share[best]++;
	}
}

// Locators of the best priority other than 255, among the usable ones or among all.
static unsigned
best_set(const struct mc_bucket_loc *loc, unsigned n, bool usable_only)
{
	unsigned best = 255, mask = 0;

	for (unsigned i = 0; i < n; i++) {
		if (loc[i].priority == 255 || (usable_only && !loc[i].usable))
			continue;
		if (loc[i].priority < best) {
			best = loc[i].priority;
			mask = 0;
		}
		if (loc[i].priority == best)
			mask |= 1u << i;
	}
	return mask;
}

// Smooth weighted round-robin over the shares: interleaves the locators across the buckets.
static void
spread(const uint8_t share[], unsigned n, uint8_t out[MC_BUCKETS])
{
	int cur[MC_MAX_LOCATORS] = {0};

	for (unsigned b = 0; b < MC_BUCKETS; b++) {
		int best = -1;
		for (unsigned i = 0; i < n; i++) {
			if (share[i] == 0)
				continue;
			cur[i] += share[i];
			if (best < 0 || cur[i] > cur[best])
				best = (int)i;
		}
		if (best < 0) {
			out[b] = MC_NO_LOCATOR;
			continue;
		}
		cur[best] -= MC_BUCKETS;
		out[b] = (uint8_t)best;
	}
}

unsigned
mc_buckets_rebuild(
	uint8_t buckets[MC_BUCKETS],
	const uint8_t *old,
	const struct mc_bucket_loc *loc,
	unsigned n
)
{
	uint8_t share[MC_MAX_LOCATORS], home_share[MC_MAX_LOCATORS], cnt[MC_MAX_LOCATORS] = {0};
	uint8_t home[MC_BUCKETS];
	bool taken[MC_BUCKETS] = {false};
	unsigned elig, all, owners = 0;

	if (n > MC_MAX_LOCATORS)
		n = MC_MAX_LOCATORS;
	elig = best_set(loc, n, true);
	shares(loc, n, elig, share);
	for (unsigned i = 0; i < n; i++)
		if (share[i] != 0)
			owners++;
	if (owners == 0) {
		memset(buckets, MC_NO_LOCATOR, MC_BUCKETS);
		return 0;
	}
	all = best_set(loc, n, false);
	if (all == elig)
		memcpy(home_share, share, n);
	else
		shares(loc, n, all, home_share);
	spread(home_share, n, home);
	if (old == NULL)
		old = home;

	// Keep: pass 0 home buckets, pass 1 buckets whose home has no share, pass 2 the rest.
	for (unsigned pass = 0; pass < 3; pass++) {
		for (unsigned b = 0; b < MC_BUCKETS; b++) {
			uint8_t l = old[b], h = home[b];
			if (taken[b] || l >= n || cnt[l] >= share[l])
				continue;
			if (pass == 0 && h != l)
				continue;
			if (pass == 1 && h < n && share[h] != 0)
				continue;
			taken[b] = true;
			buckets[b] = l;
			cnt[l]++;
		}
	}
	// Give out the rest: to the home if it is short, else to the locator most short.
	for (unsigned b = 0; b < MC_BUCKETS; b++) {
		uint8_t h = home[b];
		int best = -1;
		if (taken[b])
			continue;
		if (h < n && cnt[h] < share[h]) {
			best = h;
		} else {
			for (unsigned i = 0; i < n; i++) {
				int lack = share[i] - cnt[i];
				if (lack > 0 && (best < 0 || lack > share[best] - cnt[best]))
					best = (int)i;
			}
		}
		buckets[b] = (uint8_t)best;
		cnt[best]++;
	}
	return owners;
}
