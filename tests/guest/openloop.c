// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * openloop.c - open+close of one existing file in a loop, opens per second
 *
 * Usage: openloop PATH [COUNT [SECONDS]]
 *
 * Bounded by COUNT iterations (default 100000) and SECONDS of wall time
 * (default 10), whichever comes first. Prints "N opens in S s: R/s". Used
 * by bench/open-bench.sh natively and inside sandboxes (static: it needs
 * nothing from the guest's root).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/**
 * now() - Monotonic seconds
 *
 * Return: seconds
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long count = argc > 2 ? atol(argv[2]) : 100000, i;
	double limit = argc > 3 ? atof(argv[3]) : 10, t0, t;
	int fd;

	if (argc < 2)
		return 2;
	t0 = now();
	for (i = 0; i < count; i++) {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(argv[1]);
			return 1;
		}
		close(fd);
		if (!(i & 255) && now() - t0 > limit)
			break;
	}
	t = now() - t0;
	printf("%ld opens in %.3f s: %.0f/s\n", i, t, (double)i / t);
	return 0;
}
