/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ifioctl.h - SIOCGIF* and SIOCGIFCONF answered from a struct ifview
 *
 * Theory of operation: when the guest calls ioctl() with an interface
 * request (ifi_owns()) on any socket, the sentry copies the guest's struct
 * ifreq in, calls ifi_ioctl() with the socket's domain, and on success copies
 * the struct back, as Linux does; SIOCGIFCONF goes to ifi_conf() instead.
 * Pure functions of the view: no I/O, no state. The answers and errnos are
 * Linux 6.18's for a caller without CAP_NET_ADMIN (net/core/dev_ioctl.c,
 * net/ipv4/devinet.c, net/ipv4/af_inet.c, net/ipv6/af_inet6.c), checked on
 * a real netns:
 * - unknown name or index: -ENODEV; a name is cut at ':' (alias label) for
 *   device requests, while address requests need the whole label
 * - SIOCGIF{ADDR,DSTADDR,BRDADDR,NETMASK}: AF_INET (and AF_PACKET) sockets
 *   only, else -ENOTTY; no IPv4 address with that label: -EADDRNOTAVAIL;
 *   the address given in ifr_addr selects among several (4.4BSD style)
 * - SIOCGIFPFLAGS: -EINVAL on AF_INET, -ENOTTY elsewhere; SIOCGIFSLAVE:
 *   -EINVAL; SIOCGIFBR: -EOPNOTSUPP
 * - device requests that need a driver (SIOCETHTOOL, MII, timestamping,
 *   private): -ENODEV or -EOPNOTSUPP
 * - every change (SIOCS*, SIOCADDRT, SIOCDIFADDR, SIOCADDMULTI, ...):
 *   -EPERM, or -ENOTTY where the socket's family has no such request
 * - anything else in ifi_owns()'s range: -ENOTTY, like Linux's dev_ioctl()
 */
#pragma once

#include <stdbool.h>
#include <net/if.h>

#include "ifview.h"

bool ifi_owns(unsigned long req);
int ifi_ioctl(const struct ifview *v, int family, unsigned long req,
	      struct ifreq *ifr);
int ifi_conf(const struct ifview *v, struct ifreq *buf, int len, int *outlen);
