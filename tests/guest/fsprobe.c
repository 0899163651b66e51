// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsprobe.c - static guest helper for the file isolation tests (t_escape)
 *
 * Usage: fsprobe OP ARGS...
 *
 *   fds                 the open descriptors, ascending, space-separated
 *                       (read with getdents64 on /proc/self/fd; the
 *                       directory's own descriptor is left out)
 *   euid                the effective uid
 *   read PATH           open O_RDONLY and read one byte
 *   write PATH          open O_WRONLY | O_CREAT | O_TRUNC and write one byte
 *   reopen PATH         open O_RDONLY, then /proc/self/fd/N with O_WRONLY
 *   opath PATH          open O_PATH, then /proc/self/fd/N with O_RDWR
 *   link SRC DST        link(SRC, DST), then write DST
 *   rename SRC DST      rename(SRC, DST)
 *   mknod PATH [c|b MAJ MIN]  mknod a device (default c 1 3, /dev/null's)
 *   fill PATH BYTES     write BYTES bytes (64 KiB at a time), then fsync
 *
 * Every file operation prints one line: "ok", or the errno name of the
 * first step that failed (EROFS, EXDEV, ...). Exit 0 for "ok", 1 otherwise,
 * 2 for a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

/**
 * result() - Print the outcome of an operation
 * @r:	0, or a positive errno
 *
 * Return: the exit status: 0 for success, 1 for failure
 */
static int result(int r)
{
	const char *n = r ? strerrorname_np(r) : "ok";

	printf("%s\n", n ? n : "E?");
	return r ? 1 : 0;
}

/**
 * list_fds() - Print this process's descriptors except the listing's own
 *
 * Return: 0, or 1 if /proc/self/fd cannot be read
 */
static int list_fds(void)
{
	char buf[4096], *sep = "";
	int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n, off, fd;

	if (dfd < 0)
		return result(errno);
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			unsigned short reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (*name < '0' || *name > '9')
				continue;
			fd = strtol(name, NULL, 10);
			if (fd == dfd)
				continue;
			printf("%s%ld", sep, fd);
			sep = " ";
		}
	}
	printf("\n");
	close(dfd);
	return n < 0 ? 1 : 0;
}

/**
 * reopen() - Open @path, then reopen it through /proc/self/fd
 * @path:	File
 * @first:	Flags of the first open
 * @second:	Flags of the reopen
 *
 * The reopened file is read (one byte) or written (one byte).
 *
 * Return: 0, or the errno of the step that failed
 */
static int reopen(const char *path, int first, int second)
{
	char p[64], c;
	int fd = open(path, first | O_CLOEXEC), fd2;

	if (fd < 0)
		return errno;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	fd2 = open(p, second | O_CLOEXEC);
	close(fd);
	if (fd2 < 0)
		return errno;
	if ((second & O_ACCMODE) == O_RDONLY ? read(fd2, &c, 1) < 0
					     : write(fd2, "x", 1) != 1) {
		close(fd2);
		return errno;
	}
	close(fd2);
	return 0;
}

/**
 * fill() - Write @bytes bytes to a new @path
 * @path:	File
 * @bytes:	Size
 *
 * Return: 0, or the errno of the write that failed
 */
static int fill(const char *path, long bytes)
{
	static char chunk[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	long done = 0;
	ssize_t w;

	if (fd < 0)
		return errno;
	memset(chunk, 'f', sizeof(chunk));
	while (done < bytes) {
		w = write(fd, chunk,
			  (size_t)(bytes - done < (long)sizeof(chunk)
				       ? bytes - done
				       : (long)sizeof(chunk)));
		if (w < 0) {
			int e = errno;

			close(fd);
			return e;
		}
		done += w;
	}
	if (fsync(fd) || close(fd))
		return errno;
	return 0;
}

/**
 * make_node() - mknod PATH [c|b MAJ MIN]
 * @argc:	Argument count (3 or 6)
 * @argv:	Arguments
 *
 * Return: 0, or the errno of mknod
 */
static int make_node(int argc, char **argv)
{
	mode_t type = S_IFCHR;
	dev_t dev = makedev(1, 3);

	if (argc == 6) {
		type = argv[3][0] == 'b' ? S_IFBLK : S_IFCHR;
		dev = makedev(strtoul(argv[4], NULL, 10),
			      strtoul(argv[5], NULL, 10));
	}
	return mknod(argv[2], type | 0666, dev) ? errno : 0;
}

/**
 * file_op() - Run one file operation named on the command line
 * @argc:	Argument count
 * @argv:	Arguments: OP ARGS...
 *
 * Return: 0, a positive errno, or -1 for a usage error
 */
static int file_op(int argc, char **argv)
{
	const char *op = argv[1];

	if (argc == 3 && !strcmp(op, "read"))
		return reopen(argv[2], O_RDONLY, O_RDONLY);
	if (argc == 3 && !strcmp(op, "write"))
		return fill(argv[2], 1);
	if (argc == 3 && !strcmp(op, "reopen"))
		return reopen(argv[2], O_RDONLY, O_WRONLY);
	if (argc == 3 && !strcmp(op, "opath"))
		return reopen(argv[2], O_PATH, O_RDWR);
	if (argc == 4 && !strcmp(op, "link"))
		return link(argv[2], argv[3]) ? errno : fill(argv[3], 1);
	if (argc == 4 && !strcmp(op, "rename"))
		return rename(argv[2], argv[3]) ? errno : 0;
	if ((argc == 3 || argc == 6) && !strcmp(op, "mknod"))
		return make_node(argc, argv);
	if (argc == 4 && !strcmp(op, "fill"))
		return fill(argv[2], strtol(argv[3], NULL, 10));
	return -1;
}

/**
 * main() - Dispatch on the operation
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: exit status
 */
int main(int argc, char **argv)
{
	int r;

	if (argc == 2 && !strcmp(argv[1], "fds"))
		return list_fds();
	if (argc == 2 && !strcmp(argv[1], "euid")) {
		printf("%u\n", (unsigned int)geteuid());
		return 0;
	}
	r = argc >= 3 ? file_op(argc, argv) : -1;
	if (r < 0) {
		fprintf(stderr, "usage: fsprobe fds|euid|read|write|reopen|"
				"opath|link|rename|mknod|fill ARGS...\n");
		return 2;
	}
	return result(r);
}
