// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The LISP control-message codec against annotated byte arrays: the golden vectors of
// lisp-protocol.md §5, and extra vectors built for the fields the golden ones leave at zero
// (each checked with tshark 4.0.17, HMACs with openssl). Every vector is decoded field by field,
// re-encoded byte for byte, and truncated at every length. Then one test per error class, the
// HMAC algorithms, and the regressions the fuzzer found.

#include "lisp_msg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

// clang-format off

// §5.2 (b): Map-Request for 240.2.0.1/32 with one IPv4 ITR-RLOC.
static const uint8_t vec_map_request[] = {
	// type 1, no flags | reserved | IRC 0 (1 ITR-RLOC) | 1 record
	0x10, 0x00, 0x00, 0x01,
	// nonce
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	// source EID: AFI 1, 10.1.0.1
	0x00, 0x01, 0x0a, 0x01, 0x00, 0x01,
	// ITR-RLOC: AFI 1, 192.0.2.1
	0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	// EID record: reserved, mask 32, AFI 1, 240.2.0.1
	0x00, 0x20, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x01,
};

// §5.5: the instance-ID variant of (b), IID 5.
static const uint8_t vec_map_request_iid[] = {
	// type 1 | IRC 0 | 1 record
	0x10, 0x00, 0x00, 0x01,
	// nonce
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	// source EID: AFI 16387 (LCAF), rsvd1, flags, type 2 (IID), IID mask 0, length 10
	0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0a,
	//   IID 5, AFI 1, 10.1.0.1
	0x00, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0a, 0x01, 0x00, 0x01,
	// ITR-RLOC: AFI 1, 192.0.2.1
	0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	// EID record: reserved, mask 32
	0x00, 0x20,
	//   LCAF, type 2 (IID), length 10
	0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0a,
	//   IID 5, AFI 1, 240.2.0.1
	0x00, 0x00, 0x00, 0x05, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x01,
};

// §5.2 (b2): (b) in an ECM to the Map-Resolver (the UDP payload, from offset 0x1c).
static const uint8_t vec_ecm[] = {
	// type 8, no flags | reserved
	0x80, 0x00, 0x00, 0x00,
	// inner IPv4: version 4, IHL 5 | TOS 0 | total length 60 | id 0 | no flags, offset 0
	0x45, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x00,
	//   TTL 64 | UDP | checksum 0x80ac | 10.1.0.1 -> 240.2.0.1
	0x40, 0x11, 0x80, 0xac, 0x0a, 0x01, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x01,
	// inner UDP: 61000 -> 4342 | length 40 | checksum 0x28d9
	0xee, 0x48, 0x10, 0xf6, 0x00, 0x28, 0x28, 0xd9,
	// the Map-Request of (b)
	0x10, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x00, 0x01, 0x0a, 0x01, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	0x00, 0x20, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x01,
};

