// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ifscrape.c - read an interface's configuration over rtnetlink, then take
 * its addresses away from the kernel
 *
 * The parser reads every header and attribute through memcpy() into a
 * local after a length check, so it takes unaligned buffers (unit tests)
 * as well as the kernel's. The kernel's replies are trusted to come from
 * the kernel (nl_pid 0) but not to be well formed: a bad length anywhere
 * fails the whole parse.
 */
#include "ifscrape.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "log.h"

#define HDRLEN ((size_t)NLMSG_HDRLEN)
#define NL_BUF 32768	       /* bytes: the kernel's largest dump datagram */
#define NL_DGRAMS 4096	       /* datagrams read for one request at most */
#define NL_TIMEOUT_S 5	       /* seconds without an answer: give up */
#define DUMP_TRIES 3	       /* dumps interrupted by a change (DUMP_INTR) */
#define ATTR_MAX 64	       /* attribute types remembered per message */
#define ARP_IGNORE_ALL_STR "8" /* arp_ignore: never reply */

/**
 * struct attr - one attribute, located in a message
 * @p:		Payload
 * @len:	Payload length; 0 with @p NULL when absent
 */
struct attr {
	const uint8_t *p;
	size_t len;
};

/**
 * parse_attrs() - Locate the attributes of one message
 * @p:		First attribute
 * @len:	Bytes up to the end of the message
 * @tb:		Table of ATTR_MAX entries, filled by type (last one wins)
 *
 * Return: 0, or -EBADMSG if an attribute runs past @len or is too short
 */
static int parse_attrs(const uint8_t *p, size_t len, struct attr *tb)
{
	struct rtattr a;
	size_t step;

	memset(tb, 0, sizeof(*tb) * ATTR_MAX);
	while (len >= sizeof(a)) {
		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > len)
			return -EBADMSG;
		if ((a.rta_type & NLA_TYPE_MASK) < ATTR_MAX) {
			tb[a.rta_type & NLA_TYPE_MASK].p = p + sizeof(a);
			tb[a.rta_type & NLA_TYPE_MASK].len =
			    a.rta_len - sizeof(a);
		}
		step = MIN((size_t)RTA_ALIGN(a.rta_len), len);
		p += step;
		len -= step;
	}
	return len ? -EBADMSG : 0;
}

/**
 * get_u32() - Read a 32-bit attribute that must have exactly that size
 * @a:		Attribute (absent: @v is left alone)
 * @v:		Value
 *
 * Return: 0, or -EBADMSG for a wrong length
 */
static int get_u32(const struct attr *a, uint32_t *v)
{
	if (!a->p)
		return 0;
	if (a->len != sizeof(*v))
		return -EBADMSG;
	memcpy(v, a->p, sizeof(*v));
	return 0;
}

/**
 * get_ip() - Read an address attribute of a family's size
 * @a:		Attribute, present
 * @family:	AF_INET (4 bytes) or AF_INET6 (16)
 * @out:	16 bytes, zero-padded
 *
 * Return: 0, or -EBADMSG for a wrong length or family
 */
static int get_ip(const struct attr *a, uint8_t family, uint8_t *out)
{
	size_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (!want || a->len != want)
		return -EBADMSG;
	memset(out, 0, 16);
	memcpy(out, a->p, want);
	return 0;
}

/**
 * parse_link() - Remember one RTM_NEWLINK
 * @s:		Scan
 * @p:		Payload (struct ifinfomsg and attributes)
 * @len:	Payload length
 *
 * Return: 0 or -EBADMSG
 */
