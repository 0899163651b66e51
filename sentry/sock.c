// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock.c - guest socket emulation and the data pump
 *
 * See sock.h for the theory of operation.
 */
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "guest.h"
#include "ifioctl.h"
#include "log.h"
#include "proc.h"
#include "loop.h"
#include "sock_priv.h"

#define HASH_SIZE 16384		 /* buckets, power of two */
#define HELD_MAX 4096		 /* calls waiting for netstack at once */
#define SCRATCH_SIZE (256 << 10) /* bytes moved per read from the guest */
#define ZOMBIE_MAX 1024		 /* dead sockets kept for SO_ERROR */
#define OUR_SNDBUF (4 << 20)	 /* bytes we may queue toward the guest */
#define LISTEN_MAX 4096		 /* backlog cap, like net.core.somaxconn */

static struct gsock *socks;
static uint32_t *free_stack;
static uint32_t free_top;
static uint32_t hash[HASH_SIZE];
static uint32_t dirty_head, dirty_tail;
static uint32_t zq_head, zq_tail, zcount;
static unsigned int live;
static enum net_mode net_mode;
static struct held held[HELD_MAX];
static unsigned int nheld;
static uint64_t held_seq;
static unsigned int ndeadlines; /* held calls with a deadline */
static struct held *last_held;	/* slot gs_hold() filled last */
static char scratch[SCRATCH_SIZE];

struct ifview sock_ifv; /* the sandbox's interfaces, for netlink/ioctl */

void gs_free(struct gsock *g);
static void gs_run(struct gsock *g);
static void fill_filler(struct gsock *g, int gfd);
static unsigned int nlisten; /* gsocks with @listening set */

/**
 * gs_idx() - Index of a gsock
 * @g:	Socket
 *
 * Return: index in the table
 */
uint32_t gs_idx(const struct gsock *g)
{
	return (uint32_t)(g - socks);
}

/**
 * sock_init() - Allocate the socket table
 * @mode:	Network mode (NET_HOST never reaches this module)
 *
 * Return: 0 on success, -ENOMEM
 */
int sock_init(enum net_mode mode)
{
	uint32_t i;

	net_mode = mode;
	socks = calloc(SOCK_MAX, sizeof(*socks));
	free_stack = calloc(SOCK_MAX, sizeof(*free_stack));
	if (!socks || !free_stack)
		return -ENOMEM;
	for (i = 0; i < SOCK_MAX; i++)
		free_stack[i] = SOCK_MAX - 1 - i;
	free_top = SOCK_MAX;
	return 0;
}

/**
 * sock_count() - Live sockets and relayed connections
 *
 * Return: count
 */
unsigned int sock_count(void)
{
	return live;
}

/**
 * gs_alloc() - Take a free slot
 * @kind:	Kind of the new socket
 * @out:	Slot, on success
 *
 * Return: 0 on success, -ENFILE if the table is full
 */
int gs_alloc(enum gs_kind kind, struct gsock **out)
{
	struct gsock *g;
	bool dirty;
	uint32_t dnext;

	if (!free_top)
		return -ENFILE;
	g = &socks[free_stack[--free_top]];
	dirty = g->dirty;
	dnext = g->dnext;
	memset(g, 0, sizeof(*g));
	g->dirty = dirty;
	g->dnext = dnext;
	g->kind = kind;
	g->fd = -1;
	g->keep_gfd = -1;
	live++;
	*out = g;
	return 0;
}

/* ---- inode hash ---------------------------------------------------- */

/**
 * hash_remove() - Unlink a socket from the inode hash
 * @g:	Socket
 */
static void hash_remove(struct gsock *g)
{
	uint32_t *p = &hash[g->ino & (HASH_SIZE - 1)];

	if (!g->ino)
		return;
	while (*p) {
		if (*p - 1 == gs_idx(g)) {
			*p = g->hnext;
			break;
		}
		p = &socks[*p - 1].hnext;
	}
	g->hnext = 0;
	g->ino = 0;
}

/**
 * hash_find() - Find the socket whose guest end has inode @ino
 * @ino:	Inode
 *
 * Return: socket, or NULL
 */
static struct gsock *hash_find(ino_t ino)
{
	uint32_t i = hash[ino & (HASH_SIZE - 1)];

	for (; i; i = socks[i - 1].hnext)
		if (socks[i - 1].ino == ino)
			return &socks[i - 1];
	return NULL;
}

/**
 * gs_hash_insert() - Register the guest end's inode of @g
 * @g:		Socket
 * @ino:	Inode of the guest's end
 *
 * A zombie that still holds the same inode number is stale (the kernel
 * reused the number), so it is freed first.
 */
void gs_hash_insert(struct gsock *g, ino_t ino)
{
	struct gsock *old = hash_find(ino);
	uint32_t *b = &hash[ino & (HASH_SIZE - 1)];

	if (old)
		gs_free(old);
	g->ino = ino;
	g->hnext = *b;
	*b = gs_idx(g) + 1;
}

/* ---- readiness ------------------------------------------------------ */

/**
 * gs_mark_dirty() - Queue a socket for the deferred pass
 * @g:	Socket
 */
void gs_mark_dirty(struct gsock *g)
{
	if (g->dirty)
		return;
	g->dirty = true;
	g->dnext = 0;
	if (dirty_tail)
		socks[dirty_tail - 1].dnext = gs_idx(g) + 1;
	else
		dirty_head = gs_idx(g) + 1;
	dirty_tail = gs_idx(g) + 1;
}

/**
 * gs_ns_wake() - Netstack notify callback: record events, defer the work
 * @owner:	gsock index, as a pointer
 * @events:	NS_EV_* bits
 */
void gs_ns_wake(void *owner, unsigned int events)
{
	struct gsock *g = &socks[(uintptr_t)owner];

	g->ev |= events;
	gs_mark_dirty(g);
}

/**
 * gs_set_interest() - Register the epoll events @g needs now
 * @g:	Socket
 *
 * Connected: EPOLLIN while lwIP can take data, EPOLLOUT while a write to
 * the guest would block. Otherwise only hang-up (the guest's last close).
 * A guest that closed its end is never re-registered: EPOLLHUP would fire
 * forever; its remaining bytes are read when lwIP has room.
 */
void gs_set_interest(struct gsock *g)
{
	uint32_t ev = EPOLLRDHUP;
	int r;

	if (g->fd < 0)
		return;
	if (g->udp || g->icmp || g->family == AF_NETLINK)
		ev = EPOLLIN | (g->out_blocked ? EPOLLOUT : 0);
	if (g->ns && ns_sock_state(g->ns) == NS_ST_CONNECTED) {
		ev = 0;
		if (!g->fd_eof && !g->txlen && ns_sock_sndbuf(g->ns))
			ev |= EPOLLIN | EPOLLRDHUP;
		if (g->out_blocked)
			ev |= EPOLLOUT;
	}
	if (g->fd_hup) {
		if (g->in_loop)
			loop_del(g->fd);
		g->in_loop = false;
		return;
	}
	if (g->in_loop && ev == g->ep)
		return;
	if (g->in_loop)
		r = loop_mod(g->fd, ev, LOOP_SOCK, gs_idx(g));
	else
		r = loop_add(g->fd, ev, LOOP_SOCK, gs_idx(g));
	if (r < 0) {
		err_errno(r, "sock: epoll for socket %u", gs_idx(g));
		return;
	}
	g->in_loop = true;
	g->ep = ev;
}

/* ---- the pump ------------------------------------------------------- */

/**
 * flush_tx() - Offer bytes kept from an earlier read to lwIP again
 * @g:	Socket
 *
 * Return: true if nothing is left over
 */
