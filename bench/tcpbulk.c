// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcpbulk.c - single-stream TCP bulk transfer for bench/run.sh
 *
 *   tcpbulk send HOST PORT BYTES [SECONDS]   connect, send BYTES (or stop
 *                                            after SECONDS), close
 *   tcpbulk recv PORT [SECONDS]              listen on 0.0.0.0:PORT, accept
 *                                            one connection, read to EOF
 *
 * Both print one line: "<role> bytes=N seconds=S gbps=G". The receiver's
 * clock runs from accept() to EOF. Every run is bounded by alarm().
 * The connection is retried for a few seconds so the order in which
 * run.sh starts the two sides does not matter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF (256 * 1024)

static char buf[BUF];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *role, unsigned long long n, double s)
{
	printf("%s bytes=%llu seconds=%.3f gbps=%.3f\n", role, n, s,
	       s > 0 ? n * 8 / s / 1e9 : 0.0);
	fflush(stdout);
}

static int do_send(const char *host, int port, unsigned long long bytes,
		   double secs)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	unsigned long long sent = 0;
	double t0, deadline;
	int fd = -1, i;

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", host);
		return 2;
	}
	for (i = 0; i < 100; i++) { /* 10 s of retries */
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("socket");
			return 1;
		}
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			break;
		close(fd);
		fd = -1;
		usleep(100000);
	}
	if (fd < 0) {
		perror("connect");
		return 1;
	}
	memset(buf, 'x', sizeof(buf));
	t0 = now();
	deadline = t0 + secs;
	while (sent < bytes) {
		size_t want = bytes - sent < BUF ? bytes - sent : BUF;
		ssize_t r = write(fd, buf, want);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("write");
			return 1;
		}
		sent += r;
		if (now() > deadline)
			break;
	}
	shutdown(fd, SHUT_WR);
	/* wait for the receiver's close so the data is really delivered */
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	report("send", sent, now() - t0);
	close(fd);
	return 0;
}

static int do_recv(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	unsigned long long got = 0;
	int one = 1, l, fd;
	double t0;
	ssize_t r;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4)) {
		perror("bind/listen");
		return 1;
	}
	printf("listening %d\n", port);
	fflush(stdout);
	fd = accept(l, NULL, NULL);
	if (fd < 0) {
		perror("accept");
		return 1;
	}
	t0 = now();
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("read");
			return 1;
		}
		got += r;
	}
	report("recv", got, now() - t0);
	close(fd);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	double secs = 10;

	if (argc >= 5 && !strcmp(argv[1], "send")) {
		if (argc > 5)
			secs = atof(argv[5]);
		alarm((unsigned int)secs + 30);
		return do_send(argv[2], atoi(argv[3]),
			       strtoull(argv[4], NULL, 0), secs);
	}
	if (argc >= 3 && !strcmp(argv[1], "recv")) {
		if (argc > 3)
			secs = atof(argv[3]);
		alarm((unsigned int)secs + 40);
		return do_recv(atoi(argv[2]));
	}
	fprintf(stderr, "usage: tcpbulk send HOST PORT BYTES [SECONDS] | "
			"recv PORT [SECONDS]\n");
	return 2;
}
