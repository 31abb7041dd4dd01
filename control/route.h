// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The underlay routing table, IPv4 and IPv6: connected routes from the rloc ports' addresses and
// static routes from the configuration. Control lcore only: workers never look routes up; the
// next hop an RLOC resolves to is cached where workers need it.

#pragma once

#include <stdbool.h>

#include "conf.h"

#define ROUTE_MAX 256

struct route {
	struct ip_prefix prefix; // host bits zero
	bool connected;
	unsigned port; // data-plane port index
	struct ip_addr via; // static routes: the gateway
	struct ip_addr src; // our address on that subnet (the source of what we send that way)
};

// A connected route for an rloc port address (address/len). Returns 0, -EEXIST, -ENOSPC.
int route_add_connected(unsigned port, const struct ip_prefix *addr);
// A static route: via must be inside a connected subnet. 0, -EEXIST, -ENETUNREACH, -ENOSPC.
int route_add(const struct ip_prefix *prefix, const struct ip_addr *via);
// Longest-prefix match. Returns the route or NULL; *nexthop is via, or dst itself when connected.
const struct route *route_lookup(const struct ip_addr *dst, struct ip_addr *nexthop);
// The default route of family af (0.0.0.0/0 or ::/0), or NULL.
const struct route *route_default(int af);
unsigned route_count(void);
const struct route *route_at(unsigned i);
void route_flush(void);
bool ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b);
