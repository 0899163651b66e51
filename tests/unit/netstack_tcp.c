// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netstack_tcp.c - unit tests for netstack's TCP sockets
 *
 * Each test gets a fresh stack: the fixture calls ns_init() with a
 * capturing output callback and ns_fini() at the end (netstack resets
 * lwIP's state far enough for that, see netstack/core.c). Frames built by
 * tests/lib/frames.c play the peer at 10.0.0.1 / fd00::1 on eth0; the
 * teardown checks that no socket or received pbuf is left.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "netstack/netstack.h"
#include "frames.h"

#define CAP_MAX 1024

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t our_ip[4] = {10, 0, 0, 2};
static const uint8_t peer_ip[4] = {10, 0, 0, 1};
static const uint8_t our_ip6[16] = {0xfd, [15] = 2};
static const uint8_t peer_ip6[16] = {0xfd, [15] = 1};

static struct {
	uint8_t *f[CAP_MAX];
	size_t len[CAP_MAX];
	int n;
} cap;

static uint8_t frame[FR_MAX];

/**
 * capture() - Output callback: keep a flat copy of each frame
 * @ctx:	Unused
 * @iov:	Frame
 * @iovcnt:	Elements
 */
static void capture(void *ctx, const struct iovec *iov, int iovcnt)
{
	size_t len = 0;
	uint8_t *p;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	assert_true(cap.n < CAP_MAX);
	p = malloc(len);
	assert_non_null(p);
	cap.f[cap.n] = p;
	cap.len[cap.n++] = len;
	for (i = 0; i < iovcnt; i++) {
		memcpy(p, iov[i].iov_base, iov[i].iov_len);
		p += iov[i].iov_len;
	}
}

/**
 * cap_reset() - Forget captured frames
 */
static void cap_reset(void)
{
	while (cap.n)
		free(cap.f[--cap.n]);
}

/**
 * cap_tcp() - Find the first captured TCP segment from our port @sport
 * @sport:	Our port, 0 for any
 * @out:	Parsed segment
 *
 * Return: true if found
 */
static bool cap_tcp(uint16_t sport, struct fr_info *out)
{
	int i;

	for (i = 0; i < cap.n; i++) {
		if (fr_parse(cap.f[i], cap.len[i], out) < 0)
			continue;
		if (out->ethertype != 0x0806 && out->proto == 6 &&
		    (!sport || out->sport == sport))
			return true;
	}
	return false;
}

/**
 * cap_last_tcp() - The last captured TCP segment
 * @out:	Parsed segment
 *
 * Return: true if there is one
 */
static bool cap_last_tcp(struct fr_info *out)
{
	int i;

	for (i = cap.n - 1; i >= 0; i--) {
		if (fr_parse(cap.f[i], cap.len[i], out) == 0 &&
		    out->ethertype != 0x0806 && out->proto == 6)
			return true;
	}
	return false;
}

/**
 * seg() - Send one TCP segment from the peer
 * @v6:		Over IPv6
 * @sport:	Peer port
 * @dport:	Our port
 * @seq:	Sequence number
 * @ack:	Ack number
 * @flags:	FR_* flags
 * @data:	Payload or NULL
 * @len:	Payload length
 */
static void seg(bool v6, uint16_t sport, uint16_t dport, uint32_t seq,
		uint32_t ack, uint8_t flags, const void *data, size_t len)
{
	struct fr_tcp t = {
	    .smac = peer_mac,
	    .dmac = our_mac,
	    .v6 = v6,
	    .sport = sport,
	    .dport = dport,
	    .seq = seq,
	    .ack = ack,
	    .flags = flags,
	    .win = 0xffff,
	    .wscale = -1,
	    .data = data,
	    .len = len,
	};

	memcpy(t.src, v6 ? peer_ip6 : peer_ip, v6 ? 16 : 4);
	memcpy(t.dst, v6 ? our_ip6 : our_ip, v6 ? 16 : 4);
	if (flags & FR_SYN) {
		t.mss = 1460;
		t.wscale = 7;
	}
	ns_input_frame(frame, fr_tcp(frame, &t));
}

/**
 * on_event() - Notify callback: accumulate event bits in *owner
 * @owner:	unsigned int accumulator
 * @events:	NS_EV_* bits
 */
static void on_event(void *owner, unsigned int events)
{
	*(unsigned int *)owner |= events;
}

/**
 * up() - Fixture: stack with eth0 10.0.0.2/24, fd00::2/64, peer known
 * @state:	Unused
 *
 * Return: 0
 */
static int up(void **state)
{
	struct ns_if_config cfg = {
	    .present = true,
	    .mtu = 1500,
	    .prefix4 = 24,
	    .prefix6 = 64,
	};

	memcpy(cfg.mac, our_mac, 6);
	memcpy(&cfg.addr4, our_ip, 4);
	memcpy(&cfg.gw4, peer_ip, 4);
	memcpy(&cfg.addr6, our_ip6, 16);
	memcpy(&cfg.gw6, peer_ip6, 16);
	assert_int_equal(ns_init(&cfg, capture, NULL), 0);
	/* the peer introduces itself, so replies need no resolution */
	ns_input_frame(frame,
		       fr_arp(frame, 1, peer_mac, peer_ip, NULL, our_ip));
	ns_input_frame(frame, fr_ndp_ns(frame, peer_mac, peer_ip6, our_ip6));
	cap_reset();
	return 0;
}

/**
 * up_noeth() - Fixture: loopback only (--network=none)
 * @state:	Unused
 *
 * Return: 0
 */
static int up_noeth(void **state)
{
	struct ns_if_config cfg = {.present = false};

	assert_int_equal(ns_init(&cfg, capture, NULL), 0);
	return 0;
}

/**
 * down() - Fixture teardown: nothing may be left behind
 * @state:	Unused
 *
 * Return: 0
 */
static int down(void **state)
{
	struct ns_stats st;
	int i;

	for (i = 0; i < 8; i++)
		ns_poll();
	ns_get_stats(&st);
	cap_reset();
	ns_fini();
	assert_int_equal(st.socks, 0);
	assert_int_equal(st.pbufs, 0);
	return 0;
}

/**
 * sin4() - Fill a sockaddr_in
 * @s:		Output
 * @ip:		Address as a string
 * @port:	Port
 *
 * Return: @s as a struct sockaddr pointer
 */
static struct sockaddr *sin4(struct sockaddr_in *s, const char *ip,
			     uint16_t port)
{
	memset(s, 0, sizeof(*s));
	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, ip, &s->sin_addr), 1);
	return (struct sockaddr *)s;
}

