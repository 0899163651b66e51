// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * txq.c - the transmit queue: the frames of one loop pass, runs of TCP
 * segments sent as TSO super-frames
 *
 * See "Transmit queue" in tap.h. A super-frame is built in place: the
 * first segment is copied whole into the queue buffer, each segment that
 * continues it adds only its payload behind it. At flush time the headers
 * of the first segment become those of the super-frame, as Linux's TCP
 * leaves a CHECKSUM_PARTIAL GSO packet: IPv4 total length (or IPv6 payload
 * length) of the whole, IPv4 ID of the first segment (GSO numbers the
 * others from it) and a valid IPv4 header checksum (ip_rcv() checks it
 * before anything is cut), TCP flags of the last segment (GSO clears PSH
 * on the others), and the pseudo-header sum for the whole TCP length in
 * the checksum field (GSO adjusts it per segment). Merging is limited to
 * what that segmentation gives back exactly: every segment of a run has
 * the first one's headers but for those fields, the IDs and sequence
 * numbers follow on, and only the last may be shorter.
 */
#include "tap.h"

#include <errno.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/uio.h>

#include "base.h"

#define HDR_MAX (ETH_HLEN + 40 + 60) /* Ethernet, IPv6, TCP with options */
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_CSUM_OFF 16 /* checksum field in the TCP header */

static_assert(TAP_TXQ_BYTES >= 2 * TAP_TSO_BYTES, "transmit queue too small");
static_assert(TAP_TSO_BYTES <= 65535, "super-frames must fit 16-bit lengths");

/**
 * struct seg - a frame, as far as merging goes
 * @hlen:	Ethernet, IP and TCP header bytes; 0 if the frame is not a TCP
 *		segment that may be merged
 * @l4:		TCP header offset
 * @v6:		IPv6
 * @psh:	PSH is set
 * @plen:	Payload bytes
 * @seq:	Sequence number
 * @id:		IPv4 ID
 */
struct seg {
	size_t hlen;
	size_t l4;
	bool v6;
	bool psh;
	size_t plen;
	uint32_t seq;
	uint16_t id;
};

/**
 * copy_out() - Copy bytes of a frame given in pieces
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @skip:	Offset of the first byte wanted
 * @dst:	Destination
 * @len:	Bytes wanted
 *
 * Return: bytes copied (fewer if the frame ends first)
 */
static size_t copy_out(const struct iovec *iov, int iovcnt, size_t skip,
		       uint8_t *dst, size_t len)
{
	size_t got = 0, n;
	int i;

	for (i = 0; i < iovcnt && got < len; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		n = MIN(iov[i].iov_len - skip, len - got);
		memcpy(dst + got, (const uint8_t *)iov[i].iov_base + skip, n);
		got += n;
		skip = 0;
	}
	return got;
}

/**
 * be16() - Read a big-endian 16-bit value
 * @p:	Two bytes
 *
 * Return: the value
 */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/**
 * put16() - Store a 16-bit value big-endian
 * @p:	Two bytes
 * @v:	Value
 */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/**
 * parse_seg() - Is a frame a TCP segment that may join or start a run?
 * @b:		First bytes of the frame
 * @n:		Bytes in @b (at most HDR_MAX)
 * @len:	Frame length
 * @s:		Result; @s->hlen is 0 if not
 *
 * Wanted: IPv4 without options and not a fragment, or IPv6 with TCP as
 * the next header; an IP length that ends exactly at the frame's end (no
 * Ethernet padding); a whole TCP header with ACK and maybe PSH as its only
 * flags; some payload.
 */
static void parse_seg(const uint8_t *b, size_t n, size_t len, struct seg *s)
{
	const uint8_t *ip = b + ETH_HLEN, *th;
	size_t l3, thl;

	memset(s, 0, sizeof(*s));
	if (n < ETH_HLEN + 20 + 20)
		return;
	if (b[12] == 0x08 && b[13] == 0x00) {
		if (ip[0] != 0x45 || (ip[6] & 0x3f) || ip[7] ||
		    ip[9] != IPPROTO_TCP ||
		    ETH_HLEN + (size_t)be16(ip + 2) != len)
			return;
		l3 = 20;
		s->id = be16(ip + 4);
	} else if (b[12] == 0x86 && b[13] == 0xdd) {
		if (n < ETH_HLEN + 40 + 20 || (ip[0] >> 4) != 6 ||
		    ip[6] != IPPROTO_TCP ||
		    ETH_HLEN + 40 + (size_t)be16(ip + 4) != len)
			return;
		l3 = 40;
		s->v6 = true;
	} else {
		return;
	}
	th = ip + l3;
	thl = (size_t)(th[12] >> 4) * 4;
	if (thl < 20 || (th[12] & 0x0f) || ETH_HLEN + l3 + thl > n ||
	    (th[13] & ~TCP_PSH) != TCP_ACK || len <= ETH_HLEN + l3 + thl)
		return;
	s->l4 = ETH_HLEN + l3;
	s->hlen = s->l4 + thl;
	s->psh = th[13] & TCP_PSH;
	s->plen = len - s->hlen;
	s->seq = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 |
		 (uint32_t)th[6] << 8 | th[7];
}

