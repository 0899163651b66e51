// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spec.c - config.json → struct spec; the only place jansson sees the spec
 *
 * Every parse_*() function reads one JSON object into its part of struct
 * spec, which is zeroed beforehand and owns whatever was copied into it so
 * far: on the first error the caller stops and spec_free() releases the
 * partial struct, so no parse function needs its own unwinding.
 *
 * Field paths for messages are kept in struct pctx: push_key()/push_idx()
 * extend the path while a member is being read, pop() restores it.
 */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base.h"
#include "cleanup.h"

/* get_str() and get_strv() @flags */
#define F_REQ 0x1U	/* must be present */
#define F_ABS 0x2U	/* absolute path(s) */
#define F_NONEMPTY 0x4U /* at least one entry / character */

/**
 * struct pctx - Parse context
 * @errbuf:	Caller's buffer for the one-line message, may be NULL
 * @errlen:	Size of @errbuf
 * @name:	File name used as the message prefix
 * @path:	Field path being read, such as "mounts[3].options"
 * @plen:	Length of @path
 */
struct pctx {
	char *errbuf;
	size_t errlen;
	const char *name;
	char path[256];
	size_t plen;
};

static const char *const cap_names[] = {
#define C(x) [CAP_##x] = "CAP_" #x
    C(CHOWN),
    C(DAC_OVERRIDE),
    C(DAC_READ_SEARCH),
    C(FOWNER),
    C(FSETID),
    C(KILL),
    C(SETGID),
    C(SETUID),
    C(SETPCAP),
    C(LINUX_IMMUTABLE),
    C(NET_BIND_SERVICE),
    C(NET_BROADCAST),
    C(NET_ADMIN),
    C(NET_RAW),
    C(IPC_LOCK),
    C(IPC_OWNER),
    C(SYS_MODULE),
    C(SYS_RAWIO),
    C(SYS_CHROOT),
    C(SYS_PTRACE),
    C(SYS_PACCT),
    C(SYS_ADMIN),
    C(SYS_BOOT),
    C(SYS_NICE),
    C(SYS_RESOURCE),
    C(SYS_TIME),
    C(SYS_TTY_CONFIG),
    C(MKNOD),
    C(LEASE),
    C(AUDIT_WRITE),
    C(AUDIT_CONTROL),
    C(SETFCAP),
    C(MAC_OVERRIDE),
    C(MAC_ADMIN),
    C(SYSLOG),
    C(WAKE_ALARM),
    C(BLOCK_SUSPEND),
    C(AUDIT_READ),
    C(PERFMON),
    C(BPF),
    C(CHECKPOINT_RESTORE),
#undef C
};
static_assert(ARRAY_SIZE(cap_names) == CAP_LAST_CAP + 1, "cap_names");

static const char *const cap_set_str[] = {
    [SPEC_CAP_BOUNDING] = "bounding",	    [SPEC_CAP_EFFECTIVE] = "effective",
    [SPEC_CAP_INHERITABLE] = "inheritable", [SPEC_CAP_PERMITTED] = "permitted",
    [SPEC_CAP_AMBIENT] = "ambient",
};
static_assert(ARRAY_SIZE(cap_set_str) == SPEC_CAP_NUM, "cap_set_str");

static const char *const rlimit_names[] = {
#define R(x) [RLIMIT_##x] = "RLIMIT_" #x
    R(CPU),	 R(FSIZE),  R(DATA),	R(STACK),  R(CORE),  R(RSS),
    R(NPROC),	 R(NOFILE), R(MEMLOCK), R(AS),	   R(LOCKS), R(SIGPENDING),
    R(MSGQUEUE), R(NICE),   R(RTPRIO),	R(RTTIME),
#undef R
};
static_assert(ARRAY_SIZE(rlimit_names) == RLIM_NLIMITS, "rlimit_names");

static const char *const hook_kind_str[] = {
    [SPEC_HOOK_PRESTART] = "prestart",
    [SPEC_HOOK_CREATE_RUNTIME] = "createRuntime",
    [SPEC_HOOK_CREATE_CONTAINER] = "createContainer",
    [SPEC_HOOK_START_CONTAINER] = "startContainer",
    [SPEC_HOOK_POSTSTART] = "poststart",
    [SPEC_HOOK_POSTSTOP] = "poststop",
};
static_assert(ARRAY_SIZE(hook_kind_str) == SPEC_HOOK_NUM, "hook_kind_str");

static const struct {
	const char *name;
	int flag;
} ns_types[] = {
    [SPEC_NS_PID] = {"pid", CLONE_NEWPID},
    [SPEC_NS_NETWORK] = {"network", CLONE_NEWNET},
    [SPEC_NS_MOUNT] = {"mount", CLONE_NEWNS},
    [SPEC_NS_IPC] = {"ipc", CLONE_NEWIPC},
    [SPEC_NS_UTS] = {"uts", CLONE_NEWUTS},
    [SPEC_NS_USER] = {"user", CLONE_NEWUSER},
    [SPEC_NS_CGROUP] = {"cgroup", CLONE_NEWCGROUP},
    [SPEC_NS_TIME] = {"time", CLONE_NEWTIME},
};
static_assert(ARRAY_SIZE(ns_types) == SPEC_NS_NUM, "ns_types");

/* what a mount option does to struct spec_mount */
enum mopt_kind {
	MOPT_SET,  /* sets @flag in flags */
	MOPT_CLR,  /* clears @flag in flags */
	MOPT_PROP, /* replaces propagation with @flag */
};

