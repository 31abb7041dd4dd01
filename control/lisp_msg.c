// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Map-Request, Map-Reply, Map-Register, Map-Notify and Map-Notify-Ack, their mapping and locator
// records, and the dispatch on the message type (lisp-protocol.md §2.3-§2.8). The ECM lives
// in lisp_ecm.c, addresses in lisp_addr.c.

#include "lisp_msg.h"
#include "lisp_wire.h"

#include <errno.h>
#include <string.h>

// Records ///////////////////////////////////////////////////////////////////

static int
rd_locator(struct lisp_rd *r, struct lisp_locator *loc)
{
	const uint8_t *p;
	uint16_t flags;

	if ((p = lisp_rd_take(r, LISP_LOC_HDR_LEN)) == NULL)
		return -EBADMSG;
	loc->priority = p[0];
	loc->weight = p[1];
	loc->mpriority = p[2];
	loc->mweight = p[3];
	flags = lisp_get_u16(p + 4);
	loc->local = flags & LISP_LOC_F_L;
	loc->probed = flags & LISP_LOC_F_P;
	loc->reachable = flags & LISP_LOC_F_R;
	return lisp_rd_addr(r, &loc->addr);
}

static int
rd_record(struct lisp_rd *r, struct lisp_record *rec)
{
	const uint8_t *p;
	uint8_t count;
	int ret;

	if ((p = lisp_rd_take(r, LISP_REC_HDR_LEN)) == NULL)
		return -EBADMSG;
	rec->ttl = lisp_get_u32(p);
	count = p[4];
	rec->eid.len = p[5];
	rec->act = p[6] >> LISP_REC_ACT_SHIFT;
	rec->authoritative = p[6] & LISP_REC_B6_A;
	rec->version = lisp_get_u16(p + 8) & LISP_MAP_VERSION_MAX;
	if (count > LISP_MAX_LOCATORS)
		return -E2BIG;
	if ((ret = lisp_rd_addr(r, &rec->eid.addr)) < 0)
		return ret;
	if ((size_t)count * LISP_MIN_LOC_LEN > lisp_rd_left(r))
		return -EBADMSG;
	for (unsigned i = 0; i < count; i++) {
		if ((ret = rd_locator(r, &rec->locators[i])) < 0)
			return ret;
	}
	rec->n_locators = count;
	return 0;
}

static int
rd_records(struct lisp_rd *r, struct lisp_record *recs, uint8_t count)
{
	int ret;

	if (count > LISP_MAX_RECORDS)
		return -E2BIG;
	if ((size_t)count * LISP_MIN_REC_LEN > lisp_rd_left(r))
		return -EBADMSG;
	for (unsigned i = 0; i < count; i++) {
		if ((ret = rd_record(r, &recs[i])) < 0)
			return ret;
	}
	return 0;
}

