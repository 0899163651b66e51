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
 *  - files (isolate_fs()): the gofer resolves host paths, so the sentry
 *    gives the host's file system up: in a mount namespace of its own it
 *    pivots into an empty, read-only tmpfs holding only a clone of /proc
 *    (guest threads' status, root, cwd and fds, for the socket and open
 *    emulation). Everything else it uses is an open descriptor by then.
 *    The gofer does the same before it serves mediated opens;
 *  - loop (isolate_sentry()): allowlist below, arguments constrained where
 *    cheap (socket families, ioctl requests, kill, unlinkat only relative
 *    to the directories given to isolate_allow_unlinkat()).
 * Sanitizer builds stay unconfined: LeakSanitizer stops the world with a
 * ptrace()ing clone at exit, which no allowlist of ours should contain.
 */
#pragma once

int isolate_allow_unlinkat(int dirfd);
int isolate_fs(void);
int isolate_sentry(void);
