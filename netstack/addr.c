// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * addr.c - struct sockaddr <-> lwIP ip_addr_t, with Linux's rules
 *
 * Dual stack: on an AF_INET6 socket an IPv4 address is written
 * ::ffff:a.b.c.d and means IPv4 (unless NS_OPT_V6ONLY); IPv4 peers of such a
 * socket are reported in that form. An AF_INET socket accepts only
 * AF_INET addresses (-EAFNOSUPPORT), and a short address is -EINVAL.
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>
#include <string.h>

#include "base.h"

/**
 * from_sin() - Convert a struct sockaddr_in
 * @sa:		Address, at least sizeof(struct sockaddr_in) bytes
 * @ip:		Filled with an IPv4 address
 * @port:	Filled with the port, host order
 */
static void from_sin(const struct sockaddr *sa, ip_addr_t *ip, u16_t *port)
{
	struct sockaddr_in sin;

	memcpy(&sin, sa, sizeof(sin));
	ip_addr_set_ip4_u32_val(*ip, sin.sin_addr.s_addr);
	*port = ntohs(sin.sin_port);
}

/**
 * from_sin6() - Convert a struct sockaddr_in6 for an AF_INET6 socket
 * @v6only:	The socket has NS_OPT_V6ONLY
 * @sa:		Address, at least SIN6_LEN_RFC2133 bytes
 * @connect:	true for connect(), false for bind()
 * @ip:		Filled in: IPv4 for ::ffff:a.b.c.d, any-type for :: unless
 *		V6ONLY, else IPv6
 * @port:	Filled with the port, host order
 *
 * Return: 0; -EINVAL (bind) or -ENETUNREACH (connect) for a v4-mapped
 * address on a V6ONLY socket
 */
static int from_sin6(bool v6only, const struct sockaddr *sa, bool connect,
		     ip_addr_t *ip, u16_t *port)
{
	struct sockaddr_in6 sin6 = {0};
	struct netif *nif;
	u32_t v4;

	memcpy(&sin6, sa, offsetof(struct sockaddr_in6, sin6_scope_id));
	*port = ntohs(sin6.sin6_port);
	if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
		if (v6only)
			return connect ? -ENETUNREACH : -EINVAL;
		memcpy(&v4, &sin6.sin6_addr.s6_addr[12], 4);
		ip_addr_set_ip4_u32_val(*ip, v4);
		return 0;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&sin6.sin6_addr) && !v6only && !connect) {
		ip_addr_copy(*ip, *IP_ANY_TYPE);
		return 0;
	}
	ip_addr_copy_from_ip6_packed(*ip,
				     *(const ip6_addr_p_t *)&sin6.sin6_addr);
	if (ip6_addr_islinklocal(ip_2_ip6(ip))) {
		/* one link: any scope means eth0 */
		nif = ns.cfg.present ? &ns.eth0 : NULL;
		if (nif)
			ip6_addr_assign_zone(ip_2_ip6(ip), IP6_UNICAST, nif);
	}
	return 0;
}

/**
 * ns_addr_parse() - Convert a socket address given to bind or connect
 * @family:	Socket's family, AF_INET or AF_INET6
 * @v6only:	AF_INET6 socket with NS_OPT_V6ONLY
 * @sa:		Address from the caller
 * @len:	Its length
 * @connect:	true for connect() (and sendto), false for bind()
 * @ip:		Filled with the lwIP address
 * @port:	Filled with the port, host order
 *
 * Return: 0, -EINVAL (short, or mapped on V6ONLY bind), -EAFNOSUPPORT
 * (wrong family), -ENETUNREACH (mapped on V6ONLY connect)
 */
int ns_addr_parse(int family, bool v6only, const struct sockaddr *sa,
		  socklen_t len, bool connect, ip_addr_t *ip, u16_t *port)
{
	if (!sa)
		return -EINVAL;
	if (family == AF_INET) {
		if (len < sizeof(struct sockaddr_in))
			return -EINVAL;
		if (sa->sa_family != AF_INET)
			return -EAFNOSUPPORT;
		from_sin(sa, ip, port);
		return 0;
	}
	if (len < offsetof(struct sockaddr_in6, sin6_scope_id))
		return -EINVAL;
	if (sa->sa_family == AF_INET && connect) {
		/* tcp_v6_connect() hands AF_INET to tcp_v4_connect() */
		if (v6only)
			return -ENETUNREACH;
		from_sin(sa, ip, port);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	return from_sin6(v6only, sa, connect, ip, port);
}

/**
 * ns_addr_from_sa() - Convert a socket address given to bind or connect
 * @sk:		Socket the address is for (family, V6ONLY)
 * @sa:		Address from the caller
 * @len:	Its length
 * @connect:	true for connect(), false for bind()
 * @ip:		Filled with the lwIP address
 * @port:	Filled with the port, host order
 *
 * Return: as ns_addr_parse()
 */
int ns_addr_from_sa(const struct ns_sock *sk, const struct sockaddr *sa,
		    socklen_t len, bool connect, ip_addr_t *ip, u16_t *port)
{
	return ns_addr_parse(sk->family, sk->v6only, sa, len, connect, ip,
			     port);
}

/**
 * ns_addr_format() - Write an address as a socket of @family sees it
 * @family:	AF_INET: sockaddr_in, AF_INET6: sockaddr_in6
 * @ip:		Address; IPv4 on an AF_INET6 socket becomes ::ffff:a.b.c.d,
 *		the any-type address becomes ::
 * @port:	Port, host order
 * @ss:		Filled in
 *
 * Return: the length of the address written
 */
socklen_t ns_addr_format(int family, const ip_addr_t *ip, u16_t port,
			 struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	u32_t v4;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = IP_IS_V4(ip) ? ip_2_ip4(ip)->addr : 0;
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	if (IP_IS_V4(ip)) {
		v4 = ip_2_ip4(ip)->addr;
		sin6->sin6_addr.s6_addr[10] = 0xff;
		sin6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6->sin6_addr.s6_addr[12], &v4, 4);
	} else if (IP_IS_V6(ip)) {
		memcpy(&sin6->sin6_addr, ip_2_ip6(ip)->addr, 16);
		if (ip6_addr_has_zone(ip_2_ip6(ip)))
			sin6->sin6_scope_id = ip6_addr_zone(ip_2_ip6(ip));
	}
	return sizeof(*sin6);
}

/**
 * ns_addr_to_sa() - Write an address as the socket's family sees it
 * @sk:		Socket (AF_INET: sockaddr_in, AF_INET6: sockaddr_in6)
 * @ip:		Address
 * @port:	Port, host order
 * @ss:		Filled in
 *
 * Return: the length of the address written, see ns_addr_format()
 */
socklen_t ns_addr_to_sa(const struct ns_sock *sk, const ip_addr_t *ip,
			u16_t port, struct sockaddr_storage *ss)
{
	return ns_addr_format(sk->family, ip, port, ss);
}
