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
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "ctl.h"
#include "ctlsrv.h"
#include "dnsfwd.h"
#include "fd.h"
#include "fsclient.h"
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
 * sentry_init() - Initial values of a sentry (every fd -1)
 * @s:	Sentry
 */
void sentry_init(struct sentry *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->tap.fd = s->sigfd = s->join = s->gofer.sock = s->gofer.tree = -1;
	s->pty = s->exit_fd = s->sb.ctl = s->sb.pidfd = -1;
	s->status = -1;
	for (i = 0; i < SENTRY_LISTENERS_MAX; i++)
		s->listener[i] = -1;
}

/**
 * sentry_add_listener() - Serve one more seccomp listener
 * @s:	Sentry
 * @fd:	Listener, consumed
 *
 * With @s->join, the listener goes to the sentry we share the network of.
 *
 * Return: slot (0 when handed on), or -errno (-EMFILE when every slot is
 * taken)
 */
int sentry_add_listener(struct sentry *s, int fd)
{
	static struct ctl_msg reply;
	int i, r;

	if (s->join >= 0) { /* the sentry whose network we share serves it */
		r = ctl_send(s->join, CTL_EXEC, 0, NULL, 0, &fd, 1);
		close(fd);
		if (!r)
			r = ctl_recv(s->join, &reply);
		if (!r)
			ctl_msg_close_fds(&reply);
		return r < 0 ? r : reply.hdr.err;
	}
	for (i = 0; i < SENTRY_LISTENERS_MAX; i++)
		if (s->listener[i] < 0)
			break;
	if (i == SENTRY_LISTENERS_MAX) {
		close(fd);
		return -EMFILE;
	}
	r = icpt_setup_listener(fd);
	if (!r)
		r = loop_add(fd, EPOLLIN, LOOP_NOTIFY, (uint32_t)i);
	if (r < 0) {
		close(fd);
		return r;
	}
	s->listener[i] = fd;
	return i;
}

/**
 * start_reply() - Answer a pending CTL_START with the execve outcome
 * @e:	0, or the packed error of the workload's setup (container.h)
 *
 * A failure carries the packed value as decimal text in the payload.
 */
static void start_reply(int e)
{
	char msg[32] = "";

	if (e)
		snprintf(msg, sizeof(msg), "%d", e);
	ctlsrv_reply_start(e ? -ENOEXEC : 0, msg);
}

/**
 * sentry_stub_msg() - Receive and act on one message from the init stub
 * @s:	Sentry
 *
 * Return: 0, -EAGAIN if none was ready, or -errno when the stub is gone
 * #syscalls recvmsg write
 */
