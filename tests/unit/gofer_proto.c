// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer_proto.c - unit tests for the gofer's wire format: round trips, and
 * hostile packets (bad lengths, bad counts, bad handles) rejected without
 * a crash or a leaked descriptor
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmocka.h>

#include "fd.h"
#include "gofer/proto.h"

static struct proto_msg msg;
static int sv[2];

/**
 * open_fds() - Count this process's open descriptors
 *
 * Return: count
 */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/**
 * setup() - A fresh SEQPACKET pair for each test
 * @state:	Unused
 *
 * Return: 0
 */
static int setup(void **state)
{
	(void)state;
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
}

/**
 * teardown() - Close the pair
 * @state:	Unused
 *
 * Return: 0
 */
static int teardown(void **state)
{
	(void)state;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

/**
 * send_raw() - Send a hand-made packet with @nfds copies of /dev/null
 * @buf:	Bytes
 * @len:	Length
 * @nfds:	Descriptors to attach
 */
static void send_raw(const void *buf, size_t len, int nfds)
{
	int fds[PROTO_MAX_FDS] = {0}, i;

	for (i = 0; i < nfds; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(fd_send(sv[0], buf, len, fds, nfds), 0);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
}

/**
 * expect_reject() - The packet sent is refused with @err, nothing leaks
 * @err:	-EBADMSG or -EINVAL
 * @before:	open_fds() before the packet was sent
 */
static void expect_reject(int err, int before)
{
	assert_int_equal(proto_recv(sv[1], &msg), err);
	assert_int_equal(msg.nfds, 0);
	assert_int_equal(open_fds(), before);
}

/**
 * open_packet() - A well-formed PROTO_OPEN packet to break
 * @buf:	Result (PROTO_MAX_MSG bytes)
 * @path:	Path
 *
 * Return: its length
 */
static size_t open_packet(unsigned char *buf, const char *path)
{
	struct proto_open o = {.flags = O_RDONLY, .pid = 1};
	size_t l = strlen(path) + 1;
	struct proto_hdr h = {.op = PROTO_OPEN,
			      .nfds = 1,
			      .len = (uint32_t)(sizeof(h) + sizeof(o) + l)};

	o.path_len = (uint32_t)l;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &o, sizeof(o));
	memcpy(buf + sizeof(h) + sizeof(o), path, l);
	return h.len;
}

/**
 * test_open_roundtrip() - An open request arrives intact with its fds
 * @state:	Unused
 */
static void test_open_roundtrip(void **state)
{
	struct proto_open o = {.flags = O_RDWR | O_CREAT,
			       .mode = 0640,
			       .uid = 1000,
			       .gid = 100,
			       .ngroups = 1,
			       .groups = {27},
			       .cap_eff = 1u << 1};
	int fds[2] = {open("/", O_PATH | O_CLOEXEC),
		      open("/tmp", O_PATH | O_CLOEXEC)};

	(void)state;
	assert_int_equal(proto_send_open(sv[0], 7, &o, "a/../b", fds, 2), 0);
	assert_int_equal(proto_recv(sv[1], &msg), 0);
	assert_int_equal(msg.hdr.op, PROTO_OPEN);
	assert_int_equal(msg.hdr.id, 7);
	assert_int_equal(msg.nfds, 2);
	assert_string_equal(msg.path, "a/../b");
	assert_int_equal(msg.open.flags, O_RDWR | O_CREAT);
	assert_int_equal(msg.open.mode, 0640);
	assert_int_equal(msg.open.groups[0], 27);
	assert_int_equal(msg.open.cap_eff, 2);
	proto_close_fds(&msg);
	close(fds[0]);
	close(fds[1]);
}

/**
 * test_tree_reply_roundtrip() - Tree requests and replies with text and fd
 * @state:	Unused
 */
static void test_tree_reply_roundtrip(void **state)
{
	uint32_t idx[2] = {0, 5};
	int fds[2] = {open("/", O_PATH | O_CLOEXEC),
		      open("/", O_PATH | O_CLOEXEC)};

	(void)state;
	assert_int_equal(proto_send_tree(sv[0], 1, idx, fds, 2), 0);
	assert_int_equal(proto_recv(sv[1], &msg), 0);
	assert_int_equal(msg.hdr.op, PROTO_TREE);
	assert_int_equal(msg.tree.n, 2);
	assert_int_equal(msg.tree.index[1], 5);
	proto_close_fds(&msg);
	assert_int_equal(proto_send_reply(sv[0], 9, -ENOENT, "no such", -1), 0);
	assert_int_equal(proto_recv(sv[1], &msg), 0);
	assert_int_equal(msg.reply.result, -ENOENT);
	assert_string_equal(msg.text, "no such");
	assert_int_equal(proto_send_reply(sv[0], 9, 0, NULL, fds[0]), 0);
	assert_int_equal(proto_recv(sv[1], &msg), 0);
	assert_int_equal(msg.nfds, 1);
	assert_string_equal(msg.text, "");
	proto_close_fds(&msg);
	close(fds[0]);
	close(fds[1]);
}

/**
 * test_bad_header() - Short packets, lying lengths, unknown ops, fd counts
 * @state:	Unused
 */
static void test_bad_header(void **state)
{
	unsigned char buf[PROTO_MAX_MSG];
	struct proto_hdr h;
	int before = open_fds();
	size_t n;

	(void)state;
	send_raw("x", 1, 2); /* shorter than a header, with fds */
	expect_reject(-EBADMSG, before);
	n = open_packet(buf, "/etc/passwd");
	memcpy(&h, buf, sizeof(h));
	h.len = (uint32_t)n + 1; /* length lies */
	memcpy(buf, &h, sizeof(h));
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	h.len = (uint32_t)n;
	h.op = PROTO_NUM_OPS; /* unknown op */
	memcpy(buf, &h, sizeof(h));
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	h.op = PROTO_OPEN; /* says 1 fd, carries 3 */
	memcpy(buf, &h, sizeof(h));
	send_raw(buf, n, 3);
	expect_reject(-EBADMSG, before);
	send_raw(buf, n, 0); /* says 1, carries none: a bad handle */
	expect_reject(-EBADMSG, before);
	send_raw(buf, sizeof(h) + 10, 1); /* body cut short */
	expect_reject(-EBADMSG, before);
}

/**
 * test_bad_open() - Path lengths and fields of an open request
 * @state:	Unused
 */
static void test_bad_open(void **state)
{
	unsigned char buf[PROTO_MAX_MSG];
	struct proto_open *o = (void *)(buf + sizeof(struct proto_hdr));
	struct proto_hdr *h = (void *)buf;
	int before = open_fds();
	size_t n;

	(void)state;
	n = open_packet(buf, "/etc/passwd");
	buf[n - 1] = 'x'; /* not NUL-terminated */
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	n = open_packet(buf, "/etc/passwd");
	buf[n - 5] = '\0'; /* embedded NUL */
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	n = open_packet(buf, "/etc/passwd");
	o->path_len = 0;
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	n = open_packet(buf, "/etc/passwd");
	o->path_len = 0xffffffffu; /* huge */
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	n = open_packet(buf, ""); /* empty path: path_len 1 */
	send_raw(buf, n, 1);
	expect_reject(-EBADMSG, before);
	n = open_packet(buf, "/x");
	o->ngroups = PROTO_MAX_GROUPS + 1;
	send_raw(buf, n, 1);
	expect_reject(-EINVAL, before);
	n = open_packet(buf, "/x");
	o->pad = 1;
	send_raw(buf, n, 1);
	expect_reject(-EINVAL, before);
	n = open_packet(buf, "/x");
	h->nfds = 3; /* open takes the root and at most a directory */
	send_raw(buf, n, 3);
	expect_reject(-EINVAL, before);
}

/**
 * test_bad_tree_reply() - Tree counts and replies that cannot be right
 * @state:	Unused
 */
static void test_bad_tree_reply(void **state)
{
	unsigned char buf[PROTO_MAX_MSG];
	struct proto_hdr h = {.op = PROTO_TREE, .nfds = 2};
	struct proto_tree t = {.n = 3};
	struct proto_reply r = {.result = -EPERM};
	int before = open_fds();

	(void)state;
	h.len = sizeof(h) + sizeof(t);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &t, sizeof(t));
	send_raw(buf, h.len, 2); /* n != nfds */
	expect_reject(-EBADMSG, before);
	h = (struct proto_hdr){
	    .op = PROTO_REPLY, .nfds = 1, .len = sizeof(h) + sizeof(r)};
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &r, sizeof(r));
	send_raw(buf, h.len, 1); /* an error that carries a descriptor */
	expect_reject(-EBADMSG, before);
	r = (struct proto_reply){.result = 0, .text_len = 40};
	h.nfds = 0;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &r, sizeof(r));
	send_raw(buf, h.len, 0); /* text_len beyond the packet */
	expect_reject(-EBADMSG, before);
}

/**
 * test_oversize() - Packets beyond PROTO_MAX_MSG, senders' own limits
 * @state:	Unused
 */
static void test_oversize(void **state)
{
	static unsigned char big[PROTO_MAX_MSG + 512];
	static char path[PROTO_MAX_PATH + 8];
	struct proto_open o = {0};
	int fd = open("/", O_PATH | O_CLOEXEC), before = open_fds();

	(void)state;
	memset(big, 'A', sizeof(big));
	send_raw(big, sizeof(big), 1);
	expect_reject(-EBADMSG, before);
	memset(path, 'a', sizeof(path) - 1);
	assert_int_equal(proto_send_open(sv[0], 1, &o, path, &fd, 1),
			 -ENAMETOOLONG);
	assert_int_equal(
	    proto_send_tree(sv[0], 1, NULL, NULL, PROTO_MAX_FDS + 1), -E2BIG);
	close(fd);
}

/**
 * test_eof() - The peer's end closing is -EPIPE
 * @state:	Unused
 */
static void test_eof(void **state)
{
	(void)state;
	close(sv[0]);
	sv[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(proto_recv(sv[1], &msg), -EPIPE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_roundtrip, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tree_reply_roundtrip, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_header, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_tree_reply, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eof, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
