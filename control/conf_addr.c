// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// Address, prefix and log level helpers shared by the YAML loader and the shell.

#include "conf.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int
conf_parse_addr(const char *s, struct ip_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -1;
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &a->v6) != 1)
			return -1;
		a->af = AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, &a->v4) != 1)
			return -1;
		a->af = AF_INET;
	}
	return 0;
}

int
conf_parse_prefix(const char *s, struct ip_prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash, *d;
	unsigned len = 0;

	memset(p, 0, sizeof(*p));
	if (s == NULL || (slash = strchr(s, '/')) == NULL)
		return -1;
	if ((size_t)(slash - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	if (conf_parse_addr(addr, &p->addr) < 0)
		return -1;

	// 1 to 3 decimal digits, no sign, no leading zero.
	d = slash + 1;
	if (*d == '\0' || strlen(d) > 3 || (d[0] == '0' && d[1] != '\0'))
		goto err;
	for (; *d != '\0'; d++) {
		if (*d < '0' || *d > '9')
			goto err;
		len = len * 10 + (unsigned)(*d - '0');
	}
	if (len > (p->addr.af == AF_INET ? 32u : 128u))
		goto err;
	p->len = (uint8_t)len;
	return 0;
err:
	memset(p, 0, sizeof(*p));
	return -1;
}

// The mask byte i of a prefix of len bits.
static uint8_t
mask_byte(unsigned len, unsigned i)
{
	if (len >= 8 * (i + 1))
		return 0xff;
	if (len <= 8 * i)
		return 0;
	return (uint8_t)(0xff << (8 - (len - 8 * i)));
}

static unsigned
addr_bytes(int af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

void
conf_prefix_mask(struct ip_prefix *p)
{
	for (unsigned i = 0; i < addr_bytes(p->addr.af); i++)
		p->addr.bytes[i] &= mask_byte(p->len, i);
}

bool
conf_prefix_is_canonical(const struct ip_prefix *p)
{
	unsigned n = addr_bytes(p->addr.af);

	if (n == 0 || p->len > 8 * n)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if ((p->addr.bytes[i] & ~mask_byte(p->len, i)) != 0)
			return false;
	}
	return true;
}

bool
conf_prefix_contains(const struct ip_prefix *p, const struct ip_addr *a)
{
	unsigned n = addr_bytes(p->addr.af);

	if (n == 0 || a->af != p->addr.af || p->len > 8 * n)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (((p->addr.bytes[i] ^ a->bytes[i]) & mask_byte(p->len, i)) != 0)
			return false;
	}
	return true;
}

const char *
conf_fmt_addr(const struct ip_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if ((a->af != AF_INET && a->af != AF_INET6) || inet_ntop(a->af, a->bytes, buf, len) == NULL)
		snprintf(buf, len, "%s", a->af == 0 ? "unset" : "?");
	return buf;
}

const char *
conf_fmt_prefix(const struct ip_prefix *p, char *buf, size_t len)
{
	size_t n;

	conf_fmt_addr(&p->addr, buf, len);
	n = strlen(buf);
	if (n < len)
		snprintf(buf + n, len - n, "/%u", p->len);
	return buf;
}

// Indexed by RTE_LOG_* value (RTE_LOG_EMERG is 1, RTE_LOG_DEBUG is 8).
static const char *const level_names[] = {
	[1] = "emerg",
	[2] = "alert",
	[3] = "crit",
	[4] = "err",
	[5] = "warning",
	[6] = "notice",
	[7] = "info",
	[8] = "debug",
};

int
conf_log_level_parse(const char *s)
{
	if (s == NULL)
		return -1;
	for (unsigned i = 1; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0)
			return (int)i;
	}
	if (strcmp(s, "error") == 0)
		return 4;
	if (strcmp(s, "warn") == 0)
		return 5;
	return -1;
}

const char *
conf_log_level_name(unsigned level)
{
	if (level == 0 || level >= sizeof(level_names) / sizeof(level_names[0]))
		return NULL;
	return level_names[level];
}
