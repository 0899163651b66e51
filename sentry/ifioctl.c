// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ifioctl.c - SIOCGIF* and SIOCGIFCONF answered from a struct ifview
 *
 * One table maps each request to how Linux resolves it (by index, by device
 * name, by IPv4 label, refused for lack of CAP_NET_ADMIN, ...) and to the
 * function that fills the answer. The struct ifreq is the sentry's copy of
 * the guest's: it is checked here like any other guest input (the name may
 * lack its NUL, the address family may be anything).
 */
#include "ifioctl.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <net/if_arp.h>
#include <linux/sockios.h>

#include "base.h"

/**
 * enum ifi_kind - How Linux resolves a request before answering it
 * @IFI_BYINDEX:	SIOCGIFNAME: the device with ifr_ifindex
 * @IFI_DEV:		Device named in ifr_name, cut at ':' (dev_ioctl())
 * @IFI_INET:		IPv4 address labelled ifr_name (devinet_ioctl());
 *			AF_INET and AF_PACKET sockets only
 * @IFI_DRIVER:		Device must exist; our devices have no driver ioctls
 * @IFI_SET:		A change: -EPERM on every socket
 * @IFI_SET_INET:	A change Linux has on AF_INET sockets only
 * @IFI_SET_INET6:	A change Linux has on AF_INET6 sockets only
 * @IFI_SET_IP:		A change Linux has on AF_INET and AF_INET6 sockets
 * @IFI_FIXED:		Fixed errno on AF_INET sockets, -ENOTTY elsewhere
 * @IFI_FIXED_ANY:	Fixed errno on every socket
 * @IFI_NUM_KINDS:	Number of kinds
 */
enum ifi_kind {
	IFI_BYINDEX,
	IFI_DEV,
	IFI_INET,
	IFI_DRIVER,
	IFI_SET,
	IFI_SET_INET,
	IFI_SET_INET6,
	IFI_SET_IP,
	IFI_FIXED,
	IFI_FIXED_ANY,
	IFI_NUM_KINDS,
};

/**
 * fill_flags() - SIOCGIFFLAGS: IFF_*, truncated to short as in Linux
 * @ifc:	Interface
 * @a:		Unused (IPv4 address of IFI_INET requests)
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_flags(const struct ifv_iface *ifc, const struct ifv_addr *a,
		      struct ifreq *ifr)
{
	ifr->ifr_flags = (short)ifv_flags(ifc);
	return 0;
}

/**
 * fill_metric() - SIOCGIFMETRIC: always 0 on Linux
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_metric(const struct ifv_iface *ifc, const struct ifv_addr *a,
		       struct ifreq *ifr)
{
	ifr->ifr_metric = 0;
	return 0;
}

/**
 * fill_mtu() - SIOCGIFMTU
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_mtu(const struct ifv_iface *ifc, const struct ifv_addr *a,
		    struct ifreq *ifr)
{
	ifr->ifr_mtu = (int)ifc->mtu;
	return 0;
}

/**
 * fill_map() - SIOCGIFMAP: no I/O memory, IRQ or DMA
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_map(const struct ifv_iface *ifc, const struct ifv_addr *a,
		    struct ifreq *ifr)
{
	memset(&ifr->ifr_map, 0, sizeof(ifr->ifr_map));
	return 0;
}

/**
 * fill_index() - SIOCGIFINDEX
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_index(const struct ifv_iface *ifc, const struct ifv_addr *a,
		      struct ifreq *ifr)
{
	ifr->ifr_ifindex = ifc->index;
	return 0;
}

/**
 * fill_txqlen() - SIOCGIFTXQLEN
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_txqlen(const struct ifv_iface *ifc, const struct ifv_addr *a,
		       struct ifreq *ifr)
{
	ifr->ifr_qlen = (int)ifc->txqlen;
	return 0;
}

/**
 * fill_hwaddr() - SIOCGIFHWADDR: ARPHRD_* type and MAC address
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_hwaddr(const struct ifv_iface *ifc, const struct ifv_addr *a,
		       struct ifreq *ifr)
{
	struct sockaddr *sa = &ifr->ifr_hwaddr;

	sa->sa_family =
	    (ifc->flags & IFF_LOOPBACK) ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
	memset(sa->sa_data, 0, sizeof(sa->sa_data));
	memcpy(sa->sa_data, ifc->mac, sizeof(ifc->mac));
	return 0;
}

/**
 * fill_slave() - SIOCGIFSLAVE: no bonding, -EINVAL once the device exists
 * @ifc:	Interface
 * @a:		Unused
 * @ifr:	Unused
 *
 * Return: -EINVAL
 */
