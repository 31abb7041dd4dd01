// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// show config: the running configuration, every section (Map-Server keys are not shown).

#include "cli_show.h"
#include "dxtr.h"

static const char *const act_names[] = {
	[CONF_ACT_NO_ACTION] = "no-action",
	[CONF_ACT_NATIVE_FWD] = "natively-forward",
	[CONF_ACT_SEND_MAP_REQUEST] = "send-map-request",
	[CONF_ACT_DROP] = "drop",
};

static const char *
act_name(enum conf_map_action a)
{
	return a < RTE_DIM(act_names) && act_names[a] != NULL ? act_names[a] : "locators";
}

static void
show_lisp(struct out *o, const struct conf_lisp *l)
{
	out_obj(o, "lisp");
	out_str(o, "nonce", l->nonce == CONF_NONCE_RANDOM ? "random" : "none");
	out_str(o, "instance-id-bit", l->iid_always ? "always" : "auto");
	out_bool(o, "locator-status-bits", l->lsb);
	out_bool(o, "udp-checksum-ipv6", l->udp_csum6);
	out_u64(o, "path-mtu", l->path_mtu);
	out_u64(o, "icmp-rate-limit", l->icmp_rate);
	out_obj(o, "miss");
	out_u64(o, "rate-limit", l->miss_rate);
	out_u64(o, "hold-packets", l->hold_packets);
	out_u64(o, "hold-total", l->hold_total);
	out_u64(o, "hold-timeout-ms", l->hold_timeout_ms);
	out_close(o);
	out_close(o);
}

static void
show_mapsys(struct out *o, const struct conf_mapsys *m)
{
	char buf[INET6_ADDRSTRLEN];

	out_obj(o, "mapping-system");
	out_list(o, "map-resolvers");
	for (unsigned i = 0; i < m->n_resolvers; i++)
		out_str(o, NULL, conf_fmt_addr(&m->resolvers[i], buf, sizeof(buf)));
	out_close(o);
	out_obj(o, "map-request");
	out_u64(o, "retries", m->retries);
	out_u64(o, "interval-ms", m->interval_ms);
	out_u64(o, "rate-limit", m->request_rate);
	out_close(o);
	out_u64(o, "negative-ttl", m->negative_ttl);
	out_str(o, "negative-action", act_name(m->negative_action));
	out_bool(o, "refresh", m->refresh);
	out_obj(o, "etr");
	out_u64(o, "map-reply-ttl", m->reply_ttl_min);
	out_u64(o, "rate-limit", m->reply_rate);
	out_bool(o, "echo-nonce", m->echo_nonce);
	out_close(o);
	out_list(o, "map-servers");
	for (unsigned i = 0; i < m->n_servers; i++) {
		const struct conf_map_server *s = &m->servers[i];
		out_obj(o, NULL);
		out_str(o, "address", conf_fmt_addr(&s->addr, buf, sizeof(buf)));
		out_str(o, "key", "(hidden)");
		out_u64(o, "key-id", s->key_id);
		out_str(o, "algorithm",
			s->alg == CONF_AUTH_HMAC_SHA1_96 ? "hmac-sha-1-96" : "hmac-sha-256-128");
		out_bool(o, "want-map-notify", s->want_notify);
		out_close(o);
	}
	out_close(o);
	out_u64(o, "register-interval", m->register_interval);
	out_obj(o, "rloc-probing");
	out_u64(o, "interval", m->probe_interval);
	out_u64(o, "retries", m->probe_retries);
	out_close(o);
	out_bool(o, "trusted", m->trusted);
	out_close(o);
}

static void
show_mappings(struct out *o, const char *key, const struct conf_mapping *m, unsigned n)
{
	char buf[INET6_ADDRSTRLEN + 8];

	out_list(o, key);
	for (unsigned i = 0; i < n; i++) {
		out_obj(o, NULL);
		out_u64(o, "iid", m[i].iid);
		out_str(o, "prefix", conf_fmt_prefix(&m[i].prefix, buf, sizeof(buf)));
		if (m[i].action != CONF_ACT_ENCAP)
			out_str(o, "action", act_name(m[i].action));
		out_list(o, "locators");
		for (unsigned l = 0; l < m[i].n_loc; l++) {
			out_obj(o, NULL);
			out_str(o, "address", conf_fmt_addr(&m[i].loc[l].addr, buf, sizeof(buf)));
			out_u64(o, "priority", m[i].loc[l].priority);
			out_u64(o, "weight", m[i].loc[l].weight);
			out_close(o);
		}
		out_close(o);
		out_close(o);
	}
	out_close(o);
}

