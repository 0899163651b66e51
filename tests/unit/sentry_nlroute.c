// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_nlroute.c - unit tests for the NETLINK_ROUTE emulation
 *
 * The view is the sandbox's usual one: lo (127.0.0.1/8, ::1/128) and eth0
 * (10.88.0.2/24, fd00:88::2/64, fe80::52:53ff:fe00:1/64). Requests are built
 * byte for byte as glibc's getifaddrs() and iproute2 build them; replies are
 * taken apart by a parser of our own that checks every length, and compared
 * with what Linux 6.18 answers in a netns set up the same way. Hostile
 * payloads (random, truncated, lying lengths) must never make nlr_handle()
 * read or write out of bounds (run under ASan) and must get Linux's answers.
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

#include "sentry/nlroute.h"

#define PORTID 4242
#define SEQ 1700000000U
#define MSGS_MAX 512
#define ATTRS_MAX 64
#define OUT_CAP 65536

/**
 * struct pmsg - One reply message, checked and located
 * @h:		Header
 * @data:	Payload
 * @len:	Payload length
 * @dgram:	Datagram it arrived in
 */
struct pmsg {
	struct nlmsghdr h;
	const uint8_t *data;
	size_t len;
	unsigned int dgram;
};

/**
 * struct pattr - One attribute of a reply
 * @type:	nla_type
 * @p:		Payload
 * @len:	Payload length
 */
struct pattr {
	uint16_t type;
	const uint8_t *p;
	size_t len;
};

static struct ifview view;
static uint8_t outbuf[OUT_CAP];
static struct nlr_out out;
static struct pmsg msgs[MSGS_MAX];
static int nmsgs;
static struct pattr attrs[ATTRS_MAX];
static int nattrs;
static unsigned long fuzz_replies;

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
 * route() - Fill an ifv_route from text
 * @r:		Route to fill
 * @dst:	Destination
 * @len:	Prefix length
 * @gw:		Gateway, or NULL
 * @oif:	Output interface
 */
static void route(struct ifv_route *r, const char *dst, unsigned int len,
		  const char *gw, int oif)
{
	memset(r, 0, sizeof(*r));
	r->family = strchr(dst, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(r->family, dst, r->dst), 1);
	r->dst_len = len;
	if (gw) {
		assert_int_equal(inet_pton(r->family, gw, r->gw), 1);
		r->has_gw = true;
	}
	r->ifindex = oif;
}

/**
 * make_view() - The sandbox's usual view into @v
 * @v:		View to fill
 */
static void make_view(struct ifview *v)
{
	static const uint8_t mac[6] = {0x02, 0x52, 0x53, 0, 0, 0x01};
	struct ifv_iface *lo = &v->ifs[0], *eth = &v->ifs[1];

	memset(v, 0, sizeof(*v));
	v->nifs = 2;
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
	addr(&eth->addrs[0], "10.88.0.2", 24);
	addr(&eth->addrs[1], "fd00:88::2", 64);
	addr(&eth->addrs[2], "fe80::52:53ff:fe00:1", 64);
	eth->naddrs = 3;
	eth->stats.rx_packets = 7;
	eth->stats.tx_bytes = 0x100000001ULL;
	route(&v->routes[0], "10.88.0.0", 24, NULL, 2);
	route(&v->routes[1], "0.0.0.0", 0, "10.88.0.1", 2);
	route(&v->routes[2], "fd00:88::", 64, NULL, 2);
	route(&v->routes[3], "::", 0, "fd00:88::1", 2);
	v->nroutes = 4;
}

/**
 * setup() - Fresh view and output buffer
 * @state:	Unused
 *
 * Return: 0
 */
static int setup(void **state)
{
	(void)state;
	make_view(&view);
	memset(outbuf, 0xa5, sizeof(outbuf));
	memset(&out, 0, sizeof(out));
	out.buf = outbuf;
	out.cap = sizeof(outbuf);
	nmsgs = 0;
	return 0;
}

/**
 * parse_out() - Split @o into messages, checking every length
 * @o:		Output of nlr_handle()
 *
 * Every datagram is a whole number of aligned messages, each from PORTID;
 * only a single message may exceed NLR_DGRAM_SIZE.
 */
