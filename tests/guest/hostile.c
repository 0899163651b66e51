// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostile.c - static guest that throws garbage at every trapped syscall
 *
 * Usage: hostile [ITERATIONS [SECONDS [SEED]]]   (default 20000, 60, time)
 *
 * Calls socket, socketpair, bind, connect, listen, accept, accept4,
 * getsockname, getpeername, setsockopt, getsockopt, shutdown, sendto and
 * recvfrom with a non-NULL address, sendmsg, recvmsg, sendmmsg, recvmmsg and
 * ioctl(0x89xx) with random descriptors (its own sockets, closed numbers,
 * stdio, huge values), NULL, unaligned, unmapped, kernel-half and read-only
 * pointers, negative and huge lengths and random option values. Every call
 * is a raw syscall whose result is ignored; nothing blocks for long
 * (sockets are non-blocking, SO_RCVTIMEO set, alarm() as a backstop).
 *
 * Afterwards it must still be able to listen on loopback, connect, and
 * exchange bytes both ways: that proves the sentry still serves. Exit 0 on
 * success, 1 if the final check fails.
 *
 * Usage: hostile --opens [ITERATIONS [SECONDS [SEED]]]   (same defaults)
 *
 * Attacks the open family instead (served by the gofer with
 * --file-access=mediated): raw open, openat, openat2 and creat with NULL,
 * unaligned, unmapped, kernel-half, read-only and unterminated path
 * pointers, empty, 4095/4096/5000-byte, ".."-chained, /proc/self/fd/N and
 * /proc/thread-self paths, random flags (O_PATH, O_TMPFILE, O_CREAT with
 * random modes, unknown bits), random dirfds, and for openat2 a struct
 * open_how that is NULL, unmapped, too small, large with nonzero tail
 * bytes, or has random resolve bits; then a thread flips the bytes of a path
 * while it is opened. Every returned fd is closed. It works in a scratch
 * directory under /tmp (removed at the end): O_CREAT, O_TMPFILE, O_TRUNC
 * and writable opens only ever name files below it, other paths are
 * opened O_RDONLY or O_ACCMODE. Afterwards open("/etc/hostname") must read
 * bytes, an openat2 with a valid open_how must read the same ones, and a file
 * must be created and read back in the scratch directory.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <pthread.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define NSOCK 24

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	return syscall(nr, a, b, c, d, e, f);
}

static int socks[NSOCK];
static char *scratch;	/* 2 pages RW, then 1 page PROT_NONE */
static char *ro;	/* read-only page */

static long rnd_fd(void)
{
	switch (rnd() % 8) {
	case 0: return -1;
	case 1: return (long)(rnd() % 1024);
	case 2: return (long)(int32_t)rnd();
	case 3: return (long)(rnd() % 3);
	default: return socks[rnd() % NSOCK];
	}
}

static long rnd_ptr(void)
{
	switch (rnd() % 14) {
	case 11: return (long)scratch;			/* sockaddr_in */
	case 12: return (long)(scratch + 256);		/* sockaddr_in6 */
	case 13: return (long)(scratch + 1024);		/* msghdr */
	case 0: return 0;
	case 1: return 1;
	case 2: return (long)0xffffffffffff0000ULL;
	case 3: return (long)(scratch + 8192);		/* PROT_NONE */
	case 4: return (long)(scratch + 8192 - (rnd() % 64));	/* straddles */
	case 5: return (long)ro;
	case 6: return (long)rnd();
	case 7: return (long)(scratch + (rnd() % 8192)) | 1;	/* unaligned */
	default: return (long)(scratch + (rnd() % 4096));
	}
}

static long rnd_len(void)
{
	switch (rnd() % 8) {
	case 0: return 0;
	case 1: return -1;
	case 2: return (long)(int32_t)rnd();
	case 3: return (long)0x7fffffff;
	case 4: return (long)rnd();
	case 5: return 16;
	case 6: return 28;
	default: return (long)(rnd() % 300);
	}
}

static long rnd_int(void)
{
	switch (rnd() % 5) {
	case 0: return (long)(rnd() % 64);
	case 1: return (long)(int32_t)rnd();
	case 2: return -1;
	case 3: return (long)rnd();
	default: return (long)(rnd() % 8);
	}
}

