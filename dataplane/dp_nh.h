// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Next hops: the neighbors (underlay gateways, on-link RLOCs, site hosts) workers send to, each
// with its MAC address once resolved. Control creates them and resolves them (ARP, ND); workers
// read them without locks. A next hop is never freed while dxtr runs, so an index stays valid;
// the table holds DP_NH_MAX of them.

#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#define DP_NH_MAX 4096
#define DP_NH_NONE UINT32_MAX

// Control: the index of the next hop (port, af, addr), created unresolved if new.
// Returns the index, -ENOSPC when the table is full, -EINVAL.
int dp_nh_get(unsigned port, int af, const uint8_t *addr);
// Control: the index or -ENOENT.
int dp_nh_find(unsigned port, int af, const uint8_t *addr);
// Control: publishes the MAC (NULL: not resolved any more; workers punt to control again).
void dp_nh_set_mac(uint32_t idx, const struct rte_ether_addr *mac);

struct dp_nh_info {
	unsigned port;
	int af;
	uint8_t addr[16];
	bool resolved;
	struct rte_ether_addr mac;
};
// Control: a view of next hop idx; -ENOENT past the last one.
int dp_nh_info(uint32_t idx, struct dp_nh_info *info);
unsigned dp_nh_count(void);
