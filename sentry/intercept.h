/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * intercept.h - guest syscall interception by seccomp user notification
 *
 * Theory of operation
 *
 * The guest installs, just before execve, the filter built by
 * icpt_filter_load(): it returns SECCOMP_RET_USER_NOTIF for the socket
 * family (sendto/recvfrom only with an address, ioctl only in the SIOC*
 * 0x89xx range; with icpt_mediate_opens() also the open family, served by
 * fsclient.c through the gofer) and an errno for what must never reach the host kernel.
 * The listener fd reaches the sentry by pidfd_getfd; the sentry serves it
 * from its loop: icpt_serve() receives one notification, drops any call
 * held for the same thread (a new call from a thread means its held call was
 * interrupted by a signal), and dispatches to the syscall table.
 *
 * A handler returns a value for the guest (>= 0), a -errno, or one of the
 * ICPT_* dispositions: CONTINUE (let the kernel run the call: only for
 * objects we do not emulate, e.g. AF_UNIX), HELD (the reply comes later,
 * see sock.c), REPLIED (the handler already answered, e.g. with
 * SECCOMP_ADDFD_FLAG_SEND). If the sentry dies, trapped calls fail with
 * ENOSYS: the design fails closed.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define ICPT_CONTINUE (-100000)
#define ICPT_HELD (-100001)
#define ICPT_REPLIED (-100002)

enum net_mode {
	NET_SANDBOX, /* sockets served by lwIP */
	NET_NONE,    /* served by lwIP, loopback only */
	NET_HOST,    /* socket calls go to the host kernel */
	NET_NUM_MODES,
};
extern const char *const net_mode_str[];

/**
 * struct gcall - one trapped guest syscall
 * @id:		Notification id (cookie for the reply)
 * @tid:	Calling thread, host pid namespace
 * @nr:		Syscall number (x86_64)
 * @args:	Raw arguments
 * @lfd:	Listener fd the call came from (not owned)
 */
struct gcall {
	uint64_t id;
	pid_t tid;
	int nr;
	uint64_t args[6];
	int lfd;
};

void icpt_mediate_opens(bool on);
int icpt_filter_load(enum net_mode mode, int *listener);
int icpt_setup_listener(int lfd);
int icpt_serve(int lfd);
int icpt_reply(const struct gcall *c, int64_t ret);
int icpt_addfd(const struct gcall *c, int srcfd, bool cloexec);
bool icpt_valid(const struct gcall *c);
