// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_ifbuild.c - the guest's interface view built from a configuration
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sentry/ifbuild.h"

/**
 * test_none() - Without a link: lo only, no routes
 * @state:	Unused
 */
static void test_none(void **state)
{
	struct ns_if_config cfg = {.present = false};
	struct ifview v;

	(void)state;
	ifbuild(&v, &cfg);
	assert_int_equal(v.nifs, 1);
	assert_string_equal(v.ifs[0].name, "lo");
	assert_int_equal(v.ifs[0].index, NS_IFINDEX_LO);
	assert_true(v.ifs[0].flags & IFF_LOOPBACK);
	assert_int_equal(v.ifs[0].naddrs, 2);
	assert_int_equal(v.ifs[0].addrs[0].prefix, 8);
	assert_int_equal(v.ifs[0].addrs[1].prefix, 128);
	assert_int_equal(v.nroutes, 0);
}

/**
 * test_link() - eth0 with both families, EUI-64 link-local, two defaults
 * @state:	Unused
 */
static void test_link(void **state)
{
	struct ns_if_config cfg = {.present = true,
				   .mac = {0x02, 0x52, 0x53, 0x00, 0x64, 0xe8},
				   .mtu = 16000,
				   .prefix4 = 24,
				   .prefix6 = 64};
	uint8_t ll[16];
	struct ifview v;

	(void)state;
	inet_pton(AF_INET, "10.88.0.2", &cfg.addr4);
	inet_pton(AF_INET, "10.88.0.1", &cfg.gw4);
	inet_pton(AF_INET6, "fd00:88::2", &cfg.addr6);
	inet_pton(AF_INET6, "fd00:88::1", &cfg.gw6);
	inet_pton(AF_INET6, "fe80::52:53ff:fe00:64e8", ll);
	ifbuild(&v, &cfg);
	assert_int_equal(v.nifs, 2);
	assert_string_equal(v.ifs[1].name, "eth0");
	assert_int_equal(v.ifs[1].index, NS_IFINDEX_ETH0);
	assert_int_equal(v.ifs[1].mtu, 16000);
	assert_memory_equal(v.ifs[1].mac, cfg.mac, 6);
	assert_int_equal(v.ifs[1].naddrs, 3);
	assert_memory_equal(v.ifs[1].addrs[0].addr, &cfg.addr4, 4);
	assert_int_equal(v.ifs[1].addrs[0].prefix, 24);
	assert_memory_equal(v.ifs[1].addrs[1].addr, &cfg.addr6, 16);
	assert_memory_equal(v.ifs[1].addrs[2].addr, ll, 16);
	assert_int_equal(v.nroutes, 2);
	assert_true(v.routes[0].has_gw);
	assert_memory_equal(v.routes[0].gw, &cfg.gw4, 4);
	assert_int_equal(v.routes[1].family, AF_INET6);
	assert_int_equal(v.routes[1].ifindex, NS_IFINDEX_ETH0);
}

/**
 * main() - Run the tests
 *
 * Return: failures
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_none),
	    cmocka_unit_test(test_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
