// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp.c - UDP sockets over lwIP's raw API, and ICMP errors for them
 *
 * Each struct ns_udp wraps one udp_pcb. The recv callback queues every
 * datagram with its source, its local destination and the interface it
 * came in on (struct ns_udp_dgram), up to NS_UDP_RCVQ_MAX datagrams or
 * NS_UDP_RCVBUF bytes; beyond that it drops, as a full socket buffer does.
 * Received pbufs are kept as they are: peek lays iovecs over them.
 *
 * Linux rules lwIP does not have are kept here: connect() fixes the local
 * address the route chooses, AF_UNSPEC disconnects and gives back a port
 * that was only autobound (a fresh pcb), broadcast needs NS_OPT_BROADCAST,
 * the unspecified destination means loopback, datagram size limits.
 *
 * ICMP errors: lwIP 2.1.3 does not pass destination unreachable to UDP.
 * Two raw pcbs (ICMP, ICMPv6) see every ICMP message before lwIP's own
 * ICMP code; their callback never eats the packet (echo replies go on).
 * They first hand every message to netstack/icmp.c (ns_icmp_input()), whose
 * ping and raw ICMP sockets take copies.
 * A hard error (Linux's icmp_err_convert "fatal" codes: port unreachable
 * is -ECONNREFUSED) whose quoted IP + UDP header matches a connected
 * socket becomes that socket's pending error. Unconnected sockets ignore
 * ICMP errors, as Linux's do without IP_RECVERR.
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/icmp.h"
#include "lwip/icmp6.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/prot/icmp6.h"

#include "base.h"

#define UDP_MAX4 (0xffff - 20 - 8) /* IPv4: 65507, as Linux */
/* IPv6: Linux allows 65527, but lwIP's 16-bit pbuf length also holds the
 * IPv6 header */
#define UDP_MAX6 (0xffff - 40 - 8)
#define ICMP_HLEN 8 /* type, code, checksum, 4 bytes unused or MTU */

/* Linux's icmp_err_convert: hard errors of ICMP destination unreachable */
static const int dur4_errno[] = {
    [2] = ENOPROTOOPT,	 [3] = ECONNREFUSED,  [6] = ENETUNREACH,
    [7] = EHOSTDOWN,	 [8] = ENONET,	      [9] = ENETUNREACH,
    [10] = EHOSTUNREACH, [13] = EHOSTUNREACH, [14] = EHOSTUNREACH,
    [15] = EHOSTUNREACH,
};

/* Linux's icmpv6_err_convert: hard errors of ICMPv6 destination unreachable */
static const int dur6_errno[] = {
    [1] = EACCES,
    [4] = ECONNREFUSED,
    [5] = EACCES,
    [6] = EACCES,
};

/**
 * notify() - Tell the owner about readiness changes
 * @u:		Socket
 * @ev:		NS_EV_* bits
 */
static void notify(struct ns_udp *u, unsigned int ev)
{
	if (u->notify)
		u->notify(u->owner, ev);
}

/**
 * any_addr() - The local address of an unbound socket
 * @u:		Socket
 *
 * Return: 0.0.0.0 (AF_INET), :: (V6ONLY) or the dual-stack any address
 */
static const ip_addr_t *any_addr(const struct ns_udp *u)
{
	if (u->family == AF_INET)
		return IP4_ADDR_ANY;
	return u->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE;
}

/**
 * apply_opts() - Copy the stored socket options to the pcb
 * @u:		Socket
 */
static void apply_opts(struct ns_udp *u)
{
	if (u->reuseaddr)
		ip_set_option(u->pcb, SOF_REUSEADDR);
	else
		ip_reset_option(u->pcb, SOF_REUSEADDR);
	if (u->broadcast)
		ip_set_option(u->pcb, SOF_BROADCAST);
	else
		ip_reset_option(u->pcb, SOF_BROADCAST);
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port);

/**
 * new_pcb() - Give the socket a fresh, unbound pcb (the old one is removed)
 * @u:		Socket
 *
 * Return: 0 or -ENOMEM (then the old pcb, if any, is kept)
 */
