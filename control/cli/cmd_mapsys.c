// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The dxtr authors

// show mapping-system: resolvers, requests in flight, and every control message counter.

#include "cli_show.h"
#include "dxtr.h"
#include "etr.h"
#include "lisp_io.h"
#include "lisp_msg.h"
#include "lsb.h"
#include "map_request.h"
#include "probe.h"
#include "register.h"

static const char *const type_names[LISP_IO_TYPES] = {
	[LISP_TYPE_MAP_REQUEST] = "map_request",
	[LISP_TYPE_MAP_REPLY] = "map_reply",
	[LISP_TYPE_MAP_REGISTER] = "map_register",
	[LISP_TYPE_MAP_NOTIFY] = "map_notify",
	[LISP_TYPE_MAP_NOTIFY_ACK] = "map_notify_ack",
	[6] = "map_referral",
	[7] = "info",
	[LISP_TYPE_ECM] = "ecm",
};

static void
in_flight(const struct mreq_view *v, void *arg)
{
	struct out *o = arg;
	char buf[INET6_ADDRSTRLEN];

	out_obj(o, NULL);
	out_u64(o, "iid", v->iid);
	out_str(o, "eid", conf_fmt_addr(&v->eid, buf, sizeof(buf)));
	out_u64(o, "tries", v->tries);
	out_str(o, "resolver",
		conf_fmt_addr(&dxtr.conf.mapsys.resolvers[v->resolver], buf, sizeof(buf)));
	out_u64(o, "age_ms", v->age_ms);
	out_close(o);
}

static void
probe_one(const struct probe_view *v, void *arg)
{
	struct out *o = arg;
	char buf[INET6_ADDRSTRLEN];

	out_obj(o, NULL);
	out_str(o, "rloc", conf_fmt_addr(&v->rloc, buf, sizeof(buf)));
	out_str(o, "state", v->up ? "up" : "down");
	out_u64(o, "missed", v->missed);
	out_u64(o, "rtt_us", v->rtt_us);
	out_close(o);
}

static void
server_one(const struct register_view *v, void *arg)
{
	struct out *o = arg;
	char buf[INET6_ADDRSTRLEN];

	out_obj(o, NULL);
	out_str(o, "address", conf_fmt_addr(&v->server->addr, buf, sizeof(buf)));
	out_str(o, "state", register_state_name(v->state));
	if (v->last_registered_age_s < 0)
		out_null(o, "last_registered_age_s");
	else
		out_u64(o, "last_registered_age_s", (uint64_t)v->last_registered_age_s);
	out_bool(o, "want_map_notify", v->server->want_notify);
	out_u64(o, "messages", v->n_messages);
	out_u64(o, "registers_sent", v->cnt.registers_sent);
	out_u64(o, "retransmits", v->cnt.retransmits);
	out_u64(o, "unanswered", v->cnt.unanswered);
	out_u64(o, "send_failed", v->cnt.send_failed);
	out_u64(o, "notifies_ok", v->cnt.notifies_ok);
	out_u64(o, "notify_acks_sent", v->cnt.notify_acks);
	out_obj(o, "dropped");
	out_u64(o, "bad_nonce", v->cnt.bad_nonce);
	out_u64(o, "bad_auth", v->cnt.bad_auth);
	out_close(o);
	out_close(o);
}

static void
per_type(struct out *o, const char *key, const uint64_t *v)
{
	out_obj(o, key);
	for (unsigned t = 0; t < LISP_IO_TYPES; t++)
		if (type_names[t] != NULL)
			out_u64(o, type_names[t], v[t]);
	out_close(o);
}

