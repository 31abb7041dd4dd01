// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// DPDK telemetry under /dxtr/: counters since start, read by dpdk-telemetry.py. The callbacks
// run on EAL's telemetry thread and only read: relaxed counter loads and port state that is
// immutable while workers run.

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "dp_priv.h"

// Telemetry names allow only letters, digits, '_' and '/': "icmp-echo-reply" becomes
// "icmp_echo_reply".
static void
add_counter(struct rte_tel_data *d, const char *name, uint64_t val)
{
	char key[RTE_TEL_MAX_STRING_LEN];

	snprintf(key, sizeof(key), "%s", name);
	for (char *c = key; *c != '\0'; c++)
		if (*c == '-')
			*c = '_';
	rte_tel_data_add_dict_u64(d, key, val);
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t stats[DP_STAT_MAX], drops[DP_DROP_MAX];

	(void)cmd;
	(void)params;
	dp_stats_read(stats, drops, true);
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < DP_STAT_MAX; i++)
		add_counter(d, dp_stat_name(i), stats[i]);
	return 0;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t stats[DP_STAT_MAX], drops[DP_DROP_MAX];

	(void)cmd;
	(void)params;
	dp_stats_read(stats, drops, true);
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < DP_DROP_MAX; i++)
		add_counter(d, dp_drop_name(i), drops[i]);
	return 0;
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (unsigned p = 0; p < dp.n_ports; p++)
		rte_tel_data_add_array_string(d, dp.ports[p].name);
	return 0;
}

// /dxtr/port,NAME: one port's counters.
static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_port_counters c;
	unsigned p;

	(void)cmd;
	if (params == NULL)
		return -EINVAL;
	for (p = 0; p < dp.n_ports; p++)
		if (strcmp(dp.ports[p].name, params) == 0)
			break;
	if (p == dp.n_ports || dp_port_counters_raw(p, &c) < 0)
		return -ENOENT;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_packets", c.rx_packets);
	rte_tel_data_add_dict_u64(d, "rx_bytes", c.rx_bytes);
	rte_tel_data_add_dict_u64(d, "rx_missed", c.rx_missed);
	rte_tel_data_add_dict_u64(d, "rx_errors", c.rx_errors);
	rte_tel_data_add_dict_u64(d, "rx_nombuf", c.rx_nombuf);
	rte_tel_data_add_dict_u64(d, "tx_packets", c.tx_packets);
	rte_tel_data_add_dict_u64(d, "tx_bytes", c.tx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_errors", c.tx_errors);
	rte_tel_data_add_dict_u64(d, "worker_rx_packets", c.worker_rx_packets);
	rte_tel_data_add_dict_u64(d, "worker_rx_bytes", c.worker_rx_bytes);
	return 0;
}

// Called from dp_init: a constructor in a static library would be dropped by the linker.
void
dp_telemetry_register(void)
{
	rte_telemetry_register_cmd("/dxtr/stats", tel_stats, "dxtr data-plane counters");
	rte_telemetry_register_cmd("/dxtr/drops", tel_drops, "dxtr drops by reason");
	rte_telemetry_register_cmd("/dxtr/ports", tel_ports, "dxtr port names");
	rte_telemetry_register_cmd("/dxtr/port", tel_port, "dxtr port counters. Parameter: name");
}
