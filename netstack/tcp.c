// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp.c - TCP sockets over lwIP's raw API
 *
 * Each struct ns_sock wraps one pcb; lwIP's callbacks (recv, sent, err,
 * connected, accept) update the socket and call its notify function.
 *
 * Receive: the recv callback appends pbufs to @rx (pbuf_cat); peek lays
 * iovecs over them and consume frees whole pbufs, trims the first one and
 * opens the window with tcp_recved() by the bytes consumed.
 *
 * Accept: the listener's accept callback wraps the new pcb in a socket at
 * once (so data arriving before accept() is queued on it), marks it
 * delayed for lwIP's backlog and appends it to the listener's queue.
 * ns_sock_accept() takes the oldest and tells lwIP the backlog slot is free.
 *
 * Teardown: lwIP frees a pcb behind our back in the err callback (we get
 * told), on LAST_ACK completion (err callback with ERR_CLSD) and when a
 * TIME_WAIT pcb expires (not told). The last case is why sockets that sent
 * a FIN sit on ns.tw_socks: ns_poll() detaches them from their pcb once it
 * is in TIME_WAIT, before lwIP's timers may free it.
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

#define KEEPIDLE_DEFAULT (TCP_KEEPIDLE_DEFAULT / 1000)
#define KEEPINTVL_DEFAULT (TCP_KEEPINTVL_DEFAULT / 1000)
#define KEEPCNT_DEFAULT TCP_KEEPCNT_DEFAULT

/**
 * notify() - Tell the owner about readiness changes
 * @sk:		Socket
 * @ev:		NS_EV_* bits
 */
static void notify(struct ns_sock *sk, unsigned int ev)
{
	if (sk->notify && !sk->listener)
		sk->notify(sk->owner, ev);
}

/**
 * rx_free() - Drop all queued received data
 * @sk:		Socket
 */
static void rx_free(struct ns_sock *sk)
{
	if (sk->rx)
		pbuf_free(sk->rx);
	sk->rx = NULL;
	ns.stats.pbufs -= sk->rx_pbufs;
	sk->rx_pbufs = 0;
}

/**
 * detach() - Cut the pcb loose from the socket: no more callbacks
 * @sk:		Socket with a live pcb
 *
 * Return: the pcb, now owned by the caller
 */
static struct tcp_pcb *detach(struct ns_sock *sk)
{
	struct tcp_pcb *pcb = sk->pcb;

	sk->pcb = NULL;
	ns_list_del(&sk->tw);
	tcp_arg(pcb, NULL);
	if (pcb->state == LISTEN) {
		tcp_accept(pcb, NULL);
		return pcb;
	}
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	return pcb;
}

/**
 * apply_opts() - Copy the socket's stored options to its (non-listen) pcb
 * @sk:		Socket with a live, non-listening pcb
 */
static void apply_opts(struct ns_sock *sk)
{
	struct tcp_pcb *pcb = sk->pcb;

	if (sk->reuseaddr)
		ip_set_option(pcb, SOF_REUSEADDR);
	else
		ip_reset_option(pcb, SOF_REUSEADDR);
	if (sk->keepalive)
		ip_set_option(pcb, SOF_KEEPALIVE);
	else
		ip_reset_option(pcb, SOF_KEEPALIVE);
	if (sk->nodelay)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
	pcb->keep_idle = (u32_t)sk->keepidle * 1000;
	pcb->keep_intvl = (u32_t)sk->keepintvl * 1000;
	pcb->keep_cnt = (u32_t)sk->keepcnt;
}

/**
 * sock_alloc() - Allocate and register a socket without a pcb
 * @family:	AF_INET or AF_INET6
 *
 * Return: the socket, or NULL on allocation failure
 */
static struct ns_sock *sock_alloc(int family)
{
	struct ns_sock *sk = calloc(1, sizeof(*sk));

	if (!sk)
		return NULL;
	sk->family = family;
	sk->state = NS_ST_NEW;
	sk->keepidle = KEEPIDLE_DEFAULT;
	sk->keepintvl = KEEPINTVL_DEFAULT;
	sk->keepcnt = KEEPCNT_DEFAULT;
	ip_addr_set_zero(&sk->local);
	ip_addr_set_zero(&sk->remote);
	ns_list_init(&sk->tw);
	ns_list_init(&sk->acceptq);
	ns_list_init(&sk->accq);
	ns_list_add_tail(&ns.socks, &sk->all);
	ns.stats.socks++;
	return sk;
}

/**
 * sock_free() - Unregister and free a socket whose pcb is already gone
 * @sk:		Socket, pcb NULL, accept queue empty
 */
