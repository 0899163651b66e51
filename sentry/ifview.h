/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ifview.h - the sandbox's interfaces, addresses and routes as the guest sees
 * them
 *
 * Theory of operation: the sentry fills one struct ifview from the netstack's
 * configuration (lo, eth0, their addresses, the gateways) and passes it, const,
 * to nlroute.c (AF_NETLINK/NETLINK_ROUTE replies) and ifioctl.c (SIOCGIF*
 * answers). Both are pure functions of the view: no I/O, no allocation, no
 * state between calls. The view is plain data with no pointers, so it can be
 * static, copied, or rebuilt whenever the configuration changes.
 *
 * Conventions:
 * - addresses are in network byte order; AF_INET uses addr[0..3]
 * - ifs[] is in ifindex order; an index is > 0 and unique, a name is unique,
 *   NUL-terminated and at most IFV_NAMSIZ - 1 bytes
 * - flags are IFF_* from <net/if.h> as the administrator set them: IFF_UP,
 *   IFF_BROADCAST, IFF_LOOPBACK, IFF_RUNNING (carrier), IFF_MULTICAST, ...
 *   IFF_LOOPBACK selects ARPHRD_LOOPBACK, anything else is ARPHRD_ETHER
 * - routes[] holds only the routes an administrator adds (a default route via
 *   a gateway, a static route). Like the kernel, nlroute.c derives the
 *   connected ("proto kernel") routes and the whole local table from the
 *   addresses of interfaces that are up; a route in routes[] that repeats a
 *   derived one is shown once
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>

#ifndef IFV_IFS_MAX
#define IFV_IFS_MAX 4 /* interfaces in a view */
#endif
#ifndef IFV_ADDRS_MAX
#define IFV_ADDRS_MAX 8 /* addresses per interface */
#endif
#ifndef IFV_ROUTES_MAX
#define IFV_ROUTES_MAX 8 /* administrator routes */
#endif
#define IFV_NAMSIZ 16	      /* IFNAMSIZ */
#define IFV_LOWER_UP 0x10000U /* IFF_LOWER_UP of <linux/if.h> */

/**
 * struct ifv_addr - One address of an interface
 * @family:	AF_INET or AF_INET6
 * @addr:	Address, network order; AF_INET uses the first 4 bytes
 * @prefix:	Prefix length: 0..32 or 0..128
 */
struct ifv_addr {
	int family;
	uint8_t addr[16];
	unsigned int prefix;
};

/**
 * struct ifv_stats - Counters, as IFLA_STATS/IFLA_STATS64 report them
 * @rx_packets:	Frames received
 * @tx_packets:	Frames sent
 * @rx_bytes:	Bytes received
 * @tx_bytes:	Bytes sent
 * @rx_dropped:	Frames dropped on receive
 * @tx_dropped:	Frames dropped on send
 */
struct ifv_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t rx_dropped;
	uint64_t tx_dropped;
};

/**
 * struct ifv_iface - One network interface
 * @index:	Interface index, > 0
 * @name:	Name, NUL-terminated
 * @flags:	IFF_* (see the theory block)
 * @mtu:	MTU in bytes
 * @txqlen:	Transmit queue length (1000 for lo and eth0 on Linux)
 * @mac:	Hardware address; all zero for loopback
 * @addrs:	Addresses, in the order `ip addr` lists them per family
 * @naddrs:	Entries used in @addrs
 * @stats:	Counters
 */
struct ifv_iface {
	int index;
	char name[IFV_NAMSIZ];
	unsigned int flags;
	unsigned int mtu;
	unsigned int txqlen;
	uint8_t mac[6];
	struct ifv_addr addrs[IFV_ADDRS_MAX];
	int naddrs;
	struct ifv_stats stats;
};

/**
 * struct ifv_route - A route an administrator added (main table)
 * @family:	AF_INET or AF_INET6
 * @dst:	Destination prefix, network order
 * @dst_len:	Prefix length; 0 for a default route
 * @gw:		Gateway, if @has_gw
 * @has_gw:	Route goes through @gw
 * @ifindex:	Output interface
 * @metric:	RTA_PRIORITY; 0 means Linux's default (none for IPv4, 1024 for
 *		IPv6)
 */
struct ifv_route {
	int family;
	uint8_t dst[16];
	unsigned int dst_len;
	uint8_t gw[16];
	bool has_gw;
	int ifindex;
	unsigned int metric;
};

/**
 * struct ifview - The sandbox's network configuration, as the guest sees it
 * @ifs:	Interfaces, in index order
 * @nifs:	Entries used in @ifs
 * @routes:	Administrator routes
 * @nroutes:	Entries used in @routes
 */
struct ifview {
	struct ifv_iface ifs[IFV_IFS_MAX];
	int nifs;
	struct ifv_route routes[IFV_ROUTES_MAX];
	int nroutes;
};

/**
 * ifv_by_index() - Interface with index @index
 * @v:		View
 * @index:	Interface index
 *
 * Return: the interface, or NULL if there is none
 */
static inline const struct ifv_iface *ifv_by_index(const struct ifview *v,
						   int index)
{
	int i;

	for (i = 0; i < v->nifs && i < IFV_IFS_MAX; i++) {
		if (v->ifs[i].index == index)
			return &v->ifs[i];
	}
	return NULL;
}

/**
 * ifv_by_name() - Interface named by the first @len bytes of @name
 * @v:		View
 * @name:	Name, not necessarily NUL-terminated
 * @len:	Length of the name in @name
 *
 * Return: the interface, or NULL if there is none
 */
static inline const struct ifv_iface *ifv_by_name(const struct ifview *v,
						  const char *name, size_t len)
{
	int i;

	if (len >= IFV_NAMSIZ)
		return NULL;
	for (i = 0; i < v->nifs && i < IFV_IFS_MAX; i++) {
		const char *n = v->ifs[i].name;

		if (strnlen(n, IFV_NAMSIZ) == len && !memcmp(n, name, len))
			return &v->ifs[i];
	}
	return NULL;
}

/**
 * ifv_flags() - Interface flags as Linux's dev_get_flags() reports them
 * @ifc:	Interface
 *
 * Return: IFF_* with IFF_RUNNING and IFF_LOWER_UP only while up with carrier
 */
static inline unsigned int ifv_flags(const struct ifv_iface *ifc)
{
	unsigned int f = ifc->flags & ~(IFF_RUNNING | IFV_LOWER_UP);

	if ((ifc->flags & IFF_UP) && (ifc->flags & IFF_RUNNING))
		f |= IFF_RUNNING | IFV_LOWER_UP;
	return f;
}
