// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_spec.c - unit tests for config.json parsing
 *
 * The docker-*.json fixtures in tests/data/spec follow what Docker 20.10
 * writes (docs: oci-runtime-protocol.md section 6). Invalid inputs are
 * written inline with ' for ", one cmocka test per case, each checking the
 * return value and that the message names the field.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "base.h"
#include "sentry/spec.h"

#define CID "1ac622c319aa5b0d1f4e1e1c3c8d3f6c0b9e2a7d4e5f60718293a4b5c6d7e8f9"
#define CTR "/var/lib/docker/containers/" CID

/* docker's 14 default capabilities */
#define DEFAULT_CAPS                                                           \
	((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) |                    \
	 (1ULL << CAP_FSETID) | (1ULL << CAP_FOWNER) | (1ULL << CAP_MKNOD) |   \
	 (1ULL << CAP_NET_RAW) | (1ULL << CAP_SETGID) | (1ULL << CAP_SETUID) | \
	 (1ULL << CAP_SETFCAP) | (1ULL << CAP_SETPCAP) |                       \
	 (1ULL << CAP_NET_BIND_SERVICE) | (1ULL << CAP_SYS_CHROOT) |           \
	 (1ULL << CAP_KILL) | (1ULL << CAP_AUDIT_WRITE))

/**
 * struct want_mount - Expected translation of one mounts entry
 * @dst:	destination
 * @type:	type
 * @src:	source
 * @nopts:	Number of options as given
 * @flags:	Expected MS_* flags
 * @prop:	Expected propagation
 * @data:	Expected fs data, NULL for none
 */
struct want_mount {
	const char *dst;
	const char *type;
	const char *src;
	size_t nopts;
	unsigned long flags;
	unsigned long prop;
	const char *data;
};

#define NSX (MS_NOSUID | MS_NOEXEC)
#define NSXD (MS_NOSUID | MS_NOEXEC | MS_NODEV)
#define RBIND (MS_BIND | MS_REC)
#define RPRIV (MS_PRIVATE | MS_REC)

/* the ten mounts of a default `docker run` (protocol doc section 6.3) */
static const struct want_mount default_mounts[] = {
    {"/proc", "proc", "proc", 3, NSXD, 0, NULL},
    {"/dev", "tmpfs", "tmpfs", 4, MS_NOSUID | MS_STRICTATIME, 0,
     "mode=755,size=65536k"},
    {"/dev/pts", "devpts", "devpts", 6, NSX, 0,
     "newinstance,ptmxmode=0666,mode=0620,gid=5"},
    {"/sys", "sysfs", "sysfs", 4, NSXD | MS_RDONLY, 0, NULL},
    {"/sys/fs/cgroup", "cgroup", "cgroup", 4, NSXD | MS_RDONLY, 0, NULL},
    {"/dev/mqueue", "mqueue", "mqueue", 3, NSXD, 0, NULL},
    {"/dev/shm", "tmpfs", "shm", 5, NSXD, 0, "mode=1777,size=67108864"},
    {"/etc/resolv.conf", "bind", CTR "/resolv.conf", 2, RBIND, RPRIV, NULL},
    {"/etc/hostname", "bind", CTR "/hostname", 2, RBIND, RPRIV, NULL},
    {"/etc/hosts", "bind", CTR "/hosts", 2, RBIND, RPRIV, NULL},
};

/**
 * load() - Load a fixture from tests/data/spec, failing the test on error
 * @name:	File name
 *
 * Return: the spec, for spec_free()
 */