static int parse_link(struct ifscrape_scan *s, const uint8_t *p, size_t len)
{
	struct ifscrape_link l = {.index = 0};
	struct attr tb[ATTR_MAX];
	struct ifinfomsg ifi;
	uint32_t mtu = 0;
	int r;

	if (len < sizeof(ifi))
		return -EBADMSG;
	memcpy(&ifi, p, sizeof(ifi));
	r = parse_attrs(p + NLMSG_ALIGN(sizeof(ifi)),
			len - MIN(len, NLMSG_ALIGN(sizeof(ifi))), tb);
	if (r < 0 || (r = get_u32(&tb[IFLA_MTU], &mtu)) < 0)
		return r;
	if (!tb[IFLA_IFNAME].p || !tb[IFLA_IFNAME].len ||
	    tb[IFLA_IFNAME].len > IFNAMSIZ ||
	    !memchr(tb[IFLA_IFNAME].p, 0, tb[IFLA_IFNAME].len))
		return -EBADMSG;
	memcpy(l.name, tb[IFLA_IFNAME].p, tb[IFLA_IFNAME].len);
	l.index = ifi.ifi_index;
	l.type = ifi.ifi_type;
	l.flags = ifi.ifi_flags;
	l.mtu = mtu;
	if (tb[IFLA_ADDRESS].len == sizeof(l.mac)) {
		memcpy(l.mac, tb[IFLA_ADDRESS].p, sizeof(l.mac));
		l.has_mac = true;
	}
	if (s->nlinks >= ARRAY_SIZE(s->links)) {
		s->overflow++;
		return 0;
	}
	s->links[s->nlinks++] = l;
	return 0;
}

/**
 * parse_addr() - Remember one RTM_NEWADDR
 * @s:		Scan
 * @p:		Payload (struct ifaddrmsg and attributes)
 * @len:	Payload length
 *
 * Return: 0 or -EBADMSG
 */
static int parse_addr(struct ifscrape_scan *s, const uint8_t *p, size_t len)
{
	struct ifscrape_addr a = {.index = 0};
	const struct attr *local, *addr;
	struct attr tb[ATTR_MAX];
	struct ifaddrmsg ifa;
	int r;

	if (len < sizeof(ifa))
		return -EBADMSG;
	memcpy(&ifa, p, sizeof(ifa));
	r = parse_attrs(p + NLMSG_ALIGN(sizeof(ifa)),
			len - MIN(len, NLMSG_ALIGN(sizeof(ifa))), tb);
	if (r < 0)
		return r;
	if ((ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6) ||
	    (s->index && (int)ifa.ifa_index != s->index))
		return 0;
	a.index = (int)ifa.ifa_index;
	a.family = ifa.ifa_family;
	a.prefix = ifa.ifa_prefixlen;
	a.scope = ifa.ifa_scope;
	a.flags = ifa.ifa_flags;
	if ((r = get_u32(&tb[IFA_FLAGS], &a.flags)) < 0)
		return r;
	local = tb[IFA_LOCAL].p ? &tb[IFA_LOCAL] : NULL;
	addr = tb[IFA_ADDRESS].p ? &tb[IFA_ADDRESS] : NULL;
	if (!local && !addr)
		return -EBADMSG;
	if ((r = get_ip(local ? local : addr, a.family, a.addr)) < 0)
		return r;
	if (local && addr) {
		if ((r = get_ip(addr, a.family, a.peer)) < 0)
			return r;
		a.has_peer = memcmp(a.peer, a.addr, sizeof(a.addr)) != 0;
	}
	if (s->naddrs >= ARRAY_SIZE(s->addrs)) {
		s->overflow++;
		return 0;
	}
	s->addrs[s->naddrs++] = a;
	return 0;
}

/**
 * add_route() - Remember one default route hop
 * @s:		Scan
 * @r:		Route hop
 */
static void add_route(struct ifscrape_scan *s, const struct ifscrape_route *r)
{
	if (s->nroutes >= ARRAY_SIZE(s->routes)) {
		s->overflow++;
		return;
	}
	s->routes[s->nroutes++] = *r;
}

/**
 * parse_multipath() - Remember each hop of a RTA_MULTIPATH default route
 * @s:		Scan
 * @a:		RTA_MULTIPATH attribute
 * @tmpl:	Family and metric of the route
 *
 * Return: 0 or -EBADMSG
 */
