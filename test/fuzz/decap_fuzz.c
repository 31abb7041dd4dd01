// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// libFuzzer target for the worker's per-frame path (dataplane/): every input is a frame (from
// its Ethernet header) that is received once on the RLOC port and once on an EID port and goes
// through dp_rx_burst as the worker loop runs it: classification, the router's own answers
// (ARP, ICMP echo, ND, ICMPv6 echo), the ETR (decap.c) on LISP data for our RLOCs, and the ITR
// (encap.c: map-cache hits, negative entries, misses, fragmentation, ICMP errors) on site
// traffic. Then everything the worker queued for TX or punted to control is checked and freed.
// When its IPv4 header checksums (outer and inner) or a LISP UDP checksum are wrong, the frame
// goes through both ports a second time with them made right, so that mutated headers get past
// the checksum checks to the logic behind them.
//
// EAL runs once (LLVMFuzzerInitialize): --no-huge, three net_null ports, its own file prefix
// fuzz-<pid> whose runtime directory is removed at exit. The set-up is the one of
// test/unit/dp_test_harness.h, plus negative, pending and unresolved map-cache entries:
//	eid0 (net_null0): EID, IID 0, 10.1.0.254, 2001:db8:a::fe
//	eid7 (net_null1): EID, IID 7, 10.7.0.254, 2001:db8:7::fe
//	rloc (net_null2): RLOC, 192.0.2.1, 198.51.100.2, 2001:db8:1::1, 2001:db8:2::2
//	every port's MAC is 02:00:00:00:00:fe (the seeds' destination)
// Database (ETR): 240.2.0.0/16 and 2001:db8:b::/48 in IID 0, 240.7.0.0/16 and 2001:db8:77::/48
// in IID 7, hosts 240.2.0.1 and 2001:db8:b::1 resolved on eid0, 240.2.0.8 not.
// Map-cache (ITR, IID 0, and the same in IID 7): see mc_setup().
//
// Oracles: no sanitizer report, with the tailroom of the received mbuf poisoned so that a read
// past the frame's end is one; every frame queued for TX is a sane single-segment mbuf that
// fits its port's MTU, starts with our MAC and, for IP, has a valid IPv4 header checksum and IP
// lengths that match the frame; what eid0's frames make leave by rloc is an encapsulation (UDP
// 4341, lengths, IPv6 UDP checksum; native forwarding's next hop is on eid7 for that); punted
// frames have a known reason and port; no mbuf of the pool stays in use after the input (the
// data plane frees what it drops).

#include <arpa/inet.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanitizer/asan_interface.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_priv.h"
#include "lisp_hdr.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MTU 1500
#define PORT_MAC {{0x02, 0, 0, 0, 0, 0xfe}}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char runtime_dir[PATH_MAX];
static unsigned eid0, eid7, rloc;
static struct dp_wctx wc;
static unsigned pool_base;
static bool verbose; // DECAP_FUZZ_VERBOSE set: what each frame did (what a seed reaches)