static int fill_slave(const struct ifv_iface *ifc, const struct ifv_addr *a,
		      struct ifreq *ifr)
{
	return -EINVAL;
}

/**
 * put_in() - Store an IPv4 address as a struct sockaddr_in in ifr_addr
 * @ifr:	Request to fill
 * @addr:	Address, network order, 4 bytes
 */
static void put_in(struct ifreq *ifr, const uint8_t *addr)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};

	memcpy(&sin.sin_addr, addr, 4);
	memcpy(&ifr->ifr_addr, &sin, sizeof(sin));
}

/**
 * mask4() - IPv4 netmask, or broadcast address, of an address
 * @a:		Address
 * @bcast:	Give the broadcast address instead of the netmask
 * @out:	Result, network order, 4 bytes
 */
static void mask4(const struct ifv_addr *a, bool bcast, uint8_t *out)
{
	uint32_t m = a->prefix ? ~0U << (32 - MIN(a->prefix, 32U)) : 0, x;

	x = (uint32_t)a->addr[0] << 24 | (uint32_t)a->addr[1] << 16 |
	    (uint32_t)a->addr[2] << 8 | a->addr[3];
	x = bcast ? (x | ~m) : m;
	out[0] = (uint8_t)(x >> 24);
	out[1] = (uint8_t)(x >> 16);
	out[2] = (uint8_t)(x >> 8);
	out[3] = (uint8_t)x;
}

/**
 * fill_addr() - SIOCGIFADDR and SIOCGIFDSTADDR: the local address (Linux
 *		 gives ifa_address, equal to it without a point-to-point peer)
 * @ifc:	Interface
 * @a:		IPv4 address
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_addr(const struct ifv_iface *ifc, const struct ifv_addr *a,
		     struct ifreq *ifr)
{
	put_in(ifr, a->addr);
	return 0;
}

/**
 * fill_brdaddr() - SIOCGIFBRDADDR: as IFA_BROADCAST, 0.0.0.0 without one
 * @ifc:	Interface
 * @a:		IPv4 address
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_brdaddr(const struct ifv_iface *ifc, const struct ifv_addr *a,
			struct ifreq *ifr)
{
	uint8_t b[4] = {0};

	if (a->prefix <= 30 && !(ifc->flags & IFF_LOOPBACK))
		mask4(a, true, b);
	put_in(ifr, b);
	return 0;
}

/**
 * fill_netmask() - SIOCGIFNETMASK
 * @ifc:	Interface
 * @a:		IPv4 address
 * @ifr:	Request to fill
 *
 * Return: 0
 */
static int fill_netmask(const struct ifv_iface *ifc, const struct ifv_addr *a,
			struct ifreq *ifr)
{
	uint8_t m[4];

	mask4(a, false, m);
	put_in(ifr, m);
	return 0;
}

/**
 * struct ifi_req - One request and how to answer it
 * @req:	Request number
 * @kind:	How Linux resolves it
 * @fill:	Fills the answer (IFI_DEV, IFI_INET)
 * @err:	Errno (IFI_FIXED, IFI_FIXED_ANY)
 */
struct ifi_req {
	unsigned long req;
	enum ifi_kind kind;
	int (*fill)(const struct ifv_iface *ifc, const struct ifv_addr *a,
		    struct ifreq *ifr);
	int err;
};

