// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The underlay from the configuration: connected routes for the rloc ports' addresses, static
// routes, and their gateways solicited at once so that the first packets find them resolved.

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl_loop.h"
#include "log.h"
#include "neighbor.h"
#include "route.h"
#include "underlay.h"

LOG_TYPE(underlay);

#define NEIGH_TICK_MS 100

static void
neigh_timer(void *arg)
{
	(void)arg;
	neigh_tick();
}

int
underlay_start(const struct dxtr_conf *c, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	int ret;

	route_flush();
	for (unsigned p = 0; p < c->n_ports; p++) {
		const struct conf_port *port = &c->ports[p];
		if (port->role != CONF_ROLE_RLOC)
			continue;
		for (unsigned a = 0; a < port->n_addrs; a++) {
			ret = route_add_connected(p, &port->addrs[a]);
			if (ret < 0 && ret != -EEXIST) {
				snprintf(err, errlen, "port '%s': route for %s: %s", port->name,
					 conf_fmt_prefix(&port->addrs[a], buf, sizeof(buf)), strerror(-ret));
				return ret;
			}
		}
	}
	for (unsigned i = 0; i < c->n_routes; i++) {
		const struct conf_route *cr = &c->routes[i];
		ret = route_add(&cr->prefix, &cr->via);
		if (ret < 0) {
			snprintf(err, errlen, "%s:%u:%u: route %s: %s", c->path, cr->mark.line,
				 cr->mark.col, conf_fmt_prefix(&cr->prefix, buf, sizeof(buf)),
				 strerror(-ret));
			return ret;
		}
	}
	for (unsigned i = 0; i < route_count(); i++) {
		const struct route *r = route_at(i);
		if (r->connected)
			continue;
		ret = neigh_resolve(r->port, &r->via, &r->src);
		if (ret < 0)
			LOG(WARNING, "gateway %s: %s", conf_fmt_addr(&r->via, buf, sizeof(buf)),
			    strerror(-ret));
	}
	return ctl_loop_add_timer(NEIGH_TICK_MS, neigh_timer, NULL);
}
