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
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sendfds.h"

#include "sentry/ctl.h"
#include "sentry/ctlsrv.h"
#include "sentry/loop.h"
#include "sentry/sentry.h"

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
	assert_true(test_send_fds(fd, buf, len, &pass, pass >= 0) ==
		    (ssize_t)len);
}

/**
 * send_fds() - Send a packet with @n copies of @fd attached
 * @sock:	Socket
 * @buf:	Bytes
 * @len:	Their length
 * @fd:		Descriptor to repeat
 * @n:		Copies (at most 8)
 */
static void send_fds(int sock, const void *buf, size_t len, int fd, int n)
{
	int fds[8], i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		fds[i] = fd;
	assert_true(test_send_fds(sock, buf, len, fds, n) == (ssize_t)len);
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
	h.type = CTL_START;
	h.err = 0; /* a good header with more descriptors than a packet takes */
	send_fds(sv[0], &h, sizeof(h), p[1], CTL_FDS_MAX + 1);
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

/**
 * attach_msg() - Build a CTL_PCAP_ATTACH message as ctl_recv() delivers it
 * @m:		Message to fill
 * @iface:	Interface field
 * @snaplen:	Snap length field
 * @ninsns:	Instruction count field
 * @sent:	Instructions actually carried
 * @nfds:	Descriptors (their number; the fds are not real)
 */
static void attach_msg(struct ctl_msg *m, uint32_t iface, uint32_t snaplen,
		       uint32_t ninsns, uint32_t sent, int nfds)
{
	struct ctl_pcap_attach a = {iface, snaplen, ninsns, 0};
	struct ctl_bpf_insn ret = {0x06, 0, 0, 65535};
	uint32_t i;

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.magic = CTL_MAGIC;
	m->hdr.type = CTL_PCAP_ATTACH;
	m->hdr.len = (uint32_t)(sizeof(a) + sent * sizeof(ret));
	memcpy(m->payload, &a, sizeof(a));
	for (i = 0; i < sent; i++)
		memcpy(m->payload + sizeof(a) + i * sizeof(ret), &ret,
		       sizeof(ret));
	m->nfds = nfds;
	m->fds[0] = -1;
}

/**
 * test_pcap_attach_parse() - The layout of CTL_PCAP_ATTACH is checked
 * @state:	Unused
 */
static void test_pcap_attach_parse(void **state)
{
	const struct ctl_bpf_insn *ins;
	struct ctl_pcap_attach a;

	(void)state;
	attach_msg(&msg, CTL_IFACE_ANY, 100, 3, 3, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), 0);
	assert_int_equal(a.ninsns, 3);
	assert_int_equal(ins[2].k, 65535);
	attach_msg(&msg, CTL_IFACE_ETH0, 100, 0, 0, 1); /* no filter */
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), 0);
	assert_null(ins);
	/* lengths that disagree with the count, both ways */
	attach_msg(&msg, CTL_IFACE_ETH0, 100, 3, 2, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EBADMSG);
	attach_msg(&msg, CTL_IFACE_ETH0, 100, 2, 3, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EBADMSG);
	attach_msg(&msg, CTL_IFACE_ETH0, 100, 0, 0, 1);
	msg.hdr.len = sizeof(a) - 1; /* shorter than the fixed part */
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EBADMSG);
	/* too many instructions (even a count that would overflow) */
	attach_msg(&msg, CTL_IFACE_ETH0, 100, CTL_BPF_MAX + 1, CTL_BPF_MAX + 1,
		   1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, CTL_IFACE_ETH0, 100, 0x20000001U, 2, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, CTL_IFACE_ETH0, 100, CTL_BPF_MAX, CTL_BPF_MAX, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), 0);
	/* fields out of range, no stream or two */
	attach_msg(&msg, 0, 100, 1, 1, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, 4, 100, 1, 1, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, CTL_IFACE_LO, 0, 1, 1, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, CTL_IFACE_LO, CTL_SNAPLEN_MAX + 1, 1, 1, 1);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, CTL_IFACE_LO, 100, 1, 1, 1);
	((struct ctl_pcap_attach *)(void *)msg.payload)->flags = 1;
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EINVAL);
	attach_msg(&msg, CTL_IFACE_LO, 100, 1, 1, 0);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EBADMSG);
	attach_msg(&msg, CTL_IFACE_LO, 100, 1, 1, 2);
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EBADMSG);
	attach_msg(&msg, CTL_IFACE_LO, 100, 1, 1, 1);
	msg.hdr.type = CTL_STATS;
	assert_int_equal(ctl_pcap_attach_parse(&msg, &a, &ins), -EBADMSG);
}

static char root[64];
static struct sentry sen;

/**
 * srv_up() - Fixture: a control server under a fresh root
 * @state:	Unused
 *
 * Return: 0
 */
static int srv_up(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/sentry_ctl.XXXXXX");
	assert_non_null(mkdtemp(root));
	assert_int_equal(loop_init(), 0);
	memset(&sen, 0, sizeof(sen));
	sen.mode = NET_SANDBOX;
	sen.tap.fd = -1;
	assert_int_equal(ctlsrv_open(root, "box1"), 0);
	return 0;
}

/**
 * srv_down() - Fixture teardown: ctlsrv_close() leaves nothing
 * @state:	Unused
 *
 * Return: 0
 */
static int srv_down(void **state)
{
	char d[128];
	struct stat st;

	(void)state;
	ctlsrv_close(&sen);
	snprintf(d, sizeof(d), "%s/box1", root);
	assert_int_equal(stat(d, &st), -1);
	assert_int_equal(rmdir(root), 0);
	return 0;
}

/**
 * client() - Connect to the server and let it accept
 * @slot:	Connection slot the server gives (accept order)
 *
 * Return: client socket
 */