static int parse_multipath(struct ifscrape_scan *s, const struct attr *a,
			   const struct ifscrape_route *tmpl)
{
	const uint8_t *p = a->p;
	size_t len = a->len, step;
	struct ifscrape_route hop;
	struct attr tb[ATTR_MAX];
	struct rtnexthop nh;
	int r;

	while (len >= sizeof(nh)) {
		memcpy(&nh, p, sizeof(nh));
		if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > len)
			return -EBADMSG;
		r = parse_attrs(
		    p + RTNH_ALIGN(sizeof(nh)),
		    nh.rtnh_len - MIN(nh.rtnh_len, RTNH_ALIGN(sizeof(nh))), tb);
		if (r < 0)
			return r;
		hop = *tmpl;
		hop.oif = nh.rtnh_ifindex;
		if (tb[RTA_GATEWAY].p) {
			if ((r = get_ip(&tb[RTA_GATEWAY], hop.family, hop.gw)) <
			    0)
				return r;
			hop.has_gw = true;
		}
		add_route(s, &hop);
		step = MIN((size_t)RTNH_ALIGN(nh.rtnh_len), len);
		p += step;
		len -= step;
	}
	return len ? -EBADMSG : 0;
}

/**
 * parse_route() - Remember one RTM_NEWROUTE if it is a default route
 * @s:		Scan
 * @p:		Payload (struct rtmsg and attributes)
 * @len:	Payload length
 *
 * Only unicast ::/0 and 0.0.0.0/0 routes of the main table count.
 *
 * Return: 0 or -EBADMSG
 */
static int parse_route(struct ifscrape_scan *s, const uint8_t *p, size_t len)
{
	struct ifscrape_route rt = {.oif = 0};
	struct attr tb[ATTR_MAX];
	uint32_t table, oif = 0;
	struct rtmsg rtm;
	int r;

	if (len < sizeof(rtm))
		return -EBADMSG;
	memcpy(&rtm, p, sizeof(rtm));
	r = parse_attrs(p + NLMSG_ALIGN(sizeof(rtm)),
			len - MIN(len, NLMSG_ALIGN(sizeof(rtm))), tb);
	if (r < 0)
		return r;
	table = rtm.rtm_table;
	if ((r = get_u32(&tb[RTA_TABLE], &table)) < 0 ||
	    (r = get_u32(&tb[RTA_OIF], &oif)) < 0 ||
	    (r = get_u32(&tb[RTA_PRIORITY], &rt.prio)) < 0)
		return r;
	if ((rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6) ||
	    rtm.rtm_dst_len || rtm.rtm_type != RTN_UNICAST ||
	    table != RT_TABLE_MAIN)
		return 0;
	rt.family = rtm.rtm_family;
	if (tb[RTA_MULTIPATH].p)
		return parse_multipath(s, &tb[RTA_MULTIPATH], &rt);
	rt.oif = (int)oif;
	if (tb[RTA_GATEWAY].p) {
		if ((r = get_ip(&tb[RTA_GATEWAY], rt.family, rt.gw)) < 0)
			return r;
		rt.has_gw = true;
	}
	add_route(s, &rt);
	return 0;
}

/**
 * parse_one() - Handle one message addressed to us
 * @s:		Scan
 * @h:		Its header
 * @p:		Payload
 * @len:	Payload length
 *
 * Return: 1 at the end of a dump or on an acknowledgement, 0 to go on,
 * -errno from the kernel, -EAGAIN for an interrupted dump, -EBADMSG
 */
