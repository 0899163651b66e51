// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc.c - the process title, /proc/PID/status, the process's root
 *
 * See proc.h.
 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/**
 * proc_status_read() - The text of /proc/PID/status, in one read
 * @pid:	Process or thread (host pid)
 * @buf:	Result, NUL-terminated
 * @cap:	Its size
 *
 * Return: length, or -ESRCH (gone, or nothing read)
 * #syscalls openat read close
 */
int proc_status_read(pid_t pid, char *buf, size_t cap)
{
	char path[40];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	return (int)n;
}

/**
 * proc_status_field() - One number of a status line
 * @text:	proc_status_read()'s text
 * @key:	Line name without the colon ("NSpid")
 * @base:	Number base
 * @nth:	Field wanted (0-based), or -1 for the last ("NSpid:\t5\t1": 1)
 * @v:		Result
 *
 * Return: 0, or -EINVAL if there is no such line or field
 */
int proc_status_field(const char *text, const char *key, int base, int nth,
		      unsigned long long *v)
{
	char want[40];
	const char *p;
	char *e;
	int i = 0, found = 0;

	snprintf(want, sizeof(want), "\n%s:", key);
	p = strstr(text, want);
	if (!p)
		return -EINVAL;
	for (p += strlen(want);;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		*v = strtoull(p, &e, base);
		if (e == p)
			return -EINVAL;
		found = 1;
		if (i++ == nth)
			return 0;
		p = e;
	}
	return nth < 0 && found ? 0 : -EINVAL;
}

/**
 * proc_pivot() - Make @dir the root, detach the old one
 * @dir:	A mount point in the caller's private mount namespace
 *
 * pivot_root(".", ".") stacks the old root on the new one, which the
 * detaching umount then takes away; the cwd ends at the new "/".
 *
 * Return: 0 or -errno
 * #syscalls:setup chdir pivot_root umount2
 */
int proc_pivot(const char *dir)
{
	if (chdir(dir) || syscall(SYS_pivot_root, ".", ".") ||
	    umount2(".", MNT_DETACH) || chdir("/"))
		return -errno;
	return 0;
}
