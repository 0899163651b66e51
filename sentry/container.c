// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container.c - an OCI container's file view and process
 *
 * See container.h for the theory of operation.
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "gofer/proto.h"
#include "gofer/tree.h"
#include "log.h"
#include "ociseccomp.h"
#include "proc.h"

#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define CTR_TREE_TIMEOUT_MS 60000 /* the gofer's answer, at most */

/**
 * struct stub_mounts - the detached mounts the stub makes for the gofer
 * @index:	Spec entry of each
 * @fds:	Their mount fds
 * @n:		Entries used
 */
struct stub_mounts {
	uint32_t index[PROTO_MAX_FDS];
	int fds[PROTO_MAX_FDS];
	uint32_t n;
};

/**
 * check_exec() - Is @path below @rootfd an executable regular file
 * @rootfd:	Root directory
 * @path:	Candidate
 *
 * Return: 0, -ENOENT, or -EACCES
 */
static int check_exec(int rootfd, const char *path)
{
	int fd = tree_open_in(rootfd, path, O_PATH);
	struct stat st;
	int r = 0;

	if (fd < 0)
		return fd == -EACCES ? -EACCES : -ENOENT;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		r = -ENOENT;
	else if (!(st.st_mode & 0111))
		r = -EACCES;
	close(fd);
	return r;
}

/**
 * container_lookup() - Find a command the way execvp() would, in a rootfs
 * @rootfd:	Root of the container's file view
 * @file:	process.args[0]
 * @env:	process.env (PATH is taken from it; a default otherwise)
 * @out:	The path found, absolute inside the rootfs
 * @len:	Size of @out
 *
 * Return: 0, -ENOENT (not found), -EACCES (found, not executable), or
 * -ENAMETOOLONG
 */
