/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsclient.h - the sentry's side of mediated opens (gofer protocol client)
 *
 * Theory of operation
 *
 * With --file-access=mediated the guest's filter (intercept.c) also traps
 * open, openat, openat2 and creat. fsc_syscall() serves such a call: it
 * copies the path (and openat2's struct open_how) out of the guest, reads
 * the thread's credentials from /proc/TID/status, opens the thread's root
 * (and, for a relative path, its cwd or directory fd) as O_PATH handles,
 * checks the notification is still valid, sends PROTO_OPEN to the gofer
 * and waits for the reply. The file the gofer opened is installed in the
 * guest with SECCOMP_IOCTL_NOTIF_ADDFD | SECCOMP_ADDFD_FLAG_SEND.
 *
 * The wait is synchronous, in the sentry's loop: the gofer never blocks on
 * an open (O_NONBLOCK, see gofer/ops.c), and the receive is bounded by
 * SO_RCVTIMEO (FSC_TIMEOUT_MS); a timeout or a dead gofer fails the guest's
 * open with EIO. The socket is owned by struct sentry; fsclient only uses it.
 */
#pragma once

#include <stdbool.h>

#include "gofer/proto.h"
#include "intercept.h"

#ifndef FSC_TIMEOUT_MS
#define FSC_TIMEOUT_MS 5000 /* ms: the longest the loop waits for the gofer */
#endif

int fsc_init(int gofer_fd);
bool fsc_owns(int nr);
int64_t fsc_syscall(struct gcall *c);
int fsc_check_flags(int nr, int32_t flags, uint64_t resolve);
int fsc_rewrite_proc(char *path, size_t cap, int nspid, int nstid);
int fsc_parse_status(const char *text, struct proto_open *o, int *nspid,
		     int *nstid);