/* fill the scratch area with plausible-but-wrong structures */
static void scribble(void)
{
	struct sockaddr_in *sin = (void *)scratch;
	struct sockaddr_in6 *sin6 = (void *)(scratch + 256);
	struct msghdr *m = (void *)(scratch + 1024);
	struct mmsghdr *mm = (void *)(scratch + 2048);
	struct iovec *iov = (void *)(scratch + 3072);
	size_t i;

	for (i = 0; i < 8192; i += 8)
		*(uint64_t *)(scratch + i) = rnd();
	sin->sin_family = (sa_family_t)(rnd() % 3 ? AF_INET : rnd());
	sin->sin_port = (in_port_t)(rnd() % 4 ? htons(40000 + rnd() % 8) : rnd());
	sin->sin_addr.s_addr = rnd() % 2 ? htonl(INADDR_LOOPBACK) : (uint32_t)rnd();
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(40000 + rnd() % 8);
	if (rnd() % 2)
		sin6->sin6_addr = in6addr_loopback;
	m->msg_name = rnd() % 2 ? (void *)rnd_ptr() : (void *)sin;
	m->msg_namelen = (socklen_t)rnd_len();
	m->msg_iov = rnd() % 2 ? (void *)rnd_ptr() : iov;
	m->msg_iovlen = (size_t)(rnd() % 3 ? rnd() % 4 : rnd());
	m->msg_control = (void *)rnd_ptr();
	m->msg_controllen = (size_t)rnd_len();
	for (i = 0; i < 4; i++) {
		iov[i].iov_base = (void *)rnd_ptr();
		iov[i].iov_len = (size_t)rnd_len();
	}
	for (i = 0; i < 4; i++) {
		mm[i].msg_hdr = *m;
		mm[i].msg_hdr.msg_name = rnd() % 2 ? (void *)rnd_ptr() : (void *)sin;
	}
}

static void reopen(int i)
{
	static const int fam[] = { AF_INET, AF_INET6, AF_UNIX, AF_NETLINK };
	long fd;

	if (socks[i] >= 0)
		sc(SYS_close, socks[i], 0, 0, 0, 0, 0);
	static const int type[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_STREAM,
				    SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET };
	fd = sc(SYS_socket, fam[rnd() % 4],
		(rnd() % 8 ? type[rnd() % 6] : (long)rnd() % 16) |
			SOCK_NONBLOCK,
		rnd() % 8 ? 0 : rnd_int(), 0, 0, 0);
	socks[i] = (int)fd;
}

