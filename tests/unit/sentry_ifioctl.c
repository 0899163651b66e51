// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_ifioctl.c - unit tests for the SIOCGIF* emulation
 *
 * Same view as sentry_nlroute.c: lo (127.0.0.1/8) and eth0 (10.88.0.2/24,
 * 02:52:53:00:00:01, mtu 1500), plus eth1 with IPv6 only. Expected answers
 * and errnos are those Linux 6.18 gave for the same setup in a netns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if_arp.h>
#include <linux/sockios.h>

#include <cmocka.h>

#include "sentry/ifioctl.h"

static struct ifview view;

/**
 * addr() - Fill an ifv_addr from text
 * @a:		Address to fill
 * @text:	Address, either family
 * @prefix:	Prefix length
 */
static void addr(struct ifv_addr *a, const char *text, unsigned int prefix)
{
	memset(a, 0, sizeof(*a));
	a->family = strchr(text, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a->family, text, a->addr), 1);
	a->prefix = prefix;
}

/**
 * setup() - lo, eth0, and eth1 without IPv4
 * @state:	Unused
 *
 * Return: 0
 */
static int setup(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x52, 0x53, 0, 0, 0x01};
	struct ifv_iface *lo = &view.ifs[0], *eth = &view.ifs[1];

	(void)state;
	memset(&view, 0, sizeof(view));
	view.nifs = 3;
	lo->index = 1;
	strcpy(lo->name, "lo");
	lo->flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	lo->mtu = 65536;
	lo->txqlen = 1000;
	addr(&lo->addrs[0], "127.0.0.1", 8);
	addr(&lo->addrs[1], "::1", 128);
	lo->naddrs = 2;
	eth->index = 2;
	strcpy(eth->name, "eth0");
	eth->flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
	eth->mtu = 1500;
	eth->txqlen = 1000;
	memcpy(eth->mac, mac, 6);
	addr(&eth->addrs[0], "fd00:88::2", 64);
	addr(&eth->addrs[1], "10.88.0.2", 24);
	addr(&eth->addrs[2], "10.99.0.2", 16);
	eth->naddrs = 3;
	view.ifs[2] = *eth;
	view.ifs[2].index = 3;
	strcpy(view.ifs[2].name, "eth1");
	view.ifs[2].flags = IFF_BROADCAST | IFF_MULTICAST; /* down */
	view.ifs[2].naddrs = 1;
	return 0;
}

/**
 * ioc() - ifi_ioctl() on a fresh struct ifreq naming @name
 * @family:	Socket domain
 * @req:	Request
 * @name:	ifr_name
 * @ifr:	The struct, for the answer
 *
 * Return: ifi_ioctl()'s result
 */
static int ioc(int family, unsigned long req, const char *name,
	       struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strncpy(ifr->ifr_name, name, IFNAMSIZ);
	return ifi_ioctl(&view, family, req, ifr);
}

/**
 * sin_of() - ifr_addr as dotted text, checking it is a clean sockaddr_in
 * @ifr:	Answer
 *
 * Return: static buffer with the address
 */
static const char *sin_of(const struct ifreq *ifr)
{
	static char buf[INET_ADDRSTRLEN];
	struct sockaddr_in sin;
	static const uint8_t zero[8];

	memcpy(&sin, &ifr->ifr_addr, sizeof(sin));
	assert_int_equal(sin.sin_family, AF_INET);
	assert_int_equal(sin.sin_port, 0);
	assert_memory_equal(sin.sin_zero, zero, 8);
	return inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
}

/**
 * test_inet() - SIOCGIF{ADDR,DSTADDR,BRDADDR,NETMASK} on AF_INET
 * @state:	Unused
 */
