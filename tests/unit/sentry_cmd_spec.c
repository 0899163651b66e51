// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_cmd_spec.c - unit tests for `runsc spec`
 *
 * The generated config.json must be what spec_parse() accepts, with the
 * values of runc's default spec; when runc is installed, the text is also
 * compared with `runc spec` byte for byte (hostname aside). Files are
 * written only below a fresh mkdtemp() directory per test.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/capability.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/cmd.h"
#include "sentry/spec.h"

#define RUNC "/usr/sbin/runc"
#define RUNC_CAPS                                                              \
	((1ULL << CAP_AUDIT_WRITE) | (1ULL << CAP_KILL) |                      \
	 (1ULL << CAP_NET_BIND_SERVICE))
#define NSXD (MS_NOSUID | MS_NOEXEC | MS_NODEV)

/**
 * setup() - Make a temporary directory for one test
 * @state:	Receives its path (a new string)
 *
 * Return: 0, or -1 on failure
 */
static int setup(void **state)
{
	char *d = strdup("/tmp/sentry_cmd_spec.XXXXXX");

	if (!d || !mkdtemp(d)) {
		free(d);
		return -1;
	}
	umask(022);
	*state = d;
	return 0;
}

/**
 * rm_one() - nftw() callback: remove one entry
 * @path:	Entry
 * @sb:		Unused
 * @type:	Entry type
 * @ftw:	Unused
 *
 * Return: 0 to go on
 */
static int rm_one(const char *path, const struct stat *sb, int type,
		  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/**
 * teardown() - Remove the temporary directory of one test
 * @state:	Its path, from setup()
 *
 * Return: 0
 */
static int teardown(void **state)
{
	nftw(*state, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(*state);
	return 0;
}

/**
 * load() - Generate the spec and parse it
 * @rootless:	Rootless variant
 *
 * Return: the parsed spec, freed by the caller with spec_free()
 */
static struct spec *load(bool rootless)
{
	struct spec *s = NULL;
	char err[256] = "";
	char *text = NULL;

	assert_int_equal(cmd_spec_json(rootless, &text), 0);
	if (spec_parse(text, strlen(text), &s, err, sizeof(err)))
		fail_msg("spec_parse: %s", err);
	free(text);
	return s;
}

/**
 * check_common() - What both variants share
 * @s:		Parsed spec
 */
static void check_common(const struct spec *s)
{
	const struct spec_process *p = &s->process;
	static const char *const dst[] = {
	    "/proc",	   "/dev", "/dev/pts",	    "/dev/shm",
	    "/dev/mqueue", "/sys", "/sys/fs/cgroup"};
	size_t i;

	assert_string_equal(s->oci_version, "1.0.2-dev");
	assert_true(p->terminal);
	assert_int_equal(p->user.uid, 0);
	assert_int_equal(p->user.gid, 0);
	assert_int_equal(p->args.n, 1);
	assert_string_equal(p->args.v[0], "sh");
	assert_int_equal(p->env.n, 2);
	assert_string_equal(p->env.v[1], "TERM=xterm");
	assert_string_equal(p->cwd, "/");
	assert_true(p->has_caps);
	assert_int_equal(p->caps[SPEC_CAP_BOUNDING], RUNC_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_EFFECTIVE], RUNC_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_PERMITTED], RUNC_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_AMBIENT], RUNC_CAPS);
	assert_int_equal(p->caps[SPEC_CAP_INHERITABLE], 0);
	assert_int_equal(p->n_rlimits, 1);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(p->rlimits[0].hard, 1024);
	assert_int_equal(p->rlimits[0].soft, 1024);
	assert_true(p->no_new_privileges);
	assert_string_equal(s->root.path, "rootfs");
	assert_true(s->root.readonly);
	assert_string_equal(s->hostname, "runsc");
	assert_int_equal(s->n_mounts, sizeof(dst) / sizeof(dst[0]));
	for (i = 0; i < s->n_mounts; i++)
		assert_string_equal(s->mounts[i].destination, dst[i]);
	assert_string_equal(s->mounts[1].data, "mode=755,size=65536k");
	assert_int_equal(s->mounts[3].flags, NSXD);
	assert_string_equal(s->mounts[3].data, "mode=1777,size=65536k");
	assert_int_equal(s->mounts[6].flags, NSXD | MS_RELATIME | MS_RDONLY);
	assert_int_equal(s->lx.masked_paths.n, 10);
	assert_string_equal(s->lx.masked_paths.v[9], "/proc/scsi");
	assert_int_equal(s->lx.readonly_paths.n, 5);
	assert_string_equal(s->lx.readonly_paths.v[4], "/proc/sysrq-trigger");
	for (i = 0; i < SPEC_HOOK_NUM; i++)
		assert_int_equal(s->hooks[i].n, 0);
}

