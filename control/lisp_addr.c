// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Control-message addresses: AFI 0/1/2 and the instance-ID and AFI-list LCAFs
// (lisp-protocol.md §2.2).

#include "lisp_msg.h"
#include "lisp_wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

// The longest text: a full AFI-list of the longest IPv6 texts, ", " between them, "(" and ")".
static_assert(LISP_ADDR_STR_MAX >= LISP_MAX_AFI_LIST * (INET6_ADDRSTRLEN - 1 + 2) + 2 + 1,
	      "LISP_ADDR_STR_MAX holds any address");

int
lisp_afi_len(uint16_t afi)
{
	switch (afi) {
	case LISP_AFI_NONE:
		return 0;
	case LISP_AFI_IPV4:
		return 4;
	case LISP_AFI_IPV6:
		return 16;
	}
	return -EPROTONOSUPPORT;
}

bool
lisp_ip_equal(const struct lisp_ip *a, const struct lisp_ip *b)
{
	int n = lisp_afi_len(a->afi);

	if (a->afi != b->afi || n < 0)
		return false;
	return memcmp(a->bytes, b->bytes, (size_t)n) == 0;
}

// The address after an AFI that has been read.
static int
rd_ip_body(struct lisp_rd *r, uint16_t afi, struct lisp_ip *ip)
{
	int n = lisp_afi_len(afi);
	const uint8_t *p;

	if (n < 0)
		return n;
	if ((p = lisp_rd_take(r, (size_t)n)) == NULL)
		return -EBADMSG;
	ip->afi = afi;
	memcpy(ip->bytes, p, (size_t)n);
	return 0;
}

// AFI and address, inside an LCAF: nested LCAFs are not supported.
static int
rd_ip(struct lisp_rd *r, struct lisp_ip *ip)
{
	const uint8_t *p;
	uint16_t afi;

	if ((p = lisp_rd_take(r, LISP_AFI_LEN)) == NULL)
		return -EBADMSG;
	afi = lisp_get_u16(p);
	if (afi == LISP_AFI_LCAF)
		return -EPROTONOSUPPORT;
	return rd_ip_body(r, afi, ip);
}

int
lisp_rd_addr(struct lisp_rd *r, struct lisp_addr *addr)
{
	struct lisp_rd body;
	const uint8_t *p;
	uint16_t afi, len;
	uint8_t type, rsvd2;
	int ret;

	memset(addr, 0, sizeof(*addr));
	if ((p = lisp_rd_take(r, LISP_AFI_LEN)) == NULL)
		return -EBADMSG;
	afi = lisp_get_u16(p);
	if (afi != LISP_AFI_LCAF)
		return rd_ip_body(r, afi, &addr->ip);

	// Rsvd1 and Flags (bytes 0-1) are ignored.
	if ((p = lisp_rd_take(r, LISP_LCAF_HDR_LEN)) == NULL)
		return -EBADMSG;
	type = p[2];
	rsvd2 = p[3]; // the IID mask length for instance-IDs
	len = lisp_get_u16(p + 4);
	if (type != LISP_LCAF_IID && type != LISP_LCAF_AFI_LIST)
		return -EPROTONOSUPPORT;
	// The body is read through its own cursor so that it cannot overrun its Length.
	body.buf = lisp_rd_take(r, len);
	body.len = len;
	body.off = 0;
	if (body.buf == NULL)
		return -EBADMSG;

	if (type == LISP_LCAF_IID) {
		if ((p = lisp_rd_take(&body, LISP_IID_LEN)) == NULL)
			return -EBADMSG;
		addr->iid = lisp_get_u32(p);
		addr->iid_mask_len = rsvd2;
		if ((ret = rd_ip(&body, &addr->ip)) < 0)
			return ret;
	} else {
		while (lisp_rd_left(&body) > 0) {
			if (addr->n_list == LISP_MAX_AFI_LIST)
				return -E2BIG;
			if ((ret = rd_ip(&body, &addr->list[addr->n_list])) < 0)
				return ret;
			addr->n_list++;
		}
		if (addr->n_list == 0)
			return -EBADMSG;
	}
	// Length must match the content exactly.
	if (lisp_rd_left(&body) != 0)
		return -EBADMSG;
	addr->lcaf = type;
	return 0;
}

static int
ip_wire_len(const struct lisp_ip *ip)
{
	int n = lisp_afi_len(ip->afi);

	return n < 0 ? -EINVAL : LISP_AFI_LEN + n;
}

// Encoded size of the LCAF body (what its Length field holds), or -EINVAL.
static int
lcaf_body_len(const struct lisp_addr *addr)
{
	int len, n;

	switch (addr->lcaf) {
	case LISP_LCAF_IID:
		if ((n = ip_wire_len(&addr->ip)) < 0)
			return n;
		return LISP_IID_LEN + n;
	case LISP_LCAF_AFI_LIST:
		if (addr->n_list == 0 || addr->n_list > LISP_MAX_AFI_LIST)
			return -EINVAL;
		len = 0;
		for (unsigned i = 0; i < addr->n_list; i++) {
			if ((n = ip_wire_len(&addr->list[i])) < 0)
				return n;
			len += n;
		}
		return len;
	}
	return -EINVAL;
}

int
lisp_addr_len(const struct lisp_addr *addr)
{
	int n;

	if (addr->lcaf == LISP_LCAF_NONE)
		return ip_wire_len(&addr->ip);
	if ((n = lcaf_body_len(addr)) < 0)
		return n;
	return LISP_AFI_LEN + LISP_LCAF_HDR_LEN + n;
}

