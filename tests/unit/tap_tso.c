// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap_tso.c - the transmit queue sends runs of TCP segments as TSO
 * super-frames, and everything else as it came, in order
 *
 * The frame fd is one end of a SOCK_DGRAM socketpair: each writev() of the
 * tap is one datagram (virtio-net header + frame) that the test reads from
 * the other end after tap_tx_flush(). Every frame given to tap_tx() is
 * kept as built (tests/lib/frames.c: full checksums). What comes out is
 * cut back the way Linux's GSO does it (tcp_gso_segment(): sequence
 * numbers from the first, IPv4 IDs counted up, PSH on the last segment
 * only, checksums from the partial sum), and must give back exactly the
 * frames that went in, in order. Frames that may not be merged must come
 * out alone, unchanged but for their partial checksum.
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

#define NFR 1024	 /* frames sent, or segments cut back, per test */
#define FLEN 2048	 /* bytes kept of each */
#define RXPOOL (8 << 20) /* bytes of datagrams read back per test */

static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t ip_a[4] = {10, 0, 0, 2};
static const uint8_t ip_b[4] = {10, 0, 0, 1};

/**
 * struct rx - one datagram read back
 * @h:		Its virtio-net header
 * @f:		Frame, in the pool
 * @len:	Frame length
 */
struct rx {
	struct virtio_net_hdr h;
	uint8_t *f;
	size_t len;
};

/**
 * struct fix - the tap under test, what went in and what came out
 * @t:		Tap adopted on one end of the socketpair
 * @peer:	The other end
 * @sent:	Frames given to tap_tx(), as built
 * @slen:	Their lengths
 * @nsent:	How many
 * @rx:		Datagrams read back
 * @nrx:	How many
 * @pool:	Storage of their frames
 * @used:	Bytes of @pool in use
 * @out:	Segments cut back from @rx
 * @olen:	Their lengths
 * @nout:	How many
 */
struct fix {
	struct tap t;
	int peer;
	uint8_t sent[NFR][FLEN];
	size_t slen[NFR];
	int nsent;
	struct rx rx[NFR];
	int nrx;
	uint8_t pool[RXPOOL];
	size_t used;
	uint8_t out[NFR][FLEN];
	size_t olen[NFR];
	int nout;
};

static struct fix fx;
static uint8_t payload[1 << 20];

/**
 * setup() - A tap with offloads on a socketpair
 * @state:	Unused
 *
 * Return: 0
 */
static int setup(void **state)
{
	int sv[2], buf = 4 << 20;
	size_t i;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv),
			 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	assert_int_equal(tap_adopt(&fx.t, sv[0], 1500, true), 0);
	fx.peer = sv[1];
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + i / 253);
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
 * put16() - Store a big-endian 16-bit value
 * @p:	Two bytes
 * @v:	Value
 */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/**
 * csum() - Folded one's complement sum
 * @p:		Bytes
 * @len:	Length (an odd last byte is padded with zero)
 * @acc:	Starting sum
 *
 * Return: folded sum (not complemented)
 */
