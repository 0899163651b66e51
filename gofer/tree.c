// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tree.c - the guest's mount tree, built by the gofer (tree.h)
 */
#include "gofer/tree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "gofer/proto.h"
#include "log.h"

#define RESOLVE_FLAGS (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
#define MOVE_FDS (MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)

static const char *const dev_nodes[] = {
    "null", "zero", "full", "random", "urandom", "tty",
};

/**
 * tree_open_in() - openat2() confined to a root
 * @rootfd:	Root directory
 * @path:	Path, absolute or relative: both are taken below @rootfd
 * @flags:	open flags (O_CLOEXEC is added)
 *
 * Return: fd or -errno (fd_openat2(): raced lookups are retried)
 */
int tree_open_in(int rootfd, const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
			       .resolve = RESOLVE_FLAGS};

	return fd_openat2(rootfd, *path ? path : ".", &how);
}

/**
 * make_path() - Open a path below the root, creating what is missing
 * @rootfd:	Root
 * @path:	Absolute path inside the root
 * @file:	Create the last component as an empty file, not a directory
 *
 * Each missing component is created relative to its parent's fd, which
 * was itself resolved inside the root: a symlink cannot redirect it.
 *
 * Return: O_PATH fd of the result, or -errno
 */
static int make_path(int rootfd, const char *path, bool file)
{
	char buf[PATH_MAX], *s, *name;
	_cleanup_close_ int parent = -1;
	int fd = tree_open_in(rootfd, path, O_PATH), nfd;

	if (fd != -ENOENT)
		return fd;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return -ENAMETOOLONG;
	parent = tree_open_in(rootfd, "/", O_PATH | O_DIRECTORY);
	for (s = buf; parent >= 0 && *s;) {
		while (*s == '/')
			s++;
		name = s;
		s = strchrnul(s, '/');
		if (*s)
			*s++ = '\0';
		if (!*name)
			break;
		if (!strcmp(name, "..") || !strcmp(name, "."))
			return -EINVAL;
		fd = tree_open_in(parent, name, O_PATH);
		if (fd == -ENOENT) {
			if (!*s && file) {
				nfd = openat(parent, name,
					     O_CREAT | O_EXCL | O_WRONLY |
						 O_CLOEXEC | O_NOFOLLOW,
					     0644);
				if (nfd >= 0)
					close(nfd);
			} else {
				mkdirat(parent, name, 0755);
			}
			fd = tree_open_in(parent, name, O_PATH);
		}
		if (fd < 0)
			return fd;
		close(parent);
		parent = fd;
	}
	return parent < 0 ? parent : TAKE_FD(parent);
}

/**
 * fs_new() - A new file system context, with a size if given
 * @type:	File system type
 * @size:	tmpfs size= option, or NULL
 *
 * Return: fs context fd (fsopen), or -errno
 */
static int fs_new(const char *type, const char *size)
{
	int fs = (int)syscall(SYS_fsopen, type, FSOPEN_CLOEXEC), r;

	if (fs < 0)
		return -errno;
	if (size &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", size, 0)) {
		r = -errno;
		close(fs);
		return r;
	}
	return fs;
}

/**
 * fs_mount() - Create the super block of @fs and a detached mount of it
 * @fs:		fs context (consumed)
 * @attr:	MOUNT_ATTR_* of the mount
 *
 * Return: mount fd, or -errno
 */
static int fs_mount(int fs, unsigned int attr)
{
	int m = -1, r = 0;

	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		r = -errno;
	if (!r &&
	    (m = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attr)) < 0)
		r = -errno;
	close(fs);
	return r ? r : m;
}

/**
 * overlay_set_fd() - Pass one overlay layer by descriptor
 * @fs:		overlay fs context
 * @key:	"lowerdir+", "upperdir" or "workdir"
 * @dir:	Directory fd
 *
 * Return: 0 or -errno
 */
static int overlay_set_fd(int fs, const char *key, int dir)
{
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, key, NULL, dir))
		return -errno;
	return 0;
}

