// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsclient.c - trapped opens forwarded to the gofer (fsclient.h)
 */
#include "fsclient.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "guest.h"
#include "log.h"
#include "proc.h"

#define FSC_PAGE 4096 /* guest strings are read a page piece at a time */
#define FSC_O_TMPFILE 020000000 /* the bit alone, without O_DIRECTORY */
#define FSC_HOW_VER0 24		/* OPEN_HOW_SIZE_VER0: flags, mode, resolve */
/* the kernel's VALID_OPEN_FLAGS (O_LARGEFILE is 0 in glibc's headers) */
#define FSC_VALID_FLAGS                                                        \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |        \
	 O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | 0100000 | O_DIRECTORY |   \
	 O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | FSC_O_TMPFILE | O_SYNC)
#define FSC_PATH_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

static int gofer_sock = -1;
static uint32_t next_id;

/**
 * fsc_init() - Serve trapped opens through a gofer
 * @gofer_fd:	SEQPACKET socket to the gofer (not owned), or -1: none
 *
 * Return: 0 or -errno
 * #syscalls:setup setsockopt
 */
int fsc_init(int gofer_fd)
{
	struct timeval tv = {FSC_TIMEOUT_MS / 1000,
			     (FSC_TIMEOUT_MS % 1000) * 1000};

	gofer_sock = gofer_fd;
	if (gofer_fd >= 0 &&
	    (setsockopt(gofer_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	     setsockopt(gofer_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))))
		return -errno;
	return 0;
}

/**
 * fsc_owns() - Is a trapped call one of the opens fsclient serves?
 * @nr:	Syscall number
 *
 * Return: true with a gofer and @nr an open
 */
bool fsc_owns(int nr)
{
	return gofer_sock >= 0 && (nr == SYS_open || nr == SYS_openat ||
				   nr == SYS_openat2 || nr == SYS_creat);
}

/**
 * read_str() - Copy a NUL-terminated string out of guest memory
 * @tid:	Guest thread
 * @addr:	Guest address
 * @buf:	Result
 * @cap:	Its size
 *
 * Reads up to each page end at a time, so a string that ends just before
 * an unmapped page is read, as the kernel would.
 *
 * Return: length, -EFAULT, -ENAMETOOLONG, -ENOENT (empty) or -ESRCH
 */
static int read_str(pid_t tid, uint64_t addr, char *buf, size_t cap)
{
	size_t n = 0, chunk;
	char *nul;
	int r;

	while (n < cap) {
		chunk = FSC_PAGE - (size_t)((addr + n) % FSC_PAGE);
		chunk = MIN(chunk, cap - n);
		r = gmem_read(tid, addr + n, buf + n, chunk);
		if (r < 0)
			return r;
		nul = memchr(buf + n, '\0', chunk);
		if (nul)
			return nul == buf ? -ENOENT : (int)(nul - buf);
		n += chunk;
	}
	return -ENAMETOOLONG;
}

/**
 * fsc_rewrite_proc() - /proc/self and /proc/thread-self as the guest's ids
 * @path:	Guest path, rewritten in place
 * @cap:	Its buffer's size
 * @nspid:	The thread group's id in the guest's pid namespace
 * @nstid:	The thread's id there
 *
 * The gofer resolves on behalf of the guest, so "self" must name the guest.
 *
 * Return: 0, or -ENAMETOOLONG
 */
int fsc_rewrite_proc(char *path, size_t cap, int nspid, int nstid)
{
	static const char *const pre[] = {"/proc/self", "/proc/thread-self"};
	char out[PROTO_MAX_PATH];
	unsigned int i;
	size_t l;
	int n;

	for (i = 0; i < ARRAY_SIZE(pre); i++) {
		l = strlen(pre[i]);
		if (strncmp(path, pre[i], l) || (path[l] && path[l] != '/'))
			continue;
		if (i == 0)
			n = snprintf(out, sizeof(out), "/proc/%d%s", nspid,
				     path + l);
		else
			n = snprintf(out, sizeof(out), "/proc/%d/task/%d%s",
				     nspid, nstid, path + l);
		if (n < 0 || (size_t)n >= MIN(cap, sizeof(out)))
			return -ENAMETOOLONG;
		memcpy(path, out, (size_t)n + 1);
		return 0;
	}
	return 0;
}