/**
 * sin6() - Fill a sockaddr_in6
 * @s:		Output
 * @ip:		Address as a string
 * @port:	Port
 *
 * Return: @s as a struct sockaddr pointer
 */
static struct sockaddr *sin6(struct sockaddr_in6 *s, const char *ip,
			     uint16_t port)
{
	memset(s, 0, sizeof(*s));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, ip, &s->sin6_addr), 1);
	return (struct sockaddr *)s;
}

/**
 * listener() - A socket listening on @port
 * @family:	AF_INET or AF_INET6
 * @ip:		Address to bind
 * @port:	Port
 *
 * Return: the socket
 */
static struct ns_sock *listener(int family, const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	struct ns_sock *l = NULL;
	struct sockaddr *sa;

	assert_int_equal(ns_sock_new(&l, family, SOCK_STREAM), 0);
	sa = family == AF_INET ? sin4((struct sockaddr_in *)&ss, ip, port)
			       : sin6((struct sockaddr_in6 *)&ss, ip, port);
	assert_int_equal(ns_sock_bind(l, sa,
				      family == AF_INET
					  ? sizeof(struct sockaddr_in)
					  : sizeof(struct sockaddr_in6)),
			 0);
	assert_int_equal(ns_sock_listen(l, 16), 0);
	return l;
}

/**
 * handshake() - Peer connects to our @port; returns our ISN + 1
 * @v6:		Over IPv6
 * @sport:	Peer port
 * @port:	Our port
 * @pseq:	Peer ISN
 *
 * Return: the sequence number our next byte will carry
 */
