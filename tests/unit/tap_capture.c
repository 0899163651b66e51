// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap_capture.c - unit tests for the BPF validator and interpreter, the
 * pcap record writer, live streams (drops, partial records, a reader that
 * goes away) and --pcap-log files, read back with libpcap
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "frames.h"
#include "tap/tap.h"

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 1};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 2};
static uint8_t frames[6][FR_MAX];
static size_t flen[6];

/* filters pcap-dump users write; each is compiled by libpcap */
static const char *const exprs[] = {
    "",
    "tcp",
    "udp port 53",
    "host 10.0.0.1",
    "src 10.0.0.2 and dst port 80",
    "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
    "ip6 and tcp port 443",
    "arp",
    "not port 22",
    "less 100",
    "greater 1000",
    "tcp[20:4] = 0x47455420", /* "GET " at the start of the payload */
    "ether host 02:00:00:00:00:01",
    "icmp or icmp6",
    "ip[2:2] > 576",
    "udp[8] = 0x70 and len > 60",
    "vlan and tcp",
    "ip proto 17 and ip[6:2] & 0x1fff = 0",
    "ip6 and ip6[6] = 17",
};

/**
 * build_frames() - A few frames of different kinds into frames[]
 */
static void build_frames(void)
{
	static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	static uint8_t big[1400];
	struct fr_tcp t = {.smac = mac_a,
			   .dmac = mac_b,
			   .src = {10, 0, 0, 2},
			   .dst = {10, 0, 0, 1},
			   .sport = 40000,
			   .dport = 80,
			   .seq = 1,
			   .ack = 2,
			   .flags = FR_SYN,
			   .win = 1000,
			   .mss = 1460,
			   .wscale = 7};
	struct fr_udp u = {.smac = mac_b,
			   .dmac = mac_a,
			   .src = {10, 0, 0, 1},
			   .dst = {10, 0, 0, 2},
			   .sport = 53,
			   .dport = 5353,
			   .data = "pong",
			   .len = 4};

	memset(big, 'b', sizeof(big));
	flen[0] = fr_tcp(frames[0], &t);
	t.flags = FR_ACK | FR_PSH;
	t.mss = 0;
	t.wscale = -1;
	t.data = get;
	t.len = sizeof(get) - 1;
	flen[1] = fr_tcp(frames[1], &t);
	flen[2] = fr_udp(frames[2], &u);
	flen[3] = fr_arp(frames[3], 1, mac_a, (const uint8_t *)"\x0a\0\0\x02",
			 NULL, (const uint8_t *)"\x0a\0\0\x01");
	t.v6 = true;
	memset(t.src, 0, 16);
	memset(t.dst, 0, 16);
	t.src[0] = t.dst[0] = 0xfd;
	t.src[15] = 2;
	t.dst[15] = 1;
	t.dport = 443;
	t.data = big;
	t.len = sizeof(big);
	flen[4] = fr_tcp(frames[4], &t);
	u.data = "ping";
	u.sport = 7;
	flen[5] = fr_udp(frames[5], &u);
}

/**
 * compile() - An expression compiled by libpcap
 * @e:		Expression
 * @prog:	Result
 */
static void compile(const char *e, struct bpf_program *prog)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);

	assert_non_null(p);
	assert_int_equal(pcap_compile(p, prog, e, 1, PCAP_NETMASK_UNKNOWN), 0);
	pcap_close(p);
}

/**
 * test_validate_compiled() - Everything libpcap compiles is accepted
 * @state:	Unused
 */
static void test_validate_compiled(void **state)
{
	struct bpf_program prog;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		compile(exprs[i], &prog);
		assert_int_equal(bpf_validate(prog.bf_insns, (int)prog.bf_len),
				 1);
		assert_int_equal(
		    tap_bpf_validate((const struct tap_bpf_insn *)prog.bf_insns,
				     prog.bf_len),
		    0);
		pcap_freecode(&prog);
	}
}

/**
 * test_validate_hostile() - Programs that could misbehave are refused
 * @state:	Unused
 */
