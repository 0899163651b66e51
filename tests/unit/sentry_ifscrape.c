// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_ifscrape.c - unit tests for the rtnetlink scrape of an interface
 *
 * Two sources of dumps: the replies Linux 6.18 gave in a namespace set up
 * as Docker sets up a container's (the .bin files in tests/data/ifscrape,
 * recorded by capture.sh there), and synthetic dumps built here message by
 * message.
 * Malformed input (lying lengths, truncation, wrong attribute sizes,
 * random bytes) must fail with an error, never read out of bounds (ASan).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "sentry/ifscrape.h"

#define SEQ 77
#define NLB_CAP 16384

/**
 * struct nlb - a synthetic netlink datagram being built
 * @buf:	Messages back to back
 * @len:	Bytes used
 * @msg:	Offset of the message being built
 */
struct nlb {
	uint8_t buf[NLB_CAP];
	size_t len;
	size_t msg;
};

static struct nlb nb;
static struct ifscrape_scan scan;

/**
 * setup() - Empty builder and scan before each test
 * @state:	Unused
 *
 * Return: 0
 */
static int setup(void **state)
{
	(void)state;
	memset(&nb, 0, sizeof(nb));
	memset(&scan, 0, sizeof(scan));
	return 0;
}

/**
 * msg() - Start a message with its fixed part
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags
 * @body:	Fixed part (struct ifinfomsg, ...)
 * @blen:	Its size
 */
static void msg(uint16_t type, uint16_t flags, const void *body, size_t blen)
{
	struct nlmsghdr h = {
	    .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = SEQ};

	nb.msg = nb.len;
	assert_true(nb.len + NLMSG_HDRLEN + NLMSG_ALIGN(blen) <= NLB_CAP);
	h.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + NLMSG_ALIGN(blen));
	memcpy(nb.buf + nb.len, &h, sizeof(h));
	memcpy(nb.buf + nb.len + NLMSG_HDRLEN, body, blen);
	nb.len += h.nlmsg_len;
}

/**
 * attr() - Append an attribute to the current message
 * @type:	Attribute type
 * @v:		Payload
 * @vlen:	Payload length
 */
static void attr(uint16_t type, const void *v, size_t vlen)
{
	struct rtattr a = {.rta_len = (unsigned short)RTA_LENGTH(vlen),
			   .rta_type = type};
	uint32_t mlen;

	assert_true(nb.len + RTA_ALIGN(a.rta_len) <= NLB_CAP);
	memcpy(nb.buf + nb.len, &a, sizeof(a));
	memcpy(nb.buf + nb.len + sizeof(a), v, vlen);
	nb.len += RTA_ALIGN(a.rta_len);
	mlen = (uint32_t)(nb.len - nb.msg);
	memcpy(nb.buf + nb.msg, &mlen, sizeof(mlen));
}

/**
 * attr_u32() - Append a 32-bit attribute
 * @type:	Attribute type
 * @v:		Value
 */
static void attr_u32(uint16_t type, uint32_t v)
{
	attr(type, &v, sizeof(v));
}

/**
 * done() - Append NLMSG_DONE
 */
static void done(void)
{
	int32_t z = 0;

	msg(NLMSG_DONE, NLM_F_MULTI, &z, sizeof(z));
}

/**
 * mk_link() - Append a RTM_NEWLINK
 * @index:	ifi_index
 * @name:	IFLA_IFNAME
 * @type:	ARPHRD_*
 * @flags:	IFF_*
 * @mtu:	IFLA_MTU
 * @last:	Last byte of the MAC 02:42:ac:11:00:xx
 */
static void mk_link(int index, const char *name, unsigned int type,
		    unsigned int flags, uint32_t mtu, uint8_t last)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_type = (unsigned short)type,
				.ifi_index = index,
				.ifi_flags = flags};
	uint8_t mac[6] = {0x02, 0x42, 0xac, 0x11, 0x00, last};

	msg(RTM_NEWLINK, NLM_F_MULTI, &ifi, sizeof(ifi));
	attr(IFLA_IFNAME, name, strlen(name) + 1);
	attr_u32(IFLA_MTU, mtu);
	attr(IFLA_ADDRESS, mac, sizeof(mac));
}

