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
 * tap_tx() writes one frame given as an iovec. tap never includes netstack:
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
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifndef TAP_BATCH
#define TAP_BATCH 64 /* frames read per wake-up */
#endif

/**
 * struct tap - one frame endpoint
 * @fd:		Frame fd, owned: closed by tap_close(); -1 if none
 * @mtu:	Largest IP packet without offloads
 * @vnet:	Frames carry a struct virtio_net_hdr (offloads on)
 * @ring:	TAP_BATCH receive buffers of @frame_max bytes
 * @frame_max:	Size of one receive buffer
 * @len:	Lengths of the frames of the last burst
 * @csum_ok:	Frame's L4 checksum needs no check (partial or validated)
 * @rx:		Frames received
 * @tx:		Frames sent
 * @drops:	Frames dropped (malformed, or the device refused them)
 */
struct tap {
	int fd;
	unsigned int mtu;
	bool vnet;
	uint8_t *ring;
	size_t frame_max;
	size_t len[TAP_BATCH];
	bool csum_ok[TAP_BATCH];
	uint64_t rx;
	uint64_t tx;
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
int tap_csum_partial(const struct iovec *iov, int iovcnt, uint16_t *start,
		     uint16_t *offset);
