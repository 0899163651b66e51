// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ops.c - mediated opens: resolution below the guest's root, the guest's
 * credentials, the deny list and the audit log (gofer.h, ops.h)
 *
 * Resolution: every open is an openat2() below the guest's root fd with
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, so "..", absolute symlinks and
 * /proc magic links never leave it. A relative path is joined to the
 * guest-view path of its directory (readlink of /proc/self/fd/N, the root's
 * own path stripped). The guest's RESOLVE_BENEATH / RESOLVE_IN_ROOT are
 * resolved below its directory instead: it asked to stay there.
 *
 * The deny list is matched on the resolved path of the opened file, never on
 * the text the guest gave; a new file is checked as parent + name before it
 * is created (O_NOFOLLOW: a dangling symlink is not followed to create its
 * target). O_TRUNC of a writable open is applied with ftruncate() after the
 * check, so a denied file is never touched.
 *
 * The gofer never blocks: O_NONBLOCK is added and then cleared if the guest
 * did not ask for it. A FIFO opened for writing without a reader fails with
 * ENXIO instead of waiting for one.
 */
#include "gofer/ops.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "gofer/proto.h"
#include "log.h"

#define SUFFIX_DELETED " (deleted)"
#define GOFER_O_TMPFILE                                                        \
	020000000 /* the bit alone: glibc's __O_TMPFILE has O_DIRECTORY */

/**
 * struct creds - credentials of the gofer's thread, saved or wanted
 * @uid:	fsuid
 * @gid:	fsgid
 * @ngroups:	Entries in @groups
 * @groups:	Supplementary groups
 * @cap:	capget/capset data (effective, permitted, inheritable)
 * @umask:	umask
 */
struct creds {
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[PROTO_MAX_GROUPS];
	struct __user_cap_data_struct cap[2];
	mode_t umask;
};

/**
 * struct named - a constant and its name, for the audit log
 * @v:		Value
 * @name:	Its symbolic name
 */
struct named {
	int v;
	const char *name;
};

#define NAMED(x)                                                               \
	{                                                                      \
		x, #x                                                          \
	}

/* open(2) flags by name, after the access mode; O_TMPFILE before
 * O_DIRECTORY, which it contains; O_LARGEFILE is 0 in glibc's headers */
static const struct named flag_names[] = {
    NAMED(O_CREAT),
    NAMED(O_EXCL),
    NAMED(O_NOCTTY),
    NAMED(O_TRUNC),
    NAMED(O_APPEND),
    NAMED(O_NONBLOCK),
    NAMED(O_DSYNC),
    {O_SYNC & ~O_DSYNC, "O_SYNC"},
    NAMED(O_ASYNC),
    NAMED(O_DIRECT),
    {0100000, "O_LARGEFILE"},
    NAMED(O_TMPFILE),
    NAMED(O_DIRECTORY),
    NAMED(O_NOFOLLOW),
    NAMED(O_NOATIME),
    NAMED(O_CLOEXEC),
    NAMED(O_PATH),
};

/**
 * gofer_flag_names() - Name open(2) flags: "O_RDWR|O_CREAT|0x40000000"
 * @out:	Buffer
 * @cap:	Its size
 * @flags:	Flags as the guest gave them
 *
 * Bits without a name are appended in hex.
 *
 * Return: length written, or -ENOSPC
 */
int gofer_flag_names(char *out, size_t cap, int flags)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR",
					  "O_ACCMODE"};
	unsigned int rest = (unsigned int)flags & ~(unsigned int)O_ACCMODE, i;
	int n, m;

	n = snprintf(out, cap, "%s", acc[flags & O_ACCMODE]);
	for (i = 0; i < ARRAY_SIZE(flag_names) && n >= 0 && (size_t)n < cap;
	     i++) {
		if ((rest & (unsigned int)flag_names[i].v) !=
		    (unsigned int)flag_names[i].v)
			continue;
		rest &= ~(unsigned int)flag_names[i].v;
		m = snprintf(out + n, cap - (size_t)n, "|%s",
			     flag_names[i].name);
		n = m < 0 ? m : n + m;
	}
	if (rest && n >= 0 && (size_t)n < cap) {
		m = snprintf(out + n, cap - (size_t)n, "|%#x", rest);
		n = m < 0 ? m : n + m;
	}
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

