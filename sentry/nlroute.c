// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlroute.c - NETLINK_ROUTE requests answered from a struct ifview
 *
 * Every read of the request goes through memcpy() into a local struct after a
 * length check: the payload comes from the guest, unaligned and hostile.
 * Replies are built in place at the end of the caller's buffer; a reply that
 * does not fit is rolled back and the whole call ends with -ENOBUFS, which is
 * what a Linux netlink socket reports when its receive queue overflows.
 * The attributes and their order follow Linux 6.18 (net/core/rtnetlink.c,
 * net/ipv4/devinet.c, net/ipv4/fib_semantics.c, net/ipv6/addrconf.c,
 * net/ipv6/route.c); counters and timestamps Linux keeps and we do not are 0.
 */
#include "nlroute.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "base.h"

#define HDRLEN ((size_t)NLMSG_HDRLEN)

/* Enough for every derived and administrator route of a full view */
#define RT_MAX (IFV_IFS_MAX * (IFV_ADDRS_MAX * 3 + 1) + IFV_ROUTES_MAX)

#define IP6_RT_PRIO_USER 1024	 /* metric of an IPv6 route added by hand */
#define IP6_RT_PRIO_ADDRCONF 256 /* metric of a connected IPv6 route */
#define RTCF_LOCAL 0x80000000U	 /* rt_flags of a local IPv4 route lookup */
#define INFINITY_LIFE_TIME 0xffffffffU /* ifa_cacheinfo: no expiry */

/**
 * struct rt - One route as the kernel would hold it (derived or given)
 * @family:	AF_INET or AF_INET6
 * @dst_len:	Prefix length
 * @table:	RT_TABLE_MAIN or RT_TABLE_LOCAL
 * @proto:	RTPROT_*
 * @scope:	RT_SCOPE_*
 * @type:	RTN_*
 * @has_gw:	@gw is set
 * @has_src:	@src (RTA_PREFSRC) is set
 * @dst:	Destination prefix
 * @gw:		Gateway
 * @src:	Preferred source
 * @oif:	Output interface index
 * @prio:	RTA_PRIORITY (IPv4: omitted when 0)
 */
struct rt {
	uint8_t family, dst_len, table, proto, scope, type;
	bool has_gw, has_src;
	uint8_t dst[16], gw[16], src[16];
	int oif;
	uint32_t prio;
};

/**
 * struct rts - A list of routes
 * @r:	Routes
 * @n:	Entries used
 */
struct rts {
	struct rt r[RT_MAX];
	int n;
};

/**
 * struct ctx - State of one nlr_handle() call
 * @v:		View
 * @o:		Output
 * @portid:	nlmsg_pid of every reply
 * @opts:	NLR_* socket options
 * @h:		Header of the request being answered
 * @req:	The request: @h followed by its payload
 * @joinable:	The last datagram is a dump part that may take more parts
 * @err:	-ENOBUFS once something did not fit, else 0
 */
struct ctx {
	const struct ifview *v;
	struct nlr_out *o;
	uint32_t portid;
	unsigned int opts;
	struct nlmsghdr h;
	const uint8_t *req;
	bool joinable;
	int err;
};

/**
 * put() - Append @len bytes and zero padding up to NLMSG_ALIGNTO
 * @c:		Context
 * @data:	Bytes, or NULL for zeros
 * @len:	Length
 *
 * Return: true if they fit; false (and @c->err set) if not
 */
static bool put(struct ctx *c, const void *data, size_t len)
{
	size_t alen = NLMSG_ALIGN(len);
	uint8_t *p;

	if (c->err || alen < len || c->o->cap - c->o->len < alen) {
		c->err = -ENOBUFS;
		return false;
	}
	p = (uint8_t *)c->o->buf + c->o->len;
	memset(p, 0, alen);
	if (data)
		memcpy(p, data, len);
	c->o->len += alen;
	return true;
}

/**
 * msg_begin() - Start a reply message to the current request
 * @c:		Context
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags
 *
 * Return: offset of the message in the output, to pass to msg_end()
 */
static size_t msg_begin(struct ctx *c, uint16_t type, uint16_t flags)
{
	struct nlmsghdr h = {
	    .nlmsg_type = type,
	    .nlmsg_flags = flags,
	    .nlmsg_seq = c->h.nlmsg_seq,
	    .nlmsg_pid = c->portid,
	};
	size_t start = c->o->len;

	put(c, &h, sizeof(h));
	return start;
}

/**
 * msg_end() - Finish a message: set its length, place it in a datagram
 * @c:		Context
 * @start:	Offset returned by msg_begin()
 * @join:	A dump part: share the previous part's datagram if it fits
 *
 * A message that did not fit in the buffer is removed.
 */
static void msg_end(struct ctx *c, size_t start, bool join)
{
	struct nlr_out *o = c->o;
	uint32_t len = (uint32_t)(o->len - start);

	if (!c->err && join && c->joinable &&
	    o->dgram[o->n - 1] + len <= NLR_DGRAM_SIZE) {
		o->dgram[o->n - 1] += len;
	} else if (!c->err && o->n < NLR_DGRAMS_MAX) {
		o->dgram[o->n++] = len;
	} else {
		c->err = -ENOBUFS;
		o->len = start;
		c->joinable = false;
		return;
	}
	memcpy((uint8_t *)o->buf + start, &len, sizeof(len));
	c->joinable = join;
}

