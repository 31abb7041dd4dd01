// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// The command layer without EAL: cli_exec's parse and failure handling, the text and JSON
// renderings of struct out, and the EAL argument builder.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <cmdline_parse_num.h>

#include "cli_args.h"
#include "cli_show.h"
#include "dxtr.h"

// Test commands ------------------------------------------------------------------------------

struct num_res {
	cmdline_fixed_string_t word;
	uint32_t n;
};

static int last_n = -1;

static void
num_cb(void *res, struct cmdline *cl, void *data)
{
	struct num_res *r = res;

	(void)data;
	if (r->n > 100) {
		cli_fail(cl, "%u is too big", r->n);
		return;
	}
	last_n = r->n;
	cmdline_printf(cl, "n=%u\n", r->n);
}

static cmdline_parse_token_string_t num_t0 = TOKEN_STRING_INITIALIZER(struct num_res, word, "num");
static cmdline_parse_token_num_t num_t1 = TOKEN_NUM_INITIALIZER(struct num_res, n, RTE_UINT32);
static cmdline_parse_inst_t cmd_num = {
	.f = num_cb,
	.help_str = "num N: a test command",
	.tokens = {(void *)&num_t0, (void *)&num_t1, NULL},
};

static int
show_thing(struct out *o, struct cmdline *cl)
{
	(void)cl;
	out_str(o, "name", "a \"quoted\"\tname");
	out_u64(o, "count", 42);
	out_int(o, "delta", -3);
	out_bool(o, "up", true);
	out_null(o, "none");
	out_list(o, "addrs");
	out_str(o, NULL, "192.0.2.1/24");
	out_str(o, NULL, "2001:db8::1/64");
	out_close(o);
	out_list(o, "empty");
	out_close(o);
	out_list(o, "items");
	out_obj(o, NULL);
	out_str(o, "k", "v1");
	out_obj(o, "inner");
	out_u64(o, "x", 1);
	out_close(o);
	out_close(o);
	out_obj(o, NULL);
	out_str(o, "k", "v2");
	out_close(o);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_thing, "thing", show_thing, "a test object");

static int
show_broken(struct out *o, struct cmdline *cl)
{
	(void)o;
	cli_fail(cl, "nothing to show");
	return -1;
}
CLI_SHOW(cmd_show_broken, "broken", show_broken, "always fails");

CLI_GROUP(
	test,
	&cmd_num,
	&cmd_show_thing,
	&cmd_show_thing_json,
	&cmd_show_broken,
	&cmd_show_broken_json
);

// Harness ------------------------------------------------------------------------------------

struct shell {
	int fd;
	struct cmdline *cl;
	char out[8192];
};

static int
setup(void **state)
{
	struct shell *s = calloc(1, sizeof(*s));

	s->fd = memfd_create("cli_test", 0);
	assert_true(s->fd >= 0);
	s->cl = cmdline_new(cli_ctx(), "", -1, s->fd);
	assert_non_null(s->cl);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct shell *s = *state;

	cmdline_free(s->cl);
	close(s->fd);
	free(s);
	cli_fini();
	return 0;
}

// Runs line; returns cli_exec's result and leaves the output in s->out.
static int
run(struct shell *s, const char *line)
{
	assert_int_equal(ftruncate(s->fd, 0), 0);
	lseek(s->fd, 0, SEEK_SET);
	int ret = cli_exec(s->cl, line);
	off_t len = lseek(s->fd, 0, SEEK_CUR);
	assert_true(len >= 0 && (size_t)len < sizeof(s->out));
	assert_int_equal(pread(s->fd, s->out, len, 0), len);
	s->out[len] = '\0';
	return ret;
}

// Tests --------------------------------------------------------------------------------------

static void
test_exec_success(void **state)
{
	struct shell *s = *state;

	assert_int_equal(run(s, "num 7"), 0);
	assert_string_equal(s->out, "n=7\n");
	assert_int_equal(last_n, 7);
	// Trailing newline and spaces are fine.
	assert_int_equal(run(s, "num   8  \n"), 0);
	assert_int_equal(last_n, 8);
}

static void
test_exec_errors(void **state)
{
	struct shell *s = *state;
	char longline[2048];

	assert_int_equal(run(s, "frobnicate"), -1);
	assert_string_equal(s->out, "error: unknown command (try 'help')\n");
	assert_int_equal(run(s, "num x"), -1);
	assert_string_equal(s->out, "error: bad arguments (try 'help')\n");
	assert_int_equal(run(s, "num 1 2"), -1);
	assert_int_equal(run(s, "num 101"), -1);
	assert_string_equal(s->out, "error: 101 is too big\n");
	// A failure does not stick to the next command.
	assert_int_equal(run(s, "num 3"), 0);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	assert_int_equal(run(s, longline), -1);
	assert_non_null(strstr(s->out, "too long"));
	assert_int_equal(run(s, ""), 0);
	assert_int_equal(run(s, "   "), 0);
	assert_int_equal(run(s, "show broken json"), -1);
	assert_string_equal(s->out, "error: nothing to show\n");
}

