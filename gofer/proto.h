/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.h - wire format between the sandbox and the gofer
 *
 * Theory of operation
 *
 * The gofer (gofer.h) is the only process that resolves host paths. It
 * talks over one unix SOCK_SEQPACKET socket per peer (tested by
 * tests/unit/gofer_proto.c, gofer_ops.c and gofer_tree.c); each packet is one message: a struct proto_hdr, then the fixed body of its
 * op, then (PROTO_OPEN) the path bytes. Descriptors travel as SCM_RIGHTS
 * and are named by their position; hdr.nfds must equal the number that
 * arrived. Requests name files by descriptor handles plus, for an open, a
 * path the gofer resolves itself below the guest's root
 * (RESOLVE_IN_ROOT): never by a host path.
 *
 *   PROTO_TREE   init stub -> gofer: "build my mount tree". Body: the spec
 *                indexes of the kernel file systems the stub made in its
 *                own namespaces (proc, sysfs, mqueue: they belong to the
 *                guest's pid/net/ipc namespaces); fds: those detached
 *                mounts, same order. Reply fds: the detached tree (root
 *                overlay, binds, tmpfs, the stub's mounts, masked and
 *                read-only paths), which the stub attaches and pivots to.
 *   PROTO_OPEN   sentry -> gofer: a trapped open/openat/openat2/creat of
 *                a guest process, with that process's credentials. fds:
 *                the guest's root, then (relative paths) its directory.
 *                Reply fd: the opened file, installed into the guest by
 *                the sentry.
 *
 * Every reply is struct proto_hdr + struct proto_reply (+ a message text
 * for PROTO_TREE failures). proto_check() validates a received packet
 * completely before any field is used: a hostile or buggy peer gets
 * -EBADMSG / -EINVAL back, never a crash.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAX_MSG 8192  /* a packet never exceeds this */
#define PROTO_MAX_FDS 16    /* descriptors in one packet */
#define PROTO_MAX_PATH 4096 /* PATH_MAX, including the NUL */
#define PROTO_MAX_GROUPS 32 /* supplementary groups carried */

enum proto_op {
	PROTO_TREE,
	PROTO_OPEN,
	PROTO_REPLY,
	PROTO_NUM_OPS,
};

/**
 * struct proto_hdr - start of every packet
 * @op:		enum proto_op
 * @len:	Bytes in the packet, this header included
 * @id:		Request id, echoed in the reply
 * @nfds:	Descriptors attached
 */
struct proto_hdr {
	uint32_t op;
	uint32_t len;
	uint32_t id;
	uint32_t nfds;
};
_Static_assert(sizeof(struct proto_hdr) == 16, "proto_hdr layout");

/**
 * struct proto_tree - PROTO_TREE body
 * @n:		Entries used in @index (= hdr.nfds)
 * @index:	Spec mount index of each attached mount
 */
struct proto_tree {
	uint32_t n;
	uint32_t index[PROTO_MAX_FDS];
};
_Static_assert(sizeof(struct proto_tree) == 68, "proto_tree layout");

/**
 * struct proto_open - PROTO_OPEN body, followed by @path_len path bytes
 * @flags:	open(2) flags as the guest gave them
 * @mode:	Mode for O_CREAT / O_TMPFILE
 * @umask:	The guest's umask
 * @resolve:	openat2 RESOLVE_* flags the guest asked for
 * @pid:	Guest thread (host pid, for the audit log)
 * @uid:	Guest fsuid
 * @gid:	Guest fsgid
 * @ngroups:	Entries used in @groups
 * @groups:	Supplementary groups
 * @cap_eff:	Effective capabilities
 * @path_len:	Path bytes that follow, NUL included (2..PROTO_MAX_PATH)
 * @pad:	Zero
 */
struct proto_open {
	int32_t flags;
	uint32_t mode;
	uint32_t umask;
	uint32_t resolve;
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
	uint32_t ngroups;
	uint32_t groups[PROTO_MAX_GROUPS];
	uint64_t cap_eff;
	uint32_t path_len;
	uint32_t pad;
};
_Static_assert(sizeof(struct proto_open) == 176, "proto_open layout");

/**
 * struct proto_reply - PROTO_REPLY body (a message text may follow)
 * @result:	0 / a descriptor was attached, or -errno
 * @text_len:	Bytes of NUL-terminated text that follow (0: none)
 */
struct proto_reply {
	int32_t result;
	uint32_t text_len;
};
_Static_assert(sizeof(struct proto_reply) == 8, "proto_reply layout");

/**
 * struct proto_msg - a received, checked packet
 * @hdr:	Header
 * @tree:	PROTO_TREE body
 * @open:	PROTO_OPEN body
 * @reply:	PROTO_REPLY body
 * @path:	PROTO_OPEN: the path (NUL-terminated, inside @buf)
 * @text:	PROTO_REPLY: the text or "" (inside @buf)
 * @fds:	Received descriptors (owned by the caller of proto_recv())
 * @nfds:	Number of @fds
 * @buf:	Raw packet
 */
struct proto_msg {
	struct proto_hdr hdr;
	union {
		struct proto_tree tree;
		struct proto_open open;
		struct proto_reply reply;
	};
	const char *path;
	const char *text;
	int fds[PROTO_MAX_FDS];
	int nfds;
	_Alignas(8) unsigned char buf[PROTO_MAX_MSG];
};

int proto_check(struct proto_msg *m, size_t n);
int proto_recv(int sock, struct proto_msg *m);
int proto_recv_op(int sock, struct proto_msg *m, enum proto_op op,
		  int timeout_ms);
void proto_close_fds(struct proto_msg *m);
int proto_send_tree(int sock, uint32_t id, const uint32_t *index,
		    const int *fds, uint32_t n);
int proto_send_open(int sock, uint32_t id, const struct proto_open *o,
		    const char *path, const int *fds, int nfds);
int proto_send_reply(int sock, uint32_t id, int result, const char *text,
		     int fd);
