/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * frames.h - build and parse Ethernet frames for netstack unit tests
 *
 * Builders write one whole frame (Ethernet, ARP or IPv4/IPv6 + TCP, UDP,
 * ICMP errors or echo messages, with correct checksums) into a caller's
 * buffer. fr_parse() decodes a frame the stack sent and verifies its IP,
 * TCP and UDP checksums; fr_icmp_csum_ok() checks an ICMP one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FR_MAX 0x10000 /* bytes: largest frame handled */

#define FR_FIN 0x01
#define FR_SYN 0x02
#define FR_RST 0x04
#define FR_PSH 0x08
#define FR_ACK 0x10

/**
 * struct fr_tcp - one TCP segment to build
 * @smac:	Source MAC
 * @dmac:	Destination MAC
 * @v6:		IPv6 (addresses are 16 bytes) instead of IPv4 (4 bytes)
 * @src:	Source address, network order
 * @dst:	Destination address
 * @sport:	Source port, host order
 * @dport:	Destination port
 * @seq:	Sequence number
 * @ack:	Acknowledgement number
 * @flags:	FR_* bits
 * @win:	Window field as sent (already scaled down)
 * @mss:	MSS option, 0 for none
 * @wscale:	Window scale option, -1 for none
 * @data:	Payload, may be NULL when @len is 0
 * @len:	Payload length
 */
struct fr_tcp {
	const uint8_t *smac, *dmac;
	bool v6;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss;
	int wscale;
	const void *data;
	size_t len;
};

/**
 * struct fr_udp - one UDP datagram to build
 * @smac:	Source MAC
 * @dmac:	Destination MAC
 * @v6:		IPv6 (addresses are 16 bytes) instead of IPv4 (4 bytes)
 * @src:	Source address, network order
 * @dst:	Destination address
 * @sport:	Source port, host order
 * @dport:	Destination port
 * @data:	Payload, may be NULL when @len is 0
 * @len:	Payload length
 */
struct fr_udp {
	const uint8_t *smac, *dmac;
	bool v6;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	const void *data;
	size_t len;
};

/**
 * struct fr_icmp - one ICMP or ICMPv6 error to build
 * @smac:	Source MAC
 * @dmac:	Destination MAC
 * @v6:		ICMPv6 over IPv6 instead of ICMP over IPv4
 * @src:	Source address (the router or host reporting)
 * @dst:	Destination address (the sender of @quote)
 * @type:	ICMP type (3 / ICMPv6 1: destination unreachable)
 * @code:	ICMP code (3 / ICMPv6 4: port unreachable)
 * @quote:	Start of the offending IP packet, from its IP header
 * @qlen:	Bytes of @quote to include
 */
struct fr_icmp {
	const uint8_t *smac, *dmac;
	bool v6;
	uint8_t src[16], dst[16];
	uint8_t type, code;
	const uint8_t *quote;
	size_t qlen;
};

/**
 * struct fr_echo - one ICMP or ICMPv6 echo request or reply to build
 * @smac:	Source MAC
 * @dmac:	Destination MAC
 * @v6:		ICMPv6 over IPv6 instead of ICMP over IPv4
 * @src:	Source address
 * @dst:	Destination address
 * @type:	ICMP type (8 request, 0 reply; ICMPv6: 128, 129)
 * @id:		Identifier
 * @seq:	Sequence number
 * @bad_csum:	Write a wrong checksum
 * @data:	Payload after the 8-byte header, may be NULL when @len is 0
 * @len:	Payload length
 */
struct fr_echo {
	const uint8_t *smac, *dmac;
	bool v6;
	uint8_t src[16], dst[16];
	uint8_t type;
	uint16_t id, seq;
	bool bad_csum;
	const void *data;
	size_t len;
};

/**
 * struct fr_info - what fr_parse() found
 * @ethertype:	0x0806 ARP, 0x0800 IPv4, 0x86dd IPv6
 * @arp_op:	ARP opcode (1 request, 2 reply)
 * @arp_sha:	ARP sender MAC
 * @arp_spa:	ARP sender IPv4 address
 * @arp_tpa:	ARP target IPv4 address
 * @v6:		IPv6 packet
 * @proto:	IP protocol / next header
 * @src:	Source address (4 or 16 bytes used)
 * @dst:	Destination address
 * @frag:	IPv4 fragment: @data is the raw fragment payload
 * @sport:	TCP or UDP source port
 * @dport:	TCP or UDP destination port
 * @seq:	TCP sequence number
 * @ack:	TCP acknowledgement number
 * @flags:	TCP flags
 * @win:	TCP window field
 * @mss:	MSS option, 0 if absent
 * @wscale:	Window scale option, -1 if absent
 * @data:	TCP or UDP payload (other protocols: the IP payload)
 * @len:	Its length
 */
struct fr_info {
	uint16_t ethertype;
	uint16_t arp_op;
	uint8_t arp_sha[6];
	uint8_t arp_spa[4], arp_tpa[4];
	bool v6;
	uint8_t proto;
	uint8_t src[16], dst[16];
	bool frag;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss;
	int wscale;
	const uint8_t *data;
	size_t len;
};

size_t fr_arp(uint8_t *buf, uint16_t op, const uint8_t *smac,
	      const uint8_t *sip, const uint8_t *dmac, const uint8_t *dip);
size_t fr_ndp_ns(uint8_t *buf, const uint8_t *smac, const uint8_t *sip,
		 const uint8_t *tip);
size_t fr_tcp(uint8_t *buf, const struct fr_tcp *t);
size_t fr_udp(uint8_t *buf, const struct fr_udp *u);
size_t fr_icmp(uint8_t *buf, const struct fr_icmp *ic);
size_t fr_echo(uint8_t *buf, const struct fr_echo *e);
bool fr_icmp_csum_ok(const struct fr_info *in);
size_t fr_ip4_frag(uint8_t *buf, const uint8_t *packet, size_t off, size_t len);
int fr_parse(const uint8_t *f, size_t len, struct fr_info *out);