static int new_pcb(struct ns_udp *u)
{
	u8_t type = u->family == AF_INET ? IPADDR_TYPE_V4
		    : u->v6only		 ? IPADDR_TYPE_V6
					 : IPADDR_TYPE_ANY;
	struct udp_pcb *pcb = udp_new_ip_type(type);

	if (!pcb)
		return -ENOMEM;
	if (u->pcb)
		udp_remove(u->pcb);
	u->pcb = pcb;
	udp_recv(pcb, on_recv, u);
	apply_opts(u);
	u->bound_addr = false;
	u->bound_port = false;
	u->connected = false;
	return 0;
}

/**
 * ns_udp_new() - Create a UDP socket
 * @out:	Set to the new socket on success, untouched on failure
 * @family:	AF_INET or AF_INET6 (dual stack unless NS_OPT_V6ONLY)
 *
 * Return: 0, -EAFNOSUPPORT, -ENOMEM or -ENETDOWN (no ns_init())
 */
int ns_udp_new(struct ns_udp **out, int family)
{
	struct ns_udp *u;

	if (!ns.up)
		return -ENETDOWN;
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->family = family;
	ns_rxq_init(&u->rx);
	if (new_pcb(u) < 0) {
		free(u);
		return -ENOMEM;
	}
	ns_list_add_tail(&ns.udps, &u->all);
	ns.stats.udps++;
	*out = u;
	return 0;
}

/**
 * ns_udp_close() - Close a UDP socket and free its queued datagrams
 * @up:		Socket; set to NULL. No notify is delivered for it afterwards.
 */
void ns_udp_close(struct ns_udp **up)
{
	struct ns_udp *u = *up;

	if (!u)
		return;
	ns_rxq_purge(&u->rx);
	udp_remove(u->pcb);
	ns_list_del(&u->all);
	ns.stats.udps--;
	free(u);
	*up = NULL;
}

/**
 * ns_udp_set_notify() - Set the readiness callback
 * @u:		Socket
 * @fn:		Callback, NULL for none: NS_EV_READABLE when a datagram is
 *		queued, NS_EV_ERROR when an error is pending
 * @owner:	Cookie passed to @fn
 */
void ns_udp_set_notify(struct ns_udp *u, ns_notify_fn fn, void *owner)
{
	u->notify = fn;
	u->owner = owner;
}

/**
 * set_v6only() - NS_OPT_V6ONLY: switch the unbound pcb's address type
 * @u:		Socket
 * @on:		New value
 *
 * Return: 0, -ENOPROTOOPT on AF_INET, -EINVAL once bound or connected
 */
static int set_v6only(struct ns_udp *u, bool on)
{
	if (u->family != AF_INET6)
		return -ENOPROTOOPT;
	if (u->pcb->local_port || u->connected)
		return -EINVAL;
	u->v6only = on;
	ip_addr_copy(u->pcb->local_ip, *any_addr(u));
	ip_addr_copy(u->pcb->remote_ip, *any_addr(u));
	return 0;
}

/**
 * ns_udp_setopt() - Set a socket option
 * @u:		Socket
 * @opt:	NS_OPT_REUSEADDR, NS_OPT_BROADCAST or NS_OPT_V6ONLY
 * @val:	Value, non-zero is true
 *
 * Return: 0, -EINVAL (V6ONLY once bound), -ENOPROTOOPT (other options)
 */
int ns_udp_setopt(struct ns_udp *u, enum ns_opt opt, int val)
{
	switch (opt) {
	case NS_OPT_REUSEADDR:
		u->reuseaddr = val != 0;
		break;
	case NS_OPT_BROADCAST:
		u->broadcast = val != 0;
		break;
	case NS_OPT_V6ONLY:
		return set_v6only(u, val != 0);
	default:
		return -ENOPROTOOPT;
	}
	apply_opts(u);
	return 0;
}

/**
 * ns_udp_getopt() - Read a socket option
 * @u:		Socket
 * @opt:	NS_OPT_REUSEADDR, NS_OPT_BROADCAST or NS_OPT_V6ONLY
 * @val:	Set to the value, 0 or 1
 *
 * Return: 0, -ENOPROTOOPT
 */
