// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_lcore.h>

#include "dp_nh.h"
#include "dp_priv.h"

struct dp_nh dp_nh[DP_NH_MAX];
// control: writes (release) after filling dp_nh[n]; workers: read (acquire) to bound indexes.
static uint32_t n_nh;
// (port, af, addr) -> index. Lock-free readers; never deleted from (next hops are not freed).
static struct rte_hash *nh_hash;

int
dp_nh_init(void)
{
	struct rte_hash_parameters hp = {
		.name = "dxtr_nh",
		.entries = DP_NH_MAX * 2, // headroom: a full bucket fails an add
		.key_len = sizeof(struct dp_nh_key),
		.hash_func = rte_jhash,
		.socket_id = rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};

	n_nh = 0;
	nh_hash = rte_hash_create(&hp);
	return nh_hash == NULL ? -rte_errno : 0;
}

void
dp_nh_fini(void)
{
	rte_hash_free(nh_hash);
	nh_hash = NULL;
}

static int
make_key(struct dp_nh_key *k, unsigned port, int af, const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	k->port = port;
	k->af = af;
	if (af == AF_INET)
		memcpy(k->addr, addr, 4);
	else if (af == AF_INET6)
		memcpy(k->addr, addr, 16);
	else
		return -EINVAL;
	return 0;
}

int
dp_nh_find(unsigned port, int af, const uint8_t *addr)
{
	struct dp_nh_key k;
	void *data;

	if (make_key(&k, port, af, addr) < 0)
		return -EINVAL;
	if (rte_hash_lookup_data(nh_hash, &k, &data) < 0)
		return -ENOENT;
	return (int)(uintptr_t)data;
}

int
dp_nh_get(unsigned port, int af, const uint8_t *addr)
{
	struct dp_nh_key k;
	struct dp_nh *nh;
	int idx = dp_nh_find(port, af, addr);

	if (idx >= 0 || idx == -EINVAL)
		return idx;
	if (n_nh >= DP_NH_MAX || port >= dp.n_ports)
		return n_nh >= DP_NH_MAX ? -ENOSPC : -EINVAL;
	make_key(&k, port, af, addr);
	nh = &dp_nh[n_nh];
	memset(nh, 0, sizeof(*nh));
	nh->key = k;
	// The entry is complete before its index is published in the hash.
	if (rte_hash_add_key_data(nh_hash, &k, (void *)(uintptr_t)n_nh) < 0)
		return -ENOSPC;
	__atomic_store_n(&n_nh, n_nh + 1, __ATOMIC_RELEASE);
	return n_nh - 1;
}

void
dp_nh_set_mac(uint32_t idx, const struct rte_ether_addr *mac)
{
	uint64_t v = 0;

	if (idx >= n_nh)
		return;
	if (mac != NULL) {
		memcpy(&v, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
		v |= DP_NH_VALID;
	}
	__atomic_store_n(&dp_nh[idx].mac, v, __ATOMIC_RELEASE);
}

int
dp_nh_info(uint32_t idx, struct dp_nh_info *info)
{
	const struct dp_nh *nh;

	if (idx >= n_nh)
		return -ENOENT;
	nh = &dp_nh[idx];
	memset(info, 0, sizeof(*info));
	info->port = nh->key.port;
	info->af = nh->key.af;
	memcpy(info->addr, nh->key.addr, 16);
	info->resolved = dp_nh_lookup_mac(idx, &info->mac);
	return 0;
}

unsigned
dp_nh_count(void)
{
	return __atomic_load_n(&n_nh, __ATOMIC_ACQUIRE);
}
