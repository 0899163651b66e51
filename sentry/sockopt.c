// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockopt.c - setsockopt/getsockopt on emulated TCP sockets
 *
 * Table-driven. Each known option is one of:
 *  - NS:	 handed to the lwIP pcb (reuseaddr, keepalive, nodelay...);
 *  - NATIVE:	 applied to the guest's end of the pair, where it has the
 *		 same effect on read/write (timeouts, buffer sizes, lowat);
 *  - STORE:	 accepted and remembered, with Linux's default before a set
 *		 (the stack has no equivalent; see docs/sockopts.md);
 *  - SPECIAL:	 answered here (SO_ERROR, SO_TYPE, SO_LINGER, TCP_INFO...).
 * Unknown options get ENOPROTOOPT, as Linux.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <linux/netlink.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#include <string.h>
#include <sys/socket.h>

#include "base.h"
#include "guest.h"
#include "sock_priv.h"

/* What an OPT_SPECIAL rule's @arg names */
enum opt_special {
	SP_LINGER,
	SP_ERROR,
	SP_TYPE,
	SP_DOMAIN,
	SP_PROTOCOL,
	SP_ACCEPTCONN,
	SP_PEERCRED,
	SP_BINDTODEVICE,
	SP_TCP_INFO,
	SP_CONGESTION,
	SP_NL_CAP_ACK,
	SP_ICMP_FILTER,
	SP_ICMP6_FILTER,
	SP_NUM,
};

enum opt_kind {
	OPT_NS,
	OPT_NATIVE,
	OPT_STORE,
	OPT_SPECIAL,
	OPT_NUM_KINDS,
};

/**
 * struct opt_rule - how one option is served
 * @level:	SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6
 * @name:	Option
 * @kind:	enum opt_kind
 * @arg:	NS: enum ns_opt; STORE: default value; SPECIAL: enum opt_special
 */
struct opt_rule {
	int level;
	int name;
	enum opt_kind kind;
	int arg;
};

