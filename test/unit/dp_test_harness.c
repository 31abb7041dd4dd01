// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// See dp_test_harness.h. The tests drive the data plane's real stages (dp_local_*, dp_etr,
// dp_itr_burst) on crafted mbufs, the way the worker loop dispatches them, without launching a
// worker or polling a port.

#include "dp_test_harness.h"

#include <arpa/inet.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_udp.h>

struct dpt dpt;
struct dp_wctx dpt_wc;

static char runtime_dir[PATH_MAX];
static unsigned pool_base; // mbufs in use when the test started

// lisp-protocol.md §5.1 vector (a), from the outer IP header: UDP source port 54321, nonce
// 0x123456.
const uint8_t dpt_vec_a[DPT_VEC_A_LEN] = {
	// Outer IPv4: length 68, DF, TTL 63, UDP, checksum 0x4f72, 192.0.2.1 -> 198.51.100.2.
	0x45, 0x00, 0x00, 0x44, 0x00, 0x00, 0x40, 0x00, 0x3f, 0x11, 0x4f, 0x72,
	0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
	// UDP 54321 -> 4341, length 48, checksum 0.
	0xd4, 0x31, 0x10, 0xf5, 0x00, 0x30, 0x00, 0x00,
	// LISP: N L I, nonce 0x123456, IID 0, LSBs 0x01.
	0xc8, 0x12, 0x34, 0x56, 0x00, 0x00, 0x00, 0x01,
	// Inner IPv4: length 32, id 1, TTL 63, ICMP, checksum 0x81d7, 10.1.0.1 -> 240.2.0.1.
	0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x3f, 0x01, 0x81, 0xd7,
	0x0a, 0x01, 0x00, 0x01, 0xf0, 0x02, 0x00, 0x01,
	// ICMP echo request, checksum 0x4631, id 0x1234, seq 1, "LISP".
	0x08, 0x00, 0x46, 0x31, 0x12, 0x34, 0x00, 0x01, 0x4c, 0x49, 0x53, 0x50,
};

// --- EAL ---

