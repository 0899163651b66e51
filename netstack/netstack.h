/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netstack.h - the sandbox's TCP/IP stack (lwIP 2.1.3, NO_SYS=1, raw API)
 *
 * Theory of operation
 *
 * netstack owns one lwIP instance: an Ethernet netif ("eth0", optional) and
 * lwIP's loopback interface ("lo": 127.0.0.1/8 and ::1). It is passive: it
 * never loops, blocks or calls epoll. The sentry's loop
 *   - feeds every received Ethernet frame to ns_input_frame(),
 *   - calls ns_poll() once per iteration (loopback queue, lwIP timers),
 *   - sleeps at most ns_timeout_ms().
 * Frames to send leave through the output callback given to ns_init(), as an
 * iovec over the pbuf chain, synchronously, from inside any ns_* call.
 *
 * Checksums: frames from ns_input_frame() are fully checked;
 * ns_input_frame_csum_ok() is for frames whose TCP/UDP checksum the link
 * vouches for (partial or validated by the host kernel). After
 * ns_set_csum_offload(true), eth0 leaves TCP checksums to the link (the
 * output callback must complete them: see tap_csum_partial()). Traffic that
 * never leaves the sandbox (lo, our own addresses) carries no L4 checksum.
 *
 * Sockets: struct ns_sock is opaque outside netstack/. Each has an owner
 * cookie and a notify callback that netstack calls with NS_EV_* bits when
 * readiness changes (new data or EOF, send space, a pending connection, a
 * finished handshake, an error). Notify is called from inside ns_* calls
 * (including ns_input_frame and ns_poll): the callee must only record the
 * event; it must not close or free any ns_sock from inside the callback.
 *
 * Receive is zero-copy: ns_sock_peek() describes queued data as iovecs that
 * stay valid until the next ns_sock_consume()/ns_sock_close() on that socket,
 * or the next ns_* call that may run lwIP input; ns_sock_consume() drops
 * bytes and opens the receive window (tcp_recved) by the same amount, so the
 * peer is flow-controlled by what the sentry actually delivered.
 *
 * UDP: struct ns_udp is a datagram socket with a receive queue. Each
 * queued datagram keeps its source address and the local address and
 * interface it arrived on (for IP_PKTINFO/IPV6_PKTINFO). ns_udp_peek()
 * describes the first one as iovecs over its pbufs, valid until
 * ns_udp_drop() or ns_udp_close() (lwIP never touches a queued datagram);
 * ns_udp_drop() frees it. A full queue (NS_UDP_RCVQ_MAX datagrams or
 * NS_UDP_RCVBUF bytes) drops new datagrams, counted in rx_drops, like a full
 * socket buffer. Sends are copied; a datagram to one of our own addresses,
 * 127/8 or ::1 is delivered by a later ns_poll(). For UDP lo owns all of
 * 127/8, as on Linux: a socket bound to 127.0.0.11 (Docker's embedded DNS)
 * receives and sends from that address (TCP: 127.0.0.1 only). ICMP
 * destination unreachable errors (port unreachable: -ECONNREFUSED) reach
 * connected sockets only, as on Linux: NS_EV_ERROR, then
 * ns_udp_take_error().
 * Bind, connect and name follow Linux: connect() autobinds and fixes the
 * local address, AF_UNSPEC disconnects (and releases an autobound port).
 * Interface indexes are Linux's: NS_IFINDEX_LO, NS_IFINDEX_ETH0.
 *
 * ICMP: struct ns_icmp is a ping socket (Linux's unprivileged SOCK_DGRAM
 * IPPROTO_ICMP / IPPROTO_ICMPV6) or a raw ICMP socket (SOCK_RAW, for a guest
 * with CAP_NET_RAW); one family each, no dual stack. A ping socket has an
 * identifier that acts as its port: bind() takes it from sin_port/sin6_port
 * (0: pick one), else connect() or the first send picks one; getsockname()
 * shows it. Identifiers are one space for both families, shared only if
 * every holder set NS_OPT_REUSEADDR. ns_icmp_sendto() takes an echo request
 * (type 8 / 128, code 0, else -EINVAL) as ICMP header + payload; netstack
 * writes the identifier and the checksum. Only echo replies carrying the
 * identifier, with a good checksum and sent to the bound (or connected
 * from) address, are queued, ICMP header first, on the first such socket.
 * A raw socket sends the guest's message as it is over IPv4 (the guest's
 * checksum) and with the ICMPv6 checksum computed over IPv6 (Linux's
 * implied IPV6_CHECKSUM 2); it queues a copy of every ICMP message that
 * reaches us, with its IPv4 header, or without the IPv6 header (checksum
 * verified), except the types blocked by ns_icmp_set_filter() (ICMP_FILTER,
 * ICMP6_FILTER). getsockname() on a raw socket shows the protocol (1, 58)
 * as the port, as Linux does. Sockets see messages before lwIP's own ICMP
 * code, which still answers echo requests to our addresses, 127/8 and ::1
 * (looped-back ones through ns_poll()). Queue bounds, ns_icmp_peek() and
 * ns_icmp_drop() are as for UDP (struct ns_dgram, source port 0). ICMP
 * errors about our echo requests are not reported to ping sockets (raw
 * sockets see them as ordinary messages).
 *
 * Loopback capture: after ns_set_loop_tap(fn, ctx), every packet lwIP
 * delivers through its loopback path (to 127/8, ::1 or one of eth0's own
 * addresses, by ns_poll()) is shown to @fn, once, as it is delivered, in
 * the form Linux's lo has in a capture: an Ethernet frame with zero MAC
 * addresses and the IP packet's ethertype. The iovecs are valid only
 * during the call. netstack does not know who listens (tap/capture.c, in
 * the sentry); a frame nobody wants costs one test of a pointer.
 *
 * Errors are -errno; lwIP's err_t never leaves netstack (netstack/errno.c).
 * Ownership: ns_sock_new()/ns_sock_accept() hand a socket to the caller, who
 * ends it with ns_sock_close() (orderly) or ns_sock_abort() (RST); after that
 * no notify is ever delivered for it. ns_udp_new()/ns_udp_close() and
 * ns_icmp_new()/ns_icmp_close() likewise.
 * Single-threaded: no locks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifndef NS_MTU_MAX
