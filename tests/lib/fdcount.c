// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdcount.c - descriptors open in this process (fdcount.h)
 */
#include "fdcount.h"

#include <dirent.h>
#include <stdlib.h>

/**
 * fdcount() - Descriptors open in this process
 *
 * Return: their number (the listing's own excluded); aborts if /proc is
 * not there to list them
 */
int fdcount(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}
