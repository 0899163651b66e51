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
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "log.h"
#include "ociseccomp.h"

#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define RESOLVE_FLAGS (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

static const char *const dev_nodes[] = {
    "null", "zero", "full", "random", "urandom", "tty",
};

/**
 * open_in() - openat2() confined to a root
 * @rootfd:	Root directory
 * @path:	Path, absolute or relative: both are taken below @rootfd
 * @flags:	open flags (O_CLOEXEC is added)
 *
 * Return: fd or -errno (-EAGAIN only after 64 raced attempts)
 */
static int open_in(int rootfd, const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
			       .resolve = RESOLVE_FLAGS};
	int tries = 0;
	long fd;

	/* RESOLVE_IN_ROOT fails with EAGAIN when any rename on the machine
	 * races the lookup (the kernel cannot prove ".." stayed inside):
	 * retry, bounded */
	do
		fd = syscall(SYS_openat2, rootfd, *path ? path : ".", &how,
			     sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < 64);
	return fd < 0 ? -errno : (int)fd;
}

/**
 * check_exec() - Is @path below @rootfd an executable regular file
 * @rootfd:	Root directory
 * @path:	Candidate
 *
 * Return: 0, -ENOENT, or -EACCES
 */
static int check_exec(int rootfd, const char *path)
{
	int fd = open_in(rootfd, path, O_PATH);
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
	int fd = open_in(rootfd, path, O_PATH), nfd;

	if (fd != -ENOENT)
		return fd;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return -ENAMETOOLONG;
	parent = open_in(rootfd, "/", O_PATH | O_DIRECTORY);
	for (s = buf; parent >= 0 && *s;) {
		while (*s == '/')
			s++;
		name = s;
		s = strchrnul(s, '/');
		if (*s)
			*s++ = '\0';
		if (!*name)
			break;
		if (!strcmp(name, ".."))
			return -EINVAL;
		if (!*s && file) {
			nfd = openat(
			    parent, name,
			    O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (nfd >= 0)
				close(nfd);
		} else if (mkdirat(parent, name, 0755) && errno != EEXIST) {
			return -errno;
		}
		fd = open_in(parent, name, O_PATH);
		if (fd < 0)
			return fd;
		close(parent);
		parent = fd;
	}
	return parent < 0 ? parent : TAKE_FD(parent);
}

/**
 * fd_path() - The /proc/self/fd path of a descriptor
 * @fd:		Descriptor
 * @buf:	Result
 * @len:	Size of @buf
 *
 * Return: @buf
 */
static const char *fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

/**
 * mount_at() - mount(2) onto a path resolved inside the root
 * @rootfd:	Root
 * @dst:	Destination inside the root
 * @src:	Source
 * @type:	File system type, NULL for binds and remounts
 * @flags:	MS_* flags
 * @data:	Options
 *
 * Return: 0 or -errno (logged)
 */
static int mount_at(int rootfd, const char *dst, const char *src,
		    const char *type, unsigned long flags, const char *data)
{
	_cleanup_close_ int fd = open_in(rootfd, dst, O_PATH);
	char p[64];
	int r;

	if (fd < 0) {
		err_errno(fd, "container: resolving %s", dst);
		return fd;
	}
	if (!mount(src, fd_path(fd, p, sizeof(p)), type, flags, data))
		return 0;
	r = -errno;
	err_errno(r, "container: mounting %s on %s",
		  type ? type : (src ? src : "(remount)"), dst);
	return r;
}

/**
 * rdonly_tree() - Make a bind and every mount below it read-only
 * @rootfd:	Root
 * @dst:	Destination inside the root
 *
 * An "ro" volume of Docker is an rbind: the submounts of its source must
 * not stay writable (mount_setattr(AT_RECURSIVE), as runc's "rro").
 *
 * Return: 0 or -errno (logged)
 */
static int rdonly_tree(int rootfd, const char *dst)
{
	struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
	_cleanup_close_ int fd = open_in(rootfd, dst, O_PATH);
	int r = fd;

	if (fd >= 0 && !syscall(SYS_mount_setattr, fd, "",
				AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)))
		return 0;
	if (fd >= 0)
		r = -errno;
	err_errno(r, "container: read-only %s", dst);
	return r;
}

/**
 * mount_one() - Perform one entry of mounts
 * @rootfd:	Root
 * @m:		Entry
 *
 * Return: 0 or -errno
 */