static const struct opt_rule rules[] = {
    {SOL_SOCKET, SO_REUSEADDR, OPT_NS, NS_OPT_REUSEADDR},
    {SOL_SOCKET, SO_KEEPALIVE, OPT_NS, NS_OPT_KEEPALIVE},
    {SOL_SOCKET, SO_RCVTIMEO_OLD, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_SNDTIMEO_OLD, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_RCVTIMEO_NEW, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_SNDTIMEO_NEW, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_RCVLOWAT, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_SNDBUF, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_RCVBUF, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_SNDBUFFORCE, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_RCVBUFFORCE, OPT_NATIVE, 0},
    {SOL_SOCKET, SO_REUSEPORT, OPT_STORE, 0},
    {SOL_SOCKET, SO_BROADCAST, OPT_NS, NS_OPT_BROADCAST},
    {SOL_SOCKET, SO_OOBINLINE, OPT_STORE, 0},
    {SOL_SOCKET, SO_PRIORITY, OPT_STORE, 0},
    {SOL_SOCKET, SO_DEBUG, OPT_STORE, 0},
    {SOL_SOCKET, SO_DONTROUTE, OPT_STORE, 0},
    {SOL_SOCKET, SO_TIMESTAMP_OLD, OPT_STORE, 0},
    {SOL_SOCKET, SO_TIMESTAMPNS_OLD, OPT_STORE, 0},
    {SOL_SOCKET, SO_ZEROCOPY, OPT_STORE, 0},
    {SOL_SOCKET, SO_INCOMING_CPU, OPT_STORE, -1},
    {SOL_SOCKET, SO_BUSY_POLL, OPT_STORE, 0},
    {SOL_SOCKET, SO_MARK, OPT_STORE, 0},
    {SOL_SOCKET, SO_NO_CHECK, OPT_STORE, 0},
    {SOL_SOCKET, SO_PASSCRED, OPT_STORE, 0},
    {SOL_SOCKET, SO_LINGER, OPT_SPECIAL, SP_LINGER},
    {SOL_SOCKET, SO_ERROR, OPT_SPECIAL, SP_ERROR},
    {SOL_SOCKET, SO_TYPE, OPT_SPECIAL, SP_TYPE},
    {SOL_SOCKET, SO_DOMAIN, OPT_SPECIAL, SP_DOMAIN},
    {SOL_SOCKET, SO_PROTOCOL, OPT_SPECIAL, SP_PROTOCOL},
    {SOL_SOCKET, SO_ACCEPTCONN, OPT_SPECIAL, SP_ACCEPTCONN},
    {SOL_SOCKET, SO_PEERCRED, OPT_SPECIAL, SP_PEERCRED},
    {SOL_SOCKET, SO_BINDTODEVICE, OPT_SPECIAL, SP_BINDTODEVICE},
    {IPPROTO_TCP, TCP_NODELAY, OPT_NS, NS_OPT_NODELAY},
    {IPPROTO_TCP, TCP_KEEPIDLE, OPT_NS, NS_OPT_KEEPIDLE},
    {IPPROTO_TCP, TCP_KEEPINTVL, OPT_NS, NS_OPT_KEEPINTVL},
    {IPPROTO_TCP, TCP_KEEPCNT, OPT_NS, NS_OPT_KEEPCNT},
    {IPPROTO_TCP, TCP_CORK, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_QUICKACK, OPT_STORE, 1},
    {IPPROTO_TCP, TCP_DEFER_ACCEPT, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_FASTOPEN, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_FASTOPEN_CONNECT, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_USER_TIMEOUT, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_MAXSEG, OPT_STORE, 536},
    {IPPROTO_TCP, TCP_NOTSENT_LOWAT, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_SYNCNT, OPT_STORE, 6},
    {IPPROTO_TCP, TCP_LINGER2, OPT_STORE, 60},
    {IPPROTO_TCP, TCP_WINDOW_CLAMP, OPT_STORE, 0},
    {IPPROTO_TCP, TCP_INFO, OPT_SPECIAL, SP_TCP_INFO},
    {IPPROTO_TCP, TCP_CONGESTION, OPT_SPECIAL, SP_CONGESTION},
    {IPPROTO_IP, IP_TOS, OPT_STORE, 0},
    {IPPROTO_IP, IP_TTL, OPT_STORE, 64},
    {IPPROTO_IP, IP_RECVERR, OPT_STORE, 0},
    {IPPROTO_IP, IP_MTU_DISCOVER, OPT_STORE, IP_PMTUDISC_WANT},
    {IPPROTO_IP, IP_FREEBIND, OPT_STORE, 0},
    {IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, OPT_STORE, 0},
    {IPPROTO_IP, IP_PKTINFO, OPT_STORE, 0},
    {IPPROTO_IP, IP_RECVTOS, OPT_STORE, 0},
    {IPPROTO_IP, IP_RECVTTL, OPT_STORE, 0},
    {IPPROTO_IP, IP_MULTICAST_TTL, OPT_STORE, 1},
    {IPPROTO_IP, IP_MULTICAST_LOOP, OPT_STORE, 1},
    {IPPROTO_UDP, UDP_CORK, OPT_STORE, 0},
    {IPPROTO_UDP, UDP_SEGMENT, OPT_STORE, 0},
    {IPPROTO_UDP, UDP_GRO, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_V6ONLY, OPT_NS, NS_OPT_V6ONLY},
    {IPPROTO_IP, IP_OPTIONS, OPT_STORE, 0},
    {IPPROTO_IP, IP_RECVOPTS, OPT_STORE, 0},
    {IPPROTO_IP, IP_RETOPTS, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_RECVHOPLIMIT, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_CHECKSUM, OPT_STORE, -1},
    {SOL_RAW, ICMP_FILTER, OPT_SPECIAL, SP_ICMP_FILTER},
    {IPPROTO_ICMPV6, ICMP6_FILTER, OPT_SPECIAL, SP_ICMP6_FILTER},
    {SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_PKTINFO, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_BROADCAST_ERROR, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_NO_ENOBUFS, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_CAP_ACK, OPT_SPECIAL, SP_NL_CAP_ACK},
    {SOL_NETLINK, NETLINK_EXT_ACK, OPT_STORE, 0},
    {SOL_NETLINK, NETLINK_GET_STRICT_CHK, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_RECVPKTINFO, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_RECVTCLASS, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_MULTICAST_HOPS, OPT_STORE, 1},
    {IPPROTO_IPV6, IPV6_MULTICAST_LOOP, OPT_STORE, 1},
    {IPPROTO_IPV6, IPV6_TCLASS, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_RECVERR, OPT_STORE, 0},
    {IPPROTO_IPV6, IPV6_UNICAST_HOPS, OPT_STORE, 64},
    {IPPROTO_IPV6, IPV6_MTU_DISCOVER, OPT_STORE, IP_PMTUDISC_WANT},
};