static void
test_show_json(void **state)
{
	struct shell *s = *state;

	assert_int_equal(run(s, "show thing json"), 0);
	assert_string_equal(
		s->out,
		"{\"name\":\"a \\\"quoted\\\"\\u0009name\",\"count\":42,\"delta\":-3,\"up\":true,"
		"\"none\":null,\"addrs\":[\"192.0.2.1/24\",\"2001:db8::1/64\"],\"empty\":[],"
		"\"items\":[{\"k\":\"v1\",\"inner\":{\"x\":1}},{\"k\":\"v2\"}]}\n"
	);
}

static void
test_show_text(void **state)
{
	struct shell *s = *state;

	assert_int_equal(run(s, "show thing"), 0);
	assert_string_equal(
		s->out,
		"name: a \"quoted\"\tname\n"
		"count: 42\n"
		"delta: -3\n"
		"up: true\n"
		"none: -\n"
		"addrs:\n"
		"- 192.0.2.1/24\n"
		"- 2001:db8::1/64\n"
		"empty:\n"
		"  []\n"
		"items:\n"
		"  - k: v1\n"
		"    inner:\n"
		"      x: 1\n"
		"  - k: v2\n"
	);
}

// cli_parse_locators (cli_args.c), on the shell's cmdline so that its errors can be read.
static int
parse_locators(struct shell *s, const char *args, struct conf_locator *loc)
{
	char text[256], *w[CLI_MAX_WORDS];
	unsigned n;
	off_t len;
	int ret;

	snprintf(text, sizeof(text), "%s", args);
	n = cli_split(text, w, CLI_MAX_WORDS);
	assert_int_equal(ftruncate(s->fd, 0), 0);
	lseek(s->fd, 0, SEEK_SET);
	ret = cli_parse_locators(s->cl, w, n, 0, "rloc", loc);
	len = lseek(s->fd, 0, SEEK_CUR);
	assert_true(len >= 0 && (size_t)len < sizeof(s->out));
	assert_int_equal(pread(s->fd, s->out, len, 0), len);
	s->out[len] = '\0';
	return ret;
}

static void
test_parse_locators(void **state)
{
	struct shell *s = *state;
	struct conf_locator loc[CONF_MAX_LOCATORS];

	assert_int_equal(
		parse_locators(s, "rloc 192.0.2.1 priority 2 rloc 2001:db8::1 weight 0", loc), 2);
	assert_int_equal(loc[0].addr.af, AF_INET);
	assert_int_equal(loc[0].priority, 2);
	assert_int_equal(loc[0].weight, 100);
	assert_int_equal(loc[1].addr.af, AF_INET6);
	assert_int_equal(loc[1].priority, 1);
	assert_int_equal(loc[1].weight, 0);
	// Each address once, as in the configuration file (found by cli_fuzz).
	assert_int_equal(
		parse_locators(s, "rloc 192.0.2.1 rloc 2001:db8::1 rloc 192.0.2.1", loc), -1);
	assert_string_equal(s->out, "error: locator '192.0.2.1' is listed twice\n");
	assert_int_equal(parse_locators(s, "rloc 2001:db8::1 rloc 2001:DB8:0::1", loc), -1);
	assert_int_equal(parse_locators(s, "rloc 192.0.2.1 weight 101", loc), -1);
	assert_int_equal(parse_locators(s, "", loc), -1);
}

static void
test_eal_args(void **state)
{
	static struct dxtr_conf c; // about 1 MiB: off the stack
	char *argv[64];
	char joined[2048] = "";

	(void)state;
	conf_defaults(&c);
	c.eal.worker_lcores[0] = 2;
	c.eal.worker_lcores[1] = 3;
	c.eal.n_workers = 2;
	c.n_ports = 2;
	snprintf(c.ports[0].device, sizeof(c.ports[0].device), "net_af_packet0,iface=v0");
	snprintf(c.ports[1].device, sizeof(c.ports[1].device), "0000:01:00.0");
	snprintf(c.eal.args[0], sizeof(c.eal.args[0]), "--log-level=lib.eal:debug");
	c.eal.n_args = 1;
	int argc = eal_args_build(&c, "dxtr", argv, 64);
	assert_true(argc > 0);
	assert_null(argv[argc]);
	for (int i = 0; i < argc; i++) {
		strcat(joined, argv[i]);
		strcat(joined, i + 1 < argc ? " " : "");
	}
	assert_string_equal(
		joined,
		"dxtr -l 0,2,3 --main-lcore 0 -m 512 --no-huge --no-shconf --file-prefix dxtr "
		"--vdev net_af_packet0,iface=v0 -a 0000:01:00.0 --log-level=lib.eal:debug"
	);

	// Hugepages in memory, vdevs only: no file prefix, no PCI bus.
	c.eal.hugepages = true;
	c.eal.in_memory = true;
	c.n_ports = 1;
	c.eal.n_args = 0;
	argc = eal_args_build(&c, "dxtr", argv, 64);
	joined[0] = '\0';
	for (int i = 0; i < argc; i++) {
		strcat(joined, argv[i]);
		strcat(joined, i + 1 < argc ? " " : "");
	}
	assert_string_equal(
		joined,
		"dxtr -l 0,2,3 --main-lcore 0 -m 512 --in-memory --file-prefix dxtr "
		"--vdev net_af_packet0,iface=v0 --no-pci"
	);
	// Too small an argv is an error, not an overflow.
	assert_int_equal(eal_args_build(&c, "dxtr", argv, 4), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_locators, setup, teardown),
		cmocka_unit_test(test_eal_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
