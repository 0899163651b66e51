// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemoncfg.c - add or remove one runtime in daemon.json (see daemoncfg.h)
 *
 * daemoncfg_edit() works on a jansson tree loaded with member order kept;
 * do_install() and do_uninstall() touch runtimes.NAME only. Every failure
 * path writes res->msg exactly once, through fail(), where the context is.
 */
#include "daemoncfg.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"

/* json_decrefp() comes with jansson >= 2.9 */
#define _cleanup_json_ __attribute__((cleanup(json_decrefp)))

/* gVisor's four-space indent, members in file order, reals as written */
#define DUMP_FLAGS                                                             \
	(JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define NAME_CHARS ALNUM "_.-"	   /* after the first character */
#define SH_SAFE ALNUM "_@%+=:,./-" /* what sh leaves alone, unquoted */

static const char *const action_str[] = {
    [DAEMONCFG_ADDED] = "added",	 [DAEMONCFG_REPLACED] = "replaced",
    [DAEMONCFG_UNCHANGED] = "unchanged", [DAEMONCFG_REMOVED] = "removed",
    [DAEMONCFG_ABSENT] = "absent",
};
static_assert(ARRAY_SIZE(action_str) == DAEMONCFG_NUM, "action_str");

/* what a JSON value is, for messages, indexed by json_typeof() */
static const char *const type_str[] = {
    [JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
    [JSON_STRING] = "a string",	 [JSON_INTEGER] = "a number",
    [JSON_REAL] = "a number",	 [JSON_TRUE] = "true",
    [JSON_FALSE] = "false",	 [JSON_NULL] = "null",
};

/**
 * vreport() - Format a one-line message, control characters masked
 * @buf:	Destination
 * @len:	Size of @buf
 * @fmt:	printf format
 * @ap:		Arguments
 */
static void vreport(char *buf, size_t len, const char *fmt, va_list ap)
{
	char *p;

	if (!buf || !len)
		return;
	vsnprintf(buf, len, fmt, ap);
	for (p = buf; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
}

/**
 * report() - Format a one-line message into a caller's buffer
 * @buf:	Destination
 * @len:	Size of @buf
 * @ret:	Value to return
 * @fmt:	printf format
 *
 * Return: @ret
 */
__attribute__((format(printf, 4, 5))) static int
report(char *buf, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(buf, len, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * fail() - Record why the operation failed
 * @res:	Result; its message is written
 * @ret:	-errno to return
 * @fmt:	printf format of the whole line
 *
 * Return: @ret
 */
__attribute__((format(printf, 3, 4))) static int
fail(struct daemoncfg_res *res, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(res->msg, sizeof(res->msg), fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * all_of() - Tell whether a string is made only of some characters
 * @s:		String
 * @set:	Allowed characters
 *
 * Return: true if every character of @s is in @set
 */
static bool all_of(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

/**
 * daemoncfg_name_valid() - Check a runtime name
 * @name:	Name, as it will appear under "runtimes"
 * @msg:	Buffer for a one-line reason, may be NULL
 * @len:	Size of @msg
 *
 * A name is [A-Za-z0-9][A-Za-z0-9_.-]*, at most DAEMONCFG_NAME_MAX bytes:
 * dockerd makes it a file name (/var/lib/docker/runtimes/NAME) when the
 * runtime has runtimeArgs, and Docker's --runtime takes it on the command
 * line. "runc" is dockerd's built-in runtime, which it refuses to redefine.
 *
 * Return: 0, or -EINVAL with the reason in @msg
 */
int daemoncfg_name_valid(const char *name, char *msg, size_t len)
{
	size_t n = name ? strlen(name) : 0;

	if (!n)
		return report(msg, len, -EINVAL, "runtime name is empty");
	if (n > DAEMONCFG_NAME_MAX)
		return report(msg, len, -EINVAL,
			      "runtime name is longer than %d bytes",
			      DAEMONCFG_NAME_MAX);
	if (!strchr(ALNUM, name[0]) || !all_of(name, NAME_CHARS))
		return report(msg, len, -EINVAL,
			      "bad runtime name \"%s\": use letters, digits "
			      "and \"_.-\", starting with a letter or digit",
			      name);
	if (!strcmp(name, "runc"))
		return report(msg, len, -EINVAL,
			      "runtime name \"runc\" is reserved by dockerd "
			      "(its built-in runtime)");
	return 0;
}

/**
 * check_op() - Validate the requested edit
 * @op:		Edit
 * @res:	Result, for the message
 *
 * Return: 0, or -EINVAL with the reason in @res
 */
static int check_op(const struct daemoncfg_op *op, struct daemoncfg_res *res)
{
	size_t i;
	int ret;

	ret = daemoncfg_name_valid(op->name, res->msg, sizeof(res->msg));
	if (ret || op->uninstall)
		return ret;
	if (!op->path || op->path[0] != '/')
		return fail(res, -EINVAL, "runtime path must be absolute");
	if (op->nargs && !all_of(op->path, SH_SAFE))
		return fail(res, -EINVAL,
			    "runtime path \"%.300s\" has characters that "
			    "dockerd's sh wrapper for runtimeArgs would "
			    "interpret",
			    op->path);
	for (i = 0; i < op->nargs; i++) {
		if (!op->args[i] || !op->args[i][0])
			return fail(res, -EINVAL, "empty runtime flag");
		if (!all_of(op->args[i], SH_SAFE))
			return fail(res, -EINVAL,
				    "runtime flag \"%.300s\" has characters "
				    "that dockerd's sh wrapper would interpret "
				    "(allowed: A-Z a-z 0-9 _@%%+=:,./-)",
				    op->args[i]);
	}
	return 0;
}

/**
 * type_name() - What a JSON value is, for a message
 * @v:		Value
 *
 * Return: "an object", "a string", ..., "null"
 */
static const char *type_name(const json_t *v)
{
	unsigned int t = (unsigned int)json_typeof(v);

	return t < ARRAY_SIZE(type_str) && type_str[t] ? type_str[t] : "?";
}

/**
 * blank() - Tell whether text is only JSON whitespace
 * @text:	Text
 * @len:	Length of @text
 *
 * Return: true if @text holds nothing but spaces, tabs and line breaks
 */
static bool blank(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!text[i] || !strchr(" \t\r\n", text[i]))
			return false;
	}
	return true;
}

/**
 * parse() - Load daemon.json text into a tree
 * @file:	File name for messages
 * @text:	JSON text, need not be NUL-terminated
 * @len:	Length of @text
 * @res:	Result, for the message
 * @root:	Set to the top-level object (a new reference)
 *
 * Return: 0, -EINVAL (not JSON, or not an object), -EFBIG or -ENOMEM
 */
static int parse(const char *file, const char *text, size_t len,
		 struct daemoncfg_res *res, json_t **root)
{
	json_error_t jerr;
	json_t *doc;

	if (len > DAEMONCFG_MAX_FILE)
		return fail(res, -EFBIG, "%s: larger than %u bytes", file,
			    DAEMONCFG_MAX_FILE);
	if (blank(text, len)) {
		*root = json_object();
		return *root ? 0 : fail(res, -ENOMEM, "out of memory");
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
			 &jerr);
	if (!doc)
		return fail(res, -EINVAL, "%s:%d:%d: invalid JSON: %s", file,
			    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(doc)) {
		fail(res, -EINVAL, "%s: the top level is %s, not an object",
		     file, type_name(doc));
		json_decref(doc);
		return -EINVAL;
	}
	*root = doc;
	return 0;
}

/**
 * get_runtimes() - Find the "runtimes" object
 * @file:	File name for messages
 * @root:	Top-level object
 * @res:	Result, for the message
 * @rts:	Set to the object (borrowed), or NULL if absent or null
 *
 * Return: 0, or -EINVAL if "runtimes" is something else
 */
static int get_runtimes(const char *file, json_t *root,
			struct daemoncfg_res *res, json_t **rts)
{
	json_t *v = json_object_get(root, "runtimes");

	*rts = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return fail(res, -EINVAL,
			    "%s: \"runtimes\" is %s, not an object", file,
			    type_name(v));
	*rts = v;
	return 0;
}

/**
 * new_entry() - Build {"path": ..., "runtimeArgs": [...]}
 * @op:		Edit
 * @res:	Result, for the message
 * @out:	Set to the new object
 *
 * Return: 0, -EINVAL (not UTF-8) or -ENOMEM
 */
static int new_entry(const struct daemoncfg_op *op, struct daemoncfg_res *res,
		     json_t **out)
{
	_cleanup_json_ json_t *e = json_object();
	_cleanup_json_ json_t *a = NULL;
	size_t i;

	if (!e)
		return fail(res, -ENOMEM, "out of memory");
	if (json_object_set_new(e, "path", json_string(op->path)))
		return fail(res, -EINVAL,
			    "runtime path \"%.300s\" is not valid UTF-8",
			    op->path);
	if (op->nargs) {
		a = json_array();
		for (i = 0; a && i < op->nargs; i++) {
			if (json_array_append_new(a, json_string(op->args[i])))
				return fail(res, -ENOMEM, "out of memory");
		}
		if (!a || json_object_set(e, "runtimeArgs", a))
			return fail(res, -ENOMEM, "out of memory");
	}
	*out = TAKE_PTR(e);
	return 0;
}

/**
 * keep_old() - Remember the entry being replaced, as compact JSON
 * @res:	Result; @res->old is written
 * @old:	Entry
 */
static void keep_old(struct daemoncfg_res *res, const json_t *old)
{
	_cleanup_free_ char *s = NULL;
	const size_t n = sizeof(res->old);

	s = json_dumps(old, JSON_COMPACT | JSON_PRESERVE_ORDER |
				JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	snprintf(res->old, n, "%s", s ? s : "?");
	if (s && strlen(s) >= n)
		memcpy(res->old + n - 4, "...", 4);
}

/**
 * do_install() - Add or replace runtimes.NAME
 * @file:	File name for messages
 * @root:	Top-level object, modified
 * @op:		Edit
 * @res:	Result: action, old entry, or the message
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int do_install(const char *file, json_t *root,
		      const struct daemoncfg_op *op, struct daemoncfg_res *res)
{
	_cleanup_json_ json_t *entry = NULL;
	_cleanup_json_ json_t *fresh = NULL;
	json_t *rts, *old;
	int ret;

	if ((ret = get_runtimes(file, root, res, &rts)) ||
	    (ret = new_entry(op, res, &entry)))
		return ret;
	if (!rts) {
		fresh = json_object();
		if (!fresh || json_object_set(root, "runtimes", fresh))
			return fail(res, -ENOMEM, "out of memory");
		rts = fresh;
	}
	old = json_object_get(rts, op->name);
	if (old && json_equal(old, entry)) {
		res->action = DAEMONCFG_UNCHANGED;
		return 0;
	}
	res->action = old ? DAEMONCFG_REPLACED : DAEMONCFG_ADDED;
	if (old)
		keep_old(res, old);
	if (json_object_set(rts, op->name, entry))
		return fail(res, -ENOMEM, "out of memory");
	return 0;
}

/**
 * do_uninstall() - Remove runtimes.NAME, and "runtimes" if left empty
 * @file:	File name for messages
 * @root:	Top-level object, modified
 * @op:		Edit
 * @res:	Result: action, or the message
 *
 * Return: 0, -EINVAL, or -EBUSY if "default-runtime" names the runtime
 */
static int do_uninstall(const char *file, json_t *root,
			const struct daemoncfg_op *op,
			struct daemoncfg_res *res)
{
	json_t *rts, *dflt;
	int ret;

	ret = get_runtimes(file, root, res, &rts);
	if (ret)
		return ret;
	if (!rts || !json_object_get(rts, op->name)) {
		res->action = DAEMONCFG_ABSENT;
		return 0;
	}
	dflt = json_object_get(root, "default-runtime");
	if (json_is_string(dflt) && !strcmp(json_string_value(dflt), op->name))
		return fail(res, -EBUSY,
			    "%s: \"default-runtime\" is \"%s\", and dockerd "
			    "would not start without it; change it first",
			    file, op->name);
	json_object_del(rts, op->name);
	if (!json_object_size(rts))
		json_object_del(root, "runtimes");
	res->action = DAEMONCFG_REMOVED;
	return 0;
}

/**
 * dump() - Serialise the tree as gVisor does, with a final newline
 * @root:	Top-level object
 * @res:	Result, for the message
 * @out:	Set to the new text
 *
 * Return: 0 or -ENOMEM
 */
static int dump(const json_t *root, struct daemoncfg_res *res, char **out)
{
	_cleanup_free_ char *s = json_dumps(root, DUMP_FLAGS);
	char *t;

	if (!s || asprintf(&t, "%s\n", s) < 0)
		return fail(res, -ENOMEM, "out of memory");
	*out = t;
	return 0;
}

/**
 * daemoncfg_edit() - Add or remove runtimes.NAME in daemon.json text
 * @file:	File name for messages
 * @text:	Current contents, need not be NUL-terminated; may be NULL if
 *		@len is 0 (a missing file)
 * @len:	Length of @text
 * @op:		Edit
 * @res:	Result: what was done, or why not (cleared first)
 * @out:	Set to the new contents, NUL-terminated, also when nothing
 *		changed; untouched on failure
 *
 * Return: 0, or -EINVAL (bad @op, invalid JSON, "runtimes" not an object),
 *	   -EBUSY (removing the default runtime), -EFBIG or -ENOMEM
 */
int daemoncfg_edit(const char *file, const char *text, size_t len,
		   const struct daemoncfg_op *op, struct daemoncfg_res *res,
		   char **out)
{
	_cleanup_json_ json_t *root = NULL;
	int ret;

	memset(res, 0, sizeof(*res));
	if ((ret = check_op(op, res)) ||
	    (ret = parse(file, text ? text : "", len, res, &root)))
		return ret;
	if (op->uninstall)
		ret = do_uninstall(file, root, op, res);
	else
		ret = do_install(file, root, op, res);
	return ret ? ret : dump(root, res, out);
}

/**
 * resolve() - Follow symlinks to the file that will be replaced
 * @file:	daemon.json path as given
 * @res:	Result, for the message
 * @out:	Set to a new string: the real path if the file exists, else
 *		@file itself
 *
 * Return: 0, or -errno (other than -ENOENT) from realpath()
 * #syscalls:setup readlink lstat
 */
static int resolve(const char *file, struct daemoncfg_res *res, char **out)
{
	char *p = realpath(file, NULL);
	int ret;

	if (!p && errno != ENOENT) {
		ret = -errno;
		return fail(res, ret, "%s: %s", file, strerror(-ret));
	}
	if (!p)
		p = strdup(file);
	if (!p)
		return fail(res, -ENOMEM, "out of memory");
	*out = p;
	return 0;
}

/**
 * read_text() - Read the current daemon.json, if any
 * @path:	File
 * @res:	Result, for the message
 * @text:	Set to a new buffer with the contents; NULL if missing
 * @len:	Set to the length of the contents
 * @st:		Set to the file's status; st_mode 0 if missing
 *
 * Return: 0 (also if missing), -EINVAL (not a regular file), -EFBIG, or
 *	   -errno
 * #syscalls:setup openat fstat read close
 */
static int read_text(const char *path, struct daemoncfg_res *res, char **text,
		     size_t *len, struct stat *st)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *b = NULL;
	ssize_t n;
	int ret;

	memset(st, 0, sizeof(*st));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, st) < 0) {
		ret = -errno;
		return fail(res, ret, "%s: cannot read: %s", path,
			    strerror(-ret));
	}
	if (!S_ISREG(st->st_mode))
		return fail(res, -EINVAL, "%s: not a regular file", path);
	if (st->st_size > DAEMONCFG_MAX_FILE)
		return fail(res, -EFBIG, "%s: larger than %u bytes", path,
			    DAEMONCFG_MAX_FILE);
	b = malloc(DAEMONCFG_MAX_FILE + 1);
	if (!b)
		return fail(res, -ENOMEM, "out of memory");
	n = read_full(fd, b, DAEMONCFG_MAX_FILE + 1);
	if (n < 0)
		return fail(res, (int)n, "%s: cannot read: %s", path,
			    strerror((int)-n));
	if (n > DAEMONCFG_MAX_FILE)
		return fail(res, -EFBIG, "%s: larger than %u bytes", path,
			    DAEMONCFG_MAX_FILE);
	*text = TAKE_PTR(b);
	*len = (size_t)n;
	return 0;
}

/**
 * mkdir_p() - Create a directory and any missing parents, mode 0755
 * @dir:	Directory
 *
 * Return: 0 (also if it exists), or -errno
 * #syscalls:setup mkdir
 */
static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * split() - Split a path into a directory and a base name
 * @path:	Path
 * @res:	Result, for the message
 * @dir:	Set to a new string: the directory ("." if none)
 * @base:	Set to the base name, pointing into @path
 *
 * Return: 0, -EINVAL (no base name) or -ENOMEM
 */
static int split(const char *path, struct daemoncfg_res *res, char **dir,
		 const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, ".."))
		return fail(res, -EINVAL, "%s: not a file name", path);
	if (!slash)
		*dir = strdup(".");
	else if (slash == path)
		*dir = strdup("/");
	else
		*dir = strndup(path, (size_t)(slash - path));
	return *dir ? 0 : fail(res, -ENOMEM, "out of memory");
}

/**
 * keep_owner() - Give the new file the old one's owner and group
 * @fd:		New file
 * @old:	Old file's status
 *
 * Return: 0, or -errno from fchown()
 * #syscalls:setup fstat fchown
 */
static int keep_owner(int fd, const struct stat *old)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_uid == old->st_uid && st.st_gid == old->st_gid)
		return 0;
	return fchown(fd, old->st_uid, old->st_gid) < 0 ? -errno : 0;
}

