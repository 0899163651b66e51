// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer_tree.c - unit tests for the gofer's mount tree (gofer/tree.c)
 *
 * Needs root (fsopen, open_tree, move_mount), as the gofer does; every
 * mount is detached, so nothing is left in any namespace. A temp bundle
 * (rootfs with a file, a symlink pointing out of it, a host directory
 * as bind source) and specs parsed from JSON drive tree_build(): hostile
 * PROTO_TREE bodies (indexes out of range, repeated, naming an entry the
 * stub does not make, a missing stub mount) are refused with -EINVAL, and
 * a good one gives a tree in which the ro bind, the overlay, the masked
 * path, the symlinked destination and the write-through root behave.
 * No test leaves a descriptor open.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cmocka.h>

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* glibc 2.36 has it only with _GNU_SOURCE */
#endif

#include "fdcount.h"
#include "gofer/proto.h"
#include "gofer/tree.h"

/* mounts of the spec: 0 proc (the stub's), 1 tmpfs on /run, 2 ro rbind of the
 * host dir, 3 tmpfs through an image symlink pointing at the host dir */
#define SPEC_FMT                                                               \
	"{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"            \
	"\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"},\"mounts\":["           \
	"{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"   \
	"{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","   \
	"\"options\":[\"nosuid\",\"size=1m\",\"sync\",\"nosymfollow\"]},"      \
	"{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"%s\","      \
	"\"options\":[\"rbind\",\"ro\"]},"                                     \
	"{\"destination\":\"/etc/evil\",\"type\":\"tmpfs\",\"source\":"        \
	"\"tmpfs\"}],\"linux\":{\"maskedPaths\":[\"/etc/masked\"],"            \
	"\"readonlyPaths\":[\"/proc/sys\"]}}"

struct fx {
	char dir[64];
	char rootfs[96];
	char host[96];
	struct spec *spec;
	int proc;
	int nfds;
};

static struct fx fx;

/**
 * put() - Write a file
 * @path:	Path
 * @text:	Content
 */
static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/**
 * read_at() - Content of a file below a tree
 * @tree:	Tree
 * @rel:	Relative path
 * @buf:	Result
 * @len:	Size of @buf
 *
 * Return: bytes read, or -errno
 */
static int read_at(int tree, const char *rel, char *buf, size_t len)
{
	int fd = openat(tree, rel, O_RDONLY | O_CLOEXEC), n;

	if (fd < 0)
		return -errno;
	n = (int)read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/**
 * load_spec() - Parse SPEC_FMT with the fixture's host dir
 * @spec:	Result
 */
static void load_spec(struct spec **spec)
{
	char json[4096], errbuf[256];

	snprintf(json, sizeof(json), SPEC_FMT, fx.host);
	assert_int_equal(
	    spec_parse(json, strlen(json), spec, errbuf, sizeof(errbuf)), 0);
}

static int fx_up(void **state)
{
	char p[320];

	(void)state;
	if (geteuid())
		return -1; /* cmocka reports the setup failure */
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/gofer-tree.XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.rootfs, sizeof(fx.rootfs), "%s/rootfs", fx.dir);
	snprintf(fx.host, sizeof(fx.host), "%s/host", fx.dir);
	assert_int_equal(mkdir(fx.rootfs, 0755), 0);
	assert_int_equal(mkdir(fx.host, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc", fx.rootfs);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc/file", fx.rootfs);
	put(p, "image");
	snprintf(p, sizeof(p), "%s/etc/masked", fx.rootfs);
	put(p, "secret");
	snprintf(p, sizeof(p), "%s/etc/evil", fx.rootfs);
	assert_int_equal(symlink(fx.host, p), 0);
	snprintf(p, sizeof(p), "%s/s", fx.host);
	put(p, "host");
	/* the symlink's target, as seen inside the rootfs */
	snprintf(p, sizeof(p), "mkdir -p '%s%s'", fx.rootfs, fx.host);
	assert_int_equal(system(p), 0);
	load_spec(&fx.spec);
	assert_int_equal(tree_kernel_fs(&fx.spec->mounts[0], &fx.proc), 0);
	fx.nfds = fdcount();
	return 0;
}

static int fx_down(void **state)
{
	char cmd[128];

	(void)state;
	assert_int_equal(fdcount(), fx.nfds);
	close(fx.proc);
	spec_free(&fx.spec);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx.dir);
	return system(cmd) ? -1 : 0;
}

/**
 * build() - tree_build() with a request of @n entries
 * @fs:		Overlay or not
 * @index:	Spec indexes
 * @fds:	Their mounts
 * @n:		Entries
 * @tree:	Result
 *
 * Return: tree_build()'s result
 */
static int build(const struct ctr_fs *fs, const uint32_t *index, const int *fds,
		 uint32_t n, int *tree)
{
	struct proto_tree req = {.n = n};

	memcpy(req.index, index, n * sizeof(*index));
	return tree_build(fx.spec, fx.rootfs, fs, &req, fds, tree);
}