/**
 * check_ns() - The namespaces, in order
 * @s:		Parsed spec
 * @want:	Expected types
 * @n:		Number of @want
 */
static void check_ns(const struct spec *s, const enum spec_ns_type *want,
		     size_t n)
{
	size_t i;

	assert_int_equal(s->lx.n_namespaces, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(s->lx.namespaces[i].type, want[i]);
		assert_null(s->lx.namespaces[i].path);
	}
}

/**
 * test_default() - The default spec parses, with runc's values
 * @state:	Unused
 */
static void test_default(void **state)
{
	static const enum spec_ns_type ns[] = {SPEC_NS_PID, SPEC_NS_NETWORK,
					       SPEC_NS_IPC, SPEC_NS_UTS,
					       SPEC_NS_MOUNT};
	struct spec *s = load(false);
	const struct spec_dev_rule *d;

	(void)state;
	check_common(s);
	check_ns(s, ns, sizeof(ns) / sizeof(ns[0]));
	assert_string_equal(s->mounts[0].type, "proc");
	assert_string_equal(s->mounts[2].data,
			    "newinstance,ptmxmode=0666,mode=0620,gid=5");
	assert_string_equal(s->mounts[5].type, "sysfs");
	assert_int_equal(s->mounts[5].flags, NSXD | MS_RDONLY);
	assert_int_equal(s->lx.n_uid_mappings, 0);
	assert_int_equal(s->lx.n_gid_mappings, 0);
	assert_int_equal(s->lx.resources.n_devices, 1);
	d = &s->lx.resources.devices[0];
	assert_false(d->allow);
	assert_int_equal(d->type, 'a');
	assert_int_equal(d->major, -1);
	assert_string_equal(d->access, "rwm");
	spec_free(&s);
}

/**
 * test_rootless() - The rootless variant parses, with runc's changes
 * @state:	Unused
 */
static void test_rootless(void **state)
{
	static const enum spec_ns_type ns[] = {
	    SPEC_NS_PID, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_MOUNT, SPEC_NS_USER};
	struct spec *s = load(true);
	const struct spec_mount *sys;

	(void)state;
	check_common(s);
	check_ns(s, ns, sizeof(ns) / sizeof(ns[0]));
	assert_string_equal(s->mounts[2].data,
			    "newinstance,ptmxmode=0666,mode=0620");
	sys = &s->mounts[5];
	assert_string_equal(sys->type, "none");
	assert_string_equal(sys->source, "/sys");
	assert_int_equal(sys->flags, MS_BIND | MS_REC | NSXD | MS_RDONLY);
	assert_int_equal(s->lx.n_uid_mappings, 1);
	assert_int_equal(s->lx.uid_mappings[0].container_id, 0);
	assert_int_equal(s->lx.uid_mappings[0].host_id, geteuid());
	assert_int_equal(s->lx.uid_mappings[0].size, 1);
	assert_int_equal(s->lx.n_gid_mappings, 1);
	assert_int_equal(s->lx.gid_mappings[0].host_id, getegid());
	assert_int_equal(s->lx.resources.n_devices, 0);
	spec_free(&s);
}

/**
 * slurp() - Read a whole small file
 * @path:	File
 *
 * Return: a new string, freed by the caller
 */