// EAL ----------------------------------------------------------------------------------------

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
remove_runtime_dir(void)
{
	if (runtime_dir[0] != '\0')
		nftw(runtime_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void
eal_init(void)
{
	static char arg0[] = "decap_fuzz", lcores[64], prefix[64];
	char *argv[] = {
		arg0,
		"--no-huge",
		"-m",
		"256",
		"--no-shconf",
		"--no-pci",
		"--no-telemetry",
		"--log-level=*:error",
		"--vdev=net_null0",
		"--vdev=net_null1",
		"--vdev=net_null2",
		"--lcores",
		lcores,
		"--file-prefix",
		prefix,
	};
	cpu_set_t cpus;
	int cpu = 0;

	// EAL pins the main thread to its lcore's CPU: take one we may run on, and give the
	// process its whole set back afterwards (parallel fuzzing jobs would share one CPU).
	CHECK(sched_getaffinity(0, sizeof(cpus), &cpus) == 0);
	while (cpu < CPU_SETSIZE - 1 && !CPU_ISSET(cpu, &cpus))
		cpu++;
	snprintf(lcores, sizeof(lcores), "0@%d", cpu);
	snprintf(prefix, sizeof(prefix), "fuzz-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		abort();
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(remove_runtime_dir);
	CHECK(pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus) == 0);
}

// Data plane ---------------------------------------------------------------------------------

static uint32_t
ip4(const char *s)
{
	uint32_t a;

	CHECK(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

static struct mc_prefix
fz_pfx(const char *addr, unsigned len)
{
	struct mc_prefix p = {.len = (uint8_t)len};

	if (strchr(addr, ':') != NULL) {
		p.af = AF_INET6;
		CHECK(inet_pton(AF_INET6, addr, p.addr) == 1);
	} else {
		p.af = AF_INET;
		CHECK(inet_pton(AF_INET, addr, p.addr) == 1);
	}
	return p;
}

static unsigned
add_port(const char *name, const char *dev, enum dp_port_role role, uint32_t iid,
	 const char *const *a4, unsigned n4, const char *const *a6, unsigned n6)
{
	static const struct rte_ether_addr mac = PORT_MAC;
	struct dp_port_conf pc = {
		.name = name,
		.device = dev,
		.role = role,
		.iid = iid,
		.mtu = MTU,
		.rx_desc = 64,
		.tx_desc = 64,
	};
	char err[256] = "";
	int ret;

	for (unsigned i = 0; i < n4; i++)
		pc.ip4[pc.n_ip4++] = ip4(a4[i]);
	for (unsigned i = 0; i < n6; i++)
		CHECK(inet_pton(AF_INET6, a6[i], pc.ip6[pc.n_ip6++]) == 1);
	ret = dp_port_add(&pc, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "dp_port_add %s: %s\n", name, err);
		abort();
	}
	// One MAC for every port, so that one frame is for us wherever it arrives.
	dp.ports[ret].mac = mac;
	return (unsigned)ret;
}

static struct mc *
small_mc(void)
{
	struct mc_conf c = {
		.socket_id = SOCKET_ID_ANY,
		.max_entries = 100,
		.max_tables = 8,
		.v4_tbl8 = 100,
		.v6_tbl8 = 256,
		.defer_size = 64,
		.qsv = dp_rcu(),
	};
	struct mc *mc = mc_create(&c);

	CHECK(mc != NULL);
	return mc;
}

// A next hop on port, resolved to a MAC ending in mac_lsb (0: left unresolved).
static int
fz_nh(unsigned port, const char *addr, uint8_t mac_lsb)
{
	struct mc_prefix p = fz_pfx(addr, 0);
	int idx = dp_nh_get(port, p.af, p.addr);

	CHECK(idx >= 0);
	if (mac_lsb != 0) {
		struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0x01, mac_lsb}};
		dp_nh_set_mac((uint32_t)idx, &mac);
	}
	return idx;
}

static void
fz_loc(struct mc_locator_spec *l, const char *rloc_addr, int nh_idx, bool usable)
{
	struct mc_prefix d = fz_pfx(rloc_addr, 0);
	struct mc_prefix s = fz_pfx(d.af == AF_INET ? "192.0.2.1" : "2001:db8:1::1", 0);

	*l = (struct mc_locator_spec){
		.af = d.af,
		.priority = 1,
		.weight = 50,
		.usable = usable,
		.nh = (uint16_t)nh_idx,
	};
	memcpy(l->rloc, d.addr, 16);
	memcpy(l->src, s.addr, 16);
}

static void
fz_add(struct mc *mc, uint32_t iid, const char *addr, unsigned len, const struct mc_entry_spec *s)
{
	struct mc_prefix p = fz_pfx(addr, len);

	CHECK(mc_add(mc, iid, &p, s) == 0);
}

// The ITR's map-cache, the same in IIDs 0 and 7:
//	10.2.0.0/16, 2001:db8:c::/48  encap: 198.51.100.2 and 2001:db8:2::2 (both resolved)
//	10.3.0.0/16, 2001:db8:d::/48  encap to 198.51.100.99 (next hop unresolved), I and L bits
//	10.4.0.0/16                   drop (ICMP unreachable)
//	10.5.0.0/16, 2001:db8:e::/48  natively-forward (default routes' next hops)
//	10.6.0.0/16                   pending (a Map-Request in flight)
//	10.8.0.0/16                   drop, policy-denied (ICMP prohibited)
//	10.9.0.0/16                   encap, its only locator down (no locator)
//	10.10.0.0/16                  send-map-request
//	anything else                 a miss
static void
mc_setup(struct mc *mc, int nh4, int nh6, int nh4_unresolved)
{
	static const uint32_t iids[] = {0, 7};
	struct mc_entry_spec s;

	for (unsigned i = 0; i < RTE_DIM(iids); i++) {
		uint32_t iid = iids[i];

		s = (struct mc_entry_spec){.action = MC_ACT_ENCAP, .tmpl_flags = MC_TMPL_NONCE,
					   .n_locators = 2};
		fz_loc(&s.loc[0], "198.51.100.2", nh4, true);
		fz_loc(&s.loc[1], "2001:db8:2::2", nh6, true);
		fz_add(mc, iid, "10.2.0.0", 16, &s);
		fz_add(mc, iid, "2001:db8:c::", 48, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_ENCAP,
					   .tmpl_flags = MC_TMPL_NONCE | MC_TMPL_LSB | MC_TMPL_IID,
					   .lsbs = 0x3,
					   .n_locators = 1};
		fz_loc(&s.loc[0], "198.51.100.99", nh4_unresolved, true);
		fz_add(mc, iid, "10.3.0.0", 16, &s);
		fz_add(mc, iid, "2001:db8:d::", 48, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_DROP};
		fz_add(mc, iid, "10.4.0.0", 16, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_NATIVE_FWD};
		fz_add(mc, iid, "10.5.0.0", 16, &s);
		fz_add(mc, iid, "2001:db8:e::", 48, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_PENDING};
		fz_add(mc, iid, "10.6.0.0", 16, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_DROP_POLICY};
		fz_add(mc, iid, "10.8.0.0", 16, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_ENCAP, .n_locators = 1};
		fz_loc(&s.loc[0], "198.51.100.2", nh4, false);
		fz_add(mc, iid, "10.9.0.0", 16, &s);
		s = (struct mc_entry_spec){.action = MC_ACT_SEND_MAP_REQUEST};
		fz_add(mc, iid, "10.10.0.0", 16, &s);
	}
}

static void
db_setup(struct mc *db)
{
	struct mc_entry_spec s = {.action = MC_ACT_NO_ACTION};

	fz_add(db, 0, "240.2.0.0", 16, &s);
	fz_add(db, 0, "2001:db8:b::", 48, &s);
	fz_add(db, 7, "240.7.0.0", 16, &s);
	fz_add(db, 7, "2001:db8:77::", 48, &s);
	fz_nh(eid0, "240.2.0.1", 0xb1);
	fz_nh(eid0, "2001:db8:b::1", 0xb6);
	fz_nh(eid7, "240.7.0.1", 0x71);
	fz_nh(eid7, "2001:db8:77::1", 0x76);
	fz_nh(eid0, "240.2.0.8", 0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const eid0_4[] = {"10.1.0.254"}, *const eid0_6[] = {"2001:db8:a::fe"};
	static const char *const eid7_4[] = {"10.7.0.254"}, *const eid7_6[] = {"2001:db8:7::fe"};
	static const char *const rloc4[] = {"192.0.2.1", "198.51.100.2"};
	static const char *const rloc6[] = {"2001:db8:1::1", "2001:db8:2::2"};
	struct dp_init_conf ic = {.n_workers = 1, .n_mbufs = 2047, .burst = 32};
	struct dp_lisp_conf lc = {
		.path_mtu = MTU,
		.udp_csum6 = true,
		.miss_rate = 1,
		.icmp_rate = 1,
		.native_nh4 = DP_NH_NONE,
		.native_nh6 = DP_NH_NONE,
	};
	struct mc *mc, *db;
	int nh4, nh6, nh4_unresolved;

	(void)argc;
	(void)argv;
	eal_init();
	ic.worker_lcores[0] = rte_lcore_id();
	CHECK(dp_init(&ic) == 0);
	eid0 = add_port("eid0", "net_null0", DP_ROLE_EID, 0, eid0_4, 1, eid0_6, 1);
	eid7 = add_port("eid7", "net_null1", DP_ROLE_EID, 7, eid7_4, 1, eid7_6, 1);
	rloc = add_port("rloc", "net_null2", DP_ROLE_RLOC, 0, rloc4, 2, rloc6, 2);
	nh4 = fz_nh(rloc, "198.51.100.2", 0x02);
	nh6 = fz_nh(rloc, "2001:db8:2::2", 0x06);
	nh4_unresolved = fz_nh(rloc, "198.51.100.99", 0);
	// Native forwarding: the IPv4 gateway is resolved, the IPv6 one is not. The IPv4 one is on
	// eid7, so that everything eid0 sends out of rloc is an encapsulation (check_encap).
	lc.native_nh4 = (uint32_t)fz_nh(eid7, "10.7.0.1", 0x01);
	lc.native_nh6 = (uint32_t)fz_nh(rloc, "2001:db8:2::1", 0);
	mc = small_mc();
	db = small_mc();
	mc_setup(mc, nh4, nh6, nh4_unresolved);
	db_setup(db);
	CHECK(dp_set_lisp(&lc, mc, db) == 0);
	CHECK(dp.workers[0].mc_reader != NULL);
	verbose = getenv("DECAP_FUZZ_VERBOSE") != NULL;
	pool_base = rte_mempool_in_use_count(dp.pool);
	return 0;
}

// Checks ---------------------------------------------------------------------------------------

static void
check_mbuf(const struct rte_mbuf *m)
{
	const char *why = NULL;

	CHECK(m != NULL);
	if (rte_mbuf_check(m, 1, &why) != 0) {
		fprintf(stderr, "bad mbuf: %s\n", why);
		abort();
	}
	CHECK(m->pool == dp.pool);
	CHECK(m->nb_segs == 1 && m->data_len == m->pkt_len);
	CHECK(m->data_len >= RTE_ETHER_HDR_LEN);
}

// The outer headers of an encapsulated frame (l3: the outer IP header, len bytes).
static void
check_encap(const uint8_t *l3, unsigned len)
{
	const struct rte_udp_hdr *udp;
	unsigned hlen;

	if ((l3[0] >> 4) == 4) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)l3;
		hlen = sizeof(*ip);
		CHECK(ip->version_ihl == RTE_IPV4_VHL_DEF && ip->next_proto_id == IPPROTO_UDP);
		CHECK(ip->src_addr == ip4("192.0.2.1"));
	} else {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)l3;
		hlen = sizeof(*ip6);
		CHECK(ip6->proto == IPPROTO_UDP);
	}
	CHECK(len >= hlen + sizeof(*udp) + LISP_HDR_LEN);
	udp = (const struct rte_udp_hdr *)(l3 + hlen);
	CHECK(udp->dst_port == RTE_BE16(LISP_DATA_PORT));
	CHECK(rte_be_to_cpu_16(udp->dgram_len) == len - hlen);
	if (hlen == sizeof(struct rte_ipv6_hdr)) // udp-checksum-ipv6 is on
		CHECK(udp->dgram_cksum != 0
		      && rte_ipv6_udptcp_cksum_verify((const struct rte_ipv6_hdr *)l3, udp) == 0);
	else
		CHECK(udp->dgram_cksum == 0);
}