/**
 * mk_addr() - Append a RTM_NEWADDR
 * @index:	ifa_index
 * @text:	Address (IPv4 or IPv6 text)
 * @prefix:	Prefix length
 * @scope:	RT_SCOPE_*
 * @flags:	IFA_FLAGS
 */
static void mk_addr(int index, const char *text, unsigned int prefix,
		    unsigned int scope, uint32_t flags)
{
	struct ifaddrmsg ifa = {.ifa_prefixlen = (uint8_t)prefix,
				.ifa_scope = (uint8_t)scope,
				.ifa_flags = (uint8_t)flags,
				.ifa_index = (uint32_t)index};
	uint8_t a[16];

	ifa.ifa_family = strchr(text, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(ifa.ifa_family, text, a), 1);
	msg(RTM_NEWADDR, NLM_F_MULTI, &ifa, sizeof(ifa));
	attr(IFA_ADDRESS, a, ifa.ifa_family == AF_INET ? 4 : 16);
	if (ifa.ifa_family == AF_INET)
		attr(IFA_LOCAL, a, 4);
	attr_u32(IFA_FLAGS, flags);
}

/**
 * mk_route() - Append a RTM_NEWROUTE
 * @dst_len:	Prefix length (0: default)
 * @table:	Table (RT_TABLE_MAIN, RT_TABLE_LOCAL, or above 255)
 * @oif:	RTA_OIF
 * @gw:		RTA_GATEWAY text, or NULL
 * @prio:	RTA_PRIORITY, 0 for none
 * @v6:		IPv6
 */
static void mk_route(unsigned int dst_len, uint32_t table, int oif,
		     const char *gw, uint32_t prio, bool v6)
{
	struct rtmsg rtm = {
	    .rtm_family = v6 ? AF_INET6 : AF_INET,
	    .rtm_dst_len = (uint8_t)dst_len,
	    .rtm_table = (uint8_t)(table < 256 ? table : RT_TABLE_COMPAT),
	    .rtm_protocol = RTPROT_BOOT,
	    .rtm_type = table == RT_TABLE_LOCAL ? RTN_LOCAL : RTN_UNICAST};
	uint8_t a[16];

	msg(RTM_NEWROUTE, NLM_F_MULTI, &rtm, sizeof(rtm));
	attr_u32(RTA_TABLE, table);
	if (prio)
		attr_u32(RTA_PRIORITY, prio);
	if (gw) {
		assert_int_equal(inet_pton(rtm.rtm_family, gw, a), 1);
		attr(RTA_GATEWAY, a, v6 ? 16 : 4);
	}
	attr_u32(RTA_OIF, (uint32_t)oif);
}

/**
 * parse() - Feed the built datagram to ifscrape_parse()
 *
 * Return: what ifscrape_parse() returns
 */
static int parse(void)
{
	return ifscrape_parse(&scan, nb.buf, nb.len, SEQ);
}

/**
 * docker_v4() - lo and eth0 172.17.0.2/16 via 172.17.0.1, as one dump
 *
 * Real dumps come one kind per request; the parser does not care.
 */
static void docker_v4(void)
{
	mk_link(1, "lo", ARPHRD_LOOPBACK, IFF_UP | IFF_LOOPBACK, 65536, 0);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP | IFF_BROADCAST, 1500, 2);
	mk_addr(1, "127.0.0.1", 8, RT_SCOPE_HOST, IFA_F_PERMANENT);
	mk_addr(2, "172.17.0.2", 16, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	mk_route(0, RT_TABLE_MAIN, 2, "172.17.0.1", 0, false);
	mk_route(16, RT_TABLE_MAIN, 2, NULL, 0, false);
	mk_route(32, RT_TABLE_LOCAL, 2, NULL, 0, false);
	done();
}

/**
 * ip_eq() - Compare an address with its text form
 * @bytes:	Address
 * @text:	Expected, IPv4 or IPv6 text
 */
static void ip_eq(const void *bytes, const char *text)
{
	uint8_t a[16];
	int fam = strchr(text, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton(fam, text, a), 1);
	assert_memory_equal(bytes, a, fam == AF_INET ? 4 : 16);
}

/**
 * test_v4_only() - A Docker container without IPv6
 * @state:	Unused
 */
