/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - netstack's private types: struct ns_sock, global state
 *
 * The only header besides netstack's .c files that includes lwIP. One
 * lwIP instance per process (lwIP keeps global state), so netstack's own
 * state is one global, struct ns_core ns, defined in core.c.
 *
 * Socket lifetime: a struct ns_sock lives from ns_sock_new() (or from the
 * accept callback, for a connection not yet taken by ns_sock_accept()) until
 * ns_sock_close()/ns_sock_abort(). Its pcb pointer is cleared as soon as
 * lwIP frees the pcb (error callback, orderly close in LAST_ACK, TIME_WAIT
 * detach, see ns_tw_sweep()), so a non-NULL @pcb is always live.
 * A struct ns_udp owns its udp_pcb from ns_udp_new() to ns_udp_close();
 * lwIP never frees a udp_pcb by itself.
 */
#pragma once

#include "netstack.h"

#include <stdbool.h>
#include <stddef.h>

#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"

/**
 * struct ns_list - intrusive doubly linked list node (or head)
 * @prev:	Previous node, the head itself if first
 * @next:	Next node, the head itself if last
 */
struct ns_list {
	struct ns_list *prev, *next;
};

/**
 * struct ns_sock - a TCP socket on top of one lwIP pcb
 * @pcb:	lwIP pcb (struct tcp_pcb_listen when listening), NULL once freed
 * @family:	AF_INET or AF_INET6
 * @state:	Our view of the connection
 * @err:	Pending -errno for ns_sock_take_error(), 0 if none
 * @v6only:	AF_INET6 only: no IPv4 peers
 * @bound:	An address was bound (explicitly or by listen)
 * @shut_wr:	FIN queued by ns_sock_shutdown_wr()
 * @eof:	Peer's FIN received
 * @nodelay:	NS_OPT_NODELAY (kept for listeners, applied to children)
 * @reuseaddr:	NS_OPT_REUSEADDR
 * @keepalive:	NS_OPT_KEEPALIVE
 * @keepidle:	NS_OPT_KEEPIDLE, seconds
 * @keepintvl:	NS_OPT_KEEPINTVL, seconds
 * @keepcnt:	NS_OPT_KEEPCNT
 * @notify:	Readiness callback, NULL for none
 * @owner:	Cookie passed to @notify
 * @rx:		Received data not yet consumed (a pbuf chain), NULL if none
 * @rx_pbufs:	Number of pbufs in @rx
 * @local:	Local address, cached: still valid after @pcb is gone
 * @local_port:	Local port, host order
 * @remote:	Remote address, cached
 * @remote_port: Remote port, host order, 0 if never connected
 * @all:	Node in ns.socks (every live socket)
 * @tw:		Node in ns.tw_socks while a FIN of ours may lead to TIME_WAIT
 * @acceptq:	Listener: head of established connections not yet accepted
 * @accq:	Child: node in its listener's @acceptq
 * @listener:	Child not yet accepted: its listener, else NULL
 */
struct ns_sock {
	struct tcp_pcb *pcb;
	int family;
	enum ns_state state;
	int err;
	bool v6only, bound, shut_wr, eof;
	bool nodelay, reuseaddr, keepalive;
	int keepidle, keepintvl, keepcnt;
	ns_notify_fn notify;
	void *owner;
	struct pbuf *rx;
	unsigned int rx_pbufs;
	ip_addr_t local;
	u16_t local_port;
	ip_addr_t remote;
	u16_t remote_port;
	struct ns_list all;
	struct ns_list tw;
	struct ns_list acceptq;
	struct ns_list accq;
	struct ns_sock *listener;
};

/**
 * struct ns_rxq - receive queue of a UDP or ICMP socket, bounded
 * @head:	struct ns_udp_dgram nodes, oldest first
 * @count:	Entries (at most NS_UDP_RCVQ_MAX)
 * @bytes:	Payload bytes (at most NS_UDP_RCVBUF)
 * @pbufs:	pbufs held, also counted in ns.stats.pbufs
 */
struct ns_rxq {
	struct ns_list head;
	unsigned int count;
	size_t bytes;
	unsigned int pbufs;
};

