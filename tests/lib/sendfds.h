/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sendfds.h - send one packet with any number of descriptors attached
 *
 * fd_sendv() of the runtime refuses what a hostile peer would send (more
 * descriptors than it passes, none at all with an empty payload...); the
 * tests that play that peer build the SCM_RIGHTS message here.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#define SENDFDS_MAX 32

ssize_t test_send_fds(int sock, const void *buf, size_t len, const int *fds,
		      int nfds);