// A frame the worker sends out of port; encap: an encapsulation (eid0 -> rloc).
static void
check_tx(unsigned port, const struct rte_mbuf *m, bool encap)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const uint8_t *l3 = (const uint8_t *)(eth + 1);
	unsigned len = m->data_len - RTE_ETHER_HDR_LEN;

	check_mbuf(m);
	CHECK(port < dp.n_ports);
	CHECK(len <= dp.ports[port].mtu);
	CHECK(rte_is_same_ether_addr(&eth->src_addr, &dp.ports[port].mac));
	switch (rte_be_to_cpu_16(eth->ether_type)) {
	case RTE_ETHER_TYPE_IPV4: {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)l3;
		unsigned hlen = (ip->version_ihl & 0xf) * 4u;
		CHECK(len >= sizeof(*ip) && (ip->version_ihl >> 4) == 4 && hlen >= sizeof(*ip));
		CHECK(hlen <= len && rte_raw_cksum(ip, hlen) == 0xffff);
		CHECK(rte_be_to_cpu_16(ip->total_length) == len);
		break;
	}
	case RTE_ETHER_TYPE_IPV6: {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)l3;
		CHECK(len >= sizeof(*ip6) && (rte_be_to_cpu_32(ip6->vtc_flow) >> 28) == 6);
		CHECK(rte_be_to_cpu_16(ip6->payload_len) + sizeof(*ip6) == len);
		break;
	}
	case RTE_ETHER_TYPE_ARP:
		CHECK(!encap && len >= sizeof(struct rte_arp_hdr));
		break;
	default:
		fprintf(stderr, "TX of ether type 0x%04x\n", rte_be_to_cpu_16(eth->ether_type));
		abort();
	}
	if (encap)
		check_encap(l3, len);
}