/**
 * attr() - Append one attribute to the open message
 * @c:		Context
 * @type:	nla_type
 * @data:	Payload, or NULL for zeros
 * @len:	Payload length
 */
static void attr(struct ctx *c, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + len),
			   .nla_type = type};

	if (put(c, &a, sizeof(a)))
		put(c, data, len);
}

/**
 * attr_u32() - Append a u32 attribute
 * @c:		Context
 * @type:	nla_type
 * @val:	Value, host order
 */
static void attr_u32(struct ctx *c, uint16_t type, uint32_t val)
{
	attr(c, type, &val, sizeof(val));
}

/**
 * attr_u8() - Append a u8 attribute
 * @c:		Context
 * @type:	nla_type
 * @val:	Value
 */
static void attr_u8(struct ctx *c, uint16_t type, uint8_t val)
{
	attr(c, type, &val, sizeof(val));
}

/**
 * attr_str() - Append a NUL-terminated string attribute
 * @c:		Context
 * @type:	nla_type
 * @s:		String
 */
static void attr_str(struct ctx *c, uint16_t type, const char *s)
{
	attr(c, type, s, strnlen(s, IFV_NAMSIZ - 1) + 1);
}

/**
 * req_attr() - Find attribute @type after the request's fixed header
 * @c:		Context
 * @hdrlen:	Size of the fixed header after struct nlmsghdr
 * @type:	nla_type to find
 * @len:	Payload length of the attribute found
 *
 * Parsing is lenient as in Linux's non-strict nlmsg_parse(): it stops at the
 * first malformed attribute, and the last of several copies wins.
 *
 * Return: the attribute's payload, or NULL if absent
 */
static const uint8_t *req_attr(const struct ctx *c, size_t hdrlen,
			       uint16_t type, size_t *len)
{
	size_t off = HDRLEN + NLMSG_ALIGN(hdrlen);
	const uint8_t *found = NULL;
	struct nlattr a;

	while (off + NLA_HDRLEN <= c->h.nlmsg_len) {
		memcpy(&a, c->req + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > c->h.nlmsg_len - off)
			break;
		if ((a.nla_type & NLA_TYPE_MASK) == type) {
			found = c->req + off + NLA_HDRLEN;
			*len = a.nla_len - NLA_HDRLEN;
		}
		off += NLA_ALIGN(a.nla_len);
	}
	return found;
}

/**
 * ack() - Send NLMSG_ERROR for the current request
 * @c:		Context
 * @error:	0 (an acknowledgement) or -errno
 *
 * Like netlink_ack(): an error echoes the whole request unless NLR_CAP_ACK,
 * an acknowledgement only its header, flagged NLM_F_CAPPED.
 */
static void ack(struct ctx *c, int error)
{
	bool capped = !error || (c->opts & NLR_CAP_ACK);
	size_t start = msg_begin(c, NLMSG_ERROR, capped ? NLM_F_CAPPED : 0);

	put(c, &error, sizeof(error));
	put(c, c->req, capped ? HDRLEN : c->h.nlmsg_len);
	msg_end(c, start, false);
}

/**
 * dump_done() - End a dump with NLMSG_DONE in a datagram of its own
 * @c:		Context
 */
static void dump_done(struct ctx *c)
{
	size_t start = msg_begin(c, NLMSG_DONE, NLM_F_MULTI);
	int zero = 0;

	put(c, &zero, sizeof(zero));
	msg_end(c, start, false);
}

/**
 * alen() - Address length of @family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 4 or 16
 */
static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/**
 * link_stats() - Append IFLA_STATS64 and IFLA_STATS
 * @c:		Context
 * @s:		Counters
 */
static void link_stats(struct ctx *c, const struct ifv_stats *s)
{
	struct rtnl_link_stats64 s64 = {
	    .rx_packets = s->rx_packets,
	    .tx_packets = s->tx_packets,
	    .rx_bytes = s->rx_bytes,
	    .tx_bytes = s->tx_bytes,
	    .rx_dropped = s->rx_dropped,
	    .tx_dropped = s->tx_dropped,
	};
	struct rtnl_link_stats s32 = {
	    .rx_packets = (uint32_t)s->rx_packets,
	    .tx_packets = (uint32_t)s->tx_packets,
	    .rx_bytes = (uint32_t)s->rx_bytes,
	    .tx_bytes = (uint32_t)s->tx_bytes,
	    .rx_dropped = (uint32_t)s->rx_dropped,
	    .tx_dropped = (uint32_t)s->tx_dropped,
	};

	attr(c, IFLA_STATS64, &s64, sizeof(s64));
	attr(c, IFLA_STATS, &s32, sizeof(s32));
}

/**
 * put_link() - Append one RTM_NEWLINK, as rtnl_fill_ifinfo() builds it
 * @c:		Context
 * @ifc:	Interface
 * @flags:	nlmsg_flags
 */
