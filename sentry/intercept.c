// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * intercept.c - the guest filter and the notification path
 */
#include "intercept.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <seccomp.h>

#include "base.h"
#include "fsclient.h"
#include "log.h"
#include "sock.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

const char *const net_mode_str[] = {"sandbox", "none", "host"};
static_assert(ARRAY_SIZE(net_mode_str) == NET_NUM_MODES,
	      "net_mode_str out of sync");

/* Emulated in sandbox and none modes: always trapped. */
static const int trapped[] = {
    SCMP_SYS(socket),	  SCMP_SYS(socketpair),	 SCMP_SYS(connect),
    SCMP_SYS(bind),	  SCMP_SYS(listen),	 SCMP_SYS(accept),
    SCMP_SYS(accept4),	  SCMP_SYS(getsockname), SCMP_SYS(getpeername),
    SCMP_SYS(getsockopt), SCMP_SYS(shutdown),	 SCMP_SYS(sendmsg),
    SCMP_SYS(recvmsg),	  SCMP_SYS(sendmmsg),	 SCMP_SYS(recvmmsg),
};

/* Served by the gofer with --file-access=mediated (fsclient.c) */
static const int trapped_open[] = {
    SCMP_SYS(open),
    SCMP_SYS(openat),
    SCMP_SYS(openat2),
    SCMP_SYS(creat),
};

static bool mediate_opens;

/**
 * struct deny - a syscall the guest never reaches, and its errno
 * @nr:		Syscall
 * @err:	Positive errno returned
 */
struct deny {
	int nr;
	int err;
};

static const struct deny denied[] = {
    {SCMP_SYS(io_uring_setup), ENOSYS},
    {SCMP_SYS(io_uring_enter), ENOSYS},
    {SCMP_SYS(io_uring_register), ENOSYS},
    {SCMP_SYS(bpf), EPERM},
    {SCMP_SYS(kexec_load), EPERM},
    {SCMP_SYS(kexec_file_load), EPERM},
    {SCMP_SYS(init_module), EPERM},
    {SCMP_SYS(finit_module), EPERM},
    {SCMP_SYS(delete_module), EPERM},
    {SCMP_SYS(perf_event_open), EPERM},
    {SCMP_SYS(userfaultfd), EPERM},
    {SCMP_SYS(keyctl), EPERM},
    {SCMP_SYS(add_key), EPERM},
    {SCMP_SYS(request_key), EPERM},
    {SCMP_SYS(lookup_dcookie), EPERM},
    {SCMP_SYS(open_by_handle_at), EPERM},
    {SCMP_SYS(setns), EPERM},
    {SCMP_SYS(fsopen), EPERM},
    {SCMP_SYS(fsmount), EPERM},
    {SCMP_SYS(move_mount), EPERM},
    {SCMP_SYS(open_tree), EPERM},
    {SCMP_SYS(clone3), ENOSYS},
    {SCMP_SYS(vm86), EPERM},
    {SCMP_SYS(vm86old), EPERM},
};

/**
 * add_setsockopt_rules() - setsockopt: trapped, except TCP_CORK
 * @ctx:	Filter under construction
 *
 * Servers like Apache set and clear TCP_CORK around every response; the
 * sentry pushes whatever the guest writes anyway (lwIP's Nagle coalesces),
 * so the filter itself answers 0 and saves two round trips per request.
 *
 * Return: 0 on success, -errno from libseccomp
 */
static int add_setsockopt_rules(scmp_filter_ctx ctx)
{
	int r;

	r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(setsockopt), 1,
			     SCMP_A1(SCMP_CMP_NE, IPPROTO_TCP));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(setsockopt),
				     2, SCMP_A1(SCMP_CMP_EQ, IPPROTO_TCP),
				     SCMP_A2(SCMP_CMP_NE, TCP_CORK));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(0),
				     SCMP_SYS(setsockopt), 2,
				     SCMP_A1(SCMP_CMP_EQ, IPPROTO_TCP),
				     SCMP_A2(SCMP_CMP_EQ, TCP_CORK));
	return r;
}

/**
 * add_notify() - Trap each of a list of syscalls to the sentry, always
 * @ctx:	Filter under construction
 * @nrs:	Syscalls
 * @n:		Their number
 *
 * Return: 0 on success, -errno from libseccomp
 */
static int add_notify(scmp_filter_ctx ctx, const int *nrs, size_t n)
{
	size_t i;
	int r = 0;

	for (i = 0; !r && i < n; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nrs[i], 0);
	return r;
}

/**
 * add_net_rules() - Trap the socket family to the sentry
 * @ctx:	Filter under construction
 *
 * Return: 0 on success, -errno from libseccomp
 */
static int add_net_rules(scmp_filter_ctx ctx)
{
	int r = add_notify(ctx, trapped, ARRAY_SIZE(trapped));

	if (r < 0)
		return r;
	/* With a NULL address they are send()/recv(): native on our pair */
	r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(sendto), 1,
			     SCMP_A4(SCMP_CMP_NE, 0));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(recvfrom),
				     1, SCMP_A4(SCMP_CMP_NE, 0));
	if (!r)
		r = seccomp_rule_add(
		    ctx, SCMP_ACT_NOTIFY, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff00, 0x8900));
	if (!r)
		r = add_setsockopt_rules(ctx);
	return r;
}

/**
 * add_deny_rules() - Return errors for what must never reach the host
 * @ctx:	Filter under construction
 *
 * Return: 0 on success, -errno from libseccomp
 */