/* mount(8) option names, as runc understands them */
static const struct {
	const char *name;
	enum mopt_kind kind;
	unsigned long flag;
} mount_opts[] = {
    {"acl", MOPT_SET, MS_POSIXACL},
    {"async", MOPT_CLR, MS_SYNCHRONOUS},
    {"atime", MOPT_CLR, MS_NOATIME},
    {"bind", MOPT_SET, MS_BIND},
    {"defaults", MOPT_SET, 0},
    {"dev", MOPT_CLR, MS_NODEV},
    {"diratime", MOPT_CLR, MS_NODIRATIME},
    {"dirsync", MOPT_SET, MS_DIRSYNC},
    {"exec", MOPT_CLR, MS_NOEXEC},
    {"iversion", MOPT_SET, MS_I_VERSION},
    {"lazytime", MOPT_SET, MS_LAZYTIME},
    {"loud", MOPT_CLR, MS_SILENT},
    {"mand", MOPT_SET, MS_MANDLOCK},
    {"noacl", MOPT_CLR, MS_POSIXACL},
    {"noatime", MOPT_SET, MS_NOATIME},
    {"nodev", MOPT_SET, MS_NODEV},
    {"nodiratime", MOPT_SET, MS_NODIRATIME},
    {"noexec", MOPT_SET, MS_NOEXEC},
    {"noiversion", MOPT_CLR, MS_I_VERSION},
    {"nolazytime", MOPT_CLR, MS_LAZYTIME},
    {"nomand", MOPT_CLR, MS_MANDLOCK},
    {"norelatime", MOPT_CLR, MS_RELATIME},
    {"nostrictatime", MOPT_CLR, MS_STRICTATIME},
    {"nosuid", MOPT_SET, MS_NOSUID},
    {"nosymfollow", MOPT_SET, MS_NOSYMFOLLOW},
    {"rbind", MOPT_SET, MS_BIND | MS_REC},
    {"relatime", MOPT_SET, MS_RELATIME},
    {"remount", MOPT_SET, MS_REMOUNT},
    {"ro", MOPT_SET, MS_RDONLY},
    {"rw", MOPT_CLR, MS_RDONLY},
    {"silent", MOPT_SET, MS_SILENT},
    {"strictatime", MOPT_SET, MS_STRICTATIME},
    {"suid", MOPT_CLR, MS_NOSUID},
    {"sync", MOPT_SET, MS_SYNCHRONOUS},
    {"symfollow", MOPT_CLR, MS_NOSYMFOLLOW},
    {"private", MOPT_PROP, MS_PRIVATE},
    {"rprivate", MOPT_PROP, MS_PRIVATE | MS_REC},
    {"shared", MOPT_PROP, MS_SHARED},
    {"rshared", MOPT_PROP, MS_SHARED | MS_REC},
    {"slave", MOPT_PROP, MS_SLAVE},
    {"rslave", MOPT_PROP, MS_SLAVE | MS_REC},
    {"unbindable", MOPT_PROP, MS_UNBINDABLE},
    {"runbindable", MOPT_PROP, MS_UNBINDABLE | MS_REC},
};

/**
 * push() - Append to the field path
 * @c:		Parse context
 * @fmt:	printf format of the part to append
 *
 * Return: the previous path length, for pop()
 */
__attribute__((format(printf, 2, 3))) static size_t push(struct pctx *c,
							 const char *fmt, ...)
{
	size_t old = c->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + old, sizeof(c->path) - old, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->plen = MIN(old + (size_t)n, sizeof(c->path) - 1);
	return old;
}

/**
 * push_key() - Descend into an object member
 * @c:		Parse context
 * @key:	Member name
 *
 * Return: the previous path length, for pop()
 */
static size_t push_key(struct pctx *c, const char *key)
{
	return push(c, c->plen ? ".%s" : "%s", key);
}

/**
 * push_idx() - Descend into an array element
 * @c:		Parse context
 * @i:		Index
 *
 * Return: the previous path length, for pop()
 */
static size_t push_idx(struct pctx *c, size_t i)
{
	return push(c, "[%zu]", i);
}

/**
 * pop() - Restore the field path
 * @c:		Parse context
 * @old:	Length returned by the matching push
 */