static void one_call(void)
{
	long fd = rnd_fd(), p = rnd_ptr(), q = rnd_ptr(), n = rnd_len();
	struct timespec ts = { 0, 1000 };

	switch (rnd() % 22) {
	case 0:
		reopen((int)(rnd() % NSOCK));
		break;
	case 1:
		sc(SYS_bind, fd, p, n, 0, 0, 0);
		break;
	case 2:
		sc(SYS_connect, fd, p, n, 0, 0, 0);
		break;
	case 3:
		sc(SYS_listen, fd, rnd_int(), 0, 0, 0, 0);
		break;
	case 4:
		/* only non-blocking fds get accept: a blocking one may wait */
		sc(SYS_accept4, socks[rnd() % NSOCK], p, q,
		   SOCK_NONBLOCK | (rnd() % 2 ? SOCK_CLOEXEC : (long)rnd() % 4096), 0, 0);
		break;
	case 5:
		sc(SYS_getsockname, fd, p, q, 0, 0, 0);
		break;
	case 6:
		sc(SYS_getpeername, fd, p, q, 0, 0, 0);
		break;
	case 7:
		sc(SYS_setsockopt, fd, rnd() % 3 ? (long)(rnd() % 3 ? SOL_SOCKET : IPPROTO_TCP) : rnd_int(),
		   rnd_int(), p, n, 0);
		break;
	case 8:
		sc(SYS_getsockopt, fd, rnd() % 3 ? (long)(rnd() % 3 ? SOL_SOCKET : IPPROTO_TCP) : rnd_int(),
		   rnd_int(), p, q, 0);
		break;
	case 9:
		sc(SYS_shutdown, fd, rnd_int(), 0, 0, 0, 0);
		break;
	case 10:
		sc(SYS_sendto, fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL | (rnd() % 4 ? 0 : rnd_int()),
		   q ? q : (long)scratch, rnd_len());
		break;
	case 11:
		sc(SYS_recvfrom, fd, p, n, MSG_DONTWAIT | (rnd() % 4 ? 0 : rnd_int()),
		   q ? q : (long)scratch, rnd_ptr());
		break;
	case 12:
		sc(SYS_sendmsg, fd, rnd() % 2 ? p : (long)(scratch + 1024),
		   MSG_DONTWAIT | MSG_NOSIGNAL | (rnd() % 4 ? 0 : rnd_int()), 0, 0, 0);
		break;
	case 13:
		sc(SYS_recvmsg, fd, rnd() % 2 ? p : (long)(scratch + 1024),
		   MSG_DONTWAIT | (rnd() % 4 ? 0 : rnd_int()), 0, 0, 0);
		break;
	case 14:
		sc(SYS_sendmmsg, fd, rnd() % 2 ? p : (long)(scratch + 2048),
		   rnd() % 2 ? (long)(rnd() % 5) : n, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
		break;
	case 15:
		sc(SYS_recvmmsg, fd, rnd() % 2 ? p : (long)(scratch + 2048),
		   rnd() % 2 ? (long)(rnd() % 5) : n, MSG_DONTWAIT,
		   rnd() % 2 ? (long)&ts : q, 0);
		break;
	case 16:
		sc(SYS_ioctl, fd, 0x8900 + (long)(rnd() % 256), p, 0, 0, 0);
		break;
	case 17:
		sc(SYS_socketpair, rnd() % 2 ? AF_INET : rnd_int(), rnd_int(), rnd_int(),
		   rnd() % 2 ? (long)scratch : p, 0, 0);
		break;
	case 18:
		sc(SYS_accept, socks[rnd() % NSOCK], p, q, 0, 0, 0);
		break;
	case 19:
		sc(SYS_socket, rnd_int(), rnd_int(), rnd_int(), 0, 0, 0);
		break;
	case 20:
		scribble();
		break;
	default:
		/* a plausible sequence on one socket */
		fd = socks[rnd() % NSOCK];
		sc(SYS_bind, fd, (long)scratch, 16, 0, 0, 0);
		sc(SYS_listen, fd, rnd_int(), 0, 0, 0, 0);
		sc(SYS_connect, socks[rnd() % NSOCK], (long)scratch, 16, 0, 0, 0);
		break;
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int final_check(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char buf[64] = "";
	int l, c, s, n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (void *)&a, sizeof(a)) || listen(l, 4) ||
	    getsockname(l, (void *)&a, &len)) {
		perror("hostile: final listener");
		return 1;
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (void *)&a, sizeof(a))) {
		perror("hostile: final connect");
		return 1;
	}
	s = accept(l, NULL, NULL);
	if (s < 0) {
		perror("hostile: final accept");
		return 1;
	}
	if (write(c, "still alive", 11) != 11 || write(s, "yes", 3) != 3) {
		perror("hostile: final write");
		return 1;
	}
	n = (int)read(s, buf, sizeof(buf) - 1);
	if (n != 11 || memcmp(buf, "still alive", 11)) {
		fprintf(stderr, "hostile: final read got %d\n", n);
		return 1;
	}
	n = (int)read(c, buf, sizeof(buf) - 1);
	if (n != 3 || memcmp(buf, "yes", 3)) {
		fprintf(stderr, "hostile: final reply got %d\n", n);
		return 1;
	}
	printf("hostile: final loopback exchange ok\n");
	return 0;
}

/*
 * The open family (--opens). Paths, dirfds and flags come in two kinds:
 * "create-safe" ones can only ever name something below the scratch
 * directory (relative names with the cwd or a dirfd inside it, or absolute
 * names under it), and only those get O_CREAT, O_TMPFILE, O_TRUNC or a
 * writable access mode.
 */
#define NOWN 10			/* own descriptors, used as dirfds */
#define RACE_OPENS 3000		/* opens of the path the flipper changes */
#define FLIP_MAX (1L << 28)	/* the flipper's bound, in byte writes */
#define H_O_TMPFILE 020000000	/* __O_TMPFILE: the bit without O_DIRECTORY */
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static char scratch_dir[32] = "/tmp/hostile.XXXXXX";
/* [0] scratch dir, [1] its d0, [2] its f0, [3][4] a pipe, [5] a unix
 * socket, [6] /etc/hostname: safe as dirfds for creation; [7] "/" O_PATH,
 * [8] /etc, [9] /proc/self: not */