static void test_v4_only(void **state)
{
	const uint8_t mac[6] = {0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
	const struct ifscrape_link *l = NULL;
	struct in6_addr zero6 = IN6ADDR_ANY_INIT;
	struct ns_if_config cfg;

	(void)state;
	docker_v4();
	assert_int_equal(parse(), 1);
	assert_int_equal(scan.nlinks, 2);
	assert_int_equal(scan.naddrs, 2);
	assert_int_equal(scan.nroutes, 1); /* only the default */
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), 0);
	assert_string_equal(l->name, "eth0");
	assert_int_equal(l->index, 2);
	assert_true(cfg.present);
	assert_memory_equal(cfg.mac, mac, 6);
	assert_int_equal(cfg.mtu, 1500);
	ip_eq(&cfg.addr4, "172.17.0.2");
	assert_int_equal(cfg.prefix4, 16);
	ip_eq(&cfg.gw4, "172.17.0.1");
	assert_memory_equal(&cfg.addr6, &zero6, 16);
	assert_memory_equal(&cfg.gw6, &zero6, 16);
}

/**
 * test_v4_v6() - IPv6 too: global address chosen over link-local, the
 * gateway of the lowest metric
 * @state:	Unused
 */
static void test_v4_v6(void **state)
{
	const struct ifscrape_link *l = NULL;
	struct ns_if_config cfg;

	(void)state;
	mk_link(1, "lo", ARPHRD_LOOPBACK, IFF_UP | IFF_LOOPBACK, 65536, 0);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	mk_addr(2, "172.17.0.2", 16, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	mk_addr(2, "fe80::42:acff:fe11:2", 64, RT_SCOPE_LINK, IFA_F_PERMANENT);
	mk_addr(2, "2001:db8::dead", 64, RT_SCOPE_UNIVERSE, IFA_F_DADFAILED);
	mk_addr(2, "fd00:17::2", 64, RT_SCOPE_UNIVERSE,
		IFA_F_PERMANENT | IFA_F_NODAD);
	mk_addr(2, "fd00:17::3", 64, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	mk_route(0, RT_TABLE_MAIN, 2, "172.17.0.1", 0, false);
	mk_route(0, RT_TABLE_MAIN, 2, "fe80::1", 1024, true);
	mk_route(0, RT_TABLE_MAIN, 2, "fd00:17::1", 100, true);
	mk_route(0, RT_TABLE_LOCAL, 2, "fd00:17::99", 1, true);
	mk_route(0, 1000, 2, "fd00:17::98", 1, true); /* another table */
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), 0);
	ip_eq(&cfg.addr4, "172.17.0.2");
	ip_eq(&cfg.addr6, "fd00:17::2");
	assert_int_equal(cfg.prefix6, 64);
	ip_eq(&cfg.gw6, "fd00:17::1");
	ip_eq(&cfg.gw4, "172.17.0.1");
}

/**
 * test_no_default() - No default route: no gateways, the rest as usual
 * @state:	Unused
 */
static void test_no_default(void **state)
{
	const struct ifscrape_link *l = NULL;
	struct ns_if_config cfg;

	(void)state;
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 9000, 2);
	mk_addr(2, "10.1.2.3", 24, RT_SCOPE_UNIVERSE, 0);
	mk_addr(2, "10.1.2.4", 24, RT_SCOPE_UNIVERSE, IFA_F_SECONDARY);
	mk_route(24, RT_TABLE_MAIN, 2, NULL, 0, false);
	mk_route(0, RT_TABLE_MAIN, 2, NULL, 0, false); /* on-link default */
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), 0);
	ip_eq(&cfg.addr4, "10.1.2.3");
	assert_int_equal(cfg.prefix4, 24);
	assert_int_equal(cfg.gw4.s_addr, 0);
	assert_int_equal(cfg.mtu, 9000);
}

/**
 * test_multiple() - Choosing among interfaces, by name or by default
 * @state:	Unused
 */
