// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netstack_icmp.c - unit tests for netstack's ping and raw ICMP sockets
 *
 * Same fixture as netstack_udp.c: a fresh stack per test with a capturing
 * output callback; frames built by tests/lib/frames.c play the peer at
 * 10.0.0.1 / fd00::1 on eth0; the teardown checks that no ICMP, UDP or TCP
 * socket and no queued pbuf is left.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
 * cap_icmp() - Find the first captured ICMP/ICMPv6 message of type @type
 * @v6:		ICMPv6
 * @type:	ICMP type
 * @out:	Parsed packet (@data is the ICMP message)
 *
 * Return: true if found
 */
static bool cap_icmp(bool v6, uint8_t type, struct fr_info *out)
{
	int i;

	for (i = 0; i < cap.n; i++) {
		if (fr_parse(cap.f[i], cap.len[i], out) < 0 ||
		    out->ethertype == 0x0806)
			continue;
		if (out->v6 == v6 && out->proto == (v6 ? 58 : 1) &&
		    out->len >= 8 && out->data[0] == type)
			return true;
	}
	return false;
}

/**
 * echo_in() - Send an echo message from the peer to us
 * @v6:		ICMPv6
 * @type:	8 / 0 (ICMPv6: 128 / 129)
 * @id:		Identifier
 * @seq:	Sequence number
 * @bad_csum:	Corrupt the checksum
 * @data:	Payload (a string)
 */
static void echo_in(bool v6, uint8_t type, uint16_t id, uint16_t seq,
		    bool bad_csum, const char *data)
{
	struct fr_echo e = {
	    .smac = peer_mac,
	    .dmac = our_mac,
	    .v6 = v6,
	    .type = type,
	    .id = id,
	    .seq = seq,
	    .bad_csum = bad_csum,
	    .data = data,
	    .len = strlen(data),
	};

	memcpy(e.src, v6 ? peer_ip6 : peer_ip, v6 ? 16 : 4);
	memcpy(e.dst, v6 ? our_ip6 : our_ip, v6 ? 16 : 4);
	ns_input_frame(frame, fr_echo(frame, &e));
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
	assert_int_equal(st.icmps, 0);
	assert_int_equal(st.udps, 0);
	assert_int_equal(st.socks, 0);
	assert_int_equal(st.pbufs, 0);
	return 0;
}

/**
 * down_fini() - Teardown for tests that leave sockets to ns_fini()
 * @state:	Unused
 *
 * Return: 0
 */
static int down_fini(void **state)
{
	struct ns_stats st;

	cap_reset();
	ns_fini();
	ns_get_stats(&st);
	assert_int_equal(st.icmps, 0);
	assert_int_equal(st.pbufs, 0);
	return 0;
}

/* length of a sockaddr_in or sockaddr_in6 */
#define SALEN(family)                                                          \
	((socklen_t)((family) == AF_INET ? sizeof(struct sockaddr_in)          \
					 : sizeof(struct sockaddr_in6)))

/**
 * sa_of() - Fill a sockaddr_in or sockaddr_in6 (SALEN() bytes)
 * @ss:		Output
 * @family:	AF_INET or AF_INET6
 * @ip:		Address as a string
 * @port:	Port
 *
 * Return: @ss as a struct sockaddr pointer
 */
static struct sockaddr *sa_of(struct sockaddr_storage *ss, int family,
			      const char *ip, uint16_t port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		assert_int_equal(inet_pton(AF_INET, ip, &s4->sin_addr), 1);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		assert_int_equal(inet_pton(AF_INET6, ip, &s6->sin6_addr), 1);
	}
	return (struct sockaddr *)ss;
}

/**
 * name_str() - A socket address as "addr:port" (or "[addr]:port")
 * @ss:		Address
 * @buf:	Output, at least 64 bytes
 *
 * Return: @buf
 */
static const char *name_str(const struct sockaddr_storage *ss, char *buf)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, 64, "%s:%u", a, ntohs(s4->sin_port));
	} else {
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, 64, "[%s]:%u", a, ntohs(s6->sin6_port));
	}
	return buf;
}

