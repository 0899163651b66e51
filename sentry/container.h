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
 * The root is, by default, an overlay of the bundle's rootfs with an
 * upper layer in a detached tmpfs (fsopen/fsmount, layers passed by fd):
 * the guest's writes never reach the image (--overlay=none writes
 * through, --overlay-size limits the layer).
 *
 * Paths inside the rootfs are never resolved by the host's rules: every
 * mount destination is opened with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) below the rootfs, missing components are created
 * one at a time relative to their parent's fd, and the mount is made on
 * /proc/self/fd/N of that fd. A symlink in the image pointing at /etc of
 * the host therefore lands on the rootfs' own /etc, and ".." cannot climb
 * out (the classic runtime escapes). Mounts are made in the order of the
 * spec; bind mounts are remounted with their flags (ro, nosuid, ...);
 * propagation is applied by a separate call. A /dev tmpfs gets the usual
 * nodes (bound from the host's), /dev/pts/ptmx and the /proc/self/fd
 * links; linux.devices nodes are created with mknod. After pivot_root,
 * masked paths are covered (/dev/null on files, an empty read-only tmpfs on
 * directories), read-only paths rebound read-only, the root made read-only
 * if asked, and sysctls written.
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

int container_overlay_at(const char *lower, const char *path, const char *size,
			 unsigned int attr);
int container_make_root(const struct spec *spec, const struct ctr_fs *fs);
int container_setup_process(const struct spec_process *p);
int container_find(const struct spec_process *p, char *path, size_t len);
int container_exec(const struct spec_process *p, int tty, const char *seccomp,
		   const char *found);
void container_errmsg(int packed, const struct spec_process *p, char *buf,
		      size_t len);
