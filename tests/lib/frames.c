// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * frames.c - build and parse Ethernet frames for netstack unit tests
 */
#include "frames.h"

#include <string.h>

/**
 * put16() - Store a big-endian 16-bit value
 * @p:	Destination
 * @v:	Value
 */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/**
 * put32() - Store a big-endian 32-bit value
 * @p:	Destination
 * @v:	Value
 */
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/**
 * get16() - Load a big-endian 16-bit value
 * @p:	Source
 *
 * Return: the value
 */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/**
 * get32() - Load a big-endian 32-bit value
 * @p:	Source
 *
 * Return: the value
 */
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/**
 * csum_add() - Add bytes to a ones' complement sum
 * @sum:	Running sum
 * @p:		Bytes
 * @len:	Number of bytes
 *
 * Return: the new running sum (not folded)
 */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/**
 * csum_fold() - Fold and complement a ones' complement sum
 * @sum:	Running sum
 *
 * Return: the checksum
 */
static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/**
 * pseudo() - Sum of the IPv4 or IPv6 pseudo header
 * @v6:		IPv6
 * @src:	Source address
 * @dst:	Destination address
 * @proto:	Protocol
 * @len:	Upper-layer length
 *
 * Return: running sum
 */
static uint32_t pseudo(bool v6, const uint8_t *src, const uint8_t *dst,
		       uint8_t proto, size_t len)
{
	size_t alen = v6 ? 16 : 4;
	uint32_t sum = 0;

	sum = csum_add(sum, src, alen);
	sum = csum_add(sum, dst, alen);
	return sum + proto + (uint32_t)len;
}

/**
 * eth() - Write an Ethernet header
 * @buf:	Frame start
 * @dmac:	Destination MAC
 * @smac:	Source MAC
 * @type:	Ethertype
 *
 * Return: 14
 */
static size_t eth(uint8_t *buf, const uint8_t *dmac, const uint8_t *smac,
		  uint16_t type)
{
	memcpy(buf, dmac, 6);
	memcpy(buf + 6, smac, 6);
	put16(buf + 12, type);
	return 14;
}

/**
 * ip_hdr() - Write an IPv4 or IPv6 header
 * @buf:	Where
 * @v6:		IPv6
 * @src:	Source address
 * @dst:	Destination address
 * @proto:	Protocol / next header
 * @plen:	Payload length
 * @ttl:	TTL / hop limit
 *
 * Return: header length
 */
static size_t ip_hdr(uint8_t *buf, bool v6, const uint8_t *src,
		     const uint8_t *dst, uint8_t proto, size_t plen,
		     uint8_t ttl)
{
	if (v6) {
		memset(buf, 0, 40);
		buf[0] = 0x60;
		put16(buf + 4, (uint16_t)plen);
		buf[6] = proto;
		buf[7] = ttl;
		memcpy(buf + 8, src, 16);
		memcpy(buf + 24, dst, 16);
		return 40;
	}
	memset(buf, 0, 20);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)(20 + plen));
	put16(buf + 6, 0x4000); /* DF */
	buf[8] = ttl;
	buf[9] = proto;
	memcpy(buf + 12, src, 4);
	memcpy(buf + 16, dst, 4);
	put16(buf + 10, csum_fold(csum_add(0, buf, 20)));
	return 20;
}

/**
 * fr_arp() - Build an ARP request or reply
 * @buf:	Output, at least 42 bytes
 * @op:		1 request, 2 reply
 * @smac:	Sender MAC
 * @sip:	Sender IPv4 address
 * @dmac:	Target MAC (Ethernet destination; broadcast for requests)
 * @dip:	Target IPv4 address
 *
 * Return: frame length
 */
size_t fr_arp(uint8_t *buf, uint16_t op, const uint8_t *smac,
	      const uint8_t *sip, const uint8_t *dmac, const uint8_t *dip)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t zero[6];
	uint8_t *a = buf + eth(buf, op == 1 ? bcast : dmac, smac, 0x0806);

	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, smac, 6);
	memcpy(a + 14, sip, 4);
	memcpy(a + 18, op == 1 ? zero : dmac, 6);
	memcpy(a + 24, dip, 4);
	return 42;
}

/**
 * fr_ndp_ns() - Build an IPv6 neighbour solicitation with our MAC in it
 * @buf:	Output, at least 86 bytes
 * @smac:	Sender MAC (also the source link-layer address option)
 * @sip:	Sender IPv6 address
 * @tip:	Target IPv6 address (sent to its solicited-node group)
 *
 * Return: frame length
 */