static int
wr_ip(struct lisp_wr *w, const struct lisp_ip *ip)
{
	int n = lisp_afi_len(ip->afi);
	uint8_t *p;

	if (n < 0)
		return -EINVAL;
	if ((p = lisp_wr_take(w, LISP_AFI_LEN + (size_t)n)) == NULL)
		return -EMSGSIZE;
	lisp_put_u16(p, ip->afi);
	memcpy(p + LISP_AFI_LEN, ip->bytes, (size_t)n);
	return 0;
}

int
lisp_wr_addr(struct lisp_wr *w, const struct lisp_addr *addr)
{
	int body, ret;
	uint8_t *p;

	if (addr->lcaf == LISP_LCAF_NONE)
		return wr_ip(w, &addr->ip);
	// Validate everything before writing, so a bad address is -EINVAL whatever the room.
	if ((body = lcaf_body_len(addr)) < 0)
		return body;
	if ((p = lisp_wr_take(w, LISP_AFI_LEN + LISP_LCAF_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	lisp_put_u16(p, LISP_AFI_LCAF);
	p[2] = 0; // Rsvd1
	p[3] = 0; // Flags
	p[4] = addr->lcaf;
	p[5] = addr->lcaf == LISP_LCAF_IID ? addr->iid_mask_len : 0; // Rsvd2
	lisp_put_u16(p + 6, (uint16_t)body);

	if (addr->lcaf == LISP_LCAF_IID) {
		if ((p = lisp_wr_take(w, LISP_IID_LEN)) == NULL)
			return -EMSGSIZE;
		lisp_put_u32(p, addr->iid);
		return wr_ip(w, &addr->ip);
	}
	for (unsigned i = 0; i < addr->n_list; i++) {
		if ((ret = wr_ip(w, &addr->list[i])) < 0)
			return ret;
	}
	return 0;
}

int
lisp_addr_decode(struct lisp_addr *addr, const uint8_t *buf, size_t len)
{
	struct lisp_rd r = {.buf = buf, .len = len};
	int ret;

	if ((ret = lisp_rd_addr(&r, addr)) < 0)
		return ret;
	return (int)r.off;
}

int
lisp_addr_encode(const struct lisp_addr *addr, uint8_t *buf, size_t size)
{
	struct lisp_wr w = {.buf = buf, .size = size};
	int ret;

	if ((ret = lisp_addr_len(addr)) < 0)
		return ret;
	if ((ret = lisp_wr_addr(&w, addr)) < 0)
		return ret;
	return (int)w.off;
}

bool
lisp_addr_equal(const struct lisp_addr *a, const struct lisp_addr *b)
{
	if (a->lcaf != b->lcaf)
		return false;
	switch (a->lcaf) {
	case LISP_LCAF_NONE:
		return lisp_ip_equal(&a->ip, &b->ip);
	case LISP_LCAF_IID:
		return a->iid == b->iid && a->iid_mask_len == b->iid_mask_len
			&& lisp_ip_equal(&a->ip, &b->ip);
	case LISP_LCAF_AFI_LIST:
		if (a->n_list != b->n_list || a->n_list > LISP_MAX_AFI_LIST)
			return false;
		for (unsigned i = 0; i < a->n_list; i++) {
			if (!lisp_ip_equal(&a->list[i], &b->list[i]))
				return false;
		}
		return true;
	}
	return false;
}

// Text of a plain address, in out (INET6_ADDRSTRLEN bytes) or static; NULL for a bad AFI.
static const char *
ip_text(char *out, const struct lisp_ip *ip)
{
	switch (ip->afi) {
	case LISP_AFI_NONE:
		return "none";
	case LISP_AFI_IPV4:
		return inet_ntop(AF_INET, ip->bytes, out, INET6_ADDRSTRLEN);
	case LISP_AFI_IPV6:
		return inet_ntop(AF_INET6, ip->bytes, out, INET6_ADDRSTRLEN);
	}
	return NULL;
}

int
lisp_addr_format(char *buf, size_t size, const struct lisp_addr *addr)
{
	char list[LISP_ADDR_STR_MAX], ip[INET6_ADDRSTRLEN];
	const char *text;
	int off;

	switch (addr->lcaf) {
	case LISP_LCAF_NONE:
		if ((text = ip_text(ip, &addr->ip)) == NULL)
			return -EINVAL;
		return snprintf(buf, size, "%s", text);
	case LISP_LCAF_IID:
		if ((text = ip_text(ip, &addr->ip)) == NULL)
			return -EINVAL;
		if (addr->iid_mask_len != 0)
			return snprintf(buf,
					size,
					"[%u/%u] %s",
					addr->iid,
					addr->iid_mask_len,
					text);
		return snprintf(buf, size, "[%u] %s", addr->iid, text);
	case LISP_LCAF_AFI_LIST:
		if (addr->n_list == 0 || addr->n_list > LISP_MAX_AFI_LIST)
			return -EINVAL;
		// LISP_ADDR_STR_MAX holds the longest list, so the offsets never pass the end.
		off = 0;
		for (unsigned i = 0; i < addr->n_list; i++) {
			if ((text = ip_text(ip, &addr->list[i])) == NULL)
				return -EINVAL;
			off += snprintf(list + off,
					sizeof(list) - (size_t)off,
					"%s%s",
					i ? ", " : "",
					text);
		}
		return snprintf(buf, size, "(%s)", list);
	}
	return -EINVAL;
}