static void
check_punt(const struct dp_punt *pk)
{
	check_mbuf(pk->m);
	CHECK(pk->reason <= DP_PUNT_CONTROL);
	CHECK(pk->port < dp.n_ports);
	if (pk->reason == DP_PUNT_RESOLVE)
		CHECK(pk->arg == DP_NH_NONE || pk->arg < DP_NH_MAX);
	if (pk->reason == DP_PUNT_ICMP_ERROR)
		CHECK((pk->arg >> 16) >= DP_ICMP_TIME_EXCEEDED
		      && (pk->arg >> 16) <= DP_ICMP_PROHIBITED);
}

// Frees what the worker queued, after checking it.
static void
fz_drain(unsigned rx_port)
{
	for (unsigned p = 0; p < DP_MAX_PORTS; p++) {
		for (unsigned i = 0; i < wc.tx[p].n; i++) {
			check_tx(p, wc.tx[p].pkts[i], rx_port == eid0 && p == rloc);
			rte_pktmbuf_free(wc.tx[p].pkts[i]);
		}
		wc.tx[p].n = 0;
	}
	for (unsigned i = 0; i < wc.n_punt; i++) {
		check_punt(&wc.punt[i]);
		rte_pktmbuf_free(wc.punt[i].m);
	}
	wc.n_punt = 0;
}