static void sock_free(struct ns_sock *sk)
{
	rx_free(sk);
	ns_list_del(&sk->all);
	ns_list_del(&sk->tw);
	ns_list_del(&sk->accq);
	ns.stats.socks--;
	free(sk);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t e);
static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static void on_err(void *arg, err_t e);

/**
 * attach() - Bind a live (non-listen) pcb to the socket and its callbacks
 * @sk:		Socket
 * @pcb:	pcb
 */
static void attach(struct ns_sock *sk, struct tcp_pcb *pcb)
{
	sk->pcb = pcb;
	tcp_arg(pcb, sk);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
}

/**
 * new_pcb() - Create the socket's pcb for its family and V6ONLY setting
 * @sk:		Socket without a pcb
 *
 * Return: 0 or -ENOMEM
 */
static int new_pcb(struct ns_sock *sk)
{
	u8_t type = sk->family == AF_INET ? IPADDR_TYPE_V4
		    : sk->v6only	  ? IPADDR_TYPE_V6
					  : IPADDR_TYPE_ANY;
	struct tcp_pcb *pcb = tcp_new_ip_type(type);

	if (!pcb)
		return -ENOMEM;
	attach(sk, pcb);
	apply_opts(sk);
	ip_addr_copy(sk->local, pcb->local_ip);
	return 0;
}

/**
 * ns_sock_new() - Create a TCP socket
 * @out:	Set to the new socket on success, untouched on failure
 * @family:	AF_INET or AF_INET6
 * @type:	SOCK_STREAM (flags such as SOCK_NONBLOCK are ignored)
 *
 * Return: 0, -EAFNOSUPPORT, -EPROTONOSUPPORT, -ENOMEM or -ENETDOWN (no
 * ns_init())
 */
int ns_sock_new(struct ns_sock **out, int family, int type)
{
	struct ns_sock *sk;
	int ret;

	if (!ns.up)
		return -ENETDOWN;
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if ((type & 0xf) != SOCK_STREAM)
		return -EPROTONOSUPPORT;
	sk = sock_alloc(family);
	if (!sk)
		return -ENOMEM;
	ret = new_pcb(sk);
	if (ret < 0) {
		sock_free(sk);
		return ret;
	}
	*out = sk;
	return 0;
}

/**
 * end_pcb() - Close or abort the socket's pcb and forget it
 * @sk:		Socket
 * @rst:	true: abort (RST), false: orderly close, abort if that fails
 */
static void end_pcb(struct ns_sock *sk, bool rst)
{
	struct tcp_pcb *pcb;

	if (!sk->pcb)
		return;
	pcb = detach(sk);
	if (pcb->state == LISTEN) {
		tcp_close(pcb); /* never fails for a listener */
		return;
	}
	if (!rst && tcp_close(pcb) == ERR_OK)
		return;
	tcp_abort(pcb);
}

/**
 * sock_end() - Close a socket and every connection waiting on it
 * @skp:	Socket to end; set to NULL
 * @rst:	Abort (RST) instead of an orderly close
 */
static void sock_end(struct ns_sock **skp, bool rst)
{
	struct ns_sock *sk = *skp, *c;

	if (!sk)
		return;
	while (!ns_list_empty(&sk->acceptq)) {
		c = ns_container_of(sk->acceptq.next, struct ns_sock, accq);
		end_pcb(c, true);
		sock_free(c);
	}
	/* unread data: reset, as Linux does */
	end_pcb(sk, rst || sk->rx);
	sock_free(sk);
	*skp = NULL;
}

/**
 * ns_sock_close() - Close a socket (FIN; RST if received data is unread)
 * @sk:		Socket; set to NULL. A listener's pending connections are reset.
 */
void ns_sock_close(struct ns_sock **sk)
{
	sock_end(sk, false);
}

/**
 * ns_sock_abort() - Reset a connection and free the socket
 * @sk:		Socket; set to NULL
 */
void ns_sock_abort(struct ns_sock **sk)
{
	sock_end(sk, true);
}

/**
 * ns_sock_free_all() - Free every socket still open (ns_fini())
 */
void ns_sock_free_all(void)
{
	struct ns_sock *sk;

	while (!ns_list_empty(&ns.socks)) {
		sk = ns_container_of(ns.socks.next, struct ns_sock, all);
		if (sk->listener) {
			ns_list_del(&sk->accq);
			sk->listener = NULL;
		}
		sock_end(&sk, true);
	}
}