static const struct ifi_req reqs[] = {
    {SIOCGIFNAME, IFI_BYINDEX, NULL, 0},
    {SIOCGIFFLAGS, IFI_DEV, fill_flags, 0},
    {SIOCGIFMETRIC, IFI_DEV, fill_metric, 0},
    {SIOCGIFMTU, IFI_DEV, fill_mtu, 0},
    {SIOCGIFMAP, IFI_DEV, fill_map, 0},
    {SIOCGIFINDEX, IFI_DEV, fill_index, 0},
    {SIOCGIFTXQLEN, IFI_DEV, fill_txqlen, 0},
    {SIOCGIFHWADDR, IFI_DEV, fill_hwaddr, 0},
    {SIOCGIFSLAVE, IFI_DEV, fill_slave, 0},
    {SIOCGIFADDR, IFI_INET, fill_addr, 0},
    {SIOCGIFDSTADDR, IFI_INET, fill_addr, 0},
    {SIOCGIFBRDADDR, IFI_INET, fill_brdaddr, 0},
    {SIOCGIFNETMASK, IFI_INET, fill_netmask, 0},
    {SIOCETHTOOL, IFI_DRIVER, NULL, 0},
    {SIOCGMIIPHY, IFI_DRIVER, NULL, 0},
    {SIOCGMIIREG, IFI_DRIVER, NULL, 0},
    {SIOCGHWTSTAMP, IFI_DRIVER, NULL, 0},
    {SIOCWANDEV, IFI_DRIVER, NULL, 0},
    {SIOCGIFPFLAGS, IFI_FIXED, NULL, -EINVAL},
    {SIOCSIFPFLAGS, IFI_FIXED, NULL, -EINVAL},
    {SIOCGIFBR, IFI_FIXED_ANY, NULL, -EOPNOTSUPP},
    {SIOCSIFFLAGS, IFI_SET, NULL, 0},
    {SIOCSIFMETRIC, IFI_SET, NULL, 0},
    {SIOCSIFMTU, IFI_SET, NULL, 0},
    {SIOCSIFMAP, IFI_SET, NULL, 0},
    {SIOCSIFHWADDR, IFI_SET, NULL, 0},
    {SIOCSIFHWBROADCAST, IFI_SET, NULL, 0},
    {SIOCSIFSLAVE, IFI_SET, NULL, 0},
    {SIOCADDMULTI, IFI_SET, NULL, 0},
    {SIOCDELMULTI, IFI_SET, NULL, 0},
    {SIOCSIFTXQLEN, IFI_SET, NULL, 0},
    {SIOCSIFNAME, IFI_SET, NULL, 0},
    {SIOCSMIIREG, IFI_SET, NULL, 0},
    {SIOCSHWTSTAMP, IFI_SET, NULL, 0},
    {SIOCSIFBR, IFI_SET, NULL, 0},
    {SIOCBRADDBR, IFI_SET, NULL, 0},
    {SIOCBRDELBR, IFI_SET, NULL, 0},
    {SIOCBRADDIF, IFI_SET, NULL, 0},
    {SIOCBRDELIF, IFI_SET, NULL, 0},
    {SIOCBONDENSLAVE, IFI_SET, NULL, 0},
    {SIOCBONDRELEASE, IFI_SET, NULL, 0},
    {SIOCBONDSETHWADDR, IFI_SET, NULL, 0},
    {SIOCBONDCHANGEACTIVE, IFI_SET, NULL, 0},
    {SIOCSIFADDR, IFI_SET_IP, NULL, 0},
    {SIOCSIFDSTADDR, IFI_SET_IP, NULL, 0},
    {SIOCADDRT, IFI_SET_IP, NULL, 0},
    {SIOCDELRT, IFI_SET_IP, NULL, 0},
    {SIOCSIFBRDADDR, IFI_SET_INET, NULL, 0},
    {SIOCSIFNETMASK, IFI_SET_INET, NULL, 0},
    {SIOCDIFADDR, IFI_SET_INET6, NULL, 0},
    {SIOCDEVPRIVATE, IFI_DRIVER, NULL, 0}, /* and the next 15 */
};

