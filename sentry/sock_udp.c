// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock_udp.c - guest datagram (UDP) sockets
 *
 * Theory of operation
 *
 * A guest UDP socket is an AF_UNIX SOCK_DGRAM pair; datagram boundaries and
 * poll/epoll readiness come from the kernel. Datagrams the guest sends
 * without an address (send/write on a connected socket) cross the pair and
 * are sent by the sentry to the connected peer; sendto/sendmsg with an
 * address are trapped and sent directly.
 *
 * Each datagram the sentry queues toward the guest carries a tag in
 * SCM_CREDENTIALS (the uid field; the guest's end has SO_PASSCRED) that
 * indexes a ring of source addresses. A guest may mix read() (which just
 * drops the tag) and recvfrom(); the trapped recvfrom/recvmsg/recvmmsg are
 * served by reading the guest's end through a duplicate, so the address of
 * the very datagram returned is reported. A blocking receive with nothing
 * queued is held until a datagram arrives. An ICMP error on a connected
 * socket queues an empty datagram with the error tag: the guest's poll
 * wakes and its next receive fails with the error, as on Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "guest.h"
#include "log.h"
#include "loop.h"
#include "sock_priv.h"

#define RING_SIZE 1024	    /* >= net.unix.max_dgram_qlen (512) */
#define TAG_ERR 0xfffffffeU /* datagram that stands for an error */
#define DGRAM_MAX DGRAM_SIZE
#define IOV_MAX_GUEST 1024 /* UIO_MAXIOV */

/**
 * struct udp_src - where one queued datagram came from
 * @tag:	Its tag
 * @len:	Address length
 * @sa:		Address
 * @dst:	Local address and interface it was sent to
 */
struct udp_src {
	uint32_t tag;
	socklen_t len;
	struct ns_pktinfo dst;
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} sa;
};

static char dgram[DGRAM_MAX];

/**
 * udp_socket() - A UDP, ping (ICMP datagram) or raw ICMP socket
 * @c:		Call
 * @family:	Address family
 * @type:	SOCK_DGRAM, or SOCK_RAW (ICMP only)
 * @proto:	IPPROTO_UDP, IPPROTO_ICMP or IPPROTO_ICMPV6
 * @flags:	SOCK_NONBLOCK / SOCK_CLOEXEC
 *
 * Return: ICPT_REPLIED or -errno
 * #syscalls socketpair setsockopt ioctl
 */
int64_t udp_socket(struct gcall *c, int family, int type, int proto, int flags)
{
	_cleanup_close_ int ours = -1, theirs = -1;
	bool icmp = proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
	struct ns_icmp *ic = NULL;
	struct ns_udp *u = NULL;
	struct gsock *g;
	int one = 1, r;
	ino_t ino;

	r = gs_new_pair(SOCK_SEQPACKET, &ours, &theirs, &ino);
	if (r < 0)
		return r;
	if (setsockopt(theirs, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)))
		return -errno;
	if ((flags & SOCK_NONBLOCK) && (r = fd_nonblock(theirs, 1)) < 0)
		return r;
	r = icmp ? ns_icmp_new(&ic, family, type == SOCK_RAW)
		 : ns_udp_new(&u, family);
	if (r < 0)
		return r;
	r = gs_alloc(GS_GUEST, &g);
	if (r < 0) {
		ns_udp_close(&u);
		ns_icmp_close(&ic);
		return r;
	}
	g->fd = TAKE_FD(ours);
	g->udp = u;
	g->icmp = ic;
	g->family = family;
	g->type = type;
	g->proto = icmp ? proto : IPPROTO_UDP;
	if (u)
		ns_udp_set_notify(u, gs_ns_wake, (void *)(uintptr_t)gs_idx(g));
	else
		ns_icmp_set_notify(ic, gs_ns_wake,
				   (void *)(uintptr_t)gs_idx(g));
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
 * udp_release() - Free what a datagram socket owns (from gs_free())
 * @g:	Socket
 */
void udp_release(struct gsock *g)
{
	if (g->udp)
		ns_udp_close(&g->udp);
	if (g->icmp)
		ns_icmp_close(&g->icmp);
	free(g->ring);
	g->ring = NULL;
}

/* ---- the netstack object: UDP or ICMP ----------------------------------- */