static int parse_one(struct ifscrape_scan *s, const struct nlmsghdr *h,
		     const uint8_t *p, size_t len)
{
	struct nlmsgerr e;
	int32_t v = 0;

	switch (h->nlmsg_type) {
	case NLMSG_DONE:
		if (len >= sizeof(v))
			memcpy(&v, p, sizeof(v));
		if (v < 0)
			return v;
		return (h->nlmsg_flags & NLM_F_DUMP_INTR) ? -EAGAIN : 1;
	case NLMSG_ERROR:
		if (len < sizeof(e.error))
			return -EBADMSG;
		memcpy(&e.error, p, sizeof(e.error));
		return e.error < 0 ? e.error : 1;
	case NLMSG_OVERRUN:
		return -ENOBUFS;
	default:
		break;
	}
	if (!s)
		return 0; /* an acknowledgement was expected */
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
		return parse_link(s, p, len);
	case RTM_NEWADDR:
		return parse_addr(s, p, len);
	case RTM_NEWROUTE:
		return parse_route(s, p, len);
	default:
		return 0;
	}
}

/**
 * ifscrape_parse() - Add one datagram of netlink replies to a scan
 * @s:		Scan (tables are appended to)
 * @buf:	Datagram: nlmsghdrs back to back
 * @len:	Its length
 * @seq:	Sequence number of our request: other messages are skipped
 *
 * Return: 1 when the answer is complete (NLMSG_DONE, or an NLMSG_ERROR
 * acknowledgement with error 0), 0 if more datagrams follow, -errno the
 * kernel reported, -EAGAIN if the dump was interrupted by a change (dump
 * again), -EBADMSG for a malformed message
 */
int ifscrape_parse(struct ifscrape_scan *s, const void *buf, size_t len,
		   uint32_t seq)
{
	const uint8_t *p = buf;
	struct nlmsghdr h;
	size_t step;
	int r;

	while (len >= HDRLEN) {
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < HDRLEN || h.nlmsg_len > len)
			return -EBADMSG;
		if (h.nlmsg_seq == seq) {
			r = parse_one(s, &h, p + HDRLEN, h.nlmsg_len - HDRLEN);
			if (r)
				return r;
			if (h.nlmsg_flags & NLM_F_DUMP_INTR)
				return -EAGAIN;
		}
		step = MIN((size_t)NLMSG_ALIGN(h.nlmsg_len), len);
		p += step;
		len -= step;
	}
	return len ? -EBADMSG : 0;
}

/**
 * put_hdr() - Start a request in a buffer
 * @buf:	Buffer
 * @cap:	Its size
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags (NLM_F_REQUEST is added)
 * @seq:	Sequence number
 * @body:	Fixed part after the header
 * @blen:	Its size
 *
 * Return: message length so far, or -ENOSPC
 */
static int put_hdr(void *buf, size_t cap, uint16_t type, uint16_t flags,
		   uint32_t seq, const void *body, size_t blen)
{
	struct nlmsghdr h = {.nlmsg_type = type,
			     .nlmsg_flags = (uint16_t)(flags | NLM_F_REQUEST),
			     .nlmsg_seq = seq};
	size_t len = HDRLEN + NLMSG_ALIGN(blen);

	if (len > cap)
		return -ENOSPC;
	memset(buf, 0, len);
	h.nlmsg_len = (uint32_t)len;
	memcpy(buf, &h, sizeof(h));
	memcpy((uint8_t *)buf + HDRLEN, body, blen);
	return (int)len;
}

/**
 * put_attr() - Append an attribute to a request
 * @buf:	Buffer holding the request
 * @cap:	Its size
 * @len:	Request length so far
 * @type:	Attribute type
 * @v:		Payload
 * @vlen:	Payload length
 *
 * Return: new length (also stored in the header), or -ENOSPC
 */
static int put_attr(void *buf, size_t cap, int len, uint16_t type,
		    const void *v, size_t vlen)
{
	struct rtattr a = {.rta_len = (unsigned short)RTA_LENGTH(vlen),
			   .rta_type = type};
	size_t end = (size_t)len + RTA_ALIGN(a.rta_len);
	uint32_t nlen = (uint32_t)end;

	if (len < 0)
		return len;
	if (end > cap)
		return -ENOSPC;
	memset((uint8_t *)buf + len, 0, end - (size_t)len);
	memcpy((uint8_t *)buf + len, &a, sizeof(a));
	memcpy((uint8_t *)buf + len + sizeof(a), v, vlen);
	memcpy(buf, &nlen, sizeof(nlen)); /* nlmsg_len comes first */
	return (int)end;
}