static uint16_t csum(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += be16(p + i);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/**
 * pseudo() - Pseudo-header sum of the TCP segment in a frame
 * @f:		Frame (IPv4 or IPv6, no extension headers)
 * @l4len:	TCP length to count
 *
 * Return: unfolded sum
 */
static uint32_t pseudo(const uint8_t *f, size_t l4len)
{
	const uint8_t *ip = f + 14;
	bool v6 = (ip[0] >> 4) == 6;

	return csum(v6 ? ip + 8 : ip + 12, v6 ? 32 : 8, 0) + 6 +
	       (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
}

/**
 * set_id() - Give an IPv4 frame an ID (and a matching header checksum)
 * @f:	Frame
 * @id:	ID
 */
static void set_id(uint8_t *f, uint16_t id)
{
	uint8_t *ip = f + 14;

	put16(ip + 4, id);
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~csum(ip, (size_t)(ip[0] & 0xf) * 4, 0));
}

/**
 * tcp() - Build a segment of the test flow
 * @f:		Output, FR_MAX bytes
 * @v6:		IPv6
 * @seq:	Sequence number (the payload is payload[] from @seq - 1000)
 * @id:		IPv4 ID
 * @flags:	FR_* flags
 * @len:	Payload bytes
 *
 * Return: frame length
 */
static size_t tcp(uint8_t *f, bool v6, uint32_t seq, uint16_t id, uint8_t flags,
		  size_t len)
{
	struct fr_tcp t = {.smac = mac_a,
			   .dmac = mac_b,
			   .v6 = v6,
			   .sport = 80,
			   .dport = 40000,
			   .seq = seq,
			   .ack = 777,
			   .flags = flags,
			   .win = 501,
			   .wscale = -1,
			   .data =
			       payload + (seq - 1000) % (sizeof(payload) / 2),
			   .len = len};
	size_t n;

	t.src[0] = t.dst[0] = v6 ? 0xfd : 10;
	t.src[15] = t.src[3] = 2;
	t.dst[15] = t.dst[3] = 1;
	n = fr_tcp(f, &t);
	if (!v6)
		set_id(f, id);
	return n;
}

/**
 * tx() - Keep a copy of a frame, then give it to tap_tx() in three pieces
 * @f:		Frame (its checksum field is overwritten)
 * @len:	Length
 */
static void tx(uint8_t *f, size_t len)
{
	struct iovec iov[3];
	size_t a = len < 14 ? len : 14, b = len < 60 ? len : 60;

	assert_true(fx.nsent < NFR && len <= FLEN);
	memcpy(fx.sent[fx.nsent], f, len);
	fx.slen[fx.nsent++] = len;
	iov[0] = (struct iovec){f, a};
	iov[1] = (struct iovec){f + a, b - a};
	iov[2] = (struct iovec){f + b, len - b};
	assert_int_equal(tap_tx(&fx.t, iov, 3), 0);
}

/**
 * drain() - Read every datagram waiting on the peer end
 */
static void drain(void)
{
	struct iovec v[2];
	struct rx *r;
	ssize_t n;

	for (;;) {
		assert_true(fx.nrx < NFR && fx.used + 70000 <= RXPOOL);
		r = &fx.rx[fx.nrx];
		r->f = fx.pool + fx.used;
		v[0] = (struct iovec){&r->h, sizeof(r->h)};
		v[1] = (struct iovec){r->f, 70000};
		n = readv(fx.peer, v, 2);
		if (n < 0 && errno == EAGAIN)
			return;
		assert_true(n >= (ssize_t)sizeof(r->h));
		r->len = (size_t)n - sizeof(r->h);
		fx.used += r->len;
		fx.nrx++;
	}
}

/**
 * flush() - tap_tx_flush(), then read what it wrote
 */
static void flush(void)
{
	tap_tx_flush(&fx.t);
	drain();
}

/**
 * emit() - Append one cut-back segment to @fx.out
 * @f:		Frame
 * @len:	Length
 */
static void emit(const uint8_t *f, size_t len)
{
	assert_true(fx.nout < NFR && len <= FLEN);
	memcpy(fx.out[fx.nout], f, len);
	fx.olen[fx.nout++] = len;
}

/**
 * complete() - Finish a partial checksum, as the kernel does
 * @f:		Frame
 * @len:	Length
 * @start:	csum_start
 * @off:	csum_offset
 */
static void complete(uint8_t *f, size_t len, size_t start, size_t off)
{
	put16(f + start + off, (uint16_t)~csum(f + start, len - start, 0));
}

/**
 * cut() - Segment a super-frame as Linux's GSO does
 * @r:	Datagram (gso_type TCPV4 or TCPV6)
 *
 * Also checks the super-frame's own headers: lengths, IPv4 header
 * checksum, hdr_len, and the partial sum for the whole TCP length.
 */
static void cut(const struct rx *r)
{
	const uint8_t *ip = r->f + 14;
	bool v6 = r->h.gso_type == VIRTIO_NET_HDR_GSO_TCPV6;
	size_t l3 = v6 ? 40 : 20, l4 = 14 + l3, thl, hl, plen, off, n, k;
	static uint8_t s[FLEN];
	uint32_t seq;
	uint16_t id;

	assert_true(v6 || r->h.gso_type == VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(r->h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(r->h.csum_start, l4);
	assert_int_equal(r->h.csum_offset, 16);
	thl = (size_t)(r->f[l4 + 12] >> 4) * 4;
	hl = l4 + thl;
	assert_int_equal(r->h.hdr_len, hl);
	assert_true(r->len <= TAP_TSO_BYTES);
	if (v6) {
		assert_int_equal(be16(ip + 4), r->len - 14 - 40);
	} else {
		assert_int_equal(be16(ip + 2), r->len - 14);
		assert_int_equal(csum(ip, 20, 0), 0xffff);
	}
	assert_int_equal(be16(r->f + l4 + 16),
			 csum(NULL, 0, pseudo(r->f, r->len - l4)));
	plen = r->len - hl;
	assert_true(r->h.gso_size > 0 && plen > r->h.gso_size);
	assert_true((plen + r->h.gso_size - 1) / r->h.gso_size <= TAP_TSO_SEGS);
	seq = (uint32_t)r->f[l4 + 4] << 24 | (uint32_t)r->f[l4 + 5] << 16 |
	      (uint32_t)r->f[l4 + 6] << 8 | r->f[l4 + 7];
	id = be16(ip + 4);
	for (off = 0, k = 0; off < plen; off += n, k++) {
		n = plen - off < r->h.gso_size ? plen - off : r->h.gso_size;
		memcpy(s, r->f, hl);
		memcpy(s + hl, r->f + hl + off, n);
		if (v6) {
			put16(s + 14 + 4, (uint16_t)(thl + n));
		} else {
			put16(s + 14 + 2, (uint16_t)(20 + thl + n));
			set_id(s, (uint16_t)(id + k));
		}
		s[l4 + 4] = (uint8_t)((seq + off) >> 24);
		s[l4 + 5] = (uint8_t)((seq + off) >> 16);
		s[l4 + 6] = (uint8_t)((seq + off) >> 8);
		s[l4 + 7] = (uint8_t)(seq + off);
		if (off + n < plen)
			s[l4 + 13] &= (uint8_t) ~(FR_PSH | FR_FIN);
		put16(s + l4 + 16, csum(NULL, 0, pseudo(s, thl + n)));
		complete(s, hl + n, l4, 16);
		emit(s, hl + n);
	}
}

/**
 * expand() - Cut every datagram read back into the frames it stands for
 *
 * A frame that is not a super-frame stays as it is, but for a partial
 * checksum, which is completed.
 */
static void expand(void)
{
	static uint8_t c[70000];
	const struct rx *r;
	int i;

	for (i = 0; i < fx.nrx; i++) {
		r = &fx.rx[i];
		if (r->h.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
			cut(r);
			continue;
		}
		memcpy(c, r->f, r->len);
		if (r->h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			complete(c, r->len, r->h.csum_start, r->h.csum_offset);
		emit(c, r->len);
	}
}

/**
 * same_as_sent() - What came out, cut back, is what went in, in order
 */
static void same_as_sent(void)
{
	int i;

	expand();
	assert_int_equal(fx.nout, fx.nsent);
	for (i = 0; i < fx.nsent; i++) {
		assert_int_equal(fx.olen[i], fx.slen[i]);
		assert_memory_equal(fx.out[i], fx.sent[i], fx.slen[i]);
	}
	assert_int_equal(fx.t.tx, (uint64_t)fx.nsent);
	assert_int_equal(fx.t.drops, 0);
}

/**
 * run() - Send a contiguous run of segments of the test flow
 * @v6:		IPv6
 * @seq:	First sequence number (advanced)
 * @id:		First IPv4 ID (advanced)
 * @n:		Segments
 * @size:	Payload of each
 * @flags:	Flags of each
 */
static void run(bool v6, uint32_t *seq, uint16_t *id, int n, size_t size,
		uint8_t flags)
{
	static uint8_t f[FR_MAX];
	int i;

	for (i = 0; i < n; i++) {
		tx(f, tcp(f, v6, *seq, *id, flags, size));
		*seq += (uint32_t)size;
		(*id)++;
	}
}

/**
 * merged() - One super-frame (or frame) per expected segment count
 * @segs:	Segments expected in each datagram, in order
 * @n:		Datagrams expected
 */
static void merged(const int *segs, int n)
{
	int i, k;

	assert_int_equal(fx.nrx, n);
	for (i = 0; i < n; i++) {
		k = fx.nout;
		if (fx.rx[i].h.gso_type != VIRTIO_NET_HDR_GSO_NONE)
			cut(&fx.rx[i]);
		else
			fx.nout++;
		assert_int_equal(fx.nout - k, segs[i]);
	}
	fx.nout = 0;
}

/**
 * tso() - A run of MSS-sized segments and a short PSH one: one super-frame
 * @v6:		IPv6
 */
static void tso(bool v6)
{
	static const int want[] = {11};
	static uint8_t f[FR_MAX];
	uint32_t seq = 1000;
	uint16_t id = 65530; /* IDs wrap inside the run */

	run(v6, &seq, &id, 10, 1460, FR_ACK);
	tx(f, tcp(f, v6, seq, id, FR_ACK | FR_PSH, 500));
	assert_int_equal(fx.t.ntxf, 1);
	drain();
	assert_int_equal(fx.nrx, 0); /* nothing leaves before the flush */
	flush();
	merged(want, 1);
	assert_int_equal(fx.rx[0].h.gso_size, 1460);
	assert_int_equal(fx.rx[0].h.gso_type, v6 ? VIRTIO_NET_HDR_GSO_TCPV6
						 : VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(fx.rx[0].h.hdr_len, v6 ? 74 : 54);
	assert_int_equal(fx.rx[0].len, (v6 ? 74 : 54) + 10 * 1460 + 500);
	assert_int_equal(fx.rx[0].f[(v6 ? 54 : 34) + 13], FR_ACK | FR_PSH);
	if (!v6)
		assert_int_equal(be16(fx.rx[0].f + 18), 65530);
	same_as_sent();
	assert_int_equal(fx.t.tx_tso, 1);
}

/**
 * test_tso4() - IPv4 run
 * @state:	Unused
 */
static void test_tso4(void **state)
{
	(void)state;
	tso(false);
}

/**
 * test_tso6() - IPv6 run
 * @state:	Unused
 */
static void test_tso6(void **state)
{
	(void)state;
	tso(true);
}

/**
 * test_limits() - Super-frames stop at TAP_TSO_BYTES and TAP_TSO_SEGS
 * @state:	Unused
 *
 * 100 segments of 1460 bytes: 44 fit in 64 KiB. 100 of 536: 45 segments
 * is the limit.
 */
static void test_limits(void **state)
{
	static const int want[] = {44, 44, 12, 45, 45, 10};
	uint32_t seq = 5000;
	uint16_t id = 1;

	(void)state;
	run(false, &seq, &id, 100, 1460, FR_ACK);
	run(true, &seq, &id, 100, 536, FR_ACK);
	flush();
	merged(want, 6);
	same_as_sent();
	assert_int_equal(fx.t.tx_tso, 6);
}

/**
 * test_full() - A full queue is written by tap_tx() itself, in order
 * @state:	Unused
 *
 * 400 segments of 1460 bytes fill the 256 KiB buffer more than once; bare
 * ACKs (never merged) fill the TAP_TXQ_FRAMES entries.
 */
static void test_full(void **state)
{
	static uint8_t f[FR_MAX];
	uint32_t seq = 1000;
	uint16_t id = 0;
	int i;

	(void)state;
	for (i = 0; i < 400; i++) {
		run(false, &seq, &id, 1, 1460, FR_ACK);
		drain();
	}
	assert_true(fx.nrx > 0);
	flush();
	for (i = 0; i < TAP_TXQ_FRAMES; i++) {
		tx(f, tcp(f, false, seq, id++, FR_ACK, 0));
		drain();
		if (i < TAP_TXQ_FRAMES - 1)
			assert_int_equal(fx.t.ntxf, i + 1);
	}
	tx(f, tcp(f, false, seq, id++, FR_ACK, 0));
	assert_int_equal(fx.t.ntxf, 1);
	flush();
	same_as_sent();
}

/**
 * fix_tcp() - Recompute the TCP checksum of a frame built by tcp()
 * @f:		Frame (IPv4)
 * @len:	Length
 */
static void fix_tcp(uint8_t *f, size_t len)
{
	put16(f + 34 + 16, 0);
	put16(f + 34 + 16,
	      (uint16_t)~csum(f + 34, len - 34, pseudo(f, len - 34)));
}

/**
 * odd() - Send the next IPv4 segment of the flow with one byte changed
 * @seq:	Sequence number (advanced)
 * @id:		IPv4 ID (advanced)
 * @at:		Offset of the byte to change
 */
static void odd(uint32_t *seq, uint16_t *id, size_t at)
{
	static uint8_t f[FR_MAX];
	size_t n = tcp(f, false, *seq, *id, FR_ACK, 1000);

	f[at] ^= 1;
	fix_tcp(f, n);
	tx(f, n);
	*seq += 1000;
	(*id)++;
}

/**
 * test_breaks() - Segments that do not continue the run start a new frame
 * @state:	Unused
 *
 * In order: a run of 3; a gap in the sequence; an ID that does not follow;
 * another destination port; the flow again, not next to its run; a window
 * change; an ACK number change; a run that a PSH segment ends; a larger
 * segment after a smaller one; a shorter one that ends a run; segments
 * below TAP_TSO_MIN, never merged.
 */
static void test_breaks(void **state)
{
	static const int want[] = {3, 1, 2, 1, 1, 1, 1, 3, 1, 2, 1, 1};
	static uint8_t f[FR_MAX];
	uint32_t seq = 1000;
	uint16_t id = 100;

	(void)state;
	run(false, &seq, &id, 3, 1000, FR_ACK);
	seq += 1;
	run(false, &seq, &id, 1, 1000, FR_ACK);
	id += 5;
	run(false, &seq, &id, 2, 1000, FR_ACK);
	odd(&seq, &id, 14 + 20 + 3);
	run(false, &seq, &id, 1, 1000, FR_ACK);
	odd(&seq, &id, 14 + 20 + 15);
	odd(&seq, &id, 14 + 20 + 11);
	run(false, &seq, &id, 2, 1000, FR_ACK);
	tx(f, tcp(f, false, seq, id++, FR_ACK | FR_PSH, 1000));
	seq += 1000;
	run(false, &seq, &id, 1, 600, FR_ACK);
	run(false, &seq, &id, 1, 1000, FR_ACK);
	run(false, &seq, &id, 1, 999, FR_ACK);
	run(false, &seq, &id, 2, 100, FR_ACK);
	flush();
	merged(want, (int)(sizeof(want) / sizeof(want[0])));
	same_as_sent();
}

/**
 * test_flags() - Anything but ACK (and PSH last) passes alone, in order
 * @state:	Unused
 */
static void test_flags(void **state)
{
	static const uint8_t flags[] = {FR_SYN | FR_ACK,
					FR_FIN | FR_ACK,
					FR_RST | FR_ACK,
					FR_ACK | 0x20 /* URG */,
					FR_ACK | 0x40 /* ECE */,
					FR_ACK | 0x80 /* CWR */,
					FR_PSH,
					0};
	static uint8_t f[FR_MAX];
	uint32_t seq = 1000;
	uint16_t id = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(flags); i++) {
		run(false, &seq, &id, 1, 1000, FR_ACK);
		tx(f, tcp(f, false, seq, id++, flags[i], 1000));
		seq += 1000;
		run(true, &seq, &id, 1, 1000, FR_ACK);
		tx(f, tcp(f, true, seq, id++, flags[i], 1000));
		seq += 1000;
	}
	flush();
	assert_int_equal(fx.nrx, fx.nsent);
	same_as_sent();
	assert_int_equal(fx.t.tx_tso, 0);
}

/**
 * test_options() - Identical TCP options merge; different ones do not
 * @state:	Unused
 */
static void test_options(void **state)
{
	static const int want[] = {2, 1, 1};
	struct fr_tcp t = {.smac = mac_a,
			   .dmac = mac_b,
			   .sport = 80,
			   .dport = 40000,
			   .ack = 1,
			   .flags = FR_ACK,
			   .win = 501,
			   .wscale = -1,
			   .data = payload,
			   .len = 1000};
	static const uint16_t mss[] = {1460, 1460, 1400, 0};
	static uint8_t f[FR_MAX];
	unsigned int i;
	size_t n;

	(void)state;
	t.src[0] = t.dst[0] = 10;
	for (i = 0; i < 4; i++) {
		t.seq = 1000 + 1000 * i;
		t.mss = mss[i];
		n = fr_tcp(f, &t);
		set_id(f, (uint16_t)i);
		tx(f, n);
	}
	flush();
	/* the last one: no options, and a different header length */
	merged(want, 3);
	same_as_sent();
}

/**
 * test_hostile() - Odd frames pass through alone, unmerged, in order
 * @state:	Unused
 *
 * Each odd frame follows a segment that could be continued, and is
 * followed by one: IPv4 options, Ethernet padding after the IP packet, an
 * IP length past the frame, a truncated TCP header, a TCP data offset
 * below 5, a fragment, an IPv6 extension header, frames of 10 and 0
 * bytes, ARP, UDP.
 */
static void test_hostile(void **state)
{
	static uint8_t f[FR_MAX], g[FR_MAX];
	uint32_t seq = 1000;
	uint16_t id = 0;
	struct rx *r;
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 11; i++) {
		run(i == 6, &seq, &id, 1, 1000, FR_ACK);
		n = tcp(f, i == 6, seq, id, FR_ACK, 1000);
		switch (i) {
		case 0: /* IPv4 options: four NOPs */
			memcpy(g, f, 34);
			memset(g + 34, 1, 4);
			memcpy(g + 38, f + 34, n - 34);
			g[14] = 0x46;
			put16(g + 16, (uint16_t)(be16(g + 16) + 4));
			set_id(g, id);
			memcpy(f, g, n + 4);
			n += 4;
			break;
		case 1: /* padding */
			memset(f + n, 0, 6);
			n += 6;
			break;
		case 2: /* IP length past the frame */
			n -= 10;
			break;
		case 3: /* truncated TCP header */
			n = 14 + 20 + 12;
			put16(f + 16, 20 + 12);
			set_id(f, id);
			break;
		case 4: /* data offset 4 */
			f[14 + 20 + 12] = 0x40;
			break;
		case 5: /* more fragments */
			f[14 + 6] |= 0x20;
			set_id(f, id);
			break;
		case 6: /* IPv6: hop-by-hop header, then TCP */
			f[14 + 6] = 0;
			break;
		case 7:
			n = 10;
			break;
		case 8:
			n = 0;
			break;
		case 9:
			n = fr_arp(f, 1, mac_a, ip_a, mac_b, ip_b);
			break;
		default: {
			struct fr_udp u = {.smac = mac_a,
					   .dmac = mac_b,
					   .sport = 53,
					   .dport = 53,
					   .data = payload,
					   .len = 1000};

			u.src[0] = u.dst[0] = 10;
			n = fr_udp(f, &u);
		}
		}
		id++;
		seq += 1000;
		tx(f, n);
	}
	run(false, &seq, &id, 1, 1000, FR_ACK);
	flush();
	assert_int_equal(fx.nrx, fx.nsent);
	for (i = 0; i < fx.nrx; i++) {
		r = &fx.rx[i];
		assert_int_equal(r->h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		assert_int_equal(r->len, fx.slen[i]);
		if (r->h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			/* only the checksum field changed */
			assert_true(r->h.csum_start + r->h.csum_offset + 2u <=
				    r->len);
			memset(r->f + r->h.csum_start + r->h.csum_offset, 0, 2);
			memset(fx.sent[i] + r->h.csum_start + r->h.csum_offset,
			       0, 2);
		}
		assert_memory_equal(r->f, fx.sent[i], fx.slen[i]);
	}
	assert_int_equal(fx.t.tx_tso, 0);
	assert_int_equal(fx.t.tx, (uint64_t)fx.nsent);
}

/**
 * test_plain() - Without offloads, frames are written at once
 * @state:	Unused
 */
static void test_plain(void **state)
{
	static uint8_t f[FR_MAX], r[FR_MAX];
	struct iovec iov;
	struct tap p;
	int sv[2];
	size_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv),
			 0);
	assert_int_equal(tap_adopt(&p, sv[0], 1500, false), 0);
	assert_null(p.txbuf);
	n = tcp(f, false, 1000, 1, FR_ACK, 1000);
	memcpy(r, f, n);
	iov = (struct iovec){f, n};
	assert_int_equal(tap_tx(&p, &iov, 1), 0);
	assert_int_equal(read(sv[1], f, sizeof(f)), (ssize_t)n);
	assert_memory_equal(f, r, n);
	assert_int_equal(tap_tx_flush(&p), 0);
	tap_close(&p);
	close(sv[1]);
}

/**
 * test_close() - tap_close() writes what is still queued
 * @state:	Unused
 */
static void test_close(void **state)
{
	uint32_t seq = 1;
	uint16_t id = 1;

	(void)state;
	run(false, &seq, &id, 3, 1460, FR_ACK);
	tap_close(&fx.t);
	drain();
	assert_int_equal(fx.nrx, 1);
	assert_int_equal(fx.rx[0].h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(tap_adopt(&fx.t, -1, 1500, true), 0);
}

/**
 * main() - Run the tests
 *
 * Return: number of failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tso4, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tso6, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_breaks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_options, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test_setup_teardown(test_close, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
