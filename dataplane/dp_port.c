// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Port set-up: one RX queue per worker, one TX queue per worker, plus one TX queue for the
// control lcore where the driver can give it without side effects.

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_pci.h>

#include "dp_priv.h"

struct dp_state dp;

int
dp_init(const struct dp_init_conf *c)
{
	if (c->n_workers == 0 || c->n_workers > DP_MAX_WORKERS)
		return -EINVAL;
	memset(&dp, 0, sizeof(dp));
	dp.burst = c->burst;
	dp.n_workers = c->n_workers;
	for (unsigned i = 0; i < c->n_workers; i++) {
		dp.workers[i].lcore = c->worker_lcores[i];
		dp.workers[i].queue = i;
	}
	dp.pool = rte_pktmbuf_pool_create(
		"dxtr_mbufs",
		c->n_mbufs,
		RTE_MEMPOOL_CACHE_MAX_SIZE,
		0,
		RTE_MBUF_DEFAULT_BUF_SIZE,
		rte_socket_id()
	);
	if (dp.pool == NULL)
		return -rte_errno;
	size_t qsz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	dp.qsv = rte_zmalloc("dxtr_qsv", qsz, RTE_CACHE_LINE_SIZE);
	if (dp.qsv == NULL || rte_rcu_qsbr_init(dp.qsv, RTE_MAX_LCORE) < 0)
		return -ENOMEM;
	int ret = dp_punt_init();
	if (ret == 0)
		ret = dp_nh_init();
	if (ret < 0)
		return ret;
	dp_telemetry_register();
	return 0;
}

// Drivers whose TX queues each come with a kernel-side RX queue (a socket or a tap queue) that
// the kernel feeds by flow hash: an extra TX queue would receive traffic nobody polls. On these,
// the control lcore's packets go out through a worker.
static const char *const paired_queue_drivers[] = {
	"net_af_packet",
	"net_tap",
	"net_tun",
};

static bool
driver_pairs_queues(const char *driver)
{
	for (unsigned i = 0; i < RTE_DIM(paired_queue_drivers); i++)
		if (strcmp(driver, paired_queue_drivers[i]) == 0)
			return true;
	return false;
}

// The ethdev name of a device spec: a canonical PCI address, or the vdev name before the
// first comma.
static int
device_name(const char *device, char *name, size_t len)
{
	struct rte_pci_addr pci;
	size_t n;

	if (rte_pci_addr_parse(device, &pci) == 0) {
		rte_pci_device_name(&pci, name, len);
		return 0;
	}
	n = strcspn(device, ",");
	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(name, device, n);
	name[n] = '\0';
	return 0;
}

static int
port_fail(char *err, unsigned errlen, int ret, const char *fmt, const char *what)
{
	snprintf(err, errlen, fmt, what, rte_strerror(-ret));
	return ret;
}

int
dp_port_add(const struct dp_port_conf *pc, char *err, unsigned errlen)
{
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	struct dp_port *p;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t port_id, nrxq, ntxq;
	int ret;

	if (dp.n_ports >= DP_MAX_PORTS) {
		snprintf(err, errlen, "too many ports (at most %u)", DP_MAX_PORTS);
		return -ENOSPC;
	}
	if (device_name(pc->device, name, sizeof(name)) < 0) {
		snprintf(err, errlen, "bad device '%s'", pc->device);
		return -EINVAL;
	}
	if (rte_eth_dev_get_port_by_name(name, &port_id) != 0) {
		snprintf(err, errlen, "device '%s' not found (probe failed?)", name);
		return -ENODEV;
	}
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret < 0)
		return port_fail(err, errlen, ret, "%s: cannot get device info: %s", name);

	nrxq = dp.n_workers;
	ntxq = dp.n_workers + 1;
	bool own_ctl_txq = !driver_pairs_queues(info.driver_name) && info.max_tx_queues >= ntxq;
	if (!own_ctl_txq)
		ntxq = dp.n_workers;
	if (info.max_rx_queues < nrxq || info.max_tx_queues < ntxq) {
		snprintf(
			err,
			errlen,
			"%s offers %u RX / %u TX queues; %u workers need %u / %u%s",
			name,
			info.max_rx_queues,
			info.max_tx_queues,
			dp.n_workers,
			nrxq,
			ntxq,
			strcmp(info.driver_name, "net_af_packet") == 0 ? " (add qpairs=N to the device)"
								       : ""
		);
		return -ENOTSUP;
	}
	if (nrxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	ret = rte_eth_dev_configure(port_id, nrxq, ntxq, &conf);
	if (ret < 0)
		return port_fail(err, errlen, ret, "%s: configure failed: %s", name);
	ret = rte_eth_dev_set_mtu(port_id, pc->mtu);
	if (ret < 0 && ret != -ENOTSUP)
		return port_fail(err, errlen, ret, "%s: cannot set MTU: %s", name);

	uint16_t rx_desc = pc->rx_desc, tx_desc = pc->tx_desc;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &rx_desc, &tx_desc);
	if (ret < 0)
		return port_fail(err, errlen, ret, "%s: bad descriptor counts: %s", name);
	int socket = rte_eth_dev_socket_id(port_id);
	for (uint16_t q = 0; q < nrxq; q++) {
		ret = rte_eth_rx_queue_setup(port_id, q, rx_desc, socket, NULL, dp.pool);
		if (ret < 0)
			return port_fail(err, errlen, ret, "%s: RX queue set-up failed: %s", name);
	}
	for (uint16_t q = 0; q < ntxq; q++) {
		ret = rte_eth_tx_queue_setup(port_id, q, tx_desc, socket, NULL);
		if (ret < 0)
			return port_fail(err, errlen, ret, "%s: TX queue set-up failed: %s", name);
	}
	ret = rte_eth_dev_start(port_id);
	if (ret < 0)
		return port_fail(err, errlen, ret, "%s: start failed: %s", name);

	p = &dp.ports[dp.n_ports];
	memset(p, 0, sizeof(*p));
	p->port_id = port_id;
	p->role = pc->role;
	p->iid = pc->iid;
	p->mtu = pc->mtu;
	p->n_rxq = nrxq;
	p->n_txq = ntxq;
	p->ctl_txq_own = own_ctl_txq;
	p->ctl_txq = own_ctl_txq ? ntxq - 1 : 0;
	rte_eth_macaddr_get(port_id, &p->mac);
	p->n_ip4 = RTE_MIN(pc->n_ip4, (unsigned)DP_MAX_ADDRS);
	memcpy(p->ip4, pc->ip4, sizeof(p->ip4[0]) * p->n_ip4);
	p->n_ip6 = RTE_MIN(pc->n_ip6, (unsigned)DP_MAX_ADDRS);
	memcpy(p->ip6, pc->ip6, sizeof(p->ip6[0]) * p->n_ip6);
	ret = dp_inject_init(p, dp.n_ports);
	if (ret < 0)
		return port_fail(err, errlen, ret, "%s: cannot create the inject ring: %s", name);
	snprintf(p->name, sizeof(p->name), "%s", pc->name);
	snprintf(p->device, sizeof(p->device), "%s", pc->device);
	return dp.n_ports++;
}