static bool flush_tx(struct gsock *g)
{
	struct iovec iov;
	ssize_t n;

	if (!g->txlen)
		return true;
	iov.iov_base = g->txbuf + g->txoff;
	iov.iov_len = g->txlen;
	n = ns_sock_send(g->ns, &iov, 1);
	if (n == -EAGAIN)
		return false;
	if (n < 0)
		n = (ssize_t)g->txlen; /* connection gone: drop */
	g->txoff += (size_t)n;
	g->txlen -= (size_t)n;
	if (g->txlen)
		return false;
	free(g->txbuf);
	g->txbuf = NULL;
	g->txoff = 0;
	return true;
}

/**
 * keep_tx() - Keep bytes lwIP did not take
 * @g:		Socket
 * @buf:	Bytes
 * @len:	Length
 */
static void keep_tx(struct gsock *g, const char *buf, size_t len)
{
	g->txbuf = malloc(len);
	if (!g->txbuf) {
		warn("sock: dropping %zu bytes of socket %u: out of memory",
		     len, gs_idx(g));
		g->txlen = 0;
		return;
	}
	memcpy(g->txbuf, buf, len);
	g->txlen = len;
	g->txoff = 0;
}

/**
 * pump_out() - Move bytes from our end (guest or host) into lwIP
 * @g:	Connected socket
 * #syscalls recvfrom
 */
static void pump_out(struct gsock *g)
{
	struct iovec iov;
	size_t room;
	ssize_t n, s;

	while (!g->fd_eof && g->fd >= 0 && flush_tx(g)) {
		room = MIN(ns_sock_sndbuf(g->ns), sizeof(scratch));
		if (!room)
			return;
		n = recv(g->fd, scratch, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			g->fd_eof = true;
			ns_sock_shutdown_wr(g->ns);
			return;
		}
		iov.iov_base = scratch;
		iov.iov_len = (size_t)n;
		s = ns_sock_send(g->ns, &iov, 1);
		if (s < 0)
			s = s == -EAGAIN ? 0 : n;
		if (s < n)
			keep_tx(g, scratch + s, (size_t)(n - s));
	}
}

/**
 * pump_in() - Move bytes lwIP received into our end
 * @g:	Connected socket
 *
 * The receive window opens only by what the guest's end accepted.
 * #syscalls sendmsg shutdown
 */
static void pump_in(struct gsock *g)
{
	struct iovec iov[64];
	struct msghdr m = {.msg_iov = iov};
	size_t total;
	ssize_t n;
	int cnt, i;

	g->out_blocked = false;
	while ((cnt = ns_sock_peek(g->ns, iov, ARRAY_SIZE(iov))) > 0) {
		for (total = 0, i = 0; i < cnt; i++)
			total += iov[i].iov_len;
		m.msg_iovlen = (size_t)cnt;
		n = g->fd < 0 ? -1
			      : sendmsg(g->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			g->out_blocked = true;
			return;
		}
		if (n < 0) /* the guest shut its read side: discard */
			n = (ssize_t)total;
		ns_sock_consume(g->ns, (size_t)n);
		if ((size_t)n < total) {
			g->out_blocked = true;
			return;
		}
	}
	if (ns_sock_eof(g->ns) && !g->ns_eof_done && g->fd >= 0) {
		shutdown(g->fd, SHUT_WR);
		g->ns_eof_done = true;
	}
}

/* ---- lifetime --------------------------------------------------------- */

/**
 * gs_held_release() - Free a held-call slot
 * @h:	Slot
 */
void gs_held_release(struct held *h)
{
	h->used = false;
	nheld--;
	ndeadlines -= !!h->deadline;
	h->deadline = 0;
}

/**
 * held_fail_sock() - Answer every call held on a socket that goes away
 * @g:		Socket
 * @ret:	-errno for the guest
 */
static void held_fail_sock(struct gsock *g, int ret)
{
	unsigned int i;

	for (i = 0; nheld && i < HELD_MAX; i++) {
		if (!held[i].used || held[i].sock != gs_idx(g))
			continue;
		icpt_reply(&held[i].c, ret);
		gs_held_release(&held[i]);
	}
}

/**
 * zombie_unlink() - Take a zombie off the FIFO
 * @g:	Zombie
 */
static void zombie_unlink(struct gsock *g)
{
	uint32_t *p = &zq_head, prev = 0;

	while (*p && *p - 1 != gs_idx(g)) {
		prev = *p;
		p = &socks[*p - 1].znext;
	}
	if (!*p)
		return;
	*p = g->znext;
	if (zq_tail == gs_idx(g) + 1)
		zq_tail = prev;
	zcount--;
}

/**
 * gs_close_ns() - End the lwIP side of @g as the guest's close would
 * @g:	Socket
 */
static void gs_close_ns(struct gsock *g)
{
	if (!g->ns)
		return;
	if ((g->linger_on && !g->linger_s) || g->rst_on_close)
		ns_sock_abort(&g->ns);
	else
		ns_sock_close(&g->ns);
}

/**
 * gs_free() - Release everything a socket owns and its slot
 * @g:	Socket
 */
void gs_free(struct gsock *g)
{
	uint32_t c;

	if (g->kind == GS_FREE)
		return;
	if (g->kind == GS_ZOMBIE)
		zombie_unlink(g);
	if (g->listening)
		nlisten--;
	held_fail_sock(g, g->listening ? -EINVAL : -EBADF);
	while ((c = g->rq)) {
		g->rq = socks[c - 1].rq_next;
		gs_free(&socks[c - 1]);
	}
	hash_remove(g);
	if (g->fd >= 0) {
		if (g->in_loop)
			loop_del(g->fd);
		close(g->fd);
	}
	if (g->keep_gfd >= 0)
		close(g->keep_gfd);
	gs_close_ns(g);
	udp_release(g);
	free(g->txbuf);
	g->txbuf = NULL;
	g->kind = GS_FREE;
	g->fd = g->keep_gfd = -1;
	free_stack[free_top++] = gs_idx(g);
	live--;
}

/**
 * reset_guest() - Close our end so the guest sees a reset connection
 * @g:	Socket
 *
 * One byte written from the guest's end into ours and left unread makes
 * the kernel flag the guest's end with ECONNRESET when ours is closed; the
 * guest's writes then fail with EPIPE. Without access to the guest's end
 * (it moved), the guest sees EOF and EPIPE.
 * #syscalls pidfd_open pidfd_getfd fstat sendto close
 */
