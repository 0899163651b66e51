// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * open.c - create a tap device and configure its host side
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

/**
 * tap_create() - Create a tap device in the caller's network namespace
 * @name:	Requested name, or a pattern like "runsc%d"
 * @offload:	Frames with a virtio-net header: checksum offload and TSO
 * @ifname:	Actual name (IFNAMSIZ bytes)
 * @fd:		Frame fd (CLOEXEC, non-blocking), owned by the caller
 *
 * The device is not persistent: it disappears with the last close of @fd.
 *
 * Return: 0 or -errno
 */
int tap_create(const char *name, bool offload, char *ifname, int *fd)
{
	_cleanup_close_ int tfd = -1;
	struct ifreq ifr;
	int r;

	tfd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (tfd < 0) {
		r = -errno;
		err_errno(r, "tap: opening /dev/net/tun");
		return r;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0);
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0) {
		r = -errno;
		err_errno(r, "tap: creating %s", name);
		return r;
	}
	if (offload && ioctl(tfd, TUNSETOFFLOAD,
			     TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0) {
		r = -errno;
		err_errno(r, "tap: offloads on %s", name);
		return r;
	}
	memcpy(ifname, ifr.ifr_name, IFNAMSIZ);
	*fd = TAKE_FD(tfd);
	return 0;
}

/**
 * set_addr() - Put an IPv4 address and netmask on an interface
 * @s:		AF_INET datagram socket
 * @ifname:	Interface
 * @addr:	Address
 * @prefix:	Prefix length
 *
 * Return: 0 or -errno
 */
static int set_addr4(int s, const char *ifname, struct in_addr addr,
		     unsigned int prefix)
{
	struct sockaddr_in *sin;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	sin->sin_addr = addr;
	if (ioctl(s, SIOCSIFADDR, &ifr) < 0)
		return -errno;
	sin->sin_addr.s_addr =
	    prefix ? htonl(~((1U << (32 - prefix)) - 1) & 0xffffffff) : 0;
	if (prefix >= 32)
		sin->sin_addr.s_addr = 0xffffffff;
	if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0)
		return -errno;
	return 0;
}

/**
 * set_addr6() - Add an IPv6 address to an interface
 * @ifname:	Interface
 * @addr:	Address
 * @prefix:	Prefix length
 *
 * Return: 0 or -errno
 */
static int set_addr6(const char *ifname, const struct in6_addr *addr,
		     unsigned int prefix)
{
	struct in6_ifreq {
		struct in6_addr addr;
		uint32_t prefixlen;
		int ifindex;
	} r6;
	_cleanup_close_ int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char path[128];
	int fd;

	if (s < 0)
		return -errno;
	/* both ends are ours: no duplicate address detection, so the address
	 * is usable at once instead of tentative for a second */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_dad",
		 ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "0", 1) != 1)
			debug("tap: cannot turn off dad on %s", ifname);
		close(fd);
	}
	r6.addr = *addr;
	r6.prefixlen = prefix;
	r6.ifindex = (int)if_nametoindex(ifname);
	if (!r6.ifindex || ioctl(s, SIOCSIFADDR, &r6) < 0)
		return -errno;
	return 0;
}

/**
 * tap_host_config() - Address the host side of a tap and bring it up
 * @ifname:	Interface
 * @mtu:	MTU
 * @addr4:	IPv4 address (0: none)
 * @prefix4:	IPv4 prefix length
 * @addr6:	IPv6 address, or NULL
 * @prefix6:	IPv6 prefix length
 *
 * Return: 0 or -errno
 */
int tap_host_config(const char *ifname, unsigned int mtu, struct in_addr addr4,
		    unsigned int prefix4, const struct in6_addr *addr6,
		    unsigned int prefix6)
{
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	int r;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
		r = -errno;
		err_errno(r, "tap: mtu %u on %s", mtu, ifname);
		return r;
	}
	if (addr4.s_addr && (r = set_addr4(s, ifname, addr4, prefix4)) < 0) {
		err_errno(r, "tap: ipv4 address on %s", ifname);
		return r;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
		r = -errno;
		err_errno(r, "tap: bringing %s up", ifname);
		return r;
	}
	if (addr6 && (r = set_addr6(ifname, addr6, prefix6)) < 0)
		warn_errno(r, "tap: ipv6 address on %s", ifname);
	return 0;
}
