// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#pragma once

// Starts draining the punt ring from the control loop.
int punt_start(void);
