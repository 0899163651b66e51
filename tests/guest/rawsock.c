// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rawsock.c - static guest: socket calls made with raw syscall(2), no libc
 * socket wrappers, to show they are served by the sentry too
 *
 * Usage: rawsock HOST4 PORT PAUSE_SECONDS
 *
 * Connects with raw syscalls to HOST4:PORT (peer.py), sends "echo\n" and a
 * message, reads it back; while the connection and a loopback listener are
 * open, prints the entries of /proc/net/tcp{,6}, prints "paused" and sleeps
 * PAUSE_SECONDS (the test inspects the namespace meanwhile). Then checks
 * that families which must never reach the host kernel fail.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(nr, a, b, c, d, e, f);

	return r < 0 ? -errno : r;
}

static const char *en(long r)
{
	static char buf[64];

	if (r >= 0)
		return "ok";
	switch (-r) {
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	}
	snprintf(buf, sizeof(buf), "errno %ld", -r);
	return buf;
}

static int proc_entries(const char *path)
{
	char line[512];
	int n = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sockaddr_in la = { .sin_family = AF_INET };
	socklen_t len = sizeof(la);
	char buf[256];
	long fd, l, c, a, r, n = 0;
	int sv[2];

	if (argc < 4) {
		fprintf(stderr, "usage: rawsock HOST4 PORT PAUSE\n");
		return 2;
	}
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	inet_pton(AF_INET, argv[1], &sa.sin_addr);

	fd = sc(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	printf("raw socket: %s\n", en(fd));
	r = sc(SYS_connect, fd, (long)&sa, sizeof(sa), 0, 0, 0);
	printf("raw connect: %s\n", en(r));
	if (fd < 0 || r < 0)
		return 1;
	r = sc(SYS_write, fd, (long)"echo\nraw bytes", 14, 0, 0, 0);
	while (n < 9) {
		r = sc(SYS_read, fd, (long)buf + n, (long)sizeof(buf) - 1 - n, 0, 0, 0);
		if (r <= 0)
			break;
		n += r;
	}
	buf[n < 0 ? 0 : n] = '\0';
	printf("raw echo: %s\n", buf);

	/* a loopback listener and connection as well */
	l = sc(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sc(SYS_bind, l, (long)&la, sizeof(la), 0, 0, 0);
	sc(SYS_listen, l, 4, 0, 0, 0, 0);
	sc(SYS_getsockname, l, (long)&la, (long)&len, 0, 0, 0);
	c = sc(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	r = sc(SYS_connect, c, (long)&la, sizeof(la), 0, 0, 0);
	a = sc(SYS_accept4, l, 0, 0, 0, 0, 0);
	printf("raw loopback connect+accept: %s %s\n", en(r), en(a));

	printf("/proc/net/tcp entries: %d\n", proc_entries("/proc/net/tcp"));
	printf("/proc/net/tcp6 entries: %d\n", proc_entries("/proc/net/tcp6"));
	printf("paused\n");
	fflush(stdout);
	sleep((unsigned int)atoi(argv[3]));

	r = sc(SYS_socket, AF_PACKET, SOCK_RAW, 0x0300, 0, 0, 0);
	printf("AF_PACKET SOCK_RAW: %s\n", en(r));
	r = sc(SYS_socket, AF_PACKET, SOCK_DGRAM, 0x0300, 0, 0, 0);
	printf("AF_PACKET SOCK_DGRAM: %s\n", en(r));
	r = sc(SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG, 0, 0, 0);
	printf("AF_NETLINK NETLINK_SOCK_DIAG: %s\n", en(r));
	r = sc(SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, 0, 0, 0);
	printf("AF_NETLINK NETLINK_ROUTE: %s\n", en(r));
	r = sc(SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER, 0, 0, 0);
	printf("AF_NETLINK NETLINK_NETFILTER: %s\n", en(r));
	/* raw ICMP is emulated by the sentry (ping); other raw IP is refused */
	r = sc(SYS_socket, AF_INET, SOCK_RAW, IPPROTO_ICMP, 0, 0, 0);
	printf("AF_INET SOCK_RAW ICMP: %s\n", r >= 0 ? "ok" : "fails");
	r = sc(SYS_socket, AF_INET, SOCK_RAW, IPPROTO_TCP, 0, 0, 0);
	printf("AF_INET SOCK_RAW: %s\n", r >= 0 ? "ok" : "fails");
	r = sc(SYS_socket, AF_INET6, SOCK_RAW, IPPROTO_TCP, 0, 0, 0);
	printf("AF_INET6 SOCK_RAW: %s\n", r >= 0 ? "ok" : "fails");
	r = sc(SYS_socketpair, AF_INET, SOCK_STREAM, 0, (long)sv, 0, 0);
	printf("socketpair AF_INET: %s\n", r >= 0 ? "ok" : "fails");
	r = sc(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv, 0, 0);
	printf("socketpair AF_UNIX: %s\n", en(r));
	r = sc(SYS_socket, 45 /* AF_MAX-ish, unknown */, SOCK_STREAM, 0, 0, 0, 0);
	printf("unknown family: %s\n", r >= 0 ? "ok" : "fails");
	return 0;
}