/**
 * root_overlay() - @lower under an overlay whose upper layer is memory
 * @lower:	The lower layer (directory fd)
 * @size:	Size limit of the upper layer (tmpfs size=), or NULL
 * @attr:	MOUNT_ATTR_* of the overlay's mount
 *
 * The layers are passed as descriptors (FSCONFIG_SET_FD), the upper layer
 * lives in a detached tmpfs: nothing of it is reachable from the host, and
 * the lower layer is never written.
 *
 * Return: detached mount fd of the overlay, or -errno
 */
static int root_overlay(int lower, const char *size, unsigned int attr)
{
	_cleanup_close_ int tmp = -1, up = -1, work = -1;
	int fs, r;

	fs = fs_new("tmpfs", size);
	tmp = fs < 0 ? fs : fs_mount(fs, 0);
	if (tmp < 0)
		return tmp;
	if (mkdirat(tmp, "upper", 0755) || mkdirat(tmp, "work", 0700))
		return -errno;
	up = openat(tmp, "upper", O_PATH | O_DIRECTORY | O_CLOEXEC);
	work = openat(tmp, "work", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (up < 0 || work < 0)
		return -errno;
	fs = fs_new("overlay", NULL);
	if (fs < 0)
		return fs;
	r = overlay_set_fd(fs, "lowerdir+", lower);
	if (!r)
		r = overlay_set_fd(fs, "upperdir", up);
	if (!r)
		r = overlay_set_fd(fs, "workdir", work);
	if (r) {
		close(fs);
		return r;
	}
	return fs_mount(fs, attr);
}

/**
 * tree_overlay_at() - Cover @path with @lower under an in-memory layer
 * @lower:	The lower layer (host path)
 * @path:	Mount point, in the caller's (private) mount namespace
 * @size:	Size limit of the upper layer (tmpfs size=), or NULL
 * @attr:	MOUNT_ATTR_* of the overlay's mount
 *
 * Used by `runsc do` for the host's root (no bundle, no gofer).
 *
 * Return: 0 or -errno
 */
int tree_overlay_at(const char *lower, const char *path, const char *size,
		    unsigned int attr)
{
	_cleanup_close_ int l = open(lower, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int m, r = 0;

	if (l < 0)
		return -errno;
	m = root_overlay(l, size, attr);
	if (m < 0)
		return m;
	if (syscall(SYS_move_mount, m, "", AT_FDCWD, path,
		    MOVE_MOUNT_F_EMPTY_PATH))
		r = -errno;
	close(m);
	return r;
}

/**
 * ms_attr() - MOUNT_ATTR_* for the MS_* flags of an entry
 * @ms:	MS_* flags
 *
 * Return: attributes (atime: relatime unless noatime/strictatime)
 */
static unsigned int ms_attr(unsigned long ms)
{
	unsigned int a = 0;

	a |= (ms & MS_RDONLY) ? MOUNT_ATTR_RDONLY : 0;
	a |= (ms & MS_NOSUID) ? MOUNT_ATTR_NOSUID : 0;
	a |= (ms & MS_NODEV) ? MOUNT_ATTR_NODEV : 0;
	a |= (ms & MS_NOEXEC) ? MOUNT_ATTR_NOEXEC : 0;
	a |= (ms & MS_NODIRATIME) ? MOUNT_ATTR_NODIRATIME : 0;
	a |= (ms & MS_NOSYMFOLLOW) ? MOUNT_ATTR_NOSYMFOLLOW : 0;
	if (ms & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	else if (ms & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	return a;
}

/**
 * fs_config_data() - Pass mount(2)-style data ("mode=755,size=64k") to
 * a fs context, one fsconfig() per option
 * @fs:		fs context
 * @data:	Options, or NULL
 *
 * Return: 0 or -errno
 */
static int fs_config_data(int fs, const char *data)
{
	char *copy, *opt, *save = NULL, *eq;
	int r = 0;

	if (!data || !*data)
		return 0;
	copy = strdup(data);
	if (!copy)
		return -ENOMEM;
	for (opt = strtok_r(copy, ",", &save); opt && !r;
	     opt = strtok_r(NULL, ",", &save)) {
		eq = strchr(opt, '=');
		if (eq)
			*eq++ = '\0';
		if (eq ? syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, opt, eq,
				 0)
		       : syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, opt, NULL,
				 0))
			r = -errno;
	}
	free(copy);
	return r;
}

/**
 * tree_fs_mount() - A detached mount of a new file system
 * @type:	File system type
 * @data:	mount(2)-style options ("size=4k,mode=0555"), or NULL
 * @attr:	MOUNT_ATTR_* of the mount
 *
 * Return: mount fd, or -errno
 */
int tree_fs_mount(const char *type, const char *data, unsigned int attr)
{
	int fs = fs_new(type, NULL), r;

	r = fs < 0 ? fs : fs_config_data(fs, data);
	if (r) {
		if (fs >= 0)
			close(fs);
		return r;
	}
	return fs_mount(fs, attr);
}

/**
 * fs_config_sb() - The super-block flags of an entry (sync, dirsync,
 * lazytime), which the new API takes as fs options, not mount attributes
 * @fs:		fs context
 * @ms:		MS_* flags
 *
 * Return: 0 or -errno
 */
static int fs_config_sb(int fs, unsigned long ms)
{
	static const struct {
		unsigned long flag;
		const char *key;
	} sb[] = {{MS_SYNCHRONOUS, "sync"},
		  {MS_DIRSYNC, "dirsync"},
		  {MS_LAZYTIME, "lazytime"}};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sb); i++)
		if ((ms & sb[i].flag) &&
		    syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, sb[i].key,
			    NULL, 0))
			return -errno;
	return 0;
}