// §5.3 (c): Map-Reply, 1 record, TTL 1440, 1 IPv4 locator, priority 1, weight 100, R.
static const uint8_t vec_map_reply[] = {
	// type 2, no flags | reserved | 1 record
	0x20, 0x00, 0x00, 0x01,
	// nonce
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	// record: TTL 1440
	0x00, 0x00, 0x05, 0xa0,
	//   1 locator | mask 16 | ACT 0, A | reserved
	0x01, 0x10, 0x10, 0x00,
	//   version 0 | AFI 1, 240.2.0.0
	0x00, 0x00, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	//   locator: priority 1 | weight 100 | M priority 255 | M weight 0
	0x01, 0x64, 0xff, 0x00,
	//     flags R | AFI 1, 198.51.100.2
	0x00, 0x01, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

// §5.4 (d): Map-Register, HMAC-SHA-1 with key "lisp-key", M.
static const uint8_t vec_map_register[] = {
	// type 3, no flags | reserved | M | 1 record
	0x30, 0x00, 0x01, 0x01,
	// nonce
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	// key ID 0, algorithm 1 (HMAC-SHA-1-96) | auth data length 20
	0x00, 0x01, 0x00, 0x14,
	// auth data
	0xd4, 0x73, 0x5b, 0x08, 0xc1, 0x53, 0x40, 0x5b, 0x00, 0x42,
	0x2e, 0xa2, 0xb9, 0x6a, 0x23, 0x6e, 0x64, 0xb7, 0x2d, 0x59,
	// record: TTL 1440 | 1 locator, mask 16, A | version 0, AFI 1, 240.2.0.0
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	//   locator: 1/100, M 255/0 | L R | AFI 1, 198.51.100.2
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

// Extra: Map-Request with every flag, IRC 1, AFI 0 source EID, IPv4 and IPv6 ITR-RLOCs, map-data.
static const uint8_t vec_map_request_flags[] = {
	// type 1, A M P S | p s | L D, IRC 1 (2 ITR-RLOCs) | 1 record
	0x1f, 0xc0, 0x61, 0x01,
	// nonce
	0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
	// source EID: AFI 0
	0x00, 0x00,
	// ITR-RLOC 1: AFI 1, 192.0.2.1
	0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	// ITR-RLOC 2: AFI 2, 2001:db8::1
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	// EID record: reserved, mask 16, AFI 1, 240.2.0.0
	0x00, 0x10, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	// map-data record: TTL 1440 | 1 locator, mask 16, A | version 0, AFI 1, 240.2.0.0
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	//   locator: 1/100, M 255/0 | L R | AFI 1, 192.0.2.1
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
};

// Extra: Map-Reply P E; a negative record, then an instance-ID IPv6 record with map-version and
// two locators, one an AFI-list.
static const uint8_t vec_map_reply_lcaf[] = {
	// type 2, P E | reserved | 2 records
	0x2c, 0x00, 0x00, 0x02,
	// nonce
	0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8,
	// record 1: TTL 15 | 0 locators, mask 24, ACT 3 (drop), not A | version 0, AFI 1, 10.9.8.0
	0x00, 0x00, 0x00, 0x0f, 0x00, 0x18, 0x60, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x0a, 0x09, 0x08, 0x00,
	// record 2: TTL 0xffffffff | 2 locators, mask 48, A | version 0x123
	0xff, 0xff, 0xff, 0xff, 0x02, 0x30, 0x10, 0x00, 0x01, 0x23,
	//   EID: LCAF, type 2 (IID), IID mask 0, length 22
	0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x16,
	//     IID 7, AFI 2, 2001:db8:1::
	0x00, 0x00, 0x00, 0x07, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	//   locator 1: priority 1, weight 50, M 255/0 | R
	0x01, 0x32, 0xff, 0x00, 0x00, 0x01,
	//     LCAF, type 1 (AFI-list), length 24
	0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x18,
	//     AFI 1, 192.0.2.1
	0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	//     AFI 2, 2001:db8::1
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	//   locator 2: priority 2, weight 50, M 255/0 | p R | AFI 2, 2001:db8::2
	0x02, 0x32, 0xff, 0x00, 0x00, 0x03, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};

// Extra: (d) with HMAC-SHA-256 and the same key.
static const uint8_t vec_map_register_sha256[] = {
	// type 3 | reserved | M | 1 record
	0x30, 0x00, 0x01, 0x01,
	// nonce
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	// key ID 0, algorithm 2 (HMAC-SHA-256-128) | auth data length 32
	0x00, 0x02, 0x00, 0x20,
	// auth data: HMAC-SHA-256("lisp-key")
	0xa3, 0x6a, 0x20, 0x6f, 0x75, 0x9b, 0x54, 0x11, 0x5d, 0x4a, 0x8f, 0x8f,
	0x52, 0x70, 0x9c, 0xaa, 0xc7, 0xe7, 0x3e, 0x4b, 0x56, 0xec, 0x62, 0x94,
	0x53, 0xf1, 0xa9, 0x72, 0xf0, 0x99, 0x7d, 0x8b,
	// record: TTL 1440 | 1 locator, mask 16, A | version 0, AFI 1, 240.2.0.0
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	//   locator: 1/100, M 255/0 | L R | AFI 1, 198.51.100.2
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

// Extra: Map-Register with P S I R and M, HMAC-SHA-1 ("lisp-key"), key ID 1, xTR-ID and site-ID.
static const uint8_t vec_map_register_flags[] = {
	// type 3, P S I R | reserved | M | 1 record
	0x3f, 0x00, 0x01, 0x01,
	// nonce
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a,
	// key ID 1, algorithm 1 (HMAC-SHA-1-96) | auth data length 20
	0x01, 0x01, 0x00, 0x14,
	// auth data: HMAC-SHA-1("lisp-key")
	0x32, 0xf0, 0x0d, 0xa9, 0x1e, 0xf4, 0x98, 0xdb, 0x26, 0xae,
	0x78, 0x2a, 0x66, 0x9a, 0x6c, 0x48, 0xdd, 0x99, 0x44, 0x64,
	// record: TTL 1440 | 1 locator, mask 16, A | version 0, AFI 1, 240.2.0.0
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	//   locator: 1/100, M 255/0 | L R | AFI 1, 198.51.100.2
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
	// xTR-ID
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	// site-ID 7
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
};

// Extra: Map-Notify with I, HMAC-SHA-256 ("notify-key"), key ID 5, xTR-ID and site-ID.
static const uint8_t vec_map_notify[] = {
	// type 4, I | reserved | 1 record
	0x48, 0x00, 0x00, 0x01,
	// nonce
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09,
	// key ID 5, algorithm 2 (HMAC-SHA-256-128) | auth data length 32
	0x05, 0x02, 0x00, 0x20,
	// auth data: HMAC-SHA-256("notify-key")
	0x3a, 0x9c, 0x41, 0x4c, 0x56, 0x57, 0xa9, 0x2b, 0x07, 0xfc, 0x95, 0xe7,
	0x72, 0x27, 0x8d, 0x06, 0x35, 0xa9, 0x77, 0x34, 0xc6, 0x6e, 0xa2, 0x43,
	0xe1, 0x13, 0xbc, 0x9a, 0xdc, 0x71, 0x23, 0x67,
	// record: TTL 1440 | 1 locator, mask 16, A | version 0, AFI 1, 240.2.0.0
	0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x00,
	//   locator: 1/100, M 255/0 | L R | AFI 1, 198.51.100.2
	0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x02,
	// xTR-ID
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	// site-ID 7
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
};

// Extra: ECM with E (to an ETR) around an IPv6 Map-Request.
static const uint8_t vec_ecm_ipv6[] = {
	// type 8, E | reserved
	0x82, 0x00, 0x00, 0x00,
	// inner IPv6: version 6, traffic class 0x2e, flow label 0x12345 | payload 76 | UDP | hop limit 64
	0x62, 0xe1, 0x23, 0x45, 0x00, 0x4c, 0x11, 0x40,
	//   source 2001:db8:a::1
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	//   destination 2001:db8:b::1
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0b, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	// inner UDP: 61000 -> 4342 | length 76 | checksum 0xf7ac
	0xee, 0x48, 0x10, 0xf6, 0x00, 0x4c, 0xf7, 0xac,
	// Map-Request: type 1 | IRC 0 | 1 record, nonce
	0x10, 0x00, 0x00, 0x01, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
	//   source EID: AFI 2, 2001:db8:a::1
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	//   ITR-RLOC: AFI 2, 2001:db8::1
	0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	//   EID record: reserved, mask 128, AFI 2, 2001:db8:b::1
	0x00, 0x80, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0b,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

// clang-format on

struct vector {
	const char *name;
	const uint8_t *buf;
	size_t len;
};

#define VECTOR(v)                                                                                  \
	{                                                                                          \
#v, v, sizeof(v)                                                                   \
	}

static const struct vector vectors[] = {
	VECTOR(vec_map_request),
	VECTOR(vec_map_request_iid),
	VECTOR(vec_ecm),
	VECTOR(vec_map_reply),
	VECTOR(vec_map_register),
	VECTOR(vec_map_request_flags),
	VECTOR(vec_map_reply_lcaf),
	VECTOR(vec_map_register_sha256),
	VECTOR(vec_map_register_flags),
	VECTOR(vec_map_notify),
	VECTOR(vec_ecm_ipv6),
};

#define N_VECTORS (sizeof(vectors) / sizeof(vectors[0]))

// The decoded structs are large: one pair on the heap for the whole run.
static struct lisp_msg *msg_a, *msg_b;

static int
setup(void **state)
{
	(void)state;
	msg_a = calloc(1, sizeof(*msg_a));
	msg_b = calloc(1, sizeof(*msg_b));
	return msg_a == NULL || msg_b == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(msg_a);
	free(msg_b);
	return 0;
}

// Decodes from a heap copy of exactly len bytes, so that ASan sees any read past the end. Only
// for failing decodes: a decoded ECM would point into the freed copy.
static int
decode_copy(const uint8_t *buf, size_t len)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	int ret;

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, buf, len);
	ret = lisp_msg_decode(msg_b, copy, len);
	free(copy);
	return ret;
}

// Decodes a modified copy of a vector: byte off set to val.
static int
decode_patched(const uint8_t *vec, size_t len, size_t off, uint8_t val)
{
	uint8_t *copy = malloc(len);
	int ret;

	assert_non_null(copy);
	assert_true(off < len);
	memcpy(copy, vec, len);
	copy[off] = val;
	ret = decode_copy(copy, len);
	free(copy);
	return ret;
}

// The same, for a vector array.
#define PATCHED(vec, off, val) decode_patched(vec, sizeof(vec), off, val)

static void
assert_addr(const struct lisp_addr *addr, const char *text)
{
	char buf[LISP_ADDR_STR_MAX];

	assert_true(lisp_addr_format(buf, sizeof(buf), addr) > 0);
	assert_string_equal(buf, text);
}

// Decodes the vector into msg_a and checks that it re-encodes to the same bytes.
static void
decode_roundtrip(const uint8_t *vec, size_t len)
{
	uint8_t out[1024];

	assert_int_equal(lisp_msg_decode(msg_a, vec, len), (int)len);
	assert_int_equal(lisp_msg_encode(msg_a, out, sizeof(out)), (int)len);
	assert_memory_equal(out, vec, len);
	assert_int_equal(lisp_msg_decode(msg_b, out, len), (int)len);
	assert_true(lisp_msg_equal(msg_a, msg_b));
}

static void
assert_ipv4_locator(const struct lisp_locator *loc,
		    const char *addr,
		    uint8_t priority,
		    uint8_t weight,
		    bool local)
{
	assert_int_equal(loc->priority, priority);
	assert_int_equal(loc->weight, weight);
	assert_int_equal(loc->mpriority, 255);
	assert_int_equal(loc->mweight, 0);
	assert_int_equal(loc->local, local);
	assert_false(loc->probed);
	assert_true(loc->reachable);
	assert_int_equal(loc->addr.lcaf, LISP_LCAF_NONE);
	assert_int_equal(loc->addr.ip.afi, LISP_AFI_IPV4);
	assert_addr(&loc->addr, addr);
}

// The one record of (c), (d) and their relatives: 240.2.0.0/16, TTL 1440, A, one locator.
static void
assert_site_record(const struct lisp_record *rec, const char *rloc, bool local)
{
	assert_int_equal(rec->ttl, 1440);
	assert_int_equal(rec->act, LISP_ACT_NO_ACTION);
	assert_true(rec->authoritative);
	assert_int_equal(rec->version, 0);
	assert_int_equal(rec->eid.len, 16);
	assert_addr(&rec->eid.addr, "240.2.0.0");
	assert_int_equal(rec->n_locators, 1);
	assert_ipv4_locator(&rec->locators[0], rloc, 1, 100, local);
}

// Golden vectors ////////////////////////////////////////////////////////////

static void
test_map_request(void **state)
{
	const struct lisp_map_request *req = &msg_a->request;

	(void)state;
	decode_roundtrip(vec_map_request, sizeof(vec_map_request));
	assert_int_equal(msg_a->type, LISP_TYPE_MAP_REQUEST);
	assert_false(req->authoritative || req->map_data || req->probe || req->smr);
	assert_false(req->pitr || req->smr_invoked || req->local_xtr || req->dont_map_reply);
	assert_true(req->nonce == 0x1122334455667788);
	assert_int_equal(req->source_eid.lcaf, LISP_LCAF_NONE);
	assert_int_equal(req->source_eid.ip.afi, LISP_AFI_IPV4);
	assert_memory_equal(req->source_eid.ip.bytes, ((uint8_t[]){10, 1, 0, 1}), 4);
	assert_int_equal(req->n_itr_rlocs, 1);
	assert_addr(&req->itr_rlocs[0], "192.0.2.1");
	assert_int_equal(req->n_eids, 1);
	assert_int_equal(req->eids[0].len, 32);
	assert_addr(&req->eids[0].addr, "240.2.0.1");

	// The typed entry point gives the same result.
	assert_int_equal(lisp_map_request_decode(&msg_b->request,
						 vec_map_request,
						 sizeof(vec_map_request)),
			 (int)sizeof(vec_map_request));
	msg_b->type = LISP_TYPE_MAP_REQUEST;
	assert_true(lisp_msg_equal(msg_a, msg_b));
}

static void
test_map_request_iid(void **state)
{
	const struct lisp_map_request *req = &msg_a->request;
	struct lisp_map_request *plain;

	(void)state;
	decode_roundtrip(vec_map_request_iid, sizeof(vec_map_request_iid));
	assert_int_equal(req->source_eid.lcaf, LISP_LCAF_IID);
	assert_int_equal(req->source_eid.iid, 5);
	assert_int_equal(req->source_eid.iid_mask_len, 0);
	assert_int_equal(req->source_eid.ip.afi, LISP_AFI_IPV4);
	assert_addr(&req->source_eid, "[5] 10.1.0.1");
	assert_int_equal(lisp_addr_len(&req->source_eid), 18);
	assert_addr(&req->itr_rlocs[0], "192.0.2.1");
	assert_int_equal(req->n_eids, 1);
	assert_int_equal(req->eids[0].len, 32);
	assert_int_equal(req->eids[0].addr.lcaf, LISP_LCAF_IID);
	assert_int_equal(req->eids[0].addr.iid, 5);
	assert_addr(&req->eids[0].addr, "[5] 240.2.0.1");

	// Without the instance-IDs, it is (b).
	plain = &msg_b->request;
	assert_int_equal(lisp_map_request_decode(plain, vec_map_request, sizeof(vec_map_request)),
			 (int)sizeof(vec_map_request));
	assert_true(plain->nonce == req->nonce);
	assert_true(lisp_addr_equal(&plain->itr_rlocs[0], &req->itr_rlocs[0]));
	assert_true(
		lisp_addr_equal(&plain->source_eid, &(struct lisp_addr){.ip = req->source_eid.ip}));
	assert_true(lisp_addr_equal(&plain->eids[0].addr,
				    &(struct lisp_addr){.ip = req->eids[0].addr.ip}));
	assert_false(lisp_addr_equal(&plain->source_eid, &req->source_eid));
}

static void
test_ecm(void **state)
{
	const struct lisp_ecm *ecm = &msg_a->ecm;
	const struct lisp_inner_hdr *in = &ecm->inner;
	struct lisp_msg *inner;

	(void)state;
	decode_roundtrip(vec_ecm, sizeof(vec_ecm));
	assert_int_equal(msg_a->type, LISP_TYPE_ECM);
	assert_false(ecm->security || ecm->ddt || ecm->to_etr || ecm->to_ms);
	assert_int_equal(in->src.afi, LISP_AFI_IPV4);
	assert_memory_equal(in->src.bytes, ((uint8_t[]){10, 1, 0, 1}), 4);
	assert_int_equal(in->dst.afi, LISP_AFI_IPV4);
	assert_memory_equal(in->dst.bytes, ((uint8_t[]){240, 2, 0, 1}), 4);
	assert_int_equal(in->tos, 0);
	assert_int_equal(in->ttl, 64);
	assert_int_equal(in->ip_id, 0);
	assert_false(in->df);
	assert_int_equal(in->sport, 61000);
	assert_int_equal(in->dport, LISP_CONTROL_PORT);
	// The inner message is (b), in place.
	assert_int_equal(ecm->msg_len, sizeof(vec_map_request));
	assert_ptr_equal(ecm->msg, vec_ecm + 32);
	assert_memory_equal(ecm->msg, vec_map_request, sizeof(vec_map_request));

	inner = calloc(1, sizeof(*inner));
	assert_non_null(inner);
	assert_int_equal(lisp_msg_decode(inner, ecm->msg, ecm->msg_len), ecm->msg_len);
	assert_int_equal(lisp_msg_decode(msg_b, vec_map_request, sizeof(vec_map_request)), 32);
	assert_true(lisp_msg_equal(inner, msg_b));
	free(inner);
}

static void
test_map_reply(void **state)
{
	const struct lisp_map_reply *rep = &msg_a->reply;

	(void)state;
	decode_roundtrip(vec_map_reply, sizeof(vec_map_reply));
	assert_int_equal(msg_a->type, LISP_TYPE_MAP_REPLY);
	assert_false(rep->probe || rep->echo_nonce || rep->security);
	assert_true(rep->nonce == 0x1122334455667788);
	assert_int_equal(rep->n_records, 1);
	assert_site_record(&rep->records[0], "198.51.100.2", false);
}

static void
test_map_register(void **state)
{
	static const uint8_t mac[] = {
		0xd4, 0x73, 0x5b, 0x08, 0xc1, 0x53, 0x40, 0x5b, 0x00, 0x42,
		0x2e, 0xa2, 0xb9, 0x6a, 0x23, 0x6e, 0x64, 0xb7, 0x2d, 0x59,
	};
	const struct lisp_map_register *reg = &msg_a->reg;

	(void)state;
	decode_roundtrip(vec_map_register, sizeof(vec_map_register));
	assert_int_equal(msg_a->type, LISP_TYPE_MAP_REGISTER);
	assert_false(reg->proxy_reply || reg->security || reg->xtr_id_present || reg->rtr);
	assert_true(reg->want_map_notify);
	assert_true(reg->nonce == 0x0102030405060708);
	assert_int_equal(reg->key_id, 0);
	assert_int_equal(reg->alg_id, LISP_AUTH_HMAC_SHA1_96);
	assert_int_equal(reg->auth_len, 20);
	assert_memory_equal(reg->auth, mac, sizeof(mac));
	assert_int_equal(reg->n_records, 1);
	assert_site_record(&reg->records[0], "198.51.100.2", true);
	assert_int_equal(
		lisp_auth_verify(vec_map_register, sizeof(vec_map_register), "lisp-key", 8),
		0);
}

// Extra vectors //////////////////////////////////////////////////////////////

static void
test_map_request_flags(void **state)
{
	const struct lisp_map_request *req = &msg_a->request;

	(void)state;
	decode_roundtrip(vec_map_request_flags, sizeof(vec_map_request_flags));
	assert_true(req->authoritative && req->map_data && req->probe && req->smr);
	assert_true(req->pitr && req->smr_invoked && req->local_xtr && req->dont_map_reply);
	assert_true(req->nonce == 0xa1a2a3a4a5a6a7a8);
	assert_int_equal(req->source_eid.lcaf, LISP_LCAF_NONE);
	assert_int_equal(req->source_eid.ip.afi, LISP_AFI_NONE);
	assert_addr(&req->source_eid, "none");
	assert_int_equal(req->n_itr_rlocs, 2);
	assert_addr(&req->itr_rlocs[0], "192.0.2.1");
	assert_int_equal(req->itr_rlocs[1].ip.afi, LISP_AFI_IPV6);
	assert_addr(&req->itr_rlocs[1], "2001:db8::1");
	assert_int_equal(req->n_eids, 1);
	assert_int_equal(req->eids[0].len, 16);
	assert_addr(&req->eids[0].addr, "240.2.0.0");
	assert_site_record(&req->mapping, "192.0.2.1", true);
}

static void
test_map_reply_lcaf(void **state)
{
	const struct lisp_map_reply *rep = &msg_a->reply;
	const struct lisp_record *rec;
	const struct lisp_locator *loc;

	(void)state;
	decode_roundtrip(vec_map_reply_lcaf, sizeof(vec_map_reply_lcaf));
	assert_true(rep->probe && rep->echo_nonce);
	assert_false(rep->security);
	assert_true(rep->nonce == 0xb1b2b3b4b5b6b7b8);
	assert_int_equal(rep->n_records, 2);

	rec = &rep->records[0];
	assert_int_equal(rec->ttl, 15);
	assert_int_equal(rec->n_locators, 0);
	assert_int_equal(rec->act, LISP_ACT_DROP);
	assert_false(rec->authoritative);
	assert_int_equal(rec->eid.len, 24);
	assert_addr(&rec->eid.addr, "10.9.8.0");

	rec = &rep->records[1];
	assert_true(rec->ttl == LISP_TTL_DECIDE);
	assert_int_equal(rec->act, LISP_ACT_NO_ACTION);
	assert_true(rec->authoritative);
	assert_int_equal(rec->version, 0x123);
	assert_int_equal(rec->eid.len, 48);
	assert_int_equal(rec->eid.addr.lcaf, LISP_LCAF_IID);
	assert_int_equal(rec->eid.addr.iid, 7);
	assert_int_equal(rec->eid.addr.ip.afi, LISP_AFI_IPV6);
	assert_addr(&rec->eid.addr, "[7] 2001:db8:1::");
	assert_int_equal(rec->n_locators, 2);

	loc = &rec->locators[0];
	assert_int_equal(loc->priority, 1);
	assert_int_equal(loc->weight, 50);
	assert_int_equal(loc->mpriority, 255);
	assert_int_equal(loc->mweight, 0);
	assert_false(loc->local || loc->probed);
	assert_true(loc->reachable);
	assert_int_equal(loc->addr.lcaf, LISP_LCAF_AFI_LIST);
	assert_int_equal(loc->addr.n_list, 2);
	assert_int_equal(loc->addr.list[0].afi, LISP_AFI_IPV4);
	assert_int_equal(loc->addr.list[1].afi, LISP_AFI_IPV6);
	assert_addr(&loc->addr, "(192.0.2.1, 2001:db8::1)");

	loc = &rec->locators[1];
	assert_int_equal(loc->priority, 2);
	assert_int_equal(loc->weight, 50);
	assert_false(loc->local);
	assert_true(loc->probed && loc->reachable);
	assert_addr(&loc->addr, "2001:db8::2");
}

static void
test_map_register_sha256(void **state)
{
	const struct lisp_map_register *reg = &msg_a->reg;

	(void)state;
	decode_roundtrip(vec_map_register_sha256, sizeof(vec_map_register_sha256));
	assert_true(reg->want_map_notify);
	assert_int_equal(reg->key_id, 0);
	assert_int_equal(reg->alg_id, LISP_AUTH_HMAC_SHA256_128);
	assert_int_equal(reg->auth_len, 32);
	assert_memory_equal(reg->auth, vec_map_register_sha256 + 16, 32);
	assert_site_record(&reg->records[0], "198.51.100.2", true);
}

static void
test_map_register_flags(void **state)
{
	static const uint8_t xtr_id[LISP_XTR_ID_LEN] = {
		0,
		1,
		2,
		3,
		4,
		5,
		6,
		7,
		8,
		9,
		10,
		11,
		12,
		13,
		14,
		15,
	};
	const struct lisp_map_register *reg = &msg_a->reg;

	(void)state;
	decode_roundtrip(vec_map_register_flags, sizeof(vec_map_register_flags));
	assert_true(reg->proxy_reply && reg->security && reg->xtr_id_present && reg->rtr);
	assert_true(reg->want_map_notify);
	assert_int_equal(reg->key_id, 1);
	assert_int_equal(reg->alg_id, LISP_AUTH_HMAC_SHA1_96);
	assert_int_equal(reg->auth_len, 20);
	assert_int_equal(reg->n_records, 1);
	assert_site_record(&reg->records[0], "198.51.100.2", true);
	assert_memory_equal(reg->xtr_id, xtr_id, sizeof(xtr_id));
	assert_true(reg->site_id == 7);
	assert_int_equal(lisp_auth_verify(vec_map_register_flags,
					  sizeof(vec_map_register_flags),
					  "lisp-key",
					  8),
			 0);
}

static void
test_map_notify(void **state)
{
	uint8_t out[sizeof(vec_map_notify)];
	struct lisp_map_register *reg = &msg_a->reg;

	(void)state;
	decode_roundtrip(vec_map_notify, sizeof(vec_map_notify));
	assert_int_equal(msg_a->type, LISP_TYPE_MAP_NOTIFY);
	assert_true(reg->xtr_id_present);
	assert_false(reg->rtr || reg->proxy_reply || reg->security || reg->want_map_notify);
	assert_true(reg->nonce == 0x0102030405060709);
	assert_int_equal(reg->key_id, 5);
	assert_int_equal(reg->alg_id, LISP_AUTH_HMAC_SHA256_128);
	assert_int_equal(reg->auth_len, 32);
	assert_site_record(&reg->records[0], "198.51.100.2", true);
	assert_true(reg->site_id == 7);
	assert_int_equal(lisp_auth_verify(vec_map_notify, sizeof(vec_map_notify), "notify-key", 10),
			 0);

	// The Map-Notify-Ack carries the same content with type 5 and its own MAC.
	assert_int_equal(lisp_map_register_encode(reg, LISP_TYPE_MAP_NOTIFY_ACK, out, sizeof(out)),
			 (int)sizeof(out));
	assert_int_equal(out[0], 0x58);
	assert_memory_equal(out + 1, vec_map_notify + 1, sizeof(out) - 1);
	assert_int_equal(lisp_auth_verify(out, sizeof(out), "notify-key", 10), -EACCES);
	assert_int_equal(lisp_auth_sign(out, sizeof(out), "notify-key", 10), 0);
	assert_int_equal(lisp_auth_verify(out, sizeof(out), "notify-key", 10), 0);
	assert_int_equal(lisp_msg_decode(msg_b, out, sizeof(out)), (int)sizeof(out));
	assert_int_equal(msg_b->type, LISP_TYPE_MAP_NOTIFY_ACK);
	assert_true(lisp_record_equal(&msg_b->reg.records[0], &reg->records[0]));
	// A Map-Register decoder refuses it.
	assert_int_equal(
		lisp_map_register_decode(&msg_b->reg, LISP_TYPE_MAP_REGISTER, out, sizeof(out)),
		-EPROTO);
}

static void
test_ecm_ipv6(void **state)
{
	static const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, [15] = 0x01};
	static const uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0b, [15] = 0x01};
	const struct lisp_ecm *ecm = &msg_a->ecm;
	const struct lisp_inner_hdr *in = &ecm->inner;
	struct lisp_map_request *req;

	(void)state;
	decode_roundtrip(vec_ecm_ipv6, sizeof(vec_ecm_ipv6));
	assert_true(ecm->to_etr);
	assert_false(ecm->security || ecm->ddt || ecm->to_ms);
	assert_int_equal(in->src.afi, LISP_AFI_IPV6);
	assert_memory_equal(in->src.bytes, src, 16);
	assert_int_equal(in->dst.afi, LISP_AFI_IPV6);
	assert_memory_equal(in->dst.bytes, dst, 16);
	assert_int_equal(in->tos, 0x2e);
	assert_int_equal(in->flow_label, 0x12345);
	assert_int_equal(in->ttl, 64);
	assert_int_equal(in->sport, 61000);
	assert_int_equal(in->dport, LISP_CONTROL_PORT);
	assert_int_equal(ecm->msg_len, 68);

	req = &msg_b->request;
	assert_int_equal(lisp_map_request_decode(req, ecm->msg, ecm->msg_len), 68);
	assert_addr(&req->source_eid, "2001:db8:a::1");
	assert_addr(&req->itr_rlocs[0], "2001:db8::1");
	assert_int_equal(req->eids[0].len, 128);
	assert_addr(&req->eids[0].addr, "2001:db8:b::1");
}