static struct spec *load(const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	struct spec *s = NULL;
	char path[512], err[256] = "";
	int len = slash ? (int)(slash - __FILE__) : 1;

	snprintf(path, sizeof(path), "%.*s/../data/spec/%s", len,
		 slash ? __FILE__ : ".", name);
	if (spec_load(path, &s, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	assert_non_null(s);
	return s;
}

/**
 * parse_q() - Parse JSON written with ' for ", as the inline cases are
 * @q:		JSON text with ' for "
 * @out:	Set to the spec on success
 * @err:	Message buffer
 * @errlen:	Size of @err
 *
 * Return: what spec_parse() returns
 */
static int parse_q(const char *q, struct spec **out, char *err, size_t errlen)
{
	char *j = strdup(q), *p;
	int ret;

	assert_non_null(j);
	for (p = j; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	ret = spec_parse(j, strlen(j), out, err, errlen);
	free(j);
	return ret;
}

/**
 * check_mount() - Compare one parsed mount with what is expected
 * @m:	Parsed mount
 * @w:	Expected values
 */
static void check_mount(const struct spec_mount *m, const struct want_mount *w)
{
	assert_string_equal(m->destination, w->dst);
	assert_string_equal(m->type, w->type);
	assert_string_equal(m->source, w->src);
	assert_int_equal(m->options.n, w->nopts);
	assert_null(m->options.v[m->options.n]);
	assert_int_equal(m->flags, w->flags);
	assert_int_equal(m->propagation, w->prop);
	if (w->data)
		assert_string_equal(m->data, w->data);
	else
		assert_null(m->data);
}

/**
 * check_default_linux() - The linux section of docker-default.json
 * @l:	Parsed section
 */
static void check_default_linux(const struct spec_linux *l)
{
	static const enum spec_ns_type ns[] = {SPEC_NS_MOUNT, SPEC_NS_NETWORK,
					       SPEC_NS_UTS, SPEC_NS_PID,
					       SPEC_NS_IPC};
	static const int flags[] = {CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUTS,
				    CLONE_NEWPID, CLONE_NEWIPC};
	const struct spec_resources *r = &l->resources;
	size_t i;

	assert_int_equal(l->n_namespaces, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(l->namespaces[i].type, ns[i]);
		assert_int_equal(l->namespaces[i].clone_flag, flags[i]);
		assert_null(l->namespaces[i].path);
	}
	assert_int_equal(l->n_uid_mappings + l->n_gid_mappings, 0);
	assert_int_equal(l->sysctl.n, 2);
	assert_string_equal(l->sysctl.v[0].key,
			    "net.ipv4.ip_unprivileged_port_start");
	assert_string_equal(l->sysctl.v[0].value, "0");
	assert_string_equal(l->sysctl.v[1].key, "net.ipv4.ping_group_range");
	assert_string_equal(l->sysctl.v[1].value, "0 2147483647");
	assert_int_equal(r->memory_limit | r->memory_reservation |
			     r->memory_swap | r->cpu_quota | r->pids_limit,
			 0);
	assert_int_equal(r->cpu_shares | r->cpu_period, 0);
	assert_null(r->cpu_cpus);
	assert_int_equal(r->n_devices, 8);
	assert_false(r->devices[0].allow);
	assert_int_equal(r->devices[0].type, 'a');
	assert_int_equal(r->devices[0].major, -1);
	assert_int_equal(r->devices[0].minor, -1);
	assert_string_equal(r->devices[0].access, "rwm");
	assert_true(r->devices[1].allow);
	assert_int_equal(r->devices[1].type, 'c');
	assert_int_equal(r->devices[1].major, 1);
	assert_int_equal(r->devices[1].minor, 5);
	assert_false(r->devices[7].allow);
	assert_int_equal(r->devices[7].major, 10);
	assert_int_equal(r->devices[7].minor, 229);
	assert_string_equal(l->cgroups_path, "/docker/" CID);
	assert_non_null(l->seccomp);
	assert_memory_equal(l->seccomp,
			    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",", 33);
	assert_non_null(strstr(l->seccomp, "{\"names\":[\"clone3\"],"
					   "\"action\":\"SCMP_ACT_ERRNO\","
					   "\"errnoRet\":38}"));
	assert_int_equal(l->masked_paths.n, 10);
	assert_string_equal(l->masked_paths.v[0], "/proc/asound");
	assert_string_equal(l->masked_paths.v[9], "/sys/firmware");
	assert_int_equal(l->readonly_paths.n, 5);
	assert_string_equal(l->readonly_paths.v[4], "/proc/sysrq-trigger");
	assert_int_equal(l->n_devices, 0);
}

/**
 * test_docker_default() - `docker run bb sleep 1000`, every field
 * @state:	Unused
 */
static void test_docker_default(void **state)
{
	struct spec *s = load("docker-default.json");
	const struct spec_process *p = &s->process;
	const struct spec_hook *h;
	size_t i;

	(void)state;
	assert_string_equal(s->oci_version, "1.0.2-dev");
	assert_false(p->terminal);
	assert_int_equal(p->user.uid, 0);
	assert_int_equal(p->user.gid, 0);
	assert_int_equal(p->user.n_gids, 1);
	assert_int_equal(p->user.gids[0], 0);
	assert_false(p->user.has_umask);
	assert_int_equal(p->args.n, 2);
	assert_string_equal(p->args.v[0], "sleep");
	assert_string_equal(p->args.v[1], "1000");
	assert_null(p->args.v[2]);
	assert_int_equal(p->env.n, 2);
	assert_string_equal(p->env.v[1], "HOSTNAME=1ac622c319aa");
	assert_string_equal(p->cwd, "/");
	assert_true(p->has_caps);
	assert_int_equal(p->caps[SPEC_CAP_BOUNDING], DEFAULT_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_EFFECTIVE], DEFAULT_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_PERMITTED], DEFAULT_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_INHERITABLE], 0);
	assert_int_equal(p->caps[SPEC_CAP_AMBIENT], 0);
	assert_int_equal(p->n_rlimits, 0);
	assert_false(p->no_new_privileges);
	assert_true(p->has_oom_score_adj);
	assert_int_equal(p->oom_score_adj, 0);
	assert_non_null(strstr(s->root.path, "/overlay2/"));
	assert_false(s->root.readonly);
	assert_string_equal(s->hostname, "1ac622c319aa");
	assert_int_equal(s->n_mounts, ARRAY_SIZE(default_mounts));
	for (i = 0; i < s->n_mounts; i++)
		check_mount(&s->mounts[i], &default_mounts[i]);
	assert_int_equal(s->hooks[SPEC_HOOK_PRESTART].n, 1);
	h = &s->hooks[SPEC_HOOK_PRESTART].v[0];
	assert_string_equal(h->path, "/proc/1/exe");
	assert_int_equal(h->args.n, 4);
	assert_string_equal(h->args.v[0], "libnetwork-setkey");
	assert_string_equal(h->args.v[1], "-exec-root=/var/run/docker");
	assert_string_equal(h->args.v[2], CID);
	assert_string_equal(h->args.v[3], "6c6b42833621");
	assert_int_equal(h->env.n, 0);
	assert_null(h->env.v);
	assert_int_equal(h->timeout, 0);
	for (i = SPEC_HOOK_CREATE_RUNTIME; i < SPEC_HOOK_NUM; i++)
		assert_int_equal(s->hooks[i].n, 0);
	check_default_linux(&s->lx);
	assert_non_null(spec_ns_find(s, SPEC_NS_PID));
	assert_null(spec_ns_find(s, SPEC_NS_USER));
	assert_int_equal(s->annotations.n, 0);
	spec_free(&s);
	assert_null(s);
	spec_free(&s);
}