int
dpt_eal_init(const char *name, const char *argv0)
{
	static char prefix[64], arg0[PATH_MAX];
	char *eal_argv[] = {
		arg0,
		"--no-huge",
		"-m",
		"512",
		"--no-shconf",
		"--no-pci",
		"--no-telemetry",
		"--lcores=0",
		"--log-level=lib.eal:warning",
		"--log-level=pmd.net.null:warning",
		"--vdev=net_null0",
		"--vdev=net_null1",
		"--vdev=net_null2",
		"--file-prefix",
		prefix,
	};

	snprintf(arg0, sizeof(arg0), "%s", argv0);
	snprintf(prefix, sizeof(prefix), "dxtr_%s_%d", name, (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv), eal_argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return -1;
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	return 0;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
dpt_eal_fini(void)
{
	rte_eal_cleanup();
	if (runtime_dir[0] != '\0')
		nftw(runtime_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

// --- Addresses and entries ---

uint32_t
dpt_ip4(const char *s)
{
	uint32_t a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

void
dpt_ip6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

struct mc_prefix
dpt_pfx(const char *addr, unsigned len)
{
	struct mc_prefix p = {.len = (uint8_t)len};

	if (strchr(addr, ':') != NULL) {
		p.af = AF_INET6;
		dpt_ip6(addr, p.addr);
	} else {
		uint32_t a = dpt_ip4(addr);
		p.af = AF_INET;
		memcpy(p.addr, &a, 4);
	}
	return p;
}

void
dpt_loc(struct mc_locator_spec *l, const char *rloc, int nh)
{
	memset(l, 0, sizeof(*l));
	l->priority = 1;
	l->weight = 100;
	l->usable = true;
	assert_true(nh >= 0);
	l->nh = (uint16_t)nh;
	if (strchr(rloc, ':') != NULL) {
		l->af = AF_INET6;
		dpt_ip6(rloc, l->rloc);
		dpt_ip6(DPT_ITR6, l->src);
	} else {
		uint32_t d = dpt_ip4(rloc), s = dpt_ip4(DPT_ITR4);
		l->af = AF_INET;
		memcpy(l->rloc, &d, 4);
		memcpy(l->src, &s, 4);
	}
}

void
dpt_add(struct mc *mc, uint32_t iid, const char *addr, unsigned len,
	const struct mc_entry_spec *s)
{
	struct mc_prefix p = dpt_pfx(addr, len);

	assert_int_equal(mc_add(mc, iid, &p, s), 0);
}

// --- Data plane set-up ---

static unsigned
add_port(const char *name, const char *dev, enum dp_port_role role, uint32_t iid,
	 const char *const *ip4, unsigned n4, const char *const *ip6, unsigned n6)
{
	struct dp_port_conf pc = {
		.name = name,
		.device = dev,
		.role = role,
		.iid = iid,
		.mtu = 1500,
		.rx_desc = 64,
		.tx_desc = 64,
	};
	char err[256] = "";
	int ret;

	for (unsigned i = 0; i < n4; i++)
		pc.ip4[pc.n_ip4++] = dpt_ip4(ip4[i]);
	for (unsigned i = 0; i < n6; i++)
		dpt_ip6(ip6[i], pc.ip6[pc.n_ip6++]);
	ret = dp_port_add(&pc, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "dp_port_add %s: %s\n", name, err);
	assert_true(ret >= 0);
	return (unsigned)ret;
}

static struct mc *
small_mc(void)
{
	struct mc_conf c = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = 100,
		.max_tables = 8,
		.v4_tbl8 = 100, // 1-byte next hops: a 16 MB tbl24 per IPv4 table
		.v6_tbl8 = 256,
		.defer_size = 64,
		.qsv = dp_rcu(),
	};
	struct mc *mc = mc_create(&c);

	assert_non_null(mc);
	return mc;
}

// A next hop on the RLOC port, resolved to mac (NULL: left unresolved).
static int
rloc_nh(const char *addr, const struct rte_ether_addr *mac)
{
	struct mc_prefix p = dpt_pfx(addr, 0);
	int nh = dp_nh_get(dpt.rloc, p.af, p.addr);

	assert_true(nh >= 0);
	if (mac != NULL)
		dp_nh_set_mac((uint32_t)nh, mac);
	return nh;
}

static void
default_lisp(void)
{
	dp.lisp = (struct dp_lisp_conf){
		.path_mtu = DPT_PATH_MTU,
		.udp_csum6 = true,
		.miss_rate = 1000,
		.icmp_rate = 1000,
		.native_nh4 = DP_NH_NONE,
		.native_nh6 = DP_NH_NONE,
	};
}

int
dpt_group_setup(void **state)
{
	static const char *const eid0_4[] = {"10.1.0.254"}, *const eid0_6[] = {"2001:db8:a::fe"};
	static const char *const eid7_4[] = {"10.7.0.254"}, *const eid7_6[] = {"2001:db8:7::fe"};
	static const char *const rloc4[] = {DPT_ITR4, DPT_ETR4};
	static const char *const rloc6[] = {DPT_ITR6, DPT_ETR6};
	struct dp_init_conf ic = {
		.n_workers = 1,
		.worker_lcores = {rte_lcore_id()},
		.n_mbufs = 2047,
		.burst = 32,
	};
	struct dp_lisp_conf lc = {
		.path_mtu = DPT_PATH_MTU,
		.udp_csum6 = true,
		.miss_rate = 1000,
		.icmp_rate = 1000,
		.native_nh4 = DP_NH_NONE,
		.native_nh6 = DP_NH_NONE,
	};
	void (*setup)(void) = dpt.setup;

	(void)state;
	memset(&dpt, 0, sizeof(dpt));
	dpt.setup = setup;
	assert_int_equal(dp_init(&ic), 0);
	dpt.eid0 = add_port("eid0", "net_null0", DP_ROLE_EID, 0, eid0_4, 1, eid0_6, 1);
	dpt.eid7 = add_port("eid7", "net_null1", DP_ROLE_EID, 7, eid7_4, 1, eid7_6, 1);
	dpt.rloc = add_port("rloc", "net_null2", DP_ROLE_RLOC, 0, rloc4, 2, rloc6, 2);
	dpt.mc = small_mc();
	dpt.db = small_mc();
	assert_int_equal(dp_set_lisp(&lc, dpt.mc, dpt.db), 0);
	assert_non_null(dp.workers[0].mc_reader);

	dpt.nh4_mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x02}};
	dpt.nh6_mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x06}};
	dpt.host_mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	dpt.nh4 = rloc_nh(DPT_ETR4, &dpt.nh4_mac);
	dpt.nh6 = rloc_nh(DPT_ETR6, &dpt.nh6_mac);
	dpt.nh4_unresolved = rloc_nh(DPT_ETR4_UNRESOLVED, NULL);
	if (dpt.setup != NULL)
		dpt.setup();
	return 0;
}

