/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sentry.h - the supervisor: one loop serving a sandbox
 *
 * Theory of operation
 *
 * sentry_run() owns the epoll loop of a running sandbox. It wires the link
 * (tap) to netstack, serves the seccomp listener(s) through intercept.c and
 * sock.c, relays published ports, forwards signals to the guest's init and
 * ends when that init exits, returning the workload's wait status. Each
 * iteration: wait (timeout from lwIP's timers), dispatch every ready fd
 * through one switch, then run netstack's loopback and timers and the
 * sockets' deferred work once.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "intercept.h"
#include "sandbox.h"
#include "tap/tap.h"

#ifndef SENTRY_RELAY_MAX
#define SENTRY_RELAY_MAX 16 /* -p entries */
#endif

/**
 * struct relay_port - one published port
 * @host:	Host address to listen on
 * @hostlen:	Its length
 * @guest:	Address inside the sandbox
 * @guestlen:	Its length
 * @fd:		Listening host socket, owned; -1 before start
 */
struct relay_port {
	struct sockaddr_storage host;
	socklen_t hostlen;
	struct sockaddr_storage guest;
	socklen_t guestlen;
	int fd;
};

/**
 * struct sentry - state of one running sandbox
 * @mode:	Network mode
 * @tap:	Link (fd -1 when there is none)
 * @sb:		The guest's init stub
 * @listener:	Seccomp listener, owned; -1 before the stub sent it
 * @sigfd:	signalfd, owned
 * @relay:	Published ports
 * @nrelay:	Number of @relay entries
 * @exec_err:	errno of a failed execve, 0 if none
 * @status:	Workload's wait status, -1 until known
 * @argv0:	Command name, for messages
 */
struct sentry {
	enum net_mode mode;
	struct tap tap;
	struct sandbox sb;
	int listener;
	int sigfd;
	struct relay_port relay[SENTRY_RELAY_MAX];
	int nrelay;
	int exec_err;
	int status;
	const char *argv0;
};

int sentry_run(struct sentry *s);
