// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_pcaplog.c - unit tests for --pcap-log: placeholders, files made
 * and removed, one file for both interfaces
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "sentry/pcaplog.h"
#include "tap/tap.h"

static char dir[64];

/**
 * test_expand() - %ID% and %TIMESTAMP%; the rest is kept
 * @state:	Unused
 */
static void test_expand(void **state)
{
	struct timespec ts = {1700000000, 123456789};
	char buf[64];

	(void)state;
	assert_int_equal(
	    pcaplog_expand("/l/%ID%.pcap", "c1", &ts, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/l/c1.pcap");
	assert_int_equal(pcaplog_expand("%ID%-%TIMESTAMP%-%ID%%X%", "a", &ts,
					buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "a-20231114-221320.123456-a%X%");
	assert_int_equal(pcaplog_expand("%ID", "a", &ts, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "%ID");
	assert_int_equal(pcaplog_expand("/x/%ID%", "0123456789", &ts, buf, 12),
			 -ENAMETOOLONG);
	assert_int_equal(pcaplog_expand("", "a", &ts, buf, sizeof(buf)),
			 -EINVAL);
}

/**
 * path() - A file name in the test directory
 * @name:	Base name
 *
 * Return: one of four static buffers, used in turn
 */
static const char *path(const char *name)
{
	static char p[4][128];
	static unsigned int k;

	k = (k + 1) % 4; /* a few may be in use at once */
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/**
 * test_open_errors() - Bad starts say so and leave nothing behind
 * @state:	Unused
 */
static void test_open_errors(void **state)
{
	struct stat st;
	char lo[128];

	(void)state;
	assert_int_equal(pcaplog_open(NULL, NULL, "x", NET_SANDBOX), 0);
	assert_int_equal(pcaplog_open(path("h.pcap"), NULL, "x", NET_HOST),
			 -EINVAL);
	assert_int_equal(stat(path("h.pcap"), &st), -1);
	/* the first file is made, the second cannot be: both are gone */
	snprintf(lo, sizeof(lo), "%s/no/such/dir.pcap", dir);
	assert_int_equal(pcaplog_open(path("%ID%.pcap"), lo, "c9", NET_SANDBOX),
			 -ENOENT);
	assert_int_equal(stat(path("c9.pcap"), &st), -1);
	/* a discarded start removes only what it made */
	assert_int_equal(close(creat(path("old.pcap"), 0644)), 0);
	assert_int_equal(
	    pcaplog_open(path("old.pcap"), path("new.pcap"), "x", NET_NONE), 0);
	pcaplog_close(true);
	assert_int_equal(stat(path("old.pcap"), &st), 0);
	assert_int_equal(stat(path("new.pcap"), &st), -1);
	unlink(path("old.pcap"));
}

/**
 * count() - Records in a pcap file
 * @file:	Path
 *
 * Return: number of records
 */
static int count(const char *file)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline(file, eb);
	int n = 0;

	assert_non_null(p);
	while (pcap_next_ex(p, &h, &d) == 1)
		n++;
	pcap_close(p);
	return n;
}

/**
 * test_files() - Two files, or one for both interfaces
 * @state:	Unused
 */
static void test_files(void **state)
{
	uint8_t f[60] = {0};
	struct iovec v = {f, sizeof(f)};

	(void)state;
	assert_int_equal(
	    pcaplog_open(path("e.pcap"), path("l.pcap"), "x", NET_SANDBOX), 0);
	tap_cap_frame(TAP_CAP_ETH0, &v, 1);
	tap_cap_frame(TAP_CAP_LO, &v, 1);
	tap_cap_frame(TAP_CAP_LO, &v, 1);
	pcaplog_close(false);
	assert_int_equal(count(path("e.pcap")), 1);
	assert_int_equal(count(path("l.pcap")), 2);
	assert_int_equal(
	    pcaplog_open(path("b.pcap"), path("b.pcap"), "x", NET_SANDBOX), 0);
	tap_cap_frame(TAP_CAP_ETH0, &v, 1);
	tap_cap_frame(TAP_CAP_LO, &v, 1);
	pcaplog_close(false);
	assert_int_equal(count(path("b.pcap")), 2);
	unlink(path("e.pcap"));
	unlink(path("l.pcap"));
	unlink(path("b.pcap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expand),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_files),
	};
	int r;

	snprintf(dir, sizeof(dir), "/tmp/sentry_pcaplog.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return r;
}