// Building messages from scratch, as the xTR does.
static void
test_build(void **state)
{
	struct lisp_map_register *reg = &msg_a->reg;
	struct lisp_map_request *req = &msg_b->request;
	struct lisp_record *rec;
	struct lisp_locator *loc;
	uint8_t out[128];

	(void)state;
	memset(req, 0, sizeof(*req));
	req->nonce = 0x1122334455667788;
	req->source_eid.ip.afi = LISP_AFI_IPV4;
	inet_pton(AF_INET, "10.1.0.1", &req->source_eid.ip.v4);
	req->n_itr_rlocs = 1;
	req->itr_rlocs[0].ip.afi = LISP_AFI_IPV4;
	inet_pton(AF_INET, "192.0.2.1", &req->itr_rlocs[0].ip.v4);
	req->n_eids = 1;
	req->eids[0].len = 32;
	req->eids[0].addr.ip.afi = LISP_AFI_IPV4;
	inet_pton(AF_INET, "240.2.0.1", &req->eids[0].addr.ip.v4);
	assert_int_equal(lisp_map_request_encode(req, out, sizeof(out)), sizeof(vec_map_request));
	assert_memory_equal(out, vec_map_request, sizeof(vec_map_request));

	memset(reg, 0, sizeof(*reg));
	reg->want_map_notify = true;
	reg->nonce = 0x0102030405060708;
	reg->alg_id = LISP_AUTH_HMAC_SHA1_96;
	reg->auth_len = (uint16_t)lisp_auth_len(LISP_AUTH_HMAC_SHA1_96);
	reg->n_records = 1;
	rec = &reg->records[0];
	rec->ttl = 1440;
	rec->authoritative = true;
	rec->eid.len = 16;
	rec->eid.addr.ip.afi = LISP_AFI_IPV4;
	inet_pton(AF_INET, "240.2.0.0", &rec->eid.addr.ip.v4);
	rec->n_locators = 1;
	loc = &rec->locators[0];
	*loc = (struct lisp_locator){
		.priority = 1,
		.weight = 100,
		.mpriority = 255,
		.local = true,
		.reachable = true,
		.addr.ip.afi = LISP_AFI_IPV4,
	};
	inet_pton(AF_INET, "198.51.100.2", &loc->addr.ip.v4);
	assert_int_equal(lisp_map_register_encode(reg, LISP_TYPE_MAP_REGISTER, out, sizeof(out)),
			 sizeof(vec_map_register));
	assert_int_equal(lisp_auth_sign(out, sizeof(vec_map_register), "lisp-key", 8), 0);
	assert_memory_equal(out, vec_map_register, sizeof(vec_map_register));
}

