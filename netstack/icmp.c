// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * icmp.c - ping sockets and raw ICMP sockets over lwIP's raw API
 *
 * Each struct ns_icmp owns one raw pcb, used only to send: it has no recv
 * callback, so lwIP's raw_input() passes it by. Input comes from the two
 * raw pcbs udp.c keeps for ICMP errors: their callbacks call
 * ns_icmp_input() with every ICMP and ICMPv6 message before lwIP's own ICMP
 * code runs, and never eat the packet, so lwIP still answers echo requests.
 * Each socket that wants the message gets a copy (lwIP turns an echo
 * request into its reply in place), queued as a struct ns_udp_dgram with
 * the UDP queue bounds.
 *
 * Linux rules kept here (net/ipv4/ping.c, raw.c, net/ipv6/raw.c):
 *   - ping sockets: the identifier is the socket's "port", one space for
 *     both families (ping_get_port()), autobound on connect or send; sends
 *     must be echo requests with code 0 and at least 8 bytes; the
 *     identifier and the checksum are ours to write; an echo reply goes to
 *     the first socket with its identifier whose local address (if any) is
 *     the reply's destination (ping_lookup()), checksum verified;
 *   - raw IPv4: sent as given; every message is delivered with its IP
 *     header, unverified; ICMP_FILTER blocks types 0..31;
 *   - raw IPv6: the checksum at offset 2 is computed on send and verified
 *     on receive; delivered without the IPv6 header; ICMP6_FILTER;
 *   - a bound address filters on the destination, a connected raw socket
 *     on the source; broadcast needs NS_OPT_BROADCAST (-EACCES).
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/icmp.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/prot/icmp6.h"

#include "base.h"

#define ICMP_MAX4 (0xffff - 20) /* message bytes: IPv4 total length */
/* IPv6: lwIP's 16-bit pbuf length also holds the IPv6 header */
#define ICMP_MAX6 (0xffff - 40)
#define ECHO_HLEN 8    /* type, code, checksum, identifier, sequence */
#define CSUM_OFF 2     /* checksum offset in ICMP and ICMPv6 */
#define ECHO_ID_OFF 4  /* identifier offset in echo messages */
#define DEFAULT_TTL 64 /* IP_DEFAULT_TTL, Linux's default */

/* last identifier handed out by autobind (ping_port_rover) */
static u16_t id_rover;

/**
 * notify() - Tell the owner about readiness changes
 * @s:		Socket
 * @ev:		NS_EV_* bits
 */
static void notify(struct ns_icmp *s, unsigned int ev)
{
	if (s->notify)
		s->notify(s->owner, ev);
}

/**
 * any_addr() - The wildcard local address of the socket's family
 * @s:		Socket
 *
 * Return: 0.0.0.0 or ::
 */
static const ip_addr_t *any_addr(const struct ns_icmp *s)
{
	return s->family == AF_INET ? IP4_ADDR_ANY : IP6_ADDR_ANY;
}

/**
 * proto() - The socket's IP protocol
 * @s:		Socket
 *
 * Return: IP_PROTO_ICMP or IP6_NEXTH_ICMP6
 */
static u8_t proto(const struct ns_icmp *s)
{
	return s->family == AF_INET ? IP_PROTO_ICMP : IP6_NEXTH_ICMP6;
}

/**
 * ns_icmp_new() - Create a ping socket or a raw ICMP socket
 * @out:	Set to the new socket on success, untouched on failure
 * @family:	AF_INET (ICMP) or AF_INET6 (ICMPv6)
 * @raw:	true: SOCK_RAW; false: SOCK_DGRAM (ping socket)
 *
 * Return: 0, -EAFNOSUPPORT, -ENOMEM or -ENETDOWN (no ns_init())
 */
int ns_icmp_new(struct ns_icmp **out, int family, bool raw)
{
	struct ns_icmp *s;

	if (!ns.up)
		return -ENETDOWN;
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->family = family;
	s->raw = raw;
	s->pcb = raw_new_ip_type(
	    family == AF_INET ? IPADDR_TYPE_V4 : IPADDR_TYPE_V6, proto(s));
	if (!s->pcb) {
		free(s);
		return -ENOMEM;
	}
	if (family == AF_INET6) {
		/* the stack fills in the ICMPv6 checksum (RFC 3542) */
		s->pcb->chksum_reqd = 1;
		s->pcb->chksum_offset = CSUM_OFF;
	}
	ip_addr_copy(s->peer, *any_addr(s));
	ns_rxq_init(&s->rx);
	ns_list_add_tail(&ns.icmps, &s->all);
	ns.stats.icmps++;
	*out = s;
	return 0;
}