/**
 * struct ns_udp_dgram - one received datagram on a UDP or ICMP socket's queue
 * @node:	Node in the socket's receive queue
 * @p:		Payload (a pbuf chain, headers hidden), owned
 * @src:	Source address
 * @dst:	Local destination address
 * @sport:	Source port, host order (0 for ICMP)
 * @ifindex:	NS_IFINDEX_* it arrived on
 */
struct ns_udp_dgram {
	struct ns_list node;
	struct pbuf *p;
	ip_addr_t src;
	ip_addr_t dst;
	u16_t sport;
	u8_t ifindex;
};

/**
 * struct ns_udp - a UDP socket on top of one lwIP udp_pcb
 * @pcb:	lwIP pcb, always live
 * @family:	AF_INET or AF_INET6
 * @err:	Pending -errno for ns_udp_take_error(), 0 if none
 * @v6only:	NS_OPT_V6ONLY
 * @reuseaddr:	NS_OPT_REUSEADDR
 * @broadcast:	NS_OPT_BROADCAST
 * @bound_addr:	bind() gave a specific address (kept on disconnect)
 * @bound_port:	bind() was called (the port is kept on disconnect)
 * @connected:	connect() set a peer
 * @notify:	Readiness callback, NULL for none
 * @owner:	Cookie passed to @notify
 * @rx:		Received datagrams
 * @all:	Node in ns.udps (every live UDP socket)
 */
struct ns_udp {
	struct udp_pcb *pcb;
	int family;
	int err;
	bool v6only, reuseaddr, broadcast;
	bool bound_addr, bound_port, connected;
	ns_notify_fn notify;
	void *owner;
	struct ns_rxq rx;
	struct ns_list all;
};

/**
 * struct ns_icmp - a ping socket or a raw ICMP socket
 * @pcb:	lwIP raw pcb, always live, used only to send (no recv
 *		callback: input comes through ns_icmp_input()); holds the
 *		local address (bound, or fixed by connect) and the TTL
 * @family:	AF_INET (ICMP) or AF_INET6 (ICMPv6)
 * @raw:	SOCK_RAW; false: a ping socket
 * @reuseaddr:	NS_OPT_REUSEADDR: the identifier may be shared
 * @broadcast:	NS_OPT_BROADCAST
 * @bound_addr:	bind() gave a specific address (kept on disconnect)
 * @bound_id:	Ping: bind() set @ident (kept on disconnect)
 * @connected:	connect() set a peer
 * @ident:	Ping: echo identifier, host order, 0 while unbound
 * @peer:	Connected peer
 * @peer_port:	Port given to connect(), shown by getpeername()
 * @filter:	ICMP_FILTER / ICMP6_FILTER: a set bit blocks that type
 * @notify:	Readiness callback, NULL for none
 * @owner:	Cookie passed to @notify
 * @rx:		Received messages
 * @all:	Node in ns.icmps (every live ICMP socket)
 */
struct ns_icmp {
	struct raw_pcb *pcb;
	int family;
	bool raw;
	bool reuseaddr, broadcast;
	bool bound_addr, bound_id, connected;
	u16_t ident;
	ip_addr_t peer;
	u16_t peer_port;
	u32_t filter[8];
	ns_notify_fn notify;
	void *owner;
	struct ns_rxq rx;
	struct ns_list all;
};

/**
 * struct ns_core - netstack's global state
 * @up:		ns_init() done, ns_fini() not yet
 * @lwip_up:	lwip_init() has run (once per process)
 * @cfg:	Interface configuration given to ns_init()
 * @out:	Frame output callback
 * @out_ctx:	Its context
 * @eth0:	The Ethernet netif, valid if @cfg.present
 * @stats:	Counters for ns_get_stats() (socks, pbufs kept live here)
 * @socks:	Every live struct ns_sock
 * @tw_socks:	Sockets whose pcb may enter TIME_WAIT behind our back
 * @udps:	Every live struct ns_udp
 * @icmps:	Every live struct ns_icmp
 * @icmp4:	Raw pcb that sees every ICMP message first (UDP errors, ICMP
 *		sockets), NULL when down
 * @icmp6:	Same for ICMPv6
 * @loop_tap:	Loopback capture callback, NULL for none
 * @loop_tap_ctx: Its context
 * @looping:	ns_poll() is delivering looped-back packets
 */