int ns_udp_getopt(const struct ns_udp *u, enum ns_opt opt, int *val)
{
	switch (opt) {
	case NS_OPT_REUSEADDR:
		*val = u->reuseaddr;
		return 0;
	case NS_OPT_BROADCAST:
		*val = u->broadcast;
		return 0;
	case NS_OPT_V6ONLY:
		if (u->family != AF_INET6)
			return -ENOPROTOOPT;
		*val = u->v6only;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/**
 * ns_udp_bind() - Bind a local address (port 0: an ephemeral port)
 * @u:		Socket
 * @sa:		Address
 * @len:	Its length
 *
 * Return: 0, -EINVAL (bad address, or already bound, also by autobind),
 * -EAFNOSUPPORT, -EADDRNOTAVAIL (not our address), -EADDRINUSE
 */
int ns_udp_bind(struct ns_udp *u, const struct sockaddr *sa, socklen_t len)
{
	ip_addr_t ip;
	u16_t port;
	int ret;

	ret = ns_addr_parse(u->family, u->v6only, sa, len, false, &ip, &port);
	if (ret < 0)
		return ret;
	if (u->pcb->local_port)
		return -EINVAL;
	if (!ip_addr_isany(&ip) && !ns_addr_is_local(&ip))
		return -EADDRNOTAVAIL;
	ret = ns_err(udp_bind(u->pcb, &ip, port));
	if (ret < 0)
		return ret;
	u->bound_port = true;
	u->bound_addr = !ip_addr_isany(&ip);
	return 0;
}

/**
 * ns_to_loopback() - Linux's reading of an unspecified destination: loopback
 * @ip:		Destination; 0.0.0.0 becomes 127.0.0.1 and :: becomes ::1
 */
void ns_to_loopback(ip_addr_t *ip)
{
	if (IP_IS_V4(ip) && ip4_addr_isany(ip_2_ip4(ip)))
		ip_addr_set_loopback(false, ip);
	else if (IP_IS_V6(ip) && ip6_addr_isany(ip_2_ip6(ip)))
		ip_addr_set_loopback(true, ip);
}

/**
 * ns_is_broadcast() - Is @ip an IPv4 broadcast address?
 * @ip:		Destination
 *
 * Return: true for 255.255.255.255 and eth0's subnet broadcast
 */
bool ns_is_broadcast(const ip_addr_t *ip)
{
	if (!IP_IS_V4(ip))
		return false;
	if (ns.cfg.present &&
	    ip4_addr_isbroadcast_u32(ip_2_ip4(ip)->addr, &ns.eth0))
		return true;
	return ip_2_ip4(ip)->addr == IPADDR_BROADCAST;
}

/**
 * dest_check() - May a datagram (or a connect) go to @ip from @u?
 * @u:		Socket
 * @local:	Local address the datagram would leave from
 * @ip:		Destination, after ns_to_loopback()
 *
 * Return: 0, -EACCES (broadcast without NS_OPT_BROADCAST), -ENETUNREACH
 * (no route, or @local is of the other IP version)
 */
static int dest_check(const struct ns_udp *u, const ip_addr_t *local,
		      const ip_addr_t *ip)
{
	if (!IP_IS_ANY_TYPE_VAL(*local) && IP_IS_V4(local) != IP_IS_V4(ip))
		return -ENETUNREACH;
	if (ns_is_broadcast(ip)) {
		if (!u->broadcast)
			return -EACCES;
		return ns.cfg.present ? 0 : -ENETUNREACH;
	}
	return ns_route_check(ip);
}

/**
 * ns_pick_source() - The local address the route to @dst uses (connect())
 * @dst:	Destination
 * @src:	Filled with the source address
 *
 * Return: 0, -ENETUNREACH, or -EADDRNOTAVAIL (no usable IPv6 source)
 */
int ns_pick_source(const ip_addr_t *dst, ip_addr_t *src)
{
	const ip_addr_t *s;
	struct netif *nif;

	if (IP_IS_V4(dst)) {
		nif = ip4_route(ip_2_ip4(dst));
		if (!nif)
			return -ENETUNREACH;
		ip_addr_copy(*src, *netif_ip_addr4(nif));
		return 0;
	}
	nif = ip6_route(IP6_ADDR_ANY6, ip_2_ip6(dst));
	if (!nif)
		return -ENETUNREACH;
	s = ip6_select_source_address(nif, ip_2_ip6(dst));
	if (!s)
		return -EADDRNOTAVAIL;
	ip_addr_copy(*src, *s);
	return 0;
}

/**
 * peer_addr() - Convert a destination for connect() or sendto()
 * @u:		Socket
 * @sa:		Address, family already checked to be AF_INET or AF_INET6
 * @len:	Its length
 * @connect:	true for connect(), false for sendto()
 * @ip:		Filled with the address; the unspecified one means loopback
 * @port:	Filled with the port, host order
 *
 * Unlike TCP, Linux's UDPv6 takes a plain struct sockaddr_in as IPv4.
 *
 * Return: 0, -EINVAL, -EAFNOSUPPORT, -ENETUNREACH (v4 on V6ONLY: connect
 * gives -EAFNOSUPPORT for AF_INET)
 */
static int peer_addr(const struct ns_udp *u, const struct sockaddr *sa,
		     socklen_t len, bool connect, ip_addr_t *ip, u16_t *port)
{
	int ret;

	if (u->family == AF_INET6 && sa->sa_family == AF_INET) {
		if (u->v6only)
			return connect ? -EAFNOSUPPORT : -ENETUNREACH;
		ret = ns_addr_parse(AF_INET, false, sa, len, true, ip, port);
	} else {
		ret = ns_addr_parse(u->family, u->v6only, sa, len, true, ip,
				    port);
	}
	if (ret < 0)
		return ret;
	ns_to_loopback(ip);
	return 0;
}

/**
 * disconnect() - connect(AF_UNSPEC): forget the peer, as Linux does
 * @u:		Socket
 *
 * The local address goes back to the wildcard unless bind() gave one; a
 * port only autobound (by connect or sendto) is released.
 *
 * Return: 0 or -ENOMEM
 */
static int disconnect(struct ns_udp *u)
{
	if (!u->bound_port)
		return new_pcb(u);
	if (!u->bound_addr)
		ip_addr_copy(u->pcb->local_ip, *any_addr(u));
	udp_disconnect(u->pcb);
	u->connected = false;
	return 0;
}

/**
 * ns_udp_connect() - Set the peer (filters input, default destination)
 * @u:		Socket
 * @sa:		Peer address; AF_UNSPEC disconnects
 * @len:	Its length
 *
 * Autobinds an ephemeral port and, unless bind() gave an address, fixes
 * the local address to the one the route uses (as getsockname() shows on
 * Linux). Datagrams from other sources are no longer queued.
 *
 * Return: 0, -EINVAL, -EAFNOSUPPORT, -ENETUNREACH, -EACCES (broadcast
 * without NS_OPT_BROADCAST), -EADDRINUSE (no ephemeral port), -ENOMEM
 */
int ns_udp_connect(struct ns_udp *u, const struct sockaddr *sa, socklen_t len)
{
	ip_addr_t ip, src;
	u16_t port;
	int ret;

	if (!sa || len < sizeof(sa_family_t))
		return -EINVAL;
	if (sa->sa_family == AF_UNSPEC)
		return disconnect(u);
	ret = peer_addr(u, sa, len, true, &ip, &port);
	if (ret < 0)
		return ret;
	ret =
	    dest_check(u, u->bound_addr ? &u->pcb->local_ip : any_addr(u), &ip);
	if (ret < 0)
		return ret;
	if (!u->bound_addr) {
		ret = ns_pick_source(&ip, &src);
		if (ret < 0)
			return ret;
		ip_addr_copy(u->pcb->local_ip, src);
	}
	ret = ns_err(udp_connect(u->pcb, &ip, port));
	if (ret < 0) {
		/* only the autobind can fail: nothing else changed */
		if (!u->bound_addr)
			ip_addr_copy(u->pcb->local_ip, *any_addr(u));
		return ret;
	}
	u->connected = true;
	return 0;
}

/**
 * ns_udp_name() - Local or peer address (getsockname, getpeername)
 * @u:		Socket
 * @peer:	true for the peer's address
 * @ss:		Filled in (an unbound socket is the wildcard address, port 0)
 * @len:	Set to the address length
 *
 * Return: 0, or -ENOTCONN for @peer when not connected
 */
int ns_udp_name(const struct ns_udp *u, bool peer, struct sockaddr_storage *ss,
		socklen_t *len)
{
	if (!peer) {
		*len = ns_addr_format(u->family, &u->pcb->local_ip,
				      u->pcb->local_port, ss);
		return 0;
	}
	if (!u->connected)
		return -ENOTCONN;
	*len = ns_addr_format(u->family, &u->pcb->remote_ip,
			      u->pcb->remote_port, ss);
	return 0;
}

/**
 * send_dest() - Where ns_udp_sendto() sends, with Linux's address rules
 * @u:		Socket
 * @sa:		Destination given, NULL for the connected peer
 * @len:	Its length
 * @ip:		Filled with the destination address
 * @port:	Filled with the destination port, host order
 *
 * Return: 0, -EDESTADDRREQ (none given, not connected), -EINVAL (short
 * address, port 0, unknown family on AF_INET6), -EAFNOSUPPORT,
 * -ENETUNREACH (IPv4 destination on a V6ONLY socket)
 */
static int send_dest(const struct ns_udp *u, const struct sockaddr *sa,
		     socklen_t len, ip_addr_t *ip, u16_t *port)
{
	struct sockaddr_in sin;
	int ret;

	if (sa && len < sizeof(sa_family_t))
		return -EINVAL;
	if (sa && sa->sa_family == AF_UNSPEC && u->family == AF_INET) {
		/* udp_sendmsg() reads AF_UNSPEC as AF_INET */
		if (len < sizeof(sin))
			return -EINVAL;
		memcpy(&sin, sa, sizeof(sin));
		sin.sin_family = AF_INET;
		return send_dest(u, (struct sockaddr *)&sin, sizeof(sin), ip,
				 port);
	}
	if (!sa || sa->sa_family == AF_UNSPEC) {
		if (!u->connected)
			return -EDESTADDRREQ;
		ip_addr_copy(*ip, u->pcb->remote_ip);
		*port = u->pcb->remote_port;
		return 0;
	}
	if (u->family == AF_INET6 && sa->sa_family != AF_INET &&
	    sa->sa_family != AF_INET6)
		return -EINVAL;
	ret = peer_addr(u, sa, len, false, ip, port);
	if (ret < 0)
		return ret;
	return *port ? 0 : -EINVAL;
}

/**
 * ns_gather() - Copy the caller's iovecs into a new pbuf
 * @iov:	Data
 * @iovcnt:	Number of elements in @iov
 * @max:	Largest payload allowed
 * @out:	Set to the pbuf (PBUF_TRANSPORT: room for the headers)
 *
 * Return: payload length, -EINVAL (negative @iovcnt), -EMSGSIZE, -ENOMEM
 */
ssize_t ns_gather(const struct iovec *iov, int iovcnt, size_t max,
		  struct pbuf **out)
{
	size_t len = 0, off = 0;
	struct pbuf *p;
	int i;

	if (iovcnt < 0)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > max - len)
			return -EMSGSIZE;
		len += iov[i].iov_len;
	}
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOMEM;
	for (i = 0; i < iovcnt; i++) {
		if (!iov[i].iov_len)
			continue;
		pbuf_take_at(p, iov[i].iov_base, (u16_t)iov[i].iov_len,
			     (u16_t)off);
		off += iov[i].iov_len;
	}
	*out = p;
	return (ssize_t)len;
}