static void reset_guest(struct gsock *g)
{
	_cleanup_close_ int gfd = -1;
	struct stat st;

	if (g->fd < 0)
		return;
	gfd = gfd_dup(g->last_tid, g->last_gfd);
	if (gfd >= 0 && !fstat(gfd, &st) && st.st_ino == g->ino)
		(void)!send(gfd, "R", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (g->in_loop)
		loop_del(g->fd);
	g->in_loop = false;
	close(g->fd);
	g->fd = -1;
}

/**
 * make_zombie() - Keep a dead socket's error and name, drop the rest
 * @g:		Socket whose connection ended (or that both sides shut down)
 * @err:	-errno for SO_ERROR, or 0
 * @reset:	The connection was reset: show the guest ECONNRESET/EPIPE;
 *		otherwise close orderly
 */
static void make_zombie(struct gsock *g, int err, bool reset)
{
	g->err = err;
	g->namelen = sizeof(g->name);
	if (!g->ns || ns_sock_name(g->ns, false, &g->name, &g->namelen) < 0)
		g->namelen = 0;
	if (reset) {
		reset_guest(g);
		if (g->ns)
			ns_sock_abort(&g->ns);
	} else {
		if (g->in_loop)
			loop_del(g->fd);
		g->in_loop = false;
		close(g->fd);
		g->fd = -1;
		gs_close_ns(g);
	}
	free(g->txbuf);
	g->txbuf = NULL;
	g->txlen = 0;
	g->kind = GS_ZOMBIE;
	g->znext = 0;
	if (zq_tail)
		socks[zq_tail - 1].znext = gs_idx(g) + 1;
	else
		zq_head = gs_idx(g) + 1;
	zq_tail = gs_idx(g) + 1;
	if (++zcount > ZOMBIE_MAX)
		gs_free(&socks[zq_head - 1]);
}

/**
 * finish_check() - Free a socket whose both sides are done
 * @g:	Socket
 *
 * A guest socket ends at the guest's last close, once every byte the guest
 * wrote was handed to lwIP; a relayed connection when both directions
 * reached EOF or the host side hung up.
 */
static void finish_check(struct gsock *g)
{
	bool connected = g->ns && ns_sock_state(g->ns) == NS_ST_CONNECTED;

	if (g->kind == GS_RELAY && g->fd_eof && g->ns_eof_done)
		g->fd_hup = true;
	if (!g->fd_hup)
		return;
	if (connected && !g->fd_eof)
		return; /* still bytes to read when lwIP has room */
	if (g->kind == GS_GUEST && g->fd_eof && g->ns_eof_done) {
		/* both sides shut down: our end hangs up whether or not the
		 * guest closed its end; keep answering for it */
		make_zombie(g, 0, false);
		return;
	}
	gs_free(g);
}

/* ---- guest helpers ---------------------------------------------------- */

/**
 * sock_read_int() - Read an int from guest memory
 * @c:		Call (for the thread)
 * @addr:	Guest address
 * @v:		Value
 *
 * Return: 0 or -EFAULT
 */
int sock_read_int(const struct gcall *c, uint64_t addr, int *v)
{
	return gmem_read(c->tid, addr, v, sizeof(*v));
}

/**
 * gs_read_addr() - Read a sockaddr argument, with Linux's length rules
 * @c:		Call
 * @addr:	Guest pointer
 * @len:	Guest length argument
 * @ss:		Destination
 * @sl:		Length read
 *
 * Return: 0, -EINVAL for a bad length, -EFAULT for a bad pointer
 */
int gs_read_addr(const struct gcall *c, uint64_t addr, uint64_t len,
		 struct sockaddr_storage *ss, socklen_t *sl)
{
	int l = (int)len, r;

	if (l < 0 || (size_t)l > sizeof(*ss))
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	r = gmem_read(c->tid, addr, ss, (size_t)l);
	if (r < 0)
		return r == -ESRCH ? -EFAULT : r;
	if (!icpt_valid(c))
		return -EINTR;
	*sl = (socklen_t)l;
	return 0;
}

/**
 * gs_write_name() - Store an address and its length for the guest
 * @c:		Call
 * @addr:	Guest buffer
 * @lenp:	Guest pointer to the in/out length
 * @ss:		Address
 * @sl:		Its real length
 *
 * Return: 0, -EINVAL for a negative length, -EFAULT
 */
int gs_write_name(const struct gcall *c, uint64_t addr, uint64_t lenp,
		  const struct sockaddr_storage *ss, socklen_t sl)
{
	int ulen, r;

	r = sock_read_int(c, lenp, &ulen);
	if (r < 0)
		return r;
	if (ulen < 0)
		return -EINVAL;
	return gmem_write2(c->tid, addr, ss, MIN((size_t)ulen, (size_t)sl),
			   lenp, &sl, sizeof(int));
}

/**
 * gs_resolve() - Find the gsock behind a guest fd
 * @c:		Call
 * @fd:		Guest fd
 * @out:	Socket, if ours
 *
 * Return: 0 if ours, 1 if the fd is not an emulated socket (run natively:
 * it can only be AF_UNIX or not a socket), -EBADF
 */
int gs_resolve(const struct gcall *c, int fd, struct gsock **out)
{
	struct gsock *g;
	ino_t ino;
	int r;

	r = gfd_ino(c->tid, fd, &ino);
	if (r < 0)
		return r;
	g = hash_find(ino);
	if (!g)
		return 1;
	g->last_tid = c->tid;
	g->last_gfd = fd;
	*out = g;
	return 0;
}

/**
 * gs_guest_dup() - Duplicate the guest's end of @g for the sentry
 * @c:	Call (its thread holds the fd)
 * @fd:	Guest fd
 * @g:	Socket it must belong to
 *
 * Return: fd owned by the caller, -EBADF if it changed meanwhile, -errno
 * #syscalls fstat
 */
int gs_guest_dup(const struct gcall *c, int fd, const struct gsock *g)
{
	_cleanup_close_ int d = gfd_dup(c->tid, fd);
	struct stat st;

	if (d < 0)
		return d;
	if (fstat(d, &st) < 0 || st.st_ino != g->ino)
		return -EBADF;
	return TAKE_FD(d);
}

/**
 * gs_guest_nonblock() - Tell whether the guest's file is non-blocking
 * @c:		Call
 * @fd:		Guest fd
 * @g:		Socket
 * @dup:	If not NULL, receives a duplicate of the guest's end
 *
 * Return: 1 non-blocking, 0 blocking, -errno
 * #syscalls fcntl
 */
int gs_guest_nonblock(const struct gcall *c, int fd, const struct gsock *g,
		      int *dup)
{
	_cleanup_close_ int d = gs_guest_dup(c, fd, g);
	int fl;

	if (d < 0)
		return d;
	fl = fcntl(d, F_GETFL);
	if (fl < 0)
		return -errno;
	if (dup)
		*dup = TAKE_FD(d);
	return !!(fl & O_NONBLOCK);
}

/**
 * guest_has_cap() - Check a capability in a guest thread's effective set
 * @tid:	Guest thread
 * @cap:	CAP_* number
 *
 * Return: true if present
 */
static bool guest_has_cap(pid_t tid, int cap)
{
	static char text[4096];
	unsigned long long eff = 0;

	return proc_status_read(tid, text, sizeof(text)) > 0 &&
	       !proc_status_field(text, "CapEff", 16, 0, &eff) &&
	       (eff & (1ULL << cap));
}

/**
 * addr_port() - Port of an AF_INET/AF_INET6 address, 0 if none
 * @ss:	Address
 * @sl:	Length
 *
 * Return: port in host order
 */
static unsigned int addr_port(const struct sockaddr_storage *ss, socklen_t sl)
{
	const struct sockaddr_in *in = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;

	if (ss->ss_family == AF_INET && sl >= sizeof(*in))
		return ntohs(in->sin_port);
	if (ss->ss_family == AF_INET6 && sl >= sizeof(*in6))
		return ntohs(in6->sin6_port);
	return 0;
}

/* ---- socket creation -------------------------------------------------- */

/**
 * gs_new_pair() - Make a socketpair for a guest socket
 * @type:	SOCK_STREAM or SOCK_DGRAM
 * @ours:	Our end (non-blocking, large send buffer)
 * @theirs:	The guest's end
 * @ino:	Inode of the guest's end
 *
 * Return: 0 or -errno
 * #syscalls socketpair setsockopt fstat fcntl
 */
int gs_new_pair(int type, int *ours, int *theirs, ino_t *ino)
{
	int sv[2], big = OUR_SNDBUF;
	struct stat st;

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)))
		(void)!setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big,
				  sizeof(big));
	if (fd_nonblock(sv[0], 1) < 0 || fstat(sv[1], &st) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -EMFILE;
	}
	*ours = sv[0];
	*theirs = sv[1];
	*ino = st.st_ino;
	return 0;
}