/**
 * dg_peek() - First queued datagram of the socket's netstack object
 * @g:		Socket
 * @iov:	iovecs to fill
 * @max:	Their number
 * @d:		Datagram description
 *
 * Return: 1 if there is one, 0 if the queue is empty
 */
static int dg_peek(struct gsock *g, struct iovec *iov, int max,
		   struct ns_dgram *d)
{
	return g->icmp ? ns_icmp_peek(g->icmp, iov, max, d)
		       : ns_udp_peek(g->udp, iov, max, d);
}

/**
 * dg_drop() - Free the first queued datagram
 * @g:	Socket
 */
static void dg_drop(struct gsock *g)
{
	if (g->icmp)
		ns_icmp_drop(g->icmp);
	else
		ns_udp_drop(g->udp);
}

/**
 * dg_name() - Local or peer address
 * @g:		Socket
 * @peer:	Peer address
 * @ss:		Address
 * @sl:		Length
 *
 * Return: 0 or -errno
 */
static int dg_name(const struct gsock *g, bool peer,
		   struct sockaddr_storage *ss, socklen_t *sl)
{
	return g->icmp ? ns_icmp_name(g->icmp, peer, ss, sl)
		       : ns_udp_name(g->udp, peer, ss, sl);
}

/**
 * dg_addr_op() - bind or connect the socket's netstack object
 * @g:		Socket
 * @connect:	connect (else bind)
 * @sa:		Address
 * @sl:		Length
 *
 * Return: 0 or -errno
 */
static int dg_addr_op(struct gsock *g, bool connect, const struct sockaddr *sa,
		      socklen_t sl)
{
	if (g->icmp)
		return connect ? ns_icmp_connect(g->icmp, sa, sl)
			       : ns_icmp_bind(g->icmp, sa, sl);
	return connect ? ns_udp_connect(g->udp, sa, sl)
		       : ns_udp_bind(g->udp, sa, sl);
}

/* ---- toward the guest -------------------------------------------------- */

/**
 * dgram_queue() - Write one datagram with its tag into our end
 * @g:		Socket
 * @iov:	Payload
 * @cnt:	Pieces
 * @tag:	Tag for SCM_CREDENTIALS
 *
 * Return: 0, -EAGAIN if the guest's queue is full, -errno
 * #syscalls sendmsg getpid
 */