/**
 * gofer_path_join() - Join a guest directory and a relative path
 * @out:	Buffer
 * @cap:	Its size
 * @dir:	Absolute guest-view directory
 * @path:	Path below it (absolute: @dir is ignored)
 *
 * Repeated slashes and "." components are dropped; ".." is kept for the
 * kernel to resolve (it follows symlinks, a lexical ".." would not), which
 * RESOLVE_IN_ROOT keeps below the root. A trailing slash is kept: it makes
 * the open require a directory.
 *
 * Return: length, or -ENAMETOOLONG / -EINVAL (@dir not absolute)
 */
int gofer_path_join(char *out, size_t cap, const char *dir, const char *path)
{
	const char *parts[2] = {path[0] == '/' ? "" : dir, path}, *p, *e;
	size_t n = 0, l;
	int i;

	if (path[0] != '/' && dir[0] != '/')
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		for (p = parts[i]; *p; p = e) {
			while (*p == '/')
				p++;
			e = strchrnul(p, '/');
			l = (size_t)(e - p);
			if (!l || (l == 1 && *p == '.'))
				continue;
			if (n + l + 2 > cap)
				return -ENAMETOOLONG;
			out[n++] = '/';
			memcpy(out + n, p, l);
			n += l;
		}
	}
	l = strlen(path);
	if (!n || (l && path[l - 1] == '/')) {
		if (n + 2 > cap)
			return -ENAMETOOLONG;
		out[n++] = '/';
	}
	out[n] = '\0';
	return (int)n;
}

/**
 * gofer_denied() - Does the deny list cover a resolved guest path?
 * @pol:	Policy
 * @path:	Absolute resolved guest path
 *
 * A pattern matches the path or any of its leading directories (fnmatch
 * with FNM_PATHNAME): "/etc/ssh" denies "/etc/ssh/sshd_config".
 *
 * Return: true if denied
 */
bool gofer_denied(const struct gofer_policy *pol, const char *path)
{
	char pre[PROTO_MAX_PATH];
	size_t l = strlen(path), i;
	int k;

	if (l >= sizeof(pre))
		return true; /* cannot be checked: fail closed */
	for (i = 1; i <= l; i++) {
		if (i < l && path[i] != '/')
			continue;
		memcpy(pre, path, i);
		pre[i] = '\0';
		for (k = 0; k < pol->n_deny; k++)
			if (!fnmatch(pol->deny[k], pre, FNM_PATHNAME))
				return true;
	}
	return false;
}

/**
 * gofer_strip_root() - Make a path read from /proc/self/fd guest-view
 * @path:	Path as readlink gave it; rewritten in place
 * @root:	Path of the guest's root, same source ("/": nothing to strip)
 *
 * Return: 0, or -ENOENT if @path is not absolute, is a deleted file, or lies
 * outside @root
 */
int gofer_strip_root(char *path, const char *root)
{
	size_t l = strlen(path), r = strlen(root), s = strlen(SUFFIX_DELETED);

	if (path[0] != '/' || root[0] != '/' ||
	    (l >= s && !strcmp(path + l - s, SUFFIX_DELETED)))
		return -ENOENT;
	if (r == 1)
		return 0;
	if (strncmp(path, root, r) || (path[r] && path[r] != '/'))
		return -ENOENT;
	if (!path[r])
		memcpy(path, "/", 2);
	else
		memmove(path, path + r, l - r + 1);
	return 0;
}

/* errno names for the audit log's "result" */
static const struct named errnames[] = {
    NAMED(EPERM),  NAMED(ENOENT),     NAMED(EIO),     NAMED(ENXIO),
    NAMED(EBADF),  NAMED(EAGAIN),     NAMED(ENOMEM),  NAMED(EACCES),
    NAMED(EFAULT), NAMED(EBUSY),      NAMED(EEXIST),  NAMED(EXDEV),
    NAMED(ENODEV), NAMED(ENOTDIR),    NAMED(EISDIR),  NAMED(EINVAL),
    NAMED(ENFILE), NAMED(EMFILE),     NAMED(ETXTBSY), NAMED(EFBIG),
    NAMED(ENOSPC), NAMED(EROFS),      NAMED(EMLINK),  NAMED(ENAMETOOLONG),
    NAMED(ELOOP),  NAMED(EOPNOTSUPP), NAMED(EBADMSG), NAMED(EOVERFLOW),
    NAMED(E2BIG),  NAMED(EDQUOT),     NAMED(ESTALE),  NAMED(EINTR),
    NAMED(ENOSYS), NAMED(ESRCH),
};

