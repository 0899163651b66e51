// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap.c - batched frame I/O on a tap fd
 */
#include "tap.h"

#include <errno.h>
#include <net/ethernet.h>
#include <stdlib.h>
#include <unistd.h>

#include "base.h"

/**
 * tap_adopt() - Take ownership of a frame fd and allocate the ring
 * @t:		Tap to fill in
 * @fd:		Frame fd (non-blocking); owned by @t on success
 * @mtu:	MTU of the link
 *
 * Return: 0 or -ENOMEM
 */
int tap_adopt(struct tap *t, int fd, unsigned int mtu)
{
	t->frame_max = mtu + ETH_HLEN + 4;
	t->ring = malloc(t->frame_max * TAP_BATCH);
	if (!t->ring)
		return -ENOMEM;
	t->fd = fd;
	t->mtu = mtu;
	t->rx = t->tx = t->drops = 0;
	return 0;
}

/**
 * tap_close() - Close the fd and free the ring
 * @t:	Tap
 */
void tap_close(struct tap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	free(t->ring);
	t->ring = NULL;
}

/**
 * tap_rx_burst() - Read up to TAP_BATCH frames without blocking
 * @t:	Tap
 *
 * Frames are in tap_frame(t, i) with lengths t->len[i] until the next
 * burst.
 *
 * Return: frames read (0 if none were ready), or -errno
 * #syscalls read
 */
int tap_rx_burst(struct tap *t)
{
	int n = 0;
	ssize_t r;

	while (n < TAP_BATCH) {
		r = read(t->fd, t->ring + (size_t)n * t->frame_max,
			 t->frame_max);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || n)
				break;
			return -errno;
		}
		if ((size_t)r < ETH_HLEN || (size_t)r > t->mtu + ETH_HLEN) {
			t->drops++;
			continue;
		}
		t->len[n++] = (size_t)r;
	}
	t->rx += (uint64_t)n;
	return n;
}

/**
 * tap_frame() - Address of frame @i of the last burst
 * @t:	Tap
 * @i:	Index, below the last tap_rx_burst() count
 *
 * Return: frame bytes
 */
const uint8_t *tap_frame(const struct tap *t, int i)
{
	return t->ring + (size_t)i * t->frame_max;
}

/**
 * tap_tx() - Send one frame
 * @t:		Tap
 * @iov:	Frame, possibly in pieces
 * @iovcnt:	Number of pieces
 *
 * A frame the device cannot take now is dropped and counted: TCP
 * retransmits, and the loop must never block on the link.
 *
 * Return: 0, or -errno
 * #syscalls writev
 */
int tap_tx(struct tap *t, const struct iovec *iov, int iovcnt)
{
	ssize_t r;

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