/**
 * fsc_parse_status() - Credentials and namespace ids from /proc/TID/status
 * @text:	The file's text, NUL-terminated
 * @o:		Filled: @uid, @gid (fs ids: 4th field), @groups, @ngroups,
 *		@cap_eff, @umask
 * @nspid:	Thread group id in the innermost pid namespace (NStgid)
 * @nstid:	Thread id there (NSpid)
 *
 * Return: 0, or -EINVAL if a field is missing
 */
int fsc_parse_status(const char *text, struct proto_open *o, int *nspid,
		     int *nstid)
{
	unsigned long long v[6] = {0};
	const char *keys[] = {"Uid",   "Gid",	 "CapEff",
			      "Umask", "NStgid", "NSpid"};
	const int base[] = {10, 10, 16, 8, 10, 10},
		  nth[] = {3, 3, 0, 0, -1, -1};
	const char *g;
	unsigned int i;
	char *e;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (proc_status_field(text, keys[i], base[i], nth[i], &v[i]))
			return -EINVAL;
	o->uid = (uint32_t)v[0];
	o->gid = (uint32_t)v[1];
	o->cap_eff = v[2];
	o->umask = (uint32_t)v[3];
	*nspid = (int)v[4];
	*nstid = (int)v[5];
	g = strstr(text, "\nGroups:");
	if (!g)
		return -EINVAL;
	g += strlen("\nGroups:");
	for (o->ngroups = 0; o->ngroups < PROTO_MAX_GROUPS;) {
		while (*g == ' ' || *g == '\t')
			g++;
		if (*g < '0' || *g > '9')
			break;
		o->groups[o->ngroups++] = (uint32_t)strtoul(g, &e, 10);
		g = e;
	}
	return 0;
}

/**
 * read_creds() - Fill a request's credentials from /proc/TID/status
 * @tid:	Guest thread
 * @o:		Request body
 * @nspid:	Thread group id in the guest's namespace
 * @nstid:	Thread id there
 *
 * Return: 0 or -errno (-ESRCH: the thread is gone)
 */
static int read_creds(pid_t tid, struct proto_open *o, int *nspid, int *nstid)
{
	static char text[4096];
	int r = proc_status_read(tid, text, sizeof(text));

	if (r < 0)
		return r;
	return fsc_parse_status(text, o, nspid, nstid) ? -ESRCH : 0;
}

/**
 * struct fsc_call - a trapped open, decoded
 * @dirfd:	Guest directory fd, or AT_FDCWD
 * @path:	Path (rewritten for /proc/self)
 * @o:		Request body
 * @cloexec:	Install the fd O_CLOEXEC
 */
struct fsc_call {
	int dirfd;
	char path[PROTO_MAX_PATH];
	struct proto_open o;
	bool cloexec;
};

/**
 * read_how() - Copy and check openat2's struct open_how, like the kernel
 * @c:		Call (args[2] = how, args[3] = size)
 * @fc:		Result: flags, mode, resolve
 *
 * Return: 0, -EFAULT, -EINVAL (too small, bad bits) or -E2BIG (larger
 * than we know with nonzero tail bytes, or over a page)
 */
static int read_how(const struct gcall *c, struct fsc_call *fc)
{
	const uint64_t known = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
			       RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
			       RESOLVE_IN_ROOT | RESOLVE_CACHED;
	unsigned char buf[FSC_PAGE] = {0};
	size_t size = (size_t)c->args[3], i;
	struct open_how how;
	int r;

	if (size < FSC_HOW_VER0)
		return -EINVAL;
	if (size > FSC_PAGE)
		return -E2BIG;
	r = gmem_read(c->tid, c->args[2], buf, size);
	if (r < 0)
		return r;
	for (i = sizeof(how); i < size; i++)
		if (buf[i])
			return -E2BIG;
	memcpy(&how, buf, sizeof(how));
	if ((how.flags >> 32) || (how.resolve & ~known) ||
	    ((how.resolve & RESOLVE_BENEATH) &&
	     (how.resolve & RESOLVE_IN_ROOT)) ||
	    (how.mode & ~07777ULL) ||
	    (how.mode && !(how.flags & (O_CREAT | FSC_O_TMPFILE))))
		return -EINVAL;
	fc->o.flags = (int32_t)how.flags;
	fc->o.mode = (uint32_t)how.mode;
	fc->o.resolve = (uint32_t)how.resolve;
	return 0;
}