/**
 * pcb_send() - udp_sendto(), also from a 127/8 address other than lo's own
 * @u:		Socket
 * @p:		Payload
 * @ip:		Destination
 * @port:	Destination port, host order
 *
 * lwIP sends from the outgoing netif's address, or from the bound one only
 * if it is that netif's; a socket bound to another loopback address
 * (Docker's embedded DNS is 127.0.0.11) keeps its own for destinations
 * that loop back, as on Linux.
 *
 * Return: lwIP's err_t
 */
static err_t pcb_send(struct ns_udp *u, struct pbuf *p, const ip_addr_t *ip,
		      u16_t port)
{
	const ip_addr_t *src = &u->pcb->local_ip;
	struct netif *nif;

	if (!IP_IS_V4(src) || !ip4_addr_isloopback(ip_2_ip4(src)) ||
	    !IP_IS_V4(ip) || !ns_addr_is_local(ip))
		return udp_sendto(u->pcb, p, ip, port);
	nif = ip4_route(ip_2_ip4(ip));
	if (!nif)
		return ERR_RTE;
	return udp_sendto_if_src(u->pcb, p, ip, port, nif, src);
}

/**
 * ns_udp_sendto() - Send one datagram (copied)
 * @u:		Socket
 * @iov:	Payload
 * @iovcnt:	Number of elements in @iov
 * @dst:	Destination, NULL (or AF_UNSPEC on AF_INET6) for the peer
 * @dstlen:	Its length
 *
 * Autobinds an ephemeral port. Datagrams to our own addresses, 127/8 and
 * ::1 are delivered by a later ns_poll(). A destination whose link-layer
 * address is unknown is resolved first (the datagram waits in lwIP).
 *
 * Return: bytes sent; -EDESTADDRREQ, -EMSGSIZE (above 65507 bytes over
 * IPv4, 65487 over IPv6), -EACCES (broadcast without NS_OPT_BROADCAST),
 * -ENETUNREACH, -EINVAL, -EAFNOSUPPORT, -EADDRINUSE (no ephemeral port),
 * -ENOMEM
 */