/**
 * ns_sock_set_notify() - Set the readiness callback
 * @sk:		Socket
 * @fn:		Callback, NULL for none
 * @owner:	Cookie passed to @fn
 */
void ns_sock_set_notify(struct ns_sock *sk, ns_notify_fn fn, void *owner)
{
	sk->notify = fn;
	sk->owner = owner;
}

/**
 * ns_sock_state() - Our view of the connection state
 * @sk:		Socket
 *
 * Return: NS_ST_*
 */
enum ns_state ns_sock_state(const struct ns_sock *sk)
{
	return sk->state;
}

/**
 * ns_sock_family() - Address family of the socket
 * @sk:		Socket
 *
 * Return: AF_INET or AF_INET6
 */
int ns_sock_family(const struct ns_sock *sk)
{
	return sk->family;
}

/**
 * ns_sock_take_error() - Read and clear the pending error (SO_ERROR)
 * @sk:		Socket
 *
 * Return: 0 or the pending -errno
 */
int ns_sock_take_error(struct ns_sock *sk)
{
	int ret = sk->err;

	sk->err = 0;
	return ret;
}

/**
 * ns_sock_name() - Local or peer address (getsockname, getpeername)
 * @sk:		Socket
 * @peer:	true for the peer's address
 * @ss:		Filled in
 * @len:	Set to the address length
 *
 * Return: 0, or -ENOTCONN for @peer when there is no peer
 */
int ns_sock_name(const struct ns_sock *sk, bool peer,
		 struct sockaddr_storage *ss, socklen_t *len)
{
	if (peer) {
		if (sk->state != NS_ST_CONNECTED)
			return -ENOTCONN;
		*len = ns_addr_to_sa(sk, &sk->remote, sk->remote_port, ss);
		return 0;
	}
	*len = ns_addr_to_sa(sk, &sk->local, sk->local_port, ss);
	return 0;
}

/**
 * ns_sock_bind() - Bind a local address (port 0: an ephemeral port)
 * @sk:		Socket
 * @sa:		Address
 * @len:	Its length
 *
 * Return: 0, -EINVAL (bad address or already bound), -EAFNOSUPPORT,
 * -EADDRNOTAVAIL (not our address), -EADDRINUSE
 */
int ns_sock_bind(struct ns_sock *sk, const struct sockaddr *sa, socklen_t len)
{
	ip_addr_t ip;
	u16_t port;
	int ret;

	ret = ns_addr_from_sa(sk, sa, len, false, &ip, &port);
	if (ret < 0)
		return ret;
	if (sk->bound || sk->state != NS_ST_NEW || !sk->pcb)
		return -EINVAL;
	if (!ip_addr_isany(&ip) && !ns_addr_is_local(&ip))
		return -EADDRNOTAVAIL;
	ret = ns_err(tcp_bind(sk->pcb, &ip, port));
	if (ret < 0)
		return ret == -EADDRNOTAVAIL ? -EADDRINUSE : ret;
	sk->bound = true;
	ip_addr_copy(sk->local, sk->pcb->local_ip);
	sk->local_port = sk->pcb->local_port;
	return 0;
}

/**
 * on_accept() - lwIP accept callback: queue the new connection
 * @arg:	Listening socket
 * @newpcb:	The established pcb, NULL if lwIP ran out of memory
 * @e:		ERR_OK, or the reason @newpcb is NULL
 *
 * Return: ERR_OK, ERR_VAL to refuse (lwIP then frees @newpcb), or ERR_ABRT
 * after tcp_abort()
 */
static err_t on_accept(void *arg, struct tcp_pcb *newpcb, err_t e)
{
	struct ns_sock *l = arg, *c;

	if (!l || e != ERR_OK || !newpcb)
		return ERR_VAL;
	c = sock_alloc(l->family);
	if (!c) {
		tcp_abort(newpcb);
		return ERR_ABRT;
	}
	c->v6only = l->v6only;
	c->nodelay = l->nodelay;
	c->reuseaddr = l->reuseaddr;
	c->keepalive = l->keepalive;
	c->keepidle = l->keepidle;
	c->keepintvl = l->keepintvl;
	c->keepcnt = l->keepcnt;
	c->state = NS_ST_CONNECTED;
	c->bound = true;
	attach(c, newpcb);
	apply_opts(c);
	ip_addr_copy(c->local, newpcb->local_ip);
	c->local_port = newpcb->local_port;
	ip_addr_copy(c->remote, newpcb->remote_ip);
	c->remote_port = newpcb->remote_port;
	c->listener = l;
	ns_list_add_tail(&l->acceptq, &c->accq);
	/* counts against the backlog until ns_sock_accept() takes it */
	tcp_backlog_delayed(newpcb);
	notify(l, NS_EV_ACCEPT);
	return ERR_OK;
}

