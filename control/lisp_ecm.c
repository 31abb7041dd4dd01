// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Encapsulated Control Message (lisp-protocol.md §2.9): the ECM header, then an inner IPv4 or
// IPv6 header, a UDP header and the inner LISP message. The inner headers decode into a struct;
// the inner message stays in the buffer (pointer and length) for lisp_msg_decode().

#include "lisp_msg.h"
#include "lisp_wire.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#define IPV4_VERSION 4
#define IPV6_VERSION 6
#define IPV4_IHL_MASK 0x0f
#define IPV4_DF 0x4000
#define IPV4_MF 0x2000
#define IPV4_FRAG_OFF 0x1fff
#define IPV6_TC_SHIFT 20
#define UDP_MAX_LEN 0xffff

// One's complement sum of 16-bit big-endian words; an odd byte is padded with zero.
static uint64_t
csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
	for (; n > 1; p += 2, n -= 2)
		sum += lisp_get_u16(p);
	if (n > 0)
		sum += (uint64_t)p[0] << 8;
	return sum;
}

static uint16_t
csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int
rd_inner_ipv4(struct lisp_rd *r, struct lisp_inner_hdr *in, size_t *payload)
{
	const uint8_t *h;
	size_t ihl, total;
	uint16_t frag;

	if ((h = lisp_rd_take(r, LISP_IPV4_HDR_LEN)) == NULL)
		return -EBADMSG;
	ihl = (size_t)(h[0] & IPV4_IHL_MASK) * 4;
	if (ihl < LISP_IPV4_HDR_LEN)
		return -EBADMSG;
	// Options are skipped.
	if (lisp_rd_take(r, ihl - LISP_IPV4_HDR_LEN) == NULL)
		return -EBADMSG;
	total = lisp_get_u16(h + 2);
	if (total < ihl + LISP_UDP_HDR_LEN || total - ihl > lisp_rd_left(r))
		return -EBADMSG;
	frag = lisp_get_u16(h + 6);
	if (frag & (IPV4_MF | IPV4_FRAG_OFF))
		return -EBADMSG;
	if (h[9] != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	in->tos = h[1];
	in->ip_id = lisp_get_u16(h + 4);
	in->df = frag & IPV4_DF;
	in->ttl = h[8];
	in->src.afi = LISP_AFI_IPV4;
	memcpy(in->src.bytes, h + 12, 4);
	in->dst.afi = LISP_AFI_IPV4;
	memcpy(in->dst.bytes, h + 16, 4);
	*payload = total - ihl;
	return 0;
}

static int
rd_inner_ipv6(struct lisp_rd *r, struct lisp_inner_hdr *in, size_t *payload)
{
	const uint8_t *h;
	uint32_t word;

	if ((h = lisp_rd_take(r, LISP_IPV6_HDR_LEN)) == NULL)
		return -EBADMSG;
	// Extension headers are not supported: the next header must be UDP.
	if (h[6] != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	*payload = lisp_get_u16(h + 4);
	if (*payload > lisp_rd_left(r))
		return -EBADMSG;
	word = lisp_get_u32(h);
	in->tos = (uint8_t)(word >> IPV6_TC_SHIFT);
	in->flow_label = word & LISP_FLOW_LABEL_MAX;
	in->ttl = h[7];
	in->src.afi = LISP_AFI_IPV6;
	memcpy(in->src.bytes, h + 8, 16);
	in->dst.afi = LISP_AFI_IPV6;
	memcpy(in->dst.bytes, h + 24, 16);
	return 0;
}

int
lisp_ecm_decode(struct lisp_ecm *ecm, const uint8_t *buf, size_t len)
{
	struct lisp_rd r = {.buf = buf, .len = len};
	const uint8_t *p;
	size_t payload;
	uint16_t udp_len;
	int ret;

	memset(ecm, 0, sizeof(*ecm));
	if ((p = lisp_rd_take(&r, LISP_ECM_HDR_LEN)) == NULL)
		return -EBADMSG;
	if (p[0] >> LISP_TYPE_SHIFT != LISP_TYPE_ECM)
		return -EPROTO;
	ecm->security = p[0] & LISP_ECM_B0_S;
	ecm->ddt = p[0] & LISP_ECM_B0_D;
	ecm->to_etr = p[0] & LISP_ECM_B0_E;
	ecm->to_ms = p[0] & LISP_ECM_B0_M;

	if (lisp_rd_left(&r) < 1)
		return -EBADMSG;
	switch (buf[r.off] >> 4) {
	case IPV4_VERSION:
		ret = rd_inner_ipv4(&r, &ecm->inner, &payload);
		break;
	case IPV6_VERSION:
		ret = rd_inner_ipv6(&r, &ecm->inner, &payload);
		break;
	default:
		ret = -EPROTONOSUPPORT;
	}
	if (ret < 0)
		return ret;

	// payload <= what is left, so the UDP length only has to fit in the IP payload.
	if ((p = lisp_rd_take(&r, LISP_UDP_HDR_LEN)) == NULL)
		return -EBADMSG;
	ecm->inner.sport = lisp_get_u16(p);
	ecm->inner.dport = lisp_get_u16(p + 2);
	udp_len = lisp_get_u16(p + 4);
	if (udp_len < LISP_UDP_HDR_LEN || udp_len > payload)
		return -EBADMSG;
	ecm->msg_len = (uint16_t)(udp_len - LISP_UDP_HDR_LEN);
	if ((ecm->msg = lisp_rd_take(&r, ecm->msg_len)) == NULL)
		return -EBADMSG;
	return (int)r.off;
}

int
lisp_ecm_encode(const struct lisp_ecm *ecm, uint8_t *buf, size_t size)
{
	const struct lisp_inner_hdr *in = &ecm->inner;
	struct lisp_wr w = {.buf = buf, .size = size};
	size_t udp_len = LISP_UDP_HDR_LEN + (size_t)ecm->msg_len;
	uint8_t *p, *ip, *udp;
	uint64_t sum;
	uint16_t csum;
	bool v4;

	if (in->src.afi != in->dst.afi
	    || (in->src.afi != LISP_AFI_IPV4 && in->src.afi != LISP_AFI_IPV6))
		return -EINVAL;
	v4 = in->src.afi == LISP_AFI_IPV4;
	if ((v4 && LISP_IPV4_HDR_LEN + udp_len > UDP_MAX_LEN) || udp_len > UDP_MAX_LEN
	    || (!v4 && in->flow_label > LISP_FLOW_LABEL_MAX)
	    || (ecm->msg_len > 0 && ecm->msg == NULL))
		return -EINVAL;

	if ((p = lisp_wr_take(&w, LISP_ECM_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	p[0] = LISP_TYPE_ECM << LISP_TYPE_SHIFT;
	if (ecm->security)
		p[0] |= LISP_ECM_B0_S;
	if (ecm->ddt)
		p[0] |= LISP_ECM_B0_D;
	if (ecm->to_etr)
		p[0] |= LISP_ECM_B0_E;
	if (ecm->to_ms)
		p[0] |= LISP_ECM_B0_M;
	p[1] = p[2] = p[3] = 0;

	if ((ip = lisp_wr_take(&w, v4 ? LISP_IPV4_HDR_LEN : LISP_IPV6_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	if ((udp = lisp_wr_take(&w, udp_len)) == NULL)
		return -EMSGSIZE;

	if (v4) {
		ip[0] = IPV4_VERSION << 4 | LISP_IPV4_HDR_LEN / 4;
		ip[1] = in->tos;
		lisp_put_u16(ip + 2, (uint16_t)(LISP_IPV4_HDR_LEN + udp_len));
		lisp_put_u16(ip + 4, in->ip_id);
		lisp_put_u16(ip + 6, in->df ? IPV4_DF : 0);
		ip[8] = in->ttl;
		ip[9] = IPPROTO_UDP;
		lisp_put_u16(ip + 10, 0);
		memcpy(ip + 12, in->src.bytes, 4);
		memcpy(ip + 16, in->dst.bytes, 4);
		lisp_put_u16(ip + 10, csum_fold(csum_add(0, ip, LISP_IPV4_HDR_LEN)));
		sum = csum_add(0, ip + 12, 8);
	} else {
		lisp_put_u32(ip,
			     (uint32_t)IPV6_VERSION << 28 | (uint32_t)in->tos << IPV6_TC_SHIFT
				     | in->flow_label);
		lisp_put_u16(ip + 4, (uint16_t)udp_len);
		ip[6] = IPPROTO_UDP;
		ip[7] = in->ttl;
		memcpy(ip + 8, in->src.bytes, 16);
		memcpy(ip + 24, in->dst.bytes, 16);
		sum = csum_add(0, ip + 8, 32);
	}

	lisp_put_u16(udp, in->sport);
	lisp_put_u16(udp + 2, in->dport);
	lisp_put_u16(udp + 4, (uint16_t)udp_len);
	lisp_put_u16(udp + 6, 0);
	if (ecm->msg_len > 0)
		memcpy(udp + LISP_UDP_HDR_LEN, ecm->msg, ecm->msg_len);
	// Pseudo-header (addresses summed above, protocol, UDP length), then the datagram. A
	// computed zero is sent as 0xffff (zero means "no checksum" over IPv4, and is invalid over
	// IPv6).
	sum += IPPROTO_UDP + udp_len;
	csum = csum_fold(csum_add(sum, udp, udp_len));
	lisp_put_u16(udp + 6, csum == 0 ? 0xffff : csum);
	return (int)w.off;
}
