/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netaddr.h - parsing of addresses given on the command line
 *
 * Pure functions (no I/O): CIDR subnets, the n-th host of a subnet, and
 * `-p [IP:]HOSTPORT:GUESTPORT` publishing specifications.
 */
#pragma once

#include <netinet/in.h>

#include "sentry.h"

int netaddr_parse_cidr(const char *s, int af, void *addr, unsigned int *prefix);
struct in_addr netaddr_nth4(struct in_addr net, uint32_t n);
struct in6_addr netaddr_nth6(const struct in6_addr *net, uint8_t n);
int netaddr_parse_port(const char *s, struct in_addr guest4,
		       struct relay_port *p);
