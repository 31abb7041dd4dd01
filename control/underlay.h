// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#pragma once

#include <stddef.h>

#include "conf.h"

// Routes and gateways from c (ports must be up). Returns 0 or a negative errno with err set.
int underlay_start(const struct dxtr_conf *c, char *err, size_t errlen);