/**
 * ns_icmp_close() - Close an ICMP socket and free its queued messages
 * @sp:		Socket; set to NULL. No notify is delivered for it afterwards.
 */
void ns_icmp_close(struct ns_icmp **sp)
{
	struct ns_icmp *s = *sp;

	if (!s)
		return;
	ns_rxq_purge(&s->rx);
	raw_remove(s->pcb);
	ns_list_del(&s->all);
	ns.stats.icmps--;
	free(s);
	*sp = NULL;
}

/**
 * ns_icmp_set_notify() - Set the readiness callback
 * @s:		Socket
 * @fn:		Callback, NULL for none: NS_EV_READABLE when a message is
 *		queued
 * @owner:	Cookie passed to @fn
 */
void ns_icmp_set_notify(struct ns_icmp *s, ns_notify_fn fn, void *owner)
{
	s->notify = fn;
	s->owner = owner;
}

/**
 * ns_icmp_setopt() - Set a socket option
 * @s:		Socket
 * @opt:	NS_OPT_REUSEADDR, NS_OPT_BROADCAST or NS_OPT_TTL
 * @val:	Value: non-zero is true; NS_OPT_TTL: 1..255 (IPv6: 0..255),
 *		-1 for the default
 *
 * Return: 0, -EINVAL (TTL out of range), -ENOPROTOOPT (other options)
 */