/**
 * flow_key() - The header bytes every segment of a run shares
 * @key:	Output, @s->hlen bytes
 * @hdr:	Headers of a segment
 * @s:		What parse_seg() found in them
 *
 * Zeroed: IPv4 total length, ID and checksum, or IPv6 payload length; TCP
 * sequence number, flags and checksum.
 */
static void flow_key(uint8_t *key, const uint8_t *hdr, const struct seg *s)
{
	memcpy(key, hdr, s->hlen);
	if (s->v6) {
		memset(key + ETH_HLEN + 4, 0, 2);
	} else {
		memset(key + ETH_HLEN + 2, 0, 4);
		memset(key + ETH_HLEN + 10, 0, 2);
	}
	memset(key + s->l4 + 4, 0, 4);
	key[s->l4 + 13] = 0;
	memset(key + s->l4 + TCP_CSUM_OFF, 0, 2);
}

/**
 * joins() - Does a segment continue the last queued frame?
 * @t:		Tap
 * @s:		The segment
 * @hdr:	Its headers
 *
 * Return: true if it may be appended to the last entry of the queue
 */
static bool joins(const struct tap *t, const struct seg *s, const uint8_t *hdr)
{
	uint8_t a[HDR_MAX], b[HDR_MAX];
	const struct tap_txf *f;

	if (!t->ntxf || !s->hlen)
		return false;
	f = &t->txf[t->ntxf - 1];
	if (!f->open || f->hlen != s->hlen || f->v6 != s->v6 ||
	    f->seq != s->seq || (!s->v6 && f->id != s->id) ||
	    s->plen > f->gso || f->segs >= TAP_TSO_SEGS ||
	    f->len + s->plen > TAP_TSO_BYTES ||
	    t->txused + s->plen > TAP_TXQ_BYTES)
		return false;
	flow_key(a, t->txbuf + f->off, s);
	flow_key(b, hdr, s);
	return !memcmp(a, b, s->hlen);
}

/**
 * append() - Add a segment's payload to the last queued frame
 * @t:		Tap
 * @s:		The segment (joins() said yes)
 * @iov:	Its frame
 * @iovcnt:	Pieces
 */
static void append(struct tap *t, const struct seg *s, const struct iovec *iov,
		   int iovcnt)
{
	struct tap_txf *f = &t->txf[t->ntxf - 1];

	ASSERT(f->off + f->len == t->txused);
	copy_out(iov, iovcnt, s->hlen, t->txbuf + t->txused, s->plen);
	t->txused += s->plen;
	f->len += (uint32_t)s->plen;
	f->segs++;
	f->seq += (uint32_t)s->plen;
	f->id++;
	if (s->psh) /* the flags of the super-frame are the last segment's */
		t->txbuf[f->off + s->l4 + 13] |= TCP_PSH;
	if (s->psh || s->plen < f->gso)
		f->open = false;
}

/**
 * push() - Queue a frame as a new entry
 * @t:		Tap (with room for @len bytes and one entry)
 * @s:		What parse_seg() found
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @len:	Frame length
 * @start:	csum_start for NEEDS_CSUM, 0 for none
 * @off:	csum_offset
 */
static void push(struct tap *t, const struct seg *s, const struct iovec *iov,
		 int iovcnt, size_t len, uint16_t start, uint16_t off)
{
	struct tap_txf *f = &t->txf[t->ntxf++];

	f->off = (uint32_t)t->txused;
	f->len = (uint32_t)copy_out(iov, iovcnt, 0, t->txbuf + t->txused, len);
	t->txused += f->len;
	f->csum_start = start;
	f->csum_off = off;
	f->segs = 1;
	f->hlen = (uint16_t)s->hlen;
	f->v6 = s->v6;
	f->gso = (uint16_t)MIN(s->plen, 0xffff);
	f->seq = s->seq + (uint32_t)s->plen;
	f->id = (uint16_t)(s->id + 1);
	f->open = s->hlen && !s->psh && s->plen >= TAP_TSO_MIN &&
		  start == s->l4 && off == TCP_CSUM_OFF && len < TAP_TSO_BYTES;
}

/**
 * tx_plain() - Write one frame without a virtio-net header
 * @t:		Tap (no offloads)
 * @iov:	Frame
 * @iovcnt:	Pieces
 *
 * Return: 0, or -errno (the frame is dropped and counted)
 * #syscalls writev
 */
