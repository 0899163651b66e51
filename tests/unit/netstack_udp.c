// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netstack_udp.c - unit tests for netstack's UDP sockets and ICMP errors
 *
 * Same fixture as netstack_tcp.c: a fresh stack per test with a capturing
 * output callback; frames built by tests/lib/frames.c play the peer at
 * 10.0.0.1 / fd00::1 on eth0; the teardown checks that no UDP socket,
 * TCP socket or queued pbuf is left.
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
static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x03};
static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t our_ip[4] = {10, 0, 0, 2};
static const uint8_t peer_ip[4] = {10, 0, 0, 1};
static const uint8_t other_ip[4] = {10, 0, 0, 3};
static const uint8_t our_ip6[16] = {0xfd, [15] = 2};
static const uint8_t peer_ip6[16] = {0xfd, [15] = 1};

static struct {
	uint8_t *f[CAP_MAX];
	size_t len[CAP_MAX];
	int n;
} cap;

static uint8_t frame[FR_MAX];
static uint8_t whole[FR_MAX];
static uint8_t big[0x10000];

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
 * cap_proto() - Find the first captured IP packet of protocol @proto
 * @proto:	IP protocol (17 UDP, 1 ICMP, 58 ICMPv6)
 * @out:	Parsed packet
 *
 * Return: index of the frame in cap, -1 if none
 */
static int cap_proto(uint8_t proto, struct fr_info *out)
{
	int i;

	for (i = 0; i < cap.n; i++) {
		if (fr_parse(cap.f[i], cap.len[i], out) < 0)
			continue;
		if (out->ethertype != 0x0806 && out->proto == proto)
			return i;
	}
	return -1;
}

/**
 * cap_arp() - Find the first captured ARP request
 * @out:	Parsed frame
 *
 * Return: true if found
 */
static bool cap_arp(struct fr_info *out)
{
	int i;

	for (i = 0; i < cap.n; i++) {
		if (fr_parse(cap.f[i], cap.len[i], out) == 0 &&
		    out->ethertype == 0x0806 && out->arp_op == 1)
			return true;
	}
	return false;
}

/**
 * dgram() - Send one UDP datagram from the peer to us
 * @v6:		Over IPv6
 * @src:	Source address (4 or 16 bytes)
 * @sport:	Source port
 * @dport:	Our port
 * @data:	Payload or NULL
 * @len:	Payload length
 */
