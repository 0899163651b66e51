// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer.c - `runsc gofer`: the file broker's command line (gofer.h)
 *
 *   runsc [--overlay=..] [--overlay-size=S] gofer
 *         [--tree-fd=N --bundle=DIR --rootfs=DIR]
 *         [--sock-fd=N [--audit-fd=N] [--file-deny=P]...]
 *
 * Spawned by the sandbox (sentry/gofer_spawn.c) with donated descriptors;
 * every other descriptor is closed here. The gofer dies with its parent
 * (PR_SET_PDEATHSIG); it builds the mount tree once, then serves opens
 * until the sentry's socket closes (or ends, without --sock-fd).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base.h"
#include "fd.h"
#include "gofer/gofer.h"
#include "gofer/proto.h"
#include "gofer/tree.h"
#include "log.h"
#include "proc.h"

#define GOFER_TREE_WAIT_MS 60000 /* the stub's PROTO_TREE, at most */

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
 * parse_one() - One flag of the gofer
 * @c:		Option letter
 * @arg:	Its argument
 * @cfg:	Result
 *
 * Strings are copied: proc_title_set() overwrites argv.
 *
 * Return: 0 or -EINVAL
 */
static int parse_one(int c, const char *arg, struct gofer_cfg *cfg)
{
	struct gofer_policy *p = &cfg->policy;

	switch (c) {
	case 's':
		return (cfg->sock_fd = parse_fd(arg)) < 0 ? -EINVAL : 0;
	case 't':
		return (cfg->tree_fd = parse_fd(arg)) < 0 ? -EINVAL : 0;
	case 'a':
		return (p->audit_fd = parse_fd(arg)) < 0 ? -EINVAL : 0;
	case 'b':
		return (cfg->bundle = strdup(arg)) ? 0 : -ENOMEM;
	case 'r':
		return (cfg->rootfs = strdup(arg)) ? 0 : -ENOMEM;
	case 'd':
		if (p->n_deny >= GOFER_MAX_DENY || !*arg)
			return -EINVAL;
		p->deny[p->n_deny] = strdup(arg);
		return p->deny[p->n_deny++] ? 0 : -ENOMEM;
	}
	return -EINVAL;
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
	    {"tree-fd", required_argument, NULL, 't'},
	    {"audit-fd", required_argument, NULL, 'a'},
	    {"bundle", required_argument, NULL, 'b'},
	    {"rootfs", required_argument, NULL, 'r'},
	    {"file-deny", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", lopts, NULL)) != -1) {
		if (parse_one(c, optarg, cfg) < 0) {
			err("gofer: bad argument %s", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind != argc || (cfg->sock_fd < 0 && cfg->tree_fd < 0) ||
	    (cfg->tree_fd >= 0 && (!cfg->bundle || !cfg->rootfs))) {
		err("gofer: usage: gofer [--tree-fd=N --bundle=DIR "
		    "--rootfs=DIR] [--sock-fd=N [--audit-fd=N] "
		    "[--file-deny=PATTERN]...]");
		return -EINVAL;
	}
	return 0;
}

/**
 * gofer_serve_tree() - Build the guest's mount tree for the init stub
 * @cfg:	Configuration (@tree_fd, @bundle, @rootfs, @fs)
 *
 * Answers one PROTO_TREE with the tree, or with the error and its text;
 * closes @tree_fd either way.
 *
 * Return: 0 or -errno (logged)
 */
static int gofer_serve_tree(const struct gofer_cfg *cfg)
{
	static struct proto_msg m;
	struct spec *spec = NULL;
	char path[PATH_MAX], msg[512];
	int tree = -1, r;

	snprintf(path, sizeof(path), "%s/config.json", cfg->bundle);
	r = spec_load(path, &spec, msg, sizeof(msg));
	if (r < 0)
		err("gofer: %s", msg);
	m.hdr.id = 0;
	if (!r && (r = proto_recv_op(cfg->tree_fd, &m, PROTO_TREE,
				     GOFER_TREE_WAIT_MS)) < 0)
		err_errno(r, "gofer: waiting for the sandbox's tree request");
	if (!r)
		r = tree_build(spec, cfg->rootfs, &cfg->fs, &m.tree, m.fds,
			       &tree);
	proto_close_fds(&m);
	if (r != -EPIPE && r != -ETIMEDOUT &&
	    proto_send_reply(cfg->tree_fd, m.hdr.id, r,
			     r < 0 ? log_last_error() : NULL, tree) < 0)
		err("gofer: the sandbox did not take its tree");
	if (tree >= 0)
		close(tree);
	close(cfg->tree_fd);
	spec_free(&spec);
	return r;
}

/**
 * cfg_free() - Free the strings parse_args() copied
 * @cfg:	Configuration; its copied strings are not used after this
 */
static void cfg_free(struct gofer_cfg *cfg)
{
	int i;

	free((void *)cfg->bundle);
	free((void *)cfg->rootfs);
	for (i = 0; i < cfg->policy.n_deny; i++)
		free((void *)cfg->policy.deny[i]);
}

/**
 * gofer_run() - Serve the tree request, then the mediated opens
 * @cfg:	Parsed configuration
 *
 * Return: exit status
 */
static int gofer_run(const struct gofer_cfg *cfg)
{
	int keep[4], r;

	keep[0] = cfg->sock_fd;
	keep[1] = cfg->policy.audit_fd;
	keep[2] = log_get_fd();
	keep[3] = cfg->tree_fd;
	fd_close_from(3, keep, ARRAY_SIZE(keep));
	proc_title_set("runsc-gofer");
	if (cfg->tree_fd >= 0 && gofer_serve_tree(cfg) < 0)
		return 1;
	if (cfg->sock_fd < 0)
		return 0;
	r = gofer_serve_opens(cfg);
	if (r < 0) {
		err_errno(r, "gofer: serving");
		return 1;
	}
	return 0;
}

/**
 * gofer_main() - Run the gofer
 * @argc:	Argument count (argv[0] is "gofer")
 * @argv:	Arguments
 * @fs:		--overlay, --overlay-size (global flags)
 *
 * Return: exit status
 */
int gofer_main(int argc, char **argv, const struct ctr_fs *fs)
{
	struct gofer_cfg cfg = {.tree_fd = -1,
				.sock_fd = -1,
				.fs = *fs,
				.policy = {.audit_fd = -1}};
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		return 1; /* the sandbox is gone already */
	r = parse_args(argc, argv, &cfg) < 0 ? 2 : gofer_run(&cfg);
	cfg_free(&cfg);
	return r;
}