/**
 * fsc_check_flags() - Refuse the flags the kernel's build_open_flags() does
 * @nr:		SYS_open, SYS_openat, SYS_creat or SYS_openat2
 * @flags:	Flags as the guest gave them (open, openat and creat ignore
 *		unknown bits and, with O_PATH, all but the O_PATH ones)
 * @resolve:	openat2's RESOLVE_* bits (0 for the others)
 *
 * Checked before the path is read, in the kernel's order (as of Linux 6.4:
 * O_CREAT | O_DIRECTORY is refused), so a call with bad flags fails with
 * EINVAL whatever its path, and the gofer never sees a combination the
 * kernel refuses (it would drop bits, or O_CREAT, and open anyway).
 *
 * Return: 0, -EINVAL, or -EAGAIN (RESOLVE_CACHED that must create or
 * truncate)
 */
int fsc_check_flags(int nr, int32_t flags, uint64_t resolve)
{
	int32_t f = flags;

	if (nr == SYS_openat2 && (f & ~FSC_VALID_FLAGS))
		return -EINVAL;
	f &= FSC_VALID_FLAGS;
	if (nr != SYS_openat2 && (f & O_PATH))
		f &= FSC_PATH_FLAGS;
	if ((f & O_CREAT) && (f & O_DIRECTORY))
		return -EINVAL;
	if ((f & FSC_O_TMPFILE) &&
	    ((f & (FSC_O_TMPFILE | O_DIRECTORY | O_CREAT)) !=
		 (FSC_O_TMPFILE | O_DIRECTORY) ||
	     !(f & O_ACCMODE)))
		return -EINVAL; /* O_TMPFILE needs O_DIRECTORY and writing */
	if ((f & O_PATH) && (f & ~FSC_PATH_FLAGS))
		return -EINVAL;
	if ((resolve & RESOLVE_CACHED) &&
	    (f & (O_TRUNC | O_CREAT | FSC_O_TMPFILE)))
		return -EAGAIN;
	return 0;
}

/**
 * decode() - Arguments of open/openat/openat2/creat, path and how copied
 * @c:		Call
 * @fc:		Result
 *
 * Return: 0 or -errno for the guest
 */
static int decode(const struct gcall *c, struct fsc_call *fc)
{
	uint64_t path = c->args[1];
	int r;

	memset(fc, 0, sizeof(*fc));
	fc->dirfd = (int)c->args[0];
	if (c->nr == SYS_open || c->nr == SYS_creat) {
		fc->dirfd = AT_FDCWD;
		path = c->args[0];
		fc->o.flags = c->nr == SYS_creat ? O_CREAT | O_WRONLY | O_TRUNC
						 : (int32_t)c->args[1];
		fc->o.mode = (uint32_t)c->args[c->nr == SYS_creat ? 1 : 2];
	} else if (c->nr == SYS_openat) {
		fc->o.flags = (int32_t)c->args[2];
		fc->o.mode = (uint32_t)c->args[3];
	} else {
		r = read_how(c, fc);
		if (r < 0)
			return r;
	}
	r = fsc_check_flags(c->nr, fc->o.flags, fc->o.resolve);
	if (r < 0)
		return r;
	if (!(fc->o.flags & (O_CREAT | FSC_O_TMPFILE)))
		fc->o.mode = 0;
	fc->o.mode &= 07777;
	fc->cloexec = fc->o.flags & O_CLOEXEC;
	fc->o.pid = c->tid;
	r = read_str(c->tid, path, fc->path, sizeof(fc->path));
	return r < 0 ? r : 0;
}

/**
 * open_handles() - The guest's root and, for a relative path, its dir
 * @c:		Call
 * @fc:		Decoded call
 * @fds:	Result: [0] root, [1] directory (O_PATH, owned by the caller)
 *
 * Return: number of handles (1 or 2), or -errno (-EBADF: no such dirfd)
 * #syscalls openat
 */