static void pop(struct pctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/**
 * report() - Write the one-line error message, control characters masked
 * @c:		Parse context
 * @fmt:	printf format of the whole line
 */
__attribute__((format(printf, 2, 3))) static void report(struct pctx *c,
							 const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (!c->errbuf || !c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->errbuf, c->errlen, fmt, ap);
	va_end(ap);
	for (p = c->errbuf; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
}

/**
 * fail() - Report an invalid field
 * @c:		Parse context
 * @key:	Member of the current path at fault, or NULL for the path itself
 * @fmt:	printf format of the problem
 *
 * Return: -EINVAL
 */
__attribute__((format(printf, 3, 4))) static int
fail(struct pctx *c, const char *key, const char *fmt, ...)
{
	size_t old = c->plen;
	char msg[192];
	va_list ap;

	if (key)
		push_key(c, key);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->plen)
		report(c, "%s: %s: %s", c->name, c->path, msg);
	else
		report(c, "%s: %s", c->name, msg);
	pop(c, old);
	return -EINVAL;
}

/**
 * nomem() - Report an allocation failure
 * @c:		Parse context
 *
 * Return: -ENOMEM
 */
static int nomem(struct pctx *c)
{
	report(c, "%s: out of memory", c->name);
	return -ENOMEM;
}

/**
 * member() - Look up an object member, treating JSON null as absent
 * @obj:	Object
 * @key:	Member name
 *
 * Return: the member, or NULL if absent or null
 */
static json_t *member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

/**
 * copy_str() - Copy a JSON string out of the tree
 * @c:		Parse context; the current path names @v
 * @v:		Value, must be a string without NUL
 * @flags:	F_ABS, F_NONEMPTY
 * @out:	Set to the new copy
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int copy_str(struct pctx *c, json_t *v, unsigned int flags, char **out)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);

	if (!json_is_string(v))
		return fail(c, NULL, "expected a string");
	if (strlen(s) != len)
		return fail(c, NULL, "string contains a NUL character");
	if ((flags & F_NONEMPTY) && !len)
		return fail(c, NULL, "expected a non-empty string");
	if ((flags & F_ABS) && s[0] != '/')
		return fail(c, NULL, "must be an absolute path, got \"%.64s\"",
			    s);
	*out = strdup(s);
	return *out ? 0 : nomem(c);
}

/**
 * get_str() - Read an optional or required string member
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @flags:	F_REQ, F_ABS, F_NONEMPTY
 * @out:	Set to a copy; left alone if the member is absent
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int get_str(struct pctx *c, json_t *obj, const char *key,
		   unsigned int flags, char **out)
{
	json_t *v = member(obj, key);
	size_t old;
	int ret;

	if (!v) {
		if (flags & F_REQ)
			return fail(c, key, "missing (expected a string)");
		return 0;
	}
	old = push_key(c, key);
	ret = copy_str(c, v, flags, out);
	pop(c, old);
	return ret;
}

/**
 * get_bool() - Read an optional boolean member
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @out:	Set to the value; left alone if the member is absent
 *
 * Return: 0 or -EINVAL
 */
static int get_bool(struct pctx *c, json_t *obj, const char *key, bool *out)
{
	json_t *v = member(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fail(c, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

/**
 * get_int() - Read an optional integer member within a range
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @min:	Smallest valid value
 * @max:	Largest valid value
 * @out:	Set to the value; left alone if the member is absent
 *
 * Return: 1 if present, 0 if absent, or -EINVAL
 */
static int get_int(struct pctx *c, json_t *obj, const char *key, int64_t min,
		   int64_t max, int64_t *out)
{
	json_t *v = member(obj, key);
	json_int_t n;

	if (!v)
		return 0;
	n = json_integer_value(v);
	if (!json_is_integer(v) || n < min || n > max)
		return fail(c, key, "expected an integer from %lld to %lld",
			    (long long)min, (long long)max);
	*out = n;
	return 1;
}

/**
 * get_u32() - Read an optional 32-bit unsigned integer member
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @req:	The member is required
 * @out:	Set to the value; left alone if the member is absent
 *
 * Return: 1 if present, 0 if absent, or -EINVAL
 */
static int get_u32(struct pctx *c, json_t *obj, const char *key, bool req,
		   uint32_t *out)
{
	int64_t n;
	int ret;

	ret = get_int(c, obj, key, 0, UINT32_MAX, &n);
	if (ret > 0)
		*out = (uint32_t)n;
	if (!ret && req)
		return fail(c, key, "missing (expected an integer)");
	return ret;
}

/**
 * get_u64() - Read an optional 64-bit unsigned integer; -1 is UINT64_MAX
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @out:	Set to the value; left alone if the member is absent
 *
 * Return: 1 if present, 0 if absent, or -EINVAL
 */
static int get_u64(struct pctx *c, json_t *obj, const char *key, uint64_t *out)
{
	int64_t n;
	int ret;

	ret = get_int(c, obj, key, -1, INT64_MAX, &n);
	if (ret > 0)
		*out = n < 0 ? UINT64_MAX : (uint64_t)n;
	return ret;
}

/**
 * get_obj() - Find an optional object member
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @out:	Set to the member, NULL if absent
 *
 * Return: 0 or -EINVAL
 */
static int get_obj(struct pctx *c, json_t *obj, const char *key, json_t **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_object(v))
		return fail(c, key, "expected an object");
	if (json_object_size(v) > SPEC_MAX_LIST)
		return fail(c, key, "more than %d members", SPEC_MAX_LIST);
	*out = v;
	return 0;
}

/**
 * get_arr() - Find an optional array member with a size limit
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @max:	Most elements allowed
 * @what:	What the elements are, for the message ("objects")
 * @out:	Set to the member, NULL if absent
 *
 * Return: 0 or -EINVAL
 */
static int get_arr(struct pctx *c, json_t *obj, const char *key, size_t max,
		   const char *what, json_t **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(c, key, "expected an array of %s", what);
	if (json_array_size(v) > max)
		return fail(c, key, "more than %zu entries", max);
	*out = v;
	return 0;
}

/**
 * elem_obj() - Check an array element is an object, and descend into it
 * @c:		Parse context
 * @arr:	Array
 * @i:		Index
 * @old:	Set to the path length to pop() back to
 *
 * Return: the element, or NULL after reporting that it is not an object
 */
static json_t *elem_obj(struct pctx *c, json_t *arr, size_t i, size_t *old)
{
	json_t *e = json_array_get(arr, i);

	*old = push_idx(c, i);
	if (json_is_object(e))
		return e;
	fail(c, NULL, "expected an object");
	pop(c, *old);
	return NULL;
}

/**
 * strv_free() - Release a string list
 * @l:	List; left empty
 */
static void strv_free(struct spec_strv *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/**
 * get_strv() - Read an array-of-strings member
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @max:	Most entries allowed
 * @flags:	F_REQ, F_NONEMPTY (for the list), F_ABS (for each entry)
 * @out:	Filled in; left empty if the member is absent
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int get_strv(struct pctx *c, json_t *obj, const char *key, size_t max,
		    unsigned int flags, struct spec_strv *out)
{
	const char *what = flags & F_NONEMPTY ? "a non-empty" : "an";
	json_t *v = member(obj, key);
	size_t i, old, n;
	int ret = 0;

	n = json_array_size(v);
	if ((!v && (flags & F_REQ)) || (v && !json_is_array(v)) ||
	    (v && !n && (flags & F_NONEMPTY)))
		return fail(c, key, "expected %s array of strings", what);
	if (n > max)
		return fail(c, key, "more than %zu entries", max);
	if (!v)
		return 0;
	out->v = calloc(n + 1, sizeof(*out->v));
	if (!out->v)
		return nomem(c);
	old = push_key(c, key);
	for (i = 0; i < n && !ret; i++) {
		size_t o = push_idx(c, i);

		ret = copy_str(c, json_array_get(v, i), flags & F_ABS,
			       &out->v[i]);
		if (!ret)
			out->n++;
		pop(c, o);
	}
	pop(c, old);
	return ret;
}

/**
 * kvs_free() - Release a string-to-string object
 * @kv:	Object; left empty
 */
static void kvs_free(struct spec_kvs *kv)
{
	size_t i;

	for (i = 0; i < kv->n; i++) {
		free(kv->v[i].key);
		free(kv->v[i].value);
	}
	free(kv->v);
	kv->v = NULL;
	kv->n = 0;
}

/**
 * get_kvs() - Read an object-of-strings member
 * @c:		Parse context
 * @obj:	Object holding the member
 * @key:	Member name
 * @out:	Filled in; left empty if the member is absent
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int get_kvs(struct pctx *c, json_t *obj, const char *key,
		   struct spec_kvs *out)
{
	const char *k;
	size_t old;
	json_t *v, *m;
	int ret;

	ret = get_obj(c, obj, key, &m);
	if (ret || !m || !json_object_size(m))
		return ret;
	out->v = calloc(json_object_size(m), sizeof(*out->v));
	if (!out->v)
		return nomem(c);
	old = push_key(c, key);
	json_object_foreach(m, k, v)
	{
		struct spec_kv *kv = &out->v[out->n];
		size_t o = push_key(c, k);

		ret = copy_str(c, v, 0, &kv->value);
		pop(c, o);
		if (ret)
			break;
		out->n++;
		kv->key = strdup(k);
		if (!kv->key) {
			ret = nomem(c);
			break;
		}
	}
	pop(c, old);
	return ret;
}

/**
 * get_gids() - Read process.user.additionalGids
 * @c:		Parse context, at "process.user"
 * @user:	JSON user object
 * @u:		Filled in: gids
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int get_gids(struct pctx *c, json_t *user, struct spec_user *u)
{
	size_t i, old;
	json_int_t n;
	json_t *a, *e;
	int ret;

	ret =
	    get_arr(c, user, "additionalGids", SPEC_MAX_LIST, "group IDs", &a);
	if (ret || !json_array_size(a))
		return ret;
	u->gids = calloc(json_array_size(a), sizeof(*u->gids));
	if (!u->gids)
		return nomem(c);
	json_array_foreach(a, i, e)
	{
		n = json_integer_value(e);
		if (!json_is_integer(e) || n < 0 || n > UINT32_MAX) {
			old = push(c, ".additionalGids[%zu]", i);
			ret = fail(c, NULL, "expected a group ID");
			pop(c, old);
			return ret;
		}
		u->gids[u->n_gids++] = (uint32_t)n;
	}
	return 0;
}

/**
 * parse_user() - Read process.user
 * @c:		Parse context, at "process"
 * @proc:	JSON process object
 * @u:		Filled in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_user(struct pctx *c, json_t *proc, struct spec_user *u)
{
	size_t old;
	json_t *o;
	int ret;

	ret = get_obj(c, proc, "user", &o);
	if (ret || !o)
		return ret;
	old = push_key(c, "user");
	if ((ret = get_u32(c, o, "uid", true, &u->uid)) < 0 ||
	    (ret = get_u32(c, o, "gid", true, &u->gid)) < 0 ||
	    (ret = get_u32(c, o, "umask", false, &u->umask)) < 0)
		goto out;
	u->has_umask = ret > 0;
	if (u->umask > 0777)
		ret = fail(c, "umask", "expected a mode from 0 to 0777");
	else
		ret = get_gids(c, o, u);
out:
	pop(c, old);
	return ret < 0 ? ret : 0;
}

/**
 * cap_set() - Translate one capability list into a bit mask
 * @c:		Parse context, at "process.capabilities"
 * @caps:	JSON capabilities object
 * @set:	Which list
 * @mask:	Set to the bit mask
 *
 * Return: 0 or -EINVAL
 */
static int cap_set(struct pctx *c, json_t *caps, enum spec_cap_set set,
		   uint64_t *mask)
{
	size_t i, j, old;
	json_t *a;
	int ret;

	ret =
	    get_arr(c, caps, cap_set_str[set], CAP_LAST_CAP * 4, "strings", &a);
	if (ret || !a)
		return ret;
	old = push_key(c, cap_set_str[set]);
	for (i = 0; i < json_array_size(a) && !ret; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		size_t o = push_idx(c, i);

		for (j = 0; s && j < ARRAY_SIZE(cap_names); j++) {
			if (!strcmp(s, cap_names[j]))
				break;
		}
		if (!s)
			ret = fail(c, NULL, "expected a capability name");
		else if (j == ARRAY_SIZE(cap_names))
			ret = fail(c, NULL, "unknown capability \"%.64s\"", s);
		else
			*mask |= 1ULL << j;
		pop(c, o);
	}
	pop(c, old);
	return ret;
}

/**
 * parse_caps() - Read process.capabilities
 * @c:		Parse context, at "process"
 * @proc:	JSON process object
 * @p:		Filled in: has_caps and caps
 *
 * Return: 0 or -EINVAL
 */
static int parse_caps(struct pctx *c, json_t *proc, struct spec_process *p)
{
	unsigned int set;
	json_t *caps;
	size_t old;
	int ret;

	ret = get_obj(c, proc, "capabilities", &caps);
	if (ret || !caps)
		return ret;
	p->has_caps = true;
	old = push_key(c, "capabilities");
	for (set = 0; set < SPEC_CAP_NUM && !ret; set++)
		ret = cap_set(c, caps, set, &p->caps[set]);
	pop(c, old);
	return ret;
}

/**
 * each_obj() - Read an array of objects into a new array of structs
 * @c:		Parse context
 * @parent:	Object holding the array
 * @key:	Member name of the array
 * @max:	Most entries allowed
 * @size:	Size of one struct
 * @arr:	Set to the new array (NULL if the member is absent or empty),
 *		also on failure: entries up to @n are the caller's to release
 * @n:		Incremented before each entry is read
 * @fn:		Reads one object into one zeroed struct
 *
 * Return: 0, or the first error of @fn, -EINVAL or -ENOMEM
 */
static int each_obj(struct pctx *c, json_t *parent, const char *key, size_t max,
		    size_t size, void **arr, size_t *n,
		    int (*fn)(struct pctx *c, json_t *o, void *elem))
{
	size_t i, old, o2;
	json_t *a, *o;
	int ret;

	*arr = NULL;
	ret = get_arr(c, parent, key, max, "objects", &a);
	if (ret || !json_array_size(a))
		return ret;
	*arr = calloc(json_array_size(a), size);
	if (!*arr)
		return nomem(c);
	old = push_key(c, key);
	for (i = 0; i < json_array_size(a) && !ret; i++) {
		o = elem_obj(c, a, i, &o2);
		if (!o) {
			ret = -EINVAL;
			break;
		}
		(*n)++;
		ret = fn(c, o, (char *)*arr + i * size);
		pop(c, o2);
	}
	pop(c, old);
	return ret;
}

/**
 * parse_rlimit() - Read one process.rlimits entry
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_rlimit to fill in
 *
 * Return: 0 or -EINVAL
 */
static int parse_rlimit(struct pctx *c, json_t *o, void *elem)
{
	_cleanup_free_ char *type = NULL;
	struct spec_rlimit *r = elem;
	size_t i;
	int ret;

	ret = get_str(c, o, "type", F_REQ, &type);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(rlimit_names); i++) {
		if (!strcmp(type, rlimit_names[i]))
			break;
	}
	if (i == ARRAY_SIZE(rlimit_names))
		return fail(c, "type", "unknown resource \"%.64s\"", type);
	r->resource = (int)i;
	ret = get_u64(c, o, "hard", &r->hard);
	if (!ret)
		ret = fail(c, "hard", "missing (expected an integer)");
	if (ret < 0)
		return ret;
	ret = get_u64(c, o, "soft", &r->soft);
	if (!ret)
		ret = fail(c, "soft", "missing (expected an integer)");
	if (ret < 0)
		return ret;
	if (r->soft > r->hard)
		return fail(c, "soft", "greater than hard");
	return 0;
}

/**
 * parse_rlimits() - Read process.rlimits; each resource may appear once
 * @c:		Parse context, at "process"
 * @proc:	JSON process object
 * @p:		Filled in: rlimits
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_rlimits(struct pctx *c, json_t *proc, struct spec_process *p)
{
	size_t i, j, old;
	void *v;
	int ret;

	ret = each_obj(c, proc, "rlimits", SPEC_MAX_LIST, sizeof(*p->rlimits),
		       &v, &p->n_rlimits, parse_rlimit);
	p->rlimits = v;
	for (i = 0; !ret && i < p->n_rlimits; i++) {
		for (j = 0; j < i; j++) {
			if (p->rlimits[i].resource != p->rlimits[j].resource)
				continue;
			old = push(c, "%srlimits[%zu]", c->plen ? "." : "", i);
			ret = fail(c, "type", "%s given twice",
				   rlimit_names[p->rlimits[i].resource]);
			pop(c, old);
			break;
		}
	}
	return ret;
}

/**
 * parse_process() - Read process
 * @c:		Parse context, at the top level
 * @doc:	JSON document
 * @p:		Filled in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_process(struct pctx *c, json_t *doc, struct spec_process *p)
{
	int64_t oom;
	json_t *o;
	size_t old;
	int ret;

	ret = get_obj(c, doc, "process", &o);
	if (ret)
		return ret;
	if (!o)
		return fail(c, "process", "missing (expected an object)");
	old = push_key(c, "process");
	if ((ret = get_bool(c, o, "terminal", &p->terminal)) ||
	    (ret = parse_user(c, o, &p->user)) ||
	    (ret = get_strv(c, o, "args", SPEC_MAX_ARGS, F_REQ | F_NONEMPTY,
			    &p->args)) ||
	    (ret = get_strv(c, o, "env", SPEC_MAX_ENV, 0, &p->env)) ||
	    (ret = get_str(c, o, "cwd", F_REQ | F_ABS, &p->cwd)) ||
	    (ret = parse_caps(c, o, p)) || (ret = parse_rlimits(c, o, p)) ||
	    (ret = get_bool(c, o, "noNewPrivileges", &p->no_new_privileges)))
		goto out;
	ret = get_int(c, o, "oomScoreAdj", -1000, 1000, &oom);
	if (ret > 0) {
		p->has_oom_score_adj = true;
		p->oom_score_adj = (int)oom;
		ret = 0;
	}
out:
	pop(c, old);
	return ret;
}

/**
 * parse_root() - Read root
 * @c:		Parse context, at the top level
 * @doc:	JSON document
 * @r:		Filled in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_root(struct pctx *c, json_t *doc, struct spec_root *r)
{
	json_t *o;
	size_t old;
	int ret;

	ret = get_obj(c, doc, "root", &o);
	if (ret)
		return ret;
	if (!o)
		return fail(c, "root", "missing (expected an object)");
	old = push_key(c, "root");
	ret = get_str(c, o, "path", F_REQ | F_NONEMPTY, &r->path);
	if (!ret)
		ret = get_bool(c, o, "readonly", &r->readonly);
	pop(c, old);
	return ret;
}

/**
 * mopt_find() - Look up a mount option that is a flag or a propagation
 * @name:	Option as written
 *
 * Return: index into mount_opts, or -1 for fs data
 */
static int mopt_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mount_opts); i++) {
		if (!strcmp(name, mount_opts[i].name))
			return (int)i;
	}
	return -1;
}

