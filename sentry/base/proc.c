// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc.c - the process title
 *
 * See proc.h.
 */
#include "proc.h"

#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>

static char *title_area; /* argv[0], contiguous with the other arguments */
static size_t title_len; /* bytes of the argument area, NULs included */

/**
 * proc_title_init() - Remember the argument area of main()
 * @argc:	Argument count
 * @argv:	Arguments (the strings are contiguous, as the kernel lays them)
 */
void proc_title_init(int argc, char **argv)
{
	int i;

	if (argc < 1 || !argv[0])
		return;
	title_area = argv[0];
	title_len = strlen(argv[0]) + 1;
	for (i = 1; i < argc && argv[i] == title_area + title_len; i++)
		title_len += strlen(argv[i]) + 1;
}

/**
 * proc_title_set() - Show @title as the command line and the comm name
 * @title:	Text, e.g. "runsc-sandbox 1f2e..."
 *
 * The caller must not use its argv strings afterwards.
 */
void proc_title_set(const char *title)
{
	size_t n = strlen(title);
	char comm[16];
	const char *sp = strchr(title, ' ');
	size_t c = sp ? (size_t)(sp - title) : n;

	if (c >= sizeof(comm))
		c = sizeof(comm) - 1;
	memcpy(comm, title, c);
	comm[c] = '\0';
	prctl(PR_SET_NAME, comm);
	if (!title_area || title_len < 2)
		return;
	if (n > title_len - 1)
		n = title_len - 1;
	memcpy(title_area, title, n);
	memset(title_area + n, 0, title_len - n);
}