int
dpt_group_teardown(void **state)
{
	(void)state;
	mc_destroy(dpt.mc);
	mc_destroy(dpt.db);
	dpt.mc = dpt.db = NULL;
	dp_fini();
	return 0;
}

int
dpt_test_setup(void **state)
{
	uint64_t now = rte_rdtsc();

	(void)state;
	default_lisp();
	// As the worker sets its context up (dp_worker.c), for one worker.
	memset(&dpt_wc, 0, sizeof(dpt_wc));
	dpt_wc.w = &dp.workers[0];
	dpt_wc.rng = (now ^ ((uint64_t)dp.workers[0].lcore << 32)) | 1;
	dpt_wc.miss_bucket.rate = dp.lisp.miss_rate;
	dpt_wc.icmp_bucket.rate = dp.lisp.icmp_rate;
	dpt_wc.miss_bucket.last_tsc = dpt_wc.icmp_bucket.last_tsc = now;
	dpt_wc.miss_bucket.tokens = dpt_wc.miss_bucket.rate * DP_BUCKET_SCALE;
	dpt_wc.icmp_bucket.tokens = dpt_wc.icmp_bucket.rate * DP_BUCKET_SCALE;
	dpt_wc.mc_reader = dp.workers[0].mc_reader;
	pool_base = rte_mempool_in_use_count(dp.pool);
	assert_int_not_equal(dpt_wc.rng, 0);
	assert_non_null(dpt_wc.mc_reader);
	return 0;
}

void
dpt_wc_reset(void)
{
	for (unsigned p = 0; p < dp.n_ports; p++) {
		rte_pktmbuf_free_bulk(dpt_wc.tx[p].pkts, dpt_wc.tx[p].n);
		dpt_wc.tx[p].n = 0;
	}
	for (unsigned i = 0; i < dpt_wc.n_punt; i++)
		rte_pktmbuf_free(dpt_wc.punt[i].m);
	dpt_wc.n_punt = 0;
	dpt_wc.acc = (struct dp_acc){0};
}

int
dpt_test_teardown(void **state)
{
	(void)state;
	dpt_wc_reset();
	default_lisp();
	// Every mbuf a test allocated went out, was punted or was freed by the data plane.
	assert_int_equal(rte_mempool_in_use_count(dp.pool), pool_base);
	return 0;
}

// --- Driving the data plane ---

void
dpt_rx(unsigned port, struct rte_mbuf *m)
{
	const struct dp_port *p = &dp.ports[port];
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct dp_acc *acc = &dpt_wc.acc;
	enum dp_verdict v = DP_DROP;
	struct dp_l3 l3 = {0};
	uint16_t reason = 0;

	// The worker's classification (dp_worker.c: classify, rx_burst) for one frame.
	assert_true(rte_pktmbuf_data_len(m) >= sizeof(*eth));
	if (!rte_is_same_ether_addr(&eth->dst_addr, &p->mac) &&
	    !rte_is_multicast_ether_addr(&eth->dst_addr))
		dp_acc_drop(acc, DP_DROP_NOT_FOR_US, 1);
	else if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		v = dp_local_arp(p, m, acc, &reason);
	else if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		v = dp_local_ip4(p, m, acc, &reason, &l3);
	else if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6))
		v = dp_local_ip6(p, m, acc, &reason, &l3);
	else
		dp_acc_drop(acc, DP_DROP_ETHERTYPE, 1);
	switch (v) {
	case DP_TX:
		dp_tx(&dpt_wc, port, m);
		break;
	case DP_PUNT:
		dp_punt(&dpt_wc, m, reason, (uint16_t)port, 0);
		break;
	case DP_TRANSIT:
		dp_itr_burst(&dpt_wc, port, &m, 1);
		break;
	case DP_LISP_DATA:
		if (dp_etr(&dpt_wc, port, m, &l3) == DP_DROP)
			rte_pktmbuf_free(m);
		break;
	case DP_DROP:
		rte_pktmbuf_free(m);
		break;
	case DP_CONSUMED:
		break;
	}
}

void
dpt_itr(unsigned port, struct rte_mbuf *m)
{
	dp_itr_burst(&dpt_wc, port, &m, 1);
}

// --- Builders ---