static int open_handles(const struct gcall *c, const struct fsc_call *fc,
			int fds[2])
{
	char p[48];

	snprintf(p, sizeof(p), "/proc/%d/root", c->tid);
	fds[0] = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fds[0] < 0)
		return -ESRCH;
	/* RESOLVE_BENEATH / IN_ROOT are relative to the dirfd even for an
	 * absolute path (EXDEV / the dirfd as root, as the kernel does) */
	if (fc->path[0] == '/' &&
	    !(fc->o.resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)))
		return 1;
	if (fc->dirfd == AT_FDCWD)
		snprintf(p, sizeof(p), "/proc/%d/cwd", c->tid);
	else if (fc->dirfd >= 0)
		snprintf(p, sizeof(p), "/proc/%d/fd/%d", c->tid, fc->dirfd);
	else
		return -EBADF;
	fds[1] = open(p, O_PATH | O_CLOEXEC);
	if (fds[1] < 0)
		return errno == ENOENT && fc->dirfd != AT_FDCWD ? -EBADF
								: -ESRCH;
	return 2;
}

/**
 * ask_gofer() - Send the request and wait for its reply
 * @fc:		Decoded call
 * @fds:	Handles
 * @nfds:	Their number
 * @fd:		Opened file on success, owned by the caller
 *
 * Return: 0 or -errno for the guest (-EIO: the gofer failed or timed out)
 * #syscalls sendmsg recvmsg close
 */
static int ask_gofer(const struct fsc_call *fc, const int *fds, int nfds,
		     int *fd)
{
	static struct proto_msg m;
	uint32_t id = ++next_id;
	int r, tries;

	r = proto_send_open(gofer_sock, id, &fc->o, fc->path, fds, nfds);
	if (r < 0)
		return r == -ENAMETOOLONG ? r : -EIO;
	for (tries = 0; tries < 8; tries++) { /* skip stale replies */
		r = proto_recv(gofer_sock, &m);
		if (r < 0)
			return -EIO;
		if (m.hdr.op == PROTO_REPLY && m.hdr.id == id)
			break;
		proto_close_fds(&m);
	}
	if (tries == 8)
		return -EIO;
	if (m.reply.result < 0 || m.nfds != 1) {
		proto_close_fds(&m);
		return m.reply.result < 0 ? m.reply.result : -EIO;
	}
	*fd = m.fds[0];
	m.nfds = 0;
	return 0;
}

/**
 * o_path() - An O_PATH open: the kernel runs it (open, openat) or it fails
 * @c:	Call
 *
 * SECCOMP_IOCTL_NOTIF_ADDFD cannot install an O_PATH file (the kernel's
 * fget() refuses them), so the gofer's descriptor could not be passed on.
 * An O_PATH descriptor reads and writes nothing, shows what stat() shows
 * (not mediated either), and reopening it through /proc/self/fd is itself
 * a mediated open of a magic link, refused. For open and openat the flags
 * are in a register, so letting the kernel run the call cannot turn into a
 * data open; openat2's flags are in guest memory, which another thread may
 * change after we read them: it is refused.
 *
 * Return: ICPT_CONTINUE, or -EOPNOTSUPP for openat2
 */
static int64_t o_path(const struct gcall *c)
{
	return c->nr == SYS_openat2 ? -EOPNOTSUPP : ICPT_CONTINUE;
}

/**
 * fsc_syscall() - Serve one trapped open through the gofer
 * @c:	Call
 *
 * Return: ICPT_REPLIED (the fd was installed), or -errno for the guest
 */
int64_t fsc_syscall(struct gcall *c)
{
	static struct fsc_call fc;
	_cleanup_close_ int root = -1, dir = -1, fd = -1;
	int fds[2] = {-1, -1}, nspid, nstid, n, r;

	r = decode(c, &fc);
	if (!r && (fc.o.flags & O_PATH))
		return o_path(c);
	if (!r)
		r = read_creds(c->tid, &fc.o, &nspid, &nstid);
	if (!r)
		r = fsc_rewrite_proc(fc.path, sizeof(fc.path), nspid, nstid);
	if (r < 0)
		return r;
	n = open_handles(c, &fc, fds);
	root = fds[0];
	dir = fds[1];
	if (!icpt_valid(c)) /* the handles may be another process's */
		return -ESRCH;
	if (n < 0)
		return n;
	r = ask_gofer(&fc, fds, n, &fd);
	if (r < 0)
		return r;
	r = icpt_addfd(c, fd, fc.cloexec);
	if (r == -ENOENT)
		return ICPT_REPLIED; /* interrupted: nothing was installed */
	return r < 0 ? r : ICPT_REPLIED;
}
