// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_exec.c - `runsc exec`: one more process in a running container
 *
 *   runsc exec --process FILE [--console-socket S] [--detach]
 *              [--pid-file F] ID
 *   runsc exec [--cwd DIR] [--env K=V]... [--user UID[:GID]] [-t]
 *              [--detach] [--pid-file F] ID CMD [ARG]...
 *
 * The runtime forks a waiter (process name runsc-exec), which joins the
 * container's cgroup and the namespaces of its init stub (ipc, uts, net,
 * pid, mount: the mount namespace last, as it changes the root), and forks
 * the new process there. That process loads the guest filter like the
 * workload did; the waiter takes its seccomp listener with pidfd_getfd()
 * and hands it to the sentry over the control socket (CTL_EXEC, connected
 * before the waiter left the host's mount namespace), so the one sentry
 * serves every guest process. Then the process sets up its credentials
 * and execs. The waiter's pid is what Docker gets (--pid-file): it lives as
 * long as the process, forwards signals to it, and exits with its status.
 * A failure before execve is reported in Docker's words, exit code 255.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "ctl.h"
#include "fd.h"
#include "log.h"
#include "oci.h"
#include "proc.h"
#include "sentry.h"

#define EXEC_REPORT_TIMEOUT_MS 60000
#define EXEC_MAX_ENV 256

/**
 * struct exec_opts - flags of exec
 * @process:	--process file, or NULL
 * @console:	--console-socket, or NULL
 * @pid_file:	--pid-file, or NULL
 * @detach:	--detach
 * @tty:	-t (without --process)
 * @cwd:	--cwd (without --process)
 * @user:	--user (without --process)
 * @env:	--env entries
 * @nenv:	Number of @env
 * @id:		Container id
 * @cmd:	Command (without --process), NULL-terminated
 */
struct exec_opts {
	const char *process;
	const char *console;
	const char *pid_file;
	bool detach;
	bool tty;
	const char *cwd;
	const char *user;
	const char *env[EXEC_MAX_ENV];
	int nenv;
	const char *id;
	char **cmd;
};

/**
 * parse_exec() - exec's flags
 * @argc:	Argument count
 * @argv:	Arguments
 * @o:		Result
 *
 * Return: 0 or -EINVAL (logged)
 */
static int parse_exec(int argc, char **argv, struct exec_opts *o)
{
	static const struct option lopts[] = {
	    {"process", required_argument, NULL, 'p'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"detach", no_argument, NULL, 'd'},
	    {"tty", no_argument, NULL, 't'},
	    {"cwd", required_argument, NULL, 'w'},
	    {"env", required_argument, NULL, 'e'},
	    {"user", required_argument, NULL, 'u'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+dte:u:", lopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->process = optarg;
			break;
		case 'c':
			o->console = optarg;
			break;
		case 'P':
			o->pid_file = optarg;
			break;
		case 'd':
			o->detach = true;
			break;
		case 't':
			o->tty = true;
			break;
		case 'w':
			o->cwd = optarg;
			break;
		case 'e':
			if (o->nenv == EXEC_MAX_ENV)
				return -EINVAL;
			o->env[o->nenv++] = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind >= argc || (!o->process && optind + 1 >= argc)) {
		err("exec: usage: exec [--process FILE | ID CMD [ARG]...]");
		return -EINVAL;
	}
	o->id = argv[optind];
	o->cmd = argv + optind + 1;
	return 0;
}

/**
 * process_json() - A process object from exec's command-line form
 * @o:		Flags
 * @fd:		memfd holding the JSON, on success
 *
 * Return: 0 or -errno
 */
static int process_json(const struct exec_opts *o, int *fd)
{
	json_t *p = json_object(), *args = json_array(), *env = json_array();
	unsigned int uid = 0, gid = 0;
	char *text;
	int i, r;

	json_array_append_new(
	    env, json_string("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			     "/usr/bin:/sbin:/bin"));
	for (i = 0; i < o->nenv; i++)
		json_array_append_new(env, json_string(o->env[i]));
	if (o->tty)
		json_array_append_new(env, json_string("TERM=xterm"));
	for (i = 0; o->cmd[i]; i++)
		json_array_append_new(args, json_string(o->cmd[i]));
	if (o->user && sscanf(o->user, "%u:%u", &uid, &gid) < 1) {
		json_decref(p);
		return -EINVAL;
	}
	json_object_set_new(p, "args", args);
	json_object_set_new(p, "env", env);
	json_object_set_new(p, "cwd", json_string(o->cwd ? o->cwd : "/"));
	json_object_set_new(p, "terminal", json_boolean(o->tty));
	json_object_set_new(
	    p, "user",
	    json_pack("{s:i,s:i}", "uid", uid, "gid", o->user ? gid : 0));
	text = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (!text)
		return -ENOMEM;
	*fd = memfd_create("process.json", MFD_CLOEXEC);
	r = *fd < 0 ? -errno : write_all(*fd, text, strlen(text));
	free(text);
	return r;
}

/**
 * load_process() - The process to run: --process, or from the flags
 * @o:		Flags
 * @out:	Spec holding the process
 *
 * Return: 0 or -errno (logged)
 */
static int load_process(const struct exec_opts *o, struct spec **out)
{
	_cleanup_close_ int fd = -1;
	char msg[512], path[64];
	int r;

	if (!o->process) {
		r = process_json(o, &fd);
		if (r < 0) {
			err("exec: bad --user or out of memory");
			return r;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	r = spec_load_process(o->process ? o->process : path, out, msg,
			      sizeof(msg));
	if (r < 0)
		err("exec: %s", msg);
	return r;
}

/**
 * join_ns() - setns() into the namespaces of the container's init
 * @init:	init stub pid
 *
 * Return: 0 or -errno
 */
static int join_ns(pid_t init)
{
	static const struct {
		const char *name;
		int flag;
	} ns[] = {{"ipc", CLONE_NEWIPC},
		  {"uts", CLONE_NEWUTS},
		  {"net", CLONE_NEWNET},
		  {"pid", CLONE_NEWPID},
		  {"mnt", CLONE_NEWNS}};
	int fds[ARRAY_SIZE(ns)], r = 0;
	unsigned int i;
	char p[64];

	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)init, ns[i].name);
		fds[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			r = -errno;
	}
	for (i = 0; !r && i < ARRAY_SIZE(ns); i++)
		if (setns(fds[i], ns[i].flag))
			r = -errno;
	for (i = 0; i < ARRAY_SIZE(ns); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return r;
}

/**
 * open_tty() - A pty in the container's devpts, its master to the console
 * @console:	Connected console socket
 * @tty:	Replica, on success
 *
 * Return: 0 or -errno
 */
static int open_tty(int console, int *tty)
{
	_cleanup_close_ int m =
	    open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	char name[64];

	if (m < 0 || unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		return -errno;
	*tty = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*tty < 0)
		return -errno;
	return fd_send(console, "/dev/ptmx", 9, &m, 1);
}

/**
 * struct exec_ctx - what the waiter holds
 * @st:		Container state
 * @proc:	Process to run
 * @seccomp:	The container's linux.seccomp (JSON), or NULL
 * @ctl:	Connected control socket of the sentry
 * @console:	Connected console socket, or -1
 * @report:	Write end: 0, or the packed error, for the CLI
 */
struct exec_ctx {
	const struct state *st;
	const struct spec_process *proc;
	const char *seccomp;
	int ctl;
	int console;
	int report;
};

/**
 * exec_child() - The new process: filter, hand-over, credentials, execve
 * @x:		Context
 * @lp:		Write end: listener fd number
 * @gp:		Read end: released by the waiter
 * @ep:		Write end (CLOEXEC): packed error
 * @tty:	Replica or -1
 */
static void __attribute__((noreturn))
exec_child(const struct exec_ctx *x, int lp, int gp, int ep, int tty)
{
	int keep[] = {lp, gp, ep, tty}, lfd = -1, e;
	static char found[PATH_MAX];
	sigset_t none;
	char b;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd_close_from(3, keep, ARRAY_SIZE(keep));
	/* looked up before the filter, which may mediate opens */
	e = container_find(x->proc, found, sizeof(found));
	icpt_mediate_opens(x->st->file_mediated == 1);
	if (!e &&
	    (e = icpt_filter_load((enum net_mode)x->st->net_mode, &lfd)) < 0) {
		e = CTR_ERR(CTR_FILTER, -e);
	} else if (!e) {
		if (write(lp, &lfd, sizeof(lfd)) != sizeof(lfd) ||
		    read(gp, &b, 1) != 1)
			_exit(126);
		if (lfd >= 0)
			close(lfd);
		e = container_exec(x->proc, tty, x->seccomp, found);
	}
	(void)!write(ep, &e, sizeof(e));
	_exit(127);
}

/**
 * hand_listener() - Take the child's listener, give it to the sentry
 * @x:		Context
 * @child:	New process
 * @lp:		Read end carrying the fd number
 *
 * Return: 0 or -errno
 */
static int hand_listener(const struct exec_ctx *x, pid_t child, int lp)
{
	static struct ctl_msg reply;
	_cleanup_close_ int pidfd = -1, lfd = -1;
	int num = -1, r;

	if (read_full(lp, &num, sizeof(num)) != sizeof(num))
		return -EPIPE;
	if (num < 0)
		return 0; /* host mode: nothing is trapped */
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0)
		return -errno;
	lfd = (int)syscall(SYS_pidfd_getfd, pidfd, num, 0);
	if (lfd < 0)
		return -errno;
	r = ctl_send(x->ctl, CTL_EXEC, 0, NULL, 0, &lfd, 1);
	if (!r)
		r = ctl_recv(x->ctl, &reply);
	if (!r)
		ctl_msg_close_fds(&reply);
	return r < 0 ? r : reply.hdr.err;
}

static pid_t waited_child; /* waiter_wait(): where signals go */

/**
 * pass_signal() - Signal handler of the waiter: pass the signal on
 * @sig:	Signal
 */
static void pass_signal(int sig)
{
	kill(waited_child, sig);
}

/**
 * waiter_wait() - Forward signals to the child until it ends, leave alike
 * @child:	New process
 */
static void __attribute__((noreturn)) waiter_wait(pid_t child)
{
	static const int fwd[] = {SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
				  SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};
	struct sigaction sa = {.sa_handler = pass_signal};
	unsigned int i;
	sigset_t none;
	int status;

	waited_child = child;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* _exit: nothing to flush, and LeakSanitizer's exit-time tracer
	 * cannot work from a process that joined another pid namespace */
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(255);
	_exit(sentry_exit_like(status));
}

/**
 * waiter() - runsc-exec: join the container, start the process, wait
 * @x:	Context
 */
static void __attribute__((noreturn)) waiter(const struct exec_ctx *x)
{
	int lp[2], gp[2], ep[2], e = 0, tty = -1, r;
	char title[STATE_ID_MAX + 16];
	sigset_t set;
	pid_t child;

	snprintf(title, sizeof(title), "runsc-exec %s", x->st->id);
	proc_title_set(title);
	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (x->st->cgroup[0] && (r = cgroup_join(x->st->cgroup, getpid())) < 0)
		e = CTR_ERR(CTR_JOIN, -r);
	if (!e && (r = join_ns(x->st->init_pid)) < 0)
		e = CTR_ERR(CTR_JOIN, -r);
	if (!e && x->proc->terminal)
		e = x->console < 0 ? CTR_ERR(CTR_TTY, EINVAL)
		    : (r = open_tty(x->console, &tty)) < 0
			? CTR_ERR(CTR_TTY, -r)
			: 0;
	if (!e && (pipe2(lp, O_CLOEXEC) || pipe2(gp, O_CLOEXEC) ||
		   pipe2(ep, O_CLOEXEC)))
		e = CTR_ERR(CTR_FILTER, errno);
	if (e) {
		(void)!write(x->report, &e, sizeof(e));
		_exit(126);
	}
	child = fork();
	if (child == 0)
		exec_child(x, lp[1], gp[0], ep[1], tty);
	close(lp[1]);
	close(gp[0]);
	close(ep[1]);
	if (tty >= 0)
		close(tty);
	if (child < 0 || hand_listener(x, child, lp[0]) < 0 ||
	    write(gp[1], "g", 1) != 1) {
		/* the child's own reason (a missing command) comes first;
		 * one still waiting for the release reads EOF and ends */
		close(gp[1]);
		if (child < 0 || read_full(ep[0], &e, sizeof(e)) != sizeof(e))
			e = CTR_ERR(CTR_FILTER, EPIPE);
	} else if (read_full(ep[0], &e, sizeof(e)) != sizeof(e)) {
		e = 0;
	}
	(void)!write(x->report, &e, sizeof(e));
	close(x->report);
	close(x->ctl);
	if (e) {
		if (child > 0)
			kill(child, SIGKILL);
		_exit(126);
	}
	waiter_wait(child);
}

/**
 * connect_console() - Connect to Docker's console socket
 * @path:	Socket path, or NULL
 * @fd:		Connected socket, or -1 without @path
 *
 * Return: 0 or -errno (logged)
 */
static int connect_console(const char *path, int *fd)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	*fd = -1;
	if (!path)
		return 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0 || connect(*fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err_errno(-errno, "exec: console socket %s", path);
		return -errno;
	}
	return 0;
}

/**
 * await_report() - The waiter's verdict on the start of the process
 * @fd:	Read end
 *
 * Return: 0, the packed error, or -errno
 */
static int await_report(int fd)
{
	int e = fd_wait_in(fd, EXEC_REPORT_TIMEOUT_MS);

	if (e < 0)
		return e;
	if (read_full(fd, &e, sizeof(e)) != sizeof(e))
		return -EPIPE;
	return e;
}

/**
 * start_waiter() - Fork the waiter and learn whether the process started
 * @x:		Context (report is filled in)
 * @o:		Flags
 * @pid:	Waiter pid
 *
 * Return: 0, or the packed error / -errno (logged)
 */
static int start_waiter(struct exec_ctx *x, const struct exec_opts *o,
			pid_t *pid)
{
	char msg[512];
	int rp[2], e;

	if (pipe2(rp, O_CLOEXEC))
		return -errno;
	x->report = rp[1];
	*pid = fork();
	if (*pid == 0) {
		close(rp[0]);
		waiter(x);
	}
	close(rp[1]);
	e = *pid < 0 ? -errno : await_report(rp[0]);
	close(rp[0]);
	if (e > 0) {
		container_errmsg(e, x->proc, msg, sizeof(msg));
		err("%s", msg);
	} else if (e < 0) {
		err_errno(e, "exec: starting the process");
	}
	if (e && *pid > 0)
		waitpid(*pid, NULL, 0);
	return e;
}

/**
 * cmd_exec() - `runsc exec`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 (--detach), the process' exit code, or 255 on failure
 */
int cmd_exec(const struct global_opts *g, int argc, char **argv)
{
	struct exec_ctx x = {.ctl = -1, .console = -1, .report = -1};
	struct spec *proc = NULL, *bundle = NULL;
	char cfg[4200], msg[512];
	struct exec_opts o;
	struct oci_ctr c;
	int r, status;
	pid_t pid = -1;

	if (parse_exec(argc, argv, &o) < 0)
		return 255;
	r = oci_open(g, o.id, false, &c);
	if (r == -ENOENT)
		err("container does not exist: %s", o.id);
	if (r < 0)
		return 255;
	x.st = &c.st;
	r = oci_status(&c) == STATE_RUNNING ? 0 : -ESRCH;
	if (r < 0)
		err("cannot exec in a container that is %s",
		    state_status_str(c.st.status));
	if (!r)
		r = load_process(&o, &proc);
	snprintf(cfg, sizeof(cfg), "%s/config.json", c.st.bundle);
	if (!r && (r = spec_load(cfg, &bundle, msg, sizeof(msg))) < 0)
		err("exec: the container's %s", msg);
	if (!r)
		x.seccomp = bundle->lx.seccomp;
	if (!r)
		r = connect_console(o.console, &x.console);
	if (!r && (r = ctl_connect(c.st.ctl, &x.ctl)) < 0)
		err_errno(r, "exec: the sandbox does not answer");
	if (!r) {
		x.proc = &proc->process;
		r = start_waiter(&x, &o, &pid);
	}
	if (!r && o.pid_file)
		r = oci_pidfile(o.pid_file, pid);
	if (x.ctl >= 0)
		close(x.ctl);
	if (x.console >= 0)
		close(x.console);
	oci_close(&c);
	spec_free(&proc);
	spec_free(&bundle);
	if (r)
		return 255;
	if (o.detach)
		return 0;
	if (waitpid(pid, &status, 0) < 0)
		return 255;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