/**
 * fill_temp() - Write, chmod, chown and fsync the temporary file
 * @fd:		Temporary file
 * @text:	New contents
 * @old:	Old file's status; st_mode 0 for a new file (mode 0644)
 *
 * Return: 0 or -errno
 * #syscalls:setup write fchmod fsync
 */
static int fill_temp(int fd, const char *text, const struct stat *old)
{
	mode_t mode = old->st_mode ? old->st_mode & 07777 : 0644;
	int ret;

	ret = write_all(fd, text, strlen(text));
	if (!ret && fchmod(fd, mode) < 0)
		ret = -errno;
	if (!ret && old->st_mode)
		ret = keep_owner(fd, old);
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	return ret;
}

/**
 * write_temp() - Create the temporary file next to @path and fill it
 * @path:	File to be replaced
 * @dir:	Its directory
 * @base:	Its base name
 * @text:	New contents
 * @old:	Old file's status; st_mode 0 for a new file
 * @res:	Result, for the message
 * @tmp:	Set to the new temporary file's path (a new string)
 *
 * Return: 0, or -errno (the temporary file is removed again)
 * #syscalls:setup openat close unlink
 */
static int write_temp(const char *path, const char *dir, const char *base,
		      const char *text, const struct stat *old,
		      struct daemoncfg_res *res, char **tmp)
{
	_cleanup_free_ char *t = NULL;
	_cleanup_close_ int fd = -1;
	int ret;

