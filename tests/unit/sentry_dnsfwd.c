// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_dnsfwd.c - unit tests for the embedded-DNS relay's pure parts:
 * the table of queries in flight, header checks, resolv.conf
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/dnsfwd.h"
#include "sentry/spec.h"

#define T0 1000000 /* ms: an arbitrary "now" */

/**
 * entry() - A query in flight from 127.0.0.1:@port
 * @slot:	Pool slot
 * @id:		Id on the wire
 * @guest_id:	Guest's id
 * @port:	Guest's port
 *
 * Return: the entry
 */
static struct dnsfwd_entry entry(unsigned int slot, uint16_t id,
				 uint16_t guest_id, uint16_t port)
{
	struct dnsfwd_entry e = {
	    .slot = (uint8_t)slot, .id = id, .guest_id = guest_id};

	e.guest.sin_family = AF_INET;
	e.guest.sin_port = htons(port);
	e.guest.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return e;
}

/**
 * test_table_add_take() - An answer finds its query once, by slot and id
 * @state:	Unused
 */
static void test_table_add_take(void **state)
{
	struct dnsfwd_table t;
	struct dnsfwd_entry e = entry(3, 0xbeef, 0x1234, 40000), out;

	(void)state;
	dnsfwd_table_init(&t);
	assert_true(dnsfwd_table_add(&t, &e, T0) >= 0);
	/* unknown ids, the right id on another socket */
	assert_int_equal(dnsfwd_table_take(&t, 3, 0xbeee, T0, &out), -ENOENT);
	assert_int_equal(dnsfwd_table_take(&t, 2, 0xbeef, T0, &out), -ENOENT);
	assert_int_equal(dnsfwd_table_take(&t, 0x103, 0xbeef, T0, &out),
			 -ENOENT);
	assert_int_equal(dnsfwd_table_take(&t, 3, 0xbeef, T0 + 1, &out), 0);
	assert_int_equal(out.guest_id, 0x1234);
	assert_int_equal(out.guest.sin_family, AF_INET);
	assert_int_equal(ntohs(out.guest.sin_port), 40000);
	assert_int_equal(out.guest.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(out.deadline, T0 + DNSFWD_TIMEOUT_MS);
	/* a second answer with the same id matches nothing */
	assert_int_equal(dnsfwd_table_take(&t, 3, 0xbeef, T0 + 1, &out),
			 -ENOENT);
}

/**
 * test_table_duplicate() - An id is unique per pool socket, not overall
 * @state:	Unused
 */
static void test_table_duplicate(void **state)
{
	struct dnsfwd_table t;
	struct dnsfwd_entry a = entry(0, 7, 1, 1000), b = entry(0, 7, 2, 2000),
			    c = entry(1, 7, 3, 3000), out;

	(void)state;
	dnsfwd_table_init(&t);
	assert_true(dnsfwd_table_add(&t, &a, T0) >= 0);
	assert_int_equal(dnsfwd_table_add(&t, &b, T0), -EEXIST);
	assert_true(dnsfwd_table_add(&t, &c, T0) >= 0);
	assert_int_equal(dnsfwd_table_take(&t, 1, 7, T0, &out), 0);
	assert_int_equal(out.guest_id, 3);
	assert_int_equal(dnsfwd_table_take(&t, 0, 7, T0, &out), 0);
	assert_int_equal(out.guest_id, 1);
	/* free again: the id may be reused */
	assert_true(dnsfwd_table_add(&t, &b, T0) >= 0);
}

/**
 * test_table_expiry() - Entries live DNSFWD_TIMEOUT_MS, then match nothing
 * @state:	Unused
 */
static void test_table_expiry(void **state)
{
	struct dnsfwd_table t;
	struct dnsfwd_entry a = entry(0, 1, 1, 1000), b = entry(0, 2, 2, 2000),
			    out;

	(void)state;
	dnsfwd_table_init(&t);
	assert_true(dnsfwd_table_add(&t, &a, T0) >= 0);
	assert_true(dnsfwd_table_add(&t, &b, T0 + 10) >= 0);
	/* a late answer is dropped and frees its entry */
	assert_int_equal(
	    dnsfwd_table_take(&t, 0, 1, T0 + DNSFWD_TIMEOUT_MS, &out), -ENOENT);
	assert_int_equal(dnsfwd_table_expire(&t, T0 + DNSFWD_TIMEOUT_MS), 0);
	assert_int_equal(
	    dnsfwd_table_expire(&t, T0 + 10 + DNSFWD_TIMEOUT_MS - 1), 0);
	assert_int_equal(dnsfwd_table_expire(&t, T0 + 10 + DNSFWD_TIMEOUT_MS),
			 1);
	assert_int_equal(
	    dnsfwd_table_take(&t, 0, 2, T0 + 10 + DNSFWD_TIMEOUT_MS, &out),
	    -ENOENT);
	assert_int_equal(dnsfwd_table_expire(&t, UINT64_MAX), 0);
	/* an expired id is free for a new query */
	assert_true(dnsfwd_table_add(&t, &a, T0) >= 0);
	assert_true(dnsfwd_table_add(&t, &a, T0 + DNSFWD_TIMEOUT_MS) >= 0);
	assert_int_equal(dnsfwd_table_expire(&t, UINT64_MAX), 1);
}

/**
 * test_table_full() - A full table refuses, until an entry is answered or
 * expires
 * @state:	Unused
 */
static void test_table_full(void **state)
{
	struct dnsfwd_table t;
	struct dnsfwd_entry e, out;
	int i, r;

	(void)state;
	dnsfwd_table_init(&t);
	for (i = 0; i < DNSFWD_PENDING; i++) {
		e = entry((unsigned int)i % DNSFWD_POOL, (uint16_t)i,
			  (uint16_t)~i, (uint16_t)(10000 + i));
		r = dnsfwd_table_add(&t, &e, T0 + (uint64_t)i);
		assert_true(r >= 0 && r < DNSFWD_PENDING);
	}
	e = entry(0, 0xffff, 0, 1);
	assert_int_equal(dnsfwd_table_add(&t, &e, T0 + DNSFWD_PENDING),
			 -ENOSPC);
	/* one answered: room for one */
	assert_int_equal(dnsfwd_table_take(&t, 5 % DNSFWD_POOL, 5, T0, &out),
			 0);
	assert_int_equal(out.guest_id, (uint16_t)~5);
	assert_true(dnsfwd_table_add(&t, &e, T0 + DNSFWD_PENDING) >= 0);
	e.id = 0xfffe;
	assert_int_equal(dnsfwd_table_add(&t, &e, T0 + DNSFWD_PENDING),
			 -ENOSPC);
	/* the oldest expired: reused without a sweep */
	assert_true(dnsfwd_table_add(&t, &e, T0 + DNSFWD_TIMEOUT_MS) >= 0);
	assert_int_equal(dnsfwd_table_take(&t, 0, 0, T0, &out), -ENOENT);
	/* everything else expires at once */
	assert_int_equal(dnsfwd_table_expire(&t, UINT64_MAX), DNSFWD_PENDING);
}

/**
 * test_check() - Header checks: short, oversized, the wrong direction
 * @state:	Unused
 */
static void test_check(void **state)
{
	static uint8_t m[DNSFWD_REPLY_MAX + 1];
	size_t n;

	(void)state;
	memset(m, 0, sizeof(m));
	for (n = 0; n < DNSFWD_HDR_LEN; n++) {
		assert_int_equal(dnsfwd_check(m, n, false), -EBADMSG);
		assert_int_equal(dnsfwd_check(m, n, true), -EBADMSG);
	}
	assert_int_equal(dnsfwd_check(m, DNSFWD_HDR_LEN, false), 0);
	assert_int_equal(dnsfwd_check(m, DNSFWD_HDR_LEN, true), -EBADMSG);
	assert_int_equal(dnsfwd_check(m, DNSFWD_QUERY_MAX, false), 0);
	assert_int_equal(dnsfwd_check(m, DNSFWD_QUERY_MAX + 1, false),
			 -EMSGSIZE);
	m[2] = 0x81; /* QR, RD */
	assert_int_equal(dnsfwd_check(m, DNSFWD_HDR_LEN, false), -EBADMSG);
	assert_int_equal(dnsfwd_check(m, DNSFWD_HDR_LEN, true), 0);
	assert_int_equal(dnsfwd_check(m, DNSFWD_REPLY_MAX, true), 0);
	assert_int_equal(dnsfwd_check(m, DNSFWD_REPLY_MAX + 1, true),
			 -EMSGSIZE);
	m[2] = 0x7f; /* everything but QR: still a query */
	assert_int_equal(dnsfwd_check(m, DNSFWD_HDR_LEN, false), 0);
}

/**
 * test_id() - Transaction ids are big-endian, the rest is untouched
 * @state:	Unused
 */
static void test_id(void **state)
{
	uint8_t m[DNSFWD_HDR_LEN] = {0x12, 0x34, 0x01, 0x00, 0, 1};

	(void)state;
	assert_int_equal(dnsfwd_get_id(m), 0x1234);
	dnsfwd_set_id(m, 0xfe01);
	assert_int_equal(m[0], 0xfe);
	assert_int_equal(m[1], 0x01);
	assert_int_equal(m[2], 0x01);
	assert_int_equal(m[5], 1);
	assert_int_equal(dnsfwd_get_id(m), 0xfe01);
}

/**
 * embedded() - dnsfwd_resolv_embedded() on a C string
 * @s:	resolv.conf text
 *
 * Return: its result
 */
static bool embedded(const char *s)
{
	return dnsfwd_resolv_embedded(s, strlen(s));
}

/**
 * test_resolv() - Only a nameserver line naming 127.0.0.11 counts
 * @state:	Unused
 */
static void test_resolv(void **state)
{
	static const char nul[] = "search x\0\nnameserver 127.0.0.11\n";
	static const char nul2[] = "search x\0nameserver 127.0.0.11\n";
	static char big[8192];

	(void)state;
	/* what Docker writes on a user-defined network */
	assert_true(embedded("search example.com\nnameserver 127.0.0.11\n"
			     "options ndots:0\n"));
	assert_true(embedded("nameserver 127.0.0.11"));
	assert_true(embedded("nameserver\t127.0.0.11\t\n"));
	assert_true(embedded("  nameserver   127.0.0.11 # docker\n"));
	assert_true(embedded("nameserver 127.0.0.11;x\n"));
	assert_true(embedded("nameserver 127.0.0.11\r\n"));
	assert_true(embedded("nameserver 10.0.0.1\nnameserver 127.0.0.11\n"));
	/* NUL bytes end nothing: a line is up to its newline */
	assert_true(dnsfwd_resolv_embedded(nul, sizeof(nul) - 1));
	assert_false(dnsfwd_resolv_embedded(nul2, sizeof(nul2) - 1));
	assert_false(dnsfwd_resolv_embedded("nameserver 127.0.0.11\0", 22));
	/* the default bridge and lookalikes */
	assert_false(embedded(""));
	assert_false(embedded("\n\n\n"));
	assert_false(embedded("nameserver 8.8.8.8\n"));
	assert_false(embedded("nameserver 127.0.0.1\n"));
	assert_false(embedded("nameserver 127.0.0.110\n"));
	assert_false(embedded("nameserver 127.0.0.11x\n"));
	assert_false(embedded("nameserver 127.0.0.11.5\n"));
	assert_false(embedded("nameserver127.0.0.11\n"));
	assert_false(embedded("nameservers 127.0.0.11\n"));
	assert_false(embedded("# nameserver 127.0.0.11\n"));
	assert_false(embedded("; nameserver 127.0.0.11\n"));
	assert_false(embedded("search nameserver 127.0.0.11\n"));
	assert_false(embedded("nameserver\n127.0.0.11\n"));
	assert_false(embedded("nameserver"));
	assert_false(embedded("nameserver "));
	/* the length bounds the scan, not a NUL */
	assert_false(dnsfwd_resolv_embedded("nameserver 127.0.0.11", 20));
	assert_false(dnsfwd_resolv_embedded("nameserver 127.0.0.11", 10));
	/* a line longer than any buffer, no newline at all */
	memset(big, 'a', sizeof(big));
	assert_false(dnsfwd_resolv_embedded(big, sizeof(big)));
	memcpy(big + sizeof(big) - 22, "\nnameserver 127.0.0.11", 22);
	assert_true(dnsfwd_resolv_embedded(big, sizeof(big)));
}

/**
 * write_tmp() - A temporary file with @text
 * @text:	Contents
 * @path:	Filled with its path (mkstemp template, 32 bytes)
 */
static void write_tmp(const char *text, char *path)
{
	int fd;

	strcpy(path, "/tmp/dnsfwd-test.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/**
 * test_wanted() - The last mount on /etc/resolv.conf decides; no mount or
 * no file: no relay
 * @state:	Unused
 */
static void test_wanted(void **state)
{
	char yes[32], no[32];
	struct spec_mount m[3];
	struct spec sp;

	(void)state;
	write_tmp("nameserver 127.0.0.11\noptions ndots:0\n", yes);
	write_tmp("nameserver 192.0.2.53\n", no);
	memset(&sp, 0, sizeof(sp));
	memset(m, 0, sizeof(m));
	sp.mounts = m;
	assert_false(dnsfwd_wanted(&sp));
	m[0].destination = "/etc/hosts";
	m[0].source = yes;
	sp.n_mounts = 1;
	assert_false(dnsfwd_wanted(&sp));
	m[1].destination = "/etc/resolv.conf";
	m[1].source = yes;
	sp.n_mounts = 2;
	assert_true(dnsfwd_wanted(&sp));
	m[2].destination = "/etc/resolv.conf";
	m[2].source = no;
	sp.n_mounts = 3;
	assert_false(dnsfwd_wanted(&sp));
	m[2].source = NULL;
	assert_false(dnsfwd_wanted(&sp));
	m[2].source = "/nonexistent/resolv.conf";
	assert_false(dnsfwd_wanted(&sp));
	m[2].source = yes;
	assert_true(dnsfwd_wanted(&sp));
	unlink(yes);
	unlink(no);
	assert_false(dnsfwd_wanted(&sp));
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_add_take),
	    cmocka_unit_test(test_table_duplicate),
	    cmocka_unit_test(test_table_expiry),
	    cmocka_unit_test(test_table_full),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_id),
	    cmocka_unit_test(test_resolv),
	    cmocka_unit_test(test_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
