// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_oci.c - unit tests for the pure parts of the OCI runtime: seccomp
 * profile translation, command lookup in a rootfs, cgroup paths, signals
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/cgroup.h"
#include "sentry/container.h"
#include "sentry/oci.h"
#include "sentry/ociseccomp.h"

/**
 * test_seccomp() - Profiles that translate, and each kind that does not
 * @state:	Unused
 */
static void test_seccomp(void **state)
{
	static const char *const bad[][2] = {
	    {"{", ""},
	    {"{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "defaultAction"},
	    {"{\"defaultAction\":\"SCMP_ACT_BOGUS\"}", "defaultAction"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
	     "[\"SCMP_ARCH_PDP11\"]}",
	     "architectures"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}",
	     "syscalls"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	     "[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":-1}]}",
	     "syscalls[0]"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	     "[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":"
	     "9,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	     "syscalls[0]"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	     "[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":"
	     "0,\"value\":1,\"op\":\"SCMP_CMP_APPROX\"}]}]}",
	     "syscalls[0]"},
	    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	     "[7],\"action\":\"SCMP_ACT_ERRNO\"}]}",
	     "syscalls[0]"},
	};
	const char *good =
	    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
	    "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
	    "\"syscalls\":[{\"names\":[\"read\",\"write\",\"no_such_call_42\"],"
	    "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"personality\"],"
	    "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,"
	    "\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":8,\"op\":"
	    "\"SCMP_CMP_EQ\"}]},{\"names\":[\"clone\"],\"action\":"
	    "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2114060288,"
	    "\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},{\"names\":"
	    "[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}";
	char msg[256];
	unsigned int i;

	(void)state;
	assert_int_equal(ociseccomp_check(good, msg, sizeof(msg)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		assert_int_equal(ociseccomp_check(bad[i][0], msg, sizeof(msg)),
				 -EINVAL);
		assert_non_null(strstr(msg, "linux.seccomp."));
		assert_non_null(strstr(msg, bad[i][1]));
	}
}

/**
 * test_lookup() - PATH search inside a rootfs, symlinks resolved inside it
 * @state:	Unused
 */
static void test_lookup(void **state)
{
	char dir[] = "/tmp/sentry_oci.XXXXXX", p[PATH_MAX], out[PATH_MAX];
	char *env[] = {"HOME=/", "PATH=/nope:/bin", NULL};
	int rfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/bin", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/bin/tool", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0755);
	assert_true(fd >= 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/bin/data", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	/* an absolute symlink means the rootfs' own /bin/tool */
	snprintf(p, sizeof(p), "%s/bin/link", dir);
	assert_int_equal(symlink("/bin/tool", p), 0);
	snprintf(p, sizeof(p), "%s/bin/host", dir);
	assert_int_equal(symlink("/bin/sh", p), 0); /* host's, not ours */
	rfd = open(dir, O_PATH | O_DIRECTORY);
	assert_true(rfd >= 0);
	assert_int_equal(container_lookup(rfd, "tool", env, out, sizeof(out)),
			 0);
	assert_string_equal(out, "/bin/tool");
	assert_int_equal(container_lookup(rfd, "link", env, out, sizeof(out)),
			 0);
	assert_int_equal(container_lookup(rfd, "host", env, out, sizeof(out)),
			 -ENOENT);
	assert_int_equal(container_lookup(rfd, "data", env, out, sizeof(out)),
			 -EACCES);
	assert_int_equal(container_lookup(rfd, "none", env, out, sizeof(out)),
			 -ENOENT);
	assert_int_equal(container_lookup(rfd, "/bin/../../../bin/tool", env,
					  out, sizeof(out)),
			 0);
	assert_int_equal(container_lookup(rfd, "", env, out, sizeof(out)),
			 -ENOENT);
	close(rfd);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

/**
 * test_errmsg() - Docker's words for each stage
 * @state:	Unused
 */
static void test_errmsg(void **state)
{
	char *args[] = {"nosuch", NULL};
	struct spec_process p = {.cwd = "/x"};
	char msg[256];

	(void)state;
	p.args.v = args;
	container_errmsg(CTR_ERR(CTR_EXEC, ENOENT), &p, msg, sizeof(msg));
	assert_string_equal(
	    msg, "exec: \"nosuch\": executable file not found in $PATH");
	container_errmsg(CTR_ERR(CTR_CWD, ENOENT), &p, msg, sizeof(msg));
	assert_non_null(strstr(msg, "chdir to cwd (\"/x\")"));
	assert_int_equal(CTR_ERR_STAGE(CTR_ERR(CTR_USER, EPERM)), CTR_USER);
	assert_int_equal(CTR_ERR_ERRNO(CTR_ERR(CTR_USER, EPERM)), EPERM);
}

/**
 * test_cgroup_path() - cgroupsPath values that may and may not be used
 * @state:	Unused
 */
static void test_cgroup_path(void **state)
{
	(void)state;
	assert_int_equal(cgroup_path_valid("/docker/abc"), 0);
	assert_int_equal(cgroup_path_valid("rel/x"), 0);
	assert_int_equal(cgroup_path_valid("/docker/../x"), -EINVAL);
	assert_int_equal(cgroup_path_valid("/a//b"), -EINVAL);
	assert_int_equal(cgroup_path_valid("/a/./b"), -EINVAL);
	assert_int_equal(cgroup_path_valid(""), -EINVAL);
	assert_int_equal(cgroup_path_valid(NULL), -EINVAL);
}

/**
 * test_signals() - Signals by number and by name
 * @state:	Unused
 */
static void test_signals(void **state)
{
	(void)state;
	assert_int_equal(oci_signal_parse("9"), SIGKILL);
	assert_int_equal(oci_signal_parse("KILL"), SIGKILL);
	assert_int_equal(oci_signal_parse("SIGTERM"), SIGTERM);
	assert_int_equal(oci_signal_parse("usr1"), SIGUSR1);
	assert_int_equal(oci_signal_parse("0"), -EINVAL);
	assert_int_equal(oci_signal_parse("999"), -EINVAL);
	assert_int_equal(oci_signal_parse("SIGNOPE"), -EINVAL);
	assert_int_equal(oci_signal_parse(""), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seccomp), cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_errmsg),  cmocka_unit_test(test_cgroup_path),
	    cmocka_unit_test(test_signals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