static const char *
role_name(enum conf_port_role r)
{
	return r == CONF_ROLE_EID ? "eid" : "rloc";
}

static void
show_port_conf(struct out *o, const struct conf_port *p)
{
	char buf[INET6_ADDRSTRLEN + 8];

	out_obj(o, NULL);
	out_str(o, "name", p->name);
	out_str(o, "device", p->device);
	out_str(o, "role", role_name(p->role));
	if (p->role == CONF_ROLE_EID)
		out_u64(o, "iid", p->iid);
	out_list(o, "addresses");
	for (unsigned i = 0; i < p->n_addrs; i++)
		out_str(o, NULL, conf_fmt_prefix(&p->addrs[i], buf, sizeof(buf)));
	out_close(o);
	out_u64(o, "mtu", p->mtu);
	out_u64(o, "rx-descriptors", p->rx_desc);
	out_u64(o, "tx-descriptors", p->tx_desc);
	out_close(o);
}

static int
show_config(struct out *o, struct cmdline *cl)
{
	const struct dxtr_conf *c = &dxtr.conf;

	(void)cl;
	out_str(o, "file", c->path);
	out_obj(o, "eal");
	out_u64(o, "control-lcore", c->eal.control_lcore);
	out_list(o, "worker-lcores");
	for (unsigned i = 0; i < c->eal.n_workers; i++)
		out_u64(o, NULL, c->eal.worker_lcores[i]);
	out_close(o);
	out_u64(o, "memory-mb", c->eal.memory_mb);
	out_bool(o, "hugepages", c->eal.hugepages);
	out_bool(o, "in-memory", c->eal.in_memory);
	out_str(o, "file-prefix", c->eal.file_prefix);
	out_list(o, "args");
	for (unsigned i = 0; i < c->eal.n_args; i++)
		out_str(o, NULL, c->eal.args[i]);
	out_close(o);
	out_close(o);

	out_obj(o, "log");
	out_str(o, "level", conf_log_level_name(c->log.level));
	out_obj(o, "types");
	for (unsigned i = 0; i < c->log.n_types; i++)
		out_str(o, c->log.types[i].name, conf_log_level_name(c->log.types[i].level));
	out_close(o);
	out_close(o);

	out_obj(o, "control");
	out_str(o, "socket", c->control.socket);
	out_fmt(o, "socket-mode", "%04o", c->control.socket_mode);
	out_close(o);

	out_obj(o, "dataplane");
	out_u64(o, "mbufs", c->dataplane.mbufs);
	out_u64(o, "burst", c->dataplane.burst);
	out_close(o);

	out_list(o, "ports");
	for (unsigned i = 0; i < c->n_ports; i++)
		show_port_conf(o, &c->ports[i]);
	out_close(o);

	show_lisp(o, &c->lisp);
	show_mapsys(o, &c->mapsys);
	out_list(o, "routes");
	for (unsigned i = 0; i < c->n_routes; i++) {
		char buf[INET6_ADDRSTRLEN + 8];
		out_obj(o, NULL);
		out_str(o, "prefix", conf_fmt_prefix(&c->routes[i].prefix, buf, sizeof(buf)));
		out_str(o, "via", conf_fmt_addr(&c->routes[i].via, buf, sizeof(buf)));
		out_close(o);
	}
	out_close(o);
	show_mappings(o, "database", c->database, c->n_database);
	show_mappings(o, "map-cache", c->map_cache, c->n_map_cache);
	return 0;
}
CLI_SHOW(cmd_show_config, "config", show_config, "the running configuration");


CLI_GROUP(config, &cmd_show_config, &cmd_show_config_json);
