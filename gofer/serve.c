// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - the gofer's loop for mediated opens (gofer.h)
 *
 * One blocking receive at a time on the sentry's SOCK_SEQPACKET socket: the
 * gofer has nothing else to wait for, and each request is answered before
 * the next is read (the sentry waits for the reply). A malformed packet is
 * answered with -EBADMSG; the loop only ends when the sentry closes its end
 * or the socket itself fails.
 */
#include <errno.h>
#include <unistd.h>

#include "base.h"
#include "gofer/gofer.h"
#include "gofer/ops.h"
#include "gofer/proto.h"
#include "log.h"
#include "sentry/isolate.h"

#define SERVE_MAX_ERRORS 64 /* consecutive socket errors before giving up */

/**
 * serve_one() - Answer one received, checked request
 * @cfg:	Configuration
 * @m:		Request; its descriptors are closed here
 * #syscalls:gofer sendmsg close
 */
static void serve_one(const struct gofer_cfg *cfg, struct proto_msg *m)
{
	int fd = -1, r;

	if (m->hdr.op == PROTO_OPEN)
		r = gofer_open(&cfg->policy, m, &fd);
	else
		r = -EOPNOTSUPP;
	proto_close_fds(m);
	if (proto_send_reply(cfg->sock_fd, m->hdr.id, r, NULL, fd) < 0)
		debug("gofer: reply to request %u dropped", m->hdr.id);
	if (fd >= 0)
		close(fd);
}

/**
 * gofer_serve_opens() - Serve the sentry's PROTO_OPEN requests until it
 * closes the socket
 * @cfg:	Configuration (@sock_fd, @policy)
 *
 * Confines the process first: an empty root with /proc (isolate_fs()),
 * then the allowlist (gofer_isolate()).
 *
 * Return: 0 when the sentry closed its end, or -errno
 * #syscalls:gofer recvmsg sendmsg
 */
int gofer_serve_opens(const struct gofer_cfg *cfg)
{
	static struct proto_msg m;
	int r, errors = 0;

	/* everything is reached through the sentry's descriptors (and
	 * /proc/self/fd): the gofer gives the host's files up too */
	r = isolate_fs();
	if (!r)
		r = gofer_isolate();
	if (r < 0)
		return r;
	debug("gofer: serving opens (%d deny patterns, audit %s)",
	      cfg->policy.n_deny, cfg->policy.audit_fd >= 0 ? "on" : "off");
	for (;;) {
		m.hdr.id = 0; /* the id of a packet too short to have one */
		r = proto_recv(cfg->sock_fd, &m);
		if (r == -EPIPE)
			return 0;
		if (r == -EBADMSG || r == -EINVAL) {
			proto_send_reply(cfg->sock_fd, m.hdr.id, -EBADMSG, NULL,
					 -1);
			errors = 0;
			continue;
		}
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			if (++errors < SERVE_MAX_ERRORS)
				continue;
			err_errno(r, "gofer: receiving from the sentry");
			return r;
		}
		errors = 0;
		serve_one(cfg, &m);
	}
}
