// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer.c - `runsc gofer`: the file broker's command line (gofer.h)
 *
 *   runsc [--log F] gofer --sock-fd=N [--audit-fd=N] [--file-deny=P]...
 *
 * Spawned by the sandbox (sentry/gofer_spawn.c) with donated descriptors;
 * every other descriptor is closed here. The gofer dies with its parent
 * (PR_SET_PDEATHSIG) and ends when the sentry's socket closes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <fcntl.h>

#include "base.h"
#include "fd.h"
#include "log.h"
#include "proc.h"
#include "gofer/gofer.h"

/**
 * parse_fd() - A donated descriptor number
 * @s:	Text
 *
 * Return: the descriptor (>= 3, open), or -EBADF
 */
static int parse_fd(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end || v < 3 || v > 65535 ||
	    fcntl((int)v, F_GETFD) < 0)
		return -EBADF;
	return (int)v;
}

/**
 * parse_args() - The gofer's flags
 * @argc:	Argument count (argv[0] is "gofer")
 * @argv:	Arguments
 * @cfg:	Result
 *
 * Return: 0 or -EINVAL (logged)
 */
static int parse_args(int argc, char **argv, struct gofer_cfg *cfg)
{
	static const struct option lopts[] = {
	    {"sock-fd", required_argument, NULL, 's'},
	    {"audit-fd", required_argument, NULL, 'a'},
	    {"file-deny", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct gofer_policy *p = &cfg->policy;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", lopts, NULL)) != -1) {
		if (c == 's' && (cfg->sock_fd = parse_fd(optarg)) >= 0)
			continue;
		if (c == 'a' && (p->audit_fd = parse_fd(optarg)) >= 0)
			continue;
		if (c == 'd' && p->n_deny < GOFER_MAX_DENY && *optarg) {
			/* a copy: proc_title_set() overwrites argv */
			p->deny[p->n_deny] = strdup(optarg);
			if (p->deny[p->n_deny++])
				continue;
		}
		err("gofer: bad argument %s", argv[optind - 1]);
		return -EINVAL;
	}
	if (optind != argc || cfg->sock_fd < 0) {
		err("gofer: usage: gofer --sock-fd=N [--audit-fd=N] "
		    "[--file-deny=PATTERN]...");
		return -EINVAL;
	}
	return 0;
}

/**
 * gofer_main() - Run the gofer
 * @argc:	Argument count (argv[0] is "gofer")
 * @argv:	Arguments
 *
 * Return: exit status
 */
int gofer_main(int argc, char **argv)
{
	struct gofer_cfg cfg = {
	    .tree_fd = -1, .sock_fd = -1, .policy = {.audit_fd = -1}};
	int keep[3], r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		return 1; /* the sandbox is gone already */
	if (parse_args(argc, argv, &cfg) < 0)
		return 2;
	keep[0] = cfg.sock_fd;
	keep[1] = cfg.policy.audit_fd;
	keep[2] = log_get_fd();
	fd_close_from(3, keep, ARRAY_SIZE(keep));
	proc_title_set("runsc-gofer");
	r = gofer_serve_opens(&cfg);
	if (r < 0) {
		err_errno(r, "gofer: serving");
		return 1;
	}
	return 0;
}
