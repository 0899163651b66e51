/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gofer_spawn.h - start and stop the sandbox's gofer (gofer/gofer.h)
 *
 * Theory of operation
 *
 * With --file-access=mediated the sentry forks and execs the runtime
 * binary (/proc/self/exe) as `runsc gofer` before the guest exists and
 * before it joins the spec's pid namespace, donating one end of a
 * SOCK_SEQPACKET pair (fd 3), the audit log (fd 4, opened here, so a
 * relative --file-audit path means the runtime's working directory) and
 * the runtime's log as its stderr. The gofer is the sentry's child: it
 * dies with it (PR_SET_PDEATHSIG), and ends on its own when the sentry's
 * end of the pair closes; gofer_stop() closes that end and reaps it.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#define FILE_DENY_MAX 32 /* --file-deny patterns (GOFER_MAX_DENY) */

/**
 * struct file_opts - the file-access global flags
 * @mediated:	--file-access=mediated: the guest's opens go to the gofer
 * @audit:	--file-audit path, or NULL
 * @deny:	--file-deny patterns
 * @n_deny:	Entries in @deny
 * @log_json:	The gofer logs JSON lines (--log-format json)
 * @debug:	The gofer logs debug messages (--debug)
 */
struct file_opts {
	bool mediated;
	const char *audit;
	const char *deny[FILE_DENY_MAX];
	int n_deny;
	bool log_json;
	bool debug;
};

int gofer_spawn(const struct file_opts *o, int *sock, pid_t *pid);
void gofer_stop(int *sock, pid_t *pid);
