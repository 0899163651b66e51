/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree.h - the guest's mount tree, built by the gofer from descriptors
 *
 * Theory of operation
 *
 * The gofer runs in the host's mount namespace and is the only process
 * that resolves host paths for a container: it opens the bundle's rootfs
 * and every bind source itself, and builds the whole mount tree as one
 * detached tree (new mount API) that no mount namespace holds until the
 * sandbox's init attaches it and pivots into it:
 *
 *  - the root: an overlay of the rootfs whose upper layer is a detached
 *    tmpfs (layers by FSCONFIG_SET_FD; nodev), or a recursive clone of the
 *    rootfs (--overlay=none: writes go through);
 *  - each entry of mounts, in the spec's order: binds are open_tree()
 *    clones of their source (recursive for rbind) with mount_setattr()
 *    for ro (recursive: Docker's ro volumes are rbinds), nosuid, nodev,
 *    noexec and the propagation; other file systems are made with
 *    fsopen()/fsconfig()/fsmount() (cgroup becomes an empty tmpfs). proc,
 *    sysfs and mqueue belong to the guest's pid, network and ipc
 *    namespaces: the init stub makes them (tree_kernel_fs(), in its
 *    namespaces) and sends them with PROTO_TREE; the gofer only attaches
 *    them. Every destination is resolved inside the tree with
 *    openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), missing components
 *    created one at a time below their parent's descriptor, and the mount
 *    attached with move_mount() onto that descriptor: a symlink or ".."
 *    in the image cannot send it out of the tree;
 *  - /dev: the usual nodes (clones of the host's), links, linux.devices;
 *  - maskedPaths covered (a clone of /dev/null on files, an empty
 *    read-only tmpfs on directories), readonlyPaths replaced by read-only
 *    clones of themselves, the root made read-only if root.readonly.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "sentry/container.h"
#include "sentry/spec.h"

struct proto_tree;

int tree_open_in(int rootfd, const char *path, int flags);
bool tree_ns_bound(const struct spec_mount *m);
int tree_kernel_fs(const struct spec_mount *m, int *fd);
int tree_fs_mount(const char *type, const char *data, unsigned int attr);
int tree_overlay_at(const char *lower, const char *path, const char *size,
		    unsigned int attr);
int tree_build(const struct spec *spec, const char *rootfs,
	       const struct ctr_fs *fs, const struct proto_tree *req,
	       const int *fds, int *tree);