static void test_multiple(void **state)
{
	const struct ifscrape_link *l = NULL;
	struct ns_if_config cfg = {.present = false};

	(void)state;
	mk_link(1, "lo", ARPHRD_LOOPBACK, IFF_UP | IFF_LOOPBACK, 65536, 0);
	mk_link(2, "sit0", ARPHRD_SIT, IFF_UP, 1480, 0);
	mk_link(3, "eth0", ARPHRD_ETHER, 0, 1500, 3);  /* down, no address */
	mk_link(4, "eth1", ARPHRD_ETHER, 0, 65535, 4); /* down, addressed */
	mk_link(5, "eth2", ARPHRD_ETHER, IFF_UP, 1500, 5);
	mk_addr(4, "192.168.5.4", 24, RT_SCOPE_UNIVERSE, 0);
	mk_addr(5, "192.168.6.5", 24, RT_SCOPE_UNIVERSE, 0);
	mk_route(0, RT_TABLE_MAIN, 5, "192.168.6.1", 0, false);
	mk_route(0, RT_TABLE_MAIN, 4, "192.168.5.1", 10, false);
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), 0);
	assert_string_equal(l->name, "eth1");
	assert_int_equal(cfg.mtu, NS_MTU_MAX); /* capped */
	ip_eq(&cfg.gw4, "192.168.5.1");	       /* its own route, not eth2's */
	assert_int_equal(ifscrape_pick(&scan, "eth2", &cfg, &l), 0);
	assert_int_equal(l->index, 5);
	ip_eq(&cfg.addr4, "192.168.6.5");
	ip_eq(&cfg.gw4, "192.168.6.1");
	assert_int_equal(ifscrape_pick(&scan, "eth0", &cfg, &l), 0);
	assert_int_equal(cfg.addr4.s_addr, 0);
	assert_int_equal(ifscrape_pick(&scan, "nope", &cfg, &l), -ENODEV);
	assert_int_equal(ifscrape_pick(&scan, "lo", &cfg, &l), -EINVAL);
	assert_int_equal(ifscrape_pick(&scan, "sit0", &cfg, &l), -EINVAL);
}

/**
 * test_none() - Only loopback: -ENODEV, the config untouched
 * @state:	Unused
 */
static void test_none(void **state)
{
	const struct ifscrape_link *l = NULL;
	struct ns_if_config cfg = {.present = false, .mtu = 7};

	(void)state;
	mk_link(1, "lo", ARPHRD_LOOPBACK, IFF_UP | IFF_LOOPBACK, 65536, 0);
	mk_link(2, "eth0", ARPHRD_ETHER, 0, 1500, 2); /* down, no address */
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), -ENODEV);
	assert_false(cfg.present);
	assert_int_equal(cfg.mtu, 7);
}

/**
 * test_multipath() - A multipath default route: the hop through us
 * @state:	Unused
 */
static void test_multipath(void **state)
{
	struct rtmsg rtm = {.rtm_family = AF_INET,
			    .rtm_table = RT_TABLE_MAIN,
			    .rtm_type = RTN_UNICAST};
	const struct ifscrape_link *l = NULL;
	uint8_t mp[64], *p = mp;
	struct ns_if_config cfg;
	struct rtnexthop nh;
	struct rtattr a;
	int i;

	(void)state;
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	mk_addr(2, "10.0.0.2", 24, RT_SCOPE_UNIVERSE, 0);
	for (i = 0; i < 2; i++) {
		nh = (struct rtnexthop){.rtnh_len = sizeof(nh) + 8,
					.rtnh_ifindex = 3 - i};
		a = (struct rtattr){.rta_len = 8, .rta_type = RTA_GATEWAY};
		memcpy(p, &nh, sizeof(nh));
		memcpy(p + sizeof(nh), &a, sizeof(a));
		inet_pton(AF_INET, i ? "10.0.0.1" : "10.9.9.9",
			  p + sizeof(nh) + sizeof(a));
		p += sizeof(nh) + 8;
	}
	msg(RTM_NEWROUTE, NLM_F_MULTI, &rtm, sizeof(rtm));
	attr(RTA_MULTIPATH, mp, (size_t)(p - mp));
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(scan.nroutes, 2);
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), 0);
	ip_eq(&cfg.gw4, "10.0.0.1");
}

/**
 * test_control() - NLMSG_ERROR, NLMSG_DONE errors, DUMP_INTR, other seqs
 * @state:	Unused
 */
