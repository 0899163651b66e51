// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isolate.c - the gofer's syscall allowlist for serving mediated opens
 *
 * Loaded by gofer_serve_opens() once the mount tree is built: from then on
 * the gofer receives requests, switches to the guest's credentials, opens
 * below the guest's root, writes the audit log and replies. Anything else
 * kills it (the sentry then fails the guest's opens with EIO: closed).
 * tests/check/syscalls.sh checks the "#syscalls:gofer" tags against this
 * table.
 */
#include <errno.h>
#include <time.h>

#include <seccomp.h>

#include "base.h"
#include "gofer/ops.h"
#include "log.h"

#if defined(__SANITIZE_ADDRESS__)
#define GOFER_ISOLATE_SANITIZER 1 /* LeakSanitizer ptraces us from a clone */
#else
#define GOFER_ISOLATE_SANITIZER 0
#endif

static const int gofer_allowed[] = {
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(close),
    SCMP_SYS(openat2),
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(statx),
    SCMP_SYS(fcntl),
    SCMP_SYS(ftruncate),
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(setfsuid),
    SCMP_SYS(setfsgid),
    SCMP_SYS(setgroups),
    SCMP_SYS(getgroups),
    SCMP_SYS(capget),
    SCMP_SYS(capset),
    SCMP_SYS(umask),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(brk),
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(tgkill),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
};

/**
 * gofer_isolate() - Load the serving phase's allowlist
 *
 * Return: 0 or -errno
 */
int gofer_isolate(void)
{
	scmp_filter_ctx ctx;
	unsigned int i;
	int r = 0;

	tzset(); /* gmtime_r() reads the zone once: before confinement */
	if (GOFER_ISOLATE_SANITIZER) {
		debug("gofer: sanitizer build, the gofer stays unconfined");
		return 0;
	}
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return -ENOMEM;
	for (i = 0; !r && i < ARRAY_SIZE(gofer_allowed); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, gofer_allowed[i], 0);
	if (!r)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		err_errno(r, "gofer: loading the seccomp filter");
	return r;
}
