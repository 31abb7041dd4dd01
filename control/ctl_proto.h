// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The control socket protocol, shared by the server (ctl_server.c) and dxtr-ctl.
// A request is one command line ending with '\n'. A reply is the command's output followed by
// a two-byte trailer: NUL, then the status (CTL_STATUS_OK or CTL_STATUS_ERR). Several requests
// may follow each other on one connection.

#pragma once

#define CTL_LINE_MAX 1024 // longest command line, '\n' included
#define CTL_STATUS_OK 0
#define CTL_STATUS_ERR 1