/**
 * ifi_owns() - Whether a guest ioctl() on a socket is for this module
 * @req:	Request number
 *
 * The interface range 0x8910..0x89ff (with SIOCADDRT and SIOCDELRT), less
 * the socket-level SIOCOUTQNSD and SIOCGSKNS and the ARP table requests,
 * which the socket itself answers. SIOCGIFCONF is owned: see ifi_conf().
 *
 * Return: true if ifi_ioctl() or ifi_conf() gives the answer
 */
bool ifi_owns(unsigned long req)
{
	if (req == SIOCADDRT || req == SIOCDELRT)
		return true;
	if (req < SIOCGIFNAME || req > SIOCDEVPRIVATE + 15)
		return false;
	if (req == SIOCOUTQNSD || req == SIOCGSKNS)
		return false;
	return req < SIOCDARP || req > SIOCSRARP;
}

/**
 * is_inet() - Whether a socket family answers IPv4 address requests
 * @family:	Socket domain
 *
 * Return: true for AF_INET, and AF_PACKET which hands them to AF_INET
 */
static bool is_inet(int family)
{
	return family == AF_INET || family == AF_PACKET;
}

/**
 * by_name() - The device named in @ifr, as dev_ioctl() finds it
 * @v:		View
 * @ifr:	Request; ifr_name is NUL-terminated here, as Linux does
 * @colon:	Set if the name had an alias label (":..."), may be NULL
 *
 * Return: the interface, or NULL
 */
static const struct ifv_iface *by_name(const struct ifview *v,
				       struct ifreq *ifr, bool *colon)
{
	const char *c;
	size_t len;

	ifr->ifr_name[IFNAMSIZ - 1] = '\0';
	len = strlen(ifr->ifr_name);
	c = strchr(ifr->ifr_name, ':');
	if (colon)
		*colon = c;
	if (c)
		len = (size_t)(c - ifr->ifr_name);
	return ifv_by_name(v, ifr->ifr_name, len);
}

/**
 * inet_addr() - The IPv4 address an address request is about
 * @ifc:	Interface
 * @ifr:	Request: an AF_INET ifr_addr picks one of several addresses
 *
 * Return: the address, or NULL if @ifc has no IPv4 address
 */
static const struct ifv_addr *inet_addr(const struct ifv_iface *ifc,
					const struct ifreq *ifr)
{
	const struct ifv_addr *first = NULL, *a;
	struct sockaddr_in sin;
	int i;

	memcpy(&sin, &ifr->ifr_addr, sizeof(sin));
	for (i = 0; i < ifc->naddrs && i < IFV_ADDRS_MAX; i++) {
		a = &ifc->addrs[i];
		if (a->family != AF_INET)
			continue;
		if (sin.sin_family == AF_INET &&
		    !memcmp(&sin.sin_addr, a->addr, 4))
			return a;
		if (!first)
			first = a;
	}
	return first;
}

/**
 * answer_inet() - Answer an IPv4 address request (devinet_ioctl())
 * @v:		View
 * @r:		Request entry
 * @ifr:	Request
 *
 * Return: 0, -ENODEV or -EADDRNOTAVAIL
 */
static int answer_inet(const struct ifview *v, const struct ifi_req *r,
		       struct ifreq *ifr)
{
	const struct ifv_iface *ifc;
	const struct ifv_addr *a;
	bool colon;

	ifc = by_name(v, ifr, &colon);
	if (!ifc)
		return -ENODEV;
	a = inet_addr(ifc, ifr);
	if (!a || colon) /* labels are device names: no alias matches */
		return -EADDRNOTAVAIL;
	return r->fill(ifc, a, ifr);
}

/**
 * answer_byindex() - SIOCGIFNAME: name of the device with ifr_ifindex
 * @v:		View
 * @ifr:	Request
 *
 * Return: 0 or -ENODEV
 */