static void test_validate_hostile(void **state)
{
	struct tap_bpf_insn ret = {BPF_RET | BPF_K, 0, 0, 1};
	struct tap_bpf_insn p[4];
	static struct tap_bpf_insn lots[TAP_BPF_MAX + 1];
	unsigned int i;

	(void)state;
	assert_int_equal(tap_bpf_validate(&ret, 1), 0);
	assert_int_equal(tap_bpf_validate(&ret, 0), -EINVAL);
	assert_int_equal(tap_bpf_validate(NULL, 1), -EINVAL);
	for (i = 0; i < TAP_BPF_MAX + 1; i++)
		lots[i] = ret;
	assert_int_equal(tap_bpf_validate(lots, TAP_BPF_MAX), 0);
	assert_int_equal(tap_bpf_validate(lots, TAP_BPF_MAX + 1), -EINVAL);
	/* last instruction must return */
	p[0] = (struct tap_bpf_insn){BPF_LD | BPF_IMM, 0, 0, 5};
	assert_int_equal(tap_bpf_validate(p, 1), -EINVAL);
	/* unknown opcodes: reserved size, BSD/OS modes, COP */
	p[1] = ret;
	for (i = 0; i < 3; i++) {
		static const uint16_t bad[] = {BPF_LD | 0x18 | BPF_ABS,
					       BPF_LD | BPF_W | 0xc0,
					       BPF_MISC | 0x20};
		p[0].code = bad[i];
		assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	}
	/* jumps out of range: conditional true/false, and JA */
	p[0] = (struct tap_bpf_insn){BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0].jt = 0;
	p[0].jf = 1;
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0] = (struct tap_bpf_insn){BPF_JMP | BPF_JA, 0, 0, 1};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0].k = 0xffffffffU; /* would wrap backwards */
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0].k = 0;
	assert_int_equal(tap_bpf_validate(p, 2), 0);
	/* scratch memory, constant division by zero, wide shifts */
	p[0] = (struct tap_bpf_insn){BPF_ST, 0, 0, 16};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0] = (struct tap_bpf_insn){BPF_LDX | BPF_W | BPF_MEM, 0, 0, 16};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0] = (struct tap_bpf_insn){BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0] = (struct tap_bpf_insn){BPF_ALU | BPF_MOD | BPF_K, 0, 0, 0};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0] = (struct tap_bpf_insn){BPF_ALU | BPF_LSH | BPF_K, 0, 0, 32};
	assert_int_equal(tap_bpf_validate(p, 2), -EINVAL);
	p[0].k = 31;
	assert_int_equal(tap_bpf_validate(p, 2), 0);
}

/**
 * split_run() - Run @prog on frame @f cut into pieces at @cut and @cut2
 * @prog:	Program
 * @f:		Frame index
 * @cut:	First cut
 * @cut2:	Second cut (>= @cut)
 *
 * Return: the program's result
 */
static unsigned int split_run(const struct bpf_program *prog, int f, size_t cut,
			      size_t cut2)
{
	struct iovec v[3] = {{frames[f], cut},
			     {frames[f] + cut, cut2 - cut},
			     {frames[f] + cut2, flen[f] - cut2}};

	return tap_bpf_run((const struct tap_bpf_insn *)prog->bf_insns,
			   prog->bf_len, v, 3, flen[f]);
}

/**
 * test_run_like_libpcap() - Same verdicts as bpf_filter(), however split
 * @state:	Unused
 */
static void test_run_like_libpcap(void **state)
{
	struct bpf_program prog;
	unsigned int i, want, matches = 0;
	size_t c;
	int f;

	(void)state;
	build_frames();
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		compile(exprs[i], &prog);
		for (f = 0; f < 6; f++) {
			want = bpf_filter(prog.bf_insns, frames[f],
					  (u_int)flen[f], (u_int)flen[f]);
			matches += want != 0;
			for (c = 0; c <= flen[f]; c += 7)
				assert_int_equal(split_run(&prog, f, c / 2, c),
						 want);
		}
		pcap_freecode(&prog);
	}
	assert_true(matches > 20); /* the frames exercise the filters */
}

/**
 * test_run_edges() - Loads past the end, division by X = 0, wide shifts
 * @state:	Unused
 */
