// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"

unsigned
cli_split(char *s, char **w, unsigned max)
{
	unsigned n = 0;
	char *save = NULL;

	for (char *t = strtok_r(s, " \t\r\n", &save); t != NULL && n < max;
	     t = strtok_r(NULL, " \t\r\n", &save))
		w[n++] = t;
	return n;
}

int
cli_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s == '\0' || *s == '-')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int
cli_parse_target(struct cmdline *cl, char **w, unsigned n, uint32_t *iid, struct ip_prefix *p)
{
	unsigned i = 0;

	*iid = 0;
	if (i < n && strcmp(w[i], "iid") == 0) {
		if (i + 1 >= n || cli_parse_u32(w[i + 1], CONF_IID_MAX, iid) < 0) {
			cli_fail(cl, "iid needs a number 0..%u", CONF_IID_MAX);
			return -1;
		}
		i += 2;
	}
	if (i >= n || conf_parse_prefix(w[i], p) < 0) {
		cli_fail(cl, "expected an EID prefix such as 198.51.100.0/24, got '%s'",
			 i < n ? w[i] : "");
		return -1;
	}
	if (!conf_prefix_is_canonical(p)) {
		cli_fail(cl, "'%s' has host bits set", w[i]);
		return -1;
	}
	return i + 1;
}

int
cli_parse_locators(
	struct cmdline *cl,
	char **w,
	unsigned n,
	unsigned i,
	const char *keyword,
	struct conf_locator *loc
)
{
	unsigned n_loc = 0;
	uint32_t v;

	while (i < n) {
		if (strcmp(w[i], keyword) != 0 || i + 1 >= n) {
			cli_fail(cl, "expected '%s ADDR' at '%s'", keyword, w[i]);
			return -1;
		}
		if (n_loc == CONF_MAX_LOCATORS) {
			cli_fail(cl, "at most %u locators", CONF_MAX_LOCATORS);
			return -1;
		}
		struct conf_locator *l = &loc[n_loc++];
		*l = (struct conf_locator){.priority = 1, .weight = 100};
		if (conf_parse_addr(w[i + 1], &l->addr) < 0) {
			cli_fail(cl, "bad locator address '%s'", w[i + 1]);
			return -1;
		}
		for (unsigned j = 0; j + 1 < n_loc; j++) {
			if (loc[j].addr.af == l->addr.af &&
			    memcmp(loc[j].addr.bytes, l->addr.bytes, 16) == 0) {
				cli_fail(cl, "locator '%s' is listed twice", w[i + 1]);
				return -1;
			}
		}
		i += 2;
		while (i + 1 < n && (strcmp(w[i], "priority") == 0 || strcmp(w[i], "weight") == 0)) {
			bool prio = w[i][0] == 'p';
			if (cli_parse_u32(w[i + 1], prio ? 255 : 100, &v) < 0) {
				cli_fail(cl, "%s must be 0..%u", w[i], prio ? 255 : 100);
				return -1;
			}
			if (prio)
				l->priority = v;
			else
				l->weight = v;
			i += 2;
		}
	}
	if (n_loc == 0) {
		cli_fail(cl, "expected '%s ADDR'", keyword);
		return -1;
	}
	return n_loc;
}
