// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctlsrv.c - the sentry's side of the control socket
 *
 * See ctlsrv.h for the theory of operation and ctl.h for the messages.
 */
#include "ctlsrv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "ctl.h"
#include "isolate.h"
#include "log.h"
#include "loop.h"
#include "netstack/netstack.h"
#include "sentry.h"
#include "state.h"

#define REPLY_MAX 1024 /* bytes of a reply's text */

static_assert((unsigned int)CTL_IFACE_ETH0 == TAP_CAP_ETH0 &&
		  (unsigned int)CTL_IFACE_LO == TAP_CAP_LO,
	      "ctl interfaces are tap capture bits");

/**
 * struct ctlsrv_conn - one control connection
 * @fd:		Connected socket, owned; -1 for a free slot
 * @cap:	Capture slot (tap_cap_*) owned by the connection; -1 if none
 */
struct ctlsrv_conn {
	int fd;
	int cap;
};

/**
 * struct ctlsrv - the server's state (one per sentry)
 * @lfd:	Listening socket, owned; -1 if none
 * @rootfd:	The state root, owned; -1 if none
 * @dirfd:	<root>/<id>, owned; -1 if none
 * @id:		Container id
 * @conn:	Connections
 * @start:	Connection slot waiting for the outcome of CTL_START; -1
 */
struct ctlsrv {
	int lfd;
	int rootfd;
	int dirfd;
	char id[STATE_ID_MAX + 1];
	struct ctlsrv_conn conn[CTLSRV_CONNS];
	int start;
};

static struct ctlsrv srv = {
    .lfd = -1,
    .rootfd = -1,
    .dirfd = -1,
    .conn = {[0 ... CTLSRV_CONNS - 1] = {-1, -1}},
    .start = -1,
};

/**
 * stale() - Is an existing <root>/<id> a dead `runsc do --id`'s leftover?
 * @root:	State root
 * @id:		Container id
 *
 * Return: true if it has a control socket nobody listens on and no
 * state.json (state_remove() may take it)
 */
static bool stale(const char *root, const char *id)
{
	_cleanup_close_ int fd = -1;
	char path[256], st[PATH_MAX];

	if (ctl_path(root, id, path, sizeof(path)) < 0 ||
	    snprintf(st, sizeof(st), "%s/%s/state.json", root, id) >=
		(int)sizeof(st) ||
	    !access(st, F_OK))
		return false;
	return ctl_connect(path, &fd) == -ECONNREFUSED;
}

/**
 * make_dir() - Create <root>/<id>, reclaiming a stale one once
 * @root:	State root
 * @id:		Container id
 *
 * Return: 0, or -errno (logged)
 */
static int make_dir(const char *root, const char *id)
{
	int r = state_dir_open(root, id, true, &srv.dirfd);

	if (r == -EEXIST && stale(root, id)) {
		debug("ctl: reclaiming the stale state directory of %s", id);
		r = state_remove(root, id);
		if (!r)
			r = state_dir_open(root, id, true, &srv.dirfd);
	}
	if (r == -EEXIST)
		err("ctl: container id '%s' is in use under %s", id, root);
	else if (r == -EINVAL)
		err("ctl: bad container id '%s' (want [A-Za-z0-9][A-Za-z0-9_.-]*)",
		    id);
	else if (r < 0)
		err_errno(r, "ctl: creating %s/%s", root, id);
	return r;
}

/**
 * ctlsrv_open() - Create <root>/<id>/ and listen on its control socket
 * @root:	State root (--root)
 * @id:		Container id
 *
 * Setup stage. On failure nothing is left behind.
 *
 * Return: 0 or -errno (logged)
 * #syscalls:setup mkdir open openat socket bind listen unlinkat
 */