static void put_link(struct ctx *c, const struct ifv_iface *ifc, uint16_t flags)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	bool lo = ifc->flags & IFF_LOOPBACK;
	unsigned int f = ifv_flags(ifc);
	struct ifinfomsg ifm = {
	    .ifi_family = AF_UNSPEC,
	    .ifi_type = lo ? ARPHRD_LOOPBACK : ARPHRD_ETHER,
	    .ifi_index = ifc->index,
	    .ifi_flags = f,
	};
	struct rtnl_link_ifmap map = {0};
	size_t start = msg_begin(c, RTM_NEWLINK, flags);

	put(c, &ifm, sizeof(ifm));
	attr_str(c, IFLA_IFNAME, ifc->name);
	attr_u32(c, IFLA_TXQLEN, ifc->txqlen);
	attr_u8(c, IFLA_OPERSTATE,
		lo ? IF_OPER_UNKNOWN
		   : ((f & IFF_RUNNING) ? IF_OPER_UP : IF_OPER_DOWN));
	attr_u8(c, IFLA_LINKMODE, 0);
	attr_u32(c, IFLA_MTU, ifc->mtu);
	attr_u32(c, IFLA_MIN_MTU, lo ? 0 : 68);
	attr_u32(c, IFLA_MAX_MTU, lo ? 0 : 65535);
	attr_u32(c, IFLA_GROUP, 0);
	attr_u32(c, IFLA_PROMISCUITY, 0);
	attr_u32(c, IFLA_NUM_TX_QUEUES, 1);
	attr_u32(c, IFLA_GSO_MAX_SEGS, 65535);
	attr_u32(c, IFLA_GSO_MAX_SIZE, 65536);
	attr_u32(c, IFLA_NUM_RX_QUEUES, 1);
	attr_u8(c, IFLA_CARRIER, !!(f & IFF_RUNNING));
	attr_u32(c, IFLA_CARRIER_CHANGES, 0);
	attr_u8(c, IFLA_PROTO_DOWN, 0);
	attr(c, IFLA_ADDRESS, ifc->mac, 6);
	attr(c, IFLA_BROADCAST, lo ? NULL : bcast, 6);
	link_stats(c, &ifc->stats);
	attr_str(c, IFLA_QDISC, "noqueue");
	attr(c, IFLA_MAP, &map, sizeof(map));
	msg_end(c, start, flags & NLM_F_MULTI);
}

/**
 * addr_scope() - Scope Linux gives an address
 * @ifc:	Interface
 * @a:		Address
 *
 * Return: RT_SCOPE_HOST on loopback, RT_SCOPE_LINK for fe80::/10, else
 *	   RT_SCOPE_UNIVERSE
 */
static uint8_t addr_scope(const struct ifv_iface *ifc, const struct ifv_addr *a)
{
	if (ifc->flags & IFF_LOOPBACK)
		return RT_SCOPE_HOST;
	if (a->family == AF_INET6 && a->addr[0] == 0xfe &&
	    (a->addr[1] & 0xc0) == 0x80)
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

/**
 * mask4() - Apply an IPv4 prefix or its host part
 * @a:		Address, network order
 * @prefix:	Prefix length, 0..32
 * @host:	Set the host bits (broadcast) instead of clearing them
 * @out:	Result, network order
 */
static void mask4(const uint8_t *a, unsigned int prefix, bool host,
		  uint8_t *out)
{
	uint32_t m = prefix ? ~0U << (32 - MIN(prefix, 32U)) : 0, x;

	x = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 |
	    a[3];
	x = host ? (x | ~m) : (x & m);
	out[0] = (uint8_t)(x >> 24);
	out[1] = (uint8_t)(x >> 16);
	out[2] = (uint8_t)(x >> 8);
	out[3] = (uint8_t)x;
}

/**
 * has_bcast() - Whether an IPv4 address has a broadcast address
 * @ifc:	Interface
 * @a:		Address
 *
 * Return: true for a prefix of 30 or less on a non-loopback interface
 */
static bool has_bcast(const struct ifv_iface *ifc, const struct ifv_addr *a)
{
	return a->family == AF_INET && a->prefix <= 30 &&
	       !(ifc->flags & IFF_LOOPBACK);
}

/**
 * put_addr() - Append one RTM_NEWADDR, as inet_fill_ifaddr() or
 *		inet6_fill_ifaddr() builds it
 * @c:		Context
 * @ifc:	Interface
 * @a:		Address
 * @flags:	nlmsg_flags
 */
static void put_addr(struct ctx *c, const struct ifv_iface *ifc,
		     const struct ifv_addr *a, uint16_t flags)
{
	struct ifaddrmsg ifa = {
	    .ifa_family = (uint8_t)a->family,
	    .ifa_prefixlen = (uint8_t)a->prefix,
	    .ifa_flags = IFA_F_PERMANENT,
	    .ifa_scope = addr_scope(ifc, a),
	    .ifa_index = (uint32_t)ifc->index,
	};
	struct ifa_cacheinfo ci = {.ifa_prefered = INFINITY_LIFE_TIME,
				   .ifa_valid = INFINITY_LIFE_TIME};
	size_t start = msg_begin(c, RTM_NEWADDR, flags);
	uint8_t b[4];

	put(c, &ifa, sizeof(ifa));
	if (a->family == AF_INET) {
		attr(c, IFA_ADDRESS, a->addr, 4);
		attr(c, IFA_LOCAL, a->addr, 4);
		if (has_bcast(ifc, a)) {
			mask4(a->addr, a->prefix, true, b);
			attr(c, IFA_BROADCAST, b, 4);
		}
		attr_str(c, IFA_LABEL, ifc->name);
		attr_u32(c, IFA_FLAGS, IFA_F_PERMANENT);
		attr(c, IFA_CACHEINFO, &ci, sizeof(ci));
	} else {
		attr(c, IFA_ADDRESS, a->addr, 16);
		attr(c, IFA_CACHEINFO, &ci, sizeof(ci));
		attr_u32(c, IFA_FLAGS, IFA_F_PERMANENT);
		if (ifc->flags & IFF_LOOPBACK)
			attr_u8(c, IFA_PROTO, IFAPROT_KERNEL_LO);
		else if (ifa.ifa_scope == RT_SCOPE_LINK)
			attr_u8(c, IFA_PROTO, IFAPROT_KERNEL_LL);
	}
	msg_end(c, start, flags & NLM_F_MULTI);
}

/**
 * put_route() - Append one RTM_NEWROUTE of a dump, as fib_dump_info() or
 *		 rt6_fill_node() builds it
 * @c:		Context
 * @r:		Route
 */
static void put_route(struct ctx *c, const struct rt *r)
{
	struct rtmsg rtm = {
	    .rtm_family = r->family,
	    .rtm_dst_len = r->dst_len,
	    .rtm_table = r->table,
	    .rtm_protocol = r->proto,
	    .rtm_scope = r->scope,
	    .rtm_type = r->type,
	};
	struct rta_cacheinfo ci = {0};
	size_t start = msg_begin(c, RTM_NEWROUTE, NLM_F_MULTI);
	size_t al = alen(r->family);

	put(c, &rtm, sizeof(rtm));
	attr_u32(c, RTA_TABLE, r->table);
	if (r->dst_len)
		attr(c, RTA_DST, r->dst, al);
	if (r->family == AF_INET6 || r->prio)
		attr_u32(c, RTA_PRIORITY, r->prio);
	if (r->has_src)
		attr(c, RTA_PREFSRC, r->src, al);
	if (r->has_gw)
		attr(c, RTA_GATEWAY, r->gw, al);
	attr_u32(c, RTA_OIF, (uint32_t)r->oif);
	if (r->family == AF_INET6) {
		attr(c, RTA_CACHEINFO, &ci, sizeof(ci));
		attr_u8(c, RTA_PREF, 0 /* ICMPV6_ROUTER_PREF_MEDIUM */);
	}
	msg_end(c, start, true);
}

/**
 * rt_find() - Whether a route to the same place through the same device is
 *	       listed
 * @t:		List
 * @r:		Route
 *
 * Return: true if it is
 */
static bool rt_find(const struct rts *t, const struct rt *r)
{
	const struct rt *o;
	int i;

	for (i = 0; i < t->n; i++) {
		o = &t->r[i];
		if (o->family == r->family && o->table == r->table &&
		    o->type == r->type && o->dst_len == r->dst_len &&
		    o->oif == r->oif && o->has_gw == r->has_gw &&
		    !memcmp(o->dst, r->dst, sizeof(o->dst)) &&
		    !memcmp(o->gw, r->gw, sizeof(o->gw)))
			return true;
	}
	return false;
}

/**
 * rt_add() - Add a route unless rt_find() finds it
 * @t:		List
 * @r:		Route
 */
static void rt_add(struct rts *t, const struct rt *r)
{
	if (!rt_find(t, r) && t->n < RT_MAX)
		t->r[t->n++] = *r;
}

/**
 * rt_prefix() - Clear the host bits of @dst beyond @len
 * @dst:	Address, 16 bytes
 * @len:	Prefix length, 0..128
 */
static void rt_prefix(uint8_t *dst, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len > 8 * i)
			dst[i] &= (uint8_t)(0xff << (8 - (len - 8 * i)));
		else
			dst[i] = 0;
	}
}