static uint32_t handshake(bool v6, uint16_t sport, uint16_t port, uint32_t pseq)
{
	struct fr_info fi;

	cap_reset();
	seg(v6, sport, port, pseq, 0, FR_SYN, NULL, 0);
	assert_true(cap_tcp(port, &fi));
	assert_int_equal(fi.flags, FR_SYN | FR_ACK);
	assert_int_equal(fi.ack, pseq + 1);
	seg(v6, sport, port, pseq + 1, fi.seq + 1, FR_ACK, NULL, 0);
	cap_reset();
	return fi.seq + 1;
}

/* --- tests ----------------------------------------------------------- */

/**
 * test_arp_reply() - An ARP request for our address gets a reply
 * @state:	Unused
 */
static void test_arp_reply(void **state)
{
	struct fr_info fi;

	ns_input_frame(frame,
		       fr_arp(frame, 1, peer_mac, peer_ip, NULL, our_ip));
	assert_int_equal(cap.n, 1);
	assert_int_equal(fr_parse(cap.f[0], cap.len[0], &fi), 0);
	assert_int_equal(fi.ethertype, 0x0806);
	assert_int_equal(fi.arp_op, 2);
	assert_memory_equal(fi.arp_sha, our_mac, 6);
	assert_memory_equal(fi.arp_spa, our_ip, 4);
	assert_memory_equal(fi.arp_tpa, peer_ip, 4);
}

/**
 * test_syn_gets_synack() - SYN to a listener: SYN-ACK with MSS and wscale
 * @state:	Unused
 */
static void test_syn_gets_synack(void **state)
{
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80);
	struct fr_info fi;

	seg(false, 40000, 80, 1000, 0, FR_SYN, NULL, 0);
	assert_true(cap_tcp(80, &fi));
	assert_int_equal(fi.flags, FR_SYN | FR_ACK);
	assert_int_equal(fi.ack, 1001);
	assert_int_equal(fi.dport, 40000);
	assert_int_equal(fi.mss, 1460);
	assert_int_equal(fi.wscale, 7);
	ns_sock_close(&l);
	assert_null(l);
}

/**
 * test_syn_v6_gets_synack() - Same over IPv6: MSS is MTU - 60
 * @state:	Unused
 */
static void test_syn_v6_gets_synack(void **state)
{
	struct ns_sock *l = listener(AF_INET6, "::", 80);
	struct fr_info fi;

	seg(true, 40000, 80, 1000, 0, FR_SYN, NULL, 0);
	assert_true(cap_tcp(80, &fi));
	assert_true(fi.v6);
	assert_int_equal(fi.flags, FR_SYN | FR_ACK);
	assert_int_equal(fi.mss, 1440);
	ns_sock_close(&l);
}

/**
 * test_accept_data_window() - Handshake, data, accept, peek, consume
 * @state:	Unused
 *
 * Consuming more than lwIP's update threshold sends a window update.
 */
static void test_accept_data_window(void **state)
{
	static uint8_t buf[1400];
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80), *c = NULL;
	unsigned int lev = 0, total = 0;
	struct iovec iov[64];
	struct ns_stats st;
	struct fr_info fi;
	uint32_t seq = 5001;
	int i, n;

	ns_sock_set_notify(l, on_event, &lev);
	assert_int_equal(ns_sock_accept(l, &c), -EAGAIN);
	handshake(false, 40001, 80, 5000);
	assert_true(lev & NS_EV_ACCEPT);
	for (i = 0; i < 60; i++) {
		memset(buf, i, sizeof(buf));
		seg(false, 40001, 80, seq, 0, FR_ACK | FR_PSH, buf,
		    sizeof(buf));
		seq += sizeof(buf);
	}
	ns_get_stats(&st);
	assert_true(st.pbufs >= 60);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	assert_int_equal(ns_sock_state(c), NS_ST_CONNECTED);
	assert_int_equal(ns_sock_accept(l, &c), -EAGAIN);
	n = ns_sock_peek(c, iov, 64);
	assert_int_equal(n, 60);
	for (i = 0; i < n; i++) {
		assert_int_equal(((uint8_t *)iov[i].iov_base)[0], i);
		total += iov[i].iov_len;
	}
	assert_int_equal(total, 60 * sizeof(buf));
	cap_reset();
	/* partial consume keeps the rest in order */
	ns_sock_consume(c, 100);
	n = ns_sock_peek(c, iov, 64);
	assert_int_equal(iov[0].iov_len, sizeof(buf) - 100);
	ns_sock_consume(c, total - 100);
	assert_int_equal(ns_sock_peek(c, iov, 64), 0);
	assert_true(cap_last_tcp(&fi));
	assert_int_equal(fi.ack, seq);
	/* the whole 1 MiB window (scale 7) is open again */
	assert_true((uint32_t)fi.win << 7 >= 1024 * 1024 - 128);
	assert_false(ns_sock_eof(c));
	ns_sock_close(&c);
	ns_sock_close(&l);
}