/**
 * gs_attach() - Set up a new guest gsock around a pair and an ns_sock
 * @g:		Fresh slot
 * @ours:	Our end (ownership passes to @g)
 * @ino:	Inode of the guest's end
 * @ns:		Netstack socket (ownership passes to @g)
 * @family:	AF_INET or AF_INET6
 */
static void gs_attach(struct gsock *g, int ours, ino_t ino, struct ns_sock *ns,
		      int family)
{
	g->fd = ours;
	g->ns = ns;
	g->family = family;
	g->type = SOCK_STREAM;
	ns_sock_set_notify(ns, gs_ns_wake, (void *)(uintptr_t)gs_idx(g));
	gs_hash_insert(g, ino);
	gs_set_interest(g);
}

/**
 * sys_socket() - socket(2)
 * @c:	Call
 *
 * Return: ICPT_REPLIED (fd injected), ICPT_CONTINUE for AF_UNIX, -errno
 */
static int64_t sys_socket(struct gcall *c)
{
	int domain = (int)c->args[0], type = (int)c->args[1];
	int proto = (int)c->args[2],
	    flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	_cleanup_close_ int ours = -1, theirs = -1;
	struct ns_sock *ns = NULL;
	struct gsock *g;
	ino_t ino;
	int r;

	if (domain == AF_UNIX)
		return ICPT_CONTINUE;
	if (domain == AF_NETLINK) {
		if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
			return -EINVAL;
		return nl_socket(c, type & 0xf, proto, flags);
	}
	if (domain < 0 || domain >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	type &= 0xf;
	if (domain != AF_INET && domain != AF_INET6)
		return -EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (type == SOCK_DGRAM && (!proto || proto == IPPROTO_UDP))
		return udp_socket(c, domain, SOCK_DGRAM, IPPROTO_UDP, flags);
	if (proto == (domain == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6) &&
	    (type == SOCK_DGRAM || type == SOCK_RAW)) {
		if (type == SOCK_RAW && !guest_has_cap(c->tid, CAP_NET_RAW))
			return -EPERM;
		return udp_socket(c, domain, type, proto, flags);
	}
	if (type != SOCK_STREAM || (proto && proto != IPPROTO_TCP))
		return -EPROTONOSUPPORT;
	r = gs_new_pair(SOCK_STREAM, &ours, &theirs, &ino);
	if (r < 0)
		return r;
	if ((flags & SOCK_NONBLOCK) && (r = fd_nonblock(theirs, 1)) < 0)
		return r;
	r = ns_sock_new(&ns, domain, SOCK_STREAM);
	if (r < 0)
		return r;
	r = gs_alloc(GS_GUEST, &g);
	if (r < 0) {
		ns_sock_close(&ns);
		return r;
	}
	gs_attach(g, TAKE_FD(ours), ino, ns, domain);
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
 * sys_socketpair() - socketpair(2): AF_UNIX natively, never for INET
 * @c:	Call
 *
 * Return: ICPT_CONTINUE or -errno (Linux: EOPNOTSUPP for AF_INET/6)
 */
static int64_t sys_socketpair(struct gcall *c)
{
	int domain = (int)c->args[0];

	if (domain == AF_UNIX)
		return ICPT_CONTINUE;
	if (domain == AF_INET || domain == AF_INET6)
		return -EOPNOTSUPP;
	return -EAFNOSUPPORT;
}

/* ---- bind, listen, accept ---------------------------------------------- */

/**
 * reap_listeners() - Free listeners the guest has closed already
 *
 * The guest's close() is seen as a hang-up on our end, in the loop; a
 * connect() or bind() right after it must not find the listener alive, as
 * it would not on Linux. One poll() over the listeners settles it.
 * #syscalls poll
 */
static void reap_listeners(void)
{
	struct pollfd p[64];
	uint32_t idx[64], i, seen = 0;
	unsigned int n = 0, k;

	for (i = 0; i < SOCK_MAX && seen < nlisten && n < ARRAY_SIZE(p); i++) {
		if (socks[i].kind != GS_GUEST || !socks[i].listening)
			continue;
		seen++;
		p[n] = (struct pollfd){.fd = socks[i].fd, .events = POLLRDHUP};
		idx[n++] = i;
	}
	if (!n || poll(p, n, 0) <= 0)
		return;
	for (k = 0; k < n; k++)
		if (p[k].revents & (POLLHUP | POLLERR))
			gs_free(&socks[idx[k]]);
}

/**
 * addr_key() - An address as 16 bytes (IPv4 mapped) and whether it is any
 * @ss:		AF_INET or AF_INET6 address
 * @key:	Result
 *
 * Return: true for the wildcard address
 */
static bool addr_key(const struct sockaddr_storage *ss, uint8_t key[16])
{
	const struct sockaddr_in *in = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;

	memset(key, 0, 16);
	if (ss->ss_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &in->sin_addr, 4);
		return in->sin_addr.s_addr == INADDR_ANY;
	}
	memcpy(key, &in6->sin6_addr, 16);
	return IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) ||
	       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
		!in6->sin6_addr.s6_addr32[3]);
}

/**
 * listener_conflict() - Would binding @ss clash with an active listener?
 * @ss:	Address to bind
 * @sl:	Its length
 *
 * SO_REUSEADDR lets a socket share a port, but never with a listener
 * (Linux's rule; lwIP would allow it).
 *
 * Return: true on a clash
 */
static bool listener_conflict(const struct sockaddr_storage *ss, socklen_t sl)
{
	unsigned int port = addr_port(ss, sl), seen = 0;
	uint8_t a[16], b[16];
	struct sockaddr_storage ls;
	socklen_t ll;
	bool any;
	uint32_t i;

	if (!port)
		return false;
	any = addr_key(ss, a);
	for (i = 0; i < SOCK_MAX && seen < nlisten; i++) {
		if (socks[i].kind != GS_GUEST || !socks[i].listening)
			continue;
		seen++;
		ll = sizeof(ls);
		if (!socks[i].ns ||
		    ns_sock_name(socks[i].ns, false, &ls, &ll) ||
		    addr_port(&ls, ll) != port)
			continue;
		if (any || addr_key(&ls, b) || !memcmp(a, b, 16))
			return true;
	}
	return false;
}

/**
 * sys_bind() - bind(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno (EACCES for a port below 1024 without
 * CAP_NET_BIND_SERVICE, as Linux)
 */
static int64_t sys_bind(struct gcall *c, struct gsock *g)
{
	struct sockaddr_storage ss;
	unsigned int port;
	socklen_t sl;
	int r;

	if (!g->ns)
		return -EINVAL;
	r = gs_read_addr(c, c->args[1], c->args[2], &ss, &sl);
	if (r < 0)
		return r;
	port = addr_port(&ss, sl);
	if (port && port < 1024 && !guest_has_cap(c->tid, CAP_NET_BIND_SERVICE))
		return -EACCES;
	reap_listeners();
	if (listener_conflict(&ss, sl))
		return -EADDRINUSE;
	return ns_sock_bind(g->ns, (struct sockaddr *)&ss, sl);
}

/**
 * sync_tokens() - Top up the listener's token bytes to its pending count
 * @l:	Listening socket
 * #syscalls write
 */
static void sync_tokens(struct gsock *l)
{
	static const char tok[64];
	uint32_t want = (uint32_t)ns_sock_pending(l->ns), c;
	ssize_t n;

	for (c = l->rq; c; c = socks[c - 1].rq_next)
		want++;
	while (l->tokens < want) {
		n = write(l->fd, tok, MIN(sizeof(tok), want - l->tokens));
		if (n <= 0)
			return;
		l->tokens += (uint32_t)n;
	}
}