static int mount_one(int rootfd, const struct spec_mount *m)
{
	bool bind =
	    (m->flags & MS_BIND) || (m->type && !strcmp(m->type, "bind"));
	unsigned long extra = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	const char *type = m->type;
	struct stat st;
	int fd, r;

	if (bind && m->source && stat(m->source, &st)) {
		r = -errno;
		err_errno(r, "container: bind source %s", m->source);
		return r;
	}
	fd = make_path(rootfd, m->destination, bind && !S_ISDIR(st.st_mode));
	if (fd < 0) {
		err_errno(fd, "container: mount point %s", m->destination);
		return fd;
	}
	close(fd);
	if (type && !strcmp(type, "cgroup"))
		type = "tmpfs"; /* the hierarchies are not the guest's to see */
	if (bind)
		r = mount_at(rootfd, m->destination, m->source, NULL,
			     MS_BIND | (m->flags & MS_REC), NULL);
	else
		r = mount_at(rootfd, m->destination,
			     m->source ? m->source : "none", type, m->flags,
			     m->data);
	if (!r && bind && extra)
		r = mount_at(rootfd, m->destination, NULL, NULL,
			     MS_BIND | MS_REMOUNT | extra, NULL);
	if (!r && bind && (extra & MS_RDONLY))
		r = rdonly_tree(rootfd, m->destination);
	if (!r && m->propagation)
		r = mount_at(rootfd, m->destination, NULL, NULL, m->propagation,
			     NULL);
	return r;
}

/**
 * make_devs() - Default /dev entries that are missing
 * @rootfd:	Root
 */
static void make_devs(int rootfd)
{
	static const char *const links[][2] = {
	    {"/proc/self/fd", "/dev/fd"},
	    {"/proc/self/fd/0", "/dev/stdin"},
	    {"/proc/self/fd/1", "/dev/stdout"},
	    {"/proc/self/fd/2", "/dev/stderr"},
	    {"pts/ptmx", "/dev/ptmx"},
	    {"/proc/kcore", "/dev/core"},
	};
	char dst[64], src[64];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		snprintf(dst, sizeof(dst), "/dev/%s", dev_nodes[i]);
		fd = open_in(rootfd, dst, O_PATH);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		fd = make_path(rootfd, dst, true);
		if (fd < 0)
			continue;
		close(fd);
		snprintf(src, sizeof(src), "/dev/%s", dev_nodes[i]);
		mount_at(rootfd, dst, src, NULL, MS_BIND, NULL);
	}
	fd = open_in(rootfd, "/dev", O_PATH | O_DIRECTORY);
	for (i = 0; fd >= 0 && i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][0], fd, links[i][1] + 5) &&
		    errno != EEXIST)
			debug("container: /dev link %s", links[i][1]);
	if (fd >= 0)
		close(fd);
}

/**
 * make_nodes() - linux.devices
 * @rootfd:	Root
 * @s:		Spec
 *
 * Return: 0 or -errno
 */
static int make_nodes(int rootfd, const struct spec *s)
{
	_cleanup_close_ int dfd = -1;
	const struct spec_device *d;
	char dir[PATH_MAX], *slash;
	mode_t type;
	size_t i;

	for (i = 0; i < s->lx.n_devices; i++) {
		d = &s->lx.devices[i];
		type = d->type == 'b'	? S_IFBLK
		       : d->type == 'p' ? S_IFIFO
					: S_IFCHR;
		snprintf(dir, sizeof(dir), "%s", d->path);
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (dfd >= 0)
			close(dfd);
		dfd = make_path(rootfd, *dir ? dir : "/", false);
		if (dfd < 0)
			return dfd;
		close(dfd);
		dfd = open_in(rootfd, *dir ? dir : "/", O_DIRECTORY | O_RDONLY);
		if (dfd < 0)
			return dfd;
		if (mknodat(dfd, slash + 1,
			    type | (d->has_file_mode ? d->file_mode : 0666),
			    makedev(d->major, d->minor)) &&
		    errno != EEXIST) {
			err_errno(-errno, "container: device %s", d->path);
			return -errno;
		}
		if (fchownat(dfd, slash + 1, d->has_uid ? d->uid : 0,
			     d->has_gid ? d->gid : 0, AT_SYMLINK_NOFOLLOW))
			debug("container: chown %s", d->path);
	}
	return 0;
}

/**
 * pivot() - Make @root the root of this mount namespace
 * @root:	New root (a mount point)
 *
 * Return: 0 or -errno
 */
static int pivot(const char *root)
{
	int r;

	if (!chdir(root) && !syscall(SYS_pivot_root, ".", ".") &&
	    !umount2(".", MNT_DETACH) && !chdir("/"))
		return 0;
	r = -errno;
	err_errno(r, "container: pivot_root to %s", root);
	return r;
}

/**
 * mask_paths() - Cover maskedPaths, rebind readonlyPaths read-only
 * @s:	Spec
 *
 * Runs after pivot_root; absent paths are skipped, as runc does.
 *
 * Return: 0 or -errno
 */
static int mask_paths(const struct spec *s)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	size_t i;
	int fd, r = 0;

	for (i = 0; !r && i < s->lx.masked_paths.n; i++) {
		const char *p = s->lx.masked_paths.v[i];

		fd = open_in(root, p, O_PATH);
		if (fd < 0)
			continue;
		r = fstat(fd, &st) ? -errno : 0;
		close(fd);
		if (!r && S_ISDIR(st.st_mode))
			r = mount_at(root, p, "tmpfs", "tmpfs", MS_RDONLY,
				     "size=0");
		else if (!r)
			r = mount_at(root, p, "/dev/null", NULL, MS_BIND, NULL);
	}
	for (i = 0; !r && i < s->lx.readonly_paths.n; i++) {
		const char *p = s->lx.readonly_paths.v[i];

		fd = open_in(root, p, O_PATH);
		if (fd < 0)
			continue;
		close(fd);
		r = mount_at(root, p, p, NULL, MS_BIND | MS_REC, NULL);
		if (!r)
			r = mount_at(root, p, NULL, NULL,
				     MS_BIND | MS_REMOUNT | MS_RDONLY |
					 MS_NOSUID | MS_NODEV | MS_NOEXEC,
				     NULL);
	}
	return r;
}