static int own[NOWN];
#define OWN_SAFE 7
static char *nt;	/* a page of 'A' (no NUL), then a PROT_NONE page */
static char *pbuf;	/* 2 pages RW for built paths, then PROT_NONE */
static char *howbuf;	/* 2 pages RW for open_how, then PROT_NONE */
static char *rostr;	/* read-only page: "/etc/hostname" at 0, "f7" at 64 */
static volatile char *race;	/* 128 bytes that end at a PROT_NONE page */
static atomic_int race_stop;
static time_t race_end;

/* some dirfd: own, closed, AT_FDCWD, huge, negative; @create: safe ones */
static long rnd_dirfd(int create)
{
	switch (rnd() % 10) {
	case 0: return AT_FDCWD;
	case 1: return -1;
	case 2: return (long)(int32_t)(rnd() | 0x80000000u);	/* negative */
	case 3: return 600 + (long)(rnd() % 100);		/* closed */
	case 4: return 0x7fffffff;
	case 5: /* 64-bit garbage whose low int is large: EBADF */
		return (long)((rnd() << 32) | 0x40000000u | (rnd() % 0x3fffffff));
	case 6: /* the kernel takes an int: high bits must not matter */
		return (long)((rnd() << 32) | (uint32_t)own[rnd() % OWN_SAFE]);
	default:
		return own[rnd() % (create ? OWN_SAFE : NOWN)];
	}
}

/* @n bytes of path text at @p built from @unit repeated, NUL after */
static char *fill(char *p, size_t n, const char *unit)
{
	size_t u = strlen(unit), i;

	for (i = 0; i < n; i++)
		p[i] = unit[i % u];
	p[n] = '\0';
	return p;
}

/* one path component of random bytes (no '/' or NUL), 1..@max bytes */
static char *rnd_component(char *p, size_t max)
{
	size_t n = 1 + rnd() % max, i;

	for (i = 0; i < n; i++) {
		p[i] = (char)(rnd() % 255 + 1);
		if (p[i] == '/')
			p[i] = '\\';
	}
	p[n] = '\0';
	return p;
}

/* a long path: 4095 (fits), 4096 (no room for the NUL), 5000 bytes */
static char *long_path(char *p, int create)
{
	static const size_t lens[] = { 4095, 4096, 5000, 4094, 255, 256 };
	static const char *const units[] = { "./", "a/", "../", "/", "x",
					     "d0/../" };
	size_t n = lens[rnd() % LEN(lens)];
	const char *u = units[rnd() % LEN(units)];

	if (create && (u[0] == '/' || u[0] == '.'))
		u = u[0] == '/' || u[1] == '.' ? "d0/../" : "./";
	fill(p, n, u);
	if (n > 2 && rnd() % 2) {	/* end in a name */
		p[n - 2] = create ? 'f' : 'e';
		p[n - 1] = '1';
	}
	return p;
}

/* ".." chains: "../../etc/hostname", "/../../..", "d0/../../.." */
static char *dotdot(char *p)
{
	static const char *const tails[] = { "", "etc/hostname", "etc", "tmp",
					     "proc/self/fd/0", "..", "/" };
	size_t n = 0, k = rnd() % 40;

	if (rnd() % 3 == 0)
		p[n++] = '/';
	if (rnd() % 3 == 0)
		n += (size_t)sprintf(p + n, "d0/");
	while (k--)
		n += (size_t)sprintf(p + n, rnd() % 8 ? "../" : ".//");
	sprintf(p + n, "%s", tails[rnd() % LEN(tails)]);
	return p;
}

/* "/proc/self/fd/N", "/proc/thread-self/.." and their neighbours */
static char *proc_path(char *p)
{
	static const char *const self[] = { "/proc/self", "/proc/thread-self",
					    "/proc/self/task/1", "/proc/selfish",
					    "/proc/thread-self/..", "/proc" };
	static const char *const tails[] = { "", "/", "/..", "/../..", "/x",
					     "/../etc/hostname", "/../../../.." };
	int fd = rnd() % 2 ? own[rnd() % NOWN] : (int)(rnd() % 1100) - 50;

	switch (rnd() % 3) {
	case 0:
		sprintf(p, "/proc/self/fd/%d%s", fd, tails[rnd() % LEN(tails)]);
		break;
	case 1:
		sprintf(p, "/proc/thread-self/fd/%d%s", fd,
			tails[rnd() % LEN(tails)]);
		break;
	default:
		sprintf(p, "%s%s", self[rnd() % LEN(self)],
			tails[rnd() % LEN(tails)]);
	}
	return p;
}