/**
 * local_str() - getsockname() of an ICMP socket as name_str() prints it
 * @s:		Socket
 * @buf:	Output, at least 64 bytes
 *
 * Return: @buf
 */
static const char *local_str(const struct ns_icmp *s, char *buf)
{
	struct sockaddr_storage ss;
	socklen_t len;

	assert_int_equal(ns_icmp_name(s, false, &ss, &len), 0);
	return name_str(&ss, buf);
}

/**
 * ident() - A ping socket's identifier (getsockname()'s port)
 * @s:		Socket
 *
 * Return: identifier, host order
 */
static uint16_t ident(const struct ns_icmp *s)
{
	struct sockaddr_storage ss;
	socklen_t len;

	assert_int_equal(ns_icmp_name(s, false, &ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/**
 * send_echo() - ns_icmp_sendto() of an 8-byte header and a string
 * @s:		Socket
 * @type:	ICMP type
 * @code:	ICMP code
 * @id:		Identifier written by the caller
 * @data:	Payload
 * @family:	Destination family (AF_UNSPEC: the connected peer)
 * @ip:		Destination address (unused for AF_UNSPEC)
 *
 * Return: what ns_icmp_sendto() returned
 */
static ssize_t send_echo(struct ns_icmp *s, uint8_t type, uint8_t code,
			 uint16_t id, const char *data, int family,
			 const char *ip)
{
	uint8_t h[8] = {type,	     code, 0xde, 0xad, (uint8_t)(id >> 8),
			(uint8_t)id, 0,	   7};
	struct iovec iov[2] = {
	    {.iov_base = h, .iov_len = sizeof(h)},
	    {.iov_base = (void *)data, .iov_len = strlen(data)},
	};
	struct sockaddr_storage ss;
	struct sockaddr *sa = NULL;
	socklen_t len = 0;

	if (family != AF_UNSPEC)
		sa = sa_of(&ss, family, ip, 0);
	len = SALEN(family);
	return ns_icmp_sendto(s, iov, 2, sa, len);
}

/**
 * ping_sock() - A ping socket, optionally bound to identifier @id
 * @family:	AF_INET or AF_INET6
 * @id:		Identifier to bind (with the wildcard address), 0: none
 *
 * Return: the socket
 */
static struct ns_icmp *ping_sock(int family, uint16_t id)
{
	struct ns_icmp *s = NULL;
	struct sockaddr_storage ss;

	assert_int_equal(ns_icmp_new(&s, family, false), 0);
	if (id)
		assert_int_equal(
		    ns_icmp_bind(
			s,
			sa_of(&ss, family,
			      family == AF_INET ? "0.0.0.0" : "::", id),
			SALEN(family)),
		    0);
	return s;
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

/* --- tests ----------------------------------------------------------- */

/**
 * ping_out() - A ping socket's request leaves with our identifier
 * @v6:		ICMPv6
 */
static void ping_out(bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET;
	struct ns_icmp *s = ping_sock(family, 0);
	struct fr_info fi;
	uint16_t id;

	assert_int_equal(ident(s), 0);
	assert_int_equal(send_echo(s, v6 ? 128 : 8, 0, 0x1111, "hello", family,
				   v6 ? "fd00::1" : "10.0.0.1"),
			 13);
	id = ident(s);
	assert_int_not_equal(id, 0);
	assert_true(cap_icmp(v6, v6 ? 128 : 8, &fi));
	assert_memory_equal(fi.dst, v6 ? peer_ip6 : peer_ip, v6 ? 16 : 4);
	assert_memory_equal(fi.src, v6 ? our_ip6 : our_ip, v6 ? 16 : 4);
	assert_int_equal(fi.len, 13);
	assert_int_equal(fi.data[4] << 8 | fi.data[5], id);
	assert_int_equal(fi.data[6] << 8 | fi.data[7], 7); /* sequence kept */
	assert_memory_equal(fi.data + 8, "hello", 5);
	assert_true(fr_icmp_csum_ok(&fi));
	ns_icmp_close(&s);
}

/**
 * test_ping_out_v4() - IPv4 echo request: our identifier, our checksum
 * @state:	Unused
 */
static void test_ping_out_v4(void **state)
{
	ping_out(false);
}

/**
 * test_ping_out_v6() - ICMPv6 echo request: our identifier, our checksum
 * @state:	Unused
 */
static void test_ping_out_v6(void **state)
{
	ping_out(true);
}

/**
 * ping_in() - Only echo replies with the socket's identifier are queued
 * @v6:		ICMPv6
 */
static void ping_in(bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET;
	uint8_t rep = v6 ? 129 : 0, req = v6 ? 128 : 8;
	struct ns_icmp *s = ping_sock(family, 4321);
	unsigned int ev = 0;
	struct iovec iov[4];
	struct ns_dgram d;
	struct fr_info fi;
	char buf[64];
	uint8_t *m;

	ns_icmp_set_notify(s, on_event, &ev);
	echo_in(v6, rep, 4322, 1, false, "other");
	echo_in(v6, rep, 4321, 2, true, "badsum");
	echo_in(v6, req, 4321, 3, false, "request");
	assert_int_equal(ns_icmp_queued(s), 0);
	assert_int_equal(ev, 0);
	/* lwIP answered the request */
	assert_true(cap_icmp(v6, rep, &fi));
	echo_in(v6, rep, 4321, 4, false, "mine");
	assert_int_equal(ev, NS_EV_READABLE);
	assert_int_equal(ns_icmp_queued(s), 1);
	assert_int_equal(ns_icmp_peek(s, iov, 4, &d), 1);
	assert_int_equal(d.len, 12);
	assert_int_equal(d.iovcnt, 1);
	m = iov[0].iov_base;
	assert_int_equal(m[0], rep);
	assert_int_equal(m[4] << 8 | m[5], 4321);
	assert_int_equal(m[6] << 8 | m[7], 4);
	assert_memory_equal(m + 8, "mine", 4);
	assert_string_equal(name_str(&d.src, buf),
			    v6 ? "[fd00::1]:0" : "10.0.0.1:0");
	assert_int_equal(d.dst.ifindex, NS_IFINDEX_ETH0);
	ns_icmp_drop(s);
	assert_int_equal(ns_icmp_peek(s, iov, 4, &d), 0);
	ns_icmp_close(&s);
}

/**
 * test_ping_in_v4() - IPv4 echo replies matched on the identifier
 * @state:	Unused
 */
static void test_ping_in_v4(void **state)
{
	ping_in(false);
}

/**
 * test_ping_in_v6() - ICMPv6 echo replies matched on the identifier
 * @state:	Unused
 */
static void test_ping_in_v6(void **state)
{
	ping_in(true);
}

/**
 * ping_loop() - Ping one of our own addresses: lwIP's reply comes back
 * @family:	AF_INET or AF_INET6
 * @ip:		Destination
 * @src:	Source of the reply, as name_str() prints it
 */
static void ping_loop(int family, const char *ip, const char *src)
{
	bool v6 = family == AF_INET6;
	struct ns_icmp *s = ping_sock(family, 0);
	unsigned int ev = 0;
	struct iovec iov[4];
	struct ns_dgram d;
	char buf[64];
	uint8_t *m;

	ns_icmp_set_notify(s, on_event, &ev);
	assert_int_equal(send_echo(s, v6 ? 128 : 8, 0, 0, "loop", family, ip),
			 12);
	pump(ev & NS_EV_READABLE);
	assert_int_equal(ns_icmp_queued(s), 1);
	assert_int_equal(ns_icmp_peek(s, iov, 4, &d), 1);
	assert_int_equal(d.len, 12);
	m = iov[0].iov_base;
	assert_int_equal(m[0], v6 ? 129 : 0);
	assert_int_equal(m[4] << 8 | m[5], ident(s));
	assert_memory_equal(m + 8, "loop", 4);
	assert_string_equal(name_str(&d.src, buf), src);
	assert_int_equal(d.dst.ifindex, NS_IFINDEX_LO);
	ns_icmp_drop(s);
	ns_icmp_close(&s);
}

/**
 * test_ping_loopback() - 127.0.0.1, ::1 and eth0's addresses answer
 * @state:	Unused
 */
static void test_ping_loopback(void **state)
{
	ping_loop(AF_INET, "127.0.0.1", "127.0.0.1:0");
	ping_loop(AF_INET6, "::1", "[::1]:0");
	ping_loop(AF_INET, "10.0.0.2", "10.0.0.2:0");
	ping_loop(AF_INET6, "fd00::2", "[fd00::2]:0");
	ping_loop(AF_INET, "0.0.0.0", "127.0.0.1:0");
	assert_int_equal(cap.n, 0); /* nothing left the sandbox */
}

/**
 * test_ping_loopback_noeth() - Loopback pings without eth0
 * @state:	Unused
 */
static void test_ping_loopback_noeth(void **state)
{
	struct ns_icmp *s = ping_sock(AF_INET, 0);

	ping_loop(AF_INET, "127.0.0.1", "127.0.0.1:0");
	ping_loop(AF_INET6, "::1", "[::1]:0");
	assert_int_equal(send_echo(s, 8, 0, 0, "x", AF_INET, "10.0.0.1"),
			 -ENETUNREACH);
	ns_icmp_close(&s);
}

/**
 * test_raw4() - Raw IPv4: every message with its IP header; sent as is
 * @state:	Unused
 */
static void test_raw4(void **state)
{
	struct ns_icmp *r = NULL, *p = ping_sock(AF_INET, 99);
	uint8_t msg[12] = {8, 0, 0x12, 0x34, 0, 5, 0, 1, 'r', 'a', 'w', '!'};
	struct iovec iov[4], out = {.iov_base = msg, .iov_len = sizeof(msg)};
	struct sockaddr_storage ss;
	uint32_t filt[8] = {0};
	struct ns_dgram d;
	struct fr_info fi;
	char buf[64];
	uint8_t *m;

	assert_int_equal(ns_icmp_new(&r, AF_INET, true), 0);
	assert_string_equal(local_str(r, buf), "0.0.0.0:1");
	/* a request from the peer: raw sees it, lwIP answers it */
	echo_in(false, 8, 77, 1, false, "abc");
	assert_true(cap_icmp(false, 0, &fi));
	assert_int_equal(fi.data[4] << 8 | fi.data[5], 77);
	assert_true(fr_icmp_csum_ok(&fi));
	assert_int_equal(ns_icmp_peek(r, iov, 4, &d), 1);
	assert_int_equal(d.len, 20 + 8 + 3);
	m = iov[0].iov_base;
	assert_int_equal(m[0], 0x45);
	assert_int_equal(m[9], 1);
	assert_memory_equal(m + 12, peer_ip, 4);
	assert_int_equal(m[20], 8);
	assert_string_equal(name_str(&d.src, buf), "10.0.0.1:0");
	ns_icmp_drop(r);
	assert_int_equal(ns_icmp_queued(p), 0);
	/* a reply for the ping socket: both get it; bad checksums too */
	echo_in(false, 0, 99, 2, false, "abc");
	echo_in(false, 0, 99, 3, true, "abc");
	assert_int_equal(ns_icmp_queued(r), 2);
	assert_int_equal(ns_icmp_queued(p), 1);
	ns_icmp_drop(r);
	ns_icmp_drop(r);
	ns_icmp_drop(p);
	/* ICMP_FILTER: echo requests (type 8) blocked */
	filt[0] = 1u << 8;
	assert_int_equal(ns_icmp_set_filter(r, filt), 0);
	assert_int_equal(ns_icmp_set_filter(p, filt), -ENOPROTOOPT);
	echo_in(false, 8, 77, 4, false, "abc");
	assert_int_equal(ns_icmp_queued(r), 0);
	cap_reset();
	/* sent exactly as given: the guest's checksum */
	assert_int_equal(ns_icmp_sendto(r, &out, 1,
					sa_of(&ss, AF_INET, "10.0.0.1", 0),
					SALEN(AF_INET)),
			 sizeof(msg));
	assert_true(cap_icmp(false, 8, &fi));
	assert_int_equal(fi.len, sizeof(msg));
	assert_memory_equal(fi.data, msg, sizeof(msg));
	ns_icmp_close(&r);
	ns_icmp_close(&p);
}

/**
 * test_raw6() - Raw IPv6: messages without header; checksum ours to set
 * @state:	Unused
 */
static void test_raw6(void **state)
{
	uint8_t msg[10] = {128, 0, 0x12, 0x34, 0, 5, 0, 1, 'v', '6'};
	struct iovec iov[4], out = {.iov_base = msg, .iov_len = sizeof(msg)};
	struct ns_icmp *r = NULL, *l = NULL;
	struct sockaddr_storage ss;
	uint32_t filt[8] = {0}, got[8];
	unsigned int ev = 0;
	struct ns_dgram d;
	struct fr_info fi;
	char buf[64];
	uint8_t *m;

	assert_int_equal(ns_icmp_new(&r, AF_INET6, true), 0);
	assert_string_equal(local_str(r, buf), "[::]:58");
	echo_in(true, 128, 77, 1, false, "abc");
	assert_true(cap_icmp(true, 129, &fi)); /* lwIP answered */
	assert_true(fr_icmp_csum_ok(&fi));
	assert_int_equal(ns_icmp_peek(r, iov, 4, &d), 1);
	assert_int_equal(d.len, 8 + 3);
	m = iov[0].iov_base;
	assert_int_equal(m[0], 128);
	assert_int_equal(m[4] << 8 | m[5], 77);
	assert_string_equal(name_str(&d.src, buf), "[fd00::1]:0");
	ns_icmp_drop(r);
	/* bad checksums are dropped over IPv6 */
	echo_in(true, 129, 77, 2, true, "abc");
	assert_int_equal(ns_icmp_queued(r), 0);
	/* ICMP6_FILTER as iputils sets it: only echo replies pass */
	memset(filt, 0xff, sizeof(filt));
	filt[129 >> 5] &= ~(1u << (129 & 31));
	assert_int_equal(ns_icmp_set_filter(r, filt), 0);
	assert_int_equal(ns_icmp_get_filter(r, got), 0);
	assert_memory_equal(got, filt, sizeof(filt));
	echo_in(true, 128, 77, 3, false, "abc");
	echo_in(true, 129, 77, 4, false, "abc");
	assert_int_equal(ns_icmp_queued(r), 1);
	assert_int_equal(ns_icmp_peek(r, iov, 4, &d), 1);
	assert_int_equal(((uint8_t *)iov[0].iov_base)[0], 129);
	ns_icmp_drop(r);
	cap_reset();
	/* the stack computes the checksum (garbage given) */
	assert_int_equal(ns_icmp_sendto(r, &out, 1,
					sa_of(&ss, AF_INET6, "fd00::1", 0),
					SALEN(AF_INET6)),
			 sizeof(msg));
	assert_true(cap_icmp(true, 128, &fi));
	assert_int_equal(fi.len, sizeof(msg));
	assert_memory_equal(fi.data + 4, msg + 4, sizeof(msg) - 4);
	assert_true(fr_icmp_csum_ok(&fi));
	/* too short to hold the checksum */
	out.iov_len = 3;
	assert_int_equal(
	    ns_icmp_sendto(r, &out, 1, (struct sockaddr *)&ss, SALEN(AF_INET6)),
	    -EINVAL);
	/* a raw echo request over loopback: lwIP answers, r sees both */
	out.iov_len = sizeof(msg);
	assert_int_equal(ns_icmp_new(&l, AF_INET6, true), 0);
	ns_icmp_set_notify(l, on_event, &ev);
	assert_int_equal(ns_icmp_sendto(l, &out, 1,
					sa_of(&ss, AF_INET6, "::1", 0),
					SALEN(AF_INET6)),
			 sizeof(msg));
	pump(ns_icmp_queued(l) == 2);
	assert_int_equal(ns_icmp_peek(l, iov, 4, &d), 1);
	assert_int_equal(((uint8_t *)iov[0].iov_base)[0], 128);
	ns_icmp_drop(l);
	assert_int_equal(ns_icmp_peek(l, iov, 4, &d), 1);
	assert_int_equal(((uint8_t *)iov[0].iov_base)[0], 129);
	ns_icmp_drop(l);
	assert_int_equal(ns_icmp_queued(r), 1); /* the reply only: filter */
	ns_icmp_drop(r);
	ns_icmp_close(&l);
	ns_icmp_close(&r);
}

/**
 * test_lwip_answers() - Pings to us are answered with sockets open
 * @state:	Unused
 */
static void test_lwip_answers(void **state)
{
	struct ns_icmp *p4 = ping_sock(AF_INET, 5),
		       *p6 = ping_sock(AF_INET6, 6);
	struct ns_icmp *r4 = NULL, *r6 = NULL;
	struct fr_info fi;

	assert_int_equal(ns_icmp_new(&r4, AF_INET, true), 0);
	assert_int_equal(ns_icmp_new(&r6, AF_INET6, true), 0);
	echo_in(false, 8, 5, 1, false, "four");
	assert_true(cap_icmp(false, 0, &fi));
	assert_int_equal(fi.data[4] << 8 | fi.data[5], 5);
	assert_memory_equal(fi.dst, peer_ip, 4);
	assert_memory_equal(fi.data + 8, "four", 4);
	assert_true(fr_icmp_csum_ok(&fi));
	echo_in(true, 128, 5, 1, false, "six");
	assert_true(cap_icmp(true, 129, &fi));
	assert_memory_equal(fi.dst, peer_ip6, 16);
	assert_memory_equal(fi.data + 8, "six", 3);
	assert_true(fr_icmp_csum_ok(&fi));
	/* requests are not replies: the ping sockets got nothing */
	assert_int_equal(ns_icmp_queued(p4), 0);
	assert_int_equal(ns_icmp_queued(p6), 0);
	assert_int_equal(ns_icmp_queued(r4), 1);
	assert_int_equal(ns_icmp_queued(r6), 1);
	ns_icmp_close(&r4);
	ns_icmp_close(&r6);
	ns_icmp_close(&p4);
	ns_icmp_close(&p6);
}

/**
 * test_ping_send_errors() - Linux's sendto() errors on ping sockets
 * @state:	Unused
 */
static void test_ping_send_errors(void **state)
{
	struct ns_icmp *s = ping_sock(AF_INET, 0), *s6 = ping_sock(AF_INET6, 0);
	static uint8_t big[0x10000];
	struct iovec iov = {.iov_base = big};
	struct sockaddr_storage ss;

	assert_int_equal(ns_icmp_new(&s, AF_UNIX, false), -EAFNOSUPPORT);
	assert_int_equal(send_echo(s, 0, 0, 0, "", AF_INET, "10.0.0.1"),
			 -EINVAL);
	assert_int_equal(send_echo(s, 13, 0, 0, "", AF_INET, "10.0.0.1"),
			 -EINVAL);
	assert_int_equal(send_echo(s, 8, 1, 0, "", AF_INET, "10.0.0.1"),
			 -EINVAL);
	assert_int_equal(send_echo(s6, 8, 0, 0, "", AF_INET6, "fd00::1"),
			 -EINVAL);
	iov.iov_len = 7;
	big[0] = 8;
	assert_int_equal(ns_icmp_sendto(s, &iov, 1,
					sa_of(&ss, AF_INET, "10.0.0.1", 0),
					SALEN(AF_INET)),
			 -EINVAL);
	iov.iov_len = 0xffff - 20 + 1;
	assert_int_equal(
	    ns_icmp_sendto(s, &iov, 1, (struct sockaddr *)&ss, SALEN(AF_INET)),
	    -EMSGSIZE);
	assert_int_equal(send_echo(s, 8, 0, 0, "", AF_UNSPEC, NULL),
			 -EDESTADDRREQ);
	assert_int_equal(send_echo(s, 8, 0, 0, "", AF_INET6, "::1"),
			 -EAFNOSUPPORT);
	assert_int_equal(send_echo(s6, 128, 0, 0, "", AF_INET, "10.0.0.1"),
			 -EAFNOSUPPORT);
	assert_int_equal(send_echo(s, 8, 0, 0, "", AF_INET, "10.0.0.255"),
			 -EACCES);
	assert_int_equal(send_echo(s, 8, 0, 0, "", AF_INET, "255.255.255.255"),
			 -EACCES);
	assert_int_equal(ident(s), 0); /* nothing sent, not bound */
	assert_int_equal(ns_icmp_setopt(s, NS_OPT_BROADCAST, 1), 0);
	assert_int_equal(send_echo(s, 8, 0, 0, "", AF_INET, "10.0.0.255"), 8);
	assert_int_not_equal(ident(s), 0);
	ns_icmp_close(&s6);
	ns_icmp_close(&s);
}

/**
 * test_ping_bind() - Identifiers: bind, conflicts, connect, disconnect
 * @state:	Unused
 */
static void test_ping_bind(void **state)
{
	struct ns_icmp *a = NULL, *b = NULL, *c = NULL;
	struct sockaddr_storage ss;
	struct sockaddr un = {.sa_family = AF_UNSPEC};
	socklen_t len;
	char buf[64];
	int v;

	assert_int_equal(ns_icmp_new(&a, AF_INET, false), 0);
	assert_int_equal(ns_icmp_new(&b, AF_INET6, false), 0);
	assert_int_equal(ns_icmp_new(&c, AF_INET, false), 0);
	assert_int_equal(ns_icmp_bind(a, sa_of(&ss, AF_INET, "10.9.9.9", 700),
				      SALEN(AF_INET)),
			 -EADDRNOTAVAIL);
	assert_int_equal(
	    ns_icmp_bind(a, sa_of(&ss, AF_INET, "10.0.0.2", 700), 4), -EINVAL);
	assert_int_equal(
	    ns_icmp_bind(a, sa_of(&ss, AF_INET6, "::", 700), SALEN(AF_INET6)),
	    -EAFNOSUPPORT);
	assert_int_equal(ns_icmp_bind(a, sa_of(&ss, AF_INET, "10.0.0.2", 700),
				      SALEN(AF_INET)),
			 0);
	assert_string_equal(local_str(a, buf), "10.0.0.2:700");
	assert_int_equal(ns_icmp_bind(a, sa_of(&ss, AF_INET, "10.0.0.2", 701),
				      SALEN(AF_INET)),
			 -EINVAL);
	/* one identifier space for both families */
	assert_int_equal(
	    ns_icmp_bind(b, sa_of(&ss, AF_INET6, "::", 700), SALEN(AF_INET6)),
	    -EADDRINUSE);
	ns_icmp_close(&a);
	assert_int_equal(
	    ns_icmp_bind(b, sa_of(&ss, AF_INET6, "::", 700), SALEN(AF_INET6)),
	    0);
	assert_string_equal(local_str(b, buf), "[::]:700");
	/* shared with SO_REUSEADDR on both sides */
	assert_int_equal(ns_icmp_setopt(b, NS_OPT_REUSEADDR, 1), 0);
	assert_int_equal(ns_icmp_bind(c, sa_of(&ss, AF_INET, "0.0.0.0", 700),
				      SALEN(AF_INET)),
			 -EADDRINUSE);
	assert_int_equal(ns_icmp_setopt(c, NS_OPT_REUSEADDR, 1), 0);
	assert_int_equal(ns_icmp_getopt(c, NS_OPT_REUSEADDR, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ns_icmp_bind(c, sa_of(&ss, AF_INET, "0.0.0.0", 700),
				      SALEN(AF_INET)),
			 0);
	ns_icmp_close(&c);
	/* connect: autobind, local address fixed, peer name */
	assert_int_equal(ns_icmp_new(&c, AF_INET, false), 0);
	assert_int_equal(ns_icmp_name(c, true, &ss, &len), -ENOTCONN);
	assert_int_equal(ns_icmp_connect(c, sa_of(&ss, AF_INET, "10.0.0.1", 9),
					 SALEN(AF_INET)),
			 0);
	assert_int_not_equal(ident(c), 0);
	assert_int_not_equal(ident(c), 700);
	snprintf(buf, sizeof(buf), "10.0.0.2:%u", ident(c));
	{
		char got[64];

		assert_string_equal(local_str(c, got), buf);
	}
	assert_int_equal(ns_icmp_name(c, true, &ss, &len), 0);
	assert_string_equal(name_str(&ss, buf), "10.0.0.1:9");
	cap_reset();
	assert_int_equal(send_echo(c, 8, 0, 0, "c", AF_UNSPEC, NULL), 9);
	assert_int_equal(cap.n, 1);
	/* a reply to our fixed address is taken, from any source */
	echo_in(false, 0, ident(c), 1, false, "r");
	assert_int_equal(ns_icmp_queued(c), 1);
	ns_icmp_drop(c);
	assert_int_equal(ns_icmp_connect(c, &un, sizeof(un)), 0);
	assert_string_equal(local_str(c, buf), "0.0.0.0:0");
	assert_int_equal(ns_icmp_name(c, true, &ss, &len), -ENOTCONN);
	assert_int_equal(ns_icmp_setopt(c, NS_OPT_TTL, 0), -EINVAL);
	assert_int_equal(ns_icmp_setopt(c, NS_OPT_TTL, 256), -EINVAL);
	assert_int_equal(ns_icmp_setopt(c, NS_OPT_TTL, 3), 0);
	assert_int_equal(ns_icmp_getopt(c, NS_OPT_TTL, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(ns_icmp_setopt(c, NS_OPT_NODELAY, 1), -ENOPROTOOPT);
	ns_icmp_close(&c);
	ns_icmp_close(&b);
}

/**
 * test_ttl() - NS_OPT_TTL reaches the IP header
 * @state:	Unused
 */
static void test_ttl(void **state)
{
	struct ns_icmp *s = ping_sock(AF_INET, 0);
	int i;

	assert_int_equal(ns_icmp_setopt(s, NS_OPT_TTL, 3), 0);
	assert_int_equal(send_echo(s, 8, 0, 0, "t", AF_INET, "10.0.0.1"), 9);
	for (i = 0; i < cap.n; i++) {
		if (cap.len[i] > 34 && cap.f[i][12] == 0x08 &&
		    cap.f[i][23] == 1)
			break;
	}
	assert_true(i < cap.n);
	assert_int_equal(cap.f[i][14 + 8], 3);
	ns_icmp_close(&s);
}

/**
 * test_queue_bound() - A full queue drops, like a full socket buffer
 * @state:	Unused
 */
static void test_queue_bound(void **state)
{
	struct ns_icmp *s = ping_sock(AF_INET, 42);
	int i;

	for (i = 0; i < NS_UDP_RCVQ_MAX + 5; i++)
		echo_in(false, 0, 42, (uint16_t)i, false, "q");
	assert_int_equal(ns_icmp_queued(s), NS_UDP_RCVQ_MAX);
	ns_icmp_close(&s);
}

/**
 * test_fini_frees() - ns_fini() frees open sockets and their queues
 * @state:	Unused
 */
static void test_fini_frees(void **state)
{
	struct ns_icmp *s = ping_sock(AF_INET, 42), *r = NULL;
	struct ns_stats st;

	assert_int_equal(ns_icmp_new(&r, AF_INET6, true), 0);
	echo_in(false, 0, 42, 1, false, "left");
	echo_in(true, 128, 42, 1, false, "over");
	ns_get_stats(&st);
	assert_int_equal(st.icmps, 2);
	assert_int_equal(st.pbufs, 2);
	(void)s;
	(void)r;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ping_out_v4, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_out_v6, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_in_v4, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_in_v6, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_loopback, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_loopback_noeth, up_noeth,
					    down),
	    cmocka_unit_test_setup_teardown(test_raw4, up, down),
	    cmocka_unit_test_setup_teardown(test_raw6, up, down),
	    cmocka_unit_test_setup_teardown(test_lwip_answers, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_send_errors, up, down),
	    cmocka_unit_test_setup_teardown(test_ping_bind, up, down),
	    cmocka_unit_test_setup_teardown(test_ttl, up, down),
	    cmocka_unit_test_setup_teardown(test_queue_bound, up, down),
	    cmocka_unit_test_setup_teardown(test_fini_frees, up, down_fini),
	};

	return cmocka_run_group_tests_name("netstack_icmp", tests, NULL, NULL);
}
