// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_cmd_install.c - unit tests for `runsc install`'s command line
 *
 * cmd_install() runs for real on a daemon.json below a fresh mkdtemp()
 * directory; the binary it registers is this test program. What it prints
 * on stdout is captured in a file next to it. The editing itself is
 * covered by sentry_daemoncfg.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/cmd.h"

/* Per-test fixture: a temporary directory, daemon.json and output paths */
struct fx {
	char tmp[64];
	char file[128];
	char out[128];
	char exe[PATH_MAX];
};

/**
 * setup() - Make a temporary directory for one test
 * @state:	Receives a struct fx
 *
 * Return: 0, or -1 on failure
 */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	ssize_t n;

	if (!fx)
		return -1;
	strcpy(fx->tmp, "/tmp/sentry_cmd_install.XXXXXX");
	n = readlink("/proc/self/exe", fx->exe, sizeof(fx->exe) - 1);
	if (n < 0 || !mkdtemp(fx->tmp)) {
		free(fx);
		return -1;
	}
	snprintf(fx->file, sizeof(fx->file), "%s/docker/daemon.json", fx->tmp);
	snprintf(fx->out, sizeof(fx->out), "%s/stdout", fx->tmp);
	umask(022);
	*state = fx;
	return 0;
}

/**
 * rm_one() - nftw() callback: remove one entry
 * @path:	Entry
 * @sb:		Unused
 * @type:	Entry type
 * @ftw:	Unused
 *
 * Return: 0 to go on
 */