/* a name below the scratch dir (relative to a create-safe dirfd, or
 * absolute under scratch_dir) */
static char *safe_name(char *p)
{
	static const char *const names[] = { "f0", "f1", "f2", "d0/f3", "d0/",
					     ".", "d0", "new", "d0/new",
					     "f0/x", "d0/../f5", "./f6",
					     "d0//.//f4", "nodir/f" };

	switch (rnd() % 5) {
	case 0:
		sprintf(p, "%s/%s", scratch_dir, names[rnd() % LEN(names)]);
		return p;
	case 1:
		return rnd_component(p, rnd() % 2 ? 300 : 40);
	default:
		return strcpy(p, names[rnd() % LEN(names)]);
	}
}

/* a path pointer; @create: one that can only name the scratch dir */
static long rnd_path(int create)
{
	char *p = pbuf + (rnd() % 4 ? 0 : 1 + rnd() % 7); /* maybe unaligned */

	switch (rnd() % (create ? 13 : 18)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return (long)0xffff800000000000ULL;
	case 3: return (long)(pbuf + 8192);		/* unmapped */
	case 4: return (long)(nt + rnd() % 4096);	/* no NUL: runs off */
	case 5:	/* starts a few bytes before the unmapped page */
		memset(pbuf + 8192 - 8, 'b', 8);
		return (long)(pbuf + 8192 - 1 - rnd() % 8);
	case 6: return (long)(rostr + (create ? 64 : 0));	/* read-only */
	case 7: return (long)strcpy(p, "");
	case 8: return (long)long_path(p, create);
	case 9: case 10: case 11: case 12:
		return (long)safe_name(p);
	case 13: return (long)dotdot(p);
	case 14: return (long)proc_path(p);
	case 15: return (long)rnd_component(p, 300);
	case 16: {
		static const char *const fixed[] = { "/etc/hostname", "/", "/etc",
						     "/dev/null", "/proc/self/status",
						     "/tmp", "/etc/", "//etc//hostname/" };

		return (long)strcpy(p, fixed[rnd() % LEN(fixed)]);
	}
	default: {	/* random bytes, NUL at a random place */
		size_t n = rnd() % 600, i;

		for (i = 0; i < n; i++)
			p[i] = (char)rnd();
		p[n] = '\0';
		return (long)p;
	}
	}
}

/* random open flags; without @create none that may create or change a file */
static long rnd_flags(int create)
{
	static const long bits[] = {
		O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK,
		O_DSYNC, O_SYNC, O_ASYNC, O_DIRECT, 0100000 /* O_LARGEFILE */,
		O_DIRECTORY, O_NOFOLLOW, O_NOATIME, O_CLOEXEC, O_PATH, O_TMPFILE,
	};
	long f = (long)(rnd() % 4);	/* access mode, 3 included */
	int n = (int)(rnd() % 5);

	while (n--)
		f |= bits[rnd() % LEN(bits)];
	switch (rnd() % 8) {
	case 0: f |= 1L << (23 + rnd() % 9); break;	/* unknown high bit */
	case 1: f |= 04L << (rnd() % 4); break;		/* unknown low bit */
	case 2: f |= (long)(uint32_t)rnd(); break;
	case 3: f = (long)rnd(); break;			/* 64-bit garbage */
	default: break;
	}
	if (!create) {
		f &= ~(long)(O_CREAT | O_TRUNC | H_O_TMPFILE | O_ACCMODE);
		f |= rnd() % 2 ? O_RDONLY : O_ACCMODE;
	}
	return f;
}

static long rnd_mode(void)
{
	switch (rnd() % 5) {
	case 0: return 0;
	case 1: return (long)rnd();
	case 2: return 0600;
	case 3: return (long)(rnd() % 0200000);	/* some beyond 07777 */
	default: return (long)(rnd() % 010000);
	}
}

/* an open_how somewhere: set *@ptr and *@size (NULL, unmapped, too small,
 * 24, large with nonzero tail bytes, straddling the unmapped page) */
