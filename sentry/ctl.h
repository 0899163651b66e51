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
 *
 * Live capture (pcap-dump): the client sends CTL_PCAP_ATTACH whose payload
 * is struct ctl_pcap_attach followed by @ninsns struct ctl_bpf_insn (a
 * program compiled by libpcap for DLT_EN10MB), with one descriptor: the
 * write end of a pipe or socket, the stream. The sentry checks the
 * message (ctl_pcap_attach_parse()) and the program, writes the pcap file
 * header into the stream, then replies (CTL_REPLY, err 0 or -EINVAL bad
 * message or filter, -ENODEV no such interface in this sandbox, -ENOSPC
 * too many captures, -EBUSY one capture per connection, -EBADF the
 * descriptor is not a writable pipe or socket). From then on each frame
 * the filter accepts is written to the stream as a pcap record, without
 * blocking: a record the stream has no room for is dropped and counted.
 * CTL_STATS on that connection is answered with the counters as JSON text
 * (CTL_REPLY payload, see ctlsrv.c), including the capture's "pcap"
 * object {"seen","matched","written","dropped"}. The capture ends when the
 * client closes the connection (its stream is closed then); if the sandbox
 * ends first, the sentry sends one unsolicited CTL_STATS packet (same
 * JSON, "ended": true) and closes both.
 */
#pragma once

#include <assert.h>
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

enum ctl_iface {
	CTL_IFACE_ETH0 = 1, /* the external link */
	CTL_IFACE_LO = 2,   /* loopback inside the sandbox */
	CTL_IFACE_ANY = 3,  /* both */
};

#define CTL_SNAPLEN_MAX 262144 /* bytes kept of a frame */
#define CTL_BPF_MAX 4096       /* instructions in a filter (BPF_MAXINSNS) */

/**
 * struct ctl_bpf_insn - one classic BPF instruction, as struct bpf_insn
 * @code:	Opcode
 * @jt:		Jump offset if true
 * @jf:		Jump offset if false
 * @k:		Operand
 */
struct ctl_bpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/**
 * struct ctl_pcap_attach - CTL_PCAP_ATTACH payload, before the program
 * @iface:	enum ctl_iface
 * @snaplen:	Bytes kept of each frame, 1..CTL_SNAPLEN_MAX
 * @ninsns:	Instructions that follow, 0 (every frame) .. CTL_BPF_MAX
 * @flags:	0
 */
struct ctl_pcap_attach {
	uint32_t iface;
	uint32_t snaplen;
	uint32_t ninsns;
	uint32_t flags;
};

static_assert(sizeof(struct ctl_bpf_insn) == 8, "ctl_bpf_insn is 8 bytes");
static_assert(sizeof(struct ctl_pcap_attach) == 16,
	      "ctl_pcap_attach is 16 bytes");
static_assert(sizeof(struct ctl_pcap_attach) +
		      CTL_BPF_MAX * sizeof(struct ctl_bpf_insn) <=
		  CTL_PAYLOAD_MAX,
	      "a full program fits one packet");

int ctl_path(const char *root, const char *id, char *buf, size_t len);
int ctl_listen(const char *path, int *fd);
int ctl_connect(const char *path, int *fd);
int ctl_send(int fd, enum ctl_type type, int32_t err, const void *payload,
	     size_t len, const int *fds, int nfds);
int ctl_recv(int fd, struct ctl_msg *m);
int ctl_check(const void *pkt, size_t n, struct ctl_hdr *hdr);
void ctl_msg_close_fds(struct ctl_msg *m);
int ctl_pcap_attach_parse(const struct ctl_msg *m, struct ctl_pcap_attach *a,
			  const struct ctl_bpf_insn **insns);
int ctl_call(const char *path, enum ctl_type type, const void *payload,
	     size_t len, const int *fds, int nfds, struct ctl_msg *reply);
