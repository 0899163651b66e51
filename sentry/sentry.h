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
 * sockets' deferred work once, and write the frames queued meanwhile
 * (tap_tx_flush(): runs of TCP segments leave as TSO super-frames) before
 * the next wait.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "gofer_spawn.h"
#include "intercept.h"
#include "sandbox.h"
#include "tap/tap.h"

#ifndef SENTRY_LISTENERS_MAX
#define SENTRY_LISTENERS_MAX 64 /* seccomp listeners: init + live execs */
#endif

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
 * @listener:	Seccomp listeners, owned; -1 for a free slot. [0] is the
 *		init's (-1 until the stub sent it), the others come from
 *		`runsc exec` over the control socket
 * @sigfd:	signalfd, owned
 * @relay:	Published ports
 * @nrelay:	Number of @relay entries
 * @exec_err:	errno of a failed execve, 0 if none
 * @adopted:	The init stub sent its listener message
 * @exec_ok:	The workload's execve succeeded
 * @status:	Workload's wait status, -1 until known
 * @argv0:	Command name, for messages
 * @hold:	OCI: acknowledge the init's listener only at CTL_START
 * @started:	CTL_START was served (or @hold is false)
 * @pty:	OCI terminal: pty master from the stub, owned; -1 if none
 * @exit_fd:	OCI: file that receives the wait status at the end; -1
 * @init_err:	The stub's last error message, "" if none
 * @join:	Connection to the sentry that serves our guest's sockets
 *		(docker --network=container:X), owned; -1: we serve them
 * @gofer:	The gofer: socket for mediated opens (-1: none), the init
 *		stub's until it has it, pid
 */
struct sentry {
	enum net_mode mode;
	struct tap tap;
	struct sandbox sb;
	int listener[SENTRY_LISTENERS_MAX];
	int sigfd;
	struct relay_port relay[SENTRY_RELAY_MAX];
	int nrelay;
	int exec_err;
	bool adopted;
	bool exec_ok;
	int status;
	const char *argv0;
	bool hold;
	bool started;
	int pty;
	int exit_fd;
	char init_err[256];
	int join;
	struct gofer_conn gofer;
};

void sentry_init(struct sentry *s);
int sentry_stub_msg(struct sentry *s);
int sentry_add_listener(struct sentry *s, int fd);
int sentry_setup_signals(struct sentry *s);
int sentry_exit_like(int status);
int sentry_run(struct sentry *s);