/**
 * tree_ns_bound() - Does an entry's file system belong to the guest's
 * namespaces (made by the init stub, not the gofer)
 * @m:	Entry
 *
 * Return: true for proc, sysfs and mqueue
 */
bool tree_ns_bound(const struct spec_mount *m)
{
	return m->type && !(m->flags & MS_BIND) &&
	       (!strcmp(m->type, "proc") || !strcmp(m->type, "sysfs") ||
		!strcmp(m->type, "mqueue"));
}

/**
 * tree_kernel_fs() - A detached mount of a new file system for an entry
 * @m:	Entry (not a bind; cgroup becomes an empty tmpfs: the hierarchies
 *	are not the guest's to see)
 * @fd:	Result
 *
 * Return: 0 or -errno (logged)
 */
int tree_kernel_fs(const struct spec_mount *m, int *fd)
{
	const char *type = m->type ? m->type : "none", *data = m->data;
	int fs, r;

	if (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2"))
		type = "tmpfs", data = NULL; /* "cpu,cpuacct" is not tmpfs' */
	fs = fs_new(type, NULL);
	r = fs < 0 ? fs : fs_config_data(fs, data);
	if (!r)
		r = fs_config_sb(fs, m->flags);
	if (!r && m->source && *m->source &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", m->source,
		    0))
		r = -errno;
	if (r && fs >= 0)
		close(fs);
	if (!r)
		r = fs_mount(fs, ms_attr(m->flags));
	if (r < 0) {
		err_errno(r, "mount %s (%s)", m->destination, type);
		return r;
	}
	*fd = r;
	return 0;
}

/**
 * set_attr() - mount_setattr() on a detached mount
 * @fd:		Mount
 * @set:	MOUNT_ATTR_* to set
 * @prop:	Propagation (MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_UNBINDABLE;
 *		0: unchanged)
 * @rec:	Down its submounts too
 *
 * Return: 0 or -errno
 */
static int set_attr(int fd, unsigned int set, unsigned long prop, bool rec)
{
	struct mount_attr a = {.attr_set = set, .propagation = prop};

	if (set & MOUNT_ATTR__ATIME)
		a.attr_clr = MOUNT_ATTR__ATIME;
	if (!set && !prop)
		return 0;
	if (syscall(SYS_mount_setattr, fd, "",
		    AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &a, sizeof(a)))
		return -errno;
	return 0;
}

/**
 * bind_source() - A detached clone of a bind's source, with its flags
 * @m:		Entry (bind)
 * @fd:		Result
 * @dir:	Whether the source is a directory
 *
 * The source is a host path, opened here, by the gofer alone; magic links
 * (/proc/PID/root...) are refused. ro is applied down the submounts (an
 * ro volume must not be writable through a mount below it).
 *
 * Return: 0 or -errno (logged)
 */