/**
 * rt_derive4() - Routes Linux's fib_add_ifaddr() adds for an IPv4 address
 * @t:		List
 * @ifc:	Interface
 * @a:		Address
 */
static void rt_derive4(struct rts *t, const struct ifv_iface *ifc,
		       const struct ifv_addr *a)
{
	bool lo = ifc->flags & IFF_LOOPBACK;
	struct rt r = {.family = AF_INET,
		       .table = RT_TABLE_LOCAL,
		       .proto = RTPROT_KERNEL,
		       .scope = RT_SCOPE_HOST,
		       .type = RTN_LOCAL,
		       .has_src = true,
		       .oif = ifc->index};

	memcpy(r.src, a->addr, 4);
	memcpy(r.dst, a->addr, 4);
	r.dst_len = 32;
	rt_add(t, &r);
	if (a->prefix < 32) {
		mask4(a->addr, a->prefix, false, r.dst);
		r.dst_len = (uint8_t)a->prefix;
		if (!lo) {
			r.table = RT_TABLE_MAIN;
			r.scope = RT_SCOPE_LINK;
			r.type = RTN_UNICAST;
		}
		rt_add(t, &r);
	}
	if (a->prefix <= 30) {
		mask4(a->addr, a->prefix, true, r.dst);
		r.dst_len = 32;
		r.table = RT_TABLE_LOCAL;
		r.scope = RT_SCOPE_LINK;
		r.type = RTN_BROADCAST;
		rt_add(t, &r);
	}
}

/**
 * rt_derive6() - Routes Linux's addrconf adds for an IPv6 address
 * @t:		List
 * @ifc:	Interface
 * @a:		Address
 */
