// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The LISP data header (RFC 9300 §5.3; lisp-protocol.md §1.2): 8 bytes after the UDP header,
// read and written through byte offsets and masks, never bitfields.

#pragma once

#include <stdint.h>

#define LISP_DATA_PORT 4341
#define LISP_CONTROL_PORT 4342
#define LISP_HDR_LEN 8

// Byte 0.
#define LISP_N 0x80 // nonce present
#define LISP_L 0x40 // locator-status-bits valid
#define LISP_E 0x20 // echo-nonce request
#define LISP_V 0x10 // map-version present
#define LISP_I 0x08 // instance-ID present
#define LISP_R 0x04 // reserved (LISP-GPE: next protocol)
#define LISP_KK 0x03 // LISP-crypto key id

static inline uint32_t
lisp_nonce(const uint8_t *h)
{
	return (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

// The 24-bit instance-ID when I is set, else 0.
static inline uint32_t
lisp_iid(const uint8_t *h)
{
	return (h[0] & LISP_I) ? ((uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6]) : 0;
}

// The locator-status-bits: 8 bits with I, 32 without; 0 unless L.
static inline uint32_t
lisp_lsbs(const uint8_t *h)
{
	if (!(h[0] & LISP_L))
		return 0;
	if (h[0] & LISP_I)
		return h[7];
	return (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
}
