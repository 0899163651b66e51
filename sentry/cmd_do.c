// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_do.c - `runsc do`: run one host command in a fresh sandbox now
 *
 *   runsc [--network=sandbox|none|host] do [--network=...] [-p [IP:]H:G]...
 *         [--subnet=CIDR4] [--subnet6=CIDR6] [--tap=NAME]
 *         [--hostname=NAME] [--cwd=DIR] [--id=NAME] [--pcap-log=FILE]
 *         [--pcap-log-lo=FILE] [--] CMD [ARG]...
 *
 * --id NAME gives the sandbox a container id: the sentry creates
 * <root>/NAME/ (mode 0700; root from the global --root, default /run/runsc)
 * with its control socket `ctl` in it, which `pcap-dump NAME` attaches to,
 * and removes both when the sandbox ends (also when it fails to start).
 * --pcap-log FILE writes every frame of the external link, from the first
 * one, as pcap; --pcap-log-lo FILE does the same for loopback traffic
 * inside the sandbox (the same FILE for both: one file). Both may also be
 * given before the verb, and %ID% in FILE is the id (without --id:
 * do-PID), %TIMESTAMP% the start time.
 *
 * In sandbox mode a tap device is created in the caller's network
 * namespace; its host side gets the first address of the subnet (default
 * 10.88.0.0/24 and fd00:88::/64) and the sandbox the second. The guest's
 * sockets are served by lwIP on that link. The exit status is the
 * command's (or 128+N if it died from signal N; the same signal is raised
 * on runsc itself), 125 for a runtime failure, 126/127 when the command
 * cannot be executed / is not found.
 */
#include "cmd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "ctlsrv.h"
#include "fd.h"
#include "gofer_spawn.h"
#include "log.h"
#include "loop.h"
#include "netstack/netstack.h"
#include "ifbuild.h"
#include "netaddr.h"
#include "pcaplog.h"
#include "sentry.h"
#include "sock.h"
#include "state.h"

#define DO_MTU 16000 /* tap MTU for `runsc do`: both ends are ours */

/**
 * struct do_opts - parsed `runsc do` flags
 * @mode:	Network mode
 * @net4:	IPv4 subnet (network order)
 * @prefix4:	Its prefix length
 * @net6:	IPv6 subnet
 * @prefix6:	Its prefix length
 * @tap:	Tap name or pattern
 * @hostname:	Host name inside
 * @cwd:	Working directory inside
 * @ports:	-p arguments
 * @nports:	Number of @ports
 * @id:		--id, NULL for none
 * @pcap_log:	--pcap-log file pattern, NULL for none
 * @pcap_log_lo: --pcap-log-lo file pattern, NULL for none
 */
struct do_opts {
	enum net_mode mode;
	struct in_addr net4;
	unsigned int prefix4;
	struct in6_addr net6;
	unsigned int prefix6;
	const char *tap;
	const char *hostname;
	const char *cwd;
	const char *ports[SENTRY_RELAY_MAX];
	int nports;
	const char *id;
	const char *pcap_log;
	const char *pcap_log_lo;
};

/**
 * parse_mode() - --network value
 * @s:		Text
 * @mode:	Result
 *
 * Return: 0 or -EINVAL
 */