static int add_deny_rules(scmp_filter_ctx ctx)
{
	const uint64_t nsflags = CLONE_NEWUSER;
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(denied); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(denied[i].err),
				     denied[i].nr, 0);
		if (r < 0 && r != -EDOM && r != -EFAULT)
			return r;
	}
	r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, nsflags, nsflags));
	if (!r)
		r = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, nsflags, nsflags));
	return r;
}

/**
 * icpt_mediate_opens() - Make the filters built from now on trap opens
 * @on:		true: open, openat, openat2 and creat go to the sentry
 *
 * Called by the runtime before sandbox_start() (the guest's processes
 * inherit the setting) when the sentry serves opens through a gofer.
 */
void icpt_mediate_opens(bool on)
{
	mediate_opens = on;
}

/**
 * icpt_filter_load() - Build and load the guest filter (in the guest)
 * @mode:	Network mode: NET_HOST traps no socket call
 * @listener:	Notification fd, CLOEXEC, or -1 in host mode without
 *		mediated opens
 *
 * Called by the guest process itself right before execve, while it still
 * holds CAP_SYS_ADMIN, so no_new_privs is not needed.
 *
 * Return: 0 on success, -errno on failure
 */
int icpt_filter_load(enum net_mode mode, int *listener)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	bool notify = mode != NET_HOST || mediate_opens;
	int r;

	*listener = -1;
	if (!ctx)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (!r)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				     SCMP_ACT_KILL_PROCESS);
	if (!r)
		r = add_deny_rules(ctx);
	if (!r && mode != NET_HOST)
		r = add_net_rules(ctx);
	if (!r && mediate_opens)
		r = add_notify(ctx, trapped_open, ARRAY_SIZE(trapped_open));
	if (!r)
		r = seccomp_load(ctx);
	if (!r && notify) {
		*listener = seccomp_notify_fd(ctx);
		if (*listener < 0)
			r = *listener;
	}
	seccomp_release(ctx);
	return r;
}

/**
 * icpt_setup_listener() - Prepare a listener the sentry just adopted
 * @lfd:	Listener fd
 *
 * Asks for synchronous wake-ups (the guest thread runs on our CPU right
 * after the reply) where the kernel has them; non-blocking receive.
 *
 * Return: 0 (the optional flag's absence is not an error), -errno otherwise
 * #syscalls ioctl fcntl
 */
int icpt_setup_listener(int lfd)
{
	int fl = fcntl(lfd, F_GETFL);

	if (fl < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		  SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0)
		debug("seccomp: no synchronous wake-up on this kernel");
	return 0;
}

/**
 * icpt_valid() - Check that a notification is still pending
 * @c:	Call
 *
 * Return: true if the guest thread still waits for this reply
 * #syscalls ioctl
 */
bool icpt_valid(const struct gcall *c)
{
	uint64_t id = c->id;

	return ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/**
 * icpt_reply() - Answer a call: a value, an error, or "run it natively"
 * @c:		Call
 * @ret:	>= 0 value, -errno, or ICPT_CONTINUE
 *
 * Return: 0 on success, -ENOENT if the call was interrupted meanwhile
 * #syscalls ioctl
 */
int icpt_reply(const struct gcall *c, int64_t ret)
{
	struct seccomp_notif_resp resp = {.id = c->id};

	if (ret == ICPT_CONTINUE)
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (ret < 0)
		resp.error = (int32_t)ret;
	else
		resp.val = ret;
	if (ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return -errno;
	return 0;
}

/**
 * icpt_addfd() - Install @srcfd in the guest and answer with its number
 * @c:		Call
 * @srcfd:	Our descriptor (not consumed)
 * @cloexec:	Set O_CLOEXEC on the guest's descriptor
 *
 * Atomic (SECCOMP_ADDFD_FLAG_SEND): if the call was interrupted, nothing is
 * installed and -ENOENT comes back.
 *
 * Return: the guest's fd number, or -errno
 * #syscalls ioctl
 */
int icpt_addfd(const struct gcall *c, int srcfd, bool cloexec)
{
	struct seccomp_notif_addfd a = {
	    .id = c->id,
	    .flags = SECCOMP_ADDFD_FLAG_SEND,
	    .srcfd = (uint32_t)srcfd,
	    .newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int r = ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_ADDFD, &a);

	return r < 0 ? -errno : r;
}

/**
 * icpt_serve() - Receive and answer one notification
 * @lfd:	Listener fd (non-blocking)
 *
 * Return: 1 if a call was handled, 0 if none was pending, -errno if the
 * listener is dead (all its guest processes are gone)
 * #syscalls ioctl
 */
int icpt_serve(int lfd)
{
	struct seccomp_notif req;
	struct gcall c;
	int64_t ret;

	memset(&req, 0, sizeof(req));
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == ENOENT)
			return 0;
		return -errno;
	}
	c.id = req.id;
	c.tid = (pid_t)req.pid;
	c.nr = req.data.nr;
	c.lfd = lfd;
	memcpy(c.args, req.data.args, sizeof(c.args));
	sock_held_drop_tid(c.tid);
	ret = fsc_owns(c.nr) ? fsc_syscall(&c) : sock_syscall(&c);
	if (ret == ICPT_HELD || ret == ICPT_REPLIED)
		return 1;
	if (icpt_reply(&c, ret) < 0)
		debug("seccomp: reply to %d for syscall %d dropped", c.tid,
		      c.nr);
	return 1;
}
