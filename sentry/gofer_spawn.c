// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer_spawn.c - start and stop the sandbox's gofer (gofer_spawn.h)
 */
#include "gofer_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "log.h"

#define ARGS_MAX (8 + FILE_DENY_MAX)
#define GOFER_STOP_MS 2000 /* the gofer's own exit after EOF, at most */

/**
 * build_argv() - The gofer's command line
 * @o:		Options
 * @argv:	Result (ARGS_MAX entries)
 * @deny:	Storage for the --file-deny= arguments
 */
static void build_argv(const struct file_opts *o, char **argv,
		       char (*deny)[4200])
{
	int n = 0, i;

	argv[n++] = "runsc";
	if (o->log_json) {
		argv[n++] = "--log-format";
		argv[n++] = "json";
	}
	if (o->debug)
		argv[n++] = "--debug";
	argv[n++] = "gofer";
	argv[n++] = "--sock-fd=3";
	if (o->audit)
		argv[n++] = "--audit-fd=4";
	for (i = 0; i < o->n_deny; i++) {
		snprintf(deny[i], sizeof(deny[i]), "--file-deny=%s",
			 o->deny[i]);
		argv[n++] = deny[i];
	}
	argv[n] = NULL;
}

/**
 * child() - In the forked child: place the donated fds, exec the gofer
 * @o:		Options
 * @sock:	The gofer's end of the pair
 * @audit:	Audit log, or -1
 */
static void __attribute__((noreturn))
child(const struct file_opts *o, int sock, int audit)
{
	static char deny[FILE_DENY_MAX][4200];
	char *argv[ARGS_MAX];
	int s = fcntl(sock, F_DUPFD, 10), a = -1, l = log_get_fd();

	if (audit >= 0)
		a = fcntl(audit, F_DUPFD, 10);
	if (s < 0 || (audit >= 0 && a < 0) || dup2(s, 3) != 3 ||
	    (a >= 0 && dup2(a, 4) != 4) || (l != 2 && dup2(l, 2) != 2))
		_exit(127);
	build_argv(o, argv, deny);
	execv("/proc/self/exe", argv);
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
 * gofer_spawn() - Start the gofer
 * @o:		Options
 * @sock:	The sentry's end of the socket pair, on success (owned)
 * @pid:	The gofer's pid, on success
 *
 * Return: 0 or -errno (logged)
 */
int gofer_spawn(const struct file_opts *o, int *sock, pid_t *pid)
{
	int sv[2], audit = -1, r;
	pid_t p;

	if (o->n_deny > FILE_DENY_MAX)
		return -E2BIG;
	if (o->audit && (audit = open_audit(o->audit)) < 0)
		return audit;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		r = -errno;
		goto out;
	}
	p = fork();
	if (p == 0)
		child(o, sv[1], audit);
	r = p < 0 ? -errno : 0;
	close(sv[1]);
	if (r < 0)
		close(sv[0]);
	else
		*sock = sv[0], *pid = p;
out:
	if (audit >= 0)
		close(audit);
	if (r < 0)
		err_errno(r, "gofer: starting");
	return r;
}

/**
 * gofer_stop() - Close the gofer's socket, reap it
 * @sock:	The sentry's end of the pair (closed, set to -1), or -1
 * @pid:	The gofer's pid (set to 0), or 0: none
 *
 * The gofer exits when it reads EOF; one that has not after
 * GOFER_STOP_MS is killed.
 */
void gofer_stop(int *sock, pid_t *pid)
{
	int pfd, status = 0;

	if (*sock >= 0)
		close(*sock);
	*sock = -1;
	if (*pid <= 0)
		return;
	pfd = (int)syscall(SYS_pidfd_open, *pid, 0);
	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};

		if (poll(&p, 1, GOFER_STOP_MS) != 1)
			kill(*pid, SIGKILL);
		close(pfd);
	} else {
		kill(*pid, SIGKILL);
	}
	while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
		;
	if (status)
		warn("gofer: exited with status %d", status);
	*pid = 0;
}
