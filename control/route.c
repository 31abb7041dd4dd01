// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "route.h"

// Control lcore only. A few hundred routes at most: a linear scan is plenty.
static struct route routes[ROUTE_MAX];
static unsigned n_routes;

static unsigned
addr_len(int af)
{
	return af == AF_INET ? 4 : 16;
}

bool
ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->af == b->af && memcmp(a->bytes, b->bytes, addr_len(a->af)) == 0;
}

static struct route *
find(const struct ip_prefix *p)
{
	for (unsigned i = 0; i < n_routes; i++)
		if (routes[i].prefix.len == p->len && ip_addr_equal(&routes[i].prefix.addr, &p->addr))
			return &routes[i];
	return NULL;
}

int
route_add_connected(unsigned port, const struct ip_prefix *addr)
{
	struct route r = {.connected = true, .port = port, .src = addr->addr};

	r.prefix = *addr;
	conf_prefix_mask(&r.prefix);
	if (find(&r.prefix) != NULL)
		return -EEXIST;
	if (n_routes >= ROUTE_MAX)
		return -ENOSPC;
	routes[n_routes++] = r;
	return 0;
}

int
route_add(const struct ip_prefix *prefix, const struct ip_addr *via)
{
	struct route r = {.prefix = *prefix, .via = *via};
	const struct route *c = NULL;

	conf_prefix_mask(&r.prefix);
	if (find(&r.prefix) != NULL)
		return -EEXIST;
	for (unsigned i = 0; i < n_routes; i++)
		if (routes[i].connected && conf_prefix_contains(&routes[i].prefix, via))
			c = &routes[i];
	if (c == NULL || via->af != prefix->addr.af)
		return -ENETUNREACH;
	if (n_routes >= ROUTE_MAX)
		return -ENOSPC;
	r.port = c->port;
	r.src = c->src;
	routes[n_routes++] = r;
	return 0;
}

const struct route *
route_lookup(const struct ip_addr *dst, struct ip_addr *nexthop)
{
	const struct route *best = NULL;

	for (unsigned i = 0; i < n_routes; i++) {
		const struct route *r = &routes[i];
		if (conf_prefix_contains(&r->prefix, dst) && (best == NULL || r->prefix.len > best->prefix.len))
			best = r;
	}
	if (best != NULL && nexthop != NULL)
		*nexthop = best->connected ? *dst : best->via;
	return best;
}

const struct route *
route_default(int af)
{
	for (unsigned i = 0; i < n_routes; i++)
		if (routes[i].prefix.len == 0 && routes[i].prefix.addr.af == af)
			return &routes[i];
	return NULL;
}

unsigned
route_count(void)
{
	return n_routes;
}

const struct route *
route_at(unsigned i)
{
	return i < n_routes ? &routes[i] : NULL;
}

void
route_flush(void)
{
	n_routes = 0;
}