ssize_t ns_udp_sendto(struct ns_udp *u, const struct iovec *iov, int iovcnt,
		      const struct sockaddr *dst, socklen_t dstlen)
{
	struct pbuf *p = NULL;
	ip_addr_t ip;
	ssize_t len;
	u16_t port;
	int ret;

	ret = send_dest(u, dst, dstlen, &ip, &port);
	if (ret < 0)
		return ret;
	ret = dest_check(u, &u->pcb->local_ip, &ip);
	if (ret < 0)
		return ret;
	len = ns_gather(iov, iovcnt, IP_IS_V4(&ip) ? UDP_MAX4 : UDP_MAX6, &p);
	if (len < 0)
		return len;
	ret = ns_err(pcb_send(u, p, &ip, port));
	pbuf_free(p);
	return ret < 0 ? ret : len;
}

/**
 * ns_ifindex_of() - Linux's interface index for a received datagram
 * @nif:	Netif it came in on
 * @src:	Its source address
 *
 * lwIP loops datagrams to eth0's own addresses through eth0 itself; Linux
 * delivers them over lo, so anything from one of our addresses is lo.
 *
 * Return: NS_IFINDEX_ETH0 or NS_IFINDEX_LO
 */
u8_t ns_ifindex_of(const struct netif *nif, const ip_addr_t *src)
{
	if (nif == &ns.eth0 && ns.cfg.present && !ns_addr_is_local(src))
		return NS_IFINDEX_ETH0;
	return NS_IFINDEX_LO;
}