/**
 * consume_token() - Take one token byte out of the guest's listener end
 * @c:	The accept call
 * @l:	Listener
 * #syscalls recvfrom
 */
static void consume_token(const struct gcall *c, struct gsock *l)
{
	_cleanup_close_ int d = gfd_dup(c->tid, (int)c->args[0]);
	char b;

	if (d >= 0 && recv(d, &b, 1, MSG_DONTWAIT) == 1 && l->tokens)
		l->tokens--;
}

/**
 * sys_listen() - listen(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0 or -errno
 */
static int64_t sys_listen(struct gcall *c, struct gsock *g)
{
	_cleanup_close_ int gfd = -1;
	int backlog = (int)c->args[1];
	int r;

	if (!g->ns)
		return -EINVAL;
	if (g->listening)
		return 0;
	if ((unsigned int)backlog > LISTEN_MAX)
		backlog = LISTEN_MAX;
	/* Linux admits backlog + 1 connections to the accept queue */
	r = ns_sock_listen(g->ns, backlog + 1);
	if (r < 0)
		return r;
	g->listening = true;
	nlisten++;
	gfd = gs_guest_dup(c, (int)c->args[0], g);
	if (gfd >= 0)
		fill_filler(g, gfd); /* a listener is never writable */
	gs_set_interest(g);
	return 0;
}

/**
 * accept_new() - Take a connection from netstack and give it a pair
 * @l:		Listener
 * @out:	New child socket, holding the guest end until handed over
 *
 * Return: 0, -EAGAIN if none is pending, -errno
 */
static int accept_new(struct gsock *l, struct gsock **out)
{
	_cleanup_close_ int ours = -1, theirs = -1;
	struct ns_sock *ns = NULL;
	struct gsock *ch;
	ino_t ino;
	int r;

	r = gs_new_pair(SOCK_STREAM, &ours, &theirs, &ino);
	if (r < 0)
		return r;
	r = gs_alloc(GS_GUEST, &ch);
	if (r < 0)
		return r;
	r = ns_sock_accept(l->ns, &ns);
	if (r < 0) {
		gs_free(ch);
		return r;
	}
	ch->keep_gfd = TAKE_FD(theirs);
	gs_attach(ch, TAKE_FD(ours), ino, ns, l->family);
	ch->ev |= NS_EV_READABLE;
	gs_mark_dirty(ch);
	*out = ch;
	return 0;
}

/**
 * rq_push() - Put an accepted child back at the head of the ready queue
 * @l:	Listener
 * @ch:	Child
 */
static void rq_push(struct gsock *l, struct gsock *ch)
{
	ch->rq_next = l->rq;
	l->rq = gs_idx(ch) + 1;
}

/**
 * handover() - Give an accepted connection to the guest
 * @c:		accept/accept4 call
 * @l:		Listener
 * @ch:		Child holding the guest end
 * @flags:	SOCK_NONBLOCK / SOCK_CLOEXEC
 *
 * Return: ICPT_REPLIED, or -errno (the child stays queued)
 */
static int64_t handover(struct gcall *c, struct gsock *l, struct gsock *ch,
			int flags)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int r;

	if (c->args[1]) {
		r = ns_sock_name(ch->ns, true, &ss, &sl);
		if (r < 0)
			return r;
		r = gs_write_name(c, c->args[1], c->args[2], &ss, sl);
		if (r < 0)
			return r;
	}
	/* F_SETFL only touches status flags: one call sets or clears it */
	if (fcntl(ch->keep_gfd, F_SETFL,
		  flags & SOCK_NONBLOCK ? O_NONBLOCK : 0) < 0)
		return -errno;
	r = icpt_addfd(c, ch->keep_gfd, flags & SOCK_CLOEXEC);
	if (r < 0)
		return r;
	close(ch->keep_gfd);
	ch->keep_gfd = -1;
	ch->last_tid = c->tid;
	ch->last_gfd = r;
	consume_token(c, l);
	return ICPT_REPLIED;
}

/**
 * try_accept() - Complete an accept if a connection is ready
 * @c:		Call
 * @l:		Listener
 * @flags:	accept4 flags
 *
 * Return: ICPT_REPLIED, -EAGAIN if nothing is pending, -errno
 */
static int64_t try_accept(struct gcall *c, struct gsock *l, int flags)
{
	struct gsock *ch = NULL;
	int64_t r;

	if (!l->rq && !ns_sock_pending(l->ns))
		return -EAGAIN;
	if (l->rq) {
		ch = &socks[l->rq - 1];
		l->rq = ch->rq_next;
	} else {
		r = accept_new(l, &ch);
		if (r < 0)
			return r;
	}
	r = handover(c, l, ch, flags);
	if (r != ICPT_REPLIED)
		rq_push(l, ch);
	return r;
}

/**
 * now_ms() - CLOCK_MONOTONIC in milliseconds
 *
 * Return: milliseconds
 */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * timeo_ms() - SO_RCVTIMEO or SO_SNDTIMEO of the guest's end
 * @dupfd:	Duplicate of the guest's end, or -1
 * @snd:	SO_SNDTIMEO (connect) instead of SO_RCVTIMEO
 *
 * The guest sets these natively on its end (they also time its reads and
 * writes); trapped blocking calls honour them the same way.
 *
 * Return: milliseconds, 0 for none
 * #syscalls getsockopt
 */