static void parse_out(const struct nlr_out *o)
{
	const uint8_t *b = o->buf;
	size_t off = 0, end;
	unsigned int d;
	struct nlmsghdr h;

	nmsgs = 0;
	assert_true(o->n <= NLR_DGRAMS_MAX);
	for (d = 0; d < o->n; d++) {
		end = off + o->dgram[d];
		assert_true(end <= o->len);
		assert_true(o->dgram[d] > 0);
		while (off < end) {
			assert_true(end - off >= sizeof(h));
			memcpy(&h, b + off, sizeof(h));
			assert_true(h.nlmsg_len >= sizeof(h));
			assert_true(NLMSG_ALIGN(h.nlmsg_len) <= end - off);
			assert_int_equal(h.nlmsg_pid, PORTID);
			assert_true(nmsgs < MSGS_MAX);
			msgs[nmsgs].h = h;
			msgs[nmsgs].data = b + off + NLMSG_HDRLEN;
			msgs[nmsgs].len = h.nlmsg_len - NLMSG_HDRLEN;
			msgs[nmsgs].dgram = d;
			nmsgs++;
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
		assert_int_equal(off, end);
		if (o->dgram[d] > NLR_DGRAM_SIZE)
			assert_int_equal(msgs[nmsgs - 1].h.nlmsg_len,
					 o->dgram[d]);
	}
	assert_int_equal(off, o->len);
}

/**
 * handle() - Run nlr_handle() on @req and parse the replies
 * @req:	Payload
 * @len:	Its length
 * @opts:	NLR_* options
 *
 * Return: nlr_handle()'s return value
 */
static int handle(const void *req, size_t len, unsigned int opts)
{
	int ret = nlr_handle(&view, req, len, PORTID, opts, &out);

	assert_true(ret >= 0 || ret == -ENOBUFS);
	if (ret >= 0)
		assert_int_equal((unsigned int)ret, out.n);
	parse_out(&out);
	return ret;
}

/**
 * parse_attrs() - Split message @m's attributes after a @hdr-byte header
 * @m:		Message
 * @hdr:	Fixed header size
 *
 * The attributes must tile the payload exactly.
 */
static void parse_attrs(const struct pmsg *m, size_t hdr)
{
	size_t off = NLMSG_ALIGN(hdr);
	struct nlattr a;

	nattrs = 0;
	assert_true(m->len >= off);
	while (off < m->len) {
		assert_true(m->len - off >= sizeof(a));
		memcpy(&a, m->data + off, sizeof(a));
		assert_true(a.nla_len >= NLA_HDRLEN);
		assert_true((size_t)NLA_ALIGN(a.nla_len) <= m->len - off);
		assert_true(nattrs < ATTRS_MAX);
		attrs[nattrs].type = a.nla_type;
		attrs[nattrs].p = m->data + off + NLA_HDRLEN;
		attrs[nattrs].len = a.nla_len - NLA_HDRLEN;
		nattrs++;
		off += NLA_ALIGN(a.nla_len);
	}
	assert_int_equal(off, m->len);
}

/**
 * expect_types() - The parsed attributes are exactly @types, in order
 * @types:	Expected nla_type values
 * @n:		Number of them
 */
static void expect_types(const uint16_t *types, int n)
{
	int i;

	assert_int_equal(nattrs, n);
	for (i = 0; i < n; i++)
		assert_int_equal(attrs[i].type, types[i]);
}

/**
 * at() - The parsed attribute of @type, which must be present once
 * @type:	nla_type
 * @len:	Expected payload length
 *
 * Return: its payload
 */
static const uint8_t *at(uint16_t type, size_t len)
{
	const uint8_t *p = NULL;
	int i;

	for (i = 0; i < nattrs; i++) {
		if (attrs[i].type != type)
			continue;
		assert_null(p);
		p = attrs[i].p;
		assert_int_equal(attrs[i].len, len);
	}
	assert_non_null(p);
	return p;
}

/**
 * at_u32() - u32 attribute value
 * @type:	nla_type
 *
 * Return: its value
 */
static uint32_t at_u32(uint16_t type)
{
	uint32_t v;

	memcpy(&v, at(type, 4), 4);
	return v;
}

/**
 * at_u8() - u8 attribute value
 * @type:	nla_type
 *
 * Return: its value
 */
static uint8_t at_u8(uint16_t type)
{
	return *at(type, 1);
}

/**
 * at_str() - String attribute: NUL-terminated, equal to @want
 * @type:	nla_type
 * @want:	Expected string
 */
static void at_str(uint16_t type, const char *want)
{
	const uint8_t *p = at(type, strlen(want) + 1);

	assert_memory_equal(p, want, strlen(want) + 1);
}

/**
 * at_ip() - Address attribute equal to @text
 * @type:	nla_type
 * @text:	Expected address
 */
static void at_ip(uint16_t type, const char *text)
{
	int af = strchr(text, ':') ? AF_INET6 : AF_INET;
	uint8_t a[16];

	assert_int_equal(inet_pton(af, text, a), 1);
	assert_memory_equal(at(type, af == AF_INET ? 4 : 16), a,
			    af == AF_INET ? 4 : 16);
}

/**
 * build() - Build a request: header, fixed part, attributes
 * @buf:	Buffer, at least 256 bytes
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags
 * @fixed:	Fixed header after struct nlmsghdr
 * @flen:	Its size (the stated length, padded like glibc's structs)
 *
 * Return: nlmsg_len
 */
static size_t build(uint8_t *buf, uint16_t type, uint16_t flags,
		    const void *fixed, size_t flen)
{
	struct nlmsghdr h = {.nlmsg_len = (uint32_t)NLMSG_LENGTH(flen),
			     .nlmsg_type = type,
			     .nlmsg_flags = flags,
			     .nlmsg_seq = SEQ};

	memset(buf, 0, 256);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, fixed, flen);
	return h.nlmsg_len;
}

/**
 * add_attr() - Append an attribute to a request made by build()
 * @buf:	Request
 * @len:	Its nlmsg_len; updated
 * @type:	nla_type
 * @data:	Payload
 * @dlen:	Payload length
 */
static void add_attr(uint8_t *buf, size_t *len, uint16_t type, const void *data,
		     size_t dlen)
{
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + dlen),
			   .nla_type = type};
	uint32_t l;

	*len = NLMSG_ALIGN(*len);
	memcpy(buf + *len, &a, sizeof(a));
	memcpy(buf + *len + NLA_HDRLEN, data, dlen);
	*len += NLA_ALIGN(a.nla_len);
	l = (uint32_t)*len;
	memcpy(buf, &l, sizeof(l));
}

/**
 * glibc_req() - A request as glibc's __netlink_sendreq() builds it
 * @buf:	Buffer
 * @type:	RTM_GETLINK or RTM_GETADDR
 *
 * struct { struct nlmsghdr nlh; struct rtgenmsg g; char pad[3]; }, family
 * AF_PACKET, NLM_F_ROOT | NLM_F_MATCH | NLM_F_REQUEST.
 *
 * Return: its length, 20
 */
static size_t glibc_req(uint8_t *buf, uint16_t type)
{
	uint8_t g[4] = {AF_PACKET, 0, 0, 0};

	return build(buf, type, NLM_F_ROOT | NLM_F_MATCH | NLM_F_REQUEST, g,
		     sizeof(g));
}

/**
 * expect_done() - Message @i is NLMSG_DONE, alone in the last datagram
 * @i:		Index in msgs[]
 */
static void expect_done(int i)
{
	const struct pmsg *m = &msgs[i];
	int zero = 0;

	assert_int_equal(m->h.nlmsg_type, NLMSG_DONE);
	assert_int_equal(m->h.nlmsg_flags, NLM_F_MULTI);
	assert_int_equal(m->h.nlmsg_seq, SEQ);
	assert_int_equal(m->len, 4);
	assert_memory_equal(m->data, &zero, 4);
	assert_true(i == 0 || msgs[i - 1].dgram != m->dgram);
	assert_true(i + 1 == nmsgs || msgs[i + 1].dgram != m->dgram);
}

/**
 * expect_err() - Message @i is NLMSG_ERROR @error for request @req
 * @i:		Index in msgs[]
 * @error:	0 or -errno
 * @req:	The request (its header, or all of it, is echoed)
 * @echo:	Bytes of @req echoed
 */
static void expect_err(int i, int error, const uint8_t *req, size_t echo)
{
	const struct pmsg *m = &msgs[i];
	int e;

	assert_int_equal(m->h.nlmsg_type, NLMSG_ERROR);
	assert_int_equal(m->h.nlmsg_flags,
			 echo == NLMSG_HDRLEN ? NLM_F_CAPPED : 0);
	assert_int_equal(m->h.nlmsg_len, NLMSG_ALIGN(NLMSG_HDRLEN + 4 + echo));
	memcpy(&e, m->data, 4);
	assert_int_equal(e, error);
	assert_memory_equal(m->data + 4, req, echo);
	assert_true(i == 0 || msgs[i - 1].dgram != m->dgram);
}