static void dgram(bool v6, const uint8_t *src, uint16_t sport, uint16_t dport,
		  const void *data, size_t len)
{
	struct fr_udp u = {
	    .smac = peer_mac,
	    .dmac = our_mac,
	    .v6 = v6,
	    .sport = sport,
	    .dport = dport,
	    .data = data,
	    .len = len,
	};

	memcpy(u.src, src, v6 ? 16 : 4);
	memcpy(u.dst, v6 ? our_ip6 : our_ip, v6 ? 16 : 4);
	ns_input_frame(frame, fr_udp(frame, &u));
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
	assert_int_equal(st.udps, 0);
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
 * bound() - A UDP socket bound to @ip:@port
 * @family:	AF_INET or AF_INET6
 * @ip:		Address
 * @port:	Port, 0 for ephemeral
 *
 * Return: the socket
 */
static struct ns_udp *bound(int family, const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	struct ns_udp *u = NULL;
	struct sockaddr *sa;

	assert_int_equal(ns_udp_new(&u, family), 0);
	sa = family == AF_INET ? sin4((struct sockaddr_in *)&ss, ip, port)
			       : sin6((struct sockaddr_in6 *)&ss, ip, port);
	assert_int_equal(ns_udp_bind(u, sa,
				     family == AF_INET
					 ? sizeof(struct sockaddr_in)
					 : sizeof(struct sockaddr_in6)),
			 0);
	return u;
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
 * local_port() - The socket's local port
 * @u:		Socket
 *
 * Return: port, host order
 */
static uint16_t local_port(const struct ns_udp *u)
{
	struct sockaddr_storage ss;
	socklen_t len;

	assert_int_equal(ns_udp_name(u, false, &ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/**
 * send_str() - ns_udp_sendto() of a string
 * @u:		Socket
 * @s:		Payload
 * @sa:		Destination or NULL
 * @len:	Its length
 *
 * Return: what ns_udp_sendto() returned
 */
static ssize_t send_str(struct ns_udp *u, const char *s,
			const struct sockaddr *sa, socklen_t len)
{
	struct iovec iov = {.iov_base = (void *)s, .iov_len = strlen(s)};

	return ns_udp_sendto(u, &iov, 1, sa, len);
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
 * test_bind_errors() - Ephemeral ports, Linux's bind() errors, names
 * @state:	Unused
 */
static void test_bind_errors(void **state)
{
	struct ns_udp *a = NULL, *b = NULL;
	struct sockaddr_storage ss;
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	socklen_t len;
	char buf[64];

	assert_int_equal(ns_udp_new(&a, AF_UNIX), -EAFNOSUPPORT);
	assert_int_equal(ns_udp_new(&a, AF_INET), 0);
	assert_int_equal(ns_udp_new(&b, AF_INET), 0);
	assert_int_equal(ns_udp_name(a, false, &ss, &len), 0);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_string_equal(name_str(&ss, buf), "0.0.0.0:0");
	assert_int_equal(ns_udp_name(a, true, &ss, &len), -ENOTCONN);
	assert_int_equal(ns_udp_bind(a, sin4(&s4, "10.0.0.2", 53), 4), -EINVAL);
	assert_int_equal(ns_udp_bind(a, sin6(&s6, "::", 53), sizeof(s6)),
			 -EAFNOSUPPORT);
	assert_int_equal(ns_udp_bind(a, sin4(&s4, "10.9.9.9", 53), sizeof(s4)),
			 -EADDRNOTAVAIL);
	assert_int_equal(ns_udp_bind(a, sin4(&s4, "10.0.0.2", 53), sizeof(s4)),
			 0);
	assert_string_equal(
	    name_str((ns_udp_name(a, false, &ss, &len), &ss), buf),
	    "10.0.0.2:53");
	assert_int_equal(ns_udp_bind(a, sin4(&s4, "10.0.0.2", 54), sizeof(s4)),
			 -EINVAL);
	assert_int_equal(ns_udp_bind(b, sin4(&s4, "0.0.0.0", 53), sizeof(s4)),
			 -EADDRINUSE);
	assert_int_equal(ns_udp_bind(b, sin4(&s4, "127.0.0.1", 0), sizeof(s4)),
			 0);
	assert_int_not_equal(local_port(b), 0);
	ns_udp_close(&a);
	assert_null(a);
	ns_udp_close(&b);
	ns_udp_close(&b); /* NULL: nothing */
	assert_int_equal(ns_udp_new(&a, AF_INET6), 0);
	assert_int_equal(ns_udp_name(a, false, &ss, &len), 0);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_string_equal(name_str(&ss, buf), "[::]:0");
	assert_int_equal(ns_udp_bind(a, sin6(&s6, "fd00::9", 53), sizeof(s6)),
			 -EADDRNOTAVAIL);
	assert_int_equal(ns_udp_bind(a, sin6(&s6, "fd00::2", 53), sizeof(s6)),
			 0);
	ns_udp_close(&a);
}

/**
 * test_rx_frame() - A datagram from eth0: notify, peek, drop
 * @state:	Unused
 */
static void test_rx_frame(void **state)
{
	struct ns_udp *u = bound(AF_INET, "0.0.0.0", 5353);
	unsigned int ev = 0;
	struct iovec iov[4];
	struct ns_dgram d;
	struct ns_stats st;
	char buf[64];

	ns_udp_set_notify(u, on_event, &ev);
	assert_int_equal(ns_udp_peek(u, iov, 4, &d), 0);
	dgram(false, peer_ip, 40000, 5353, "query", 5);
	assert_true(ev & NS_EV_READABLE);
	assert_int_equal(ns_udp_queued(u), 1);
	ns_get_stats(&st);
	assert_int_equal(st.pbufs, 1);
	assert_int_equal(ns_udp_peek(u, iov, 4, &d), 1);
	assert_int_equal(d.len, 5);
	assert_int_equal(d.iovcnt, 1);
	assert_int_equal(iov[0].iov_len, 5);
	assert_memory_equal(iov[0].iov_base, "query", 5);
	assert_int_equal(d.srclen, sizeof(struct sockaddr_in));
	assert_string_equal(name_str(&d.src, buf), "10.0.0.1:40000");
	assert_int_equal(d.dst.ifindex, NS_IFINDEX_ETH0);
	assert_true(d.dst.v4);
	assert_memory_equal(&d.dst.addr4, our_ip, 4);
	/* peek again: the same datagram */
	assert_int_equal(ns_udp_peek(u, iov, 4, &d), 1);
	assert_int_equal(d.len, 5);
	ns_udp_drop(u);
	assert_int_equal(ns_udp_queued(u), 0);
	assert_int_equal(ns_udp_peek(u, iov, 4, &d), 0);
	ns_udp_drop(u); /* empty: nothing */
	ns_get_stats(&st);
	assert_int_equal(st.pbufs, 0);
	/* a closed port answers with ICMP port unreachable */
	cap_reset();
	dgram(false, peer_ip, 40000, 5354, "x", 1);
	assert_int_not_equal(cap_proto(1, &(struct fr_info){0}), -1);
	ns_udp_close(&u);
}

/**
 * test_sendto_frame() - A datagram leaves as a correct UDP frame
 * @state:	Unused
 */
static void test_sendto_frame(void **state)
{
	struct ns_udp *u = NULL;
	struct sockaddr_in sa;
	struct fr_info fi;
	int i;

	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	assert_int_equal(
	    send_str(u, "hello", sin4(&sa, "10.0.0.1", 53), sizeof(sa)), 5);
	i = cap_proto(17, &fi);
	assert_int_not_equal(i, -1);
	assert_memory_equal(cap.f[i], peer_mac, 6);
	assert_memory_equal(fi.src, our_ip, 4);
	assert_memory_equal(fi.dst, peer_ip, 4);
	assert_int_equal(fi.dport, 53);
	assert_int_equal(fi.sport, local_port(u)); /* autobound */
	assert_int_not_equal(fi.sport, 0);
	assert_int_equal(fi.len, 5);
	assert_memory_equal(fi.data, "hello", 5);
	/* an empty datagram is a datagram */
	cap_reset();
	assert_int_equal(
	    ns_udp_sendto(u, NULL, 0, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_not_equal(cap_proto(17, &fi), -1);
	assert_int_equal(fi.len, 0);
	ns_udp_close(&u);
}

/**
 * test_sendto_arp() - An unknown neighbour is resolved, then sent to
 * @state:	Unused
 */
static void test_sendto_arp(void **state)
{
	struct ns_udp *u = NULL;
	struct sockaddr_in sa;
	struct iovec iov[2] = {{.iov_base = "ab", .iov_len = 2},
			       {.iov_base = "cde", .iov_len = 3}};
	struct fr_info fi;
	int i;

	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	assert_int_equal(
	    ns_udp_sendto(u, iov, 2, sin4(&sa, "10.0.0.3", 7777), sizeof(sa)),
	    5);
	assert_int_equal(cap_proto(17, &fi), -1);
	assert_true(cap_arp(&fi));
	assert_memory_equal(fi.arp_tpa, other_ip, 4);
	cap_reset();
	ns_input_frame(frame,
		       fr_arp(frame, 2, other_mac, other_ip, our_mac, our_ip));
	i = cap_proto(17, &fi);
	assert_int_not_equal(i, -1);
	assert_memory_equal(cap.f[i], other_mac, 6);
	assert_memory_equal(fi.dst, other_ip, 4);
	assert_int_equal(fi.dport, 7777);
	assert_memory_equal(fi.data, "abcde", 5);
	ns_udp_close(&u);
}

/**
 * test_sendto_v6() - IPv6 datagram out, and one in on the same socket
 * @state:	Unused
 */
static void test_sendto_v6(void **state)
{
	struct ns_udp *u = NULL;
	struct sockaddr_in6 sa;
	struct iovec iov[2];
	struct ns_dgram d;
	struct fr_info fi;
	char buf[64];

	assert_int_equal(ns_udp_new(&u, AF_INET6), 0);
	assert_int_equal(
	    send_str(u, "six", sin6(&sa, "fd00::1", 53), sizeof(sa)), 3);
	assert_int_not_equal(cap_proto(17, &fi), -1);
	assert_true(fi.v6);
	assert_memory_equal(fi.src, our_ip6, 16);
	assert_memory_equal(fi.dst, peer_ip6, 16);
	assert_int_equal(fi.dport, 53);
	assert_memory_equal(fi.data, "six", 3);
	dgram(true, peer_ip6, 53, fi.sport, "answer", 6);
	assert_int_equal(ns_udp_peek(u, iov, 2, &d), 1);
	assert_string_equal(name_str(&d.src, buf), "[fd00::1]:53");
	assert_false(d.dst.v4);
	assert_memory_equal(&d.dst.addr6, our_ip6, 16);
	assert_int_equal(d.dst.ifindex, NS_IFINDEX_ETH0);
	ns_udp_close(&u);
}

/**
 * loop_pair() - Two sockets talk over loopback
 * @family:	AF_INET or AF_INET6
 * @bindip:	Address the server binds
 * @dstip:	Address the client sends to
 * @src:	Source the server should see, as name_str() prints it
 */
static void loop_pair(int family, const char *bindip, const char *dstip,
		      const char *src)
{
	struct ns_udp *s = bound(family, bindip, 7000), *c = NULL;
	unsigned int sev = 0, cev = 0;
	struct sockaddr_storage ss, peer;
	struct iovec iov[2];
	struct ns_dgram d;
	socklen_t len;
	char buf[64], want[64];

	ns_udp_set_notify(s, on_event, &sev);
	assert_int_equal(ns_udp_new(&c, family), 0);
	ns_udp_set_notify(c, on_event, &cev);
	if (family == AF_INET) {
		sin4((struct sockaddr_in *)&ss, dstip, 7000);
		len = sizeof(struct sockaddr_in);
	} else {
		sin6((struct sockaddr_in6 *)&ss, dstip, 7000);
		len = sizeof(struct sockaddr_in6);
	}
	assert_int_equal(send_str(c, "ping", (struct sockaddr *)&ss, len), 4);
	assert_int_equal(ns_timeout_ms(), 0);
	pump(sev & NS_EV_READABLE);
	assert_int_equal(ns_udp_peek(s, iov, 2, &d), 1);
	assert_int_equal(d.len, 4);
	assert_memory_equal(iov[0].iov_base, "ping", 4);
	snprintf(want, sizeof(want), src, local_port(c));
	assert_string_equal(name_str(&d.src, buf), want);
	assert_int_equal(d.dst.ifindex, NS_IFINDEX_LO);
	/* answer to the source, as recvfrom() + sendto() would */
	peer = d.src;
	ns_udp_drop(s);
	assert_int_equal(
	    send_str(s, "pong!", (struct sockaddr *)&peer, d.srclen), 5);
	pump(cev & NS_EV_READABLE);
	assert_int_equal(ns_udp_peek(c, iov, 2, &d), 1);
	assert_int_equal(d.len, 5);
	ns_udp_drop(c);
	ns_udp_close(&c);
	ns_udp_close(&s);
}

/**
 * test_loopback_v4() - 127.0.0.1 between two sockets, nothing leaves
 * @state:	Unused
 */
static void test_loopback_v4(void **state)
{
	loop_pair(AF_INET, "127.0.0.1", "127.0.0.1", "127.0.0.1:%u");
	assert_int_equal(cap.n, 0);
}

/**
 * test_loopback_v6() - ::1 between two sockets, nothing leaves
 * @state:	Unused
 */
static void test_loopback_v6(void **state)
{
	loop_pair(AF_INET6, "::1", "::1", "[::1]:%u");
	assert_int_equal(cap.n, 0);
}

/**
 * test_loopback_any_127() - All of 127.0.0.0/8 is lo's, as on Linux
 * @state:	Unused
 *
 * Docker's embedded DNS is 127.0.0.11: a socket bound there receives, and
 * its answers come from there.
 */
static void test_loopback_any_127(void **state)
{
	loop_pair(AF_INET, "127.0.0.11", "127.0.0.11", "127.0.0.1:%u");
	loop_pair(AF_INET, "0.0.0.0", "127.1.2.3", "127.0.0.1:%u");
	loop_pair(AF_INET6, "::", "::ffff:127.0.0.11", "[::ffff:127.0.0.1]:%u");
	assert_int_equal(cap.n, 0);
}

/**
 * test_loopback_127_connected() - A resolver's connected socket hears
 * 127.0.0.11:53, whose answers come from that address; the link cannot
 * reach it
 * @state:	Unused
 */
static void test_loopback_127_connected(void **state)
{
	struct ns_udp *s = bound(AF_INET, "127.0.0.11", 53), *c = NULL;
	struct fr_udp u = {.smac = peer_mac,
			   .dmac = our_mac,
			   .sport = 4000,
			   .dport = 53,
			   .data = "q",
			   .len = 1};
	unsigned int sev = 0, cev = 0;
	struct sockaddr_storage peer;
	struct sockaddr_in sa;
	struct iovec iov[2];
	struct ns_dgram d;
	char buf[64];

	ns_udp_set_notify(s, on_event, &sev);
	assert_int_equal(ns_udp_new(&c, AF_INET), 0);
	ns_udp_set_notify(c, on_event, &cev);
	assert_int_equal(
	    ns_udp_connect(c, sin4(&sa, "127.0.0.11", 53), sizeof(sa)), 0);
	assert_int_equal(send_str(c, "q", NULL, 0), 1);
	pump(sev & NS_EV_READABLE);
	assert_int_equal(ns_udp_peek(s, iov, 2, &d), 1);
	peer = d.src;
	ns_udp_drop(s);
	assert_int_equal(
	    send_str(s, "answer", (struct sockaddr *)&peer, d.srclen), 6);
	pump(cev & NS_EV_READABLE);
	assert_int_equal(ns_udp_peek(c, iov, 2, &d), 1);
	assert_int_equal(d.len, 6);
	assert_string_equal(name_str(&d.src, buf), "127.0.0.11:53");
	assert_int_equal(cap.n, 0);
	ns_udp_drop(c);
	ns_udp_close(&c);
	memcpy(u.src, peer_ip, 4);
	/* from the link, 127/8 is a martian: not queued */
	u.dst[0] = 127;
	u.dst[3] = 11;
	ns_input_frame(frame, fr_udp(frame, &u));
	ns_poll();
	assert_int_equal(ns_udp_queued(s), 0);
	ns_udp_close(&s);
}

/**
 * test_loopback_127_shared() - 127.0.0.11:53 and a wildcard :53 coexist
 * when both ask for SO_REUSEADDR; each gets its own datagrams
 * @state:	Unused
 */
static void test_loopback_127_shared(void **state)
{
	struct ns_udp *s = NULL, *w = NULL, *c = NULL;
	unsigned int sev = 0, wev = 0;
	struct sockaddr_in sa;

	assert_int_equal(ns_udp_new(&s, AF_INET), 0);
	assert_int_equal(ns_udp_setopt(s, NS_OPT_REUSEADDR, 1), 0);
	assert_int_equal(
	    ns_udp_bind(s, sin4(&sa, "127.0.0.11", 53), sizeof(sa)), 0);
	ns_udp_set_notify(s, on_event, &sev);
	assert_int_equal(ns_udp_new(&w, AF_INET), 0);
	assert_int_equal(ns_udp_bind(w, sin4(&sa, "0.0.0.0", 53), sizeof(sa)),
			 -EADDRINUSE);
	assert_int_equal(ns_udp_setopt(w, NS_OPT_REUSEADDR, 1), 0);
	assert_int_equal(ns_udp_bind(w, sin4(&sa, "0.0.0.0", 53), sizeof(sa)),
			 0);
	ns_udp_set_notify(w, on_event, &wev);
	assert_int_equal(ns_udp_new(&c, AF_INET), 0);
	assert_int_equal(
	    send_str(c, "a", sin4(&sa, "127.0.0.11", 53), sizeof(sa)), 1);
	pump(sev & NS_EV_READABLE);
	assert_int_equal(ns_udp_queued(w), 0);
	assert_int_equal(
	    send_str(c, "b", sin4(&sa, "127.0.0.1", 53), sizeof(sa)), 1);
	pump(wev & NS_EV_READABLE);
	assert_int_equal(ns_udp_queued(s), 1);
	ns_udp_close(&c);
	ns_udp_close(&w);
	ns_udp_close(&s);
}

/**
 * test_loopback_own_addr() - Our eth0 addresses and :: loop back
 * @state:	Unused
 */
static void test_loopback_own_addr(void **state)
{
	loop_pair(AF_INET, "0.0.0.0", "10.0.0.2", "10.0.0.2:%u");
	loop_pair(AF_INET6, "::", "fd00::2", "[fd00::2]:%u");
	loop_pair(AF_INET6, "::", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]:%u");
	loop_pair(AF_INET, "0.0.0.0", "0.0.0.0", "127.0.0.1:%u");
	assert_int_equal(cap.n, 0);
}

static struct {
	unsigned int n;
	uint8_t f[8][128];
	size_t len[8];
} lo;

/**
 * lo_tap() - Loopback capture callback: keep the frames
 * @ctx:	Unused
 * @iov:	Pseudo-Ethernet frame
 * @iovcnt:	Pieces
 */
static void lo_tap(void *ctx, const struct iovec *iov, int iovcnt)
{
	size_t at = 0;
	int i;

	(void)ctx;
	assert_true(lo.n < 8);
	for (i = 0; i < iovcnt; i++) {
		assert_true(at + iov[i].iov_len <= sizeof(lo.f[0]));
		memcpy(lo.f[lo.n] + at, iov[i].iov_base, iov[i].iov_len);
		at += iov[i].iov_len;
	}
	lo.len[lo.n++] = at;
}

/**
 * test_loop_tap() - Every looped-back packet is shown once, as Linux's lo
 * shows it (zero MACs), and nothing else is
 * @state:	Unused
 */
static void test_loop_tap(void **state)
{
	static const uint8_t zero[12];
	const char *want[] = {"ping",  "pong!", "ping",
			      "pong!", "ping",	"pong!"};
	const uint16_t type[] = {0x0800, 0x0800, 0x86dd,
				 0x86dd, 0x0800, 0x0800};
	unsigned int i;

	memset(&lo, 0, sizeof(lo));
	ns_set_loop_tap(lo_tap, NULL);
	loop_pair(AF_INET, "127.0.0.1", "127.0.0.1", "127.0.0.1:%u");
	loop_pair(AF_INET6, "::1", "::1", "[::1]:%u");
	loop_pair(AF_INET, "0.0.0.0", "10.0.0.2", "10.0.0.2:%u");
	assert_int_equal(cap.n, 0); /* nothing on eth0 */
	/* a frame from the link is not loopback */
	dgram(false, peer_ip, 53, 9, "x", 1);
	ns_set_loop_tap(NULL, NULL);
	loop_pair(AF_INET, "127.0.0.1", "127.0.0.1", "127.0.0.1:%u");
	assert_int_equal(lo.n, 6);
	for (i = 0; i < 6; i++) {
		assert_memory_equal(lo.f[i], zero, 12);
		assert_int_equal(lo.f[i][12] << 8 | lo.f[i][13], type[i]);
		/* no L4 checksum on loopback: read the bytes, not fr_parse() */
		assert_int_equal(lo.f[i][type[i] == 0x0800 ? 14 + 9 : 14 + 6],
				 17);
		assert_int_equal(lo.len[i], 14 + (type[i] == 0x0800 ? 20 : 40) +
						8 + strlen(want[i]));
		assert_memory_equal(lo.f[i] + lo.len[i] - strlen(want[i]),
				    want[i], strlen(want[i]));
	}
	assert_int_equal(i == 6 && lo.f[4][14 + 12] == 10, 1); /* own addr */
}

/**
 * test_no_eth0() - Without eth0 only loopback works
 * @state:	Unused
 */
static void test_no_eth0(void **state)
{
	struct ns_udp *u = NULL;
	struct sockaddr_in sa;

	loop_pair(AF_INET, "127.0.0.1", "127.0.0.1", "127.0.0.1:%u");
	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	assert_int_equal(
	    send_str(u, "x", sin4(&sa, "10.0.0.1", 53), sizeof(sa)),
	    -ENETUNREACH);
	assert_int_equal(ns_udp_connect(u, (struct sockaddr *)&sa, sizeof(sa)),
			 -ENETUNREACH);
	ns_udp_close(&u);
	assert_int_equal(cap.n, 0);
}

/**
 * test_dual_stack() - IPv4 to an AF_INET6 socket: v4-mapped; V6ONLY: none
 * @state:	Unused
 */
static void test_dual_stack(void **state)
{
	struct ns_udp *u = bound(AF_INET6, "::", 5000), *o = NULL;
	struct sockaddr_in6 sa;
	struct iovec iov[2];
	struct ns_dgram d;
	struct fr_info fi;
	char buf[64], a[INET6_ADDRSTRLEN];
	int v;

	dgram(false, peer_ip, 40000, 5000, "v4", 2);
	assert_int_equal(ns_udp_peek(u, iov, 2, &d), 1);
	assert_int_equal(d.srclen, sizeof(struct sockaddr_in6));
	assert_string_equal(name_str(&d.src, buf), "[::ffff:10.0.0.1]:40000");
	assert_true(d.dst.v4);
	assert_memory_equal(&d.dst.addr4, our_ip, 4);
	inet_ntop(AF_INET6, &d.dst.addr6, a, sizeof(a));
	assert_string_equal(a, "::ffff:10.0.0.2");
	ns_udp_drop(u);
	/* sendto a v4-mapped address leaves as IPv4 */
	assert_int_equal(send_str(u, "back",
				  sin6(&sa, "::ffff:10.0.0.1", 40000),
				  sizeof(sa)),
			 4);
	assert_int_not_equal(cap_proto(17, &fi), -1);
	assert_false(fi.v6);
	assert_int_equal(fi.sport, 5000);
	ns_udp_close(&u);

	assert_int_equal(ns_udp_new(&o, AF_INET6), 0);
	assert_int_equal(ns_udp_setopt(o, NS_OPT_V6ONLY, 1), 0);
	assert_int_equal(ns_udp_getopt(o, NS_OPT_V6ONLY, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ns_udp_bind(o, sin6(&sa, "::", 5001), sizeof(sa)), 0);
	assert_int_equal(ns_udp_setopt(o, NS_OPT_V6ONLY, 0), -EINVAL);
	dgram(false, peer_ip, 40000, 5001, "v4", 2);
	assert_int_equal(ns_udp_queued(o), 0);
	dgram(true, peer_ip6, 40000, 5001, "v6", 2);
	assert_int_equal(ns_udp_queued(o), 1);
	assert_int_equal(
	    send_str(o, "x", sin6(&sa, "::ffff:10.0.0.1", 9), sizeof(sa)),
	    -ENETUNREACH);
	ns_udp_close(&o);
}

/**
 * test_connect_filter() - A connected socket takes only its peer's data
 * @state:	Unused
 */
static void test_connect_filter(void **state)
{
	static const uint8_t far_ip[4] = {192, 0, 2, 1};
	struct ns_udp *u = NULL;
	struct sockaddr_storage ss;
	struct sockaddr_in sa;
	struct sockaddr un = {.sa_family = AF_UNSPEC};
	struct fr_info fi;
	socklen_t len;
	char buf[64];
	uint16_t port;

	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	assert_int_equal(
	    ns_udp_connect(u, sin4(&sa, "10.0.0.1", 53), sizeof(sa)), 0);
	port = local_port(u);
	assert_int_not_equal(port, 0);
	/* connect() fixed the local address, as on Linux */
	assert_int_equal(ns_udp_name(u, false, &ss, &len), 0);
	snprintf(buf, sizeof(buf), "10.0.0.2:%u", port);
	assert_string_equal(name_str(&ss, (char[64]){0}), buf);
	assert_int_equal(ns_udp_name(u, true, &ss, &len), 0);
	assert_string_equal(name_str(&ss, buf), "10.0.0.1:53");
	dgram(false, peer_ip, 53, port, "ok", 2);
	dgram(false, peer_ip, 54, port, "no", 2);
	dgram(false, far_ip, 53, port, "no", 2);
	assert_int_equal(ns_udp_queued(u), 1);
	ns_udp_drop(u);
	/* no destination: the peer */
	cap_reset();
	assert_int_equal(send_str(u, "q", NULL, 0), 1);
	assert_int_not_equal(cap_proto(17, &fi), -1);
	assert_int_equal(fi.dport, 53);
	assert_int_equal(fi.sport, port);
	/* AF_UNSPEC disconnects and gives the autobound port back */
	assert_int_equal(ns_udp_connect(u, &un, sizeof(un)), 0);
	assert_int_equal(ns_udp_name(u, true, &ss, &len), -ENOTCONN);
	assert_int_equal(ns_udp_name(u, false, &ss, &len), 0);
	assert_string_equal(name_str(&ss, buf), "0.0.0.0:0");
	assert_int_equal(send_str(u, "q", NULL, 0), -EDESTADDRREQ);
	ns_udp_close(&u);

	/* an explicit bind survives the disconnect */
	u = bound(AF_INET, "0.0.0.0", 6000);
	assert_int_equal(
	    ns_udp_connect(u, sin4(&sa, "127.0.0.1", 53), sizeof(sa)), 0);
	assert_int_equal(ns_udp_name(u, false, &ss, &len), 0);
	assert_string_equal(name_str(&ss, buf), "127.0.0.1:6000");
	assert_int_equal(ns_udp_connect(u, &un, sizeof(un)), 0);
	assert_int_equal(ns_udp_name(u, false, &ss, &len), 0);
	assert_string_equal(name_str(&ss, buf), "0.0.0.0:6000");
	assert_int_equal(ns_udp_connect(u, &un, 1), -EINVAL);
	ns_udp_close(&u);
}

/**
 * icmp_unreach() - The peer answers a captured datagram with an ICMP error
 * @i:		Index of the captured frame to quote
 * @v6:		ICMPv6
 * @code:	Code (v4 3, v6 4: port unreachable)
 * @bad_csum:	Corrupt the ICMP checksum
 */
static void icmp_unreach(int i, bool v6, uint8_t code, bool bad_csum)
{
	struct fr_icmp ic = {
	    .smac = peer_mac,
	    .dmac = our_mac,
	    .v6 = v6,
	    .type = v6 ? 1 : 3,
	    .code = code,
	    .quote = cap.f[i] + 14,
	    .qlen = cap.len[i] - 14,
	};
	size_t n;

	memcpy(ic.src, v6 ? peer_ip6 : peer_ip, v6 ? 16 : 4);
	memcpy(ic.dst, v6 ? our_ip6 : our_ip, v6 ? 16 : 4);
	n = fr_icmp(frame, &ic);
	if (bad_csum)
		frame[14 + (v6 ? 40 : 20) + 2] ^= 0x55;
	ns_input_frame(frame, n);
}

/**
 * test_icmp_refused() - Port unreachable: -ECONNREFUSED on connected only
 * @state:	Unused
 */
static void test_icmp_refused(void **state)
{
	struct ns_udp *c = NULL, *un = NULL;
	unsigned int cev = 0, uev = 0;
	struct sockaddr_in sa;
	struct sockaddr_in6 sa6;
	struct fr_info fi;
	int i;

	assert_int_equal(ns_udp_new(&c, AF_INET), 0);
	assert_int_equal(ns_udp_new(&un, AF_INET), 0);
	ns_udp_set_notify(c, on_event, &cev);
	ns_udp_set_notify(un, on_event, &uev);
	assert_int_equal(
	    ns_udp_connect(c, sin4(&sa, "10.0.0.1", 9), sizeof(sa)), 0);
	assert_int_equal(send_str(c, "knock", NULL, 0), 5);
	i = cap_proto(17, &fi);
	assert_int_not_equal(i, -1);
	icmp_unreach(i, false, 3, true); /* bad checksum: ignored */
	assert_int_equal(cev, 0);
	icmp_unreach(i, false, 1, false); /* host unreachable: soft */
	assert_int_equal(cev, 0);
	icmp_unreach(i, false, 3, false);
	assert_true(cev & NS_EV_ERROR);
	assert_int_equal(ns_udp_take_error(c), -ECONNREFUSED);
	assert_int_equal(ns_udp_take_error(c), 0);
	/* the same for a socket that is not connected: nothing */
	cap_reset();
	assert_int_equal(
	    send_str(un, "knock", (struct sockaddr *)&sa, sizeof(sa)), 5);
	i = cap_proto(17, &fi);
	icmp_unreach(i, false, 3, false);
	assert_int_equal(uev, 0);
	assert_int_equal(ns_udp_take_error(un), 0);
	ns_udp_close(&un);
	ns_udp_close(&c);

	/* ICMPv6 port unreachable */
	cev = 0;
	assert_int_equal(ns_udp_new(&c, AF_INET6), 0);
	ns_udp_set_notify(c, on_event, &cev);
	assert_int_equal(
	    ns_udp_connect(c, sin6(&sa6, "fd00::1", 9), sizeof(sa6)), 0);
	cap_reset();
	assert_int_equal(send_str(c, "knock", NULL, 0), 5);
	i = cap_proto(17, &fi);
	assert_int_not_equal(i, -1);
	icmp_unreach(i, true, 4, false);
	assert_true(cev & NS_EV_ERROR);
	assert_int_equal(ns_udp_take_error(c), -ECONNREFUSED);
	ns_udp_close(&c);
}

/**
 * test_icmp_loopback() - A connected socket to a closed loopback port
 * @state:	Unused
 *
 * lwIP itself answers with port unreachable over lo, as Linux does.
 */
static void test_icmp_loopback(void **state)
{
	struct ns_udp *c = NULL;
	unsigned int ev = 0;
	struct sockaddr_in sa;
	struct sockaddr_in6 sa6;

	assert_int_equal(ns_udp_new(&c, AF_INET), 0);
	ns_udp_set_notify(c, on_event, &ev);
	assert_int_equal(
	    ns_udp_connect(c, sin4(&sa, "127.0.0.1", 9), sizeof(sa)), 0);
	assert_int_equal(send_str(c, "knock", NULL, 0), 5);
	pump(ev & NS_EV_ERROR);
	assert_int_equal(ns_udp_take_error(c), -ECONNREFUSED);
	ns_udp_close(&c);
	ev = 0;
	assert_int_equal(ns_udp_new(&c, AF_INET6), 0);
	ns_udp_set_notify(c, on_event, &ev);
	assert_int_equal(ns_udp_connect(c, sin6(&sa6, "::1", 9), sizeof(sa6)),
			 0);
	assert_int_equal(send_str(c, "knock", NULL, 0), 5);
	pump(ev & NS_EV_ERROR);
	assert_int_equal(ns_udp_take_error(c), -ECONNREFUSED);
	ns_udp_close(&c);
	assert_int_equal(cap.n, 0);
}

/**
 * big_loop() - Send @len bytes to a loopback socket and check them
 * @family:	AF_INET or AF_INET6
 * @ip:		Loopback address
 * @len:	Payload length
 */
static void big_loop(int family, const char *ip, size_t len)
{
	struct ns_udp *s = bound(family, ip, 7001), *c = NULL;
	struct iovec in = {.iov_base = big, .iov_len = len}, iov[8];
	struct sockaddr_storage ss;
	struct ns_dgram d;
	socklen_t sl;

	assert_int_equal(ns_udp_name(s, false, &ss, &sl), 0);
	assert_int_equal(ns_udp_new(&c, family), 0);
	assert_int_equal(ns_udp_sendto(c, &in, 1, (struct sockaddr *)&ss, sl),
			 (ssize_t)len);
	pump(ns_udp_queued(s) == 1);
	assert_int_equal(ns_udp_peek(s, iov, 8, &d), 1);
	assert_int_equal(d.len, len);
	assert_int_equal(d.iovcnt, 1);
	assert_memory_equal(iov[0].iov_base, big, len);
	ns_udp_close(&c);
	ns_udp_close(&s);
}

/**
 * test_emsgsize() - Datagram size limits
 * @state:	Unused
 */
static void test_emsgsize(void **state)
{
	struct ns_udp *u = NULL;
	struct sockaddr_in sa;
	struct sockaddr_in6 sa6;
	struct iovec iov[2] = {{.iov_base = big, .iov_len = 65507},
			       {.iov_base = big, .iov_len = 1}};
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	assert_int_equal(ns_udp_new(&u, AF_INET6), 0);
	sin4(&sa, "127.0.0.1", 9);
	sin6(&sa6, "::1", 9);
	assert_int_equal(
	    ns_udp_sendto(u, iov, 2, (struct sockaddr *)&sa, sizeof(sa)),
	    -EMSGSIZE);
	iov[0].iov_len = 65487;
	assert_int_equal(
	    ns_udp_sendto(u, iov, 2, (struct sockaddr *)&sa6, sizeof(sa6)),
	    -EMSGSIZE);
	ns_udp_close(&u);
	big_loop(AF_INET, "127.0.0.1", 65507);
	big_loop(AF_INET6, "::1", 65487);
}

/**
 * test_fragmented_out() - A datagram over the MTU leaves in fragments
 * @state:	Unused
 */
static void test_fragmented_out(void **state)
{
	struct ns_udp *u = NULL;
	struct iovec iov = {.iov_base = big, .iov_len = 4000};
	struct sockaddr_in sa;
	struct fr_info fi;
	int i, frags = 0;

	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	assert_int_equal(
	    ns_udp_sendto(u, &iov, 1, sin4(&sa, "10.0.0.1", 53), sizeof(sa)),
	    4000);
	for (i = 0; i < cap.n; i++) {
		assert_int_equal(fr_parse(cap.f[i], cap.len[i], &fi), 0);
		assert_true(cap.len[i] <= 1514);
		frags += fi.frag;
	}
	assert_int_equal(frags, 3);
	ns_udp_close(&u);
}

/**
 * reassemble() - Feed a datagram in IPv4 fragments, check what is queued
 * @u:		Socket bound to port 5000
 * @len:	Payload length
 *
 * Return: iovecs the datagram occupies
 */
static int reassemble(struct ns_udp *u, size_t len)
{
	struct fr_udp fu = {
	    .smac = peer_mac,
	    .dmac = our_mac,
	    .sport = 53,
	    .dport = 5000,
	    .data = big,
	    .len = len,
	};
	struct iovec iov[64];
	struct ns_dgram d;
	size_t off, n, got = 0;
	int i;

	memcpy(fu.src, peer_ip, 4);
	memcpy(fu.dst, our_ip, 4);
	fr_udp(whole, &fu);
	for (off = 0; off < len + 8; off += n) {
		n = len + 8 - off < 1480 ? len + 8 - off : 1480;
		ns_input_frame(frame, fr_ip4_frag(frame, whole, off, n));
	}
	assert_int_equal(ns_udp_peek(u, iov, 64, &d), 1);
	assert_int_equal(d.len, len);
	for (i = 0; i < d.iovcnt; i++) {
		assert_memory_equal(iov[i].iov_base, big + got, iov[i].iov_len);
		got += iov[i].iov_len;
	}
	assert_int_equal(got, len);
	return d.iovcnt;
}

/**
 * test_reassembly() - A fragmented datagram arrives whole, several iovecs
 * @state:	Unused
 */
static void test_reassembly(void **state)
{
	struct ns_udp *u = bound(AF_INET, "0.0.0.0", 5000);
	struct iovec iov[1];
	struct ns_dgram d;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13);
	assert_true(reassemble(u, 3000) > 1);
	/* a short iovec array describes a prefix */
	assert_int_equal(ns_udp_peek(u, iov, 1, &d), 1);
	assert_int_equal(d.iovcnt, 1);
	assert_true(iov[0].iov_len < 3000);
	ns_udp_drop(u);
	/* 41 fragments: more than lwIP's default IP_REASS_MAX_PBUFS */
	assert_int_equal(reassemble(u, 60000), 41);
	ns_udp_close(&u);
}

/**
 * test_broadcast() - Broadcast needs NS_OPT_BROADCAST
 * @state:	Unused
 */
static void test_broadcast(void **state)
{
	struct ns_udp *u = NULL;
	struct sockaddr_in sa, sb;
	struct fr_info fi;
	int i, v;

	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	sin4(&sa, "255.255.255.255", 67);
	sin4(&sb, "10.0.0.255", 67);
	assert_int_equal(send_str(u, "x", (struct sockaddr *)&sa, sizeof(sa)),
			 -EACCES);
	assert_int_equal(send_str(u, "x", (struct sockaddr *)&sb, sizeof(sb)),
			 -EACCES);
	assert_int_equal(ns_udp_connect(u, (struct sockaddr *)&sa, sizeof(sa)),
			 -EACCES);
	assert_int_equal(cap.n, 0);
	assert_int_equal(ns_udp_getopt(u, NS_OPT_BROADCAST, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ns_udp_setopt(u, NS_OPT_BROADCAST, 1), 0);
	assert_int_equal(ns_udp_getopt(u, NS_OPT_BROADCAST, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(send_str(u, "x", (struct sockaddr *)&sa, sizeof(sa)),
			 1);
	i = cap_proto(17, &fi);
	assert_int_not_equal(i, -1);
	assert_memory_equal(cap.f[i], bcast_mac, 6);
	assert_int_equal(fi.dport, 67);
	ns_udp_close(&u);
}

/**
 * test_queue_bound() - A full queue drops, counted in rx_drops
 * @state:	Unused
 */
static void test_queue_bound(void **state)
{
	struct ns_udp *u = bound(AF_INET, "0.0.0.0", 5000);
	struct ns_stats st0, st;
	int i;

	ns_get_stats(&st0);
	for (i = 0; i < NS_UDP_RCVQ_MAX + 10; i++)
		dgram(false, peer_ip, 53, 5000, &i, sizeof(i));
	assert_int_equal(ns_udp_queued(u), NS_UDP_RCVQ_MAX);
	ns_get_stats(&st);
	assert_int_equal(st.rx_drops - st0.rx_drops, 10);
	assert_int_equal(st.pbufs, NS_UDP_RCVQ_MAX);
	while (ns_udp_queued(u))
		ns_udp_drop(u);
	/* bytes: 60000-byte datagrams, 17 fit in 1 MiB */
	for (i = 0; i < 18; i++)
		dgram(false, peer_ip, 53, 5000, big, 60000);
	assert_int_equal(ns_udp_queued(u), NS_UDP_RCVBUF / 60000);
	ns_udp_drop(u);
	dgram(false, peer_ip, 53, 5000, big, 60000);
	assert_int_equal(ns_udp_queued(u), NS_UDP_RCVBUF / 60000);
	ns_udp_close(&u);
}

/**
 * test_sendto_errors() - Linux's sendto() errors
 * @state:	Unused
 */
static void test_sendto_errors(void **state)
{
	struct ns_udp *u = NULL, *v = NULL;
	struct sockaddr_in sa;
	struct sockaddr_in6 sa6;
	struct sockaddr un = {.sa_family = AF_UNIX};

	assert_int_equal(ns_udp_new(&u, AF_INET), 0);
	assert_int_equal(send_str(u, "x", NULL, 0), -EDESTADDRREQ);
	assert_int_equal(send_str(u, "x", sin4(&sa, "10.0.0.1", 0), sizeof(sa)),
			 -EINVAL);
	assert_int_equal(send_str(u, "x", (struct sockaddr *)&sa, 4), -EINVAL);
	assert_int_equal(send_str(u, "x", sin6(&sa6, "::1", 9), sizeof(sa6)),
			 -EAFNOSUPPORT);
	assert_int_equal(local_port(u), 0); /* nothing sent, not bound */
	assert_int_equal(ns_udp_new(&v, AF_INET6), 0);
	assert_int_equal(send_str(v, "x", &un, sizeof(un)), -EINVAL);
	assert_int_equal(
	    send_str(v, "x", sin6(&sa6, "2001:db8::1", 9), sizeof(sa6)), 1);
	/* an AF_INET destination on an AF_INET6 socket is IPv4 */
	assert_int_equal(send_str(v, "x", sin4(&sa, "10.0.0.1", 9), sizeof(sa)),
			 1);
	ns_udp_close(&v);
	ns_udp_close(&u);
}

/**
 * test_options() - setopt/getopt, SO_REUSEADDR on a shared port
 * @state:	Unused
 */
static void test_options(void **state)
{
	struct ns_udp *a = NULL, *b = NULL;
	struct sockaddr_in sa;
	int v;

	assert_int_equal(ns_udp_new(&a, AF_INET), 0);
	assert_int_equal(ns_udp_new(&b, AF_INET), 0);
	assert_int_equal(ns_udp_setopt(a, NS_OPT_NODELAY, 1), -ENOPROTOOPT);
	assert_int_equal(ns_udp_getopt(a, NS_OPT_KEEPIDLE, &v), -ENOPROTOOPT);
	assert_int_equal(ns_udp_setopt(a, NS_OPT_V6ONLY, 1), -ENOPROTOOPT);
	assert_int_equal(ns_udp_setopt(a, NS_OPT_REUSEADDR, 1), 0);
	assert_int_equal(ns_udp_getopt(a, NS_OPT_REUSEADDR, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ns_udp_setopt(b, NS_OPT_REUSEADDR, 1), 0);
	assert_int_equal(ns_udp_bind(a, sin4(&sa, "0.0.0.0", 5000), sizeof(sa)),
			 0);
	assert_int_equal(ns_udp_bind(b, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ns_udp_close(&a);
	ns_udp_close(&b);
}

/**
 * test_fini_frees() - ns_fini() frees open sockets and their queues
 * @state:	Unused
 */
static void test_fini_frees(void **state)
{
	struct ns_udp *u = bound(AF_INET, "0.0.0.0", 5000);
	struct ns_stats st;

	dgram(false, peer_ip, 53, 5000, "left", 4);
	dgram(false, peer_ip, 53, 5000, "over", 4);
	ns_get_stats(&st);
	assert_int_equal(st.udps, 1);
	assert_int_equal(st.pbufs, 2);
	(void)u;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_bind_errors, up, down),
	    cmocka_unit_test_setup_teardown(test_rx_frame, up, down),
	    cmocka_unit_test_setup_teardown(test_sendto_frame, up, down),
	    cmocka_unit_test_setup_teardown(test_sendto_arp, up, down),
	    cmocka_unit_test_setup_teardown(test_sendto_v6, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_v4, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_v6, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_own_addr, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_any_127, up, down),
	    cmocka_unit_test_setup_teardown(test_loopback_127_connected, up,
					    down),
	    cmocka_unit_test_setup_teardown(test_loopback_127_shared, up, down),
	    cmocka_unit_test_setup_teardown(test_loop_tap, up, down),
	    cmocka_unit_test_setup_teardown(test_no_eth0, up_noeth, down),
	    cmocka_unit_test_setup_teardown(test_dual_stack, up, down),
	    cmocka_unit_test_setup_teardown(test_connect_filter, up, down),
	    cmocka_unit_test_setup_teardown(test_icmp_refused, up, down),
	    cmocka_unit_test_setup_teardown(test_icmp_loopback, up, down),
	    cmocka_unit_test_setup_teardown(test_emsgsize, up, down),
	    cmocka_unit_test_setup_teardown(test_fragmented_out, up, down),
	    cmocka_unit_test_setup_teardown(test_reassembly, up, down),
	    cmocka_unit_test_setup_teardown(test_broadcast, up, down),
	    cmocka_unit_test_setup_teardown(test_queue_bound, up, down),
	    cmocka_unit_test_setup_teardown(test_sendto_errors, up, down),
	    cmocka_unit_test_setup_teardown(test_options, up, down),
	    cmocka_unit_test_setup_teardown(test_fini_frees, up, down_fini),
	};

	return cmocka_run_group_tests_name("netstack_udp", tests, NULL, NULL);
}