// Error classes ////////////////////////////////////////////////////////////

// Every vector cut at every shorter length fails cleanly, as a malformed message.
static void
test_truncated(void **state)
{
	(void)state;
	for (size_t v = 0; v < N_VECTORS; v++) {
		for (size_t len = 0; len < vectors[v].len; len++) {
			int ret = decode_copy(vectors[v].buf, len);

			if (ret != -EBADMSG)
				fail_msg("%s cut at %zu: %d", vectors[v].name, len, ret);
		}
		assert_int_equal(decode_copy(vectors[v].buf, vectors[v].len), (int)vectors[v].len);
	}
}

// Trailing bytes are not part of the message: decoders report what they consumed.
static void
test_trailing(void **state)
{
	uint8_t buf[sizeof(vec_map_reply) + 3];

	(void)state;
	memcpy(buf, vec_map_reply, sizeof(vec_map_reply));
	memset(buf + sizeof(vec_map_reply), 0xee, 3);
	assert_int_equal(lisp_msg_decode(msg_a, buf, sizeof(buf)), sizeof(vec_map_reply));
}

// Every encoding into every smaller buffer fails with -EMSGSIZE, writing nothing past the end.
static void
test_encode_short(void **state)
{
	(void)state;
	for (size_t v = 0; v < N_VECTORS; v++) {
		assert_int_equal(lisp_msg_decode(msg_a, vectors[v].buf, vectors[v].len),
				 vectors[v].len);
		for (size_t size = 0; size < vectors[v].len; size++) {
			uint8_t *out = malloc(size > 0 ? size : 1);
			int ret;

			assert_non_null(out);
			ret = lisp_msg_encode(msg_a, out, size);
			free(out);
			if (ret != -EMSGSIZE)
				fail_msg("%s into %zu bytes: %d", vectors[v].name, size, ret);
		}
	}
}