static int bind_source(const struct spec_mount *m, int *fd, bool *dir)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_MAGICLINKS};
	_cleanup_close_ int src = -1;
	unsigned int attr = ms_attr(m->flags);
	unsigned long prop = m->propagation & ~MS_REC;
	struct stat st;
	int t, r = 0;

	src = fd_openat2(AT_FDCWD, m->source ? m->source : "", &how);
	if (src < 0 || fstat(src, &st)) {
		r = src < 0 ? src : -errno;
		err_errno(r, "bind source %s", m->source ? m->source : "");
		return r;
	}
	*dir = S_ISDIR(st.st_mode);
	t = (int)syscall(SYS_open_tree, src, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
			     ((m->flags & MS_REC) ? AT_RECURSIVE : 0));
	if (t < 0)
		r = -errno;
	if (!r)
		r = set_attr(t, attr & ~MOUNT_ATTR_RDONLY, 0, false);
	if (!r)
		r = set_attr(t, attr & MOUNT_ATTR_RDONLY, prop,
			     (m->flags | m->propagation) & MS_REC);
	if (r) {
		err_errno(r, "bind %s", m->source);
		if (t >= 0)
			close(t);
		return r;
	}
	*fd = t;
	return 0;
}

/**
 * attach() - Put a detached mount at a destination inside the tree
 * @tree:	The tree
 * @dst:	Destination (resolved inside the tree, created if missing)
 * @mnt:	Detached mount (closed here)
 * @file:	The mount point is a file (a bind of a non-directory)
 *
 * Return: 0 or -errno (logged)
 */
static int attach(int tree, const char *dst, int mnt, bool file)
{
	_cleanup_close_ int m = mnt;
	_cleanup_close_ int at = make_path(tree, dst, file);

	if (at < 0) {
		err_errno(at, "mount point %s", dst);
		return at;
	}
	if (syscall(SYS_move_mount, m, "", at, "", MOVE_FDS)) {
		err_errno(-errno, "attaching %s", dst);
		return -errno;
	}
	return 0;
}

/**
 * stub_fd() - The mount the init stub made for entry @i
 * @req:	PROTO_TREE body
 * @fds:	Its descriptors
 * @i:		Entry
 *
 * Return: the descriptor (still owned by the caller), or -ENOENT
 */
static int stub_fd(const struct proto_tree *req, const int *fds, size_t i)
{
	uint32_t k;

	for (k = 0; k < req->n; k++)
		if (req->index[k] == i)
			return fds[k];
	return -ENOENT;
}

/**
 * check_request() - Every stub mount names a distinct ns-bound entry
 * @spec:	Spec
 * @req:	PROTO_TREE body (already checked by proto_check())
 *
 * Return: 0 or -EINVAL (logged)
 */
static int check_request(const struct spec *spec, const struct proto_tree *req)
{
	uint32_t k, j;

	for (k = 0; k < req->n; k++) {
		if (req->index[k] >= spec->n_mounts ||
		    !tree_ns_bound(&spec->mounts[req->index[k]]))
			goto bad;
		for (j = 0; j < k; j++)
			if (req->index[j] == req->index[k])
				goto bad;
	}
	return 0;
bad:
	err("tree request: mount %u is not one the sandbox makes",
	    req->index[k]);
	return -EINVAL;
}

/**
 * mount_one() - Make or take entry @i, attach it
 * @tree:	The tree
 * @spec:	Spec
 * @i:		Entry
 * @req:	PROTO_TREE body
 * @fds:	Its descriptors
 *
 * Return: 0 or -errno (logged)
 */