static uint64_t timeo_ms(int dupfd, bool snd)
{
	struct timeval tv = {0};
	socklen_t l = sizeof(tv);

	if (dupfd < 0 ||
	    getsockopt(dupfd, SOL_SOCKET,
		       snd ? SO_SNDTIMEO_OLD : SO_RCVTIMEO_OLD, &tv, &l))
		return 0;
	return (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000;
}

/**
 * gs_hold() - Park a call until netstack reports the event it waits for
 * @c:		Call
 * @g:		Socket
 * @kind:	What the call waits for
 * @dupfd:	Duplicate of the guest's end, to read its timeout, or -1
 *
 * Return: ICPT_HELD, or -ENOMEM if too many calls wait already
 */
int64_t gs_hold(struct gcall *c, struct gsock *g, enum held_kind kind,
		int dupfd)
{
	unsigned int i;
	uint64_t t;

	for (i = 0; i < HELD_MAX; i++) {
		if (held[i].used)
			continue;
		t = timeo_ms(dupfd, kind == HELD_CONNECT);
		held[i] = (struct held){.used = true,
					.kind = kind,
					.sock = gs_idx(g),
					.seq = ++held_seq,
					.deadline = t ? now_ms() + t : 0,
					.c = *c};
		nheld++;
		ndeadlines += !!t;
		last_held = &held[i];
		return ICPT_HELD;
	}
	return -ENOMEM;
}

/**
 * gs_held_last() - The slot of the call gs_hold() parked last
 *
 * Return: slot (valid right after gs_hold() returned ICPT_HELD)
 */
struct held *gs_held_last(void)
{
	return last_held;
}

/**
 * gs_held_first() - Oldest call held on a socket
 * @g:	Socket
 *
 * Return: slot, or NULL
 */
struct held *gs_held_first(const struct gsock *g)
{
	struct held *best = NULL;
	unsigned int i, seen = 0;

	for (i = 0; seen < nheld && i < HELD_MAX; i++) {
		if (!held[i].used)
			continue;
		seen++;
		if (held[i].sock == gs_idx(g) &&
		    (!best || held[i].seq < best->seq))
			best = &held[i];
	}
	return best;
}

/**
 * accept_flags() - accept4 flags of a call (0 for accept)
 * @c:	Call
 *
 * Return: flags
 */
static int accept_flags(const struct gcall *c)
{
	return c->nr == SYS_accept4 ? (int)c->args[3] : 0;
}

/**
 * complete_accepts() - Serve held accepts while connections are ready
 * @l:	Listener
 */
static void complete_accepts(struct gsock *l)
{
	struct held *h;
	int64_t r;

	while ((h = gs_held_first(l))) {
		r = try_accept(&h->c, l, accept_flags(&h->c));
		if (r == -EAGAIN)
			return;
		if (r != ICPT_REPLIED && r != -ENOENT)
			icpt_reply(&h->c, r);
		gs_held_release(h);
	}
}

/**
 * sys_accept() - accept(2) and accept4(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: ICPT_REPLIED, ICPT_HELD, ICPT_CONTINUE, -errno
 */
static int64_t sys_accept(struct gcall *c, struct gsock *g)
{
	_cleanup_close_ int d = -1;
	int flags = accept_flags(c), nb;
	int64_t r;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (!g->listening)
		return -EINVAL;
	r = try_accept(c, g, flags);
	if (r != -EAGAIN)
		return r;
	nb = gs_guest_nonblock(c, (int)c->args[0], g, &d);
	if (nb < 0)
		return nb;
	if (nb) {
		if (g->tokens && !ns_sock_pending(g->ns) && !g->rq)
			consume_token(c, g); /* a pending peer went away */
		return -EAGAIN;
	}
	return gs_hold(c, g, HELD_ACCEPT, d);
}

/* ---- connect ------------------------------------------------------------ */

/**
 * fill_filler() - Make the guest's end unwritable until the handshake ends
 * @g:		Connecting socket
 * @gfd:	Duplicate of the guest's end
 * #syscalls sendto
 */
static void fill_filler(struct gsock *g, int gfd)
{
	ssize_t n;

	while ((n = send(gfd, scratch, sizeof(scratch),
			 MSG_DONTWAIT | MSG_NOSIGNAL)) > 0)
		g->filler += (uint32_t)n;
}

/**
 * drain_filler() - Remove the filler again
 * @g:	Socket
 * #syscalls recvfrom
 */
static void drain_filler(struct gsock *g)
{
	ssize_t n;

	while (g->filler && g->fd >= 0) {
		n = recv(g->fd, scratch, MIN(g->filler, sizeof(scratch)),
			 MSG_DONTWAIT);
		if (n <= 0)
			break;
		g->filler -= (uint32_t)n;
	}
}

/**
 * complete_connect() - Answer a held connect, if any
 * @g:		Socket
 * @ret:	0 or -errno
 *
 * Return: true if a held connect took the result
 */
static bool complete_connect(struct gsock *g, int ret)
{
	struct held *h = gs_held_first(g);
	bool taken = false;

	while (h && h->kind == HELD_CONNECT) {
		taken |= icpt_reply(&h->c, ret) == 0;
		gs_held_release(h);
		h = gs_held_first(g);
	}
	return taken;
}

/**
 * sys_connect() - connect(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0, -EINPROGRESS, ICPT_HELD, ICPT_CONTINUE, -errno
 */
static int64_t sys_connect(struct gcall *c, struct gsock *g)
{
	_cleanup_close_ int gfd = -1;
	struct sockaddr_storage ss;
	socklen_t sl;
	int r, nb;

	reap_listeners();
	if (!g->ns && g->nb_connect) {
		g->nb_connect = false;
		r = g->err;
		g->err = 0;
		return r ? r : -ECONNABORTED;
	}
	if (!g->ns)
		return g->err ? -ECONNABORTED : -EINVAL;
	r = gs_read_addr(c, c->args[1], c->args[2], &ss, &sl);
	if (r < 0)
		return r;
	if (sl >= sizeof(sa_family_t) && ss.ss_family == AF_UNSPEC)
		return ns_sock_state(g->ns) == NS_ST_NEW ? 0 : -EISCONN;
	switch (ns_sock_state(g->ns)) {
	case NS_ST_CONNECTED:
		if (g->nb_connect) {
			g->nb_connect = false;
			return 0;
		}
		return -EISCONN;
	case NS_ST_LISTEN:
		return -EISCONN;
	case NS_ST_CONNECTING:
		return -EALREADY;
	case NS_ST_CLOSED:
		r = ns_sock_take_error(g->ns);
		return r ? r : -ECONNABORTED;
	default:
		break;
	}
	r = ns_sock_connect(g->ns, (struct sockaddr *)&ss, sl);
	if (r != -EINPROGRESS)
		return r;
	nb = gs_guest_nonblock(c, (int)c->args[0], g, &gfd);
	if (nb < 0)
		return nb;
	if (!nb)
		return gs_hold(c, g, HELD_CONNECT, gfd);
	fill_filler(g, gfd);
	g->nb_connect = true;
	return -EINPROGRESS;
}

/* ---- names, shutdown, send, ioctl ------------------------------------ */

/**
 * sys_getname() - getsockname(2) and getpeername(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: 0, ICPT_CONTINUE, -errno (ENOTCONN without a peer)
 */
static int64_t sys_getname(struct gcall *c, struct gsock *g)
{
	bool peer = c->nr == SYS_getpeername;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int r;

	if (!g->ns) {
		if (peer || !g->namelen)
			return -ENOTCONN;
		ss = g->name;
		sl = g->namelen;
	} else {
		r = ns_sock_name(g->ns, peer, &ss, &sl);
		if (r < 0)
			return r;
	}
	return gs_write_name(c, c->args[1], c->args[2], &ss, sl);
}

/**
 * sys_shutdown() - shutdown(2)
 * @c:	Call
 * @g:	Socket
 *
 * On a connection it runs natively on the guest's end: we read EOF and
 * send FIN, or our writes toward a read-shut end are discarded.
 *
 * Return: ICPT_CONTINUE, 0, -errno
 */
static int64_t sys_shutdown(struct gcall *c, struct gsock *g)
{
	int how = (int)c->args[1];

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (!g->ns)
		return -ENOTCONN;
	switch (ns_sock_state(g->ns)) {
	case NS_ST_CONNECTED:
		/* both FINs exchanged: the connection is gone (TIME_WAIT) */
		return g->fd_eof && g->ns_eof_done ? -ENOTCONN : ICPT_CONTINUE;
	case NS_ST_LISTEN:
		if (how != SHUT_WR)
			held_fail_sock(g, -EINVAL);
		return 0;
	default:
		return -ENOTCONN;
	}
}

/**
 * sys_sendto() - sendto(2) with an address (without one it is native)
 * @c:	Call
 * @g:	Socket
 *
 * TCP ignores the address of a connected socket; we send the bytes through
 * the guest's end ourselves, without blocking.
 *
 * Return: bytes sent, ICPT_CONTINUE, -errno
 */
static int64_t sys_sendto(struct gcall *c, struct gsock *g)
{
	_cleanup_close_ int d = -1;
	size_t len = MIN((size_t)c->args[2], sizeof(scratch));
	ssize_t n;
	int r;

	if (!g->ns || ns_sock_state(g->ns) != NS_ST_CONNECTED)
		return ICPT_CONTINUE; /* EPIPE / the queued bytes, natively */
	r = gmem_read(c->tid, c->args[1], scratch, len);
	if (r < 0)
		return -EFAULT;
	d = gs_guest_dup(c, (int)c->args[0], g);
	if (d < 0)
		return d;
	n = send(d, scratch, len,
		 ((int)c->args[3] & ~MSG_WAITALL) | MSG_DONTWAIT |
		     MSG_NOSIGNAL);
	return n < 0 ? -errno : n;
}

/**
 * clear_msg_name() - Zero a guest msghdr's msg_namelen if it names a peer
 * @c:		Call
 * @addr:	Guest address of the msghdr
 *
 * Return: 0, or -EFAULT
 */
static int clear_msg_name(const struct gcall *c, uint64_t addr)
{
	struct msghdr m;
	int zero = 0;

	if (gmem_read(c->tid, addr, &m, sizeof(m)) < 0)
		return -EFAULT;
	if (!m.msg_name || !m.msg_namelen)
		return 0;
	return gmem_write(c->tid, addr + offsetof(struct msghdr, msg_namelen),
			  &zero, sizeof(zero));
}

/**
 * sys_sendmsg() - sendmsg(2) and sendmmsg(2)
 * @c:	Call
 * @g:	Socket
 *
 * On an emulated TCP socket the address is ignored, as Linux does for a
 * connected socket: it is cleared so the native call on our pair succeeds.
 *
 * Return: ICPT_CONTINUE or -errno
 */
static int64_t sys_sendmsg(struct gcall *c, struct gsock *g)
{
	unsigned int i, n = 1;
	int r;

	if (c->nr == SYS_sendmmsg)
		n = MIN((unsigned int)c->args[2], 1024U);
	for (i = 0; i < n; i++) {
		r = clear_msg_name(c, c->args[1] + i * sizeof(struct mmsghdr));
		if (r < 0)
			return r;
	}
	return ICPT_CONTINUE;
}

/**
 * sys_recv() - recvfrom/recvmsg/recvmmsg: native for TCP
 * @c:	Call
 * @g:	Socket
 *
 * A stream socketpair reports an empty address, as TCP does.
 *
 * Return: ICPT_CONTINUE
 */
static int64_t sys_recv(struct gcall *c, struct gsock *g)
{
	UNUSED(c);
	UNUSED(g);
	return ICPT_CONTINUE;
}

/**
 * sys_ioctl() - socket ioctls in the 0x89xx range
 * @c:	Call
 * @g:	Socket
 *
 * SIOCATMARK is answered (no urgent data); the rest run natively on the
 * guest's end, which lives in the guest's own, empty network namespace.
 *
 * Return: 0, ICPT_CONTINUE, -errno
 */
static int64_t sys_ioctl(struct gcall *c, struct gsock *g)
{
	int zero = 0;

	if ((unsigned int)c->args[1] != SIOCATMARK)
		return ICPT_CONTINUE;
	return gmem_write(c->tid, c->args[2], &zero, sizeof(zero));
}

/**
 * sock_family() - Address family of any guest socket fd
 * @c:	Call (fd in args[0])
 *
 * Return: AF_*, -ENOTTY for a file that is not a socket, -EBADF
 * #syscalls fstat getsockopt
 */
static int sock_family(const struct gcall *c)
{
	_cleanup_close_ int d = -1;
	socklen_t l = sizeof(int);
	struct gsock *g;
	struct stat st;
	int r, fam;

	r = gs_resolve(c, (int)c->args[0], &g);
	if (r <= 0)
		return r < 0 ? r : g->family;
	d = gfd_dup(c->tid, (int)c->args[0]);
	if (d < 0)
		return d;
	if (fstat(d, &st) < 0 || !S_ISSOCK(st.st_mode))
		return -ENOTTY;
	if (getsockopt(d, SOL_SOCKET, SO_DOMAIN, &fam, &l) < 0)
		return -errno;
	return fam;
}

/**
 * ifconf() - SIOCGIFCONF from the sandbox's interfaces
 * @c:	Call (struct ifconf pointer in args[2])
 *
 * Return: 0 or -errno
 */
static int64_t ifconf(const struct gcall *c)
{
	static struct ifreq buf[64];
	struct ifconf ic;
	int out = 0, r;

	if (gmem_read(c->tid, c->args[2], &ic, sizeof(ic)))
		return -EFAULT;
	if (!ic.ifc_buf) {
		r = ifi_conf(&sock_ifv, NULL, 0, &out);
	} else {
		r = ifi_conf(&sock_ifv, buf, MIN(ic.ifc_len, (int)sizeof(buf)),
			     &out);
		if (!r && out > 0 &&
		    gmem_write(c->tid, (uint64_t)(uintptr_t)ic.ifc_buf, buf,
			       (size_t)out))
			r = -EFAULT;
	}
	if (r < 0)
		return r;
	ic.ifc_len = out;
	return gmem_write(c->tid, c->args[2], &ic.ifc_len, sizeof(int));
}

/**
 * sys_ifioctl() - SIOCGIF* and friends, on any socket of the guest
 * @c:	Call
 *
 * Answered from the sandbox's interface view for every socket family,
 * AF_UNIX included (glibc's if_nametoindex uses one), so no interface of
 * the host is ever described.
 *
 * Return: 0 or -errno
 */
static int64_t sys_ifioctl(struct gcall *c)
{
	unsigned long req = (unsigned int)c->args[1];
	struct ifreq ifr;
	int fam = sock_family(c), r;

	if (fam < 0)
		return fam;
	if (req == SIOCGIFCONF)
		return ifconf(c);
	if (gmem_read(c->tid, c->args[2], &ifr, sizeof(ifr)))
		return -EFAULT;
	r = ifi_ioctl(&sock_ifv, fam, req, &ifr);
	if (r < 0)
		return r;
	return gmem_write(c->tid, c->args[2], &ifr, sizeof(ifr));
}

/**
 * sys_sockopt() - setsockopt(2) and getsockopt(2)
 * @c:	Call
 * @g:	Socket
 *
 * Return: see sockopt.c
 */
static int64_t sys_sockopt(struct gcall *c, struct gsock *g)
{
	return c->nr == SYS_setsockopt ? sockopt_set(c, g) : sockopt_get(c, g);
}

/**
 * struct sys_entry - one row of the syscall table
 * @nr:		Syscall number
 * @fn:		Handler
 */
struct sys_entry {
	int nr;
	int64_t (*fn)(struct gcall *c, struct gsock *g);
};

static const struct sys_entry sys_table[] = {
    {SYS_bind, sys_bind},	    {SYS_listen, sys_listen},
    {SYS_accept, sys_accept},	    {SYS_accept4, sys_accept},
    {SYS_connect, sys_connect},	    {SYS_getsockname, sys_getname},
    {SYS_getpeername, sys_getname}, {SYS_shutdown, sys_shutdown},
    {SYS_setsockopt, sys_sockopt},  {SYS_getsockopt, sys_sockopt},
    {SYS_sendto, sys_sendto},	    {SYS_sendmsg, sys_sendmsg},
    {SYS_sendmmsg, sys_sendmsg},    {SYS_recvfrom, sys_recv},
    {SYS_recvmsg, sys_recv},	    {SYS_recvmmsg, sys_recv},
    {SYS_ioctl, sys_ioctl},
};

/**
 * sock_syscall() - Dispatch one trapped call
 * @c:	Call
 *
 * Return: value for the guest, -errno, or an ICPT_* disposition
 */
int64_t sock_syscall(struct gcall *c)
{
	struct gsock *g;
	unsigned int i;
	int r;

	if (c->nr == SYS_socket)
		return sys_socket(c);
	if (c->nr == SYS_ioctl && ifi_owns((unsigned int)c->args[1]))
		return sys_ifioctl(c);
	if (c->nr == SYS_socketpair)
		return sys_socketpair(c);
	for (i = 0; i < ARRAY_SIZE(sys_table); i++) {
		if (sys_table[i].nr != c->nr)
			continue;
		/* every other call names an fd: ours, or native */
		r = gs_resolve(c, (int)c->args[0], &g);
		if (r)
			return r > 0 ? ICPT_CONTINUE : r;
		if (c->nr == SYS_setsockopt || c->nr == SYS_getsockopt ||
		    c->nr == SYS_ioctl)
			return sys_table[i].fn(c, g);
		if (g->family == AF_NETLINK)
			return nl_syscall(c, g);
		if (g->udp || g->icmp)
			return udp_syscall(c, g);
		return sys_table[i].fn(c, g);
	}
	return -ENOSYS;
}

/**
 * sock_held_drop_tid() - Forget calls held for a thread that called again
 * @tid:	Thread
 *
 * A thread blocked in a held call can only make a new call after a signal
 * interrupted the old one; the kernel already failed or restarted it.
 */
void sock_held_drop_tid(pid_t tid)
{
	unsigned int i, seen = 0;

	for (i = 0; seen < nheld && i < HELD_MAX; i++) {
		if (!held[i].used)
			continue;
		seen++;
		if (held[i].c.tid == tid) {
			gs_held_release(&held[i]);
			seen--;
		}
	}
}

/**
 * sock_sweep() - Drop held calls whose threads went away
 */
void sock_sweep(void)
{
	unsigned int i;

	for (i = 0; nheld && i < HELD_MAX; i++)
		if (held[i].used && !icpt_valid(&held[i].c))
			gs_held_release(&held[i]);
}

/**
 * sock_timeout_ms() - Time until the next held call times out
 *
 * Return: milliseconds (0: due now), -1 if no held call has a timeout
 */
int sock_timeout_ms(void)
{
	uint64_t now, min = UINT64_MAX;
	unsigned int i;

	if (!ndeadlines)
		return -1;
	for (i = 0; i < HELD_MAX; i++)
		if (held[i].used && held[i].deadline && held[i].deadline < min)
			min = held[i].deadline;
	now = now_ms();
	return min <= now ? 0 : (int)MIN(min - now, (uint64_t)INT32_MAX);
}

/**
 * sock_expire() - Fail held calls whose SO_RCVTIMEO/SO_SNDTIMEO ran out
 *
 * Linux's answers: EAGAIN for accept and receives, EINPROGRESS for connect
 * (the handshake goes on; the next connect() reports its outcome).
 */
void sock_expire(void)
{
	struct gsock *g;
	unsigned int i;
	uint64_t now;

	if (!ndeadlines)
		return;
	now = now_ms();
	for (i = 0; i < HELD_MAX; i++) {
		if (!held[i].used || !held[i].deadline ||
		    held[i].deadline > now)
			continue;
		g = &socks[held[i].sock];
		if (held[i].kind == HELD_CONNECT) {
			g->nb_connect = true;
			icpt_reply(&held[i].c, -EINPROGRESS);
		} else {
			icpt_reply(&held[i].c, -EAGAIN);
		}
		gs_held_release(&held[i]);
	}
}

/* ---- events ------------------------------------------------------------ */

/**
 * relay_reset() - Reset the host side of a relay and free it
 * @g:	Relay
 * #syscalls setsockopt
 */
static void relay_reset(struct gsock *g)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};

	if (g->fd >= 0)
		(void)!setsockopt(g->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	gs_free(g);
}

