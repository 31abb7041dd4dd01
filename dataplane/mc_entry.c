// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Building map-cache entries: outer header templates, locators, buckets. Control only.

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "mc_priv.h"

static_assert(sizeof(struct mc_tmpl) == 59, "template size");
static_assert(offsetof(struct mc_locator, nh) == 60, "aligned next hop");
static_assert(sizeof(struct mc_locator) == RTE_CACHE_LINE_SIZE, "one line per locator");
static_assert(offsetof(struct mc_entry, buckets) == RTE_CACHE_LINE_SIZE, "buckets on line 1");
static_assert(offsetof(struct mc_entry, loc) == 2 * RTE_CACHE_LINE_SIZE, "locators on line 2");

const char *
mc_action_name(unsigned action)
{
	switch (action) {
	case MC_ACT_NO_ACTION:
		return "no-action";
	case MC_ACT_NATIVE_FWD:
		return "natively-forward";
	case MC_ACT_SEND_MAP_REQUEST:
		return "send-map-request";
	case MC_ACT_DROP:
		return "drop";
	case MC_ACT_DROP_POLICY:
		return "drop-policy-denied";
	case MC_ACT_DROP_AUTH:
		return "drop-auth-failure";
	case 6:
	case 7:
		return "drop-act-unknown";
	case MC_ACT_ENCAP:
		return "encap";
	case MC_ACT_PENDING:
		return "pending";
	case MC_ACT_DROP_NO_LOCATOR:
		return "drop-no-locator";
	}
	return "?";
}