size_t fr_ndp_ns(uint8_t *buf, const uint8_t *smac, const uint8_t *sip,
		 const uint8_t *tip)
{
	uint8_t dst[16] = {0xff, 0x02, [11] = 1, [12] = 0xff};
	uint8_t dmac[6] = {0x33, 0x33, 0xff};
	uint8_t *ip, *ic;
	size_t off;

	memcpy(dst + 13, tip + 13, 3);
	memcpy(dmac + 3, tip + 13, 3);
	off = eth(buf, dmac, smac, 0x86dd);
	ip = buf + off;
	ic = ip + ip_hdr(ip, true, sip, dst, 58, 32, 255);
	memset(ic, 0, 32);
	ic[0] = 135;
	memcpy(ic + 8, tip, 16);
	ic[24] = 1; /* source link-layer address */
	ic[25] = 1;
	memcpy(ic + 26, smac, 6);
	put16(ic + 2,
	      csum_fold(csum_add(pseudo(true, sip, dst, 58, 32), ic, 32)));
	return off + 40 + 32;
}

/**
 * fr_tcp() - Build an Ethernet + IPv4/IPv6 + TCP frame
 * @buf:	Output, at least FR_MAX bytes
 * @t:		Segment description
 *
 * Return: frame length
 */
size_t fr_tcp(uint8_t *buf, const struct fr_tcp *t)
{
	size_t off, hl = 20, olen = 0;
	uint8_t *ip, *th;
	uint8_t opt[12];

	if (t->mss) {
		opt[olen++] = 2;
		opt[olen++] = 4;
		put16(opt + olen, t->mss);
		olen += 2;
	}
	if (t->wscale >= 0) {
		opt[olen++] = 1; /* NOP */
		opt[olen++] = 3;
		opt[olen++] = 3;
		opt[olen++] = (uint8_t)t->wscale;
	}
	hl += olen;
	off = eth(buf, t->dmac, t->smac, t->v6 ? 0x86dd : 0x0800);
	ip = buf + off;
	th = ip + ip_hdr(ip, t->v6, t->src, t->dst, 6, hl + t->len, 64);
	memset(th, 0, hl);
	put16(th, t->sport);
	put16(th + 2, t->dport);
	put32(th + 4, t->seq);
	put32(th + 8, t->ack);
	th[12] = (uint8_t)((hl / 4) << 4);
	th[13] = t->flags;
	put16(th + 14, t->win);
	memcpy(th + 20, opt, olen);
	if (t->len)
		memcpy(th + hl, t->data, t->len);
	put16(th + 16,
	      csum_fold(csum_add(pseudo(t->v6, t->src, t->dst, 6, hl + t->len),
				 th, hl + t->len)));
	return (size_t)(th - buf) + hl + t->len;
}

/**
 * fr_udp() - Build an Ethernet + IPv4/IPv6 + UDP frame
 * @buf:	Output, at least FR_MAX bytes
 * @u:		Datagram description; @len at most FR_MAX - 62
 *
 * Return: frame length
 */
size_t fr_udp(uint8_t *buf, const struct fr_udp *u)
{
	size_t off, ulen = 8 + u->len;
	uint8_t *ip, *uh;
	uint16_t sum;

	off = eth(buf, u->dmac, u->smac, u->v6 ? 0x86dd : 0x0800);
	ip = buf + off;
	uh = ip + ip_hdr(ip, u->v6, u->src, u->dst, 17, ulen, 64);
	put16(uh, u->sport);
	put16(uh + 2, u->dport);
	put16(uh + 4, (uint16_t)ulen);
	put16(uh + 6, 0);
	if (u->len)
		memcpy(uh + 8, u->data, u->len);
	sum = csum_fold(
	    csum_add(pseudo(u->v6, u->src, u->dst, 17, ulen), uh, ulen));
	put16(uh + 6, sum ? sum : 0xffff);
	return (size_t)(uh - buf) + ulen;
}

/**
 * fr_icmp() - Build an ICMP or ICMPv6 error quoting an IP packet
 * @buf:	Output, at least FR_MAX bytes
 * @ic:		Error description
 *
 * Return: frame length
 */
