/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loop.h - the sentry's one epoll loop
 *
 * Every fd the sentry waits on is registered with a typed reference
 * (union loop_ref) that the single dispatch switch in the owner of the loop
 * (cmd_do.c / boot) decodes. Handlers never block.
 */
#pragma once

#include <assert.h>
#include <stdint.h>
#include <sys/epoll.h>

enum loop_type {
	LOOP_NOTIFY, /* seccomp listener of a guest process tree */
	LOOP_TAP,    /* tap device */
	LOOP_SOCK,   /* sentry end of a guest socket, or a relayed host conn */
	LOOP_RELAY_LISTEN, /* -p host listener */
	LOOP_SIGNAL,	   /* signalfd */
	LOOP_CHILD,	   /* control socket to the guest's init stub */
	LOOP_CTL_LISTEN,   /* the sentry's control socket (ctl.h) */
	LOOP_CTL_CONN,	   /* one control connection */
	LOOP_PCAP_OUT,	   /* a live capture's stream, EPOLLOUT (ctlsrv.c) */
	LOOP_DNS,	   /* kernel UDP socket to Docker's DNS (dnsfwd.h) */
	LOOP_NUM_TYPES,
};

union loop_ref {
	struct {
		uint32_t type : 8, fd : 24;
		uint32_t idx;
	};
	uint64_t u64;
};
static_assert(sizeof(union loop_ref) == sizeof(uint64_t),
	      "loop_ref must fit epoll_data");

extern const char *const loop_type_str[];

int loop_init(void);
int loop_add(int fd, uint32_t events, enum loop_type type, uint32_t idx);
int loop_mod(int fd, uint32_t events, enum loop_type type, uint32_t idx);
int loop_del(int fd);
int loop_wait(struct epoll_event *ev, int max, int timeout_ms);
