/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ifscrape.h - take an interface and its addresses over from the kernel
 *
 * Theory of operation
 *
 * Under Docker, the sentry runs in the container's network namespace after
 * the prestart hook put a veth "eth0" there with addresses and a default
 * route. ifscrape_take() reads, over rtnetlink in the CURRENT network
 * namespace (the caller guarantees it is the container's; nothing here
 * ever enters another one):
 *   RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE (IPv4, IPv6) dumps,
 * picks the interface (the one named, or the first non-loopback Ethernet
 * interface that is up or has addresses), and fills a struct ns_if_config
 * for netstack:
 *   - present = true; mac; mtu = the link's, capped to NS_MTU_MAX;
 *   - addr4/prefix4: the primary IPv4 address (IFA_LOCAL);
 *   - gw4: the gateway of the IPv4 default route through it (main table,
 *     lowest metric; a multipath route's first hop through it);
 *   - addr6/prefix6: the first global IPv6 address (not link-local, not
 *     dadfailed; a tentative one counts: lwIP takes it as preferred);
 *     gw6 likewise from ::/0 (it may be a link-local router address).
 * Then it takes the interface from the kernel's IP stack, so that the
 * kernel no longer answers for those addresses (ARP, NDP, RSTs, ICMP
 * errors), while frames keep flowing to the packet socket that
 * tap_packet_open() binds to it:
 *   - RTM_DELADDR for every IPv4 and IPv6 address of it (link-local too),
 *     checked by a new dump, in at most IFSCRAPE_PASSES passes;
 *   - /proc/sys/net/ipv6/conf/IF/disable_ipv6 = 1 (no new link-local, no
 *     DAD or router solicitations with lwIP's MAC; absent without IPv6);
 *   - /proc/sys/net/ipv4/conf/IF/arp_ignore = 8 (no ARP replies for the
 *     addresses of other interfaces either);
 *   - the link set up (RTM_NEWLINK, IFF_UP).
 * Routes through the interface vanish with its addresses, which is why
 * they are read first. Order matters for the caller only in that frames
 * that arrive between ifscrape_take() and tap_packet_open() are lost (TCP
 * retransmits them).
 *
 * The MAC stays the same: lwIP answers ARP with eth0's own MAC, so the
 * peers' neighbour caches stay valid. If the link MTU was above
 * NS_MTU_MAX, peers may still send larger non-TCP packets than lwIP takes.
 *
 * Use, in the boot code (container namespace, before confinement; needs
 * CAP_NET_ADMIN here and CAP_NET_RAW for the packet socket):
 *   r = ifscrape_take(NULL, &cfg, ifname, sizeof(ifname));
 *   -ENODEV: no interface, run loopback-only (cfg.present = false);
 *   else tap_packet_open(ifname, &fd), tap_adopt(&tap, fd, cfg.mtu, true),
 *   ns_init(&cfg, out, &tap), ns_set_csum_offload(true).
 * The sysctls are written through /proc/sys/net, which shows the network
 * namespace of the process that opens the file, in any procfs mount.
 *
 * Netlink messages are built and parsed by pure functions (below), so that
 * unit tests feed them synthetic dumps; every attribute is bounds-checked
 * and a malformed message fails the parse with -EBADMSG. Errors are -errno;
 * setup stage only (before confinement), single-threaded.
 */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netstack/netstack.h"

#ifndef IFSCRAPE_LINKS_MAX
#define IFSCRAPE_LINKS_MAX 32 /* interfaces remembered from one dump */
#endif
#ifndef IFSCRAPE_ADDRS_MAX
#define IFSCRAPE_ADDRS_MAX 64 /* addresses remembered, per pass */
#endif
#ifndef IFSCRAPE_ROUTES_MAX
#define IFSCRAPE_ROUTES_MAX 16 /* default routes remembered */
#endif
#ifndef IFSCRAPE_PASSES
#define IFSCRAPE_PASSES 4 /* delete-and-dump passes before giving up */
#endif

int ifscrape_take(const char *ifname, struct ns_if_config *cfg,
		  char *ifname_out, size_t len);

/* --- the pure layer: netlink messages to and from a struct ifscrape_scan */

/**
 * struct ifscrape_link - one interface of a RTM_GETLINK dump
 * @index:	ifi_index
 * @type:	ifi_type (ARPHRD_*)
 * @flags:	ifi_flags (IFF_*)
 * @mtu:	IFLA_MTU, 0 if absent
 * @name:	IFLA_IFNAME
 * @mac:	IFLA_ADDRESS, when @has_mac
 * @has_mac:	IFLA_ADDRESS was 6 bytes long
 */
struct ifscrape_link {
	int index;
	unsigned int type;
	unsigned int flags;
	unsigned int mtu;
	char name[IFNAMSIZ];
	uint8_t mac[6];
	bool has_mac;
};

/**
 * struct ifscrape_addr - one address of a RTM_GETADDR dump
 * @index:	ifa_index
 * @family:	AF_INET or AF_INET6
 * @prefix:	ifa_prefixlen
 * @scope:	ifa_scope (RT_SCOPE_*)
 * @flags:	IFA_FLAGS if present, else ifa_flags (IFA_F_*)
 * @addr:	IFA_LOCAL (IPv4, else IFA_ADDRESS) or IFA_ADDRESS (IPv6)
 * @peer:	IFA_ADDRESS when it differs from IFA_LOCAL (IPv4
 *		point-to-point), needed to name the address in RTM_DELADDR
 * @has_peer:	@peer is set
 */
struct ifscrape_addr {
	int index;
	uint8_t family;
	uint8_t prefix;
	uint8_t scope;
	uint32_t flags;
	uint8_t addr[16];
	uint8_t peer[16];
	bool has_peer;
};

/**
 * struct ifscrape_route - one default route of a RTM_GETROUTE dump
 * @family:	AF_INET or AF_INET6
 * @oif:	Output interface (RTA_OIF, or the multipath hop's)
 * @prio:	RTA_PRIORITY (metric), 0 if absent
 * @gw:		RTA_GATEWAY, when @has_gw
 * @has_gw:	The route has a gateway (else: on-link default)
 */
struct ifscrape_route {
	uint8_t family;
	int oif;
	uint32_t prio;
	uint8_t gw[16];
	bool has_gw;
};

/**
 * struct ifscrape_scan - what the dumps said
 * @links:	Interfaces, in dump order
 * @nlinks:	Entries in @links
 * @addrs:	Addresses, in dump order
 * @naddrs:	Entries in @addrs
 * @routes:	Default routes (main table, unicast), in dump order
 * @nroutes:	Entries in @routes
 * @overflow:	Entries that did not fit in a table
 * @index:	When not 0, addresses of other interfaces are skipped
 */
struct ifscrape_scan {
	struct ifscrape_link links[IFSCRAPE_LINKS_MAX];
	unsigned int nlinks;
	struct ifscrape_addr addrs[IFSCRAPE_ADDRS_MAX];
	unsigned int naddrs;
	struct ifscrape_route routes[IFSCRAPE_ROUTES_MAX];
	unsigned int nroutes;
	unsigned int overflow;
	int index;
};

int ifscrape_msg_dump(void *buf, size_t cap, uint16_t type, uint8_t family,
		      uint32_t seq);
int ifscrape_msg_deladdr(void *buf, size_t cap, const struct ifscrape_addr *a,
			 uint32_t seq);
int ifscrape_msg_linkup(void *buf, size_t cap, int index, uint32_t seq);
int ifscrape_parse(struct ifscrape_scan *s, const void *buf, size_t len,
		   uint32_t seq);
int ifscrape_pick(const struct ifscrape_scan *s, const char *ifname,
		  struct ns_if_config *cfg, const struct ifscrape_link **link);
