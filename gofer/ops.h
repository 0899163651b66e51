/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops.h - the gofer's internal pieces of a mediated open (gofer/ops.c)
 *
 * Theory of operation
 *
 * gofer_open() (gofer.h) resolves one guest open below the guest's root and
 * applies the policy; the pure parts it is made of are declared here so that
 * tests/unit/gofer_ops.c can check them without root: open-flag naming for
 * the audit log (whose strings json_quote() of sentry/base/log.c quotes),
 * joining a guest directory and a relative path, and deny-list matching. None of them allocates or makes a
 * syscall; all write into caller buffers and fail with -ENOSPC /
 * -ENAMETOOLONG when it is too small.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gofer/gofer.h"

#ifndef GOFER_AUDIT_MAX
#define GOFER_AUDIT_MAX 32768 /* bytes: one audit line at the most */
#endif

int gofer_flag_names(char *out, size_t cap, int flags);
int gofer_path_join(char *out, size_t cap, const char *dir, const char *path);
bool gofer_denied(const struct gofer_policy *pol, const char *path);
int gofer_strip_root(char *path, const char *root);
const char *gofer_errname(int err);
int gofer_isolate(void);
