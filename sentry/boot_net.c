// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boot_net.c - the sentry of an OCI container takes its network interface
 *
 * In sandbox mode the sentry runs in the container's network namespace,
 * where Docker's prestart hook has put eth0 with its addresses and routes.
 * boot_take_link() hands eth0 to lwIP: ifscrape_take() reads MAC, MTU,
 * addresses and gateways and removes the addresses from the kernel, and a
 * packet socket on eth0 becomes the link. A namespace without such an
 * interface (docker --network=none) leaves the sandbox with loopback only.
 */
#include "boot.h"

#include <errno.h>
#include <net/if.h>
#include <unistd.h>

#include "ifscrape.h"
#include "log.h"
#include "netstack/netstack.h"
#include "tap/tap.h"

/**
 * boot_take_link() - eth0 of the current network namespace, for lwIP
 * @t:		Link to adopt the packet socket
 * @cfg:	Interface configuration for netstack; present == false when
 *		there is no interface to take
 *
 * Return: 0 or -errno
 */
int boot_take_link(struct tap *t, struct ns_if_config *cfg)
{
	char ifname[IFNAMSIZ];
	int fd, r;

	r = ifscrape_take(NULL, cfg, ifname, sizeof(ifname));
	if (r == -ENODEV) {
		cfg->present = false;
		debug("boot: no interface in the container's namespace");
		return 0;
	}
	if (r < 0)
		return r;
	r = tap_packet_open(ifname, &fd);
	if (r < 0)
		return r;
	r = tap_adopt(t, fd, cfg->mtu, true);
	if (r < 0) {
		close(fd);
		return r;
	}
	debug("boot: %s taken over, mtu %u", ifname, cfg->mtu);
	return 0;
}