/**
 * ns_sock_listen() - Start listening (binds an ephemeral port if unbound)
 * @sk:		Socket
 * @backlog:	Pending connections allowed, clamped to 1..255
 *
 * Return: 0, -EINVAL (connected or closed), -EADDRINUSE, -ENOMEM
 */
int ns_sock_listen(struct ns_sock *sk, int backlog)
{
	struct tcp_pcb *lpcb;
	err_t e = ERR_OK;
	u8_t bl = (u8_t)(backlog < 1 ? 1 : backlog > 255 ? 255 : backlog);
	int ret;

	if (sk->state == NS_ST_LISTEN && sk->pcb) {
		((struct tcp_pcb_listen *)sk->pcb)->backlog = bl;
		return 0;
	}
	if (sk->state != NS_ST_NEW || !sk->pcb)
		return -EINVAL;
	if (!sk->bound) {
		ret = ns_err(tcp_bind(sk->pcb, &sk->pcb->local_ip, 0));
		if (ret < 0)
			return ret == -EADDRNOTAVAIL ? -EADDRINUSE : ret;
	}
	lpcb = tcp_listen_with_backlog_and_err(sk->pcb, bl, &e);
	if (!lpcb)
		return ns_err(e);
	/* the old pcb is freed; lpcb inherited callback_arg */
	sk->pcb = lpcb;
	tcp_accept(lpcb, on_accept);
	sk->bound = true;
	sk->state = NS_ST_LISTEN;
	ip_addr_copy(sk->local, lpcb->local_ip);
	sk->local_port = lpcb->local_port;
	return 0;
}

/**
 * ns_sock_accept() - Take the oldest established connection
 * @sk:		Listening socket
 * @out:	Set to the connection (owned by the caller); untouched on error
 *
 * Its received data and EOF are already queued; its notify is unset.
 *
 * Return: 0, -EAGAIN if none waits, -EINVAL if @sk is not listening
 */
int ns_sock_accept(struct ns_sock *sk, struct ns_sock **out)
{
	struct ns_sock *c;

	if (sk->state != NS_ST_LISTEN)
		return -EINVAL;
	if (ns_list_empty(&sk->acceptq))
		return -EAGAIN;
	c = ns_container_of(sk->acceptq.next, struct ns_sock, accq);
	ns_list_del(&c->accq);
	c->listener = NULL;
	if (c->pcb)
		tcp_backlog_accepted(c->pcb);
	*out = c;
	return 0;
}

/**
 * ns_sock_pending() - Connections waiting in a listener's accept queue
 * @sk:	Socket
 *
 * Return: count (0 if @sk is not listening)
 */
int ns_sock_pending(const struct ns_sock *sk)
{
	const struct ns_list *e;
	int n = 0;

	if (sk->state != NS_ST_LISTEN)
		return 0;
	for (e = sk->acceptq.next; e != &sk->acceptq; e = e->next)
		n++;
	return n;
}

/**
 * on_connected() - lwIP connected callback: the handshake finished
 * @arg:	Socket
 * @pcb:	Its pcb
 * @e:		Always ERR_OK in lwIP 2.1.3
 *
 * Return: ERR_OK
 */
static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t e)
{
	struct ns_sock *sk = arg;

	if (!sk)
		return ERR_OK;
	sk->state = NS_ST_CONNECTED;
	ip_addr_copy(sk->local, pcb->local_ip);
	sk->local_port = pcb->local_port;
	notify(sk, NS_EV_CONNECTED | NS_EV_WRITABLE);
	return ERR_OK;
}

/**
 * connect_state() - Linux's answer to connect() in states other than NEW
 * @sk:		Socket
 *
 * Return: 0 if a connect may start, else -EALREADY, -EISCONN or -ENOMEM
 */
static int connect_state(struct ns_sock *sk)
{
	switch (sk->state) {
	case NS_ST_CONNECTING:
		return -EALREADY;
	case NS_ST_CONNECTED:
	case NS_ST_LISTEN:
		return -EISCONN;
	case NS_ST_CLOSED:
		/* a failed connect may be retried on a fresh pcb */
		if (sk->pcb)
			return -EISCONN;
		sk->state = NS_ST_NEW;
		sk->bound = false;
		sk->err = 0;
		return new_pcb(sk);
	default:
		return sk->pcb ? 0 : -EINVAL;
	}
}