static int answer_byindex(const struct ifview *v, struct ifreq *ifr)
{
	const struct ifv_iface *ifc = ifv_by_index(v, ifr->ifr_ifindex);

	if (!ifc)
		return -ENODEV;
	memcpy(ifr->ifr_name, ifc->name, strnlen(ifc->name, IFNAMSIZ - 1));
	ifr->ifr_name[strnlen(ifc->name, IFNAMSIZ - 1)] = '\0';
	return 0;
}

/**
 * ifi_ioctl() - Answer an interface ioctl() as Linux would
 * @v:		Interfaces to describe
 * @family:	Domain of the socket the guest called ioctl() on
 * @req:	Request number
 * @ifr:	The guest's struct ifreq, copied in; the answer on success
 *
 * Return: 0, or -errno for the guest (see ifioctl.h); -ENOTTY for
 *	   SIOCGIFCONF, which is ifi_conf()'s
 */
int ifi_ioctl(const struct ifview *v, int family, unsigned long req,
	      struct ifreq *ifr)
{
	const struct ifi_req *r = NULL;
	const struct ifv_iface *ifc;
	size_t i;

	if (req > SIOCDEVPRIVATE && req <= SIOCDEVPRIVATE + 15)
		req = SIOCDEVPRIVATE; /* all the driver's own */
	for (i = 0; i < ARRAY_SIZE(reqs) && !r; i++) {
		if (reqs[i].req == req)
			r = &reqs[i];
	}
	if (!r)
		return -ENOTTY;
	switch (r->kind) {
	case IFI_BYINDEX:
		return answer_byindex(v, ifr);
	case IFI_DEV:
	case IFI_DRIVER:
		ifc = by_name(v, ifr, NULL);
		if (!ifc)
			return -ENODEV;
		return r->fill ? r->fill(ifc, NULL, ifr) : -EOPNOTSUPP;
	case IFI_INET:
		return is_inet(family) ? answer_inet(v, r, ifr) : -ENOTTY;
	case IFI_SET:
		return -EPERM;
	case IFI_SET_INET:
		return is_inet(family) ? -EPERM : -ENOTTY;
	case IFI_SET_INET6:
		return family == AF_INET6 ? -EPERM : -ENOTTY;
	case IFI_SET_IP:
		return is_inet(family) || family == AF_INET6 ? -EPERM : -ENOTTY;
	case IFI_FIXED:
		return is_inet(family) ? r->err : -ENOTTY;
	case IFI_FIXED_ANY:
	case IFI_NUM_KINDS:
		break;
	}
	return r->err ? r->err : -ENOTTY;
}

/**
 * ifi_conf() - SIOCGIFCONF: one struct ifreq per IPv4 address
 * @v:		Interfaces to describe
 * @buf:	Where the entries go (the sentry copies them to ifc_buf), or
 *		NULL to learn the length needed, as Linux allows
 * @len:	ifc_len: bytes available at @buf
 * @outlen:	The new ifc_len: bytes stored, or needed if @buf is NULL
 *
 * Like inet_gifconf(): only whole entries, in device then address order,
 * named by label (the device name), with an AF_INET ifr_addr.
 *
 * Return: 0
 */
int ifi_conf(const struct ifview *v, struct ifreq *buf, int len, int *outlen)
{
	const struct ifv_iface *ifc;
	int i, j, n = 0;

	for (i = 0; i < v->nifs && i < IFV_IFS_MAX; i++) {
		ifc = &v->ifs[i];
		for (j = 0; j < ifc->naddrs && j < IFV_ADDRS_MAX; j++) {
			if (ifc->addrs[j].family != AF_INET)
				continue;
			if (!buf) {
				n++;
				continue;
			}
			if (len < (int)sizeof(*buf) * (n + 1))
				break;
			memset(&buf[n], 0, sizeof(buf[n]));
			memcpy(buf[n].ifr_name, ifc->name,
			       strnlen(ifc->name, IFNAMSIZ - 1));
			put_in(&buf[n], ifc->addrs[j].addr);
			n++;
		}
	}
	*outlen = n * (int)sizeof(*buf);
	return 0;
}