int ctlsrv_open(const char *root, const char *id)
{
	char path[256];
	int r;

	if (strlen(id) > STATE_ID_MAX ||
	    ctl_path(root, id, path, sizeof(path)) < 0) {
		err("ctl: %s/%s/%s is too long for a socket path", root, id,
		    CTL_NAME);
		return -ENAMETOOLONG;
	}
	r = make_dir(root, id);
	if (r < 0)
		return r;
	strcpy(srv.id, id);
	srv.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = srv.rootfd < 0 ? -errno : ctl_listen(path, &srv.lfd);
	if (!r)
		r = loop_add(srv.lfd, EPOLLIN, LOOP_CTL_LISTEN, 0);
	if (!r)
		r = isolate_allow_unlinkat(srv.dirfd);
	if (!r)
		r = isolate_allow_unlinkat(srv.rootfd);
	if (r < 0) {
		err_errno(r, "ctl: listening on %s", path);
		ctlsrv_close(NULL);
		if (srv.rootfd < 0) /* could not be kept open: by name */
			state_remove(root, id);
	}
	return r;
}

/**
 * ctlsrv_listen() - Listen on an OCI container's control socket
 * @path:	Socket path, in the state directory `runsc create` made
 *
 * The directory belongs to the runtime (`runsc delete` removes it), so
 * ctlsrv_close() removes nothing then. Setup stage.
 *
 * Return: 0 or -errno
 * #syscalls:setup socket bind listen unlink
 */
int ctlsrv_listen(const char *path)
{
	int r = ctl_listen(path, &srv.lfd);

	if (!r)
		r = loop_add(srv.lfd, EPOLLIN, LOOP_CTL_LISTEN, 0);
	return r;
}

/**
 * ctlsrv_accept() - Accept pending control connections
 * @s:	Sentry
 *
 * Connections beyond CTLSRV_CONNS are closed at once.
 * #syscalls accept4 close epoll_ctl
 */