// One's-complement sum of big-endian 16-bit words, not folded.
static uint32_t
sum16(const uint8_t *b, unsigned len)
{
	uint32_t s = 0;

	for (unsigned i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	return s;
}

static uint16_t
fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

int
mc_template_build(
	struct mc_tmpl *t,
	uint8_t af,
	const uint8_t *src,
	const uint8_t *dst,
	uint32_t iid,
	unsigned flags,
	uint32_t lsbs
)
{
	bool i_bit = iid != 0 || (flags & MC_TMPL_IID);
	uint8_t *h = t->hdr, *udp, *lisp;

	if (iid > MC_IID_MAX || (flags & ~(MC_TMPL_NONCE | MC_TMPL_LSB | MC_TMPL_IID)))
		return -EINVAL;
	if (i_bit && (flags & MC_TMPL_LSB) && lsbs > 0xff)
		return -EINVAL;
	if (af != AF_INET && af != AF_INET6)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	if (af == AF_INET) {
		h[0] = 0x45;
		h[6] = 0x40; // DF
		h[9] = 17; // UDP
		memcpy(h + 12, src, 4);
		memcpy(h + 16, dst, 4);
		udp = h + MC_TMPL4_UDP;
		t->len = MC_TMPL4_LEN;
	} else {
		h[0] = 0x60;
		h[6] = 17; // next header UDP
		memcpy(h + 8, src, 16);
		memcpy(h + 24, dst, 16);
		udp = h + MC_TMPL6_UDP;
		t->len = MC_TMPL6_LEN;
	}
	udp[2] = MC_LISP_DATA_PORT >> 8;
	udp[3] = MC_LISP_DATA_PORT & 0xff;
	lisp = udp + 8;
	if (flags & MC_TMPL_NONCE)
		lisp[0] |= MC_LISP_FLAG_N;
	if (flags & MC_TMPL_LSB)
		lisp[0] |= MC_LISP_FLAG_L;
	if (!(flags & MC_TMPL_LSB))
		lsbs = 0;
	if (i_bit) {
		lisp[0] |= MC_LISP_FLAG_I;
		lisp[4] = (uint8_t)(iid >> 16);
		lisp[5] = (uint8_t)(iid >> 8);
		lisp[6] = (uint8_t)iid;
		lisp[7] = (uint8_t)lsbs;
	} else {
		lisp[4] = (uint8_t)(lsbs >> 24);
		lisp[5] = (uint8_t)(lsbs >> 16);
		lisp[6] = (uint8_t)(lsbs >> 8);
		lisp[7] = (uint8_t)lsbs;
	}
	if (af == AF_INET) {
		// TOS, total length, TTL and checksum are still 0: the header's sum is the partial.
		t->csum = fold(sum16(h, 20));
	} else {
		uint32_t s = sum16(h + 8, 32) + 17 + MC_LISP_DATA_PORT + sum16(lisp + 4, 4);
		t->csum = fold(s);
	}
	return 0;
}

void
mc_locator_rloc(const struct mc_locator *l, uint8_t rloc[16])
{
	memset(rloc, 0, 16);
	if (mc_tmpl_af(&l->tmpl) == AF_INET)
		memcpy(rloc, l->tmpl.hdr + 16, 4);
	else
		memcpy(rloc, l->tmpl.hdr + 24, 16);
}

int
mc_spec_check(const struct mc_entry_spec *s)
{
	if (s == NULL)
		return -EINVAL;
	switch ((unsigned)s->action) {
	case MC_ACT_ENCAP:
		if (s->n_locators > MC_MAX_LOCATORS)
			return -EINVAL;
		break;
	case MC_ACT_NO_ACTION:
	case MC_ACT_NATIVE_FWD:
	case MC_ACT_SEND_MAP_REQUEST:
	case MC_ACT_DROP:
	case MC_ACT_DROP_POLICY:
	case MC_ACT_DROP_AUTH:
	case 6:
	case 7:
	case MC_ACT_PENDING:
		if (s->n_locators != 0)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	for (unsigned i = 0; i < s->n_locators; i++)
		if (s->loc[i].af != AF_INET && s->loc[i].af != AF_INET6)
			return -EINVAL;
	return 0;
}

// ASan builds take entries from libc, so that a reader touching a freed entry is reported.
#ifdef __SANITIZE_ADDRESS__
#define MC_LIBC_ENTRIES 1
#else
#define MC_LIBC_ENTRIES 0
#endif

static struct mc_entry *
entry_alloc(size_t size, int socket_id)
{
	if (MC_LIBC_ENTRIES) {
		size_t sz = RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE);
		void *p = aligned_alloc(RTE_CACHE_LINE_SIZE, sz);
		if (p != NULL)
			memset(p, 0, size);
		return p;
	}
	return rte_zmalloc_socket("mc_entry", size, RTE_CACHE_LINE_SIZE, socket_id);
}

void
mc_entry_free(struct mc_entry *e)
{
	if (e == NULL)
		return;
	// Poison: a reader still holding it would see a bad magic (ASan builds: freed memory).
	memset(e, 0x5a, e->size);
	e->magic = MC_ENTRY_DEAD;
	if (MC_LIBC_ENTRIES)
		free(e);
	else
		rte_free(e);
}

void
mc_entry_finish(struct mc_entry *e, const uint8_t *old_buckets)
{
	struct mc_bucket_loc bl[MC_MAX_LOCATORS];
	unsigned owners;

	if (e->spec_action != MC_ACT_ENCAP) {
		memset(e->buckets, MC_NO_LOCATOR, MC_BUCKETS);
		e->n_usable = 0;
		e->action = e->spec_action;
		if (e->spec_action == 6 || e->spec_action == 7)
			e->action = MC_ACT_DROP; // not standard: treated as drop
		return;
	}
	for (unsigned i = 0; i < e->n_locators; i++) {
		bl[i].priority = e->loc[i].priority;
		bl[i].weight = e->loc[i].weight;
		bl[i].usable = e->loc[i].usable;
	}
	owners = mc_buckets_rebuild(e->buckets, old_buckets, bl, e->n_locators);
	e->n_usable = (uint8_t)owners;
	e->action = owners != 0 ? MC_ACT_ENCAP : MC_ACT_DROP_NO_LOCATOR;
}

struct mc_entry *
mc_entry_clone(const struct mc_entry *e, int socket_id)
{
	struct mc_entry *c = entry_alloc(e->size, socket_id);

	if (c == NULL)
		return NULL;
	memcpy(c, e, e->size);
	c->gen = e->gen + 1;
	return c;
}

// Maps the old entry's buckets onto the new locators, matched by RLOC address.
static void
translate_buckets(const struct mc_entry *old, const struct mc_entry *e, uint8_t out[MC_BUCKETS])
{
	uint8_t map[MC_MAX_LOCATORS];

	for (unsigned i = 0; i < old->n_locators; i++) {
		map[i] = MC_NO_LOCATOR;
		for (unsigned j = 0; j < e->n_locators; j++) {
			const struct mc_tmpl *a = &old->loc[i].tmpl, *b = &e->loc[j].tmpl;
			bool v4 = mc_tmpl_af(a) == AF_INET;
			unsigned off = v4 ? 16 : 24, len = v4 ? 4 : 16;
			if (mc_tmpl_af(a) != mc_tmpl_af(b))
				continue;
			if (memcmp(a->hdr + off, b->hdr + off, len) == 0) {
				map[i] = (uint8_t)j;
				break;
			}
		}
	}
	for (unsigned b = 0; b < MC_BUCKETS; b++) {
		uint8_t l = old->buckets[b];
		out[b] = l < old->n_locators ? map[l] : MC_NO_LOCATOR;
	}
}

int
mc_entry_build(
	struct mc_entry **out,
	const struct mc_table *t,
	const struct mc_prefix *p,
	const struct mc_entry_spec *s,
	const struct mc_entry *old,
	uint32_t slot,
	int socket_id
)
{
	size_t size = sizeof(struct mc_entry) + s->n_locators * sizeof(struct mc_locator);
	uint8_t old_buckets[MC_BUCKETS];
	struct mc_entry *e;
	int ret;

	e = entry_alloc(size, socket_id);
	if (e == NULL)
		return -ENOMEM;
	e->magic = MC_ENTRY_MAGIC;
	e->spec_action = (uint8_t)s->action;
	e->n_locators = (uint8_t)s->n_locators;
	e->slot = slot;
	e->gen = old != NULL ? old->gen + 1 : 1;
	e->expire = s->expire;
	e->iid = t->iid;
	e->size = (uint32_t)size;
	e->prefix = *p;
	for (unsigned i = 0; i < s->n_locators; i++) {
		const struct mc_locator_spec *ls = &s->loc[i];
		struct mc_locator *l = &e->loc[i];
		ret = mc_template_build(
			&l->tmpl,
			ls->af,
			ls->src,
			ls->rloc,
			t->iid,
			s->tmpl_flags,
			s->lsbs
		);
		if (ret < 0) {
			mc_entry_free(e);
			return ret;
		}
		l->nh = ls->nh;
		l->priority = ls->priority;
		l->weight = ls->weight;
		l->usable = ls->usable;
	}
	if (old != NULL)
		translate_buckets(old, e, old_buckets);
	mc_entry_finish(e, old != NULL ? old_buckets : NULL);
	*out = e;
	return 0;
}
