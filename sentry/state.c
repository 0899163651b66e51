// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * state.c - the container state directory (see state.h for the theory)
 */
#include "state.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "log.h"

#define STATE_FILE "state.json"
#define STATE_TMP "state.json.tmp"
#define STATE_LOCK "lock"
#define STATE_CTL "ctl"
#define STATE_EXIT "exit"

static const char *const state_status_names[] = {
    "creating", "created", "running", "paused", "stopped",
};
static_assert(ARRAY_SIZE(state_status_names) == STATE_NUM,
	      "state_status_names out of sync");

/* How one struct state member is stored in state.json */
enum field_kind {
	FIELD_STR,    /* char array, @size bytes */
	FIELD_INT,    /* int or pid_t */
	FIELD_ULL,    /* unsigned long long */
	FIELD_STATUS, /* enum state_status, as its name */
	FIELD_NUM,
};

static const struct field {
	const char *name;
	enum field_kind kind;
	size_t off;
	size_t size;
} fields[] = {
#define F(name, kind, member)                                                  \
	{                                                                      \
		name, kind, offsetof(struct state, member),                    \
		    sizeof(((struct state *)0)->member)                        \
	}
    F("ociVersion", FIELD_STR, oci_version),
    F("id", FIELD_STR, id),
    F("pid", FIELD_INT, pid),
    F("status", FIELD_STATUS, status),
    F("bundle", FIELD_STR, bundle),
    F("rootfs", FIELD_STR, rootfs),
    F("created", FIELD_STR, created),
    F("owner", FIELD_STR, owner),
    F("initPid", FIELD_INT, init_pid),
    F("ctl", FIELD_STR, ctl),
    F("exitStatus", FIELD_INT, exit_status),
    F("startTime", FIELD_ULL, start_time),
    F("cgroupsPath", FIELD_STR, cgroup),
    F("netMode", FIELD_INT, net_mode),
    F("fileMediated", FIELD_INT, file_mediated),
#undef F
};
static_assert(sizeof(pid_t) == sizeof(int), "pid_t stored as FIELD_INT");
static_assert(sizeof(enum state_status) == sizeof(int), "status size");

/**
 * closedirp() - Cleanup helper: close a directory stream, if any
 * @d:	Address of a DIR pointer
 */
static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* json_decrefp() comes with jansson >= 2.9 */
#define _cleanup_json_ __attribute__((cleanup(json_decrefp)))
#define _cleanup_dir_ __attribute__((cleanup(closedirp)))

/**
 * state_status_str() - Name of a lifecycle state, as OCI spells it
 * @st:	Status
 *
 * Return: static string; "unknown" for an out-of-range value
 */
const char *state_status_str(enum state_status st)
{
	if ((unsigned int)st >= STATE_NUM)
		return "unknown";
	return state_status_names[st];
}

/**
 * state_status_parse() - Look up a lifecycle state by name
 * @str:	Name, e.g. "running"
 * @st:		Result; untouched on failure
 *
 * Return: 0, or -EINVAL for an unknown name
 */
