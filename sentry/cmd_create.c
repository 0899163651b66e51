// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_create.c - `runsc create` and `runsc run`
 *
 *   runsc create [--bundle DIR] [--pid-file FILE] [--console-socket PATH] ID
 *   runsc run [--bundle DIR] [--pid-file FILE] [--detach] ID
 *
 * create reads <bundle>/config.json, checks that process.args[0] can be
 * found in the rootfs (Docker words "executable file not found in $PATH"
 * into exit code 127), records the container as "creating", makes its
 * cgroup and forks the sentry (boot.h), runs the prestart and
 * createRuntime hooks while the sentry waits, and once the sentry serves,
 * records "created" and writes the pid file (the sentry's pid, digits
 * only). Every failure is one error line in the --log file, and leaves no
 * process, cgroup or state behind. run is create, start and, unless
 * --detach, waiting for the container and deleting it, with its exit
 * status.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "boot.h"
#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "ctl.h"
#include "fd.h"
#include "log.h"
#include "oci.h"
#include "ociseccomp.h"
#include "sentry.h"

#define CREATE_READY_TIMEOUT_MS 120000 /* sentry start-up, hooks excluded */

/**
 * struct create_opts - flags of create and run
 * @bundle:	Bundle directory
 * @pid_file:	--pid-file, or NULL
 * @console:	--console-socket, or NULL
 * @detach:	run --detach
 * @id:		Container id
 */
struct create_opts {
	const char *bundle;
	const char *pid_file;
	const char *console;
	bool detach;
	const char *id;
};

/**
 * parse_create() - Flags of create / run
 * @argc:	Argument count (argv[0] is the verb)
 * @argv:	Arguments
 * @o:		Result
 *
 * Return: 0 or -EINVAL
 */
