// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_intercept.c - the guest filter, loaded in a child process
 *
 * Needs CAP_SYS_ADMIN (the filter is loaded without no_new_privs, as the
 * guest does); skipped otherwise.
 */
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/intercept.h"

/**
 * in_child() - Load the filter in a child and check one syscall's errno
 * @mode:	Network mode of the filter
 * @nr:		Syscall
 * @a0:		First argument
 * @a1:		Second argument
 * @a2:		Third argument
 * @close_l:	Close the listener first (nobody supervises: fail closed)
 *
 * Return: the errno the child saw (0 for success), or -1 for a broken child
 */
static int in_child(enum net_mode mode, long nr, long a0, long a1, long a2,
		    int close_l)
{
	int st, lfd;
	pid_t pid = fork();

	if (pid == 0) {
		if (icpt_filter_load(mode, &lfd) < 0)
			_exit(200);
		if (close_l && lfd >= 0)
			close(lfd);
		errno = 0;
		if (syscall(nr, a0, a1, a2, 0, 0, 0) >= 0)
			_exit(0);
		_exit(errno);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/**
 * skip_unless_root() - Skip when the filter cannot be loaded
 */
static void skip_unless_root(void)
{
	if (geteuid() != 0)
		skip();
}

/**
 * test_denied() - What must never reach the host gets its errno
 * @state:	Unused
 */
static void test_denied(void **state)
{
	(void)state;
	skip_unless_root();
	assert_int_equal(in_child(NET_SANDBOX, SYS_io_uring_setup, 1, 0, 0, 0),
			 ENOSYS);
	assert_int_equal(in_child(NET_SANDBOX, SYS_bpf, 0, 0, 0, 0), EPERM);
	assert_int_equal(
	    in_child(NET_SANDBOX, SYS_unshare, CLONE_NEWUSER, 0, 0, 0), EPERM);
	assert_int_equal(in_child(NET_HOST, SYS_perf_event_open, 0, 0, 0, 0),
			 EPERM);
}

/**
 * test_fail_closed() - Without a supervisor, trapped calls fail (ENOSYS)
 * @state:	Unused
 */
static void test_fail_closed(void **state)
{
	(void)state;
	skip_unless_root();
	assert_int_equal(
	    in_child(NET_SANDBOX, SYS_socket, AF_INET, SOCK_STREAM, 0, 1),
	    ENOSYS);
	assert_int_equal(
	    in_child(NET_SANDBOX, SYS_socket, AF_PACKET, SOCK_RAW, 0, 1),
	    ENOSYS);
	assert_int_equal(in_child(NET_SANDBOX, SYS_setsockopt, 3, SOL_SOCKET,
				  SO_REUSEADDR, 1),
			 ENOSYS);
	assert_int_equal(in_child(NET_SANDBOX, SYS_setsockopt, 3, IPPROTO_TCP,
				  TCP_NODELAY, 1),
			 ENOSYS);
}

/**
 * test_not_trapped() - Host mode and plain calls are untouched
 * @state:	Unused
 */
static void test_not_trapped(void **state)
{
	(void)state;
	skip_unless_root();
	assert_int_equal(
	    in_child(NET_HOST, SYS_socket, AF_UNIX, SOCK_STREAM, 0, 1), 0);
	assert_int_equal(in_child(NET_SANDBOX, SYS_getpid, 0, 0, 0, 1), 0);
	/* TCP_CORK is answered by the filter itself */
	assert_int_equal(
	    in_child(NET_SANDBOX, SYS_setsockopt, 3, IPPROTO_TCP, TCP_CORK, 1),
	    0);
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_denied),
	    cmocka_unit_test(test_fail_closed),
	    cmocka_unit_test(test_not_trapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
