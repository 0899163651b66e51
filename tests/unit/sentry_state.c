// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_state.c - unit tests for the container state directory
 *
 * Each test gets a fresh directory from mkdtemp() under /tmp as its --root
 * parent; teardown removes it with everything below.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/state.h"

#define ID1 "f3678a0123456789abcdef0123456789abcdef0123456789abcdef0123456789"

/* Per-test fixture: a temporary directory and the --root inside it */
struct fx {
	char tmp[64];
	char root[96];
};

/**
 * setup() - Make a temporary directory for one test
 * @state:	Receives a struct fx
 *
 * Return: 0, or -1 on failure
 */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->tmp, "/tmp/sentry_state.XXXXXX");
	if (!mkdtemp(fx->tmp)) {
		free(fx);
		return -1;
	}
	snprintf(fx->root, sizeof(fx->root), "%s/run/moby", fx->tmp);
	umask(022);
	*state = fx;
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
 * @state:	The struct fx from setup()
 *
 * Return: 0
 */
static int teardown(void **state)
{
	struct fx *fx = *state;

	nftw(fx->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/**
 * sample() - Fill a state with known values
 * @s:		State to fill
 * @id:		Container id
 */
static void sample(struct state *s, const char *id)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->oci_version, "1.0.2-dev");
	snprintf(s->id, sizeof(s->id), "%s", id);
	s->pid = 38732;
	s->status = STATE_RUNNING;
	snprintf(s->bundle, sizeof(s->bundle),
		 "/run/docker/containerd/daemon/"
		 "io.containerd.runtime.v2.task/moby/%s",
		 id);
	strcpy(s->rootfs, "/var/lib/docker/overlay2/a0915/merged");
	strcpy(s->created, "2026-11-22T13:30:36.887348517Z");
	s->init_pid = 1;
	strcpy(s->ctl, "/run/x/ctl");
	s->exit_status = -1;
	s->start_time = 123456789012ULL;
}

/**
 * put_file() - Create a file below a directory with given contents
 * @dir:	Directory path
 * @name:	File name
 * @text:	Contents
 */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	int fd;

	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) <
		    (int)sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/**
 * make_ours() - Create a container directory with a written state
 * @root:	--root
 * @id:		Container id
 */
static void make_ours(const char *root, const char *id)
{
	struct state s;
	int dfd = -1;

	sample(&s, id);
	assert_int_equal(state_dir_open(root, id, true, &dfd), 0);
	assert_int_equal(state_write(dfd, &s), 0);
	close(dfd);
}

/**
 * test_id_valid() - The id grammar, good and bad
 * @state:	Unused
 */
