// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ociseccomp.c - config.json's linux.seccomp, as a libseccomp filter
 *
 * See ociseccomp.h for the theory of operation.
 */
#include "ociseccomp.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

#define MAX_ARGS 6 /* syscall arguments */

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

/**
 * bad() - Format an error naming a field
 * @errbuf:	Buffer
 * @len:	Its size
 * @field:	Field path
 * @what:	Problem
 *
 * Return: -EINVAL
 */
static int bad(char *errbuf, size_t len, const char *field, const char *what)
{
	snprintf(errbuf, errbuf ? len : 0, "config.json: linux.seccomp.%s: %s",
		 field, what);
	return -EINVAL;
}

/**
 * action() - An SCMP_ACT_* name and errno into a libseccomp action
 * @name:	Action name
 * @eno:	errnoRet, or -1 when absent
 * @out:	Result
 *
 * Return: 0 or -EINVAL
 */
static int action(const char *name, json_int_t eno, uint32_t *out)
{
	if (!name)
		return -EINVAL;
	if (!strcmp(name, "SCMP_ACT_ALLOW"))
		*out = SCMP_ACT_ALLOW;
	else if (!strcmp(name, "SCMP_ACT_ERRNO"))
		*out = SCMP_ACT_ERRNO(eno >= 0 ? (uint16_t)eno : EPERM);
	else if (!strcmp(name, "SCMP_ACT_KILL") ||
		 !strcmp(name, "SCMP_ACT_KILL_THREAD"))
		*out = SCMP_ACT_KILL;
	else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS"))
		*out = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(name, "SCMP_ACT_TRAP"))
		*out = SCMP_ACT_TRAP;
	else if (!strcmp(name, "SCMP_ACT_TRACE"))
		*out = SCMP_ACT_TRACE(eno >= 0 ? (uint16_t)eno : EPERM);
	else if (!strcmp(name, "SCMP_ACT_LOG"))
		*out = SCMP_ACT_LOG;
	else
		return -EINVAL;
	return eno > 4095 ? -EINVAL : 0;
}

/**
 * errno_of() - An errnoRet member
 * @o:	Object
 * @key:	Member name
 *
 * Return: the value, -1 if absent, -2 if not an integer
 */
static json_int_t errno_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return -1;
	return json_is_integer(v) && json_integer_value(v) >= 0
		   ? json_integer_value(v)
		   : -2;
}

/**
 * parse_args() - The args of one syscalls entry
 * @args:	JSON array, or NULL
 * @cmp:	Result
 * @n:		Number of comparisons
 * @dup:	Set if two share an index
 *
 * Return: 0 or -EINVAL
 */
static int parse_args(json_t *args, struct scmp_arg_cmp *cmp, unsigned int *n,
		      bool *dup)
{
	unsigned int seen = 0, k;
	json_t *a, *v;
	size_t i;

	*n = 0;
	*dup = false;
	if (!args)
		return 0;
	if (!json_is_array(args) || json_array_size(args) > MAX_ARGS)
		return -EINVAL;
	json_array_foreach(args, i, a)
	{
		const char *op = json_string_value(json_object_get(a, "op"));
		json_int_t idx =
		    json_integer_value(v = json_object_get(a, "index"));

		if (!json_is_integer(v) || idx < 0 || idx >= MAX_ARGS || !op)
			return -EINVAL;
		for (k = 0; k < ARRAY_SIZE(ops); k++)
			if (!strcmp(op, ops[k].name))
				break;
		if (k == ARRAY_SIZE(ops))
			return -EINVAL;
		if (seen & (1U << idx))
			*dup = true;
		seen |= 1U << idx;
		cmp[*n] = (struct scmp_arg_cmp){
		    .arg = (unsigned int)idx,
		    .op = ops[k].op,
		    .datum_a = (scmp_datum_t)json_integer_value(
			json_object_get(a, "value")),
		    .datum_b = (scmp_datum_t)json_integer_value(
			json_object_get(a, "valueTwo")),
		};
		(*n)++;
	}
	return 0;
}

/**
 * add_entry() - Rules of one syscalls entry
 * @ctx:	Filter
 * @e:		Entry
 * @def:	Default action (rules equal to it are skipped)
 *
 * Return: 0, -EINVAL (bad entry) or a libseccomp error
 */
