// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netaddr.c - command-line address parsing
 */
#include "netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/**
 * netaddr_parse_cidr() - "a.b.c.d/n" or "x::/n"
 * @s:		Text
 * @af:		AF_INET or AF_INET6
 * @addr:	Address bytes (struct in_addr or in6_addr)
 * @prefix:	Prefix length
 *
 * Return: 0 or -EINVAL
 */
int netaddr_parse_cidr(const char *s, int af, void *addr, unsigned int *prefix)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long p;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	p = strtoul(slash + 1, &end, 10);
	if (*end || p > (af == AF_INET ? 30U : 126U) || p < 8)
		return -EINVAL;
	if (inet_pton(af, buf, addr) != 1)
		return -EINVAL;
	*prefix = (unsigned int)p;
	return 0;
}

/**
 * netaddr_nth4() - Host @n of an IPv4 subnet
 * @net:	Subnet
 * @n:		Host number
 *
 * Return: address
 */
struct in_addr netaddr_nth4(struct in_addr net, uint32_t n)
{
	struct in_addr a = {htonl(ntohl(net.s_addr) + n)};

	return a;
}

/**
 * netaddr_nth6() - Host @n of an IPv6 subnet
 * @net:	Subnet
 * @n:		Host number (1..255)
 *
 * Return: address
 */
struct in6_addr netaddr_nth6(const struct in6_addr *net, uint8_t n)
{
	struct in6_addr a = *net;

	a.s6_addr[15] = (uint8_t)(a.s6_addr[15] + n);
	return a;
}

/**
 * netaddr_parse_port() - "[IP:]HOSTPORT:GUESTPORT" into a relay entry
 * @s:		Text (IPv6 host addresses in brackets)
 * @guest4:	The sandbox's address, or 127.0.0.1 without a link
 * @p:		Relay entry
 *
 * Return: 0 or -EINVAL
 */
int netaddr_parse_port(const char *s, struct in_addr guest4,
		       struct relay_port *p)
{
	struct sockaddr_in *h4 = (struct sockaddr_in *)&p->host;
	struct sockaddr_in6 *h6 = (struct sockaddr_in6 *)&p->host;
	struct sockaddr_in *g4 = (struct sockaddr_in *)&p->guest;
	char ip[INET6_ADDRSTRLEN + 2] = "", *end;
	unsigned long hp, gp;
	const char *ports = s, *c = strrchr(s, ':');

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	if (!c)
		return -EINVAL;
	gp = strtoul(c + 1, &end, 10);
	if (*end || !gp || gp > 65535)
		return -EINVAL;
	c = memrchr(s, ':', (size_t)(c - s)); /* end of the host address */
	if (c) {
		if ((size_t)(c - s) >= sizeof(ip))
			return -EINVAL;
		memcpy(ip, s, (size_t)(c - s));
		ports = c + 1;
	}
	hp = strtoul(ports, &end, 10);
	if (*end != ':' || !hp || hp > 65535)
		return -EINVAL;
	if (ip[0] == '[' && ip[strlen(ip) - 1] == ']') {
		memmove(ip, ip + 1, strlen(ip) - 2);
		ip[strlen(ip) - 2] = '\0';
	}
	if (strchr(ip, ':')) {
		h6->sin6_family = AF_INET6;
		h6->sin6_port = htons((uint16_t)hp);
		if (inet_pton(AF_INET6, ip, &h6->sin6_addr) != 1)
			return -EINVAL;
		p->hostlen = sizeof(*h6);
	} else {
		h4->sin_family = AF_INET;
		h4->sin_port = htons((uint16_t)hp);
		if (ip[0] && inet_pton(AF_INET, ip, &h4->sin_addr) != 1)
			return -EINVAL;
		p->hostlen = sizeof(*h4);
	}
	g4->sin_family = AF_INET;
	g4->sin_port = htons((uint16_t)gp);
	g4->sin_addr = guest4;
	p->guestlen = sizeof(*g4);
	return 0;
}