static void rt_derive6(struct rts *t, const struct ifv_iface *ifc,
		       const struct ifv_addr *a)
{
	struct rt r = {.family = AF_INET6,
		       .table = RT_TABLE_LOCAL,
		       .proto = RTPROT_KERNEL,
		       .type = RTN_LOCAL,
		       .dst_len = 128,
		       .oif = ifc->index};

	memcpy(r.dst, a->addr, 16);
	rt_add(t, &r);
	if (!(ifc->flags & IFF_LOOPBACK)) {
		r.table = RT_TABLE_MAIN;
		r.type = RTN_UNICAST;
		r.dst_len = (uint8_t)MIN(a->prefix, 128U);
		r.prio = IP6_RT_PRIO_ADDRCONF;
		rt_prefix(r.dst, r.dst_len);
		if (r.dst_len < 128)
			rt_add(t, &r);
		memset(r.dst, 0, sizeof(r.dst));
		r.dst[0] = 0xff;
		r.dst_len = 8;
		r.table = RT_TABLE_LOCAL;
		r.type = RTN_MULTICAST;
		rt_add(t, &r);
	}
}

/**
 * rt_given() - Add an administrator route, if its device is up and it does
 *		not repeat a connected route
 * @t:		List
 * @v:		View
 * @g:		Route
 * @family:	Only routes of this family
 */
static void rt_given(struct rts *t, const struct ifview *v,
		     const struct ifv_route *g, int family)
{
	const struct ifv_iface *ifc = ifv_by_index(v, g->ifindex);
	struct rt r = {.family = (uint8_t)family,
		       .table = RT_TABLE_MAIN,
		       .type = RTN_UNICAST,
		       .has_gw = g->has_gw,
		       .oif = g->ifindex};

	if (g->family != family || !ifc || !(ifc->flags & IFF_UP))
		return;
	r.dst_len = (uint8_t)MIN(g->dst_len, family == AF_INET ? 32U : 128U);
	memcpy(r.dst, g->dst, alen(family));
	rt_prefix(r.dst, r.dst_len);
	if (g->has_gw)
		memcpy(r.gw, g->gw, alen(family));
	if (rt_find(t, &r)) /* only a connected route can match: show it once */
		return;
	r.proto = RTPROT_BOOT;
	r.prio = g->metric;
	if (family == AF_INET)
		r.scope = g->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	else if (!r.prio)
		r.prio = IP6_RT_PRIO_USER;
	rt_add(t, &r);
}

/**
 * rt_cmp() - Order of routes in a dump: table, then as Linux walks it
 * @a:		Route
 * @b:		Route
 *
 * IPv4 walks its trie in address order, shorter prefixes first; IPv6 lists
 * longer prefixes first, so the default route comes last.
 *
 * Return: < 0, 0 or > 0
 */
static int rt_cmp(const struct rt *a, const struct rt *b)
{
	int d;

	if (a->table != b->table)
		return a->table == RT_TABLE_MAIN ? -1 : 1;
	if (a->family == AF_INET6 && a->dst_len != b->dst_len)
		return b->dst_len - a->dst_len;
	d = memcmp(a->dst, b->dst, sizeof(a->dst));
	if (d)
		return d;
	if (a->dst_len != b->dst_len)
		return a->dst_len - b->dst_len;
	return a->oif - b->oif;
}

/**
 * rt_build() - All routes of @family, in dump order
 * @v:		View
 * @family:	AF_INET or AF_INET6
 * @t:		List to fill
 */
static void rt_build(const struct ifview *v, int family, struct rts *t)
{
	const struct ifv_iface *ifc;
	int i, j;

	t->n = 0;
	for (i = 0; i < v->nifs && i < IFV_IFS_MAX; i++) {
		ifc = &v->ifs[i];
		if (!(ifc->flags & IFF_UP))
			continue;
		for (j = 0; j < ifc->naddrs && j < IFV_ADDRS_MAX; j++) {
			if (ifc->addrs[j].family != family)
				continue;
			if (family == AF_INET)
				rt_derive4(t, ifc, &ifc->addrs[j]);
			else
				rt_derive6(t, ifc, &ifc->addrs[j]);
		}
	}
	for (i = 0; i < v->nroutes && i < IFV_ROUTES_MAX; i++)
		rt_given(t, v, &v->routes[i], family);
	for (i = 1; i < t->n; i++) { /* insertion sort: a few dozen entries */
		struct rt r = t->r[i];

		for (j = i; j > 0 && rt_cmp(&t->r[j - 1], &r) > 0; j--)
			t->r[j] = t->r[j - 1];
		t->r[j] = r;
	}
}

/**
 * dump_families() - Which families a dump with rtgen_family @family covers
 * @family:	rtgen_family of the request
 * @route:	An RTM_GETROUTE dump (more families have a route dumper)
 * @v4:		Include IPv4
 * @v6:		Include IPv6
 *
 * AF_INET and AF_INET6 select their own dumper; families with a route
 * dumper we do not model (AF_MPLS, multicast routing) get nothing; any
 * other family falls back, as in rtnetlink_rcv_msg(), to rtnl_dump_all():
 * every family.
 */
static void dump_families(uint8_t family, bool route, bool *v4, bool *v6)
{
	*v4 = family == AF_INET;
	*v6 = family == AF_INET6;
	if (*v4 || *v6)
		return;
	if (route && (family == AF_MPLS || family == RTNL_FAMILY_IPMR ||
		      family == RTNL_FAMILY_IP6MR))
		return;
	*v4 = *v6 = true;
}

/**
 * dump_link() - RTM_GETLINK dump: every interface
 * @c:		Context
 * @family:	rtgen_family: AF_BRIDGE asks for bridge ports (none)
 */
static void dump_link(struct ctx *c, uint8_t family)
{
	int i;

	for (i = 0; family != AF_BRIDGE && i < c->v->nifs && i < IFV_IFS_MAX;
	     i++)
		put_link(c, &c->v->ifs[i], NLM_F_MULTI);
}

