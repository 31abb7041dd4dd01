// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// show routes, show neighbors.

#include "cli_show.h"
#include "dp.h"
#include "neighbor.h"
#include "route.h"

static const char *
port_name(unsigned port, char *buf, size_t len)
{
	struct dp_port_info info;

	if (dp_port_info(port, &info) < 0)
		snprintf(buf, len, "%u", port);
	else
		snprintf(buf, len, "%s", info.name);
	return buf;
}

static int
show_routes(struct out *o, struct cmdline *cl)
{
	char buf[INET6_ADDRSTRLEN + 8], pname[DP_NAME_MAX];

	(void)cl;
	out_list(o, "routes");
	for (unsigned i = 0; i < route_count(); i++) {
		const struct route *r = route_at(i);
		out_obj(o, NULL);
		out_str(o, "prefix", conf_fmt_prefix(&r->prefix, buf, sizeof(buf)));
		out_str(o, "type", r->connected ? "connected" : "static");
		if (r->connected)
			out_null(o, "via");
		else
			out_str(o, "via", conf_fmt_addr(&r->via, buf, sizeof(buf)));
		out_str(o, "port", port_name(r->port, pname, sizeof(pname)));
		out_str(o, "source", conf_fmt_addr(&r->src, buf, sizeof(buf)));
		out_close(o);
	}
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_routes, "routes", show_routes, "the underlay routes: connected and static");

static void
show_one(const struct neigh_view *v, void *arg)
{
	struct out *o = arg;
	char buf[INET6_ADDRSTRLEN + 8], pname[DP_NAME_MAX];

	out_obj(o, NULL);
	out_str(o, "address", conf_fmt_addr(&v->addr, buf, sizeof(buf)));
	out_str(o, "port", port_name(v->port, pname, sizeof(pname)));
	out_str(o, "state", neigh_state_name(v->state));
	if (v->state == NEIGH_INCOMPLETE && v->age_ms == 0)
		out_null(o, "mac");
	else
		out_fmt(o,
			"mac",
			"%02x:%02x:%02x:%02x:%02x:%02x",
			v->mac[0],
			v->mac[1],
			v->mac[2],
			v->mac[3],
			v->mac[4],
			v->mac[5]);
	out_u64(o, "held", v->held);
	out_u64(o, "age_ms", v->age_ms);
	out_u64(o, "next_hop", v->nh);
	out_close(o);
}

static int
show_neighbors(struct out *o, struct cmdline *cl)
{
	struct neigh_counters c;

	(void)cl;
	out_list(o, "neighbors");
	neigh_foreach(show_one, o);
	out_close(o);
	neigh_counters(&c);
	out_obj(o, "counters");
	out_u64(o, "requests", c.requests);
	out_u64(o, "replies", c.replies);
	out_u64(o, "unexpected", c.unexpected);
	out_u64(o, "malformed", c.malformed);
	out_u64(o, "held", c.held);
	out_u64(o, "released", c.released);
	out_u64(o, "hold_dropped", c.hold_dropped);
	out_u64(o, "failed_dropped", c.failed_dropped);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_neighbors, "neighbors", show_neighbors, "ARP and ND neighbors, both sides");

CLI_GROUP(
	underlay,
	&cmd_show_routes,
	&cmd_show_routes_json,
	&cmd_show_neighbors,
	&cmd_show_neighbors_json
);
