// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boot.c - the sentry of an OCI container
 *
 * See boot.h for the theory of operation.
 */
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base.h"
#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "ctl.h"
#include "ctlsrv.h"
#include "dnsfwd.h"
#include "fd.h"
#include "gofer_spawn.h"
#include "ifbuild.h"
#include "log.h"
#include "loop.h"
#include "netstack/netstack.h"
#include "pcaplog.h"
#include "proc.h"
#include "sentry.h"
#include "sock.h"

#define BOOT_STUB_TIMEOUT_MS 60000 /* init stub: file view + listener */

/**
 * boot_send() - Send one message on the create/sentry pair
 * @sync:	Socket
 * @type:	enum boot_msg_type
 * @pid:	init pid (BOOT_NS_READY)
 * @fd:		Descriptor to pass, or -1
 * @text:	Message (BOOT_FAIL), or NULL
 *
 * Return: 0 or -errno
 */
int boot_send(int sync, enum boot_msg_type type, pid_t pid, int fd,
	      const char *text)
{
	struct boot_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.init_pid = pid;
	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	return fd_send(sync, &m, sizeof(m), &fd, fd >= 0 ? 1 : 0);
}

/**
 * boot_recv() - Receive one message, waiting at most @timeout_ms
 * @sync:	Socket
 * @timeout_ms:	Bound on the wait (-1: none)
 * @m:		Result (text NUL-terminated)
 * @fd:		Received descriptor or -1 (may be NULL: it is closed)
 *
 * Return: 0, -ETIMEDOUT, -EPIPE (peer gone), -EBADMSG, or -errno
 */
int boot_recv(int sync, int timeout_ms, struct boot_msg *m, int *fd)
{
	int f = -1, nfd = 1, r = fd_wait_in(sync, timeout_ms);
	ssize_t n;

	if (r < 0)
		return r;
	n = fd_recv(sync, m, sizeof(*m), &f, &nfd);
	if (!nfd)
		f = -1;
	if (n != (ssize_t)sizeof(*m) || m->type > BOOT_FAIL) {
		if (f >= 0)
			close(f);
		return n == 0 ? -EPIPE : n < 0 ? (int)n : -EBADMSG;
	}
	m->text[sizeof(m->text) - 1] = '\0';
	if (fd)
		*fd = f;
	else if (f >= 0)
		close(f);
	return 0;
}

/**
 * failf() - Tell create why we stop, log it, exit
 * @a:		Arguments (the pair)
 * @fmt:	printf format
 */
static __attribute__((noreturn, format(printf, 2, 3))) void
failf(const struct boot_args *a, const char *fmt, ...)
{
	char text[496];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pcaplog_close(true); /* capture files of a sandbox that never ran */
	boot_send(a->sync, BOOT_FAIL, 0, -1, text);
	_exit(1);
}

/**
 * enter_netns() - Put the sentry in the container's network namespace
 * @a:	Arguments
 *
 * Return: 0 or -errno
 */