/**
 * test_tty_user() - docker -t --user 1000:1000 --group-add 10
 * @state:	Unused
 */
static void test_tty_user(void **state)
{
	struct spec *s = load("docker-tty-user.json");
	const struct spec_process *p = &s->process;

	(void)state;
	assert_true(p->terminal);
	assert_int_equal(p->env.n, 3);
	assert_string_equal(p->env.v[2], "TERM=xterm");
	assert_int_equal(p->user.uid, 1000);
	assert_int_equal(p->user.gid, 1000);
	assert_int_equal(p->user.n_gids, 2);
	assert_int_equal(p->user.gids[0], 1000);
	assert_int_equal(p->user.gids[1], 10);
	assert_true(p->has_caps);
	assert_int_equal(p->caps[SPEC_CAP_BOUNDING], DEFAULT_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_EFFECTIVE], 0);
	assert_int_equal(p->caps[SPEC_CAP_PERMITTED], 0);
	spec_free(&s);
}

/**
 * test_capdrop_ulimit_ro() - --cap-drop ALL, --ulimit, --read-only, ...
 * @state:	Unused
 *
 * Also --ulimit memlock=-1:-1, which Go writes as 18446744073709551615,
 * --security-opt no-new-privileges and --oom-score-adj 100.
 */
static void test_capdrop_ulimit_ro(void **state)
{
	struct spec *s = load("docker-capdrop-ulimit-ro.json");
	const struct spec_process *p = &s->process;
	size_t i;

	(void)state;
	assert_true(p->has_caps);
	for (i = 0; i < SPEC_CAP_NUM; i++)
		assert_int_equal(p->caps[i], 0);
	assert_int_equal(p->n_rlimits, 2);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(p->rlimits[0].hard, 2048);
	assert_int_equal(p->rlimits[0].soft, 1024);
	assert_int_equal(p->rlimits[1].resource, RLIMIT_MEMLOCK);
	assert_true(p->rlimits[1].hard == UINT64_MAX);
	assert_true(p->rlimits[1].soft == (uint64_t)RLIM_INFINITY);
	assert_true(p->no_new_privileges);
	assert_int_equal(p->oom_score_adj, 100);
	assert_true(s->root.readonly);
	for (i = 7; i < 10; i++) {
		assert_int_equal(s->mounts[i].flags, RBIND | MS_RDONLY);
		assert_int_equal(s->mounts[i].propagation, RPRIV);
	}
	spec_free(&s);
}

/**
 * test_hostnet_volumes() - --network=host, -v, --tmpfs, limits, --device
 * @state:	Unused
 */
static void test_hostnet_volumes(void **state)
{
	static const struct want_mount extra[] = {
	    {"/mnt", "bind", "/tmp/rlhost", 3, RBIND | MS_RDONLY, RPRIV, NULL},
	    {"/data", "bind", "/var/lib/docker/volumes/rlvol/_data", 1, RBIND,
	     0, NULL},
	    {"/run", "tmpfs", "tmpfs", 6, NSXD, RPRIV, "size=1m"},
	};
	struct spec *s = load("docker-hostnet-volumes.json");
	const struct spec_resources *r = &s->lx.resources;
	const struct spec_namespace *ns;
	size_t i;

	(void)state;
	assert_int_equal(s->n_mounts, 13);
	for (i = 0; i < ARRAY_SIZE(extra); i++)
		check_mount(&s->mounts[10 + i], &extra[i]);
	ns = spec_ns_find(s, SPEC_NS_NETWORK);
	assert_non_null(ns);
	assert_string_equal(ns->path, "/var/run/docker/netns/default");
	assert_null(spec_ns_find(s, SPEC_NS_MOUNT)->path);
	for (i = 0; i < SPEC_HOOK_NUM; i++)
		assert_int_equal(s->hooks[i].n, 0);
	assert_int_equal(s->lx.sysctl.n, 0);
	assert_string_equal(s->hostname, "buildhost");
	assert_int_equal(r->memory_limit, 64 << 20);
	assert_int_equal(r->memory_swap, 128 << 20);
	assert_int_equal(r->memory_reservation, 0);
	assert_int_equal(r->cpu_shares, 512);
	assert_int_equal(r->cpu_quota, 50000);
	assert_int_equal(r->cpu_period, 100000);
	assert_int_equal(r->pids_limit, 50);
	assert_int_equal(r->n_devices, 9);
	assert_true(r->devices[8].allow);
	assert_int_equal(s->lx.n_devices, 1);
	assert_string_equal(s->lx.devices[0].path, "/dev/fuse");
	assert_int_equal(s->lx.devices[0].type, 'c');
	assert_int_equal(s->lx.devices[0].major, 10);
	assert_int_equal(s->lx.devices[0].minor, 229);
	assert_true(s->lx.devices[0].has_file_mode);
	assert_int_equal(s->lx.devices[0].file_mode, 0600);
	assert_true(s->lx.devices[0].has_uid && s->lx.devices[0].has_gid);
	assert_int_equal(s->lx.devices[0].uid, 0);
	spec_free(&s);
}

