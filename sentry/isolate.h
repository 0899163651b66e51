/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isolate.h - the sentry's own confinement
 *
 * Theory of operation
 *
 * The sentry parses hostile input (guest syscall arguments, frames), so once
 * everything is set up (tap open, relays bound, sandbox cloned) it confines
 * itself with a libseccomp allowlist of the syscalls its loop makes; any
 * other syscall kills it (and with it the sandbox: fail closed). Stages:
 *  - setup (cmd_do.c): namespaces, devices, sockets: unconfined;
 *  - loop (isolate_sentry()): allowlist below, arguments constrained where
 *    cheap (socket families, ioctl requests, kill, unlinkat only relative
 *    to the directories given to isolate_allow_unlinkat()).
 * Sanitizer builds stay unconfined: LeakSanitizer stops the world with a
 * ptrace()ing clone at exit, which no allowlist of ours should contain.
 */
#pragma once

int isolate_allow_unlinkat(int dirfd);
int isolate_sentry(void);
