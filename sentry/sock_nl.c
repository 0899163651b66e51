// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock_nl.c - AF_NETLINK/NETLINK_ROUTE sockets answered by the sentry
 *
 * Theory of operation
 *
 * The guest's rtnetlink socket is an AF_UNIX SOCK_DGRAM pair, like a UDP
 * socket. A request reaches the sentry either through the pair (send(),
 * write()) or through a trapped sendto/sendmsg; nlroute.c answers it from
 * the sandbox's interface view (struct ifview, built from the netstack's
 * configuration), and the reply datagrams are queued on the pair. Trapped
 * receives are served by the datagram code of sock_udp.c, which reports
 * the kernel (nl_pid 0) as the source, as glibc and iproute2 require.
 * Changes (RTM_NEW*, RTM_DEL*) are refused with EPERM by nlroute.c. Other
 * netlink protocols are not emulated (EPROTONOSUPPORT): nothing of the
 * host kernel's netlink is reachable.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "guest.h"
#include "log.h"
#include "nlroute.h"
#include "sock_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NL_REPLY_MAX (NLR_DGRAM_SIZE * NLR_DGRAMS_MAX)

static uint32_t next_portid = 0xffffefffU; /* like Linux's negative ids */

/**
 * nl_socket() - socket(AF_NETLINK, SOCK_RAW/SOCK_DGRAM, NETLINK_ROUTE)
 * @c:		Call
 * @type:	SOCK_RAW or SOCK_DGRAM
 * @proto:	Netlink protocol
 * @flags:	SOCK_NONBLOCK / SOCK_CLOEXEC
 *
 * Return: ICPT_REPLIED or -errno
 */
int64_t nl_socket(struct gcall *c, int type, int proto, int flags)
{
	_cleanup_close_ int ours = -1, theirs = -1;
	struct gsock *g;
	ino_t ino;
	int r;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (proto != NETLINK_ROUTE)
		return -EPROTONOSUPPORT;
	r = gs_new_pair(SOCK_SEQPACKET, &ours, &theirs, &ino);
	if (r < 0)
		return r;
	if ((flags & SOCK_NONBLOCK) && (r = fd_nonblock(theirs, 1)) < 0)
		return r;
	r = gs_alloc(GS_GUEST, &g);
	if (r < 0)
		return r;
	g->fd = TAKE_FD(ours);
	g->family = AF_NETLINK;
	g->type = type;
	gs_hash_insert(g, ino);
	gs_set_interest(g);
	r = icpt_addfd(c, theirs, flags & SOCK_CLOEXEC);
	if (r < 0) {
		gs_free(g);
		return r;
	}
	g->last_tid = c->tid;
	g->last_gfd = r;
	return ICPT_REPLIED;
}

/**
 * portid() - The socket's port id, bound automatically on first use
 * @g:	Socket
 *
 * Return: port id
 */
static uint32_t portid(struct gsock *g)
{
	if (!g->nl_portid)
		g->nl_portid = next_portid--;
	return g->nl_portid;
}

/**
 * answer() - Handle one request and queue the replies for the guest
 * @g:		Socket
 * @req:	Request bytes
 * @len:	Length
 */
static void answer(struct gsock *g, const void *req, size_t len)
{
	static char out[NL_REPLY_MAX];
	struct nlr_out o = {.buf = out, .cap = sizeof(out)};
	struct iovec iov;
	size_t off = 0;
	unsigned int i;
	int r, n;

	n = nlr_handle(&sock_ifv, req, len, portid(g),
		       g->nl_cap_ack ? NLR_CAP_ACK : 0, &o);
	for (i = 0; i < o.n; i++) {
		iov.iov_base = out + off;
		iov.iov_len = o.dgram[i];
		off += o.dgram[i];
		r = dgram_queue(g, &iov, 1, 0);
		if (r < 0) {
			n = -ENOBUFS; /* the guest's queue overflowed */
			break;
		}
	}
	if (n < 0)
		g->err = -ENOBUFS;
	dgram_complete_recvs(g);
}

/**
 * nl_addr() - Check a sockaddr_nl argument
 * @c:		Call
 * @addr:	Guest pointer
 * @len:	Guest length
 * @nl:		Result
 *
 * Return: 0, -EINVAL, -EFAULT
 */
static int nl_addr(const struct gcall *c, uint64_t addr, uint64_t len,
		   struct sockaddr_nl *nl)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int r;

	r = gs_read_addr(c, addr, len, &ss, &sl);
	if (r < 0)
		return r;
	if (sl < sizeof(*nl) || ss.ss_family != AF_NETLINK)
		return -EINVAL;
	memcpy(nl, &ss, sizeof(*nl));
	return 0;
}