static void test_inet(void **state)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	struct ifreq ifr;

	(void)state;
	assert_int_equal(ioc(AF_INET, SIOCGIFADDR, "lo", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "127.0.0.1");
	assert_int_equal(ioc(AF_INET, SIOCGIFNETMASK, "lo", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "255.0.0.0");
	assert_int_equal(ioc(AF_INET, SIOCGIFBRDADDR, "lo", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "0.0.0.0");
	assert_int_equal(ioc(AF_INET, SIOCGIFDSTADDR, "lo", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "127.0.0.1");

	assert_int_equal(ioc(AF_INET, SIOCGIFADDR, "eth0", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "10.88.0.2"); /* first IPv4 one */
	assert_int_equal(ioc(AF_INET, SIOCGIFNETMASK, "eth0", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "255.255.255.0");
	assert_int_equal(ioc(AF_INET, SIOCGIFBRDADDR, "eth0", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "10.88.0.255");
	assert_int_equal(ioc(AF_PACKET, SIOCGIFADDR, "eth0", &ifr), 0);
	assert_string_equal(sin_of(&ifr), "10.88.0.2");

	/* 4.4BSD style: the address passed in picks the second one */
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	inet_pton(AF_INET, "10.99.0.2", &sin.sin_addr);
	memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFNETMASK, &ifr), 0);
	assert_string_equal(sin_of(&ifr), "255.255.0.0");

	assert_int_equal(ioc(AF_INET, SIOCGIFADDR, "nope", &ifr), -ENODEV);
	assert_int_equal(ioc(AF_INET, SIOCGIFADDR, "eth0:1", &ifr),
			 -EADDRNOTAVAIL);
	assert_int_equal(ioc(AF_INET, SIOCGIFADDR, "eth1", &ifr),
			 -EADDRNOTAVAIL);
	assert_int_equal(ioc(AF_INET, SIOCGIFNETMASK, "eth1", &ifr),
			 -EADDRNOTAVAIL);
	assert_int_equal(ioc(AF_INET6, SIOCGIFADDR, "eth0", &ifr), -ENOTTY);
	assert_int_equal(ioc(AF_UNIX, SIOCGIFNETMASK, "lo", &ifr), -ENOTTY);
	assert_int_equal(ioc(AF_UNIX, SIOCGIFADDR, "nope", &ifr), -ENOTTY);
}

/**
 * test_dev() - Device requests, on any socket family
 * @state:	Unused
 */
static void test_dev(void **state)
{
	static const int fams[] = {AF_INET, AF_INET6, AF_UNIX};
	static const uint8_t mac[6] = {0x02, 0x52, 0x53, 0, 0, 0x01};
	static const uint8_t zero[14] = {0};
	struct ifreq ifr;
	size_t i;
	int f;

	(void)state;
	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		f = fams[i];
		assert_int_equal(ioc(f, SIOCGIFFLAGS, "lo", &ifr), 0);
		assert_int_equal(ifr.ifr_flags, 0x49);
		assert_int_equal(ioc(f, SIOCGIFFLAGS, "eth0", &ifr), 0);
		assert_int_equal(ifr.ifr_flags, 0x1043);
		assert_int_equal(ioc(f, SIOCGIFFLAGS, "eth1", &ifr), 0);
		assert_int_equal(ifr.ifr_flags, 0x1002);
		assert_int_equal(ioc(f, SIOCGIFFLAGS, "eth0:1", &ifr), 0);
		assert_string_equal(ifr.ifr_name, "eth0:1");
		assert_int_equal(ioc(f, SIOCGIFMTU, "lo", &ifr), 0);
		assert_int_equal(ifr.ifr_mtu, 65536);
		assert_int_equal(ioc(f, SIOCGIFMTU, "eth0", &ifr), 0);
		assert_int_equal(ifr.ifr_mtu, 1500);
		assert_int_equal(ioc(f, SIOCGIFINDEX, "eth0", &ifr), 0);
		assert_int_equal(ifr.ifr_ifindex, 2);
		assert_int_equal(ioc(f, SIOCGIFTXQLEN, "eth0", &ifr), 0);
		assert_int_equal(ifr.ifr_qlen, 1000);
		memset(&ifr.ifr_map, 0x5a, sizeof(ifr.ifr_map));
		assert_int_equal(ifi_ioctl(&view, f, SIOCGIFMAP, &ifr), 0);
		assert_int_equal(ifr.ifr_map.irq, 0);
		assert_int_equal(ifr.ifr_map.mem_start, 0);
		ifr.ifr_metric = 9;
		assert_int_equal(ifi_ioctl(&view, f, SIOCGIFMETRIC, &ifr), 0);
		assert_int_equal(ifr.ifr_metric, 0);
		assert_int_equal(ioc(f, SIOCGIFHWADDR, "eth0", &ifr), 0);
		assert_int_equal(ifr.ifr_hwaddr.sa_family, ARPHRD_ETHER);
		assert_memory_equal(ifr.ifr_hwaddr.sa_data, mac, 6);
		assert_memory_equal(ifr.ifr_hwaddr.sa_data + 6, zero, 8);
		assert_int_equal(ioc(f, SIOCGIFHWADDR, "lo", &ifr), 0);
		assert_int_equal(ifr.ifr_hwaddr.sa_family, ARPHRD_LOOPBACK);
		assert_memory_equal(ifr.ifr_hwaddr.sa_data, zero, 14);
		assert_int_equal(ioc(f, SIOCGIFSLAVE, "eth0", &ifr), -EINVAL);
		assert_int_equal(ioc(f, SIOCGIFSLAVE, "nope", &ifr), -ENODEV);
		assert_int_equal(ioc(f, SIOCGIFFLAGS, "nope", &ifr), -ENODEV);
		assert_int_equal(ioc(f, SIOCGIFHWADDR, "nope", &ifr), -ENODEV);
		assert_int_equal(ioc(f, SIOCGIFINDEX, "", &ifr), -ENODEV);
		assert_int_equal(ioc(f, SIOCETHTOOL, "eth0", &ifr),
				 -EOPNOTSUPP);
		assert_int_equal(ioc(f, SIOCETHTOOL, "nope", &ifr), -ENODEV);
		assert_int_equal(ioc(f, SIOCDEVPRIVATE + 3, "eth0", &ifr),
				 -EOPNOTSUPP);
		assert_int_equal(ioc(f, SIOCGIFBR, "eth0", &ifr), -EOPNOTSUPP);
		assert_int_equal(ioc(f, SIOCGIFCOUNT, "eth0", &ifr), -ENOTTY);
		assert_int_equal(ioc(f, SIOCGIFMEM, "eth0", &ifr), -ENOTTY);
		assert_int_equal(ioc(f, SIOCGIFPFLAGS, "eth0", &ifr),
				 f == AF_INET ? -EINVAL : -ENOTTY);
	}
}

/**
 * test_name() - SIOCGIFNAME, and names that are not NUL-terminated
 * @state:	Unused
 */
static void test_name(void **state)
{
	struct ifreq ifr;

	(void)state;
	memset(&ifr, 'x', sizeof(ifr));
	ifr.ifr_ifindex = 2;
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFNAME, &ifr), 0);
	assert_string_equal(ifr.ifr_name, "eth0");
	ifr.ifr_ifindex = 1;
	assert_int_equal(ifi_ioctl(&view, AF_UNIX, SIOCGIFNAME, &ifr), 0);
	assert_string_equal(ifr.ifr_name, "lo");
	ifr.ifr_ifindex = 99;
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFNAME, &ifr), -ENODEV);
	ifr.ifr_ifindex = -1;
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFNAME, &ifr), -ENODEV);

	/* 16 bytes without a NUL: Linux uses the first 15 */
	memset(&ifr, 'e', sizeof(ifr));
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFINDEX, &ifr),
			 -ENODEV);
	assert_int_equal(ifr.ifr_name[IFNAMSIZ - 1], '\0');
	memset(&ifr, 'e', sizeof(ifr));
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFADDR, &ifr), -ENODEV);
	strcpy(view.ifs[2].name, "eeeeeeeeeeeeeee"); /* 15 bytes */
	memset(&ifr, 'e', sizeof(ifr));
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFINDEX, &ifr), 0);
	assert_int_equal(ifr.ifr_ifindex, 3);
	ifr.ifr_ifindex = 3;
	assert_int_equal(ifi_ioctl(&view, AF_INET, SIOCGIFNAME, &ifr), 0);
	assert_string_equal(ifr.ifr_name, "eeeeeeeeeeeeeee");
}

