// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap_gso.c - UDP super-frames read from a packet socket are cut into the
 * datagrams their sender wrote
 *
 * The frame fd is one end of a SOCK_DGRAM socketpair: read() returns one
 * datagram, as on a packet socket. Each frame is written with the
 * virtio-net header Linux 6.18 puts on a UDP_SEGMENT super-frame received
 * over veth (gso_type UDP_L4, NEEDS_CSUM, csum_start at the UDP header,
 * csum_offset 6, gso_size the segment payload). The pieces must parse as
 * the datagrams (IP checksum, lengths, consecutive IPv4 IDs, payload), and
 * completing their partial UDP checksum must give a valid one.
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmocka.h>

#include "frames.h"
#include "tap/tap.h"

#define GSO_UDP_L4 5 /* VIRTIO_NET_HDR_GSO_UDP_L4, Linux 6.2 UAPI */

static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t ip_a[4] = {10, 0, 0, 1};
static const uint8_t ip_b[4] = {10, 0, 0, 2};

/**
 * struct fix - the tap under test and the peer end of its fd
 * @t:		Tap adopted on one end
 * @peer:	The other end, where the test writes frames
 */
struct fix {
	struct tap t;
	int peer;
};

static struct fix fx;
static uint8_t payload[70000];

/**
 * setup() - A tap with offloads on a socketpair
 * @state:	Unused
 *
 * Return: 0
 */
static int setup(void **state)
{
	int sv[2], one = 1 << 20;
	size_t i;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv),
			 0);
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &one, sizeof(one));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	assert_int_equal(tap_adopt(&fx.t, sv[0], 1500, true), 0);
	fx.peer = sv[1];
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + i / 251);
	return 0;
}

/**
 * teardown() - Close both ends
 * @state:	Unused
 *
 * Return: 0
 */
static int teardown(void **state)
{
	(void)state;
	tap_close(&fx.t);
	close(fx.peer);
	return 0;
}

/**
 * send_frame() - Write one frame with a virtio-net header to the tap
 * @h:		Header
 * @f:		Frame
 * @len:	Frame length
 */
static void send_frame(const struct virtio_net_hdr *h, const uint8_t *f,
		       size_t len)
{
	struct iovec iov[2] = {{(void *)h, sizeof(*h)}, {(void *)f, len}};

	assert_int_equal(writev(fx.peer, iov, 2), (ssize_t)(sizeof(*h) + len));
}

/**
 * send_udp() - Write a UDP super-frame as the kernel describes it
 * @v6:		IPv6 instead of IPv4
 * @plen:	Payload bytes
 * @gso:	gso_size
 */
static void send_udp(bool v6, size_t plen, uint16_t gso)
{
	static uint8_t f[FR_MAX];
	struct fr_udp u = {.smac = mac_a,
			   .dmac = mac_b,
			   .v6 = v6,
			   .sport = 4433,
			   .dport = 9999,
			   .data = payload,
			   .len = plen};
	struct virtio_net_hdr h = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				   .gso_type = GSO_UDP_L4,
				   .gso_size = gso,
				   .csum_start = v6 ? 54 : 34,
				   .csum_offset = 6};
	size_t len;

	u.src[0] = u.dst[0] = 10;
	u.src[3] = 1;
	u.dst[3] = 2;
	len = fr_udp(f, &u);
	h.hdr_len = h.csum_start + 8;
	send_frame(&h, f, len);
}

/**
 * complete() - Finish a partial UDP checksum as the kernel would
 * @f:		Frame (a copy)
 * @len:	Length
 * @start:	UDP header offset
 */
