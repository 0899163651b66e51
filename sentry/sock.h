/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock.h - guest sockets: control emulated, data on a socketpair
 *
 * Theory of operation
 *
 * Each emulated guest socket is an AF_UNIX stream socketpair made by the
 * sentry. The guest's end is injected as the result of socket()/accept(),
 * so read, write, poll, epoll, dup, fork and SCM_RIGHTS run natively on it;
 * the sentry keeps only its own end (struct gsock.fd) and pumps bytes
 * between it and an ns_sock. A guest fd is matched to its gsock by the
 * inode of the guest's end. Rules (design.md section 4):
 *  - close: the guest's last close is EPOLLHUP on our end; remaining bytes
 *    are sent, then the TCP connection is closed (RST if data was unread);
 *  - half-close: the guest's shutdown(SHUT_WR) runs natively on its end and
 *    we read EOF (FIN); a peer FIN becomes shutdown(SHUT_WR) on our end;
 *  - reset: our end is closed with one unread byte in it, so the guest's
 *    next read fails with ECONNRESET and writes with EPIPE;
 *  - back-pressure: we read from the guest only what tcp_sndbuf allows and
 *    open the receive window only for bytes the guest's end accepted;
 *  - listeners hold one token byte per pending connection in the guest's
 *    end, so poll/epoll on a listener works; accept consumes one;
 *  - non-blocking connect fills the guest's end with filler bytes so it is
 *    not writable before the handshake; they are drained afterwards;
 *  - blocking accept/connect are held: the reply is sent when netstack
 *    reports the event (a new call from the same thread drops a held one).
 * Relayed host connections (-p) use the same pump with a host TCP fd.
 * Ownership: sock.c owns every gsock, its fd and its ns_sock.
 */
#pragma once

#include <stdint.h>
#include <sys/socket.h>

#include "ifview.h"
#include "intercept.h"

#ifndef SOCK_MAX
#define SOCK_MAX 16384 /* concurrent guest sockets and relayed connections */
#endif

int sock_init(enum net_mode mode);
extern struct ifview sock_ifv; /* filled by the owner before guests run */
int64_t sock_syscall(struct gcall *c);
void sock_held_drop_tid(pid_t tid);
void sock_fd_event(uint32_t idx, uint32_t events);
void sock_deferred(void);
void sock_sweep(void);
int sock_timeout_ms(void);
void sock_expire(void);
int sock_relay_new(int hostfd, const struct sockaddr *dst, socklen_t len);
unsigned int sock_count(void);
