/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gofer.h - the file broker: the only process that resolves host paths
 *
 * Theory of operation
 *
 * `runsc gofer` is spawned (fork + exec of the runtime binary) by the
 * sandbox's sentry before the guest exists, with donated descriptors: the
 * socket of the init stub (--tree-fd) and, with mediated file access, the
 * sentry's socket (--sock-fd). It
 *  1. builds the guest's mount tree as detached mounts (new mount API) on
 *     the stub's PROTO_TREE request (gofer/mounts.c) and sends it back;
 *  2. with --file-access=mediated, serves PROTO_OPEN requests of the
 *     sentry (gofer/ops.c), enforcing a deny list and writing the audit
 *     log, until the sentry's socket closes; otherwise it exits after 1.
 * Errors go to the runtime's log (--log-fd) and back to the requester as
 * -errno; the gofer never trusts a packet (proto_check()).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

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
 * @bundle:	OCI bundle (config.json, root.path relative to it); NULL:
 *		`runsc do`, the host's root
 * @overlay:	Root as an overlay with an in-memory upper layer
 * @overlay_size: tmpfs size= of that layer ("64m"), or NULL
 * @policy:	Mediated opens
 */
struct gofer_cfg {
	int tree_fd;
	int sock_fd;
	const char *bundle;
	bool overlay;
	const char *overlay_size;
	struct gofer_policy policy;
};

struct proto_msg;

int gofer_main(int argc, char **argv);
int gofer_serve_opens(const struct gofer_cfg *cfg);
int gofer_open(const struct gofer_policy *pol, const struct proto_msg *m,
	       int *fd);