/**
 * find_rule() - Look up an option for a socket
 * @g:		Socket (its family and type decide what exists)
 * @level:	Level
 * @name:	Option
 *
 * Return: rule, or NULL (ENOPROTOOPT)
 */
static const struct opt_rule *find_rule(const struct gsock *g, int level,
					int name)
{
	unsigned int i;

	if (level == IPPROTO_IPV6 && g->family != AF_INET6)
		return NULL;
	if ((level == SOL_NETLINK) != (g->family == AF_NETLINK) &&
	    level != SOL_SOCKET)
		return NULL;
	if ((level == SOL_RAW && !(g->icmp && g->family == AF_INET)) ||
	    (level == IPPROTO_ICMPV6 && !(g->icmp && g->family == AF_INET6)))
		return NULL;
	if ((level == IPPROTO_TCP && g->type != SOCK_STREAM) ||
	    (level == IPPROTO_UDP && g->type != SOCK_DGRAM))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].level == level && rules[i].name == name)
			return &rules[i];
	return NULL;
}

/**
 * stored() - Find the slot of a stored option
 * @g:		Socket
 * @level:	Level
 * @name:	Option
 *
 * Return: slot index, or -1
 */
static int stored(const struct gsock *g, int level, int name)
{
	int i;

	for (i = 0; i < g->nopt; i++)
		if (g->opt_level[i] == level && g->opt_name[i] == name)
			return i;
	return -1;
}

/**
 * store() - Remember an option value
 * @g:		Socket
 * @level:	Level
 * @name:	Option
 * @val:	Value
 *
 * Return: 0, or -ENOMEM when the socket's table is full
 */
static int store(struct gsock *g, int level, int name, int val)
{
	int i = stored(g, level, name);

	if (i < 0) {
		if (g->nopt >= GS_NOPT)
			return -ENOMEM;
		i = g->nopt++;
		g->opt_level[i] = level;
		g->opt_name[i] = name;
	}
	g->opt_val[i] = val;
	return 0;
}

/**
 * set_filter() - ICMP_FILTER / ICMP6_FILTER on a raw ICMP socket
 * @c:		Call (optval in args[3])
 * @g:		Socket
 * @v6:		ICMP6_FILTER (256 bits) instead of ICMP_FILTER (32 bits)
 * @len:	optlen
 *
 * Return: 0 or -errno
 */
static int64_t set_filter(struct gcall *c, struct gsock *g, bool v6, int len)
{
	uint32_t f[8] = {0};
	size_t need = v6 ? sizeof(f) : sizeof(f[0]);

	if (len < (int)need)
		return -EINVAL;
	if (gmem_read(c->tid, c->args[3], f, need))
		return -EFAULT;
	return ns_icmp_set_filter(g->icmp, f);
}

/**
 * set_special() - Options answered by the sentry itself
 * @c:		Call
 * @g:		Socket
 * @name:	Which special option
 * @len:	optlen
 *
 * Return: 0 or -errno
 */
static int64_t set_special(struct gcall *c, struct gsock *g,
			   enum opt_special name, int len)
{
	char dev[IFNAMSIZ + 1] = "";
	struct linger l;
	int r;

	switch (name) {
	case SP_LINGER:
		if (len < (int)sizeof(l))
			return -EINVAL;
		r = gmem_read(c->tid, c->args[3], &l, sizeof(l));
		if (r < 0)
			return -EFAULT;
		g->linger_on = !!l.l_onoff;
		g->linger_s = l.l_linger;
		return 0;
	case SP_BINDTODEVICE:
		if (len > IFNAMSIZ)
			len = IFNAMSIZ;
		if (len > 0 && gmem_read(c->tid, c->args[3], dev, (size_t)len))
			return -EFAULT;
		if (!dev[0] || !strcmp(dev, "eth0") || !strcmp(dev, "lo"))
			return 0;
		return -ENODEV;
	case SP_NL_CAP_ACK:
		if (len < (int)sizeof(int))
			return -EINVAL;
		if (gmem_read(c->tid, c->args[3], &r, sizeof(r)))
			return -EFAULT;
		g->nl_cap_ack = !!r;
		return 0;
	case SP_ICMP_FILTER:
	case SP_ICMP6_FILTER:
		return set_filter(c, g, name == SP_ICMP6_FILTER, len);
	case SP_CONGESTION:
		len = MIN(len, 15);
		if (len > 0 && gmem_read(c->tid, c->args[3], dev, (size_t)len))
			return -EFAULT;
		return strcmp(dev, "cubic") && strcmp(dev, "reno") ? -ENOENT
								   : 0;
	default:
		return -ENOPROTOOPT; /* read-only options */
	}
}

