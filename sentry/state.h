/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * state.h - the container state directory: state.json, lock, liveness
 *
 * Theory of operation
 * -------------------
 * Every container has a directory <root>/<id>/ (0700) holding:
 *
 *   state.json      OCI state plus our own fields, written atomically
 *                   (state.json.tmp, fsync, renameat); readers never lock
 *   state.json.tmp  scratch file of the last writer; ignored by readers
 *   lock            flock(2) target (0600); a verb holds it shared while it
 *                   only reads and exclusive while it writes or removes
 *   ctl             the sentry's control socket (design.md section 9);
 *                   created by the sentry, only removed here
 *   exit            the workload's wait status in decimal, written by the
 *                   sentry as it ends (it has no other reader: the shim
 *                   reaps it), only removed here
 *
 * <root> is the OCI --root. Docker passes the same directory to every
 * runtime (protocol doc 1.1), so it also holds runc's <id>/state.json
 * directories and gVisor's <id>_sandbox:<id>.state files. Our state.json
 * carries "runtime": STATE_RUNTIME; an entry without that marker is not
 * ours: state_read() reports -ENOMSG, state_list() skips it, and
 * state_remove() leaves it alone. Creating <root>/<id> fails with -EEXIST
 * if the name is taken by anyone, so a foreign entry is never overwritten.
 *
 * Paths are resolved once: the root is opened, the id is opened relative to
 * it with O_NOFOLLOW, and every file below is reached with *at() calls on
 * that directory fd. Every fd is O_CLOEXEC and owned by the caller.
 *
 * Locking: state_write() and state_remove() expect the caller to hold the
 * lock exclusively. state_remove() unlinks the lock file, so a process that
 * was blocked on it wakes holding a lock on a dead inode and must re-read
 * state.json (and see -ENOENT) before trusting what it read earlier.
 *
 * Liveness: a pid alone is not proof that the sentry still runs, as pids
 * are reused. We record the sentry's starttime (field 22 of /proc/PID/stat,
 * in clock ticks since boot) and compare it, as runc does for its init.
 * pids are those of the runtime's pid namespace (that of /proc).
 *
 * Output formats: state_json() prints what `runc state` prints, byte for
 * byte (Go's json.MarshalIndent with two spaces, HTML-safe escaping, "pid"
 * 0 once stopped, no trailing newline); state_hook_json() prints the compact
 * OCI state that runc feeds to hooks on stdin ("pid" omitted once stopped).
 *
 * Nothing here allocates except jansson inside state_read()/state_write(),
 * and nothing is thread-safe beyond what the lock gives across processes.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define STATE_RUNTIME "runsc-lwip"    /* marker in our state.json */
#define STATE_VERSION 1		      /* layout of our state.json */
#define STATE_OCI_VERSION "1.0.2-dev" /* default: what runc 1.1 reports */
#define STATE_ID_MAX 1024	      /* bytes in a container id */
#define STATE_TIME_MAX 40 /* "2006-01-02T15:04:05.999999999Z" + NUL */

enum state_status {
	STATE_CREATING,
	STATE_CREATED,
	STATE_RUNNING,
	STATE_PAUSED,
	STATE_STOPPED,
	STATE_NUM,
};

/**
 * struct state - one container, as stored in state.json
 * @oci_version:	ociVersion of the bundle's config.json ("" prints
 *			STATE_OCI_VERSION)
 * @id:			container id (state_id_valid())
 * @pid:		sentry pid in the runtime's pid namespace; 0 if none
 * @status:		lifecycle state
 * @bundle:		absolute bundle path, as given to create
 * @rootfs:		absolute rootfs path
 * @created:		creation time, state_format_time() form (UTC)
 * @owner:		OCI "owner"; runc prints "" from `state`
 * @init_pid:		guest init pid (sentry's view); 0 if none
 * @ctl:		control socket path; "" if none
 * @exit_status:	wait status of the guest init once stopped, else -1
 * @start_time:		starttime of @pid (/proc/PID/stat field 22)
 * @cgroup:		linux.cgroupsPath of the bundle; "" if none
 * @net_mode:		enum net_mode the sandbox runs in (exec needs it)
 * @file_mediated:	1: the guest's opens go to the gofer (exec too)
 */
struct state {
	char oci_version[32];
	char id[STATE_ID_MAX + 1];
	pid_t pid;
	enum state_status status;
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char created[STATE_TIME_MAX];
	char owner[64];
	pid_t init_pid;
	char ctl[108]; /* sizeof(sun_path) */
	int exit_status;
	unsigned long long start_time;
	char cgroup[512];
	int net_mode;
	int file_mediated;
};

const char *state_status_str(enum state_status st);
int state_status_parse(const char *str, enum state_status *st);
int state_id_valid(const char *id);
int state_format_time(const struct timespec *ts, char *buf, size_t len);

int state_dir_open(const char *root, const char *id, bool create, int *dirfd);
int state_lock(int dirfd, bool exclusive, bool wait, int *lockfd);
int state_write(int dirfd, const struct state *s);
int state_read(int dirfd, struct state *s);
int state_remove(const char *root, const char *id);
int state_list(const char *root, int (*fn)(const struct state *s, void *opaque),
	       void *opaque);

int state_json(const struct state *s, char *buf, size_t len);
int state_hook_json(const struct state *s, char *buf, size_t len);

int state_parse_stat(const char *stat, char *pstate,
		     unsigned long long *start_time);
int state_proc_start_time(pid_t pid, unsigned long long *start_time);
int state_pid_alive(const struct state *s);
