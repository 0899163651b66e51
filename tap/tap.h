/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tap.h - link endpoints moving whole Ethernet frames
 *
 * Theory of operation
 *
 * A struct tap wraps one frame fd: a tap device (/dev/net/tun, IFF_TAP |
 * IFF_NO_PI, and IFF_VNET_HDR when offloads are on) created by
 * tap_create() in the caller's network namespace. tap is passive: the
 * owner of the loop polls tap->fd and calls tap_rx_burst() to read up to
 * TAP_BATCH frames into the tap's own ring (no allocation per frame);
 * tap_tx() takes one frame given as an iovec, and tap_tx_flush() writes
 * what tap_tx() queued (see Transmit queue). tap never includes netstack:
 * boot code wires the two together.
 *
 * Offloads (virtio-net header): the host may hand us frames whose TCP/UDP
 * checksum is partial or already validated (tap_frame_csum_ok() says so,
 * and netstack then skips its own check) and TCP segments of up to 64 KiB
 * (TSO: one segment instead of several MTU-sized ones). On transmit, TCP
 * and UDP frames leave with the pseudo-header sum in their checksum field
 * and VIRTIO_NET_HDR_F_NEEDS_CSUM: the host kernel completes or skips the
 * checksum, so no one computes it over the payload in software.
 *
 * tap_host_config() gives the host side of the tap its addresses, MTU and
 * link state, with ioctls in the caller's network namespace; it is only
 * used by `runsc do`, whose caller chose that namespace.
 *
 * Packet socket (tap_packet_open(), under Docker): the frame fd is an
 * AF_PACKET socket bound to an interface that already exists, such as the
 * container's veth eth0 once its addresses were taken from the kernel
 * (sentry/ifscrape.h). It carries the same virtio-net header as a tap with
 * IFF_VNET_HDR, so tap_adopt(t, fd, mtu, true), tap_rx_burst() and
 * tap_tx() drive it unchanged: read() returns one frame, writev() sends
 * one. Two differences from a tap: the kernel delivers whatever reaches
 * the interface, with no offload negotiation, so a UDP super-frame
 * (UDP_SEGMENT from the host side, gso_type UDP_L4) arrives whole and
 * tap_rx_burst() cuts it into the datagrams the sender meant (up to
 * TAP_GSO_SEGS of them, in slots after TAP_BATCH); and a frame the kernel
 * cannot express in a virtio-net header fails read() with EINVAL and is
 * counted as a drop. The socket filter keeps frames for other hosts and
 * VLAN-tagged frames out (see tap/packet.c).
 *
 * Transmit queue (txq.c), with offloads only: tap_tx() copies the frame
 * into a buffer of TAP_TXQ_BYTES allocated by tap_adopt(), and the owner
 * of the loop calls tap_tx_flush() once per iteration, before it sleeps
 * (tap_tx() flushes by itself when the queue is full). A frame never
 * waits longer than one loop pass. On the way in, a TCP segment that
 * continues the frame queued just before it (same Ethernet, IP and TCP
 * headers but for lengths, IPv4 ID, sequence number and checksums; IPv4
 * without options or IPv6 without extension headers; ID and sequence
 * contiguous; flags ACK, and PSH only on the last; every payload as large
 * as the first, which is at least TAP_TSO_MIN bytes, but the last) is
 * appended to it: the run leaves as one TSO super-frame (gso_type TCPV4 or
 * TCPV6, gso_size the first payload, NEEDS_CSUM), of at most TAP_TSO_SEGS
 * segments and TAP_TSO_BYTES bytes, that the kernel cuts back into exactly
 * those segments when it must (or delivers whole: veth and local TCP take
 * super-frames), for one writev() instead of one per segment. Everything
 * else leaves as it came, in order: frames are only merged with their
 * neighbour. Sending GSO needs no offload flag on either link: a tap
 * parses the header of every write, and PACKET_VNET_HDR takes gso_type on
 * send. Capture sinks see the segments as tap_tx() got them, not the
 * super-frames.
 *
 * Capture (capture.c): a process-wide table of TAP_CAP_MAX sinks, each
 * taking the frames of some interfaces (TAP_CAP_ETH0: every frame
 * tap_rx_burst() reads and tap_tx() writes; TAP_CAP_LO: what the owner
 * feeds to tap_cap_lo(), netstack's loopback as pseudo-Ethernet frames).
 * A sink is either a --pcap-log file (libpcap's pcap_dump on a pre-opened
 * fd, buffered, flushed by tap_cap_tick() at most TAP_CAP_FLUSH_MS after a
 * write) or a live stream (pcap-dump): a pipe or socket, written without
 * blocking, behind a classic BPF filter checked by tap_bpf_validate() and
 * run by tap_bpf_run() on the frame in place (no copy). A stream gets the
 * pcap file header at open, then one record per matching frame; a record
 * that finds no room is dropped and counted, one that fits only in part is
 * finished from a per-sink buffer (tap_cap_flush(), when the fd is
 * writable again) before any other is written, so the stream stays a valid
 * pcap file and the link never waits for a reader. Timestamps are
 * CLOCK_REALTIME in nanoseconds; the link type is Ethernet. A frame no
 * sink wants costs one test of a bit mask. tap never calls epoll: the owner
 * of the loop watches tap_cap_fd() for EPOLLOUT (edge-triggered) and ends
 * a stream whose reader went away (tap_cap_stats() says so).
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <time.h>

#ifndef TAP_BATCH
#define TAP_BATCH 64 /* frames read per wake-up */
#endif
#ifndef TAP_GSO_SEGS
/* datagrams of one UDP super-frame (Linux's UDP_MAX_SEGMENTS); a super-frame
 * of more is dropped */
#define TAP_GSO_SEGS 128
#endif
#define TAP_FRAMES (TAP_BATCH + TAP_GSO_SEGS) /* most frames of one burst */
#ifndef TAP_TXQ_BYTES
#define TAP_TXQ_BYTES (256 << 10) /* bytes: transmit queue buffer */
#endif
#ifndef TAP_TXQ_FRAMES
#define TAP_TXQ_FRAMES 256 /* frames or super-frames in the transmit queue */
#endif
#ifndef TAP_TSO_SEGS
#define TAP_TSO_SEGS 45 /* TCP segments in one super-frame */
#endif
#ifndef TAP_TSO_BYTES
/* bytes: largest super-frame, Ethernet header included (Linux sends a GSO
 * skb of 64 KiB or more to veth in software segments) */
#define TAP_TSO_BYTES 65535
#endif
#ifndef TAP_TSO_MIN
/* bytes: smallest payload that starts a super-frame (the minimum MSS): a
 * shorter segment is not part of a bulk transfer */
#define TAP_TSO_MIN 536
#endif
#ifndef TAP_PACKET_RCVBUF
#define TAP_PACKET_RCVBUF (8 << 20) /* bytes: packet socket receive buffer */
#endif
#ifndef TAP_PACKET_SNDBUF
#define TAP_PACKET_SNDBUF (4 << 20) /* bytes: packet socket send buffer */
#endif

/**
 * struct tap_txf - one frame of the transmit queue, or a super-frame
 * @off:	Start in the queue buffer
 * @len:	Ethernet frame bytes
 * @hlen:	Ethernet, IP and TCP header bytes of a segment (0: not TCP data)
 * @csum_start:	L4 header offset, with @csum_off: NEEDS_CSUM (0: none)
 * @csum_off:	Offset of the checksum field in the L4 header
 * @gso:	Payload bytes of each segment but the last
 * @segs:	Segments in the frame
 * @open:	The next segment of the flow may still be appended
 * @v6:		IPv6 (else IPv4)
 * @seq:	TCP sequence number the next segment must carry
 * @id:		IPv4 ID the next segment must carry
 */
struct tap_txf {
	uint32_t off;
	uint32_t len;
	uint16_t hlen;
	uint16_t csum_start;
	uint16_t csum_off;
	uint16_t gso;
	uint16_t segs;
	bool open;
	bool v6;
	uint32_t seq;
	uint16_t id;
};

/**
 * struct tap - one frame endpoint
 * @fd:		Frame fd, owned: closed by tap_close(); -1 if none
 * @mtu:	Largest IP packet without offloads
 * @vnet:	Frames carry a struct virtio_net_hdr (offloads on)
 * @ring:	Receive buffers of @frame_max bytes: TAP_BATCH, or TAP_FRAMES
 *		with @vnet (room for the datagrams of UDP super-frames)
 * @frame_max:	Size of one receive buffer
 * @len:	Lengths of the frames of the last burst
 * @csum_ok:	Frame's L4 checksum needs no check (partial or validated)
 * @txbuf:	Transmit queue buffer, TAP_TXQ_BYTES (with @vnet), or NULL
 * @txused:	Bytes of @txbuf in use
 * @txf:	Queued frames, in order
 * @ntxf:	Entries of @txf in use
 * @rx:		Frames received
 * @tx:		Frames sent (a super-frame counts its segments)
 * @tx_tso:	Super-frames sent
 * @drops:	Frames dropped (malformed, or the device refused them)
 */
struct tap {
	int fd;
	unsigned int mtu;
	bool vnet;
	uint8_t *ring;
	size_t frame_max;
	size_t len[TAP_FRAMES];
	bool csum_ok[TAP_FRAMES];
	uint8_t *txbuf;
	size_t txused;
	struct tap_txf txf[TAP_TXQ_FRAMES];
	int ntxf;
	uint64_t rx;
	uint64_t tx;
	uint64_t tx_tso;
	uint64_t drops;
};

int tap_create(const char *name, bool offload, char *ifname, int *fd);
int tap_host_config(const char *ifname, unsigned int mtu, struct in_addr addr4,
		    unsigned int prefix4, const struct in6_addr *addr6,
		    unsigned int prefix6);
int tap_adopt(struct tap *t, int fd, unsigned int mtu, bool vnet);
void tap_close(struct tap *t);
int tap_rx_burst(struct tap *t);
const uint8_t *tap_frame(const struct tap *t, int i);
int tap_tx(struct tap *t, const struct iovec *iov, int iovcnt);
int tap_tx_flush(struct tap *t);
int tap_csum_partial(const struct iovec *iov, int iovcnt, uint16_t *start,
		     uint16_t *offset);
int tap_packet_open(const char *ifname, int *fd);

/* --- capture (capture.c) ------------------------------------------------ */

#ifndef TAP_CAP_MAX
#define TAP_CAP_MAX 16 /* sinks: --pcap-log files and live streams */
#endif
#ifndef TAP_CAP_FLUSH_MS
#define TAP_CAP_FLUSH_MS 50 /* ms a --pcap-log record may stay buffered */
#endif
#define TAP_BPF_MAX 4096       /* instructions in a filter (BPF_MAXINSNS) */
#define TAP_SNAPLEN_MAX 262144 /* bytes kept of a frame (libpcap's maximum) */
#define TAP_PCAP_HDR 24	       /* bytes of the pcap file header */
#define TAP_PCAP_REC 16	       /* bytes of a pcap record header */

enum tap_cap_if {
	TAP_CAP_ETH0 = 1 << 0, /* the external link */
	TAP_CAP_LO = 1 << 1,   /* loopback inside the sandbox */
};

/**
 * struct tap_bpf_insn - one classic BPF instruction (struct bpf_insn)
 * @code:	Opcode
 * @jt:		Jump offset if true
 * @jf:		Jump offset if false
 * @k:		Operand
 */
struct tap_bpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/**
 * struct tap_cap_stats - counters of one sink
 * @seen:	Frames on the sink's interfaces
 * @matched:	Frames that passed its filter
 * @written:	Records written (a partly written one counts)
 * @dropped:	Matching frames lost: no room in the stream, or a write error
 * @ended:	The sink writes no more (reader gone, write error)
 */
struct tap_cap_stats {
	uint64_t seen;
	uint64_t matched;
	uint64_t written;
	uint64_t dropped;
	bool ended;
};

int tap_cap_log_open(int fd, unsigned int ifaces, unsigned int snaplen);
int tap_cap_stream_open(int fd, unsigned int ifaces, unsigned int snaplen,
			const struct tap_bpf_insn *prog, unsigned int n);
int tap_cap_fd(int slot);
int tap_cap_flush(int slot);
void tap_cap_stats(int slot, struct tap_cap_stats *st);
void tap_cap_close(int slot);
void tap_cap_frame(unsigned int iface, const struct iovec *iov, int iovcnt);
void tap_cap_lo(void *ctx, const struct iovec *iov, int iovcnt);
int tap_cap_timeout_ms(void);
void tap_cap_tick(void);
int tap_bpf_validate(const struct tap_bpf_insn *prog, unsigned int n);
unsigned int tap_bpf_run(const struct tap_bpf_insn *prog, unsigned int n,
			 const struct iovec *iov, int iovcnt, size_t len);
void tap_pcap_filehdr(uint8_t out[TAP_PCAP_HDR], unsigned int snaplen);
void tap_pcap_rechdr(uint8_t out[TAP_PCAP_REC], const struct timespec *ts,
		     uint32_t caplen, uint32_t len);