static int parse_create(int argc, char **argv, struct create_opts *o)
{
	static const struct option lopts[] = {
	    {"bundle", required_argument, NULL, 'b'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"detach", no_argument, NULL, 'd'},
	    {"no-pivot", no_argument, NULL, 'N'},
	    {"no-new-keyring", no_argument, NULL, 'N'},
	    {"preserve-fds", required_argument, NULL, 'N'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->bundle = ".";
	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:d", lopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->bundle = optarg;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'c':
			o->console = optarg;
			break;
		case 'd':
			o->detach = true;
			break;
		case 'N':
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind != argc - 1) {
		err("%s: expected exactly one container id", argv[0]);
		return -EINVAL;
	}
	o->id = argv[optind];
	return 0;
}

/**
 * struct creation - everything a create owns until it succeeds
 * @spec:	config.json
 * @bundle:	Absolute bundle path
 * @ctl:	Control socket path
 * @join:	Control socket of the sandbox whose network we share, or ""
 * @st:		State being built
 * @dirfd:	State directory
 * @lockfd:	Its lock, held exclusively
 * @sentry:	Sentry pid, 0 before the fork
 * @sync:	Our end of the pair with the sentry
 * @boot:	What the sentry is given
 */
struct creation {
	struct spec *spec;
	char bundle[PATH_MAX];
	char ctl[108];
	char join[108];
	struct state st;
	int dirfd;
	int lockfd;
	pid_t sentry;
	int sync;
	struct boot_args boot;
};

/**
 * netns_of_sandbox() - Is @path the network namespace of one of our sentries
 * @g:		Global options
 * @path:	Namespace path from config.json
 * @who:	Id of that container, on a match
 * @len:	Size of @who
 * @ctl:	Its control socket path (108 bytes), on a match
 *
 * Return: true on a match
 */
static bool netns_of_sandbox(const struct global_opts *g, const char *path,
			     char *who, size_t len, char *ctl);

/**
 * pick_network() - Network mode and namespace from the spec and --network
 * @g:	Global options
 * @c:	Creation (spec in, boot out)
 *
 * A network namespace given by path (docker --network=host or
 * container:X) is the kernel's network: the guest uses it in host mode,
 * and the sentry never strips it. The namespace of one of our sandboxes
 * has its addresses inside that sandbox's sentry: the new container joins
 * that sentry instead, which then serves its sockets too (same addresses,
 * same loopback), as exec'd processes are served.
 *
 * Return: 0 or -EINVAL (logged)
 */
static int pick_network(const struct global_opts *g, struct creation *c)
{
	const struct spec_namespace *ns =
	    spec_ns_find(c->spec, SPEC_NS_NETWORK);
	char who[STATE_ID_MAX + 1];

	c->boot.mode = g->network;
	if (!ns) {
		c->boot.mode = NET_HOST; /* the runtime's own: never ours */
		warn("create: no network namespace in config.json: the "
		     "container uses the runtime's network (host mode)");
		return 0;
	}
	if (!ns->path) {
		c->boot.own_netns = true;
		return 0;
	}
	if (g->network != NET_HOST &&
	    netns_of_sandbox(g, ns->path, who, sizeof(who), c->join)) {
		debug("create: sharing the network of runsc container %s", who);
		c->boot.join_ctl = c->join;
		return 0;
	}
	c->boot.mode = NET_HOST;
	c->boot.netns_path = ns->path;
	return 0;
}

/**
 * match_netns() - state_list() callback for netns_of_sandbox()
 * @s:		One of our containers
 * @opaque:	struct stat * of the namespace, then the id buffer
 *
 * Return: 1 on a match (stops the walk), 0 to go on
 */
static int match_netns(const struct state *s, void *opaque)
{
	struct {
		struct stat ns;
		char *who;
		size_t len;
		char *ctl;
	} *m = opaque;
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/ns/net", (int)s->pid);
	if (!s->pid || state_pid_alive(s) != 1 || stat(p, &st) ||
	    st.st_ino != m->ns.st_ino || st.st_dev != m->ns.st_dev)
		return 0;
	snprintf(m->who, m->len, "%s", s->id);
	snprintf(m->ctl, 108, "%s", s->ctl);
	return 1;
}

static bool netns_of_sandbox(const struct global_opts *g, const char *path,
			     char *who, size_t len, char *ctl)
{
	struct {
		struct stat ns;
		char *who;
		size_t len;
		char *ctl;
	} m = {.who = who, .len = len, .ctl = ctl};

	if (stat(path, &m.ns))
		return false;
	return state_list(g->root, match_netns, &m) == 1;
}

/**
 * precheck() - The rootfs must exist (process.args[0] is looked up inside
 * the container, before `start`: sandbox.c)
 * @c:	Creation
 *
 * Return: 0 or -errno (logged)
 */
static int precheck(struct creation *c)
{
	struct stat st;

	if (stat(c->st.rootfs, &st) || !S_ISDIR(st.st_mode)) {
		err("rootfs (\"%s\") does not exist", c->st.rootfs);
		return -ENOENT;
	}
	return 0;
}

/**
 * prepare() - Load the spec, check it, record "creating", make the cgroup
 * @g:	Global options
 * @o:	Flags
 * @c:	Creation
 *
 * Return: 0 or -errno (logged)
 */
static int prepare(const struct global_opts *g, const struct create_opts *o,
		   struct creation *c)
{
	char cfg[PATH_MAX + 16], msg[512];
	struct timespec now;
	int r;

	if (!realpath(o->bundle, c->bundle)) {
		r = -errno;
		err("bundle %s: %s", o->bundle, strerror(-r));
		return r;
	}
	snprintf(cfg, sizeof(cfg), "%s/config.json", c->bundle);
	r = spec_load(cfg, &c->spec, msg, sizeof(msg));
	if (r < 0) {
		err("%s", msg);
		return r;
	}
	if (c->spec->root.path[0] == '/')
		snprintf(c->st.rootfs, sizeof(c->st.rootfs), "%s",
			 c->spec->root.path);
	else if ((size_t)snprintf(c->st.rootfs, sizeof(c->st.rootfs), "%s/%s",
				  c->bundle,
				  c->spec->root.path) >= sizeof(c->st.rootfs))
		return -ENAMETOOLONG;
	free(c->spec->root.path); /* the sandbox works from any cwd */
	c->spec->root.path = strdup(c->st.rootfs);
	if (!c->spec->root.path)
		return -ENOMEM;
	if (c->spec->lx.cgroups_path &&
	    cgroup_path_valid(c->spec->lx.cgroups_path)) {
		err("config.json: linux.cgroupsPath: invalid path");
		return -EINVAL;
	}
	if (c->spec->lx.seccomp &&
	    (r = ociseccomp_check(c->spec->lx.seccomp, msg, sizeof(msg))) < 0) {
		err("%s", msg);
		return r;
	}
	r = precheck(c);
	if (!r)
		r = pick_network(g, c);
	if (r < 0)
		return r;
	r = state_dir_open(g->root, o->id, true, &c->dirfd);
	if (r == -EEXIST)
		err("container with id exists: %s", o->id);
	else if (r < 0)
		err_errno(r, "state directory %s/%s", g->root, o->id);
	if (!r)
		r = state_lock(c->dirfd, true, false, &c->lockfd);
	if (r < 0)
		return r;
	snprintf(c->st.id, sizeof(c->st.id), "%s", o->id);
	snprintf(c->st.bundle, sizeof(c->st.bundle), "%s", c->bundle);
	snprintf(c->st.oci_version, sizeof(c->st.oci_version), "%s",
		 c->spec->oci_version ? c->spec->oci_version : "");
	clock_gettime(CLOCK_REALTIME, &now);
	state_format_time(&now, c->st.created, sizeof(c->st.created));
	c->st.status = STATE_CREATING;
	c->st.exit_status = -1;
	c->st.net_mode = (int)c->boot.mode;
	c->st.file_mediated = g->files.mediated;
	if (c->spec->lx.cgroups_path)
		snprintf(c->st.cgroup, sizeof(c->st.cgroup), "%s",
			 c->spec->lx.cgroups_path);
	r = state_write(c->dirfd, &c->st);
	if (!r && c->st.cgroup[0])
		r = cgroup_create(c->st.cgroup, &c->spec->lx.resources);
	return r;
}

/**
 * fork_sentry() - Fork the sentry (boot_main()), keep our end of the pair
 * @g:	Global options
 * @c:	Creation
 *
 * Return: 0 or -errno
 */
static int fork_sentry(const struct global_opts *g, struct creation *c)
{
	int sv[2], efd;
	pid_t pid;
	int r = ctl_path(g->root, c->st.id, c->ctl, sizeof(c->ctl));

	if (r < 0) {
		err("control socket path under %s too long", g->root);
		return r;
	}
	efd = openat(c->dirfd, "exit", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     0600);
	if (efd < 0)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		close(efd);
		return -errno;
	}
	c->boot.spec = c->spec;
	c->boot.cgroup = c->st.cgroup[0] ? c->st.cgroup : NULL;
	c->boot.ctl_path = c->ctl;
	c->boot.sync = sv[1];
	c->boot.exit_fd = efd;
	c->boot.id = c->st.id;
	c->boot.pcap_log = g->pcap_log;
	c->boot.pcap_log_lo = g->pcap_log_lo;
	c->boot.fs = (struct ctr_fs){g->overlay, g->overlay_size};
	c->boot.files = g->files;
	c->boot.bundle = c->bundle;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(c->lockfd);
		close(c->dirfd);
		boot_main(&c->boot);
	}
	close(sv[1]);
	close(efd);
	if (pid < 0) {
		close(sv[0]);
		return -errno;
	}
	c->sentry = pid;
	c->sync = sv[0];
	return 0;
}

