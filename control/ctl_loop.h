// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The control lcore's event loop: epoll over file descriptors plus periodic timers. Every
// callback runs on the control lcore and must not block.

#pragma once

#include <stdint.h>

typedef void (*ctl_fd_cb)(int fd, uint32_t events, void *arg);
typedef void (*ctl_timer_cb)(void *arg);

// The control lcore's monotonic clock.
uint64_t ctl_now_us(void);
static inline uint64_t
ctl_now_ms(void)
{
	return ctl_now_us() / 1000;
}

int ctl_loop_init(void);
void ctl_loop_fini(void);

// Watches fd for events (EPOLLIN, EPOLLOUT...). The callback may remove any fd, its own too.
int ctl_loop_add_fd(int fd, uint32_t events, ctl_fd_cb cb, void *arg);
int ctl_loop_mod_fd(int fd, uint32_t events);
void ctl_loop_del_fd(int fd);

// Calls cb every period_ms milliseconds, from the loop.
int ctl_loop_add_timer(unsigned period_ms, ctl_timer_cb cb, void *arg);

// Calls cb on every loop iteration, for rings that have no file descriptor. It returns how
// much work it found: while any poller finds work the loop does not sleep; otherwise it sleeps
// at most CTL_POLL_IDLE_MS.
typedef unsigned (*ctl_poll_cb)(void *arg);
#define CTL_POLL_IDLE_MS 1
int ctl_loop_add_poller(ctl_poll_cb cb, void *arg);

// Runs until ctl_loop_stop() is called (from a callback).
void ctl_loop_run(void);
void ctl_loop_stop(void);