/**
 * ifscrape_msg_dump() - Build a dump request
 * @buf:	Buffer
 * @cap:	Its size
 * @type:	RTM_GETLINK, RTM_GETADDR or RTM_GETROUTE
 * @family:	AF_UNSPEC, AF_INET or AF_INET6
 * @seq:	Sequence number
 *
 * Return: message length, -ENOSPC, or -EINVAL for another @type
 */
int ifscrape_msg_dump(void *buf, size_t cap, uint16_t type, uint8_t family,
		      uint32_t seq)
{
	struct ifinfomsg ifi = {.ifi_family = family};
	struct ifaddrmsg ifa = {.ifa_family = family};
	struct rtmsg rtm = {.rtm_family = family};

	switch (type) {
	case RTM_GETLINK:
		return put_hdr(buf, cap, type, NLM_F_DUMP, seq, &ifi,
			       sizeof(ifi));
	case RTM_GETADDR:
		return put_hdr(buf, cap, type, NLM_F_DUMP, seq, &ifa,
			       sizeof(ifa));
	case RTM_GETROUTE:
		return put_hdr(buf, cap, type, NLM_F_DUMP, seq, &rtm,
			       sizeof(rtm));
	default:
		return -EINVAL;
	}
}

/**
 * ifscrape_msg_deladdr() - Build a RTM_DELADDR request (acknowledged)
 * @buf:	Buffer
 * @cap:	Its size
 * @a:		Address as the dump gave it
 * @seq:	Sequence number
 *
 * The kernel matches IPv4 addresses by IFA_LOCAL, prefix length and
 * IFA_ADDRESS, IPv6 ones by IFA_ADDRESS and prefix length.
 *
 * Return: message length, or -ENOSPC
 */
int ifscrape_msg_deladdr(void *buf, size_t cap, const struct ifscrape_addr *a,
			 uint32_t seq)
{
	struct ifaddrmsg ifa = {.ifa_family = a->family,
				.ifa_prefixlen = a->prefix,
				.ifa_scope = a->scope,
				.ifa_index = (uint32_t)a->index};
	size_t alen = a->family == AF_INET ? 4 : 16;
	int len;

	len = put_hdr(buf, cap, RTM_DELADDR, NLM_F_ACK, seq, &ifa, sizeof(ifa));
	if (a->family == AF_INET)
		len = put_attr(buf, cap, len, IFA_LOCAL, a->addr, alen);
	return put_attr(buf, cap, len, IFA_ADDRESS,
			a->has_peer ? a->peer : a->addr, alen);
}

/**
 * ifscrape_msg_linkup() - Build a RTM_NEWLINK request that sets IFF_UP
 * @buf:	Buffer
 * @cap:	Its size
 * @index:	Interface index
 * @seq:	Sequence number
 *
 * Return: message length, or -ENOSPC
 */
int ifscrape_msg_linkup(void *buf, size_t cap, int index, uint32_t seq)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_index = index,
				.ifi_flags = IFF_UP,
				.ifi_change = IFF_UP};

	return put_hdr(buf, cap, RTM_NEWLINK, NLM_F_ACK, seq, &ifi,
		       sizeof(ifi));
}

/**
 * find_link() - Choose the interface
 * @s:		Scan
 * @ifname:	Name wanted, or NULL for the first non-loopback Ethernet
 *		interface that is up or has addresses
 *
 * Return: the link, or NULL
 */