/**
 * ns_sock_connect() - Start an active open
 * @sk:		Socket
 * @sa:		Peer address
 * @len:	Its length
 *
 * The outcome comes later: NS_EV_CONNECTED, or NS_EV_ERROR with
 * -ECONNREFUSED, -ETIMEDOUT, ... in ns_sock_take_error().
 *
 * Return: -EINPROGRESS once the SYN is queued; -EALREADY, -EISCONN,
 * -EINVAL, -EAFNOSUPPORT, -ENETUNREACH, -EADDRNOTAVAIL, -ENOMEM
 */
int ns_sock_connect(struct ns_sock *sk, const struct sockaddr *sa,
		    socklen_t len)
{
	ip_addr_t ip;
	u16_t port;
	int ret;

	ret = ns_addr_from_sa(sk, sa, len, true, &ip, &port);
	if (ret < 0)
		return ret;
	ret = connect_state(sk);
	if (ret < 0)
		return ret;
	if (sk->bound && !ip_addr_isany(&sk->pcb->local_ip) &&
	    IP_IS_V4(&sk->pcb->local_ip) != IP_IS_V4(&ip))
		return -ENETUNREACH;
	ret = ns_route_check(&ip);
	if (ret < 0)
		return ret;
	ret = ns_err(tcp_connect(sk->pcb, &ip, port, on_connected));
	if (ret < 0)
		return ret;
	sk->state = NS_ST_CONNECTING;
	sk->bound = true;
	ip_addr_copy(sk->local, sk->pcb->local_ip);
	sk->local_port = sk->pcb->local_port;
	ip_addr_copy(sk->remote, ip);
	sk->remote_port = port;
	return -EINPROGRESS;
}

/**
 * on_err() - lwIP err callback: the pcb is already freed
 * @arg:	Socket, NULL if detached
 * @e:		ERR_RST (reset or refused), ERR_ABRT (timers gave up),
 *		ERR_CLSD (orderly close completed)
 */
static void on_err(void *arg, err_t e)
{
	struct ns_sock *sk = arg;

	if (!sk)
		return;
	sk->pcb = NULL;
	ns_list_del(&sk->tw);
	if (e == ERR_CLSD) {
		notify(sk, NS_EV_READABLE);
		return;
	}
	if (sk->listener) {
		/* reset before accept(): forget it, as if it never came */
		sock_free(sk);
		return;
	}
	if (e == ERR_RST)
		sk->err =
		    sk->state == NS_ST_CONNECTING ? -ECONNREFUSED : -ECONNRESET;
	else if (e == ERR_ABRT)
		sk->err = -ETIMEDOUT;
	else
		sk->err = ns_err(e);
	sk->state = NS_ST_CLOSED;
	notify(sk, NS_EV_ERROR | NS_EV_READABLE);
}

/**
 * on_recv() - lwIP recv callback: queue data, or note the peer's FIN
 * @arg:	Socket
 * @pcb:	Its pcb
 * @p:		Data (ours now), NULL for FIN
 * @e:		ERR_OK
 *
 * Return: ERR_OK (the pbuf is taken)
 */
static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t e)
{
	struct ns_sock *sk = arg;

	if (!sk) {
		/* detached: behave like lwIP's tcp_recv_null */
		if (p) {
			tcp_recved(pcb, p->tot_len);
			pbuf_free(p);
		}
		return ERR_OK;
	}
	if (!p) {
		sk->eof = true;
		if (pcb->state == TIME_WAIT)
			detach(sk);
		notify(sk, NS_EV_READABLE);
		return ERR_OK;
	}
	sk->rx_pbufs += pbuf_clen(p);
	ns.stats.pbufs += pbuf_clen(p);
	if (sk->rx)
		pbuf_cat(sk->rx, p);
	else
		sk->rx = p;
	notify(sk, NS_EV_READABLE);
	return ERR_OK;
}

/**
 * on_sent() - lwIP sent callback: acked data freed send buffer space
 * @arg:	Socket
 * @pcb:	Its pcb
 * @len:	Bytes acknowledged
 *
 * Return: ERR_OK
 */
static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct ns_sock *sk = arg;

	if (sk && ns_sock_sndbuf(sk) > 0)
		notify(sk, NS_EV_WRITABLE);
	return ERR_OK;
}

/**
 * ns_sock_sndbuf() - Bytes ns_sock_send() would take now
 * @sk:		Socket
 *
 * Return: free send buffer space, 0 if not connected or shut down
 */