#define NS_MTU_MAX 16384 /* bytes: largest link MTU lwIP is built for */
#endif

#ifndef NS_UDP_RCVQ_MAX
#define NS_UDP_RCVQ_MAX 256 /* datagrams queued per UDP socket */
#endif
#ifndef NS_UDP_RCVBUF
#define NS_UDP_RCVBUF (1024 * 1024) /* payload bytes queued per UDP socket */
#endif

#define NS_IFINDEX_LO 1	  /* interface index of "lo", as on Linux */
#define NS_IFINDEX_ETH0 2 /* interface index of "eth0" */

/**
 * struct ns_if_config - addresses of the external interface
 * @present:	false: no external link at all (--network=none)
 * @mac:	Our MAC address
 * @mtu:	Link MTU in bytes (<= NS_MTU_MAX); TCP MSS follows from it
 * @addr4:	IPv4 address (network order), 0 for none
 * @prefix4:	IPv4 prefix length
 * @gw4:	IPv4 default gateway, 0 for none
 * @addr6:	Global IPv6 address, all-zero for none (a link-local address
 *		derived from @mac is always added when @present)
 * @prefix6:	IPv6 prefix length
 * @gw6:	IPv6 default gateway, all-zero for none
 */
struct ns_if_config {
	bool present;
	uint8_t mac[6];
	unsigned int mtu;
	struct in_addr addr4;
	unsigned int prefix4;
	struct in_addr gw4;
	struct in6_addr addr6;
	unsigned int prefix6;
	struct in6_addr gw6;
};

/* Frame output: called synchronously with one whole Ethernet frame. */
typedef void (*ns_output_fn)(void *ctx, const struct iovec *iov, int iovcnt);

int ns_init(const struct ns_if_config *cfg, ns_output_fn out, void *ctx);
void ns_fini(void);
void ns_input_frame(const void *frame, size_t len);
void ns_input_frame_csum_ok(const void *frame, size_t len);
void ns_set_csum_offload(bool on);
void ns_poll(void);
int ns_timeout_ms(void);

/* Loopback capture: one pseudo-Ethernet frame, valid during the call. */
typedef void (*ns_loop_tap_fn)(void *ctx, const struct iovec *iov, int iovcnt);
void ns_set_loop_tap(ns_loop_tap_fn fn, void *ctx);