int sentry_stub_msg(struct sentry *s)
{
	struct sb_msg m;
	int fd = -1, nfd = 1, r;
	ssize_t n;

	n = fd_recv(s->sb.ctl, &m, sizeof(m), &fd, &nfd);
	if (n == -EAGAIN || n == -EINTR)
		return -EAGAIN;
	if (n < (ssize_t)SB_MSG_HDR) {
		if (nfd)
			close(fd);
		return n < 0 ? (int)n : -EPIPE;
	}
	switch (m.type) {
	case SB_MSG_LISTENER:
		s->adopted = true;
		if (nfd) {
			r = sentry_add_listener(s, fd);
			if (r < 0)
				return r;
		}
		return s->hold ? 0 : sandbox_ack(&s->sb);
	case SB_MSG_PTY:
		if (nfd && s->pty < 0) {
			s->pty = fd;
			return 0;
		}
		break;
	case SB_MSG_EXEC_ERR:
		s->exec_err = m.val;
		start_reply(m.val);
		break;
	case SB_MSG_EXEC_OK:
		s->exec_ok = true;
		start_reply(0);
		break;
	case SB_MSG_INIT_ERR:
		m.text[MIN((size_t)n - SB_MSG_HDR, sizeof(m.text) - 1)] = '\0';
		snprintf(s->init_err, sizeof(s->init_err), "%s",
			 n > (ssize_t)SB_MSG_HDR ? m.text : "");
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
 * stub_readable() - The stub's control socket is readable
 * @s:	Sentry
 *
 * Return: 0, or -errno when the stub is gone
 */
static int stub_readable(struct sentry *s)
{
	int r = sentry_stub_msg(s);

	return r == -EAGAIN ? 0 : r;
}

/**
 * on_notify() - Serve pending guest syscalls
 * @s:		Sentry
 * @slot:	Listener slot
 * @events:	EPOLL* bits of the listener
 * #syscalls poll
 */
static void on_notify(struct sentry *s, uint32_t slot, uint32_t events)
{
	int lfd = s->listener[slot], i, r = 0;
	struct pollfd p = {.fd = lfd, .events = POLLIN};

	/* NOTIF_RECV blocks whatever O_NONBLOCK says: receive only what
	 * poll reports as pending */
	for (i = 0; i < NOTIFY_BUDGET; i++) {
		if (i && (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN)))
			break;
		r = icpt_serve(lfd);
		if (r <= 0)
			break;
	}
	if (r < 0 || ((events & EPOLLHUP) && !(events & EPOLLIN))) {
		loop_del(lfd);
		close(lfd);
		s->listener[slot] = -1;
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
 * reap_gofer() - Collect the gofer if it has exited
 * @s:	Sentry
 *
 * Without mediated opens it ends once the tree is built; one that ends
 * while serving opens leaves them failing with EIO (closed, never open).
 * #syscalls wait4
 */
static void reap_gofer(struct sentry *s)
{
	int st;

	if (s->gofer.pid <= 0 || waitpid(s->gofer.pid, &st, WNOHANG) <= 0)
		return;
	s->gofer.pid = 0;
	if (s->gofer.sock >= 0 || st)
		warn("gofer: exited (status %d)%s", st,
		     s->gofer.sock >= 0 ? ": the guest's opens now fail" : "");
}

/**
 * on_signal() - Forward signals to the guest's init
 * @s:	Sentry
 *
 * Signals from the terminal (SI_KERNEL) already reached the workload, which
 * shares our process group; others are passed on. SIGCHLD reaps the gofer.
 * #syscalls read kill
 */
static void on_signal(struct sentry *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			reap_gofer(s);
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
		on_notify(s, ref.idx, ev->events);
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
	case LOOP_DNS:
		dnsfwd_event(ref.idx, ev->events);
		break;
	case LOOP_CHILD:
		if (ref.idx == CHILD_PIDFD) {
			*done = true;
		} else if (stub_readable(s) < 0) {
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
 * sentry_setup_signals() - Block forwarded signals and read them from a signalfd
 * @s:	Sentry
 *
 * Return: 0 or -errno
 */
int sentry_setup_signals(struct sentry *s)
{
	static const int sigs[] = {SIGHUP,  SIGINT,  SIGQUIT,  SIGTERM,
				   SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT,
				   SIGALRM, SIGTSTP, SIGCHLD};
	unsigned int i;
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return s->sigfd < 0 ? -errno : 0;
}

/**
 * sentry_exit_like() - Leave with the workload's wait status
 * @status:	Wait status
 *
 * Return: exit code (when the status is not a signal that can be raised)
 */
int sentry_exit_like(int status)
{
	sigset_t all;
	int sig;

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	sig = WTERMSIG(status);
	if (sig != SIGKILL && sig != SIGSTOP) {
		signal(sig, SIG_DFL);
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		raise(sig);
	}
	return 128 + sig;
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
		r = fsc_init(s->gofer.sock);
	if (!r)
		r = isolate_fs();
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
		/* what this pass (or the setup before it) sent leaves now, TCP
		 * runs as super-frames: nothing waits across the sleep */
		tap_tx_flush(&s->tap);
		n = loop_wait(ev, LOOP_EVENTS, timeout);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++)
			dispatch(s, &ev[i], &done);
		ns_poll();
		dnsfwd_poll(); /* queries looped to 127.0.0.11 by ns_poll() */
		sock_deferred();
		sock_expire();
		tap_cap_tick();
		if (now_ms() >= next_sweep) {
			sock_sweep();
			dnsfwd_sweep();
			next_sweep = now_ms() + SWEEP_MS;
		}
	}
	tap_tx_flush(&s->tap); /* the frames of the last pass */
	while (sentry_stub_msg(s) == 0 && s->status < 0)
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