static void
test_bad_afi(void **state)
{
	static const uint8_t afi_unknown[] = {0x00, 0x07, 1, 2, 3, 4};

	(void)state;
	// Source EID AFI 3, 6 (MAC: valid elsewhere, not supported here), 0x8001.
	assert_int_equal(PATCHED(vec_map_request, 13, 3), -EPROTONOSUPPORT);
	assert_int_equal(PATCHED(vec_map_request, 13, 6), -EPROTONOSUPPORT);
	assert_int_equal(PATCHED(vec_map_request, 12, 0x80), -EPROTONOSUPPORT);
	// ITR-RLOC AFI, EID record AFI.
	assert_int_equal(PATCHED(vec_map_request, 19, 0x11), -EPROTONOSUPPORT);
	assert_int_equal(PATCHED(vec_map_request, 27, 0xff), -EPROTONOSUPPORT);
	// Map-Reply record EID AFI, locator AFI.
	assert_int_equal(PATCHED(vec_map_reply, 23, 3), -EPROTONOSUPPORT);
	assert_int_equal(PATCHED(vec_map_reply, 35, 3), -EPROTONOSUPPORT);
	// Nested AFI in an instance-ID, AFI in an AFI-list.
	assert_int_equal(PATCHED(vec_map_request_iid, 25, 7), -EPROTONOSUPPORT);
	assert_int_equal(PATCHED(vec_map_reply_lcaf, 83, 9), -EPROTONOSUPPORT);
	assert_int_equal(lisp_addr_decode(&msg_a->request.source_eid,
					  afi_unknown,
					  sizeof(afi_unknown)),
			 -EPROTONOSUPPORT);
}