/**
 * struct ns_stats - counters kept by netstack itself (lwIP stats are off)
 * @rx_frames:	Frames given to ns_input_frame()
 * @rx_drops:	Frames lwIP rejected or we could not allocate for
 * @tx_frames:	Frames passed to the output callback
 * @socks:	Live struct ns_sock objects
 * @pbufs:	Received pbufs queued on sockets (TCP, UDP, ICMP), not yet
 *		consumed or dropped
 * @udps:	Live struct ns_udp objects
 * @icmps:	Live struct ns_icmp objects
 */
struct ns_stats {
	uint64_t rx_frames;
	uint64_t rx_drops;
	uint64_t tx_frames;
	unsigned int socks;
	unsigned int pbufs;
	unsigned int udps;
	unsigned int icmps;
};
void ns_get_stats(struct ns_stats *st);

struct ns_sock; /* opaque: defined in netstack/internal.h */

enum ns_event {
	NS_EV_READABLE = 1 << 0,  /* data queued, or EOF reached */
	NS_EV_WRITABLE = 1 << 1,  /* ns_sock_sndbuf() > 0 */
	NS_EV_ACCEPT = 1 << 2,	  /* a connection waits in ns_sock_accept() */
	NS_EV_CONNECTED = 1 << 3, /* active open finished successfully */
	NS_EV_ERROR = 1 << 4,	  /* ns_*_take_error() has an error */
};

enum ns_state {
	NS_ST_NEW,	  /* created, maybe bound */
	NS_ST_LISTEN,	  /* listening */
	NS_ST_CONNECTING, /* SYN sent, waiting */
	NS_ST_CONNECTED,  /* established (also after peer FIN) */
	NS_ST_CLOSED,	  /* reset, refused, timed out: see take_error */
	NS_ST_NUM,
};

enum ns_opt {
	NS_OPT_REUSEADDR, /* bool */
	NS_OPT_KEEPALIVE, /* bool */
	NS_OPT_NODELAY,	  /* bool */
	NS_OPT_KEEPIDLE,  /* seconds */
	NS_OPT_KEEPINTVL, /* seconds */
	NS_OPT_KEEPCNT,	  /* count */
	NS_OPT_V6ONLY,	  /* bool, AF_INET6 only, before bind/connect */
	NS_OPT_BROADCAST, /* bool, UDP: may send to broadcast addresses */
	NS_OPT_TTL,	  /* ICMP: TTL / hop limit, 1..255 (IPv6: 0..255), -1:
			   * the default (64) */
	NS_OPT_NUM,
};

typedef void (*ns_notify_fn)(void *owner, unsigned int events);

int ns_sock_new(struct ns_sock **out, int family, int type);
void ns_sock_close(struct ns_sock **sk);
void ns_sock_abort(struct ns_sock **sk);
void ns_sock_set_notify(struct ns_sock *sk, ns_notify_fn fn, void *owner);
int ns_sock_setopt(struct ns_sock *sk, enum ns_opt opt, int val);
int ns_sock_getopt(struct ns_sock *sk, enum ns_opt opt, int *val);
int ns_sock_bind(struct ns_sock *sk, const struct sockaddr *sa, socklen_t len);
int ns_sock_listen(struct ns_sock *sk, int backlog);
int ns_sock_accept(struct ns_sock *sk, struct ns_sock **out);
int ns_sock_pending(
    const struct ns_sock *sk); /* connections waiting in accept */
int ns_sock_connect(struct ns_sock *sk, const struct sockaddr *sa,
		    socklen_t len);
int ns_sock_take_error(struct ns_sock *sk);
enum ns_state ns_sock_state(const struct ns_sock *sk);
int ns_sock_family(const struct ns_sock *sk);
int ns_sock_name(const struct ns_sock *sk, bool peer,
		 struct sockaddr_storage *ss, socklen_t *len);
size_t ns_sock_sndbuf(const struct ns_sock *sk);
ssize_t ns_sock_send(struct ns_sock *sk, const struct iovec *iov, int iovcnt);
int ns_sock_shutdown_wr(struct ns_sock *sk);
int ns_sock_peek(struct ns_sock *sk, struct iovec *iov, int max);
void ns_sock_consume(struct ns_sock *sk, size_t n);
bool ns_sock_eof(const struct ns_sock *sk);

