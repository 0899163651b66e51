// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap.c - batched frame I/O on a tap fd, with virtio-net offloads
 */
#include "tap.h"

#include <errno.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#define VNET_HLEN sizeof(struct virtio_net_hdr)
#define TSO_MAX 65535 /* largest IP packet a TSO frame carries */
#define PARSE_MAX (ETH_HLEN + 40 + 20) /* Ethernet, IPv6, TCP */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* Linux 6.2 UAPI; Debian 12 has 6.1 */
#endif

/**
 * tap_adopt() - Take ownership of a frame fd and allocate the ring
 * @t:		Tap to fill in
 * @fd:		Frame fd (non-blocking); owned by @t on success
 * @mtu:	MTU of the link
 * @vnet:	The fd carries virtio-net headers (tap_create() with offloads,
 *		tap_packet_open())
 *
 * Return: 0 or -ENOMEM
 */
int tap_adopt(struct tap *t, int fd, unsigned int mtu, bool vnet)
{
	t->vnet = vnet;
	t->frame_max =
	    (vnet ? VNET_HLEN + MAX(mtu, TSO_MAX) : mtu) + ETH_HLEN + 4;
	t->frame_max = (t->frame_max + 63) & ~(size_t)63; /* aligned slots */
	t->ring = malloc(t->frame_max * (vnet ? TAP_FRAMES : TAP_BATCH));
	if (!t->ring)
		return -ENOMEM;
	t->txbuf = vnet ? malloc(TAP_TXQ_BYTES) : NULL;
	if (vnet && !t->txbuf) {
		free(t->ring);
		t->ring = NULL;
		return -ENOMEM;
	}
	t->txused = 0;
	t->ntxf = 0;
	t->fd = fd;
	t->mtu = mtu;
	t->rx = t->tx = t->tx_tso = t->drops = 0;
	return 0;
}

/**
 * tap_close() - Send what is queued, close the fd, free the buffers
 * @t:	Tap
 */
void tap_close(struct tap *t)
{
	if (t->fd >= 0) {
		tap_tx_flush(t);
		close(t->fd);
	}
	t->fd = -1;
	free(t->ring);
	t->ring = NULL;
	free(t->txbuf);
	t->txbuf = NULL;
	t->ntxf = 0;
	t->txused = 0;
}

/**
 * rx_meta() - Validate a received frame and read its offload flags
 * @t:		Tap
 * @buf:	Frame as read (with the virtio-net header if @t->vnet)
 * @len:	Bytes read
 * @flen:	Ethernet frame length
 * @csum_ok:	L4 checksum needs no check
 *
 * Return: true if the frame is usable
 */
static bool rx_meta(const struct tap *t, const uint8_t *buf, size_t len,
		    size_t *flen, bool *csum_ok)
{
	const struct virtio_net_hdr *h = (const void *)buf;
	size_t max = t->mtu + ETH_HLEN;

	*csum_ok = false;
	if (t->vnet) {
		if (len < VNET_HLEN)
			return false;
		len -= VNET_HLEN;
		*csum_ok = h->flags & (VIRTIO_NET_HDR_F_NEEDS_CSUM |
				       VIRTIO_NET_HDR_F_DATA_VALID);
		if (h->gso_type != VIRTIO_NET_HDR_GSO_NONE)
			max = TSO_MAX + ETH_HLEN;
	}
	*flen = len;
	return len >= ETH_HLEN && len <= max;
}

/**
 * udp_seg_fix() - Make the headers of one cut datagram describe it
 * @f:		Frame: Ethernet, IPv4 or IPv6 (with options or extension
 *		headers), UDP at @hl - 8
 * @hl:		Length of the headers
 * @seg:	Payload bytes of this datagram
 * @i:		Index of the datagram in its super-frame (IPv4 ID offset,
 *		as the kernel's segmentation counts it)
 *
 * The UDP checksum field gets the datagram's pseudo-header sum, as the
 * kernel's own segmentation leaves a CHECKSUM_PARTIAL datagram.
 */
