/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ifbuild.h - the guest's interface view, from the netstack's configuration
 *
 * One pure function: lo (index 1: 127.0.0.1/8, ::1/128) and, when the
 * sandbox has a link, eth0 (index 2: its IPv4 and IPv6 addresses, the
 * link-local address lwIP derives from the MAC, default routes via the
 * gateways), numbered as netstack numbers them for IP_PKTINFO.
 */
#pragma once

#include "ifview.h"
#include "netstack/netstack.h"

void ifbuild(struct ifview *v, const struct ns_if_config *cfg);