static int tx_plain(struct tap *t, const struct iovec *iov, int iovcnt)
{
	ssize_t r;

	tap_cap_frame(TAP_CAP_ETH0, iov, iovcnt);
	do
		r = writev(t->fd, iov, iovcnt);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		t->drops++;
		return -errno;
	}
	t->tx++;
	return 0;
}

/**
 * tap_tx() - Send one frame: at once without offloads, else queue it
 * @t:		Tap
 * @iov:	Frame, possibly in pieces (writable when @t->vnet)
 * @iovcnt:	Pieces
 *
 * With offloads the frame is copied into the transmit queue (merged into
 * the super-frame before it when it continues it), which tap_tx_flush()
 * writes; TCP and UDP frames get the pseudo-header sum in their checksum
 * field first. A frame the device cannot take is dropped and counted: TCP
 * retransmits, and the loop must never block on the link. Capture sinks
 * see the frame now, as it was given (checksums as partial as the link
 * gets them).
 *
 * Return: 0, or -errno
 */
int tap_tx(struct tap *t, const struct iovec *iov, int iovcnt)
{
	uint8_t hdr[HDR_MAX];
	uint16_t start, off;
	size_t len = 0, n;
	struct seg s;
	int i;

	if (!t->vnet || !t->txbuf)
		return tx_plain(t, iov, iovcnt);
	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	/* no NEEDS_CSUM for a field past the end: the kernel refuses it */
	if (tap_csum_partial(iov, iovcnt, &start, &off) ||
	    (size_t)start + off + 2 > len)
		start = off = 0;
	tap_cap_frame(TAP_CAP_ETH0, iov, iovcnt);
	if (len > TAP_TXQ_BYTES) {
		t->drops++;
		return -EMSGSIZE;
	}
	n = copy_out(iov, iovcnt, 0, hdr, sizeof(hdr));
	parse_seg(hdr, n, len, &s);
	if (joins(t, &s, hdr)) {
		append(t, &s, iov, iovcnt);
		return 0;
	}
	if (t->ntxf == TAP_TXQ_FRAMES || t->txused + len > TAP_TXQ_BYTES)
		tap_tx_flush(t);
	push(t, &s, iov, iovcnt, len, start, off);
	return 0;
}

/**
 * tso_hdr() - Turn the headers of a run's first segment into the
 *	       super-frame's, and describe it in the virtio-net header
 * @p:	Super-frame
 * @f:	Its queue entry (@f->segs > 1)
 * @h:	Virtio-net header, NEEDS_CSUM already set
 */
static void tso_hdr(uint8_t *p, const struct tap_txf *f,
		    struct virtio_net_hdr *h)
{
	struct iovec v = {.iov_base = p, .iov_len = f->len};
	uint8_t *ip = p + ETH_HLEN;
	uint16_t start, off;
	uint32_t sum = 0;
	size_t k;

	if (f->v6) {
		put16(ip + 4, (uint16_t)(f->len - ETH_HLEN - 40));
		h->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	} else {
		put16(ip + 2, (uint16_t)(f->len - ETH_HLEN));
		put16(ip + 10, 0);
		for (k = 0; k < 20; k += 2)
			sum += be16(ip + k);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		put16(ip + 10, (uint16_t)~sum);
		h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	}
	(void)tap_csum_partial(&v, 1, &start, &off); /* the whole TCP length */
	h->gso_size = f->gso;
	h->hdr_len = f->hlen;
}

/**
 * send_one() - Write one queued frame with its virtio-net header
 * @t:	Tap
 * @f:	Queue entry
 *
 * Return: 0, or -errno (its segments are dropped and counted)
 * #syscalls writev
 */
static int send_one(struct tap *t, const struct tap_txf *f)
{
	struct virtio_net_hdr h = {.flags = 0};
	uint8_t *p = t->txbuf + f->off;
	struct iovec v[2] = {{.iov_base = &h, .iov_len = sizeof(h)},
			     {.iov_base = p, .iov_len = f->len}};
	ssize_t r;

	if (f->csum_start) {
		h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h.csum_start = f->csum_start;
		h.csum_offset = f->csum_off;
	}
	if (f->segs > 1)
		tso_hdr(p, f, &h);
	do
		r = writev(t->fd, v, 2);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		t->drops += f->segs;
		return -errno;
	}
	t->tx += f->segs;
	if (f->segs > 1)
		t->tx_tso++;
	return 0;
}

/**
 * tap_tx_flush() - Write every queued frame, in order, and empty the queue
 * @t:	Tap
 *
 * The owner of the loop calls this once per iteration, before it sleeps.
 *
 * Return: frames written (a super-frame counts once); the ones the device
 * refused are counted in @t->drops
 */
int tap_tx_flush(struct tap *t)
{
	int i, n = 0;

	for (i = 0; i < t->ntxf; i++)
		if (!send_one(t, &t->txf[i]))
			n++;
	t->ntxf = 0;
	t->txused = 0;
	return n;
}