struct ns_core {
	bool up;
	bool lwip_up;
	struct ns_if_config cfg;
	ns_output_fn out;
	void *out_ctx;
	struct netif eth0;
	struct ns_stats stats;
	struct ns_list socks;
	struct ns_list tw_socks;
	struct ns_list udps;
	struct ns_list icmps;
	struct raw_pcb *icmp4;
	struct raw_pcb *icmp6;
	ns_loop_tap_fn loop_tap;
	void *loop_tap_ctx;
	bool looping;
};

extern struct ns_core ns;

/* errno.c */
int ns_err(err_t e);

/* netif.c */
int ns_netif_up(const struct ns_if_config *cfg);
void ns_netif_down(void);
void ns_netif_input(const void *frame, size_t len);
bool ns_addr_is_local(const ip_addr_t *ip);
int ns_route_check(const ip_addr_t *dest);
bool ns_loop_pending(void);
void ns_netif_csum_check(bool on);
void ns_netif_lo_setup(void);

/* rxq.c */
void ns_rxq_init(struct ns_rxq *q);
bool ns_rxq_room(const struct ns_rxq *q, size_t len);
void ns_rxq_push(struct ns_rxq *q, struct ns_udp_dgram *d);
struct ns_udp_dgram *ns_rxq_first(const struct ns_rxq *q);
void ns_rxq_free(struct ns_rxq *q, struct ns_udp_dgram *d);
void ns_rxq_drop(struct ns_rxq *q);
void ns_rxq_purge(struct ns_rxq *q);
int ns_rxq_peek(const struct ns_rxq *q, int family, struct iovec *iov, int max,
		struct ns_dgram *d);

/* tcp.c */
#ifndef NS_TW_MAX
#define NS_TW_MAX 256 /* connections kept in TIME_WAIT */
#endif
void ns_tw_sweep(void);
void ns_tw_recycle(const ip_addr_t *src, u16_t sport, const ip_addr_t *dst,
		   u16_t dport);
void ns_sock_free_all(void);

/* udp.c */
int ns_udp_init(void);
void ns_udp_fini(void);
void ns_to_loopback(ip_addr_t *ip);
bool ns_is_broadcast(const ip_addr_t *ip);
int ns_pick_source(const ip_addr_t *dst, ip_addr_t *src);
ssize_t ns_gather(const struct iovec *iov, int iovcnt, size_t max,
		  struct pbuf **out);
u8_t ns_ifindex_of(const struct netif *nif, const ip_addr_t *src);
void ns_dgram_pktinfo(const struct ns_udp_dgram *d, struct ns_pktinfo *pi);
bool ns_icmp_csum_ok(struct pbuf *p, u16_t hlen, bool v6);

/* icmp.c */
void ns_icmp_input(struct pbuf *p, u16_t hlen, bool v6);
void ns_icmp_fini(void);

/* addr.c */
int ns_addr_parse(int family, bool v6only, const struct sockaddr *sa,
		  socklen_t len, bool connect, ip_addr_t *ip, u16_t *port);
socklen_t ns_addr_format(int family, const ip_addr_t *ip, u16_t port,
			 struct sockaddr_storage *ss);
int ns_addr_from_sa(const struct ns_sock *sk, const struct sockaddr *sa,
		    socklen_t len, bool connect, ip_addr_t *ip, u16_t *port);
socklen_t ns_addr_to_sa(const struct ns_sock *sk, const ip_addr_t *ip,
			u16_t port, struct sockaddr_storage *ss);

/**
 * ns_list_init() - Make @h an empty list
 * @h:	List head
 */
static inline void ns_list_init(struct ns_list *h)
{
	h->prev = h;
	h->next = h;
}

/**
 * ns_list_empty() - Is the list empty?
 * @h:	List head
 *
 * Return: true if @h has no nodes
 */
static inline bool ns_list_empty(const struct ns_list *h)
{
	return h->next == h;
}

/**
 * ns_list_add_tail() - Append a node
 * @h:	List head
 * @n:	Node, not in any list
 */
static inline void ns_list_add_tail(struct ns_list *h, struct ns_list *n)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

/**
 * ns_list_del() - Unlink a node if it is linked; safe to repeat
 * @n:	Node, initialised with ns_list_init() or linked
 */
static inline void ns_list_del(struct ns_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	ns_list_init(n);
}

#define ns_container_of(ptr, type, member)                                     \
	((type *)((char *)(ptr)-offsetof(type, member)))