static int mount_one(int tree, const struct spec *spec, size_t i,
		     const struct proto_tree *req, const int *fds)
{
	const struct spec_mount *m = &spec->mounts[i];
	bool bind =
	    (m->flags & MS_BIND) || (m->type && !strcmp(m->type, "bind"));
	bool dir = true;
	int fd, r;

	if (tree_ns_bound(m)) {
		fd = stub_fd(req, fds, i);
		if (fd < 0) {
			err("mount %s (%s): not made by the sandbox",
			    m->destination, m->type);
			return -EINVAL;
		}
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return -errno;
		r = 0;
	} else if (bind) {
		r = bind_source(m, &fd, &dir);
	} else {
		r = tree_kernel_fs(m, &fd);
	}
	if (!r && !bind && (m->propagation & ~MS_REC))
		r = set_attr(fd, 0, m->propagation & ~MS_REC, true);
	if (r)
		return r;
	return attach(tree, m->destination, fd, !dir);
}

/**
 * host_dev() - A detached clone of one of the host's device nodes
 * @name:	Node below /dev
 *
 * Return: mount fd or -errno
 */
static int host_dev(const char *name)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/dev/%s", name);
	fd = (int)syscall(SYS_open_tree, AT_FDCWD, p,
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/**
 * make_devs() - Default /dev entries that are missing
 * @tree:	The tree
 */
static void make_devs(int tree)
{
	static const char *const links[][2] = {
	    {"/proc/self/fd", "fd"},	   {"/proc/self/fd/0", "stdin"},
	    {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
	    {"pts/ptmx", "ptmx"},	   {"/proc/kcore", "core"},
	};
	char dst[64];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		snprintf(dst, sizeof(dst), "/dev/%s", dev_nodes[i]);
		fd = tree_open_in(tree, dst, O_PATH);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		fd = host_dev(dev_nodes[i]);
		if (fd >= 0)
			attach(tree, dst, fd, true);
	}
	fd = tree_open_in(tree, "/dev", O_PATH | O_DIRECTORY);
	for (i = 0; fd >= 0 && i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][0], fd, links[i][1]) && errno != EEXIST)
			debug("tree: /dev/%s link", links[i][1]);
	if (fd >= 0)
		close(fd);
}

/**
 * make_nodes() - linux.devices
 * @tree:	The tree
 * @s:		Spec
 *
 * Return: 0 or -errno (logged)
 */
static int make_nodes(int tree, const struct spec *s)
{
	const struct spec_device *d;
	char dir[PATH_MAX], *slash;
	mode_t type;
	size_t i;
	int dfd;

	for (i = 0; i < s->lx.n_devices; i++) {
		d = &s->lx.devices[i];
		type = d->type == 'b'	? S_IFBLK
		       : d->type == 'p' ? S_IFIFO
					: S_IFCHR;
		snprintf(dir, sizeof(dir), "%s", d->path);
		slash = strrchr(dir, '/');
		*slash = '\0';
		dfd = make_path(tree, *dir ? dir : "/", false);
		if (dfd >= 0) {
			close(dfd);
			dfd = tree_open_in(tree, *dir ? dir : "/",
					   O_DIRECTORY | O_RDONLY);
		}
		if (dfd < 0 ||
		    (mknodat(dfd, slash + 1,
			     type | (d->has_file_mode ? d->file_mode : 0666),
			     makedev(d->major, d->minor)) &&
		     errno != EEXIST)) {
			int r = dfd < 0 ? dfd : -errno;

			err_errno(r, "device %s", d->path);
			if (dfd >= 0)
				close(dfd);
			return r;
		}
		if (fchownat(dfd, slash + 1, d->has_uid ? d->uid : 0,
			     d->has_gid ? d->gid : 0, AT_SYMLINK_NOFOLLOW))
			debug("tree: chown %s", d->path);
		close(dfd);
	}
	return 0;
}

/**
 * mask_one() - Cover one masked path, if it exists
 * @tree:	The tree
 * @p:		Path
 *
 * Return: 0 or -errno (logged)
 */
static int mask_one(int tree, const char *p)
{
	_cleanup_close_ int at = tree_open_in(tree, p, O_PATH);
	struct stat st;
	int m;

	if (at < 0)
		return 0; /* absent: skipped, as runc does */
	if (fstat(at, &st))
		return -errno;
	m = S_ISDIR(st.st_mode)
		? tree_fs_mount("tmpfs", "size=0", MOUNT_ATTR_RDONLY)
		: host_dev("null");
	if (m < 0 || syscall(SYS_move_mount, m, "", at, "", MOVE_FDS)) {
		int r = m < 0 ? m : -errno;

		err_errno(r, "masking %s", p);
		if (m >= 0)
			close(m);
		return r;
	}
	close(m);
	return 0;
}