/**
 * ns_setopt() - Hand an option to the socket's netstack object
 * @g:		Socket
 * @opt:	Option
 * @val:	Value
 *
 * Return: 0, -ENOPROTOOPT if the object has no such option, -errno
 */
static int ns_setopt(struct gsock *g, enum ns_opt opt, int val)
{
	if (g->udp)
		return ns_udp_setopt(g->udp, opt, val);
	if (g->icmp)
		return ns_icmp_setopt(g->icmp, opt, val);
	if (g->ns)
		return ns_sock_setopt(g->ns, opt, val);
	return -ENOPROTOOPT; /* no stack object (netlink, or gone): stored */
}

/**
 * ns_getopt() - Read an option from the socket's netstack object
 * @g:		Socket
 * @opt:	Option
 * @val:	Value
 *
 * Return: 0, -ENOPROTOOPT if the object has no such option, -errno
 */
static int ns_getopt(const struct gsock *g, enum ns_opt opt, int *val)
{
	if (g->udp)
		return ns_udp_getopt(g->udp, opt, val);
	if (g->icmp)
		return ns_icmp_getopt(g->icmp, opt, val);
	if (g->ns)
		return ns_sock_getopt(g->ns, opt, val);
	return -ENOPROTOOPT;
}

/**
 * sockopt_stored() - Value of a stored option (its default if never set)
 * @g:		Socket
 * @level:	Level
 * @name:	Option
 *
 * Return: value
 */
int sockopt_stored(const struct gsock *g, int level, int name)
{
	const struct opt_rule *r = find_rule(g, level, name);
	int i = stored(g, level, name);

	if (i >= 0)
		return g->opt_val[i];
	return r && r->kind == OPT_STORE ? r->arg : 0;
}

/**
 * sockopt_set() - setsockopt(2) on an emulated socket
 * @c:	Call: fd, level, name, optval, optlen
 * @g:	Socket
 *
 * Return: 0, ICPT_CONTINUE (native on the guest's end), -errno
 */
int64_t sockopt_set(struct gcall *c, struct gsock *g)
{
	int level = (int)c->args[1], name = (int)c->args[2];
	int len = (int)c->args[4], val, ret;
	const struct opt_rule *r = find_rule(g, level, name);

	if (!r)
		return -ENOPROTOOPT;
	if (r->kind == OPT_NATIVE)
		return ICPT_CONTINUE;
	if (r->kind == OPT_SPECIAL)
		return set_special(c, g, (enum opt_special)r->arg, len);
	if (len < (int)sizeof(int))
		return -EINVAL;
	if (gmem_read(c->tid, c->args[3], &val, sizeof(val)) < 0)
		return -EFAULT;
	if (g->icmp && ((level == IPPROTO_IP && name == IP_TTL) ||
			(level == IPPROTO_IPV6 && name == IPV6_UNICAST_HOPS))) {
		ret = ns_icmp_setopt(g->icmp, NS_OPT_TTL, val);
		if (ret < 0)
			return ret;
	}
	if (r->kind == OPT_NS) {
		ret = ns_setopt(g, (enum ns_opt)r->arg, val);
		if (ret != -ENOPROTOOPT)
			return ret;
	}
	return store(g, level, name, val);
}

/**
 * tcp_state() - Linux TCP state number for TCP_INFO
 * @g:	Socket
 *
 * Return: TCP_* state
 */
static uint8_t tcp_state(const struct gsock *g)
{
	static const uint8_t map[] = {
	    [NS_ST_NEW] = TCP_CLOSE,
	    [NS_ST_LISTEN] = TCP_LISTEN,
	    [NS_ST_CONNECTING] = TCP_SYN_SENT,
	    [NS_ST_CONNECTED] = TCP_ESTABLISHED,
	    [NS_ST_CLOSED] = TCP_CLOSE,
	};
	static_assert(ARRAY_SIZE(map) == NS_ST_NUM, "tcp state map");

	return g->ns ? map[ns_sock_state(g->ns)] : TCP_CLOSE;
}

