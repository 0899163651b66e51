/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fd.h - file descriptor helpers: SCM_RIGHTS, non-blocking mode, full writes
 *
 * All functions return >= 0 on success and -errno on failure. Received fds
 * are always CLOEXEC and owned by the caller.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct iovec;
struct open_how;
int fd_sendv(int sock, const struct iovec *iov, int iovcnt, const int *fds,
	     int nfds);
int fd_send(int sock, const void *buf, size_t len, const int *fds, int nfds);
ssize_t fd_recv(int sock, void *buf, size_t len, int *fds, int *nfds);
ssize_t fd_recvmsg(int sock, void *buf, size_t len, int *fds, int *nfds,
		   bool *lost);
int fd_nonblock(int fd, int on);
int write_all(int fd, const void *buf, size_t len);
ssize_t read_full(int fd, void *buf, size_t len);
int fd_close_from(int lowfd, const int *keep, int nkeep);
int fd_wait_in(int fd, int timeout_ms);
int fd_openat2(int dirfd, const char *path, const struct open_how *how);