static int add_entry(scmp_filter_ctx ctx, json_t *e, uint32_t def)
{
	struct scmp_arg_cmp cmp[MAX_ARGS];
	json_t *names = json_object_get(e, "names"), *nm;
	unsigned int n, k;
	uint32_t act;
	size_t i;
	bool dup;
	int nr, r;

	if (!json_is_array(names) ||
	    action(json_string_value(json_object_get(e, "action")),
		   errno_of(e, "errnoRet"), &act) ||
	    errno_of(e, "errnoRet") == -2 ||
	    parse_args(json_object_get(e, "args"), cmp, &n, &dup))
		return -EINVAL;
	if (act == def)
		return 0;
	json_array_foreach(names, i, nm)
	{
		if (!json_is_string(nm))
			return -EINVAL;
		nr = seccomp_syscall_resolve_name(json_string_value(nm));
		if (nr == __NR_SCMP_ERROR)
			continue; /* unknown here: skipped, as runc does */
		if (!dup) {
			r = seccomp_rule_add_array(ctx, act, nr, n, cmp);
		} else {
			for (k = 0, r = 0; !r && k < n; k++)
				r = seccomp_rule_add_array(ctx, act, nr, 1,
							   &cmp[k]);
		}
		if (r < 0 && r != -EDOM)
			return r;
	}
	return 0;
}

/**
 * add_arches() - The profile's architectures
 * @ctx:	Filter
 * @arches:	JSON array or NULL
 *
 * Return: 0 or -EINVAL
 */
static int add_arches(scmp_filter_ctx ctx, json_t *arches)
{
	const char *a;
	json_t *v;
	size_t i;
	int r;

	if (!arches)
		return 0;
	if (!json_is_array(arches))
		return -EINVAL;
	json_array_foreach(arches, i, v)
	{
		uint32_t arch;

		if (!(a = json_string_value(v)) || strncmp(a, "SCMP_ARCH_", 10))
			return -EINVAL;
		arch = seccomp_arch_resolve_name(a + 10);
		if (!arch) {
			char low[32];
			size_t k;

			for (k = 0; a[10 + k] && k < sizeof(low) - 1; k++)
				low[k] =
				    (char)tolower((unsigned char)a[10 + k]);
			low[k] = '\0';
			arch = seccomp_arch_resolve_name(low);
		}
		if (!arch)
			return -EINVAL;
		r = seccomp_arch_add(ctx, arch);
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

/**
 * build() - The filter of a profile
 * @json:	linux.seccomp as JSON text
 * @out:	The filter
 * @errbuf:	Message on failure
 * @len:	Its size
 *
 * Return: 0 or -errno
 */
static int build(const char *json, scmp_filter_ctx *out, char *errbuf,
		 size_t len)
{
	json_t *doc = json_loads(json, 0, NULL), *sc, *e;
	scmp_filter_ctx ctx = NULL;
	uint32_t def;
	size_t i;
	int r = 0;

	if (!doc)
		return bad(errbuf, len, "", "invalid JSON");
	if (action(json_string_value(json_object_get(doc, "defaultAction")),
		   errno_of(doc, "defaultErrnoRet"), &def)) {
		r = bad(errbuf, len, "defaultAction", "unknown action");
		goto out;
	}
	ctx = seccomp_init(def);
	if (!ctx) {
		r = -ENOMEM;
		goto out;
	}
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (add_arches(ctx, json_object_get(doc, "architectures"))) {
		r = bad(errbuf, len, "architectures", "unknown architecture");
		goto out;
	}
	sc = json_object_get(doc, "syscalls");
	if (sc && !json_is_array(sc)) {
		r = bad(errbuf, len, "syscalls", "expected an array");
		goto out;
	}
	json_array_foreach(sc, i, e)
	{
		r = add_entry(ctx, e, def);
		if (r < 0) {
			char f[32];

			snprintf(f, sizeof(f), "syscalls[%zu]", i);
			r = bad(errbuf, len, f,
				r == -EINVAL ? "bad names, action, errnoRet "
					       "or args"
					     : strerror(-r));
			goto out;
		}
	}
	*out = ctx;
	ctx = NULL;
out:
	if (ctx)
		seccomp_release(ctx);
	json_decref(doc);
	return r;
}

/**
 * ociseccomp_check() - Translate a profile without loading it
 * @json:	linux.seccomp as JSON text
 * @errbuf:	Message on failure
 * @len:	Its size
 *
 * Return: 0 or -errno
 */
int ociseccomp_check(const char *json, char *errbuf, size_t len)
{
	scmp_filter_ctx ctx;
	int r = build(json, &ctx, errbuf, len);

	if (!r)
		seccomp_release(ctx);
	return r;
}

/**
 * ociseccomp_load() - Translate a profile and load it into this process
 * @json:	linux.seccomp as JSON text
 * @errbuf:	Message on failure
 * @len:	Its size
 *
 * Needs CAP_SYS_ADMIN or no_new_privs (the workload still holds the
 * former when it calls this).
 *
 * Return: 0 or -errno
 */
int ociseccomp_load(const char *json, char *errbuf, size_t len)
{
	scmp_filter_ctx ctx;
	int r = build(json, &ctx, errbuf, len);

	if (r)
		return r;
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		snprintf(errbuf, errbuf ? len : 0, "loading linux.seccomp: %s",
			 strerror(-r));
	return r;
}
