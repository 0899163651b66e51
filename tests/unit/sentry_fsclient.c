// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_fsclient.c - unit tests for the sentry's side of mediated opens
 * (sentry/fsclient.c): /proc/TID/status parsing and the /proc/self rewrite
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "sentry/fsclient.h"

static const char status[] =
    "Name:\tcat\nUmask:\t0027\nState:\tR (running)\nTgid:\t900\n"
    "Pid:\t901\nUid:\t1000\t1001\t1002\t1003\nGid:\t50\t51\t52\t53\n"
    "Groups:\t4 24 27 \nNStgid:\t900\t7\nNSpid:\t901\t8\n"
    "CapInh:\t0000000000000000\nCapEff:\t00000000a80425fb\n";

/**
 * test_status() - fs ids (4th field), groups, CapEff, umask, NS ids
 * @state:	Unused
 */
static void test_status(void **state)
{
	struct proto_open o;
	int pid, tid;

	memset(&o, 0, sizeof(o));
	assert_int_equal(fsc_parse_status(status, &o, &pid, &tid), 0);
	assert_int_equal(o.uid, 1003);
	assert_int_equal(o.gid, 53);
	assert_int_equal(o.ngroups, 3);
	assert_int_equal(o.groups[2], 27);
	assert_int_equal(o.cap_eff, 0xa80425fbULL);
	assert_int_equal(o.umask, 027);
	assert_int_equal(pid, 7);
	assert_int_equal(tid, 8);
	assert_int_equal(fsc_parse_status("Name:\tx\n", &o, &pid, &tid),
			 -EINVAL);
}

/**
 * test_rewrite() - /proc/self and /proc/thread-self name the guest's ids
 * @state:	Unused
 */
static void test_rewrite(void **state)
{
	char p[64];

	strcpy(p, "/proc/self/status");
	assert_int_equal(fsc_rewrite_proc(p, sizeof(p), 7, 8), 0);
	assert_string_equal(p, "/proc/7/status");
	strcpy(p, "/proc/thread-self/comm");
	fsc_rewrite_proc(p, sizeof(p), 7, 8);
	assert_string_equal(p, "/proc/7/task/8/comm");
	strcpy(p, "/proc/self");
	fsc_rewrite_proc(p, sizeof(p), 7, 8);
	assert_string_equal(p, "/proc/7");
	strcpy(p, "/proc/selfish");
	fsc_rewrite_proc(p, sizeof(p), 7, 8);
	assert_string_equal(p, "/proc/selfish");
	strcpy(p, "/proc/self/x");
	assert_int_equal(fsc_rewrite_proc(p, 9, 7, 8), -ENAMETOOLONG);
	assert_false(fsc_owns(SYS_openat)); /* no gofer: direct opens */
}

/**
 * test_flags() - The kernel's open-flag checks, before the path is read
 * @state:	Unused
 */
static void test_flags(void **state)
{
	/* unknown bits: open ignores them, openat2 refuses them */
	assert_int_equal(fsc_check_flags(SYS_openat, O_RDONLY | 0x40000000, 0),
			 0);
	assert_int_equal(fsc_check_flags(SYS_openat2, O_RDONLY | 0x40000000, 0),
			 -EINVAL);
	assert_int_equal(fsc_check_flags(SYS_open, O_CREAT | O_DIRECTORY, 0),
			 -EINVAL);
	assert_int_equal(
	    fsc_check_flags(SYS_openat, O_TMPFILE | O_CREAT | O_RDWR, 0),
	    -EINVAL);
	/* O_TMPFILE needs write access */
	assert_int_equal(fsc_check_flags(SYS_openat, O_TMPFILE | O_RDONLY, 0),
			 -EINVAL);
	assert_int_equal(fsc_check_flags(SYS_openat2, O_TMPFILE | O_WRONLY, 0),
			 0);
	/* open keeps only the O_PATH flags, openat2 refuses the others */
	assert_int_equal(
	    fsc_check_flags(SYS_open, O_PATH | O_CREAT | O_DIRECTORY, 0), 0);
	assert_int_equal(fsc_check_flags(SYS_openat2, O_PATH | O_CREAT, 0),
			 -EINVAL);
	assert_int_equal(fsc_check_flags(SYS_openat2, O_WRONLY | O_TRUNC, 0x20),
			 -EAGAIN); /* RESOLVE_CACHED */
	assert_int_equal(
	    fsc_check_flags(SYS_openat2, O_RDONLY | O_NOFOLLOW, 0x20), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_rewrite),
	    cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