/**
 * dump_addr_family() - RTM_NEWADDR parts for every address of @family
 * @c:		Context
 * @family:	AF_INET or AF_INET6
 */
static void dump_addr_family(struct ctx *c, int family)
{
	const struct ifv_iface *ifc;
	int i, j;

	for (i = 0; i < c->v->nifs && i < IFV_IFS_MAX; i++) {
		ifc = &c->v->ifs[i];
		for (j = 0; j < ifc->naddrs && j < IFV_ADDRS_MAX; j++) {
			if (ifc->addrs[j].family == family)
				put_addr(c, ifc, &ifc->addrs[j], NLM_F_MULTI);
		}
	}
}

/**
 * dump_addr() - RTM_GETADDR dump
 * @c:		Context
 * @family:	rtgen_family / ifa_family
 */
static void dump_addr(struct ctx *c, uint8_t family)
{
	bool v4, v6;

	dump_families(family, false, &v4, &v6);
	if (v4)
		dump_addr_family(c, AF_INET);
	if (v6)
		dump_addr_family(c, AF_INET6);
}

/**
 * dump_route() - RTM_GETROUTE dump: main and local tables
 * @c:		Context
 * @family:	rtgen_family / rtm_family
 */
static void dump_route(struct ctx *c, uint8_t family)
{
	static const int fams[] = {AF_INET, AF_INET6};
	struct rts t;
	bool want[2];
	int i, f;

	dump_families(family, true, &want[0], &want[1]);
	for (f = 0; f < 2; f++) {
		if (!want[f])
			continue;
		rt_build(c->v, fams[f], &t);
		for (i = 0; i < t.n; i++)
			put_route(c, &t.r[i]);
	}
}

/**
 * get_link() - RTM_GETLINK for one interface (rtnl_getlink())
 * @c:		Context
 * @family:	ifi_family (any: Linux has one handler for all)
 *
 * Return: 0 or -errno for NLMSG_ERROR
 */
static int get_link(struct ctx *c, uint8_t family)
{
	const struct ifv_iface *ifc = NULL;
	struct ifinfomsg ifm;
	const uint8_t *name;
	size_t nlen;

	if (c->h.nlmsg_len < NLMSG_LENGTH(sizeof(ifm)))
		return -EINVAL;
	memcpy(&ifm, c->req + HDRLEN, sizeof(ifm));
	name = req_attr(c, sizeof(ifm), IFLA_IFNAME, &nlen);
	if (name) {
		if (nlen && !name[nlen - 1])
			nlen--;
		if (nlen > IFV_NAMSIZ - 1)
			return -ERANGE; /* ifla_policy: len IFNAMSIZ - 1 */
		nlen = strnlen((const char *)name, nlen);
	}
	if (ifm.ifi_index > 0)
		ifc = ifv_by_index(c->v, ifm.ifi_index);
	else if (name)
		ifc = ifv_by_name(c->v, (const char *)name, nlen);
	else if (!req_attr(c, sizeof(ifm), IFLA_ALT_IFNAME, &nlen))
		return -EINVAL;
	if (!ifc)
		return -ENODEV;
	put_link(c, ifc, 0);
	return 0;
}

/**
 * get_addr() - RTM_GETADDR for one address: Linux has it for IPv6 only
 * @c:		Context
 * @family:	ifa_family
 *
 * Return: 0 or -errno for NLMSG_ERROR
 */
static int get_addr(struct ctx *c, uint8_t family)
{
	const struct ifv_iface *ifc;
	struct ifaddrmsg ifa;
	const uint8_t *want;
	size_t wlen;
	int i, j;

	if (family != AF_INET6)
		return -EOPNOTSUPP;
	if (c->h.nlmsg_len < NLMSG_LENGTH(sizeof(ifa)))
		return -EINVAL;
	memcpy(&ifa, c->req + HDRLEN, sizeof(ifa));
	want = req_attr(c, sizeof(ifa), IFA_LOCAL, &wlen);
	if (!want)
		want = req_attr(c, sizeof(ifa), IFA_ADDRESS, &wlen);
	if (!want || wlen < 16)
		return -EINVAL;
	if (ifa.ifa_index && !ifv_by_index(c->v, (int)ifa.ifa_index))
		return -ENODEV;
	for (i = 0; i < c->v->nifs && i < IFV_IFS_MAX; i++) {
		ifc = &c->v->ifs[i];
		if (ifa.ifa_index && ifc->index != (int)ifa.ifa_index)
			continue;
		for (j = 0; j < ifc->naddrs && j < IFV_ADDRS_MAX; j++) {
			if (ifc->addrs[j].family == AF_INET6 &&
			    !memcmp(ifc->addrs[j].addr, want, 16)) {
				put_addr(c, ifc, &ifc->addrs[j], 0);
				return 0;
			}
		}
	}
	return -EADDRNOTAVAIL;
}

/**
 * prefix_has() - Whether @a lies in @p/@len
 * @p:		Prefix
 * @len:	Prefix length
 * @a:		Address
 *
 * Return: true if it does
 */
static bool prefix_has(const uint8_t *p, unsigned int len, const uint8_t *a)
{
	uint8_t x[16];

	memcpy(x, a, 16);
	rt_prefix(x, len);
	return !memcmp(x, p, 16);
}

