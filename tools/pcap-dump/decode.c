// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode.c - pcap-dump's one line per frame
 *
 * See decode.h for the theory of operation.
 */
#include "decode.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

/**
 * struct line - a line being written
 * @buf:	Destination
 * @size:	Its size
 * @at:		Bytes written so far (never past @size - 1)
 */
struct line {
	char *buf;
	size_t size;
	size_t at;
};

/**
 * struct frame - captured bytes
 * @p:		Bytes
 * @caplen:	How many were captured
 */
struct frame {
	const uint8_t *p;
	size_t caplen;
};

/**
 * out() - Append formatted text, truncating at the end of the buffer
 * @l:		Line
 * @fmt:	printf format
 */
__attribute__((format(printf, 2, 3))) static void out(struct line *l,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->at + 1 >= l->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->at, l->size - l->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->at = MIN(l->at + (size_t)n, l->size - 1);
}

/**
 * get() - Bounds-checked view of captured bytes
 * @f:		Frame
 * @off:	Offset
 * @n:		Bytes wanted
 *
 * Return: pointer to @n bytes at @off, or NULL if they were not captured
 */
static const uint8_t *get(const struct frame *f, size_t off, size_t n)
{
	if (off > f->caplen || n > f->caplen - off)
		return NULL;
	return f->p + off;
}

/**
 * be16() - Big-endian 16 bits
 * @p:	Two bytes
 *
 * Return: value
 */
static unsigned int be16(const uint8_t *p)
{
	return (unsigned int)(p[0] << 8 | p[1]);
}

/**
 * be32() - Big-endian 32 bits
 * @p:	Four bytes
 *
 * Return: value
 */
static unsigned int be32(const uint8_t *p)
{
	return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
	       (unsigned int)p[2] << 8 | p[3];
}

/**
 * tcp_flags() - tcpdump's flag letters
 * @b:		Flags byte
 * @s:		Result, at least 9 bytes
 */
static void tcp_flags(uint8_t b, char *s)
{
	static const struct {
		uint8_t bit;
		char c;
	} t[] = {{0x02, 'S'}, {0x01, 'F'}, {0x04, 'R'}, {0x08, 'P'},
		 {0x20, 'U'}, {0x40, 'E'}, {0x80, 'W'}, {0x10, '.'}};
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (b & t[i].bit)
			s[n++] = t[i].c;
	s[n] = '\0';
	if (!n)
		strcpy(s, "none");
}

/**
 * endpoint() - "a.b.c.d:port" or "[v6]:port" (port < 0: no port)
 * @buf:	Result, INET6_ADDRSTRLEN + 10 bytes
 * @v6:		IPv6 address
 * @a:		Address bytes
 * @port:	Port or -1
 */
static void endpoint(char *buf, bool v6, const uint8_t *a, int port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, a, s, sizeof(s));
	if (port < 0)
		snprintf(buf, INET6_ADDRSTRLEN + 10, "%s", s);
	else if (v6)
		snprintf(buf, INET6_ADDRSTRLEN + 10, "[%s]:%d", s, port);
	else
		snprintf(buf, INET6_ADDRSTRLEN + 10, "%s:%d", s, port);
}

/**
 * l4() - Protocol, endpoints and details of a transport header
 * @l:		Line
 * @f:		Frame
 * @off:	Offset of the transport header
 * @end:	End of the IP payload (by the IP header's length)
 * @proto:	IP protocol number
 * @v6:		IPv6
 * @src:	Source address bytes
 * @dst:	Destination address bytes
 * @first:	First fragment (or not fragmented): ports are there
 */
static void l4(struct line *l, const struct frame *f, size_t off, size_t end,
	       unsigned int proto, bool v6, const uint8_t *src,
	       const uint8_t *dst, bool first)
{
	char a[INET6_ADDRSTRLEN + 10], b[INET6_ADDRSTRLEN + 10], fl[10];
	const uint8_t *h = first ? get(f, off, 20) : NULL;
	const uint8_t *u = first ? get(f, off, 8) : NULL;
	size_t hl;

	if (proto == 6 && h) {
		endpoint(a, v6, src, (int)be16(h));
		endpoint(b, v6, dst, (int)be16(h + 2));
		tcp_flags(h[13], fl);
		hl = (size_t)(h[12] >> 4) * 4;
		out(l, "TCP %s > %s [%s] seq %u ack %u len %zu", a, b, fl,
		    be32(h + 4), be32(h + 8),
		    end > off + hl ? end - off - hl : 0);
		return;
	}
	if (proto == 17 && u) {
		endpoint(a, v6, src, (int)be16(u));
		endpoint(b, v6, dst, (int)be16(u + 2));
		out(l, "UDP %s > %s len %zu", a, b,
		    end > off + 8 ? end - off - 8 : 0);
		return;
	}
	endpoint(a, v6, src, -1);
	endpoint(b, v6, dst, -1);
	if ((proto == 1 || proto == 58) && u)
		out(l, "%s %s > %s type %u code %u",
		    proto == 1 ? "ICMP" : "ICMP6", a, b, u[0], u[1]);
	else
		out(l, "IP proto %u %s > %s%s", proto, a, b,
		    first ? "" : " (fragment)");
}

