// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ifbuild.c - fill a struct ifview from struct ns_if_config
 */
#include "ifbuild.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/**
 * add_addr() - Append an address to an interface
 * @ifc:	Interface
 * @family:	AF_INET or AF_INET6
 * @addr:	4 or 16 bytes, network order
 * @prefix:	Prefix length
 */
static void add_addr(struct ifv_iface *ifc, int family, const void *addr,
		     unsigned int prefix)
{
	struct ifv_addr *a;

	if (ifc->naddrs >= IFV_ADDRS_MAX)
		return;
	a = &ifc->addrs[ifc->naddrs++];
	a->family = family;
	memcpy(a->addr, addr, family == AF_INET ? 4 : 16);
	a->prefix = prefix;
}

/**
 * add_default() - Append a default route via a gateway on eth0
 * @v:		View
 * @family:	AF_INET or AF_INET6
 * @gw:		Gateway, 4 or 16 bytes
 */
static void add_default(struct ifview *v, int family, const void *gw)
{
	struct ifv_route *r;

	if (v->nroutes >= IFV_ROUTES_MAX)
		return;
	r = &v->routes[v->nroutes++];
	memset(r, 0, sizeof(*r));
	r->family = family;
	memcpy(r->gw, gw, family == AF_INET ? 4 : 16);
	r->has_gw = true;
	r->ifindex = NS_IFINDEX_ETH0;
}

/**
 * ifbuild_eth0() - eth0 of a sandbox with a link
 * @v:		View
 * @cfg:	Netstack configuration
 */
static void ifbuild_eth0(struct ifview *v, const struct ns_if_config *cfg)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
	struct ifv_iface *e = &v->ifs[v->nifs++];
	uint8_t ll[16] = {0xfe, 0x80};

	e->index = NS_IFINDEX_ETH0;
	strcpy(e->name, "eth0");
	e->flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
	e->mtu = cfg->mtu;
	e->txqlen = 1000;
	memcpy(e->mac, cfg->mac, 6);
	if (cfg->addr4.s_addr)
		add_addr(e, AF_INET, &cfg->addr4, cfg->prefix4);
	if (memcmp(&cfg->addr6, &any6, sizeof(any6)))
		add_addr(e, AF_INET6, &cfg->addr6, cfg->prefix6);
	/* EUI-64, as lwIP's netif_create_ip6_linklocal_address() */
	ll[8] = cfg->mac[0] ^ 0x02;
	ll[9] = cfg->mac[1];
	ll[10] = cfg->mac[2];
	ll[11] = 0xff;
	ll[12] = 0xfe;
	memcpy(ll + 13, cfg->mac + 3, 3);
	add_addr(e, AF_INET6, ll, 64);
	if (cfg->gw4.s_addr)
		add_default(v, AF_INET, &cfg->gw4);
	if (memcmp(&cfg->gw6, &any6, sizeof(any6)))
		add_default(v, AF_INET6, &cfg->gw6);
}

/**
 * ifbuild() - The guest's view of the sandbox's interfaces
 * @v:		View to fill
 * @cfg:	Netstack configuration
 */
void ifbuild(struct ifview *v, const struct ns_if_config *cfg)
{
	struct in_addr lo4 = {htonl(INADDR_LOOPBACK)};
	struct ifv_iface *lo;

	memset(v, 0, sizeof(*v));
	lo = &v->ifs[v->nifs++];
	lo->index = NS_IFINDEX_LO;
	strcpy(lo->name, "lo");
	lo->flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	lo->mtu = 65536;
	add_addr(lo, AF_INET, &lo4, 8);
	add_addr(lo, AF_INET6, &in6addr_loopback, 128);
	if (cfg->present)
		ifbuild_eth0(v, cfg);
}
