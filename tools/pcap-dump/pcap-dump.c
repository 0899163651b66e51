// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap-dump.c - live capture of a running sandbox
 *
 *   pcap-dump [--root DIR] ID [-i eth0|lo|any] [-w FILE|-] [-c COUNT]
 *             [-s SNAPLEN] [FILTER EXPRESSION]
 *
 * Compiles the filter with libpcap (pcap_open_dead(DLT_EN10MB) +
 * pcap_compile), connects to <root>/ID/ctl and sends CTL_PCAP_ATTACH with
 * the program and the write end of a pipe (ctl.h); the sentry runs the
 * filter and writes matching frames into the pipe as a pcap stream, which
 * is read here with pcap_fopen_offline(). -w writes that stream to FILE
 * (pcap, nanosecond timestamps; "-" is stdout, flushed per packet, for
 * `| tcpdump -r -`); without -w one line per packet is printed. Ctrl-C,
 * SIGTERM or -c COUNT detach: the counters are asked for (CTL_STATS), the
 * connection is closed and the sentry stops the capture; the sandbox is
 * unaffected. Like tcpdump, the counters go to stderr at the end: packets
 * captured (read here), received by filter, dropped by the sentry (the
 * reader was too slow: the sentry never waits for it).
 *
 * Exit status: 0 after a detach, 1 on any error, including a sandbox that
 * ended during the capture (the output is complete up to that point), 2 on
 * a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "base.h"
#include "cleanup.h"
#include "decode.h"
#include "sentry/ctl.h"

#define PIPE_SIZE (4 << 20) /* stream buffer asked for (bytes) */
#define STATS_WAIT_MS 3000  /* wait for the counters at the end */

/**
 * struct opts - the command line
 * @root:	State root
 * @id:		Container id
 * @iface:	enum ctl_iface
 * @ifname:	Its name, for messages
 * @out:	-w FILE, "-" or NULL (print lines)
 * @count:	-c, 0 for no limit
 * @snaplen:	-s
 * @filter:	Filter expression ("" for none)
 */
struct opts {
	const char *root;
	const char *id;
	unsigned int iface;
	const char *ifname;
	const char *out;
	long count;
	unsigned int snaplen;
	char filter[4096];
};

/**
 * struct run - state of one capture
 * @p:		libpcap's reader of the stream
 * @dump:	Writer for -w, NULL when printing
 * @ofile:	Output stream
 * @captured:	Packets handled here
 * @out_err:	errno of a failed write to the output, 0 if none
 */
struct run {
	pcap_t *p;
	pcap_dumper_t *dump;
	FILE *ofile;
	unsigned long long captured;
	int out_err;
};

static volatile sig_atomic_t stopping;
static pcap_t *volatile loop_p;

/**
 * on_signal() - Ctrl-C / SIGTERM: detach
 * @sig:	Signal
 *
 * A blocking read may have begun just after the loop's last check:
 * SIGALRM keeps interrupting it until the loop has seen the flag.
 */
static void on_signal(int sig)
{
	if (sig != SIGALRM)
		stopping = 1;
	if (loop_p)
		pcap_breakloop(loop_p);
	alarm(1);
}

/**
 * usage() - Print the synopsis
 * @f:	Stream
 */
static void usage(FILE *f)
{
	fprintf(f, "usage: pcap-dump [--root DIR] ID [-i eth0|lo|any] "
		   "[-w FILE|-] [-c COUNT] [-s SNAPLEN] [FILTER EXPRESSION]\n");
}

/**
 * parse_iface() - -i value
 * @s:	Text
 * @o:	Options to fill
 *
 * Return: 0 or -EINVAL
 */