static void
test_bad_lcaf(void **state)
{
	static const uint8_t afi_list_5[] = {
		0x40,
		0x03,
		0x00,
		0x00,
		0x01,
		0x00,
		0x00,
		0x0a,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
		0x00,
	};
	static const uint8_t afi_list_empty[] = {0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
	const uint8_t *iid = vec_map_request_iid;
	size_t len = sizeof(vec_map_request_iid);
	struct lisp_addr *addr = &msg_a->request.source_eid;
	uint8_t nested[sizeof(vec_map_reply_lcaf)];

	(void)state;
	// Unknown types: 0 (Null), 3 (AS number), 255 (vendor).
	assert_int_equal(decode_patched(iid, len, 16, 0), -EPROTONOSUPPORT);
	assert_int_equal(decode_patched(iid, len, 16, 3), -EPROTONOSUPPORT);
	assert_int_equal(decode_patched(iid, len, 16, 255), -EPROTONOSUPPORT);
	assert_int_equal(PATCHED(vec_map_reply_lcaf, 78, 12), -EPROTONOSUPPORT);
	// Length shorter than the content, longer than the content, past the buffer.
	assert_int_equal(decode_patched(iid, len, 19, 9), -EBADMSG);
	assert_int_equal(decode_patched(iid, len, 19, 11), -EBADMSG);
	assert_int_equal(decode_patched(iid, len, 18, 0xff), -EBADMSG);
	assert_int_equal(PATCHED(vec_map_reply_lcaf, 81, 23), -EBADMSG);
	assert_int_equal(PATCHED(vec_map_reply_lcaf, 81, 25), -EBADMSG);
	// An LCAF nested in an instance-ID or in an AFI-list.
	memcpy(nested, iid, len);
	nested[24] = 0x40;
	nested[25] = 0x03;
	assert_int_equal(decode_copy(nested, len), -EPROTONOSUPPORT);
	memcpy(nested, vec_map_reply_lcaf, sizeof(vec_map_reply_lcaf));
	nested[82] = 0x40;
	nested[83] = 0x03;
	assert_int_equal(decode_copy(nested, sizeof(vec_map_reply_lcaf)), -EPROTONOSUPPORT);
	// AFI-lists: more than LISP_MAX_AFI_LIST entries, none at all, exactly the maximum.
	assert_int_equal(lisp_addr_decode(addr, afi_list_5, sizeof(afi_list_5)), -E2BIG);
	assert_int_equal(lisp_addr_decode(addr, afi_list_empty, sizeof(afi_list_empty)), -EBADMSG);
	assert_int_equal(lisp_addr_decode(addr, afi_list_5, sizeof(afi_list_5) - 2), -EBADMSG);
	memcpy(nested, afi_list_5, sizeof(afi_list_5) - 2);
	nested[7] = 8;
	assert_int_equal(lisp_addr_decode(addr, nested, sizeof(afi_list_5) - 2), 16);
	assert_int_equal(addr->n_list, LISP_MAX_AFI_LIST);
}

static void
test_huge_counts(void **state)
{
	const uint8_t *mreq = vec_map_request, *mrep = vec_map_reply, *mreg = vec_map_register;
	size_t mreq_len = sizeof(vec_map_request), mrep_len = sizeof(vec_map_reply);
	size_t mreg_len = sizeof(vec_map_register);

	(void)state;
	// ITR-RLOC count: 32 and 9 are above LISP_MAX_ITR_RLOCS; 8 do not fit.
	assert_int_equal(decode_patched(mreq, mreq_len, 2, 0x1f), -E2BIG);
	assert_int_equal(decode_patched(mreq, mreq_len, 2, LISP_MAX_ITR_RLOCS), -E2BIG);
	assert_int_equal(decode_patched(mreq, mreq_len, 2, LISP_MAX_ITR_RLOCS - 1), -EBADMSG);
	// Map-Request record count: 0 is invalid, 255 and 33 too many, 32 and 2 do not fit.
	assert_int_equal(decode_patched(mreq, mreq_len, 3, 0), -EBADMSG);
	assert_int_equal(decode_patched(mreq, mreq_len, 3, 255), -E2BIG);
	assert_int_equal(decode_patched(mreq, mreq_len, 3, LISP_MAX_RECORDS + 1), -E2BIG);
	assert_int_equal(decode_patched(mreq, mreq_len, 3, LISP_MAX_RECORDS), -EBADMSG);
	assert_int_equal(decode_patched(mreq, mreq_len, 3, 2), -EBADMSG);
	// M set without a mapping record.
	assert_int_equal(decode_patched(mreq, mreq_len, 0, 0x14), -EBADMSG);
	// Map-Reply and Map-Register record counts.
	assert_int_equal(decode_patched(mrep, mrep_len, 3, 255), -E2BIG);
	assert_int_equal(decode_patched(mrep, mrep_len, 3, 2), -EBADMSG);
	assert_int_equal(decode_patched(mreg, mreg_len, 3, 255), -E2BIG);
	assert_int_equal(decode_patched(mreg, mreg_len, 3, 3), -EBADMSG);
	// Locator count: 255 and 33 too many, 2 do not fit.
	assert_int_equal(decode_patched(mrep, mrep_len, 16, 255), -E2BIG);
	assert_int_equal(decode_patched(mrep, mrep_len, 16, LISP_MAX_LOCATORS + 1), -E2BIG);
	assert_int_equal(decode_patched(mrep, mrep_len, 16, 2), -EBADMSG);
	// Auth data length: 0xffff and 33 too long.
	assert_int_equal(decode_patched(mreg, mreg_len, 14, 0xff), -E2BIG);
	assert_int_equal(decode_patched(mreg, mreg_len, 15, LISP_AUTH_MAX_LEN + 1), -E2BIG);
	// I set without the xTR-ID and site-ID.
	assert_int_equal(decode_patched(mreg, mreg_len, 0, 0x32), -EBADMSG);
}

static void
test_bad_ecm(void **state)
{
	const uint8_t *v4 = vec_ecm, *v6 = vec_ecm_ipv6;
	size_t v4_len = sizeof(vec_ecm), v6_len = sizeof(vec_ecm_ipv6);

	(void)state;
	// IP version, IHL below 5, options that do not fit.
	assert_int_equal(decode_patched(v4, v4_len, 4, 0x55), -EPROTONOSUPPORT);
	assert_int_equal(decode_patched(v4, v4_len, 4, 0x44), -EBADMSG);
	assert_int_equal(decode_patched(v4, v4_len, 4, 0x4f), -EBADMSG);
	// IP total length past the buffer, or too short for IP + UDP.
	assert_int_equal(decode_patched(v4, v4_len, 6, 0xff), -EBADMSG);
	assert_int_equal(decode_patched(v4, v4_len, 7, 27), -EBADMSG);
	// Fragments: MF, offset.
	assert_int_equal(decode_patched(v4, v4_len, 10, 0x20), -EBADMSG);
	assert_int_equal(decode_patched(v4, v4_len, 11, 0x01), -EBADMSG);
	// Not UDP.
	assert_int_equal(decode_patched(v4, v4_len, 13, 6), -EPROTONOSUPPORT);
	// UDP length past the IP payload, below the UDP header.
	assert_int_equal(decode_patched(v4, v4_len, 29, 41), -EBADMSG);
	assert_int_equal(decode_patched(v4, v4_len, 29, 7), -EBADMSG);
	// IPv6: an extension header, payload length past the buffer or below the UDP length.
	assert_int_equal(decode_patched(v6, v6_len, 10, 0), -EPROTONOSUPPORT);
	assert_int_equal(decode_patched(v6, v6_len, 8, 0xff), -EBADMSG);
	assert_int_equal(decode_patched(v6, v6_len, 9, 75), -EBADMSG);
	// DF is fine.
	assert_int_equal(decode_patched(v4, v4_len, 10, 0x40), (int)v4_len);
	assert_true(msg_b->ecm.inner.df);
}

static void
test_wrong_type(void **state)
{
	struct lisp_map_register *reg = &msg_a->reg;

	(void)state;
	assert_int_equal(lisp_map_request_decode(&msg_a->request,
						 vec_map_reply,
						 sizeof(vec_map_reply)),
			 -EPROTO);
	assert_int_equal(lisp_map_reply_decode(&msg_a->reply,
					       vec_map_request,
					       sizeof(vec_map_request)),
			 -EPROTO);
	assert_int_equal(lisp_map_register_decode(reg,
						  LISP_TYPE_MAP_NOTIFY,
						  vec_map_register,
						  sizeof(vec_map_register)),
			 -EPROTO);
	assert_int_equal(lisp_map_register_decode(reg,
						  LISP_TYPE_MAP_REQUEST,
						  vec_map_register,
						  sizeof(vec_map_register)),
			 -EINVAL);
	assert_int_equal(lisp_ecm_decode(&msg_a->ecm, vec_map_request, sizeof(vec_map_request)),
			 -EPROTO);
	// Types without a decoder: reserved 0, Map-Referral, Info, 9-15.
	for (unsigned type = 0; type < 16; type++) {
		uint8_t buf[sizeof(vec_map_request)];

		memcpy(buf, vec_map_request, sizeof(buf));
		buf[0] = (uint8_t)(type << 4);
		assert_int_equal(lisp_msg_type(buf, sizeof(buf)), (int)type);
		if (type == 0 || type == 6 || type == 7 || type > 8)
			assert_int_equal(decode_copy(buf, sizeof(buf)), -EPROTONOSUPPORT);
	}
	assert_int_equal(lisp_msg_type(vec_map_request, 0), -EBADMSG);
}

static void
test_encode_invalid(void **state)
{
	struct lisp_map_request *req = &msg_a->request;
	struct lisp_record *rec = &msg_a->reply.records[0];
	struct lisp_map_register *reg = &msg_a->reg;
	struct lisp_ecm *ecm = &msg_a->ecm;
	uint8_t out[1024];

#define RESET(vec) assert_int_equal(lisp_msg_decode(msg_a, vec, sizeof(vec)), (int)sizeof(vec))
#define EINVAL_AFTER(...)                                                                          \
	do {                                                                                       \
		__VA_ARGS__;                                                                       \
		assert_int_equal(lisp_msg_encode(msg_a, out, sizeof(out)), -EINVAL);               \
	} while (0)

	(void)state;
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->n_itr_rlocs = 0);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->n_itr_rlocs = LISP_MAX_ITR_RLOCS + 1);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->n_eids = 0);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->n_eids = LISP_MAX_RECORDS + 1);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->source_eid.ip.afi = 6);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->itr_rlocs[1].lcaf = 3);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->eids[0].addr.lcaf = LISP_LCAF_AFI_LIST);
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->source_eid = (struct lisp_addr){.lcaf = LISP_LCAF_IID,
							  .ip.afi = LISP_AFI_LCAF});
	RESET(vec_map_request_flags);
	EINVAL_AFTER(req->mapping.n_locators = LISP_MAX_LOCATORS + 1);

	RESET(vec_map_reply_lcaf);
	EINVAL_AFTER(msg_a->reply.n_records = LISP_MAX_RECORDS + 1);
	RESET(vec_map_reply_lcaf);
	EINVAL_AFTER(rec->act = 8);
	RESET(vec_map_reply_lcaf);
	EINVAL_AFTER(rec->version = LISP_MAP_VERSION_MAX + 1);
	RESET(vec_map_reply_lcaf);
	EINVAL_AFTER(msg_a->reply.records[1].locators[0].addr.n_list = 0);
	RESET(vec_map_reply_lcaf);
	EINVAL_AFTER(msg_a->reply.records[1].locators[0].addr.n_list = LISP_MAX_AFI_LIST + 1);

	RESET(vec_map_register);
	EINVAL_AFTER(reg->auth_len = LISP_AUTH_MAX_LEN + 1);
	RESET(vec_map_notify);
	EINVAL_AFTER(reg->want_map_notify = true);
	RESET(vec_map_notify);
	EINVAL_AFTER(reg->proxy_reply = true);
	RESET(vec_map_register);
	assert_int_equal(lisp_map_register_encode(reg, LISP_TYPE_ECM, out, sizeof(out)), -EINVAL);

	RESET(vec_ecm);
	EINVAL_AFTER(ecm->inner.dst.afi = LISP_AFI_IPV6);
	RESET(vec_ecm);
	EINVAL_AFTER(ecm->inner.src.afi = ecm->inner.dst.afi = LISP_AFI_NONE);
	RESET(vec_ecm_ipv6);
	EINVAL_AFTER(ecm->inner.flow_label = LISP_FLOW_LABEL_MAX + 1);
	RESET(vec_ecm);
	EINVAL_AFTER(ecm->msg = NULL);
	RESET(vec_ecm);
	EINVAL_AFTER(ecm->msg_len = UINT16_MAX);
	EINVAL_AFTER(msg_a->type = 6);