/**
 * mount_data() - Sort mount options into flags, propagation and fs data
 * @c:		Parse context
 * @m:		Mount whose options are read; flags, propagation, data set
 *
 * Return: 0 or -ENOMEM
 */
static int mount_data(struct pctx *c, struct spec_mount *m)
{
	size_t i, len = 0;
	char *p;
	int j;

	for (i = 0; i < m->options.n; i++) {
		const char *o = m->options.v[i];

		j = mopt_find(o);
		if (j < 0 && *o)
			len += strlen(o) + 1;
		else if (j >= 0 && mount_opts[j].kind == MOPT_SET)
			m->flags |= mount_opts[j].flag;
		else if (j >= 0 && mount_opts[j].kind == MOPT_CLR)
			m->flags &= ~mount_opts[j].flag;
		else if (j >= 0)
			m->propagation = mount_opts[j].flag;
	}
	if (!len)
		return 0;
	m->data = malloc(len);
	if (!m->data)
		return nomem(c);
	for (i = 0, p = m->data; i < m->options.n; i++) {
		const char *o = m->options.v[i];

		if (!*o || mopt_find(o) >= 0)
			continue;
		if (p != m->data)
			*p++ = ',';
		p = stpcpy(p, o);
	}
	return 0;
}

/**
 * parse_mount() - Read one mounts entry
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_mount to fill in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_mount(struct pctx *c, json_t *o, void *elem)
{
	struct spec_mount *m = elem;
	int ret;

	if ((ret = get_str(c, o, "destination", F_REQ | F_ABS,
			   &m->destination)) ||
	    (ret = get_str(c, o, "type", 0, &m->type)) ||
	    (ret = get_str(c, o, "source", 0, &m->source)) ||
	    (ret = get_strv(c, o, "options", SPEC_MAX_LIST, 0, &m->options)))
		return ret;
	return mount_data(c, m);
}

/**
 * parse_hook() - Read one hook
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_hook to fill in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_hook(struct pctx *c, json_t *o, void *elem)
{
	struct spec_hook *h = elem;
	int64_t t;
	int ret;

	if ((ret = get_str(c, o, "path", F_REQ | F_ABS, &h->path)) ||
	    (ret = get_strv(c, o, "args", SPEC_MAX_ARGS, 0, &h->args)) ||
	    (ret = get_strv(c, o, "env", SPEC_MAX_ENV, 0, &h->env)))
		return ret;
	ret = get_int(c, o, "timeout", 1, INT_MAX, &t);
	if (ret > 0)
		h->timeout = (int)t;
	return ret < 0 ? ret : 0;
}

/**
 * parse_hooks() - Read hooks
 * @c:		Parse context, at the top level
 * @doc:	JSON document
 * @hooks:	Filled in, per enum spec_hook_kind
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_hooks(struct pctx *c, json_t *doc, struct spec_hooks *hooks)
{
	unsigned int k;
	json_t *o;
	size_t old;
	void *v;
	int ret;

	ret = get_obj(c, doc, "hooks", &o);
	if (ret || !o)
		return ret;
	old = push_key(c, "hooks");
	for (k = 0; k < SPEC_HOOK_NUM && !ret; k++) {
		ret =
		    each_obj(c, o, hook_kind_str[k], SPEC_MAX_LIST,
			     sizeof(*hooks[k].v), &v, &hooks[k].n, parse_hook);
		hooks[k].v = v;
	}
	pop(c, old);
	return ret;
}

/**
 * parse_ns() - Read one linux.namespaces entry
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_namespace to fill in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_ns(struct pctx *c, json_t *o, void *elem)
{
	_cleanup_free_ char *type = NULL;
	struct spec_namespace *ns = elem;
	unsigned int t;
	int ret;

	ret = get_str(c, o, "type", F_REQ, &type);
	if (ret)
		return ret;
	for (t = 0; t < SPEC_NS_NUM; t++) {
		if (!strcmp(type, ns_types[t].name))
			break;
	}
	if (t == SPEC_NS_NUM)
		return fail(c, "type", "unknown namespace type \"%.64s\"",
			    type);
	ns->type = t;
	ns->clone_flag = ns_types[t].flag;
	return get_str(c, o, "path", F_ABS, &ns->path);
}

/**
 * parse_namespaces() - Read linux.namespaces; each type may appear once
 * @c:		Parse context, at "linux"
 * @lx:		JSON linux object
 * @l:		Filled in: namespaces
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_namespaces(struct pctx *c, json_t *lx, struct spec_linux *l)
{
	unsigned int seen = 0;
	size_t i, old;
	void *v;
	int ret;

	ret = each_obj(c, lx, "namespaces", SPEC_NS_NUM * 2,
		       sizeof(*l->namespaces), &v, &l->n_namespaces, parse_ns);
	l->namespaces = v;
	for (i = 0; !ret && i < l->n_namespaces; i++) {
		enum spec_ns_type t = l->namespaces[i].type;

		if (seen & (1U << t)) {
			old = push(c, ".namespaces[%zu]", i);
			ret =
			    fail(c, "type", "%s given twice", ns_types[t].name);
			pop(c, old);
		}
		seen |= 1U << t;
	}
	return ret;
}

/**
 * parse_idmap() - Read one uidMappings or gidMappings entry
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_idmap to fill in
 *
 * Return: 0 or -EINVAL
 */
