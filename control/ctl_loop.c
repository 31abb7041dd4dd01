// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "ctl_loop.h"
#include "log.h"

LOG_TYPE(loop);

#define CTL_MAX_EVENTS 64
#define CTL_MAX_TIMERS 32

struct ctl_watch {
	int fd;
	bool dead; // removed during this round; freed after it
	ctl_fd_cb cb;
	void *arg;
	struct ctl_watch *next; // all watches, for lookup by fd and deferred frees
};

struct ctl_timer {
	unsigned period_ms;
	uint64_t next_ms;
	ctl_timer_cb cb;
	void *arg;
};

// Only the control lcore touches these.
static int epfd = -1;
static bool stopping;
static struct ctl_watch *watches;
static struct ctl_timer timers[CTL_MAX_TIMERS];
static unsigned n_timers;
static struct {
	ctl_poll_cb cb;
	void *arg;
} pollers[CTL_MAX_TIMERS];
static unsigned n_pollers;
static bool poll_busy; // a poller found work in the last round

uint64_t
ctl_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
ctl_loop_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -errno : 0;
}

static void
reap(void)
{
	struct ctl_watch **pp = &watches;
	while (*pp != NULL) {
		struct ctl_watch *w = *pp;
		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

void
ctl_loop_fini(void)
{
	for (struct ctl_watch *w = watches; w != NULL; w = w->next)
		w->dead = true;
	reap();
	n_timers = 0;
	n_pollers = 0;
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
}

static struct ctl_watch *
find(int fd)
{
	for (struct ctl_watch *w = watches; w != NULL; w = w->next)
		if (w->fd == fd && !w->dead)
			return w;
	return NULL;
}

int
ctl_loop_add_fd(int fd, uint32_t events, ctl_fd_cb cb, void *arg)
{
	struct epoll_event ev = {.events = events};
	struct ctl_watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return -ENOMEM;
	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	ev.data.ptr = w;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int ret = -errno;
		free(w);
		return ret;
	}
	w->next = watches;
	watches = w;
	return 0;
}

int
ctl_loop_mod_fd(int fd, uint32_t events)
{
	struct ctl_watch *w = find(fd);
	struct epoll_event ev = {.events = events};

	if (w == NULL)
		return -ENOENT;
	ev.data.ptr = w;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void
ctl_loop_del_fd(int fd)
{
	struct ctl_watch *w = find(fd);

	if (w == NULL)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	w->dead = true; // events already fetched for it this round are skipped
}

int
ctl_loop_add_timer(unsigned period_ms, ctl_timer_cb cb, void *arg)
{
	if (n_timers >= CTL_MAX_TIMERS || period_ms == 0)
		return -ENOSPC;
	timers[n_timers++] = (struct ctl_timer){
		.period_ms = period_ms,
		.next_ms = ctl_now_ms() + period_ms,
		.cb = cb,
		.arg = arg,
	};
	return 0;
}

int
ctl_loop_add_poller(ctl_poll_cb cb, void *arg)
{
	if (n_pollers >= CTL_MAX_TIMERS)
		return -ENOSPC;
	pollers[n_pollers].cb = cb;
	pollers[n_pollers].arg = arg;
	n_pollers++;
	return 0;
}

static void
run_pollers(void)
{
	unsigned work = 0;

	for (unsigned i = 0; i < n_pollers && !stopping; i++)
		work += pollers[i].cb(pollers[i].arg);
	poll_busy = work > 0;
}

void
ctl_loop_stop(void)
{
	stopping = true;
}

static int
next_timeout(uint64_t now)
{
	uint64_t next = now + 1000;
	for (unsigned i = 0; i < n_timers; i++)
		if (timers[i].next_ms < next)
			next = timers[i].next_ms;
	if (poll_busy)
		return 0;
	if (n_pollers > 0 && next > now + CTL_POLL_IDLE_MS)
		next = now + CTL_POLL_IDLE_MS;
	return next > now ? (int)(next - now) : 0;
}

static void
run_timers(uint64_t now)
{
	for (unsigned i = 0; i < n_timers && !stopping; i++) {
		struct ctl_timer *t = &timers[i];
		if (t->next_ms > now)
			continue;
		t->next_ms = now + t->period_ms;
		t->cb(t->arg);
	}
}

void
ctl_loop_run(void)
{
	struct epoll_event evs[CTL_MAX_EVENTS];

	stopping = false;
	while (!stopping) {
		int n = epoll_wait(epfd, evs, CTL_MAX_EVENTS, next_timeout(ctl_now_ms()));
		if (n < 0 && errno != EINTR) {
			LOG(ERR, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n && !stopping; i++) {
			struct ctl_watch *w = evs[i].data.ptr;
			if (!w->dead)
				w->cb(w->fd, evs[i].events, w->arg);
		}
		reap();
		run_pollers();
		run_timers(ctl_now_ms());
	}
}
