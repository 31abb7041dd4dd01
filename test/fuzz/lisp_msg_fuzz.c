// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// libFuzzer target for the LISP control-message codec. Arbitrary bytes are decoded as whatever
// message their type nibble names (and as a lone address). When decoding succeeds, the result
// must re-encode, the encoding must decode to an equal struct, and encoding that must give the
// same bytes again: a round-trip oracle. An ECM's inner message goes through the same checks.
// Map-Register/Notify/Notify-Ack encodings are also signed and verified.

#include "lisp_msg.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 3 // ECM in ECM in ECM
#define ENC_MAX (64 * 1024 + 128)
#define KEY "fuzz-key"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// Per depth: the first and second decodes, and the two encodings. Static: they are large.
static struct lisp_msg decoded[MAX_DEPTH][2];
static uint8_t encoded[MAX_DEPTH][2][ENC_MAX];

static bool
is_register(uint8_t type)
{
	return type == LISP_TYPE_MAP_REGISTER || type == LISP_TYPE_MAP_NOTIFY
		|| type == LISP_TYPE_MAP_NOTIFY_ACK;
}

static void
check_format(const struct lisp_addr *addr)
{
	char text[LISP_ADDR_STR_MAX];
	int n = lisp_addr_format(text, sizeof(text), addr);

	CHECK(n > 0 && (size_t)n < sizeof(text) && strlen(text) == (size_t)n);
}

// Sign the encoding, verify it, and check that a changed byte fails verification.
static void
check_auth(uint8_t *buf, size_t len, size_t flip)
{
	int want, ret;

	ret = lisp_auth_sign(buf, len, KEY, strlen(KEY));
	want = lisp_auth_len(buf[13]);
	if (want < 0) {
		CHECK(ret == want);
		return;
	}
	if ((buf[14] << 8 | buf[15]) != want) {
		CHECK(ret == -EBADMSG);
		return;
	}
	CHECK(ret == 0);
	ret = lisp_auth_verify(buf, len, KEY, strlen(KEY));
	if (want == 0) {
		CHECK(ret == -EACCES);
		return;
	}
	CHECK(ret == 0);
	CHECK(lisp_auth_verify(buf, len, KEY, strlen(KEY) - 1) == -EACCES);
	buf[flip % len] ^= 0x80;
	CHECK(lisp_auth_verify(buf, len, KEY, strlen(KEY)) != 0);
	buf[flip % len] ^= 0x80;
}

static void
roundtrip(const uint8_t *data, size_t size, unsigned depth)
{
	struct lisp_msg *a = &decoded[depth][0], *b = &decoded[depth][1];
	uint8_t *enc_a = encoded[depth][0], *enc_b = encoded[depth][1];
	int consumed, len_a, len_b;

	consumed = lisp_msg_decode(a, data, size);
	if (consumed < 0)
		return;
	CHECK((size_t)consumed <= size);

	// Canonical encoding: never longer than the input (reserved bits and IPv4 options go).
	len_a = lisp_msg_encode(a, enc_a, ENC_MAX);
	CHECK(len_a > 0 && len_a <= consumed);
	CHECK(lisp_msg_decode(b, enc_a, (size_t)len_a) == len_a);
	CHECK(lisp_msg_equal(a, b));
	len_b = lisp_msg_encode(b, enc_b, ENC_MAX);
	CHECK(len_b == len_a && memcmp(enc_a, enc_b, (size_t)len_a) == 0);
	// Encoding into one byte less must fail cleanly.
	CHECK(lisp_msg_encode(a, enc_b, (size_t)len_a - 1) == -EMSGSIZE);

	switch (a->type) {
	case LISP_TYPE_MAP_REQUEST:
		check_format(&a->request.source_eid);
		for (unsigned i = 0; i < a->request.n_itr_rlocs; i++)
			check_format(&a->request.itr_rlocs[i]);
		for (unsigned i = 0; i < a->request.n_eids; i++)
			check_format(&a->request.eids[i].addr);
		break;
	case LISP_TYPE_MAP_REPLY:
		for (unsigned i = 0; i < a->reply.n_records; i++)
			check_format(&a->reply.records[i].eid.addr);
		break;
	case LISP_TYPE_ECM:
		if (depth + 1 < MAX_DEPTH)
			roundtrip(a->ecm.msg, a->ecm.msg_len, depth + 1);
		break;
	}

	if (is_register(a->type)) {
		// On the input: any answer, no crash. On the encoding: the full check.
		(void)lisp_auth_verify(data, (size_t)consumed, KEY, strlen(KEY));
		check_auth(enc_a, (size_t)len_a, size > 0 ? data[size - 1] : 0);
	}
}

static void
addr_roundtrip(const uint8_t *data, size_t size)
{
	struct lisp_addr a, b;
	uint8_t enc[256];
	int consumed, len;

	if ((consumed = lisp_addr_decode(&a, data, size)) < 0)
		return;
	len = lisp_addr_encode(&a, enc, sizeof(enc));
	CHECK(len > 0 && len <= consumed && len == lisp_addr_len(&a));
	CHECK(lisp_addr_decode(&b, enc, (size_t)len) == len);
	CHECK(lisp_addr_equal(&a, &b));
	check_format(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	roundtrip(data, size, 0);
	addr_roundtrip(data, size);
	return 0;
}