static void test_id_valid(void **state)
{
	static const struct {
		const char *id;
		int ret;
	} t[] = {
	    {ID1, 0},
	    {"a", 0},
	    {"my-container_1.2", 0},
	    {"0", 0},
	    {"", -EINVAL},
	    {".", -EINVAL},
	    {"..", -EINVAL},
	    {".hidden", -EINVAL},
	    {"-x", -EINVAL},
	    {"_x", -EINVAL},
	    {"a/b", -EINVAL},
	    {"a b", -EINVAL},
	    {"a\nb", -EINVAL},
	    {ID1 "_sandbox:" ID1 ".state", -EINVAL},
	    {"caf\xc3\xa9", -EINVAL},
	};
	char longid[STATE_ID_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(state_id_valid(t[i].id), t[i].ret);
	assert_int_equal(state_id_valid(NULL), -EINVAL);
	memset(longid, 'a', sizeof(longid));
	longid[STATE_ID_MAX] = '\0';
	assert_int_equal(state_id_valid(longid), 0);
	longid[STATE_ID_MAX] = 'a';
	longid[STATE_ID_MAX + 1] = '\0';
	assert_int_equal(state_id_valid(longid), -EINVAL);
}

/**
 * test_dir_open() - Creation, modes, and the errors of state_dir_open()
 * @state:	Fixture
 */
static void test_dir_open(void **state)
{
	struct fx *fx = *state;
	char path[PATH_MAX];
	struct stat st;
	int dfd = -1;

	assert_int_equal(state_dir_open(fx->root, "c1", false, &dfd), -ENOENT);
	assert_int_equal(dfd, -1);
	assert_int_equal(state_dir_open(fx->root, "../c1", true, &dfd),
			 -EINVAL);
	assert_int_equal(state_dir_open(fx->root, "c1", true, &dfd), 0);
	assert_true(dfd >= 0);
	assert_true(fcntl(dfd, F_GETFD) & FD_CLOEXEC);
	close(dfd);
	dfd = -1;

	assert_int_equal(stat(fx->root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0711);
	snprintf(path, sizeof(path), "%s/c1", fx->root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/c1/lock", fx->root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	assert_int_equal(state_dir_open(fx->root, "c1", true, &dfd), -EEXIST);
	assert_int_equal(state_dir_open(fx->root, "c1", false, &dfd), 0);
	close(dfd);
	dfd = -1;
	assert_int_equal(state_dir_open(fx->root, "c2", false, &dfd), -ENOENT);

	/* a symlink or a file under the root is never followed or opened */
	snprintf(path, sizeof(path), "%s/link", fx->root);
	assert_int_equal(symlink("c1", path), 0);
	assert_int_equal(state_dir_open(fx->root, "link", false, &dfd),
			 -ENOTDIR);
	assert_int_equal(state_dir_open(fx->root, "link", true, &dfd), -EEXIST);
	put_file(fx->root, "file", "x");
	assert_int_equal(state_dir_open(fx->root, "file", false, &dfd),
			 -ENOTDIR);
	assert_int_equal(dfd, -1);
}

/**
 * test_round_trip() - What state_write() stores, state_read() returns
 * @state:	Fixture
 */
static void test_round_trip(void **state)
{
	struct fx *fx = *state;
	struct state w, r;
	char path[PATH_MAX];
	struct stat st;
	int dfd = -1;

	sample(&w, ID1);
	w.status = STATE_PAUSED;
	strcpy(w.owner, "root");
	w.start_time = 0x7fffffffffffffffULL;
	strcpy(w.bundle, "/tmp/b \"q\" \\ <&> caf\xc3\xa9\n");
	assert_int_equal(state_dir_open(fx->root, ID1, true, &dfd), 0);
	assert_int_equal(state_write(dfd, &w), 0);
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(state_read(dfd, &r), 0);
	assert_string_equal(r.oci_version, w.oci_version);
	assert_string_equal(r.id, w.id);
	assert_int_equal(r.pid, w.pid);
	assert_int_equal(r.status, w.status);
	assert_string_equal(r.bundle, w.bundle);
	assert_string_equal(r.rootfs, w.rootfs);
	assert_string_equal(r.created, w.created);
	assert_string_equal(r.owner, w.owner);
	assert_int_equal(r.init_pid, w.init_pid);
	assert_string_equal(r.ctl, w.ctl);
	assert_int_equal(r.exit_status, w.exit_status);
	assert_true(r.start_time == w.start_time);

	snprintf(path, sizeof(path), "%s/%s/state.json", fx->root, ID1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/%s/state.json.tmp", fx->root, ID1);
	assert_int_equal(stat(path, &st), -1);

	/* what cannot be read back is refused */
	w.start_time = 1ULL << 63;
	assert_int_equal(state_write(dfd, &w), -EINVAL);
	w.start_time = 1;
	w.status = STATE_NUM;
	assert_int_equal(state_write(dfd, &w), -EINVAL);
	w.status = STATE_STOPPED;
	strcpy(w.id, "..");
	assert_int_equal(state_write(dfd, &w), -EINVAL);
	close(dfd);
}

/**
 * test_atomic() - A writer that died before its rename changes nothing
 * @state:	Fixture
 */
static void test_atomic(void **state)
{
	struct fx *fx = *state;
	char dir[PATH_MAX];
	struct state w, r;
	int dfd = -1;

	sample(&w, "c1");
	assert_int_equal(state_dir_open(fx->root, "c1", true, &dfd), 0);
	assert_int_equal(state_write(dfd, &w), 0);
	snprintf(dir, sizeof(dir), "%s/c1", fx->root);
	put_file(dir, "state.json.tmp", "{\"runtime\":\"runsc-lwip\",\"id\":");
	assert_int_equal(state_read(dfd, &r), 0);
	assert_int_equal(r.pid, w.pid);

	/* the next writer replaces the leftover */
	w.status = STATE_STOPPED;
	assert_int_equal(state_write(dfd, &w), 0);
	assert_int_equal(state_read(dfd, &r), 0);
	assert_int_equal(r.status, STATE_STOPPED);
	assert_int_equal(faccessat(dfd, "state.json.tmp", F_OK, 0), -1);
	close(dfd);
}

/**
 * test_read_bad() - Garbage, foreign and mistyped state.json files
 * @state:	Fixture
 */
static void test_read_bad(void **state)
{
	static const struct {
		const char *text;
		int ret;
	} t[] = {
	    {"", -EINVAL},
	    {"garbage", -EINVAL},
	    {"[1,2]", -ENOMSG},
	    {"{\"id\":\"c1\",\"init_process_pid\":1,\"created\":\"x\"}",
	     -ENOMSG},
	    {"{\"runtime\":\"runc\"}", -ENOMSG},
	    {"{\"runtime\":\"runsc-lwip\"}", -EINVAL},
	    {"{\"runtime\":\"runsc-lwip\",\"runtime\":\"runsc-lwip\"}",
	     -EINVAL},
	};
	struct fx *fx = *state;
	struct state w, r;
	char dir[PATH_MAX];
	char text[8192];
	int dfd = -1, n;
	size_t i;

	assert_int_equal(state_dir_open(fx->root, "c1", true, &dfd), 0);
	assert_int_equal(state_read(dfd, &r), -ENOENT);
	snprintf(dir, sizeof(dir), "%s/c1", fx->root);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		put_file(dir, "state.json", t[i].text);
		assert_int_equal(state_read(dfd, &r), t[i].ret);
	}

	/* a valid file, then one field broken at a time */
	sample(&w, "c1");
	assert_int_equal(state_write(dfd, &w), 0);
	n = snprintf(text, sizeof(text),
		     "{\"runtime\":\"runsc-lwip\",\"stateVersion\":1,"
		     "\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":%s,"
		     "\"status\":%s,\"bundle\":\"/b\",\"rootfs\":\"/r\","
		     "\"created\":\"t\",\"owner\":\"\",\"initPid\":1,"
		     "\"ctl\":\"\",\"exitStatus\":-1,\"startTime\":%s,"
		     "\"cgroupsPath\":\"/docker/c1\",\"netMode\":0,"
		     "\"fileMediated\":0}",
		     "5", "\"running\"", "7");
	assert_true(n > 0 && n < (int)sizeof(text));
	put_file(dir, "state.json", text);
	assert_int_equal(state_read(dfd, &r), 0);
	assert_int_equal(r.pid, 5);
	assert_true(r.start_time == 7);

	sample(&r, "unchanged");
	snprintf(text, sizeof(text),
		 "{\"runtime\":\"runsc-lwip\",\"stateVersion\":1,"
		 "\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":\"5\"}");
	put_file(dir, "state.json", text);
	assert_int_equal(state_read(dfd, &r), -EINVAL);
	assert_string_equal(r.id, "unchanged");

	snprintf(text, sizeof(text),
		 "{\"runtime\":\"runsc-lwip\",\"stateVersion\":1,"
		 "\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":5,"
		 "\"status\":\"zombie\",\"bundle\":\"/b\",\"rootfs\":\"/r\","
		 "\"created\":\"t\",\"owner\":\"\",\"initPid\":1,"
		 "\"ctl\":\"\",\"exitStatus\":-1,\"startTime\":7}");
	put_file(dir, "state.json", text);
	assert_int_equal(state_read(dfd, &r), -EINVAL);

	snprintf(text, sizeof(text),
		 "{\"runtime\":\"runsc-lwip\",\"stateVersion\":1,"
		 "\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":5,"
		 "\"status\":\"running\",\"bundle\":\"/b\",\"rootfs\":\"/r\","
		 "\"created\":\"t\",\"owner\":\"\",\"initPid\":1,"
		 "\"ctl\":\"\",\"exitStatus\":-1,\"startTime\":-7}");
	put_file(dir, "state.json", text);
	assert_int_equal(state_read(dfd, &r), -EINVAL);

	snprintf(text, sizeof(text),
		 "{\"runtime\":\"runsc-lwip\",\"stateVersion\":1,"
		 "\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":5,"
		 "\"status\":\"running\",\"bundle\":\"/b\",\"rootfs\":\"/r\","
		 "\"created\":\"t\",\"owner\":\"\",\"initPid\":1,"
		 "\"ctl\":\"%0200d\",\"exitStatus\":-1,\"startTime\":7}",
		 0);
	put_file(dir, "state.json", text);
	assert_int_equal(state_read(dfd, &r), -EINVAL);

	snprintf(text, sizeof(text),
		 "{\"runtime\":\"runsc-lwip\",\"stateVersion\":2}");
	put_file(dir, "state.json", text);
	assert_int_equal(state_read(dfd, &r), -EINVAL);
	close(dfd);
}

/**
 * test_state_json() - `runc state` output, byte for byte
 * @state:	Unused
 */
static void test_state_json(void **state)
{
	static const char want[] =
	    "{\n"
	    "  \"ociVersion\": \"1.0.2-dev\",\n"
	    "  \"id\": \"" ID1 "\",\n"
	    "  \"pid\": 38732,\n"
	    "  \"status\": \"running\",\n"
	    "  \"bundle\": \"/run/docker/containerd/daemon/"
	    "io.containerd.runtime.v2.task/moby/" ID1 "\",\n"
	    "  \"rootfs\": \"/var/lib/docker/overlay2/a0915/merged\",\n"
	    "  \"created\": \"2026-11-22T13:30:36.887348517Z\",\n"
	    "  \"owner\": \"\"\n"
	    "}";
	static const char stopped[] = "{\n"
				      "  \"ociVersion\": \"1.0.2-dev\",\n"
				      "  \"id\": \"c\",\n"
				      "  \"pid\": 0,\n"
				      "  \"status\": \"stopped\",\n"
				      "  \"bundle\": \"\",\n"
				      "  \"rootfs\": \"\",\n"
				      "  \"created\": \"\",\n"
				      "  \"owner\": \"\"\n"
				      "}";
	char buf[1024];
	struct state s;

	(void)state;
	sample(&s, ID1);
	assert_int_equal(state_json(&s, buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(state_json(&s, buf, strlen(want) + 1), strlen(want));
	assert_int_equal(state_json(&s, buf, strlen(want)), -ENOBUFS);
	assert_int_equal(strlen(buf), strlen(want) - 1);
	assert_int_equal(state_json(&s, buf, 0), -ENOBUFS);

	memset(&s, 0, sizeof(s));
	strcpy(s.id, "c");
	s.pid = 99;
	s.status = STATE_STOPPED;
	assert_int_equal(state_json(&s, buf, sizeof(buf)), strlen(stopped));
	assert_string_equal(buf, stopped);
}

/**
 * test_json_escape() - Strings are escaped as Go's encoding/json does
 * @state:	Unused
 */
static void test_json_escape(void **state)
{
	struct state s;
	char buf[1024];
	const char *b;

	(void)state;
	memset(&s, 0, sizeof(s));
	strcpy(s.oci_version, "1.0.0");
	strcpy(s.id, "c");
	s.status = STATE_CREATED;
	s.pid = 7;
	/* " \ < > & \n \t \x01 \x7f é, U+2028, bad byte, truncated é, U+FFFD,
	 * surrogate (ED A0 80), overlong (C0 AF), 4-byte U+1F600 */
	strcpy(s.bundle, "\"\\<>&\n\t\x01\x7f"
			 "\xc3\xa9\xe2\x80\xa8\xff\xc3"
			 "x\xef\xbf\xbd\xed\xa0\x80\xc0\xaf\xf0\x9f\x98\x80");
	assert_true(state_hook_json(&s, buf, sizeof(buf)) > 0);
	b = "{\"ociVersion\":\"1.0.0\",\"id\":\"c\",\"status\":\"created\","
	    "\"pid\":7,\"bundle\":\"\\\"\\\\\\u003c\\u003e\\u0026\\n\\t"
	    "\\u0001\x7f\xc3\xa9\\u2028\\ufffd\\ufffdx\xef\xbf\xbd"
	    "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\xf0\x9f\x98\x80\"}";
	assert_string_equal(buf, b);
}

/**
 * test_hook_json() - The state hooks read on stdin
 * @state:	Unused
 */
static void test_hook_json(void **state)
{
	char buf[512];
	struct state s;
	int n;

	(void)state;
	sample(&s, "c1");
	strcpy(s.bundle, "/b");
	s.status = STATE_CREATING;
	s.pid = 24422;
	n = state_hook_json(&s, buf, sizeof(buf));
	assert_string_equal(buf, "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\","
				 "\"status\":\"creating\",\"pid\":24422,"
				 "\"bundle\":\"/b\"}");
	assert_int_equal(n, strlen(buf));
	s.status = STATE_STOPPED;
	state_hook_json(&s, buf, sizeof(buf));
	assert_string_equal(buf, "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\","
				 "\"status\":\"stopped\",\"bundle\":\"/b\"}");
	assert_int_equal(state_hook_json(&s, buf, 10), -ENOBUFS);
}

/**
 * test_format_time() - RFC3339 with Go's trimmed nanoseconds
 * @state:	Unused
 */
static void test_format_time(void **state)
{
	struct timespec ts = {1795354236, 887348517};
	char buf[STATE_TIME_MAX];

	(void)state;
	assert_int_equal(state_format_time(&ts, buf, sizeof(buf)), 30);
	assert_string_equal(buf, "2026-11-22T13:30:36.887348517Z");
	ts.tv_nsec = 500000000;
	state_format_time(&ts, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T13:30:36.5Z");
	ts.tv_nsec = 1000;
	state_format_time(&ts, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T13:30:36.000001Z");
	ts.tv_nsec = 0;
	assert_int_equal(state_format_time(&ts, buf, sizeof(buf)), 20);
	assert_string_equal(buf, "2026-11-22T13:30:36Z");
	assert_int_equal(state_format_time(&ts, buf, 20), -ENOBUFS);
	ts.tv_nsec = 1000000000;
	assert_int_equal(state_format_time(&ts, buf, sizeof(buf)), -EINVAL);
}

/* What the list callback saw */
struct seen {
	char ids[8][64];
	int n;
	int stop_after;
};

/**
 * collect() - state_list() callback: record ids
 * @s:		One of our containers
 * @opaque:	struct seen
 *
 * Return: 0, or 42 once @stop_after ids were seen
 */
static int collect(const struct state *s, void *opaque)
{
	struct seen *seen = opaque;

	assert_true(seen->n < 8);
	assert_true(snprintf(seen->ids[seen->n++], sizeof(seen->ids[0]), "%s",
			     s->id) < (int)sizeof(seen->ids[0]));
	return seen->n == seen->stop_after ? 42 : 0;
}

/**
 * test_list() - Only our entries are listed
 * @state:	Fixture
 */
static void test_list(void **state)
{
	struct fx *fx = *state;
	char path[PATH_MAX], to[PATH_MAX];
	struct seen seen = {0};
	int dfd = -1;

	assert_int_equal(state_list(fx->root, collect, &seen), 0);
	assert_int_equal(seen.n, 0);

	make_ours(fx->root, "ours1");
	make_ours(fx->root, "ours2");
	/* runc: <root>/<id>/state.json without our marker */
	snprintf(path, sizeof(path), "%s/runc1", fx->root);
	assert_int_equal(mkdir(path, 0700), 0);
	put_file(path, "state.json",
		 "{\"id\":\"runc1\",\"init_process_pid\":5,"
		 "\"init_process_start\":9,\"config\":{}}");
	/* gVisor: files next to the directories */
	put_file(fx->root, ID1 "_sandbox:" ID1 ".state", "{}");
	put_file(fx->root, ID1 "_sandbox:" ID1 ".lock", "");
	/* a half-made directory, a symlink to ours, a stray file */
	assert_int_equal(state_dir_open(fx->root, "half", true, &dfd), 0);
	close(dfd);
	snprintf(path, sizeof(path), "%s/alias", fx->root);
	assert_int_equal(symlink("ours1", path), 0);
	put_file(fx->root, "stray", "x");
	/* ours, but under another name than the id inside */
	make_ours(fx->root, "ours3");
	snprintf(path, sizeof(path), "%s/ours3", fx->root);
	snprintf(to, sizeof(to), "%s/moved", fx->root);
	assert_int_equal(rename(path, to), 0);

	assert_int_equal(state_list(fx->root, collect, &seen), 0);
	assert_int_equal(seen.n, 2);
	if (strcmp(seen.ids[0], seen.ids[1]) > 0) {
		assert_string_equal(seen.ids[0], "ours2");
		assert_string_equal(seen.ids[1], "ours1");
	} else {
		assert_string_equal(seen.ids[0], "ours1");
		assert_string_equal(seen.ids[1], "ours2");
	}

	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 1;
	assert_int_equal(state_list(fx->root, collect, &seen), 42);
	assert_int_equal(seen.n, 1);
}

/**
 * path_exists() - Tell whether a path below a directory exists
 * @dir:	Directory
 * @name:	Name below it
 *
 * Return: true if it exists (without following a last symlink)
 */
static bool path_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) <
		    (int)sizeof(path));
	return !lstat(path, &st);
}

/**
 * test_remove() - Ours goes, foreign entries stay
 * @state:	Fixture
 */
static void test_remove(void **state)
{
	struct fx *fx = *state;
	char path[PATH_MAX];
	int dfd = -1;

	assert_int_equal(state_remove(fx->root, "none"), -ENOENT);
	make_ours(fx->root, "c1");
	snprintf(path, sizeof(path), "%s/c1", fx->root);
	put_file(path, "state.json.tmp", "junk");
	put_file(path, "ctl", "");
	assert_int_equal(state_remove(fx->root, "c1"), 0);
	assert_false(path_exists(fx->root, "c1"));
	assert_int_equal(state_remove(fx->root, "c1"), -ENOENT);
	assert_int_equal(state_remove(fx->root, "../x"), -EINVAL);

	/* created, never written: still ours thanks to the lock file */
	assert_int_equal(state_dir_open(fx->root, "half", true, &dfd), 0);
	close(dfd);
	assert_int_equal(state_remove(fx->root, "half"), 0);
	assert_false(path_exists(fx->root, "half"));

	/* runc's directory and an empty foreign one are left alone */
	snprintf(path, sizeof(path), "%s/runc1", fx->root);
	assert_int_equal(mkdir(path, 0700), 0);
	put_file(path, "state.json", "{\"id\":\"runc1\"}");
	put_file(path, "lock", "");
	assert_int_equal(state_remove(fx->root, "runc1"), -ENOMSG);
	assert_true(path_exists(path, "state.json"));
	assert_true(path_exists(path, "lock"));
	snprintf(path, sizeof(path), "%s/empty", fx->root);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(state_remove(fx->root, "empty"), -ENOMSG);
	assert_true(path_exists(fx->root, "empty"));

	/* a symlink or file by that name is not ours either */
	snprintf(path, sizeof(path), "%s/alias", fx->root);
	make_ours(fx->root, "c2");
	assert_int_equal(symlink("c2", path), 0);
	assert_int_equal(state_remove(fx->root, "alias"), -ENOMSG);
	assert_true(path_exists(fx->root, "c2"));

	/* ours, with a file we did not make: our files go, the rest stays */
	snprintf(path, sizeof(path), "%s/c2", fx->root);
	put_file(path, "extra", "");
	assert_int_equal(state_remove(fx->root, "c2"), -ENOTEMPTY);
	assert_true(path_exists(path, "extra"));
	assert_false(path_exists(path, "state.json"));
}

/**
 * test_lock() - Exclusive excludes, shared shares, across processes too
 * @state:	Fixture
 */
static void test_lock(void **state)
{
	struct fx *fx = *state;
	int dfd = -1, l1 = -1, l2 = -1, st;
	pid_t pid;

	assert_int_equal(state_dir_open(fx->root, "c1", true, &dfd), 0);
	assert_int_equal(state_lock(dfd, true, true, &l1), 0);
	assert_true(fcntl(l1, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(state_lock(dfd, true, false, &l2), -EWOULDBLOCK);
	assert_int_equal(state_lock(dfd, false, false, &l2), -EWOULDBLOCK);
	assert_int_equal(l2, -1);

	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int fd = -1;

		_exit(state_lock(dfd, false, false, &fd) == -EWOULDBLOCK ? 0
									 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	close(l1);
	assert_int_equal(state_lock(dfd, false, false, &l1), 0);
	assert_int_equal(state_lock(dfd, false, false, &l2), 0);
	close(l2);
	l2 = -1;
	assert_int_equal(state_lock(dfd, true, false, &l2), -EWOULDBLOCK);
	close(l1);
	assert_int_equal(state_lock(dfd, true, false, &l2), 0);
	close(l2);
	close(dfd);
}

/**
 * test_parse_stat() - /proc/PID/stat lines, including a hostile comm
 * @state:	Unused
 */
static void test_parse_stat(void **state)
{
	static const char good[] =
	    "1234 (a) (b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "987654321 20 21 22\n";
	static const char tight[] =
	    "7 ()) Z 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5";
	static const char *const bad[] = {
	    "",
	    "1234 (noclose S 1 2",
	    "1234 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
	    "1234 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 -5 2",
	    "1234 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 12x 2",
	    "1234 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "99999999999999999999999 2",
	    "1234 (x)S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 5",
	};
	unsigned long long t = 0;
	char c = 0;
	size_t i;

	(void)state;
	assert_int_equal(state_parse_stat(good, &c, &t), 0);
	assert_int_equal(c, 'S');
	assert_true(t == 987654321ULL);
	assert_int_equal(state_parse_stat(tight, &c, &t), 0);
	assert_int_equal(c, 'Z');
	assert_true(t == 5);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(state_parse_stat(bad[i], &c, &t), -EINVAL);
}

/**
 * test_pid_alive() - Our own pid, a reused pid, a gone pid, a zombie
 * @state:	Unused
 */
static void test_pid_alive(void **state)
{
	unsigned long long t;
	struct state s = {0};
	int pfd[2], st;
	pid_t pid;
	char c;
	int i;

	(void)state;
	s.pid = getpid();
	assert_int_equal(state_proc_start_time(s.pid, &s.start_time), 0);
	assert_int_equal(state_pid_alive(&s), 1);
	s.start_time++;
	assert_int_equal(state_pid_alive(&s), 0);
	s.pid = INT_MAX;
	assert_int_equal(state_pid_alive(&s), 0);
	s.pid = 0;
	assert_int_equal(state_pid_alive(&s), 0);
	assert_int_equal(state_proc_start_time(-1, &t), -ESRCH);

	/* a child that has exited but is not reaped yet counts as dead */
	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(pfd[1]);
		_exit(read(pfd[0], &c, 1) == 0 ? 0 : 1);
	}
	close(pfd[0]);
	s.pid = pid;
	assert_int_equal(state_proc_start_time(pid, &s.start_time), 0);
	assert_int_equal(state_pid_alive(&s), 1);
	close(pfd[1]);
	for (i = 0; i < 1000 && state_pid_alive(&s) == 1; i++)
		usleep(1000);
	assert_int_equal(state_pid_alive(&s), 0);
	assert_int_equal(waitpid(pid, &st, WNOHANG), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(state_pid_alive(&s), 0);
}

/**
 * main() - Run the state tests
 *
 * Return: number of failed tests
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_id_valid),
	    cmocka_unit_test_setup_teardown(test_dir_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_atomic, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_bad, setup, teardown),
	    cmocka_unit_test(test_state_json),
	    cmocka_unit_test(test_json_escape),
	    cmocka_unit_test(test_hook_json),
	    cmocka_unit_test(test_format_time),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
	    cmocka_unit_test(test_parse_stat),
	    cmocka_unit_test(test_pid_alive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
