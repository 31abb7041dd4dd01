// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// dxtr -c FILE [-i] [--check]: load and validate the configuration, start EAL, ports and
// workers, serve the shell, and shut everything down cleanly on quit, SIGINT or SIGTERM.

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cmdline_socket.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "cli.h"
#include "ctl_loop.h"
#include "ctl_server.h"
#include "dp.h"
#include "dxtr.h"
#include "log.h"
#include "etr.h"
#include "map_request.h"
#include "mapping.h"
#include "neighbor.h"
#include "pending.h"
#include "probe.h"
#include "punt.h"
#include "register.h"
#include "underlay.h"

LOG_TYPE(main);

#define EXIT_CONFIG 2
#define EAL_ARGV_MAX 128

struct dxtr_state dxtr;

void
dxtr_quit(void)
{
	ctl_loop_stop();
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s -c FILE [-i] [--check]\n"
		"  -c, --config FILE  the YAML configuration (see conf/dxtr.example.yaml)\n"
		"  -i, --interactive  run the shell on this terminal\n"
		"      --check        validate the configuration and exit\n"
		"  -V, --version      print the version and exit\n"
		"  -h, --help         this text\n",
		prog);
}

struct options {
	const char *config;
	bool interactive;
	bool check;
};

static int
parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"interactive", no_argument, NULL, 'i'},
		{"check", no_argument, NULL, 'C'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:iVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt->config = optarg;
			break;
		case 'i':
			opt->interactive = true;
			break;
		case 'C':
			opt->check = true;
			break;
		case 'V':
			printf("dxtr %s\n", DXTR_VERSION);
			exit(EXIT_SUCCESS);
		case 'h':
			usage(stdout, argv[0]);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		return -1;
	}
	if (opt->config == NULL) {
		fprintf(stderr, "%s: -c FILE is required\n", argv[0]);
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

// Signals ------------------------------------------------------------------------------------

static int sig_fd = -1;

static void
signal_event(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	if (read(fd, &si, sizeof(si)) == sizeof(si)) {
		LOG(NOTICE, "signal %u: stopping", si.ssi_signo);
		dxtr_quit();
	}
}

// Blocks SIGINT and SIGTERM in every thread (call before EAL creates any) and returns a
// signalfd for them.
static int
block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

// The terminal shell ---------------------------------------------------------------------------

static struct cmdline *term_cl;

static void
term_event(int fd, uint32_t events, void *arg)
{
	char buf[256];
	ssize_t n;

	(void)events;
	(void)arg;
	n = read(fd, buf, sizeof(buf));
	if (n <= 0) {
		// End of input on the terminal: same as quit.
		dxtr_quit();
		return;
	}
	if (cmdline_in(term_cl, buf, n) < 0 && term_cl != NULL)
		LOG(DEBUG, "terminal input rejected");
}

static int
term_start(void)
{
	term_cl = cmdline_stdin_new(cli_ctx(), "dxtr> ");
	if (term_cl == NULL)
		return -ENOMEM;
	return ctl_loop_add_fd(STDIN_FILENO, EPOLLIN, term_event, NULL);
}

static void
term_stop(void)
{
	if (term_cl == NULL)
		return;
	ctl_loop_del_fd(STDIN_FILENO);
	cmdline_printf(term_cl, "\n");
	cmdline_stdin_exit(term_cl);
	term_cl = NULL;
}

// Periodic LISP housekeeping: pending destinations' timeouts, map-cache reclamation.
#define LISP_TICK_MS 100

static void
lisp_tick(void *arg)
{
	(void)arg;
	pending_tick();
	mreq_tick();
	probe_tick();
	register_tick();
	mapping_tick();
}

// Start-up -----------------------------------------------------------------------------------

static int
apply_log_levels(const struct dxtr_conf *c)
{
	dxtr_log_set_level("dxtr.*", c->log.level);
	for (unsigned i = 0; i < c->log.n_types; i++)
		if (dxtr_log_set_level(c->log.types[i].name, c->log.types[i].level) < 0)
			LOG(WARNING, "log type '%s' matches nothing yet", c->log.types[i].name);
	return 0;
}

static int
start_ports(const struct dxtr_conf *c)
{
	struct dp_init_conf dc = {
		.n_workers = c->eal.n_workers,
		.n_mbufs = c->dataplane.mbufs,
		.burst = c->dataplane.burst,
	};
	char err[256];
	int ret;

	for (unsigned i = 0; i < c->eal.n_workers; i++)
		dc.worker_lcores[i] = c->eal.worker_lcores[i];
	ret = dp_init(&dc);
	if (ret < 0) {
		fprintf(stderr, "dxtr: cannot create the mbuf pool: %s\n", rte_strerror(-ret));
		return ret;
	}
	for (unsigned i = 0; i < c->n_ports; i++) {
		const struct conf_port *p = &c->ports[i];
		struct dp_port_conf pc = {
			.name = p->name,
			.device = p->device,
			.role = p->role == CONF_ROLE_EID ? DP_ROLE_EID : DP_ROLE_RLOC,
			.iid = p->iid,
			.mtu = p->mtu,
			.rx_desc = p->rx_desc,
			.tx_desc = p->tx_desc,
		};
		for (unsigned a = 0; a < p->n_addrs && a < CONF_MAX_PORT_ADDRS; a++) {
			const struct ip_addr *ip = &p->addrs[a].addr;
			if (ip->af == AF_INET && pc.n_ip4 < DP_MAX_ADDRS)
				pc.ip4[pc.n_ip4++] = ip->v4.s_addr;
			else if (ip->af == AF_INET6 && pc.n_ip6 < DP_MAX_ADDRS)
				memcpy(pc.ip6[pc.n_ip6++], ip->v6.s6_addr, 16);
		}
		ret = dp_port_add(&pc, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr,
				"%s:%u:%u: port '%s': %s\n",
				c->path,
				p->mark.line,
				p->mark.col,
				p->name,
				err);
			return ret;
		}
		LOG(INFO, "port %s (%s) ready", p->name, p->device);
	}
	return 0;
}