int ns_icmp_setopt(struct ns_icmp *s, enum ns_opt opt, int val)
{
	switch (opt) {
	case NS_OPT_REUSEADDR:
		s->reuseaddr = val != 0;
		return 0;
	case NS_OPT_BROADCAST:
		s->broadcast = val != 0;
		return 0;
	case NS_OPT_TTL:
		if (val == -1)
			val = DEFAULT_TTL;
		if (val > 255 || val < (s->family == AF_INET ? 1 : 0))
			return -EINVAL;
		s->pcb->ttl = (u8_t)val;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/**
 * ns_icmp_getopt() - Read a socket option
 * @s:		Socket
 * @opt:	NS_OPT_REUSEADDR, NS_OPT_BROADCAST or NS_OPT_TTL
 * @val:	Set to the value (0 or 1; the TTL)
 *
 * Return: 0, -ENOPROTOOPT
 */
int ns_icmp_getopt(const struct ns_icmp *s, enum ns_opt opt, int *val)
{
	switch (opt) {
	case NS_OPT_REUSEADDR:
		*val = s->reuseaddr;
		return 0;
	case NS_OPT_BROADCAST:
		*val = s->broadcast;
		return 0;
	case NS_OPT_TTL:
		*val = s->pcb->ttl;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/**
 * ns_icmp_set_filter() - ICMP6_FILTER (IPv6) or ICMP_FILTER (IPv4)
 * @s:		Raw socket
 * @filter:	256 bits, one per ICMP type (struct icmp6_filter layout:
 *		type t is bit t % 32 of @filter[t / 32]); a set bit blocks
 *		the type. IPv4 (ICMP_FILTER's one word) uses @filter[0] only.
 *
 * Return: 0, or -ENOPROTOOPT on a ping socket (as Linux)
 */
int ns_icmp_set_filter(struct ns_icmp *s, const uint32_t filter[8])
{
	if (!s->raw)
		return -ENOPROTOOPT;
	memset(s->filter, 0, sizeof(s->filter));
	memcpy(s->filter, filter,
	       s->family == AF_INET ? sizeof(u32_t) : sizeof(s->filter));
	return 0;
}

/**
 * ns_icmp_get_filter() - Read the filter set by ns_icmp_set_filter()
 * @s:		Raw socket
 * @filter:	Filled with the 256-bit block mask (all clear by default)
 *
 * Return: 0, or -ENOPROTOOPT on a ping socket
 */
int ns_icmp_get_filter(const struct ns_icmp *s, uint32_t filter[8])
{
	if (!s->raw)
		return -ENOPROTOOPT;
	memcpy(filter, s->filter, sizeof(s->filter));
	return 0;
}

/**
 * id_used() - Does another ping socket hold @id in a way @s may not share?
 * @s:		Socket asking
 * @id:		Identifier
 *
 * Return: true unless every other holder and @s set NS_OPT_REUSEADDR
 */
static bool id_used(const struct ns_icmp *s, u16_t id)
{
	const struct ns_icmp *o;
	struct ns_list *n;

	for (n = ns.icmps.next; n != &ns.icmps; n = n->next) {
		o = ns_container_of(n, struct ns_icmp, all);
		if (o == s || o->raw || o->ident != id)
			continue;
		if (!o->reuseaddr || !s->reuseaddr)
			return true;
	}
	return false;
}

/**
 * autobind() - Give a ping socket an identifier if it has none
 * @s:		Socket (raw sockets need none)
 *
 * Return: 0, or -EAGAIN when all 65535 identifiers are taken
 */
static int autobind(struct ns_icmp *s)
{
	u32_t i;

	if (s->raw || s->ident)
		return 0;
	for (i = 0; i < 0x10000; i++) {
		id_rover++;
		if (id_rover && !id_used(s, id_rover)) {
			s->ident = id_rover;
			return 0;
		}
	}
	return -EAGAIN;
}

/**
 * parse() - Convert an address for bind, connect or sendto
 * @s:		Socket
 * @sa:		Address
 * @len:	Its length
 * @connect:	true for connect() and sendto(), false for bind()
 * @ip:		Filled with the address (no dual stack: IPv6 stays IPv6)
 * @port:	Filled with the port, host order
 *
 * Return: 0, -EINVAL (short; v4-mapped on bind), -EAFNOSUPPORT (other
 * family), -ENETUNREACH (v4-mapped destination)
 */
static int parse(const struct ns_icmp *s, const struct sockaddr *sa,
		 socklen_t len, bool connect, ip_addr_t *ip, u16_t *port)
{
	if (s->family == AF_INET6 && len >= sizeof(sa_family_t) &&
	    sa->sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	return ns_addr_parse(s->family, true, sa, len, connect, ip, port);
}

/**
 * ns_icmp_bind() - Bind a local address and, for ping, the identifier
 * @s:		Socket
 * @sa:		Address; a ping socket's port field is the identifier (0:
 *		pick one), a raw socket's is ignored
 * @len:	Its length
 *
 * A raw socket may be bound again (only the address changes).
 *
 * Return: 0, -EINVAL (bad address, ping socket already bound, also by
 * autobind), -EAFNOSUPPORT, -EADDRNOTAVAIL (not our address), -EADDRINUSE
 * (identifier taken), -EAGAIN (no identifier left)
 */
int ns_icmp_bind(struct ns_icmp *s, const struct sockaddr *sa, socklen_t len)
{
	ip_addr_t ip;
	u16_t port;
	int ret;

	ret = parse(s, sa, len, false, &ip, &port);
	if (ret < 0)
		return ret;
	if (!ip_addr_isany(&ip) && !ns_addr_is_local(&ip))
		return -EADDRNOTAVAIL;
	if (!s->raw) {
		if (s->ident)
			return -EINVAL;
		if (port && id_used(s, port))
			return -EADDRINUSE;
		if (port)
			s->ident = port;
		ret = autobind(s);
		if (ret < 0)
			return ret;
		s->bound_id = true;
	}
	raw_bind(s->pcb, &ip);
	s->bound_addr = !ip_addr_isany(&ip);
	return 0;
}

/**
 * dest_check() - May a message go to @ip from @s?
 * @s:		Socket
 * @ip:		Destination, after ns_to_loopback()
 *
 * Return: 0, -EACCES (broadcast without NS_OPT_BROADCAST), -ENETUNREACH
 */
static int dest_check(const struct ns_icmp *s, const ip_addr_t *ip)
{
	if (ns_is_broadcast(ip)) {
		if (!s->broadcast)
			return -EACCES;
		return ns.cfg.present ? 0 : -ENETUNREACH;
	}
	return ns_route_check(ip);
}

/**
 * disconnect() - connect(AF_UNSPEC): forget the peer, as Linux does
 * @s:		Socket
 *
 * The local address goes back to the wildcard unless bind() gave one; an
 * identifier only autobound is released.
 *
 * Return: 0
 */
static int disconnect(struct ns_icmp *s)
{
	if (!s->bound_addr)
		ip_addr_copy(s->pcb->local_ip, *any_addr(s));
	if (!s->bound_id)
		s->ident = 0;
	ip_addr_copy(s->peer, *any_addr(s));
	s->peer_port = 0;
	s->connected = false;
	return 0;
}

/**
 * ns_icmp_connect() - Set the default destination
 * @s:		Socket
 * @sa:		Peer address; AF_UNSPEC disconnects
 * @len:	Its length
 *
 * A ping socket gets its identifier here if it has none. Unless bind()
 * gave an address, the local address becomes the one the route uses (so
 * replies must be sent to it). A raw socket then only receives messages
 * from the peer; a ping socket still takes replies from anyone, as on
 * Linux.
 *
 * Return: 0, -EINVAL, -EAFNOSUPPORT, -ENETUNREACH, -EACCES (broadcast
 * without NS_OPT_BROADCAST), -EADDRNOTAVAIL (no IPv6 source), -EAGAIN (no
 * identifier left)
 */
int ns_icmp_connect(struct ns_icmp *s, const struct sockaddr *sa, socklen_t len)
{
	ip_addr_t ip, src;
	u16_t port;
	int ret;

	if (!sa || len < sizeof(sa_family_t))
		return -EINVAL;
	if (sa->sa_family == AF_UNSPEC)
		return disconnect(s);
	ret = parse(s, sa, len, true, &ip, &port);
	if (ret < 0)
		return ret;
	ns_to_loopback(&ip);
	ret = dest_check(s, &ip);
	if (ret < 0)
		return ret;
	ip_addr_copy(src, s->pcb->local_ip);
	if (!s->bound_addr) {
		ret = ns_pick_source(&ip, &src);
		if (ret < 0)
			return ret;
	}
	ret = autobind(s);
	if (ret < 0)
		return ret;
	ip_addr_copy(s->pcb->local_ip, src);
	ip_addr_copy(s->peer, ip);
	s->peer_port = port;
	s->connected = true;
	return 0;
}

/**
 * ns_icmp_name() - Local or peer address (getsockname, getpeername)
 * @s:		Socket
 * @peer:	true for the peer's address
 * @ss:		Filled in: the port is a ping socket's identifier (0 while
 *		unbound), a raw socket's protocol (1 or 58), the port given
 *		to connect() for the peer
 * @len:	Set to the address length
 *
 * Return: 0, or -ENOTCONN for @peer when not connected
 */
int ns_icmp_name(const struct ns_icmp *s, bool peer,
		 struct sockaddr_storage *ss, socklen_t *len)
{
	if (!peer) {
		*len = ns_addr_format(s->family, &s->pcb->local_ip,
				      s->raw ? proto(s) : s->ident, ss);
		return 0;
	}
	if (!s->connected)
		return -ENOTCONN;
	*len = ns_addr_format(s->family, &s->peer, s->peer_port, ss);
	return 0;
}

/**
 * send_dest() - Where ns_icmp_sendto() sends, with Linux's address rules
 * @s:		Socket
 * @sa:		Destination given, NULL for the connected peer
 * @len:	Its length
 * @ip:		Filled with the destination address
 *
 * A raw IPv4 socket reads AF_UNSPEC as AF_INET (raw_sendmsg()).
 *
 * Return: 0, -EDESTADDRREQ (none given, not connected), -EINVAL (short
 * address), -EAFNOSUPPORT, -ENETUNREACH (v4-mapped IPv6 destination)
 */
static int send_dest(const struct ns_icmp *s, const struct sockaddr *sa,
		     socklen_t len, ip_addr_t *ip)
{
	struct sockaddr_in sin;
	u16_t port;
	int ret;

	if (!sa) {
		if (!s->connected)
			return -EDESTADDRREQ;
		ip_addr_copy(*ip, s->peer);
		return 0;
	}
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (s->raw && s->family == AF_INET && sa->sa_family == AF_UNSPEC) {
		if (len < sizeof(sin))
			return -EINVAL;
		memcpy(&sin, sa, sizeof(sin));
		sin.sin_family = AF_INET;
		return send_dest(s, (struct sockaddr *)&sin, sizeof(sin), ip);
	}
	ret = parse(s, sa, len, true, ip, &port);
	if (ret < 0)
		return ret;
	ns_to_loopback(ip);
	return 0;
}

/**
 * check_msg() - Linux's checks on the message a socket sends
 * @s:		Socket
 * @p:		Message (one pbuf, ICMP header first)
 *
 * Return: 0, or -EINVAL: a ping socket's message is not an echo request
 * with code 0 of at least 8 bytes; a raw IPv6 message has no room for the
 * checksum
 */
static int check_msg(const struct ns_icmp *s, const struct pbuf *p)
{
	const u8_t *m = p->payload;

	if (s->raw)
		return s->family == AF_INET6 && p->len < CSUM_OFF + 2 ? -EINVAL
								      : 0;
	if (p->len < ECHO_HLEN || m[1] != 0)
		return -EINVAL;
	if (m[0] != (s->family == AF_INET ? ICMP_ECHO : ICMP6_TYPE_EREQ))
		return -EINVAL;
	return 0;
}

/**
 * finish_msg() - Write what the stack owns in an outgoing message
 * @s:		Socket
 * @p:		Message (one pbuf), checked by check_msg()
 *
 * Ping sockets: the identifier, and over IPv4 the checksum. ICMPv6: the
 * checksum field is cleared; raw_sendto() computes it (chksum_reqd).
 */
static void finish_msg(const struct ns_icmp *s, struct pbuf *p)
{
	u8_t *m = p->payload;
	u16_t sum;

	if (!s->raw) {
		m[ECHO_ID_OFF] = (u8_t)(s->ident >> 8);
		m[ECHO_ID_OFF + 1] = (u8_t)s->ident;
	}
	if (s->family == AF_INET6 || !s->raw) {
		m[CSUM_OFF] = 0;
		m[CSUM_OFF + 1] = 0;
	}
	if (s->family == AF_INET && !s->raw) {
		sum = inet_chksum(m, p->len);
		memcpy(m + CSUM_OFF, &sum, sizeof(sum));
	}
}

/**
 * ns_icmp_sendto() - Send one ICMP message (copied)
 * @s:		Socket
 * @iov:	Message, from the ICMP header on
 * @iovcnt:	Number of elements in @iov
 * @dst:	Destination, NULL for the connected peer (the port is ignored)
 * @dstlen:	Its length
 *
 * A ping socket gets its identifier first if it has none. Messages to our
 * own addresses, 127/8 and ::1 are delivered (and answered) by a later
 * ns_poll().
 *
 * Return: bytes sent; -EMSGSIZE (above 65515 bytes over IPv4, 65495 over
 * IPv6), -EINVAL (see check_msg(), bad address), -EDESTADDRREQ,
 * -EAFNOSUPPORT, -EACCES (broadcast without NS_OPT_BROADCAST),
 * -ENETUNREACH, -EAGAIN (no identifier left), -ENOMEM
 */
ssize_t ns_icmp_sendto(struct ns_icmp *s, const struct iovec *iov, int iovcnt,
		       const struct sockaddr *dst, socklen_t dstlen)
{
	struct pbuf *p = NULL;
	ip_addr_t ip;
	ssize_t len;
	int ret;

	len = ns_gather(iov, iovcnt,
			s->family == AF_INET ? ICMP_MAX4 : ICMP_MAX6, &p);
	if (len < 0)
		return len;
	ret = check_msg(s, p);
	if (!ret)
		ret = send_dest(s, dst, dstlen, &ip);
	if (!ret)
		ret = dest_check(s, &ip);
	if (!ret)
		ret = autobind(s);
	if (!ret) {
		finish_msg(s, p);
		ret = ns_err(raw_sendto(s->pcb, p, &ip));
	}
	pbuf_free(p);
	return ret < 0 ? ret : len;
}

/**
 * blocked() - Does the socket's filter block ICMP type @type?
 * @s:		Raw socket
 * @type:	ICMP type
 *
 * Return: true if the bit for @type is set
 */
static bool blocked(const struct ns_icmp *s, u8_t type)
{
	return (s->filter[type >> 5] >> (type & 31)) & 1;
}

/**
 * wants() - Does @s take a copy of the current ICMP message?
 * @s:		Socket of the message's family
 * @hdr:	First bytes of the ICMP message
 * @n:		How many of them there are (at most 8)
 *
 * Checksums are left to the caller.
 *
 * Return: true if the message matches the socket's address, type and
 * identifier filters
 */
static bool wants(const struct ns_icmp *s, const u8_t *hdr, u16_t n)
{
	u8_t reply = s->family == AF_INET ? ICMP_ER : ICMP6_TYPE_EREP;

	if (!ip_addr_isany(&s->pcb->local_ip) &&
	    !ip_addr_cmp_zoneless(&s->pcb->local_ip, ip_current_dest_addr()))
		return false;
	if (s->raw) {
		if (s->connected &&
		    !ip_addr_cmp_zoneless(&s->peer, ip_current_src_addr()))
			return false;
		return n >= 1 && !blocked(s, hdr[0]);
	}
	return s->ident && n >= ECHO_HLEN && hdr[0] == reply &&
	       (u16_t)(hdr[ECHO_ID_OFF] << 8 | hdr[ECHO_ID_OFF + 1]) ==
		   s->ident;
}

/**
 * deliver() - Queue a copy of the current packet on a socket
 * @s:		Socket
 * @p:		Packet, payload at the IP header; not ours
 * @off:	Where the copy starts: 0 (IP header) or the ICMP header
 */
static void deliver(struct ns_icmp *s, struct pbuf *p, u16_t off)
{
	u16_t len = (u16_t)(p->tot_len - off);
	const ip_addr_t *src = ip_current_src_addr();
	struct ns_udp_dgram *d = NULL;
	struct pbuf *q = NULL;

	if (ns_rxq_room(&s->rx, len))
		q = pbuf_alloc(PBUF_RAW, len, PBUF_RAM);
	if (q)
		d = calloc(1, sizeof(*d));
	if (!d) {
		if (q)
			pbuf_free(q);
		ns.stats.rx_drops++;
		return;
	}
	pbuf_copy_partial(p, q->payload, len, off);
	d->p = q;
	ip_addr_copy(d->src, *src);
	ip_addr_copy(d->dst, *ip_current_dest_addr());
	d->ifindex = ns_ifindex_of(ip_current_input_netif(), src);
	ns_rxq_push(&s->rx, d);
	notify(s, NS_EV_READABLE);
}

/**
 * ns_icmp_input() - Give the ICMP sockets their copies of a message
 * @p:		IPv4 or IPv6 packet carrying ICMP / ICMPv6, payload at the IP
 *		header; not ours, left as it was
 * @hlen:	IP header length (with IPv6 extension headers)
 * @v6:		ICMPv6
 *
 * Called from udp.c's raw pcb callbacks, inside lwIP input, before lwIP's
 * own ICMP code: ip_current_*() describe @p.
 */
void ns_icmp_input(struct pbuf *p, u16_t hlen, bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET, csum = -1;
	bool ping_done = false;
	u8_t hdr[ECHO_HLEN];
	struct ns_icmp *s;
	struct ns_list *n;
	u16_t got;

	if (ns_list_empty(&ns.icmps))
		return;
	got = pbuf_copy_partial(p, hdr, sizeof(hdr), hlen);
	for (n = ns.icmps.next; n != &ns.icmps; n = n->next) {
		s = ns_container_of(n, struct ns_icmp, all);
		if (s->family != family || (!s->raw && ping_done) ||
		    !wants(s, hdr, got))
			continue;
		/* raw IPv4 sockets take messages unverified, as Linux's */
		if ((v6 || !s->raw) && csum < 0)
			csum = ns_icmp_csum_ok(p, hlen, v6);
		if ((v6 || !s->raw) && !csum)
			continue;
		deliver(s, p, s->raw && !v6 ? 0 : hlen);
		if (!s->raw)
			ping_done = true;
	}
}

/**
 * ns_icmp_peek() - Describe the first queued message without dropping it
 * @s:		Socket
 * @iov:	Filled with pointers into its pbufs (valid until
 *		ns_icmp_drop() or ns_icmp_close())
 * @max:	Size of @iov
 * @d:		Filled with length, iovec count, source (port 0) and
 *		destination
 *
 * Return: 1 if a message is queued, 0 if the queue is empty
 */
int ns_icmp_peek(struct ns_icmp *s, struct iovec *iov, int max,
		 struct ns_dgram *d)
{
	return ns_rxq_peek(&s->rx, s->family, iov, max, d);
}

/**
 * ns_icmp_drop() - Free the first queued message, if any
 * @s:		Socket
 */
void ns_icmp_drop(struct ns_icmp *s)
{
	ns_rxq_drop(&s->rx);
}

/**
 * ns_icmp_queued() - Messages waiting on the socket
 * @s:		Socket
 *
 * Return: count
 */
unsigned int ns_icmp_queued(const struct ns_icmp *s)
{
	return s->rx.count;
}

/**
 * ns_icmp_fini() - Free every ICMP socket still open (ns_fini())
 */
void ns_icmp_fini(void)
{
	struct ns_icmp *s;

	while (!ns_list_empty(&ns.icmps)) {
		s = ns_container_of(ns.icmps.next, struct ns_icmp, all);
		ns_icmp_close(&s);
	}
}