static const struct ifscrape_link *find_link(const struct ifscrape_scan *s,
					     const char *ifname)
{
	const struct ifscrape_link *l;
	unsigned int i, j;
	bool addrs;

	for (i = 0; i < s->nlinks; i++) {
		l = &s->links[i];
		if (ifname) {
			if (!strcmp(l->name, ifname))
				return l;
			continue;
		}
		if (l->type != ARPHRD_ETHER || !l->has_mac ||
		    (l->flags & IFF_LOOPBACK))
			continue;
		for (j = 0, addrs = false; j < s->naddrs && !addrs; j++)
			addrs = s->addrs[j].index == l->index;
		if ((l->flags & IFF_UP) || addrs)
			return l;
	}
	return NULL;
}

/**
 * find_gw() - Gateway of the best default route through an interface
 * @s:		Scan
 * @family:	AF_INET or AF_INET6
 * @index:	Interface
 * @gw:		Gateway (4 or 16 bytes), left alone if there is none
 */
static void find_gw(const struct ifscrape_scan *s, uint8_t family, int index,
		    void *gw)
{
	const struct ifscrape_route *best = NULL, *r;
	unsigned int i;

	for (i = 0; i < s->nroutes; i++) {
		r = &s->routes[i];
		if (r->family == family && r->oif == index && r->has_gw &&
		    (!best || r->prio < best->prio))
			best = r;
	}
	if (best)
		memcpy(gw, best->gw, family == AF_INET ? 4 : 16);
}

/**
 * ifscrape_pick() - Choose the interface and describe it for netstack
 * @s:		Scan of the links, addresses and default routes
 * @ifname:	Interface wanted, or NULL (see find_link())
 * @cfg:	Filled on success (present, MAC, MTU capped to NS_MTU_MAX,
 *		primary IPv4 address, first global IPv6 address, gateways)
 * @link:	The chosen interface, pointing into @s
 *
 * Return: 0, -ENODEV if there is no such interface, -EINVAL if the one
 * named is not Ethernet
 */
int ifscrape_pick(const struct ifscrape_scan *s, const char *ifname,
		  struct ns_if_config *cfg, const struct ifscrape_link **link)
{
	const struct ifscrape_link *l = find_link(s, ifname);
	struct ns_if_config c = {.present = true};
	const struct ifscrape_addr *a;
	bool v4 = false, v6 = false;
	unsigned int i;

	if (!l)
		return -ENODEV;
	if (l->type != ARPHRD_ETHER || !l->has_mac)
		return -EINVAL;
	memcpy(c.mac, l->mac, sizeof(c.mac));
	c.mtu = MIN(l->mtu, (unsigned int)NS_MTU_MAX);
	for (i = 0; i < s->naddrs; i++) {
		a = &s->addrs[i];
		if (a->index != l->index)
			continue;
		if (a->family == AF_INET && !v4 &&
		    !(a->flags & IFA_F_SECONDARY)) {
			memcpy(&c.addr4, a->addr, 4);
			c.prefix4 = a->prefix;
			v4 = true;
		}
		if (a->family == AF_INET6 && !v6 &&
		    a->scope == RT_SCOPE_UNIVERSE &&
		    !(a->flags & IFA_F_DADFAILED)) {
			memcpy(&c.addr6, a->addr, 16);
			c.prefix6 = a->prefix;
			v6 = true;
		}
	}
	if (v4)
		find_gw(s, AF_INET, l->index, &c.gw4);
	if (v6)
		find_gw(s, AF_INET6, l->index, &c.gw6);
	*cfg = c;
	*link = l;
	return 0;
}

/**
 * nl_open() - Open a NETLINK_ROUTE socket with a receive timeout
 * @fd:		Socket, owned by the caller
 *
 * Return: 0 or -errno
 * #syscalls:setup socket setsockopt bind
 */
static int nl_open(int *fd)
{
	struct timeval tv = {.tv_sec = NL_TIMEOUT_S};
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	_cleanup_close_ int s = -1;
	int r;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		r = -errno;
		err_errno(r, "ifscrape: netlink socket");
		return r;
	}
	*fd = TAKE_FD(s);
	return 0;
}