/**
 * pick_src() - Source address Linux would choose on @oif towards @dst
 * @v:		View
 * @family:	AF_INET or AF_INET6
 * @oif:	Output interface
 * @dst:	Destination, 16 bytes (zero padded for IPv4)
 * @src:	Chosen address
 *
 * An address whose prefix holds @dst wins; else the first address whose
 * scope suits @dst (IPv6: link-local only towards link-local).
 *
 * Return: true if one was found
 */
static bool pick_src(const struct ifview *v, int family, int oif,
		     const uint8_t *dst, uint8_t *src)
{
	const struct ifv_iface *ifc = ifv_by_index(v, oif);
	bool ll =
	    family == AF_INET6 && dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80;
	const struct ifv_addr *best = NULL, *a;
	uint8_t p[16];
	int j;

	for (j = 0; ifc && j < ifc->naddrs && j < IFV_ADDRS_MAX; j++) {
		a = &ifc->addrs[j];
		if (a->family != family)
			continue;
		memset(p, 0, sizeof(p));
		memcpy(p, a->addr, alen(family));
		rt_prefix(p, a->prefix);
		if (prefix_has(p, a->prefix, dst)) {
			best = a;
			break;
		}
		if (!best && (family == AF_INET ||
			      (addr_scope(ifc, a) == RT_SCOPE_LINK) == ll))
			best = a;
	}
	if (!best)
		return false;
	memset(src, 0, 16);
	memcpy(src, best->addr, alen(family));
	return true;
}

/**
 * rt_lookup() - Longest-prefix match, local table first
 * @t:		Routes of one family
 * @dst:	Destination, 16 bytes (zero padded for IPv4)
 *
 * Return: the route, or NULL if the destination is unreachable
 */
static const struct rt *rt_lookup(const struct rts *t, const uint8_t *dst)
{
	const struct rt *best = NULL, *r;
	int i;

	for (i = 0; i < t->n; i++) {
		r = &t->r[i];
		if (r->type != RTN_LOCAL && r->type != RTN_UNICAST)
			continue;
		if (!prefix_has(r->dst, r->dst_len, dst))
			continue;
		if (!best ||
		    (r->table == RT_TABLE_LOCAL) >
			(best->table == RT_TABLE_LOCAL) ||
		    ((r->table == best->table) && r->dst_len > best->dst_len))
			best = r;
	}
	return best;
}

/**
 * loopback_index() - Index of the loopback interface
 * @v:		View
 *
 * Return: its index, or 0 if there is none
 */
static int loopback_index(const struct ifview *v)
{
	int i;

	for (i = 0; i < v->nifs && i < IFV_IFS_MAX; i++) {
		if (v->ifs[i].flags & IFF_LOOPBACK)
			return v->ifs[i].index;
	}
	return 0;
}

/**
 * put_route_get() - The RTM_NEWROUTE answering `ip route get`
 * @c:		Context
 * @r:		Route found
 * @dst:	Destination asked for
 *
 * IPv4 answers with a cloned cache entry (inet_rtm_getroute()), IPv6 with
 * the route itself narrowed to the destination (inet6_rtm_getroute()); a
 * local destination leaves through the loopback interface.
 */
static void put_route_get(struct ctx *c, const struct rt *r, const uint8_t *dst)
{
	bool v4 = r->family == AF_INET, local = r->type == RTN_LOCAL;
	size_t al = alen(r->family), start;
	struct rtmsg rtm = {.rtm_family = r->family,
			    .rtm_dst_len = (uint8_t)(8 * al),
			    .rtm_table = v4 ? RT_TABLE_MAIN : r->table,
			    .rtm_protocol = v4 ? RTPROT_UNSPEC : r->proto,
			    .rtm_type = r->type};
	struct rta_cacheinfo ci = {0};
	int oif = local ? loopback_index(c->v) : r->oif;
	uint8_t src[16] = {0};
	bool has_src;

	if (v4)
		rtm.rtm_flags = RTM_F_CLONED | (local ? RTCF_LOCAL : 0);
	else
		rtm.rtm_src_len = 128;
	if (local) { /* 127.0.0.5 comes from 127.0.0.1 */
		memcpy(src, r->has_src ? r->src : dst, al);
		has_src = true;
	} else {
		has_src = pick_src(c->v, r->family, r->oif, dst, src);
	}
	start = msg_begin(c, RTM_NEWROUTE, 0);
	put(c, &rtm, sizeof(rtm));
	attr_u32(c, RTA_TABLE, rtm.rtm_table);
	attr(c, RTA_DST, dst, al);
	if (v4) {
		attr_u32(c, RTA_OIF, (uint32_t)oif);
		if (has_src)
			attr(c, RTA_PREFSRC, src, al);
		if (r->has_gw)
			attr(c, RTA_GATEWAY, r->gw, al);
		attr_u32(c, RTA_UID, 0);
		attr(c, RTA_CACHEINFO, &ci, sizeof(ci));
	} else {
		attr(c, RTA_SRC, NULL, 16);
		if (has_src)
			attr(c, RTA_PREFSRC, src, al);
		attr_u32(c, RTA_PRIORITY, r->prio);
		if (r->has_gw)
			attr(c, RTA_GATEWAY, r->gw, al);
		attr_u32(c, RTA_OIF, (uint32_t)oif);
		attr(c, RTA_CACHEINFO, &ci, sizeof(ci));
		attr_u8(c, RTA_PREF, 0);
	}
	msg_end(c, start, false);
}