/**
 * check_link_lo() - msgs[@i] is Linux's RTM_NEWLINK for lo
 * @i:		Index in msgs[]
 * @flags:	Expected nlmsg_flags
 */
static void check_link_lo(int i, uint16_t flags)
{
	static const uint16_t types[] = {
	    IFLA_IFNAME,	IFLA_TXQLEN,	   IFLA_OPERSTATE,
	    IFLA_LINKMODE,	IFLA_MTU,	   IFLA_MIN_MTU,
	    IFLA_MAX_MTU,	IFLA_GROUP,	   IFLA_PROMISCUITY,
	    IFLA_NUM_TX_QUEUES, IFLA_GSO_MAX_SEGS, IFLA_GSO_MAX_SIZE,
	    IFLA_NUM_RX_QUEUES, IFLA_CARRIER,	   IFLA_CARRIER_CHANGES,
	    IFLA_PROTO_DOWN,	IFLA_ADDRESS,	   IFLA_BROADCAST,
	    IFLA_STATS64,	IFLA_STATS,	   IFLA_QDISC,
	    IFLA_MAP,
	};
	static const uint8_t zero[6] = {0};
	const struct pmsg *m = &msgs[i];
	struct ifinfomsg ifi;

	assert_int_equal(m->h.nlmsg_type, RTM_NEWLINK);
	assert_int_equal(m->h.nlmsg_flags, flags);
	assert_int_equal(m->h.nlmsg_seq, SEQ);
	memcpy(&ifi, m->data, sizeof(ifi));
	assert_int_equal(ifi.ifi_family, AF_UNSPEC);
	assert_int_equal(ifi.ifi_type, ARPHRD_LOOPBACK);
	assert_int_equal(ifi.ifi_index, 1);
	assert_int_equal(ifi.ifi_flags, 0x10049); /* as Linux: lo up */
	assert_int_equal(ifi.ifi_change, 0);
	parse_attrs(m, sizeof(ifi));
	expect_types(types, (int)(sizeof(types) / sizeof(types[0])));
	at_str(IFLA_IFNAME, "lo");
	at_str(IFLA_QDISC, "noqueue");
	assert_int_equal(at_u32(IFLA_TXQLEN), 1000);
	assert_int_equal(at_u8(IFLA_OPERSTATE), IF_OPER_UNKNOWN);
	assert_int_equal(at_u8(IFLA_LINKMODE), 0);
	assert_int_equal(at_u32(IFLA_MTU), 65536);
	assert_int_equal(at_u32(IFLA_MIN_MTU), 0);
	assert_int_equal(at_u32(IFLA_MAX_MTU), 0);
	assert_int_equal(at_u32(IFLA_GROUP), 0);
	assert_int_equal(at_u32(IFLA_PROMISCUITY), 0);
	assert_int_equal(at_u32(IFLA_NUM_TX_QUEUES), 1);
	assert_int_equal(at_u32(IFLA_NUM_RX_QUEUES), 1);
	assert_int_equal(at_u32(IFLA_GSO_MAX_SEGS), 65535);
	assert_int_equal(at_u32(IFLA_GSO_MAX_SIZE), 65536);
	assert_int_equal(at_u8(IFLA_CARRIER), 1);
	assert_int_equal(at_u32(IFLA_CARRIER_CHANGES), 0);
	assert_int_equal(at_u8(IFLA_PROTO_DOWN), 0);
	assert_memory_equal(at(IFLA_ADDRESS, 6), zero, 6);
	assert_memory_equal(at(IFLA_BROADCAST, 6), zero, 6);
	at(IFLA_STATS64, sizeof(struct rtnl_link_stats64));
	at(IFLA_STATS, sizeof(struct rtnl_link_stats));
	at(IFLA_MAP, sizeof(struct rtnl_link_ifmap));
}

/**
 * check_link_eth0() - msgs[@i] is Linux's RTM_NEWLINK for eth0
 * @i:		Index in msgs[]
 * @flags:	Expected nlmsg_flags
 */
