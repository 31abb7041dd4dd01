// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The control socket: the shell's commands served on a UNIX stream socket (ctl_proto.h).

#pragma once

// Creates the socket's directory if needed, refuses a path where a live dxtr listens, binds,
// applies mode and starts serving from the control loop. Returns 0 or a negative errno.
int ctl_server_start(const char *path, unsigned mode);
// Closes every client and the listener, and removes the socket file.
void ctl_server_stop(void);