	if (asprintf(&t, "%s/.%s.XXXXXX", strcmp(dir, "/") ? dir : "", base) <
	    0)
		return fail(res, -ENOMEM, "out of memory");
	fd = mkostemp(t, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return fail(res, ret, "%s: cannot create a file there: %s", dir,
			    strerror(-ret));
	}
	ret = fill_temp(fd, text, old);
	if (!ret && close(TAKE_FD(fd)) < 0)
		ret = -errno;
	if (ret) {
		unlink(t);
		return fail(res, ret, "%s: cannot write %s: %s", path, t,
			    strerror(-ret));
	}
	*tmp = TAKE_PTR(t);
	return 0;
}

/**
 * write_atomic() - Replace a file with new contents, atomically
 * @path:	File to replace (or create)
 * @text:	New contents
 * @old:	Old file's status; st_mode 0 if there is none
 * @res:	Result, for the message
 *
 * Return: 0 or -errno; on failure @path is as it was
 * #syscalls:setup openat rename fsync close unlink
 */
static int write_atomic(const char *path, const char *text,
			const struct stat *old, struct daemoncfg_res *res)
{
	_cleanup_free_ char *dir = NULL, *tmp = NULL;
	_cleanup_close_ int dfd = -1;
	const char *base;
	int ret;

	if ((ret = split(path, res, &dir, &base)))
		return ret;
	if ((ret = mkdir_p(dir)) < 0)
		return fail(res, ret, "%s: cannot create the directory: %s",
			    dir, strerror(-ret));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		ret = -errno;
		return fail(res, ret, "%s: %s", dir, strerror(-ret));
	}
	if ((ret = write_temp(path, dir, base, text, old, res, &tmp)))
		return ret;
	if (rename(tmp, path) < 0) {
		ret = -errno;
		unlink(tmp);
		return fail(res, ret, "%s: cannot replace: %s", path,
			    strerror(-ret));
	}
	if (fsync(dfd) < 0 && errno != EINVAL) {
		ret = -errno;
		return fail(res, ret, "%s: fsync: %s", dir, strerror(-ret));
	}
	return 0;
}

