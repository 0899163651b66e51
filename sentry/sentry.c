// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry.c - the loop of a running sandbox
 *
 * See sentry.h for the theory of operation.
 */
#include "sentry.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "ctlsrv.h"
#include "fd.h"
#include "isolate.h"
#include "log.h"
#include "loop.h"
#include "netstack/netstack.h"
#include "sock.h"

#define LOOP_EVENTS 64	 /* events handled per wake-up */
#define NOTIFY_BUDGET 64 /* notifications served per wake-up */
#define SWEEP_MS 1000	 /* period of the held-call sweep */
#define CHILD_CTL 0	 /* LOOP_CHILD index: the stub's control socket */
#define CHILD_PIDFD 1	 /* LOOP_CHILD index: the stub's pidfd */

/**
 * now_ms() - Monotonic time in milliseconds
 *
 * Return: milliseconds
 */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * on_ctl() - A message from the init stub
 * @s:	Sentry
 *
 * Return: 0, or -errno when the stub is gone
 * #syscalls recvmsg write
 */
static int on_ctl(struct sentry *s)
{
	struct sb_msg m;
	int fd = -1, nfd = 1, r;
	ssize_t n;

	n = fd_recv(s->sb.ctl, &m, sizeof(m), &fd, &nfd);
	if (n == -EAGAIN || n == -EINTR)
		return 0;
	if (n != sizeof(m)) {
		if (nfd)
			close(fd);
		return n < 0 ? (int)n : -EPIPE;
	}
	switch (m.type) {
	case SB_MSG_LISTENER:
		if (nfd) {
			s->listener = fd;
			r = icpt_setup_listener(fd);
			if (!r)
				r = loop_add(fd, EPOLLIN, LOOP_NOTIFY, 0);
			if (r < 0)
				return r;
		}
		return sandbox_ack(&s->sb);
	case SB_MSG_EXEC_ERR:
		s->exec_err = m.val;
		break;
	case SB_MSG_EXIT:
		s->status = m.val;
		break;
	}
	if (nfd)
		close(fd);
	return 0;
}

/**
 * on_notify() - Serve pending guest syscalls
 * @s:		Sentry
 * @events:	EPOLL* bits of the listener
 * #syscalls poll
 */
static void on_notify(struct sentry *s, uint32_t events)
{
	struct pollfd p = {.fd = s->listener, .events = POLLIN};
	int i, r = 0;

	/* NOTIF_RECV blocks whatever O_NONBLOCK says: receive only what
	 * poll reports as pending */
	for (i = 0; i < NOTIFY_BUDGET; i++) {
		if (i && (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN)))
			break;
		r = icpt_serve(s->listener);
		if (r <= 0)
			break;
	}
	if (r < 0 || ((events & EPOLLHUP) && !(events & EPOLLIN))) {
		loop_del(s->listener);
		close(s->listener);
		s->listener = -1;
	}
}

/**
 * on_tap() - Feed received frames to netstack
 * @s:	Sentry
 */
static void on_tap(struct sentry *s)
{
	int n, i;

	n = tap_rx_burst(&s->tap);
	for (i = 0; i < n; i++) {
		if (s->tap.csum_ok[i])
			ns_input_frame_csum_ok(tap_frame(&s->tap, i),
					       s->tap.len[i]);
		else
			ns_input_frame(tap_frame(&s->tap, i), s->tap.len[i]);
	}
}

/**
 * on_relay_listen() - Accept host connections on a published port
 * @s:	Sentry
 * @i:	Relay index
 * #syscalls accept4
 */
static void on_relay_listen(struct sentry *s, uint32_t i)
{
	struct relay_port *p = &s->relay[i];
	int fd, k, r;

	for (k = 0; k < LOOP_EVENTS; k++) {
		fd = accept4(p->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;
		r = sock_relay_new(fd, (struct sockaddr *)&p->guest,
				   p->guestlen);
		if (r < 0)
			debug_errno(r, "relay: connection to the sandbox");
	}
}

/**
 * on_signal() - Forward signals to the guest's init
 * @s:	Sentry
 *
 * Signals from the terminal (SI_KERNEL) already reached the workload, which
 * shares our process group; others are passed on.
 * #syscalls read kill
 */
static void on_signal(struct sentry *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD || si.ssi_code == SI_KERNEL)
			continue;
		kill(s->sb.init_pid, (int)si.ssi_signo);
	}
}