size_t ns_sock_sndbuf(const struct ns_sock *sk)
{
	if (!sk->pcb || sk->state != NS_ST_CONNECTED || sk->shut_wr)
		return 0;
	if (tcp_sndqueuelen(sk->pcb) + 2 >= TCP_SND_QUEUELEN)
		return 0;
	return sk->pcb->snd_buf;
}

/**
 * send_state() - Why data cannot be sent now, if it cannot
 * @sk:		Socket
 *
 * Return: 0 if sending is possible, else -ENOTCONN, -EAGAIN (handshake
 * still running), -EPIPE (shut down), or the pending error (reset)
 */
static int send_state(struct ns_sock *sk)
{
	int ret;

	switch (sk->state) {
	case NS_ST_CONNECTING:
		return -EAGAIN;
	case NS_ST_CONNECTED:
		if (sk->shut_wr)
			return -EPIPE;
		return sk->pcb ? 0 : -EPIPE;
	case NS_ST_CLOSED:
		ret = ns_sock_take_error(sk);
		return ret ? ret : -EPIPE;
	default:
		return -ENOTCONN;
	}
}

/**
 * ns_sock_send() - Queue data for sending (copied), as much as fits
 * @sk:		Socket
 * @iov:	Data
 * @iovcnt:	Number of elements in @iov
 *
 * Return: bytes taken (> 0), 0 for empty @iov, -EAGAIN if nothing fits,
 * -EPIPE after shutdown, -ENOTCONN, or a pending error after a reset
 */
ssize_t ns_sock_send(struct ns_sock *sk, const struct iovec *iov, int iovcnt)
{
	struct tcp_pcb *pcb = sk->pcb;
	size_t total = 0, off, chunk, room;
	int i, ret;
	err_t e = ERR_OK;

	ret = send_state(sk);
	if (ret < 0)
		return ret;
	for (i = 0; i < iovcnt && e == ERR_OK; i++) {
		for (off = 0; off < iov[i].iov_len; off += chunk) {
			room = ns_sock_sndbuf(sk);
			chunk = MIN(MIN(iov[i].iov_len - off, room), 0xffffu);
			/* each write may add chunk/mss + 1 segments */
			if (!chunk || tcp_sndqueuelen(pcb) + chunk / 536 + 2 >=
					  TCP_SND_QUEUELEN)
				break;
			e = tcp_write(pcb, (const char *)iov[i].iov_base + off,
				      (u16_t)chunk,
				      TCP_WRITE_FLAG_COPY |
					  TCP_WRITE_FLAG_MORE);
			if (e != ERR_OK)
				break;
			total += chunk;
		}
		if (off < iov[i].iov_len)
			break;
	}
	if (total) {
		tcp_output(pcb);
		return (ssize_t)total;
	}
	if (e != ERR_OK && e != ERR_MEM)
		return ns_err(e);
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len)
			return -EAGAIN;
	}
	return 0;
}

/**
 * ns_sock_shutdown_wr() - Send FIN after the queued data
 * @sk:		Socket
 *
 * Return: 0, -ENOTCONN if not connected, -ENOMEM
 */
int ns_sock_shutdown_wr(struct ns_sock *sk)
{
	int ret;

	if (sk->state != NS_ST_CONNECTED)
		return -ENOTCONN;
	if (sk->shut_wr)
		return 0;
	if (!sk->pcb)
		return -ENOTCONN;
	ret = ns_err(tcp_shutdown(sk->pcb, 0, 1));
	if (ret < 0)
		return ret;
	sk->shut_wr = true;
	if (sk->pcb)
		ns_list_add_tail(&ns.tw_socks, &sk->tw);
	return 0;
}

/**
 * ns_sock_peek() - Describe queued received data without consuming it
 * @sk:		Socket
 * @iov:	Filled with pointers into the queue (see netstack.h: valid
 *		until the next consume, close or lwIP input)
 * @max:	Size of @iov
 *
 * Return: number of iovecs filled, 0 if nothing is queued
 */
int ns_sock_peek(struct ns_sock *sk, struct iovec *iov, int max)
{
	struct pbuf *q;
	int n = 0;

	for (q = sk->rx; q && n < max; q = q->next) {
		if (!q->len)
			continue;
		iov[n].iov_base = q->payload;
		iov[n++].iov_len = q->len;
	}
	return n;
}

/**
 * open_window() - tcp_recved() for any byte count
 * @pcb:	Connection
 * @n:		Bytes consumed, > 0
 *
 * tcp_recved() takes a u16_t and sends a window update as soon as one call
 * crosses lwIP's threshold, so several calls would announce a stale
 * window. Widen the window by all but the last chunk first, then let
 * tcp_recved() decide about the update once.
 */