/* --- UDP --------------------------------------------------------------- */

struct ns_udp; /* opaque: defined in netstack/internal.h */

/**
 * struct ns_pktinfo - where a datagram arrived (IP_PKTINFO, IPV6_PKTINFO)
 * @ifindex:	NS_IFINDEX_LO or NS_IFINDEX_ETH0
 * @v4:		Arrived over IPv4
 * @addr4:	IPv4: the destination address (ipi_addr, ipi_spec_dst)
 * @addr6:	IPv6: the destination address; IPv4: ::ffff:@addr4
 */
struct ns_pktinfo {
	unsigned int ifindex;
	bool v4;
	struct in_addr addr4;
	struct in6_addr addr6;
};

/**
 * struct ns_dgram - the first queued datagram, as ns_udp_peek() sees it
 * @len:	Payload length in bytes (0 is a valid datagram)
 * @iovcnt:	iovecs filled; if the caller's array was too short they cover
 *		only the first bytes of @len
 * @src:	Source address in the socket's family (::ffff:a.b.c.d for an
 *		IPv4 source on an AF_INET6 socket)
 * @srclen:	Length of @src
 * @dst:	Local address and interface it was sent to
 */
struct ns_dgram {
	size_t len;
	int iovcnt;
	struct sockaddr_storage src;
	socklen_t srclen;
	struct ns_pktinfo dst;
};

int ns_udp_new(struct ns_udp **out, int family);
void ns_udp_close(struct ns_udp **u);
void ns_udp_set_notify(struct ns_udp *u, ns_notify_fn fn, void *owner);
int ns_udp_setopt(struct ns_udp *u, enum ns_opt opt, int val);
int ns_udp_getopt(const struct ns_udp *u, enum ns_opt opt, int *val);
int ns_udp_bind(struct ns_udp *u, const struct sockaddr *sa, socklen_t len);
int ns_udp_connect(struct ns_udp *u, const struct sockaddr *sa, socklen_t len);
int ns_udp_name(const struct ns_udp *u, bool peer, struct sockaddr_storage *ss,
		socklen_t *len);
ssize_t ns_udp_sendto(struct ns_udp *u, const struct iovec *iov, int iovcnt,
		      const struct sockaddr *dst, socklen_t dstlen);
int ns_udp_peek(struct ns_udp *u, struct iovec *iov, int max,
		struct ns_dgram *d);
void ns_udp_drop(struct ns_udp *u);
unsigned int ns_udp_queued(const struct ns_udp *u);
int ns_udp_take_error(struct ns_udp *u);

/* --- ICMP: ping sockets and raw ICMP sockets --------------------------- */

struct ns_icmp; /* opaque: defined in netstack/internal.h */

int ns_icmp_new(struct ns_icmp **out, int family, bool raw);
void ns_icmp_close(struct ns_icmp **s);
void ns_icmp_set_notify(struct ns_icmp *s, ns_notify_fn fn, void *owner);
int ns_icmp_setopt(struct ns_icmp *s, enum ns_opt opt, int val);
int ns_icmp_getopt(const struct ns_icmp *s, enum ns_opt opt, int *val);
int ns_icmp_set_filter(struct ns_icmp *s, const uint32_t filter[8]);
int ns_icmp_get_filter(const struct ns_icmp *s, uint32_t filter[8]);
int ns_icmp_bind(struct ns_icmp *s, const struct sockaddr *sa, socklen_t len);
int ns_icmp_connect(struct ns_icmp *s, const struct sockaddr *sa,
		    socklen_t len);
int ns_icmp_name(const struct ns_icmp *s, bool peer,
		 struct sockaddr_storage *ss, socklen_t *len);
ssize_t ns_icmp_sendto(struct ns_icmp *s, const struct iovec *iov, int iovcnt,
		       const struct sockaddr *dst, socklen_t dstlen);
int ns_icmp_peek(struct ns_icmp *s, struct iovec *iov, int max,
		 struct ns_dgram *d);
void ns_icmp_drop(struct ns_icmp *s);
unsigned int ns_icmp_queued(const struct ns_icmp *s);
