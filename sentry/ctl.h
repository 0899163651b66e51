/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl.h - the sentry's control socket: framing of requests and replies
 *
 * Theory of operation
 *
 * A running sandbox listens on <root>/<id>/ctl (design.md section 9), an
 * AF_UNIX SOCK_SEQPACKET socket: one request or reply per packet, so no
 * stream reassembly and no partial messages. The runtime CLI (start, exec)
 * and pcap-dump connect, send one request and read one reply; a capture
 * keeps its connection open until the client closes it.
 *
 * A packet is struct ctl_hdr followed by @len payload bytes (at most
 * CTL_PAYLOAD_MAX) and carries at most CTL_FDS_MAX descriptors in
 * SCM_RIGHTS. Requests name a type (enum ctl_type); a reply has type
 * CTL_REPLY and its @err field is 0 or a negative errno. ctl_recv() checks
 * the header against the packet's real size, so a hostile or confused peer
 * gets -EBADMSG, never a read past what arrived; descriptors of a rejected
 * packet are closed. Every function returns 0 / a length or -errno; every
 * fd is O_CLOEXEC and owned by the caller.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CTL_MAGIC 0x52435431U /* "RCT1" */
#define CTL_PAYLOAD_MAX 65536 /* bytes after the header */
#define CTL_FDS_MAX 4	      /* descriptors per packet */
#define CTL_NAME "ctl"	      /* socket name in the state directory */

enum ctl_type {
	CTL_REPLY = 0,	     /* reply to any request: err, payload */
	CTL_START = 1,	     /* release the workload (runsc start) */
	CTL_EXEC = 2,	     /* adopt a seccomp listener: fd 0 (runsc exec) */
	CTL_PCAP_ATTACH = 3, /* live capture (pcap-dump) */
	CTL_STATS = 4,	     /* counters as JSON text */
	CTL_NUM_TYPES,
};

/**
 * struct ctl_hdr - header of every packet
 * @magic:	CTL_MAGIC
 * @type:	enum ctl_type
 * @err:	Replies: 0 or -errno; requests: 0
 * @len:	Payload bytes that follow
 */
struct ctl_hdr {
	uint32_t magic;
	uint32_t type;
	int32_t err;
	uint32_t len;
};

/**
 * struct ctl_msg - one received packet
 * @hdr:	Header, validated
 * @payload:	@hdr.len bytes (NUL-terminated one past them for text)
 * @fds:	Received descriptors, owned by the receiver
 * @nfds:	Number of @fds
 */
struct ctl_msg {
	struct ctl_hdr hdr;
	uint8_t payload[CTL_PAYLOAD_MAX + 1];
	int fds[CTL_FDS_MAX];
	int nfds;
};

int ctl_path(const char *root, const char *id, char *buf, size_t len);
int ctl_listen(const char *path, int *fd);
int ctl_connect(const char *path, int *fd);
int ctl_send(int fd, enum ctl_type type, int32_t err, const void *payload,
	     size_t len, const int *fds, int nfds);
int ctl_recv(int fd, struct ctl_msg *m);
int ctl_check(const void *pkt, size_t n, struct ctl_hdr *hdr);
void ctl_msg_close_fds(struct ctl_msg *m);
int ctl_call(const char *path, enum ctl_type type, const void *payload,
	     size_t len, const int *fds, int nfds, struct ctl_msg *reply);