static void test_control(void **state)
{
	struct nlmsgerr e = {.error = -EPERM};
	int32_t v = -EINTR;

	(void)state;
	msg(NLMSG_ERROR, 0, &e, sizeof(e));
	assert_int_equal(parse(), -EPERM);
	setup(NULL);
	e.error = 0;
	msg(NLMSG_ERROR, 0, &e, sizeof(e));
	assert_int_equal(parse(), 1);
	setup(NULL);
	msg(NLMSG_DONE, NLM_F_MULTI, &v, sizeof(v));
	assert_int_equal(parse(), -EINTR);
	setup(NULL);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	assert_int_equal(parse(), 0); /* more to come */
	assert_int_equal(scan.nlinks, 1);
	setup(NULL);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	((struct nlmsghdr *)nb.buf)->nlmsg_flags |= NLM_F_DUMP_INTR;
	assert_int_equal(parse(), -EAGAIN);
	setup(NULL);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	((struct nlmsghdr *)nb.buf)->nlmsg_seq = SEQ + 1; /* not ours */
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(scan.nlinks, 0);
	setup(NULL);
	e.error = 0;
	msg(NLMSG_ERROR, 0, &e, sizeof(e));
	assert_int_equal(ifscrape_parse(NULL, nb.buf, nb.len, SEQ), 1);
}

/**
 * test_malformed() - Lying lengths and wrong attribute sizes: -EBADMSG
 * @state:	Unused
 */
static void test_malformed(void **state)
{
	struct nlmsghdr h;
	struct rtattr a;
	size_t cut;
	uint8_t five[5] = {0};

	(void)state;
	/* nlmsg_len past the datagram */
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	assert_int_equal(ifscrape_parse(&scan, nb.buf, nb.len - 4, SEQ),
			 -EBADMSG);
	/* nlmsg_len below the header */
	memcpy(&h, nb.buf, sizeof(h));
	h.nlmsg_len = 8;
	memcpy(nb.buf, &h, sizeof(h));
	assert_int_equal(parse(), -EBADMSG);
	/* an attribute longer than its message */
	setup(NULL);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	memcpy(&a, nb.buf + NLMSG_HDRLEN + sizeof(struct ifinfomsg), sizeof(a));
	a.rta_len = 200;
	memcpy(nb.buf + NLMSG_HDRLEN + sizeof(struct ifinfomsg), &a, sizeof(a));
	assert_int_equal(parse(), -EBADMSG);
	/* an attribute shorter than its header */
	a.rta_len = 2;
	memcpy(nb.buf + NLMSG_HDRLEN + sizeof(struct ifinfomsg), &a, sizeof(a));
	assert_int_equal(parse(), -EBADMSG);
	/* IFLA_MTU of 2 bytes, IFLA_IFNAME without its NUL */
	setup(NULL);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	attr(IFLA_MTU, five, 2);
	assert_int_equal(parse(), -EBADMSG);
	setup(NULL);
	mk_link(2, "eth0", ARPHRD_ETHER, IFF_UP, 1500, 2);
	attr(IFLA_IFNAME, "eth0", 4);
	assert_int_equal(parse(), -EBADMSG);
	/* an IPv4 address of 5 bytes, a gateway of 5 bytes */
	setup(NULL);
	mk_addr(2, "10.0.0.2", 24, RT_SCOPE_UNIVERSE, 0);
	attr(IFA_LOCAL, five, 5);
	assert_int_equal(parse(), -EBADMSG);
	setup(NULL);
	mk_route(0, RT_TABLE_MAIN, 2, NULL, 0, false);
	attr(RTA_GATEWAY, five, 5);
	assert_int_equal(parse(), -EBADMSG);
	/* a fixed part cut short */
	setup(NULL);
	msg(RTM_NEWADDR, NLM_F_MULTI, five, 5);
	((struct nlmsghdr *)nb.buf)->nlmsg_len = NLMSG_HDRLEN + 5;
	assert_int_equal(parse(), -EBADMSG);
	/* every truncation of a good dump: an error or "more", never 1 */
	setup(NULL);
	docker_v4();
	for (cut = 0; cut < nb.len; cut++) {
		memset(&scan, 0, sizeof(scan));
		assert_true(ifscrape_parse(&scan, nb.buf, cut, SEQ) <= 0);
	}
}

/**
 * test_fuzz() - Random bytes and random corruptions never crash
 * @state:	Unused
 */
