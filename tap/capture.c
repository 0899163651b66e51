// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - tee frames to pcap sinks: --pcap-log files and live streams
 *
 * See tap.h for the theory of operation. Everything here runs on the
 * loop's thread; the sink table is sized at build time and a stream's
 * filter and carry-over buffer are allocated once, when it is opened.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "base.h"
#include "log.h"

#define FRAME_MAX (0x10000 + 64) /* largest frame: TSO or loopback + Ethernet */
#define CAP_IOV 64		 /* pieces of a frame written without a copy */
#define PCAP_MAGIC_NS 0xa1b23c4dU

static_assert(sizeof(struct tap_bpf_insn) == sizeof(struct bpf_insn),
	      "tap_bpf_insn must match libpcap's struct bpf_insn");
static_assert(sizeof(struct tap_bpf_insn) == 8, "tap_bpf_insn is 8 bytes");

/**
 * struct sink - one capture sink
 * @used:	Slot taken
 * @ifaces:	TAP_CAP_* bits
 * @snaplen:	Bytes kept of a frame
 * @fd:		Stream: the fd written, owned; log: the file's fd (owned by
 *		@file)
 * @dead:	Writes no more (reader gone or write error)
 * @dirty:	Log: records buffered since the last flush
 * @flushed:	Log: CLOCK_MONOTONIC ms of the last flush
 * @pcap:	Log: libpcap's dead handle for the dumper
 * @dump:	Log: libpcap's writer
 * @file:	Log: its stdio stream
 * @prog:	Stream: filter, NULL for none
 * @n:		Instructions in @prog
 * @rest:	Stream: the unwritten tail of a partly written record
 * @rest_len:	Bytes of it left
 * @rest_off:	Offset of those bytes in @rest
 * @st:		Counters
 */
struct sink {
	bool used;
	unsigned int ifaces;
	unsigned int snaplen;
	int fd;
	bool dead;
	bool dirty;
	uint64_t flushed;
	pcap_t *pcap;
	pcap_dumper_t *dump;
	FILE *file;
	struct tap_bpf_insn *prog;
	unsigned int n;
	uint8_t *rest;
	size_t rest_len;
	size_t rest_off;
	struct tap_cap_stats st;
};

static struct sink sinks[TAP_CAP_MAX];
static unsigned int cap_ifaces; /* union of the live sinks' interfaces */
static uint8_t flat[FRAME_MAX];

/**
 * now_ms() - Monotonic milliseconds
 *
 * Return: milliseconds
 */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * update_mask() - Recompute the interfaces some live sink wants
 */
static void update_mask(void)
{
	unsigned int i, m = 0;

	for (i = 0; i < TAP_CAP_MAX; i++)
		if (sinks[i].used && !sinks[i].dead)
			m |= sinks[i].ifaces;
	cap_ifaces = m;
}

/**
 * take_slot() - Find a free sink
 * @ifaces:	TAP_CAP_* bits wanted
 * @snaplen:	Requested snap length (0: TAP_SNAPLEN_MAX)
 * @out:	Sink, cleared, on success
 *
 * Return: slot index, or -EINVAL (bad @ifaces), -ENOSPC (table full)
 */
static int take_slot(unsigned int ifaces, unsigned int *snaplen,
		     struct sink **out)
{
	int i;

	if (!ifaces || (ifaces & ~(unsigned int)(TAP_CAP_ETH0 | TAP_CAP_LO)))
		return -EINVAL;
	if (!*snaplen || *snaplen > TAP_SNAPLEN_MAX)
		*snaplen = TAP_SNAPLEN_MAX;
	for (i = 0; i < TAP_CAP_MAX; i++) {
		if (!sinks[i].used) {
			memset(&sinks[i], 0, sizeof(sinks[i]));
			sinks[i].fd = -1;
			*out = &sinks[i];
			return i;
		}
	}
	return -ENOSPC;
}

