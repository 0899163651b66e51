// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proto.c - encoding and checked decoding of gofer messages (proto.h)
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base.h"
#include "fd.h"
#include "gofer/proto.h"

/* fixed body size of each op */
static const size_t body_size[] = {
    [PROTO_TREE] = sizeof(struct proto_tree),
    [PROTO_OPEN] = sizeof(struct proto_open),
    [PROTO_REPLY] = sizeof(struct proto_reply),
};
static_assert(ARRAY_SIZE(body_size) == PROTO_NUM_OPS, "body_size out of sync");

/**
 * check_tail() - Validate the variable part after a body
 * @m:		Message, header and body copied
 * @tail:	Bytes after the body
 *
 * Return: 0 or -EBADMSG / -EINVAL
 */
static int check_tail(struct proto_msg *m, size_t tail)
{
	const char *p =
	    (const char *)m->buf + sizeof(m->hdr) + body_size[m->hdr.op];
	uint32_t want;

	switch (m->hdr.op) {
	case PROTO_TREE:
		if (tail || m->tree.n != m->hdr.nfds)
			return -EBADMSG;
		return 0;
	case PROTO_OPEN:
		want = m->open.path_len;
		if (want < 2 || want > PROTO_MAX_PATH || want != tail ||
		    p[want - 1] || memchr(p, '\0', want - 1))
			return -EBADMSG;
		if (m->open.ngroups > PROTO_MAX_GROUPS || m->open.pad ||
		    m->hdr.nfds < 1 || m->hdr.nfds > 2)
			return -EINVAL;
		m->path = p;
		return 0;
	default: /* PROTO_REPLY */
		want = m->reply.text_len;
		if (want != tail ||
		    (want && (p[want - 1] || memchr(p, '\0', want - 1))))
			return -EBADMSG;
		if (m->hdr.nfds > 1 || (m->hdr.nfds && m->reply.result < 0))
			return -EBADMSG;
		m->text = want ? p : "";
		return 0;
	}
}

/**
 * proto_check() - Validate a packet received into @m->buf
 * @m:		Message; @buf holds @n bytes, @fds/@nfds what arrived
 * @n:		Packet length
 *
 * Fills @hdr, the body, @path / @text. Nothing in the packet is trusted.
 *
 * Return: 0, or -EBADMSG (malformed) / -EINVAL (bad field)
 */
int proto_check(struct proto_msg *m, size_t n)
{
	m->path = m->text = NULL;
	if (n < sizeof(m->hdr) || n > sizeof(m->buf))
		return -EBADMSG;
	memcpy(&m->hdr, m->buf, sizeof(m->hdr));
	if (m->hdr.op >= PROTO_NUM_OPS || m->hdr.len != n ||
	    m->hdr.nfds != (uint32_t)m->nfds || m->hdr.nfds > PROTO_MAX_FDS)
		return -EBADMSG;
	if (n - sizeof(m->hdr) < body_size[m->hdr.op])
		return -EBADMSG;
	memcpy(&m->tree, m->buf + sizeof(m->hdr), body_size[m->hdr.op]);
	return check_tail(m, n - sizeof(m->hdr) - body_size[m->hdr.op]);
}

/**
 * proto_close_fds() - Close the descriptors a message brought
 * @m:	Message
 */
void proto_close_fds(struct proto_msg *m)
{
	int i;

	for (i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	m->nfds = 0;
}

/**
 * proto_recv() - Receive and check one packet
 * @sock:	Socket
 * @m:		Result; on error no descriptor stays open
 *
 * Return: 0, -EPIPE at end of stream, or -errno (-EBADMSG: malformed)
 * #syscalls recvmsg close
 */
int proto_recv(int sock, struct proto_msg *m)
{
	bool lost;
	ssize_t n;
	int r;

	m->nfds = PROTO_MAX_FDS;
	n = fd_recvmsg(sock, m->buf, sizeof(m->buf), m->fds, &m->nfds, &lost);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		proto_close_fds(m);
		return -EPIPE;
	}
	/* a packet or descriptor list cut short is never judged by its start */
	r = lost ? -EBADMSG : proto_check(m, (size_t)n);
	if (r < 0)
		proto_close_fds(m);
	return r;
}