static void open_window(struct tcp_pcb *pcb, size_t n)
{
	tcpwnd_size_t max = TCP_WND_MAX(pcb);
	size_t extra = n > 0xffff ? n - 0xffff : 0;

	if (extra)
		pcb->rcv_wnd = extra >= max - pcb->rcv_wnd
				   ? max
				   : pcb->rcv_wnd + (tcpwnd_size_t)extra;
	tcp_recved(pcb, (u16_t)(n - extra));
}

/**
 * ns_sock_consume() - Drop received bytes and open the window as much
 * @sk:		Socket
 * @n:		Bytes delivered, at most what ns_sock_peek() described
 */
void ns_sock_consume(struct ns_sock *sk, size_t n)
{
	size_t done = 0, step;
	struct pbuf *p;

	while (sk->rx && done < n) {
		p = sk->rx;
		if (n - done >= p->len) {
			done += p->len;
			sk->rx = p->next;
			p->next = NULL;
			p->tot_len = p->len;
			pbuf_free(p);
			sk->rx_pbufs--;
			ns.stats.pbufs--;
			continue;
		}
		step = n - done;
		pbuf_remove_header(p, step);
		done += step;
	}
	if (!sk->pcb || sk->pcb->state == LISTEN || !done)
		return;
	open_window(sk->pcb, done);
}

/**
 * ns_sock_eof() - Has the peer finished sending and all data been read?
 * @sk:		Socket
 *
 * Return: true after the peer's FIN (or a reset) once the queue is empty
 */
bool ns_sock_eof(const struct ns_sock *sk)
{
	return !sk->rx && (sk->eof || sk->state == NS_ST_CLOSED);
}

/**
 * tw_cap() - Keep at most NS_TW_MAX connections in TIME_WAIT
 *
 * lwIP walks its TIME_WAIT list linearly for every incoming segment that
 * matches no active connection (every SYN): a server closing thousands of
 * connections a second would spend its time there. The oldest (at the
 * list's tail) go first, quietly, as Linux does past tcp_max_tw_buckets.
 */
static void tw_cap(void)
{
	struct tcp_pcb *p = tcp_tw_pcbs, *old;
	struct ns_sock *sk;
	unsigned int n;

	for (n = 1; p && n < NS_TW_MAX; n++)
		p = p->next;
	while (p && (old = p->next)) {
		sk = old->callback_arg;
		if (sk && sk->pcb == old)
			detach(sk);
		tcp_abort(old); /* TIME_WAIT: freed quietly, no RST */
	}
}

/**
 * ns_tw_sweep() - Detach sockets whose pcb has entered TIME_WAIT
 *
 * lwIP frees TIME_WAIT pcbs from its timer without telling anyone; call
 * this before sys_check_timeouts().
 */
void ns_tw_sweep(void)
{
	struct ns_list *n, *next;
	struct ns_sock *sk;

	for (n = ns.tw_socks.next; n != &ns.tw_socks; n = next) {
		next = n->next;
		sk = ns_container_of(n, struct ns_sock, tw);
		if (sk->pcb && sk->pcb->state == TIME_WAIT)
			detach(sk);
	}
	tw_cap();
}

/**
 * tw_match() - Does a TIME_WAIT pcb carry this 4-tuple?
 * @pcb:	pcb from tcp_tw_pcbs
 * @src:	Peer address of the incoming SYN
 * @sport:	Peer port
 * @dst:	Our address
 * @dport:	Our port
 *
 * Return: true on a match
 */
static bool tw_match(const struct tcp_pcb *pcb, const ip_addr_t *src,
		     u16_t sport, const ip_addr_t *dst, u16_t dport)
{
	if (pcb->local_port != dport || pcb->remote_port != sport)
		return false;
	if (IP_IS_V4(src))
		return IP_IS_V4(&pcb->remote_ip) &&
		       ip4_addr_cmp(ip_2_ip4(src), ip_2_ip4(&pcb->remote_ip)) &&
		       ip4_addr_cmp(ip_2_ip4(dst), ip_2_ip4(&pcb->local_ip));
	return IP_IS_V6(&pcb->remote_ip) &&
	       ip6_addr_cmp_zoneless(ip_2_ip6(src),
				     ip_2_ip6(&pcb->remote_ip)) &&
	       ip6_addr_cmp_zoneless(ip_2_ip6(dst), ip_2_ip6(&pcb->local_ip));
}

/**
 * ns_tw_recycle() - Drop the TIME_WAIT pcb a new SYN is aimed at
 * @src:	Peer address of the SYN
 * @sport:	Peer port, host order
 * @dst:	Our address
 * @dport:	Our port, host order
 */