/**
 * daemoncfg_apply() - Add or remove runtimes.NAME in a daemon.json file
 * @file:	daemon.json path; created, with its directory, if missing
 * @op:		Edit
 * @res:	Result: what was done, or why not (cleared first)
 *
 * Nothing is written when the action is DAEMONCFG_UNCHANGED or
 * DAEMONCFG_ABSENT; on failure the file is as it was.
 *
 * Return: 0, or what daemoncfg_edit() returns, or -errno from the file
 *	   system (message in @res)
 */
int daemoncfg_apply(const char *file, const struct daemoncfg_op *op,
		    struct daemoncfg_res *res)
{
	_cleanup_free_ char *path = NULL, *text = NULL, *out = NULL;
	struct stat st;
	size_t len = 0;
	int ret;

	memset(res, 0, sizeof(*res));
	if ((ret = check_op(op, res)) || (ret = resolve(file, res, &path)) ||
	    (ret = read_text(path, res, &text, &len, &st)) ||
	    (ret = daemoncfg_edit(file, text, len, op, res, &out)))
		return ret;
	if (res->action == DAEMONCFG_UNCHANGED ||
	    res->action == DAEMONCFG_ABSENT)
		return 0;
	return write_atomic(path, out, &st, res);
}

/**
 * daemoncfg_action_str() - Name of an action, for messages
 * @action:	Action
 *
 * Return: "added", "replaced", ..., or "unknown" if out of range
 */
const char *daemoncfg_action_str(enum daemoncfg_action action)
{
	if ((unsigned int)action >= DAEMONCFG_NUM)
		return "unknown";
	return action_str[action];
}
