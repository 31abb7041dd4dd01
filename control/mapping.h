// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The map-cache and the local database as control keeps them: it builds every forwarding entry
// (locator templates, next hops) and is the only writer of both data-plane structures.

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

enum mapping_origin {
	MAPPING_STATIC, // the configuration or the shell
	MAPPING_PENDING, // a Map-Request is in flight for this destination
	MAPPING_MAP_REPLY, // learned from a Map-Reply
	MAPPING_NEGATIVE_LOCAL, // a short negative entry after the resolution gave up
};

const char *mapping_origin_name(enum mapping_origin o);

// Creates the map-cache and the database, installs the configuration's entries and gives both
// to the workers. Ports must be up and the underlay routes in place. 0 or a negative errno,
// with err set ("FILE:LINE:COL: ..." for an entry of the file).
int mapping_init(const struct dxtr_conf *c, char *err, size_t errlen);
void mapping_fini(void);

// A map-cache entry to install: locators (action CONF_ACT_ENCAP), or a negative action.
struct mapping_spec {
	uint32_t iid;
	struct ip_prefix prefix; // canonical
	enum conf_map_action action;
	const struct conf_locator *loc;
	unsigned n_loc;
	uint32_t down; // bit i: locator i is known unreachable (R=0, failed probes)
	enum mapping_origin origin;
	uint32_t ttl_s; // 0: never expires
};

// Adds or replaces a map-cache entry and releases the packets waiting for destinations inside
// it. 0 or a negative errno with err set.
int mapping_add(const struct mapping_spec *s, char *err, size_t errlen);
// Removes a map-cache entry. 0 or -ENOENT.
int mapping_del(uint32_t iid, const struct ip_prefix *prefix);

// Adds or replaces a local EID-prefix (the ETR's database) at run time, then registers again
// and sends SMRs to the remote sites we talk to. 0 or a negative errno with err set.
int mapping_db_set(struct dxtr_conf *c, const struct conf_mapping *m, char *err, size_t errlen);
// Removes one; 0 or -ENOENT.
int mapping_db_del(struct dxtr_conf *c, uint32_t iid, const struct ip_prefix *prefix);

// Expiry and reclamation; from a control-loop timer.
void mapping_tick(void);

struct mc;
struct mc *mapping_mc(void);
struct mc *mapping_db(void);
enum mapping_origin mapping_origin_of(uint32_t slot);