/**
 * on_recv() - lwIP recv callback: queue the datagram, or drop it if full
 * @arg:	Socket
 * @pcb:	Its pcb
 * @p:		Payload, ours now
 * @addr:	Source address (lwIP's current-packet storage: copied)
 * @port:	Source port, host order
 */
static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port)
{
	struct ns_udp *u = arg;
	struct ns_udp_dgram *d = NULL;

	if (u && ns_rxq_room(&u->rx, p->tot_len))
		d = calloc(1, sizeof(*d));
	if (!d) {
		ns.stats.rx_drops++;
		pbuf_free(p);
		return;
	}
	d->p = p;
	ip_addr_copy(d->src, *addr);
	ip_addr_copy(d->dst, *ip_current_dest_addr());
	d->sport = port;
	d->ifindex = ns_ifindex_of(ip_current_input_netif(), addr);
	ns_rxq_push(&u->rx, d);
	notify(u, NS_EV_READABLE);
}

/**
 * ns_dgram_pktinfo() - Fill struct ns_pktinfo from a queued datagram
 * @d:		Datagram
 * @pi:		Filled in
 */
void ns_dgram_pktinfo(const struct ns_udp_dgram *d, struct ns_pktinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->ifindex = d->ifindex;
	if (IP_IS_V4(&d->dst)) {
		pi->v4 = true;
		pi->addr4.s_addr = ip_2_ip4(&d->dst)->addr;
		pi->addr6.s6_addr[10] = 0xff;
		pi->addr6.s6_addr[11] = 0xff;
		memcpy(&pi->addr6.s6_addr[12], &pi->addr4, 4);
		return;
	}
	memcpy(&pi->addr6, ip_2_ip6(&d->dst)->addr, 16);
}