static void complete(uint8_t *f, size_t len, size_t start)
{
	uint32_t s = 0;
	size_t i;

	for (i = start; i + 1 < len; i += 2)
		s += (uint32_t)(f[i] << 8 | f[i + 1]);
	if ((len - start) & 1)
		s += (uint32_t)(f[len - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	f[start + 6] = (uint8_t)(s >> 8);
	f[start + 7] = (uint8_t)s;
}

/**
 * check_pieces() - Frames @first.. are the datagrams of one super-frame
 * @first:	Index of the first piece in the burst
 * @v6:		IPv6
 * @plen:	Payload bytes of the super-frame
 * @gso:	gso_size
 *
 * Return: number of pieces checked
 */
static int check_pieces(int first, bool v6, size_t plen, size_t gso)
{
	size_t hl = v6 ? 62 : 42, off = 0, seg;
	static uint8_t copy[FR_MAX];
	struct fr_info in;
	int i = first;
	uint16_t id0 = 0, id;

	for (off = 0; off < plen; off += gso, i++) {
		seg = plen - off < gso ? plen - off : gso;
		assert_int_equal(fx.t.len[i], hl + seg);
		assert_true(fx.t.csum_ok[i]);
		memcpy(copy, tap_frame(&fx.t, i), fx.t.len[i]);
		complete(copy, fx.t.len[i], hl - 8);
		assert_int_equal(fr_parse(copy, fx.t.len[i], &in), 0);
		assert_int_equal(in.proto, 17);
		assert_int_equal(in.dport, 9999);
		assert_int_equal(in.len, seg);
		assert_memory_equal(in.data, payload + off, seg);
		if (!v6) {
			id = (uint16_t)(copy[18] << 8 | copy[19]);
			if (i == first)
				id0 = id;
			assert_int_equal(id, (uint16_t)(id0 + (i - first)));
		}
	}
	return i - first;
}

/**
 * test_udp4() - An IPv4 super-frame of 3500 bytes, gso_size 1000: four
 * datagrams, then the ARP frame written after it
 * @state:	Unused
 */
static void test_udp4(void **state)
{
	struct virtio_net_hdr h = {.gso_type = 0};
	uint8_t arp[64];
	size_t alen;

	(void)state;
	send_udp(false, 3500, 1000);
	alen = fr_arp(arp, 1, mac_a, ip_a, mac_b, ip_b);
	send_frame(&h, arp, alen);
	assert_int_equal(tap_rx_burst(&fx.t), 5);
	assert_int_equal(check_pieces(0, false, 3500, 1000), 4);
	assert_int_equal(fx.t.len[4], alen);
	assert_false(fx.t.csum_ok[4]);
	assert_int_equal(fx.t.drops, 0);
}

/**
 * test_udp6() - IPv6: a 64 KiB super-frame of 1200-byte datagrams
 * @state:	Unused
 */
static void test_udp6(void **state)
{
	(void)state;
	send_udp(true, 65000, 1200);
	assert_int_equal(tap_rx_burst(&fx.t), 55);
	assert_int_equal(check_pieces(0, true, 65000, 1200), 55);
}

/**
 * test_exact() - A super-frame of one datagram stays one frame
 * @state:	Unused
 */
static void test_exact(void **state)
{
	(void)state;
	send_udp(false, 800, 1000);
	assert_int_equal(tap_rx_burst(&fx.t), 1);
	assert_int_equal(check_pieces(0, false, 800, 1000), 1);
}

/**
 * test_late() - A super-frame of TAP_GSO_SEGS datagrams after
 * TAP_BATCH - 1 plain frames: all in one burst, within the ring
 * @state:	Unused
 */
static void test_late(void **state)
{
	struct virtio_net_hdr h = {.gso_type = 0};
	uint8_t arp[64];
	size_t alen;
	int i;

	(void)state;
	alen = fr_arp(arp, 1, mac_a, ip_a, mac_b, ip_b);
	for (i = 0; i < TAP_BATCH - 1; i++)
		send_frame(&h, arp, alen);
	send_udp(false, 100 * TAP_GSO_SEGS, 100);
	send_frame(&h, arp, alen);
	assert_int_equal(tap_rx_burst(&fx.t), TAP_BATCH - 1 + TAP_GSO_SEGS);
	assert_int_equal(
	    check_pieces(TAP_BATCH - 1, false, 100 * TAP_GSO_SEGS, 100),
	    TAP_GSO_SEGS);
	assert_int_equal(tap_rx_burst(&fx.t), 1); /* the last ARP */
}

/**
 * test_bad() - Super-frames that cannot be cut are dropped and counted
 * @state:	Unused
 */
static void test_bad(void **state)
{
	static uint8_t f[FR_MAX];
	struct fr_udp u = {.smac = mac_a, .dmac = mac_b, .len = 3000};
	struct virtio_net_hdr h = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				   .gso_type = GSO_UDP_L4,
				   .gso_size = 0,
				   .csum_start = 34,
				   .csum_offset = 6};
	size_t len;

	(void)state;
	u.data = payload;
	len = fr_udp(f, &u);
	send_frame(&h, f, len); /* gso_size 0 */
	h.gso_size = 1000;
	h.csum_start = 4000; /* past the frame */
	send_frame(&h, f, len);
	h.csum_start = 34;
	h.csum_offset = 16; /* not UDP's */
	send_frame(&h, f, len);
	h.csum_offset = 6;
	h.flags = 0; /* neither partial nor validated */
	send_frame(&h, f, len);
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.gso_size = 10; /* 300 datagrams */
	send_frame(&h, f, len);
	h.csum_start = 20; /* not after an IP header */
	h.gso_size = 1000;
	send_frame(&h, f, len);
	assert_int_equal(tap_rx_burst(&fx.t), 0);
	assert_int_equal(fx.t.drops, 6);
	h.csum_start = 34;
	send_frame(&h, f, len);
	assert_int_equal(tap_rx_burst(&fx.t), 3);
}

/**
 * test_tcp_untouched() - A TCP super-frame passes whole
 * @state:	Unused
 */
static void test_tcp_untouched(void **state)
{
	static uint8_t f[FR_MAX];
	struct fr_tcp t = {.smac = mac_a,
			   .dmac = mac_b,
			   .flags = FR_ACK,
			   .wscale = -1,
			   .data = payload,
			   .len = 30000};
	struct virtio_net_hdr h = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				   .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				   .gso_size = 1448,
				   .csum_start = 34,
				   .csum_offset = 16};
	size_t len;

	(void)state;
	len = fr_tcp(f, &t);
	send_frame(&h, f, len);
	assert_int_equal(tap_rx_burst(&fx.t), 1);
	assert_int_equal(fx.t.len[0], len);
	assert_memory_equal(tap_frame(&fx.t, 0), f, len);
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_udp4, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_udp6, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_late, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tcp_untouched, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