/**
 * nl_talk() - Send one request and parse the answer until it is complete
 * @fd:		NETLINK_ROUTE socket
 * @req:	Request
 * @len:	Its length
 * @seq:	Its sequence number
 * @s:		Scan to add dumped objects to
 *
 * Return: 0, -errno from the kernel or the socket (-ETIMEDOUT without an
 * answer), -EAGAIN for an interrupted dump, -EBADMSG
 * #syscalls:setup sendto recvmsg
 */
static int nl_talk(int fd, const void *req, int len, uint32_t seq,
		   struct ifscrape_scan *s)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK}, from;
	uint8_t buf[NL_BUF] __attribute__((aligned(8)));
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;
	int i, r;

	if (len < 0)
		return len;
	if (sendto(fd, req, (size_t)len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != len)
		return -errno;
	for (i = 0; i < NL_DGRAMS; i++) {
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		n = recvmsg(fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (from.nl_pid)
			continue; /* not from the kernel */
		r = ifscrape_parse(s, buf, (size_t)n, seq);
		if (r)
			return r < 0 ? r : 0;
	}
	return -ETIMEDOUT;
}

/**
 * nl_dump() - Dump one kind of object into a scan, again if interrupted
 * @fd:		NETLINK_ROUTE socket
 * @type:	RTM_GET*
 * @family:	Address family filter
 * @seq:	Sequence counter, advanced
 * @s:		Scan; on a retry, what the interrupted dump added is dropped
 *
 * Return: 0 or -errno
 */
static int nl_dump(int fd, uint16_t type, uint8_t family, uint32_t *seq,
		   struct ifscrape_scan *s)
{
	unsigned int nl = s->nlinks, na = s->naddrs, nr = s->nroutes;
	uint8_t req[64];
	int i, r = -EAGAIN;

	for (i = 0; i < DUMP_TRIES && r == -EAGAIN; i++) {
		s->nlinks = nl;
		s->naddrs = na;
		s->nroutes = nr;
		++*seq;
		r = nl_talk(
		    fd, req,
		    ifscrape_msg_dump(req, sizeof(req), type, family, *seq),
		    *seq, s);
	}
	if (r < 0)
		err_errno(r, "ifscrape: netlink dump (type %u)", type);
	return r;
}

/**
 * write_conf() - Write a value to a per-interface sysctl, if it exists
 * @fmt:	Path with one %s for the interface
 * @ifname:	Interface
 * @val:	Value
 * #syscalls:setup openat write close
 */
static void write_conf(const char *fmt, const char *ifname, const char *val)
{
	_cleanup_close_ int fd = -1;
	char path[128];

	snprintf(path, sizeof(path), fmt, ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		debug("ifscrape: no %s", path);
		return;
	}
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		warn_errno(-errno, "ifscrape: writing %s to %s", val, path);
}

/**
 * del_addrs() - Delete every address of an interface, then dump again
 * @fd:		NETLINK_ROUTE socket
 * @l:		Interface
 * @seq:	Sequence counter
 * @s:		Scan holding the addresses; refreshed after each pass
 *
 * Return: 0 once a dump shows none left, -EBUSY if addresses keep
 * coming back, or -errno
 */
static int del_addrs(int fd, const struct ifscrape_link *l, uint32_t *seq,
		     struct ifscrape_scan *s)
{
	unsigned int i, left = 1;
	uint8_t req[128];
	int pass, r;

	for (pass = 0; pass < IFSCRAPE_PASSES && left; pass++) {
		for (i = 0; i < s->naddrs; i++) {
			if (s->addrs[i].index != l->index)
				continue;
			++*seq;
			r = nl_talk(fd, req,
				    ifscrape_msg_deladdr(req, sizeof(req),
							 &s->addrs[i], *seq),
				    *seq, NULL);
			if (r < 0 && r != -EADDRNOTAVAIL && r != -ENOENT) {
				err_errno(r,
					  "ifscrape: deleting an address "
					  "of %s",
					  l->name);
				return r;
			}
		}
		s->naddrs = 0;
		s->overflow = 0;
		s->index = l->index;
		if ((r = nl_dump(fd, RTM_GETADDR, AF_UNSPEC, seq, s)) < 0)
			return r;
		left = s->naddrs + s->overflow;
	}
	if (left) {
		err("ifscrape: %u addresses of %s keep coming back", left,
		    l->name);
		return -EBUSY;
	}
	return 0;
}

/**
 * take() - Take the chosen interface from the kernel's IP stack
 * @fd:		NETLINK_ROUTE socket
 * @l:		Interface (a copy: the scan is reused)
 * @seq:	Sequence counter
 * @s:		Scan holding its addresses
 *
 * Return: 0 or -errno
 */
static int take(int fd, const struct ifscrape_link *l, uint32_t *seq,
		struct ifscrape_scan *s)
{
	uint8_t req[64];
	int r;

	/* first, so that no link-local address comes back with IFF_UP */
	write_conf("/proc/sys/net/ipv6/conf/%s/disable_ipv6", l->name, "1");
	write_conf("/proc/sys/net/ipv4/conf/%s/arp_ignore", l->name,
		   ARP_IGNORE_ALL_STR);
	if (!(l->flags & IFF_UP)) {
		++*seq;
		r = nl_talk(
		    fd, req,
		    ifscrape_msg_linkup(req, sizeof(req), l->index, *seq), *seq,
		    NULL);
		if (r < 0) {
			err_errno(r, "ifscrape: setting %s up", l->name);
			return r;
		}
	}
	return del_addrs(fd, l, seq, s);
}

/**
 * ifscrape_take() - Read an interface's configuration, then take it over
 * @ifname:	Interface in the current network namespace, or NULL for the
 *		first non-loopback Ethernet one that is up or has addresses
 * @cfg:	Filled on success (see ifscrape.h); untouched on failure
 * @ifname_out:	Name of the interface taken, for tap_packet_open()
 * @len:	Size of @ifname_out (IFNAMSIZ is enough)
 *
 * Return: 0; -ENODEV if there is no such interface (run loopback-only);
 * -EINVAL if the one named is not Ethernet; -ENAMETOOLONG if @len is too
 * small (nothing was changed then); -EBUSY if addresses keep coming back;
 * or -errno from netlink
 */
int ifscrape_take(const char *ifname, struct ns_if_config *cfg,
		  char *ifname_out, size_t len)
{
	_cleanup_close_ int fd = -1;
	const struct ifscrape_link *pl;
	struct ifscrape_scan s = {.nlinks = 0};
	struct ifscrape_link l;
	struct ns_if_config c;
	uint32_t seq = 0;
	int r;

	if ((r = nl_open(&fd)) < 0 ||
	    (r = nl_dump(fd, RTM_GETLINK, AF_UNSPEC, &seq, &s)) < 0 ||
	    (r = nl_dump(fd, RTM_GETADDR, AF_UNSPEC, &seq, &s)) < 0 ||
	    (r = nl_dump(fd, RTM_GETROUTE, AF_INET, &seq, &s)) < 0 ||
	    (r = nl_dump(fd, RTM_GETROUTE, AF_INET6, &seq, &s)) < 0)
		return r;
	r = ifscrape_pick(&s, ifname, &c, &pl);
	if (r == -ENODEV) {
		debug("ifscrape: no interface %s", ifname ? ifname : "to take");
		return r;
	}
	if (r < 0) {
		err("ifscrape: %s is not an Ethernet interface", ifname);
		return r;
	}
	l = *pl;
	if (strlen(l.name) >= len)
		return -ENAMETOOLONG;
	if ((r = take(fd, &l, &seq, &s)) < 0)
		return r;
	info("ifscrape: took %s (mtu %u) from the kernel", l.name, c.mtu);
	memcpy(ifname_out, l.name, strlen(l.name) + 1);
	*cfg = c;
	return 0;
}