static void rnd_how(int create, long *ptr, long *size)
{
	static const long sizes[] = { 0, 8, 23, 24, 24, 24, 25, 32, 64, 4096,
				      4097, 8192, 1L << 40, -1 };
	const uint64_t known = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
			       RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
			       RESOLVE_IN_ROOT | RESOLVE_CACHED;
	struct open_how h = { 0 };
	size_t sz, off, room;

	*size = rnd() % 8 ? sizes[rnd() % LEN(sizes)] : (long)(rnd() % 128);
	switch (rnd() % 12) {
	case 0: *ptr = 0; return;
	case 1: *ptr = (long)(howbuf + 8192); return;	/* unmapped */
	case 2: *ptr = (long)0xffff800000000000ULL; return;
	case 3: *ptr = (long)rostr; return;		/* read-only, text */
	default: break;
	}
	sz = *size >= 0 && *size <= 8192 ? (size_t)*size : 24;
	switch (rnd() % 4) {
	case 0: off = 8192 - sz; break;			/* ends at the guard */
	case 1: off = 8192 - sz + 1 + rnd() % 8; break;	/* straddles it */
	case 2: off = 1 + rnd() % 7; break;		/* unaligned */
	default: off = 0;
	}
	if (off > 8192 - 24)
		off = 8192 - 24;
	room = 8192 - off;
	memset(howbuf + off, 0, room < sz ? room : sz);
	h.flags = (uint64_t)rnd_flags(create);
	if (rnd() % 4 == 0)
		h.flags &= 0xffffffffu;
	h.mode = rnd() % 3 ? (uint64_t)rnd_mode() : 0;
	switch (rnd() % 5) {
	case 0: h.resolve = rnd() & known; break;
	case 1: h.resolve = rnd(); break;
	case 2: h.resolve = RESOLVE_BENEATH | RESOLVE_IN_ROOT; break;
	case 3: h.resolve = 1ULL << (rnd() % 64); break;
	default: h.resolve = 0;
	}
	memcpy(howbuf + off, &h, sizeof(h));
	if (sz > 24 && room > 24 && rnd() % 2)	/* a nonzero tail byte */
		howbuf[off + 24 + rnd() % (sz - 24 < room - 24 ? sz - 24 : room - 24)] =
			(char)(rnd() | 1);
	*ptr = (long)(howbuf + off);
}

/* one raw open-family call; its fd, if any, is closed */
static void one_open(void)
{
	int create = (int)(rnd() % 2);
	long path = rnd_path(create), flags = rnd_flags(create);
	long dirfd = rnd_dirfd(create), r, how, size;

	switch (rnd() % 5) {
	case 0:
		r = sc(SYS_open, path, flags, rnd_mode(), 0, 0, 0);
		break;
	case 1:
		/* creat is O_CREAT|O_TRUNC: only below the scratch dir */
		r = sc(SYS_creat, create ? path : rnd_path(1), rnd_mode(), 0, 0,
		       0, 0);
		break;
	case 2:
		r = sc(SYS_openat, dirfd, path, flags, rnd_mode(), 0, 0);
		break;
	default:
		rnd_how(create, &how, &size);
		r = sc(SYS_openat2, dirfd, path, how, size, 0, 0);
		break;
	}
	if (r >= 0)
		close((int)r);
}

/* flip the bytes of race[] until told to stop (bounded in count and time) */
static void *flipper(void *arg)
{
	static const char *const forms[] = {
		"/etc/hostname", "../../../../etc/hostname", "f0", "/proc/self/fd/3",
		"/proc/thread-self/..", "d0/../f1", "/etc/../etc/./hostname",
	};
	uint64_t s = (uintptr_t)arg | 1;
	long i;

	for (i = 0; i < FLIP_MAX && !atomic_load_explicit(&race_stop, memory_order_relaxed); i++) {
		const char *f;
		size_t k;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		switch (s % 8) {
		case 0: case 1: case 2:
			race[(s >> 8) % 128] ^= (char)(s >> 20);
			break;
		case 3:
			race[(s >> 8) % 64] = '\0';
			break;
		case 4:
			race[(s >> 8) % 128] = '/';
			break;
		default:
			f = forms[(s >> 8) % LEN(forms)];
			for (k = 0; f[k]; k++)
				race[k] = f[k];
			race[k] = '\0';
		}
		if ((i & 0xffff) == 0 && time(NULL) >= race_end)
			break;
	}
	return NULL;
}