/**
 * test_changes() - Changes are refused as for a guest without
 *		    CAP_NET_ADMIN, where the family has the request at all
 * @state:	Unused
 */
static void test_changes(void **state)
{
	struct ifreq ifr;

	(void)state;
	assert_int_equal(ioc(AF_INET, SIOCSIFFLAGS, "lo", &ifr), -EPERM);
	assert_int_equal(ioc(AF_UNIX, SIOCSIFFLAGS, "nope", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET6, SIOCSIFMTU, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCSIFHWADDR, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCSIFNAME, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCADDMULTI, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCSIFTXQLEN, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCSIFADDR, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET6, SIOCSIFADDR, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_UNIX, SIOCSIFADDR, "eth0", &ifr), -ENOTTY);
	assert_int_equal(ioc(AF_INET, SIOCSIFNETMASK, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET6, SIOCSIFNETMASK, "eth0", &ifr), -ENOTTY);
	assert_int_equal(ioc(AF_INET, SIOCSIFBRDADDR, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCDIFADDR, "eth0", &ifr), -ENOTTY);
	assert_int_equal(ioc(AF_INET6, SIOCDIFADDR, "eth0", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET, SIOCADDRT, "", &ifr), -EPERM);
	assert_int_equal(ioc(AF_INET6, SIOCDELRT, "", &ifr), -EPERM);
	assert_int_equal(ioc(AF_UNIX, SIOCADDRT, "", &ifr), -ENOTTY);
	assert_int_equal(ioc(AF_INET, SIOCSIFPFLAGS, "eth0", &ifr), -EINVAL);
	assert_int_equal(ioc(AF_INET, SIOCBRADDBR, "br0", &ifr), -EPERM);
}

