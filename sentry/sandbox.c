// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sandbox.c - clone the guest's init stub and build its file view
 *
 * See sandbox.h for the theory of operation.
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "container.h"
#include "fd.h"
#include "gofer/tree.h"
#include "log.h"
#include "proc.h"

/* Docker's default capability set (oci-runtime-protocol.md section 6.1) */
static const int default_caps[] = {
    CAP_CHOWN,	 CAP_DAC_OVERRIDE, CAP_FSETID,		 CAP_FOWNER,
    CAP_MKNOD,	 CAP_NET_RAW,	   CAP_SETGID,		 CAP_SETUID,
    CAP_SETFCAP, CAP_SETPCAP,	   CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
    CAP_KILL,	 CAP_AUDIT_WRITE,
};

/* Signals the sentry forwards and the stub passes on to the workload */
static const int fwd_signals[] = {
    SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
    SIGUSR2, SIGWINCH, SIGCONT, SIGALRM, SIGTSTP,
};

static const char *const dev_nodes[] = {
    "null", "zero", "full", "random", "urandom", "tty",
};

/**
 * mnt() - mount(2) with an error message naming the target
 * @src:	Source
 * @dst:	Target
 * @type:	File system type
 * @flags:	MS_* flags
 * @data:	Options
 *
 * Return: 0 or -errno
 */
static int mnt(const char *src, const char *dst, const char *type,
	       unsigned long flags, const char *data)
{
	int r;

	if (!mount(src, dst, type, flags, data))
		return 0;
	r = -errno;
	err_errno(r, "sandbox: mounting %s on %s",
		  type ? type : (src ? src : "(remount)"), dst);
	return r;
}

/**
 * bind_ro() - Read-only bind mount
 * @src:	Source
 * @dst:	Target (must exist)
 * @rec:	Recursive
 *
 * Return: 0 or -errno
 */
static int bind_ro(const char *src, const char *dst, bool rec)
{
	int r = mnt(src, dst, NULL, MS_BIND | (rec ? MS_REC : 0), NULL);

	if (!r)
		r = mnt(NULL, dst, NULL,
			MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, NULL);
	return r;
}

/**
 * skip_submount() - Tell whether a host mount stays out of the guest view
 * @mp:	Mount point
 *
 * Return: true for "/" (the overlay covers it) and the virtual trees the
 * guest gets fresh copies of
 */
static bool skip_submount(const char *mp)
{
	static const char *const skip[] = {"/proc", "/sys", "/dev", "/run",
					   "/tmp"};
	unsigned int i;
	size_t l;

	if (!strcmp(mp, "/"))
		return true;
	for (i = 0; i < ARRAY_SIZE(skip); i++) {
		l = strlen(skip[i]);
		if (!strncmp(mp, skip[i], l) && (!mp[l] || mp[l] == '/'))
			return true;
	}
	return false;
}

/**
 * bind_submounts() - Show the host's other file systems, read-only
 * @root:	New root being built
 *
 * overlayfs does not cross mount points, so /home, /boot and friends on
 * their own file systems are bound read-only where the overlay shows an
 * existing directory.
 */
static void bind_submounts(const char *root)
{
	char line[4096], mp[2048], dst[4200];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct stat st;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %2047s", mp) != 1 ||
		    skip_submount(mp) || strchr(mp, '\\'))
			continue;
		snprintf(dst, sizeof(dst), "%s%s", root, mp);
		if (stat(dst, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (bind_ro(mp, dst, false))
			warn("sandbox: %s not visible in the sandbox", mp);
	}
	fclose(f);
}

/**
 * make_root() - The host's root through an in-memory overlay
 * @root:	Mount point to build it on
 * @fs:		--overlay=none: the host's root itself (writes go through);
 *		--overlay-size: size of the in-memory layer
 *
 * Return: 0 or -errno
 */