static void test_run_edges(void **state)
{
	uint8_t b[4] = {1, 2, 3, 4};
	struct iovec v = {b, 4};
	struct tap_bpf_insn p[4] = {
	    {BPF_LD | BPF_W | BPF_ABS, 0, 0, 1}, /* 4 bytes at 1: outside */
	    {BPF_RET | BPF_K, 0, 0, 9},
	};

	(void)state;
	assert_int_equal(tap_bpf_run(p, 2, &v, 1, 4), 0);
	p[0].k = 0;
	assert_int_equal(tap_bpf_run(p, 2, &v, 1, 4), 9);
	/* ind with k + X wrapping 32 bits */
	p[0] =
	    (struct tap_bpf_insn){BPF_LDX | BPF_W | BPF_IMM, 0, 0, 0xffffffffU};
	p[1] = (struct tap_bpf_insn){BPF_LD | BPF_B | BPF_IND, 0, 0, 2};
	p[2] = (struct tap_bpf_insn){BPF_RET | BPF_K, 0, 0, 9};
	assert_int_equal(tap_bpf_run(p, 3, &v, 1, 4), 0);
	/* A / X with X = 0 rejects */
	p[0] = (struct tap_bpf_insn){BPF_LDX | BPF_W | BPF_IMM, 0, 0, 0};
	p[1] = (struct tap_bpf_insn){BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0};
	assert_int_equal(tap_bpf_run(p, 3, &v, 1, 4), 0);
	/* A << X with X >= 32 is 0, no undefined behaviour */
	p[0] = (struct tap_bpf_insn){BPF_LDX | BPF_W | BPF_IMM, 0, 0, 40};
	p[1] = (struct tap_bpf_insn){BPF_LD | BPF_IMM, 0, 0, 1};
	p[2] = (struct tap_bpf_insn){BPF_ALU | BPF_LSH | BPF_X, 0, 0, 0};
	p[3] = (struct tap_bpf_insn){BPF_RET | BPF_A, 0, 0, 0};
	assert_int_equal(tap_bpf_run(p, 4, &v, 1, 4), 0);
	/* BPF_LEN sees the whole frame */
	p[0] = (struct tap_bpf_insn){BPF_LD | BPF_W | BPF_LEN, 0, 0, 0};
	p[1] = (struct tap_bpf_insn){BPF_RET | BPF_A, 0, 0, 0};
	assert_int_equal(tap_bpf_run(p, 2, &v, 1, 4), 4);
}

/**
 * open_reader() - libpcap reader on the read end of a pipe or a file
 * @fd:		Descriptor, consumed
 *
 * Return: the handle
 */
static pcap_t *open_reader(int fd)
{
	char eb[PCAP_ERRBUF_SIZE];
	FILE *f = fdopen(fd, "r");
	pcap_t *p;

	assert_non_null(f);
	p = pcap_fopen_offline_with_tstamp_precision(
	    f, PCAP_TSTAMP_PRECISION_NANO, eb);
	assert_non_null(p);
	return p;
}

/**
 * test_record_writer() - File and record headers as libpcap reads them
 * @state:	Unused
 */
static void test_record_writer(void **state)
{
	struct timespec ts = {1700000000, 123456789};
	uint8_t h[TAP_PCAP_HDR], r[TAP_PCAP_REC];
	struct pcap_pkthdr *ph;
	const u_char *data;
	int p[2];
	pcap_t *pc;

	(void)state;
	build_frames();
	assert_int_equal(pipe(p), 0);
	tap_pcap_filehdr(h, 100);
	assert_int_equal(write(p[1], h, sizeof(h)), sizeof(h));
	tap_pcap_rechdr(r, &ts, 60, (uint32_t)flen[1]);
	assert_int_equal(write(p[1], r, sizeof(r)), sizeof(r));
	assert_int_equal(write(p[1], frames[1], 60), 60);
	close(p[1]);
	pc = open_reader(p[0]);
	assert_int_equal(pcap_datalink(pc), DLT_EN10MB);
	assert_int_equal(pcap_snapshot(pc), 100);
	assert_int_equal(pcap_get_tstamp_precision(pc),
			 PCAP_TSTAMP_PRECISION_NANO);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
	assert_int_equal(ph->ts.tv_sec, 1700000000);
	assert_int_equal(ph->ts.tv_usec, 123456789);
	assert_int_equal(ph->caplen, 60);
	assert_int_equal(ph->len, flen[1]);
	assert_memory_equal(data, frames[1], 60);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), PCAP_ERROR_BREAK);
	pcap_close(pc);
}

/**
 * prog_of() - Compile into tap instructions
 * @e:		Expression
 * @prog:	libpcap program (pcap_freecode() it)
 *
 * Return: the instructions
 */
static const struct tap_bpf_insn *prog_of(const char *e,
					  struct bpf_program *prog)
{
	compile(e, prog);
	return (const struct tap_bpf_insn *)prog->bf_insns;
}

