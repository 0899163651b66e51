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
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
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

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000;
	long secs = argc > 2 ? atol(argv[2]) : 60;
	time_t end = time(NULL) + secs;
	long i;
	int k;

	rng_state = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)time(NULL) * 2654435761u + 1;
	printf("hostile: seed %llu, %ld iterations, %ld s\n",
	       (unsigned long long)rng_state, iters, secs);
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	/* SIGALRM interrupts a stuck call (no SA_RESTART) without dying */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
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