/**
 * gofer_errname() - Symbolic name of an errno value
 * @err:	Positive errno
 *
 * Return: "ENOENT" etc., or "E?" for one not in the table
 */
const char *gofer_errname(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].v == err)
			return errnames[i].name;
	return "E?";
}

/**
 * fd_path() - The path a descriptor refers to, from /proc/self/fd
 * @fd:		Descriptor
 * @buf:	Result
 * @cap:	Its size
 *
 * Return: 0, or -errno (-ENOENT: not an absolute path, or deleted)
 * #syscalls:gofer readlink
 */
static int fd_path(int fd, char *buf, size_t cap)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, cap - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= cap - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return gofer_strip_root(buf, "/");
}

/**
 * guest_path() - Guest-view path of a descriptor below the guest's root
 * @fd:		Descriptor
 * @root:	Host-view path of the guest's root (fd_path() of it)
 * @buf:	Result
 * @cap:	Its size
 *
 * Return: 0 or -errno
 */
static int guest_path(int fd, const char *root, char *buf, size_t cap)
{
	int r = fd_path(fd, buf, cap);

	return r ? r : gofer_strip_root(buf, root);
}

/**
 * creds_save() - Read the thread's current credentials
 * @c:	Result
 *
 * Return: 0 or -errno
 * #syscalls:gofer setfsuid setfsgid getgroups capget umask
 */
static int creds_save(struct creds *c)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};

	c->uid = (uid_t)setfsuid((uid_t)-1);
	c->gid = (gid_t)setfsgid((gid_t)-1);
	c->ngroups = getgroups(PROTO_MAX_GROUPS, c->groups);
	if (c->ngroups < 0)
		return -errno;
	if (syscall(SYS_capget, &h, c->cap))
		return -errno;
	c->umask = umask(0);
	umask(c->umask);
	return 0;
}

/**
 * same_groups() - Is a group list the one the thread has?
 * @a:	One
 * @b:	The other
 *
 * Return: true if equal (same order)
 */
static bool same_groups(const struct creds *a, const struct creds *b)
{
	return a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups,
		       (size_t)a->ngroups * sizeof(a->groups[0]));
}

/**
 * creds_set() - Become @want (per thread: raw setgroups and capset)
 * @want:	Credentials to take
 * @cur:	The thread's current ones (for what need not change)
 *
 * The effective set is first raised to the permitted one (changing groups
 * and ids needs CAP_SETGID / CAP_SETUID, also on the way back), and set to
 * @want's last: setfsuid() from 0 drops the file-system capabilities, the
 * final capset() puts back what @want allows.
 *
 * Return: 0 or -EPERM
 * #syscalls:gofer setgroups setfsuid setfsgid capset umask
 */
static int creds_set(const struct creds *want, const struct creds *cur)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct all[2] = {cur->cap[0], cur->cap[1]};

	all[0].effective = all[0].permitted; /* for the set*id calls */
	all[1].effective = all[1].permitted;
	if (syscall(SYS_capset, &h, all))
		return -errno;
	if (!same_groups(want, cur) &&
	    syscall(SYS_setgroups, want->ngroups, want->groups))
		return -errno;
	setfsgid(want->gid);
	setfsuid(want->uid);
	if ((gid_t)setfsgid((gid_t)-1) != want->gid ||
	    (uid_t)setfsuid((uid_t)-1) != want->uid)
		return -EPERM;
	if (syscall(SYS_capset, &h, want->cap))
		return -errno;
	umask(want->umask);
	return 0;
}

/**
 * creds_for() - The credentials a request asks for
 * @o:		Request body
 * @self:	The gofer's own credentials
 * @c:		Result: effective caps = the guest's & our permitted
 */