/**
 * sys_send() - sendto/sendmsg/sendmmsg: requests to the "kernel"
 * @c:	Call
 * @g:	Socket
 *
 * Return: bytes (or messages) taken, -errno
 */
static int64_t sys_send(struct gcall *c, struct gsock *g)
{
	bool mm = c->nr == SYS_sendmmsg;
	unsigned int n = mm ? MIN((unsigned int)c->args[2], 1024U) : 1, i;
	size_t stride = mm ? sizeof(struct mmsghdr) : sizeof(struct msghdr);
	struct sockaddr_storage ss;
	struct sockaddr_nl nl;
	socklen_t sl;
	ssize_t len;
	int r;

	if (c->nr == SYS_sendto) {
		len = (ssize_t)MIN((size_t)c->args[2], (size_t)DGRAM_SIZE);
		r = nl_addr(c, c->args[4], c->args[5], &nl);
		if (r < 0)
			return r;
		if (nl.nl_pid)
			return -ECONNREFUSED; /* no other netlink peers */
		if (gmem_read(c->tid, c->args[1], dgram_buf(), (size_t)len))
			return -EFAULT;
		answer(g, dgram_buf(), (size_t)len);
		return (int64_t)c->args[2];
	}
	for (i = 0; i < n; i++) {
		len = dgram_gather(c, c->args[1] + i * stride, &ss, &sl);
		if (len < 0)
			return i ? (int64_t)i : len;
		answer(g, dgram_buf(), (size_t)len);
		if (!mm)
			return len;
		gmem_write(c->tid,
			   c->args[1] + i * stride +
			       offsetof(struct mmsghdr, msg_len),
			   &(unsigned int){(unsigned int)len}, sizeof(int));
	}
	return (int64_t)i;
}

/**
 * sys_getname() - getsockname (our port id) / getpeername (the kernel)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno
 */
static int64_t sys_getname(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	struct sockaddr_nl *nl = (struct sockaddr_nl *)&ss;

	memset(&ss, 0, sizeof(ss));
	nl->nl_family = AF_NETLINK;
	if (c->nr == SYS_getsockname) {
		nl->nl_pid = g->nl_portid;
		nl->nl_groups = g->nl_groups;
	}
	return gs_write_name(c, c->args[1], c->args[2], &ss, sizeof(*nl));
}

/**
 * sys_bind() - bind(2): port id (0: automatic) and multicast groups
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno
 */
static int64_t sys_bind(struct gcall *c, struct gsock *g)
{
	struct sockaddr_nl nl;
	int r;

	r = nl_addr(c, c->args[1], c->args[2], &nl);
	if (r < 0)
		return r;
	if (g->nl_portid && nl.nl_pid && nl.nl_pid != g->nl_portid)
		return -EINVAL;
	if (nl.nl_pid)
		g->nl_portid = nl.nl_pid;
	portid(g);
	g->nl_groups = nl.nl_groups; /* no change is ever announced */
	return 0;
}

/**
 * nl_syscall() - A trapped call on a netlink socket
 * @c:	Call
 * @g:	Socket (AF_NETLINK)
 *
 * Return: result, ICPT_HELD, ICPT_CONTINUE, -errno
 */
int64_t nl_syscall(struct gcall *c, struct gsock *g)
{
	struct sockaddr_nl nl;
	unsigned int got;
	int r;

	switch (c->nr) {
	case SYS_bind:
		return sys_bind(c, g);
	case SYS_connect:
		r = nl_addr(c, c->args[1], c->args[2], &nl);
		return r < 0 ? r : 0;
	case SYS_getsockname:
	case SYS_getpeername:
		return sys_getname(c, g);
	case SYS_sendto:
	case SYS_sendmsg:
	case SYS_sendmmsg:
		return sys_send(c, g);
	case SYS_recvfrom:
	case SYS_recvmsg:
	case SYS_recvmmsg:
		return dgram_recv_call(c, g, true, &got);
	case SYS_listen:
	case SYS_accept:
	case SYS_accept4:
	case SYS_shutdown:
		return -EOPNOTSUPP;
	default:
		return ICPT_CONTINUE;
	}
}

/**
 * nl_fd_event() - Requests written to the pair, or the guest's close
 * @g:		Socket
 * @events:	EPOLL* bits
 * #syscalls recvfrom
 */
void nl_fd_event(struct gsock *g, uint32_t events)
{
	ssize_t n;
	int i;

	if (events & (EPOLLHUP | EPOLLERR)) {
		gs_free(g);
		return;
	}
	for (i = 0; i < 64; i++) {
		n = recv(g->fd, dgram_buf(), DGRAM_SIZE, MSG_DONTWAIT);
		if (n < 0)
			break;
		answer(g, dgram_buf(), (size_t)n);
	}
}
