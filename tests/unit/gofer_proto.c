// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer_proto.c - unit tests for the gofer wire format (gofer/proto.c)
 *
 * Every sender round-trips through a SOCK_SEQPACKET socketpair; hostile
 * packets are written raw with sendmsg(), each with whatever descriptors
 * the case calls for. A refused packet must give -EBADMSG or -EINVAL and
 * leave no received descriptor open: the fixture counts the open
 * descriptors of the process before and after each test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmocka.h>

#include "sendfds.h"

#include "gofer/proto.h"

/* the socketpair and a pipe whose ends are the descriptors we pass */
struct fx {
	int sv[2];
	int p[2];
	int nfds_before;
};

static struct proto_msg msg;

/**
 * count_fds() - Descriptors open in this process
 *
 * Return: their number (the listing's own excluded)
 */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

/**
 * fx_up() - Fixture: socketpair, pipe, descriptor count
 * @state:	Set to the struct fx
 *
 * Return: 0
 */
static int fx_up(void **state)
{
	static struct fx f;

	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, f.sv), 0);
	assert_int_equal(pipe2(f.p, O_CLOEXEC), 0);
	f.nfds_before = count_fds();
	memset(&msg, 0, sizeof(msg));
	*state = &f;
	return 0;
}

/**
 * fx_down() - Fixture: nothing received is left open; close ours
 * @state:	The struct fx
 *
 * Return: 0
 */
static int fx_down(void **state)
{
	struct fx *f = *state;

	assert_int_equal(count_fds(), f->nfds_before);
	close(f->sv[0]);
	close(f->sv[1]);
	close(f->p[0]);
	close(f->p[1]);
	return 0;
}

/**
 * send_raw() - Send bytes as one packet with descriptors attached
 * @sock:	Socket
 * @buf:	Bytes
 * @len:	Length
 * @fds:	Descriptors, or NULL
 * @nfds:	Their number, up to SENDFDS_MAX
 *
 * Not fd_sendv(): a hostile peer sends more than its FD_MAX_PASS.
 */
static void send_raw(int sock, const void *buf, size_t len, const int *fds,
		     int nfds)
{
	assert_true(test_send_fds(sock, buf, len, fds, nfds) == (ssize_t)len);
}

/* a packet under construction */
struct pkt {
	unsigned char b[PROTO_MAX_MSG + 1024];
	size_t n;
};

/**
 * pkt_new() - Start a packet: a header with @len 0 (filled by pkt_len())
 * @p:		Packet
 * @op:		Op
 * @nfds:	hdr.nfds
 * @body:	Fixed body
 * @blen:	Its size
 */
static void pkt_new(struct pkt *p, uint32_t op, uint32_t nfds, const void *body,
		    size_t blen)
{
	struct proto_hdr h = {.op = op, .id = 7, .nfds = nfds};

	memcpy(p->b, &h, sizeof(h));
	memcpy(p->b + sizeof(h), body, blen);
	p->n = sizeof(h) + blen;
}

/**
 * pkt_add() - Append bytes
 * @p:		Packet
 * @data:	Bytes
 * @len:	Length
 */
static void pkt_add(struct pkt *p, const void *data, size_t len)
{
	assert_true(p->n + len <= sizeof(p->b));
	memcpy(p->b + p->n, data, len);
	p->n += len;
}

/**
 * pkt_len() - Set hdr.len to the packet's length plus @delta
 * @p:		Packet
 * @delta:	Difference to write (0: the true length)
 */
static void pkt_len(struct pkt *p, int delta)
{
	uint32_t len = (uint32_t)((long)p->n + delta);

	memcpy(p->b + offsetof(struct proto_hdr, len), &len, sizeof(len));
}

/**
 * refused() - Send @p with @nfds copies of a pipe end, expect @want
 *
 * No received descriptor stays open afterwards (for @want 0 they are
 * closed here).
 *
 * @f:		Fixture
 * @p:		Packet
 * @nfds:	Descriptors to attach
 * @want:	proto_recv() result
 */
static void refused(struct fx *f, const struct pkt *p, int nfds, int want)
{
	int fds[32], i, r, got, before = count_fds();

	for (i = 0; i < nfds; i++)
		fds[i] = f->p[1];
	send_raw(f->sv[0], p->b, p->n, fds, nfds);
	r = proto_recv(f->sv[1], &msg);
	got = msg.nfds;
	if (!r)
		proto_close_fds(&msg); /* before any assert: no cascade */
	assert_int_equal(r, want);
	assert_int_equal(count_fds(), before);
	if (r)
		assert_int_equal(got, 0);
}

