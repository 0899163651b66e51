/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spec.h - the OCI bundle's config.json as one typed, read-only struct
 *
 * Theory of operation: spec_load() reads config.json once, with jansson and
 * JSON_REJECT_DUPLICATES, checks the type and range of every field the
 * runtime uses, translates names into numbers (CAP_* into bit masks,
 * RLIMIT_* into resource numbers, mount options into MS_* flags, propagation
 * and a data string) and copies every string out before the JSON tree is
 * released. Nothing of jansson crosses this header: the seccomp object is
 * kept as its compact JSON text for the later libseccomp translation.
 *
 * Unknown fields are ignored, as the OCI specification asks; a known field of
 * the wrong type or out of range fails the whole load with -EINVAL and one
 * line in the caller's buffer naming the field, for example
 * "config.json: process.args: expected a non-empty array of strings" or
 * "config.json:12:5: invalid JSON: ...". The caller writes that line to the
 * OCI --log file; spec.c itself does not log.
 *
 * Ownership: the struct spec and everything it points to belong to the
 * caller of spec_load() and are released by spec_free(). Callers treat it as
 * const. Absent scalars are 0 / false unless a has_* field says otherwise;
 * absent strings are NULL; absent lists have n == 0. No threads, no locks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef SPEC_MAX_FILE
#define SPEC_MAX_FILE (4U << 20) /* bytes of config.json */
#endif
#ifndef SPEC_MAX_ARGS
#define SPEC_MAX_ARGS 4096 /* entries in process.args and hooks' args */
#endif
#ifndef SPEC_MAX_ENV
#define SPEC_MAX_ENV 4096 /* entries in process.env and hooks' env */
#endif
#ifndef SPEC_MAX_MOUNTS
#define SPEC_MAX_MOUNTS 1024 /* entries in mounts */
#endif
#ifndef SPEC_MAX_LIST
#define SPEC_MAX_LIST 1024 /* entries in any other list or object */
#endif

/**
 * struct spec_strv - A list of strings
 * @v:	@n strings followed by NULL (usable as execve()'s argv/envp);
 *	NULL when the list is absent
 * @n:	Number of strings
 */
struct spec_strv {
	char **v;
	size_t n;
};

/**
 * struct spec_kv - One member of a string-to-string object
 * @key:	Member name
 * @value:	Member value
 */
struct spec_kv {
	char *key;
	char *value;
};

/**
 * struct spec_kvs - A JSON object whose members are all strings
 * @v:	Members, in the order of the file
 * @n:	Number of members
 */
struct spec_kvs {
	struct spec_kv *v;
	size_t n;
};

/**
 * struct spec_user - process.user
 * @uid:		User ID
 * @gid:		Group ID
 * @gids:		process.user.additionalGids, @n_gids entries
 * @n_gids:		Number of supplementary groups
 * @has_umask:		process.user.umask was given
 * @umask:		File mode creation mask (0 to 0777)
 */
struct spec_user {
	uint32_t uid;
	uint32_t gid;
	uint32_t *gids;
	size_t n_gids;
	bool has_umask;
	uint32_t umask;
};

/* process.capabilities sets, index into struct spec_process.caps */
enum spec_cap_set {
	SPEC_CAP_BOUNDING,
	SPEC_CAP_EFFECTIVE,
	SPEC_CAP_INHERITABLE,
	SPEC_CAP_PERMITTED,
	SPEC_CAP_AMBIENT,
	SPEC_CAP_NUM
};

/**
 * struct spec_rlimit - One process.rlimits entry
 * @resource:	RLIMIT_* resource number
 * @hard:	Hard limit; UINT64_MAX (written -1 or 2^64-1) is RLIM_INFINITY
 * @soft:	Soft limit, likewise
 */
struct spec_rlimit {
	int resource;
	uint64_t hard;
	uint64_t soft;
};

/**
 * struct spec_process - process
 * @terminal:		Allocate a pty (docker -t; see --console-socket)
 * @user:		Credentials of the workload
 * @args:		Command line, at least one entry; args[0] is not resolved
 * @env:		Environment, "NAME=value" entries
 * @cwd:		Working directory, absolute
 * @has_caps:		process.capabilities was given (even as {})
 * @caps:		Bit (1ULL << CAP_x) set per enum spec_cap_set; an
 *			absent set is 0
 * @rlimits:		Resource limits, @n_rlimits entries, each resource once
 * @n_rlimits:		Number of resource limits
 * @no_new_privileges:	Set PR_SET_NO_NEW_PRIVS
 * @has_oom_score_adj:	process.oomScoreAdj was given
 * @oom_score_adj:	Value for /proc/PID/oom_score_adj (-1000 to 1000)
 */