#undef EINVAL_AFTER
#undef RESET
}

// Reserved bits and fields are ignored on decode and sent as zero.
static void
test_reserved_ignored(void **state)
{
	uint8_t buf[128], out[128];

	(void)state;
	// Map-Request: reserved bits in bytes 1-2, the EID record's reserved byte.
	memcpy(buf, vec_map_request, sizeof(vec_map_request));
	buf[1] |= 0x3f;
	buf[2] |= 0x80;
	buf[24] = 0xff;
	assert_int_equal(lisp_msg_decode(msg_a, buf, sizeof(vec_map_request)),
			 sizeof(vec_map_request));
	assert_int_equal(lisp_msg_decode(msg_b, vec_map_request, sizeof(vec_map_request)), 32);
	assert_true(lisp_msg_equal(msg_a, msg_b));
	assert_int_equal(lisp_msg_encode(msg_a, out, sizeof(out)), sizeof(vec_map_request));
	assert_memory_equal(out, vec_map_request, sizeof(vec_map_request));

	// Map-Reply: header bytes 1-2, record reserved bits, version high bits, locator flags.
	memcpy(buf, vec_map_reply, sizeof(vec_map_reply));
	buf[0] |= 0x01;
	buf[1] = buf[2] = 0xff;
	buf[18] |= 0x0f;
	buf[19] = 0xff;
	buf[20] |= 0xf0;
	buf[32] = 0xff;
	buf[33] |= 0xf8;
	assert_int_equal(lisp_msg_decode(msg_a, buf, sizeof(vec_map_reply)), sizeof(vec_map_reply));
	assert_int_equal(lisp_msg_decode(msg_b, vec_map_reply, sizeof(vec_map_reply)), 40);
	assert_true(lisp_msg_equal(msg_a, msg_b));
	assert_int_equal(lisp_msg_encode(msg_a, out, sizeof(out)), sizeof(vec_map_reply));
	assert_memory_equal(out, vec_map_reply, sizeof(vec_map_reply));

	// LCAF Rsvd1 and Flags.
	memcpy(buf, vec_map_request_iid, sizeof(vec_map_request_iid));
	buf[14] = buf[15] = 0xff;
	assert_int_equal(lisp_msg_decode(msg_a, buf, sizeof(vec_map_request_iid)), 56);
	assert_int_equal(lisp_msg_encode(msg_a, out, sizeof(out)), 56);
	assert_memory_equal(out, vec_map_request_iid, 56);

	// ECM header reserved bytes.
	memcpy(buf, vec_ecm, sizeof(vec_ecm));
	buf[1] = buf[2] = buf[3] = 0xff;
	assert_int_equal(lisp_msg_decode(msg_a, buf, sizeof(vec_ecm)), sizeof(vec_ecm));
	assert_int_equal(lisp_msg_encode(msg_a, out, sizeof(out)), sizeof(vec_ecm));
	assert_memory_equal(out, vec_ecm, sizeof(vec_ecm));
}

// Addresses /////////////////////////////////////////////////////////////////

