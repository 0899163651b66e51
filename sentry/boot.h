/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * boot.h - the sentry of an OCI container (process name runsc-sandbox)
 *
 * Theory of operation
 *
 * `runsc create` forks the sentry and talks to it over a SOCK_SEQPACKET
 * pair (struct boot_msg), so that Docker's network hook can run between
 * the moment the container's network namespace exists and the moment the
 * sentry takes its interface over:
 *
 *   sentry                               create
 *   join cgroup, enter/create netns
 *   clone the init stub (container.h)
 *   adopt the init's seccomp listener
 *   BOOT_NS_READY (init pid, pty master) ->
 *                                        console socket, prestart and
 *                                        createRuntime hooks
 *                                     <- BOOT_GO
 *   take eth0 (sandbox mode), lwIP,
 *   control socket
 *   BOOT_READY                         ->
 *                                        state "created", pid file, exit
 *
 * Any failure is BOOT_FAIL with a one-line message for log.json, and the
 * sentry exits; create then kills what is left and removes the state.
 * After BOOT_READY the sentry is on its own: it is the process Docker
 * waits for (the shim reaps it once create has exited), it releases the
 * workload on CTL_START, and it exits with the workload's status, which it
 * also writes to the state directory's "exit" file for `runsc wait` and
 * `runsc state`.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "gofer_spawn.h"
#include "intercept.h"
#include "spec.h"

enum boot_msg_type {
	BOOT_NS_READY, /* sentry -> create: namespaces exist (+ pty fd) */
	BOOT_GO,       /* create -> sentry: hooks ran, go on */
	BOOT_READY,    /* sentry -> create: serving */
	BOOT_FAIL,     /* either way: @text says why */
};

/**
 * struct boot_msg - one message on the create/sentry pair
 * @type:	enum boot_msg_type
 * @init_pid:	BOOT_NS_READY: the init stub's pid (runtime's pid namespace)
 * @text:	BOOT_FAIL: message, NUL-terminated
 */
struct boot_msg {
	uint32_t type;
	int32_t init_pid;
	char text[496];
};

/**
 * struct boot_args - what the sentry needs
 * @spec:	The container's spec
 * @mode:	Network mode
 * @own_netns:	Create a new network namespace for the container (Docker's
 *		hook configures it); false: @netns_path or the runtime's
 * @netns_path:	Network namespace to join, or NULL
 * @join_ctl:	Control socket of the sandbox whose network the container
 *		shares (docker --network=container:X), or NULL: its sentry
 *		serves our guest's listeners (CTL_EXEC) and ours runs lwIP
 *		for nothing but itself
 * @cgroup:	cgroupsPath, or NULL
 * @ctl_path:	Control socket path
 * @sync:	Our end of the pair with create (owned)
 * @exit_fd:	File for the final wait status (owned)
 * @id:		Container id (for %ID% in capture file names)
 * @pcap_log:	--pcap-log pattern, or NULL
 * @pcap_log_lo: --pcap-log-lo pattern, or NULL
 * @fs:		How the root is layered (--overlay, --overlay-size)
 * @files:	File access (--file-access=mediated: a gofer serves opens)
 * @bundle:	The bundle (absolute; the gofer reads its config.json)
 */
struct boot_args {
	const struct spec *spec;
	enum net_mode mode;
	bool own_netns;
	const char *netns_path;
	const char *join_ctl;
	const char *cgroup;
	const char *ctl_path;
	int sync;
	int exit_fd;
	const char *id;
	const char *pcap_log;
	const char *pcap_log_lo;
	struct ctr_fs fs;
	struct file_opts files;
	const char *bundle;
};

struct tap;
struct ns_if_config;
int boot_take_link(struct tap *t, struct ns_if_config *cfg);
void __attribute__((noreturn)) boot_main(const struct boot_args *a);
int boot_send(int sync, enum boot_msg_type type, pid_t pid, int fd,
	      const char *text);
int boot_recv(int sync, int timeout_ms, struct boot_msg *m, int *fd);
