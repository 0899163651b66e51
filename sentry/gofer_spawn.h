/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gofer_spawn.h - start and stop the sandbox's gofer (gofer/gofer.h)
 *
 * Theory of operation
 *
 * The sentry forks and execs the runtime binary (/proc/self/exe) as
 * `runsc gofer` before the guest exists and before it joins the spec's pid
 * namespace: for an OCI container (to build its mount tree: one end of a
 * SOCK_SEQPACKET pair as fd 5, the other for the init stub) and with
 * --file-access=mediated (the sentry's pair, fd 3, and the audit log,
 * fd 4, opened here, so a relative --file-audit path means the runtime's
 * working directory); the runtime's log becomes the gofer's stderr. The gofer is the sentry's child: it
 * dies with it (PR_SET_PDEATHSIG), and ends on its own when the sentry's
 * end of the pair closes; gofer_stop() closes that end and reaps it.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "container.h"
#include "gofer/gofer.h" /* GOFER_MAX_DENY: what the gofer takes */

/**
 * struct file_opts - the file-access global flags
 * @mediated:	--file-access=mediated: the guest's opens go to the gofer
 * @audit:	--file-audit path, or NULL
 * @deny:	--file-deny patterns
 * @n_deny:	Entries in @deny
 */
struct file_opts {
	bool mediated;
	const char *audit;
	const char *deny[GOFER_MAX_DENY];
	int n_deny;
};

/**
 * struct gofer_tree_args - what the gofer needs to build a mount tree
 * @bundle:	OCI bundle (absolute)
 * @rootfs:	Its rootfs (absolute)
 * @fs:		--overlay, --overlay-size
 */
struct gofer_tree_args {
	const char *bundle;
	const char *rootfs;
	struct ctr_fs fs;
};

/**
 * struct gofer_conn - the sentry's handles on its gofer
 * @sock:	Socket for mediated opens (owned), or -1
 * @tree:	The init stub's socket for its tree (owned until given to
 *		the stub), or -1
 * @pid:	The gofer (our child), or 0
 */
struct gofer_conn {
	int sock;
	int tree;
	pid_t pid;
};

int gofer_spawn(const struct file_opts *o, const struct gofer_tree_args *t,
		struct gofer_conn *c);
void gofer_stop(struct gofer_conn *c);