/**
 * test_stream_filter() - Only matching frames, snaplen, both interfaces
 * @state:	Unused
 */
static void test_stream_filter(void **state)
{
	struct bpf_program prog;
	const struct tap_bpf_insn *ins = prog_of("udp", &prog);
	struct tap_cap_stats st;
	struct pcap_pkthdr *ph;
	const u_char *data;
	int p[2], slot, i;
	struct iovec v;
	pcap_t *pc;

	(void)state;
	build_frames();
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	/* a read end, a regular file: refused */
	assert_int_equal(
	    tap_cap_stream_open(p[0], TAP_CAP_ETH0, 0, ins, prog.bf_len),
	    -EBADF);
	assert_int_equal(tap_cap_stream_open(p[1], 0, 0, ins, prog.bf_len),
			 -EINVAL);
	slot = tap_cap_stream_open(p[1], TAP_CAP_ETH0, 40, ins, prog.bf_len);
	assert_true(slot >= 0);
	pcap_freecode(&prog);
	for (i = 0; i < 6; i++) {
		v = (struct iovec){frames[i], flen[i]};
		tap_cap_frame(TAP_CAP_ETH0, &v, 1);
		tap_cap_frame(TAP_CAP_LO, &v, 1); /* not this sink's */
	}
	tap_cap_stats(slot, &st);
	assert_int_equal(st.seen, 6);
	assert_int_equal(st.matched, 2);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.dropped, 0);
	tap_cap_close(slot); /* closes p[1] */
	pc = open_reader(p[0]);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
	assert_int_equal(ph->caplen, 40);
	assert_int_equal(ph->len, flen[2]);
	assert_memory_equal(data, frames[2], 40);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
	assert_memory_equal(data, frames[5], 40);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), PCAP_ERROR_BREAK);
	pcap_close(pc);
}

/**
 * test_stream_full() - A reader that does not read: drops, then partial
 * records are finished, and the stream is still a valid pcap file
 * @state:	Unused
 */
static void test_stream_full(void **state)
{
	static uint8_t big[9000];
	struct iovec v[2] = {{big, 14}, {big + 14, sizeof(big) - 14}};
	struct tap_cap_stats st;
	struct pcap_pkthdr *ph;
	const u_char *data;
	uint8_t sink[65536];
	int p[2], slot, i, n = 0;
	unsigned int k;
	pcap_t *pc;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	fcntl(p[1], F_SETPIPE_SZ, 16384);
	slot = tap_cap_stream_open(p[1], TAP_CAP_ETH0, 0, NULL, 0);
	assert_true(slot >= 0);
	for (k = 0; k < 200; k++) {
		memset(big, (int)k, sizeof(big));
		tap_cap_frame(TAP_CAP_ETH0, v, 2);
		if (k % 50 == 49) { /* the reader wakes up now and then */
			while (read(p[0], sink, sizeof(sink)) > 0)
				n++;
			tap_cap_flush(slot);
		}
	}
	tap_cap_stats(slot, &st);
	assert_int_equal(st.matched, 200);
	assert_true(st.dropped > 0);
	assert_int_equal(st.written + st.dropped, 200);
	assert_true(n > 0);
	tap_cap_close(slot);
	close(p[0]);
	/* a record that fits only in part is finished before any other:
	 * 4 pages take the header, one record and the first page of the
	 * next; that one's tail waits, and what comes meanwhile is dropped */
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(fcntl(p[1], F_SETPIPE_SZ, 16384), 16384);
	slot = tap_cap_stream_open(p[1], TAP_CAP_ETH0, 0, NULL, 0);
	assert_true(slot >= 0);
	for (k = 0; k < 20; k++) {
		memset(big, (int)k + 1, sizeof(big));
		tap_cap_frame(TAP_CAP_ETH0, v, 2);
	}
	tap_cap_stats(slot, &st);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.dropped, 18);
	assert_int_equal(tap_cap_flush(slot), -EAGAIN); /* a tail is owed */
	pc = open_reader(dup(p[0]));
	assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
	assert_int_equal(data[0], 1);
	for (i = 0; i < 10 && tap_cap_flush(slot); i++)
		;
	assert_int_equal(tap_cap_flush(slot), 0);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
	assert_int_equal(ph->caplen, sizeof(big));
	assert_int_equal(data[0], 2);
	assert_int_equal(data[8999], 2);
	tap_cap_close(slot);
	assert_int_equal(pcap_next_ex(pc, &ph, &data), PCAP_ERROR_BREAK);
	pcap_close(pc);
	close(p[0]);
}