/**
 * set_sysctls() - linux.sysctl, written under /proc/sys
 * @s:	Spec
 *
 * Return: 0 or -errno
 */
static int set_sysctls(const struct spec *s)
{
	char p[512], *c;
	size_t i;
	int fd, r;

	for (i = 0; i < s->lx.sysctl.n; i++) {
		const struct spec_kv *kv = &s->lx.sysctl.v[i];

		if (strstr(kv->key, "..") || strchr(kv->key, '/'))
			return -EINVAL;
		snprintf(p, sizeof(p), "/proc/sys/%s", kv->key);
		for (c = p + 10; *c; c++)
			if (*c == '.')
				*c = '/';
		fd = open(p, O_WRONLY | O_CLOEXEC);
		r = fd < 0 ? -errno
			   : write_all(fd, kv->value, strlen(kv->value));
		if (fd >= 0)
			close(fd);
		if (r < 0) {
			err_errno(r, "container: sysctl %s", kv->key);
			return r;
		}
	}
	return 0;
}

/**
 * fs_new() - A new file system instance, configured and created
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
 * root_overlay() - @root under an overlay whose upper layer is memory
 * @root:	The lower layer (host path)
 * @size:	Size limit of the upper layer (tmpfs size=), or NULL
 * @attr:	MOUNT_ATTR_* of the overlay's mount
 *
 * The layers are passed as descriptors (FSCONFIG_SET_FD), the upper layer
 * lives in a detached tmpfs: nothing of it is reachable from the host, and
 * the lower layer is never written. New mount API throughout.
 *
 * Return: detached mount fd of the overlay, or -errno
 */
static int root_overlay(const char *root, const char *size, unsigned int attr)
{
	_cleanup_close_ int lower = -1, tmp = -1, up = -1, work = -1;
	int fs, r;

	lower = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (lower < 0)
		return -errno;
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
 * container_overlay_at() - Cover @path with @lower under an in-memory layer
 * @lower:	The lower layer (host path)
 * @path:	Mount point, in the caller's (private) mount namespace
 * @size:	Size limit of the upper layer (tmpfs size=), or NULL
 * @attr:	MOUNT_ATTR_* of the overlay's mount
 *
 * Return: 0 or -errno
 */
int container_overlay_at(const char *lower, const char *path, const char *size,
			 unsigned int attr)
{
	int m = root_overlay(lower, size, attr), r = 0;

	if (m < 0)
		return m;
	if (syscall(SYS_move_mount, m, "", AT_FDCWD, path,
		    MOVE_MOUNT_F_EMPTY_PATH))
		r = -errno;
	close(m);
	return r;
}

/**
 * enter_root() - Cover the rootfs path with the container's root mount
 * @root:	The bundle's rootfs (host path), in our private namespace
 * @fs:		File system options (overlay, its size)
 *
 * Return: 0 or -errno (logged)
 */
static int enter_root(const char *root, const struct ctr_fs *fs)
{
	int r = 0;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		r = -errno;
	else if (fs->overlay)
		/* nodev: a device node in the image (or made by the guest)
		 * cannot be opened; devices live on /dev, its own mount */
		r = container_overlay_at(root, root, fs->overlay_size,
					 MOUNT_ATTR_NODEV);
	else if (mount(root, root, NULL, MS_BIND | MS_REC, NULL))
		r = -errno;
	if (r)
		err_errno(r, "container: root %s%s", root,
			  fs->overlay ? " (overlay in memory)" : "");
	return r;
}

/**
 * container_make_root() - Build the container's file view and enter it
 * @spec:	Spec (root.path absolute, or relative to the current dir)
 * @fs:		How the root is layered (--overlay, --overlay-size)
 *
 * Runs in the init stub, in its new mount namespace.
 *
 * Return: 0 or -errno (logged)
 */
int container_make_root(const struct spec *spec, const struct ctr_fs *fs)
{
	_cleanup_close_ int rootfd = -1;
	const char *root = spec->root.path;
	size_t i;
	int r;

	r = enter_root(root, fs);
	if (r)
		return r;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	for (i = 0; i < spec->n_mounts; i++) {
		r = mount_one(rootfd, &spec->mounts[i]);
		if (r < 0)
			return r;
	}
	make_devs(rootfd);
	r = make_nodes(rootfd, spec);
	if (!r)
		r = pivot(root);
	if (!r)
		r = set_sysctls(spec); /* before /proc/sys turns read-only */
	if (!r)
		r = mask_paths(spec);
	if (!r && spec->root.readonly &&
	    mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL)) {
		r = -errno;
		err_errno(r, "container: read-only root");
	}
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
