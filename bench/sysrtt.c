// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysrtt.c - cost of one syscall, for bench/run.sh
 *
 *   sysrtt [N]
 *
 * Times N getsockopt(SO_TYPE) calls on a TCP socket (under runsc the call
 * is trapped by seccomp and answered by the sentry) and N getpid() calls
 * (never trapped), after a warm-up. Prints
 *   getsockopt_us=X getpid_us=Y n=N
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000, i;
	int fd, v;
	socklen_t len;
	double t0, gso, gp;

	alarm(60);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (i = 0; i < n / 10 + 1; i++) { /* warm-up */
		len = sizeof(v);
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) ||
		    v != SOCK_STREAM) {
			perror("getsockopt");
			return 1;
		}
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		len = sizeof(v);
		getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len);
	}
	gso = (now() - t0) / n * 1e6;
	t0 = now();
	for (i = 0; i < n; i++)
		syscall(SYS_getpid); /* glibc may not cache, but be explicit */
	gp = (now() - t0) / n * 1e6;
	printf("getsockopt_us=%.3f getpid_us=%.3f n=%ld\n", gso, gp, n);
	return 0;
}
