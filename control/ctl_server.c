// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Each client gets its own rte_cmdline whose output goes to a memory file; after each command
// the output and the status trailer are queued and written without blocking. A slow or dead
// client can never stall the control lcore: its output is bounded and it is dropped past that.

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "ctl_loop.h"
#include "ctl_proto.h"
#include "ctl_server.h"
#include "log.h"

LOG_TYPE(ctl);

#define CTL_MAX_CLIENTS 64
#define CTL_OUT_MAX (64u << 20) // queued output per client before it is dropped

struct client {
	int fd;
	int memfd; // the cmdline's output
	struct cmdline *cl;
	char in[CTL_LINE_MAX];
	size_t in_len;
	bool discarding; // skipping the rest of a too-long line
	char *out;
	size_t out_len, out_off, out_cap;
	struct client *next;
};

// Control lcore only.
static int listen_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static struct client *clients;
static unsigned n_clients;

static void
client_close(struct client *c)
{
	struct client **pp;

	for (pp = &clients; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	ctl_loop_del_fd(c->fd);
	close(c->fd);
	if (c->cl != NULL)
		cmdline_free(c->cl);
	close(c->memfd);
	free(c->out);
	free(c);
	n_clients--;
}

static int
queue_out(struct client *c, const void *data, size_t len)
{
	if (c->out_len + len > CTL_OUT_MAX)
		return -ENOBUFS;
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		while (cap < c->out_len + len)
			cap *= 2;
		char *p = realloc(c->out, cap);
		if (p == NULL)
			return -ENOMEM;
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
	return 0;
}

// Moves what the command printed into the output queue.
static int
collect(struct client *c)
{
	off_t size = lseek(c->memfd, 0, SEEK_CUR);
	char buf[65536];
	int ret = 0;

	if (size > 0 && lseek(c->memfd, 0, SEEK_SET) == 0) {
		ssize_t n;
		while (ret == 0 && (n = read(c->memfd, buf, sizeof(buf))) > 0)
			ret = queue_out(c, buf, n);
	}
	if (ftruncate(c->memfd, 0) < 0 || lseek(c->memfd, 0, SEEK_SET) < 0)
		ret = -errno;
	return ret;
}

// Writes what can be written now; watches for EPOLLOUT while something is left.
static int
flush(struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return ctl_loop_mod_fd(c->fd, EPOLLIN | EPOLLOUT);
		if (n <= 0)
			return -EPIPE;
		c->out_off += n;
	}
	c->out_off = c->out_len = 0;
	return ctl_loop_mod_fd(c->fd, EPOLLIN);
}

static int
run_line(struct client *c, const char *line)
{
	char trailer[2] = {0, CTL_STATUS_OK};
	int ret;

	if (cli_exec(c->cl, line) < 0)
		trailer[1] = CTL_STATUS_ERR;
	ret = collect(c);
	if (ret == 0)
		ret = queue_out(c, trailer, sizeof(trailer));
	return ret;
}

static int
too_long(struct client *c)
{
	static const char msg[] = "error: command line too long\n";
	char trailer[2] = {0, CTL_STATUS_ERR};
	int ret = queue_out(c, msg, sizeof(msg) - 1);
	return ret ? ret : queue_out(c, trailer, sizeof(trailer));
}

// Runs every complete line in the input buffer.
static int
process_input(struct client *c)
{
	char *nl;
	int ret = 0;

	while (ret == 0 && (nl = memchr(c->in, '\n', c->in_len)) != NULL) {
		size_t len = nl - c->in + 1;
		*nl = '\0';
		if (c->discarding)
			c->discarding = false;
		else
			ret = run_line(c, c->in);
		memmove(c->in, c->in + len, c->in_len - len);
		c->in_len -= len;
	}
	if (ret == 0 && c->in_len == sizeof(c->in)) {
		// No newline in a full buffer: refuse the line once, then skip to its end.
		if (!c->discarding)
			ret = too_long(c);
		c->discarding = true;
		c->in_len = 0;
	}
	return ret;
}

static void
client_event(int fd, uint32_t events, void *arg)
{
	struct client *c = arg;
	int ret = 0;

	(void)fd;
	if (events & EPOLLIN) {
		ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			client_close(c);
			return;
		}
		if (n > 0) {
			c->in_len += n;
			ret = process_input(c);
		}
	} else if (events & (EPOLLHUP | EPOLLERR)) {
		client_close(c);
		return;
	}
	if (ret == 0)
		ret = flush(c);
	if (ret < 0) {
		LOG(NOTICE, "dropping control client: %s", strerror(-ret));
		client_close(c);
	}
}

static void
accept_event(int fd, uint32_t events, void *arg)
{
	struct client *c;
	int cfd;

	(void)events;
	(void)arg;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (n_clients >= CTL_MAX_CLIENTS) {
		LOG(WARNING, "too many control clients (%d), refusing one", CTL_MAX_CLIENTS);
		close(cfd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto fail;
	c->fd = cfd;
	c->memfd = memfd_create("dxtr-ctl", MFD_CLOEXEC);
	if (c->memfd < 0)
		goto fail;
	c->cl = cmdline_new(cli_ctx(), "", -1, c->memfd);
	if (c->cl == NULL)
		goto fail;
	// cmdline_new may print the (empty) prompt: start from a clean output file.
	if (ftruncate(c->memfd, 0) < 0 || lseek(c->memfd, 0, SEEK_SET) < 0)
		goto fail;
	if (ctl_loop_add_fd(cfd, EPOLLIN, client_event, c) < 0)
		goto fail;
	c->next = clients;
	clients = c;
	n_clients++;
	return;
fail:
	LOG(ERR, "cannot set up a control client");
	if (c != NULL) {
		if (c->cl != NULL)
			cmdline_free(c->cl);
		if (c->memfd > 0)
			close(c->memfd);
		free(c);
	}
	close(cfd);
}

static int
mkdir_parents(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

// Removes a stale socket file; refuses when a live process still listens on it.
static int
clear_stale(const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, ret;

	if (lstat(sun->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (ret == 0)
		return -EADDRINUSE;
	return unlink(sun->sun_path) < 0 ? -errno : 0;
}

int
ctl_server_start(const char *path, unsigned mode)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int ret;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ret = mkdir_parents(path);
	if (ret < 0)
		return ret;
	ret = clear_stale(&sun);
	if (ret < 0)
		return ret;
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -errno;
	// Create the socket with no access for others, then open it up to the configured mode.
	mode_t old = umask(0177);
	ret = bind(listen_fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret < 0 || chmod(path, mode) < 0 || listen(listen_fd, 16) < 0) {
		ret = -errno;
		close(listen_fd);
		listen_fd = -1;
		return ret;
	}
	snprintf(sock_path, sizeof(sock_path), "%s", path);
	ret = ctl_loop_add_fd(listen_fd, EPOLLIN, accept_event, NULL);
	if (ret < 0) {
		ctl_server_stop();
		return ret;
	}
	LOG(INFO, "control socket %s", path);
	return 0;
}

void
ctl_server_stop(void)
{
	while (clients != NULL) {
		flush(clients); // a last try for the reply to 'quit'
		client_close(clients);
	}
	if (listen_fd >= 0) {
		ctl_loop_del_fd(listen_fd);
		close(listen_fd);
		unlink(sock_path);
	}
	listen_fd = -1;
}