/**
 * test_rst_closed_port() - A SYN to a closed port is reset
 * @state:	Unused
 */
static void test_rst_closed_port(void **state)
{
	struct fr_info fi;

	seg(false, 40002, 81, 77, 0, FR_SYN, NULL, 0);
	assert_true(cap_tcp(81, &fi));
	assert_true(fi.flags & FR_RST);
	assert_int_equal(fi.ack, 78);
}

/**
 * test_active_connect() - SYN out, SYN-ACK in: NS_EV_CONNECTED, data out
 * @state:	Unused
 */
static void test_active_connect(void **state)
{
	struct sockaddr_in sa;
	struct ns_sock *s = NULL;
	struct sockaddr_storage ss;
	unsigned int ev = 0;
	struct fr_info fi;
	struct iovec iov = {.iov_base = "hello", .iov_len = 5};
	socklen_t len;

	assert_int_equal(ns_sock_new(&s, AF_INET, SOCK_STREAM), 0);
	ns_sock_set_notify(s, on_event, &ev);
	assert_int_equal(
	    ns_sock_connect(s, sin4(&sa, "10.0.0.1", 5000), sizeof(sa)),
	    -EINPROGRESS);
	assert_int_equal(ns_sock_state(s), NS_ST_CONNECTING);
	assert_int_equal(ns_sock_connect(s, (struct sockaddr *)&sa, sizeof(sa)),
			 -EALREADY);
	assert_true(cap_tcp(0, &fi));
	assert_int_equal(fi.flags, FR_SYN);
	assert_int_equal(fi.dport, 5000);
	assert_int_equal(fi.mss, 1460);
	cap_reset();
	seg(false, 5000, fi.sport, 9000, fi.seq + 1, FR_SYN | FR_ACK, NULL, 0);
	assert_true(ev & NS_EV_CONNECTED);
	assert_int_equal(ns_sock_state(s), NS_ST_CONNECTED);
	assert_int_equal(ns_sock_connect(s, (struct sockaddr *)&sa, sizeof(sa)),
			 -EISCONN);
	assert_int_equal(ns_sock_name(s, true, &ss, &len), 0);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 5000);
	assert_true(ns_sock_sndbuf(s) > 0);
	assert_int_equal(ns_sock_send(s, &iov, 1), 5);
	assert_true(cap_last_tcp(&fi));
	assert_int_equal(fi.len, 5);
	assert_memory_equal(fi.data, "hello", 5);
	ns_sock_abort(&s);
	assert_true(cap_last_tcp(&fi));
	assert_true(fi.flags & FR_RST);
}

/**
 * test_connect_refused() - RST in SYN_SENT: -ECONNREFUSED
 * @state:	Unused
 */