// EAL leaves its runtime directory (/var/run/dpdk/PREFIX) behind: remove it once EAL, which
// holds the prefix while it runs, is done with it.
static void
remove_runtime_dir(const struct dxtr_conf *c)
{
	char dir[512];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/%s", getuid() == 0 ? "/var/run/dpdk" : "/tmp/dpdk",
		 c->eal.file_prefix);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	char *eal_argv[EAL_ARGV_MAX];
	struct options opt = {0};
	char err[1024];
	int eal_argc, ret, status = EXIT_FAILURE;

	rte_openlog_stream(stderr);
	if (parse_options(argc, argv, &opt) < 0)
		return EXIT_CONFIG;
	if (conf_load_file(&dxtr.conf, opt.config, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s", err);
		return EXIT_CONFIG;
	}
	if (opt.check) {
		printf("%s: configuration OK\n", opt.config);
		return EXIT_SUCCESS;
	}
	dxtr.interactive = opt.interactive;
	dxtr.started = time(NULL);
	apply_log_levels(&dxtr.conf);

	sig_fd = block_signals();
	if (sig_fd < 0) {
		fprintf(stderr, "dxtr: cannot set up signals: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	eal_argc = eal_args_build(&dxtr.conf, argv[0], eal_argv, EAL_ARGV_MAX);
	if (eal_argc < 0) {
		fprintf(stderr, "%s: too many EAL arguments\n", opt.config);
		return EXIT_CONFIG;
	}
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		// The runtime directory may belong to another process using the same prefix: leave it.
		fprintf(stderr, "dxtr: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	apply_log_levels(&dxtr.conf); // again, for the types EAL and drivers registered

	if (ctl_loop_init() < 0 || ctl_loop_add_fd(sig_fd, EPOLLIN, signal_event, NULL) < 0) {
		fprintf(stderr, "dxtr: cannot start the control loop\n");
		goto out_eal;
	}
	if (start_ports(&dxtr.conf) < 0)
		goto out_ports;
	if (underlay_start(&dxtr.conf, err, sizeof(err)) < 0 || punt_start() < 0) {
		fprintf(stderr, "dxtr: underlay: %s\n", err);
		goto out_ports;
	}
	snprintf(err, sizeof(err), "out of memory");
	if (pending_init(&dxtr.conf.lisp) < 0 || mreq_init(&dxtr.conf) < 0 ||
	    etr_init(&dxtr.conf) < 0 || probe_init(&dxtr.conf) < 0 ||
	    register_init(&dxtr.conf) < 0 ||
	    mapping_init(&dxtr.conf, err, sizeof(err)) < 0 ||
	    ctl_loop_add_timer(LISP_TICK_MS, lisp_tick, NULL) < 0) {
		fprintf(stderr, "dxtr: map-cache: %s\n", err);
		goto out_lisp;
	}
	ret = ctl_server_start(dxtr.conf.control.socket, dxtr.conf.control.socket_mode);
	if (ret < 0) {
		fprintf(stderr,
			"dxtr: control socket %s: %s\n",
			dxtr.conf.control.socket,
			strerror(-ret));
		goto out_lisp;
	}
	ret = dp_start();
	if (ret < 0) {
		fprintf(stderr, "dxtr: cannot start the workers: %s\n", rte_strerror(-ret));
		goto out_server;
	}
	if (opt.interactive && term_start() < 0) {
		fprintf(stderr, "dxtr: cannot start the shell\n");
		goto out_workers;
	}
	LOG(NOTICE,
	    "dxtr %s running: %u ports, %u workers, control socket %s",
	    DXTR_VERSION,
	    dp_port_count(),
	    dp_worker_count(),
	    dxtr.conf.control.socket);

	ctl_loop_run();
	status = EXIT_SUCCESS;

	term_stop();
out_workers:
	dp_stop();
out_server:
	ctl_server_stop();
out_lisp:
	pending_fini();
	mreq_fini();
	mapping_fini();
out_ports:
	neigh_fini();
	dp_fini();
	ctl_loop_fini();
	cli_fini();
out_eal:
	rte_eal_cleanup();
	remove_runtime_dir(&dxtr.conf);
	close(sig_fd);
	LOG(NOTICE, "dxtr stopped");
	return status;
}