struct spec_process {
	bool terminal;
	struct spec_user user;
	struct spec_strv args;
	struct spec_strv env;
	char *cwd;
	bool has_caps;
	uint64_t caps[SPEC_CAP_NUM];
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
};

/**
 * struct spec_root - root
 * @path:	Root filesystem, relative to the bundle unless absolute
 *		(docker: an absolute, already mounted overlay)
 * @readonly:	Make the root filesystem read-only (docker --read-only)
 */
struct spec_root {
	char *path;
	bool readonly;
};

/**
 * struct spec_mount - One mounts entry
 * @destination:	Absolute path inside the container
 * @type:		Filesystem type ("bind" for bind mounts); NULL if absent
 * @source:		Device, directory or file; NULL if absent
 * @options:		The options as given
 * @flags:		MS_* flags from @options, applied in order ("ro" sets
 *			MS_RDONLY, "rw" clears it; "bind" is MS_BIND, "rbind"
 *			MS_BIND | MS_REC)
 * @propagation:	MS_PRIVATE, MS_SLAVE, MS_SHARED or MS_UNBINDABLE, with
 *			MS_REC for the r* forms, from the last propagation
 *			option; 0 if none. Applied by a separate mount() call.
 * @data:		The remaining options joined by ',' (fs data such as
 *			"mode=755,size=65536k"); NULL if none
 */
struct spec_mount {
	char *destination;
	char *type;
	char *source;
	struct spec_strv options;
	unsigned long flags;
	unsigned long propagation;
	char *data;
};

/**
 * struct spec_hook - One hook
 * @path:		Absolute path of the executable
 * @args:		argv, including argv[0]; may be empty
 * @env:		Environment; may be empty
 * @timeout:		Seconds before the hook is killed; 0 means none
 */
struct spec_hook {
	char *path;
	struct spec_strv args;
	struct spec_strv env;
	int timeout;
};

/* hooks kinds, index into struct spec.hooks */
enum spec_hook_kind {
	SPEC_HOOK_PRESTART,
	SPEC_HOOK_CREATE_RUNTIME,
	SPEC_HOOK_CREATE_CONTAINER,
	SPEC_HOOK_START_CONTAINER,
	SPEC_HOOK_POSTSTART,
	SPEC_HOOK_POSTSTOP,
	SPEC_HOOK_NUM
};

/**
 * struct spec_hooks - The hooks of one kind
 * @v:	Hooks, in the order they run
 * @n:	Number of hooks
 */
struct spec_hooks {
	struct spec_hook *v;
	size_t n;
};

/* linux.namespaces types */
enum spec_ns_type {
	SPEC_NS_PID,
	SPEC_NS_NETWORK,
	SPEC_NS_MOUNT,
	SPEC_NS_IPC,
	SPEC_NS_UTS,
	SPEC_NS_USER,
	SPEC_NS_CGROUP,
	SPEC_NS_TIME,
	SPEC_NS_NUM
};

/**
 * struct spec_namespace - One linux.namespaces entry
 * @type:		Namespace type; each type appears at most once
 * @clone_flag:		CLONE_NEW* flag of @type
 * @path:		Namespace to join with setns(); NULL: create a new one
 */
struct spec_namespace {
	enum spec_ns_type type;
	int clone_flag;
	char *path;
};

/**
 * struct spec_idmap - One linux.uidMappings or gidMappings entry
 * @container_id:	First ID inside the container
 * @host_id:		First ID on the host
 * @size:		Number of IDs
 */
