// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sendfds.c - one packet with descriptors, as a hostile peer sends it
 * (sendfds.h)
 */
#include "sendfds.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/**
 * test_send_fds() - sendmsg() of @buf with @fds attached
 * @sock:	Socket
 * @buf:	Bytes
 * @len:	Their length
 * @fds:	Descriptors (not consumed), or NULL with @nfds 0
 * @nfds:	Their number (at most SENDFDS_MAX)
 *
 * Return: sendmsg()'s result, or -1 with EINVAL for too many descriptors
 */
ssize_t test_send_fds(int sock, const void *buf, size_t len, const int *fds,
		      int nfds)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * SENDFDS_MAX)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {(void *)buf, len};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;

	if (nfds < 0 || nfds > SENDFDS_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (nfds) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.b;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	return sendmsg(sock, &m, 0);
}
