// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// EAL arguments from the configuration: lcores, memory, hugepages or not, in-memory, file
// prefix, devices (PCI allow-list or vdevs), then the configured extra arguments verbatim.

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dxtr.h"

#define EAL_TEXT_MAX 16384

static char text[EAL_TEXT_MAX];

struct builder {
	char **argv;
	int argc;
	int max;
	size_t used;
	bool overflow;
};

static void __attribute__((format(printf, 2, 3)))
add(struct builder *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->argc >= b->max - 1 || b->used >= sizeof(text)) {
		b->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(text + b->used, sizeof(text) - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(text) - b->used) {
		b->overflow = true;
		return;
	}
	b->argv[b->argc++] = text + b->used;
	b->used += n + 1;
}

// A PCI address is hex digits with ':' and '.', as the loader checked; a vdev starts with "net_".
static bool
is_pci(const char *device)
{
	return strncmp(device, "net_", 4) != 0;
}

int
eal_args_build(const struct dxtr_conf *c, const char *prog, char **argv, int max)
{
	struct builder b = {.argv = argv, .max = max};
	char lcores[CONF_MAX_WORKERS * 8 + 8];
	size_t n;
	bool any_pci = false;

	b.used = 0;
	add(&b, "%s", prog);

	n = snprintf(lcores, sizeof(lcores), "%u", c->eal.control_lcore);
	for (unsigned i = 0; i < c->eal.n_workers && n < sizeof(lcores); i++)
		n += snprintf(lcores + n, sizeof(lcores) - n, ",%u", c->eal.worker_lcores[i]);
	add(&b, "-l");
	add(&b, "%s", lcores);
	add(&b, "--main-lcore");
	add(&b, "%u", c->eal.control_lcore);
	add(&b, "-m");
	add(&b, "%u", c->eal.memory_mb);

	if (!c->eal.hugepages) {
		add(&b, "--no-huge");
		add(&b, "--no-shconf");
	} else if (c->eal.in_memory) {
		add(&b, "--in-memory");
	} else {
		// No hugepage files left in /dev/hugepages, even after a crash.
		add(&b, "--huge-unlink");
	}
	// Always our own prefix: it names EAL's runtime directory (telemetry socket) even in memory.
	add(&b, "--file-prefix");
	add(&b, "%s", c->eal.file_prefix);

	for (unsigned i = 0; i < c->n_ports; i++) {
		const char *dev = c->ports[i].device;
		if (is_pci(dev)) {
			add(&b, "-a");
			any_pci = true;
		} else {
			add(&b, "--vdev");
		}
		add(&b, "%s", dev);
	}
	if (!any_pci)
		add(&b, "--no-pci");

	for (unsigned i = 0; i < c->eal.n_args; i++)
		add(&b, "%s", c->eal.args[i]);

	if (b.overflow)
		return -1;
	argv[b.argc] = NULL;
	return b.argc;
}