static void test_fuzz(void **state)
{
	const struct ifscrape_link *l;
	struct ns_if_config cfg;
	unsigned int seed = 1, i, k;
	uint8_t good[NLB_CAP];
	size_t len;

	(void)state;
	docker_v4();
	len = nb.len;
	memcpy(good, nb.buf, len);
	for (i = 0; i < 20000; i++) {
		memcpy(nb.buf, good, len);
		for (k = 0; k < 1 + i % 4; k++)
			nb.buf[rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
		memset(&scan, 0, sizeof(scan));
		if (ifscrape_parse(&scan, nb.buf, len, SEQ) >= 0)
			(void)ifscrape_pick(&scan, NULL, &cfg, &l);
	}
	for (i = 0; i < 2000; i++) {
		for (k = 0; k < 512; k++)
			nb.buf[k] = (uint8_t)rand_r(&seed);
		memset(&scan, 0, sizeof(scan));
		(void)ifscrape_parse(&scan, nb.buf, 1 + i % 512, SEQ);
	}
}

/**
 * test_overflow() - More addresses than the table: counted, not stored;
 * the index filter keeps other interfaces' addresses out
 * @state:	Unused
 */
static void test_overflow(void **state)
{
	char text[32];
	int i;

	(void)state;
	for (i = 0; i < IFSCRAPE_ADDRS_MAX + 6; i++) {
		snprintf(text, sizeof(text), "10.0.%d.%d", i / 200,
			 i % 200 + 1);
		mk_addr(2 + i % 2, text, 24, RT_SCOPE_UNIVERSE, 0);
	}
	done();
	assert_int_equal(parse(), 1);
	assert_int_equal(scan.naddrs, IFSCRAPE_ADDRS_MAX);
	assert_int_equal(scan.overflow, 6);
	memset(&scan, 0, sizeof(scan));
	scan.index = 3;
	assert_int_equal(parse(), 1);
	assert_int_equal(scan.naddrs, (IFSCRAPE_ADDRS_MAX + 6) / 2);
	assert_int_equal(scan.overflow, 0);
	assert_int_equal(scan.addrs[0].index, 3);
}

/**
 * test_requests() - The requests we send, byte for byte where it matters
 * @state:	Unused
 */
static void test_requests(void **state)
{
	struct ifscrape_addr a = {.index = 2,
				  .family = AF_INET,
				  .prefix = 16,
				  .scope = RT_SCOPE_UNIVERSE};
	uint8_t buf[128];
	struct nlmsghdr h;
	struct ifaddrmsg ifa;
	struct ifinfomsg ifi;
	struct rtattr r1, r2;
	struct rtmsg rtm;
	int len;

	(void)state;
	len = ifscrape_msg_dump(buf, sizeof(buf), RTM_GETROUTE, AF_INET6, 9);
	assert_int_equal(len, NLMSG_HDRLEN + sizeof(rtm));
	memcpy(&h, buf, sizeof(h));
	memcpy(&rtm, buf + NLMSG_HDRLEN, sizeof(rtm));
	assert_int_equal(h.nlmsg_len, len);
	assert_int_equal(h.nlmsg_type, RTM_GETROUTE);
	assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(h.nlmsg_seq, 9);
	assert_int_equal(rtm.rtm_family, AF_INET6);
	assert_int_equal(
	    ifscrape_msg_dump(buf, sizeof(buf), RTM_GETNEIGH, 0, 1), -EINVAL);
	assert_int_equal(ifscrape_msg_dump(buf, 16, RTM_GETLINK, 0, 1),
			 -ENOSPC);

	inet_pton(AF_INET, "172.17.0.2", a.addr);
	len = ifscrape_msg_deladdr(buf, sizeof(buf), &a, 10);
	assert_int_equal(len, NLMSG_HDRLEN + sizeof(ifa) + 8 + 8);
	memcpy(&h, buf, sizeof(h));
	memcpy(&ifa, buf + NLMSG_HDRLEN, sizeof(ifa));
	memcpy(&r1, buf + NLMSG_HDRLEN + sizeof(ifa), sizeof(r1));
	memcpy(&r2, buf + NLMSG_HDRLEN + sizeof(ifa) + 8, sizeof(r2));
	assert_int_equal(h.nlmsg_len, len);
	assert_int_equal(h.nlmsg_type, RTM_DELADDR);
	assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(ifa.ifa_index, 2);
	assert_int_equal(ifa.ifa_prefixlen, 16);
	assert_int_equal(r1.rta_type, IFA_LOCAL);
	assert_int_equal(r2.rta_type, IFA_ADDRESS);
	assert_memory_equal(buf + len - 4, a.addr, 4);
	a.family = AF_INET6;
	a.prefix = 64;
	inet_pton(AF_INET6, "fe80::42:acff:fe11:2", a.addr);
	len = ifscrape_msg_deladdr(buf, sizeof(buf), &a, 11);
	assert_int_equal(len, NLMSG_HDRLEN + sizeof(ifa) + 20);
	memcpy(&r1, buf + NLMSG_HDRLEN + sizeof(ifa), sizeof(r1));
	assert_int_equal(r1.rta_type, IFA_ADDRESS);
	assert_memory_equal(buf + len - 16, a.addr, 16);
	assert_int_equal(ifscrape_msg_deladdr(buf, 40, &a, 11), -ENOSPC);

	len = ifscrape_msg_linkup(buf, sizeof(buf), 2, 12);
	memcpy(&h, buf, sizeof(h));
	memcpy(&ifi, buf + NLMSG_HDRLEN, sizeof(ifi));
	assert_int_equal(h.nlmsg_type, RTM_NEWLINK);
	assert_int_equal(ifi.ifi_index, 2);
	assert_int_equal(ifi.ifi_flags, IFF_UP);
	assert_int_equal(ifi.ifi_change, IFF_UP);
}

/**
 * load() - Parse a recorded dump from tests/data/ifscrape
 * @name:	File name
 * @seq:	Sequence number it was recorded with
 */
static void load(const char *name, uint32_t seq)
{
	const char *slash = strrchr(__FILE__, '/');
	int len = slash ? (int)(slash - __FILE__) : 1;
	static uint8_t buf[65536];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%.*s/../data/ifscrape/%s", len,
		 slash ? __FILE__ : ".", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(ifscrape_parse(&scan, buf, n, seq), 1);
}

/**
 * test_recorded() - The dumps of a Docker-like namespace (Linux 6.18)
 * @state:	Unused
 */
static void test_recorded(void **state)
{
	const uint8_t mac[6] = {0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
	const struct ifscrape_link *l = NULL;
	struct ns_if_config cfg;
	unsigned int i, v6 = 0;

	(void)state;
	load("link.bin", 1);
	load("addr.bin", 2);
	load("route4.bin", 3);
	load("route6.bin", 4);
	assert_int_equal(scan.nlinks, 2);
	assert_int_equal(scan.overflow, 0);
	assert_int_equal(ifscrape_pick(&scan, NULL, &cfg, &l), 0);
	assert_string_equal(l->name, "eth0");
	assert_memory_equal(cfg.mac, mac, 6);
	assert_int_equal(cfg.mtu, 1500);
	ip_eq(&cfg.addr4, "172.17.0.2");
	assert_int_equal(cfg.prefix4, 16);
	ip_eq(&cfg.gw4, "172.17.0.1");
	ip_eq(&cfg.addr6, "fd00:17::2");
	assert_int_equal(cfg.prefix6, 64);
	ip_eq(&cfg.gw6, "fd00:17::1");
	for (i = 0; i < scan.naddrs; i++)
		v6 += scan.addrs[i].index == l->index &&
		      scan.addrs[i].family == AF_INET6;
	assert_int_equal(v6, 2); /* global and link-local: both deleted */
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_v4_only, setup),
	    cmocka_unit_test_setup(test_v4_v6, setup),
	    cmocka_unit_test_setup(test_no_default, setup),
	    cmocka_unit_test_setup(test_multiple, setup),
	    cmocka_unit_test_setup(test_none, setup),
	    cmocka_unit_test_setup(test_multipath, setup),
	    cmocka_unit_test_setup(test_control, setup),
	    cmocka_unit_test_setup(test_malformed, setup),
	    cmocka_unit_test_setup(test_fuzz, setup),
	    cmocka_unit_test_setup(test_overflow, setup),
	    cmocka_unit_test_setup(test_requests, setup),
	    cmocka_unit_test_setup(test_recorded, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
