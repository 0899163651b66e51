// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_oci.c - the short OCI verbs: start state kill delete list ps pause
 *             resume wait
 *
 *   runsc start ID
 *   runsc state ID
 *   runsc kill [--all] ID [SIGNAL]      (number or name; default TERM)
 *   runsc delete [--force] ID
 *   runsc list [--format table|json] [--quiet]
 *   runsc ps [--format table|json] ID
 *   runsc pause ID / runsc resume ID
 *   runsc wait ID                        (prints the exit code)
 *
 * Each opens the container with oci_open() (shared lock to read, exclusive
 * to change) and speaks to the sentry only through signals (kill) or its
 * control socket (start). Messages are runc's where Docker's shim parses
 * them (oci.h).
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "cgroup.h"
#include "container.h"
#include "ctl.h"
#include "log.h"
#include "oci.h"

#define PS_MAX 4096 /* processes listed by ps */

/**
 * one_id() - The single container id after the flags
 * @argc:	Argument count
 * @argv:	Arguments
 * @verb:	For the message
 *
 * Return: the id, or NULL (logged)
 */
static const char *one_id(int argc, char **argv, const char *verb)
{
	if (optind != argc - 1) {
		err("%s: expected exactly one container id", verb);
		return NULL;
	}
	return argv[optind];
}

/**
 * open_or_log() - oci_open() with runc's wording on failure
 * @g:		Global options
 * @id:		Container id
 * @excl:	Exclusive lock
 * @c:		Result
 *
 * Return: 0 or -errno (logged)
 */
static int open_or_log(const struct global_opts *g, const char *id, bool excl,
		       struct oci_ctr *c)
{
	int r = oci_open(g, id, excl, c);

	if (r == -ENOENT)
		err("container does not exist: %s", id);
	else if (r < 0)
		err_errno(r, "container %s", id);
	return r;
}

/**
 * flags_only() - Parse no flags but "--", leaving optind at the operands
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or -EINVAL
 */
static int flags_only(int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};

	optind = 1;
	return getopt_long(argc, argv, "+", none, NULL) == -1 ? 0 : -EINVAL;
}

/**
 * cmd_start() - `runsc start ID`: release the workload
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or 1
 */
int cmd_start(const struct global_opts *g, int argc, char **argv)
{
	struct oci_ctr c;
	const char *id;
	int r;

	if (flags_only(argc, argv) || !(id = one_id(argc, argv, "start")))
		return 1;
	if (open_or_log(g, id, true, &c))
		return 1;
	if (oci_status(&c) != STATE_CREATED) {
		err("cannot start a container that is %s",
		    state_status_str(c.st.status));
		oci_close(&c);
		return 1;
	}
	r = oci_start(c.st.ctl, "runsc start");
	if (!r) {
		c.st.status = STATE_RUNNING;
		r = state_write(c.dirfd, &c.st);
	}
	oci_close(&c);
	return r < 0 ? 1 : 0;
}

/**
 * cmd_state() - `runsc state ID`: runc's JSON
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or 1
 */
int cmd_state(const struct global_opts *g, int argc, char **argv)
{
	char out[16384];
	struct oci_ctr c;
	const char *id;
	int r;

	if (flags_only(argc, argv) || !(id = one_id(argc, argv, "state")))
		return 1;
	if (open_or_log(g, id, false, &c))
		return 1;
	oci_status(&c);
	r = state_json(&c.st, out, sizeof(out));
	oci_close(&c);
	if (r < 0)
		return 1;
	fputs(out, stdout);
	return 0;
}

/**
 * container_pids() - Every process of the container
 * @st:		State
 * @pids:	Result
 * @max:	Capacity
 *
 * The cgroup's list when there is one; otherwise the sentry and every
 * process in the guest's pid namespace.
 *
 * Return: count, or -errno
 */
static int container_pids(const struct state *st, pid_t *pids, size_t max)
{
	char p[300], self[64], ns[64];
	struct dirent *e;
	ssize_t n;
	DIR *d;
	int k = 0;

	if (st->cgroup[0])
		return cgroup_pids(st->cgroup, pids, max);
	snprintf(p, sizeof(p), "/proc/%d/ns/pid", (int)st->init_pid);
	n = readlink(p, self, sizeof(self) - 1);
	if (n <= 0)
		return -ESRCH;
	self[n] = '\0';
	pids[k++] = st->pid;
	d = opendir("/proc");
	while (d && (e = readdir(d)) && (size_t)k < max) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/ns/pid", e->d_name);
		n = readlink(p, ns, sizeof(ns) - 1);
		if (n <= 0)
			continue;
		ns[n] = '\0';
		if (!strcmp(ns, self))
			pids[k++] = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return k;
}

/**
 * kill_all() - Signal every process of the container
 * @st:		State
 * @sig:	Signal
 *
 * Return: 0 or -errno
 */