/**
 * send_console() - Hand the pty master to Docker's console socket
 * @path:	--console-socket
 * @master:	pty master
 *
 * Return: 0 or -errno (logged)
 */
static int send_console(const char *path, int master)
{
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		r = -errno;
		err_errno(r, "connecting to the console socket %s", path);
		return r;
	}
	r = fd_send(s, "/dev/ptmx", 9, &master, 1);
	if (r < 0)
		err_errno(r, "sending the terminal to %s", path);
	return r;
}

/**
 * expect() - Wait for one message from the sentry
 * @c:		Creation
 * @type:	Expected type
 * @fd:		Passed descriptor, or NULL
 *
 * BOOT_NS_READY sets the init pid in the state.
 *
 * Return: 0, or -errno after logging the sentry's own message
 */
static int expect(struct creation *c, enum boot_msg_type type, int *fd)
{
	struct boot_msg m;
	int r = boot_recv(c->sync, CREATE_READY_TIMEOUT_MS, &m, fd);

	if (!r && m.type == type) {
		if (type == BOOT_NS_READY)
			c->st.init_pid = m.init_pid;
		return 0;
	}
	if (!r && m.type == BOOT_FAIL) {
		err("runsc create failed: %s", m.text);
		return -ECANCELED;
	}
	if (!r)
		r = -EBADMSG;
	err_errno(r, "runsc create failed: the sandbox did not start");
	return r;
}

