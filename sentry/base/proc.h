/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the process title: what ps and `docker top` show
 *
 * The runtime forks its long-lived processes (sentry, init stub, exec
 * waiter) without exec, so they would show the command line of the verb
 * that made them, the whole of Docker's arguments. proc_title_set()
 * rewrites the argument area in place (as setproctitle() does; the text
 * is cut to the area's size) and the comm name with PR_SET_NAME.
 *
 * /proc/PID/status is read whole (one read) by proc_status_read(), and its
 * fields picked by proc_status_field(): a guest's credentials and
 * capabilities for the sentry, a workload's caught signals for the init.
 *
 * proc_pivot() makes a mount point the root of the caller's (private)
 * mount namespace and detaches the old root: the guest's view, the
 * sentry's and the gofer's empty roots.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

void proc_title_init(int argc, char **argv);
void proc_title_set(const char *title);
int proc_status_read(pid_t pid, char *buf, size_t cap);
int proc_status_field(const char *text, const char *key, int base, int nth,
		      unsigned long long *v);
int proc_pivot(const char *dir);