static void test_connect_refused(void **state)
{
	struct sockaddr_in sa;
	struct ns_sock *s = NULL;
	unsigned int ev = 0;
	struct fr_info fi;

	assert_int_equal(ns_sock_new(&s, AF_INET, SOCK_STREAM), 0);
	ns_sock_set_notify(s, on_event, &ev);
	assert_int_equal(
	    ns_sock_connect(s, sin4(&sa, "10.0.0.1", 5001), sizeof(sa)),
	    -EINPROGRESS);
	assert_true(cap_tcp(0, &fi));
	seg(false, 5001, fi.sport, 0, fi.seq + 1, FR_RST | FR_ACK, NULL, 0);
	assert_true(ev & NS_EV_ERROR);
	assert_int_equal(ns_sock_state(s), NS_ST_CLOSED);
	assert_int_equal(ns_sock_take_error(s), -ECONNREFUSED);
	assert_int_equal(ns_sock_take_error(s), 0);
	ns_sock_close(&s);
}

/**
 * test_connect_reset() - RST when connected: -ECONNRESET, then EOF
 * @state:	Unused
 */
static void test_connect_reset(void **state)
{
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80), *c = NULL;
	unsigned int ev = 0;
	uint32_t ours;

	ours = handshake(false, 40003, 80, 100);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	ns_sock_set_notify(c, on_event, &ev);
	seg(false, 40003, 80, 101, ours, FR_RST, NULL, 0);
	assert_true(ev & NS_EV_ERROR);
	assert_int_equal(ns_sock_take_error(c), -ECONNRESET);
	assert_true(ns_sock_eof(c));
	ns_sock_close(&c);
	ns_sock_close(&l);
}

/**
 * test_peer_fin() - The peer's FIN: data first, then EOF
 * @state:	Unused
 */
static void test_peer_fin(void **state)
{
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80), *c = NULL;
	struct iovec iov[4];
	uint32_t ours;

	ours = handshake(false, 40004, 80, 100);
	seg(false, 40004, 80, 101, ours, FR_ACK | FR_PSH, "abc", 3);
	seg(false, 40004, 80, 104, ours, FR_ACK | FR_FIN, NULL, 0);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	assert_false(ns_sock_eof(c));
	assert_int_equal(ns_sock_peek(c, iov, 4), 1);
	assert_int_equal(iov[0].iov_len, 3);
	ns_sock_consume(c, 3);
	assert_true(ns_sock_eof(c));
	assert_int_equal(ns_sock_state(c), NS_ST_CONNECTED);
	ns_sock_close(&c);
	ns_sock_close(&l);
}

/**
 * test_close_unread_resets() - Closing with unread data sends RST
 * @state:	Unused
 */
static void test_close_unread_resets(void **state)
{
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80), *c = NULL;
	struct fr_info fi;
	uint32_t ours;

	ours = handshake(false, 40005, 80, 100);
	seg(false, 40005, 80, 101, ours, FR_ACK | FR_PSH, "abc", 3);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	cap_reset();
	ns_sock_close(&c);
	assert_true(cap_last_tcp(&fi));
	assert_true(fi.flags & FR_RST);
	ns_sock_close(&l);
}

/**
 * test_listener_close_resets_queue() - Unaccepted connections are reset
 * @state:	Unused
 */
static void test_listener_close_resets_queue(void **state)
{
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80);
	struct fr_info fi;

	handshake(false, 40006, 80, 100);
	seg(false, 40006, 80, 101, 0, FR_ACK | FR_PSH, "x", 1);
	cap_reset();
	ns_sock_close(&l);
	assert_true(cap_last_tcp(&fi));
	assert_true(fi.flags & FR_RST);
	assert_int_equal(fi.dport, 40006);
}

/**
 * test_timewait_recycle() - A new SYN on a TIME_WAIT 4-tuple connects
 * @state:	Unused
 *
 * We close first, so our side ends in TIME_WAIT; the client then reuses
 * its port at once.
 */
static void test_timewait_recycle(void **state)
{
	struct ns_sock *l = listener(AF_INET, "0.0.0.0", 80), *c = NULL;
	struct fr_info fi;
	uint32_t ours;

	ours = handshake(false, 40007, 80, 100);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	assert_int_equal(ns_sock_shutdown_wr(c), 0);
	assert_true(cap_last_tcp(&fi));
	assert_true(fi.flags & FR_FIN);
	/* peer acks our FIN and sends its own */
	seg(false, 40007, 80, 101, ours + 1, FR_ACK | FR_FIN, NULL, 0);
	assert_true(ns_sock_eof(c));
	ns_poll();
	ns_sock_close(&c);
	cap_reset();
	seg(false, 40007, 80, 100000, 0, FR_SYN, NULL, 0);
	assert_true(cap_tcp(80, &fi));
	assert_int_equal(fi.flags, FR_SYN | FR_ACK);
	assert_int_equal(fi.ack, 100001);
	ns_sock_close(&l);
}

