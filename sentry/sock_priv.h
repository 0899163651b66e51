/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock_priv.h - struct gsock and helpers shared by sock.c and sockopt.c
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "ifview.h"
#include "intercept.h"
#include "netstack/netstack.h"

enum gs_kind {
	GS_FREE,
	GS_GUEST,  /* guest socket: fd is our end of the socketpair */
	GS_RELAY,  /* -p: fd is a host TCP connection */
	GS_ZOMBIE, /* lwIP side gone; kept to answer SO_ERROR and names */
	GS_NUM_KINDS,
};

#define GS_NOPT 8

/**
 * struct gsock - one guest socket or relayed connection
 * @kind:	What this slot is
 * @fd:		Our end / host connection, owned; -1 if none
 * @keep_gfd:	Guest end of an accepted connection, owned until accept
 *		hands it to the guest; -1 otherwise
 * @ino:	Inode of the guest's end (hash key)
 * @hnext:	Hash chain (index + 1; 0 ends the chain)
 * @ns:		Netstack socket, owned; NULL once closed
 * @udp:	Netstack UDP socket, owned (UDP only)
 * @icmp:	Netstack ping or raw ICMP socket, owned (ICMP only)
 * @proto:	Datagram sockets: IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6
 * @ring:	Datagram sockets: source addresses by tag, owned
 * @seq:	Datagram sockets: tag of the next datagram to the guest
 * @family:	AF_INET or AF_INET6
 * @type:	SOCK_STREAM
 * @ep:		Events currently registered on @fd
 * @in_loop:	@fd is registered with the loop
 * @fd_eof:	Read EOF from @fd: the guest shut its write side
 * @fd_hup:	The guest closed every copy of its end
 * @ns_eof_done: Peer FIN passed on as shutdown(SHUT_WR) of @fd
 * @out_blocked: Last write to @fd would block: wait for EPOLLOUT
 * @listening:	listen() succeeded
 * @nl_cap_ack:	Netlink: NETLINK_CAP_ACK set
 * @nl_portid:	Netlink: port id, 0 before the first bind/send
 * @nl_groups:	Netlink: multicast groups bound
 * @nb_connect:	A non-blocking connect started; the next connect() reports
 *		its outcome (0 once established, or the error), as Linux
 * @rst_on_close: The guest closed with bytes unread: reset, do not FIN
 * @tokens:	Token bytes sitting in the guest's end of a listener
 * @filler:	Filler bytes in our receive queue (non-blocking connect)
 * @err:	Pending SO_ERROR, as -errno
 * @last_tid:	Guest thread that last used the socket
 * @last_gfd:	Its fd number there
 * @txbuf:	Bytes read from the guest that lwIP did not take yet
 * @txlen:	Bytes in @txbuf
 * @txoff:	Offset of the first unsent byte
 * @opt_level:	Stored options: level
 * @opt_name:	Stored options: name
 * @opt_val:	Stored options: value
 * @nopt:	Number of stored options
 * @linger_on:	SO_LINGER l_onoff
 * @linger_s:	SO_LINGER l_linger
 * @rq:		Listener: accepted children not yet handed out (idx + 1)
 * @rq_next:	Child: next in its listener's queue
 * @ev:		Netstack events not processed yet
 * @dirty:	On the deferred list
 * @dnext:	Deferred list link (idx + 1)
 * @znext:	Zombie FIFO link (idx + 1)
 * @name:	Zombie: our last address
 * @namelen:	Length of @name
 */
struct gsock {
	enum gs_kind kind;
	int fd;
	int keep_gfd;
	ino_t ino;
	uint32_t hnext;
	struct ns_sock *ns;
	struct ns_udp *udp;
	struct ns_icmp *icmp;
	int proto;
	struct udp_src *ring;
	uint32_t seq;
	int family;
	int type;
	uint32_t ep;
	bool in_loop;
	bool fd_eof;
	bool fd_hup;
	bool ns_eof_done;
	bool out_blocked;
	bool listening;
	bool nl_cap_ack;
	uint32_t nl_portid;
	uint32_t nl_groups;
	bool nb_connect;
	bool rst_on_close;
	uint32_t tokens;
	uint32_t filler;
	int err;
	pid_t last_tid;
	int last_gfd;
	char *txbuf;
	size_t txlen;
	size_t txoff;
	int opt_level[GS_NOPT];
	int opt_name[GS_NOPT];
	int opt_val[GS_NOPT];
	int nopt;
	int linger_on;
	int linger_s;
	uint32_t rq;
	uint32_t rq_next;
	unsigned int ev;
	bool dirty;
	uint32_t dnext;
	uint32_t znext;
	struct sockaddr_storage name;
	socklen_t namelen;
};

