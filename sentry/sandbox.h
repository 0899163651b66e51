/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sandbox.h - host side: namespaces, the guest's init, its file view
 *
 * Theory of operation
 *
 * sandbox_start() clones the guest's init stub into new pid, mount, ipc,
 * uts and (unless NET_HOST) network namespaces. The stub is pid 1 there:
 * it builds the guest's file view (the host's files through an overlay
 * whose upper layer is an in-memory tmpfs, fresh /proc, /dev, /tmp, a
 * read-only /sys), forks the workload, forwards the signals the sentry
 * sends it, reaps orphans, and reports on its control socket:
 *   SB_MSG_LISTENER  the workload's seccomp listener (SCM_RIGHTS; none in
 *                    host mode), taken with pidfd_getfd: the workload
 *                    cannot sendmsg, that call is already trapped;
 *   SB_MSG_EXEC_ERR  execve failed (errno);
 *   SB_MSG_EXEC_OK   execve succeeded (the CLOEXEC error pipe closed);
 *   SB_MSG_PTY       OCI terminal: the master of the pty the stub opened
 *                    in the container's devpts (its replica becomes the
 *                    workload's controlling terminal and stdio);
 *   SB_MSG_INIT_ERR  building the view or the workload failed: errno and
 *                    the logged message (the sentry repeats it to the
 *                    runtime, where Docker shows the last error line);
 *   SB_MSG_EXIT      the workload's wait status; the stub exits next.
 * For an OCI container (cfg->spec) the stub builds the file view from the
 * spec (container_make_root()), the namespaces follow linux.namespaces,
 * and the sentry withholds the acknowledgement until `runsc start`.
 * The workload waits for the sentry's one-byte acknowledgement of the
 * listener before it execs, so no trapped call can precede the sentry.
 * The stub dies with the sentry (PR_SET_PDEATHSIG), taking every guest
 * process with it (it is pid 1 of their namespace).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "intercept.h"
#include "spec.h"

enum sb_msg_type {
	SB_MSG_LISTENER,
	SB_MSG_EXEC_ERR,
	SB_MSG_EXIT,
	SB_MSG_EXEC_OK,	 /* execve succeeded (OCI: start can return) */
	SB_MSG_PTY,	 /* OCI terminal: the pty master (SCM_RIGHTS) */
	SB_MSG_INIT_ERR, /* the stub failed: errno, then the message text */
	SB_MSG_NUM,
};

/**
 * struct sb_msg - one message from the init stub
 * @type:	enum sb_msg_type
 * @val:	errno or wait status
 * @text:	SB_MSG_INIT_ERR: what failed, NUL-terminated (other types
 *		are sent without it)
 */
struct sb_msg {
	uint32_t type;
	int32_t val;
	char text[256];
};

#define SB_MSG_HDR offsetof(struct sb_msg, text)

/**
 * struct sandbox_cfg - what to run and how
 * @mode:	Network mode
 * @argv:	Command (argv[0] looked up in PATH)
 * @cwd:	Working directory inside (falls back to /)
 * @hostname:	Host name inside
 * @host_fs:	true: the host's root as-is (no overlay; for tests only)
 * @spec:	OCI container: file view, namespaces and process from its
 *		config.json (container.h); NULL for `runsc do`
 * @fs:		How `runsc do`'s root is layered (--overlay, --overlay-size; an
 *		OCI root is the gofer's, which gets them on its command line)
 * @gofer_tree:	OCI: socket to the gofer that builds the mount tree (the
 *		stub inherits it)
 */
struct sandbox_cfg {
	enum net_mode mode;
	char *const *argv;
	const char *cwd;
	const char *hostname;
	bool host_fs;
	const struct spec *spec;
	struct ctr_fs fs;
	int gofer_tree;
};

/**
 * struct sandbox - handles on a running sandbox
 * @init_pid:	Stub's pid in our pid namespace
 * @pidfd:	pidfd of the stub, owned
 * @ctl:	Control socket to the stub, owned
 */
struct sandbox {
	pid_t init_pid;
	int pidfd;
	int ctl;
};

int sandbox_start(const struct sandbox_cfg *cfg, struct sandbox *sb);
int sandbox_ack(struct sandbox *sb);