static void check_link_eth0(int i, uint16_t flags)
{
	static const uint8_t mac[6] = {0x02, 0x52, 0x53, 0, 0, 0x01};
	static const uint8_t ff[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const struct pmsg *m = &msgs[i];
	struct rtnl_link_stats64 s64;
	struct rtnl_link_stats s32;
	struct ifinfomsg ifi;

	assert_int_equal(m->h.nlmsg_type, RTM_NEWLINK);
	assert_int_equal(m->h.nlmsg_flags, flags);
	memcpy(&ifi, m->data, sizeof(ifi));
	assert_int_equal(ifi.ifi_type, ARPHRD_ETHER);
	assert_int_equal(ifi.ifi_index, 2);
	assert_int_equal(ifi.ifi_flags, 0x11043); /* as Linux: veth up */
	parse_attrs(m, sizeof(ifi));
	assert_int_equal(nattrs, 22);
	at_str(IFLA_IFNAME, "eth0");
	assert_int_equal(at_u32(IFLA_MTU), 1500);
	assert_int_equal(at_u32(IFLA_MIN_MTU), 68);
	assert_int_equal(at_u32(IFLA_MAX_MTU), 65535);
	assert_int_equal(at_u8(IFLA_OPERSTATE), IF_OPER_UP);
	assert_int_equal(at_u8(IFLA_CARRIER), 1);
	assert_memory_equal(at(IFLA_ADDRESS, 6), mac, 6);
	assert_memory_equal(at(IFLA_BROADCAST, 6), ff, 6);
	memcpy(&s64, at(IFLA_STATS64, sizeof(s64)), sizeof(s64));
	assert_int_equal(s64.rx_packets, 7);
	assert_int_equal(s64.tx_bytes, 0x100000001ULL);
	memcpy(&s32, at(IFLA_STATS, sizeof(s32)), sizeof(s32));
	assert_int_equal(s32.rx_packets, 7);
	assert_int_equal(s32.tx_bytes, 1);
}

/**
 * test_getifaddrs_link() - glibc's RTM_GETLINK dump
 * @state:	Unused
 */
static void test_getifaddrs_link(void **state)
{
	uint8_t req[256];
	size_t len = glibc_req(req, RTM_GETLINK);

	(void)state;
	assert_int_equal(len, 20);
	assert_int_equal(handle(req, len, 0), 2);
	assert_int_equal(nmsgs, 3);
	check_link_lo(0, NLM_F_MULTI);
	check_link_eth0(1, NLM_F_MULTI);
	assert_int_equal(msgs[0].dgram, msgs[1].dgram);
	expect_done(2);
}

/**
 * check_addr() - msgs[@i] is Linux's RTM_NEWADDR for @text/@prefix
 * @i:		Index in msgs[]
 * @text:	Address
 * @prefix:	Prefix length
 * @ifindex:	Interface
 * @scope:	Expected ifa_scope
 * @brd:	Expected IFA_BROADCAST (IPv4), or NULL for none
 * @proto:	Expected IFA_PROTO (IPv6), or 0 for none
 */
static void check_addr(int i, const char *text, unsigned int prefix,
		       int ifindex, int scope, const char *brd, int proto)
{
	const struct pmsg *m = &msgs[i];
	struct ifa_cacheinfo ci;
	struct ifaddrmsg ifa;
	bool v4 = !strchr(text, ':');

	assert_int_equal(m->h.nlmsg_type, RTM_NEWADDR);
	assert_int_equal(m->h.nlmsg_flags, NLM_F_MULTI);
	assert_int_equal(m->h.nlmsg_seq, SEQ);
	memcpy(&ifa, m->data, sizeof(ifa));
	assert_int_equal(ifa.ifa_family, v4 ? AF_INET : AF_INET6);
	assert_int_equal(ifa.ifa_prefixlen, prefix);
	assert_int_equal(ifa.ifa_flags, IFA_F_PERMANENT);
	assert_int_equal(ifa.ifa_scope, scope);
	assert_int_equal(ifa.ifa_index, ifindex);
	parse_attrs(m, sizeof(ifa));
	at_ip(IFA_ADDRESS, text);
	assert_int_equal(at_u32(IFA_FLAGS), IFA_F_PERMANENT);
	memcpy(&ci, at(IFA_CACHEINFO, sizeof(ci)), sizeof(ci));
	assert_int_equal(ci.ifa_prefered, 0xffffffffU);
	assert_int_equal(ci.ifa_valid, 0xffffffffU);
	if (v4) {
		static const uint16_t t4[] = {IFA_ADDRESS,   IFA_LOCAL,
					      IFA_BROADCAST, IFA_LABEL,
					      IFA_FLAGS,     IFA_CACHEINFO};
		static const uint16_t t4nb[] = {IFA_ADDRESS, IFA_LOCAL,
						IFA_LABEL, IFA_FLAGS,
						IFA_CACHEINFO};

		if (brd) {
			expect_types(t4, 6);
			at_ip(IFA_BROADCAST, brd);
		} else {
			expect_types(t4nb, 5);
		}
		at_ip(IFA_LOCAL, text);
		at_str(IFA_LABEL, ifindex == 1 ? "lo" : "eth0");
	} else {
		static const uint16_t t6[] = {IFA_ADDRESS, IFA_CACHEINFO,
					      IFA_FLAGS, IFA_PROTO};

		expect_types(t6, proto ? 4 : 3);
		if (proto)
			assert_int_equal(at_u8(IFA_PROTO), proto);
	}
}

/**
 * test_getifaddrs_addr() - glibc's RTM_GETADDR dump: IPv4, then IPv6
 * @state:	Unused
 */
static void test_getifaddrs_addr(void **state)
{
	uint8_t req[256];
	size_t len = glibc_req(req, RTM_GETADDR);

	(void)state;
	assert_int_equal(handle(req, len, 0), 2);
	assert_int_equal(nmsgs, 6);
	check_addr(0, "127.0.0.1", 8, 1, RT_SCOPE_HOST, NULL, 0);
	check_addr(1, "10.88.0.2", 24, 2, RT_SCOPE_UNIVERSE, "10.88.0.255", 0);
	check_addr(2, "::1", 128, 1, RT_SCOPE_HOST, NULL, IFAPROT_KERNEL_LO);
	check_addr(3, "fd00:88::2", 64, 2, RT_SCOPE_UNIVERSE, NULL, 0);
	check_addr(4, "fe80::52:53ff:fe00:1", 64, 2, RT_SCOPE_LINK, NULL,
		   IFAPROT_KERNEL_LL);
	expect_done(5);
}

/**
 * test_addr_family() - `ip -4 addr` / `ip -6 addr` / AF_UNSPEC filters
 * @state:	Unused
 */
static void test_addr_family(void **state)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET};
	uint8_t req[256];
	size_t len;

	(void)state;
	len = build(req, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa,
		    sizeof(ifa));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 3);
	check_addr(1, "10.88.0.2", 24, 2, RT_SCOPE_UNIVERSE, "10.88.0.255", 0);
	expect_done(2);
	ifa.ifa_family = AF_INET6;
	len = build(req, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa,
		    sizeof(ifa));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 4);
	check_addr(0, "::1", 128, 1, RT_SCOPE_HOST, NULL, IFAPROT_KERNEL_LO);
	ifa.ifa_family = AF_UNSPEC;
	len = build(req, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa,
		    sizeof(ifa));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 6);
	ifa.ifa_family = AF_MPLS;
	len = build(req, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa,
		    sizeof(ifa));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 6); /* no MPLS dumper for addresses: all */
}

/**
 * check_route() - msgs[@i] is a dumped RTM_NEWROUTE
 * @i:		Index in msgs[]
 * @dst:	Destination
 * @len:	Prefix length
 * @table:	rtm_table
 * @proto:	rtm_protocol
 * @scope:	rtm_scope
 * @type:	rtm_type
 * @src:	RTA_PREFSRC, or NULL
 * @gw:		RTA_GATEWAY, or NULL
 * @oif:	RTA_OIF
 * @prio:	RTA_PRIORITY (IPv6), or -1 for none (IPv4)
 */