size_t fr_icmp(uint8_t *buf, const struct fr_icmp *ic)
{
	uint8_t proto = ic->v6 ? 58 : 1;
	size_t off, mlen = 8 + ic->qlen;
	uint32_t sum;
	uint8_t *ip, *m;

	off = eth(buf, ic->dmac, ic->smac, ic->v6 ? 0x86dd : 0x0800);
	ip = buf + off;
	m = ip + ip_hdr(ip, ic->v6, ic->src, ic->dst, proto, mlen, 64);
	memset(m, 0, 8);
	m[0] = ic->type;
	m[1] = ic->code;
	memcpy(m + 8, ic->quote, ic->qlen);
	sum = ic->v6 ? pseudo(true, ic->src, ic->dst, proto, mlen) : 0;
	put16(m + 2, csum_fold(csum_add(sum, m, mlen)));
	return (size_t)(m - buf) + mlen;
}

/**
 * fr_echo() - Build an ICMP or ICMPv6 echo request or reply
 * @buf:	Output, at least FR_MAX bytes
 * @e:		Message description; @len at most FR_MAX - 62
 *
 * Return: frame length
 */
size_t fr_echo(uint8_t *buf, const struct fr_echo *e)
{
	uint8_t proto = e->v6 ? 58 : 1;
	size_t off, mlen = 8 + e->len;
	uint32_t sum;
	uint8_t *ip, *m;

	off = eth(buf, e->dmac, e->smac, e->v6 ? 0x86dd : 0x0800);
	ip = buf + off;
	m = ip + ip_hdr(ip, e->v6, e->src, e->dst, proto, mlen, 64);
	memset(m, 0, 8);
	m[0] = e->type;
	put16(m + 4, e->id);
	put16(m + 6, e->seq);
	if (e->len)
		memcpy(m + 8, e->data, e->len);
	sum = e->v6 ? pseudo(true, e->src, e->dst, proto, mlen) : 0;
	put16(m + 2, (uint16_t)(csum_fold(csum_add(sum, m, mlen)) ^
				(e->bad_csum ? 0x5a5a : 0)));
	return (size_t)(m - buf) + mlen;
}

/**
 * fr_icmp_csum_ok() - Verify the checksum of a parsed ICMP/ICMPv6 message
 * @in:		fr_parse() result with @proto 1 or 58 (@data is the message)
 *
 * Return: true if the checksum is right
 */
bool fr_icmp_csum_ok(const struct fr_info *in)
{
	uint32_t sum = 0;

	if (in->v6)
		sum = pseudo(true, in->src, in->dst, 58, in->len);
	return csum_fold(csum_add(sum, in->data, in->len)) == 0;
}

/**
 * fr_ip4_frag() - Cut one IPv4 fragment out of a whole frame
 * @buf:	Output, at least FR_MAX bytes
 * @packet:	Ethernet frame with an unfragmented IPv4 packet (20-byte
 *		header), as fr_udp() builds it
 * @off:	Offset into the IP payload, a multiple of 8
 * @len:	Payload bytes in this fragment; the last fragment ends the
 *		payload (more-fragments is clear)
 *
 * Return: frame length
 */
size_t fr_ip4_frag(uint8_t *buf, const uint8_t *packet, size_t off, size_t len)
{
	const uint8_t *ip = packet + 14;
	size_t plen = get16(ip + 2) - 20u;
	uint8_t *o = buf + 14;
	uint16_t fo = (uint16_t)(off / 8);

	memcpy(buf, packet, 14 + 20);
	if (off + len < plen)
		fo |= 0x2000; /* more fragments */
	put16(o + 2, (uint16_t)(20 + len));
	put16(o + 4, 0x4242); /* identification */
	put16(o + 6, fo);
	put16(o + 10, 0);
	put16(o + 10, csum_fold(csum_add(0, o, 20)));
	memcpy(o + 20, ip + 20 + off, len);
	return 14 + 20 + len;
}

/**
 * parse_udp() - Decode and verify a UDP datagram
 * @uh:		UDP header
 * @len:	Datagram length (IP payload)
 * @out:	Filled in (src, dst, v6 already set)
 *
 * Return: 0, or -1 for a bad length or checksum
 */
