// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer_spawn.c - start and stop the sandbox's gofer (gofer_spawn.h)
 */
#include "gofer_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "fd.h"
#include "log.h"

#define ARGS_MAX (16 + GOFER_MAX_DENY)
#define GOFER_STOP_MS 2000 /* the gofer's own exit after EOF, at most */
#define ARG_LEN 4200	   /* one --flag=VALUE (PATH_MAX + the flag) */

/**
 * struct spawn_args - the gofer's command line, as built
 * @argv:	Arguments
 * @n:		Used entries
 * @buf:	Storage for the --flag=VALUE entries
 * @nbuf:	Used entries of @buf
 */
struct spawn_args {
	char *argv[ARGS_MAX];
	int n;
	char buf[GOFER_MAX_DENY + 8][ARG_LEN];
	int nbuf;
};

/**
 * arg() - Append "FLAG=VALUE" (or FLAG alone with a NULL @value)
 * @a:		Command line
 * @flag:	Flag
 * @value:	Value, or NULL
 */
static void arg(struct spawn_args *a, const char *flag, const char *value)
{
	if (!value) {
		a->argv[a->n++] = (char *)flag;
		return;
	}
	snprintf(a->buf[a->nbuf], ARG_LEN, "%s=%s", flag, value);
	a->argv[a->n++] = a->buf[a->nbuf++];
}

/**
 * build_argv() - The gofer's command line
 * @o:		File options
 * @t:		Tree arguments, or NULL
 * @a:		Result
 */
static void build_argv(const struct file_opts *o,
		       const struct gofer_tree_args *t, struct spawn_args *a)
{
	int i;

	arg(a, "runsc", NULL);
	if (log_is_json()) /* the gofer logs as we do */
		arg(a, "--log-format=json", NULL);
	if (log_enabled(LOG_LVL_DEBUG))
		arg(a, "--debug", NULL);
	if (t) {
		arg(a, t->fs.overlay ? "--overlay=memory" : "--overlay=none",
		    NULL);
		if (t->fs.overlay_size)
			arg(a, "--overlay-size", t->fs.overlay_size);
	}
	arg(a, "gofer", NULL);
	if (t) {
		arg(a, "--tree-fd=5", NULL);
		arg(a, "--bundle", t->bundle);
		arg(a, "--rootfs", t->rootfs);
	}
	if (o->mediated) {
		arg(a, "--sock-fd=3", NULL);
		if (o->audit)
			arg(a, "--audit-fd=4", NULL);
		for (i = 0; i < o->n_deny; i++)
			arg(a, "--file-deny", o->deny[i]);
	}
	a->argv[a->n] = NULL;
}

/**
 * place() - Put @fd at @at (nothing if @fd is -1)
 * @fd:		Descriptor, already above the low numbers (F_DUPFD 10)
 * @at:		Target number
 *
 * Return: 0 or -1
 */
static int place(int fd, int at)
{
	return fd < 0 || dup2(fd, at) == at ? 0 : -1;
}

/**
 * child() - In the forked child: place the donated fds, exec the gofer
 * @o:		File options
 * @t:		Tree arguments, or NULL
 * @fds:	The gofer's ends: sentry socket, audit log, tree socket (-1:
 *		none)
 */
static void __attribute__((noreturn))
child(const struct file_opts *o, const struct gofer_tree_args *t,
      const int fds[3])
{
	static struct spawn_args a;
	int hi[3], log = fcntl(log_get_fd(), F_DUPFD, 10), i;

	/* everything above the targets first: the log (often fd 3 itself)
	 * must not be overwritten before it becomes stderr */
	for (i = 0; i < 3; i++) {
		hi[i] = -1;
		if (fds[i] >= 0 && (hi[i] = fcntl(fds[i], F_DUPFD, 10)) < 0)
			_exit(127);
	}
	if (log < 0 || dup2(log, 2) != 2 || place(hi[0], 3) ||
	    place(hi[1], 4) || place(hi[2], 5))
		_exit(127);
	build_argv(o, t, &a);
	execv("/proc/self/exe", a.argv);
	_exit(127);
}

/**
 * open_audit() - The audit log, for appending
 * @path:	--file-audit
 *
 * Return: fd, or -errno (logged)
 */
static int open_audit(const char *path)
{
	int fd = open(path,
		      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY |
			  O_NOFOLLOW,
		      0600);

	if (fd < 0) {
		fd = -errno;
		err_errno(fd, "gofer: audit log %s", path);
	}
	return fd;
}

/**
 * close_pair() - Close both ends of a pair (-1 entries are skipped)
 * @sv:	Pair
 */
static void close_pair(int sv[2])
{
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	sv[0] = sv[1] = -1;
}

/**
 * gofer_spawn() - Start the gofer
 * @o:		File options (mediated opens: a socket for the sentry)
 * @t:		OCI container: build its tree (a socket for the stub); NULL
 *		for none
 * @c:		Result: sockets and pid
 *
 * Return: 0 or -errno (logged)
 */
int gofer_spawn(const struct file_opts *o, const struct gofer_tree_args *t,
		struct gofer_conn *c)
{
	int sv[2] = {-1, -1}, tv[2] = {-1, -1}, audit = -1, r = 0;
	pid_t p;

	c->sock = c->tree = -1;
	c->pid = 0;
	if (o->n_deny > GOFER_MAX_DENY)
		return -E2BIG;
	if (o->mediated && o->audit && (audit = open_audit(o->audit)) < 0)
		return audit;
	if ((o->mediated &&
	     socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) ||
	    (t && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tv)))
		r = -errno;
	p = r ? -1 : fork();
	if (p == 0)
		child(o, t, (const int[3]){sv[1], audit, tv[1]});
	if (!r && p < 0)
		r = -errno;
	if (!r) {
		c->sock = sv[0], c->tree = tv[0], c->pid = p;
		sv[0] = tv[0] = -1;
	}
	close_pair(sv);
	close_pair(tv);
	if (audit >= 0)
		close(audit);
	if (r < 0)
		err_errno(r, "gofer: starting");
	return r;
}

/**
 * gofer_stop() - Close the gofer's sockets, reap it
 * @c:		Handles (sockets closed and set to -1, pid to 0)
 *
 * The gofer exits when it reads EOF; one that has not after
 * GOFER_STOP_MS is killed.
 */
void gofer_stop(struct gofer_conn *c)
{
	int pfd, status = 0;

	if (c->sock >= 0)
		close(c->sock);
	if (c->tree >= 0)
		close(c->tree);
	c->sock = c->tree = -1;
	if (c->pid <= 0)
		return;
	pfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (pfd < 0 || fd_wait_in(pfd, GOFER_STOP_MS) < 0)
		kill(c->pid, SIGKILL);
	if (pfd >= 0)
		close(pfd);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (status)
		warn("gofer: exited with status %d", status);
	c->pid = 0;
}
