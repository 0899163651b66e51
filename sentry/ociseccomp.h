/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ociseccomp.h - config.json's linux.seccomp, as a libseccomp filter
 *
 * Theory of operation
 *
 * The profile (Docker's default one, or the user's) is applied to every
 * guest process on top of the sentry's own filter, right before the
 * process drops its privileges. The kernel runs both filters and keeps the
 * most restrictive answer (KILL > TRAP > ERRNO > USER_NOTIF > ... >
 * ALLOW), so a socket call the profile allows is still trapped and served
 * by the sentry, and one it forbids fails with the profile's errno.
 *
 * ociseccomp_build() translates the JSON as runc does: defaultAction (and
 * defaultErrnoRet, EPERM if absent), architectures, and syscalls entries
 * of names, action, errnoRet and args (index, value, valueTwo, op). Names
 * this libseccomp does not know are skipped, as runc does (profiles list
 * syscalls of newer kernels). When several args share an index, each
 * becomes a rule of its own (they are alternatives); otherwise all args
 * form one rule. SCMP_ACT_NOTIFY is refused: the sentry is the only
 * listener. Errors name the offending field in @errbuf.
 */
#pragma once

#include <stddef.h>

int ociseccomp_check(const char *json, char *errbuf, size_t len);
int ociseccomp_load(const char *json, char *errbuf, size_t len);