size_t
dpt_build_ip4(
	uint8_t *buf,
	const char *src,
	const char *dst,
	uint8_t proto,
	uint8_t ttl,
	uint8_t tos,
	uint16_t id,
	uint16_t frag,
	const void *l4,
	size_t l4_len
)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)buf;

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = tos;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_len));
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = rte_cpu_to_be_16(frag);
	ip->time_to_live = ttl;
	ip->next_proto_id = proto;
	ip->src_addr = dpt_ip4(src);
	ip->dst_addr = dpt_ip4(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (l4_len > 0)
		memcpy(ip + 1, l4, l4_len);
	return sizeof(*ip) + l4_len;
}

size_t
dpt_build_ip6(
	uint8_t *buf,
	const char *src,
	const char *dst,
	uint8_t proto,
	uint8_t hop,
	uint8_t tc,
	const void *l4,
	size_t l4_len
)
{
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)buf;

	memset(ip6, 0, sizeof(*ip6));
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)tc << 20 | 0x12345);
	ip6->payload_len = rte_cpu_to_be_16((uint16_t)l4_len);
	ip6->proto = proto;
	ip6->hop_limits = hop;
	dpt_ip6(src, ip6->src_addr);
	dpt_ip6(dst, ip6->dst_addr);
	if (l4_len > 0)
		memcpy(ip6 + 1, l4, l4_len);
	return sizeof(*ip6) + l4_len;
}

size_t
dpt_build_udp(uint8_t *buf, uint16_t sport, uint16_t dport, size_t n, uint8_t seed)
{
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)buf;

	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + n));
	udp->dgram_cksum = 0;
	for (size_t i = 0; i < n; i++)
		buf[sizeof(*udp) + i] = (uint8_t)(seed + i * 7);
	return sizeof(*udp) + n;
}

struct rte_mbuf *
dpt_frame(const struct rte_ether_addr *dst, uint16_t type, const void *l3, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	struct rte_ether_hdr *eth;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, (uint16_t)(sizeof(*eth) + len));
	assert_non_null(eth);
	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(&dpt.host_mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(type);
	memcpy(eth + 1, l3, len);
	return m;
}

// --- Checks ---

unsigned
dpt_n_tx(void)
{
	unsigned n = 0;

	for (unsigned p = 0; p < DP_MAX_PORTS; p++)
		n += dpt_wc.tx[p].n;
	return n;
}

struct rte_mbuf *
dpt_take_tx(unsigned port)
{
	struct rte_mbuf *m;

	assert_int_equal(dpt_n_tx(), 1);
	assert_int_equal(dpt_wc.tx[port].n, 1);
	m = dpt_wc.tx[port].pkts[0];
	dpt_wc.tx[port].n = 0;
	return m;
}

void
dpt_assert_acc(int drop, int stat)
{
	for (int i = 0; i < DP_DROP_MAX; i++) {
		if (dpt_wc.acc.drops[i] != (i == drop ? 1u : 0u))
			print_error("drop %s: %u\n", dp_drop_name(i), dpt_wc.acc.drops[i]);
		assert_int_equal(dpt_wc.acc.drops[i], i == drop ? 1 : 0);
	}
	for (int i = 0; i < DP_STAT_MAX; i++) {
		if (dpt_wc.acc.stats[i] != (i == stat ? 1u : 0u))
			print_error("stat %s: %u\n", dp_stat_name(i), dpt_wc.acc.stats[i]);
		assert_int_equal(dpt_wc.acc.stats[i], i == stat ? 1 : 0);
	}
}

void
dpt_assert_dropped(enum dp_drop drop)
{
	dpt_assert_acc((int)drop, -1);
	assert_int_equal(dpt_n_tx(), 0);
	assert_int_equal(dpt_wc.n_punt, 0);
}

const struct dp_punt *
dpt_assert_punted(uint16_t reason, uint16_t port, uint32_t arg)
{
	const struct dp_punt *pk = &dpt_wc.punt[0];

	assert_int_equal(dpt_n_tx(), 0);
	assert_int_equal(dpt_wc.n_punt, 1);
	assert_int_equal(pk->reason, reason);
	assert_int_equal(pk->port, port);
	assert_int_equal(pk->arg, arg);
	assert_non_null(pk->m);
	return pk;
}

bool
dpt_ip4_cksum_ok(const void *ip)
{
	const struct rte_ipv4_hdr *h = ip;

	return rte_raw_cksum(h, rte_ipv4_hdr_len(h)) == 0xffff;
}