static int client(void)
{
	char path[128];
	int fd;

	assert_int_equal(ctl_path(root, "box1", path, sizeof(path)), 0);
	assert_int_equal(ctl_connect(path, &fd), 0);
	ctlsrv_accept(&sen);
	return fd;
}

/**
 * call() - Send a request on connection @idx and have it served
 * @fd:		Client socket
 * @idx:	Its slot on the server
 * @type:	Request type
 * @buf:	Payload
 * @len:	Its length
 * @pass:	Descriptor to pass, -1 for none
 *
 * Return: the reply's err
 */
static int call(int fd, uint32_t idx, enum ctl_type type, const void *buf,
		size_t len, int pass)
{
	ctl_send(fd, type, 0, buf, len, &pass, pass >= 0);
	ctlsrv_event(&sen, idx, EPOLLIN);
	assert_int_equal(ctl_recv(fd, &msg), 0);
	assert_int_equal(msg.hdr.type, CTL_REPLY);
	return msg.hdr.err;
}

/**
 * test_srv_attach() - Hostile and valid attaches, stats, final stats
 * @state:	Unused
 */
static void test_srv_attach(void **state)
{
	struct {
		struct ctl_pcap_attach a;
		struct ctl_bpf_insn p[3];
	} req = {{CTL_IFACE_ETH0, 128, 2, 0},
		 {{0x15, 0, 1, 0x0800}, {0x06, 0, 0, 65535}, {0x06, 0, 0, 0}}};
	int c = client(), c2 = client(), p[2], r;
	uint8_t hdr[24];
	uint32_t magic;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	/* JEQ whose false branch jumps past the end */
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req,
			      sizeof(req.a) + 2 * sizeof(req.p[0]), p[1]),
			 -EINVAL);
	/* an unknown opcode, then a program that does not end in a return */
	req.a.ninsns = 3;
	req.p[2].code = 0xffff;
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req), p[1]),
			 -EINVAL);
	req.p[2] = (struct ctl_bpf_insn){0x00, 0, 0, 1};
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req), p[1]),
			 -EINVAL);
	/* a read end is no stream; a lying length; no descriptor */
	req.p[2] = (struct ctl_bpf_insn){0x06, 0, 0, 0};
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req), p[0]),
			 -EBADF);
	assert_int_equal(
	    call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req) - 1, p[1]), -EINVAL);
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req), -1),
			 -EINVAL);
	/* requests this sentry does not serve */
	assert_int_equal(call(c, 0, CTL_START, NULL, 0, -1), -EOPNOTSUPP);
	/* valid: the stream starts with a pcap file header */
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req), p[1]),
			 0);
	close(p[1]);
	assert_int_equal(read(p[0], hdr, sizeof(hdr)), sizeof(hdr));
	memcpy(&magic, hdr, sizeof(magic));
	assert_int_equal(magic, 0xa1b23c4dU);
	/* one capture per connection */
	assert_int_equal(pipe2(p + 0, O_CLOEXEC), 0);
	assert_int_equal(call(c, 0, CTL_PCAP_ATTACH, &req, sizeof(req), p[1]),
			 -EBUSY);
	/* counters: with the capture's on its connection only */
	assert_int_equal(call(c, 0, CTL_STATS, NULL, 0, -1), 0);
	assert_non_null(strstr((char *)msg.payload, "\"pcap\":{\"seen\":0"));
	assert_non_null(strstr((char *)msg.payload, "\"ended\":false"));
	assert_int_equal(call(c2, 1, CTL_STATS, NULL, 0, -1), 0);
	assert_null(strstr((char *)msg.payload, "\"pcap\""));
	/* a sandbox without eth0 has no such interface */
	sen.mode = NET_NONE;
	assert_int_equal(call(c2, 1, CTL_PCAP_ATTACH, &req, sizeof(req), p[1]),
			 -ENODEV);
	sen.mode = NET_SANDBOX;
	close(p[0]);
	close(p[1]);
	/* the end: final counters to the capture's client, then EOF */
	ctlsrv_close(&sen);
	r = ctl_recv(c, &msg);
	assert_int_equal(r, 0);
	assert_int_equal(msg.hdr.type, CTL_STATS);
	assert_non_null(strstr((char *)msg.payload, "\"ended\":true"));
	assert_int_equal(ctl_recv(c, &msg), -EPIPE);
	assert_int_equal(ctl_recv(c2, &msg), -EPIPE);
	close(c);
	close(c2);
}

/**
 * test_srv_garbage() - A connection that breaks the framing is closed
 * @state:	Unused
 */
static void test_srv_garbage(void **state)
{
	int c = client(), n;
	char b;

	(void)state;
	assert_int_equal(send(c, "junk", 4, 0), 4);
	ctlsrv_event(&sen, 0, EPOLLIN);
	n = (int)recv(c, &b, 1, 0);
	assert_int_equal(n, 0); /* closed by the server */
	close(c);
}

/**
 * test_srv_id_in_use() - A second sentry may not take a live id
 * @state:	Unused
 */
static void test_srv_id_in_use(void **state)
{
	(void)state;
	/* the fixture's server holds box1 */
	assert_int_equal(ctlsrv_open(root, "box1"), -EEXIST);
	assert_int_equal(ctlsrv_open(root, "../x"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_path),
	    cmocka_unit_test(test_pcap_attach_parse),
	    cmocka_unit_test_setup_teardown(test_srv_attach, srv_up, srv_down),
	    cmocka_unit_test_setup_teardown(test_srv_garbage, srv_up, srv_down),
	    cmocka_unit_test_setup_teardown(test_srv_id_in_use, srv_up,
					    srv_down),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