/**
 * test_minimal() - The smallest valid document, and what absent means
 * @state:	Unused
 */
static void test_minimal(void **state)
{
	struct spec *s = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse_q("{'process':{'args':['sh'],'cwd':'/',"
				 "'user':null,'futureField':{'x':1}},"
				 "'root':{'path':'rootfs'},'linux':{}}",
				 &s, err, sizeof(err)),
			 0);
	assert_null(s->oci_version);
	assert_string_equal(s->root.path, "rootfs");
	assert_false(s->process.has_caps);
	assert_false(s->process.has_oom_score_adj);
	assert_null(s->process.env.v);
	assert_null(s->hostname);
	assert_int_equal(s->n_mounts, 0);
	assert_null(s->mounts);
	assert_int_equal(s->lx.n_namespaces, 0);
	assert_null(s->lx.seccomp);
	assert_null(spec_ns_find(s, SPEC_NS_NETWORK));
	spec_free(&s);
}

/**
 * test_everything_else() - Fields docker 20.10 does not send
 * @state:	Unused
 */
static void test_everything_else(void **state)
{
	struct spec *s = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(
	    parse_q("{'process':{'args':['sh'],'cwd':'/x',"
		    "'user':{'uid':1,'gid':2,'umask':18},"
		    "'env':['A=18446744073709551615'],"
		    "'capabilities':{'ambient':['CAP_NET_ADMIN'],"
		    "'inheritable':['CAP_BPF','CAP_CHECKPOINT_RESTORE']}},"
		    "'root':{'path':'/r'},'annotations':{'a':'b','c':''},"
		    "'hooks':{'poststop':[{'path':'/bin/x','timeout':5,"
		    "'env':['E=1']}],'createRuntime':[{'path':'/a'},"
		    "{'path':'/b'}]},"
		    "'mounts':[{'destination':'/m','options':['ro','rw',"
		    "'','defaults','x=1','shared','rslave','nosymfollow']}],"
		    "'linux':{'namespaces':[{'type':'user'},{'type':'time'},"
		    "{'type':'cgroup','path':'/proc/1/ns/cgroup'}],"
		    "'uidMappings':[{'containerID':0,'hostID':100000,"
		    "'size':65536}],'gidMappings':[{'containerID':0,"
		    "'hostID':1,'size':1}],"
		    "'resources':{'memory':{'limit':-1,'reservation':5},"
		    "'cpu':{'cpus':'0-3','mems':'0'},'pids':{'limit':-1}},"
		    "'devices':[{'path':'/dev/p','type':'p'}]}}",
		    &s, err, sizeof(err)),
	    0);
	assert_true(s->process.user.has_umask);
	assert_int_equal(s->process.user.umask, 022);
	assert_string_equal(s->process.env.v[0], "A=18446744073709551615");
	assert_int_equal(s->process.caps[SPEC_CAP_AMBIENT],
			 1ULL << CAP_NET_ADMIN);
	assert_int_equal(s->process.caps[SPEC_CAP_INHERITABLE],
			 (1ULL << CAP_BPF) | (1ULL << CAP_CHECKPOINT_RESTORE));
	assert_int_equal(s->annotations.n, 2);
	assert_string_equal(s->annotations.v[1].key, "c");
	assert_string_equal(s->annotations.v[1].value, "");
	assert_int_equal(s->hooks[SPEC_HOOK_POSTSTOP].v[0].timeout, 5);
	assert_string_equal(s->hooks[SPEC_HOOK_POSTSTOP].v[0].env.v[0], "E=1");
	assert_int_equal(s->hooks[SPEC_HOOK_CREATE_RUNTIME].n, 2);
	assert_string_equal(s->hooks[SPEC_HOOK_CREATE_RUNTIME].v[1].path, "/b");
	assert_int_equal(s->mounts[0].flags, MS_NOSYMFOLLOW);
	assert_int_equal(s->mounts[0].propagation, MS_SLAVE | MS_REC);
	assert_string_equal(s->mounts[0].data, "x=1");
	assert_null(s->mounts[0].type);
	assert_int_equal(s->lx.namespaces[1].clone_flag, CLONE_NEWTIME);
	assert_string_equal(spec_ns_find(s, SPEC_NS_CGROUP)->path,
			    "/proc/1/ns/cgroup");
	assert_int_equal(s->lx.uid_mappings[0].host_id, 100000);
	assert_int_equal(s->lx.uid_mappings[0].size, 65536);
	assert_int_equal(s->lx.n_gid_mappings, 1);
	assert_int_equal(s->lx.resources.memory_limit, -1);
	assert_int_equal(s->lx.resources.memory_reservation, 5);
	assert_string_equal(s->lx.resources.cpu_cpus, "0-3");
	assert_string_equal(s->lx.resources.cpu_mems, "0");
	assert_int_equal(s->lx.resources.pids_limit, -1);
	assert_int_equal(s->lx.devices[0].type, 'p');
	assert_false(s->lx.devices[0].has_file_mode);
	spec_free(&s);
}

