// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

LOG_TYPE(log);

// rte_log has no iterator over its types: read them back from rte_log_dump.
int
dxtr_log_foreach(void (*cb)(const char *name, unsigned level, void *arg), void *arg)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return -1;
	rte_log_dump(f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		unsigned id;
		if (sscanf(line, "id %u: %127[^,],", &id, name) != 2)
			continue;
		int level = rte_log_get_level(id);
		if (level > 0)
			cb(name, level, arg);
	}
	free(text);
	return 0;
}

struct match_ctx {
	const char *pattern;
	unsigned matched;
};

static void
count_match(const char *name, unsigned level, void *arg)
{
	struct match_ctx *m = arg;
	(void)level;
	if (fnmatch(m->pattern, name, 0) == 0)
		m->matched++;
}

int
dxtr_log_set_level(const char *pattern, unsigned level)
{
	struct match_ctx m = {.pattern = pattern};

	if (level < RTE_LOG_EMERG || level > RTE_LOG_DEBUG)
		return -1;
	if (rte_log_set_level_pattern(pattern, level) < 0)
		return -1;
	dxtr_log_foreach(count_match, &m);
	LOG(DEBUG, "level %u for '%s' (%u types)", level, pattern, m.matched);
	return m.matched ? 0 : -1;
}
