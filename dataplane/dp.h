// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The one header control/ includes: data-plane set-up, start/stop, and read-only views.
// The data plane never includes control/ headers; control translates its configuration into
// the structs below.

#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#define DP_MAX_PORTS 32
#define DP_MAX_WORKERS 64
#define DP_NAME_MAX 32

enum dp_port_role {
	DP_ROLE_EID,
	DP_ROLE_RLOC,
};

#define DP_MAX_ADDRS 8

struct dp_port_conf {
	const char *name;
	const char *device; // PCI address or vdev spec; must already be probed by EAL
	enum dp_port_role role;
	uint32_t iid;
	uint16_t mtu;
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint32_t ip4[DP_MAX_ADDRS]; // own IPv4 addresses, network byte order
	unsigned n_ip4;
	uint8_t ip6[DP_MAX_ADDRS][16]; // own IPv6 addresses
	unsigned n_ip6;
};

struct dp_init_conf {
	unsigned n_workers; // worker lcores, each owns RX queue i and TX queue i of every port
	unsigned worker_lcores[DP_MAX_WORKERS];
	unsigned n_mbufs;
	unsigned burst;
};

// Read-only view of a port for the shell.
struct dp_port_info {
	char name[DP_NAME_MAX];
	char device[256];
	char driver[64];
	uint16_t port_id;
	enum dp_port_role role;
	uint32_t iid;
	uint16_t mtu;
	uint16_t n_rxq; // one per worker
	uint16_t n_txq; // one per worker + one for the control lcore
	uint16_t ctl_txq; // the control lcore's TX queue, when ctl_txq_own
	bool ctl_txq_own; // false: the driver pairs RX and TX queues, control sends via a worker
	struct rte_ether_addr mac;
	bool link_up;
	uint32_t link_speed; // Mb/s, 0 when unknown
	bool link_full_duplex;
};

// Port counters: the PMD's and the data plane's own, summed over workers.
struct dp_port_counters {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t rx_missed; // dropped by the NIC: no descriptor
	uint64_t rx_errors;
	uint64_t rx_nombuf;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t tx_errors;
	uint64_t worker_rx_packets; // counted by the workers' loops
	uint64_t worker_rx_bytes;
};

// How the workers do LISP, from the configuration.
struct dp_lisp_conf {
	uint16_t path_mtu; // the largest outer packet between ITR and ETR
	bool udp_csum6; // compute the UDP checksum over IPv6 outer headers
	uint32_t miss_rate; // misses signalled to control per second, all workers together
	uint32_t icmp_rate; // ICMP errors asked of control per second, all workers together
	bool trusted; // act on peers' locator-status-bits (trusted deployments only)
	uint32_t native_nh4; // next hop of native forwarding (the default route), or DP_NH_NONE
	uint32_t native_nh6;
};

struct mc;

// Gives the workers their map-cache and local database (map-cache instances with one entry per
// local EID-prefix) and looks up each EID port's tables. Before dp_start.
int dp_set_lisp(const struct dp_lisp_conf *lc, struct mc *mc, struct mc *db);

// The data plane's RCU variable: the map-cache shares it (struct mc_conf.qsv), so one quiescent
// report per worker loop serves every structure control frees.
struct rte_rcu_qsbr *dp_rcu(void);

struct rte_mbuf;
// Control: hands a frame (in control's pool) back to worker 0, to be processed as if received
// on port. Returns 0, or -ENOBUFS (the frame is freed).
int dp_reinject(unsigned port, struct rte_mbuf *m);

// Creates the mbuf pool and per-worker state. Call once, after rte_eal_init.
int dp_init(const struct dp_init_conf *c);

// Configures and starts one port: n_workers RX queues, n_workers + 1 TX queues. Returns the
// dataplane port index (0, 1, ...) or a negative errno; *err gets a message on failure.
int dp_port_add(const struct dp_port_conf *pc, char *err, unsigned errlen);

unsigned dp_port_count(void);
int dp_port_info(unsigned idx, struct dp_port_info *info);
int dp_port_counters(unsigned idx, struct dp_port_counters *cnt);

// Launches the workers on their lcores. Returns 0 or a negative errno.
int dp_start(void);
// Asks the workers to stop and waits for them.
void dp_stop(void);
// Stops and closes every port, frees pools. After dp_stop.
void dp_fini(void);

// Per-worker view for `show lcores`.
struct dp_worker_info {
	unsigned lcore;
	int socket;
	bool running;
	uint64_t loops; // polling iterations
	uint64_t busy_loops; // iterations that received at least one packet
	uint64_t rx_packets;
};
unsigned dp_worker_count(void);
int dp_worker_info(unsigned idx, struct dp_worker_info *info);
