// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest.c - guest memory and descriptor access
 */
#include "guest.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/**
 * gmem_read() - Copy bytes out of a guest thread's memory
 * @tid:	Guest thread (host pid namespace)
 * @addr:	Guest address
 * @buf:	Destination
 * @len:	Bytes to copy
 *
 * Return: 0 on success, -EFAULT if any byte is unreadable, -ESRCH if gone
 * #syscalls process_vm_readv
 */
int gmem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {.iov_base = buf, .iov_len = len};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)addr,
			       .iov_len = len};
	ssize_t n;

	if (!len)
		return 0;
	if (!addr)
		return -EFAULT;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/**
 * gmem_write() - Copy bytes into a guest thread's memory
 * @tid:	Guest thread
 * @addr:	Guest address
 * @buf:	Source
 * @len:	Bytes to copy
 *
 * Return: 0 on success, -EFAULT if any byte is unwritable, -ESRCH if gone
 * #syscalls process_vm_writev
 */
int gmem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = {.iov_base = (void *)buf, .iov_len = len};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)addr,
			       .iov_len = len};
	ssize_t n;

	if (!len)
		return 0;
	if (!addr)
		return -EFAULT;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/**
 * gmem_write2() - Copy two buffers into guest memory in one call
 * @tid:	Guest thread
 * @a1:		First guest address
 * @b1:		First source
 * @l1:		Its length (0: nothing, and @a1 may be 0)
 * @a2:		Second guest address
 * @b2:		Second source
 * @l2:		Its length
 *
 * Return: 0 on success, -EFAULT if any byte is unwritable, -ESRCH if gone
 * #syscalls process_vm_writev
 */
int gmem_write2(pid_t tid, uint64_t a1, const void *b1, size_t l1, uint64_t a2,
		const void *b2, size_t l2)
{
	struct iovec lo[2] = {{(void *)b1, l1}, {(void *)b2, l2}};
	struct iovec re[2] = {{(void *)(uintptr_t)a1, l1},
			      {(void *)(uintptr_t)a2, l2}};
	ssize_t n;

	if ((l1 && !a1) || (l2 && !a2))
		return -EFAULT;
	n = process_vm_writev(tid, lo, 2, re, 2, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == l1 + l2 ? 0 : -EFAULT;
}

/**
 * gfd_ino() - Find the inode a guest descriptor refers to
 * @tid:	Guest thread
 * @fd:		Descriptor number in the guest
 * @ino:	Inode number, on success
 *
 * A duplicate through the thread's cached pidfd is cheaper than walking
 * /proc/TID/fd/N.
 *
 * Return: 0 on success, -EBADF if the guest has no such fd
 * #syscalls fstat close
 */
int gfd_ino(pid_t tid, int fd, ino_t *ino)
{
	struct stat st;
	int d, r = 0;

	if (fd < 0)
		return -EBADF;
	d = gfd_dup(tid, fd);
	if (d < 0)
		return d;
	if (fstat(d, &st) < 0)
		r = -errno;
	close(d);
	if (!r)
		*ino = st.st_ino;
	return r;
}

#define PIDFD_CACHE 64 /* threads whose pidfd is kept, direct-mapped */

static struct {
	pid_t tid;
	int pidfd;
} pidfds[PIDFD_CACHE];

/**
 * thread_pidfd() - A pidfd for a guest thread, cached
 * @tid:	Guest thread
 * @fresh:	Replace a cached pidfd (its thread is gone)
 *
 * A cached pidfd can never refer to a new thread that reuses @tid: it pins
 * the old struct pid, and pidfd_getfd on it fails with ESRCH.
 *
 * Return: pidfd (owned by the cache), or -errno
 * #syscalls pidfd_open close
 */
static int thread_pidfd(pid_t tid, bool fresh)
{
	unsigned int i = (unsigned int)tid % PIDFD_CACHE;
	int fd;

	if (pidfds[i].tid == tid && pidfds[i].pidfd > 0 && !fresh)
		return pidfds[i].pidfd;
	fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (fd < 0)
		return -errno;
	if (pidfds[i].pidfd > 0)
		close(pidfds[i].pidfd);
	pidfds[i].tid = tid;
	pidfds[i].pidfd = fd;
	return fd;
}

/**
 * gfd_dup() - Duplicate a guest descriptor into the sentry
 * @tid:	Guest thread
 * @fd:		Descriptor number in the guest
 *
 * The copy shares the guest's open file description (flags, offset).
 *
 * Return: new CLOEXEC fd owned by the caller, or -errno
 * #syscalls pidfd_getfd
 */
int gfd_dup(pid_t tid, int fd)
{
	int pidfd = thread_pidfd(tid, false), r;

	if (pidfd < 0)
		return pidfd;
	r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (r < 0 && errno == ESRCH) {
		pidfd = thread_pidfd(tid, true);
		if (pidfd < 0)
			return pidfd;
		r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	}
	return r < 0 ? -errno : r;
}