static char *slurp(const char *path)
{
	char *buf = calloc(1, 65536);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_non_null(buf);
	assert_true(fd >= 0);
	assert_true(read(fd, buf, 65535) > 0);
	close(fd);
	return buf;
}

/**
 * runc_spec() - What `runc spec [--rootless]` writes, hostname as ours
 * @dir:	Scratch directory
 * @rootless:	Pass --rootless
 *
 * Return: the text (a new string)
 */
static char *runc_spec(const char *dir, bool rootless)
{
	char bundle[128], file[160], *text, *h;
	int st, devnull;
	pid_t pid;

	snprintf(bundle, sizeof(bundle), "%s/runc%d", dir, rootless);
	assert_int_equal(mkdir(bundle, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		dup2(devnull, 2);
		execl(RUNC, "runc", "spec", "--bundle", bundle,
		      rootless ? "--rootless" : NULL, NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	snprintf(file, sizeof(file), "%s/config.json", bundle);
	text = slurp(file);
	h = strstr(text, "\"hostname\": \"runc\"");
	assert_non_null(h);
	h += strlen("\"hostname\": \"run"); /* runc -> runsc */
	memmove(h + 1, h, strlen(h) + 1);
	*h = 's';
	return text;
}

/**
 * test_matches_runc() - Byte for byte what runc writes, hostname aside
 * @state:	Scratch directory
 */
static void test_matches_runc(void **state)
{
	char *ours, *theirs;
	int rootless;

	if (access(RUNC, X_OK))
		skip();
	for (rootless = 0; rootless < 2; rootless++) {
		assert_int_equal(cmd_spec_json(rootless, &ours), 0);
		theirs = runc_spec(*state, rootless);
		assert_string_equal(ours, theirs);
		free(ours);
		free(theirs);
	}
}

/**
 * run_spec() - Run cmd_spec() with arguments
 * @arg1:	First argument after "spec", or NULL
 * @arg2:	Second argument, or NULL
 * @arg3:	Third argument, or NULL
 *
 * Return: the exit status
 */
static int run_spec(const char *arg1, const char *arg2, const char *arg3)
{
	struct global_opts g = {.root = "/nonexistent"};
	char *argv[] = {"spec", (char *)arg1, (char *)arg2, (char *)arg3, NULL};
	int argc = 1;

	while (argc < 4 && argv[argc])
		argc++;
	return cmd_spec(&g, argc, argv);
}

/**
 * test_cmd_spec() - config.json is written once, never overwritten
 * @state:	Scratch directory
 */
static void test_cmd_spec(void **state)
{
	char file[128], *text, *want;
	struct stat st;

	snprintf(file, sizeof(file), "%s/config.json", (char *)*state);
	assert_int_equal(run_spec("--bundle", *state, NULL), 0);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	text = slurp(file);
	assert_int_equal(cmd_spec_json(false, &want), 0);
	assert_string_equal(text, want);
	free(text);
	free(want);

	/* an existing config.json is left alone, whatever it holds */
	assert_int_equal(truncate(file, 0), 0);
	assert_int_equal(run_spec("--bundle", *state, "--rootless"), 1);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(unlink(file), 0);

	/* a dangling symlink counts as existing, and is not followed */
	assert_int_equal(symlink("elsewhere", file), 0);
	assert_int_equal(run_spec("-b", *state, NULL), 1);
	assert_int_equal(unlink(file), 0);

	assert_int_equal(run_spec("--rootless", "--bundle", *state), 0);
	text = slurp(file);
	assert_non_null(strstr(text, "\"uidMappings\""));
	free(text);

	assert_int_equal(run_spec("--bundle", "/nonexistent/bundle", NULL), 1);
	assert_int_equal(run_spec("--bogus", NULL, NULL), 2);
	assert_int_equal(run_spec("extra", NULL, NULL), 2);
}

/**
 * main() - Run the `runsc spec` tests
 *
 * Return: number of failed tests
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default),
	    cmocka_unit_test(test_rootless),
	    cmocka_unit_test_setup_teardown(test_matches_runc, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cmd_spec, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
