// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udpperf.c - UDP request/response rate and throughput, for bench/run.sh
 *
 *   udpperf echo PORT SECS            answer every datagram (until SECS)
 *   udpperf rr HOST PORT SECS         one 64-byte request in flight: prints
 *                                     "rr reqs=N secs=S rps=R"
 *   udpperf sink PORT SECS            count what arrives: prints
 *                                     "sink bytes=N secs=S gbps=G" (time from
 *                                     the first datagram to the last)
 *   udpperf blast HOST PORT SECS SIZE send SIZE-byte datagrams for SECS
 *
 * IPv4 only; every run is bounded by SECS (plus a 1 s receive timeout).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/**
 * now() - Monotonic time in seconds
 *
 * Return: seconds
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/**
 * sock_for() - A UDP socket with a 1 s receive timeout, maybe bound
 * @port:	Port to bind on any address, 0 for none
 *
 * Return: fd (exits on failure)
 */
static int sock_for(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	struct timeval tv = { 1, 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0), big = 4 << 20;

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		exit(2);
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (port && bind(s, (struct sockaddr *)&a, sizeof(a)))
		exit(3);
	return s;
}

/**
 * peer() - Connect a socket to HOST:PORT
 * @s:		Socket
 * @host:	IPv4 address
 * @port:	Port
 */
static void peer(int s, const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
	    connect(s, (struct sockaddr *)&a, sizeof(a)))
		exit(4);
}

/**
 * main() - Modes as in the header comment
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 on success
 */
int main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_storage from;
	socklen_t fl;
	double t0, t1 = 0, end;
	long long n = 0;
	ssize_t r;
	int s;

	if (argc == 4 && !strcmp(argv[1], "echo")) {
		s = sock_for(atoi(argv[2]));
		for (end = now() + atof(argv[3]); now() < end;) {
			fl = sizeof(from);
			r = recvfrom(s, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
			if (r >= 0)
				sendto(s, buf, (size_t)r, 0,
				       (struct sockaddr *)&from, fl);
		}
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "rr")) {
		s = sock_for(0);
		peer(s, argv[2], atoi(argv[3]));
		t0 = now();
		for (end = t0 + atof(argv[4]); now() < end; n++)
			if (send(s, buf, 64, 0) != 64 || recv(s, buf, 64, 0) < 0)
				break;
		t1 = now();
		printf("rr reqs=%lld secs=%.3f rps=%.1f\n", n, t1 - t0,
		       (double)n / (t1 - t0));
		return n ? 0 : 1;
	}
	if (argc == 4 && !strcmp(argv[1], "sink")) {
		s = sock_for(atoi(argv[2]));
		t0 = 0;
		for (end = now() + atof(argv[3]) + 2; now() < end;) {
			r = recv(s, buf, sizeof(buf), 0);
			if (r < 0) {
				if (t0)
					break; /* the sender stopped */
				continue;
			}
			if (!t0)
				t0 = now();
			t1 = now();
			n += r;
		}
		printf("sink bytes=%lld secs=%.3f gbps=%.3f\n", n, t1 - t0,
		       t1 > t0 ? (double)n * 8 / (t1 - t0) / 1e9 : 0.0);
		return n ? 0 : 1;
	}
	if (argc == 6 && !strcmp(argv[1], "blast")) {
		size_t size = (size_t)atoi(argv[5]);

		s = sock_for(0);
		peer(s, argv[2], atoi(argv[3]));
		if (size > sizeof(buf))
			size = sizeof(buf);
		for (end = now() + atof(argv[4]); now() < end;)
			for (int i = 0; i < 64; i++)
				send(s, buf, size, 0);
		return 0;
	}
	fprintf(stderr, "usage: see udpperf.c\n");
	return 2;
}