static void creds_for(const struct proto_open *o, const struct creds *self,
		      struct creds *c)
{
	*c = *self;
	c->uid = o->uid;
	c->gid = o->gid;
	c->ngroups = (int)o->ngroups;
	memcpy(c->groups, o->groups, o->ngroups * sizeof(c->groups[0]));
	c->cap[0].effective = (uint32_t)o->cap_eff & self->cap[0].permitted;
	c->cap[1].effective =
	    (uint32_t)(o->cap_eff >> 32) & self->cap[1].permitted;
	c->umask = o->umask & 0777;
}

/**
 * struct req - one open being served
 * @o:		Request body
 * @path:	Path as the guest gave it
 * @root:	Guest's root fd (not owned)
 * @dir:	Directory fd for a relative path, or -1 (not owned)
 * @rootpath:	Host-view path of @root
 * @full:	Guest-view path to resolve below @root
 * @resolved:	Guest-view path of what was opened, "" if nothing
 * @denied:	The deny list refused it
 */
struct req {
	const struct proto_open *o;
	const char *path;
	int root;
	int dir;
	char rootpath[PROTO_MAX_PATH];
	char full[PROTO_MAX_PATH];
	char resolved[PROTO_MAX_PATH];
	bool denied;
};

/**
 * do_openat2() - openat2() with the mediation's resolve flags
 * @q:		Request
 * @flags:	Flags to open with
 * @path:	Path (below @q->root, or @q->dir for a guest-confined open)
 *
 * A lookup raced by a rename is retried (fd_openat2()), so the guest never
 * sees the spurious EAGAIN of RESOLVE_IN_ROOT; its own RESOLVE_CACHED
 * EAGAIN is passed on.
 *
 * Return: fd or -errno
 * #syscalls:gofer openat2
 */
static int do_openat2(const struct req *q, int flags, const char *path)
{
	const uint64_t confine = RESOLVE_BENEATH | RESOLVE_IN_ROOT;
	struct open_how how = {
	    .flags = (uint64_t)(unsigned int)flags,
	    .resolve = RESOLVE_NO_MAGICLINKS |
		       (q->o->resolve & (RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS |
					 RESOLVE_CACHED))};
	int base = q->root;

	if (flags & (O_CREAT | GOFER_O_TMPFILE))
		how.mode = q->o->mode & 07777;
	if ((q->o->resolve & confine) && q->dir >= 0) {
		how.resolve |= q->o->resolve & confine;
		base = q->dir;
	} else {
		how.resolve |= RESOLVE_IN_ROOT;
	}
	return fd_openat2(base, path, &how);
}

/**
 * check_new() - Deny check of a file about to be created: parent + name
 * @q:		Request (@full set)
 * @pol:	Policy
 *
 * Return: 0, -EACCES (denied), or -errno resolving the parent
 */
static int check_new(struct req *q, const struct gofer_policy *pol)
{
	char parent[PROTO_MAX_PATH], *slash;
	_cleanup_close_ int pfd = -1;
	const char *dir, *name;
	size_t l;
	int r;

	memcpy(parent, q->full, sizeof(parent));
	slash = strrchr(parent, '/');
	if (slash && !slash[1])
		return 0; /* "/" or "dir/": the open itself fails */
	if (slash) {
		*slash = '\0';
		dir = parent[0] ? parent : "/", name = slash + 1;
	} else {
		dir = ".", name = parent; /* below the guest's own dirfd */
	}
	pfd = do_openat2(q, O_PATH | O_DIRECTORY | O_CLOEXEC, dir);
	if (pfd < 0)
		return pfd;
	r = guest_path(pfd, q->rootpath, q->resolved, sizeof(q->resolved));
	if (r < 0)
		return r;
	l = strlen(q->resolved);
	if (l + strlen(name) + 2 > sizeof(q->resolved))
		return -ENAMETOOLONG;
	snprintf(q->resolved + l, sizeof(q->resolved) - l, "%s%s",
		 l > 1 ? "/" : "", name);
	if (gofer_denied(pol, q->resolved)) {
		q->denied = true;
		return -EACCES;
	}
	q->resolved[0] = '\0';
	return 0;
}