int state_status_parse(const char *str, enum state_status *st)
{
	unsigned int i;

	for (i = 0; i < STATE_NUM; i++) {
		if (!strcmp(str, state_status_names[i])) {
			*st = (enum state_status)i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * state_id_valid() - Check a container id before it becomes a file name
 * @id:		Container id
 *
 * Accepts [A-Za-z0-9][A-Za-z0-9_.-]{0,1023}: Docker's 64-hex ids, runc's
 * names, never "/", "." or "..", and never a gVisor "<id>_sandbox:<id>".
 *
 * Return: 0 if valid, -EINVAL otherwise
 */
int state_id_valid(const char *id)
{
	size_t i;

	if (!id || !isalnum((unsigned char)id[0]))
		return -EINVAL;
	for (i = 1; id[i]; i++) {
		unsigned char c = (unsigned char)id[i];

		if (i >= STATE_ID_MAX)
			return -EINVAL;
		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return -EINVAL;
	}
	return 0;
}

/**
 * state_format_time() - Format a time as Go's RFC3339Nano in UTC
 * @ts:		Time (CLOCK_REALTIME)
 * @buf:	Destination, at least STATE_TIME_MAX bytes to be safe
 * @len:	Size of @buf
 *
 * Trailing zeros of the fraction are dropped, and the fraction with them
 * if it is zero, as Go's time.Time JSON encoding (and so runc) does.
 *
 * Return: length of the string, or -ENOBUFS, -EINVAL for a bad @ts
 */
int state_format_time(const struct timespec *ts, char *buf, size_t len)
{
	char frac[16] = "";
	struct tm tm;
	size_t n;
	int i;

	if (ts->tv_nsec < 0 || ts->tv_nsec > 999999999 ||
	    !gmtime_r(&ts->tv_sec, &tm))
		return -EINVAL;
	if (ts->tv_nsec) {
		snprintf(frac, sizeof(frac), ".%09ld", ts->tv_nsec);
		for (i = (int)strlen(frac) - 1; frac[i] == '0'; i--)
			frac[i] = '\0';
	}
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n || n + strlen(frac) + 2 > len)
		return -ENOBUFS;
	return (int)(n + (size_t)snprintf(buf + n, len - n, "%sZ", frac));
}

/**
 * mkdir_p() - Create a directory and any missing parents
 * @path:	Absolute or relative path
 * @mode:	Mode of the last component (parents get 0755)
 *
 * Return: 0 (also if it existed), or -errno
 */
static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (!path[0])
		return -ENOENT;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * state_dir_open() - Open, or create, the state directory of a container
 * @root:	OCI --root
 * @id:		Container id
 * @create:	Create @root if missing and <root>/<id> (0700) with its lock
 *		file; fail if <root>/<id> exists, whoever owns it
 * @dirfd:	Directory fd (O_CLOEXEC) on success; untouched on failure
 *
 * The lock file made on creation marks a directory without state.json yet
 * (create in progress, or a crash) as ours, for state_remove().
 *
 * Return: 0, or -EINVAL (bad id), -ENOENT (missing, !@create), -EEXIST
 *	   (exists, @create), -ENOTDIR/-ELOOP (not a directory), other -errno
 */
int state_dir_open(const char *root, const char *id, bool create, int *dirfd)
{
	_cleanup_close_ int rfd = -1;
	_cleanup_close_ int dfd = -1;
	_cleanup_close_ int lfd = -1;
	int ret;

	if (state_id_valid(id))
		return -EINVAL;
	if (create && (ret = mkdir_p(root, 0711)) < 0)
		return ret;
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	if (create && mkdirat(rfd, id, 0700) < 0)
		return -errno;
	dfd = openat(rfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (create) {
		lfd = openat(dfd, STATE_LOCK,
			     O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			     0600);
		if (lfd < 0) {
			ret = -errno;
			unlinkat(rfd, id, AT_REMOVEDIR);
			return ret;
		}
	}
	*dirfd = TAKE_FD(dfd);
	return 0;
}

/**
 * state_lock() - Take the container's lock
 * @dirfd:	State directory
 * @exclusive:	LOCK_EX (writers, delete) instead of LOCK_SH (readers)
 * @wait:	Block until granted; otherwise fail at once if held
 * @lockfd:	Lock fd on success (closing it releases); untouched on failure
 *
 * Return: 0, or -EWOULDBLOCK (held, !@wait), other -errno
 */
int state_lock(int dirfd, bool exclusive, bool wait, int *lockfd)
{
	_cleanup_close_ int fd = -1;
	int op = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);

	fd = openat(dirfd, STATE_LOCK,
		    O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, op) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	*lockfd = TAKE_FD(fd);
	return 0;
}

/**
 * state_to_json() - Build our state.json object
 * @s:		State
 * @out:	New reference on success
 *
 * Return: 0, or -ENOMEM
 */
static int state_to_json(const struct state *s, json_t **out)
{
	_cleanup_json_ json_t *o = json_object();
	const struct field *f;
	const char *p;
	json_t *v;

	if (!o ||
	    json_object_set_new(o, "runtime", json_string(STATE_RUNTIME)) ||
	    json_object_set_new(o, "stateVersion", json_integer(STATE_VERSION)))
		return -ENOMEM;
	for (f = fields; f < fields + ARRAY_SIZE(fields); f++) {
		p = (const char *)s + f->off;
		if (f->kind == FIELD_STR)
			v = json_stringn(p, strnlen(p, f->size - 1));
		else if (f->kind == FIELD_ULL)
			v = json_integer((json_int_t) *
					 (const unsigned long long *)p);
		else if (f->kind == FIELD_STATUS)
			v = json_string(
			    state_status_str(*(const enum state_status *)p));
		else
			v = json_integer(*(const int *)p);
		if (json_object_set_new(o, f->name, v))
			return -ENOMEM;
	}
	*out = TAKE_PTR(o);
	return 0;
}

/**
 * state_write() - Replace state.json atomically
 * @dirfd:	State directory; the caller holds the lock exclusively
 * @s:		State to store
 *
 * Writes state.json.tmp (0600), fsyncs it, renames it over state.json and
 * fsyncs the directory: a reader sees the old or the new file, never a mix.
 *
 * Return: 0, or -EINVAL (bad id, status or start_time), other -errno
 */
int state_write(int dirfd, const struct state *s)
{
	_cleanup_close_ int fd = -1;
	_cleanup_json_ json_t *o = NULL;
	_cleanup_free_ char *text = NULL;
	int ret;

	if (state_id_valid(s->id) || (unsigned int)s->status >= STATE_NUM ||
	    s->start_time > INT64_MAX)
		return -EINVAL;
	ret = state_to_json(s, &o);
	if (ret < 0)
		return ret;
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		return -ENOMEM;
	fd =
	    openat(dirfd, STATE_TMP,
		   O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, text, strlen(text));
	if (ret >= 0)
		ret = write_all(fd, "\n", 1);
	if (ret < 0)
		return ret;
	if (fsync(fd) < 0)
		return -errno;
	if (renameat(dirfd, STATE_TMP, dirfd, STATE_FILE) < 0)
		return -errno;
	if (fsync(dirfd) < 0 && errno != EINVAL)
		return -errno;
	return 0;
}

/**
 * field_from_json() - Type-check and copy one state.json member
 * @f:		Field description
 * @v:		JSON value (NULL if absent)
 * @s:		State to fill
 *
 * Return: 0, or -EINVAL for a missing, mistyped or oversized value
 */
static int field_from_json(const struct field *f, const json_t *v,
			   struct state *s)
{
	char *p = (char *)s + f->off;
	json_int_t i;
	size_t n;

	if (f->kind == FIELD_STR || f->kind == FIELD_STATUS) {
		if (!json_is_string(v))
			return -EINVAL;
		n = json_string_length(v);
		if (memchr(json_string_value(v), '\0', n))
			return -EINVAL;
		if (f->kind == FIELD_STATUS)
			return state_status_parse(json_string_value(v),
						  (enum state_status *)p);
		if (n >= f->size)
			return -EINVAL;
		memcpy(p, json_string_value(v), n + 1);
		return 0;
	}
	if (!json_is_integer(v))
		return -EINVAL;
	i = json_integer_value(v);
	if (f->kind == FIELD_ULL) {
		if (i < 0)
			return -EINVAL;
		*(unsigned long long *)p = (unsigned long long)i;
		return 0;
	}
	if (i < INT_MIN || i > INT_MAX)
		return -EINVAL;
	*(int *)p = (int)i;
	return 0;
}

/**
 * state_from_json() - Check that a parsed state.json is ours and copy it
 * @o:		Parsed document
 * @s:		State to fill (possibly partly, on failure)
 *
 * Return: 0, -ENOMSG if the document is not ours (no runtime marker), or
 *	   -EINVAL if it is ours but malformed
 */
static int state_from_json(const json_t *o, struct state *s)
{
	const char *rt = json_string_value(json_object_get(o, "runtime"));
	const json_t *ver = json_object_get(o, "stateVersion");
	const struct field *f;

	if (!json_is_object(o) || !rt || strcmp(rt, STATE_RUNTIME))
		return -ENOMSG;
	if (!json_is_integer(ver) || json_integer_value(ver) != STATE_VERSION)
		return -EINVAL;
	for (f = fields; f < fields + ARRAY_SIZE(fields); f++) {
		if (field_from_json(f, json_object_get(o, f->name), s)) {
			debug("state.json: bad or missing \"%s\"", f->name);
			return -EINVAL;
		}
	}
	return state_id_valid(s->id);
}

/**
 * state_read() - Load and check state.json
 * @dirfd:	State directory
 * @s:		Filled on success; untouched on failure
 *
 * Return: 0, or -ENOENT (no state.json), -ENOMSG (a state.json that is not
 *	   ours, e.g. runc's), -EINVAL (ours but unparsable), other -errno
 */
int state_read(int dirfd, struct state *s)
{
	_cleanup_close_ int fd = -1;
	_cleanup_json_ json_t *o = NULL;
	struct state tmp = {0};
	json_error_t jerr;
	int ret;

	fd = openat(dirfd, STATE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	o = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		debug("state.json: line %d column %d: %s", jerr.line,
		      jerr.column, jerr.text);
		return -EINVAL;
	}
	ret = state_from_json(o, &tmp);
	if (ret < 0)
		return ret;
	*s = tmp;
	return 0;
}

/**
 * is_ours() - Tell whether an existing state directory may be removed
 * @dfd:	State directory
 *
 * Return: 0 if it holds our state.json, or no state.json but our lock
 *	   file; -ENOMSG if it is someone else's; -EINVAL (garbage), -errno
 */
static int is_ours(int dfd)
{
	struct state s;
	struct stat st;
	int ret;

	ret = state_read(dfd, &s);
	if (ret != -ENOENT)
		return ret;
	if (fstatat(dfd, STATE_LOCK, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? -ENOMSG : -errno;
	return S_ISREG(st.st_mode) ? 0 : -ENOMSG;
}

/**
 * state_remove() - Delete a container's state directory, if it is ours
 * @root:	OCI --root
 * @id:		Container id
 *
 * The caller should hold the lock exclusively. state.json goes last but
 * one, so an interrupted removal can be retried by the next delete.
 *
 * Return: 0, or -ENOENT (no such entry), -ENOMSG (not ours: untouched),
 *	   -ENOTEMPTY (ours, but holds files we did not make: ours are
 *	   gone, those stay), other -errno
 */
int state_remove(const char *root, const char *id)
{
	static const char *const names[] = {STATE_CTL, STATE_EXIT, STATE_TMP,
					    STATE_LOCK, STATE_FILE};
	_cleanup_close_ int rfd = -1;
	_cleanup_close_ int dfd = -1;
	unsigned int i;
	int ret;

	if (state_id_valid(id))
		return -EINVAL;
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	dfd = openat(rfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOTDIR || errno == ELOOP ? -ENOMSG : -errno;
	ret = is_ours(dfd);
	if (ret < 0)
		return ret;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (unlinkat(dfd, names[i], 0) < 0 && errno != ENOENT)
			return -errno;
	}
	if (unlinkat(rfd, id, AT_REMOVEDIR) < 0)
		return -errno;
	return 0;
}

/**
 * list_one() - Read one directory entry of the root, if it is ours
 * @rfd:	Root directory
 * @name:	Entry name
 * @s:		Filled if the entry is one of our containers
 *
 * Return: 0 if @s was filled, -errno (skip the entry) otherwise
 */
static int list_one(int rfd, const char *name, struct state *s)
{
	_cleanup_close_ int dfd = -1;
	int ret;

	if (state_id_valid(name))
		return -EINVAL;
	dfd =
	    openat(rfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	ret = state_read(dfd, s);
	if (ret < 0)
		return ret;
	if (strcmp(s->id, name)) {
		debug("state: %s holds the state of %s", name, s->id);
		return -EINVAL;
	}
	return 0;
}

/**
 * state_list() - Call @fn for each of our containers under @root
 * @root:	OCI --root
 * @fn:		Callback; returns 0 to go on, anything else to stop
 * @opaque:	Passed to @fn
 *
 * Entries that are not ours (runc's directories, gVisor's files) and
 * entries that vanish or are unreadable are skipped. Readers take no lock:
 * state.json is replaced atomically.
 *
 * Return: 0 after the last entry (also when @root does not exist), the
 *	   first non-zero value @fn returned, or -errno reading @root
 */
int state_list(const char *root, int (*fn)(const struct state *s, void *opaque),
	       void *opaque)
{
	_cleanup_close_ int rfd = -1;
	_cleanup_dir_ DIR *d = NULL;
	struct dirent *de;
	struct state s;
	int ret;

	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return errno == ENOENT ? 0 : -errno;
	d = fdopendir(rfd);
	if (!d)
		return -errno;
	(void)TAKE_FD(rfd); /* owned by @d now */
	while ((errno = 0, de = readdir(d))) {
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (list_one(dirfd(d), de->d_name, &s) < 0)
			continue;
		ret = fn(&s, opaque);
		if (ret)
			return ret;
	}
	return errno ? -errno : 0;
}

/* Output buffer of the JSON printers: overflow is reported at the end */
struct out {
	char *buf;
	size_t len;
	size_t pos;
};

static void out_printf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * out_put() - Append bytes to @o, dropping what does not fit
 * @o:		Output buffer
 * @p:		Bytes
 * @n:		Number of bytes
 */
static void out_put(struct out *o, const char *p, size_t n)
{
	if (o->pos < o->len)
		memcpy(o->buf + o->pos, p, MIN(n, o->len - o->pos));
	o->pos += n;
}

/**
 * out_printf() - Append formatted text to @o
 * @o:		Output buffer
 * @fmt:	printf format
 * @...:	Arguments
 */
static void out_printf(struct out *o, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_put(o, tmp, (size_t)MIN(n, (int)sizeof(tmp) - 1));
}

/**
 * out_end() - NUL-terminate @o
 * @o:		Output buffer
 *
 * Return: length of the text, or -ENOBUFS if it did not fit
 */
static int out_end(struct out *o)
{
	if (o->pos >= o->len || o->pos > INT_MAX) {
		if (o->len)
			o->buf[o->len - 1] = '\0';
		return -ENOBUFS;
	}
	o->buf[o->pos] = '\0';
	return (int)o->pos;
}

/**
 * utf8_len() - Length of a valid UTF-8 sequence, by Go's rules
 * @p:		Bytes, NUL-terminated
 *
 * Overlong forms, surrogates and code points above U+10FFFF are invalid,
 * as in Go's utf8.DecodeRuneInString.
 *
 * Return: 1 to 4, or 0 if @p does not start a valid sequence
 */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return n;
}

/**
 * out_gostr() - Append a JSON string escaped as Go's encoding/json does
 * @o:		Output buffer
 * @s:		String (NUL-terminated)
 *
 * HTML-safe escaping: <, > and & become \u003c, \u003e, \u0026; control
 * characters other than \n, \r, \t become \u00XX; invalid UTF-8 becomes
 * \ufffd; U+2028 and U+2029 are escaped.
 */
static void out_gostr(struct out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	out_put(o, "\"", 1);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			out_put(o, "\\", 1);
			out_put(o, (const char *)p++, 1);
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			out_put(o,
				*p == '\n'   ? "\\n"
				: *p == '\r' ? "\\r"
					     : "\\t",
				2);
			p++;
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			out_printf(o, "\\u%04x", *p++);
		} else if (!(n = utf8_len(p))) {
			out_put(o, "\\ufffd", 6);
			p++;
		} else if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
			   (p[2] == 0xa8 || p[2] == 0xa9)) {
			out_printf(o, "\\u%s", p[2] == 0xa8 ? "2028" : "2029");
			p += 3;
		} else {
			out_put(o, (const char *)p, n);
			p += n;
		}
	}
	out_put(o, "\"", 1);
}

/**
 * out_member() - Append "name": "string" with the given separators
 * @o:		Output buffer
 * @pre:	Text before the name (",\n  " or ",")
 * @name:	Member name (plain ASCII)
 * @colon:	": " or ":"
 * @val:	String value
 */
static void out_member(struct out *o, const char *pre, const char *name,
		       const char *colon, const char *val)
{
	out_printf(o, "%s\"%s\"%s", pre, name, colon);
	out_gostr(o, val);
}

/**
 * oci_version() - ociVersion to print for a state
 * @s:		State
 *
 * Return: the bundle's version, or STATE_OCI_VERSION if none was stored
 */
static const char *oci_version(const struct state *s)
{
	return s->oci_version[0] ? s->oci_version : STATE_OCI_VERSION;
}

/**
 * state_json() - Print the state as `runc state` does
 * @s:		State; @s->status should already reflect state_pid_alive()
 * @buf:	Destination, NUL-terminated on return
 * @len:	Size of @buf
 *
 * Go's json.MarshalIndent(v, "", "  ") of runc's containerState: members
 * ociVersion, id, pid (0 once stopped), status, bundle, rootfs, created,
 * owner; no annotations (we keep none); no trailing newline.
 *
 * Return: length of the text, or -ENOBUFS if @len is too small
 */
int state_json(const struct state *s, char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	const char *sep = ",\n  ";

	out_member(&o, "{\n  ", "ociVersion", ": ", oci_version(s));
	out_member(&o, sep, "id", ": ", s->id);
	out_printf(&o, "%s\"pid\": %d", sep,
		   s->status == STATE_STOPPED ? 0 : (int)s->pid);
	out_member(&o, sep, "status", ": ", state_status_str(s->status));
	out_member(&o, sep, "bundle", ": ", s->bundle);
	out_member(&o, sep, "rootfs", ": ", s->rootfs);
	out_member(&o, sep, "created", ": ", s->created);
	out_member(&o, sep, "owner", ": ", s->owner);
	out_put(&o, "\n}", 2);
	return out_end(&o);
}

/**
 * state_hook_json() - Print the OCI state that hooks read on stdin
 * @s:		State
 * @buf:	Destination, NUL-terminated on return
 * @len:	Size of @buf
 *
 * Go's json.Marshal of specs.State, as runc feeds it to hooks:
 * {"ociVersion","id","status","pid","bundle"}, "pid" omitted when 0 or
 * once stopped (poststop), no annotations, no trailing newline.
 *
 * Return: length of the text, or -ENOBUFS if @len is too small
 */
int state_hook_json(const struct state *s, char *buf, size_t len)
{
	struct out o = {buf, len, 0};

	out_member(&o, "{", "ociVersion", ":", oci_version(s));
	out_member(&o, ",", "id", ":", s->id);
	out_member(&o, ",", "status", ":", state_status_str(s->status));
	if (s->status != STATE_STOPPED && s->pid > 0)
		out_printf(&o, ",\"pid\":%d", (int)s->pid);
	out_member(&o, ",", "bundle", ":", s->bundle);
	out_put(&o, "}", 1);
	return out_end(&o);
}

/**
 * state_parse_stat() - Extract state and starttime from /proc/PID/stat
 * @stat:	Contents of the file, NUL-terminated
 * @pstate:	Process state letter (field 3), e.g. 'S', 'Z'
 * @start_time:	starttime (field 22), clock ticks after boot
 *
 * The comm field (2) may hold spaces and parentheses, so fields are
 * counted from the last ')'.
 *
 * Return: 0, or -EINVAL if @stat is malformed
 */
int state_parse_stat(const char *stat, char *pstate,
		     unsigned long long *start_time)
{
	const char *p = strrchr(stat, ')');
	unsigned long long v;
	char *end;
	int field;

	if (!p || p[1] != ' ' || !p[2] || p[2] == ' ')
		return -EINVAL;
	*pstate = p[2];
	p += 2; /* at field 3 */
	for (field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -EINVAL;
	*start_time = v;
	return 0;
}

/**
 * state_proc_start_time() - Read a process's starttime from /proc
 * @pid:	Process, in the pid namespace of our /proc
 * @start_time:	Result; untouched on failure
 *
 * Return: 0, or -ESRCH (no such process, or a zombie), -EINVAL (bad
 *	   stat line), other -errno
 */
int state_proc_start_time(pid_t pid, unsigned long long *start_time)
{
	_cleanup_close_ int fd = -1;
	unsigned long long t;
	char path[32], buf[1024];
	ssize_t n;
	char c;
	int ret;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read_full(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n ? (int)n : -ESRCH;
	buf[n] = '\0';
	ret = state_parse_stat(buf, &c, &t);
	if (ret < 0)
		return ret;
	if (c == 'Z' || c == 'X')
		return -ESRCH;
	*start_time = t;
	return 0;
}

/**
 * state_pid_alive() - Tell whether the state's sentry process still runs
 * @s:		State with @s->pid and @s->start_time
 *
 * A zombie counts as dead: it has exited and waits for its reaper.
 *
 * Return: 1 if @s->pid exists with the recorded starttime, 0 if not,
 *	   -errno if /proc could not be read
 */
int state_pid_alive(const struct state *s)
{
	unsigned long long t = 0;
	int ret;

	ret = state_proc_start_time(s->pid, &t);
	if (ret == -ESRCH)
		return 0;
	if (ret < 0)
		return ret;
	return t == s->start_time;
}