static int parse_mode(const char *s, enum net_mode *mode)
{
	int i;

	for (i = 0; i < NET_NUM_MODES; i++) {
		if (!strcmp(s, net_mode_str[i])) {
			*mode = (enum net_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * parse_args() - `runsc do` flags
 * @g:		Global options (network mode default)
 * @argc:	Argument count
 * @argv:	Arguments; the command follows the flags
 * @o:		Result
 *
 * Return: index of the command in @argv, or -EINVAL
 */
static int parse_args(const struct global_opts *g, int argc, char **argv,
		      struct do_opts *o)
{
	static const struct option lopts[] = {
	    {"network", required_argument, NULL, 'n'},
	    {"publish", required_argument, NULL, 'p'},
	    {"subnet", required_argument, NULL, '4'},
	    {"subnet6", required_argument, NULL, '6'},
	    {"tap", required_argument, NULL, 't'},
	    {"hostname", required_argument, NULL, 'h'},
	    {"cwd", required_argument, NULL, 'c'},
	    {"id", required_argument, NULL, 'i'},
	    {"pcap-log", required_argument, NULL, 'P'},
	    {"pcap-log-lo", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	int c, r = 0;

	memset(o, 0, sizeof(*o));
	o->mode = g->network;
	o->tap = "runsc%d";
	o->hostname = "sandbox";
	o->pcap_log = g->pcap_log;
	o->pcap_log_lo = g->pcap_log_lo;
	netaddr_parse_cidr("10.88.0.0/24", AF_INET, &o->net4, &o->prefix4);
	netaddr_parse_cidr("fd00:88::/64", AF_INET6, &o->net6, &o->prefix6);
	optind = 1;
	while (!r && (c = getopt_long(argc, argv, "+p:", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			r = parse_mode(optarg, &o->mode);
			break;
		case 'p':
			if (o->nports >= SENTRY_RELAY_MAX)
				r = -EINVAL;
			else
				o->ports[o->nports++] = optarg;
			break;
		case '4':
			r = netaddr_parse_cidr(optarg, AF_INET, &o->net4,
					       &o->prefix4);
			break;
		case '6':
			r = netaddr_parse_cidr(optarg, AF_INET6, &o->net6,
					       &o->prefix6);
			break;
		case 't':
			o->tap = optarg;
			break;
		case 'h':
			o->hostname = optarg;
			break;
		case 'c':
			o->cwd = optarg;
			break;
		case 'i':
			o->id = optarg;
			break;
		case 'P':
			o->pcap_log = optarg;
			break;
		case 'L':
			o->pcap_log_lo = optarg;
			break;
		default:
			r = -EINVAL;
		}
	}
	if (r < 0) {
		err("do: bad argument '%s'", optarg ? optarg : "");
		return r;
	}
	if (optind >= argc) {
		err("do: no command given (usage: runsc do [flags] -- CMD [ARG]...)");
		return -EINVAL;
	}
	return optind;
}

/**
 * link_out() - netstack output: one frame to the tap
 * @ctx:	struct tap
 * @iov:	Frame
 * @iovcnt:	Pieces
 */
static void link_out(void *ctx, const struct iovec *iov, int iovcnt)
{
	tap_tx(ctx, iov, iovcnt);
}

/**
 * setup_net() - Link, netstack and sockets for the chosen mode
 * @s:		Sentry
 * @o:		Options
 *
 * Return: 0 or -errno
 */
static int setup_net(struct sentry *s, const struct do_opts *o)
{
	struct ns_if_config cfg = {.present = false};
	struct in6_addr host6 = netaddr_nth6(&o->net6, 1);
	char ifname[IFNAMSIZ];
	int fd, r;

	s->tap.fd = -1;
	if (o->mode == NET_HOST)
		return 0;
	if (o->mode == NET_SANDBOX) {
		r = tap_create(o->tap, true, ifname, &fd);
		if (r < 0)
			return r;
		r = tap_adopt(&s->tap, fd, DO_MTU, true);
		if (r < 0) {
			close(fd);
			return r;
		}
		r = tap_host_config(ifname, DO_MTU, netaddr_nth4(o->net4, 1),
				    o->prefix4, &host6, o->prefix6);
		if (r < 0)
			return r;
		cfg.present = true;
		cfg.mtu = DO_MTU;
		cfg.mac[0] = 0x02;
		cfg.mac[1] = 0x52; /* "RS" */
		cfg.mac[2] = 0x53;
		cfg.mac[3] = (uint8_t)(getpid() >> 16);
		cfg.mac[4] = (uint8_t)(getpid() >> 8);
		cfg.mac[5] = (uint8_t)getpid();
		cfg.addr4 = netaddr_nth4(o->net4, 2);
		cfg.prefix4 = o->prefix4;
		cfg.gw4 = netaddr_nth4(o->net4, 1);
		cfg.addr6 = netaddr_nth6(&o->net6, 2);
		cfg.prefix6 = o->prefix6;
		cfg.gw6 = host6;
		debug("do: tap %s, sandbox at the subnet's second address",
		      ifname);
	}
	ifbuild(&sock_ifv, &cfg);
	r = ns_init(&cfg, link_out, &s->tap);
	ns_set_loop_tap(tap_cap_lo, NULL); /* loopback capture */
	if (!r && s->tap.vnet)
		ns_set_csum_offload(true);
	if (!r)
		r = sock_init(o->mode);
	return r;
}

/**
 * open_relays() - Listen on the host side of each -p
 * @s:	Sentry
 * @o:	Options
 *
 * Return: 0 or -errno
 * #syscalls:setup socket setsockopt bind listen
 */
static int open_relays(struct sentry *s, const struct do_opts *o)
{
	struct in_addr guest = {htonl(INADDR_LOOPBACK)};
	struct relay_port *p;
	int i, one = 1, r;

	if (o->mode == NET_SANDBOX)
		guest = netaddr_nth4(o->net4, 2);
	if (o->nports && o->mode == NET_HOST) {
		err("do: -p needs --network=sandbox or none");
		return -EINVAL;
	}
	for (i = 0; i < o->nports; i++) {
		p = &s->relay[i];
		if (netaddr_parse_port(o->ports[i], guest, p) < 0) {
			err("do: bad -p '%s' (want [IP:]HOSTPORT:GUESTPORT)",
			    o->ports[i]);
			return -EINVAL;
		}
		s->nrelay = i + 1;
		p->fd = socket(p->host.ss_family,
			       SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (p->fd < 0)
			return -errno;
		setsockopt(p->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(p->fd, (struct sockaddr *)&p->host, p->hostlen) ||
		    listen(p->fd, 1024)) {
			r = -errno;
			err_errno(r, "do: publishing %s", o->ports[i]);
			return r;
		}
	}
	return 0;
}

/**
 * setup_ids() - --id (state directory, control socket) and --pcap-log files
 * @g:	Global options (--root)
 * @o:	Options
 *
 * Return: 0 or -errno (logged)
 */
static int setup_ids(const struct global_opts *g, const struct do_opts *o)
{
	char id[32];
	int r;

	/* before %ID% goes into a path */
	if (o->id && state_id_valid(o->id) < 0) {
		err("do: bad --id '%s' (want [A-Za-z0-9][A-Za-z0-9_.-]*)",
		    o->id);
		return -EINVAL;
	}
	snprintf(id, sizeof(id), "do-%d", (int)getpid());
	r = pcaplog_open(o->pcap_log, o->pcap_log_lo, o->id ? o->id : id,
			 o->mode);
	if (!r && o->id)
		r = ctlsrv_open(g->root, o->id);
	return r;
}

/**
 * end_ids() - Close what setup_ids() opened
 * @s:		Sentry, for the final counters; NULL if it never ran
 * @failed:	The sandbox never ran: remove the capture files too
 */
static void end_ids(const struct sentry *s, bool failed)
{
	ctlsrv_close(s);
	pcaplog_close(failed);
}

/**
 * cmd_do() - `runsc do`
 * @g:		Global options
 * @argc:	Argument count (argv[0] is "do")
 * @argv:	Arguments
 *
 * Return: exit status
 */
int cmd_do(const struct global_opts *g, int argc, char **argv)
{
	static struct sentry s;
	struct sandbox_cfg cfg;
	char *cwd = NULL;
	struct do_opts o;
	int cmd, r;

	cmd = parse_args(g, argc, argv, &o);
	if (cmd < 0)
		return 125;
	sentry_init(&s);
	s.mode = o.mode;
	s.argv0 = argv[cmd];
	r = loop_init();
	if (!r)
		r = sentry_setup_signals(&s);
	if (!r)
		r = setup_ids(g, &o);
	if (!r)
		r = setup_net(&s, &o);
	if (!r)
		r = open_relays(&s, &o);
	if (!r && g->files.mediated)
		r = gofer_spawn(&g->files, NULL, &s.gofer);
	icpt_mediate_opens(g->files.mediated);
	if (r < 0) {
		err_errno(r, "do: setting up the sandbox");
		gofer_stop(&s.gofer);
		end_ids(NULL, true);
		return 125;
	}
	cfg = (struct sandbox_cfg){.mode = o.mode,
				   .argv = argv + cmd,
				   .hostname = o.hostname,
				   .fs = {g->overlay, g->overlay_size}};
	cwd = o.cwd ? NULL : getcwd(NULL, 0);
	cfg.cwd = o.cwd ? o.cwd : cwd;
	r = sandbox_start(&cfg, &s.sb);
	free(cwd);
	if (r < 0) {
		err_errno(r, "do: starting the sandbox");
		gofer_stop(&s.gofer);
		end_ids(NULL, true);
		return 125;
	}
	r = sentry_run(&s);
	gofer_stop(&s.gofer);
	end_ids(&s, false);
	if (r < 0) {
		err_errno(r, "do: running the sandbox");
		return 125;
	}
	if (s.exec_err) {
		err("do: exec %s: %s", s.argv0, strerror(s.exec_err));
		return s.exec_err == ENOENT ? 127 : 126;
	}
	return sentry_exit_like(r);
}
