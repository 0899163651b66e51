// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * oci.c - what the OCI verbs share
 *
 * See oci.h for the theory of operation.
 */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "ctl.h"
#include "fd.h"
#include "log.h"

/**
 * oci_open() - Open a container's state, locked
 * @g:		Global options (--root)
 * @id:		Container id
 * @excl:	Lock exclusively (to change it)
 * @c:		Result
 *
 * Return: 0, or -ENOENT ("container does not exist": also for entries
 * that are not ours), or -errno
 */
int oci_open(const struct global_opts *g, const char *id, bool excl,
	     struct oci_ctr *c)
{
	int r;

	c->dirfd = c->lockfd = -1;
	c->root = g->root;
	r = state_dir_open(g->root, id, false, &c->dirfd);
	if (!r)
		r = state_lock(c->dirfd, excl, true, &c->lockfd);
	if (!r)
		r = state_read(c->dirfd, &c->st);
	if (r == -ENOMSG || r == -EINVAL)
		r = -ENOENT;
	if (r < 0)
		oci_close(c);
	return r;
}

/**
 * oci_close() - Release an opened container
 * @c:	Container
 */
void oci_close(struct oci_ctr *c)
{
	if (c->lockfd >= 0)
		close(c->lockfd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	c->lockfd = c->dirfd = -1;
}

/**
 * oci_status() - The container's status as it really is
 * @c:	Container
 *
 * Return: status (also stored in @c->st.status)
 */
enum state_status oci_status(struct oci_ctr *c)
{
	struct state *s = &c->st;

	if (s->status == STATE_STOPPED || !s->pid)
		return s->status;
	if (state_pid_alive(s) != 1)
		s->status = STATE_STOPPED;
	else if (s->cgroup[0] && cgroup_frozen(s->cgroup) == 1)
		s->status = STATE_PAUSED;
	else if (s->status == STATE_PAUSED)
		s->status = STATE_RUNNING;
	return s->status;
}

/**
 * oci_exit_status() - The workload's wait status, once the sentry ended
 * @c:	Container
 *
 * Return: wait status, or -ENOENT if none was recorded (killed sentry)
 */
int oci_exit_status(const struct oci_ctr *c)
{
	_cleanup_close_ int fd = openat(c->dirfd, "exit", O_RDONLY | O_CLOEXEC);
	char b[24];
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read_full(fd, b, sizeof(b) - 1);
	if (n <= 0)
		return -ENOENT;
	b[n] = '\0';
	return atoi(b);
}

/**
 * hook_wait() - Wait for a hook, killing it after @timeout_s
 * @pid:	Hook process
 * @timeout_s:	Seconds
 *
 * Return: wait status, or -ETIMEDOUT
 */
static int hook_wait(pid_t pid, int timeout_s)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	int status, i;

	for (i = 0; i < timeout_s * 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIMEDOUT;
}

/**
 * hook_child() - The hook process: stdin, stdout, stderr, cwd, execve
 * @h:		Hook
 * @in:		Read end of the state pipe
 * @errw:	Write end of the stderr pipe
 * @cwd:	Bundle directory
 */
static void __attribute__((noreturn))
hook_child(const struct spec_hook *h, int in, int errw, const char *cwd)
{
	int null = open("/dev/null", O_WRONLY);
	char *const none[] = {NULL};

	if (dup2(in, 0) < 0 || dup2(null, 1) < 0 || dup2(errw, 2) < 0)
		_exit(127);
	fd_close_from(3, NULL, 0);
	if (cwd && chdir(cwd))
		_exit(127);
	execve(h->path, h->args.n ? h->args.v : (char *[]){h->path, NULL},
	       h->env.n ? h->env.v : none);
	dprintf(2, "%s: %s", h->path, strerror(errno));
	_exit(127);
}

/**
 * run_hook() - Run one hook
 * @h:		Hook
 * @json:	State JSON for its stdin
 * @cwd:	Bundle directory
 * @msg:	Its stderr, on failure
 * @len:	Size of @msg
 *
 * Return: 0, or -errno / -ECANCELED (non-zero exit)
 */
static int run_hook(const struct spec_hook *h, const char *json,
		    const char *cwd, char *msg, size_t len)
{
	int in[2], er[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(er, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0)
		hook_child(h, in[0], er[1], cwd);
	close(in[0]);
	close(er[1]);
	if (pid > 0) {
		signal(SIGPIPE, SIG_IGN);
		(void)!write_all(in[1], json, strlen(json));
	}
	close(in[1]);
	if (pid < 0) {
		close(er[0]);
		return -errno;
	}
	status =
	    hook_wait(pid, h->timeout > 0 ? h->timeout : OCI_HOOK_TIMEOUT_S);
	fd_nonblock(er[0], 1);
	n = read(er[0], msg, len - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(er[0]);
	if (status < 0)
		return status;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECANCELED;
}

/**
 * oci_hooks() - Run the hooks of one kind, in order; stop at a failure
 * @h:		Hooks of the spec (all kinds)
 * @kind:	Which
 * @st:		State to feed them
 * @cwd:	Bundle directory
 *
 * Return: 0, or -errno after logging "error running <kind> hook #N: ..."
 */
int oci_hooks(const struct spec_hooks *h, enum spec_hook_kind kind,
	      const struct state *st, const char *cwd)
{
	char json[8192], msg[512], *nl;
	size_t i;
	int r;

	if (!h[kind].n)
		return 0;
	r = state_hook_json(st, json, sizeof(json));
	if (r < 0)
		return r;
	for (i = 0; i < h[kind].n; i++) {
		r = run_hook(&h[kind].v[i], json, cwd, msg, sizeof(msg));
		if (!r)
			continue;
		while ((nl = strchr(msg, '\n')))
			*nl = ' ';
		err("error running %s hook #%zu (%s): %s%s%s",
		    spec_hook_kind_name(kind), i, h[kind].v[i].path,
		    r == -ECANCELED ? "exit status non-zero" : strerror(-r),
		    *msg ? ", stderr: " : "", msg);
		return r;
	}
	return 0;
}

/**
 * oci_pidfile() - Write a pid file atomically, digits only
 * @path:	File
 * @pid:	Pid
 *
 * Return: 0 or -errno
 */
int oci_pidfile(const char *path, pid_t pid)
{
	char tmp[4096], b[24];
	int fd, r;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	snprintf(b, sizeof(b), "%d", (int)pid);
	r = write_all(fd, b, strlen(b));
	close(fd);
	if (!r && rename(tmp, path))
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

/**
 * oci_signal_parse() - A signal by number or name ("9", "KILL", "SIGKILL")
 * @s:	Text
 *
 * Return: signal number, or -EINVAL
 */
int oci_signal_parse(const char *s)
{
	char *end;
	long v;
	int i;

	v = strtol(s, &end, 10);
	if (*s && !*end)
		return v > 0 && v < NSIG ? (int)v : -EINVAL;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < NSIG; i++) {
		const char *n = sigabbrev_np(i);

		if (n && !strcasecmp(n, s))
			return i;
	}
	return -EINVAL;
}

/**
 * oci_wait_dead() - Wait until the sentry of @st has ended
 * @st:		State
 * @timeout_ms:	Bound
 *
 * Return: 0, or -ETIMEDOUT
 */
int oci_wait_dead(const struct state *st, int timeout_ms)
{
	struct timespec ts = {0, 5 * 1000 * 1000};
	int i;

	for (i = 0; i < timeout_ms / 5; i++) {
		if (state_pid_alive(st) != 1)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

/**
 * oci_start() - Ask the sentry to release the workload, word a failure
 * @ctl:	Control socket path
 * @verb:	"runsc start" / "runsc run", for the message
 *
 * Return: 0, or -errno (logged; -ENOEXEC: the workload's setup failed)
 */
int oci_start(const char *ctl, const char *verb)
{
	static struct ctl_msg reply;
	struct spec_process p = {.cwd = "(process.cwd)"};
	char *args[] = {"(process.args[0])", NULL};
	char msg[512];
	int r = ctl_call(ctl, CTL_START, NULL, 0, NULL, 0, &reply);

	if (r == -ENOEXEC) {
		p.args.v = args;
		container_errmsg(atoi((char *)reply.payload), &p, msg,
				 sizeof(msg));
		err("%s failed: %s", verb, msg);
	} else if (r < 0) {
		err_errno(r, "%s failed: the sandbox does not answer", verb);
	}
	return r;
}
