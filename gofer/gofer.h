/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gofer.h - the file broker: the only process that resolves host paths
 *
 * Theory of operation
 *
 * `runsc gofer` is spawned (fork + exec of the runtime binary) by the
 * sandbox's sentry before the guest exists (sentry/gofer_spawn.c), with
 * donated descriptors: the sentry's socket (--sock-fd) and the audit log
 * (--audit-fd). With --file-access=mediated it serves the sentry's
 * PROTO_OPEN requests (gofer/ops.c), enforcing the guest's mount table
 * (resolution below the guest's root) and a deny list and writing the
 * audit log, until the sentry's socket closes.
 * Not yet here (proto.h reserves PROTO_TREE for it): building the guest's
 * mount tree; the init stub still does that (sentry/container.c), with
 * every destination resolved by openat2(RESOLVE_IN_ROOT).
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