/* hostile request bodies: refused, nothing built, nothing leaked */
static void test_bad_requests(void **state)
{
	const struct ctr_fs fs = {true, NULL};
	int fds[2] = {fx.proc, fx.proc}, tree = -1;

	(void)state;
	assert_int_equal(build(&fs, (uint32_t[]){99}, fds, 1, &tree), -EINVAL);
	assert_int_equal(build(&fs, (uint32_t[]){0, 0}, fds, 2, &tree),
			 -EINVAL);
	assert_int_equal(build(&fs, (uint32_t[]){1}, fds, 1, &tree), -EINVAL);
	assert_int_equal(build(&fs, (uint32_t[]){UINT32_MAX}, fds, 1, &tree),
			 -EINVAL);
	/* the proc entry without its mount */
	assert_int_equal(build(&fs, (uint32_t[]){0}, fds, 0, &tree), -EINVAL);
	assert_int_equal(tree, -1);
	assert_int_equal(fdcount(), fx.nfds);
}

/* a good request: the tree behaves, the image and host are untouched */
static void test_tree(void **state)
{
	const struct ctr_fs fs = {true, "4m"};
	char buf[64], p[320];
	struct statvfs vfs;
	struct statfs sfs;
	struct stat st;
	int tree = -1, fd;

	(void)state;
	assert_int_equal(build(&fs, (uint32_t[]){0}, &fx.proc, 1, &tree), 0);
	assert_true(tree >= 0);
	assert_int_equal(read_at(tree, "etc/file", buf, sizeof(buf)), 5);
	assert_string_equal(buf, "image");
	assert_int_equal(read_at(tree, "data/s", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "host");
	/* masked: /dev/null over it */
	assert_int_equal(read_at(tree, "etc/masked", buf, sizeof(buf)), 0);
	/* ro bind: no write, no create */
	assert_int_equal(openat(tree, "data/s", O_WRONLY), -1);
	assert_int_equal(errno, EROFS);
	assert_int_equal(openat(tree, "data/new", O_CREAT | O_WRONLY, 0644),
			 -1);
	assert_int_equal(errno, EROFS);
	/* /proc/sys read-only, proc itself there */
	assert_int_equal(openat(tree, "proc/sys/kernel/hostname", O_WRONLY),
			 -1);
	assert_int_equal(errno, EROFS);
	assert_int_equal(fstatat(tree, "proc/self/status", &st, 0), 0);
	/* the overlay takes writes; the image does not see them */
	fd = openat(tree, "etc/file", O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "guest", 5), 5);
	close(fd);
	snprintf(p, sizeof(p), "%s/etc/file", fx.rootfs);
	assert_int_equal(read_at(AT_FDCWD, p, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "image");
	fd = openat(tree, "run/x", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	/* the entry's flags: mount attributes and super-block flags */
	assert_int_equal(fstatvfs(fd, &vfs), 0);
	assert_true(vfs.f_flag & ST_NOSUID);
	assert_true(vfs.f_flag & ST_SYNCHRONOUS);
	assert_true(vfs.f_flag & ST_NOSYMFOLLOW);
	close(fd);
	/* the tmpfs meant for the symlinked /etc/evil is in the tree, at
	 * the target resolved inside it (as the guest resolves it: a plain
	 * openat() here would follow the symlink on the host): the host dir
	 * got nothing */
	fd = tree_open_in(tree, "etc/evil/y", O_CREAT | O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstatfs(fd, &sfs), 0);
	assert_true(sfs.f_type == TMPFS_MAGIC); /* on its mount, not the root */
	close(fd);
	snprintf(p, sizeof(p), "%s/y", fx.host);
	assert_int_equal(access(p, F_OK), -1);
	snprintf(p, sizeof(p), "%s%s/y", fx.rootfs, fx.host);
	assert_int_equal(access(p, F_OK), -1);
	close(tree);
}

/* --overlay=none: the root writes through to the rootfs */
static void test_write_through(void **state)
{
	const struct ctr_fs fs = {false, NULL};
	char p[320];
	int tree = -1, fd;

	(void)state;
	assert_int_equal(build(&fs, (uint32_t[]){0}, &fx.proc, 1, &tree), 0);
	fd = openat(tree, "through", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	close(tree);
	snprintf(p, sizeof(p), "%s/through", fx.rootfs);
	assert_int_equal(access(p, F_OK), 0);
}

/* a bind source that does not exist: -ENOENT, nothing left open */
static void test_missing_source(void **state)
{
	const struct ctr_fs fs = {true, NULL};
	int tree = -1;

	(void)state;
	free(fx.spec->mounts[2].source);
	fx.spec->mounts[2].source = strdup("/nonexistent/runsc-gofer-tree");
	assert_int_equal(build(&fs, (uint32_t[]){0}, &fx.proc, 1, &tree),
			 -ENOENT);
	assert_int_equal(tree, -1);
}

/* ".." in a destination is refused, never resolved on the host */
static void test_dotdot_dest(void **state)
{
	const struct ctr_fs fs = {true, NULL};
	char p[320];
	int tree = -1;

	(void)state;
	free(fx.spec->mounts[1].destination);
	fx.spec->mounts[1].destination = strdup("/a/../../escaped");
	assert_int_equal(build(&fs, (uint32_t[]){0}, &fx.proc, 1, &tree),
			 -EINVAL);
	snprintf(p, sizeof(p), "%s/escaped", fx.dir);
	assert_int_equal(access(p, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_bad_requests, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_tree, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_write_through, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_missing_source, fx_up,
					    fx_down),
	    cmocka_unit_test_setup_teardown(test_dotdot_dest, fx_up, fx_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
