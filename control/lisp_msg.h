// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// LISP control messages (RFC 9301): their decoded form, and the codec between the wire and that
// form. No DPDK dependency, so the codec builds, tests and fuzzes without EAL.
//
// Decoding fills a caller-owned struct made of fixed arrays: no heap memory, nothing to free. It
// never reads outside [buf, buf + len), and it rejects anything it cannot represent: unknown AFIs
// and LCAF types, counts above the LISP_MAX_* limits, truncated or inconsistent lengths.
// Reserved bits are ignored on decode and sent as zero, so encode(decode(x)) equals x for messages
// that keep reserved bits at zero.
//
// The structs are large (struct lisp_msg is about 120 KiB): keep them static or on the heap, not on
// a worker's stack.
//
// Return values: decoders return the number of bytes consumed and encoders the number of bytes
// written, or a negative errno:
//   -EBADMSG          truncated or malformed input (lengths and counts that do not fit)
//   -EPROTO           the buffer holds another message type than the decoder expects
//   -EPROTONOSUPPORT  unknown message type, AFI, LCAF type or auth algorithm; nested LCAF
//   -E2BIG            a count above one of the LISP_MAX_* limits
//   -EINVAL           (encoders) the struct holds values the wire format cannot carry
//   -EMSGSIZE         (encoders) the output buffer is too small; its content is then unspecified

#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LISP_DATA_PORT 4341
#define LISP_CONTROL_PORT 4342

#define LISP_MAX_RECORDS 32 // EID records (Map-Request) or mapping records in one message
#define LISP_MAX_LOCATORS 32 // locator records in one mapping record
#define LISP_MAX_ITR_RLOCS 8 // ITR-RLOCs in one Map-Request (the wire allows 32)
#define LISP_MAX_AFI_LIST 4 // addresses in one AFI-list LCAF
#define LISP_AUTH_MAX_LEN 32 // authentication data: HMAC-SHA-256 is the longest
#define LISP_XTR_ID_LEN 16
#define LISP_MAP_VERSION_MAX 0x0fff // 12 bits
#define LISP_FLOW_LABEL_MAX 0xfffff // 20 bits
#define LISP_ADDR_STR_MAX 192 // lisp_addr_format() output for any valid address, with NUL

#define LISP_TTL_DECIDE 0xffffffff // record TTL: the receiver chooses

// Message types (the top 4 bits of byte 0).
enum lisp_type {
	LISP_TYPE_MAP_REQUEST = 1,
	LISP_TYPE_MAP_REPLY = 2,
	LISP_TYPE_MAP_REGISTER = 3,
	LISP_TYPE_MAP_NOTIFY = 4,
	LISP_TYPE_MAP_NOTIFY_ACK = 5,
	LISP_TYPE_ECM = 8,
};

// Address family identifiers. Only these decode; others are -EPROTONOSUPPORT.
enum lisp_afi {
	LISP_AFI_NONE = 0,
	LISP_AFI_IPV4 = 1,
	LISP_AFI_IPV6 = 2,
	LISP_AFI_LCAF = 16387,
};

// LCAF types. Only these decode; others are -EPROTONOSUPPORT.
enum lisp_lcaf_type {
	LISP_LCAF_NONE = 0, // in struct lisp_addr: a plain address (type 0 "Null" is not supported)
	LISP_LCAF_AFI_LIST = 1,
	LISP_LCAF_IID = 2,
};

// Record actions, meaningful only for negative records (no locators).
enum lisp_act {
	LISP_ACT_NO_ACTION = 0,
	LISP_ACT_NATIVE_FORWARD = 1,
	LISP_ACT_SEND_MAP_REQUEST = 2,
	LISP_ACT_DROP = 3,
	LISP_ACT_DROP_POLICY_DENIED = 4,
	LISP_ACT_DROP_AUTH_FAILURE = 5,
};

// Map-Register/Map-Notify authentication algorithm IDs.
enum lisp_auth_alg {
	LISP_AUTH_NONE = 0,
	LISP_AUTH_HMAC_SHA1_96 = 1, // 20 bytes on the wire
	LISP_AUTH_HMAC_SHA256_128 = 2, // 32 bytes on the wire
};

// A plain address: AFI 0 (no address), 1 (IPv4) or 2 (IPv6).
struct lisp_ip {
	uint16_t afi; // LISP_AFI_NONE, LISP_AFI_IPV4 or LISP_AFI_IPV6
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16]; // network byte order
	};
};