/**
 * ns_udp_peek() - Describe the first queued datagram without dropping it
 * @u:		Socket
 * @iov:	Filled with pointers into its pbufs (valid until ns_udp_drop()
 *		or ns_udp_close())
 * @max:	Size of @iov
 * @d:		Filled with length, iovec count, source and destination
 *
 * Return: 1 if a datagram is queued, 0 if the queue is empty
 */
int ns_udp_peek(struct ns_udp *u, struct iovec *iov, int max,
		struct ns_dgram *d)
{
	return ns_rxq_peek(&u->rx, u->family, iov, max, d);
}

/**
 * ns_udp_drop() - Free the first queued datagram, if any
 * @u:		Socket
 */
void ns_udp_drop(struct ns_udp *u)
{
	ns_rxq_drop(&u->rx);
}

/**
 * ns_udp_queued() - Datagrams waiting on the socket
 * @u:		Socket
 *
 * Return: count
 */
unsigned int ns_udp_queued(const struct ns_udp *u)
{
	return u->rx.count;
}

/**
 * ns_udp_take_error() - Read and clear the pending error (SO_ERROR)
 * @u:		Socket
 *
 * Return: 0 or the pending -errno (-ECONNREFUSED, ...)
 */
int ns_udp_take_error(struct ns_udp *u)
{
	int ret = u->err;

	u->err = 0;
	return ret;
}

/**
 * conn_error() - Give an ICMP error to the connected socket it is about
 * @src:	Source of the quoted datagram (our address)
 * @sport:	Its source port (ours)
 * @dst:	Its destination (the peer)
 * @dport:	Its destination port
 * @err:	Positive errno
 */
static void conn_error(const ip_addr_t *src, u16_t sport, const ip_addr_t *dst,
		       u16_t dport, int err)
{
	struct ns_list *n;
	struct udp_pcb *pcb;
	struct ns_udp *u;

	for (n = ns.udps.next; n != &ns.udps; n = n->next) {
		u = ns_container_of(n, struct ns_udp, all);
		pcb = u->pcb;
		if (!u->connected || pcb->local_port != sport ||
		    pcb->remote_port != dport ||
		    !ip_addr_cmp_zoneless(&pcb->remote_ip, dst))
			continue;
		if (!ip_addr_isany(&pcb->local_ip) &&
		    !ip_addr_cmp_zoneless(&pcb->local_ip, src))
			continue;
		u->err = -err;
		notify(u, NS_EV_ERROR);
		return;
	}
}

/**
 * be16() - Read a big-endian 16-bit value
 * @p:	Two bytes
 *
 * Return: the value in host order
 */
static u16_t be16(const u8_t *p)
{
	return (u16_t)(p[0] << 8 | p[1]);
}

/**
 * ns_icmp_csum_ok() - Verify the checksum of the ICMP message in @p
 * @p:		Packet, payload at the IP header (restored on return)
 * @hlen:	IP header length
 * @v6:		ICMPv6 (pseudo-header checksum)
 *
 * Return: true if the checksum is right
 */
bool ns_icmp_csum_ok(struct pbuf *p, u16_t hlen, bool v6)
{
	u16_t sum;

	if (pbuf_remove_header(p, hlen))
		return false;
	if (v6)
		sum = ip6_chksum_pseudo(p, IP6_NEXTH_ICMP6, p->tot_len,
					ip6_current_src_addr(),
					ip6_current_dest_addr());
	else
		sum = inet_chksum_pbuf(p);
	pbuf_add_header_force(p, hlen);
	return sum == 0;
}

/**
 * icmp4_recv() - Raw recv for ICMP: ICMP sockets, then errors for UDP
 * @arg:	Unused
 * @pcb:	ns.icmp4
 * @p:		IPv4 packet, payload at the IP header; not ours
 * @addr:	Source of the ICMP message
 *
 * Return: 0: never eaten, lwIP's own ICMP processing continues
 */
