// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Map-Register/Map-Notify/Map-Notify-Ack authentication (lisp-protocol.md §2.7): an HMAC
// over the whole encoded message with the authentication data zeroed, keyed with the password's
// raw bytes. HMAC-SHA-1-96 and HMAC-SHA-256-128 send the full 20 and 32 byte MACs.

#include "lisp_msg.h"
#include "lisp_wire.h"

#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

int
lisp_auth_len(enum lisp_auth_alg alg)
{
	switch (alg) {
	case LISP_AUTH_NONE:
		return 0;
	case LISP_AUTH_HMAC_SHA1_96:
		return 20;
	case LISP_AUTH_HMAC_SHA256_128:
		return 32;
	}
	return -EPROTONOSUPPORT;
}

// Checks that msg is an authenticated message type whose auth data length matches its algorithm
// and fits, and returns that length (0 for LISP_AUTH_NONE) with the hash to use.
static int
auth_field(const uint8_t *msg, size_t len, const EVP_MD **md)
{
	uint8_t alg;
	int n;

	if (len < LISP_MREG_HDR_LEN)
		return -EBADMSG;
	switch (msg[0] >> LISP_TYPE_SHIFT) {
	case LISP_TYPE_MAP_REGISTER:
	case LISP_TYPE_MAP_NOTIFY:
	case LISP_TYPE_MAP_NOTIFY_ACK:
		break;
	default:
		return -EPROTO;
	}
	alg = msg[LISP_MREG_OFF_ALG_ID];
	if ((n = lisp_auth_len(alg)) < 0)
		return n;
	if (lisp_get_u16(msg + LISP_MREG_OFF_AUTH_LEN) != n)
		return -EBADMSG;
	if ((size_t)n > len - LISP_MREG_OFF_AUTH)
		return -EBADMSG;
	*md = alg == LISP_AUTH_HMAC_SHA1_96 ? EVP_sha1() : EVP_sha256();
	return n;
}

// HMAC of data; the caller has zeroed the auth data. out has room for EVP_MAX_MD_SIZE bytes.
static int
hmac(const EVP_MD *md,
     const void *key,
     size_t key_len,
     const uint8_t *data,
     size_t len,
     uint8_t *out,
     size_t want)
{
	static const uint8_t no_key;
	unsigned out_len = 0;

	if (key_len > INT_MAX)
		return -EINVAL;
	if (key == NULL)
		key = &no_key; // OpenSSL takes a NULL key as "keep the previous one"
	if (HMAC(md, key, (int)key_len, data, len, out, &out_len) == NULL || out_len != want)
		return -EIO;
	return 0;
}

int
lisp_auth_sign(uint8_t *msg, size_t len, const void *key, size_t key_len)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	const EVP_MD *md = NULL;
	int n, ret;

	if ((n = auth_field(msg, len, &md)) <= 0)
		return n;
	memset(msg + LISP_MREG_OFF_AUTH, 0, (size_t)n);
	if ((ret = hmac(md, key, key_len, msg, len, mac, (size_t)n)) < 0)
		return ret;
	memcpy(msg + LISP_MREG_OFF_AUTH, mac, (size_t)n);
	return 0;
}

int
lisp_auth_verify(const uint8_t *msg, size_t len, const void *key, size_t key_len)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	const EVP_MD *md = NULL;
	uint8_t *copy;
	int n, ret;

	if ((n = auth_field(msg, len, &md)) < 0)
		return n;
	if (n == 0)
		return -EACCES; // LISP_AUTH_NONE: nothing proves where the message comes from
	// One-shot HMAC needs the zeroed field in place: work on a copy, the input stays const.
	if ((copy = malloc(len)) == NULL)
		return -ENOMEM;
	memcpy(copy, msg, len);
	memset(copy + LISP_MREG_OFF_AUTH, 0, (size_t)n);
	ret = hmac(md, key, key_len, copy, len, mac, (size_t)n);
	free(copy);
	if (ret < 0)
		return ret;
	if (CRYPTO_memcmp(mac, msg + LISP_MREG_OFF_AUTH, (size_t)n) != 0)
		return -EACCES;
	return 0;
}
