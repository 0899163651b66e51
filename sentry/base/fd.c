// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fd.c - file descriptor helpers
 */
#include "fd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base.h"

#define FD_MAX_PASS 16
#define FD_OPENAT2_TRIES 64 /* lookups raced by renames, at most */

/**
 * fd_sendv() - Send an iovec with file descriptors attached (SCM_RIGHTS)
 * @sock:	Unix socket
 * @iov:	Payload pieces (at least one byte in all)
 * @iovcnt:	Number of pieces
 * @fds:	Descriptors to pass (not consumed)
 * @nfds:	Number of descriptors, at most FD_MAX_PASS
 *
 * Return: 0 on success, -errno on failure
 * #syscalls sendmsg
 */
int fd_sendv(int sock, const struct iovec *iov, int iovcnt, const int *fds,
	     int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * FD_MAX_PASS)];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = (struct iovec *)iov,
			     .msg_iovlen = (size_t)iovcnt};
	struct cmsghdr *c;

	if (nfds < 0 || nfds > FD_MAX_PASS || iovcnt < 1 || !iov[0].iov_len)
		return -EINVAL;
	if (nfds) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/**
 * fd_send() - Send bytes with file descriptors attached (SCM_RIGHTS)
 * @sock:	Unix socket
 * @buf:	Payload (at least one byte is always sent)
 * @len:	Payload length
 * @fds:	Descriptors to pass (not consumed)
 * @nfds:	Number of descriptors, at most FD_MAX_PASS
 *
 * Return: 0 on success, -errno on failure
 */
int fd_send(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};

	return fd_sendv(sock, &iov, 1, fds, nfds);
}

/**
 * fd_recvmsg() - Receive bytes and passed descriptors, and say what was lost
 * @sock:	Unix socket
 * @buf:	Payload buffer
 * @len:	Size of @buf
 * @fds:	Array for received descriptors (caller owns them)
 * @nfds:	In: capacity of @fds; out: descriptors received
 * @lost:	Out: true if the packet or its descriptors did not fit
 *		(MSG_TRUNC, MSG_CTRUNC, or more descriptors than @nfds: the
 *		extra ones are closed)
 *
 * Return: bytes received, or -errno
 * #syscalls recvmsg close
 */
ssize_t fd_recvmsg(int sock, void *buf, size_t len, int *fds, int *nfds,
		   bool *lost)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * FD_MAX_PASS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	int cap = *nfds, got = 0, i, n;
	struct cmsghdr *c;
	ssize_t r;

	*nfds = 0;
	r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (r < 0)
		return -errno;
	*lost = msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC);
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (got < cap) {
				fds[got++] = fd;
			} else {
				close(fd);
				*lost = true;
			}
		}
	}
	*nfds = got;
	return r;
}

/**
 * fd_recv() - Receive bytes and any passed descriptors
 * @sock:	Unix socket
 * @buf:	Payload buffer
 * @len:	Size of @buf
 * @fds:	Array for received descriptors (caller owns them)
 * @nfds:	In: capacity of @fds; out: descriptors received
 *
 * Extra descriptors beyond the capacity are closed.
 *
 * Return: bytes received, or -errno
 */
ssize_t fd_recv(int sock, void *buf, size_t len, int *fds, int *nfds)
{
	bool lost;

	return fd_recvmsg(sock, buf, len, fds, nfds, &lost);
}

/**
 * fd_nonblock() - Set or clear O_NONBLOCK
 * @fd:	File descriptor
 * @on:	Non-zero to set
 *
 * Return: 0 on success, -errno on failure
 * #syscalls fcntl
 */
int fd_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return -errno;
	return 0;
}

/**
 * write_all() - Write a whole buffer to a blocking fd
 * @fd:		File descriptor
 * @buf:	Data
 * @len:	Length
 *
 * Return: 0 on success, -errno on failure
 * #syscalls write
 */
int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * read_full() - Read until @len bytes or end of file
 * @fd:		File descriptor (blocking)
 * @buf:	Buffer
 * @len:	Bytes wanted
 *
 * Return: bytes read (short only at end of file), or -errno
 * #syscalls read
 */
ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/**
 * fd_close_from() - Close every fd >= @lowfd except those in @keep
 * @lowfd:	Lowest fd to close
 * @keep:	Descriptors to keep open
 * @nkeep:	Number of entries in @keep
 *
 * Used before exec'ing a workload, so nothing inherited leaks into it.
 *
 * Return: 0 on success, -errno on failure
 */
int fd_close_from(int lowfd, const int *keep, int nkeep)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int dfd, i;

	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name), k = 0;

		if (de->d_name[0] == '.' || fd < lowfd || fd == dfd)
			continue;
		for (i = 0; i < nkeep; i++)
			k |= keep[i] == fd;
		if (!k)
			close(fd);
	}
	closedir(d);
	return 0;
}

/**
 * fd_openat2() - openat2(), retried when a rename raced a confined lookup
 * @dirfd:	Starting directory (or AT_FDCWD)
 * @path:	Path
 * @how:	Flags, mode, resolve (O_CLOEXEC is the caller's to set)
 *
 * RESOLVE_IN_ROOT and RESOLVE_BENEATH fail with EAGAIN whenever any rename
 * on the machine races the lookup (the kernel cannot prove ".." stayed
 * inside): retried, bounded. With RESOLVE_CACHED, EAGAIN is the answer
 * ("not in the cache") and is returned at once.
 *
 * Return: fd or -errno (-EAGAIN after FD_OPENAT2_TRIES raced attempts)
 * #syscalls:setup openat2
 */
int fd_openat2(int dirfd, const char *path, const struct open_how *how)
{
	int tries = 0;
	long fd;

	do
		fd = syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
	while (fd < 0 && errno == EAGAIN && !(how->resolve & RESOLVE_CACHED) &&
	       ++tries < FD_OPENAT2_TRIES);
	return fd < 0 ? -errno : (int)fd;
}

/**
 * fd_wait_in() - Wait until @fd is readable (or hung up), bounded
 * @fd:		Descriptor
 * @timeout_ms:	Bound (-1: none); a signal does not cut the wait short
 *
 * Return: 0, -ETIMEDOUT, or -errno
 * #syscalls poll
 */
int fd_wait_in(int fd, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r ? 0 : -ETIMEDOUT;
}