static void
test_addr(void **state)
{
	// The two examples of §2.2.
	static const uint8_t iid[] = {
		0x40,
		0x03,
		0x00,
		0x00,
		0x02,
		0x00,
		0x00,
		0x0a,
		0x00,
		0x00,
		0x00,
		0x05,
		0x00,
		0x01,
		0xf0,
		0x02,
		0x00,
		0x01,
	};
	static const uint8_t afi_list[] = {
		0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x18, 0x00, 0x01, 0xc0,
		0x00, 0x02, 0x01, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	};
	struct lisp_addr *addr = &msg_a->request.source_eid;
	struct lisp_addr range = {.lcaf = LISP_LCAF_IID, .iid = 5, .iid_mask_len = 8};
	char text[8];
	uint8_t out[64];

	(void)state;
	assert_int_equal(lisp_addr_decode(addr, iid, sizeof(iid)), sizeof(iid));
	assert_addr(addr, "[5] 240.2.0.1");
	assert_int_equal(lisp_addr_len(addr), sizeof(iid));
	assert_int_equal(lisp_addr_encode(addr, out, sizeof(out)), sizeof(iid));
	assert_memory_equal(out, iid, sizeof(iid));
	for (size_t size = 0; size < sizeof(iid); size++)
		assert_int_equal(lisp_addr_encode(addr, out, size), -EMSGSIZE);

	assert_int_equal(lisp_addr_decode(addr, afi_list, sizeof(afi_list)), sizeof(afi_list));
	assert_addr(addr, "(192.0.2.1, 2001:db8::1)");
	assert_int_equal(lisp_addr_len(addr), sizeof(afi_list));
	assert_int_equal(lisp_addr_encode(addr, out, sizeof(out)), sizeof(afi_list));
	assert_memory_equal(out, afi_list, sizeof(afi_list));

	// An IID range (mask length with AFI 0), and format's snprintf semantics.
	assert_addr(&range, "[5/8] none");
	assert_int_equal(lisp_addr_len(&range), 14);
	assert_int_equal(lisp_addr_encode(&range, out, sizeof(out)), 14);
	assert_int_equal(out[5], 8);
	assert_int_equal(lisp_addr_decode(addr, out, 14), 14);
	assert_true(lisp_addr_equal(addr, &range));
	assert_int_equal(lisp_addr_format(text, sizeof(text), &range), 10);
	assert_string_equal(text, "[5/8] n");
	range.lcaf = 9;
	assert_int_equal(lisp_addr_format(text, sizeof(text), &range), -EINVAL);
	assert_int_equal(lisp_addr_len(&range), -EINVAL);
	assert_int_equal(lisp_addr_encode(&range, out, sizeof(out)), -EINVAL);
	assert_false(lisp_addr_equal(&range, &range));
}

// Authentication ////////////////////////////////////////////////////////////

static void
test_auth(void **state)
{
	uint8_t buf[sizeof(vec_map_register_sha256)];

	(void)state;
	assert_int_equal(lisp_auth_len(LISP_AUTH_NONE), 0);
	assert_int_equal(lisp_auth_len(LISP_AUTH_HMAC_SHA1_96), 20);
	assert_int_equal(lisp_auth_len(LISP_AUTH_HMAC_SHA256_128), 32);
	assert_int_equal(lisp_auth_len(3), -EPROTONOSUPPORT);

	// §5.4 verifies; a wrong key, an empty key, a changed byte anywhere do not. (The key with its
	// NUL would verify: HMAC pads short keys with zeros.)
	assert_int_equal(
		lisp_auth_verify(vec_map_register, sizeof(vec_map_register), "lisp-key", 8),
		0);
	assert_int_equal(
		lisp_auth_verify(vec_map_register, sizeof(vec_map_register), "lisp-kez", 8),
		-EACCES);
	assert_int_equal(
		lisp_auth_verify(vec_map_register, sizeof(vec_map_register), "lisp-key", 7),
		-EACCES);
	assert_int_equal(lisp_auth_verify(vec_map_register, sizeof(vec_map_register), "", 0),
			 -EACCES);
	assert_int_equal(lisp_auth_verify(vec_map_register, sizeof(vec_map_register), NULL, 0),
			 -EACCES);
	for (size_t off = 0; off < sizeof(vec_map_register); off++) {
		memcpy(buf, vec_map_register, sizeof(vec_map_register));
		buf[off] ^= 0x01;
		assert_int_not_equal(lisp_auth_verify(buf, sizeof(vec_map_register), "lisp-key", 8),
				     0);
	}
	// Signing a zeroed copy gives the vector back.
	memcpy(buf, vec_map_register, sizeof(vec_map_register));
	memset(buf + 16, 0, 20);
	assert_int_equal(lisp_auth_sign(buf, sizeof(vec_map_register), "lisp-key", 8), 0);
	assert_memory_equal(buf, vec_map_register, sizeof(vec_map_register));

	// SHA-256: the same, and the MAC does not depend on what the field held before.
	assert_int_equal(lisp_auth_verify(vec_map_register_sha256, sizeof(buf), "lisp-key", 8), 0);
	assert_int_equal(lisp_auth_verify(vec_map_register_sha256, sizeof(buf), "lisp-kez", 8),
			 -EACCES);
	memcpy(buf, vec_map_register_sha256, sizeof(buf));
	memset(buf + 16, 0xa5, 32);
	assert_int_equal(lisp_auth_verify(buf, sizeof(buf), "lisp-key", 8), -EACCES);
	assert_int_equal(lisp_auth_sign(buf, sizeof(buf), "lisp-key", 8), 0);
	assert_memory_equal(buf, vec_map_register_sha256, sizeof(buf));
	assert_int_equal(lisp_auth_verify(vec_map_notify, sizeof(vec_map_notify), "lisp-key", 8),
			 -EACCES);

	// Auth data length not matching the algorithm, unknown algorithm, no algorithm.
	memcpy(buf, vec_map_register_sha256, sizeof(buf));
	buf[13] = LISP_AUTH_HMAC_SHA1_96;
	assert_int_equal(lisp_auth_verify(buf, sizeof(buf), "lisp-key", 8), -EBADMSG);
	assert_int_equal(lisp_auth_sign(buf, sizeof(buf), "lisp-key", 8), -EBADMSG);
	buf[13] = 3;
	assert_int_equal(lisp_auth_verify(buf, sizeof(buf), "lisp-key", 8), -EPROTONOSUPPORT);
	buf[13] = LISP_AUTH_NONE;
	assert_int_equal(lisp_auth_verify(buf, sizeof(buf), "lisp-key", 8), -EBADMSG);
	buf[15] = 0;
	assert_int_equal(lisp_auth_sign(buf, sizeof(buf), "lisp-key", 8), 0);
	assert_int_equal(lisp_auth_verify(buf, sizeof(buf), "lisp-key", 8), -EACCES);
	// Too short for the header or for the MAC; not an authenticated type.
	assert_int_equal(lisp_auth_verify(vec_map_register, 15, "lisp-key", 8), -EBADMSG);
	assert_int_equal(lisp_auth_verify(vec_map_register, 35, "lisp-key", 8), -EBADMSG);
	assert_int_equal(lisp_auth_verify(vec_map_reply, sizeof(vec_map_reply), "lisp-key", 8),
			 -EPROTO);
	assert_int_equal(lisp_auth_verify(vec_ecm, sizeof(vec_ecm), "lisp-key", 8), -EPROTO);
}

// Fuzzer findings ///////////////////////////////////////////////////////////
// None so far: each one goes here as a test with its input as an annotated array.

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_request),
		cmocka_unit_test(test_map_request_iid),
		cmocka_unit_test(test_ecm),
		cmocka_unit_test(test_map_reply),
		cmocka_unit_test(test_map_register),
		cmocka_unit_test(test_map_request_flags),
		cmocka_unit_test(test_map_reply_lcaf),
		cmocka_unit_test(test_map_register_sha256),
		cmocka_unit_test(test_map_register_flags),
		cmocka_unit_test(test_map_notify),
		cmocka_unit_test(test_ecm_ipv6),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_encode_short),
		cmocka_unit_test(test_bad_afi),
		cmocka_unit_test(test_bad_lcaf),
		cmocka_unit_test(test_huge_counts),
		cmocka_unit_test(test_bad_ecm),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_encode_invalid),
		cmocka_unit_test(test_reserved_ignored),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_auth),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