// The worker's context, fresh for each input (dp_worker.c sets it up so): full rate-limiter
// buckets of one token each, so the second ICMP error or miss of an input is rate-limited.
static void
wctx_reset(void)
{
	uint64_t now = rte_rdtsc();

	memset(&wc, 0, sizeof(wc));
	wc.w = &dp.workers[0];
	wc.rng = 0x9e3779b97f4a7c15ull;
	wc.miss_bucket.rate = dp.lisp.miss_rate;
	wc.icmp_bucket.rate = dp.lisp.icmp_rate;
	wc.miss_bucket.last_tsc = wc.icmp_bucket.last_tsc = now;
	wc.miss_bucket.tokens = wc.miss_bucket.rate * DP_BUCKET_SCALE;
	wc.icmp_bucket.tokens = wc.icmp_bucket.rate * DP_BUCKET_SCALE;
	wc.mc_reader = dp.workers[0].mc_reader;
}

// Would the frame be an IPv6 neighbor solicitation (ICMPv6 type 135)? Its answer is built in
// place and may grow into the tailroom (dp_local.c, neighbor_advert).
static bool
maybe_ns(const uint8_t *data, size_t size)
{
	const size_t l3 = RTE_ETHER_HDR_LEN;

	return size > l3 + 40 && data[12] == 0x86 && data[13] == 0xdd
		&& data[l3 + 6] == IPPROTO_ICMPV6 && data[l3 + 40] == 135;
}

static void
print_acc(unsigned port)
{
	fprintf(stderr, "%s:", port == rloc ? "rloc" : "eid0");
	for (unsigned i = 0; i < DP_STAT_MAX; i++)
		if (wc.acc.stats[i] != 0)
			fprintf(stderr, " %s=%u", dp_stat_name(i), wc.acc.stats[i]);
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		if (wc.acc.drops[i] != 0)
			fprintf(stderr, " drop:%s=%u", dp_drop_name(i), wc.acc.drops[i]);
	for (unsigned p = 0; p < dp.n_ports; p++)
		if (wc.tx[p].n != 0)
			fprintf(stderr, " tx:%s=%u", dp.ports[p].name, wc.tx[p].n);
	for (unsigned i = 0; i < wc.n_punt; i++)
		fprintf(stderr, " punt:%u", wc.punt[i].reason);
	fprintf(stderr, "\n");
	wc.acc = (struct dp_acc){0};
}

