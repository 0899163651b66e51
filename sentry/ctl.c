// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl.c - the sentry's control socket: framing of requests and replies
 *
 * See ctl.h for the theory of operation.
 */
#include "ctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"

/**
 * ctl_path() - Path of a container's control socket
 * @root:	State root (--root)
 * @id:		Container id
 * @buf:	Result
 * @len:	Size of @buf
 *
 * Return: 0, or -ENAMETOOLONG if it does not fit @buf or a sun_path
 */
int ctl_path(const char *root, const char *id, char *buf, size_t len)
{
	struct sockaddr_un sa;
	int n = snprintf(buf, len, "%s/%s/%s", root, id, CTL_NAME);

	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	return 0;
}

/**
 * ctl_addr() - Fill a sockaddr_un
 * @path:	Socket path
 * @sa:		Result
 *
 * Return: 0 or -ENAMETOOLONG
 */
static int ctl_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/**
 * ctl_listen() - Create the listening control socket (mode 0600)
 * @path:	Socket path; a stale socket there is replaced
 * @fd:		Listening socket, on success (CLOEXEC, non-blocking)
 *
 * Return: 0 or -errno
 * #syscalls:setup socket bind listen unlink fchmod
 */
int ctl_listen(const char *path, int *fd)
{
	_cleanup_close_ int s = -1;
	struct sockaddr_un sa;
	int r = ctl_addr(path, &sa);

	if (r < 0)
		return r;
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -errno;
	unlink(path);
	if (fchmod(s, 0600) || bind(s, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s, 64))
		return -errno;
	*fd = TAKE_FD(s);
	return 0;
}

/**
 * ctl_connect() - Connect to a control socket
 * @path:	Socket path
 * @fd:		Connected socket, on success (CLOEXEC, blocking)
 *
 * Return: 0 or -errno (-ENOENT / -ECONNREFUSED: no sentry listens)
 */
int ctl_connect(const char *path, int *fd)
{
	_cleanup_close_ int s = -1;
	struct sockaddr_un sa;
	int r = ctl_addr(path, &sa);

	if (r < 0)
		return r;
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	*fd = TAKE_FD(s);
	return 0;
}

/**
 * ctl_send() - Send one packet
 * @fd:		Connected control socket
 * @type:	Message type
 * @err:	0 or -errno (replies)
 * @payload:	Payload, or NULL if @len is 0
 * @len:	Payload bytes, at most CTL_PAYLOAD_MAX
 * @fds:	Descriptors to pass (not consumed)
 * @nfds:	Number of @fds, at most CTL_FDS_MAX
 *
 * Return: 0 or -errno
 */
int ctl_send(int fd, enum ctl_type type, int32_t err, const void *payload,
	     size_t len, const int *fds, int nfds)
{
	struct ctl_hdr h = {CTL_MAGIC, (uint32_t)type, err, (uint32_t)len};
	struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)payload, len}};

	if (len > CTL_PAYLOAD_MAX || nfds > CTL_FDS_MAX)
		return -EINVAL;
	return fd_sendv(fd, iov, len ? 2 : 1, fds, nfds);
}

/**
 * ctl_check() - Validate a packet's header against its size
 * @pkt:	Packet as received
 * @n:		Bytes received
 * @hdr:	Header, on success
 *
 * Return: 0, or -EBADMSG (short, bad magic, unknown type, length that
 * disagrees with the packet, a request carrying an error)
 */
int ctl_check(const void *pkt, size_t n, struct ctl_hdr *hdr)
{
	if (n < sizeof(*hdr))
		return -EBADMSG;
	memcpy(hdr, pkt, sizeof(*hdr));
	if (hdr->magic != CTL_MAGIC || hdr->type >= CTL_NUM_TYPES ||
	    hdr->len > CTL_PAYLOAD_MAX || hdr->len != n - sizeof(*hdr))
		return -EBADMSG;
	if (hdr->type != CTL_REPLY && hdr->err)
		return -EBADMSG;
	if (hdr->type == CTL_REPLY && (hdr->err > 0 || hdr->err < -4095))
		return -EBADMSG;
	return 0;
}

/**
 * ctl_msg_close_fds() - Close the descriptors of a message
 * @m:	Message
 */