static int parse_idmap(struct pctx *c, json_t *o, void *elem)
{
	struct spec_idmap *m = elem;
	int ret;

	if ((ret = get_u32(c, o, "containerID", true, &m->container_id)) < 0 ||
	    (ret = get_u32(c, o, "hostID", true, &m->host_id)) < 0 ||
	    (ret = get_u32(c, o, "size", true, &m->size)) < 0)
		return ret;
	return 0;
}

/**
 * parse_dev_rule() - Read one linux.resources.devices entry
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_dev_rule to fill in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_dev_rule(struct pctx *c, json_t *o, void *elem)
{
	_cleanup_free_ char *type = NULL, *access = NULL;
	struct spec_dev_rule *r = elem;
	int ret;

	if (!member(o, "allow"))
		return fail(c, "allow", "missing (expected true or false)");
	r->major = r->minor = -1;
	if ((ret = get_bool(c, o, "allow", &r->allow)) ||
	    (ret = get_str(c, o, "type", 0, &type)) ||
	    (ret = get_str(c, o, "access", 0, &access)) ||
	    (ret = get_int(c, o, "major", -1, INT64_MAX, &r->major)) < 0 ||
	    (ret = get_int(c, o, "minor", -1, INT64_MAX, &r->minor)) < 0)
		return ret;
	if (type && (strlen(type) != 1 || !strchr("abc", type[0])))
		return fail(c, "type", "expected \"a\", \"b\" or \"c\"");
	r->type = type ? type[0] : 'a';
	if (access &&
	    (strlen(access) > 3 || strspn(access, "rwm") != strlen(access)))
		return fail(c, "access", "expected some of \"rwm\"");
	strcpy(r->access, access ? access : "rwm");
	return 0;
}

/**
 * parse_resources() - Read linux.resources
 * @c:		Parse context, at "linux"
 * @lx:		JSON linux object
 * @r:		Filled in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_resources(struct pctx *c, json_t *lx, struct spec_resources *r)
{
	json_t *o, *mem, *cpu, *pids;
	int64_t shares = 0, period = 0;
	size_t old;
	void *v;
	int ret;

	ret = get_obj(c, lx, "resources", &o);
	if (ret || !o)
		return ret;
	old = push_key(c, "resources");
	if ((ret = get_obj(c, o, "memory", &mem)) ||
	    (ret = get_obj(c, o, "cpu", &cpu)) ||
	    (ret = get_obj(c, o, "pids", &pids)))
		goto out;
	push_key(c, "memory");
	if ((ret = get_int(c, mem, "limit", -1, INT64_MAX, &r->memory_limit)) <
		0 ||
	    (ret = get_int(c, mem, "reservation", -1, INT64_MAX,
			   &r->memory_reservation)) < 0 ||
	    (ret = get_int(c, mem, "swap", -1, INT64_MAX, &r->memory_swap)) < 0)
		goto out;
	pop(c, old);
	push_key(c, "resources.cpu");
	if ((ret = get_int(c, cpu, "shares", 0, INT64_MAX, &shares)) < 0 ||
	    (ret = get_int(c, cpu, "quota", -1, INT64_MAX, &r->cpu_quota)) <
		0 ||
	    (ret = get_int(c, cpu, "period", 0, INT64_MAX, &period)) < 0 ||
	    (ret = get_str(c, cpu, "cpus", 0, &r->cpu_cpus)) ||
	    (ret = get_str(c, cpu, "mems", 0, &r->cpu_mems)))
		goto out;
	r->cpu_shares = (uint64_t)shares;
	r->cpu_period = (uint64_t)period;
	pop(c, old);
	push_key(c, "resources.pids");
	ret = get_int(c, pids, "limit", INT64_MIN, INT64_MAX, &r->pids_limit);
	if (ret < 0)
		goto out;
	pop(c, old);
	push_key(c, "resources");
	ret = each_obj(c, o, "devices", SPEC_MAX_LIST, sizeof(*r->devices), &v,
		       &r->n_devices, parse_dev_rule);
	r->devices = v;
out:
	pop(c, old);
	return ret < 0 ? ret : 0;
}

/**
 * parse_device() - Read one linux.devices entry
 * @c:		Parse context, at the entry
 * @o:		JSON entry
 * @elem:	struct spec_device to fill in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_device(struct pctx *c, json_t *o, void *elem)
{
	_cleanup_free_ char *type = NULL;
	struct spec_device *d = elem;
	int64_t mode;
	int ret;

	if ((ret = get_str(c, o, "path", F_REQ | F_ABS, &d->path)) ||
	    (ret = get_str(c, o, "type", F_REQ, &type)))
		return ret;
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return fail(c, "type", "expected \"c\", \"b\", \"u\" or \"p\"");
	d->type = type[0];
	if ((ret = get_int(c, o, "major", 0, INT64_MAX, &d->major)) < 0 ||
	    (!ret && d->type != 'p'))
		return ret ? ret
			   : fail(c, "major", "missing (expected an integer)");
	if ((ret = get_int(c, o, "minor", 0, INT64_MAX, &d->minor)) < 0 ||
	    (!ret && d->type != 'p'))
		return ret ? ret
			   : fail(c, "minor", "missing (expected an integer)");
	if ((ret = get_int(c, o, "fileMode", 0, 0xffff, &mode)) < 0)
		return ret;
	d->has_file_mode = ret;
	d->file_mode = d->has_file_mode ? (uint32_t)mode & 07777 : 0;
	if ((ret = get_u32(c, o, "uid", false, &d->uid)) < 0)
		return ret;
	d->has_uid = ret;
	if ((ret = get_u32(c, o, "gid", false, &d->gid)) < 0)
		return ret;
	d->has_gid = ret;
	return 0;
}

/**
 * parse_seccomp() - Keep linux.seccomp as compact JSON text
 * @c:		Parse context, at "linux"
 * @lx:		JSON linux object
 * @out:	Set to the text; left alone if absent
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_seccomp(struct pctx *c, json_t *lx, char **out)
{
	json_t *o;
	int ret;

	ret = get_obj(c, lx, "seccomp", &o);
	if (ret || !o)
		return ret;
	*out = json_dumps(o, JSON_COMPACT);
	return *out ? 0 : nomem(c);
}

/**
 * parse_linux() - Read linux
 * @c:		Parse context, at the top level
 * @doc:	JSON document
 * @l:		Filled in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_linux(struct pctx *c, json_t *doc, struct spec_linux *l)
{
	json_t *o;
	size_t old;
	void *v;
	int ret;

	ret = get_obj(c, doc, "linux", &o);
	if (ret || !o)
		return ret;
	old = push_key(c, "linux");
	if ((ret = parse_namespaces(c, o, l)))
		goto out;
	ret = each_obj(c, o, "uidMappings", SPEC_MAX_LIST,
		       sizeof(*l->uid_mappings), &v, &l->n_uid_mappings,
		       parse_idmap);
	l->uid_mappings = v;
	if (ret)
		goto out;
	ret = each_obj(c, o, "gidMappings", SPEC_MAX_LIST,
		       sizeof(*l->gid_mappings), &v, &l->n_gid_mappings,
		       parse_idmap);
	l->gid_mappings = v;
	if (ret || (ret = get_kvs(c, o, "sysctl", &l->sysctl)) ||
	    (ret = parse_resources(c, o, &l->resources)) ||
	    (ret = get_str(c, o, "cgroupsPath", 0, &l->cgroups_path)) ||
	    (ret = parse_seccomp(c, o, &l->seccomp)) ||
	    (ret = get_strv(c, o, "maskedPaths", SPEC_MAX_LIST, F_ABS,
			    &l->masked_paths)) ||
	    (ret = get_strv(c, o, "readonlyPaths", SPEC_MAX_LIST, F_ABS,
			    &l->readonly_paths)))
		goto out;
	ret = each_obj(c, o, "devices", SPEC_MAX_LIST, sizeof(*l->devices), &v,
		       &l->n_devices, parse_device);
	l->devices = v;
out:
	pop(c, old);
	return ret;
}

/**
 * parse_doc() - Read the whole document
 * @c:		Parse context, at the top level
 * @doc:	JSON document
 * @s:		Zeroed spec, filled in
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_doc(struct pctx *c, json_t *doc, struct spec *s)
{
	void *v;
	int ret;

	if (!json_is_object(doc))
		return fail(c, NULL, "expected a JSON object at the top level");
	if ((ret = get_str(c, doc, "ociVersion", 0, &s->oci_version)) ||
	    (ret = parse_process(c, doc, &s->process)) ||
	    (ret = parse_root(c, doc, &s->root)) ||
	    (ret = get_str(c, doc, "hostname", 0, &s->hostname)))
		return ret;
	ret = each_obj(c, doc, "mounts", SPEC_MAX_MOUNTS, sizeof(*s->mounts),
		       &v, &s->n_mounts, parse_mount);
	s->mounts = v;
	if (ret || (ret = parse_hooks(c, doc, s->hooks)) ||
	    (ret = parse_linux(c, doc, &s->lx)))
		return ret;
	return get_kvs(c, doc, "annotations", &s->annotations);
}

/**
 * fold_u64_max() - Rewrite the number 18446744073709551615 as -1
 * @buf:	JSON text, modified in place
 * @len:	Length of @buf
 *
 * jansson's integers are signed 64-bit, so it rejects RLIM_INFINITY as Go
 * writes it (docker --ulimit x=-1). Outside strings, that exact number
 * becomes "-1" padded with spaces, keeping every line and column in place.
 */