static int kill_all(const struct state *st, int sig)
{
	static pid_t pids[PS_MAX];
	int n = container_pids(st, pids, PS_MAX), i;

	for (i = 0; i < n; i++)
		kill(pids[i], sig);
	return n < 0 ? n : 0;
}

/**
 * cmd_kill() - `runsc kill [--all] ID [SIGNAL]`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * The signal goes to the sentry, which passes it to the workload (SIGKILL
 * ends the sentry, and the whole pid namespace with it).
 *
 * Return: 0 or 1
 */
int cmd_kill(const struct global_opts *g, int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"all", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	bool all = false;
	struct oci_ctr c;
	int sig = SIGTERM, o, r;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+a", lopts, NULL)) != -1) {
		if (o != 'a')
			return 1;
		all = true;
	}
	if (optind >= argc || argc - optind > 2) {
		err("kill: usage: kill [--all] ID [SIGNAL]");
		return 1;
	}
	if (argc - optind == 2 &&
	    (sig = oci_signal_parse(argv[optind + 1])) < 0) {
		err("kill: invalid signal \"%s\"", argv[optind + 1]);
		return 1;
	}
	if (open_or_log(g, argv[optind], false, &c))
		return 1;
	r = 0;
	if (oci_status(&c) == STATE_STOPPED) {
		err("container not running");
		r = -ESRCH;
	} else if (all) {
		r = kill_all(&c.st, sig);
	} else if (kill(c.st.pid, sig)) {
		r = -errno;
		err_errno(r, "kill: signalling the sandbox");
	}
	oci_close(&c);
	return r < 0 ? 1 : 0;
}

/**
 * cmd_delete() - `runsc delete [--force] ID`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0, or 1 (an unknown id is success with --force, as for runc)
 */
int cmd_delete(const struct global_opts *g, int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"force", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	char cfg[4200], msg[256];
	struct spec *spec = NULL;
	bool force = false;
	struct oci_ctr c;
	int o, r;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+f", lopts, NULL)) != -1) {
		if (o != 'f')
			return 1;
		force = true;
	}
	if (optind != argc - 1) {
		err("delete: expected exactly one container id");
		return 1;
	}
	r = oci_open(g, argv[optind], true, &c);
	if (r == -ENOENT && force)
		return 0;
	if (r < 0) {
		open_or_log(g, argv[optind], true, &c);
		return 1;
	}
	if (oci_status(&c) != STATE_STOPPED) {
		if (!force && c.st.status != STATE_CREATED) {
			err("cannot delete container %s that is not stopped: %s",
			    c.st.id, state_status_str(c.st.status));
			oci_close(&c);
			return 1;
		}
		if (c.st.status == STATE_PAUSED && c.st.cgroup[0])
			cgroup_freeze(c.st.cgroup, false);
		kill(c.st.pid, SIGKILL);
		if (oci_wait_dead(&c.st, 10000) < 0)
			warn("delete: the sandbox of %s does not end", c.st.id);
	}
	snprintf(cfg, sizeof(cfg), "%s/config.json", c.st.bundle);
	if (!spec_load(cfg, &spec, msg, sizeof(msg))) {
		c.st.status = STATE_STOPPED;
		oci_hooks(spec->hooks, SPEC_HOOK_POSTSTOP, &c.st, c.st.bundle);
		spec_free(&spec);
	}
	if (c.st.cgroup[0] && (r = cgroup_remove(c.st.cgroup)) < 0)
		warn_errno(r, "delete: cgroup %s", c.st.cgroup);
	r = state_remove(g->root, c.st.id);
	if (r < 0)
		err_errno(r, "delete: state of %s", c.st.id);
	oci_close(&c);
	return r < 0 ? 1 : 0;
}

/**
 * list_json() - state_list() callback: one JSON object
 * @s:		Container
 * @opaque:	int *: entries printed so far
 *
 * Return: 0
 */
static int list_json(const struct state *s, void *opaque)
{
	struct oci_ctr c = {.dirfd = -1, .lockfd = -1, .st = *s};
	int *n = opaque;
	char out[16384];

	oci_status(&c);
	if (state_json(&c.st, out, sizeof(out)) < 0)
		return 0;
	printf("%s%s", (*n)++ ? "," : "", out);
	return 0;
}

/**
 * list_table() - state_list() callback: one table row
 * @s:		Container
 * @opaque:	bool *: ids only (--quiet)
 *
 * Return: 0
 */
static int list_table(const struct state *s, void *opaque)
{
	struct oci_ctr c = {.dirfd = -1, .lockfd = -1, .st = *s};
	bool *quiet = opaque;

	oci_status(&c);
	if (*quiet)
		printf("%s\n", s->id);
	else
		printf("%-12s %-8d %-10s %-40s %s\n", s->id,
		       c.st.status == STATE_STOPPED ? 0 : (int)s->pid,
		       state_status_str(c.st.status), s->bundle, s->created);
	return 0;
}

/**
 * parse_format() - --format table|json and --quiet
 * @argc:	Argument count
 * @argv:	Arguments
 * @json:	Result
 * @quiet:	Result (may be NULL: not accepted)
 *
 * Return: 0 or -EINVAL
 */
