/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oci.h - what the OCI verbs share: opening a container, its live status,
 *         hooks, pid files
 *
 * Theory of operation
 *
 * A verb opens the container with oci_open(): the state directory under
 * --root, its lock (shared to read, exclusive to change), state.json. The
 * status in state.json is what the last verb wrote; oci_status() corrects
 * it with the facts: a sentry that no longer runs (pid and starttime) means
 * "stopped", a frozen cgroup "paused". Error texts follow runc's, because
 * Docker's shim matches substrings of them: "container does not exist",
 * "container not running" (only when true).
 *
 * Hooks run in the runtime's namespaces with the state JSON on stdin, cwd
 * the bundle, argv and env verbatim, bounded by their timeout (or
 * OCI_HOOK_TIMEOUT_S); their stdout is discarded and their stderr, up to a
 * line's worth, goes into the error message.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cmd.h"
#include "spec.h"
#include "state.h"

#define OCI_HOOK_TIMEOUT_S 120

/**
 * struct oci_ctr - an opened container
 * @dirfd:	State directory, owned
 * @lockfd:	Lock, owned
 * @st:		state.json
 * @root:	--root
 */
struct oci_ctr {
	int dirfd;
	int lockfd;
	struct state st;
	const char *root;
};

int oci_open(const struct global_opts *g, const char *id, bool excl,
	     struct oci_ctr *c);
void oci_close(struct oci_ctr *c);
enum state_status oci_status(struct oci_ctr *c);
int oci_exit_status(const struct oci_ctr *c);
int oci_hooks(const struct spec_hooks *h, enum spec_hook_kind kind,
	      const struct state *st, const char *cwd);
int oci_pidfile(const char *path, pid_t pid);
int oci_signal_parse(const char *s);
int oci_wait_dead(const struct state *st, int timeout_ms);
int oci_start(const char *ctl, const char *verb);