static void fold_u64_max(char *buf, size_t len)
{
	static const char max[] = "18446744073709551615";
	const size_t n = sizeof(max) - 1;
	bool in_str = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_str) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_str = false;
			continue;
		}
		if (buf[i] == '"') {
			in_str = true;
			continue;
		}
		if (len - i < n || memcmp(buf + i, max, n) ||
		    (i && !strchr(":,[ \t\r\n", buf[i - 1])) ||
		    (i + n < len && strchr("0123456789.eE", buf[i + n])))
			continue;
		memcpy(buf + i, "-1", 2);
		memset(buf + i + 2, ' ', n - 2);
		i += n - 1;
	}
}

/**
 * parse_buf() - Parse config.json text in a writable buffer
 * @buf:	JSON text; modified by fold_u64_max()
 * @len:	Length of @buf
 * @name:	File name for messages
 * @out:	Set to the new spec on success, untouched on failure
 * @errbuf:	Buffer for a one-line message on failure, may be NULL
 * @errlen:	Size of @errbuf
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int parse_buf(char *buf, size_t len, const char *name, struct spec **out,
		     char *errbuf, size_t errlen)
{
	struct pctx c = {.errbuf = errbuf, .errlen = errlen, .name = name};
	struct spec *s;
	json_error_t jerr;
	json_t *doc;
	int ret;

	if (len > SPEC_MAX_FILE)
		return fail(&c, NULL, "larger than %u bytes", SPEC_MAX_FILE);
	fold_u64_max(buf, len);
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		report(&c, "%s:%d:%d: invalid JSON: %s", name, jerr.line,
		       jerr.column, jerr.text);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		json_decref(doc);
		return nomem(&c);
	}
	ret = parse_doc(&c, doc, s);
	json_decref(doc);
	if (ret) {
		spec_free(&s);
		return ret;
	}
	*out = s;
	return 0;
}

/**
 * spec_parse() - Parse config.json from memory
 * @json:	JSON text, need not be NUL-terminated
 * @len:	Length of @json
 * @out:	Set to the new spec on success, untouched on failure
 * @errbuf:	Buffer for a one-line message on failure, may be NULL
 * @errlen:	Size of @errbuf
 *
 * Return: 0, -EINVAL (message in @errbuf) or -ENOMEM
 */
