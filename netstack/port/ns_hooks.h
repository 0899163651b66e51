/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ns_hooks.h - lwIP hooks implemented by netstack (LWIP_HOOK_FILENAME)
 *
 * lwIP includes this file after its own headers in the sources that use
 * hooks, so lwIP types are available here.
 */
#pragma once

#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

const ip6_addr_t *ns_nd6_get_gw(struct netif *netif, const ip6_addr_t *dest);
u32_t ns_tcp_isn(const ip_addr_t *local_ip, u16_t local_port,
		 const ip_addr_t *remote_ip, u16_t remote_port);
int ns_ip_input_hook(struct pbuf *p, struct netif *inp, u16_t ethertype);
int ns_ip4_accept_lo(const struct netif *inp);
