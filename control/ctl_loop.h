// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The control lcore's event loop: epoll over file descriptors plus periodic timers. Every
// callback runs on the control lcore and must not block.

#pragma once

#include <stdint.h>

typedef void (*ctl_fd_cb)(int fd, uint32_t events, void *arg);
typedef void (*ctl_timer_cb)(void *arg);

int ctl_loop_init(void);
void ctl_loop_fini(void);

// Watches fd for events (EPOLLIN, EPOLLOUT...). The callback may remove any fd, its own too.
int ctl_loop_add_fd(int fd, uint32_t events, ctl_fd_cb cb, void *arg);
int ctl_loop_mod_fd(int fd, uint32_t events);
void ctl_loop_del_fd(int fd);

// Calls cb every period_ms milliseconds, from the loop.
int ctl_loop_add_timer(unsigned period_ms, ctl_timer_cb cb, void *arg);

// Runs until ctl_loop_stop() is called (from a callback).
void ctl_loop_run(void);
void ctl_loop_stop(void);