static void
rx_one(unsigned port, const uint8_t *data, size_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint8_t *buf, *end, *tail;
	size_t grow;

	CHECK(m != NULL);
	buf = m->buf_addr;
	end = buf + m->buf_len;
	ASAN_UNPOISON_MEMORY_REGION(buf, m->buf_len);
	CHECK(rte_pktmbuf_append(m, (uint16_t)size) != NULL || size == 0);
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), data, size);
	// Reads past the frame are reports: everything after it is poisoned but the room a
	// neighbor advertisement may legitimately append.
	grow = maybe_ns(data, size) ? 8 : 0;
	tail = rte_pktmbuf_mtod_offset(m, uint8_t *, size) + grow;
	if (tail < end)
		ASAN_POISON_MEMORY_REGION(tail, (size_t)(end - tail));

	dp_rx_burst(&wc, port, &m, 1);

	ASAN_UNPOISON_MEMORY_REGION(buf, (size_t)(end - buf));
	if (verbose)
		print_acc(port);
	fz_drain(port);
}

// Sets the IPv4 header checksum at ip (len bytes available) if the header fits.
static void
fix_ip4(uint8_t *ip, size_t len)
{
	size_t hlen = (ip[0] & 0xf) * 4u;
	uint16_t ck;

	if (len < sizeof(struct rte_ipv4_hdr) || (ip[0] >> 4) != 4 || hlen < 20 || hlen > len)
		return;
	ip[10] = ip[11] = 0;
	ck = (uint16_t)~rte_raw_cksum(ip, hlen);
	memcpy(ip + 10, &ck, 2);
}

// The frame with the checksums the data plane verifies made right, so that mutated headers get
// past them: the IPv4 header checksum, and for LISP data (UDP 4341) a zero UDP checksum and
// the inner IPv4 header checksum. Returns false when nothing changed.
static bool
fix_checksums(const uint8_t *data, size_t size, uint8_t *buf)
{
	const size_t l3 = RTE_ETHER_HDR_LEN;
	size_t hlen = 0;
	uint8_t proto = 0;

	memcpy(buf, data, size);
	if (size < l3 + 40)
		return false;
	if (buf[12] == 0x08 && buf[13] == 0x00 && (buf[l3] >> 4) == 4) {
		fix_ip4(buf + l3, size - l3);
		hlen = (buf[l3] & 0xf) * 4u;
		proto = buf[l3 + 9];
	} else if (buf[12] == 0x86 && buf[13] == 0xdd) {
		hlen = sizeof(struct rte_ipv6_hdr);
		proto = buf[l3 + 6];
	}
	if (proto == IPPROTO_UDP && hlen >= 20 && l3 + hlen + 16 <= size
	    && (buf[l3 + hlen + 2] << 8 | buf[l3 + hlen + 3]) == LISP_DATA_PORT) {
		buf[l3 + hlen + 6] = buf[l3 + hlen + 7] = 0;
		fix_ip4(buf + l3 + hlen + 16, size - (l3 + hlen + 16));
	}
	return memcmp(buf, data, size) != 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fixed[MTU + RTE_ETHER_HDR_LEN];
	unsigned in_use;

	size = RTE_MIN(size, sizeof(fixed)); // a port with this MTU receives no longer frame
	wctx_reset();
	rx_one(rloc, data, size);
	rx_one(eid0, data, size);
	if (fix_checksums(data, size, fixed)) {
		rx_one(rloc, fixed, size);
		rx_one(eid0, fixed, size);
	}
	in_use = rte_mempool_in_use_count(dp.pool);
	if (in_use != pool_base) {
		fprintf(stderr, "mbuf leak: %u in use, %u before\n", in_use, pool_base);
		abort();
	}
	return 0;
}