/**
 * do_create() - Everything of create but the final exit
 * @g:	Global options
 * @o:	Flags
 * @c:	Creation
 *
 * Return: 0 or -errno (logged)
 */
static int do_create(const struct global_opts *g, const struct create_opts *o,
		     struct creation *c)
{
	int pty = -1, r;

	r = prepare(g, o, c);
	if (!r)
		r = fork_sentry(g, c);
	if (!r)
		r = expect(c, BOOT_NS_READY, &pty);
	if (r < 0)
		return r;
	c->st.pid = c->sentry;
	state_proc_start_time(c->sentry, &c->st.start_time);
	if (pty >= 0) {
		r = o->console ? send_console(o->console, pty) : 0;
		close(pty);
	}
	if (!r)
		r = oci_hooks(c->spec->hooks, SPEC_HOOK_PRESTART, &c->st,
			      c->bundle);
	if (!r)
		r = oci_hooks(c->spec->hooks, SPEC_HOOK_CREATE_RUNTIME, &c->st,
			      c->bundle);
	if (!r)
		r = boot_send(c->sync, BOOT_GO, 0, -1, NULL);
	if (!r)
		r = expect(c, BOOT_READY, NULL);
	if (r < 0)
		return r;
	c->st.status = STATE_CREATED;
	snprintf(c->st.ctl, sizeof(c->st.ctl), "%s", c->ctl);
	r = state_write(c->dirfd, &c->st);
	if (!r && o->pid_file)
		r = oci_pidfile(o->pid_file, c->sentry);
	if (r < 0)
		err_errno(r, "runsc create failed: recording the container");
	return r;
}

/**
 * create_main() - create, with the cleanup of a failure
 * @g:	Global options
 * @o:	Flags
 * @c:	Creation (zeroed by the caller)
 *
 * Return: 0 or -errno
 */
static int create_main(const struct global_opts *g, const struct create_opts *o,
		       struct creation *c)
{
	int r;

	c->dirfd = c->lockfd = c->sync = -1;
	r = do_create(g, o, c);
	if (r < 0 && c->dirfd >= 0) {
		if (c->sentry > 0) {
			kill(c->sentry, SIGKILL);
			waitpid(c->sentry, NULL, 0);
		}
		if (c->st.cgroup[0])
			cgroup_remove(c->st.cgroup);
		state_remove(g->root, c->st.id);
	}
	if (c->sync >= 0)
		close(c->sync);
	if (c->lockfd >= 0)
		close(c->lockfd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	return r;
}

/**
 * cmd_create() - `runsc create`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0, or 1 on failure (the message is in the log)
 */
int cmd_create(const struct global_opts *g, int argc, char **argv)
{
	static struct creation c;
	struct create_opts o;
	int r;

	if (parse_create(argc, argv, &o) < 0)
		return 1;
	r = create_main(g, &o, &c);
	spec_free(&c.spec);
	return r < 0 ? 1 : 0;
}

/**
 * cmd_run() - `runsc run`: create, start, wait, delete
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: the container's exit code (128+N for signal N), or 1/125
 */
int cmd_run(const struct global_opts *g, int argc, char **argv)
{
	static struct creation c;
	struct create_opts o;
	int r, status = 0;

	if (parse_create(argc, argv, &o) < 0)
		return 1;
	signal(SIGINT, SIG_IGN);
	r = create_main(g, &o, &c);
	if (!r)
		r = oci_start(c.ctl, "runsc run");
	if (!r && o.detach) {
		spec_free(&c.spec);
		return 0;
	}
	if (c.sentry > 0 && waitpid(c.sentry, &status, 0) < 0)
		status = 255 << 8;
	if (c.sentry > 0)
		state_remove(g->root, o.id);
	if (c.sentry > 0 && c.st.cgroup[0])
		cgroup_remove(c.st.cgroup);
	spec_free(&c.spec);
	if (r < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