static void check_route(int i, const char *dst, int len, int table, int proto,
			int scope, int type, const char *src, const char *gw,
			int oif, int prio)
{
	const struct pmsg *m = &msgs[i];
	bool v6 = strchr(dst, ':');
	uint16_t types[8];
	struct rtmsg rtm;
	int n = 0;

	assert_int_equal(m->h.nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(m->h.nlmsg_flags, NLM_F_MULTI);
	memcpy(&rtm, m->data, sizeof(rtm));
	assert_int_equal(rtm.rtm_family, v6 ? AF_INET6 : AF_INET);
	assert_int_equal(rtm.rtm_dst_len, len);
	assert_int_equal(rtm.rtm_src_len, 0);
	assert_int_equal(rtm.rtm_tos, 0);
	assert_int_equal(rtm.rtm_table, table);
	assert_int_equal(rtm.rtm_protocol, proto);
	assert_int_equal(rtm.rtm_scope, scope);
	assert_int_equal(rtm.rtm_type, type);
	assert_int_equal(rtm.rtm_flags, 0);
	parse_attrs(m, sizeof(rtm));
	types[n++] = RTA_TABLE;
	if (len)
		types[n++] = RTA_DST;
	if (prio >= 0)
		types[n++] = RTA_PRIORITY;
	if (src)
		types[n++] = RTA_PREFSRC;
	if (gw)
		types[n++] = RTA_GATEWAY;
	types[n++] = RTA_OIF;
	if (v6) {
		types[n++] = RTA_CACHEINFO;
		types[n++] = RTA_PREF;
	}
	expect_types(types, n);
	assert_int_equal(at_u32(RTA_TABLE), table);
	if (len)
		at_ip(RTA_DST, dst);
	if (prio >= 0)
		assert_int_equal(at_u32(RTA_PRIORITY), prio);
	if (src)
		at_ip(RTA_PREFSRC, src);
	if (gw)
		at_ip(RTA_GATEWAY, gw);
	assert_int_equal(at_u32(RTA_OIF), oif);
	if (v6) {
		at(RTA_CACHEINFO, sizeof(struct rta_cacheinfo));
		assert_int_equal(at_u8(RTA_PREF), 0);
	}
}

/**
 * test_route_dump() - `ip route show table all`, both families, in Linux's
 *		       order; the given connected routes are shown once
 * @state:	Unused
 */
static void test_route_dump(void **state)
{
	struct rtmsg rtm = {.rtm_family = AF_UNSPEC};
	uint8_t req[256];
	size_t len;

	(void)state;
	len = build(req, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rtm,
		    sizeof(rtm));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 15);
	check_route(0, "0.0.0.0", 0, RT_TABLE_MAIN, RTPROT_BOOT,
		    RT_SCOPE_UNIVERSE, RTN_UNICAST, NULL, "10.88.0.1", 2, -1);
	check_route(1, "10.88.0.0", 24, RT_TABLE_MAIN, RTPROT_KERNEL,
		    RT_SCOPE_LINK, RTN_UNICAST, "10.88.0.2", NULL, 2, -1);
	check_route(2, "10.88.0.2", 32, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_HOST, RTN_LOCAL, "10.88.0.2", NULL, 2, -1);
	check_route(3, "10.88.0.255", 32, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_LINK, RTN_BROADCAST, "10.88.0.2", NULL, 2, -1);
	check_route(4, "127.0.0.0", 8, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_HOST, RTN_LOCAL, "127.0.0.1", NULL, 1, -1);
	check_route(5, "127.0.0.1", 32, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_HOST, RTN_LOCAL, "127.0.0.1", NULL, 1, -1);
	check_route(6, "127.255.255.255", 32, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_LINK, RTN_BROADCAST, "127.0.0.1", NULL, 1, -1);
	check_route(7, "fd00:88::", 64, RT_TABLE_MAIN, RTPROT_KERNEL,
		    RT_SCOPE_UNIVERSE, RTN_UNICAST, NULL, NULL, 2, 256);
	check_route(8, "fe80::", 64, RT_TABLE_MAIN, RTPROT_KERNEL,
		    RT_SCOPE_UNIVERSE, RTN_UNICAST, NULL, NULL, 2, 256);
	check_route(9, "::", 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE,
		    RTN_UNICAST, NULL, "fd00:88::1", 2, 1024);
	check_route(10, "::1", 128, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_UNIVERSE, RTN_LOCAL, NULL, NULL, 1, 0);
	check_route(11, "fd00:88::2", 128, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_UNIVERSE, RTN_LOCAL, NULL, NULL, 2, 0);
	check_route(12, "fe80::52:53ff:fe00:1", 128, RT_TABLE_LOCAL,
		    RTPROT_KERNEL, RT_SCOPE_UNIVERSE, RTN_LOCAL, NULL, NULL, 2,
		    0);
	check_route(13, "ff00::", 8, RT_TABLE_LOCAL, RTPROT_KERNEL,
		    RT_SCOPE_UNIVERSE, RTN_MULTICAST, NULL, NULL, 2, 256);
	expect_done(14);
	rtm.rtm_family = AF_INET6; /* `ip -6 route` */
	len = build(req, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rtm,
		    sizeof(rtm));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 8);
	check_route(2, "::", 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE,
		    RTN_UNICAST, NULL, "fd00:88::1", 2, 1024);
	rtm.rtm_family = RTNL_FAMILY_IPMR; /* `ip mroute` */
	len = build(req, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rtm,
		    sizeof(rtm));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 1);
	expect_done(0);
}

/**
 * test_link_down() - A device that is down has no routes, no carrier
 * @state:	Unused
 */