struct spec_idmap {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

/**
 * struct spec_dev_rule - One linux.resources.devices cgroup rule
 * @allow:	Allow (true) or deny the access
 * @type:	'a' (all, the default), 'b' or 'c'
 * @major:	Major number, -1 for any (the default)
 * @minor:	Minor number, -1 for any (the default)
 * @access:	Some of "rwm", NUL-terminated ("rwm" when absent)
 */
struct spec_dev_rule {
	bool allow;
	char type;
	int64_t major;
	int64_t minor;
	char access[4];
};

/**
 * struct spec_resources - linux.resources (0 or NULL means unset)
 * @memory_limit:	memory.limit in bytes; -1 is unlimited
 * @memory_reservation:	memory.reservation in bytes; -1 is unlimited
 * @memory_swap:	memory.swap (memory plus swap) in bytes; -1 unlimited
 * @cpu_shares:		cpu.shares
 * @cpu_quota:		cpu.quota in microseconds per period; -1 unlimited
 * @cpu_period:		cpu.period in microseconds
 * @cpu_cpus:		cpu.cpus, a cpuset list such as "0-3,7"
 * @cpu_mems:		cpu.mems, a cpuset list of memory nodes
 * @pids_limit:		pids.limit; negative is unlimited
 * @devices:		Device cgroup rules, in order, @n_devices entries
 * @n_devices:		Number of device rules
 */
struct spec_resources {
	int64_t memory_limit;
	int64_t memory_reservation;
	int64_t memory_swap;
	uint64_t cpu_shares;
	int64_t cpu_quota;
	uint64_t cpu_period;
	char *cpu_cpus;
	char *cpu_mems;
	int64_t pids_limit;
	struct spec_dev_rule *devices;
	size_t n_devices;
};

/**
 * struct spec_device - One linux.devices entry: a node to create
 * @path:		Absolute path inside the container
 * @type:		'c', 'b', 'u' (unbuffered character) or 'p' (fifo)
 * @major:		Major number (0 for 'p')
 * @minor:		Minor number (0 for 'p')
 * @has_file_mode:	@file_mode was given
 * @file_mode:		Permission bits (fileMode & 07777)
 * @has_uid:		@uid was given
 * @uid:		Owner
 * @has_gid:		@gid was given
 * @gid:		Group
 */
struct spec_device {
	char *path;
	char type;
	int64_t major;
	int64_t minor;
	bool has_file_mode;
	uint32_t file_mode;
	bool has_uid;
	uint32_t uid;
	bool has_gid;
	uint32_t gid;
};

/**
 * struct spec_linux - linux
 * @namespaces:		Namespaces, in the order of the file
 * @n_namespaces:	Number of namespaces
 * @uid_mappings:	User namespace UID mappings, @n_uid_mappings entries
 * @n_uid_mappings:	Number of UID mappings
 * @gid_mappings:	User namespace GID mappings, @n_gid_mappings entries
 * @n_gid_mappings:	Number of GID mappings
 * @sysctl:		Kernel parameters to set, "net.ipv4.x" → value
 * @resources:		Cgroup limits
 * @cgroups_path:	Cgroup path (docker: "/docker/<id>"); NULL if absent
 * @seccomp:		The linux.seccomp object as compact JSON text; NULL if
 *			absent
 * @masked_paths:	Absolute paths to hide
 * @readonly_paths:	Absolute paths to make read-only
 * @devices:		Device nodes to create, @n_devices entries
 * @n_devices:		Number of device nodes
 */
struct spec_linux {
	struct spec_namespace *namespaces;
	size_t n_namespaces;
	struct spec_idmap *uid_mappings;
	size_t n_uid_mappings;
	struct spec_idmap *gid_mappings;
	size_t n_gid_mappings;
	struct spec_kvs sysctl;
	struct spec_resources resources;
	char *cgroups_path;
	char *seccomp;
	struct spec_strv masked_paths;
	struct spec_strv readonly_paths;
	struct spec_device *devices;
	size_t n_devices;
};

/**
 * struct spec - config.json
 * @oci_version:	ociVersion; NULL if absent
 * @process:		The workload (required)
 * @root:		Root filesystem (required)
 * @hostname:		UTS hostname; NULL if absent
 * @mounts:		Mounts, in the order to perform them, @n_mounts entries
 * @n_mounts:		Number of mounts
 * @hooks:		Hooks, per enum spec_hook_kind
 * @lx:		linux: Linux-specific configuration (not named "linux",
 *			which GNU C predefines as a macro)
 * @annotations:	Arbitrary metadata
 */
struct spec {
	char *oci_version;
	struct spec_process process;
	struct spec_root root;
	char *hostname;
	struct spec_mount *mounts;
	size_t n_mounts;
	struct spec_hooks hooks[SPEC_HOOK_NUM];
	struct spec_linux lx;
	struct spec_kvs annotations;
};

int spec_parse(const char *json, size_t len, struct spec **out, char *errbuf,
	       size_t errlen);
int spec_load(const char *path, struct spec **out, char *errbuf, size_t errlen);
int spec_load_process(const char *path, struct spec **out, char *errbuf,
		      size_t errlen);
void spec_free(struct spec **s);
const struct spec_namespace *spec_ns_find(const struct spec *s,
					  enum spec_ns_type type);
const char *spec_cap_set_name(enum spec_cap_set set);
const char *spec_hook_kind_name(enum spec_hook_kind kind);
const char *spec_ns_type_name(enum spec_ns_type type);