static int parse_format(int argc, char **argv, bool *json, bool *quiet)
{
	static const struct option lopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	int o;

	*json = false;
	optind = 1;
	while ((o = getopt_long(argc, argv, "+f:q", lopts, NULL)) != -1) {
		if (o == 'f' &&
		    (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			*json = !strcmp(optarg, "json");
		else if (o == 'q' && quiet)
			*quiet = true;
		else
			return -EINVAL;
	}
	return 0;
}

/**
 * cmd_list() - `runsc list`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or 1
 */
int cmd_list(const struct global_opts *g, int argc, char **argv)
{
	bool json, quiet = false;
	int n = 0, r;

	if (parse_format(argc, argv, &json, &quiet))
		return 1;
	if (json) {
		printf("[");
		r = state_list(g->root, list_json, &n);
		printf("]\n");
	} else {
		if (!quiet)
			printf("%-12s %-8s %-10s %-40s %s\n", "ID", "PID",
			       "STATUS", "BUNDLE", "CREATED");
		r = state_list(g->root, list_table, &quiet);
	}
	return r < 0 && r != -ENOENT ? 1 : 0;
}

/**
 * cmd_ps() - `runsc ps [--format json] ID`: host pids of the container
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or 1
 */
int cmd_ps(const struct global_opts *g, int argc, char **argv)
{
	static pid_t pids[PS_MAX];
	struct oci_ctr c;
	const char *id;
	bool json;
	int n, i;

	if (parse_format(argc, argv, &json, NULL) ||
	    !(id = one_id(argc, argv, "ps")))
		return 1;
	if (open_or_log(g, id, false, &c))
		return 1;
	n = oci_status(&c) == STATE_STOPPED
		? 0
		: container_pids(&c.st, pids, PS_MAX);
	oci_close(&c);
	if (n < 0) {
		err_errno(n, "ps: processes of %s", id);
		return 1;
	}
	printf(json ? "[" : "PID\n");
	for (i = 0; i < n; i++) {
		if (json)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		else
			printf("%d\n", (int)pids[i]);
	}
	if (json)
		printf("]\n");
	return 0;
}

/**
 * pause_resume() - Freeze or thaw the container's cgroup
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 * @freeze:	true for pause
 *
 * Return: 0 or 1
 */
static int pause_resume(const struct global_opts *g, int argc, char **argv,
			bool freeze)
{
	const char *verb = freeze ? "pause" : "resume";
	enum state_status want = freeze ? STATE_RUNNING : STATE_PAUSED;
	struct oci_ctr c;
	const char *id;
	int r;

	if (flags_only(argc, argv) || !(id = one_id(argc, argv, verb)))
		return 1;
	if (open_or_log(g, id, true, &c))
		return 1;
	if (oci_status(&c) != want) {
		err(freeze ? "container not running" : "container not paused");
		oci_close(&c);
		return 1;
	}
	r = c.st.cgroup[0] ? cgroup_freeze(c.st.cgroup, freeze) : -ENODEV;
	if (r == -ENODEV)
		err("%s: the container has no cgroup (linux.cgroupsPath)",
		    verb);
	else if (r < 0)
		err_errno(r, "%s: freezer of %s", verb, c.st.cgroup);
	if (!r) {
		c.st.status = freeze ? STATE_PAUSED : STATE_RUNNING;
		r = state_write(c.dirfd, &c.st);
	}
	oci_close(&c);
	return r < 0 ? 1 : 0;
}

/**
 * cmd_pause() - `runsc pause ID`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or 1
 */
int cmd_pause(const struct global_opts *g, int argc, char **argv)
{
	return pause_resume(g, argc, argv, true);
}

/**
 * cmd_resume() - `runsc resume ID`
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0 or 1
 */
int cmd_resume(const struct global_opts *g, int argc, char **argv)
{
	return pause_resume(g, argc, argv, false);
}

/**
 * cmd_wait() - `runsc wait ID`: wait for the end, print the exit code
 * @g:		Global options
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0, or 1 (unknown container, or no status was recorded)
 */
int cmd_wait(const struct global_opts *g, int argc, char **argv)
{
	struct oci_ctr c;
	const char *id;
	int status;

	if (flags_only(argc, argv) || !(id = one_id(argc, argv, "wait")))
		return 1;
	if (open_or_log(g, id, false, &c))
		return 1;
	close(c.lockfd); /* delete must not wait for us */
	c.lockfd = -1;
	while (oci_status(&c) != STATE_STOPPED)
		oci_wait_dead(&c.st, 1000);
	/* the sentry records the status as it ends; only SIGKILL ends it
	 * without that chance, and takes the workload with it: 128 + 9 */
	status = oci_exit_status(&c);
	oci_close(&c);
	if (status < 0)
		status = SIGKILL;
	printf("{\"id\":\"%s\",\"exitStatus\":%d}\n", id,
	       WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status));
	return 0;
}