/* open race[] read-only while flipper() changes it */
static void race_opens(long n)
{
	struct open_how h = { 0 };
	pthread_t t;
	long i, r;

	memcpy((char *)race, "/etc/hostname", 14);
	atomic_store(&race_stop, 0);
	if (pthread_create(&t, NULL, flipper, (void *)(uintptr_t)rnd()))
		return;
	for (i = 0; i < n && time(NULL) < race_end; i++) {
		h.flags = O_RDONLY | O_CLOEXEC | (rnd() % 2 ? O_NONBLOCK : 0) |
			  (rnd() % 4 ? 0 : O_DIRECTORY) | (rnd() % 8 ? 0 : O_PATH);
		h.resolve = rnd() % 2 ? 0 : RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
		switch (rnd() % 3) {
		case 0:
			r = sc(SYS_open, (long)race, (long)h.flags, 0, 0, 0, 0);
			break;
		case 1:
			r = sc(SYS_openat, rnd_dirfd(0), (long)race, (long)h.flags,
			       0, 0, 0);
			break;
		default:
			r = sc(SYS_openat2, rnd_dirfd(0), (long)race, (long)&h,
			       sizeof(h), 0, 0);
		}
		if (r >= 0)
			close((int)r);
	}
	atomic_store(&race_stop, 1);
	pthread_join(t, NULL);
	printf("hostile: %ld racing opens done\n", i);
}