/**
 * dispatch() - The one switch over ready fds
 * @s:		Sentry
 * @ev:		Event
 * @done:	Set when the guest's init has exited
 */
static void dispatch(struct sentry *s, const struct epoll_event *ev, bool *done)
{
	union loop_ref ref = {.u64 = ev->data.u64};

	switch (ref.type) {
	case LOOP_NOTIFY:
		on_notify(s, ev->events);
		break;
	case LOOP_TAP:
		on_tap(s);
		break;
	case LOOP_SOCK:
		sock_fd_event(ref.idx, ev->events);
		break;
	case LOOP_RELAY_LISTEN:
		on_relay_listen(s, ref.idx);
		break;
	case LOOP_SIGNAL:
		on_signal(s);
		break;
	case LOOP_CTL_LISTEN:
		ctlsrv_accept(s);
		break;
	case LOOP_CTL_CONN:
		ctlsrv_event(s, ref.idx, ev->events);
		break;
	case LOOP_PCAP_OUT:
		ctlsrv_pcap_event(s, ref.idx, ev->events);
		break;
	case LOOP_CHILD:
		if (ref.idx == CHILD_PIDFD) {
			*done = true;
		} else if (on_ctl(s) < 0) {
			loop_del(s->sb.ctl);
		}
		break;
	default:
		ASSERT(0);
	}
}

/**
 * register_fds() - Put every long-lived fd in the loop
 * @s:	Sentry
 *
 * Return: 0 or -errno
 */
static int register_fds(struct sentry *s)
{
	int r, i;

	r = loop_add(s->sb.ctl, EPOLLIN, LOOP_CHILD, CHILD_CTL);
	if (!r)
		r = loop_add(s->sb.pidfd, EPOLLIN, LOOP_CHILD, CHILD_PIDFD);
	if (!r)
		r = loop_add(s->sigfd, EPOLLIN, LOOP_SIGNAL, 0);
	if (!r && s->tap.fd >= 0)
		r = loop_add(s->tap.fd, EPOLLIN, LOOP_TAP, 0);
	for (i = 0; !r && i < s->nrelay; i++)
		r = loop_add(s->relay[i].fd, EPOLLIN, LOOP_RELAY_LISTEN,
			     (uint32_t)i);
	return r;
}

/**
 * sentry_run() - Serve the sandbox until its init exits
 * @s:	Sentry, with loop, netstack, sockets, link and sandbox set up
 *
 * Return: the workload's wait status (>= 0), or -errno
 * #syscalls epoll_wait waitid
 */
int sentry_run(struct sentry *s)
{
	struct epoll_event ev[LOOP_EVENTS];
	uint64_t next_sweep = now_ms() + SWEEP_MS;
	int n, i, status, timeout, r;
	bool done = false;

	/* steady state allocates pbufs of up to 64 KiB at frame rate: keep
	 * them on the heap and never give the heap back (no brk churn) */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	r = register_fds(s);
	if (!r)
		r = isolate_sentry();
	if (r < 0)
		return r;
	while (!done) {
		timeout = ns_timeout_ms();
		if (timeout < 0 || timeout > SWEEP_MS)
			timeout = SWEEP_MS;
		r = sock_timeout_ms();
		if (r >= 0 && r < timeout)
			timeout = r;
		r = tap_cap_timeout_ms(); /* --pcap-log flush */
		if (r >= 0 && r < timeout)
			timeout = r;
		n = loop_wait(ev, LOOP_EVENTS, timeout);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++)
			dispatch(s, &ev[i], &done);
		ns_poll();
		sock_deferred();
		sock_expire();
		tap_cap_tick();
		if (now_ms() >= next_sweep) {
			sock_sweep();
			next_sweep = now_ms() + SWEEP_MS;
		}
	}
	while (on_ctl(s) == 0 && s->status < 0)
		; /* a last message may still be queued */
	if (waitpid(s->sb.init_pid, &status, 0) < 0)
		status = 0;
	if (s->status < 0 && !s->exec_err) {
		err("sandbox: init exited before the workload (status %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -ECHILD;
	}
	return s->status >= 0 ? s->status : status;
}