/**
 * tap_pcap_filehdr() - The pcap file header: nanosecond magic, Ethernet
 * @out:	24 bytes
 * @snaplen:	Snapshot length recorded in the header
 */
void tap_pcap_filehdr(uint8_t out[TAP_PCAP_HDR], unsigned int snaplen)
{
	uint32_t w[6] = {PCAP_MAGIC_NS, 2 | 4 << 16, 0, 0, snaplen, DLT_EN10MB};

	memcpy(out, w, sizeof(w)); /* host order: the magic tells readers */
}

/**
 * tap_pcap_rechdr() - A pcap record header, nanosecond timestamp
 * @out:	16 bytes
 * @ts:		Time of the frame
 * @caplen:	Bytes of the frame that follow
 * @len:	Length of the frame on the wire
 */
void tap_pcap_rechdr(uint8_t out[TAP_PCAP_REC], const struct timespec *ts,
		     uint32_t caplen, uint32_t len)
{
	uint32_t w[4] = {(uint32_t)ts->tv_sec, (uint32_t)ts->tv_nsec, caplen,
			 len};

	memcpy(out, w, sizeof(w));
}

/**
 * tap_cap_log_open() - Start a --pcap-log file
 * @fd:		File open for writing, consumed (closed on failure too)
 * @ifaces:	TAP_CAP_* bits
 * @snaplen:	Bytes kept of each frame, 0 for all
 *
 * Setup stage: libpcap allocates here. The header is on disk on return.
 *
 * Return: slot, or -errno
 */
int tap_cap_log_open(int fd, unsigned int ifaces, unsigned int snaplen)
{
	struct sink *k;
	int slot = take_slot(ifaces, &snaplen, &k), r;

	if (slot < 0) {
		close(fd);
		return slot;
	}
	k->pcap = pcap_open_dead_with_tstamp_precision(
	    DLT_EN10MB, (int)snaplen, PCAP_TSTAMP_PRECISION_NANO);
	k->file = k->pcap ? fdopen(fd, "w") : NULL;
	if (!k->file) {
		r = k->pcap ? -errno : -ENOMEM;
		close(fd);
		if (k->pcap)
			pcap_close(k->pcap);
		return r;
	}
	setvbuf(k->file, NULL, _IOFBF, 1 << 20);
	k->dump = pcap_dump_fopen(k->pcap, k->file);
	if (!k->dump || pcap_dump_flush(k->dump) < 0) {
		r = -EIO;
		if (!k->dump)
			fclose(k->file);
		else
			pcap_dump_close(k->dump);
		pcap_close(k->pcap);
		return r;
	}
	k->fd = fd;
	k->snaplen = snaplen;
	k->ifaces = ifaces;
	k->flushed = now_ms();
	k->used = true;
	update_mask();
	return slot;
}

/**
 * stream_fd_ok() - Is @fd something a stream may be written to?
 * @fd:	Descriptor from the client
 *
 * Return: 0 for a pipe or a socket (now non-blocking), or -errno
 */
