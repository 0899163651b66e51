/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup.h - the container's cgroup: create, join, limit, freeze, list, remove
 *
 * Theory of operation
 *
 * Docker passes linux.cgroupsPath ("/docker/<id>"), with the cgroupfs
 * driver, and watches that cgroup itself (OOM, docker stats), so every
 * process of the sandbox, the sentry first, must live in it. Both layouts
 * are served:
 *  - cgroup v1 (this machine): one directory per mounted hierarchy under
 *    /sys/fs/cgroup (cpu, memory, pids, freezer, ...); cpuset's cpus and
 *    mems are copied down from the parent, as a new cpuset is empty;
 *  - cgroup v2 (a cgroup2 file system on /sys/fs/cgroup): one directory.
 * An absolute cgroupsPath is relative to each hierarchy's root; a relative
 * one is placed under "runsc/". Only the leaf directory is ours: removal
 * rmdirs the leaf of every hierarchy and never a parent (Docker's
 * "/docker" belongs to Docker). Paths are checked first: no "..", no
 * empty components. Resources (memory limit and swap, cpu shares, quota,
 * period, cpuset, pids limit, device rules) are written when the cgroup is
 * made; a limit the kernel lacks a file for is skipped with a warning.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec.h"

#define CGROUP_PATH_MAX 512

int cgroup_path_valid(const char *path);
int cgroup_create(const char *path, const struct spec_resources *res);
int cgroup_join(const char *path, pid_t pid);
int cgroup_freeze(const char *path, bool frozen);
int cgroup_frozen(const char *path);
int cgroup_pids(const char *path, pid_t *pids, size_t max);
int cgroup_remove(const char *path);
