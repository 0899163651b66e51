// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap_csum.c - checksum offload preparation of outgoing frames
 *
 * A frame built with a correct TCP checksum (tests/lib/frames.c) has that
 * checksum replaced by the pseudo-header sum; completing it the way the
 * kernel does for CHECKSUM_PARTIAL must give the original value back, also
 * when the frame is split across iovecs in awkward places.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "tap/tap.h"

static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 2};

/**
 * complete() - Finish a partial checksum as the kernel would
 * @f:		Frame
 * @len:	Length
 * @start:	L4 offset
 * @off:	Checksum field offset within L4
 *
 * Return: the final checksum, network order bytes as a host integer
 */
static uint16_t complete(uint8_t *f, size_t len, uint16_t start, uint16_t off)
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
	f[start + off] = (uint8_t)(s >> 8);
	f[start + off + 1] = (uint8_t)s;
	return (uint16_t)s;
}

/**
 * roundtrip() - Build, prepare in pieces, complete, compare
 * @v6:		IPv6 instead of IPv4
 * @plen:	Payload length
 * @cut:	Where to split the frame into two iovecs
 */
static void roundtrip(bool v6, size_t plen, size_t cut)
{
	static uint8_t f[FR_MAX], payload[3000];
	struct fr_tcp t = {.smac = mac_a,
			   .dmac = mac_b,
			   .v6 = v6,
			   .sport = 1234,
			   .dport = 80,
			   .seq = 7,
			   .ack = 9,
			   .flags = FR_ACK | FR_PSH,
			   .win = 1000,
			   .data = payload,
			   .len = plen};
	uint16_t start, off, want, got;
	struct iovec iov[2];
	size_t n, i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	t.src[0] = v6 ? 0xfd : 10;
	t.dst[0] = v6 ? 0xfd : 10;
	t.src[15] = t.src[3] = 1;
	t.dst[15] = t.dst[3] = 2;
	n = fr_tcp(f, &t);
	cut = cut < n ? cut : n / 2;
	iov[0] = (struct iovec){f, cut};
	iov[1] = (struct iovec){f + cut, n - cut};
	assert_int_equal(tap_csum_partial(iov, 2, &start, &off), 0);
	assert_int_equal(off, 16);
	assert_int_equal(start, v6 ? 14 + 40 : 14 + 20);
	/* the original checksum: rebuild the frame and read the field */
	{
		static uint8_t g[FR_MAX];

		fr_tcp(g, &t);
		want = (uint16_t)(g[start + off] << 8 | g[start + off + 1]);
	}
	got = complete(f, n, start, off);
	assert_int_equal(got, want);
}

/**
 * test_v4() - IPv4 TCP frames, various sizes and split points
 * @state:	Unused
 */
static void test_v4(void **state)
{
	(void)state;
	roundtrip(false, 0, 10);
	roundtrip(false, 1, 35);
	roundtrip(false, 1459, 14 + 20 + 17);
	roundtrip(false, 2999, 2000);
}

/**
 * test_v6() - IPv6 TCP frames
 * @state:	Unused
 */
static void test_v6(void **state)
{
	(void)state;
	roundtrip(true, 0, 60);
	roundtrip(true, 333, 14 + 40 + 17);
	roundtrip(true, 2048, 1);
}

/**
 * test_not_l4() - ARP and short frames are left alone
 * @state:	Unused
 */
static void test_not_l4(void **state)
{
	uint8_t f[64] = {0}, ip[4] = {10, 0, 0, 1};
	struct iovec iov = {f, 0};
	uint16_t s, o;

	(void)state;
	iov.iov_len = fr_arp(f, 1, mac_a, ip, mac_b, ip);
	assert_int_equal(tap_csum_partial(&iov, 1, &s, &o), -EINVAL);
	iov.iov_len = 20;
	assert_int_equal(tap_csum_partial(&iov, 1, &s, &o), -EINVAL);
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_v4),
	    cmocka_unit_test(test_v6),
	    cmocka_unit_test(test_not_l4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