void ctl_msg_close_fds(struct ctl_msg *m)
{
	int i;

	for (i = 0; i < m->nfds; i++)
		close(m->fds[i]);
	m->nfds = 0;
}

/**
 * ctl_recv() - Receive and validate one packet
 * @fd:		Control socket
 * @m:		Result; its descriptors belong to the caller on success and
 *		are closed on failure
 *
 * Return: 0, -EAGAIN (non-blocking socket, nothing there), -EPIPE (peer
 * closed), -EBADMSG (malformed, truncated, or more than CTL_FDS_MAX
 * descriptors), or another -errno
 * #syscalls recvmsg close
 */
int ctl_recv(int fd, struct ctl_msg *m)
{
	static uint8_t pkt[sizeof(struct ctl_hdr) + CTL_PAYLOAD_MAX + 1];
	int nfds = CTL_FDS_MAX, r = 0;
	bool lost;
	ssize_t n;

	m->nfds = 0;
	n = fd_recvmsg(fd, pkt, sizeof(pkt), m->fds, &nfds, &lost);
	if (n < 0)
		return (int)n;
	m->nfds = nfds;
	if (n == 0 && !nfds && !lost)
		r = -EPIPE;
	else if (lost)
		r = -EBADMSG; /* cut short, or more descriptors than we take */
	else
		r = ctl_check(pkt, (size_t)n, &m->hdr);
	if (r < 0) {
		ctl_msg_close_fds(m);
		return r;
	}
	memcpy(m->payload, pkt + sizeof(m->hdr), m->hdr.len);
	m->payload[m->hdr.len] = '\0';
	return 0;
}

/**
 * ctl_pcap_attach_parse() - Check a CTL_PCAP_ATTACH request's layout
 * @m:		Received message
 * @a:		Fixed part, on success
 * @insns:	The program (inside @m's payload), on success; NULL if none
 *
 * Checks the layout only; the program itself is validated where it runs
 * (tap_bpf_validate()).
 *
 * Return: 0, or -EBADMSG (wrong type, length that disagrees with
 * @a->ninsns, not exactly one descriptor), -EINVAL (unknown interface,
 * snaplen out of range, too many instructions, flags set)
 */
int ctl_pcap_attach_parse(const struct ctl_msg *m, struct ctl_pcap_attach *a,
			  const struct ctl_bpf_insn **insns)
{
	size_t len = m->hdr.len;

	if (m->hdr.type != CTL_PCAP_ATTACH || len < sizeof(*a) || m->nfds != 1)
		return -EBADMSG;
	memcpy(a, m->payload, sizeof(*a));
	if (a->ninsns > CTL_BPF_MAX || a->flags || a->iface < CTL_IFACE_ETH0 ||
	    a->iface > CTL_IFACE_ANY || !a->snaplen ||
	    a->snaplen > CTL_SNAPLEN_MAX)
		return -EINVAL;
	if ((len - sizeof(*a)) != (size_t)a->ninsns * sizeof(**insns))
		return -EBADMSG;
	*insns = a->ninsns
		     ? (const struct ctl_bpf_insn *)(const void *)(m->payload +
								   sizeof(*a))
		     : NULL;
	return 0;
}

/**
 * ctl_call() - Connect, send one request, wait for its reply
 * @path:	Socket path
 * @type:	Request type
 * @payload:	Request payload
 * @len:	Its length
 * @fds:	Descriptors to pass
 * @nfds:	Their number
 * @reply:	The reply (its fds are the caller's)
 *
 * Return: the reply's err (0 or -errno), or -errno of the exchange itself
 */
int ctl_call(const char *path, enum ctl_type type, const void *payload,
	     size_t len, const int *fds, int nfds, struct ctl_msg *reply)
{
	_cleanup_close_ int s = -1;
	int r = ctl_connect(path, &s);

	if (!r)
		r = ctl_send(s, type, 0, payload, len, fds, nfds);
	if (!r)
		r = ctl_recv(s, reply);
	if (!r && reply->hdr.type != CTL_REPLY) {
		ctl_msg_close_fds(reply);
		r = -EBADMSG;
	}
	return r < 0 ? r : reply->hdr.err;
}