/**
 * test_dual_stack_v4_peer() - AF_INET6 listener on :: takes IPv4 peers
 * @state:	Unused
 */
static void test_dual_stack_v4_peer(void **state)
{
	struct ns_sock *l = listener(AF_INET6, "::", 80), *c = NULL;
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	char str[INET6_ADDRSTRLEN];
	socklen_t len;

	handshake(false, 40008, 80, 100);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	assert_int_equal(ns_sock_family(c), AF_INET6);
	assert_int_equal(ns_sock_name(c, true, &ss, &len), 0);
	assert_int_equal(len, sizeof(*s6));
	assert_int_equal(s6->sin6_family, AF_INET6);
	inet_ntop(AF_INET6, &s6->sin6_addr, str, sizeof(str));
	assert_string_equal(str, "::ffff:10.0.0.1");
	assert_int_equal(ntohs(s6->sin6_port), 40008);
	assert_int_equal(ns_sock_name(c, false, &ss, &len), 0);
	inet_ntop(AF_INET6, &s6->sin6_addr, str, sizeof(str));
	assert_string_equal(str, "::ffff:10.0.0.2");
	ns_sock_close(&c);
	ns_sock_close(&l);
}

/**
 * test_v6only_refuses_v4() - V6ONLY listener does not take IPv4 peers
 * @state:	Unused
 */