/**
 * on_error() - The connection failed or was reset
 * @g:	Socket
 */
static void on_error(struct gsock *g)
{
	int e = ns_sock_take_error(g->ns);

	if (!e)
		e = -ECONNRESET;
	if (complete_connect(g, e))
		e = 0;
	drain_filler(g);
	pump_in(g);
	if (g->kind == GS_RELAY) {
		relay_reset(g);
		return;
	}
	make_zombie(g, e, true);
}

/**
 * gs_run() - Act on netstack events recorded for a socket
 * @g:	Socket
 */
static void gs_run(struct gsock *g)
{
	unsigned int ev = g->ev;

	g->ev = 0;
	if (g->kind != GS_GUEST && g->kind != GS_RELAY)
		return;
	if (g->udp || g->icmp) {
		udp_run(g, ev);
		return;
	}
	if (g->listening) {
		if (ev & NS_EV_ACCEPT) {
			sync_tokens(g);
			complete_accepts(g);
		}
		return;
	}
	if (!g->ns)
		return;
	if (ev & NS_EV_CONNECTED) {
		drain_filler(g);
		complete_connect(g, 0);
	}
	if (ns_sock_state(g->ns) == NS_ST_CLOSED) {
		on_error(g);
		return;
	}
	if (ns_sock_state(g->ns) == NS_ST_CONNECTED) {
		pump_in(g);
		pump_out(g);
	}
	gs_set_interest(g);
	finish_check(g);
}

