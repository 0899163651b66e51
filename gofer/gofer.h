/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gofer.h - the file broker: the only process that resolves host paths
 *
 * Theory of operation
 *
 * `runsc gofer` is spawned (fork + exec of the runtime binary) by the
 * sandbox's sentry before the guest exists (sentry/gofer_spawn.c), in the
 * host's mount namespace and outside the guest's pid namespace, with
 * donated descriptors:
 *  1. --tree-fd (OCI containers): the init stub's socket. The gofer reads
 *     the bundle's config.json, waits for the stub's PROTO_TREE (the
 *     proc, sysfs and mqueue mounts the stub made in the guest's
 *     namespaces), builds the whole mount tree from descriptors
 *     (gofer/tree.c) and sends it back; the stub attaches it and pivots.
 *     Only the gofer resolves host paths: the rootfs, bind sources, the
 *     host's device nodes.
 *  2. --sock-fd (--file-access=mediated): the sentry's socket. The gofer
 *     serves PROTO_OPEN requests (gofer/ops.c), enforcing the guest's
 *     mount table (resolution below the guest's root) and a deny list and
 *     writing the audit log (--audit-fd), until the socket closes;
 *     without it, the gofer ends after 1.
 * Errors go to the runtime's log (the gofer's stderr) and back to the
 * requester as -errno (with the text, for PROTO_TREE); the gofer never
 * trusts a packet (proto_check()).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sentry/container.h"

#define GOFER_MAX_DENY 32

/**
 * struct gofer_policy - what mediated opens may reach, and their log
 * @deny:	Patterns (fnmatch(3) on the resolved guest path; a pattern
 *		also denies everything below a directory it matches)
 * @n_deny:	Entries in @deny
 * @audit_fd:	JSON-lines audit log, or -1
 */
struct gofer_policy {
	const char *deny[GOFER_MAX_DENY];
	int n_deny;
	int audit_fd;
};

/**
 * struct gofer_cfg - the gofer's configuration (its command line)
 * @tree_fd:	Socket of the init stub, or -1
 * @sock_fd:	Socket of the sentry (mediated opens), or -1
 * @bundle:	OCI bundle (its config.json names the mounts)
 * @rootfs:	The bundle's rootfs, absolute
 * @fs:		How the root is layered (--overlay, --overlay-size)
 * @policy:	Mediated opens
 */
struct gofer_cfg {
	int tree_fd;
	int sock_fd;
	const char *bundle;
	const char *rootfs;
	struct ctr_fs fs;
	struct gofer_policy policy;
};

struct proto_msg;

int gofer_main(int argc, char **argv, const struct ctr_fs *fs);
int gofer_serve_opens(const struct gofer_cfg *cfg);
int gofer_open(const struct gofer_policy *pol, const struct proto_msg *m,
	       int *fd);