unsigned
dp_port_count(void)
{
	return dp.n_ports;
}

int
dp_port_info(unsigned idx, struct dp_port_info *info)
{
	struct rte_eth_dev_info dev;
	struct rte_eth_link link;
	const struct dp_port *p;

	if (idx >= dp.n_ports)
		return -ENOENT;
	p = &dp.ports[idx];
	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", p->name);
	snprintf(info->device, sizeof(info->device), "%s", p->device);
	info->port_id = p->port_id;
	info->role = p->role;
	info->iid = p->iid;
	info->mtu = p->mtu;
	info->n_rxq = p->n_rxq;
	info->n_txq = p->n_txq;
	info->ctl_txq_own = p->ctl_txq_own;
	info->ctl_txq = p->ctl_txq;
	if (rte_eth_dev_info_get(p->port_id, &dev) == 0)
		snprintf(info->driver, sizeof(info->driver), "%s", dev.driver_name);
	rte_eth_macaddr_get(p->port_id, &info->mac);
	if (rte_eth_link_get_nowait(p->port_id, &link) == 0) {
		info->link_up = link.link_status == RTE_ETH_LINK_UP;
		info->link_speed = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 : link.link_speed;
		info->link_full_duplex = link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX;
	}
	return 0;
}

int
dp_port_counters_raw(unsigned idx, struct dp_port_counters *cnt)
{
	struct rte_eth_stats st;
	const struct dp_port *p;

	if (idx >= dp.n_ports)
		return -ENOENT;
	p = &dp.ports[idx];
	memset(cnt, 0, sizeof(*cnt));
	if (rte_eth_stats_get(p->port_id, &st) == 0) {
		cnt->rx_packets = st.ipackets;
		cnt->rx_bytes = st.ibytes;
		cnt->rx_missed = st.imissed;
		cnt->rx_errors = st.ierrors;
		cnt->rx_nombuf = st.rx_nombuf;
		cnt->tx_packets = st.opackets;
		cnt->tx_bytes = st.obytes;
		cnt->tx_errors = st.oerrors;
	}
	for (unsigned w = 0; w < dp.n_workers; w++) {
		const struct dp_worker_stats *s = &dp.workers[w].stats;
		cnt->worker_rx_packets += dp_counter_read(&s->rx_packets[idx]);
		cnt->worker_rx_bytes += dp_counter_read(&s->rx_bytes[idx]);
	}
	return 0;
}

int
dp_port_counters(unsigned idx, struct dp_port_counters *cnt)
{
	int ret = dp_port_counters_raw(idx, cnt);
	const struct dp_port_counters *b = &dp.base.ports[idx];

	if (ret < 0)
		return ret;
	// PMD counters can go back to zero (a port reset): never show a wrapped difference.
#define SUB(f) cnt->f = cnt->f >= b->f ? cnt->f - b->f : cnt->f
	SUB(rx_packets);
	SUB(rx_bytes);
	SUB(rx_missed);
	SUB(rx_errors);
	SUB(rx_nombuf);
	SUB(tx_packets);
	SUB(tx_bytes);
	SUB(tx_errors);
	SUB(worker_rx_packets);
	SUB(worker_rx_bytes);
#undef SUB
	return 0;
}

void
dp_fini(void)
{
	dp_punt_fini();
	dp_nh_fini();
	for (unsigned i = 0; i < dp.n_ports; i++) {
		rte_eth_dev_stop(dp.ports[i].port_id);
		rte_eth_dev_close(dp.ports[i].port_id);
	}
	dp.n_ports = 0;
	rte_mempool_free(dp.pool);
	dp.pool = NULL;
	rte_mempool_free(dp.ctl_pool);
	dp.ctl_pool = NULL;
	rte_free(dp.qsv);
	dp.qsv = NULL;
}
