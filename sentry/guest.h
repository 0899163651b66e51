/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest.h - access to a guest thread's memory and descriptors
 *
 * Guest memory is touched only with process_vm_readv/writev; a bad pointer
 * or a short transfer is -EFAULT, never a sentry failure. Guest fds are
 * identified by the inode of the file they refer to (stat of
 * /proc/TID/fd/N), and duplicated, when the sentry must act on the guest's
 * own end, with pidfd_open(PIDFD_THREAD) + pidfd_getfd. Callers must check
 * that the notification is still valid after reading (icpt_valid()).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int gmem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
int gmem_write(pid_t tid, uint64_t addr, const void *buf, size_t len);
int gmem_write2(pid_t tid, uint64_t a1, const void *b1, size_t l1, uint64_t a2,
		const void *b2, size_t l2);
int gfd_ino(pid_t tid, int fd, ino_t *ino);
int gfd_dup(pid_t tid, int fd);