int dgram_queue(struct gsock *g, struct iovec *iov, int cnt, uint32_t tag)
{
	union {
		char b[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct msghdr m = {.msg_iov = iov,
			   .msg_iovlen = (size_t)cnt,
			   .msg_control = u.b,
			   .msg_controllen = sizeof(u.b)};
	struct ucred cr = {.pid = getpid(), .uid = tag, .gid = 0};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(cm), &cr, sizeof(cr));
	if (sendmsg(g->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/**
 * pump_in() - Move datagrams lwIP received into our end
 * @g:	Socket
 */
static void pump_in(struct gsock *g)
{
	struct iovec iov[32];
	struct udp_src *e;
	struct ns_dgram d;
	int r;

	if (!g->ring && !(g->ring = calloc(RING_SIZE, sizeof(*g->ring))))
		return;
	g->out_blocked = false;
	while (dg_peek(g, iov, ARRAY_SIZE(iov), &d) > 0) {
		if (g->seq >= TAG_ERR)
			g->seq = 0;
		e = &g->ring[g->seq % RING_SIZE];
		r = dgram_queue(g, iov, d.iovcnt, g->seq);
		if (r == -EAGAIN) {
			g->out_blocked = true;
			return;
		}
		if (!r) {
			e->tag = g->seq++;
			e->len = MIN(d.srclen, (socklen_t)sizeof(e->sa));
			memcpy(&e->sa, &d.src, e->len);
			e->dst = d.dst;
		}
		dg_drop(g);
	}
}

/**
 * find_src() - Source address of the datagram with @tag
 * @g:		Socket
 * @tag:	Tag
 * @ss:		Address
 * @sl:		Length (0 if unknown)
 * @dst:	Destination address and interface, if known
 */
static void find_src(const struct gsock *g, uint32_t tag,
		     struct sockaddr_storage *ss, socklen_t *sl,
		     struct ns_pktinfo *dst)
{
	const struct udp_src *e = g->ring ? &g->ring[tag % RING_SIZE] : NULL;
	struct sockaddr_nl *nl = (struct sockaddr_nl *)ss;

	*sl = 0;
	if (g->family == AF_NETLINK) { /* always from the "kernel" */
		memset(nl, 0, sizeof(*nl));
		nl->nl_family = AF_NETLINK;
		*sl = sizeof(*nl);
		return;
	}
	if (!e || e->tag != tag)
		return;
	memcpy(ss, &e->sa, e->len);
	*sl = e->len;
	*dst = e->dst;
}

/* ---- receive calls ------------------------------------------------------ */

/**
 * struct urecv - one datagram receive as the guest asked for it
 * @iov:	Guest buffers (guest addresses)
 * @iovcnt:	Number of buffers
 * @flags:	MSG_* flags of the call
 * @src:	Out: source address
 * @srclen:	Out: its length (0: none)
 * @mflags:	Out: MSG_TRUNC if the datagram did not fit
 * @has_dst:	Out: @dst is known
 * @dst:	Out: where the datagram was sent to (IP_PKTINFO)
 */
struct urecv {
	struct iovec iov[IOV_MAX_GUEST];
	int iovcnt;
	int flags;
	struct sockaddr_storage src;
	socklen_t srclen;
	int mflags;
	bool has_dst;
	struct ns_pktinfo dst;
};

/**
 * copy_out() - Scatter @len bytes of dgram[] into the guest's buffers
 * @c:		Call
 * @r:		Receive description
 * @len:	Bytes available
 *
 * Return: bytes copied, or -EFAULT
 */
static ssize_t copy_out(const struct gcall *c, const struct urecv *r,
			size_t len)
{
	size_t done = 0, n;
	int i;

	for (i = 0; i < r->iovcnt && done < len; i++) {
		n = MIN(r->iov[i].iov_len, len - done);
		if (gmem_write(c->tid, (uint64_t)(uintptr_t)r->iov[i].iov_base,
			       dgram + done, n))
			return -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

/**
 * read_tag() - The tag of a datagram read from the guest's end
 * @m:	Message received with MSG_CMSG_CLOEXEC and room for credentials
 *
 * Return: tag, or TAG_ERR + 1 (unknown) if none came with it
 */
static uint32_t read_tag(struct msghdr *m)
{
	struct cmsghdr *cm;
	struct ucred cr;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(cr))) {
			memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
			return cr.uid;
		}
	}
	return TAG_ERR + 1;
}

/**
 * recv_one() - Take one datagram from the guest's end for the guest
 * @c:		Call
 * @g:		Socket
 * @fd:		Guest fd
 * @r:		What the guest asked for; results
 * @nonblock:	Out: the guest's file is non-blocking (on -EAGAIN)
 *
 * Return: bytes for the guest (the datagram's length with MSG_TRUNC),
 * -EAGAIN if none is queued, -errno (a pending ICMP error)
 * #syscalls recvmsg fcntl
 */
static ssize_t recv_one(const struct gcall *c, struct gsock *g, int fd,
			struct urecv *r, bool *nonblock)
{
	union {
		char b[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec lio = {.iov_base = dgram, .iov_len = sizeof(dgram)};
	struct msghdr m = {.msg_iov = &lio,
			   .msg_iovlen = 1,
			   .msg_control = u.b,
			   .msg_controllen = sizeof(u.b)};
	_cleanup_close_ int d = gs_guest_dup(c, fd, g);
	size_t want = 0;
	ssize_t n, got;
	uint32_t tag;
	int i, e;

	if (d < 0)
		return d;
	n = recvmsg(d, &m, (r->flags & MSG_PEEK) | MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		e = -errno;
		*nonblock = (fcntl(d, F_GETFL) & O_NONBLOCK) ||
			    (r->flags & MSG_DONTWAIT);
		if (e == -EAGAIN && g->err) {
			e = g->err;
			g->err = 0;
		}
		return e;
	}
	tag = read_tag(&m);
	if (tag == TAG_ERR) {
		e = g->err ? g->err : -ECONNREFUSED;
		g->err = 0;
		return e;
	}
	find_src(g, tag, &r->src, &r->srclen, &r->dst);
	r->has_dst = r->srclen && g->family != AF_NETLINK;
	for (i = 0; i < r->iovcnt; i++)
		want += r->iov[i].iov_len;
	got = copy_out(c, r, MIN((size_t)n, MIN(want, sizeof(dgram))));
	if (got < 0)
		return got;
	r->mflags = (size_t)n > want ? MSG_TRUNC : 0;
	return (r->flags & MSG_TRUNC) ? n : got;
}

/**
 * sys_recvfrom() - recvfrom(2) with an address
 * @c:		Call: fd, buf, len, flags, addr, addrlen
 * @g:		Socket
 * @nonblock:	Out: see recv_one()
 *
 * Return: bytes, -EAGAIN, -errno
 */
static ssize_t sys_recvfrom(struct gcall *c, struct gsock *g, bool *nonblock)
{
	static struct urecv r;
	ssize_t n;
	int e;

	r.iov[0].iov_base = (void *)(uintptr_t)c->args[1];
	r.iov[0].iov_len = (size_t)c->args[2];
	r.iovcnt = 1;
	r.flags = (int)c->args[3];
	n = recv_one(c, g, (int)c->args[0], &r, nonblock);
	if (n >= 0 && c->args[4] && r.srclen) {
		e = gs_write_name(c, c->args[4], c->args[5], &r.src, r.srclen);
		if (e < 0)
			return e;
	}
	return n;
}

/**
 * read_msghdr() - A guest msghdr and its iovec array
 * @c:		Call
 * @addr:	Guest address of the msghdr
 * @m:		Copy of it
 * @r:		iovecs filled in
 *
 * Return: 0, -EFAULT, -EMSGSIZE for too many iovecs
 */
static int read_msghdr(const struct gcall *c, uint64_t addr, struct msghdr *m,
		       struct urecv *r)
{
	if (gmem_read(c->tid, addr, m, sizeof(*m)))
		return -EFAULT;
	if (m->msg_iovlen > IOV_MAX_GUEST)
		return -EMSGSIZE;
	r->iovcnt = (int)m->msg_iovlen;
	if (gmem_read(c->tid, (uint64_t)(uintptr_t)m->msg_iov, r->iov,
		      m->msg_iovlen * sizeof(struct iovec)))
		return -EFAULT;
	return 0;
}

/**
 * add_cmsg() - Append one control message to a buffer
 * @buf:	Buffer
 * @cap:	Its size
 * @off:	In/out: bytes used
 * @level:	cmsg_level
 * @type:	cmsg_type
 * @data:	Payload
 * @len:	Payload length
 */
static void add_cmsg(char *buf, size_t cap, size_t *off, int level, int type,
		     const void *data, size_t len)
{
	struct cmsghdr h = {
	    .cmsg_len = CMSG_LEN(len), .cmsg_level = level, .cmsg_type = type};

	if (*off + CMSG_SPACE(len) > cap)
		return;
	memset(buf + *off, 0, CMSG_SPACE(len));
	memcpy(buf + *off, &h, sizeof(h));
	memcpy(buf + *off + CMSG_LEN(0), data, len);
	*off += CMSG_SPACE(len);
}

/**
 * build_cmsgs() - IP_PKTINFO / IPV6_PKTINFO for a received datagram
 * @g:		Socket (its stored options say what the guest asked for)
 * @r:		Receive results
 * @buf:	Control buffer
 * @cap:	Its size
 *
 * Return: bytes of control messages
 */
static size_t build_cmsgs(const struct gsock *g, const struct urecv *r,
			  char *buf, size_t cap)
{
	struct in_pktinfo p4 = {0};
	struct in6_pktinfo p6 = {0};
	size_t off = 0;

	if (!r->has_dst)
		return 0;
	if (r->dst.v4 && sockopt_stored(g, IPPROTO_IP, IP_PKTINFO)) {
		p4.ipi_ifindex = (int)r->dst.ifindex;
		p4.ipi_spec_dst = r->dst.addr4;
		p4.ipi_addr = r->dst.addr4;
		add_cmsg(buf, cap, &off, IPPROTO_IP, IP_PKTINFO, &p4,
			 sizeof(p4));
	}
	if (g->family == AF_INET6 &&
	    sockopt_stored(g, IPPROTO_IPV6, IPV6_RECVPKTINFO)) {
		p6.ipi6_addr = r->dst.addr6;
		p6.ipi6_ifindex = r->dst.ifindex;
		add_cmsg(buf, cap, &off, IPPROTO_IPV6, IPV6_PKTINFO, &p6,
			 sizeof(p6));
	}
	return off;
}

/**
 * write_msghdr() - Store name, control messages, their lengths, flags
 * @c:		Call
 * @g:		Socket
 * @addr:	Guest address of the msghdr
 * @m:		The guest's msghdr as read
 * @r:		Receive results
 *
 * Return: 0 or -EFAULT
 */
static int write_msghdr(const struct gcall *c, const struct gsock *g,
			uint64_t addr, const struct msghdr *m, struct urecv *r)
{
	char cbuf[128];
	socklen_t nl = r->srclen;
	size_t clen = build_cmsgs(g, r, cbuf, sizeof(cbuf));

	if (clen > m->msg_controllen || !m->msg_control) {
		r->mflags |= clen ? MSG_CTRUNC : 0;
		clen = 0;
	}
	if (clen &&
	    gmem_write(c->tid, (uint64_t)(uintptr_t)m->msg_control, cbuf, clen))
		return -EFAULT;

	if (m->msg_name && m->msg_namelen > 0 &&
	    gmem_write(c->tid, (uint64_t)(uintptr_t)m->msg_name, &r->src,
		       MIN((size_t)m->msg_namelen, (size_t)nl)))
		return -EFAULT;
	if (!m->msg_name)
		nl = 0;
	if (gmem_write(c->tid, addr + offsetof(struct msghdr, msg_namelen), &nl,
		       sizeof(nl)) ||
	    gmem_write(c->tid, addr + offsetof(struct msghdr, msg_controllen),
		       &clen, sizeof(clen)) ||
	    gmem_write(c->tid, addr + offsetof(struct msghdr, msg_flags),
		       &r->mflags, sizeof(r->mflags)))
		return -EFAULT;
	return 0;
}

/**
 * sys_recvmsg() - recvmsg(2), or one message of recvmmsg(2)
 * @c:		Call
 * @g:		Socket
 * @addr:	Guest address of the msghdr
 * @flags:	MSG_* flags
 * @nonblock:	Out: see recv_one()
 *
 * Return: bytes, -EAGAIN, -errno
 */
static ssize_t sys_recvmsg(struct gcall *c, struct gsock *g, uint64_t addr,
			   int flags, bool *nonblock)
{
	static struct urecv r;
	struct msghdr m;
	ssize_t n;
	int e;

	e = read_msghdr(c, addr, &m, &r);
	if (e < 0)
		return e;
	r.flags = flags;
	n = recv_one(c, g, (int)c->args[0], &r, nonblock);
	if (n >= 0 && (e = write_msghdr(c, g, addr, &m, &r)) < 0)
		return e;
	return n;
}

/**
 * sys_recvmmsg() - recvmmsg(2)
 * @c:		Call: fd, msgvec, vlen, flags, timeout (not honoured)
 * @g:		Socket
 * @nonblock:	Out: see recv_one()
 * @got:	Out: messages received so far when a blocking call must wait
 *		for more (Linux fills all @vlen unless MSG_WAITFORONE)
 *
 * Return: messages received, -EAGAIN (with @got set: partial), -errno
 */
static ssize_t sys_recvmmsg(struct gcall *c, struct gsock *g, bool *nonblock,
			    unsigned int *got)
{
	unsigned int vlen = MIN((unsigned int)c->args[2], 1024U), i;
	int flags = (int)c->args[3];
	uint64_t base = c->args[1];
	unsigned int len;
	bool nb = true;
	ssize_t n;

	for (i = 0; i < vlen; i++) {
		n = sys_recvmsg(c, g, base + i * sizeof(struct mmsghdr), flags,
				i ? &nb : nonblock);
		if (n == -EAGAIN && i && !nb && !(flags & MSG_WAITFORONE)) {
			/* blocking: Linux waits for all vlen messages */
			*got = i;
			*nonblock = false;
			return -EAGAIN;
		}
		if (n < 0)
			return i ? (ssize_t)i : n;
		len = (unsigned int)n;
		if (gmem_write(c->tid,
			       base + i * sizeof(struct mmsghdr) +
				   offsetof(struct mmsghdr, msg_len),
			       &len, sizeof(len)))
			return i ? (ssize_t)i : -EFAULT;
	}
	return (ssize_t)i;
}

static void advance_mmsg(struct gcall *c, unsigned int n);

/**
 * dgram_recv_call() - Any trapped receive on a datagram socket
 * @c:		Call
 * @g:		Socket
 * @may_hold:	Hold a blocking call that finds nothing
 * @got:	Out: recvmmsg messages taken before it had to wait (-EAGAIN)
 *
 * Return: result, ICPT_HELD, or -EAGAIN (only when !@may_hold and
 * nothing is queued)
 */
int64_t dgram_recv_call(struct gcall *c, struct gsock *g, bool may_hold,
			unsigned int *got)
{
	_cleanup_close_ int d = -1;
	bool nonblock = true;
	struct held *h;
	int64_t r;
	ssize_t n;

	*got = 0;
	if (c->nr == SYS_recvfrom)
		n = sys_recvfrom(c, g, &nonblock);
	else if (c->nr == SYS_recvmsg)
		n = sys_recvmsg(c, g, c->args[1], (int)c->args[2], &nonblock);
	else
		n = sys_recvmmsg(c, g, &nonblock, got);
	if (n != -EAGAIN || nonblock)
		return n;
	if (!may_hold)
		return -EAGAIN;
	d = gs_guest_dup(c, (int)c->args[0], g);
	r = gs_hold(c, g, HELD_RECV, d);
	if (r == ICPT_HELD && *got) {
		h = gs_held_last();
		advance_mmsg(&h->c, *got);
		h->done = *got;
	}
	return r;
}

/**
 * advance_mmsg() - Skip the messages a held recvmmsg already received
 * @c:		The held call (a copy: its arguments may change)
 * @n:		Messages received
 */
static void advance_mmsg(struct gcall *c, unsigned int n)
{
	c->args[1] += n * sizeof(struct mmsghdr);
	c->args[2] -= n;
}

/**
 * dgram_complete_recvs() - Serve held receives while datagrams are queued
 * @g:	Socket
 */
void dgram_complete_recvs(struct gsock *g)
{
	struct held *h;
	int64_t r;

	unsigned int got;

	while ((h = gs_held_first(g)) && h->kind == HELD_RECV) {
		if (!icpt_valid(&h->c)) {
			gs_held_release(h);
			continue;
		}
		r = dgram_recv_call(&h->c, g, false, &got);
		if (r == -EAGAIN) {
			advance_mmsg(&h->c, got);
			h->done += got;
			return;
		}
		if (h->done)
			r = r < 0 ? (int64_t)h->done : r + h->done;
		icpt_reply(&h->c, r);
		gs_held_release(h);
	}
}

/* ---- send calls --------------------------------------------------------- */

/**
 * send_buf() - Send dgram[0..len) to @dst (NULL: the connected peer)
 * @g:		Socket
 * @len:	Bytes
 * @dst:	Destination, or NULL
 * @dstlen:	Its length
 *
 * Return: bytes sent or -errno
 */
static ssize_t send_buf(struct gsock *g, size_t len,
			const struct sockaddr_storage *dst, socklen_t dstlen)
{
	struct iovec iov = {.iov_base = dgram, .iov_len = len};

	if (g->icmp)
		return ns_icmp_sendto(g->icmp, &iov, 1,
				      (const struct sockaddr *)dst,
				      dst ? dstlen : 0);
	return ns_udp_sendto(g->udp, &iov, 1, (const struct sockaddr *)dst,
			     dst ? dstlen : 0);
}

/**
 * sys_sendto() - sendto(2) with an address
 * @c:	Call: fd, buf, len, flags, addr, addrlen
 * @g:	Socket
 *
 * Return: bytes sent or -errno
 */
static ssize_t sys_sendto(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	size_t len = (size_t)c->args[2];
	socklen_t sl;
	int r;

	if (len > sizeof(dgram))
		return -EMSGSIZE;
	r = gs_read_addr(c, c->args[4], c->args[5], &ss, &sl);
	if (r < 0)
		return r;
	if (gmem_read(c->tid, c->args[1], dgram, len))
		return -EFAULT;
	return send_buf(g, len, &ss, sl);
}

/**
 * dgram_gather() - Copy a guest msghdr's payload to dgram[] and its name
 * @c:		Call
 * @addr:	Guest address of the msghdr
 * @ss:		Destination address, if the message names one
 * @sl:		Its length (0: none)
 *
 * Return: payload length, -EMSGSIZE, -EFAULT, -EINVAL
 */
ssize_t dgram_gather(struct gcall *c, uint64_t addr,
		     struct sockaddr_storage *ss, socklen_t *sl)
{
	static struct urecv r;
	size_t len = 0;
	struct msghdr m;
	int i, e;

	*sl = 0;
	e = read_msghdr(c, addr, &m, &r);
	if (e < 0)
		return e;
	for (i = 0; i < r.iovcnt; i++) {
		if (r.iov[i].iov_len > sizeof(dgram) - len)
			return -EMSGSIZE;
		if (gmem_read(c->tid, (uint64_t)(uintptr_t)r.iov[i].iov_base,
			      dgram + len, r.iov[i].iov_len))
			return -EFAULT;
		len += r.iov[i].iov_len;
	}
	if (m.msg_name && m.msg_namelen) {
		e = gs_read_addr(c, (uint64_t)(uintptr_t)m.msg_name,
				 m.msg_namelen, ss, sl);
		if (e < 0)
			return e;
	}
	return (ssize_t)len;
}

/**
 * dgram_buf() - The scratch buffer dgram_gather() fills
 *
 * Return: buffer of DGRAM_MAX bytes
 */
char *dgram_buf(void)
{
	return dgram;
}

/**
 * send_msghdr() - Send one guest msghdr (gathered) to its address
 * @c:		Call
 * @g:		Socket
 * @addr:	Guest address of the msghdr
 *
 * Return: bytes sent or -errno
 */
static ssize_t send_msghdr(struct gcall *c, struct gsock *g, uint64_t addr)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	ssize_t len;

	len = dgram_gather(c, addr, &ss, &sl);
	if (len < 0)
		return len;
	return send_buf(g, (size_t)len, sl ? &ss : NULL, sl);
}

/**
 * any_name() - Does any of the guest's messages name a destination?
 * @c:		Call
 * @addr:	Guest address of the first msghdr
 * @n:		Messages
 * @stride:	sizeof(struct msghdr) or sizeof(struct mmsghdr)
 *
 * Return: 1 yes, 0 no, -EFAULT
 */
static int any_name(const struct gcall *c, uint64_t addr, unsigned int n,
		    size_t stride)
{
	struct msghdr m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (gmem_read(c->tid, addr + i * stride, &m, sizeof(m)))
			return -EFAULT;
		if (m.msg_name && m.msg_namelen)
			return 1;
	}
	return 0;
}

/**
 * sys_sendmsg() - sendmsg(2) and sendmmsg(2)
 * @c:	Call
 * @g:	Socket
 *
 * Without any address, the datagrams cross the pair natively.
 *
 * Return: bytes / messages sent, ICPT_CONTINUE, -errno
 */
static int64_t sys_sendmsg(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool mm = c->nr == SYS_sendmmsg;
	unsigned int n = mm ? MIN((unsigned int)c->args[2], 1024U) : 1, i;
	size_t stride = mm ? sizeof(struct mmsghdr) : sizeof(struct msghdr);
	unsigned int len;
	ssize_t s;
	int r;

	r = any_name(c, c->args[1], n, stride);
	if (r < 0)
		return r;
	if (!r) {
		/* natively through the pair, to the connected peer */
		sl = sizeof(ss);
		return dg_name(g, true, &ss, &sl) < 0 ? -EDESTADDRREQ
						      : ICPT_CONTINUE;
	}
	for (i = 0; i < n; i++) {
		s = send_msghdr(c, g, c->args[1] + i * stride);
		if (s < 0)
			return i ? (int64_t)i : s;
		if (!mm)
			return s;
		len = (unsigned int)s;
		gmem_write(c->tid,
			   c->args[1] + i * stride +
			       offsetof(struct mmsghdr, msg_len),
			   &len, sizeof(len));
	}
	return (int64_t)i;
}

/* ---- the rest of the socket calls --------------------------------------- */

/**
 * sys_connect() - connect(2): set or (AF_UNSPEC) clear the peer
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno
 */
static int64_t sys_connect(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int r;

	r = gs_read_addr(c, c->args[1], c->args[2], &ss, &sl);
	if (r < 0)
		return r;
	return dg_addr_op(g, true, (struct sockaddr *)&ss, sl);
}

/**
 * sys_bind() - bind(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno
 */
static int64_t sys_bind(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int r;

	r = gs_read_addr(c, c->args[1], c->args[2], &ss, &sl);
	if (r < 0)
		return r;
	return dg_addr_op(g, false, (struct sockaddr *)&ss, sl);
}

/**
 * sys_getname() - getsockname(2) / getpeername(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno
 */
static int64_t sys_getname(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int r;

	r = dg_name(g, c->nr == SYS_getpeername, &ss, &sl);
	if (r < 0)
		return r;
	return gs_write_name(c, c->args[1], c->args[2], &ss, sl);
}

/**
 * sys_shutdown() - shutdown(2): natively on the pair, if connected
 * @c:	Call
 * @g:	Socket
 *
 * Return: ICPT_CONTINUE or -ENOTCONN
 */
static int64_t sys_shutdown(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	UNUSED(c);
	if (dg_name(g, true, &ss, &sl) < 0)
		return -ENOTCONN;
	return ICPT_CONTINUE;
}

/**
 * udp_syscall() - A trapped call on a datagram socket
 * @c:	Call
 * @g:	Socket (SOCK_DGRAM)
 *
 * Return: result, ICPT_HELD, ICPT_CONTINUE, -errno
 */
int64_t udp_syscall(struct gcall *c, struct gsock *g)
{
	unsigned int got;

	switch (c->nr) {
	case SYS_bind:
		return sys_bind(c, g);
	case SYS_connect:
		return sys_connect(c, g);
	case SYS_getsockname:
	case SYS_getpeername:
		return sys_getname(c, g);
	case SYS_shutdown:
		return sys_shutdown(c, g);
	case SYS_sendto:
		return sys_sendto(c, g);
	case SYS_sendmsg:
	case SYS_sendmmsg:
		return sys_sendmsg(c, g);
	case SYS_recvfrom:
	case SYS_recvmsg:
	case SYS_recvmmsg:
		return dgram_recv_call(c, g, true, &got);
	case SYS_listen:
	case SYS_accept:
	case SYS_accept4:
		return -EOPNOTSUPP;
	default:
		return ICPT_CONTINUE;
	}
}

/* ---- events ----------------------------------------------------------------- */

/**
 * pump_out() - Send what the guest wrote to its connected peer
 * @g:	Socket
 * #syscalls recvfrom
 */
static void pump_out(struct gsock *g)
{
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {
		n = recv(g->fd, dgram, sizeof(dgram), MSG_DONTWAIT);
		if (n < 0)
			return;
		n = send_buf(g, (size_t)n, NULL, 0);
		if (n < 0)
			debug_errno((int)n, "udp: socket %u drops a datagram",
				    gs_idx(g));
	}
}

/**
 * udp_run() - Netstack events on a datagram socket
 * @g:	Socket
 * @ev:	NS_EV_* bits
 */
void udp_run(struct gsock *g, unsigned int ev)
{
	struct iovec none = {.iov_base = dgram, .iov_len = 0};
	int e;

	if (ev & NS_EV_ERROR) {
		e = g->udp ? ns_udp_take_error(g->udp) : 0;
		if (e) {
			g->err = e;
			dgram_queue(g, &none, 1, TAG_ERR);
		}
	}
	pump_in(g);
	dgram_complete_recvs(g);
	gs_set_interest(g);
}

/**
 * udp_fd_event() - Our end is readable (guest sent), writable, or hung up
 * @g:		Socket
 * @events:	EPOLL* bits
 */
void udp_fd_event(struct gsock *g, uint32_t events)
{
	if (events & (EPOLLHUP | EPOLLERR)) {
		gs_free(g);
		return;
	}
	if (events & EPOLLIN)
		pump_out(g);
	if (events & EPOLLOUT) {
		pump_in(g);
		dgram_complete_recvs(g);
	}
	gs_set_interest(g);
}
