/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlroute.h - NETLINK_ROUTE requests answered from a struct ifview
 *
 * Theory of operation: the sentry owns the guest's AF_NETLINK/NETLINK_ROUTE
 * sockets. For each sendmsg() it passes the payload to nlr_handle(), which
 * parses it as Linux's netlink_rcv_skb() and rtnetlink_rcv_msg() do and
 * writes every reply the guest would read, as whole datagrams, into a
 * caller-owned struct nlr_out. The sentry then queues each datagram, in
 * order, on the guest's socket. Nothing is kept between calls: a dump is
 * produced complete at once, like a kernel dump read by a fast reader.
 *
 * What the guest sees (checked against Linux 6.18 in a fresh netns):
 * - RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE dumps: parts with NLM_F_MULTI,
 *   packed into datagrams of at most NLR_DGRAM_SIZE bytes, then NLMSG_DONE
 *   (payload: int 0) alone in the last datagram, as Linux sends it for these
 *   three; the family byte filters as in Linux (AF_INET, AF_INET6, else all)
 * - RTM_GETLINK by ifi_index or IFLA_IFNAME; RTM_GETROUTE for one
 *   destination (`ip route get`); RTM_GETADDR for one IPv6 address
 * - other dumps Linux has (neighbours, rules, qdiscs, ...): an empty dump
 * - RTM_NEW*, RTM_DEL*, RTM_SET*: NLMSG_ERROR -EPERM, as for a guest without
 *   CAP_NET_ADMIN; unknown types: -EOPNOTSUPP
 * - an error echoes the whole request (only its header with NLR_CAP_ACK);
 *   NLM_F_ACK on a request that did not fail and is not a dump gets an
 *   NLMSG_ERROR 0 with NLM_F_CAPPED
 * - a message shorter than struct nlmsghdr, or whose nlmsg_len is smaller
 *   than that or runs past the payload, ends parsing silently; messages
 *   before it are answered
 * - nlmsg_pid of every reply is @portid, nlmsg_seq echoes the request
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ifview.h"

#ifndef NLR_DGRAM_SIZE
#define NLR_DGRAM_SIZE 3776 /* bytes: Linux's NLMSG_GOODSIZE, 4 KiB pages */
#endif
#ifndef NLR_DGRAMS_MAX
#define NLR_DGRAMS_MAX 64 /* datagrams per nlr_handle() call */
#endif

/* nlr_handle() @opts: socket options the guest set */
#define NLR_CAP_ACK 0x1U /* NETLINK_CAP_ACK: errors echo only the header */

/**
 * struct nlr_out - Replies to one sendmsg(), as datagrams
 * @buf:	Caller's buffer; datagrams are stored back to back
 * @cap:	Size of @buf (16 KiB holds every reply for a few interfaces)
 * @len:	Bytes used in @buf, set by nlr_handle()
 * @n:		Datagrams in @buf, set by nlr_handle()
 * @dgram:	Length of each datagram, in order
 */
struct nlr_out {
	void *buf;
	size_t cap;
	size_t len;
	unsigned int n;
	uint32_t dgram[NLR_DGRAMS_MAX];
};

int nlr_handle(const struct ifview *v, const void *req, size_t len,
	       uint32_t portid, unsigned int opts, struct nlr_out *out);