/**
 * big_doc() - A document with @n mounts, or @n env entries
 * @n:		Number of entries
 * @mounts:	Repeat mounts (true) or env entries
 *
 * Return: the JSON text, to free()
 */
static char *big_doc(size_t n, bool mounts)
{
	size_t i, len = 128 + n * 32;
	char *b = malloc(len), *p = b;

	assert_non_null(b);
	p += sprintf(p, "{\"root\":{\"path\":\"/r\"},\"process\":{\"args\":"
			"[\"a\"],\"cwd\":\"/\",\"env\":[");
	for (i = 0; !mounts && i < n; i++)
		p += sprintf(p, "%s\"E%zu=1\"", i ? "," : "", i);
	p += sprintf(p, "]},\"mounts\":[");
	for (i = 0; mounts && i < n; i++)
		p += sprintf(p, "%s{\"destination\":\"/m\"}", i ? "," : "");
	sprintf(p, "]}");
	return b;
}

/**
 * test_limits() - Entry counts past the limits are refused
 * @state:	Unused
 */
static void test_limits(void **state)
{
	struct spec *s = NULL;
	char err[256] = "";
	char *j;

	(void)state;
	j = big_doc(SPEC_MAX_MOUNTS, true);
	assert_int_equal(spec_parse(j, strlen(j), &s, err, sizeof(err)), 0);
	assert_int_equal(s->n_mounts, SPEC_MAX_MOUNTS);
	spec_free(&s);
	free(j);
	j = big_doc(SPEC_MAX_MOUNTS + 1, true);
	assert_int_equal(spec_parse(j, strlen(j), &s, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "config.json: mounts: more than 1024 entries");
	free(j);
	j = big_doc(SPEC_MAX_ENV, false);
	assert_int_equal(spec_parse(j, strlen(j), &s, err, sizeof(err)), 0);
	assert_int_equal(s->process.env.n, SPEC_MAX_ENV);
	spec_free(&s);
	free(j);
	j = big_doc(SPEC_MAX_ENV + 1, false);
	assert_int_equal(spec_parse(j, strlen(j), &s, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
			    "config.json: process.env: more than 4096 entries");
	assert_null(s);
	free(j);
}

/**
 * test_load_errors() - Unreadable files, and no message buffer
 * @state:	Unused
 */
static void test_load_errors(void **state)
{
	struct spec *s = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(
	    spec_load("/nonexistent/config.json", &s, err, sizeof(err)),
	    -ENOENT);
	assert_string_equal(
	    err, "/nonexistent/config.json: No such file or directory");
	assert_int_equal(spec_load("/", &s, err, sizeof(err)), -EISDIR);
	assert_int_equal(spec_load("/nonexistent", &s, NULL, 0), -ENOENT);
	assert_int_equal(spec_parse("[", 1, &s, NULL, 0), -EINVAL);
	assert_int_equal(spec_parse("{}", 2, &s, err, 4), -EINVAL);
	assert_string_equal(err, "con");
	assert_null(s);
}

/**
 * test_names() - Name tables of the public enums
 * @state:	Unused
 */
static void test_names(void **state)
{
	(void)state;
	assert_string_equal(spec_cap_set_name(SPEC_CAP_AMBIENT), "ambient");
	assert_null(spec_cap_set_name(SPEC_CAP_NUM));
	assert_string_equal(spec_hook_kind_name(SPEC_HOOK_CREATE_RUNTIME),
			    "createRuntime");
	assert_null(spec_hook_kind_name(SPEC_HOOK_NUM));
	assert_string_equal(spec_ns_type_name(SPEC_NS_NETWORK), "network");
	assert_null(spec_ns_type_name(SPEC_NS_NUM));
}

/**
 * struct bad - One invalid document
 * @name:	Test name
 * @json:	Document, with ' for "
 * @msg:	Text the message must contain
 */
struct bad {
	const char *name;
	const char *json;
	const char *msg;
};

#define ARGS "'args':['sh'],'cwd':'/'"
#define ROOT "'root':{'path':'/r'}"
#define PROC(x) "{'process':{" x "}," ROOT "}"
#define DOC(x) "{'process':{" ARGS "}," ROOT "," x "}"
#define LNX(x) DOC("'linux':{" x "}")
#define RES(x) LNX("'resources':{" x "}")
#define E "config.json: "

static const struct bad bad[] = {
    {"json_syntax", "{\n 'process': {\n  'args': [,\n}",
     "config.json:3:12: invalid JSON: "},
    {"json_trailing", DOC("'hostname':'h'") " x", "config.json:1:"},
    {"json_nul", DOC("'hostname':'a\\u0000b'"), "invalid JSON: "},
    {"json_empty", "", "config.json:1:0: invalid JSON: "},
    {"duplicate_key", "{" ROOT ",\n" ROOT "}",
     "config.json:2:6: invalid JSON: duplicate object key near '\"root\"'"},
    {"duplicate_nested", PROC(ARGS ",'cwd':'/'"), "duplicate object key"},
    {"top_array", "[]", E "expected a JSON object at the top level"},
    {"no_process", "{" ROOT "}", E "process: missing (expected an object)"},
    {"process_type", "{'process':[]," ROOT "}",
     E "process: expected an object"},
    {"no_args", PROC("'cwd':'/'"),
     E "process.args: expected a non-empty array of strings"},
    {"empty_args", PROC("'args':[],'cwd':'/'"),
     E "process.args: expected a non-empty array of strings"},
    {"args_string", PROC("'args':'sh','cwd':'/'"),
     E "process.args: expected a non-empty array of strings"},
    {"args_not_strings", PROC("'args':['sh',1],'cwd':'/'"),
     E "process.args[1]: expected a string"},
    {"env_not_strings", PROC(ARGS ",'env':[null]"),
     E "process.env[0]: expected a string"},
    {"env_type", PROC(ARGS ",'env':{}"),
     E "process.env: expected an array of strings"},
    {"cwd_relative", PROC("'args':['sh'],'cwd':'tmp'"),
     E "process.cwd: must be an absolute path, got \"tmp\""},
    {"cwd_missing", PROC("'args':['sh']"),
     E "process.cwd: missing (expected a string)"},
    {"cwd_type", PROC("'args':['sh'],'cwd':7"),
     E "process.cwd: expected a string"},
    {"terminal_type", PROC(ARGS ",'terminal':'yes'"),
     E "process.terminal: expected true or false"},
    {"user_type", PROC(ARGS ",'user':0"), E "process.user: expected an object"},
    {"uid_missing", PROC(ARGS ",'user':{'gid':0}"),
     E "process.user.uid: missing (expected an integer)"},
    {"uid_negative", PROC(ARGS ",'user':{'uid':-1,'gid':0}"),
     E "process.user.uid: expected an integer from 0 to 4294967295"},
    {"uid_big", PROC(ARGS ",'user':{'uid':4294967296,'gid':0}"),
     E "process.user.uid: expected an integer"},
    {"uid_real", PROC(ARGS ",'user':{'uid':1.0,'gid':0}"),
     E "process.user.uid: expected an integer"},
    {"gid_string", PROC(ARGS ",'user':{'uid':0,'gid':'0'}"),
     E "process.user.gid: expected an integer"},
    {"gids_type", PROC(ARGS ",'user':{'uid':0,'gid':0,'additionalGids':0}"),
     E "process.user.additionalGids: expected an array of group IDs"},
    {"gids_elem",
     PROC(ARGS ",'user':{'uid':0,'gid':0,'additionalGids':[1,'x']}"),
     E "process.user.additionalGids[1]: expected a group ID"},
    {"umask_range", PROC(ARGS ",'user':{'uid':0,'gid':0,'umask':512}"),
     E "process.user.umask: expected a mode from 0 to 0777"},
    {"caps_type", PROC(ARGS ",'capabilities':[]"),
     E "process.capabilities: expected an object"},
    {"caps_set_type", PROC(ARGS ",'capabilities':{'bounding':'CAP_KILL'}"),
     E "process.capabilities.bounding: expected an array of strings"},
    {"cap_unknown",
     PROC(ARGS ",'capabilities':{'bounding':['CAP_KILL','CAP_FOO']}"),
     E "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\""},
    {"cap_no_prefix", PROC(ARGS ",'capabilities':{'ambient':['KILL']}"),
     E "process.capabilities.ambient[0]: unknown capability \"KILL\""},
    {"cap_not_string", PROC(ARGS ",'capabilities':{'effective':[12]}"),
     E "process.capabilities.effective[0]: expected a capability name"},
    {"cap_control_chars",
     PROC(ARGS ",'capabilities':{'permitted':['CAP_\\nX']}"),
     E "process.capabilities.permitted[0]: unknown capability \"CAP_?X\""},
    {"rlimits_type", PROC(ARGS ",'rlimits':{}"),
     E "process.rlimits: expected an array of objects"},
    {"rlimit_elem", PROC(ARGS ",'rlimits':['RLIMIT_NOFILE']"),
     E "process.rlimits[0]: expected an object"},
    {"rlimit_unknown",
     PROC(ARGS ",'rlimits':[{'type':'RLIMIT_FOO','hard':1,'soft':1}]"),
     E "process.rlimits[0].type: unknown resource \"RLIMIT_FOO\""},
    {"rlimit_no_type", PROC(ARGS ",'rlimits':[{'hard':1,'soft':1}]"),
     E "process.rlimits[0].type: missing (expected a string)"},
    {"rlimit_no_hard",
     PROC(ARGS ",'rlimits':[{'type':'RLIMIT_CPU',"
	       "'soft':1}]"),
     E "process.rlimits[0].hard: missing (expected an integer)"},
    {"rlimit_soft_type",
     PROC(ARGS ",'rlimits':[{'type':'RLIMIT_CPU',"
	       "'hard':1,'soft':'1'}]"),
     E "process.rlimits[0].soft: expected an integer"},
    {"rlimit_soft_gt_hard",
     PROC(ARGS ",'rlimits':[{'type':'RLIMIT_CPU',"
	       "'hard':1,'soft':2}]"),
     E "process.rlimits[0].soft: greater than hard"},
    {"rlimit_twice",
     PROC(ARGS ",'rlimits':[{'type':'RLIMIT_CPU','hard':1,"
	       "'soft':1},{'type':'RLIMIT_CPU','hard':2,"
	       "'soft':2}]"),
     E "process.rlimits[1].type: RLIMIT_CPU given twice"},
    {"nnp_type", PROC(ARGS ",'noNewPrivileges':1"),
     E "process.noNewPrivileges: expected true or false"},
    {"oom_range", PROC(ARGS ",'oomScoreAdj':1001"),
     E "process.oomScoreAdj: expected an integer from -1000 to 1000"},
    {"no_root", "{'process':{" ARGS "}}",
     E "root: missing (expected an object)"},
    {"no_root_path", "{'process':{" ARGS "},'root':{'readonly':true}}",
     E "root.path: missing (expected a string)"},
    {"root_path_empty", "{'process':{" ARGS "},'root':{'path':''}}",
     E "root.path: expected a non-empty string"},
    {"root_path_type", "{'process':{" ARGS "},'root':{'path':['/r']}}",
     E "root.path: expected a string"},
    {"root_readonly_type",
     "{'process':{" ARGS "},'root':{'path':'/r','readonly':'true'}}",
     E "root.readonly: expected true or false"},
    {"oci_version_type", DOC("'ociVersion':1"),
     E "ociVersion: expected a string"},
    {"hostname_type", DOC("'hostname':false"), E "hostname: expected a string"},
    {"mounts_type", DOC("'mounts':{}"),
     E "mounts: expected an array of objects"},
    {"mount_elem", DOC("'mounts':[{'destination':'/a'},'/b']"),
     E "mounts[1]: expected an object"},
    {"mount_dest_relative",
     DOC("'mounts':[{'destination':'/a'},{'destination':'b'}]"),
     E "mounts[1].destination: must be an absolute path, got \"b\""},
    {"mount_dest_missing", DOC("'mounts':[{'type':'tmpfs'}]"),
     E "mounts[0].destination: missing (expected a string)"},
    {"mount_type_type", DOC("'mounts':[{'destination':'/a','type':1}]"),
     E "mounts[0].type: expected a string"},
    {"mount_source_type", DOC("'mounts':[{'destination':'/a','source':{}}]"),
     E "mounts[0].source: expected a string"},
    {"mount_options_type",
     DOC("'mounts':[{'destination':'/a','options':'ro'}]"),
     E "mounts[0].options: expected an array of strings"},
    {"mount_option_type",
     DOC("'mounts':[{'destination':'/a','options':['ro',true]}]"),
     E "mounts[0].options[1]: expected a string"},
    {"hooks_type", DOC("'hooks':[]"), E "hooks: expected an object"},
    {"hooks_kind_type", DOC("'hooks':{'prestart':{}}"),
     E "hooks.prestart: expected an array of objects"},
    {"hook_path_relative", DOC("'hooks':{'prestart':[{'path':'bin/x'}]}"),
     E "hooks.prestart[0].path: must be an absolute path, got \"bin/x\""},
    {"hook_path_missing", DOC("'hooks':{'poststart':[{'args':['x']}]}"),
     E "hooks.poststart[0].path: missing (expected a string)"},
    {"hook_args_type",
     DOC("'hooks':{'startContainer':[{'path':'/x','args':[1]}]}"),
     E "hooks.startContainer[0].args[0]: expected a string"},
    {"hook_env_type",
     DOC("'hooks':{'createContainer':[{'path':'/x','env':'A=1'}]}"),
     E "hooks.createContainer[0].env: expected an array of strings"},
    {"hook_timeout",
     DOC("'hooks':{'poststop':[{'path':'/x'},"
	 "{'path':'/x','timeout':0}]}"),
     E "hooks.poststop[1].timeout: expected an integer from 1 to"},
    {"linux_type", DOC("'linux':true"), E "linux: expected an object"},
    {"ns_type_unknown", LNX("'namespaces':[{'type':'pid'},{'type':'net'}]"),
     E "linux.namespaces[1].type: unknown namespace type \"net\""},
    {"ns_type_missing", LNX("'namespaces':[{'path':'/proc/1/ns/net'}]"),
     E "linux.namespaces[0].type: missing (expected a string)"},
    {"ns_twice",
     LNX("'namespaces':[{'type':'pid'},{'type':'uts'},"
	 "{'type':'pid'}]"),
     E "linux.namespaces[2].type: pid given twice"},
    {"ns_path_relative",
     LNX("'namespaces':[{'type':'network','path':'netns'}]"),
     E "linux.namespaces[0].path: must be an absolute path"},
    {"ns_elem", LNX("'namespaces':['pid']"),
     E "linux.namespaces[0]: expected an object"},
    {"idmap_missing", LNX("'uidMappings':[{'containerID':0,'hostID':1}]"),
     E "linux.uidMappings[0].size: missing (expected an integer)"},
    {"idmap_type",
     LNX("'gidMappings':[{'containerID':0,'hostID':-1,'size':1}]"),
     E "linux.gidMappings[0].hostID: expected an integer"},
    {"sysctl_type", LNX("'sysctl':['a=b']"),
     E "linux.sysctl: expected an object"},
    {"sysctl_value", LNX("'sysctl':{'net.ipv4.ip_forward':1}"),
     E "linux.sysctl.net.ipv4.ip_forward: expected a string"},
    {"resources_type", LNX("'resources':1"),
     E "linux.resources: expected an object"},
    {"memory_type", RES("'memory':[]"),
     E "linux.resources.memory: expected an object"},
    {"memory_limit", RES("'memory':{'limit':'64m'}"),
     E "linux.resources.memory.limit: expected an integer"},
    {"memory_swap", RES("'memory':{'swap':-2}"),
     E "linux.resources.memory.swap: expected an integer from -1"},
    {"cpu_shares", RES("'cpu':{'shares':-1}"),
     E "linux.resources.cpu.shares: expected an integer from 0"},
    {"cpu_cpus", RES("'cpu':{'cpus':0}"),
     E "linux.resources.cpu.cpus: expected a string"},
    {"pids_limit", RES("'pids':{'limit':'50'}"),
     E "linux.resources.pids.limit: expected an integer"},
    {"devrule_allow", RES("'devices':[{'access':'rwm'}]"),
     E "linux.resources.devices[0].allow: missing (expected true or false)"},
    {"devrule_access", RES("'devices':[{'allow':true,'access':'rwx'}]"),
     E "linux.resources.devices[0].access: expected some of \"rwm\""},
    {"devrule_type", RES("'devices':[{'allow':true,'type':'cb'}]"),
     E "linux.resources.devices[0].type: expected \"a\", \"b\" or \"c\""},
    {"devrule_major", RES("'devices':[{'allow':true,'major':'1'}]"),
     E "linux.resources.devices[0].major: expected an integer"},
    {"cgroups_path_type", LNX("'cgroupsPath':{}"),
     E "linux.cgroupsPath: expected a string"},
    {"seccomp_type", LNX("'seccomp':'unconfined'"),
     E "linux.seccomp: expected an object"},
    {"masked_relative", LNX("'maskedPaths':['/proc/kcore','proc/keys']"),
     E "linux.maskedPaths[1]: must be an absolute path"},
    {"readonly_type", LNX("'readonlyPaths':'/proc/sys'"),
     E "linux.readonlyPaths: expected an array of strings"},
    {"device_type", LNX("'devices':[{'path':'/dev/x','type':'x'}]"),
     E "linux.devices[0].type: expected \"c\", \"b\", \"u\" or \"p\""},
    {"device_path",
     LNX("'devices':[{'path':'dev/x','type':'c',"
	 "'major':1,'minor':1}]"),
     E "linux.devices[0].path: must be an absolute path"},
    {"device_major", LNX("'devices':[{'path':'/dev/x','type':'c','minor':1}]"),
     E "linux.devices[0].major: missing (expected an integer)"},
    {"device_mode",
     LNX("'devices':[{'path':'/dev/x','type':'c','major':1,"
	 "'minor':1,'fileMode':'0600'}]"),
     E "linux.devices[0].fileMode: expected an integer"},
    {"device_uid",
     LNX("'devices':[{'path':'/dev/x','type':'p',"
	 "'uid':-5}]"),
     E "linux.devices[0].uid: expected an integer"},
    {"annotations_type", DOC("'annotations':[]"),
     E "annotations: expected an object"},
    {"annotation_value", DOC("'annotations':{'a':'b','c':1}"),
     E "annotations.c: expected a string"},
};

/**
 * test_bad() - One invalid document: -EINVAL, @out untouched, a clear line
 * @state:	The struct bad case
 */
static void test_bad(void **state)
{
	const struct bad *b = *state;
	struct spec *s = (struct spec *)0x1;
	char err[256] = "";

	assert_int_equal(parse_q(b->json, &s, err, sizeof(err)), -EINVAL);
	assert_ptr_equal(s, (struct spec *)0x1);
	if (!strstr(err, b->msg))
		fail_msg("message \"%s\" lacks \"%s\"", err, b->msg);
	assert_null(strchr(err, '\n'));
}

/**
 * main() - Run the fixed tests, then one test per invalid document
 *
 * Return: number of failed tests
 */
int main(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_docker_default),
	    cmocka_unit_test(test_tty_user),
	    cmocka_unit_test(test_capdrop_ulimit_ro),
	    cmocka_unit_test(test_hostnet_volumes),
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_everything_else),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_names),
	};
	struct CMUnitTest tests[ARRAY_SIZE(fixed) + ARRAY_SIZE(bad)];
	size_t i;

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		tests[ARRAY_SIZE(fixed) + i] = (struct CMUnitTest){
		    .name = bad[i].name,
		    .test_func = test_bad,
		    .initial_state = (void *)&bad[i],
		};
	}
	return _cmocka_run_group_tests("sentry_spec", tests, ARRAY_SIZE(tests),
				       NULL, NULL);
}
