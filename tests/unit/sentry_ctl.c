// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_ctl.c - unit tests for the control socket's framing
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/ctl.h"

static struct ctl_msg msg;

/**
 * test_roundtrip() - A request with payload and a descriptor arrives intact
 * @state:	Unused
 */
static void test_roundtrip(void **state)
{
	int sv[2], p[2];
	char b = 0;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(ctl_send(sv[0], CTL_EXEC, 0, "abc", 3, &p[1], 1), 0);
	assert_int_equal(ctl_recv(sv[1], &msg), 0);
	assert_int_equal(msg.hdr.type, CTL_EXEC);
	assert_int_equal(msg.hdr.len, 3);
	assert_string_equal((char *)msg.payload, "abc");
	assert_int_equal(msg.nfds, 1);
	assert_int_equal(fcntl(msg.fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(write(msg.fds[0], "x", 1), 1);
	assert_int_equal(read(p[0], &b, 1), 1);
	assert_int_equal(b, 'x');
	ctl_msg_close_fds(&msg);
	assert_int_equal(ctl_send(sv[0], CTL_REPLY, -ENOENT, NULL, 0, NULL, 0),
			 0);
	assert_int_equal(ctl_recv(sv[1], &msg), 0);
	assert_int_equal(msg.hdr.err, -ENOENT);
	assert_int_equal(msg.nfds, 0);
	close(sv[0]);
	assert_int_equal(ctl_recv(sv[1], &msg), -EPIPE);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

/**
 * send_raw() - Send bytes as one packet, maybe with a descriptor
 * @fd:		Socket
 * @buf:	Bytes
 * @len:	Length
 * @pass:	Descriptor to attach, or -1
 */
static void send_raw(int fd, const void *buf, size_t len, int pass)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {(void *)buf, len};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;

	if (pass >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass, sizeof(int));
	}
	assert_true(sendmsg(fd, &m, 0) == (ssize_t)len);
}

/**
 * test_hostile() - Malformed packets are refused and their fds closed
 * @state:	Unused
 */
static void test_hostile(void **state)
{
	struct ctl_hdr h = {CTL_MAGIC, CTL_START, 0, 0};
	uint8_t big[sizeof(h) + 8];
	int sv[2], p[2], nfd;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	send_raw(sv[0], "xy", 2, p[1]); /* short */
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	h.magic = 1; /* bad magic */
	send_raw(sv[0], &h, sizeof(h), -1);
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	h.magic = CTL_MAGIC;
	h.type = CTL_NUM_TYPES; /* unknown type */
	send_raw(sv[0], &h, sizeof(h), -1);
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	h.type = CTL_START;
	h.len = 100; /* claims more than sent */
	memcpy(big, &h, sizeof(h));
	send_raw(sv[0], big, sizeof(big), p[1]);
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	h.len = 0xffffffffU;
	send_raw(sv[0], &h, sizeof(h), -1);
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	h.len = 0;
	h.err = -5; /* a request carrying an error */
	send_raw(sv[0], &h, sizeof(h), -1);
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	h.type = CTL_REPLY;
	h.err = 7; /* positive error in a reply */
	send_raw(sv[0], &h, sizeof(h), -1);
	assert_int_equal(ctl_recv(sv[1], &msg), -EBADMSG);
	/* the descriptors of rejected packets were closed: only ours remain */
	close(p[1]);
	nfd = (int)read(p[0], big, 1);
	assert_int_equal(nfd, 0); /* EOF: no write end left open */
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}

/**
 * test_path() - Socket paths that do not fit sun_path are refused
 * @state:	Unused
 */
static void test_path(void **state)
{
	char buf[256], id[200];
	int fd;

	(void)state;
	assert_int_equal(ctl_path("/run/x", "abc", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/x/abc/ctl");
	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	assert_int_equal(ctl_path("/run/x", id, buf, sizeof(buf)),
			 -ENAMETOOLONG);
	assert_int_equal(ctl_connect("/nonexistent/dir/ctl", &fd), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
