// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Private to the lisp_*.c codec files: big-endian accessors, bounded cursors and the byte layout
// of the control messages (lisp-protocol.md §2). Fields are read and written at byte
// offsets with shifts and masks; no struct mirrors the wire.

#pragma once

#include "lisp_msg.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

// Sizes of the fixed parts, in bytes.
#define LISP_AFI_LEN 2
#define LISP_LCAF_HDR_LEN 6 // after the AFI: Rsvd1, Flags, Type, Rsvd2, Length (2)
#define LISP_IID_LEN 4
#define LISP_MREQ_HDR_LEN 12 // type and flags, IRC, record count, nonce
#define LISP_EID_REC_HDR_LEN 2 // reserved, mask length; then the EID prefix address
#define LISP_MREP_HDR_LEN 12 // type and flags, record count, nonce
#define LISP_MREG_HDR_LEN 16 // type and flags, record count, nonce, key ID, alg ID, auth length
#define LISP_REC_HDR_LEN 10 // TTL, locator count, mask length, ACT/A, reserved, version
#define LISP_LOC_HDR_LEN 6 // priority, weight, M priority, M weight, flags (2)
#define LISP_SITE_ID_LEN 8
#define LISP_ECM_HDR_LEN 4
#define LISP_IPV4_HDR_LEN 20 // without options
#define LISP_IPV6_HDR_LEN 40
#define LISP_UDP_HDR_LEN 8

// Smallest encodings (AFI 0 addresses), to reject counts that cannot fit before looping.
#define LISP_MIN_ADDR_LEN LISP_AFI_LEN
#define LISP_MIN_EID_REC_LEN (LISP_EID_REC_HDR_LEN + LISP_MIN_ADDR_LEN)
#define LISP_MIN_REC_LEN (LISP_REC_HDR_LEN + LISP_MIN_ADDR_LEN)
#define LISP_MIN_LOC_LEN (LISP_LOC_HDR_LEN + LISP_MIN_ADDR_LEN)

// Byte 0 of every message: type in the high nibble, flags in the low one.
#define LISP_TYPE_SHIFT 4
#define LISP_FLAGS_MASK 0x0f

// Map-Request.
#define LISP_MREQ_B0_A 0x08
#define LISP_MREQ_B0_M 0x04
#define LISP_MREQ_B0_P 0x02
#define LISP_MREQ_B0_S 0x01
#define LISP_MREQ_B1_PITR 0x80 // p
#define LISP_MREQ_B1_SMR_INVOKED 0x40 // s
#define LISP_MREQ_B2_L 0x40
#define LISP_MREQ_B2_D 0x20
#define LISP_MREQ_B2_IRC 0x1f // ITR-RLOC count minus 1

// Map-Reply.
#define LISP_MREP_B0_P 0x08
#define LISP_MREP_B0_E 0x04
#define LISP_MREP_B0_S 0x02

// Map-Register.
#define LISP_MREG_B0_P 0x08
#define LISP_MREG_B0_S 0x04
#define LISP_MREG_B0_I 0x02
#define LISP_MREG_B0_R 0x01
#define LISP_MREG_B2_M 0x01

// Map-Notify and Map-Notify-Ack.
#define LISP_MNOT_B0_I 0x08
#define LISP_MNOT_B0_R 0x04

// Offsets in the Map-Register/Map-Notify header, shared with lisp_auth.c.
#define LISP_MREG_OFF_ALG_ID 13
#define LISP_MREG_OFF_AUTH_LEN 14
#define LISP_MREG_OFF_AUTH LISP_MREG_HDR_LEN

// Mapping record: byte 6 holds ACT (3 high bits) and A; bytes 8-9 the version (12 low bits).
#define LISP_REC_ACT_SHIFT 5
#define LISP_REC_ACT_MAX 7
#define LISP_REC_B6_A 0x10

// Locator record flags (16 bits at offset 4).
#define LISP_LOC_F_L 0x0004
#define LISP_LOC_F_P 0x0002
#define LISP_LOC_F_R 0x0001

// ECM.
#define LISP_ECM_B0_S 0x08
#define LISP_ECM_B0_D 0x04
#define LISP_ECM_B0_E 0x02
#define LISP_ECM_B0_M 0x01

static_assert(LISP_MAX_ITR_RLOCS >= 1 && LISP_MAX_ITR_RLOCS <= LISP_MREQ_B2_IRC + 1, "IRC: 5 bits");
static_assert(LISP_MAX_RECORDS <= UINT8_MAX, "record count: 8 bits");
static_assert(LISP_MAX_LOCATORS <= UINT8_MAX, "locator count: 8 bits");
static_assert(LISP_MAX_AFI_LIST <= UINT8_MAX, "n_list: 8 bits");
static_assert(LISP_AUTH_MAX_LEN >= 32, "room for HMAC-SHA-256");
static_assert(LISP_MREG_OFF_AUTH_LEN + 2 == LISP_MREG_HDR_LEN, "auth data follows its length");
static_assert(sizeof(((struct lisp_ip *)0)->bytes) == 16, "room for IPv6");

static inline uint16_t
lisp_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
lisp_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
lisp_get_u64(const uint8_t *p)
{
	return (uint64_t)lisp_get_u32(p) << 32 | lisp_get_u32(p + 4);
}

static inline void
lisp_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
lisp_put_u32(uint8_t *p, uint32_t v)
{
	lisp_put_u16(p, (uint16_t)(v >> 16));
	lisp_put_u16(p + 2, (uint16_t)v);
}

static inline void
lisp_put_u64(uint8_t *p, uint64_t v)
{
	lisp_put_u32(p, (uint32_t)(v >> 32));
	lisp_put_u32(p + 4, (uint32_t)v);
}

// A bounded reader: off never passes len, and take() hands out n bytes or NULL.
struct lisp_rd {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

static inline size_t
lisp_rd_left(const struct lisp_rd *r)
{
	return r->len - r->off;
}

static inline const uint8_t *
lisp_rd_take(struct lisp_rd *r, size_t n)
{
	const uint8_t *p;

	if (n > r->len - r->off)
		return NULL;
	p = r->buf + r->off;
	r->off += n;
	return p;
}

// A bounded writer, the same way round.
struct lisp_wr {
	uint8_t *buf;
	size_t size;
	size_t off;
};

static inline uint8_t *
lisp_wr_take(struct lisp_wr *w, size_t n)
{
	uint8_t *p;

	if (n > w->size - w->off)
		return NULL;
	p = w->buf + w->off;
	w->off += n;
	return p;
}

// Address length for a plain AFI (0, 4 or 16), or -EPROTONOSUPPORT.
int lisp_afi_len(uint16_t afi);
bool lisp_ip_equal(const struct lisp_ip *a, const struct lisp_ip *b);

// Cursor forms of lisp_addr_decode() and lisp_addr_encode(): 0 or a negative errno.
int lisp_rd_addr(struct lisp_rd *r, struct lisp_addr *addr);
int lisp_wr_addr(struct lisp_wr *w, const struct lisp_addr *addr);