void ctlsrv_accept(struct sentry *s)
{
	int fd, i;

	(void)s;
	while ((fd = accept4(srv.lfd, NULL, NULL,
			     SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		for (i = 0; i < CTLSRV_CONNS; i++)
			if (srv.conn[i].fd < 0)
				break;
		if (i == CTLSRV_CONNS ||
		    loop_add(fd, EPOLLIN, LOOP_CTL_CONN, (uint32_t)i) < 0) {
			debug("ctl: refusing a connection (table full)");
			close(fd);
			continue;
		}
		srv.conn[i].fd = fd;
		srv.conn[i].cap = -1;
	}
}

/**
 * cap_end() - End a connection's capture and close its stream
 * @c:	Connection
 * #syscalls epoll_ctl close
 */
static void cap_end(struct ctlsrv_conn *c)
{
	int fd = tap_cap_fd(c->cap);

	if (fd >= 0)
		loop_del(fd);
	tap_cap_close(c->cap);
	c->cap = -1;
}

/**
 * conn_close() - End a connection and what it owns
 * @c:	Connection
 * #syscalls epoll_ctl close
 */
static void conn_close(struct ctlsrv_conn *c)
{
	if (srv.start >= 0 && &srv.conn[srv.start] == c)
		srv.start = -1;
	if (c->cap >= 0)
		cap_end(c);
	if (c->fd >= 0) {
		loop_del(c->fd);
		close(c->fd);
	}
	c->fd = -1;
}

/**
 * ctlsrv_stats_json() - Counters as JSON text (CTL_STATS)
 * @s:		Sentry, NULL for none (tests)
 * @cap:	Capture slot of the asking connection, -1 if none
 * @ended:	The sandbox has ended
 * @buf:	Result
 * @len:	Size of @buf
 *
 * Return: length of the text, or -ENOBUFS
 */
int ctlsrv_stats_json(const struct sentry *s, int cap, bool ended, char *buf,
		      size_t len)
{
	struct tap_cap_stats c;
	struct ns_stats ns;
	int n, m;

	ns_get_stats(&ns);
	n = snprintf(buf, len,
		     "{\"id\":\"%s\",\"ended\":%s,\"tap\":{\"rx\":%llu,"
		     "\"tx\":%llu,\"drops\":%llu},\"netstack\":{\"rx\":%llu,"
		     "\"rx_drops\":%llu,\"tx\":%llu,\"tcp\":%u,\"udp\":%u}",
		     srv.id, ended ? "true" : "false",
		     s ? (unsigned long long)s->tap.rx : 0ULL,
		     s ? (unsigned long long)s->tap.tx : 0ULL,
		     s ? (unsigned long long)s->tap.drops : 0ULL,
		     (unsigned long long)ns.rx_frames,
		     (unsigned long long)ns.rx_drops,
		     (unsigned long long)ns.tx_frames, ns.socks, ns.udps);
	if (n < 0 || (size_t)n >= len)
		return -ENOBUFS;
	if (cap >= 0) {
		tap_cap_stats(cap, &c);
		m = snprintf(
		    buf + n, len - (size_t)n,
		    ",\"pcap\":{\"seen\":%llu,\"matched\":%llu,"
		    "\"written\":%llu,\"dropped\":%llu,\"ended\":%s}",
		    (unsigned long long)c.seen, (unsigned long long)c.matched,
		    (unsigned long long)c.written,
		    (unsigned long long)c.dropped, c.ended ? "true" : "false");
		if (m < 0 || (size_t)(n + m) >= len)
			return -ENOBUFS;
		n += m;
	}
	if ((size_t)n + 2 > len)
		return -ENOBUFS;
	buf[n++] = '}';
	buf[n] = '\0';
	return n;
}

/**
 * ifaces_for() - Capture bits a request may have in this sandbox
 * @s:		Sentry
 * @want:	enum ctl_iface
 *
 * Return: TAP_CAP_* bits, 0 if the sandbox has none of them
 */
static unsigned int ifaces_for(const struct sentry *s, unsigned int want)
{
	unsigned int have = 0;

	if (s->mode == NET_SANDBOX)
		have = TAP_CAP_ETH0 | TAP_CAP_LO;
	else if (s->mode == NET_NONE)
		have = TAP_CAP_LO;
	if (want == CTL_IFACE_ANY)
		return have;
	return (have & want) == want ? want : 0;
}

/**
 * on_pcap_attach() - CTL_PCAP_ATTACH: start a live capture
 * @s:		Sentry
 * @c:		Connection
 * @m:		Request; its descriptor is taken on success
 * @reply:	Reply text (unused)
 * @rlen:	Its length
 *
 * Return: 0 or -errno for the reply
 */
static int on_pcap_attach(struct sentry *s, struct ctlsrv_conn *c,
			  struct ctl_msg *m, char *reply, size_t *rlen)
{
	const struct ctl_bpf_insn *insns;
	struct ctl_pcap_attach a;
	unsigned int ifaces;
	int r, slot;

	(void)reply;
	(void)rlen;
	r = ctl_pcap_attach_parse(m, &a, &insns);
	if (r < 0)
		return r == -EBADMSG ? -EINVAL : r;
	if (c->cap >= 0)
		return -EBUSY;
	ifaces = ifaces_for(s, a.iface);
	if (!ifaces)
		return -ENODEV;
	slot =
	    tap_cap_stream_open(m->fds[0], ifaces, a.snaplen,
				(const struct tap_bpf_insn *)insns, a.ninsns);
	if (slot < 0)
		return slot;
	m->nfds = 0; /* the stream is the capture's now */
	r = loop_add(tap_cap_fd(slot), EPOLLOUT | EPOLLET, LOOP_PCAP_OUT,
		     (uint32_t)(c - srv.conn));
	if (r < 0) {
		tap_cap_close(slot);
		return r;
	}
	c->cap = slot;
	debug("ctl: capture %d attached (%u instructions, snaplen %u)", slot,
	      a.ninsns, a.snaplen);
	return 0;
}

/**
 * on_stats() - CTL_STATS: counters as JSON
 * @s:		Sentry
 * @c:		Connection
 * @m:		Request
 * @reply:	Reply text
 * @rlen:	Its length
 *
 * Return: 0 or -errno for the reply
 */
static int on_stats(struct sentry *s, struct ctlsrv_conn *c, struct ctl_msg *m,
		    char *reply, size_t *rlen)
{
	int n = ctlsrv_stats_json(s, c->cap, false, reply, REPLY_MAX);

	(void)m;
	if (n < 0)
		return n;
	*rlen = (size_t)n;
	return 0;
}

/**
 * on_start() - CTL_START: release the workload; answered once the execve
 *		outcome is known (ctlsrv_reply_start())
 * @s:		Sentry
 * @c:		Connection
 * @m:		Request
 * @reply:	Reply text (unused)
 * @rlen:	Its length (unused)
 *
 * Return: CTLSRV_DEFER, or -errno (-EOPNOTSUPP: not an OCI container;
 * -EALREADY: started; -ESRCH: the workload is gone)
 */
static int on_start(struct sentry *s, struct ctlsrv_conn *c, struct ctl_msg *m,
		    char *reply, size_t *rlen)
{
	int r;

	(void)m, (void)reply, (void)rlen;
	if (!s->hold)
		return -EOPNOTSUPP; /* `runsc do`: nothing waits for a start */
	if (s->started || srv.start >= 0)
		return -EALREADY;
	if (s->exec_err || s->status >= 0)
		return -ESRCH;
	r = sandbox_ack(&s->sb);
	if (r < 0)
		return r;
	s->started = true;
	srv.start = (int)(c - srv.conn);
	return CTLSRV_DEFER;
}

/**
 * on_exec() - CTL_EXEC: serve the seccomp listener of an exec'd process
 * @s:		Sentry
 * @c:		Connection
 * @m:		Request, carrying the listener
 * @reply:	Reply text (unused)
 * @rlen:	Its length (unused)
 *
 * Return: 0 or -errno
 */
static int on_exec(struct sentry *s, struct ctlsrv_conn *c, struct ctl_msg *m,
		   char *reply, size_t *rlen)
{
	int r;

	(void)c, (void)reply, (void)rlen;
	if (m->nfds != 1)
		return -EINVAL;
	m->nfds = 0; /* consumed, whatever the outcome */
	r = sentry_add_listener(s, m->fds[0]);
	return r < 0 ? r : 0;
}

/**
 * ctlsrv_reply_start() - Answer the pending CTL_START, if its client waits
 * @err:	0 or -errno
 * @text:	Reply text
 * #syscalls sendmsg
 */
void ctlsrv_reply_start(int err, const char *text)
{
	if (srv.start < 0)
		return;
	ctl_send(srv.conn[srv.start].fd, CTL_REPLY, err, text, strlen(text),
		 NULL, 0);
	srv.start = -1;
}

typedef int (*ctlsrv_fn)(struct sentry *s, struct ctlsrv_conn *c,
			 struct ctl_msg *m, char *reply, size_t *rlen);

/* request handlers by type; NULL: not served by this sentry */
static const ctlsrv_fn handlers[CTL_NUM_TYPES] = {
    [CTL_START] = on_start,
    [CTL_EXEC] = on_exec,
    [CTL_PCAP_ATTACH] = on_pcap_attach,
    [CTL_STATS] = on_stats,
};

/**
 * ctlsrv_handle() - Read and answer one request on a connection
 * @s:		Sentry
 * @idx:	Connection slot
 *
 * Return: 0 (answered, deferred, or nothing was there), or -errno when the
 * connection is gone or broke the protocol (the caller closes it)
 * #syscalls recvmsg sendmsg close
 */
int ctlsrv_handle(struct sentry *s, uint32_t idx)
{
	static struct ctl_msg m;
	struct ctlsrv_conn *c = &srv.conn[idx];
	char reply[REPLY_MAX];
	size_t rlen = 0;
	int r;

	r = ctl_recv(c->fd, &m);
	if (r == -EAGAIN || r == -EINTR)
		return 0;
	if (r < 0)
		return r;
	if (m.hdr.type == CTL_REPLY || !handlers[m.hdr.type])
		r = -EOPNOTSUPP;
	else
		r = handlers[m.hdr.type](s, c, &m, reply, &rlen);
	ctl_msg_close_fds(&m);
	if (r == CTLSRV_DEFER)
		return 0;
	return ctl_send(c->fd, CTL_REPLY, r, reply, rlen, NULL, 0);
}

/**
 * ctlsrv_event() - Activity on a control connection
 * @s:		Sentry
 * @idx:	Connection slot
 * @events:	EPOLL* bits
 */
void ctlsrv_event(struct sentry *s, uint32_t idx, uint32_t events)
{
	struct ctlsrv_conn *c;

	if (idx >= CTLSRV_CONNS || srv.conn[idx].fd < 0)
		return;
	c = &srv.conn[idx];
	if (!(events & EPOLLIN) || ctlsrv_handle(s, idx) < 0)
		conn_close(c);
}

/**
 * ctlsrv_pcap_event() - A capture's stream became writable, or broke
 * @s:		Sentry
 * @idx:	Connection slot owning the capture
 * @events:	EPOLL* bits
 *
 * A stream whose reader is gone ends; the connection stays, so that the
 * client may still read its counters.
 */
void ctlsrv_pcap_event(struct sentry *s, uint32_t idx, uint32_t events)
{
	struct ctlsrv_conn *c;
	struct tap_cap_stats st;

	(void)s;
	if (idx >= CTLSRV_CONNS || srv.conn[idx].cap < 0)
		return;
	c = &srv.conn[idx];
	if (events & (EPOLLERR | EPOLLHUP) || tap_cap_flush(c->cap) == -EPIPE) {
		tap_cap_stats(c->cap, &st);
		debug("ctl: capture %d: reader gone after %llu records", c->cap,
		      (unsigned long long)st.written);
		/* keep the counters for CTL_STATS: stop writing only */
		loop_del(tap_cap_fd(c->cap));
	}
}

/**
 * ctlsrv_close() - Final counters to capture clients, close, remove
 * @s:	Sentry (its counters go into the final stats), NULL on setup failure
 *
 * Removes the control socket, the lock file and <root>/<id>. Runs confined
 * at the end of the sandbox: unlinkat is allowed on the two directory fds
 * only (isolate_allow_unlinkat()).
 * #syscalls sendmsg close epoll_ctl unlinkat
 */
void ctlsrv_close(const struct sentry *s)
{
	char buf[REPLY_MAX];
	int i, n;

	for (i = 0; i < CTLSRV_CONNS; i++) {
		if (srv.conn[i].fd < 0)
			continue;
		if (srv.conn[i].cap >= 0) {
			n = ctlsrv_stats_json(s, srv.conn[i].cap, true, buf,
					      sizeof(buf));
			if (n > 0)
				ctl_send(srv.conn[i].fd, CTL_STATS, 0, buf,
					 (size_t)n, NULL, 0);
		}
		conn_close(&srv.conn[i]);
	}
	if (srv.lfd >= 0) {
		loop_del(srv.lfd);
		close(srv.lfd);
		srv.lfd = -1;
	}
	if (srv.dirfd >= 0) {
		unlinkat(srv.dirfd, CTL_NAME, 0);
		unlinkat(srv.dirfd, "lock", 0); /* state_dir_open()'s */
		close(srv.dirfd);
		srv.dirfd = -1;
	}
	if (srv.rootfd >= 0) {
		if (unlinkat(srv.rootfd, srv.id, AT_REMOVEDIR) < 0)
			warn("ctl: could not remove the state directory of %s",
			     srv.id);
		close(srv.rootfd);
		srv.rootfd = -1;
	}
}