/**
 * check_tmpdir() - Deny check of the directory an O_TMPFILE goes to
 * @q:		Request (@full set)
 * @pol:	Policy
 *
 * The unnamed file has no path of its own to check (and could be linked
 * into that directory later).
 *
 * Return: 0, -EACCES (denied), or -errno resolving the directory
 */
static int check_tmpdir(struct req *q, const struct gofer_policy *pol)
{
	_cleanup_close_ int dfd =
	    do_openat2(q, O_PATH | O_DIRECTORY | O_CLOEXEC, q->full);
	int r = dfd < 0 ? dfd
			: guest_path(dfd, q->rootpath, q->resolved,
				     sizeof(q->resolved));

	if (r < 0)
		return r;
	if (gofer_denied(pol, q->resolved)) {
		q->denied = true;
		return -EACCES;
	}
	q->resolved[0] = '\0';
	return 0;
}

/**
 * open_checked() - Open @q->full, then deny-check what was opened
 * @q:		Request
 * @pol:	Policy
 * @flags:	Flags (O_NONBLOCK and O_CLOEXEC added by the caller)
 *
 * Return: fd or -errno
 * #syscalls:gofer ftruncate fstat
 */
static int open_checked(struct req *q, const struct gofer_policy *pol,
			int flags)
{
	int trunc = flags & O_TRUNC, acc = flags & O_ACCMODE, r;
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (acc != O_RDONLY)
		flags &= ~O_TRUNC; /* applied after the check */
	if ((flags & GOFER_O_TMPFILE) == GOFER_O_TMPFILE &&
	    (r = check_tmpdir(q, pol)) < 0)
		return r;
	if ((flags & O_CREAT) && !(flags & O_EXCL)) {
		fd = do_openat2(q, flags & ~O_CREAT, q->full);
		if (fd == -ENOENT) {
			r = check_new(q, pol);
			if (r < 0)
				return r;
			fd = do_openat2(q, flags | O_NOFOLLOW, q->full);
		}
	} else if (flags & O_CREAT) {
		r = check_new(q, pol);
		if (r < 0)
			return r;
		fd = do_openat2(q, flags, q->full);
	} else {
		fd = do_openat2(q, flags, q->full);
	}
	if (fd < 0)
		return fd;
	r = guest_path(fd, q->rootpath, q->resolved, sizeof(q->resolved));
	if (r == -ENOENT && (flags & GOFER_O_TMPFILE) == GOFER_O_TMPFILE)
		r = 0; /* an unnamed file: check_tmpdir() judged its dir */
	if (r < 0 || gofer_denied(pol, q->resolved)) {
		q->denied = r >= 0;
		return r < 0 ? r : -EACCES;
	}
	if (trunc && acc != O_RDONLY && !fstat(fd, &st) &&
	    S_ISREG(st.st_mode) && ftruncate(fd, 0))
		return -errno;
	return TAKE_FD(fd);
}

/**
 * prepare() - Check the request's handles, compute @q->full
 * @q:		Request (@o, @path, @root, @dir set)
 *
 * Return: 0 or -errno (-EBADF: unusable handles)
 * #syscalls:gofer fstat
 */
static int prepare(struct req *q)
{
	char dir[PROTO_MAX_PATH];
	bool confined;
	struct stat st;
	int r;

	if (fstat(q->root, &st) || !S_ISDIR(st.st_mode))
		return -EBADF;
	r = fd_path(q->root, q->rootpath, sizeof(q->rootpath));
	if (r < 0)
		return r;
	confined = q->o->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	if (q->path[0] == '/' && !confined) {
		r = gofer_path_join(q->full, sizeof(q->full), "/", q->path);
		return r < 0 ? r : 0;
	}
	if (q->dir < 0)
		return -EBADF;
	if (fstat(q->dir, &st))
		return -EBADF;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (confined) {
		snprintf(q->full, sizeof(q->full), "%s", q->path);
		return 0; /* resolved below @dir itself, as the guest asked */
	}
	r = guest_path(q->dir, q->rootpath, dir, sizeof(dir));
	if (r == 0)
		r = gofer_path_join(q->full, sizeof(q->full), dir, q->path);
	return r < 0 ? r : 0;
}

/**
 * audit() - Write the request's audit line (one write(2))
 * @pol:	Policy (@audit_fd < 0: nothing)
 * @q:		Request
 * @result:	fd or -errno
 * #syscalls:gofer write clock_gettime
 */