static int enter_netns(const struct boot_args *a)
{
	_cleanup_close_ int fd = -1;

	if (a->own_netns)
		return unshare(CLONE_NEWNET) ? -errno : 0;
	if (!a->netns_path)
		return 0;
	fd = open(a->netns_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		return -errno;
	return 0;
}

/**
 * join_namespaces() - setns() into the other namespaces the spec names
 * @spec:	Spec
 *
 * The pid namespace applies to the init stub (our next child); mount and
 * user namespaces by path are refused.
 *
 * Return: 0 or -errno
 */
static int join_namespaces(const struct spec *spec)
{
	size_t i;
	int fd, r;

	for (i = 0; i < spec->lx.n_namespaces; i++) {
		const struct spec_namespace *ns = &spec->lx.namespaces[i];

		if (!ns->path || ns->type == SPEC_NS_NETWORK)
			continue;
		if (ns->type == SPEC_NS_MOUNT || ns->type == SPEC_NS_USER)
			return -EOPNOTSUPP;
		fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		r = setns(fd, ns->clone_flag) ? -errno : 0;
		close(fd);
		if (r < 0)
			return r;
	}
	return 0;
}

/**
 * wait_listener() - Serve the stub until it handed over the listener
 * @s:	Sentry
 *
 * Return: 0, or a message-worthy -errno (-ENOEXEC: the workload failed)
 */
static int wait_listener(struct sentry *s)
{
	int r;

	while (!s->adopted) {
		if (s->exec_err || s->status >= 0)
			return -ENOEXEC;
		if (s->init_err[0])
			return -ECHILD;
		r = fd_wait_in(s->sb.ctl, BOOT_STUB_TIMEOUT_MS);
		if (r < 0)
			return r;
		r = sentry_stub_msg(s);
		if (r < 0 && r != -EAGAIN)
			return r;
	}
	return 0;
}

/**
 * link_out() - netstack output: one frame to the link
 * @ctx:	struct tap
 * @iov:	Frame
 * @iovcnt:	Pieces
 */
static void link_out(void *ctx, const struct iovec *iov, int iovcnt)
{
	tap_tx(ctx, iov, iovcnt);
}

/**
 * setup_net() - The link, lwIP and socket emulation for the mode
 * @s:	Sentry
 *
 * Return: 0 or -errno
 */
static int setup_net(struct sentry *s)
{
	struct ns_if_config cfg = {.present = false};
	int r;

	if (s->mode == NET_HOST)
		return 0;
	if (s->mode == NET_SANDBOX) {
		r = boot_take_link(&s->tap, &cfg);
		if (r < 0)
			return r;
	}
	ifbuild(&sock_ifv, &cfg);
	r = ns_init(&cfg, link_out, &s->tap);
	if (!r && s->tap.fd >= 0 && s->tap.vnet)
		ns_set_csum_offload(true);
	if (!r)
		r = sock_init(s->mode);
	return r;
}

/**
 * start_dns() - Relay 127.0.0.11 to Docker's embedded DNS, if it is ours
 * @a:	Arguments
 *
 * Only in sandbox mode, in the namespace Docker's hook configured for us
 * (its DNAT rules reach dockerd), and only when the container's
 * resolv.conf names 127.0.0.11 (dnsfwd.h). Without the relay, lookups
 * fail as they would have: the container still starts.
 */
static void start_dns(const struct boot_args *a)
{
	int r;

	if (a->mode != NET_SANDBOX || !a->own_netns || a->join_ctl ||
	    !dnsfwd_wanted(a->spec))
		return;
	r = dnsfwd_start();
	if (r < 0)
		warn_errno(r, "dns: names will not resolve through %s",
			   DNSFWD_ADDR);
}

/**
 * quiet_stdio() - Point fds 0-2 at /dev/null
 *
 * The container's stdio pipes belong to the init stub from now on; the
 * sentry writes only to the log.
 */
static void quiet_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC), i;

	for (i = 0; fd >= 0 && i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/**
 * boot_main() - The OCI sentry: see boot.h
 * @a:	Arguments
 */
void boot_main(const struct boot_args *a)
{
	static struct sentry s;
	struct sandbox_cfg cfg = {.mode = a->mode, .spec = a->spec};
	const struct spec_namespace *uts;
	struct gofer_tree_args tree;
	struct boot_msg m;
	char msg[256];
	int r, status;

	prctl(PR_SET_NAME, "runsc-sandbox");
	sentry_init(&s);
	s.mode = a->mode;
	s.hold = true;
	s.exit_fd = a->exit_fd;
	s.argv0 = a->spec->process.args.v[0];
	uts = spec_ns_find(a->spec, SPEC_NS_UTS);
	if (uts && !uts->path)
		cfg.hostname = a->spec->hostname;
	if (a->join_ctl && (r = ctl_connect(a->join_ctl, &s.join)) < 0)
		failf(a, "the sandbox whose network is shared: %s",
		      strerror(-r));
	if (a->join_ctl)
		s.mode = NET_NONE; /* our own lwIP serves nobody */
	if (a->cgroup && (r = cgroup_join(a->cgroup, getpid())) < 0)
		failf(a, "joining cgroup %s: %s", a->cgroup, strerror(-r));
	if ((r = enter_netns(a)) < 0)
		failf(a, "network namespace: %s", strerror(-r));
	tree = (struct gofer_tree_args){a->bundle, a->spec->root.path, a->fs};
	if ((r = gofer_spawn(&a->files, &tree, &s.gofer)) < 0)
		failf(a, "starting the gofer: %s", strerror(-r));
	cfg.gofer_tree = s.gofer.tree;
	icpt_mediate_opens(a->files.mediated);
	if ((r = join_namespaces(a->spec)) < 0)
		failf(a, "joining namespaces: %s", strerror(-r));
	if ((r = loop_init()) < 0 || (r = sentry_setup_signals(&s)) < 0)
		failf(a, "sentry: %s", strerror(-r));
	r = sandbox_start(&cfg, &s.sb);
	close(s.gofer.tree); /* the stub's now */
	s.gofer.tree = -1;
	if (r < 0)
		failf(a, "starting the container's init: %s", strerror(-r));
	r = wait_listener(&s);
	if (r == -ENOEXEC && s.exec_err) {
		container_errmsg(s.exec_err, &a->spec->process, msg,
				 sizeof(msg));
		failf(a, "unable to start container process: %s", msg);
	}
	if (r < 0 && s.init_err[0])
		failf(a, "%s", s.init_err);
	if (r < 0)
		failf(a, "container init failed: %s", strerror(-r));
	boot_send(a->sync, BOOT_NS_READY, s.sb.init_pid, s.pty, NULL);
	if (s.pty >= 0) {
		close(s.pty);
		s.pty = -1;
	}
	r = boot_recv(a->sync, -1, &m, NULL);
	if (r < 0 || m.type != BOOT_GO)
		_exit(1); /* create failed (hooks) and kills us */
	if ((r = pcaplog_open(a->pcap_log, a->pcap_log_lo, a->id, a->mode)) < 0)
		failf(a, "packet capture: %s", strerror(-r));
	snprintf(msg, sizeof(msg), "runsc-sandbox %s", a->id);
	proc_title_set(msg); /* the verb's arguments are not used after this */
	if ((r = setup_net(&s)) < 0)
		failf(a, "network: %s", strerror(-r));
	start_dns(a);
	if ((r = ctlsrv_listen(a->ctl_path)) < 0)
		failf(a, "control socket %s: %s", a->ctl_path, strerror(-r));
	quiet_stdio();
	boot_send(a->sync, BOOT_READY, 0, -1, NULL);
	close(a->sync);
	status = sentry_run(&s);
	gofer_stop(&s.gofer);
	dnsfwd_stop();
	ctlsrv_close(&s);
	pcaplog_close(false);
	if (status < 0) {
		err_errno(status, "sentry: serving the container");
		status = 255 << 8;
	}
	if (s.exec_err)
		status = 127 << 8;
	snprintf(msg, sizeof(msg), "%d", status);
	(void)!pwrite(s.exit_fd, msg, strlen(msg), 0);
	exit(sentry_exit_like(status));
}