void ns_tw_recycle(const ip_addr_t *src, u16_t sport, const ip_addr_t *dst,
		   u16_t dport)
{
	struct tcp_pcb *pcb;
	struct ns_sock *sk;

	for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
		if (!tw_match(pcb, src, sport, dst, dport))
			continue;
		sk = pcb->callback_arg;
		if (sk && sk->pcb == pcb)
			detach(sk);
		tcp_abort(pcb); /* TIME_WAIT: freed quietly, no RST */
		return;
	}
}

/**
 * set_v6only() - NS_OPT_V6ONLY: switch the unbound pcb's address type
 * @sk:		Socket
 * @on:		New value
 *
 * Return: 0, -ENOPROTOOPT on AF_INET, -EINVAL once bound or connected
 */
static int set_v6only(struct ns_sock *sk, bool on)
{
	u8_t type = on ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;

	if (sk->family != AF_INET6)
		return -ENOPROTOOPT;
	if (sk->bound || sk->state != NS_ST_NEW || !sk->pcb)
		return -EINVAL;
	sk->v6only = on;
	IP_SET_TYPE_VAL(sk->pcb->local_ip, type);
	IP_SET_TYPE_VAL(sk->pcb->remote_ip, type);
	ip_addr_copy(sk->local, sk->pcb->local_ip);
	return 0;
}

/**
 * set_listen_opts() - Copy socket options a listen pcb has (so_options)
 * @sk:		Listening socket; its children inherit these from lwIP
 */
static void set_listen_opts(struct ns_sock *sk)
{
	if (sk->reuseaddr)
		ip_set_option(sk->pcb, SOF_REUSEADDR);
	else
		ip_reset_option(sk->pcb, SOF_REUSEADDR);
	if (sk->keepalive)
		ip_set_option(sk->pcb, SOF_KEEPALIVE);
	else
		ip_reset_option(sk->pcb, SOF_KEEPALIVE);
}

/**
 * ns_sock_setopt() - Set a socket option
 * @sk:		Socket
 * @opt:	NS_OPT_*
 * @val:	Value (bool options: non-zero is true; times in seconds)
 *
 * Return: 0, -EINVAL for a value out of Linux's range, -ENOPROTOOPT
 */
int ns_sock_setopt(struct ns_sock *sk, enum ns_opt opt, int val)
{
	switch (opt) {
	case NS_OPT_REUSEADDR:
		sk->reuseaddr = val != 0;
		break;
	case NS_OPT_KEEPALIVE:
		sk->keepalive = val != 0;
		break;
	case NS_OPT_NODELAY:
		sk->nodelay = val != 0;
		break;
	case NS_OPT_KEEPIDLE:
	case NS_OPT_KEEPINTVL:
		if (val < 1 || val > 32767)
			return -EINVAL;
		*(opt == NS_OPT_KEEPIDLE ? &sk->keepidle : &sk->keepintvl) =
		    val;
		break;
	case NS_OPT_KEEPCNT:
		if (val < 1 || val > 127)
			return -EINVAL;
		sk->keepcnt = val;
		break;
	case NS_OPT_V6ONLY:
		return set_v6only(sk, val != 0);
	default:
		return -ENOPROTOOPT;
	}
	if (!sk->pcb)
		return 0;
	if (sk->pcb->state != LISTEN)
		apply_opts(sk);
	else
		set_listen_opts(sk);
	return 0;
}

/**
 * ns_sock_getopt() - Read a socket option
 * @sk:		Socket
 * @opt:	NS_OPT_*
 * @val:	Set to the value (bools as 0/1)
 *
 * Return: 0, -ENOPROTOOPT
 */
int ns_sock_getopt(struct ns_sock *sk, enum ns_opt opt, int *val)
{
	switch (opt) {
	case NS_OPT_REUSEADDR:
		*val = sk->reuseaddr;
		return 0;
	case NS_OPT_KEEPALIVE:
		*val = sk->keepalive;
		return 0;
	case NS_OPT_NODELAY:
		*val = sk->nodelay;
		return 0;
	case NS_OPT_KEEPIDLE:
		*val = sk->keepidle;
		return 0;
	case NS_OPT_KEEPINTVL:
		*val = sk->keepintvl;
		return 0;
	case NS_OPT_KEEPCNT:
		*val = sk->keepcnt;
		return 0;
	case NS_OPT_V6ONLY:
		if (sk->family != AF_INET6)
			return -ENOPROTOOPT;
		*val = sk->v6only;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}