// An address as control messages carry it: plain, or one of the supported LCAFs. Nested LCAFs
// (an LCAF inside an instance-ID or an AFI-list) are not supported.
struct lisp_addr {
	uint8_t lcaf; // enum lisp_lcaf_type: LISP_LCAF_NONE for a plain address in ip
	uint8_t iid_mask_len; // LISP_LCAF_IID: IID mask length (the Rsvd2 byte), 0 unless ip.afi is 0
	uint8_t n_list; // LISP_LCAF_AFI_LIST: entries in list[], 1..LISP_MAX_AFI_LIST
	uint32_t iid; // LISP_LCAF_IID: the instance-ID
	struct lisp_ip ip; // LISP_LCAF_NONE: the address; LISP_LCAF_IID: the nested address
	struct lisp_ip list[LISP_MAX_AFI_LIST]; // LISP_LCAF_AFI_LIST
};

// A prefix: the mask length applies to the plain or nested address, never to the instance-ID.
// The codec does not check it against the address family: the mapping database does.
struct lisp_prefix {
	struct lisp_addr addr;
	uint8_t len;
};

struct lisp_locator {
	uint8_t priority; // lower is better, 255: never for unicast
	uint8_t weight;
	uint8_t mpriority; // multicast priority and weight, 255: not used
	uint8_t mweight;
	bool local; // L: the locator belongs to the message's sender
	bool probed; // p: the locator an RLOC-probe went to
	bool reachable; // R
	struct lisp_addr addr;
};

// A mapping record, as in Map-Reply, Map-Register and Map-Notify.
struct lisp_record {
	uint32_t ttl; // minutes; 0: remove, LISP_TTL_DECIDE: the receiver chooses
	uint8_t act; // enum lisp_act, 0..7; only meaningful when n_locators is 0
	bool authoritative; // A
	uint16_t version; // map-version, 0..LISP_MAP_VERSION_MAX; 0: none
	struct lisp_prefix eid;
	uint8_t n_locators; // 0: a negative record
	struct lisp_locator locators[LISP_MAX_LOCATORS];
};

// Map-Request (type 1).
struct lisp_map_request {
	bool authoritative; // A
	bool map_data; // M: mapping holds the sender's own mapping
	bool probe; // P: RLOC-probe
	bool smr; // S: solicit-Map-Request
	bool pitr; // p: sent by a PITR
	bool smr_invoked; // s: answers an SMR
	bool local_xtr; // L: sent by an xTR of the same site
	bool dont_map_reply; // D: the receiver must not answer
	uint64_t nonce;
	struct lisp_addr source_eid; // AFI 0 for refreshes and probes
	uint8_t n_itr_rlocs; // 1..LISP_MAX_ITR_RLOCS
	struct lisp_addr itr_rlocs[LISP_MAX_ITR_RLOCS];
	uint8_t n_eids; // 1..LISP_MAX_RECORDS
	struct lisp_prefix eids[LISP_MAX_RECORDS];
	struct lisp_record mapping; // only when map_data
};

// Map-Reply (type 2).
struct lisp_map_reply {
	bool probe; // P: answers an RLOC-probe
	bool echo_nonce; // E
	bool security; // S: LISP-SEC data follows the records (not decoded, not counted as consumed)
	uint64_t nonce;
	uint8_t n_records;
	struct lisp_record records[LISP_MAX_RECORDS];
};

// Map-Register (type 3), Map-Notify (type 4) and Map-Notify-Ack (type 5) share this layout. The
// flags marked "register" must stay false for the two others: their wire format has no room for
// them. Map-Notify's R bit announces NAT-traversal data after the records, which is not decoded.
struct lisp_map_register {
	bool proxy_reply; // P (register): the Map-Server answers Map-Requests itself
	bool security; // S (register): LISP-SEC capable
	bool xtr_id_present; // I: xtr_id and site_id follow the records
	bool rtr; // R: built for an RTR
	bool want_map_notify; // M (register)
	uint64_t nonce;
	uint8_t key_id;
	uint8_t alg_id; // enum lisp_auth_alg; not checked by the codec (lisp_auth_*() do)
	uint16_t auth_len; // 0..LISP_AUTH_MAX_LEN
	uint8_t auth[LISP_AUTH_MAX_LEN];
	uint8_t n_records;
	struct lisp_record records[LISP_MAX_RECORDS];
	uint8_t xtr_id[LISP_XTR_ID_LEN]; // when xtr_id_present
	uint64_t site_id; // when xtr_id_present
};

// The inner IP and UDP headers of an ECM. Lengths and checksums are not kept: encoding computes
// them. IPv4 options are skipped on decode; fragments and IPv6 extension headers are rejected.
struct lisp_inner_hdr {
	struct lisp_ip src; // LISP_AFI_IPV4 or LISP_AFI_IPV6, the same family as dst
	struct lisp_ip dst; // the queried EID
	uint8_t tos; // IPv4 TOS or IPv6 traffic class
	uint8_t ttl; // IPv4 TTL or IPv6 hop limit
	uint16_t ip_id; // IPv4 only
	bool df; // IPv4 only: don't fragment
	uint32_t flow_label; // IPv6 only, 0..LISP_FLOW_LABEL_MAX
	uint16_t sport; // the port the reply goes to
	uint16_t dport; // normally LISP_CONTROL_PORT
};