static void audit(const struct gofer_policy *pol, const struct req *q,
		  int result)
{
	static char line[GOFER_AUDIT_MAX];
	char ts[40], flags[256], path[PROTO_MAX_PATH * 6 + 3];
	char res[PROTO_MAX_PATH * 6 + 3];
	struct timespec t;
	struct tm tm;
	int n;

	if (pol->audit_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &t);
	gmtime_r(&t.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	if (gofer_flag_names(flags, sizeof(flags), q->o->flags) < 0)
		snprintf(flags, sizeof(flags), "%#x", q->o->flags);
	if (json_quote(path, sizeof(path), q->path) < 0)
		snprintf(path, sizeof(path), "null");
	if (!q->resolved[0] || json_quote(res, sizeof(res), q->resolved) < 0)
		snprintf(res, sizeof(res), "null");
	n = snprintf(line, sizeof(line),
		     "{\"time\":\"%s.%09ldZ\",\"pid\":%d,\"path\":%s,"
		     "\"resolved\":%s,\"flags\":\"%s\",\"result\":\"%s\"%s}\n",
		     ts, t.tv_nsec, q->o->pid, path, res, flags,
		     result >= 0 ? "ok" : gofer_errname(-result),
		     q->denied ? ",\"denied\":true" : "");
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(pol->audit_fd, line, (size_t)n);
}

/**
 * open_flags() - The flags the gofer opens with, for the guest's
 * @gflags:	Flags as the guest gave them
 *
 * openat2() rejects what open() ignores: unknown bits are dropped, and
 * with O_PATH only the flags O_PATH allows are kept. Otherwise O_NONBLOCK
 * (the gofer never blocks) and O_NOCTTY are added; O_CLOEXEC always.
 *
 * Return: flags
 */
static int open_flags(int gflags)
{
	const int opath = O_PATH | O_DIRECTORY | O_NOFOLLOW;
	int valid = O_ACCMODE, i, f;

	for (i = 0; i < (int)ARRAY_SIZE(flag_names); i++)
		valid |= flag_names[i].v;
	f = gflags & valid;
	if (f & O_PATH)
		f &= opath;
	else
		f |= O_NONBLOCK | O_NOCTTY;
	return f | O_CLOEXEC;
}

/**
 * serve_open() - Resolve and open as the guest (credentials switched)
 * @q:		Request
 * @pol:	Policy
 *
 * Return: fd or -errno
 * #syscalls:gofer fcntl
 */
static int serve_open(struct req *q, const struct gofer_policy *pol)
{
	int gflags = q->o->flags, fd, fl, r;
	struct creds self, want;

	r = creds_save(&self);
	if (r < 0)
		return r;
	creds_for(q->o, &self, &want);
	r = creds_set(&want, &self);
	fd = r < 0 ? r : prepare(q);
	if (fd >= 0)
		fd = open_checked(q, pol, open_flags(gflags));
	if (creds_set(&self, &want) < 0)
		abort(); /* cannot go on as somebody else */
	if (fd >= 0 && !(gflags & O_NONBLOCK) && !(gflags & O_PATH)) {
		fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	return fd;
}

/**
 * gofer_open() - Serve one PROTO_OPEN request
 * @pol:	Deny list and audit log
 * @m:		Checked request; its descriptors stay the caller's
 * @fd:		Opened file on success (CLOEXEC), owned by the caller
 *
 * Return: 0, or -errno for the guest (-EBADF: unusable handles, -EACCES:
 * denied)
 */
int gofer_open(const struct gofer_policy *pol, const struct proto_msg *m,
	       int *fd)
{
	static struct req q;
	int r;

	*fd = -1;
	if (m->hdr.op != PROTO_OPEN || !m->path || m->nfds < 1 || m->nfds > 2)
		return -EBADMSG;
	memset(&q, 0, sizeof(q));
	q.o = &m->open;
	q.path = m->path;
	q.root = m->fds[0];
	q.dir = m->nfds > 1 ? m->fds[1] : -1;
	r = serve_open(&q, pol);
	audit(pol, &q, r);
	if (r < 0)
		return r;
	*fd = r;
	return 0;
}