static int
wr_locator(struct lisp_wr *w, const struct lisp_locator *loc)
{
	uint16_t flags = 0;
	uint8_t *p;

	if ((p = lisp_wr_take(w, LISP_LOC_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	p[0] = loc->priority;
	p[1] = loc->weight;
	p[2] = loc->mpriority;
	p[3] = loc->mweight;
	if (loc->local)
		flags |= LISP_LOC_F_L;
	if (loc->probed)
		flags |= LISP_LOC_F_P;
	if (loc->reachable)
		flags |= LISP_LOC_F_R;
	lisp_put_u16(p + 4, flags);
	return lisp_wr_addr(w, &loc->addr);
}

static int
wr_record(struct lisp_wr *w, const struct lisp_record *rec)
{
	uint8_t *p;
	int ret;

	if (rec->n_locators > LISP_MAX_LOCATORS || rec->act > LISP_REC_ACT_MAX
	    || rec->version > LISP_MAP_VERSION_MAX)
		return -EINVAL;
	if ((p = lisp_wr_take(w, LISP_REC_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	lisp_put_u32(p, rec->ttl);
	p[4] = rec->n_locators;
	p[5] = rec->eid.len;
	p[6] = (uint8_t)(rec->act << LISP_REC_ACT_SHIFT);
	if (rec->authoritative)
		p[6] |= LISP_REC_B6_A;
	p[7] = 0;
	lisp_put_u16(p + 8, rec->version);
	if ((ret = lisp_wr_addr(w, &rec->eid.addr)) < 0)
		return ret;
	for (unsigned i = 0; i < rec->n_locators; i++) {
		if ((ret = wr_locator(w, &rec->locators[i])) < 0)
			return ret;
	}
	return 0;
}

static int
wr_records(struct lisp_wr *w, const struct lisp_record *recs, uint8_t count)
{
	int ret;

	if (count > LISP_MAX_RECORDS)
		return -EINVAL;
	for (unsigned i = 0; i < count; i++) {
		if ((ret = wr_record(w, &recs[i])) < 0)
			return ret;
	}
	return 0;
}

static bool
locator_equal(const struct lisp_locator *a, const struct lisp_locator *b)
{
	return a->priority == b->priority && a->weight == b->weight && a->mpriority == b->mpriority
		&& a->mweight == b->mweight && a->local == b->local && a->probed == b->probed
		&& a->reachable == b->reachable && lisp_addr_equal(&a->addr, &b->addr);
}

static bool
prefix_equal(const struct lisp_prefix *a, const struct lisp_prefix *b)
{
	return a->len == b->len && lisp_addr_equal(&a->addr, &b->addr);
}

bool
lisp_record_equal(const struct lisp_record *a, const struct lisp_record *b)
{
	if (a->ttl != b->ttl || a->act != b->act || a->authoritative != b->authoritative
	    || a->version != b->version || !prefix_equal(&a->eid, &b->eid)
	    || a->n_locators != b->n_locators || a->n_locators > LISP_MAX_LOCATORS)
		return false;
	for (unsigned i = 0; i < a->n_locators; i++) {
		if (!locator_equal(&a->locators[i], &b->locators[i]))
			return false;
	}
	return true;
}

static bool
records_equal(const struct lisp_record *a, const struct lisp_record *b, uint8_t n)
{
	if (n > LISP_MAX_RECORDS)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (!lisp_record_equal(&a[i], &b[i]))
			return false;
	}
	return true;
}

// Map-Request ///////////////////////////////////////////////////////////////

int
lisp_map_request_decode(struct lisp_map_request *req, const uint8_t *buf, size_t len)
{
	struct lisp_rd r = {.buf = buf, .len = len};
	unsigned n_rlocs, n_eids;
	const uint8_t *p;
	size_t min;
	int ret;

	memset(req, 0, sizeof(*req));
	if ((p = lisp_rd_take(&r, LISP_MREQ_HDR_LEN)) == NULL)
		return -EBADMSG;
	if (p[0] >> LISP_TYPE_SHIFT != LISP_TYPE_MAP_REQUEST)
		return -EPROTO;
	req->authoritative = p[0] & LISP_MREQ_B0_A;
	req->map_data = p[0] & LISP_MREQ_B0_M;
	req->probe = p[0] & LISP_MREQ_B0_P;
	req->smr = p[0] & LISP_MREQ_B0_S;
	req->pitr = p[1] & LISP_MREQ_B1_PITR;
	req->smr_invoked = p[1] & LISP_MREQ_B1_SMR_INVOKED;
	req->local_xtr = p[2] & LISP_MREQ_B2_L;
	req->dont_map_reply = p[2] & LISP_MREQ_B2_D;
	n_rlocs = (p[2] & LISP_MREQ_B2_IRC) + 1u;
	n_eids = p[3];
	req->nonce = lisp_get_u64(p + 4);

	if (n_rlocs > LISP_MAX_ITR_RLOCS || n_eids > LISP_MAX_RECORDS)
		return -E2BIG;
	if (n_eids == 0)
		return -EBADMSG;
	min = (1 + n_rlocs) * LISP_MIN_ADDR_LEN + n_eids * LISP_MIN_EID_REC_LEN;
	if (req->map_data)
		min += LISP_MIN_REC_LEN;
	if (min > lisp_rd_left(&r))
		return -EBADMSG;

	if ((ret = lisp_rd_addr(&r, &req->source_eid)) < 0)
		return ret;
	for (unsigned i = 0; i < n_rlocs; i++) {
		if ((ret = lisp_rd_addr(&r, &req->itr_rlocs[i])) < 0)
			return ret;
	}
	req->n_itr_rlocs = (uint8_t)n_rlocs;
	for (unsigned i = 0; i < n_eids; i++) {
		// Reserved byte, then the mask length.
		if ((p = lisp_rd_take(&r, LISP_EID_REC_HDR_LEN)) == NULL)
			return -EBADMSG;
		req->eids[i].len = p[1];
		if ((ret = lisp_rd_addr(&r, &req->eids[i].addr)) < 0)
			return ret;
	}
	req->n_eids = (uint8_t)n_eids;
	if (req->map_data && (ret = rd_record(&r, &req->mapping)) < 0)
		return ret;
	return (int)r.off;
}

int
lisp_map_request_encode(const struct lisp_map_request *req, uint8_t *buf, size_t size)
{
	struct lisp_wr w = {.buf = buf, .size = size};
	uint8_t *p;
	int ret;

	if (req->n_itr_rlocs == 0 || req->n_itr_rlocs > LISP_MAX_ITR_RLOCS || req->n_eids == 0
	    || req->n_eids > LISP_MAX_RECORDS)
		return -EINVAL;
	if ((p = lisp_wr_take(&w, LISP_MREQ_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	p[0] = LISP_TYPE_MAP_REQUEST << LISP_TYPE_SHIFT;
	if (req->authoritative)
		p[0] |= LISP_MREQ_B0_A;
	if (req->map_data)
		p[0] |= LISP_MREQ_B0_M;
	if (req->probe)
		p[0] |= LISP_MREQ_B0_P;
	if (req->smr)
		p[0] |= LISP_MREQ_B0_S;
	p[1] = 0;
	if (req->pitr)
		p[1] |= LISP_MREQ_B1_PITR;
	if (req->smr_invoked)
		p[1] |= LISP_MREQ_B1_SMR_INVOKED;
	p[2] = (uint8_t)(req->n_itr_rlocs - 1);
	if (req->local_xtr)
		p[2] |= LISP_MREQ_B2_L;
	if (req->dont_map_reply)
		p[2] |= LISP_MREQ_B2_D;
	p[3] = req->n_eids;
	lisp_put_u64(p + 4, req->nonce);

	if ((ret = lisp_wr_addr(&w, &req->source_eid)) < 0)
		return ret;
	for (unsigned i = 0; i < req->n_itr_rlocs; i++) {
		if ((ret = lisp_wr_addr(&w, &req->itr_rlocs[i])) < 0)
			return ret;
	}
	for (unsigned i = 0; i < req->n_eids; i++) {
		if ((p = lisp_wr_take(&w, LISP_EID_REC_HDR_LEN)) == NULL)
			return -EMSGSIZE;
		p[0] = 0;
		p[1] = req->eids[i].len;
		if ((ret = lisp_wr_addr(&w, &req->eids[i].addr)) < 0)
			return ret;
	}
	if (req->map_data && (ret = wr_record(&w, &req->mapping)) < 0)
		return ret;
	return (int)w.off;
}

static bool
map_request_equal(const struct lisp_map_request *a, const struct lisp_map_request *b)
{
	if (a->authoritative != b->authoritative || a->map_data != b->map_data
	    || a->probe != b->probe || a->smr != b->smr || a->pitr != b->pitr
	    || a->smr_invoked != b->smr_invoked || a->local_xtr != b->local_xtr
	    || a->dont_map_reply != b->dont_map_reply || a->nonce != b->nonce
	    || !lisp_addr_equal(&a->source_eid, &b->source_eid) || a->n_itr_rlocs != b->n_itr_rlocs
	    || a->n_itr_rlocs > LISP_MAX_ITR_RLOCS || a->n_eids != b->n_eids
	    || a->n_eids > LISP_MAX_RECORDS)
		return false;
	for (unsigned i = 0; i < a->n_itr_rlocs; i++) {
		if (!lisp_addr_equal(&a->itr_rlocs[i], &b->itr_rlocs[i]))
			return false;
	}
	for (unsigned i = 0; i < a->n_eids; i++) {
		if (!prefix_equal(&a->eids[i], &b->eids[i]))
			return false;
	}
	return !a->map_data || lisp_record_equal(&a->mapping, &b->mapping);
}

// Map-Reply /////////////////////////////////////////////////////////////////

int
lisp_map_reply_decode(struct lisp_map_reply *rep, const uint8_t *buf, size_t len)
{
	struct lisp_rd r = {.buf = buf, .len = len};
	const uint8_t *p;
	int ret;

	memset(rep, 0, sizeof(*rep));
	if ((p = lisp_rd_take(&r, LISP_MREP_HDR_LEN)) == NULL)
		return -EBADMSG;
	if (p[0] >> LISP_TYPE_SHIFT != LISP_TYPE_MAP_REPLY)
		return -EPROTO;
	rep->probe = p[0] & LISP_MREP_B0_P;
	rep->echo_nonce = p[0] & LISP_MREP_B0_E;
	rep->security = p[0] & LISP_MREP_B0_S;
	rep->nonce = lisp_get_u64(p + 4);
	if ((ret = rd_records(&r, rep->records, p[3])) < 0)
		return ret;
	rep->n_records = p[3];
	return (int)r.off;
}

int
lisp_map_reply_encode(const struct lisp_map_reply *rep, uint8_t *buf, size_t size)
{
	struct lisp_wr w = {.buf = buf, .size = size};
	uint8_t *p;
	int ret;

	if (rep->n_records > LISP_MAX_RECORDS)
		return -EINVAL;
	if ((p = lisp_wr_take(&w, LISP_MREP_HDR_LEN)) == NULL)
		return -EMSGSIZE;
	p[0] = LISP_TYPE_MAP_REPLY << LISP_TYPE_SHIFT;
	if (rep->probe)
		p[0] |= LISP_MREP_B0_P;
	if (rep->echo_nonce)
		p[0] |= LISP_MREP_B0_E;
	if (rep->security)
		p[0] |= LISP_MREP_B0_S;
	p[1] = 0;
	p[2] = 0;
	p[3] = rep->n_records;
	lisp_put_u64(p + 4, rep->nonce);
	if ((ret = wr_records(&w, rep->records, rep->n_records)) < 0)
		return ret;
	return (int)w.off;
}

static bool
map_reply_equal(const struct lisp_map_reply *a, const struct lisp_map_reply *b)
{
	return a->probe == b->probe && a->echo_nonce == b->echo_nonce && a->security == b->security
		&& a->nonce == b->nonce && a->n_records == b->n_records
		&& records_equal(a->records, b->records, a->n_records);
}

// Map-Register, Map-Notify, Map-Notify-Ack //////////////////////////////////

static bool
is_register_type(enum lisp_type type)
{
	return type == LISP_TYPE_MAP_REGISTER || type == LISP_TYPE_MAP_NOTIFY
		|| type == LISP_TYPE_MAP_NOTIFY_ACK;
}

int
lisp_map_register_decode(struct lisp_map_register *reg,
			 enum lisp_type type,
			 const uint8_t *buf,
			 size_t len)
{
	struct lisp_rd r = {.buf = buf, .len = len};
	const uint8_t *p;
	uint8_t count;
	int ret;

	memset(reg, 0, sizeof(*reg));
	if (!is_register_type(type))
		return -EINVAL;
	if ((p = lisp_rd_take(&r, LISP_MREG_HDR_LEN)) == NULL)
		return -EBADMSG;
	if (p[0] >> LISP_TYPE_SHIFT != type)
		return -EPROTO;
	if (type == LISP_TYPE_MAP_REGISTER) {
		reg->proxy_reply = p[0] & LISP_MREG_B0_P;
		reg->security = p[0] & LISP_MREG_B0_S;
		reg->xtr_id_present = p[0] & LISP_MREG_B0_I;
		reg->rtr = p[0] & LISP_MREG_B0_R;
		reg->want_map_notify = p[2] & LISP_MREG_B2_M;
	} else {
		reg->xtr_id_present = p[0] & LISP_MNOT_B0_I;
		reg->rtr = p[0] & LISP_MNOT_B0_R;
	}
	count = p[3];
	reg->nonce = lisp_get_u64(p + 4);
	reg->key_id = p[12];
	reg->alg_id = p[LISP_MREG_OFF_ALG_ID];
	reg->auth_len = lisp_get_u16(p + LISP_MREG_OFF_AUTH_LEN);
	if (reg->auth_len > LISP_AUTH_MAX_LEN)
		return -E2BIG;
	if ((p = lisp_rd_take(&r, reg->auth_len)) == NULL)
		return -EBADMSG;
	memcpy(reg->auth, p, reg->auth_len);
	if ((ret = rd_records(&r, reg->records, count)) < 0)
		return ret;
	reg->n_records = count;
	if (reg->xtr_id_present) {
		if ((p = lisp_rd_take(&r, LISP_XTR_ID_LEN + LISP_SITE_ID_LEN)) == NULL)
			return -EBADMSG;
		memcpy(reg->xtr_id, p, LISP_XTR_ID_LEN);
		reg->site_id = lisp_get_u64(p + LISP_XTR_ID_LEN);
	}
	return (int)r.off;
}

int
lisp_map_register_encode(const struct lisp_map_register *reg,
			 enum lisp_type type,
			 uint8_t *buf,
			 size_t size)
{
	struct lisp_wr w = {.buf = buf, .size = size};
	uint8_t *p;
	int ret;

	if (!is_register_type(type) || reg->auth_len > LISP_AUTH_MAX_LEN
	    || reg->n_records > LISP_MAX_RECORDS)
		return -EINVAL;
	if (type != LISP_TYPE_MAP_REGISTER
	    && (reg->proxy_reply || reg->security || reg->want_map_notify))
		return -EINVAL;
	if ((p = lisp_wr_take(&w, LISP_MREG_HDR_LEN + (size_t)reg->auth_len)) == NULL)
		return -EMSGSIZE;
	p[0] = (uint8_t)(type << LISP_TYPE_SHIFT);
	p[1] = 0;
	p[2] = 0;
	if (type == LISP_TYPE_MAP_REGISTER) {
		if (reg->proxy_reply)
			p[0] |= LISP_MREG_B0_P;
		if (reg->security)
			p[0] |= LISP_MREG_B0_S;
		if (reg->xtr_id_present)
			p[0] |= LISP_MREG_B0_I;
		if (reg->rtr)
			p[0] |= LISP_MREG_B0_R;
		if (reg->want_map_notify)
			p[2] |= LISP_MREG_B2_M;
	} else {
		if (reg->xtr_id_present)
			p[0] |= LISP_MNOT_B0_I;
		if (reg->rtr)
			p[0] |= LISP_MNOT_B0_R;
	}
	p[3] = reg->n_records;
	lisp_put_u64(p + 4, reg->nonce);
	p[12] = reg->key_id;
	p[LISP_MREG_OFF_ALG_ID] = reg->alg_id;
	lisp_put_u16(p + LISP_MREG_OFF_AUTH_LEN, reg->auth_len);
	memcpy(p + LISP_MREG_OFF_AUTH, reg->auth, reg->auth_len);
	if ((ret = wr_records(&w, reg->records, reg->n_records)) < 0)
		return ret;
	if (reg->xtr_id_present) {
		if ((p = lisp_wr_take(&w, LISP_XTR_ID_LEN + LISP_SITE_ID_LEN)) == NULL)
			return -EMSGSIZE;
		memcpy(p, reg->xtr_id, LISP_XTR_ID_LEN);
		lisp_put_u64(p + LISP_XTR_ID_LEN, reg->site_id);
	}
	return (int)w.off;
}

static bool
map_register_equal(const struct lisp_map_register *a, const struct lisp_map_register *b)
{
	if (a->proxy_reply != b->proxy_reply || a->security != b->security
	    || a->xtr_id_present != b->xtr_id_present || a->rtr != b->rtr
	    || a->want_map_notify != b->want_map_notify || a->nonce != b->nonce
	    || a->key_id != b->key_id || a->alg_id != b->alg_id || a->auth_len != b->auth_len
	    || a->auth_len > LISP_AUTH_MAX_LEN || memcmp(a->auth, b->auth, a->auth_len) != 0
	    || a->n_records != b->n_records || !records_equal(a->records, b->records, a->n_records))
		return false;
	if (!a->xtr_id_present)
		return true;
	return memcmp(a->xtr_id, b->xtr_id, LISP_XTR_ID_LEN) == 0 && a->site_id == b->site_id;
}

// Any message ///////////////////////////////////////////////////////////////

int
lisp_msg_type(const uint8_t *buf, size_t len)
{
	if (len < 1)
		return -EBADMSG;
	return buf[0] >> LISP_TYPE_SHIFT;
}

int
lisp_msg_decode(struct lisp_msg *msg, const uint8_t *buf, size_t len)
{
	int type = lisp_msg_type(buf, len);

	if (type < 0)
		return type;
	msg->type = (uint8_t)type;
	switch (type) {
	case LISP_TYPE_MAP_REQUEST:
		return lisp_map_request_decode(&msg->request, buf, len);
	case LISP_TYPE_MAP_REPLY:
		return lisp_map_reply_decode(&msg->reply, buf, len);
	case LISP_TYPE_MAP_REGISTER:
	case LISP_TYPE_MAP_NOTIFY:
	case LISP_TYPE_MAP_NOTIFY_ACK:
		return lisp_map_register_decode(&msg->reg, type, buf, len);
	case LISP_TYPE_ECM:
		return lisp_ecm_decode(&msg->ecm, buf, len);
	}
	return -EPROTONOSUPPORT;
}

int
lisp_msg_encode(const struct lisp_msg *msg, uint8_t *buf, size_t size)
{
	switch (msg->type) {
	case LISP_TYPE_MAP_REQUEST:
		return lisp_map_request_encode(&msg->request, buf, size);
	case LISP_TYPE_MAP_REPLY:
		return lisp_map_reply_encode(&msg->reply, buf, size);
	case LISP_TYPE_MAP_REGISTER:
	case LISP_TYPE_MAP_NOTIFY:
	case LISP_TYPE_MAP_NOTIFY_ACK:
		return lisp_map_register_encode(&msg->reg, msg->type, buf, size);
	case LISP_TYPE_ECM:
		return lisp_ecm_encode(&msg->ecm, buf, size);
	}
	return -EINVAL;
}

static bool
ecm_equal(const struct lisp_ecm *a, const struct lisp_ecm *b)
{
	const struct lisp_inner_hdr *x = &a->inner, *y = &b->inner;

	if (a->security != b->security || a->ddt != b->ddt || a->to_etr != b->to_etr
	    || a->to_ms != b->to_ms || !lisp_ip_equal(&x->src, &y->src)
	    || !lisp_ip_equal(&x->dst, &y->dst) || x->tos != y->tos || x->ttl != y->ttl
	    || x->sport != y->sport || x->dport != y->dport || a->msg_len != b->msg_len)
		return false;
	if (x->src.afi == LISP_AFI_IPV4 && (x->ip_id != y->ip_id || x->df != y->df))
		return false;
	if (x->src.afi == LISP_AFI_IPV6 && x->flow_label != y->flow_label)
		return false;
	return a->msg_len == 0 || memcmp(a->msg, b->msg, a->msg_len) == 0;
}

bool
lisp_msg_equal(const struct lisp_msg *a, const struct lisp_msg *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case LISP_TYPE_MAP_REQUEST:
		return map_request_equal(&a->request, &b->request);
	case LISP_TYPE_MAP_REPLY:
		return map_reply_equal(&a->reply, &b->reply);
	case LISP_TYPE_MAP_REGISTER:
	case LISP_TYPE_MAP_NOTIFY:
	case LISP_TYPE_MAP_NOTIFY_ACK:
		return map_register_equal(&a->reg, &b->reg);
	case LISP_TYPE_ECM:
		return ecm_equal(&a->ecm, &b->ecm);
	}
	return false;
}