static int parse_udp(const uint8_t *uh, size_t len, struct fr_info *out)
{
	size_t ulen;

	if (len < 8)
		return -1;
	ulen = get16(uh + 4);
	if (ulen < 8 || ulen > len)
		return -1;
	if (!get16(uh + 6) && out->v6)
		return -1;
	if (get16(uh + 6) &&
	    csum_fold(csum_add(pseudo(out->v6, out->src, out->dst, 17, ulen),
			       uh, ulen)))
		return -1;
	out->sport = get16(uh);
	out->dport = get16(uh + 2);
	out->data = uh + 8;
	out->len = ulen - 8;
	return 0;
}

/**
 * parse_opts() - Read MSS and window scale from TCP options
 * @o:		Options
 * @len:	Their length
 * @out:	mss and wscale set
 */
static void parse_opts(const uint8_t *o, size_t len, struct fr_info *out)
{
	size_t i = 0;

	while (i < len) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			break;
		if (o[i] == 2 && o[i + 1] == 4)
			out->mss = get16(o + i + 2);
		if (o[i] == 3 && o[i + 1] == 3)
			out->wscale = o[i + 2];
		i += o[i + 1];
	}
}

/**
 * parse_tcp() - Decode and verify a TCP segment
 * @th:		TCP header
 * @len:	Segment length
 * @out:	Filled in (src, dst, v6 already set)
 *
 * Return: 0, or -1 for a bad length or checksum
 */
static int parse_tcp(const uint8_t *th, size_t len, struct fr_info *out)
{
	size_t hl;

	if (len < 20)
		return -1;
	hl = (size_t)(th[12] >> 4) * 4;
	if (hl < 20 || hl > len)
		return -1;
	if (csum_fold(
		csum_add(pseudo(out->v6, out->src, out->dst, 6, len), th, len)))
		return -1;
	out->sport = get16(th);
	out->dport = get16(th + 2);
	out->seq = get32(th + 4);
	out->ack = get32(th + 8);
	out->flags = th[13];
	out->win = get16(th + 14);
	parse_opts(th + 20, hl - 20, out);
	out->data = th + hl;
	out->len = len - hl;
	return 0;
}

/**
 * parse_ip() - Decode an IPv4 or IPv6 packet
 * @p:		Packet
 * @len:	Bytes available
 * @v6:		IPv6
 * @out:	Filled in
 *
 * Return: 0, or -1 for a bad header or checksum
 */
static int parse_ip(const uint8_t *p, size_t len, bool v6, struct fr_info *out)
{
	size_t hl, tot;

	out->v6 = v6;
	if (v6) {
		if (len < 40 || 40 + (size_t)get16(p + 4) > len)
			return -1;
		out->proto = p[6];
		memcpy(out->src, p + 8, 16);
		memcpy(out->dst, p + 24, 16);
		hl = 40;
		tot = 40 + get16(p + 4);
	} else {
		if (len < 20)
			return -1;
		hl = (size_t)(p[0] & 0xf) * 4;
		tot = get16(p + 2);
		if (hl < 20 || tot < hl || tot > len ||
		    csum_fold(csum_add(0, p, hl)))
			return -1;
		out->proto = p[9];
		memcpy(out->src, p + 12, 4);
		memcpy(out->dst, p + 16, 4);
		out->frag = (get16(p + 6) & 0x3fff) != 0;
	}
	if (out->proto == 17 && !out->frag)
		return parse_udp(p + hl, tot - hl, out);
	if (out->proto != 6 || out->frag) {
		out->data = p + hl;
		out->len = tot - hl;
		return 0;
	}
	return parse_tcp(p + hl, tot - hl, out);
}

/**
 * fr_parse() - Decode a frame the stack sent
 * @f:		Frame
 * @len:	Its length
 * @out:	Filled in
 *
 * Return: 0, or -1 for a truncated frame or a bad checksum
 */
int fr_parse(const uint8_t *f, size_t len, struct fr_info *out)
{
	memset(out, 0, sizeof(*out));
	out->wscale = -1;
	if (len < 14)
		return -1;
	out->ethertype = get16(f + 12);
	switch (out->ethertype) {
	case 0x0806:
		if (len < 42)
			return -1;
		out->arp_op = get16(f + 20);
		memcpy(out->arp_sha, f + 22, 6);
		memcpy(out->arp_spa, f + 28, 4);
		memcpy(out->arp_tpa, f + 38, 4);
		return 0;
	case 0x0800:
		return parse_ip(f + 14, len - 14, false, out);
	case 0x86dd:
		return parse_ip(f + 14, len - 14, true, out);
	default:
		return -1;
	}
}