static void udp_seg_fix(uint8_t *f, size_t hl, size_t seg, size_t i)
{
	struct iovec iov = {.iov_base = f, .iov_len = hl + seg};
	uint8_t *ip = f + ETH_HLEN, *uh = f + hl - 8;
	size_t l3len = hl - ETH_HLEN + seg, ihl, k;
	uint16_t id, start, off;
	uint32_t s;

	uh[4] = (uint8_t)((seg + 8) >> 8);
	uh[5] = (uint8_t)(seg + 8);
	if ((ip[0] >> 4) == 6) {
		ip[4] = (uint8_t)((l3len - 40) >> 8);
		ip[5] = (uint8_t)(l3len - 40);
		(void)tap_csum_partial(&iov, 1, &start, &off);
		return;
	}
	id = (uint16_t)((ip[4] << 8 | ip[5]) + i);
	ip[2] = (uint8_t)(l3len >> 8);
	ip[3] = (uint8_t)l3len;
	ip[4] = (uint8_t)(id >> 8);
	ip[5] = (uint8_t)id;
	ip[10] = ip[11] = 0;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	for (s = 0, k = 0; k + 1 < ihl; k += 2)
		s += (uint32_t)(ip[k] << 8 | ip[k + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	ip[10] = (uint8_t)(~s >> 8);
	ip[11] = (uint8_t)~s;
	(void)tap_csum_partial(&iov, 1, &start, &off);
}

/**
 * udp_split() - Cut a UDP super-frame (gso_type UDP_L4) into its datagrams
 * @t:	Tap (with @vnet: its ring has TAP_FRAMES slots)
 * @n:	Slot of the super-frame, below TAP_BATCH; the datagrams replace it
 *	in slots @n, @n + 1, ...
 *
 * A packet socket gets such frames whole (a tap never does: we do not
 * offer it TUN_F_USO4/6). A super-frame is CHECKSUM_PARTIAL (or
 * validated), so its pieces are csum_ok.
 *
 * Return: datagrams now in slots @n.., or 0 if the frame is malformed
 */
static int udp_split(struct tap *t, int n)
{
	uint8_t *src = t->ring + (size_t)n * t->frame_max;
	const struct virtio_net_hdr *h = (const void *)src;
	size_t len = t->len[n], hl = (size_t)h->csum_start + 8;
	size_t gso = h->gso_size, plen, k, i, seg;
	uint8_t *dst;

	src += VNET_HLEN;
	if (!t->csum_ok[n] || h->csum_offset != 6 || !gso || hl > len)
		return 0;
	/* UDP right after the IPv4 header; after IPv6 and its extensions */
	if (!(src[12] == 0x08 && src[13] == 0x00 && src[ETH_HLEN] >= 0x45 &&
	      src[ETH_HLEN] <= 0x4f &&
	      hl == ETH_HLEN + (size_t)(src[ETH_HLEN] & 0xf) * 4 + 8) &&
	    !(src[12] == 0x86 && src[13] == 0xdd && hl >= ETH_HLEN + 40 + 8 &&
	      (src[ETH_HLEN] >> 4) == 6))
		return 0;
	plen = len - hl;
	k = plen ? (plen + gso - 1) / gso : 1;
	if (k > TAP_GSO_SEGS)
		return 0;
	for (i = k - 1; i > 0; i--) {
		seg = MIN(gso, plen - i * gso);
		dst = t->ring + (size_t)(n + (int)i) * t->frame_max + VNET_HLEN;
		memcpy(dst, src, hl);
		memcpy(dst + hl, src + hl + i * gso, seg);
		udp_seg_fix(dst, hl, seg, i);
		t->len[n + (int)i] = hl + seg;
		t->csum_ok[n + (int)i] = true;
	}
	seg = MIN(gso, plen);
	udp_seg_fix(src, hl, seg, 0); /* the first one is already in place */
	t->len[n] = hl + seg;
	return (int)k;
}

/**
 * capture() - Offer received frame @i to the capture sinks
 * @t:	Tap
 * @i:	Index in the burst
 */
static void capture(const struct tap *t, int i)
{
	struct iovec v = {(void *)tap_frame(t, i), t->len[i]};

	tap_cap_frame(TAP_CAP_ETH0, &v, 1);
}

/**
 * tap_rx_burst() - Read up to TAP_BATCH frames without blocking
 * @t:	Tap
 *
 * Frames are in tap_frame(t, i) with lengths t->len[i] until the next
 * burst. A UDP super-frame counts as the datagrams it is cut into (so a
 * burst may hold up to TAP_FRAMES frames).
 *
 * Return: frames read (0 if none were ready), or -errno
 * #syscalls read
 */
int tap_rx_burst(struct tap *t)
{
	const struct virtio_net_hdr *h;
	int n = 0, k, j, tries;
	uint8_t *buf;
	ssize_t r;

	for (tries = 0; n < TAP_BATCH && tries < 2 * TAP_BATCH; tries++) {
		buf = t->ring + (size_t)n * t->frame_max;
		r = read(t->fd, buf, t->frame_max);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EINVAL && t->vnet) {
				/* packet socket: a frame the kernel could
				 * not describe in a virtio-net header */
				t->drops++;
				continue;
			}
			if (errno == EAGAIN || n)
				break;
			return -errno;
		}
		if (!rx_meta(t, buf, (size_t)r, &t->len[n], &t->csum_ok[n])) {
			t->drops++;
			continue;
		}
		h = (const void *)buf;
		k = 1;
		if (t->vnet && (h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) ==
				   VIRTIO_NET_HDR_GSO_UDP_L4)
			k = udp_split(t, n);
		if (!k)
			t->drops++;
		for (j = 0; j < k; j++)
			capture(t, n + j);
		n += k;
	}
	t->rx += (uint64_t)n;
	return n;
}