static int
show_mapsys(struct out *o, struct cmdline *cl)
{
	const struct conf_mapsys *ms = &dxtr.conf.mapsys;
	struct lisp_io_counters io;
	struct mreq_counters mr;
	struct etr_counters etr;
	char buf[INET6_ADDRSTRLEN];

	(void)cl;
	out_list(o, "map_resolvers");
	for (unsigned i = 0; i < ms->n_resolvers; i++)
		out_str(o, NULL, conf_fmt_addr(&ms->resolvers[i], buf, sizeof(buf)));
	out_close(o);
	out_list(o, "requests_in_flight");
	mreq_foreach(in_flight, o);
	out_close(o);

	lisp_io_counters(&io);
	out_obj(o, "messages");
	per_type(o, "received", io.rx);
	per_type(o, "sent", io.tx);
	out_obj(o, "dropped");
	out_u64(o, "malformed", io.rx_malformed);
	out_u64(o, "bad_checksum", io.rx_checksum);
	out_u64(o, "unexpected_type", io.rx_unexpected);
	out_close(o);
	out_u64(o, "send_no_route", io.tx_no_route);
	out_u64(o, "send_failed", io.tx_failed);
	out_close(o);

	mreq_counters(&mr);
	out_obj(o, "itr");
	out_u64(o, "map_requests", mr.requests);
	out_u64(o, "retransmits", mr.retransmits);
	out_u64(o, "failovers", mr.failovers);
	out_u64(o, "gave_up", mr.gave_up);
	out_u64(o, "rate_limited", mr.rate_limited);
	out_u64(o, "map_replies", mr.replies);
	out_u64(o, "bad_nonce", mr.bad_nonce);
	out_u64(o, "records_installed", mr.records_installed);
	out_u64(o, "records_ignored", mr.records_ignored);
	out_u64(o, "no_resolver", mr.no_resolver);
	out_u64(o, "refreshes", mr.refreshes);
	out_u64(o, "smr_received", mr.smr_received);
	out_u64(o, "smr_ignored", mr.smr_ignored);
	out_u64(o, "smr_invoked", mr.smr_invoked);
	out_close(o);

	struct probe_counters pc;
	probe_counters(&pc);
	out_obj(o, "rloc_probing");
	out_u64(o, "interval_s", dxtr.conf.mapsys.probe_interval);
	out_u64(o, "sent", pc.sent);
	out_u64(o, "answered", pc.answered);
	out_u64(o, "unanswered", pc.unanswered);
	out_u64(o, "went_down", pc.went_down);
	out_u64(o, "came_up", pc.came_up);
	out_u64(o, "bad_nonce", pc.bad_nonce);
	out_list(o, "locators");
	probe_foreach(probe_one, o);
	out_close(o);
	out_close(o);

	struct lsb_counters lc;
	lsb_counters(&lc);
	out_obj(o, "locator_status_bits");
	out_bool(o, "trusted", dxtr.conf.mapsys.trusted);
	out_u64(o, "events", lc.events);
	out_u64(o, "down", lc.down);
	out_u64(o, "up", lc.up);
	out_u64(o, "stale", lc.stale);
	out_close(o);

	etr_counters(&etr);
	out_obj(o, "etr");
	out_u64(o, "map_requests", etr.requests);
	out_u64(o, "map_replies", etr.replies);
	out_u64(o, "not_ours", etr.not_ours);
	out_u64(o, "dont_reply", etr.dont_reply);
	out_u64(o, "no_itr_rloc", etr.no_itr_rloc);
	out_u64(o, "rate_limited", etr.rate_limited);
	out_u64(o, "failed", etr.failed);
	out_close(o);

	struct register_global_counters rg;
	register_global_counters(&rg);
	out_obj(o, "registration");
	out_u64(o, "interval_s", ms->register_interval);
	out_list(o, "map_servers");
	register_foreach(server_one, o);
	out_close(o);
	out_obj(o, "dropped"); // Map-Notifies from no map-server of ours
	out_u64(o, "unknown_server", rg.unknown_server);
	out_close(o);
	out_close(o);
	return 0;
}
CLI_SHOW(cmd_show_mapsys, "mapping-system", show_mapsys,
	 "Map-Resolvers, requests in flight, control message counters");

CLI_GROUP(mapsys, &cmd_show_mapsys, &cmd_show_mapsys_json);