/* map the attack's buffers and open its own descriptors in scratch_dir */
static int opens_setup(void)
{
	char *r;
	int p[2], k;

	nt = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pbuf = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	howbuf = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rostr = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (nt == MAP_FAILED || pbuf == MAP_FAILED || howbuf == MAP_FAILED ||
	    rostr == MAP_FAILED || r == MAP_FAILED)
		return -1;
	memset(nt, 'A', 4096);
	strcpy(rostr, "/etc/hostname");
	strcpy(rostr + 64, "f7");
	race = r + 4096 - 128;
	if (mprotect(nt + 4096, 4096, PROT_NONE) ||
	    mprotect(pbuf + 8192, 4096, PROT_NONE) ||
	    mprotect(howbuf + 8192, 4096, PROT_NONE) ||
	    mprotect(r + 4096, 4096, PROT_NONE) ||
	    mprotect(rostr, 4096, PROT_READ))
		return -1;
	if (!mkdtemp(scratch_dir) || chdir(scratch_dir) || mkdir("d0", 0755)) {
		perror("hostile: scratch dir");
		return -1;
	}
	own[0] = open(".", O_RDONLY | O_DIRECTORY);
	own[1] = open("d0", O_RDONLY | O_DIRECTORY);
	own[2] = open("f0", O_RDWR | O_CREAT, 0600);
	if (pipe(p))
		p[0] = p[1] = -1;
	own[3] = p[0];
	own[4] = p[1];
	own[5] = socket(AF_UNIX, SOCK_STREAM, 0);
	own[6] = open("/etc/hostname", O_RDONLY);
	own[7] = open("/", O_PATH);
	own[8] = open("/etc", O_RDONLY | O_DIRECTORY);
	own[9] = open("/proc/self", O_PATH | O_DIRECTORY);
	for (k = 0; k < NOWN; k++)
		if (own[k] < 0)
			fprintf(stderr, "hostile: own descriptor %d: %s\n", k,
				strerror(errno));
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* read up to @cap bytes of @fd into @buf, then close it: bytes or -1 */
static ssize_t read_close(long fd, char *buf, size_t cap)
{
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read((int)fd, buf, cap);
	close((int)fd);
	return n;
}

/* the sandbox still serves opens: open, openat2, and a file created */
static int final_open_check(void)
{
	struct open_how h = { .flags = O_RDONLY | O_CLOEXEC,
			      .resolve = RESOLVE_NO_MAGICLINKS };
	unsigned char big[32] = { 0 };	/* a larger open_how, zero tail */
	char a[256], b[256];
	ssize_t n, m;

	n = read_close(sc(SYS_open, (long)"/etc/hostname", O_RDONLY, 0, 0, 0, 0),
		       a, sizeof(a));
	if (n <= 0) {
		perror("hostile: final open of /etc/hostname");
		return 1;
	}
	m = read_close(sc(SYS_openat2, AT_FDCWD, (long)"/etc/hostname", (long)&h,
			  sizeof(h), 0, 0), b, sizeof(b));
	if (m != n || memcmp(a, b, (size_t)n)) {
		fprintf(stderr, "hostile: final openat2 read %zd, open %zd: %s\n",
			m, n, strerror(errno));
		return 1;
	}
	h.flags = O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC;
	h.mode = 0600;
	memcpy(big, &h, sizeof(h));
	n = sc(SYS_openat2, own[0], (long)"final", (long)big, sizeof(big), 0, 0);
	if (n < 0 || write((int)n, "ok\n", 3) != 3) {
		perror("hostile: final create");
		return 1;
	}
	close((int)n);
	m = read_close(sc(SYS_openat, AT_FDCWD, (long)"final", O_RDONLY, 0, 0, 0),
		       b, sizeof(b));
	if (m != 3 || memcmp(b, "ok\n", 3)) {
		fprintf(stderr, "hostile: final file read back %zd\n", m);
		return 1;
	}
	printf("hostile: final open check ok\n");
	return 0;
}

/* hostile --opens [ITERATIONS [SECONDS [SEED]]] */
static int opens_main(long iters, long secs)
{
	time_t end = time(NULL) + secs;
	long i;
	int k, j, rc;

	if (opens_setup())
		return 2;
	for (i = 0; i < iters && time(NULL) < end; i++) {
		if (i % 64 == 0) {
			struct itimerval it = { { 0, 0 }, { 0, 200000 } };

			setitimer(ITIMER_REAL, &it, NULL);
		}
		one_open();
		if (i % 512 == 511) /* nothing may leak: sweep the rest */
			for (k = 3; k < 1024; k++) {
				int ours = 0;

				for (j = 0; j < NOWN; j++)
					ours |= own[j] == k;
				if (!ours)
					close(k);
			}
	}
	printf("hostile: %ld open calls done\n", i);
	fflush(stdout);
	race_end = end + 5;
	race_opens(iters / 4 < RACE_OPENS ? iters / 4 : RACE_OPENS);
	fflush(stdout);
	setitimer(ITIMER_REAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } }, NULL);
	rc = final_open_check();
	for (k = 0; k < NOWN; k++)
		if (own[k] >= 0)
			close(own[k]);
	if (chdir("/") == 0)
		nftw(scratch_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

int main(int argc, char **argv)
{
	int opens = argc > 1 && !strcmp(argv[1], "--opens");
	long iters, secs;
	time_t end;
	long i;
	int k;

	if (opens) {
		argc--;
		argv++;
	}
	iters = argc > 1 ? atol(argv[1]) : 20000;
	secs = argc > 2 ? atol(argv[2]) : 60;
	end = time(NULL) + secs;
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)time(NULL) * 2654435761u + 1;
	if (!rng_state)
		rng_state = 1; /* xorshift stays 0 forever */
	printf("hostile: seed %llu, %ld iterations, %ld s%s\n",
	       (unsigned long long)rng_state, iters, secs,
	       opens ? ", open family" : "");
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	/* SIGALRM interrupts a stuck call (no SA_RESTART) without dying */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	if (opens)
		return opens_main(iters, secs);
	scratch = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED || ro == MAP_FAILED)
		return 2;
	mprotect(scratch + 8192, 4096, PROT_NONE);
	for (k = 0; k < NSOCK; k++) {
		socks[k] = -1;
		reopen(k);
	}
	scribble();
	for (i = 0; i < iters && time(NULL) < end; i++) {
		/* backstop against a call that blocks: SIGALRM interrupts it */
		if (i % 64 == 0) {
			struct itimerval it = { { 0, 0 }, { 0, 200000 } };

			setitimer(ITIMER_REAL, &it, NULL);
		}
		one_call();
		/* keep descriptors in range of the socket table */
		if (i % 512 == 511)
			for (k = 3; k < 1024; k++) {
				int j, ours = 0;

				for (j = 0; j < NSOCK; j++)
					ours |= socks[j] == k;
				if (!ours)
					close(k);
			}
	}
	printf("hostile: %ld calls done\n", i);
	fflush(stdout);
	for (k = 0; k < NSOCK; k++)
		if (socks[k] >= 0)
			close(socks[k]);
	return final_check();
}