static int parse_iface(const char *s, struct opts *o)
{
	static const struct {
		const char *name;
		unsigned int v;
	} t[] = {{"eth0", CTL_IFACE_ETH0},
		 {"lo", CTL_IFACE_LO},
		 {"any", CTL_IFACE_ANY}};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (!strcmp(s, t[i].name)) {
			o->iface = t[i].v;
			o->ifname = t[i].name;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * parse_num() - A non-negative decimal number
 * @s:		Text
 * @max:	Largest value allowed
 * @v:		Result
 *
 * Return: 0 or -EINVAL
 */
static int parse_num(const char *s, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	if (errno || end == s || *end || *v < 0 || *v > max)
		return -EINVAL;
	return 0;
}

/**
 * join_filter() - The remaining words as one filter expression
 * @o:		Options
 * @argc:	Argument count
 * @argv:	Arguments, words from optind on
 *
 * Return: 0 or -E2BIG
 */
static int join_filter(struct opts *o, int argc, char **argv)
{
	size_t at = 0, n;
	int i;

	o->filter[0] = '\0';
	for (i = optind; i < argc; i++) {
		n = strlen(argv[i]);
		if (at + n + 2 > sizeof(o->filter))
			return -E2BIG;
		if (at)
			o->filter[at++] = ' ';
		memcpy(o->filter + at, argv[i], n + 1);
		at += n;
	}
	return 0;
}

/**
 * parse_args() - The command line
 * @argc:	Argument count
 * @argv:	Arguments
 * @o:		Result
 *
 * Return: 0 or -EINVAL (usage printed)
 */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	long v;
	int c;

	*o = (struct opts){.root = "/run/runsc",
			   .iface = CTL_IFACE_ETH0,
			   .ifname = "eth0",
			   .snaplen = CTL_SNAPLEN_MAX};
	while ((c = getopt_long(argc, argv, "i:w:c:s:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			break;
		case 'i':
			if (parse_iface(optarg, o) < 0)
				goto bad;
			break;
		case 'w':
			o->out = optarg;
			break;
		case 'c':
			if (parse_num(optarg, 1L << 40, &o->count) < 0 ||
			    !o->count)
				goto bad;
			break;
		case 's':
			if (parse_num(optarg, CTL_SNAPLEN_MAX, &v) < 0)
				goto bad;
			o->snaplen = v ? (unsigned int)v : CTL_SNAPLEN_MAX;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind >= argc)
		goto bad;
	o->id = argv[optind++];
	if (join_filter(o, argc, argv) < 0) {
		fprintf(stderr, "pcap-dump: filter expression too long\n");
		return -EINVAL;
	}
	return 0;
bad:
	usage(stderr);
	return -EINVAL;
}

/**
 * id_ok() - Could @id name a container (no path tricks)?
 * @id:	Container id
 *
 * Return: true for [A-Za-z0-9][A-Za-z0-9_.-]*
 */
static bool id_ok(const char *id)
{
	size_t i;

	if (!((id[0] >= 'a' && id[0] <= 'z') ||
	      (id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= '0' && id[0] <= '9')))
		return false;
	for (i = 1; id[i]; i++)
		if (!strchr(
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789_.-",
			id[i]))
			return false;
	return i <= 1024;
}

/**
 * compile() - The filter, compiled by libpcap for Ethernet
 * @o:		Options
 * @prog:	Result (pcap_freecode() it)
 *
 * Return: 0, or -EINVAL (message printed)
 */
static int compile(const struct opts *o, struct bpf_program *prog)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, (int)o->snaplen);
	int r = 0;

	if (!p) {
		fprintf(stderr, "pcap-dump: libpcap: out of memory\n");
		return -ENOMEM;
	}
	if (pcap_compile(p, prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fprintf(stderr, "pcap-dump: bad filter expression '%s': %s\n",
			o->filter, pcap_geterr(p));
		r = -EINVAL;
	}
	pcap_close(p);
	return r;
}

/**
 * connect_ctl() - Connect to the sandbox's control socket
 * @o:		Options
 * @fd:		Result
 *
 * Return: 0, or -errno (message printed)
 */
static int connect_ctl(const struct opts *o, int *fd)
{
	char path[256];
	int r;

	if (!id_ok(o->id)) {
		fprintf(stderr, "pcap-dump: '%s' is not a container id\n",
			o->id);
		return -EINVAL;
	}
	r = ctl_path(o->root, o->id, path, sizeof(path));
	if (!r)
		r = ctl_connect(path, fd);
	if (r == -ENOENT || r == -ENOTDIR)
		fprintf(stderr, "pcap-dump: no sandbox '%s' under %s\n", o->id,
			o->root);
	else if (r == -ECONNREFUSED)
		fprintf(stderr,
			"pcap-dump: sandbox '%s' is not running (stale %s)\n",
			o->id, path);
	else if (r < 0)
		fprintf(stderr, "pcap-dump: connecting to %s: %s\n", path,
			strerror(-r));
	return r;
}

/**
 * attach() - Send CTL_PCAP_ATTACH and wait for the answer
 * @o:		Options
 * @ctl:	Control connection
 * @prog:	Compiled filter
 * @rfd:	Read end of the stream, on success
 *
 * Return: 0, or -errno (message printed)
 */
static int attach(const struct opts *o, int ctl, const struct bpf_program *prog,
		  int *rfd)
{
	static uint8_t buf[sizeof(struct ctl_pcap_attach) +
			   CTL_BPF_MAX * sizeof(struct ctl_bpf_insn)];
	static struct ctl_msg reply;
	struct ctl_pcap_attach a = {o->iface, o->snaplen, prog->bf_len, 0};
	size_t n = prog->bf_len * sizeof(struct ctl_bpf_insn);
	int p[2], r;

	if (prog->bf_len > CTL_BPF_MAX) {
		fprintf(stderr,
			"pcap-dump: filter too long (%u instructions)\n",
			prog->bf_len);
		return -E2BIG;
	}
	memcpy(buf, &a, sizeof(a));
	memcpy(buf + sizeof(a), prog->bf_insns, n);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if (fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE) < 0)
		fcntl(p[1], F_SETPIPE_SZ, 1 << 20); /* unprivileged maximum */
	r = ctl_send(ctl, CTL_PCAP_ATTACH, 0, buf, sizeof(a) + n, &p[1], 1);
	close(p[1]);
	if (!r)
		r = ctl_recv(ctl, &reply);
	if (!r && reply.hdr.type != CTL_REPLY)
		r = -EBADMSG;
	if (!r)
		r = reply.hdr.err;
	ctl_msg_close_fds(&reply);
	if (r < 0) {
		close(p[0]);
		fprintf(stderr,
			"pcap-dump: sandbox '%s' refused the capture "
			"on %s: %s\n",
			o->id, o->ifname,
			r == -ENODEV ? "no such interface in this sandbox"
				     : strerror(-r));
		return r;
	}
	*rfd = p[0];
	return 0;
}

/**
 * json_u64() - The number after "key": in a JSON text
 * @json:	Text
 * @obj:	Object to look in ("" for the top level), e.g. "\"pcap\":{"
 * @key:	Key, quoted, with its colon, e.g. "\"dropped\":"
 *
 * Return: the value, or 0 if absent
 */
static unsigned long long json_u64(const char *json, const char *obj,
				   const char *key)
{
	const char *p = obj[0] ? strstr(json, obj) : json;

	p = p ? strstr(p, key) : NULL;
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/**
 * get_stats() - The capture's counters from the sentry
 * @ctl:	Control connection
 * @ask:	Send CTL_STATS first (a detach); otherwise only wait for the
 *		final counters of a sandbox that ended
 * @json:	Result text
 * @len:	Size of @json
 *
 * Return: 1 if the sandbox ended, 0 if it runs on, -errno if no counters
 * came
 */
static int get_stats(int ctl, bool ask, char *json, size_t len)
{
	static struct ctl_msg m;
	struct pollfd pf = {.fd = ctl, .events = POLLIN};
	size_t n;
	int r;

	if (ask && ctl_send(ctl, CTL_STATS, 0, NULL, 0, NULL, 0) < 0)
		return -EPIPE;
	for (;;) {
		r = poll(&pf, 1, STATS_WAIT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -ETIMEDOUT;
		r = ctl_recv(ctl, &m);
		if (r < 0)
			return r;
		ctl_msg_close_fds(&m);
		if (m.hdr.type == CTL_STATS || m.hdr.type == CTL_REPLY)
			break;
	}
	if (m.hdr.err < 0)
		return m.hdr.err;
	n = MIN((size_t)m.hdr.len, len - 1);
	memcpy(json, m.payload, n);
	json[n] = '\0';
	return m.hdr.type == CTL_STATS ? 1 : 0;
}

/**
 * on_packet() - pcap_loop() callback: write or print one packet
 * @user:	struct run
 * @h:		Record header (nanosecond timestamps)
 * @data:	Captured bytes
 */
static void on_packet(u_char *user, const struct pcap_pkthdr *h,
		      const u_char *data)
{
	struct run *r = (struct run *)user;
	struct timespec ts = {h->ts.tv_sec, h->ts.tv_usec};
	char line[DECODE_LINE_MAX];

	r->captured++;
	if (r->dump) {
		pcap_dump((u_char *)r->dump, h, data);
		if (pcap_dump_flush(r->dump) < 0)
			r->out_err = errno ? errno : EIO;
	} else {
		decode_line(&ts, data, h->caplen, h->len, line, sizeof(line));
		if (fprintf(r->ofile, "%s\n", line) < 0)
			r->out_err = errno ? errno : EIO;
	}
	if (r->out_err && stopping)
		r->out_err = 0; /* a detach interrupted the write: no error */
	if (r->out_err || stopping)
		pcap_breakloop(r->p);
}

/**
 * open_out() - Create the -w file now, so an unwritable one fails early
 * @o:		Options
 * @created:	Set if the file did not exist before
 *
 * Return: fd (stdout for "-", -1 when printing lines), or -errno
 */
static int open_out(const struct opts *o, bool *created)
{
	int fd;

	*created = false;
	if (!o->out)
		return -1;
	if (!strcmp(o->out, "-"))
		return STDOUT_FILENO;
	*created = access(o->out, F_OK) < 0;
	fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		*created = false;
		fprintf(stderr, "pcap-dump: cannot write %s: %s\n", o->out,
			strerror(errno));
		return -errno;
	}
	return fd;
}

/**
 * start_reader() - Read the stream's header; set up the output
 * @o:		Options
 * @rfd:	Read end of the stream, consumed
 * @ofd:	Output fd from open_out(), consumed
 * @r:		Run to fill
 *
 * Return: 0, or -errno (message printed)
 */
static int start_reader(const struct opts *o, int rfd, int ofd, struct run *r)
{
	char eb[PCAP_ERRBUF_SIZE];
	FILE *in = fdopen(rfd, "r");

	r->ofile = stdout;
	r->p = in ? pcap_fopen_offline_with_tstamp_precision(
			in, PCAP_TSTAMP_PRECISION_NANO, eb)
		  : NULL;
	if (!r->p) {
		fprintf(stderr, "pcap-dump: reading the stream: %s\n",
			in ? eb : strerror(errno));
		if (in)
			fclose(in);
		else
			close(rfd);
		if (ofd > STDOUT_FILENO)
			close(ofd);
		return -EPROTO;
	}
	if (ofd < 0) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		return 0;
	}
	r->ofile = ofd == STDOUT_FILENO ? stdout : fdopen(ofd, "w");
	r->dump = r->ofile ? pcap_dump_fopen(r->p, r->ofile) : NULL;
	if (!r->dump) {
		fprintf(stderr, "pcap-dump: writing %s: %s\n", o->out,
			r->ofile ? pcap_geterr(r->p) : strerror(errno));
		return -EIO;
	}
	if (pcap_dump_flush(r->dump) < 0) {
		fprintf(stderr, "pcap-dump: writing %s: %s\n", o->out,
			strerror(errno));
		return -EIO;
	}
	return 0;
}

/**
 * signals() - Ctrl-C, SIGTERM, SIGHUP detach; SIGPIPE becomes EPIPE
 */
static void signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/**
 * finish() - Counters and exit status at the end of a capture
 * @o:		Options
 * @ctl:	Control connection
 * @r:		The capture
 * @eof:	The stream ended (sandbox or capture gone)
 *
 * Return: exit status
 */
static int finish(const struct opts *o, int ctl, struct run *r, bool eof)
{
	char json[1024] = "";
	int st = get_stats(ctl, !eof, json, sizeof(json));
	int rc = 0;

	if (stopping && r->ofile)
		__fpurge(r->ofile); /* a stalled reader must not hold us */
	if (r->dump)
		pcap_dump_close(r->dump);
	else
		fflush(stdout);
	if (r->out_err) {
		fprintf(stderr, "pcap-dump: writing %s: %s\n",
			o->out ? o->out : "stdout", strerror(r->out_err));
		rc = 1;
	}
	fprintf(stderr, "%llu packets captured\n", r->captured);
	if (st >= 0) {
		fprintf(stderr, "%llu packets received by filter\n",
			json_u64(json, "\"pcap\":{", "\"matched\":"));
		fprintf(stderr, "%llu packets dropped by sentry\n",
			json_u64(json, "\"pcap\":{", "\"dropped\":"));
	}
	if (st == 1 || (eof && st < 0)) {
		fprintf(stderr,
			"pcap-dump: sandbox '%s' ended during the "
			"capture\n",
			o->id);
		rc = 1;
	} else if (eof) {
		fprintf(stderr, "pcap-dump: the capture stream ended\n");
		rc = 1;
	}
	return rc;
}

/**
 * capture() - Attach, capture until detach or end, report
 * @o:		Options
 * @prog:	Compiled filter
 *
 * Return: exit status
 */
static int capture(const struct opts *o, const struct bpf_program *prog)
{
	_cleanup_close_ int ctl = -1;
	struct run r = {0};
	int rfd = -1, ofd, n;
	bool created;

	if (connect_ctl(o, &ctl) < 0)
		return 1;
	ofd = open_out(o, &created);
	if (ofd < -1)
		return 1;
	if (attach(o, ctl, prog, &rfd) < 0 ||
	    start_reader(o, rfd, ofd, &r) < 0) {
		if (created)
			unlink(o->out);
		return 1;
	}
	fprintf(
	    stderr,
	    "pcap-dump: listening on %s of %s, link-type EN10MB (Ethernet), "
	    "snapshot length %u bytes\n",
	    o->ifname, o->id, o->snaplen);
	signals();
	loop_p = r.p;
	n = stopping ? -2
		     : pcap_loop(r.p, o->count ? (int)o->count : -1, on_packet,
				 (u_char *)&r);
	loop_p = NULL;
	alarm(0);
	n = finish(o, ctl, &r,
		   !stopping && !r.out_err && n != -2 &&
		       !(o->count && (long)r.captured >= o->count));
	pcap_close(r.p);
	return n;
}

/**
 * main() - pcap-dump
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: exit status
 */
int main(int argc, char **argv)
{
	struct bpf_program prog;
	struct opts o;
	int rc;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (compile(&o, &prog) < 0)
		return 1;
	rc = capture(&o, &prog);
	pcap_freecode(&prog);
	return rc;
}