int container_lookup(int rootfd, const char *file, char *const *env, char *out,
		     size_t len)
{
	const char *path = DEFAULT_PATH, *p, *e;
	int r, best = -ENOENT;
	size_t i;

	if (!*file)
		return -ENOENT;
	if (strchr(file, '/')) {
		if ((size_t)snprintf(out, len, "%s", file) >= len)
			return -ENAMETOOLONG;
		/* relative to process.cwd: execve() itself judges it */
		return *file == '/' ? check_exec(rootfd, file) : 0;
	}
	for (i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			path = env[i] + 5;
	for (p = path;; p = e + 1) {
		e = strchrnul(p, ':');
		if ((size_t)snprintf(out, len, "%.*s/%s",
				     (int)(e - p) ? (int)(e - p) : 1,
				     (e - p) ? p : ".", file) < len) {
			r = check_exec(rootfd, out);
			if (!r)
				return 0;
			if (r == -EACCES)
				best = r;
		}
		if (!*e)
			break;
	}
	return best;
}

/**
 * pivot() - Make @root the root of this mount namespace
 * @root:	New root (a mount point)
 *
 * Return: 0 or -errno
 */
static int pivot(const char *root)
{
	int r = proc_pivot(root);

	if (r)
		err_errno(r, "container: pivot_root to %s", root);
	return r;
}

/**
 * sysctl_one() - Write one linux.sysctl entry through our proc
 * @proc:	proc mount of the guest's namespaces
 * @kv:		Key (dotted) and value
 *
 * Return: 0 or -errno (logged)
 */
static int sysctl_one(int proc, const struct spec_kv *kv)
{
	char p[512], *c;
	int fd, r;

	if (strstr(kv->key, "..") || strchr(kv->key, '/') ||
	    (size_t)snprintf(p, sizeof(p), "sys/%s", kv->key) >= sizeof(p))
		r = -EINVAL;
	else
		r = 0;
	for (c = p + 4; !r && *c; c++)
		if (*c == '.')
			*c = '/';
	fd = r ? r : openat(proc, p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (!r)
		r = fd < 0 ? -errno
			   : write_all(fd, kv->value, strlen(kv->value));
	if (fd >= 0)
		close(fd);
	if (r < 0)
		err_errno(r, "container: sysctl %s", kv->key);
	return r;
}

/**
 * set_sysctls() - linux.sysctl, written through the stub's proc mount
 * @s:		Spec
 * @t:		The stub's mounts
 *
 * Before the gofer makes /proc/sys read-only; net.* keys are those of
 * the guest's network namespace (ours).
 *
 * Return: 0 or -errno (logged)
 */
static int set_sysctls(const struct spec *s, const struct stub_mounts *t)
{
	int proc = -1;
	uint32_t k;
	size_t i;
	int r = 0;

	for (k = 0; k < t->n && proc < 0; k++)
		if (!strcmp(s->mounts[t->index[k]].type, "proc"))
			proc = t->fds[k];
	if (s->lx.sysctl.n && proc < 0) {
		err("container: linux.sysctl needs a proc mount");
		return -EINVAL;
	}
	for (i = 0; !r && i < s->lx.sysctl.n; i++)
		r = sysctl_one(proc, &s->lx.sysctl.v[i]);
	return r;
}

/**
 * make_stub_mounts() - The file systems bound to our namespaces
 * @s:	Spec
 * @t:	Result (close with close_stub_mounts())
 *
 * proc, sysfs and mqueue show the namespaces of whoever creates them:
 * the stub makes them (detached) for the gofer to attach.
 *
 * Return: 0 or -errno (logged)
 */
static int make_stub_mounts(const struct spec *s, struct stub_mounts *t)
{
	size_t i;
	int r;

	t->n = 0;
	for (i = 0; i < s->n_mounts; i++) {
		if (!tree_ns_bound(&s->mounts[i]))
			continue;
		if (t->n == PROTO_MAX_FDS) {
			err("container: more than %d proc, sysfs and mqueue "
			    "mounts",
			    PROTO_MAX_FDS);
			return -E2BIG;
		}
		r = tree_kernel_fs(&s->mounts[i], &t->fds[t->n]);
		if (r < 0)
			return r;
		t->index[t->n++] = (uint32_t)i;
	}
	return 0;
}

/**
 * close_stub_mounts() - Close what make_stub_mounts() made
 * @t:	Mounts
 */
static void close_stub_mounts(struct stub_mounts *t)
{
	while (t->n)
		close(t->fds[--t->n]);
}

/**
 * ask_tree() - Send our mounts to the gofer, receive the tree
 * @gofer:	Socket to the gofer
 * @t:		Our mounts
 * @tree:	Result: the tree's root mount
 *
 * Return: 0 or -errno (the gofer's reason logged)
 */
static int ask_tree(int gofer, const struct stub_mounts *t, int *tree)
{
	static struct proto_msg m;
	int r = proto_send_tree(gofer, 1, t->index, t->fds, t->n);

	if (!r)
		r = proto_recv_op(gofer, &m, PROTO_REPLY, CTR_TREE_TIMEOUT_MS);
	if (r < 0) {
		err_errno(r, "container: the gofer");
		return r;
	}
	if (m.reply.result > 0 || (m.reply.result == 0) != (m.nfds == 1)) {
		proto_close_fds(&m);
		err("container: the gofer's reply is malformed");
		return -EBADMSG;
	}
	if (m.reply.result < 0) {
		err("%s", m.text[0] ? m.text : strerror(-m.reply.result));
		return m.reply.result;
	}
	*tree = m.fds[0];
	return 0;
}

/**
 * container_make_root() - Get the container's file view from the gofer,
 * enter it
 * @spec:	Spec (root.path absolute)
 * @gofer:	Socket to the gofer (consumed)
 *
 * Runs in the init stub, in its new mount namespace: makes proc, sysfs
 * and mqueue for the gofer, writes sysctls, attaches the tree the gofer
 * built over the rootfs path and pivots into it.
 *
 * Return: 0 or -errno (logged)
 */
int container_make_root(const struct spec *spec, int gofer)
{
	_cleanup_close_ int g = gofer, tree = -1;
	struct stub_mounts t = {.n = 0};
	int r = 0;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		r = -errno;
		err_errno(r, "container: private mounts");
	}
	if (!r)
		r = make_stub_mounts(spec, &t);
	if (!r)
		r = set_sysctls(spec, &t);
	if (!r)
		r = ask_tree(g, &t, &tree);
	close_stub_mounts(&t);
	if (!r && syscall(SYS_move_mount, tree, "", AT_FDCWD, spec->root.path,
			  MOVE_MOUNT_F_EMPTY_PATH)) {
		r = -errno;
		err_errno(r, "container: attaching the root");
	}
	if (!r)
		r = pivot(spec->root.path);
	return r;
}

/**
 * set_rlimits() - process.rlimits and oomScoreAdj
 * @p:	Process
 *
 * Return: 0 or CTR_ERR(CTR_RLIMIT, errno)
 */
static int set_rlimits(const struct spec_process *p)
{
	struct rlimit rl;
	char b[16];
	size_t i;
	int fd;

	for (i = 0; i < p->n_rlimits; i++) {
		rl.rlim_cur = p->rlimits[i].soft;
		rl.rlim_max = p->rlimits[i].hard;
		if (setrlimit(p->rlimits[i].resource, &rl))
			return CTR_ERR(CTR_RLIMIT, errno);
	}
	if (p->has_oom_score_adj) {
		fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
		snprintf(b, sizeof(b), "%d", p->oom_score_adj);
		if (fd >= 0) {
			(void)!write(fd, b, strlen(b));
			close(fd);
		}
	}
	return 0;
}

/**
 * set_user() - Groups, gid, uid, keeping capabilities across the switch
 * @u:	User
 *
 * Return: 0 or CTR_ERR(CTR_USER, errno)
 */
static int set_user(const struct spec_user *u)
{
	if (u->has_umask)
		umask((mode_t)u->umask);
	if (setgroups(u->n_gids, (const gid_t *)u->gids) ||
	    setresgid(u->gid, u->gid, u->gid) ||
	    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    setresuid(u->uid, u->uid, u->uid) ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
		return CTR_ERR(CTR_USER, errno);
	return 0;
}

/**
 * drop_bounding() - Drop every capability outside the bounding set
 * @bounding:	Bits to keep
 *
 * Return: 0 or CTR_ERR(CTR_CAPS, errno)
 */
static int drop_bounding(uint64_t bounding)
{
	int cap;

	for (cap = 0; cap <= 63; cap++) {
		if (bounding & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			return CTR_ERR(CTR_CAPS, errno);
	}
	return 0;
}

/**
 * set_caps() - Effective, permitted, inheritable and ambient sets
 * @p:	Process
 *
 * Return: 0 or CTR_ERR(CTR_CAPS, errno)
 */
static int set_caps(const struct spec_process *p)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	const uint64_t *c = p->caps;
	int cap;

	memset(d, 0, sizeof(d));
	d[0].effective = (uint32_t)c[SPEC_CAP_EFFECTIVE];
	d[1].effective = (uint32_t)(c[SPEC_CAP_EFFECTIVE] >> 32);
	d[0].permitted = (uint32_t)c[SPEC_CAP_PERMITTED];
	d[1].permitted = (uint32_t)(c[SPEC_CAP_PERMITTED] >> 32);
	d[0].inheritable = (uint32_t)c[SPEC_CAP_INHERITABLE];
	d[1].inheritable = (uint32_t)(c[SPEC_CAP_INHERITABLE] >> 32);
	if (syscall(SYS_capset, &h, d))
		return CTR_ERR(CTR_CAPS, errno);
	/* an ambient capability must be permitted and inheritable; like
	 * runc, one that is not is skipped, not fatal */
	for (cap = 0; cap <= 63; cap++)
		if ((c[SPEC_CAP_AMBIENT] & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0))
			debug("container: ambient capability %d not raised",
			      cap);
	return 0;
}

/**
 * container_setup_process() - Credentials and limits of the workload
 * @p:	Process
 *
 * Runs in the workload after the sentry released it, right before
 * execve: rlimits, cwd, bounding set, groups and ids, capability sets,
 * no_new_privs.
 *
 * Return: 0 or CTR_ERR(stage, errno)
 */
int container_setup_process(const struct spec_process *p)
{
	int r = set_rlimits(p);

	if (!r && chdir(p->cwd))
		r = CTR_ERR(CTR_CWD, errno);
	if (!r)
		r = drop_bounding(p->caps[SPEC_CAP_BOUNDING]);
	if (!r)
		r = set_user(&p->user);
	if (!r)
		r = set_caps(p);
	if (!r && p->no_new_privileges &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		r = CTR_ERR(CTR_CAPS, errno);
	return r;
}

/**
 * container_find() - Look process.args[0] up in the file view we are in
 * @p:		Process of the spec
 * @path:	Result
 * @len:	Size of @path
 *
 * Return: 0 or CTR_ERR(CTR_EXEC, errno)
 */
int container_find(const struct spec_process *p, char *path, size_t len)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), r;

	r = container_lookup(root, p->args.v[0], p->env.v, path, len);
	if (root >= 0)
		close(root);
	return r < 0 ? CTR_ERR(CTR_EXEC, -r) : 0;
}

/**
 * container_exec() - An OCI workload's last steps: terminal, credentials, execve
 * @p:		Process of the spec
 * @tty:	pty replica to make the controlling terminal, or -1
 * @seccomp:	linux.seccomp of the container (JSON), or NULL
 * @found:	process.args[0] as container_find() found it, or NULL: look
 *		it up here (after the credentials changed)
 *
 * Return: only on failure, CTR_ERR(stage, errno)
 */
int container_exec(const struct spec_process *p, int tty, const char *seccomp,
		   const char *found)
{
	char path[PATH_MAX];
	int r;

	if (tty >= 0 &&
	    (setsid() < 0 || ioctl(tty, TIOCSCTTY, 0) || dup2(tty, 0) < 0 ||
	     dup2(tty, 1) < 0 || dup2(tty, 2) < 0))
		return CTR_ERR(CTR_TTY, errno);
	if (tty > 2)
		close(tty);
	if (seccomp && ociseccomp_load(seccomp, NULL, 0) < 0)
		return CTR_ERR(CTR_FILTER, EINVAL);
	r = container_setup_process(p);
	if (r)
		return r;
	if (!found && (r = container_find(p, path, sizeof(path))))
		return r;
	execve(found ? found : path, p->args.v,
	       p->env.v ? p->env.v : (char *[]){NULL});
	return CTR_ERR(CTR_EXEC, errno);
}

/**
 * container_errmsg() - Docker-style text for a failed process setup
 * @packed:	CTR_ERR() value
 * @p:		Process
 * @buf:	Result
 * @len:	Size of @buf
 */
void container_errmsg(int packed, const struct spec_process *p, char *buf,
		      size_t len)
{
	int e = CTR_ERR_ERRNO(packed);
	const char *a0 = p->args.v[0];

	switch (CTR_ERR_STAGE(packed)) {
	case CTR_EXEC:
		if (e == ENOENT && !strchr(a0, '/'))
			snprintf(buf, len,
				 "exec: \"%s\": executable file not found in "
				 "$PATH",
				 a0);
		else
			snprintf(buf, len, "exec: \"%s\": %s", a0, strerror(e));
		break;
	case CTR_CWD:
		snprintf(buf, len,
			 "chdir to cwd (\"%s\") set in config.json failed: %s",
			 p->cwd, strerror(e));
		break;
	case CTR_USER:
		snprintf(buf, len, "setting user %u:%u: %s", p->user.uid,
			 p->user.gid, strerror(e));
		break;
	case CTR_CAPS:
		snprintf(buf, len, "unable to apply caps: %s", strerror(e));
		break;
	case CTR_RLIMIT:
		snprintf(buf, len, "setting rlimits: %s", strerror(e));
		break;
	case CTR_FILTER:
		snprintf(buf, len, "loading the seccomp filter: %s",
			 strerror(e));
		break;
	case CTR_JOIN:
		snprintf(buf, len, "joining the container: %s", strerror(e));
		break;
	default:
		snprintf(buf, len, "setting up the terminal: %s", strerror(e));
	}
}