/**
 * ipv4() - An IPv4 packet
 * @l:		Line
 * @f:		Frame
 * @off:	Offset of the IP header
 */
static void ipv4(struct line *l, const struct frame *f, size_t off)
{
	const uint8_t *ip = get(f, off, 20);
	size_t hl, tot;

	if (!ip || (ip[0] >> 4) != 4) {
		out(l, "IP (truncated)");
		return;
	}
	hl = (size_t)(ip[0] & 0xf) * 4;
	tot = be16(ip + 2);
	l4(l, f, off + hl, off + MAX(tot, hl), ip[9], false, ip + 12, ip + 16,
	   !(be16(ip + 6) & 0x1fff));
}

/**
 * ipv6() - An IPv6 packet, past its extension headers
 * @l:		Line
 * @f:		Frame
 * @off:	Offset of the IPv6 header
 */
static void ipv6(struct line *l, const struct frame *f, size_t off)
{
	const uint8_t *ip = get(f, off, 40), *x;
	size_t at = off + 40, end;
	unsigned int nh, i;
	bool first = true;

	if (!ip || (ip[0] >> 4) != 6) {
		out(l, "IP6 (truncated)");
		return;
	}
	end = at + be16(ip + 4);
	nh = ip[6];
	for (i = 0; i < 8 && (nh == 0 || nh == 43 || nh == 44 || nh == 60);
	     i++) {
		x = get(f, at, 8);
		if (!x)
			break;
		if (nh == 44) {
			first = !(be16(x + 2) & 0xfff8);
			at += 8;
		} else {
			at += ((size_t)x[1] + 1) * 8;
		}
		nh = x[0];
	}
	l4(l, f, at, end, nh, true, ip + 8, ip + 24, first);
}

/**
 * arp() - An ARP packet (Ethernet, IPv4)
 * @l:		Line
 * @f:		Frame
 * @off:	Offset of the ARP header
 */
static void arp(struct line *l, const struct frame *f, size_t off)
{
	const uint8_t *a = get(f, off, 28);
	char s[INET_ADDRSTRLEN], t[INET_ADDRSTRLEN];

	if (!a) {
		out(l, "ARP (truncated)");
		return;
	}
	inet_ntop(AF_INET, a + 14, s, sizeof(s));
	inet_ntop(AF_INET, a + 24, t, sizeof(t));
	if (be16(a + 6) == 1)
		out(l, "ARP who-has %s tell %s", t, s);
	else
		out(l, "ARP reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x", s,
		    a[8], a[9], a[10], a[11], a[12], a[13]);
}

/**
 * decode_line() - One line for one captured frame
 * @ts:		Capture time
 * @frame:	Captured bytes
 * @caplen:	Their number
 * @len:	Frame length on the wire
 * @buf:	Result (NUL-terminated, no newline)
 * @size:	Size of @buf
 *
 * Return: length of the line
 */
int decode_line(const struct timespec *ts, const uint8_t *frame, size_t caplen,
		size_t len, char *buf, size_t size)
{
	static const uint8_t zero[12];
	const struct frame f = {frame, caplen};
	struct line l = {buf, size, 0};
	const uint8_t *eth = get(&f, 0, 14);
	struct tm tm;
	time_t t = ts->tv_sec;

	buf[0] = '\0';
	localtime_r(&t, &tm);
	out(&l, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts->tv_nsec / 1000);
	if (!eth) {
		out(&l, "(truncated), length %zu", len);
		return (int)l.at;
	}
	out(&l, "%s ", memcmp(eth, zero, 12) ? "eth0" : "lo");
	switch (be16(eth + 12)) {
	case 0x0800:
		ipv4(&l, &f, 14);
		break;
	case 0x86dd:
		ipv6(&l, &f, 14);
		break;
	case 0x0806:
		arp(&l, &f, 14);
		break;
	default:
		out(&l, "ethertype 0x%04x", be16(eth + 12));
	}
	out(&l, ", length %zu", len);
	return (int)l.at;
}