static int stream_fd_ok(int fd)
{
	struct stat st;
	int fl;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
		return -EBADF;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if ((fl & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/**
 * tap_cap_stream_open() - Start a live capture into a pipe or socket
 * @fd:		Write end (pipe, or a socket), consumed on success only
 * @ifaces:	TAP_CAP_* bits
 * @snaplen:	Bytes kept of each frame, 0 for all
 * @prog:	Filter (copied), NULL or @n == 0 for every frame
 * @n:		Its instructions
 *
 * Writes the pcap file header at once; @fd is made non-blocking.
 *
 * Return: slot, or -EINVAL (filter or @ifaces rejected), -EBADF (not a
 * writable pipe or socket), -ENOSPC (table full), -ENOMEM, -EPIPE/-EAGAIN
 * (the header did not fit)
 * #syscalls fstat fcntl write
 */
int tap_cap_stream_open(int fd, unsigned int ifaces, unsigned int snaplen,
			const struct tap_bpf_insn *prog, unsigned int n)
{
	uint8_t h[TAP_PCAP_HDR];
	struct sink *k;
	int slot, r;

	if (n && (r = tap_bpf_validate(prog, n)) < 0)
		return r;
	slot = take_slot(ifaces, &snaplen, &k);
	if (slot < 0)
		return slot;
	r = stream_fd_ok(fd);
	if (r < 0)
		return r;
	k->rest = malloc(MIN(snaplen, FRAME_MAX) + TAP_PCAP_REC);
	k->prog = n ? malloc(sizeof(*prog) * n) : NULL;
	if (!k->rest || (n && !k->prog)) {
		free(k->rest);
		free(k->prog);
		return -ENOMEM;
	}
	if (n)
		memcpy(k->prog, prog, sizeof(*prog) * n);
	tap_pcap_filehdr(h, snaplen);
	if (write(fd, h, sizeof(h)) != (ssize_t)sizeof(h)) {
		r = errno == EAGAIN ? -EAGAIN : -EPIPE;
		free(k->rest);
		free(k->prog);
		return r;
	}
	k->fd = fd;
	k->n = n;
	k->snaplen = snaplen;
	k->ifaces = ifaces;
	k->used = true;
	update_mask();
	return slot;
}

/**
 * sink_at() - A live slot, or NULL
 * @slot:	Index from an open call
 *
 * Return: the sink, NULL if @slot is not in use
 */
static struct sink *sink_at(int slot)
{
	if (slot < 0 || slot >= TAP_CAP_MAX || !sinks[slot].used)
		return NULL;
	return &sinks[slot];
}

/**
 * tap_cap_fd() - The fd a sink writes to
 * @slot:	Sink
 *
 * Return: the fd, or -EBADF
 */
int tap_cap_fd(int slot)
{
	struct sink *k = sink_at(slot);

	return k ? k->fd : -EBADF;
}

/**
 * sink_end() - Stop writing to a sink whose reader is gone
 * @k:	Sink
 */
static void sink_end(struct sink *k)
{
	k->dead = true;
	k->st.ended = true;
	k->rest_len = 0;
	update_mask();
}

/**
 * flush_rest() - Write what is left of a partly written record
 * @k:	Stream sink
 *
 * Return: 0 when nothing is left, -EAGAIN if some still is, -EPIPE if the
 * stream ended
 * #syscalls write
 */
static int flush_rest(struct sink *k)
{
	ssize_t r;

	while (k->rest_len) {
		r = write(k->fd, k->rest + k->rest_off, k->rest_len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return -EAGAIN;
		if (r <= 0) {
			sink_end(k);
			return -EPIPE;
		}
		k->rest_off += (size_t)r;
		k->rest_len -= (size_t)r;
	}
	return 0;
}

/**
 * tap_cap_flush() - The stream's fd is writable: finish a partial record
 * @slot:	Stream sink
 *
 * Return: 0 (nothing pending), -EAGAIN (still pending), -EPIPE (ended),
 * -EBADF (no such sink)
 */
int tap_cap_flush(int slot)
{
	struct sink *k = sink_at(slot);

	if (!k)
		return -EBADF;
	if (k->dead)
		return -EPIPE;
	return k->pcap ? 0 : flush_rest(k);
}

/**
 * tap_cap_stats() - Counters of a sink
 * @slot:	Sink
 * @st:		Filled in (zero for a free slot)
 */
void tap_cap_stats(int slot, struct tap_cap_stats *st)
{
	struct sink *k = sink_at(slot);

	memset(st, 0, sizeof(*st));
	if (k)
		*st = k->st;
}

/**
 * tap_cap_close() - End a sink: flush a log, close its fd, free the slot
 * @slot:	Sink; a free slot is ignored
 * #syscalls write close
 */
void tap_cap_close(int slot)
{
	struct sink *k = sink_at(slot);

	if (!k)
		return;
	if (k->dump) {
		pcap_dump_close(k->dump); /* flushes and closes the fd */
		pcap_close(k->pcap);
	} else if (k->fd >= 0) {
		close(k->fd);
	}
	free(k->rest);
	free(k->prog);
	memset(k, 0, sizeof(*k));
	update_mask();
}

/**
 * iov_total() - Bytes in an iovec
 * @iov:	Pieces
 * @iovcnt:	Their number
 *
 * Return: total length
 */
static size_t iov_total(const struct iovec *iov, int iovcnt)
{
	size_t n = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	return n;
}

/**
 * flatten() - Copy the first @len bytes of a frame into flat[]
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @len:	Bytes wanted (<= sizeof(flat))
 *
 * Return: flat
 */
static const uint8_t *flatten(const struct iovec *iov, int iovcnt, size_t len)
{
	size_t got = 0, n;
	int i;

	for (i = 0; i < iovcnt && got < len; i++) {
		n = MIN(iov[i].iov_len, len - got);
		memcpy(flat + got, iov[i].iov_base, n);
		got += n;
	}
	return flat;
}

/**
 * log_write() - One record into a --pcap-log file
 * @k:		Log sink
 * @ts:		Timestamp
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @caplen:	Bytes to keep
 * @len:	Frame length
 */
static void log_write(struct sink *k, const struct timespec *ts,
		      const struct iovec *iov, int iovcnt, size_t caplen,
		      size_t len)
{
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)caplen,
				.len = (bpf_u_int32)len};
	const uint8_t *p = iov[0].iov_base;

	h.ts.tv_sec = ts->tv_sec;
	h.ts.tv_usec = ts->tv_nsec; /* nanosecond dumper */
	if (iov[0].iov_len < caplen)
		p = flatten(iov, iovcnt, caplen);
	pcap_dump((u_char *)k->dump, &h, p);
	k->st.written++;
	k->dirty = true;
}

/**
 * trim() - The first @caplen bytes of a frame, as iovecs after a header
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @caplen:	Bytes wanted
 * @v:		Result: v[0] is left for the caller, pieces from v[1]
 *
 * Return: number of pieces in @v including v[0]
 */
static int trim(const struct iovec *iov, int iovcnt, size_t caplen,
		struct iovec *v)
{
	size_t got = 0, n;
	int i, k = 1;

	if (iovcnt >= CAP_IOV) {
		v[1].iov_base = (void *)flatten(iov, iovcnt, caplen);
		v[1].iov_len = caplen;
		return 2;
	}
	for (i = 0; i < iovcnt && got < caplen; i++) {
		n = MIN(iov[i].iov_len, caplen - got);
		v[k].iov_base = iov[i].iov_base;
		v[k++].iov_len = n;
		got += n;
	}
	return k;
}

/**
 * keep_rest() - Save the unwritten tail of a record
 * @k:		Stream sink
 * @v:		Record as written
 * @n:		Pieces
 * @done:	Bytes the write took
 */
static void keep_rest(struct sink *k, const struct iovec *v, int n, size_t done)
{
	size_t off = 0, skip;
	int i;

	k->rest_len = 0;
	k->rest_off = 0;
	for (i = 0; i < n; i++) {
		if (done >= v[i].iov_len) {
			done -= v[i].iov_len;
			continue;
		}
		skip = done;
		done = 0;
		memcpy(k->rest + off, (const uint8_t *)v[i].iov_base + skip,
		       v[i].iov_len - skip);
		off += v[i].iov_len - skip;
	}
	k->rest_len = off;
}

/**
 * stream_write() - One record into a live stream, never blocking
 * @k:		Stream sink
 * @ts:		Timestamp
 * @iov:	Frame
 * @iovcnt:	Pieces
 * @caplen:	Bytes to keep
 * @len:	Frame length
 * #syscalls writev
 */
static void stream_write(struct sink *k, const struct timespec *ts,
			 const struct iovec *iov, int iovcnt, size_t caplen,
			 size_t len)
{
	struct iovec v[CAP_IOV + 1];
	uint8_t h[TAP_PCAP_REC];
	ssize_t r;
	int n;

	if (k->rest_len && flush_rest(k) < 0) {
		k->st.dropped++;
		return;
	}
	tap_pcap_rechdr(h, ts, (uint32_t)caplen, (uint32_t)len);
	v[0].iov_base = h;
	v[0].iov_len = sizeof(h);
	n = trim(iov, iovcnt, caplen, v);
	r = writev(k->fd, v, n);
	if (r < 0 && errno == EAGAIN) {
		k->st.dropped++;
		return;
	}
	if (r <= 0) {
		k->st.dropped++;
		sink_end(k);
		return;
	}
	if ((size_t)r < sizeof(h) + caplen)
		keep_rest(k, v, n, (size_t)r);
	k->st.written++;
}

/**
 * tap_cap_frame() - Offer one frame to every sink that wants it
 * @iface:	TAP_CAP_ETH0 or TAP_CAP_LO
 * @iov:	Ethernet frame
 * @iovcnt:	Pieces (> 0)
 */
void tap_cap_frame(unsigned int iface, const struct iovec *iov, int iovcnt)
{
	struct timespec ts = {0, 0};
	size_t len, caplen;
	unsigned int snap;
	struct sink *k;
	int i;

	if (!(cap_ifaces & iface))
		return;
	len = iov_total(iov, iovcnt);
	if (len > FRAME_MAX)
		return;
	for (i = 0; i < TAP_CAP_MAX; i++) {
		k = &sinks[i];
		if (!k->used || k->dead || !(k->ifaces & iface))
			continue;
		k->st.seen++;
		snap = k->n ? tap_bpf_run(k->prog, k->n, iov, iovcnt, len)
			    : UINT32_MAX;
		if (!snap)
			continue;
		k->st.matched++;
		if (!ts.tv_sec)
			clock_gettime(CLOCK_REALTIME, &ts);
		caplen = MIN(MIN(len, (size_t)k->snaplen), (size_t)snap);
		if (k->dump)
			log_write(k, &ts, iov, iovcnt, caplen, len);
		else
			stream_write(k, &ts, iov, iovcnt, caplen, len);
	}
}

/**
 * tap_cap_lo() - Loopback capture callback (netstack's ns_loop_tap_fn)
 * @ctx:	Unused
 * @iov:	Pseudo-Ethernet frame
 * @iovcnt:	Pieces
 */
void tap_cap_lo(void *ctx, const struct iovec *iov, int iovcnt)
{
	(void)ctx;
	tap_cap_frame(TAP_CAP_LO, iov, iovcnt);
}

/**
 * tap_cap_timeout_ms() - How long the loop may sleep before tap_cap_tick()
 *
 * Return: TAP_CAP_FLUSH_MS if a log has buffered records, else -1
 */
int tap_cap_timeout_ms(void)
{
	int i;

	for (i = 0; i < TAP_CAP_MAX; i++)
		if (sinks[i].used && sinks[i].dirty)
			return TAP_CAP_FLUSH_MS;
	return -1;
}

/**
 * tap_cap_tick() - Flush logs whose records waited TAP_CAP_FLUSH_MS
 *
 * A log that fails to write (disk full, I/O error) is ended with a warning.
 * #syscalls write
 */
void tap_cap_tick(void)
{
	struct sink *k;
	uint64_t now = 0;
	int i;

	for (i = 0; i < TAP_CAP_MAX; i++) {
		k = &sinks[i];
		if (!k->used || !k->dirty)
			continue;
		if (!now)
			now = now_ms();
		if (now - k->flushed < TAP_CAP_FLUSH_MS)
			continue;
		k->dirty = false;
		k->flushed = now;
		if (!k->dead &&
		    (pcap_dump_flush(k->dump) < 0 || ferror(k->file))) {
			warn("capture: writing a --pcap-log file failed, "
			     "capture stopped");
			sink_end(k);
		}
	}
}
