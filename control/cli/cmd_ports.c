// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// show ports.

#include "cli_show.h"
#include "dp.h"
#include "dxtr.h"

static void
show_port(struct out *o, unsigned idx)
{
	const struct conf_port *pc = &dxtr.conf.ports[idx];
	struct dp_port_counters cnt;
	struct dp_port_info info;
	char buf[INET6_ADDRSTRLEN + 8];

	if (dp_port_info(idx, &info) < 0 || dp_port_counters(idx, &cnt) < 0)
		return;
	out_obj(o, NULL);
	out_str(o, "name", info.name);
	out_u64(o, "port_id", info.port_id);
	out_str(o, "device", info.device);
	out_str(o, "driver", info.driver);
	out_str(o, "role", info.role == DP_ROLE_EID ? "eid" : "rloc");
	if (info.role == DP_ROLE_EID)
		out_u64(o, "iid", info.iid);
	else
		out_null(o, "iid");
	out_fmt(o,
		"mac",
		"%02x:%02x:%02x:%02x:%02x:%02x",
		RTE_ETHER_ADDR_BYTES(&info.mac));
	out_str(o, "link", info.link_up ? "up" : "down");
	out_u64(o, "speed_mbps", info.link_speed);
	out_u64(o, "mtu", info.mtu);
	out_list(o, "addresses");
	for (unsigned i = 0; i < pc->n_addrs; i++)
		out_str(o, NULL, conf_fmt_prefix(&pc->addrs[i], buf, sizeof(buf)));
	out_close(o);
	out_u64(o, "rx_queues", info.n_rxq);
	out_u64(o, "tx_queues", info.n_txq);
	if (info.ctl_txq_own)
		out_u64(o, "control_tx_queue", info.ctl_txq);
	else
		out_null(o, "control_tx_queue");
	out_obj(o, "counters");
	out_u64(o, "rx_packets", cnt.rx_packets);
	out_u64(o, "rx_bytes", cnt.rx_bytes);
	out_u64(o, "rx_missed", cnt.rx_missed);
	out_u64(o, "rx_errors", cnt.rx_errors);
	out_u64(o, "rx_nombuf", cnt.rx_nombuf);
	out_u64(o, "tx_packets", cnt.tx_packets);
	out_u64(o, "tx_bytes", cnt.tx_bytes);
	out_u64(o, "tx_errors", cnt.tx_errors);
	out_u64(o, "worker_rx_packets", cnt.worker_rx_packets);
	out_u64(o, "worker_rx_bytes", cnt.worker_rx_bytes);
	out_close(o);
	out_close(o);
}

static int
show_ports(struct out *o, struct cmdline *cl)
{
	(void)cl;
	out_list(o, "ports");
	for (unsigned i = 0; i < dp_port_count(); i++)
		show_port(o, i);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_ports, "ports", show_ports, "ports: link, MAC, addresses, role, IID, counters");

CLI_GROUP(ports, &cmd_show_ports, &cmd_show_ports_json);