// Encapsulated Control Message (type 8).
struct lisp_ecm {
	bool security; // S: LISP-SEC
	bool ddt; // D: DDT-originated
	bool to_etr; // E: a Map-Server forwarding to an ETR
	bool to_ms; // M: a Map-Resolver forwarding to a Map-Server
	struct lisp_inner_hdr inner;
	// The inner LISP message (the inner UDP payload). After decoding it points into the decoded
	// buffer; decode it in turn with lisp_msg_decode().
	const uint8_t *msg;
	uint16_t msg_len;
};

// Any supported message.
struct lisp_msg {
	uint8_t type; // enum lisp_type: selects the union member
	union {
		struct lisp_map_request request; // LISP_TYPE_MAP_REQUEST
		struct lisp_map_reply reply; // LISP_TYPE_MAP_REPLY
		struct lisp_map_register reg; // Map-Register, Map-Notify, Map-Notify-Ack
		struct lisp_ecm ecm; // LISP_TYPE_ECM
	};
};

// Addresses (lisp_addr.c). lisp_addr_decode() reads an AFI and what follows it.
int lisp_addr_decode(struct lisp_addr *addr, const uint8_t *buf, size_t len);
int lisp_addr_encode(const struct lisp_addr *addr, uint8_t *buf, size_t size);
// Encoded size of an address, or -EINVAL.
int lisp_addr_len(const struct lisp_addr *addr);
// Compares only the fields that the address kind uses.
bool lisp_addr_equal(const struct lisp_addr *a, const struct lisp_addr *b);
// Text form as tshark writes it: "10.1.0.1", "[5] 240.2.0.1", "(192.0.2.1, 2001:db8::1)",
// "none". snprintf() semantics: returns the length of the full text, or -EINVAL.
int lisp_addr_format(char *buf, size_t size, const struct lisp_addr *addr);

// The type of the message in buf (enum lisp_type or another 4-bit value), or -EBADMSG if empty.
int lisp_msg_type(const uint8_t *buf, size_t len);

// Any supported message type (lisp_msg.c, lisp_ecm.c).
int lisp_msg_decode(struct lisp_msg *msg, const uint8_t *buf, size_t len);
int lisp_msg_encode(const struct lisp_msg *msg, uint8_t *buf, size_t size);
// Compares the decoded content (ignores unused array entries and fields, compares ECM inner
// messages by content), so decode(encode(m)) is equal to m.
bool lisp_msg_equal(const struct lisp_msg *a, const struct lisp_msg *b);
bool lisp_record_equal(const struct lisp_record *a, const struct lisp_record *b);

// One message type each; a buffer holding another type gives -EPROTO.
int lisp_map_request_decode(struct lisp_map_request *req, const uint8_t *buf, size_t len);
int lisp_map_request_encode(const struct lisp_map_request *req, uint8_t *buf, size_t size);
int lisp_map_reply_decode(struct lisp_map_reply *rep, const uint8_t *buf, size_t len);
int lisp_map_reply_encode(const struct lisp_map_reply *rep, uint8_t *buf, size_t size);
// type: LISP_TYPE_MAP_REGISTER, LISP_TYPE_MAP_NOTIFY or LISP_TYPE_MAP_NOTIFY_ACK (else -EINVAL).
int lisp_map_register_decode(
	struct lisp_map_register *reg,
	enum lisp_type type,
	const uint8_t *buf,
	size_t len
);
int lisp_map_register_encode(
	const struct lisp_map_register *reg,
	enum lisp_type type,
	uint8_t *buf,
	size_t size
);
int lisp_ecm_decode(struct lisp_ecm *ecm, const uint8_t *buf, size_t len);
int lisp_ecm_encode(const struct lisp_ecm *ecm, uint8_t *buf, size_t size);

// Authentication of encoded Map-Register, Map-Notify and Map-Notify-Ack messages (lisp_auth.c):
// HMAC over the whole message (len bytes from the type byte, so pass the exact message length)
// with the authentication data zeroed. The algorithm ID (byte 13) selects the hash, and the
// authentication data length (bytes 14-15) must match it: 20 for SHA-1, 32 for SHA-256.

// Authentication data length of an algorithm: 0, 20 or 32, or -EPROTONOSUPPORT.
int lisp_auth_len(enum lisp_auth_alg alg);
// Fills in the authentication data. A no-op for LISP_AUTH_NONE.
int lisp_auth_sign(uint8_t *msg, size_t len, const void *key, size_t key_len);
// 0 if the authentication data is right, -EACCES if not (or if the algorithm is LISP_AUTH_NONE);
// -EBADMSG, -EPROTO, -EPROTONOSUPPORT or -ENOMEM if the check could not be made. The comparison
// runs in constant time.
int lisp_auth_verify(const uint8_t *msg, size_t len, const void *key, size_t key_len);