static void test_link_down(void **state)
{
	struct rtmsg rtm = {.rtm_family = AF_INET};
	struct ifinfomsg ifi = {.ifi_index = 2};
	uint8_t req[256];
	size_t len;

	(void)state;
	view.ifs[1].flags &= ~(unsigned int)IFF_UP;
	len = build(req, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rtm,
		    sizeof(rtm));
	handle(req, len, 0);
	assert_int_equal(nmsgs, 4); /* lo's three local routes and DONE */
	len = build(req, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	handle(req, len, 0);
	memcpy(&ifi, msgs[0].data, sizeof(ifi));
	assert_int_equal(ifi.ifi_flags, IFF_BROADCAST | IFF_MULTICAST);
	parse_attrs(&msgs[0], sizeof(ifi));
	assert_int_equal(at_u8(IFLA_OPERSTATE), IF_OPER_DOWN);
	assert_int_equal(at_u8(IFLA_CARRIER), 0);
}

/**
 * test_getlink_one() - `ip link show eth0`: by index, by name, errors
 * @state:	Unused
 */
static void test_getlink_one(void **state)
{
	struct ifinfomsg ifi = {.ifi_index = 2};
	char longname[20] = "abcdefghijklmnopq";
	uint8_t req[256];
	size_t len;

	(void)state;
	len = build(req, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	assert_int_equal(handle(req, len, 0), 1);
	assert_int_equal(nmsgs, 1);
	check_link_eth0(0, 0);

	ifi.ifi_index = 0; /* iproute2: by name, with an ack */
	len = build(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi,
		    sizeof(ifi));
	add_attr(req, &len, IFLA_IFNAME, "lo", 3);
	assert_int_equal(handle(req, len, 0), 2);
	check_link_lo(0, 0);
	expect_err(1, 0, req, NLMSG_HDRLEN);

	len = build(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi,
		    sizeof(ifi));
	add_attr(req, &len, IFLA_IFNAME, "eth1", 5);
	handle(req, len, 0);
	assert_int_equal(nmsgs, 1);
	expect_err(0, -ENODEV, req, len);

	ifi.ifi_index = 99;
	len = build(req, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	handle(req, len, 0);
	expect_err(0, -ENODEV, req, len);

	ifi.ifi_index = 0; /* neither index nor name */
	len = build(req, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	handle(req, len, 0);
	expect_err(0, -EINVAL, req, len);

	len = build(req, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	add_attr(req, &len, IFLA_IFNAME, longname, sizeof(longname));
	handle(req, len, 0);
	expect_err(0, -ERANGE, req, len);

	len = build(req, RTM_GETLINK, NLM_F_REQUEST, &ifi, 4); /* short */
	handle(req, len, 0);
	expect_err(0, -EINVAL, req, len);
	handle(req, len, NLR_CAP_ACK);
	expect_err(0, -EINVAL, req, NLMSG_HDRLEN);
}

/**
 * test_changes() - Changes are refused with -EPERM, the request echoed
 * @state:	Unused
 */
static void test_changes(void **state)
{
	static const uint16_t types[] = {
	    RTM_NEWLINK, RTM_DELLINK,  RTM_SETLINK,  RTM_NEWADDR,
	    RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWNEIGH};
	struct ifaddrmsg ifa = {
	    .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 2};
	uint8_t req[256], a[4] = {10, 88, 0, 9};
	size_t len, i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		len =
		    build(req, types[i],
			  NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
			  &ifa, sizeof(ifa));
		add_attr(req, &len, IFA_LOCAL, a, 4);
		assert_int_equal(handle(req, len, 0), 1);
		assert_int_equal(nmsgs, 1);
		expect_err(0, -EPERM, req, len);
		handle(req, len, NLR_CAP_ACK);
		expect_err(0, -EPERM, req, NLMSG_HDRLEN);
	}
}

/**
 * test_unsupported() - Unknown types, gets without a doit, empty dumps
 * @state:	Unused
 */
static void test_unsupported(void **state)
{
	uint8_t req[256], g[4] = {AF_INET, 0, 0, 0};
	size_t len;

	(void)state;
	len = build(req, 0xfff, NLM_F_REQUEST | NLM_F_ACK, g, 4);
	handle(req, len, 0);
	expect_err(0, -EOPNOTSUPP, req, len);
	len = build(req, 0xfff, NLM_F_REQUEST | NLM_F_DUMP, g, 4);
	handle(req, len, 0);
	expect_err(0, -EOPNOTSUPP, req, len);
	len = build(req, RTM_GETMULTICAST, NLM_F_REQUEST | NLM_F_DUMP, g, 4);
	handle(req, len, 0);
	expect_err(0, -EOPNOTSUPP, req, len);
	len = build(req, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, g, 4);
	handle(req, len, 0); /* `ip neigh`: nothing to show */
	assert_int_equal(nmsgs, 1);
	expect_done(0);
	len = build(req, RTM_GETNEIGH, NLM_F_REQUEST, g, 4);
	handle(req, len, 0);
	expect_err(0, -EOPNOTSUPP, req, len);
	len = build(req, RTM_GETADDR, NLM_F_REQUEST, g, 4); /* IPv4 get */
	handle(req, len, 0);
	expect_err(0, -EOPNOTSUPP, req, len);
}

/**
 * test_getaddr6_one() - RTM_GETADDR for one IPv6 address
 * @state:	Unused
 */
static void test_getaddr6_one(void **state)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET6};
	uint8_t req[256], a[16];
	size_t len;

	(void)state;
	len = build(req, RTM_GETADDR, NLM_F_REQUEST, &ifa, sizeof(ifa));
	handle(req, len, 0);
	expect_err(0, -EINVAL, req, len);
	inet_pton(AF_INET6, "fd00:88::2", a);
	add_attr(req, &len, IFA_ADDRESS, a, 16);
	handle(req, len, 0);
	assert_int_equal(nmsgs, 1);
	assert_int_equal(msgs[0].h.nlmsg_type, RTM_NEWADDR);
	assert_int_equal(msgs[0].h.nlmsg_flags, 0);
	parse_attrs(&msgs[0], sizeof(ifa));
	at_ip(IFA_ADDRESS, "fd00:88::2");
	inet_pton(AF_INET6, "fd00:88::3", a);
	len = build(req, RTM_GETADDR, NLM_F_REQUEST, &ifa, sizeof(ifa));
	add_attr(req, &len, IFA_ADDRESS, a, 16);
	handle(req, len, 0);
	expect_err(0, -EADDRNOTAVAIL, req, len);
}

/**
 * route_get() - `ip route get @dst` and the parsed answer
 * @dst:	Destination
 *
 * Return: 0 with the answer in msgs[0] and attrs[], or the -errno
 */
static int route_get(const char *dst)
{
	bool v6 = strchr(dst, ':');
	struct rtmsg rtm = {.rtm_family = v6 ? AF_INET6 : AF_INET,
			    .rtm_dst_len = v6 ? 128 : 32};
	uint8_t req[256], a[16];
	size_t len;
	int e;

	len = build(req, RTM_GETROUTE, NLM_F_REQUEST, &rtm, sizeof(rtm));
	assert_int_equal(inet_pton(rtm.rtm_family, dst, a), 1);
	add_attr(req, &len, RTA_DST, a, v6 ? 16 : 4);
	handle(req, len, 0);
	assert_int_equal(nmsgs, 1);
	if (msgs[0].h.nlmsg_type == NLMSG_ERROR) {
		memcpy(&e, msgs[0].data, 4);
		expect_err(0, e, req, len);
		return e;
	}
	assert_int_equal(msgs[0].h.nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(msgs[0].h.nlmsg_flags, 0);
	parse_attrs(&msgs[0], sizeof(rtm));
	at_ip(RTA_DST, dst);
	return 0;
}

/**
 * rtm0() - The rtmsg of msgs[0]
 *
 * Return: a copy
 */
static struct rtmsg rtm0(void)
{
	struct rtmsg r;

	memcpy(&r, msgs[0].data, sizeof(r));
	return r;
}

/**
 * test_route_get() - `ip route get`, as Linux answers it
 * @state:	Unused
 */
static void test_route_get(void **state)
{
	static const uint16_t t4[] = {RTA_TABLE,    RTA_DST,	 RTA_OIF,
				      RTA_PREFSRC,  RTA_GATEWAY, RTA_UID,
				      RTA_CACHEINFO};
	static const uint16_t t6[] = {RTA_TABLE,   RTA_DST,	  RTA_SRC,
				      RTA_PREFSRC, RTA_PRIORITY,  RTA_GATEWAY,
				      RTA_OIF,	   RTA_CACHEINFO, RTA_PREF};
	static const uint16_t t6ng[] = {RTA_TABLE,     RTA_DST,	     RTA_SRC,
					RTA_PREFSRC,   RTA_PRIORITY, RTA_OIF,
					RTA_CACHEINFO, RTA_PREF};

	(void)state;
	assert_int_equal(route_get("1.1.1.1"), 0);
	expect_types(t4, 7);
	assert_int_equal(rtm0().rtm_type, RTN_UNICAST);
	assert_int_equal(rtm0().rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm0().rtm_dst_len, 32);
	assert_int_equal(rtm0().rtm_flags, RTM_F_CLONED);
	assert_int_equal(at_u32(RTA_OIF), 2);
	at_ip(RTA_PREFSRC, "10.88.0.2");
	at_ip(RTA_GATEWAY, "10.88.0.1");

	assert_int_equal(route_get("10.88.0.5"), 0);
	assert_int_equal(nattrs, 6);
	assert_int_equal(at_u32(RTA_OIF), 2);
	at_ip(RTA_PREFSRC, "10.88.0.2");

	assert_int_equal(route_get("10.88.0.2"), 0);
	assert_int_equal(rtm0().rtm_type, RTN_LOCAL);
	assert_int_equal(rtm0().rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm0().rtm_flags, RTM_F_CLONED | 0x80000000U);
	assert_int_equal(at_u32(RTA_OIF), 1);
	at_ip(RTA_PREFSRC, "10.88.0.2");

	assert_int_equal(route_get("127.0.0.5"), 0);
	assert_int_equal(rtm0().rtm_type, RTN_LOCAL);
	at_ip(RTA_PREFSRC, "127.0.0.1");

	assert_int_equal(route_get("2001::1"), 0);
	expect_types(t6, 9);
	assert_int_equal(rtm0().rtm_src_len, 128);
	assert_int_equal(rtm0().rtm_protocol, RTPROT_BOOT);
	assert_int_equal(rtm0().rtm_table, RT_TABLE_MAIN);
	assert_int_equal(at_u32(RTA_PRIORITY), 1024);
	at_ip(RTA_PREFSRC, "fd00:88::2");
	at_ip(RTA_GATEWAY, "fd00:88::1");
	at_ip(RTA_SRC, "::");

	assert_int_equal(route_get("fe80::1"), 0);
	expect_types(t6ng, 8);
	at_ip(RTA_PREFSRC, "fe80::52:53ff:fe00:1");
	assert_int_equal(at_u32(RTA_PRIORITY), 256);

	assert_int_equal(route_get("fd00:88::2"), 0);
	assert_int_equal(rtm0().rtm_type, RTN_LOCAL);
	assert_int_equal(rtm0().rtm_table, RT_TABLE_LOCAL);
	assert_int_equal(at_u32(RTA_OIF), 1);
	assert_int_equal(at_u32(RTA_PRIORITY), 0);

	view.nroutes = 0; /* no default routes */
	assert_int_equal(route_get("1.1.1.1"), -ENETUNREACH);
	assert_int_equal(route_get("2001::1"), -ENETUNREACH);
	assert_int_equal(route_get("10.88.0.77"), 0);
}

/**
 * test_framing() - Linux's netlink_rcv_skb() rules for bad framing
 * @state:	Unused
 */
static void test_framing(void **state)
{
	uint8_t req[512] = {0}, g[4] = {AF_PACKET, 0, 0, 0};
	struct nlmsghdr h;
	size_t len, l2;
	uint32_t bad;

	(void)state;
	assert_int_equal(handle(req, 0, 0), 0);
	len = glibc_req(req, RTM_GETLINK);
	assert_int_equal(handle(req, 15, 0), 0); /* shorter than a header */
	bad = 8;
	memcpy(req, &bad, 4); /* nlmsg_len below the header */
	assert_int_equal(handle(req, len, 0), 0);
	bad = 21;
	memcpy(req, &bad, 4); /* nlmsg_len past the payload */
	assert_int_equal(handle(req, len, 0), 0);

	/* a good request, then one that lies: the first is answered */
	len = build(req, 0xfff, NLM_F_REQUEST, g, 4);
	l2 = build(req + 256, 0xfff, NLM_F_REQUEST, g, 4);
	bad = 1000;
	memcpy(req + 256, &bad, 4);
	memmove(req + len, req + 256, l2);
	handle(req, len + l2, 0);
	assert_int_equal(nmsgs, 1);
	expect_err(0, -EOPNOTSUPP, req, len);

	/* header only: Linux ignores it, acknowledging if asked */
	len = build(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, g,
		    0);
	handle(req, len, 0);
	assert_int_equal(nmsgs, 1);
	expect_err(0, 0, req, NLMSG_HDRLEN);
	len = build(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, g, 0);
	assert_int_equal(handle(req, len, 0), 0);

	/* not a request, or a control message: only an asked-for ack */
	len = build(req, RTM_GETLINK, NLM_F_ACK | NLM_F_DUMP, g, 4);
	handle(req, len, 0);
	expect_err(0, 0, req, NLMSG_HDRLEN);
	len = build(req, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, g, 0);
	handle(req, len, 0);
	expect_err(0, 0, req, NLMSG_HDRLEN);
	len = build(req, NLMSG_DONE, NLM_F_REQUEST, g, 4);
	assert_int_equal(handle(req, len, 0), 0);

	/* a dump never gets an ack, even if asked */
	len = build(req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, g,
		    4);
	handle(req, len, 0);
	assert_int_equal(nmsgs, 3);
	expect_done(2);

	/* odd nlmsg_len: the next message starts at the aligned offset */
	len = build(req, 0xfff, NLM_F_REQUEST, g, 1);
	assert_int_equal(len, 17);
	l2 = build(req + 256, 0xffe, NLM_F_REQUEST, g, 4);
	memmove(req + 20, req + 256, l2);
	handle(req, 20 + l2, 0);
	assert_int_equal(nmsgs, 2);
	memcpy(&h, msgs[1].data + 4, sizeof(h));
	assert_int_equal(h.nlmsg_type, 0xffe);
}

/**
 * test_batch() - Several requests in one sendmsg(): answered in order,
 *		  each dump with its own NLMSG_DONE
 * @state:	Unused
 */
static void test_batch(void **state)
{
	uint8_t req[512];
	size_t len;

	(void)state;
	len = glibc_req(req, RTM_GETLINK);
	len += glibc_req(req + len, RTM_GETADDR);
	assert_int_equal(handle(req, len, 0), 4);
	assert_int_equal(nmsgs, 3 + 6);
	check_link_lo(0, NLM_F_MULTI);
	expect_done(2);
	check_addr(3, "127.0.0.1", 8, 1, RT_SCOPE_HOST, NULL, 0);
	expect_done(8);
}

/**
 * big_view() - Fill every slot of the view
 */
static void big_view(void)
{
	char text[64];
	int i, j;

	for (i = 2; i < IFV_IFS_MAX; i++) {
		view.ifs[i] = view.ifs[1];
		view.ifs[i].index = i + 1;
		snprintf(view.ifs[i].name, IFV_NAMSIZ, "eth%d", i - 1);
	}
	view.nifs = IFV_IFS_MAX;
	for (i = 1; i < IFV_IFS_MAX; i++) {
		for (j = 0; j < IFV_ADDRS_MAX; j++) {
			if (j % 2)
				snprintf(text, sizeof(text), "fd%02x:%x::%x", i,
					 j, j + 2);
			else
				snprintf(text, sizeof(text), "10.%d.%d.2", i,
					 j);
			addr(&view.ifs[i].addrs[j], text, j % 2 ? 64 : 24);
		}
		view.ifs[i].naddrs = IFV_ADDRS_MAX;
	}
}

/**
 * test_big_dump() - Dumps larger than a datagram are split between
 *		     messages, and too small a buffer gives -ENOBUFS
 * @state:	Unused
 */
static void test_big_dump(void **state)
{
	struct rtmsg rtm = {.rtm_family = AF_UNSPEC};
	uint8_t req[256];
	unsigned int d;
	size_t len;
	int i, ret;

	(void)state;
	big_view();
	len = build(req, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rtm,
		    sizeof(rtm));
	ret = handle(req, len, 0);
	assert_true(ret >= 3);
	for (d = 0; d < out.n; d++)
		assert_true(out.dgram[d] <= NLR_DGRAM_SIZE);
	for (i = 0; i + 1 < nmsgs; i++) {
		assert_int_equal(msgs[i].h.nlmsg_type, RTM_NEWROUTE);
		parse_attrs(&msgs[i], sizeof(rtm));
	}
	expect_done(nmsgs - 1);

	for (out.cap = 0; out.cap < 3000; out.cap += 7) {
		ret = handle(req, len, 0);
		assert_int_equal(ret, -ENOBUFS);
		assert_true(out.len <= out.cap);
	}
	out.cap = sizeof(outbuf);
}

/**
 * test_dgram_limit() - More replies than NLR_DGRAMS_MAX: -ENOBUFS, and the
 *			first NLR_DGRAMS_MAX are complete
 * @state:	Unused
 */
static void test_dgram_limit(void **state)
{
	static uint8_t req[(NLR_DGRAMS_MAX + 10) * 16];
	uint8_t one[256];
	size_t len = 0, l;
	int i;

	(void)state;
	for (i = 0; i < NLR_DGRAMS_MAX + 10; i++) {
		l = build(one, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, one, 0);
		memcpy(req + len, one, l);
		len += l;
	}
	assert_int_equal(handle(req, len, 0), -ENOBUFS);
	assert_int_equal(nmsgs, NLR_DGRAMS_MAX);
	for (i = 0; i < nmsgs; i++)
		expect_err(i, 0, one, NLMSG_HDRLEN);
}

/**
 * rnd() - xorshift32: deterministic noise for the fuzz tests
 * @s:		State, not 0
 *
 * Return: the next value
 */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/**
 * fuzz_one() - nlr_handle() on @len heap bytes, so ASan sees any overread
 * @p:		Payload
 * @len:	Its length
 */
static void fuzz_one(const uint8_t *p, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, p, len);
	out.cap = sizeof(outbuf);
	handle(copy, len, len & 1 ? NLR_CAP_ACK : 0);
	fuzz_replies += (unsigned long)nmsgs;
	free(copy);
}

/**
 * test_fuzz() - Random, mutated and truncated requests: no crash, no
 *		 overread, replies always well-formed
 * @state:	Unused
 */
static void test_fuzz(void **state)
{
	static const uint16_t types[] = {RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE,
					 RTM_NEWADDR, 0xfff,	   NLMSG_NOOP};
	uint8_t req[512], base[512];
	uint32_t s = 0x12345678;
	size_t len, blen, cut, i;
	int n, k;

	(void)state;
	for (n = 0; n < 20000; n++) { /* random bytes */
		len = rnd(&s) % sizeof(req);
		for (i = 0; i < len; i++)
			req[i] = (uint8_t)rnd(&s);
		fuzz_one(req, len);
	}
	for (n = 0; n < 20000; n++) { /* plausible requests, mutated */
		uint8_t fixed[16] = {0};

		for (i = 0; i < sizeof(fixed); i++)
			fixed[i] = rnd(&s) % 4 ? 0 : (uint8_t)rnd(&s);
		fixed[0] = (uint8_t)(rnd(&s) % 3 ? AF_INET : AF_INET6);
		blen = build(base, types[rnd(&s) % 6],
			     (uint16_t)(NLM_F_REQUEST |
					(rnd(&s) & (NLM_F_DUMP | NLM_F_ACK))),
			     fixed, (rnd(&s) % 2) ? 16 : 12);
		if (rnd(&s) % 2)
			add_attr(base, &blen, IFLA_IFNAME, "eth0", 5);
		if (rnd(&s) % 2)
			add_attr(base, &blen, RTA_DST, "\x0a\x58\0\x07", 4);
		for (k = 0; k < 3; k++) /* flip a few bytes */
			base[rnd(&s) % blen] = (uint8_t)rnd(&s);
		memcpy(req, base, blen);
		memcpy(req + blen, base, blen); /* and a second copy */
		fuzz_one(req, 2 * blen);
		cut = rnd(&s) % (2 * blen + 1); /* truncated anywhere */
		fuzz_one(req, cut);
	}
	assert_true(fuzz_replies > 20000); /* most mutants get answers */
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_getifaddrs_link, setup),
	    cmocka_unit_test_setup(test_getifaddrs_addr, setup),
	    cmocka_unit_test_setup(test_addr_family, setup),
	    cmocka_unit_test_setup(test_route_dump, setup),
	    cmocka_unit_test_setup(test_link_down, setup),
	    cmocka_unit_test_setup(test_getlink_one, setup),
	    cmocka_unit_test_setup(test_changes, setup),
	    cmocka_unit_test_setup(test_unsupported, setup),
	    cmocka_unit_test_setup(test_getaddr6_one, setup),
	    cmocka_unit_test_setup(test_route_get, setup),
	    cmocka_unit_test_setup(test_framing, setup),
	    cmocka_unit_test_setup(test_batch, setup),
	    cmocka_unit_test_setup(test_big_dump, setup),
	    cmocka_unit_test_setup(test_dgram_limit, setup),
	    cmocka_unit_test_setup(test_fuzz, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