enum held_kind {
	HELD_ACCEPT,  /* accept/accept4 on a listener */
	HELD_CONNECT, /* blocking connect */
	HELD_RECV,    /* blocking recvfrom/recvmsg on a datagram socket */
	HELD_NUM_KINDS,
};

/**
 * struct held - a guest call waiting for a netstack event
 * @used:	Slot in use
 * @kind:	What it waits for
 * @sock:	gsock index
 * @seq:	Arrival order
 * @done:	recvmmsg: messages already received for this call
 * @deadline:	CLOCK_MONOTONIC ms when SO_RCVTIMEO/SO_SNDTIMEO expires, 0 if
 *		the call may wait forever
 * @c:		The call
 */
struct held {
	bool used;
	enum held_kind kind;
	uint32_t sock;
	uint64_t seq;
	unsigned int done;
	uint64_t deadline;
	struct gcall c;
};

/* sock.c: shared with the datagram code in sock_udp.c */
uint32_t gs_idx(const struct gsock *g);
int gs_alloc(enum gs_kind kind, struct gsock **out);
void gs_free(struct gsock *g);
void gs_hash_insert(struct gsock *g, ino_t ino);
void gs_mark_dirty(struct gsock *g);
void gs_ns_wake(void *owner, unsigned int events);
void gs_set_interest(struct gsock *g);
int gs_read_addr(const struct gcall *c, uint64_t addr, uint64_t len,
		 struct sockaddr_storage *ss, socklen_t *sl);
int gs_write_name(const struct gcall *c, uint64_t addr, uint64_t lenp,
		  const struct sockaddr_storage *ss, socklen_t sl);
int gs_resolve(const struct gcall *c, int fd, struct gsock **out);
int gs_guest_dup(const struct gcall *c, int fd, const struct gsock *g);
int gs_guest_nonblock(const struct gcall *c, int fd, const struct gsock *g,
		      int *dup);
int gs_new_pair(int type, int *ours, int *theirs, ino_t *ino);
int64_t gs_hold(struct gcall *c, struct gsock *g, enum held_kind kind,
		int dupfd);
struct held *gs_held_first(const struct gsock *g);
struct held *gs_held_last(void);
void gs_held_release(struct held *h);

/* sock_udp.c */
int64_t udp_socket(struct gcall *c, int family, int type, int proto, int flags);
int64_t udp_syscall(struct gcall *c, struct gsock *g);
void udp_run(struct gsock *g, unsigned int ev);
void udp_fd_event(struct gsock *g, uint32_t events);
void udp_release(struct gsock *g);
int dgram_queue(struct gsock *g, struct iovec *iov, int cnt, uint32_t tag);
int64_t dgram_recv_call(struct gcall *c, struct gsock *g, bool may_hold,
			unsigned int *got);
void dgram_complete_recvs(struct gsock *g);
ssize_t dgram_gather(struct gcall *c, uint64_t addr,
		     struct sockaddr_storage *ss, socklen_t *sl);
char *dgram_buf(void);

#define DGRAM_SIZE 65536 /* bytes: dgram_buf(), largest datagram moved */
extern struct ifview sock_ifv;

/* sock_nl.c */
int64_t nl_socket(struct gcall *c, int type, int proto, int flags);
int64_t nl_syscall(struct gcall *c, struct gsock *g);
void nl_fd_event(struct gsock *g, uint32_t events);

int64_t sockopt_set(struct gcall *c, struct gsock *g);
int sockopt_stored(const struct gsock *g, int level, int name);
int64_t sockopt_get(struct gcall *c, struct gsock *g);
int sock_read_int(const struct gcall *c, uint64_t addr, int *v);
