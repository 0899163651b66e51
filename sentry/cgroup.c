// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup.c - the container's cgroup
 *
 * See cgroup.h for the theory of operation.
 */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "log.h"

#define CG_MAX_HIER 16 /* mounted hierarchies considered */

/**
 * struct cg_hier - one mounted hierarchy
 * @mnt:	Mount point
 * @v2:		cgroup2 (unified) file system
 */
struct cg_hier {
	char mnt[256];
	bool v2;
};

/**
 * cgroup_path_valid() - Check a cgroupsPath
 * @path:	Path from config.json
 *
 * Return: 0, or -EINVAL for "..", ".", empty components or excess length
 */
int cgroup_path_valid(const char *path)
{
	const char *p = path, *e;
	size_t l;

	if (!path || !*path || strlen(path) >= CGROUP_PATH_MAX - 64)
		return -EINVAL;
	if (*p == '/')
		p++;
	while (*p) {
		e = strchrnul(p, '/');
		l = (size_t)(e - p);
		if (!l || (l == 1 && p[0] == '.') ||
		    (l == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/**
 * hiers() - The mounted cgroup hierarchies to use
 * @h:		Result array
 * @max:	Its capacity
 *
 * Return: number found (0: none mounted)
 */
static int hiers(struct cg_hier *h, int max)
{
	char line[1024], mp[256], *sep;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %255s", mp) != 1 ||
		    strncmp(mp, "/sys/fs/cgroup", 14))
			continue;
		if (!strncmp(sep, " - cgroup2 ", 11)) {
			if (strcmp(mp, "/sys/fs/cgroup"))
				continue; /* hybrid: v1 hierarchies rule */
			n = 0;
			snprintf(h[n].mnt, sizeof(h[n].mnt), "%s", mp);
			h[n++].v2 = true;
			break;
		}
		if (!strncmp(sep, " - cgroup ", 10)) {
			snprintf(h[n].mnt, sizeof(h[n].mnt), "%s", mp);
			h[n++].v2 = false;
		}
	}
	fclose(f);
	return n;
}

/**
 * dir_of() - Directory of the cgroup in one hierarchy
 * @h:		Hierarchy
 * @path:	cgroupsPath
 * @buf:	Result
 * @len:	Size of @buf
 */
static void dir_of(const struct cg_hier *h, const char *path, char *buf,
		   size_t len)
{
	int n =
	    snprintf(buf, len, "%s/%s%s", h->mnt, *path == '/' ? "" : "runsc/",
		     *path == '/' ? path + 1 : path);

	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0'; /* cgroup_path_valid() bounds the length */
}

/**
 * put() - Write a value to a cgroup file
 * @dir:	Cgroup directory
 * @file:	File name
 * @val:	Text
 *
 * Return: 0 or -errno
 */
static int put(const char *dir, const char *file, const char *val)
{
	_cleanup_close_ int fd = -1;
	char p[CGROUP_PATH_MAX + 64];

	if (snprintf(p, sizeof(p), "%s/%s", dir, file) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return write_all(fd, val, strlen(val));
}

/**
 * get() - Read a small cgroup file
 * @dir:	Cgroup directory
 * @file:	File name
 * @buf:	Result, NUL-terminated, trailing newline removed
 * @len:	Size of @buf
 *
 * Return: 0 or -errno
 */
static int get(const char *dir, const char *file, char *buf, size_t len)
{
	_cleanup_close_ int fd = -1;
	char p[CGROUP_PATH_MAX + 64];
	ssize_t n;

	if (snprintf(p, sizeof(p), "%s/%s", dir, file) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read_full(fd, buf, len - 1);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/**
 * cpuset_inherit() - Give an empty cpuset file its parent's value
 * @dir:	New cpuset directory
 * @file:	"cpuset.cpus" or "cpuset.mems"
 */
static void cpuset_inherit(const char *dir, const char *file)
{
	char parent[CGROUP_PATH_MAX], v[256];

	if (snprintf(parent, sizeof(parent), "%s", dir) >= (int)sizeof(parent))
		return;
	*strrchr(parent, '/') = '\0';
	if (!get(dir, file, v, sizeof(v)) && !*v &&
	    !get(parent, file, v, sizeof(v)))
		put(dir, file, v);
}

/**
 * mkdirs() - Create a cgroup directory and its missing parents
 * @h:		Hierarchy
 * @dir:	Full directory path (under @h->mnt)
 *
 * New cpuset directories get their parent's cpus and mems, or no task
 * could join them.
 *
 * Return: 0 or -errno
 */
static int mkdirs(const struct cg_hier *h, const char *dir)
{
	char p[CGROUP_PATH_MAX], *s;
	bool cpuset = strstr(h->mnt, "cpuset") != NULL;
	char c;

	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p) || !*dir)
		return -ENAMETOOLONG;
	for (s = p + strlen(h->mnt) + 1;; s++) {
		if (*s && *s != '/')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return -errno;
		if (cpuset) {
			cpuset_inherit(p, "cpuset.cpus");
			cpuset_inherit(p, "cpuset.mems");
		}
		if (!c)
			return 0;
		*s = '/';
	}
}

/**
 * put_i64() - Write a number, or skip it when unset (0)
 * @dir:	Cgroup directory
 * @file:	File name
 * @v:		Value; 0 leaves the file alone, -1 writes @unl
 * @unl:	Text for "unlimited"
 */
static void put_i64(const char *dir, const char *file, int64_t v,
		    const char *unl)
{
	char b[32];
	int r;

	if (!v)
		return;
	if (v < 0)
		snprintf(b, sizeof(b), "%s", unl);
	else
		snprintf(b, sizeof(b), "%" PRId64, v);
	r = put(dir, file, b);
	if (r < 0 && r != -ENOENT)
		warn_errno(r, "cgroup: %s/%s = %s", dir, file, b);
}

/* what runc appends to the spec's device rules: the nodes every container
 * needs (null, zero, full, random, urandom, tty, console, ptmx and pts for
 * terminals, tun) and mknod of anything */
static const char *const default_dev_rules[] = {
    "c *:* m",	 "b *:* m",	"c 1:3 rwm", "c 1:8 rwm",
    "c 1:7 rwm", "c 5:0 rwm",	"c 1:5 rwm", "c 1:9 rwm",
    "c 5:1 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
};

/**
 * dev_rules() - Device cgroup rules (v1): the spec's, then runc's defaults
 * @dir:	devices hierarchy directory
 * @res:	Resources
 */
static void dev_rules(const char *dir, const struct spec_resources *res)
{
	char rule[64], maj[24], min[24];
	size_t i;

	for (i = 0; i < res->n_devices; i++) {
		const struct spec_dev_rule *d = &res->devices[i];

		snprintf(maj, sizeof(maj), "%" PRId64, d->major);
		snprintf(min, sizeof(min), "%" PRId64, d->minor);
		snprintf(rule, sizeof(rule), "%c %s:%s %s", d->type,
			 d->major < 0 ? "*" : maj, d->minor < 0 ? "*" : min,
			 d->access);
		if (put(dir, d->allow ? "devices.allow" : "devices.deny",
			rule) < 0)
			warn("cgroup: device rule '%s' not applied", rule);
	}
	for (i = 0; res->n_devices && i < ARRAY_SIZE(default_dev_rules); i++)
		if (put(dir, "devices.allow", default_dev_rules[i]) < 0)
			warn("cgroup: device rule '%s' not applied",
			     default_dev_rules[i]);
}

/**
 * limits_v1() - Apply resources in one v1 hierarchy
 * @h:		Hierarchy
 * @dir:	Its cgroup directory
 * @res:	Resources
 */
static void limits_v1(const struct cg_hier *h, const char *dir,
		      const struct spec_resources *res)
{
	const char *m = strrchr(h->mnt, '/') + 1;

	if (strstr(m, "memory")) {
		put_i64(dir, "memory.limit_in_bytes", res->memory_limit, "-1");
		put_i64(dir, "memory.soft_limit_in_bytes",
			res->memory_reservation, "-1");
		put_i64(dir, "memory.memsw.limit_in_bytes", res->memory_swap,
			"-1");
	}
	if (strstr(m, "cpu") && !strstr(m, "cpuset")) {
		put_i64(dir, "cpu.shares", (int64_t)res->cpu_shares, "");
		put_i64(dir, "cpu.cfs_period_us", (int64_t)res->cpu_period, "");
		put_i64(dir, "cpu.cfs_quota_us", res->cpu_quota, "-1");
	}
	if (strstr(m, "cpuset") && res->cpu_cpus)
		put(dir, "cpuset.cpus", res->cpu_cpus);
	if (strstr(m, "cpuset") && res->cpu_mems)
		put(dir, "cpuset.mems", res->cpu_mems);
	if (!strcmp(m, "pids"))
		put_i64(dir, "pids.max", res->pids_limit, "max");
	if (!strcmp(m, "devices"))
		dev_rules(dir, res);
}

/**
 * limits_v2() - Apply resources in the unified hierarchy
 * @dir:	Cgroup directory
 * @res:	Resources
 */
static void limits_v2(const char *dir, const struct spec_resources *res)
{
	char b[64];

	put_i64(dir, "memory.max", res->memory_limit, "max");
	put_i64(dir, "memory.low", res->memory_reservation, "max");
	if (res->memory_swap > 0 && res->memory_limit > 0)
		put_i64(dir, "memory.swap.max",
			res->memory_swap - res->memory_limit, "max");
	if (res->cpu_shares)
		put_i64(dir, "cpu.weight",
			(int64_t)(1 + ((res->cpu_shares - 2) * 9999) / 262142),
			"");
	if (res->cpu_quota) {
		if (res->cpu_quota < 0)
			snprintf(b, sizeof(b), "max %" PRIu64,
				 res->cpu_period ? res->cpu_period : 100000);
		else
			snprintf(b, sizeof(b), "%" PRId64 " %" PRIu64,
				 res->cpu_quota,
				 res->cpu_period ? res->cpu_period : 100000);
		put(dir, "cpu.max", b);
	}
	if (res->cpu_cpus)
		put(dir, "cpuset.cpus", res->cpu_cpus);
	put_i64(dir, "pids.max", res->pids_limit, "max");
	if (res->n_devices)
		debug("cgroup: device rules need BPF on cgroup v2: skipped");
}

/**
 * cgroup_create() - Create the cgroup in every hierarchy, apply limits
 * @path:	cgroupsPath (valid)
 * @res:	Resources to apply
 *
 * Return: 0, -ENODEV if no cgroup file system is mounted, or -errno
 */
int cgroup_create(const char *path, const struct spec_resources *res)
{
	struct cg_hier h[CG_MAX_HIER];
	char dir[CGROUP_PATH_MAX];
	int n = hiers(h, CG_MAX_HIER), i, r;

	if (!n)
		return -ENODEV;
	for (i = 0; i < n; i++) {
		dir_of(&h[i], path, dir, sizeof(dir));
		r = mkdirs(&h[i], dir);
		if (r < 0) {
			err_errno(r, "cgroup: creating %s", dir);
			return r;
		}
		if (h[i].v2)
			limits_v2(dir, res);
		else
			limits_v1(&h[i], dir, res);
	}
	return 0;
}

/**
 * cgroup_join() - Move a process into the cgroup of every hierarchy
 * @path:	cgroupsPath
 * @pid:	Process
 *
 * Return: 0 or -errno
 */
int cgroup_join(const char *path, pid_t pid)
{
	struct cg_hier h[CG_MAX_HIER];
	char dir[CGROUP_PATH_MAX], b[24];
	int n = hiers(h, CG_MAX_HIER), i, r;

	snprintf(b, sizeof(b), "%d", (int)pid);
	for (i = 0; i < n; i++) {
		dir_of(&h[i], path, dir, sizeof(dir));
		r = put(dir, "cgroup.procs", b);
		if (r < 0) {
			err_errno(r, "cgroup: joining %s", dir);
			return r;
		}
	}
	return 0;
}

/**
 * freezer_dir() - Directory whose freezer serves @path
 * @path:	cgroupsPath
 * @dir:	Result
 * @len:	Size of @dir
 * @v2:		Set for the unified hierarchy
 *
 * Return: 0, or -ENODEV without a freezer
 */
static int freezer_dir(const char *path, char *dir, size_t len, bool *v2)
{
	struct cg_hier h[CG_MAX_HIER];
	int n = hiers(h, CG_MAX_HIER), i;

	for (i = 0; i < n; i++) {
		if (h[i].v2 || strstr(h[i].mnt, "freezer")) {
			dir_of(&h[i], path, dir, len);
			*v2 = h[i].v2;
			return 0;
		}
	}
	return -ENODEV;
}

/**
 * cgroup_freeze() - Freeze or thaw every process of the cgroup
 * @path:	cgroupsPath
 * @frozen:	true to freeze
 *
 * Waits (at most 5 s) until the kernel reports the new state.
 *
 * Return: 0, -ENODEV without a freezer, -ETIMEDOUT, or -errno
 */
int cgroup_freeze(const char *path, bool frozen)
{
	struct timespec ts = {0, 2 * 1000 * 1000};
	char dir[CGROUP_PATH_MAX];
	bool v2;
	int r = freezer_dir(path, dir, sizeof(dir), &v2), i;

	if (r < 0)
		return r;
	r = v2 ? put(dir, "cgroup.freeze", frozen ? "1" : "0")
	       : put(dir, "freezer.state", frozen ? "FROZEN" : "THAWED");
	for (i = 0; !r && i < 2500; i++) {
		r = cgroup_frozen(path);
		if (r >= 0 && (r == 1) == frozen)
			return 0;
		if (r >= 0)
			r = 0;
		nanosleep(&ts, NULL);
	}
	return r < 0 ? r : -ETIMEDOUT;
}

/**
 * cgroup_frozen() - Tell whether the cgroup is frozen
 * @path:	cgroupsPath
 *
 * Return: 1 frozen, 0 not (or freezing), or -errno
 */
int cgroup_frozen(const char *path)
{
	char dir[CGROUP_PATH_MAX], v[512], *p;
	bool v2;
	int r = freezer_dir(path, dir, sizeof(dir), &v2);

	if (r < 0)
		return r;
	if (!v2) {
		r = get(dir, "freezer.state", v, sizeof(v));
		return r < 0 ? r : !strcmp(v, "FROZEN");
	}
	r = get(dir, "cgroup.events", v, sizeof(v));
	if (r < 0)
		return r;
	p = strstr(v, "frozen ");
	return p && p[7] == '1';
}

/**
 * cgroup_pids() - Processes of the cgroup
 * @path:	cgroupsPath
 * @pids:	Result array
 * @max:	Its capacity
 *
 * Return: number of pids (at most @max), or -errno
 */
int cgroup_pids(const char *path, pid_t *pids, size_t max)
{
	struct cg_hier h[CG_MAX_HIER];
	char p[CGROUP_PATH_MAX + 16], dir[CGROUP_PATH_MAX];
	int n = hiers(h, CG_MAX_HIER), i, k = 0, pick = 0;
	FILE *f;
	long v;

	if (!n)
		return -ENODEV;
	for (i = 0; i < n; i++)
		if (strstr(h[i].mnt, "pids"))
			pick = i;
	dir_of(&h[pick], path, dir, sizeof(dir));
	if (snprintf(p, sizeof(p), "%s/cgroup.procs", dir) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	f = fopen(p, "re");
	if (!f)
		return -errno;
	while ((size_t)k < max && fscanf(f, "%ld", &v) == 1)
		pids[k++] = (pid_t)v;
	fclose(f);
	return k;
}

/**
 * cgroup_remove() - Remove the leaf directory from every hierarchy
 * @path:	cgroupsPath
 *
 * Retries for a while (processes that just died may still be counted).
 *
 * Return: 0 or -errno of the last failure
 */
int cgroup_remove(const char *path)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	struct cg_hier h[CG_MAX_HIER];
	char dir[CGROUP_PATH_MAX];
	int n = hiers(h, CG_MAX_HIER), i, k, r = 0;

	if (cgroup_path_valid(path))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		dir_of(&h[i], path, dir, sizeof(dir));
		for (k = 0; k < 200; k++) {
			if (!rmdir(dir) || errno == ENOENT)
				break;
			if (errno != EBUSY) {
				r = -errno;
				break;
			}
			nanosleep(&ts, NULL);
		}
		if (k == 200)
			r = -EBUSY;
	}
	return r;
}