/**
 * open_body() - A valid PROTO_OPEN body for a path of @path_len bytes
 * @o:		Result
 * @path_len:	path_len field
 */
static void open_body(struct proto_open *o, uint32_t path_len)
{
	memset(o, 0, sizeof(*o));
	o->flags = O_RDONLY;
	o->uid = 1000;
	o->gid = 1000;
	o->ngroups = 1;
	o->groups[0] = 27;
	o->path_len = path_len;
}

/**
 * test_tree_roundtrip() - A tree request arrives with its mounts in order
 * @state:	Fixture
 */
static void test_tree_roundtrip(void **state)
{
	struct fx *f = *state;
	const uint32_t index[3] = {4, 0, 9};
	int fds[3] = {f->p[0], f->p[1], f->p[1]};
	char c = 0;

	assert_int_equal(proto_send_tree(f->sv[0], 11, index, fds, 3), 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(msg.hdr.op, PROTO_TREE);
	assert_int_equal(msg.hdr.id, 11);
	assert_int_equal(msg.hdr.len,
			 sizeof(struct proto_hdr) + sizeof(struct proto_tree));
	assert_int_equal(msg.tree.n, 3);
	assert_memory_equal(msg.tree.index, index, sizeof(index));
	assert_int_equal(msg.nfds, 3);
	assert_int_equal(fcntl(msg.fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(write(msg.fds[2], "t", 1), 1);
	assert_int_equal(read(msg.fds[0], &c, 1), 1);
	assert_int_equal(c, 't');
	proto_close_fds(&msg);
	assert_int_equal(msg.nfds, 0);
	/* an empty tree is valid; more than PROTO_MAX_FDS is not sendable */
	assert_int_equal(proto_send_tree(f->sv[0], 12, index, NULL, 0), 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(msg.tree.n, 0);
	assert_int_equal(
	    proto_send_tree(f->sv[0], 13, index, fds, PROTO_MAX_FDS + 1),
	    -E2BIG);
}

/**
 * test_open_roundtrip() - An open request: body, path, one or two fds
 * @state:	Fixture
 */
static void test_open_roundtrip(void **state)
{
	struct fx *f = *state;
	static char longpath[PROTO_MAX_PATH + 1];
	struct proto_open o;
	int fds[2] = {f->p[0], f->p[1]};

	open_body(&o, 0);
	o.pad = 99; /* the sender clears it */
	o.flags = O_WRONLY | O_CREAT;
	o.mode = 0640;
	assert_int_equal(
	    proto_send_open(f->sv[0], 21, &o, "etc/passwd", fds, 2), 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(msg.hdr.op, PROTO_OPEN);
	assert_int_equal(msg.hdr.id, 21);
	assert_int_equal(msg.open.flags, O_WRONLY | O_CREAT);
	assert_int_equal(msg.open.mode, 0640);
	assert_int_equal(msg.open.uid, 1000);
	assert_int_equal(msg.open.groups[0], 27);
	assert_int_equal(msg.open.path_len, sizeof("etc/passwd"));
	assert_int_equal(msg.open.pad, 0);
	assert_string_equal(msg.path, "etc/passwd");
	assert_true(msg.path >= (const char *)msg.buf &&
		    msg.path < (const char *)msg.buf + sizeof(msg.buf));
	assert_int_equal(msg.nfds, 2);
	proto_close_fds(&msg);
	/* the longest path that fits, with one fd */
	memset(longpath, 'a', PROTO_MAX_PATH - 1);
	assert_int_equal(proto_send_open(f->sv[0], 22, &o, longpath, fds, 1),
			 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(strlen(msg.path), PROTO_MAX_PATH - 1);
	assert_int_equal(msg.nfds, 1);
	proto_close_fds(&msg);
	/* one byte more does not go out */
	longpath[PROTO_MAX_PATH - 1] = 'a';
	assert_int_equal(proto_send_open(f->sv[0], 23, &o, longpath, fds, 1),
			 -ENAMETOOLONG);
}

/**
 * test_reply_roundtrip() - Replies: with an fd, with an error and a text
 * @state:	Fixture
 */
static void test_reply_roundtrip(void **state)
{
	struct fx *f = *state;
	static char text[2000];

	assert_int_equal(proto_send_reply(f->sv[0], 31, 0, NULL, f->p[1]), 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(msg.hdr.op, PROTO_REPLY);
	assert_int_equal(msg.hdr.id, 31);
	assert_int_equal(msg.reply.result, 0);
	assert_string_equal(msg.text, "");
	assert_int_equal(msg.nfds, 1);
	proto_close_fds(&msg);
	assert_int_equal(
	    proto_send_reply(f->sv[0], 32, -ENOENT, "no such mount", -1), 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(msg.reply.result, -ENOENT);
	assert_string_equal(msg.text, "no such mount");
	assert_int_equal(msg.nfds, 0);
	/* a long text is cut to 1023 bytes and stays terminated */
	memset(text, 'x', sizeof(text) - 1);
	assert_int_equal(proto_send_reply(f->sv[0], 33, -EIO, text, -1), 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), 0);
	assert_int_equal(strlen(msg.text), 1023);
	/* end of stream */
	close(f->sv[0]);
	f->sv[0] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), -EPIPE);
}

/**
 * test_short() - Packets shorter than a header or a body
 * @state:	Fixture
 */
static void test_short(void **state)
{
	struct fx *f = *state;
	struct proto_tree t = {0};
	struct pkt p;

	pkt_new(&p, PROTO_TREE, 1, &t, 0);
	p.n = 3;
	refused(f, &p, 1, -EBADMSG);
	pkt_new(&p, PROTO_TREE, 0, &t, 0); /* header, no body */
	pkt_len(&p, 0);
	refused(f, &p, 0, -EBADMSG);
	pkt_new(&p, PROTO_TREE, 0, &t, sizeof(t) - 4); /* body cut short */
	pkt_len(&p, 0);
	refused(f, &p, 0, -EBADMSG);
	/* proto_check() alone: nothing, and more than the buffer */
	msg.nfds = 0;
	assert_int_equal(proto_check(&msg, 0), -EBADMSG);
	assert_int_equal(proto_check(&msg, sizeof(msg.buf) + 1), -EBADMSG);
}

/**
 * test_bad_header() - Length and op that disagree with the packet
 * @state:	Fixture
 */
static void test_bad_header(void **state)
{
	struct fx *f = *state;
	struct proto_tree t = {.n = 1};
	struct pkt p;

	pkt_new(&p, PROTO_TREE, 1, &t, sizeof(t));
	pkt_len(&p, 1); /* claims more than sent */
	refused(f, &p, 1, -EBADMSG);
	pkt_len(&p, -1); /* claims less */
	refused(f, &p, 1, -EBADMSG);
	pkt_len(&p, -(int)p.n + 0x7fffffff);
	refused(f, &p, 1, -EBADMSG);
	pkt_new(&p, PROTO_NUM_OPS, 1, &t, sizeof(t)); /* unknown op */
	pkt_len(&p, 0);
	refused(f, &p, 1, -EBADMSG);
	pkt_new(&p, 0xffffffffU, 1, &t, sizeof(t));
	pkt_len(&p, 0);
	refused(f, &p, 1, -EBADMSG);
}

/**
 * test_nfds_mismatch() - hdr.nfds against the descriptors that arrived
 * @state:	Fixture
 */
static void test_nfds_mismatch(void **state)
{
	struct fx *f = *state;
	struct proto_tree t = {.n = 1};
	struct pkt p;

	pkt_new(&p, PROTO_TREE, 1, &t, sizeof(t)); /* says 1, none sent */
	pkt_len(&p, 0);
	refused(f, &p, 0, -EBADMSG);
	t.n = 0; /* says 0, one sent */
	pkt_new(&p, PROTO_TREE, 0, &t, sizeof(t));
	pkt_len(&p, 0);
	refused(f, &p, 1, -EBADMSG);
	t.n = 2; /* says 2, three sent */
	pkt_new(&p, PROTO_TREE, 2, &t, sizeof(t));
	pkt_len(&p, 0);
	refused(f, &p, 3, -EBADMSG);
	/* more than PROTO_MAX_FDS: the extra ones are closed on receipt */
	t.n = PROTO_MAX_FDS + 4;
	pkt_new(&p, PROTO_TREE, PROTO_MAX_FDS + 4, &t, sizeof(t));
	pkt_len(&p, 0);
	refused(f, &p, PROTO_MAX_FDS + 4, -EBADMSG);
}

/**
 * test_nfds_over_capacity() - Claims PROTO_MAX_FDS, sends one more
 * @state:	Fixture
 *
 * The receive side keeps PROTO_MAX_FDS and closes the rest, so the count
 * it compares with hdr.nfds agrees although PROTO_MAX_FDS + 1 arrived:
 * proto.h says hdr.nfds must equal the number that arrived.
 */
static void test_nfds_over_capacity(void **state)
{
	struct fx *f = *state;
	struct proto_tree t = {.n = PROTO_MAX_FDS};
	struct pkt p;

	pkt_new(&p, PROTO_TREE, PROTO_MAX_FDS, &t, sizeof(t));
	pkt_len(&p, 0);
	refused(f, &p, PROTO_MAX_FDS + 1, -EBADMSG);
}

/**
 * test_tree_body() - A tree whose count disagrees, or with trailing bytes
 * @state:	Fixture
 */
static void test_tree_body(void **state)
{
	struct fx *f = *state;
	struct proto_tree t = {.n = 2};
	struct pkt p;

	pkt_new(&p, PROTO_TREE, 1, &t, sizeof(t)); /* n 2, nfds 1 */
	pkt_len(&p, 0);
	refused(f, &p, 1, -EBADMSG);
	t.n = 1;
	pkt_new(&p, PROTO_TREE, 1, &t, sizeof(t)); /* a tail after it */
	pkt_add(&p, "junk", 4);
	pkt_len(&p, 0);
	refused(f, &p, 1, -EBADMSG);
}

/**
 * send_open_raw() - A raw PROTO_OPEN with a path field and path bytes
 * @f:		Fixture
 * @o:		Body
 * @path:	Path bytes
 * @plen:	Their number
 * @nfds:	Descriptors to attach (hdr.nfds agrees)
 * @want:	proto_recv() result
 */
static void send_open_raw(struct fx *f, const struct proto_open *o,
			  const char *path, size_t plen, int nfds, int want)
{
	struct pkt p;

	pkt_new(&p, PROTO_OPEN, (uint32_t)nfds, o, sizeof(*o));
	pkt_add(&p, path, plen);
	pkt_len(&p, 0);
	refused(f, &p, nfds, want);
}

/**
 * test_open_path() - path_len 0, 1, too long, unterminated, embedded NUL
 * @state:	Fixture
 */
static void test_open_path(void **state)
{
	struct fx *f = *state;
	static char big[PROTO_MAX_PATH + 2];
	struct proto_open o;

	open_body(&o, 0);
	send_open_raw(f, &o, "", 0, 1, -EBADMSG);
	open_body(&o, 1); /* only the NUL: an empty path */
	send_open_raw(f, &o, "", 1, 1, -EBADMSG);
	open_body(&o, 4); /* not terminated */
	send_open_raw(f, &o, "abcd", 4, 1, -EBADMSG);
	open_body(&o, 4); /* NUL inside */
	send_open_raw(f, &o, "a\0c", 4, 1, -EBADMSG);
	open_body(&o, 8); /* field longer than the bytes */
	send_open_raw(f, &o, "abc", 4, 1, -EBADMSG);
	open_body(&o, 2); /* field shorter than the bytes */
	send_open_raw(f, &o, "abc", 4, 1, -EBADMSG);
	memset(big, 'p', sizeof(big));
	big[PROTO_MAX_PATH] = '\0'; /* PROTO_MAX_PATH + 1 bytes with NUL */
	open_body(&o, PROTO_MAX_PATH + 1);
	send_open_raw(f, &o, big, PROTO_MAX_PATH + 1, 1, -EBADMSG);
	open_body(&o, 0xffffffffU);
	send_open_raw(f, &o, "abc", 4, 1, -EBADMSG);
}

/**
 * test_open_fields() - ngroups, pad and the descriptor count of an open
 * @state:	Fixture
 */
static void test_open_fields(void **state)
{
	struct fx *f = *state;
	struct proto_open o;

	open_body(&o, 4);
	o.ngroups = PROTO_MAX_GROUPS + 1;
	send_open_raw(f, &o, "abc", 4, 1, -EINVAL);
	open_body(&o, 4);
	o.ngroups = 0xffffffffU;
	send_open_raw(f, &o, "abc", 4, 1, -EINVAL);
	open_body(&o, 4);
	o.pad = 1;
	send_open_raw(f, &o, "abc", 4, 1, -EINVAL);
	open_body(&o, 4); /* no root fd */
	send_open_raw(f, &o, "abc", 4, 0, -EINVAL);
	open_body(&o, 4); /* root, directory and one more */
	send_open_raw(f, &o, "abc", 4, 3, -EINVAL);
	/* and the valid one passes, to show the cases above are near misses */
	open_body(&o, 4);
	o.ngroups = PROTO_MAX_GROUPS;
	send_open_raw(f, &o, "abc", 4, 1, 0);
}

/**
 * send_reply_raw() - A raw PROTO_REPLY
 * @f:		Fixture
 * @result:	Result field
 * @text_len:	text_len field
 * @text:	Text bytes
 * @tlen:	Their number
 * @nfds:	Descriptors to attach (hdr.nfds agrees)
 * @want:	proto_recv() result
 */
static void send_reply_raw(struct fx *f, int32_t result, uint32_t text_len,
			   const char *text, size_t tlen, int nfds, int want)
{
	struct proto_reply r = {.result = result, .text_len = text_len};
	struct pkt p;

	pkt_new(&p, PROTO_REPLY, (uint32_t)nfds, &r, sizeof(r));
	pkt_add(&p, text, tlen);
	pkt_len(&p, 0);
	refused(f, &p, nfds, want);
}

/**
 * test_reply_fields() - An fd with an error, two fds, bad texts
 * @state:	Fixture
 */
static void test_reply_fields(void **state)
{
	struct fx *f = *state;

	/* the sender does not stop it; the receiver must */
	assert_int_equal(proto_send_reply(f->sv[0], 41, -EPERM, NULL, f->p[1]),
			 0);
	assert_int_equal(proto_recv(f->sv[1], &msg), -EBADMSG);
	assert_int_equal(msg.nfds, 0);
	send_reply_raw(f, -EPERM, 0, "", 0, 1, -EBADMSG);
	send_reply_raw(f, 0, 0, "", 0, 2, -EBADMSG);
	send_reply_raw(f, -EIO, 4, "abcd", 4, 0, -EBADMSG);
	send_reply_raw(f, -EIO, 4, "a\0c", 4, 0, -EBADMSG);
	send_reply_raw(f, -EIO, 9, "abc", 4, 0, -EBADMSG);
	send_reply_raw(f, -EIO, 0, "abc", 4, 0, -EBADMSG);
}

/**
 * test_oversize() - Packets longer than PROTO_MAX_MSG
 * @state:	Fixture
 *
 * The second case is the dangerous one: hdr.len says PROTO_MAX_MSG and
 * the first PROTO_MAX_MSG bytes form a valid reply, but the packet goes
 * on. The receiver sees a truncated datagram (MSG_TRUNC) and must refuse
 * it rather than take the prefix as the message.
 */
static void test_oversize(void **state)
{
	struct fx *f = *state;
	static char text[PROTO_MAX_MSG + 1024];
	const size_t fill = PROTO_MAX_MSG - sizeof(struct proto_hdr) -
			    sizeof(struct proto_reply);
	struct proto_reply r = {.result = -EIO};
	struct pkt p;

	memset(text, 't', sizeof(text));
	pkt_new(&p, PROTO_REPLY, 1, &r, sizeof(r)); /* honest, too long */
	pkt_add(&p, text, 1000 + fill);
	pkt_len(&p, 0);
	refused(f, &p, 1, -EBADMSG);
	text[fill - 1] = '\0';
	r.text_len = (uint32_t)fill;
	pkt_new(&p, PROTO_REPLY, 0, &r, sizeof(r));
	pkt_add(&p, text, fill + 512);
	pkt_len(&p, -512); /* hdr.len = PROTO_MAX_MSG */
	refused(f, &p, 0, -EBADMSG);
}

/**
 * main() - Run the tests
 *
 * Return: the number of failed tests
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tree_roundtrip, fx_up,
					    fx_down),
	    cmocka_unit_test_setup_teardown(test_open_roundtrip, fx_up,
					    fx_down),
	    cmocka_unit_test_setup_teardown(test_reply_roundtrip, fx_up,
					    fx_down),
	    cmocka_unit_test_setup_teardown(test_short, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_bad_header, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_nfds_mismatch, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_nfds_over_capacity, fx_up,
					    fx_down),
	    cmocka_unit_test_setup_teardown(test_tree_body, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_open_path, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_open_fields, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_reply_fields, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_oversize, fx_up, fx_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