static u8_t icmp4_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		       const ip_addr_t *addr)
{
	u8_t b[ICMP_HLEN + 60 + UDP_HLEN];
	u16_t hlen = ip_current_header_tot_len(), n, ihl;
	const u8_t *in;
	ip_addr_t src, dst;
	int err = 0;

	ns_icmp_input(p, hlen, false);
	n = pbuf_copy_partial(p, b, sizeof(b), hlen);
	if (n < ICMP_HLEN + IP_HLEN + UDP_HLEN)
		return 0;
	if (b[0] == ICMP_DUR && b[1] < ARRAY_SIZE(dur4_errno))
		err = dur4_errno[b[1]];
	else if (b[0] == ICMP_PP)
		err = EPROTO;
	in = b + ICMP_HLEN;
	ihl = (u16_t)((in[0] & 0xf) * 4);
	if (!err || (in[0] >> 4) != 4 || in[9] != IP_PROTO_UDP ||
	    ihl < IP_HLEN || ICMP_HLEN + ihl + UDP_HLEN > n ||
	    (be16(in + 6) & IP_OFFMASK))
		return 0;
	if (!ns_icmp_csum_ok(p, hlen, false))
		return 0;
	IP_ADDR4(&src, in[12], in[13], in[14], in[15]);
	IP_ADDR4(&dst, in[16], in[17], in[18], in[19]);
	conn_error(&src, be16(in + ihl), &dst, be16(in + ihl + 2), err);
	return 0;
}

/**
 * icmp6_recv() - Raw recv for ICMPv6: ICMP sockets, then errors for UDP
 * @arg:	Unused
 * @pcb:	ns.icmp6
 * @p:		IPv6 packet, payload at the IPv6 header; not ours
 * @addr:	Source of the ICMPv6 message
 *
 * The quoted packet must carry UDP right after its IPv6 header.
 *
 * Return: 0: never eaten, lwIP's own ICMPv6 processing continues
 */
static u8_t icmp6_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		       const ip_addr_t *addr)
{
	u8_t b[ICMP_HLEN + IP6_HLEN + UDP_HLEN];
	u16_t hlen = ip_current_header_tot_len();
	const u8_t *in = b + ICMP_HLEN;
	ip_addr_t src, dst;
	int err = 0;

	ns_icmp_input(p, hlen, true);
	if (pbuf_copy_partial(p, b, sizeof(b), hlen) != sizeof(b))
		return 0;
	if (b[0] == ICMP6_TYPE_DUR && b[1] < ARRAY_SIZE(dur6_errno))
		err = dur6_errno[b[1]];
	else if (b[0] == ICMP6_TYPE_PP)
		err = EPROTO;
	if (!err || (in[0] >> 4) != 6 || in[6] != IP6_NEXTH_UDP)
		return 0;
	if (!ns_icmp_csum_ok(p, hlen, true))
		return 0;
	ip_addr_copy_from_ip6_packed(src, *(const ip6_addr_p_t *)(in + 8));
	ip_addr_copy_from_ip6_packed(dst, *(const ip6_addr_p_t *)(in + 24));
	conn_error(&src, be16(in + IP6_HLEN), &dst, be16(in + IP6_HLEN + 2),
		   err);
	return 0;
}

/**
 * ns_udp_init() - Start watching ICMP errors (ns_init())
 *
 * Return: 0 or -ENOMEM
 */
int ns_udp_init(void)
{
	ns.icmp4 = raw_new_ip_type(IPADDR_TYPE_V4, IP_PROTO_ICMP);
	ns.icmp6 = raw_new_ip_type(IPADDR_TYPE_V6, IP6_NEXTH_ICMP6);
	if (!ns.icmp4 || !ns.icmp6) {
		ns_udp_fini();
		return -ENOMEM;
	}
	raw_recv(ns.icmp4, icmp4_recv, NULL);
	raw_recv(ns.icmp6, icmp6_recv, NULL);
	return 0;
}

/**
 * ns_udp_fini() - Free every UDP socket still open and the raw pcbs
 */
void ns_udp_fini(void)
{
	struct ns_udp *u;

	while (!ns_list_empty(&ns.udps)) {
		u = ns_container_of(ns.udps.next, struct ns_udp, all);
		ns_udp_close(&u);
	}
	if (ns.icmp4)
		raw_remove(ns.icmp4);
	if (ns.icmp6)
		raw_remove(ns.icmp6);
	ns.icmp4 = NULL;
	ns.icmp6 = NULL;
}