/**
 * readonly_one() - Replace one read-only path by a read-only clone
 * @tree:	The tree
 * @p:		Path
 *
 * Return: 0 or -errno (logged)
 */
static int readonly_one(int tree, const char *p)
{
	_cleanup_close_ int at = tree_open_in(tree, p, O_PATH);
	int c, r;

	if (at < 0)
		return 0;
	c = (int)syscall(SYS_open_tree, at, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
			     AT_RECURSIVE);
	r = c < 0 ? -errno
		  : set_attr(c,
			     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				 MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
			     0, true);
	if (!r && syscall(SYS_move_mount, c, "", at, "", MOVE_FDS))
		r = -errno;
	if (c >= 0)
		close(c);
	if (r)
		err_errno(r, "read-only %s", p);
	return r;
}

/**
 * finish() - Masked and read-only paths, read-only root
 * @tree:	The tree
 * @s:		Spec
 *
 * Return: 0 or -errno (logged)
 */
static int finish(int tree, const struct spec *s)
{
	size_t i;
	int r = 0;

	for (i = 0; !r && i < s->lx.masked_paths.n; i++)
		r = mask_one(tree, s->lx.masked_paths.v[i]);
	for (i = 0; !r && i < s->lx.readonly_paths.n; i++)
		r = readonly_one(tree, s->lx.readonly_paths.v[i]);
	if (!r && s->root.readonly &&
	    (r = set_attr(tree, MOUNT_ATTR_RDONLY, 0, false)))
		err_errno(r, "read-only root");
	return r;
}

/**
 * new_root() - The tree's root mount: overlay, or a clone of the rootfs
 * @rootfs:	The bundle's rootfs (host path)
 * @fs:		--overlay, --overlay-size
 *
 * Return: detached mount fd, or -errno (logged)
 */
static int new_root(const char *rootfs, const struct ctr_fs *fs)
{
	struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
			       .resolve = RESOLVE_NO_MAGICLINKS};
	_cleanup_close_ int dir = fd_openat2(AT_FDCWD, rootfs, &how);
	int t;

	if (dir < 0) {
		t = dir;
	} else if (fs->overlay) {
		/* nodev: a device node in the image (or made by the guest)
		 * cannot be opened; devices live on /dev, its own mount */
		t = root_overlay(dir, fs->overlay_size, MOUNT_ATTR_NODEV);
	} else {
		t = (int)syscall(SYS_open_tree, dir, "",
				 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				     AT_EMPTY_PATH | AT_RECURSIVE);
		if (t < 0)
			t = -errno;
	}
	if (t < 0)
		err_errno(t, "root %s%s", rootfs,
			  fs->overlay ? " (overlay in memory)" : "");
	return t;
}

/**
 * tree_build() - The guest's whole mount tree, detached
 * @spec:	Spec
 * @rootfs:	The bundle's rootfs (absolute host path)
 * @fs:		--overlay, --overlay-size
 * @req:	PROTO_TREE body from the init stub
 * @fds:	Its mounts (still owned by the caller)
 * @tree:	Result: the tree's root mount
 *
 * Return: 0 or -errno (logged)
 */
int tree_build(const struct spec *spec, const char *rootfs,
	       const struct ctr_fs *fs, const struct proto_tree *req,
	       const int *fds, int *tree)
{
	_cleanup_close_ int t = -1;
	size_t i;
	int r = check_request(spec, req);

	if (!r)
		r = t = new_root(rootfs, fs);
	for (i = 0; r >= 0 && i < spec->n_mounts; i++)
		r = mount_one(t, spec, i, req, fds);
	if (r < 0)
		return r;
	make_devs(t);
	r = make_nodes(t, spec);
	if (!r)
		r = finish(t, spec);
	if (!r)
		*tree = TAKE_FD(t);
	return r;
}