/**
 * test_stream_reader_gone() - A closed reader ends the stream, nothing else
 * @state:	Unused
 */
static void test_stream_reader_gone(void **state)
{
	struct tap_cap_stats st;
	struct iovec v;
	int p[2], slot;

	(void)state;
	build_frames();
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	slot = tap_cap_stream_open(p[1], TAP_CAP_ETH0 | TAP_CAP_LO, 0, NULL, 0);
	assert_true(slot >= 0);
	close(p[0]);
	v = (struct iovec){frames[0], flen[0]};
	tap_cap_frame(TAP_CAP_LO, &v, 1); /* EPIPE (SIGPIPE is ignored) */
	tap_cap_stats(slot, &st);
	assert_true(st.ended);
	assert_int_equal(tap_cap_flush(slot), -EPIPE);
	tap_cap_frame(TAP_CAP_LO, &v, 1);
	tap_cap_stats(slot, &st);
	assert_int_equal(st.seen, 1); /* an ended sink is skipped */
	tap_cap_close(slot);
	tap_cap_stats(slot, &st);
	assert_int_equal(st.seen, 0);
}

/**
 * test_log_file() - A --pcap-log file holds every frame, in order
 * @state:	Unused
 */
static void test_log_file(void **state)
{
	char path[] = "/tmp/tap_capture.XXXXXX";
	struct pcap_pkthdr *ph;
	const u_char *data;
	int fd, slot, i;
	struct iovec v[2];
	pcap_t *pc;

	(void)state;
	build_frames();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	slot = tap_cap_log_open(fd, TAP_CAP_ETH0 | TAP_CAP_LO, 0);
	assert_true(slot >= 0);
	assert_int_equal(tap_cap_timeout_ms(), -1);
	for (i = 0; i < 6; i++) {
		v[0] = (struct iovec){frames[i], 10};
		v[1] = (struct iovec){frames[i] + 10, flen[i] - 10};
		tap_cap_frame(i % 2 ? TAP_CAP_LO : TAP_CAP_ETH0, v, 2);
	}
	assert_int_equal(tap_cap_timeout_ms(), TAP_CAP_FLUSH_MS);
	tap_cap_close(slot);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	pc = open_reader(fd);
	for (i = 0; i < 6; i++) {
		assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
		assert_int_equal(ph->caplen, flen[i]);
		assert_memory_equal(data, frames[i], flen[i]);
	}
	assert_int_equal(pcap_next_ex(pc, &ph, &data), PCAP_ERROR_BREAK);
	pcap_close(pc);
}

/**
 * test_table_full() - TAP_CAP_MAX sinks, then -ENOSPC
 * @state:	Unused
 */
static void test_table_full(void **state)
{
	int p[TAP_CAP_MAX + 1][2], slot[TAP_CAP_MAX], i;

	(void)state;
	for (i = 0; i <= TAP_CAP_MAX; i++)
		assert_int_equal(pipe2(p[i], O_CLOEXEC), 0);
	for (i = 0; i < TAP_CAP_MAX; i++) {
		slot[i] =
		    tap_cap_stream_open(p[i][1], TAP_CAP_ETH0, 0, NULL, 0);
		assert_true(slot[i] >= 0);
	}
	assert_int_equal(
	    tap_cap_stream_open(p[TAP_CAP_MAX][1], TAP_CAP_ETH0, 0, NULL, 0),
	    -ENOSPC);
	for (i = 0; i < TAP_CAP_MAX; i++) {
		tap_cap_close(slot[i]);
		close(p[i][0]);
	}
	close(p[TAP_CAP_MAX][0]);
	close(p[TAP_CAP_MAX][1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate_compiled),
	    cmocka_unit_test(test_validate_hostile),
	    cmocka_unit_test(test_run_like_libpcap),
	    cmocka_unit_test(test_run_edges),
	    cmocka_unit_test(test_record_writer),
	    cmocka_unit_test(test_stream_filter),
	    cmocka_unit_test(test_stream_full),
	    cmocka_unit_test(test_stream_reader_gone),
	    cmocka_unit_test(test_log_file),
	    cmocka_unit_test(test_table_full),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
