// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_netaddr.c - unit tests for command-line address parsing
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "sentry/netaddr.h"

/**
 * test_cidr() - Valid and invalid subnets
 * @state:	Unused
 */
static void test_cidr(void **state)
{
	struct in6_addr a6, h6;
	struct in_addr a4;
	unsigned int p;
	char buf[64];

	(void)state;
	assert_int_equal(netaddr_parse_cidr("10.88.0.0/24", AF_INET, &a4, &p),
			 0);
	assert_int_equal(p, 24);
	assert_string_equal(inet_ntoa(netaddr_nth4(a4, 2)), "10.88.0.2");
	assert_int_equal(netaddr_parse_cidr("fd00:88::/64", AF_INET6, &a6, &p),
			 0);
	h6 = netaddr_nth6(&a6, 1);
	inet_ntop(AF_INET6, &h6, buf, sizeof(buf));
	assert_string_equal(buf, "fd00:88::1");
	assert_int_equal(netaddr_parse_cidr("10.88.0.0", AF_INET, &a4, &p),
			 -EINVAL);
	assert_int_equal(netaddr_parse_cidr("10.88.0.0/31", AF_INET, &a4, &p),
			 -EINVAL);
	assert_int_equal(netaddr_parse_cidr("10.88.0.0/2x", AF_INET, &a4, &p),
			 -EINVAL);
	assert_int_equal(netaddr_parse_cidr("300.1.1.1/24", AF_INET, &a4, &p),
			 -EINVAL);
	assert_int_equal(netaddr_parse_cidr("fd00::/64", AF_INET, &a4, &p),
			 -EINVAL);
}

/**
 * test_port() - -p forms, good and bad
 * @state:	Unused
 */
static void test_port(void **state)
{
	struct in_addr g = {htonl(0x0a580002)};
	struct sockaddr_in6 *h6;
	struct sockaddr_in *h4, *g4;
	struct relay_port p;

	(void)state;
	assert_int_equal(netaddr_parse_port("8080:80", g, &p), 0);
	h4 = (struct sockaddr_in *)&p.host;
	g4 = (struct sockaddr_in *)&p.guest;
	assert_int_equal(h4->sin_family, AF_INET);
	assert_int_equal(ntohs(h4->sin_port), 8080);
	assert_int_equal(h4->sin_addr.s_addr, 0);
	assert_int_equal(ntohs(g4->sin_port), 80);
	assert_int_equal(g4->sin_addr.s_addr, g.s_addr);
	assert_int_equal(p.fd, -1);
	assert_int_equal(netaddr_parse_port("127.0.0.1:8080:80", g, &p), 0);
	assert_int_equal(h4->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(netaddr_parse_port("[::1]:8443:443", g, &p), 0);
	h6 = (struct sockaddr_in6 *)&p.host;
	assert_int_equal(h6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(h6->sin6_port), 8443);
	assert_true(IN6_IS_ADDR_LOOPBACK(&h6->sin6_addr));
	assert_int_equal(netaddr_parse_port("80", g, &p), -EINVAL);
	assert_int_equal(netaddr_parse_port("0:80", g, &p), -EINVAL);
	assert_int_equal(netaddr_parse_port("80:70000", g, &p), -EINVAL);
	assert_int_equal(netaddr_parse_port("x:80:80", g, &p), -EINVAL);
	assert_int_equal(netaddr_parse_port("8080:80x", g, &p), -EINVAL);
	assert_int_equal(netaddr_parse_port(":80", g, &p), -EINVAL);
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cidr),
	    cmocka_unit_test(test_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