/**
 * get_route() - RTM_GETROUTE for one destination (`ip route get`)
 * @c:		Context
 * @family:	rtm_family
 *
 * Return: 0 or -errno for NLMSG_ERROR
 */
static int get_route(struct ctx *c, uint8_t family)
{
	uint8_t dst[16] = {0};
	const uint8_t *a;
	struct rtmsg rtm;
	const struct rt *r;
	struct rts t;
	size_t l;

	if (family != AF_INET && family != AF_INET6)
		return -EOPNOTSUPP;
	if (c->h.nlmsg_len < NLMSG_LENGTH(sizeof(rtm)))
		return -EINVAL;
	a = req_attr(c, sizeof(rtm), RTA_DST, &l);
	if (a) {
		if (l != alen(family))
			return -EINVAL;
		memcpy(dst, a, l);
	}
	rt_build(c->v, family, &t);
	r = rt_lookup(&t, dst);
	if (!r)
		return -ENETUNREACH;
	put_route_get(c, r, dst);
	return 0;
}

/* RTM_GET* we answer: dump NULL is an empty dump, get NULL -EOPNOTSUPP */
static const struct {
	uint16_t type;
	void (*dump)(struct ctx *c, uint8_t family);
	int (*get)(struct ctx *c, uint8_t family);
} handlers[] = {
    {RTM_GETLINK, dump_link, get_link},
    {RTM_GETADDR, dump_addr, get_addr},
    {RTM_GETROUTE, dump_route, get_route},
    {RTM_GETNEIGH, NULL, NULL},
    {RTM_GETRULE, NULL, NULL},
    {RTM_GETQDISC, NULL, NULL},
    {RTM_GETTCLASS, NULL, NULL},
    {RTM_GETTFILTER, NULL, NULL},
    {RTM_GETACTION, NULL, NULL},
    {RTM_GETNETCONF, NULL, NULL},
    {RTM_GETNSID, NULL, NULL},
    {RTM_GETNEXTHOP, NULL, NULL},
};

/**
 * rtnl_get() - Answer one RTM_GET* request (kind "get" in rtnetlink)
 * @c:		Context
 * @type:	nlmsg_type
 * @family:	First payload byte: rtgen_family and its successors
 *
 * Return: 1 if a dump was sent (no acknowledgement), 0 or -errno
 */
static int rtnl_get(struct ctx *c, uint16_t type, uint8_t family)
{
	bool dump = c->h.nlmsg_flags & NLM_F_DUMP;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handlers); i++) {
		if (handlers[i].type == type)
			break;
	}
	if (i == ARRAY_SIZE(handlers))
		return -EOPNOTSUPP;
	if (!dump)
		return handlers[i].get ? handlers[i].get(c, family)
				       : -EOPNOTSUPP;
	if (handlers[i].dump)
		handlers[i].dump(c, family);
	dump_done(c);
	return 1;
}

/**
 * rtnl_msg() - Answer one request, as rtnetlink_rcv_msg() does
 * @c:		Context
 *
 * Return: 1 if a dump was sent, 0 or -errno
 */
static int rtnl_msg(struct ctx *c)
{
	uint16_t type = c->h.nlmsg_type;

	if (type > RTM_MAX)
		return -EOPNOTSUPP;
	if (c->h.nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return 0; /* Linux ignores it, but still acknowledges */
	if (((type - RTM_BASE) & 3) != 2) /* NEW, DEL, SET: CAP_NET_ADMIN */
		return -EPERM;
	return rtnl_get(c, type, c->req[HDRLEN]);
}

/**
 * nlr_handle() - Answer the netlink messages of one sendmsg() payload
 * @v:		Interfaces, addresses and routes to describe
 * @req:	Payload the guest sent
 * @len:	Its length
 * @portid:	Port id of the guest's socket: nlmsg_pid of every reply
 * @opts:	NLR_* options set on the socket
 * @out:	Caller's buffer (@out->buf, @out->cap); gets the replies
 *
 * Like netlink_rcv_skb(): messages are answered in order until one is too
 * short or claims more bytes than are left. Requests without NLM_F_REQUEST,
 * and control messages, only get an acknowledgement if they ask for one.
 *
 * Return: datagrams in @out, or -ENOBUFS if the replies did not all fit
 *	   (those in @out are complete and should still be delivered; then
 *	   the guest's next recvmsg() fails with ENOBUFS, as on an overrun
 *	   Linux socket)
 */
int nlr_handle(const struct ifview *v, const void *req, size_t len,
	       uint32_t portid, unsigned int opts, struct nlr_out *out)
{
	struct ctx c = {.v = v, .o = out, .portid = portid, .opts = opts};
	const uint8_t *p = req;
	size_t adv;
	int ret;

	out->len = 0;
	out->n = 0;
	while (len >= HDRLEN && !c.err) {
		memcpy(&c.h, p, sizeof(c.h));
		if (c.h.nlmsg_len < HDRLEN || c.h.nlmsg_len > len)
			break;
		c.req = p;
		ret = 0;
		if ((c.h.nlmsg_flags & NLM_F_REQUEST) &&
		    c.h.nlmsg_type >= NLMSG_MIN_TYPE)
			ret = rtnl_msg(&c);
		if (ret < 0 || (ret == 0 && (c.h.nlmsg_flags & NLM_F_ACK)))
			ack(&c, ret);
		adv = MIN(NLMSG_ALIGN((size_t)c.h.nlmsg_len), len);
		p += adv;
		len -= adv;
	}
	return c.err ? c.err : (int)out->n;
}