/**
 * sock_deferred() - Process every socket netstack flagged this pass
 */
void sock_deferred(void)
{
	unsigned int budget = SOCK_MAX * 4;
	struct gsock *g;

	while (dirty_head && budget--) {
		g = &socks[dirty_head - 1];
		dirty_head = g->dnext;
		if (!dirty_head)
			dirty_tail = 0;
		g->dirty = false;
		gs_run(g);
	}
}

/**
 * fd_error() - Pending error of our end (the kernel's SO_ERROR)
 * @fd:	Our end
 *
 * Return: positive errno, or 0
 * #syscalls getsockopt
 */
static int fd_error(int fd)
{
	socklen_t l = sizeof(int);
	int e = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l))
		return 0;
	return e;
}

/**
 * sock_fd_event() - Our end of a socket is readable, writable or hung up
 * @idx:	gsock index
 * @events:	EPOLL* bits
 */
void sock_fd_event(uint32_t idx, uint32_t events)
{
	struct gsock *g = &socks[idx];

	if (g->kind != GS_GUEST && g->kind != GS_RELAY)
		return;
	if (g->udp || g->icmp) {
		udp_fd_event(g, events);
		return;
	}
	if (g->family == AF_NETLINK) {
		nl_fd_event(g, events);
		return;
	}
	if (g->kind == GS_RELAY && (events & EPOLLERR)) {
		if (g->ns)
			ns_sock_abort(&g->ns);
		relay_reset(g);
		return;
	}
	if (events & (EPOLLHUP | EPOLLERR))
		g->fd_hup = true;
	if ((events & EPOLLERR) && fd_error(g->fd) == ECONNRESET)
		g->rst_on_close = true; /* closed with bytes unread */
	if (g->ns && ns_sock_state(g->ns) == NS_ST_CONNECTED) {
		if (events & EPOLLOUT)
			pump_in(g);
		pump_out(g);
	}
	gs_set_interest(g);
	finish_check(g);
}

/**
 * sock_relay_new() - Relay a host connection to an address in the sandbox
 * @hostfd:	Accepted host connection (ownership passes to the relay)
 * @dst:	Address in the sandbox
 * @len:	Its length
 *
 * Return: 0, or -errno (then @hostfd is closed)
 */
int sock_relay_new(int hostfd, const struct sockaddr *dst, socklen_t len)
{
	_cleanup_close_ int fd = hostfd;
	struct ns_sock *ns = NULL;
	struct gsock *g;
	int r;

	r = fd_nonblock(fd, 1);
	if (!r)
		r = ns_sock_new(&ns, dst->sa_family, SOCK_STREAM);
	if (r < 0)
		return r;
	r = gs_alloc(GS_RELAY, &g);
	if (r < 0) {
		ns_sock_close(&ns);
		return r;
	}
	g->fd = TAKE_FD(fd);
	g->ns = ns;
	g->family = dst->sa_family;
	ns_sock_set_notify(ns, gs_ns_wake, (void *)(uintptr_t)gs_idx(g));
	r = ns_sock_connect(ns, dst, len);
	if (r < 0 && r != -EINPROGRESS) {
		gs_free(g);
		return r;
	}
	gs_set_interest(g);
	return 0;
}