int spec_parse(const char *json, size_t len, struct spec **out, char *errbuf,
	       size_t errlen)
{
	_cleanup_free_ char *buf = NULL;

	buf = malloc(len ? len : 1);
	if (!buf) {
		snprintf(errbuf, errbuf ? errlen : 0,
			 "config.json: out of memory");
		return -ENOMEM;
	}
	memcpy(buf, json, len);
	return parse_buf(buf, len, "config.json", out, errbuf, errlen);
}

/**
 * read_file() - Read a whole regular file of at most SPEC_MAX_FILE bytes
 * @path:	File to read
 * @buf:	Set to a new buffer holding the contents
 * @len:	Set to the length of the contents
 *
 * Return: 0, -EFBIG if too large, or -errno
 */
static int read_file(const char *path, char **buf, size_t *len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *b = NULL;
	size_t n = 0;
	ssize_t r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	b = malloc(SPEC_MAX_FILE + 1);
	if (!b)
		return -ENOMEM;
	while (n <= SPEC_MAX_FILE) {
		r = read(fd, b + n, SPEC_MAX_FILE + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			break;
		n += (size_t)r;
	}
	if (n > SPEC_MAX_FILE)
		return -EFBIG;
	*buf = TAKE_PTR(b);
	*len = n;
	return 0;
}

/**
 * spec_load() - Read and parse a bundle's config.json
 * @path:	File to read
 * @out:	Set to the new spec on success, untouched on failure
 * @errbuf:	Buffer for a one-line message on failure, may be NULL
 * @errlen:	Size of @errbuf
 *
 * Messages about the content are prefixed with the file's base name.
 *
 * Return: 0, -EINVAL (invalid content), -ENOMEM, or -errno from reading
 */
int spec_load(const char *path, struct spec **out, char *errbuf, size_t errlen)
{
	_cleanup_free_ char *buf = NULL;
	const char *name = strrchr(path, '/');
	size_t len = 0;
	int ret;

	ret = read_file(path, &buf, &len);
	if (ret == -EFBIG) {
		snprintf(errbuf, errbuf ? errlen : 0,
			 "%s: larger than %u bytes", path, SPEC_MAX_FILE);
		return -EINVAL;
	}
	if (ret) {
		snprintf(errbuf, errbuf ? errlen : 0, "%s: %s", path,
			 strerror(-ret));
		return ret;
	}
	return parse_buf(buf, len, name ? name + 1 : path, out, errbuf, errlen);
}

/**
 * spec_load_process() - Read an OCI process object (runsc exec --process)
 * @path:	File holding one JSON object: a config.json "process"
 * @out:	Set to a new spec whose @process is the file's content (its
 *		root is "/"; nothing else is set)
 * @errbuf:	Buffer for a one-line message on failure, may be NULL
 * @errlen:	Size of @errbuf
 *
 * The object is parsed by the same code as config.json's, so every check
 * and every message ("process.json: process.args: ...") is the same.
 *
 * Return: 0, -EINVAL (invalid content), -ENOMEM, or -errno from reading
 */
int spec_load_process(const char *path, struct spec **out, char *errbuf,
		      size_t errlen)
{
	static const char head[] = "{\"root\":{\"path\":\"/\"},\"process\":";
	_cleanup_free_ char *buf = NULL, *doc = NULL;
	size_t len = 0;
	int ret;

	ret = read_file(path, &buf, &len);
	if (ret) {
		snprintf(errbuf, errbuf ? errlen : 0, "%s: %s", path,
			 ret == -EFBIG ? "too large" : strerror(-ret));
		return ret == -EFBIG ? -EINVAL : ret;
	}
	doc = malloc(sizeof(head) + len + 2);
	if (!doc)
		return -ENOMEM;
	memcpy(doc, head, sizeof(head) - 1);
	memcpy(doc + sizeof(head) - 1, buf, len);
	memcpy(doc + sizeof(head) - 1 + len, "\n}", 2);
	return parse_buf(doc, sizeof(head) - 1 + len + 2, "process.json", out,
			 errbuf, errlen);
}

/**
 * mount_free() - Release what one mount owns
 * @m:	Mount
 */
static void mount_free(struct spec_mount *m)
{
	free(m->destination);
	free(m->type);
	free(m->source);
	strv_free(&m->options);
	free(m->data);
}

/**
 * hook_free() - Release what one hook owns
 * @h:	Hook
 */
static void hook_free(struct spec_hook *h)
{
	free(h->path);
	strv_free(&h->args);
	strv_free(&h->env);
}

/**
 * process_free() - Release what the process owns
 * @p:	Process
 */
static void process_free(struct spec_process *p)
{
	free(p->user.gids);
	strv_free(&p->args);
	strv_free(&p->env);
	free(p->cwd);
	free(p->rlimits);
}

/**
 * linux_free() - Release what the linux section owns
 * @l:	Linux section
 */
static void linux_free(struct spec_linux *l)
{
	size_t i;

	for (i = 0; i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	kvs_free(&l->sysctl);
	free(l->resources.cpu_cpus);
	free(l->resources.cpu_mems);
	free(l->resources.devices);
	free(l->cgroups_path);
	free(l->seccomp);
	strv_free(&l->masked_paths);
	strv_free(&l->readonly_paths);
	for (i = 0; i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
}

/**
 * spec_free() - Release a spec
 * @s:	Spec to release; may point to NULL; set to NULL
 */
void spec_free(struct spec **s)
{
	struct spec *p = *s;
	size_t i, k;

	if (!p)
		return;
	free(p->oci_version);
	process_free(&p->process);
	free(p->root.path);
	free(p->hostname);
	for (i = 0; i < p->n_mounts; i++)
		mount_free(&p->mounts[i]);
	free(p->mounts);
	for (k = 0; k < SPEC_HOOK_NUM; k++) {
		for (i = 0; i < p->hooks[k].n; i++)
			hook_free(&p->hooks[k].v[i]);
		free(p->hooks[k].v);
	}
	linux_free(&p->lx);
	kvs_free(&p->annotations);
	free(p);
	*s = NULL;
}

/**
 * spec_ns_find() - Find the namespace entry of one type
 * @s:		Spec
 * @type:	Namespace type
 *
 * Return: the entry, or NULL if @type is not listed (share the runtime's)
 */
const struct spec_namespace *spec_ns_find(const struct spec *s,
					  enum spec_ns_type type)
{
	size_t i;

	for (i = 0; i < s->lx.n_namespaces; i++) {
		if (s->lx.namespaces[i].type == type)
			return &s->lx.namespaces[i];
	}
	return NULL;
}

/**
 * spec_cap_set_name() - JSON name of a capability set
 * @set:	Capability set
 *
 * Return: "bounding", "effective", ..., or NULL if out of range
 */
const char *spec_cap_set_name(enum spec_cap_set set)
{
	return (unsigned int)set < SPEC_CAP_NUM ? cap_set_str[set] : NULL;
}

/**
 * spec_hook_kind_name() - JSON name of a hook kind
 * @kind:	Hook kind
 *
 * Return: "prestart", "createRuntime", ..., or NULL if out of range
 */
const char *spec_hook_kind_name(enum spec_hook_kind kind)
{
	return (unsigned int)kind < SPEC_HOOK_NUM ? hook_kind_str[kind] : NULL;
}

/**
 * spec_ns_type_name() - JSON name of a namespace type
 * @type:	Namespace type
 *
 * Return: "pid", "network", ..., or NULL if out of range
 */
const char *spec_ns_type_name(enum spec_ns_type type)
{
	return (unsigned int)type < SPEC_NS_NUM ? ns_types[type].name : NULL;
}
