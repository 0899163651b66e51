/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * container.h - an OCI container's file view and process, built from its spec
 *
 * Theory of operation
 *
 * These functions run inside the guest's namespaces, in the init stub
 * (container_make_root()) or in the workload / an exec'd process just
 * before execve (container_setup_process()); errors come back as -errno
 * with a stage (enum ctr_stage) so the runtime can word its message the
 * way Docker users know ("exec: \"x\": executable file not found in
 * $PATH", "chdir to cwd (\"/x\") set in config.json failed: ...").
 *
 * The file view is built by the gofer (gofer/tree.h), outside the guest's
 * namespaces, from descriptors: the stub only makes the file systems that
 * belong to its namespaces (proc, sysfs, mqueue), writes the sysctls
 * through that proc, sends them (PROTO_TREE), and attaches and pivots into
 * the tree it gets back (container_make_root()). The workload looks
 * process.args[0] up in that root (container_find()) before its seccomp
 * filter, which may mediate opens, is loaded.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

/* what a failed setup was doing; packed with the errno by CTR_ERR() */
enum ctr_stage {
	CTR_EXEC,   /* execve, or the lookup in PATH */
	CTR_CWD,    /* chdir to process.cwd */
	CTR_USER,   /* setgroups / setgid / setuid */
	CTR_CAPS,   /* capabilities */
	CTR_RLIMIT, /* process.rlimits */
	CTR_FILTER, /* the seccomp filters */
	CTR_TTY,    /* the terminal */
	CTR_JOIN,   /* exec: joining the container's cgroup and namespaces */
	CTR_NUM_STAGES,
};

#define CTR_ERR(stage, e)                                                      \
	((int)(((unsigned)(stage) << 16) | ((unsigned)(e)&0xffff)))
#define CTR_ERR_STAGE(v) ((enum ctr_stage)(((unsigned)(v) >> 16) & 0xff))
#define CTR_ERR_ERRNO(v) ((int)((unsigned)(v)&0xffff))

int container_lookup(int rootfd, const char *file, char *const *env, char *out,
		     size_t len);
/**
 * struct ctr_fs - how the container's root is layered
 * @overlay:	Under an overlay whose upper layer is an in-memory tmpfs
 *		(the image is never written); false: write through
 * @overlay_size: Size limit of that layer (tmpfs size=), or NULL
 */
struct ctr_fs {
	bool overlay;
	const char *overlay_size;
};

int container_make_root(const struct spec *spec, int gofer);
int container_setup_process(const struct spec_process *p);
int container_find(const struct spec_process *p, char *path, size_t len);
int container_exec(const struct spec_process *p, int tty, const char *seccomp,
		   const char *found);
void container_errmsg(int packed, const struct spec_process *p, char *buf,
		      size_t len);
