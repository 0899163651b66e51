// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isolate.c - the sentry's steady-state syscall allowlist
 */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "base.h"
#include "gofer/tree.h"
#include "log.h"
#include "proc.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

#if defined(__SANITIZE_ADDRESS__)
#define ISOLATE_SANITIZER 1 /* LeakSanitizer ptraces us from a clone */
#else
#define ISOLATE_SANITIZER 0
#endif

/* Unconditionally allowed: the loop, memory, files under /proc, exit */
static const int allowed[] = {
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(read),
    SCMP_SYS(readv),
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(pwrite64),
    SCMP_SYS(recvfrom),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendto),
    SCMP_SYS(sendmsg),
    SCMP_SYS(shutdown),
    SCMP_SYS(setsockopt),
    SCMP_SYS(getsockopt),
    SCMP_SYS(accept4),
    SCMP_SYS(close),
    SCMP_SYS(fcntl),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(stat),
    SCMP_SYS(statx),
    SCMP_SYS(lseek),
    SCMP_SYS(openat),
    SCMP_SYS(pidfd_open),
    SCMP_SYS(pidfd_getfd),
    SCMP_SYS(process_vm_readv),
    SCMP_SYS(process_vm_writev),
    SCMP_SYS(brk),
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(madvise),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(tgkill),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(wait4),
    SCMP_SYS(waitid),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(getrandom),
    SCMP_SYS(futex),
};

/* seccomp listener requests: nothing else may be ioctl'd */
static const unsigned long ioctls[] = {
    SECCOMP_IOCTL_NOTIF_RECV,	   SECCOMP_IOCTL_NOTIF_SEND,
    SECCOMP_IOCTL_NOTIF_ID_VALID,  SECCOMP_IOCTL_NOTIF_ADDFD,
    SECCOMP_IOCTL_NOTIF_SET_FLAGS,
};

#define UNLINK_DIRS 4 /* directory fds unlinkat() may be relative to */

static int unlink_dirs[UNLINK_DIRS];
static unsigned int n_unlink_dirs;

/**
 * isolate_allow_unlinkat() - Let the loop unlinkat() in one directory
 * @dirfd:	Directory fd, open until the sentry exits
 *
 * For the control socket's state directory, removed when the sandbox ends
 * (ctlsrv_close()). Call before isolate_sentry(); the same fd again is a
 * no-op.
 *
 * Return: 0, or -ENOSPC
 */
int isolate_allow_unlinkat(int dirfd)
{
	unsigned int i;

	for (i = 0; i < n_unlink_dirs; i++)
		if (unlink_dirs[i] == dirfd)
			return 0;
	if (n_unlink_dirs >= UNLINK_DIRS)
		return -ENOSPC;
	unlink_dirs[n_unlink_dirs++] = dirfd;
	return 0;
}

/**
 * add_rules() - The allowlist
 * @ctx:	Filter under construction
 *
 * Return: 0 or -errno from libseccomp
 */
static int add_rules(scmp_filter_ctx ctx)
{
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < ARRAY_SIZE(allowed); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (i = 0; !r && i < ARRAY_SIZE(ioctls); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_EQ, ioctls[i]));
	/* guest sockets are AF_UNIX pairs; nothing else is created */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair),
				     1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	for (i = 0; !r && i < n_unlink_dirs; i++)
		r = seccomp_rule_add(
		    ctx, SCMP_ACT_ALLOW, SCMP_SYS(unlinkat), 1,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)unlink_dirs[i]));
	/* kill: forwarding signals to the guest's init only (pid > 0) */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
				     SCMP_A0(SCMP_CMP_GT, 0));
	return r;
}

/**
 * empty_root() - A detached read-only tmpfs holding a clone of /proc
 *
 * Return: mount fd, or -errno
 */
static int empty_root(void)
{
	struct mount_attr ro = {.attr_set =
				    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC};
	int m = tree_fs_mount("tmpfs", "size=4k,mode=0555", 0), proc = -1;
	int at = -1, r = 0;

	if (m < 0)
		return m;
	if (mkdirat(m, "proc", 0555) ||
	    (at = openat(m, "proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (proc = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc",
				 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				     AT_RECURSIVE)) < 0 ||
	    syscall(SYS_move_mount, proc, "", at, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) ||
	    syscall(SYS_mount_setattr, m, "", AT_EMPTY_PATH, &ro, sizeof(ro)))
		r = -errno;
	if (proc >= 0)
		close(proc);
	if (at >= 0)
		close(at);
	if (r && m >= 0)
		close(m);
	return r ? r : m;
}

/**
 * isolate_fs() - Give up the host's file system (see isolate.h)
 *
 * The empty root is attached over /tmp (or /) of our new, private mount
 * namespace, and pivot_root makes it "/"; the old root is detached.
 *
 * Return: 0 or -errno (logged)
 * #syscalls:setup unshare mount mkdirat open_tree
 * #syscalls:setup move_mount mount_setattr
 */
int isolate_fs(void)
{
	const char *at = access("/tmp", F_OK) ? "/" : "/tmp";
	int m = -1, r = 0;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		r = -errno;
	else if ((m = empty_root()) < 0)
		r = m;
	else if (syscall(SYS_move_mount, m, "", AT_FDCWD, at,
			 MOVE_MOUNT_F_EMPTY_PATH))
		r = -errno;
	else
		r = proc_pivot(at);
	if (m >= 0)
		close(m);
	if (r)
		err_errno(r, "isolate: giving up the host's files");
	return r;
}

/**
 * isolate_sentry() - Load the allowlist (last stage, before the loop)
 *
 * Return: 0 or -errno
 */
int isolate_sentry(void)
{
	scmp_filter_ctx ctx;
	int r;

	if (ISOLATE_SANITIZER) {
		debug("isolate: sanitizer build, the sentry stays unconfined");
		return 0;
	}
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return -ENOMEM;
	r = add_rules(ctx);
	if (!r)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		err_errno(r, "isolate: loading the sentry's seccomp filter");
	return r;
}