static int make_root(const char *root, const struct ctr_fs *fs)
{
	int r;

	/* a private /tmp holds the mount point, not the host's /tmp */
	r = mnt("runsc", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700");
	if (r)
		return r;
	if (mkdir(root, 0755))
		return -errno;
	if (!fs->overlay)
		return mnt("/", root, NULL, MS_BIND | MS_REC, NULL);
	r = tree_overlay_at("/", root, fs->overlay_size, 0);
	if (r) {
		warn("sandbox: no overlay (%s): host files read-only",
		     strerror(-r));
		r = bind_ro("/", root, false);
		if (r)
			return r;
	}
	bind_submounts(root);
	return 0;
}

/**
 * make_dev() - A minimal /dev: the usual nodes, pts, shm
 * @root:	New root
 *
 * Return: 0 or -errno
 */
static int make_dev(const char *root)
{
	static const char *const links[][2] = {
	    {"/proc/self/fd", "fd"},	   {"/proc/self/fd/0", "stdin"},
	    {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
	    {"pts/ptmx", "ptmx"},
	};
	char p[512], h[64];
	unsigned int i;
	int r, fd;

	snprintf(p, sizeof(p), "%s/dev", root);
	r = mnt("tmpfs", p, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755");
	for (i = 0; !r && i < ARRAY_SIZE(dev_nodes); i++) {
		snprintf(p, sizeof(p), "%s/dev/%s", root, dev_nodes[i]);
		snprintf(h, sizeof(h), "/dev/%s", dev_nodes[i]);
		fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		if (mount(h, p, NULL, MS_BIND, NULL) &&
		    strcmp(dev_nodes[i], "tty"))
			r = mnt(h, p, NULL, MS_BIND, NULL);
	}
	for (i = 0; !r && i < ARRAY_SIZE(links); i++) {
		snprintf(p, sizeof(p), "%s/dev/%s", root, links[i][1]);
		if (symlink(links[i][0], p))
			r = -errno;
	}
	snprintf(p, sizeof(p), "%s/dev/pts", root);
	if (!r && !mkdir(p, 0755))
		r = mnt("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
			"newinstance,ptmxmode=0666,mode=0620");
	snprintf(p, sizeof(p), "%s/dev/shm", root);
	if (!r && !mkdir(p, 01777))
		r = mnt("shm", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			"mode=1777");
	return r;
}

/**
 * make_view() - Build the guest's file view and pivot into it
 * @cfg:	Sandbox configuration
 *
 * Runs in the stub, in its new mount namespace; the host's mounts are
 * never touched (everything below is private to that namespace).
 *
 * Return: 0 or -errno
 */
static int make_view(const struct sandbox_cfg *cfg)
{
	static const char root[] = "/tmp/r";
	char p[512];
	int r;

	r = mnt(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (r || cfg->host_fs)
		return r ? r
			 : mnt("proc", "/proc", "proc",
			       MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	r = make_root(root, &cfg->fs);
	snprintf(p, sizeof(p), "%s/proc", root);
	if (!r)
		r = mnt("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			NULL);
	snprintf(p, sizeof(p), "%s/sys", root);
	if (!r && cfg->mode == NET_HOST)
		r = bind_ro("/sys", p, true);
	else if (!r)
		r = mnt("sysfs", p, "sysfs",
			MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (!r)
		r = make_dev(root);
	snprintf(p, sizeof(p), "%s/tmp", root);
	if (!r)
		r = mnt("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	return r ? r : proc_pivot(root);
}

/**
 * drop_caps() - Keep only Docker's default capabilities
 *
 * Return: 0 or -errno
 */
static int drop_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	uint64_t keep = 0;
	unsigned int i;
	int cap;

	for (i = 0; i < ARRAY_SIZE(default_caps); i++)
		keep |= 1ULL << default_caps[i];
	for (cap = 0; cap <= 63; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			return -errno;
	}
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)keep;
	d[1].effective = d[1].permitted = d[1].inheritable =
	    (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}

/**
 * stub_send() - Send a message (and maybe an fd) to the sentry
 * @ctl:	Control socket
 * @type:	enum sb_msg_type
 * @val:	Value
 * @fd:		fd to pass, or -1
 */
static void stub_send(int ctl, enum sb_msg_type type, int val, int fd)
{
	struct sb_msg m = {.type = type, .val = val};

	fd_send(ctl, &m, SB_MSG_HDR, &fd, fd >= 0 ? 1 : 0);
}

/**
 * stub_fail() - Report the last logged error to the sentry and exit
 * @ctl:	Control socket
 */
static void __attribute__((noreturn)) stub_fail(int ctl)
{
	struct sb_msg m = {.type = SB_MSG_INIT_ERR, .val = errno};

	snprintf(m.text, sizeof(m.text), "%s", log_last_error());
	fd_send(ctl, &m, SB_MSG_HDR + strlen(m.text) + 1, NULL, 0);
	_exit(125);
}

/**
 * workload() - The guest process: confine itself, wait, execve
 * @cfg:	Sandbox configuration
 * @lpipe:	Write end: our listener's fd number for the stub
 * @gopipe:	Read end: one byte once the sentry adopted the listener
 * @epipe:	Write end (CLOEXEC): errno (CTR_ERR() for OCI) if execve fails
 * @tty:	OCI terminal: pty replica, or -1
 */
static void __attribute__((noreturn))
workload(const struct sandbox_cfg *cfg, int lpipe, int gopipe, int epipe,
	 int tty)
{
	int keep[] = {lpipe, gopipe, epipe, tty}, lfd = -1, e;
	static char found[PATH_MAX];
	sigset_t all;
	char b;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (!cfg->spec && cfg->cwd && chdir(cfg->cwd) && chdir("/"))
		_exit(125);
	fd_close_from(3, keep, ARRAY_SIZE(keep));
	/* before the filter (which may mediate opens) and before `start`,
	 * so that create fails for a missing command, in Docker's words */
	if (cfg->spec &&
	    (e = container_find(&cfg->spec->process, found, sizeof(found))))
		goto fail;
	e = icpt_filter_load(cfg->mode, &lfd);
	if (e < 0) {
		e = CTR_ERR(CTR_FILTER, -e);
		goto fail;
	}
	if (write(lpipe, &lfd, sizeof(lfd)) != sizeof(lfd) ||
	    read(gopipe, &b, 1) != 1)
		_exit(125);
	if (lfd >= 0)
		close(lfd);
	close(lpipe);
	close(gopipe);
	if (cfg->spec) {
		e = container_exec(&cfg->spec->process, tty,
				   cfg->spec->lx.seccomp, found);
		goto fail;
	}
	e = drop_caps();
	if (e < 0) {
		e = -e;
		goto fail;
	}
	execvp(cfg->argv[0], cfg->argv);
	e = errno;
fail:
	(void)!write(epipe, &e, sizeof(e));
	_exit(127);
}

/**
 * stub_adopt_listener() - Take the workload's listener, hand it on
 * @ctl:	Control socket to the sentry
 * @child:	Workload pid (in our namespace)
 * @lpipe:	Read end carrying the listener's fd number
 * @gopipe:	Write end: release the workload after the sentry's ack
 *
 * Return: 0 or -errno
 */
static int stub_adopt_listener(int ctl, pid_t child, int lpipe, int gopipe)
{
	_cleanup_close_ int pidfd = -1, lfd = -1;
	int num = -1;
	char b;

	if (read_full(lpipe, &num, sizeof(num)) != sizeof(num))
		return -EPIPE;
	if (num >= 0) {
		pidfd = (int)syscall(SYS_pidfd_open, child, 0);
		if (pidfd < 0)
			return -errno;
		lfd = (int)syscall(SYS_pidfd_getfd, pidfd, num, 0);
		if (lfd < 0)
			return -errno;
	}
	stub_send(ctl, SB_MSG_LISTENER, 0, lfd);
	if (read(ctl, &b, 1) != 1 || write(gopipe, &b, 1) != 1)
		return -EPIPE;
	return 0;
}

/**
 * catches() - Does a process have a handler for a signal
 * @pid:	Process
 * @sig:	Signal
 *
 * Return: true if SigCgt of /proc/PID/status has @sig
 */
static bool catches(pid_t pid, int sig)
{
	char text[4096];
	unsigned long long mask = 0;

	return proc_status_read(pid, text, sizeof(text)) > 0 &&
	       !proc_status_field(text, "SigCgt", 16, 0, &mask) && sig <= 64 &&
	       (mask >> (sig - 1)) & 1;
}

/**
 * stub_loop() - pid 1: forward signals, reap, report the workload's end
 * @cfg:	Sandbox configuration (OCI: pid-1 semantics)
 * @ctl:	Control socket
 * @child:	Workload pid
 * @sfd:	signalfd for fwd_signals and SIGCHLD
 *
 * An OCI workload is what runc makes pid 1 of its namespace, and the
 * kernel gives a pid 1 only the signals it has a handler for (KILL and
 * STOP aside): the stub forwards a signal only if the workload catches
 * it, so `docker kill -s USR1` and `docker stop` of a plain `sleep` end
 * as under runc. `runsc do` forwards everything, as a shell user expects.
 */
static void __attribute__((noreturn))
stub_loop(const struct sandbox_cfg *cfg, int ctl, pid_t child, int sfd)
{
	struct signalfd_siginfo si;
	int status;
	pid_t p;

	for (;;) {
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			/* from the terminal, the workload got it directly */
			if (si.ssi_code != SI_KERNEL &&
			    (!cfg->spec || catches(child, (int)si.ssi_signo)))
				kill(child, (int)si.ssi_signo);
			continue;
		}
		while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
			if (p != child)
				continue;
			stub_send(ctl, SB_MSG_EXIT, status, -1);
			_exit(0);
		}
	}
}

/**
 * open_pty() - OCI terminal: a pty in the container's devpts
 * @ctl:	Control socket: the master goes to the sentry
 * @tty:	The replica, for the workload
 *
 * Return: 0 or -errno
 */
static int open_pty(int ctl, int *tty)
{
	_cleanup_close_ int m =
	    open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	char name[64];

	if (m < 0 || unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		return -errno;
	*tty = open(name, O_RDWR | O_NOCTTY);
	if (*tty < 0)
		return -errno;
	stub_send(ctl, SB_MSG_PTY, 0, m);
	return 0;
}

/**
 * null_stdio() - Point fds 0-2 at /dev/null
 *
 * With a terminal, the runtime's stdout and stderr are the pipe on which
 * Docker's shim collects its error messages; the shim waits for its end,
 * so no process of the container may keep it.
 */
static void null_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC), i;

	for (i = 0; fd >= 0 && i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/**
 * stub_die() - Log why the stub cannot go on (with errno), report, exit
 * @ctl:	Control socket
 * @what:	What failed
 */
static void __attribute__((noreturn)) stub_die(int ctl, const char *what)
{
	err_errno(-errno, "sandbox init: %s", what);
	stub_fail(ctl);
}

/**
 * stub() - The guest's init: pid 1 of the new namespaces
 * @cfg:	Sandbox configuration
 * @ctl:	Control socket to the sentry
 */
static void __attribute__((noreturn))
stub(const struct sandbox_cfg *cfg, int ctl)
{
	int lp[2], gp[2], ep[2], e = 0, sfd;
	int keep[] = {ctl, log_get_fd(), cfg->spec ? cfg->gofer_tree : -1};
	int tty = -1;
	sigset_t set;
	unsigned int i;
	pid_t child;

	/* our parent is outside our pid namespace: getppid() is 0 here; if
	 * the sentry died before this prctl, ctl reads fail and we exit */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (cfg->spec)
		proc_title_set("runsc-init"); /* `runsc do` keeps its argv */
	else
		prctl(PR_SET_NAME, "runsc-init");
	fd_close_from(3, keep, ARRAY_SIZE(keep));
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < ARRAY_SIZE(fwd_signals); i++)
		sigaddset(&set, fwd_signals[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		stub_die(ctl, "signalfd");
	if ((cfg->spec ? container_make_root(cfg->spec, cfg->gofer_tree)
		       : make_view(cfg)) < 0)
		stub_fail(ctl); /* logged */
	if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)))
		stub_die(ctl, "sethostname");
	if (cfg->spec && cfg->spec->process.terminal) {
		if (open_pty(ctl, &tty))
			stub_die(ctl, "opening the terminal");
		null_stdio(); /* the runtime's stdout is Docker's error pipe */
	}
	if (pipe2(lp, O_CLOEXEC) || pipe2(gp, O_CLOEXEC) ||
	    pipe2(ep, O_CLOEXEC))
		stub_die(ctl, "pipe2");
	child = fork();
	if (child < 0)
		stub_die(ctl, "fork");
	if (!child)
		workload(cfg, lp[1], gp[0], ep[1], tty);
	if (tty >= 0)
		close(tty);
	close(lp[1]);
	close(gp[0]);
	close(ep[1]);
	if (stub_adopt_listener(ctl, child, lp[0], gp[1]) < 0) {
		close(gp[1]); /* a workload waiting for the release ends */
		if (read_full(ep[0], &e, sizeof(e)) == sizeof(e))
			stub_send(ctl, SB_MSG_EXEC_ERR, e, -1);
		kill(child, SIGKILL);
		_exit(125);
	}
	close(gp[1]);
	if (read_full(ep[0], &e, sizeof(e)) == sizeof(e))
		stub_send(ctl, SB_MSG_EXEC_ERR, e, -1);
	else
		stub_send(ctl, SB_MSG_EXEC_OK, 0, -1);
	close(ep[0]);
	stub_loop(cfg, ctl, child, sfd);
}

/**
 * spec_clone_flags() - CLONE_NEW* flags for the namespaces a spec creates
 * @s:	Spec
 *
 * Entries with a path were joined by the sentry already; the network
 * namespace is decided by the network mode.
 *
 * Return: flags
 */
static uint64_t spec_clone_flags(const struct spec *s)
{
	static const enum spec_ns_type t[] = {SPEC_NS_PID, SPEC_NS_IPC,
					      SPEC_NS_UTS, SPEC_NS_CGROUP};
	const struct spec_namespace *ns;
	uint64_t f = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ns = spec_ns_find(s, t[i]);
		if (ns && !ns->path)
			f |= (uint64_t)ns->clone_flag;
	}
	return f;
}

/**
 * sandbox_start() - Clone the init stub into fresh namespaces
 * @cfg:	What to run
 * @sb:		Handles, on success
 *
 * Return: 0 or -errno
 */
int sandbox_start(const struct sandbox_cfg *cfg, struct sandbox *sb)
{
	int sv[2], pidfd = -1;
	struct clone_args ca = {
	    .flags = CLONE_PIDFD | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC |
		     CLONE_NEWUTS,
	    .exit_signal = SIGCHLD,
	};
	long pid;

	if (cfg->spec)
		ca.flags =
		    CLONE_PIDFD | CLONE_NEWNS | spec_clone_flags(cfg->spec);
	if (cfg->mode != NET_HOST)
		ca.flags |= CLONE_NEWNET;
	ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0) {
		int r = -errno;

		err_errno(r, "sandbox: creating namespaces");
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (pid == 0) {
		close(sv[0]);
		stub(cfg, sv[1]);
	}
	close(sv[1]);
	sb->init_pid = (pid_t)pid;
	sb->pidfd = pidfd;
	sb->ctl = sv[0];
	return 0;
}

/**
 * sandbox_ack() - Tell the stub the sentry serves the listener now
 * @sb:	Sandbox
 *
 * Return: 0 or -errno
 */
int sandbox_ack(struct sandbox *sb)
{
	return write(sb->ctl, "A", 1) == 1 ? 0 : -errno;
}