static int rm_one(const char *path, const struct stat *sb, int type,
		  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/**
 * teardown() - Remove the temporary directory of one test
 * @state:	The struct fx from setup()
 *
 * Return: 0
 */
static int teardown(void **state)
{
	struct fx *fx = *state;

	nftw(fx->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/**
 * slurp() - Read a whole small file
 * @path:	File
 *
 * Return: a new string ("" if the file is missing), freed by the caller
 */
static char *slurp(const char *path)
{
	char *buf = calloc(1, 65536);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_non_null(buf);
	if (fd >= 0) {
		assert_true(read(fd, buf, 65535) >= 0);
		close(fd);
	}
	return buf;
}

/**
 * run() - Run cmd_install() with stdout captured in @fx->out
 * @fx:		Fixture
 * @argv:	Arguments after "install", NULL-terminated
 *
 * Return: the exit status
 */
static int run(const struct fx *fx, const char *const *argv)
{
	struct global_opts g = {.root = "/nonexistent"};
	char *av[16] = {"install"};
	int ac = 1, fd, saved, ret;

	while (argv[ac - 1]) {
		assert_true(ac < 15);
		av[ac] = (char *)argv[ac - 1];
		ac++;
	}
	fflush(stdout);
	saved = dup(1);
	fd = open(fx->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	ret = cmd_install(&g, ac, av);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return ret;
}

/**
 * expect_out() - Assert the captured stdout
 * @fx:		Fixture
 * @fmt:	printf format of the expected text
 */
__attribute__((format(printf, 2, 3))) static void
expect_out(const struct fx *fx, const char *fmt, ...)
{
	char want[4096], *got = slurp(fx->out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	assert_string_equal(got, want);
	free(got);
}

#define RELOAD "reload dockerd: kill -HUP $(pidof dockerd)"

/**
 * test_round_trip() - Install, again, and with flags
 * @state:	Fixture
 */
static void test_round_trip(void **state)
{
	struct fx *fx = *state;
	char want[8192], *got;

	assert_int_equal(run(fx, (const char *[]){"--config", fx->file, NULL}),
			 0);
	expect_out(fx,
		   "runsc install: added runtime \"runsc\" (%s) to %s; " RELOAD
		   "\n",
		   fx->exe, fx->file);
	got = slurp(fx->file);
	snprintf(want, sizeof(want),
		 "{\n    \"runtimes\": {\n        \"runsc\": {\n"
		 "            \"path\": \"%s\"\n        }\n    }\n}\n",
		 fx->exe);
	assert_string_equal(got, want);
	free(got);

	assert_int_equal(run(fx, (const char *[]){"--config", fx->file, NULL}),
			 0);
	expect_out(fx,
		   "runsc install: runtime \"runsc\" (%s) is already in %s; "
		   "nothing to do\n",
		   fx->exe, fx->file);

	assert_int_equal(
	    run(fx, (const char *[]){"--runtime", "runsc", "--config", fx->file,
				     "--", "--debug", "--network=host", NULL}),
	    0);
	got = slurp(fx->out);
	assert_non_null(strstr(got, "runsc install: note: replacing the "
				    "existing runtime \"runsc\": {\"path\":"));
	assert_non_null(strstr(got, "runsc install: replaced runtime "
				    "\"runsc\" ("));
	assert_non_null(strstr(got, " --debug --network=host) in "));
	free(got);
	got = slurp(fx->file);
	assert_non_null(strstr(got, "\"runtimeArgs\": [\n"
				    "                \"--debug\",\n"
				    "                \"--network=host\"\n"));
	free(got);
}

/**
 * test_uninstall() - Uninstall after install, then once more
 * @state:	Fixture
 */
static void test_uninstall(void **state)
{
	struct fx *fx = *state;
	char *got;

	assert_int_equal(run(fx, (const char *[]){"--config", fx->file, NULL}),
			 0);
	assert_int_equal(run(fx, (const char *[]){"--uninstall", "--config",
						  fx->file, NULL}),
			 0);
	expect_out(fx,
		   "runsc install: removed runtime \"runsc\" from %s; " RELOAD
		   "\n",
		   fx->file);
	got = slurp(fx->file);
	assert_string_equal(got, "{}\n");
	free(got);
	assert_int_equal(run(fx, (const char *[]){"--config", fx->file,
						  "--uninstall", "--", NULL}),
			 0);
	expect_out(fx,
		   "runsc install: runtime \"runsc\" is not in %s; nothing to "
		   "do\n",
		   fx->file);
}

/**
 * test_usage() - Misused command lines exit 2 and touch nothing
 * @state:	Fixture
 */
static void test_usage(void **state)
{
	struct fx *fx = *state;
	const char *f = fx->file;
	const char *const *bad[] = {
	    (const char *[]){"--config", f, "--debug", NULL},
	    (const char *[]){"--config", f, "debug", NULL},
	    (const char *[]){"--config", f, "--uninstall", "--", "-x", NULL},
	    (const char *[]){"--config", f, "--runtime", "runc", NULL},
	    (const char *[]){"--config", f, "--runtime=a/b", NULL},
	    (const char *[]){"--config", f, "--runtime", "", NULL},
	    (const char *[]){"--config", "", NULL},
	    (const char *[]){"--config=", NULL},
	    (const char *[]){"--config", NULL},
	    /* "--" taken as the file name is not the separator */
	    (const char *[]){"--config", "--", "-x", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (run(fx, bad[i]) != 2)
			fail_msg("command line %zu did not exit 2", i);
	}
	assert_int_equal(access(f, F_OK), -1);
}

/**
 * test_failure() - A broken daemon.json: exit 1, the file untouched
 * @state:	Fixture
 */
static void test_failure(void **state)
{
	struct fx *fx = *state;
	char dir[128], *got;
	int fd;

	snprintf(dir, sizeof(dir), "%s/docker", fx->tmp);
	assert_int_equal(mkdir(dir, 0755), 0);
	fd = open(fx->file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"runtimes\": 1}", 15), 15);
	close(fd);
	assert_int_equal(run(fx, (const char *[]){"--config", fx->file, NULL}),
			 1);
	assert_int_equal(
	    run(fx, (const char *[]){"--config", fx->file, "--", "a b", NULL}),
	    1);
	got = slurp(fx->file);
	assert_string_equal(got, "{\"runtimes\": 1}");
	free(got);
	expect_out(fx, "%s", "");
}

/**
 * main() - Run the `runsc install` tests
 *
 * Return: number of failed tests
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_uninstall, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