static void test_v6only_refuses_v4(void **state)
{
	struct ns_sock *l = NULL;
	struct sockaddr_in6 sa;
	struct fr_info fi;
	int v;

	assert_int_equal(ns_sock_new(&l, AF_INET6, SOCK_STREAM), 0);
	assert_int_equal(ns_sock_setopt(l, NS_OPT_V6ONLY, 1), 0);
	assert_int_equal(ns_sock_getopt(l, NS_OPT_V6ONLY, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ns_sock_bind(l, sin6(&sa, "::", 80), sizeof(sa)), 0);
	assert_int_equal(ns_sock_listen(l, 4), 0);
	seg(false, 40009, 80, 100, 0, FR_SYN, NULL, 0);
	assert_true(cap_tcp(80, &fi));
	assert_true(fi.flags & FR_RST);
	ns_sock_close(&l);
}

/**
 * test_bind_errors() - Linux's bind() errors
 * @state:	Unused
 */
static void test_bind_errors(void **state)
{
	struct ns_sock *a = NULL, *b = NULL;
	struct sockaddr_storage ss;
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	socklen_t len;

	assert_int_equal(ns_sock_new(&a, AF_INET, SOCK_STREAM), 0);
	assert_int_equal(ns_sock_new(&b, AF_INET, SOCK_STREAM), 0);
	assert_int_equal(ns_sock_bind(a, sin4(&s4, "10.0.0.2", 80), 4),
			 -EINVAL);
	assert_int_equal(ns_sock_bind(a, sin6(&s6, "::", 80), sizeof(s6)),
			 -EAFNOSUPPORT);
	assert_int_equal(ns_sock_bind(a, sin4(&s4, "10.9.9.9", 80), sizeof(s4)),
			 -EADDRNOTAVAIL);
	assert_int_equal(ns_sock_bind(a, sin4(&s4, "10.0.0.2", 80), sizeof(s4)),
			 0);
	assert_int_equal(ns_sock_bind(a, sin4(&s4, "10.0.0.2", 81), sizeof(s4)),
			 -EINVAL);
	assert_int_equal(ns_sock_bind(b, sin4(&s4, "0.0.0.0", 80), sizeof(s4)),
			 -EADDRINUSE);
	assert_int_equal(ns_sock_bind(b, sin4(&s4, "127.0.0.5", 0), sizeof(s4)),
			 0);
	assert_int_equal(ns_sock_name(b, false, &ss, &len), 0);
	assert_int_not_equal(((struct sockaddr_in *)&ss)->sin_port, 0);
	ns_sock_close(&a);
	ns_sock_close(&b);
	assert_int_equal(ns_sock_new(&a, AF_INET6, SOCK_STREAM), 0);
	assert_int_equal(ns_sock_bind(a, sin6(&s6, "::1", 80), 8), -EINVAL);
	assert_int_equal(ns_sock_bind(a, sin6(&s6, "fd00::9", 80), sizeof(s6)),
			 -EADDRNOTAVAIL);
	assert_int_equal(ns_sock_bind(a, sin6(&s6, "fd00::2", 80), sizeof(s6)),
			 0);
	ns_sock_close(&a);
}

/**
 * pump() - Run ns_poll() until @cond or a bound on iterations
 * @cond:	Condition to wait for
 */
#define pump(cond)                                                             \
	do {                                                                   \
		int _i;                                                        \
		for (_i = 0; _i < 100 && !(cond); _i++)                        \
			ns_poll();                                             \
		assert_true(cond);                                             \
	} while (0)

/**
 * loop_pair() - Connect a client to a listener over loopback, exchange
 * data both ways and close
 * @family:	AF_INET or AF_INET6
 * @bindip:	Listener address
 * @dstip:	Address the client connects to
 */
static void loop_pair(int family, const char *bindip, const char *dstip)
{
	struct ns_sock *l = listener(family, bindip, 7000), *s = NULL,
		       *c = NULL;
	unsigned int sev = 0, lev = 0, cev = 0;
	struct sockaddr_storage ss;
	struct iovec iov = {.iov_base = "ping", .iov_len = 4}, in[4];
	struct sockaddr *sa;
	socklen_t len;

	ns_sock_set_notify(l, on_event, &lev);
	assert_int_equal(ns_sock_new(&s, family, SOCK_STREAM), 0);
	ns_sock_set_notify(s, on_event, &sev);
	if (family == AF_INET) {
		sa = sin4((struct sockaddr_in *)&ss, dstip, 7000);
		len = sizeof(struct sockaddr_in);
	} else {
		sa = sin6((struct sockaddr_in6 *)&ss, dstip, 7000);
		len = sizeof(struct sockaddr_in6);
	}
	assert_int_equal(ns_sock_connect(s, sa, len), -EINPROGRESS);
	assert_int_equal(ns_timeout_ms(), 0);
	pump(sev & NS_EV_CONNECTED);
	pump(lev & NS_EV_ACCEPT);
	assert_int_equal(ns_sock_accept(l, &c), 0);
	ns_sock_set_notify(c, on_event, &cev);
	assert_int_equal(ns_sock_send(s, &iov, 1), 4);
	pump(cev & NS_EV_READABLE);
	assert_int_equal(ns_sock_peek(c, in, 4), 1);
	assert_memory_equal(in[0].iov_base, "ping", 4);
	ns_sock_consume(c, 4);
	iov.iov_base = "pong!";
	iov.iov_len = 5;
	assert_int_equal(ns_sock_send(c, &iov, 1), 5);
	pump(sev & NS_EV_READABLE);
	assert_int_equal(ns_sock_peek(s, in, 4), 1);
	assert_int_equal(in[0].iov_len, 5);
	ns_sock_consume(s, 5);
	assert_int_equal(ns_sock_shutdown_wr(s), 0);
	pump(ns_sock_eof(c));
	assert_int_equal(ns_sock_shutdown_wr(c), 0);
	pump(ns_sock_eof(s));
	ns_sock_close(&s);
	ns_sock_close(&c);
	ns_sock_close(&l);
}

/**
 * test_loopback_v4() - 127.0.0.1 between two sockets
 * @state:	Unused
 */
static void test_loopback_v4(void **state)
{
	loop_pair(AF_INET, "127.0.0.1", "127.0.0.1");
	assert_int_equal(cap.n, 0);
}

/**
 * test_loopback_v6() - ::1 between two sockets
 * @state:	Unused
 */
static void test_loopback_v6(void **state)
{
	loop_pair(AF_INET6, "::1", "::1");
	assert_int_equal(cap.n, 0);
}

/**
 * test_loopback_own_addr() - Our eth0 addresses loop back, never leave
 * @state:	Unused
 */
static void test_loopback_own_addr(void **state)
{
	loop_pair(AF_INET, "0.0.0.0", "10.0.0.2");
	loop_pair(AF_INET6, "::", "fd00::2");
	loop_pair(AF_INET6, "::", "::ffff:127.0.0.1");
	assert_int_equal(cap.n, 0);
}

/**
 * test_no_eth0() - Without eth0 only loopback works
 * @state:	Unused
 */
static void test_no_eth0(void **state)
{
	struct ns_sock *s = NULL;
	struct sockaddr_in sa;

	loop_pair(AF_INET, "127.0.0.1", "127.0.0.1");
	assert_int_equal(ns_sock_new(&s, AF_INET, SOCK_STREAM), 0);
	assert_int_equal(
	    ns_sock_connect(s, sin4(&sa, "10.0.0.1", 80), sizeof(sa)),
	    -ENETUNREACH);
	ns_sock_close(&s);
	assert_int_equal(cap.n, 0);
}

/**
 * test_options() - setopt/getopt round trips and ranges
 * @state:	Unused
 */
static void test_options(void **state)
{
	struct ns_sock *s = NULL;
	int v;

	assert_int_equal(ns_sock_new(&s, AF_INET, SOCK_STREAM), 0);
	assert_int_equal(ns_sock_getopt(s, NS_OPT_KEEPIDLE, &v), 0);
	assert_int_equal(v, 7200);
	assert_int_equal(ns_sock_setopt(s, NS_OPT_KEEPIDLE, 30), 0);
	assert_int_equal(ns_sock_getopt(s, NS_OPT_KEEPIDLE, &v), 0);
	assert_int_equal(v, 30);
	assert_int_equal(ns_sock_setopt(s, NS_OPT_KEEPCNT, 0), -EINVAL);
	assert_int_equal(ns_sock_setopt(s, NS_OPT_NODELAY, 1), 0);
	assert_int_equal(ns_sock_getopt(s, NS_OPT_NODELAY, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ns_sock_setopt(s, NS_OPT_V6ONLY, 1), -ENOPROTOOPT);
	ns_sock_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_arp_reply, up, down),
	    cmocka_unit_test_setup_teardown(test_syn_gets_synack, up, down),
	    cmocka_unit_test_setup_teardown(test_syn_v6_gets_synack, up, down),
	    cmocka_unit_test_setup_teardown(test_accept_data_window, up, down),
	    cmocka_unit_test_setup_teardown(test_rst_closed_port, up, down),
	    cmocka_unit_test_setup_teardown(test_active_connect, up, down),
	    cmocka_unit_test_setup_teardown(test_connect_refused, up, down),
	    cmocka_unit_test_setup_teardown(test_connect_reset, up, down),
	    cmocka_unit_test_setup_teardown(test_peer_fin, up, down),
	    cmocka_unit_test_setup_teardown(test_close_unread_resets, up, down),
	    cmocka_unit_test_setup_teardown(test_listener_close_resets_queue,
					    up, down),
	    cmocka_unit_test_setup_teardown(test_timewait_recycle, up, down),
	    cmocka_unit_test_setup_teardown(test_dual_stack_v4_peer, up, down),
	    cmocka_unit_test_setup_teardown(test_v6only_refuses_v4, up, down),
	    cmocka_unit_test_setup_teardown(test_bind_errors, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_v4, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_v6, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_own_addr, up, down),
	    cmocka_unit_test_setup_teardown(test_no_eth0, up_noeth, down),
	    cmocka_unit_test_setup_teardown(test_options, up, down),
	};

	return cmocka_run_group_tests_name("netstack_tcp", tests, NULL, NULL);
}