/**
 * test_owns() - Which requests the sentry routes here
 * @state:	Unused
 */
static void test_owns(void **state)
{
	(void)state;
	assert_true(ifi_owns(SIOCGIFCONF));
	assert_true(ifi_owns(SIOCGIFADDR));
	assert_true(ifi_owns(SIOCGIFINDEX));
	assert_true(ifi_owns(SIOCADDRT));
	assert_true(ifi_owns(SIOCDEVPRIVATE + 15));
	assert_true(ifi_owns(SIOCGIFCOUNT));
	assert_false(ifi_owns(SIOCOUTQNSD));
	assert_false(ifi_owns(SIOCGSKNS));
	assert_false(ifi_owns(SIOCGARP));
	assert_false(ifi_owns(SIOCATMARK));
	assert_false(ifi_owns(FIONREAD));
	assert_false(ifi_owns(SIOCDEVPRIVATE + 16));
	assert_int_equal(ioc(AF_INET, SIOCGIFCONF, "", &(struct ifreq){0}),
			 -ENOTTY);
}

/**
 * test_conf() - SIOCGIFCONF: IPv4 addresses only, whole entries only
 * @state:	Unused
 */
static void test_conf(void **state)
{
	struct ifreq buf[4];
	int len;

	(void)state;
	assert_int_equal(ifi_conf(&view, NULL, 0, &len), 0);
	assert_int_equal(len, 3 * (int)sizeof(struct ifreq));
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(ifi_conf(&view, buf, (int)sizeof(buf), &len), 0);
	assert_int_equal(len, 3 * (int)sizeof(struct ifreq));
	assert_string_equal(buf[0].ifr_name, "lo");
	assert_string_equal(sin_of(&buf[0]), "127.0.0.1");
	assert_string_equal(buf[1].ifr_name, "eth0");
	assert_string_equal(sin_of(&buf[1]), "10.88.0.2");
	assert_string_equal(buf[2].ifr_name, "eth0");
	assert_string_equal(sin_of(&buf[2]), "10.99.0.2");
	assert_int_equal(buf[3].ifr_name[0], 0x5a); /* untouched */
	assert_int_equal(
	    ifi_conf(&view, buf, 2 * (int)sizeof(struct ifreq) - 1, &len), 0);
	assert_int_equal(len, (int)sizeof(struct ifreq));
	assert_int_equal(ifi_conf(&view, buf, 0, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(ifi_conf(&view, buf, -40, &len), 0);
	assert_int_equal(len, 0);
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_inet, setup),
	    cmocka_unit_test_setup(test_dev, setup),
	    cmocka_unit_test_setup(test_name, setup),
	    cmocka_unit_test_setup(test_changes, setup),
	    cmocka_unit_test_setup(test_owns, setup),
	    cmocka_unit_test_setup(test_conf, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
