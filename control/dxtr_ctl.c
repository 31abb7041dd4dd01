// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// dxtr-ctl [-s SOCK] [COMMAND...]: sends one command to a running dxtr, prints the reply and
// exits 1 when the command failed. With no command, reads commands from standard input (one per
// line, with a prompt on a terminal) until end of input or 'exit'.

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "ctl_proto.h"

#define EXIT_NO_DAEMON 2

static int
connect_to(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "dxtr-ctl: socket path too long: %s\n", path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "dxtr-ctl: cannot connect to %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

// Sends line (without '\n'), copies the reply to stdout. Returns the status byte, or -1 when the
// connection broke.
static int
run(int fd, const char *line)
{
	char buf[65536];
	bool nul = false;

	if (send_all(fd, line, strlen(line)) < 0 || send_all(fd, "\n", 1) < 0) {
		fprintf(stderr, "dxtr-ctl: connection lost\n");
		return -1;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "dxtr-ctl: connection closed before the reply ended\n");
			return -1;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (nul) {
				fflush(stdout);
				// Nothing may follow the trailer: one request, one reply.
				return (unsigned char)buf[i];
			}
			if (buf[i] == '\0')
				nul = true;
			else
				putchar(buf[i]);
		}
	}
}

static int
interactive(int fd)
{
	bool tty = isatty(STDIN_FILENO);
	char line[CTL_LINE_MAX + 1];
	int failures = 0;

	for (;;) {
		if (tty) {
			printf("dxtr> ");
			fflush(stdout);
		}
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
		size_t len = strcspn(line, "\n");
		if (line[len] != '\n' && !feof(stdin)) {
			fprintf(stderr, "dxtr-ctl: line too long (at most %d bytes)\n", CTL_LINE_MAX - 1);
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			failures++;
			continue;
		}
		line[len] = '\0';
		if (strcmp(line, "exit") == 0)
			break;
		int st = run(fd, line);
		if (st < 0)
			return EXIT_NO_DAEMON;
		if (st != CTL_STATUS_OK)
			failures++;
		if (strcmp(line, "quit") == 0)
			break;
	}
	if (tty)
		printf("\n");
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: dxtr-ctl [-s SOCKET] [COMMAND...]\n"
		"  -s, --socket PATH  the control socket (default %s, or $DXTR_SOCKET)\n"
		"  With a COMMAND, runs it and exits 0 on success, 1 when it failed, 2 when dxtr\n"
		"  cannot be reached. Without, reads commands from standard input.\n",
		CONF_DEFAULT_SOCKET);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"socket", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *path = getenv("DXTR_SOCKET");
	char line[CTL_LINE_MAX];
	size_t len = 0;
	int c, fd, st;

	if (path == NULL || *path == '\0')
		path = CONF_DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_NO_DAEMON;
		}
	}
	fd = connect_to(path);
	if (fd < 0)
		return EXIT_NO_DAEMON;
	if (optind == argc) {
		st = interactive(fd);
		close(fd);
		return st;
	}
	line[0] = '\0';
	for (int i = optind; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s", i > optind ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - len) {
			fprintf(stderr, "dxtr-ctl: command too long (at most %d bytes)\n", CTL_LINE_MAX - 1);
			close(fd);
			return EXIT_FAILURE;
		}
		len += n;
	}
	st = run(fd, line);
	close(fd);
	if (st < 0)
		return EXIT_NO_DAEMON;
	return st == CTL_STATUS_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}