/**
 * get_special() - Value of an option answered by the sentry
 * @g:		Socket
 * @name:	Option
 * @buf:	Value
 * @len:	In: room in @buf; out: value length
 *
 * Return: 0 or -errno
 */
static int get_special(struct gsock *g, enum opt_special name, void *buf,
		       size_t *len)
{
	struct ucred cred = {.pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1};
	struct linger l = {g->linger_on, g->linger_s};
	struct tcp_info ti = {.tcpi_state = tcp_state(g)};
	int v = 0;

	switch (name) {
	case SP_LINGER:
		memcpy(buf, &l, *len = sizeof(l));
		return 0;
	case SP_PEERCRED:
		memcpy(buf, &cred, *len = sizeof(cred));
		return 0;
	case SP_TCP_INFO:
		memcpy(buf, &ti, *len = sizeof(ti));
		return 0;
	case SP_CONGESTION:
		memcpy(buf, "cubic", *len = 6);
		return 0;
	case SP_BINDTODEVICE:
		*len = 0;
		return 0;
	case SP_ERROR:
		v = g->ns ? ns_sock_take_error(g->ns) : g->err;
		if (!g->ns)
			g->err = 0;
		v = -v;
		break;
	case SP_TYPE:
		v = g->type;
		break;
	case SP_DOMAIN:
		v = g->family;
		break;
	case SP_PROTOCOL:
		v = g->family == AF_NETLINK ? NETLINK_ROUTE
		    : g->proto		    ? g->proto
					    : IPPROTO_TCP;
		break;
	case SP_NL_CAP_ACK:
		v = g->nl_cap_ack;
		break;
	case SP_ICMP_FILTER:
	case SP_ICMP6_FILTER: {
		uint32_t f[8];
		int r = ns_icmp_get_filter(g->icmp, f);

		if (r < 0)
			return r;
		memcpy(buf, f, *len = name == SP_ICMP6_FILTER ? 32 : 4);
		return 0;
	}
	case SP_ACCEPTCONN:
		v = g->listening;
		break;
	default:
		return -ENOPROTOOPT;
	}
	memcpy(buf, &v, *len = sizeof(v));
	return 0;
}

/**
 * get_value() - Value of a non-native option
 * @g:		Socket
 * @r:		Rule
 * @buf:	Value (room for struct tcp_info)
 * @len:	Value length
 *
 * Return: 0 or -errno
 */
static int get_value(struct gsock *g, const struct opt_rule *r, void *buf,
		     size_t *len)
{
	int v = r->arg, i, ret;

	if (r->kind == OPT_SPECIAL)
		return get_special(g, (enum opt_special)r->arg, buf, len);
	if (r->kind == OPT_NS) {
		v = 0;
		ret = ns_getopt(g, (enum ns_opt)r->arg, &v);
		if (ret == -ENOPROTOOPT &&
		    (i = stored(g, r->level, r->name)) >= 0)
			v = g->opt_val[i];
		else if (ret < 0 && ret != -ENOPROTOOPT)
			return ret;
	} else if ((i = stored(g, r->level, r->name)) >= 0) {
		v = g->opt_val[i];
	}
	memcpy(buf, &v, *len = sizeof(v));
	return 0;
}

/**
 * sockopt_get() - getsockopt(2) on an emulated socket
 * @c:	Call: fd, level, name, optval, optlen pointer
 * @g:	Socket
 *
 * Return: 0, ICPT_CONTINUE, -errno
 */
int64_t sockopt_get(struct gcall *c, struct gsock *g)
{
	const struct opt_rule *r =
	    find_rule(g, (int)c->args[1], (int)c->args[2]);
	union {
		struct tcp_info ti;
		char b[256];
	} u;
	size_t vlen = sizeof(u);
	int ulen, ret;

	if (!r)
		return -ENOPROTOOPT;
	if (r->kind == OPT_NATIVE)
		return ICPT_CONTINUE;
	if (sock_read_int(c, c->args[4], &ulen) < 0)
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	memset(&u, 0, sizeof(u));
	ret = get_value(g, r, &u, &vlen);
	if (ret < 0)
		return ret;
	vlen = MIN(vlen, (size_t)ulen);
	if (gmem_write(c->tid, c->args[3], &u, vlen) < 0 ||
	    gmem_write(c->tid, c->args[4], &(int){(int)vlen}, sizeof(int)))
		return -EFAULT;
	return 0;
}