/**
 * tap_frame() - Address of frame @i of the last burst
 * @t:	Tap
 * @i:	Index, below the last tap_rx_burst() count
 *
 * Return: Ethernet frame bytes
 */
const uint8_t *tap_frame(const struct tap *t, int i)
{
	return t->ring + (size_t)i * t->frame_max + (t->vnet ? VNET_HLEN : 0);
}

/**
 * gather() - Copy the first bytes of a frame for parsing
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @buf:	Destination
 * @len:	Bytes wanted
 *
 * Return: bytes copied
 */
static size_t gather(const struct iovec *iov, int iovcnt, uint8_t *buf,
		     size_t len)
{
	size_t got = 0, n;
	int i;

	for (i = 0; i < iovcnt && got < len; i++) {
		n = MIN(iov[i].iov_len, len - got);
		memcpy(buf + got, iov[i].iov_base, n);
		got += n;
	}
	return got;
}

/**
 * scatter16() - Store a 16-bit value at a frame offset across pieces
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @off:	Offset in the frame
 * @v:		Value, network order bytes
 */
static void scatter16(const struct iovec *iov, int iovcnt, size_t off,
		      const uint8_t v[2])
{
	size_t base = 0;
	int i, k;

	for (k = 0; k < 2; k++, off++)
		for (i = 0, base = 0; i < iovcnt; base += iov[i++].iov_len)
			if (off < base + iov[i].iov_len) {
				((uint8_t *)iov[i].iov_base)[off - base] = v[k];
				break;
			}
}

/**
 * sum16() - One's complement sum of 16-bit big-endian words
 * @p:		Bytes (even length)
 * @len:	Length
 * @acc:	Starting sum
 *
 * Return: unfolded sum
 */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	return acc;
}

/**
 * tap_csum_partial() - Prepare a TCP/UDP frame for checksum offload
 * @iov:	Frame (writable): the L4 checksum field gets the folded
 *		pseudo-header sum, as CHECKSUM_PARTIAL expects
 * @iovcnt:	Pieces
 * @start:	Offset of the L4 header
 * @offset:	Offset of the checksum field within it
 *
 * Return: 0 if the frame is TCP or UDP over IPv4/IPv6 (not a fragment),
 * -EINVAL otherwise (send it as it is)
 */
int tap_csum_partial(const struct iovec *iov, int iovcnt, uint16_t *start,
		     uint16_t *offset)
{
	uint8_t b[PARSE_MAX], out[2], *ip = b + ETH_HLEN, proto;
	size_t n = gather(iov, iovcnt, b, sizeof(b)), l3, l4len;
	uint32_t s = 0;

	if (n < ETH_HLEN + 20)
		return -EINVAL;
	if (b[12] == 0x08 && b[13] == 0x00 && (ip[0] >> 4) == 4) {
		l3 = (size_t)(ip[0] & 0xf) * 4;
		if (l3 < 20 || (ip[6] & 0x3f) || ip[7]) /* MF or offset */
			return -EINVAL;
		proto = ip[9];
		l4len = (size_t)(ip[2] << 8 | ip[3]) - l3;
		s = sum16(ip + 12, 8, 0);
	} else if (b[12] == 0x86 && b[13] == 0xdd && n >= ETH_HLEN + 40) {
		l3 = 40;
		proto = ip[6];
		l4len = (size_t)(ip[4] << 8 | ip[5]);
		s = sum16(ip + 8, 32, 0);
	} else {
		return -EINVAL;
	}
	if (proto == IPPROTO_TCP)
		*offset = 16;
	else if (proto == IPPROTO_UDP)
		*offset = 6;
	else
		return -EINVAL;
	s += proto + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	*start = (uint16_t)(ETH_HLEN + l3);
	out[0] = (uint8_t)(s >> 8);
	out[1] = (uint8_t)s;
	scatter16(iov, iovcnt, *start + *offset, out);
	return 0;
}