/**
 * proto_recv_op() - Wait (bounded) for one packet of an expected op
 * @sock:	Socket
 * @m:		Result; on error no descriptor stays open
 * @op:		The op the peer must send
 * @timeout_ms:	Bound on the wait
 *
 * Return: 0, -ETIMEDOUT, -EPIPE, or -errno (-EBADMSG: malformed, or
 * another op)
 */
int proto_recv_op(int sock, struct proto_msg *m, enum proto_op op,
		  int timeout_ms)
{
	int r = fd_wait_in(sock, timeout_ms);

	if (!r)
		r = proto_recv(sock, m);
	if (!r && m->hdr.op != op) {
		proto_close_fds(m);
		r = -EBADMSG;
	}
	return r;
}

/**
 * send_msg() - Send header, body and tail as one packet
 * @sock:	Socket
 * @op:		enum proto_op
 * @id:		Request id
 * @body:	Fixed body (body_size[op] bytes)
 * @tail:	Variable part, or NULL
 * @tlen:	Its length
 * @fds:	Descriptors
 * @nfds:	Their number
 *
 * Return: 0 or -errno
 * #syscalls sendmsg
 */
static int send_msg(int sock, uint32_t op, uint32_t id, const void *body,
		    const void *tail, size_t tlen, const int *fds, int nfds)
{
	struct proto_hdr h = {.op = op,
			      .id = id,
			      .nfds = (uint32_t)nfds,
			      .len =
				  (uint32_t)(sizeof(h) + body_size[op] + tlen)};
	struct iovec iov[3] = {{&h, sizeof(h)},
			       {(void *)body, body_size[op]},
			       {(void *)tail, tlen}};

	if (h.len > PROTO_MAX_MSG || nfds > PROTO_MAX_FDS)
		return -EMSGSIZE;
	return fd_sendv(sock, iov, tlen ? 3 : 2, fds, nfds);
}

/**
 * proto_send_tree() - Ask the gofer for the mount tree
 * @sock:	Socket
 * @id:		Request id
 * @index:	Spec mount index of each of @fds
 * @fds:	Detached mounts made by the stub
 * @n:		Number of entries
 *
 * Return: 0 or -errno
 */
int proto_send_tree(int sock, uint32_t id, const uint32_t *index,
		    const int *fds, uint32_t n)
{
	struct proto_tree t = {.n = n};

	if (n > PROTO_MAX_FDS)
		return -E2BIG;
	memcpy(t.index, index, n * sizeof(*index));
	return send_msg(sock, PROTO_TREE, id, &t, NULL, 0, fds, (int)n);
}

/**
 * proto_send_open() - Forward a guest's open to the gofer
 * @sock:	Socket
 * @id:		Request id
 * @o:		Body (@path_len is filled in here)
 * @path:	Path as the guest gave it
 * @fds:	The guest's root, then its directory for relative paths
 * @nfds:	1 or 2
 *
 * Return: 0 or -errno (-ENAMETOOLONG for long paths)
 */
int proto_send_open(int sock, uint32_t id, const struct proto_open *o,
		    const char *path, const int *fds, int nfds)
{
	struct proto_open b = *o;
	size_t l = strlen(path) + 1;

	if (l > PROTO_MAX_PATH)
		return -ENAMETOOLONG;
	b.path_len = (uint32_t)l;
	b.pad = 0;
	return send_msg(sock, PROTO_OPEN, id, &b, path, l, fds, nfds);
}

/**
 * proto_send_reply() - Answer a request
 * @sock:	Socket
 * @id:		Request id
 * @result:	0 or -errno
 * @text:	Message for the log, or NULL
 * @fd:		Descriptor to pass, or -1
 *
 * Return: 0 or -errno
 */
int proto_send_reply(int sock, uint32_t id, int result, const char *text,
		     int fd)
{
	struct proto_reply b = {.result = result};
	size_t l = text ? MIN(strlen(text) + 1, (size_t)1024) : 0;
	char t[1024];

	if (l) {
		memcpy(t, text, l - 1);
		t[l - 1] = '\0';
	}
	b.text_len = (uint32_t)l;
	return send_msg(sock, PROTO_REPLY, id, &b, l ? t : NULL, l,
			fd >= 0 ? &fd : NULL, fd >= 0 ? 1 : 0);
}
