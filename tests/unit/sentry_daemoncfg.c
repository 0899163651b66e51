// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sentry_daemoncfg.c - unit tests for the daemon.json editor
 *
 * daemoncfg_edit() is checked on text, with exact expected output where
 * the layout matters; daemoncfg_apply() on files below a fresh mkdtemp()
 * directory per test, which teardown removes. JSON inputs are written with
 * ' for " and turned into real JSON by q().
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/daemoncfg.h"

#define BIN "/usr/local/bin/runsc"

/* Per-test fixture: a temporary directory and a daemon.json path in it */
struct fx {
	char tmp[64];
	char file[128];
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
	strcpy(fx->tmp, "/tmp/sentry_daemoncfg.XXXXXX");
	if (!mkdtemp(fx->tmp)) {
		free(fx);
		return -1;
	}
	snprintf(fx->file, sizeof(fx->file), "%s/etc/docker/daemon.json",
		 fx->tmp);
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

	chmod(fx->tmp, 0700);
	nftw(fx->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/**
 * q() - Turn ' into " in a static test string
 * @s:		Text with ' for "
 *
 * Return: a new string, freed by the caller
 */
static char *q(const char *s)
{
	char *t = strdup(s), *p;

	assert_non_null(t);
	for (p = t; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	return t;
}

/**
 * edit() - Run daemoncfg_edit() on ' -quoted text
 * @in:		Input with ' for ", or NULL for a missing file
 * @op:		Edit
 * @res:	Result
 * @out:	Output, or NULL on failure; freed by the caller
 *
 * Return: what daemoncfg_edit() returned
 */
static int edit(const char *in, const struct daemoncfg_op *op,
		struct daemoncfg_res *res, char **out)
{
	char *text = in ? q(in) : NULL;
	int ret;

	*out = NULL;
	ret = daemoncfg_edit("daemon.json", text, text ? strlen(text) : 0, op,
			     res, out);
	free(text);
	if (ret)
		assert_null(*out);
	return ret;
}

/**
 * expect() - Assert an edit succeeds with an action and exact output
 * @in:		Input with ' for ", or NULL
 * @op:		Edit
 * @action:	Expected action
 * @want:	Expected output with ' for "
 */
static void expect(const char *in, const struct daemoncfg_op *op,
		   enum daemoncfg_action action, const char *want)
{
	struct daemoncfg_res res;
	char *out, *w = q(want);

	assert_int_equal(edit(in, op, &res, &out), 0);
	assert_int_equal(res.action, action);
	assert_string_equal(out, w);
	free(out);
	free(w);
}

/**
 * expect_fail() - Assert an edit fails with an errno and a message part
 * @in:		Input with ' for ", or NULL
 * @op:		Edit
 * @ret:	Expected -errno
 * @part:	Text the message must contain, as is
 */
static void expect_fail(const char *in, const struct daemoncfg_op *op, int ret,
			const char *part)
{
	struct daemoncfg_res res;
	char *out;

	assert_int_equal(edit(in, op, &res, &out), ret);
	if (!strstr(res.msg, part))
		fail_msg("message \"%s\" lacks \"%s\"", res.msg, part);
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
	assert_true(read(fd, buf, 65535) >= 0);
	close(fd);
	return buf;
}

/**
 * put() - Write a file with ' -quoted contents and a mode
 * @path:	File
 * @text:	Contents with ' for "
 * @mode:	Mode
 */
static void put(const char *path, const char *text, mode_t mode)
{
	char *t = q(text);
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	free(t);
}

/**
 * mkdirs() - Create the fixture's etc/docker directory
 * @fx:		Fixture
 */
static void mkdirs(const struct fx *fx)
{
	char d[128];

	snprintf(d, sizeof(d), "%s/etc", fx->tmp);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(d, sizeof(d), "%s/etc/docker", fx->tmp);
	assert_int_equal(mkdir(d, 0755), 0);
}

/**
 * count_entries() - Number of entries in a directory, . and .. excluded
 * @dir:	Directory
 *
 * Return: the count
 */
static int count_entries(const char *dir)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static const struct daemoncfg_op op_add = {.name = "runsc", .path = BIN};
static const struct daemoncfg_op op_del = {.name = "runsc", .uninstall = true};

/**
 * test_names() - Runtime names: what is accepted and what is not
 * @state:	Unused
 */
static void test_names(void **state)
{
	static const char *const good[] = {
	    "runsc", "runsc-kvm", "gvisor.dbg", "a_1", "9", "RUNC", "runc2"};
	static const char *const bad[] = {
	    "",		"/",   "a/b", "../x", ".",    "..",  ".runsc",
	    "-rm",	"_x",  "a b", "a\nb", "a$b",  "a;b", "runc",
	    "\xc3\xa9", "a:b", "a*",  "a\\b", "a\"b",
	};
	char msg[256], longname[DAEMONCFG_NAME_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(daemoncfg_name_valid(good[i], msg, 256), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		assert_int_equal(daemoncfg_name_valid(bad[i], msg, 256),
				 -EINVAL);
		assert_true(strstr(msg, "runtime name") != NULL);
		assert_null(strchr(msg, '\n'));
	}
	assert_int_equal(daemoncfg_name_valid(NULL, NULL, 0), -EINVAL);
	memset(longname, 'a', sizeof(longname));
	longname[DAEMONCFG_NAME_MAX] = '\0';
	assert_int_equal(daemoncfg_name_valid(longname, msg, 256), 0);
	longname[DAEMONCFG_NAME_MAX] = 'a';
	longname[DAEMONCFG_NAME_MAX + 1] = '\0';
	assert_int_equal(daemoncfg_name_valid(longname, msg, 256), -EINVAL);
	assert_non_null(strstr(msg, "longer than"));
	/* reserved: a clear reason, not the charset message */
	daemoncfg_name_valid("runc", msg, sizeof(msg));
	assert_non_null(strstr(msg, "reserved"));
	expect_fail("{}", &(struct daemoncfg_op){.name = "a/b", .path = BIN},
		    -EINVAL, "bad runtime name \"a/b\"");
	expect_fail(NULL, &(struct daemoncfg_op){.name = "", .uninstall = 1},
		    -EINVAL, "runtime name is empty");
}

/**
 * test_add_empty() - A missing, empty or blank file becomes one runtime
 * @state:	Unused
 */
static void test_add_empty(void **state)
{
	static const char want[] = "{\n"
				   "    'runtimes': {\n"
				   "        'runsc': {\n"
				   "            'path': '" BIN "'\n"
				   "        }\n"
				   "    }\n"
				   "}\n";

	(void)state;
	expect(NULL, &op_add, DAEMONCFG_ADDED, want);
	expect("", &op_add, DAEMONCFG_ADDED, want);
	expect(" \n\t\r\n", &op_add, DAEMONCFG_ADDED, want);
	expect("{}", &op_add, DAEMONCFG_ADDED, want);
	expect("{'runtimes': {}}", &op_add, DAEMONCFG_ADDED, want);
	expect("{'runtimes': null}", &op_add, DAEMONCFG_ADDED, want);
}

/* a daemon.json with other keys and other runtimes, as people write it */
static const char busy_in[] =
    "{\n"
    "  'log-level': 'warn',\n"
    "  'runtimes': {\n"
    "    'kata': {'path': '/usr/bin/kata-runtime', 'runtimeArgs': "
    "['--debug']},\n"
    "    'nvidia': {'path': 'nvidia-container-runtime', 'runtimeArgs': []}\n"
    "  },\n"
    "  'storage-driver': 'overlay2',\n"
    "  'default-ulimits': {'nofile': {'Name': 'nofile', 'Hard': 64000, "
    "'Soft': 64000}},\n"
    "  'debug': false, 'ratio': 0.1, 'big': -9007199254740993, 'e': 1e3,\n"
    "  'labels': ['a=1', 'b=\\u00e9', 'tab\\t/\\/'],\n"
    "  'empty': {}, 'none': null, 'nul': 'a\\u0000b'\n"
    "}\n";

/* busy_in plus runtimes.runsc, in gVisor's layout, members in order */
static const char busy_out_head[] =
    "{\n"
    "    'log-level': 'warn',\n"
    "    'runtimes': {\n"
    "        'kata': {\n"
    "            'path': '/usr/bin/kata-runtime',\n"
    "            'runtimeArgs': [\n"
    "                '--debug'\n"
    "            ]\n"
    "        },\n"
    "        'nvidia': {\n"
    "            'path': 'nvidia-container-runtime',\n"
    "            'runtimeArgs': []\n"
    "        }";
static const char busy_out_tail[] = "\n"
				    "    },\n"
				    "    'storage-driver': 'overlay2',\n"
				    "    'default-ulimits': {\n"
				    "        'nofile': {\n"
				    "            'Name': 'nofile',\n"
				    "            'Hard': 64000,\n"
				    "            'Soft': 64000\n"
				    "        }\n"
				    "    },\n"
				    "    'debug': false,\n"
				    "    'ratio': 0.1,\n"
				    "    'big': -9007199254740993,\n"
				    "    'e': 1000.0,\n"
				    "    'labels': [\n"
				    "        'a=1',\n"
				    "        'b=\xc3\xa9',\n"
				    "        'tab\\t//'\n"
				    "    ],\n"
				    "    'empty': {},\n"
				    "    'none': null,\n"
				    "    'nul': 'a\\u0000b'\n"
				    "}\n";

/**
 * test_add_preserves() - Other keys and runtimes keep value and place
 * @state:	Unused
 */
static void test_add_preserves(void **state)
{
	char want[4096];

	(void)state;
	snprintf(want, sizeof(want),
		 "%s,\n"
		 "        'runsc': {\n"
		 "            'path': '" BIN "'\n"
		 "        }%s",
		 busy_out_head, busy_out_tail);
	expect(busy_in, &op_add, DAEMONCFG_ADDED, want);

	/* "runtimes" absent: added at the end, the rest unchanged */
	expect("{'b': 1, 'a': [true, {}]}", &op_add, DAEMONCFG_ADDED,
	       "{\n"
	       "    'b': 1,\n"
	       "    'a': [\n"
	       "        true,\n"
	       "        {}\n"
	       "    ],\n"
	       "    'runtimes': {\n"
	       "        'runsc': {\n"
	       "            'path': '" BIN "'\n"
	       "        }\n"
	       "    }\n"
	       "}\n");
}

/**
 * test_replace() - An existing entry is replaced in its place
 * @state:	Unused
 */
static void test_replace(void **state)
{
	static const char in[] =
	    "{'runtimes': {'a': {'path': '/a'}, 'runsc': {'path': '/old/runsc', "
	    "'runtimeArgs': ['--debug'], 'x': 1}, 'z': {'path': '/z'}}}";
	struct daemoncfg_res res;
	char *out;

	(void)state;
	expect(in, &op_add, DAEMONCFG_REPLACED,
	       "{\n"
	       "    'runtimes': {\n"
	       "        'a': {\n"
	       "            'path': '/a'\n"
	       "        },\n"
	       "        'runsc': {\n"
	       "            'path': '" BIN "'\n"
	       "        },\n"
	       "        'z': {\n"
	       "            'path': '/z'\n"
	       "        }\n"
	       "    }\n"
	       "}\n");
	assert_int_equal(edit(in, &op_add, &res, &out), 0);
	free(out);
	assert_string_equal(
	    res.old,
	    "{\"path\":\"/old/runsc\",\"runtimeArgs\":[\"--debug\"],\"x\":1}");
}

/**
 * test_replace_odd() - Odd old entries: not ours, long, reordered
 * @state:	Unused
 */
static void test_replace_odd(void **state)
{
	struct daemoncfg_res res;
	char *out;

	(void)state;
	/* not even an object: still replaced (gVisor does the same) */
	assert_int_equal(
	    edit("{'runtimes': {'runsc': 'weird'}}", &op_add, &res, &out), 0);
	free(out);
	assert_int_equal(res.action, DAEMONCFG_REPLACED);
	assert_string_equal(res.old, "\"weird\"");

	/* a long old entry is cut with "..." */
	assert_int_equal(
	    edit(
		"{'runtimes': {'runsc': {'path': "
		"'/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"'}}}",
		&op_add, &res, &out),
	    0);
	free(out);
	assert_int_equal(strlen(res.old), sizeof(res.old) - 1);
	assert_string_equal(res.old + sizeof(res.old) - 4, "...");

	/* the same entry, members in another order: nothing to do */
	expect("{'runtimes': {'runsc': {'runtimeArgs': ['-x'], 'path': '" BIN
	       "'}}}",
	       &(struct daemoncfg_op){.name = "runsc",
				      .path = BIN,
				      .args = (const char *const[]){"-x"},
				      .nargs = 1},
	       DAEMONCFG_UNCHANGED,
	       "{\n"
	       "    'runtimes': {\n"
	       "        'runsc': {\n"
	       "            'runtimeArgs': [\n"
	       "                '-x'\n"
	       "            ],\n"
	       "            'path': '" BIN "'\n"
	       "        }\n"
	       "    }\n"
	       "}\n");
}

/**
 * test_runtime_args() - runtimeArgs present with flags, absent without
 * @state:	Unused
 */
static void test_runtime_args(void **state)
{
	static const char *const flags[] = {"--network=host", "--debug",
					    "--log-format=json"};
	struct daemoncfg_op op = {
	    .name = "runsc-dbg", .path = BIN, .args = flags, .nargs = 3};

	(void)state;
	expect("{}", &op, DAEMONCFG_ADDED,
	       "{\n"
	       "    'runtimes': {\n"
	       "        'runsc-dbg': {\n"
	       "            'path': '" BIN "',\n"
	       "            'runtimeArgs': [\n"
	       "                '--network=host',\n"
	       "                '--debug',\n"
	       "                '--log-format=json'\n"
	       "            ]\n"
	       "        }\n"
	       "    }\n"
	       "}\n");
	/* installing again without flags drops runtimeArgs */
	expect("{'runtimes': {'runsc-dbg': {'path': '" BIN
	       "', 'runtimeArgs': ['--debug']}}}",
	       &(struct daemoncfg_op){.name = "runsc-dbg", .path = BIN},
	       DAEMONCFG_REPLACED,
	       "{\n"
	       "    'runtimes': {\n"
	       "        'runsc-dbg': {\n"
	       "            'path': '" BIN "'\n"
	       "        }\n"
	       "    }\n"
	       "}\n");
}

/**
 * test_bad_op() - Flags and paths dockerd's sh wrapper would mangle
 * @state:	Unused
 */
static void test_bad_op(void **state)
{
	static const char *const bad[] = {"a b", "$(reboot)", "--x=`id`", "a;b",
					  "*",	 "'",	      "a\tb",	  "~"};
	struct daemoncfg_op op = {.name = "runsc", .path = BIN, .nargs = 1};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		op.args = &bad[i];
		expect_fail("{}", &op, -EINVAL, "sh wrapper would interpret");
	}
	op.args = (const char *const[]){""};
	expect_fail("{}", &op, -EINVAL, "empty runtime flag");
	op.args = (const char *const[]){"--debug"};
	op.path = "/opt/my runsc/runsc";
	expect_fail("{}", &op, -EINVAL, "runtime path \"/opt/my runsc/runsc\"");
	/* without runtimeArgs dockerd execs the path itself: any path */
	op.nargs = 0;
	expect(NULL, &op, DAEMONCFG_ADDED,
	       "{\n"
	       "    'runtimes': {\n"
	       "        'runsc': {\n"
	       "            'path': '/opt/my runsc/runsc'\n"
	       "        }\n"
	       "    }\n"
	       "}\n");
	op.path = "runsc";
	expect_fail("{}", &op, -EINVAL, "must be absolute");
	op.path = NULL;
	expect_fail("{}", &op, -EINVAL, "must be absolute");
	op.path = "/bad/\xff";
	expect_fail("{}", &op, -EINVAL, "not valid UTF-8");
}

/**
 * test_uninstall() - Removing present, absent and last runtimes
 * @state:	Unused
 */
static void test_uninstall(void **state)
{
	(void)state;
	expect("{'a': 1, 'runtimes': {'x': {'path': '/x'}, 'runsc': {'path': "
	       "'/r'}, 'y': {'path': '/y'}}, 'b': 2}",
	       &op_del, DAEMONCFG_REMOVED,
	       "{\n"
	       "    'a': 1,\n"
	       "    'runtimes': {\n"
	       "        'x': {\n"
	       "            'path': '/x'\n"
	       "        },\n"
	       "        'y': {\n"
	       "            'path': '/y'\n"
	       "        }\n"
	       "    },\n"
	       "    'b': 2\n"
	       "}\n");
	/* the last runtime takes "runtimes" with it */
	expect("{'a': 1, 'runtimes': {'runsc': {'path': '/r'}}, 'b': 2}",
	       &op_del, DAEMONCFG_REMOVED,
	       "{\n"
	       "    'a': 1,\n"
	       "    'b': 2\n"
	       "}\n");
	expect("{'runtimes': {'runsc': {}}}", &op_del, DAEMONCFG_REMOVED,
	       "{}\n");
	/* absent: nothing to do */
	expect(NULL, &op_del, DAEMONCFG_ABSENT, "{}\n");
	expect("{'a': 1}", &op_del, DAEMONCFG_ABSENT, "{\n    'a': 1\n}\n");
	expect("{'runtimes': null}", &op_del, DAEMONCFG_ABSENT,
	       "{\n    'runtimes': null\n}\n");
	expect("{'runtimes': {'x': {'path': '/x'}}}", &op_del, DAEMONCFG_ABSENT,
	       "{\n    'runtimes': {\n        'x': {\n"
	       "            'path': '/x'\n        }\n    }\n}\n");
	/* dockerd would not start without its default runtime */
	expect_fail("{'default-runtime': 'runsc', 'runtimes': {'runsc': "
		    "{'path': '/r'}}}",
		    &op_del, -EBUSY, "\"default-runtime\" is \"runsc\"");
	expect("{'default-runtime': 'runc', 'runtimes': {'runsc': {'path': "
	       "'/r'}}}",
	       &op_del, DAEMONCFG_REMOVED,
	       "{\n    'default-runtime': 'runc'\n}\n");
}

/**
 * test_invalid_json() - Not JSON, or not an object: line and column
 * @state:	Unused
 */
static void test_invalid_json(void **state)
{
	(void)state;
	expect_fail("{\n  'a': 1\n  'b': 2\n}\n", &op_add, -EINVAL,
		    "daemon.json:3:5: invalid JSON: '}' expected near '\"b\"'");
	expect_fail("{'a': 1,", &op_add, -EINVAL, "daemon.json:1:8: invalid");
	expect_fail("{'a': 1} x", &op_add, -EINVAL, "daemon.json:1:10: inv");
	expect_fail("{'a': 1, 'a': 2}", &op_add, -EINVAL,
		    "daemon.json:1:12: invalid JSON: duplicate object key");
	expect_fail("{'a': 99999999999999999999}", &op_add, -EINVAL,
		    "daemon.json:1:26: invalid JSON: too big integer");
	expect_fail("x", &op_del, -EINVAL, "daemon.json:1:1: invalid JSON");
	expect_fail("[]", &op_add, -EINVAL,
		    "daemon.json: the top level is an array, not an object");
	/* a control character from the input is masked in the message */
	expect_fail("{\x01}", &op_add, -EINVAL, "daemon.json:1:2: invalid");
	expect_fail("{\x01}", &op_add, -EINVAL, "near '?'");
}

/**
 * test_runtimes_not_object() - "runtimes" of another type is an error
 * @state:	Unused
 */
static void test_runtimes_not_object(void **state)
{
	(void)state;
	expect_fail("{'runtimes': []}", &op_add, -EINVAL,
		    "daemon.json: \"runtimes\" is an array, not an object");
	expect_fail("{'runtimes': 'runsc'}", &op_add, -EINVAL,
		    "\"runtimes\" is a string, not an object");
	expect_fail("{'runtimes': 1}", &op_del, -EINVAL,
		    "\"runtimes\" is a number, not an object");
	expect_fail("{'runtimes': false}", &op_del, -EINVAL,
		    "\"runtimes\" is false, not an object");
}

/**
 * test_apply_missing() - A missing file and directory are created, 0644
 * @state:	Fixture
 */
static void test_apply_missing(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;
	char dir[128], *got;
	struct stat st;
	ino_t ino;

	assert_int_equal(daemoncfg_apply(fx->file, &op_add, &res), 0);
	assert_int_equal(res.action, DAEMONCFG_ADDED);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	got = slurp(fx->file);
	assert_string_equal(got, "{\n"
				 "    \"runtimes\": {\n"
				 "        \"runsc\": {\n"
				 "            \"path\": \"" BIN "\"\n"
				 "        }\n"
				 "    }\n"
				 "}\n");
	free(got);
	/* only the file, no temporary one, below the new directories */
	assert_int_equal(count_entries(fx->tmp), 1);
	snprintf(dir, sizeof(dir), "%s/etc/docker", fx->tmp);
	assert_int_equal(count_entries(dir), 1);

	/* the same again changes nothing, not even the inode */
	ino = st.st_ino;
	assert_int_equal(daemoncfg_apply(fx->file, &op_add, &res), 0);
	assert_int_equal(res.action, DAEMONCFG_UNCHANGED);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_ino, ino);
}

/**
 * test_apply_uninstall_missing() - Uninstall never creates anything
 * @state:	Fixture
 */
static void test_apply_uninstall_missing(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;

	assert_int_equal(daemoncfg_apply(fx->file, &op_del, &res), 0);
	assert_int_equal(res.action, DAEMONCFG_ABSENT);
	assert_int_equal(count_entries(fx->tmp), 0);
}

/**
 * test_apply_keeps_mode() - The file is replaced by rename, mode kept
 * @state:	Fixture
 */
static void test_apply_keeps_mode(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;
	struct stat before, after;
	char dir[128], *got;

	mkdirs(fx);
	put(fx->file, "{'debug': true, 'runtimes': {'runsc': {'path': '/r'}}}",
	    0600);
	assert_int_equal(stat(fx->file, &before), 0);
	assert_int_equal(daemoncfg_apply(fx->file, &op_del, &res), 0);
	assert_int_equal(res.action, DAEMONCFG_REMOVED);
	assert_int_equal(stat(fx->file, &after), 0);
	assert_int_equal(after.st_mode & 07777, 0600);
	assert_int_not_equal(after.st_ino, before.st_ino);
	got = slurp(fx->file);
	assert_string_equal(got, "{\n    \"debug\": true\n}\n");
	free(got);
	/* no temporary file is left behind */
	snprintf(dir, sizeof(dir), "%s/etc/docker", fx->tmp);
	assert_int_equal(count_entries(dir), 1);
}

/**
 * test_apply_invalid_untouched() - Invalid JSON: the file stays as it was
 * @state:	Fixture
 */
static void test_apply_invalid_untouched(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;
	struct stat before, after;
	char dir[128], *got;

	mkdirs(fx);
	put(fx->file, "{'runtimes': {'runsc': {'path': '/r'},}}\n", 0640);
	assert_int_equal(stat(fx->file, &before), 0);
	assert_int_equal(daemoncfg_apply(fx->file, &op_add, &res), -EINVAL);
	assert_non_null(strstr(res.msg, "daemon.json:1:39: invalid JSON"));
	assert_non_null(strstr(res.msg, fx->file));
	assert_int_equal(daemoncfg_apply(fx->file, &op_del, &res), -EINVAL);
	assert_int_equal(stat(fx->file, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	assert_int_equal(after.st_mode & 07777, 0640);
	got = slurp(fx->file);
	assert_string_equal(
	    got, "{\"runtimes\": {\"runsc\": {\"path\": \"/r\"},}}\n");
	free(got);
	snprintf(dir, sizeof(dir), "%s/etc/docker", fx->tmp);
	assert_int_equal(count_entries(dir), 1);

	/* the same for "runtimes" that is not an object */
	put(fx->file, "{'runtimes': []}", 0644);
	assert_int_equal(daemoncfg_apply(fx->file, &op_add, &res), -EINVAL);
	got = slurp(fx->file);
	assert_string_equal(got, "{\"runtimes\": []}");
	free(got);
}

/**
 * test_apply_symlink() - A symlinked daemon.json: the target is replaced
 * @state:	Fixture
 */
static void test_apply_symlink(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;
	char target[128], link[128], *got;
	struct stat st;

	mkdirs(fx);
	snprintf(target, sizeof(target), "%s/managed.json", fx->tmp);
	put(target, "{'a': 1}", 0644);
	assert_int_equal(symlink(target, fx->file), 0);
	assert_int_equal(daemoncfg_apply(fx->file, &op_add, &res), 0);
	assert_int_equal(lstat(fx->file, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(readlink(fx->file, link, sizeof(link) - 1),
			 (ssize_t)strlen(target));
	got = slurp(target);
	assert_non_null(strstr(got, "\"a\": 1,\n    \"runtimes\""));
	free(got);
}

/**
 * test_apply_not_file() - Errors from the file system name the path
 * @state:	Fixture
 */
static void test_apply_not_file(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;
	char path[160];

	/* daemon.json is a directory */
	mkdirs(fx);
	assert_int_equal(mkdir(fx->file, 0755), 0);
	assert_int_equal(daemoncfg_apply(fx->file, &op_add, &res), -EINVAL);
	assert_non_null(strstr(res.msg, "not a regular file"));
	/* its "directory" is a regular file */
	snprintf(path, sizeof(path), "%s/file", fx->tmp);
	put(path, "x", 0644);
	strcat(path, "/daemon.json");
	assert_int_equal(daemoncfg_apply(path, &op_add, &res), -ENOTDIR);
	assert_non_null(strstr(res.msg, path));
	/* no base name */
	snprintf(path, sizeof(path), "%s/new/", fx->tmp);
	assert_int_equal(daemoncfg_apply(path, &op_add, &res), -EINVAL);
	assert_non_null(strstr(res.msg, "not a file name"));
}

/**
 * drop_caps() - Give up every capability (root stays uid 0)
 *
 * Return: 0 or -1
 */
static int drop_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

/**
 * test_apply_unwritable() - An unwritable directory: -EACCES, file kept
 * @state:	Fixture
 *
 * Runs in a child without capabilities, so that root is refused too.
 */
static void test_apply_unwritable(void **state)
{
	struct fx *fx = *state;
	struct daemoncfg_res res;
	char dir[128], *got;
	int st, ok;
	pid_t pid;

	mkdirs(fx);
	put(fx->file, "{'a': 1}", 0644);
	snprintf(dir, sizeof(dir), "%s/etc/docker", fx->tmp);
	assert_int_equal(chmod(dir, 0555), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		ok = !drop_caps() &&
		     daemoncfg_apply(fx->file, &op_add, &res) == -EACCES &&
		     strstr(res.msg, dir) && strstr(res.msg, "Permission");
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	chmod(dir, 0755);
	got = slurp(fx->file);
	assert_string_equal(got, "{\"a\": 1}");
	free(got);
	assert_int_equal(count_entries(dir), 1);
}

/**
 * test_action_str() - Action names
 * @state:	Unused
 */
static void test_action_str(void **state)
{
	(void)state;
	assert_string_equal(daemoncfg_action_str(DAEMONCFG_ADDED), "added");
	assert_string_equal(daemoncfg_action_str(DAEMONCFG_ABSENT), "absent");
	assert_string_equal(daemoncfg_action_str(DAEMONCFG_NUM), "unknown");
}

/**
 * main() - Run the daemon.json tests
 *
 * Return: number of failed tests
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_add_empty),
	    cmocka_unit_test(test_add_preserves),
	    cmocka_unit_test(test_replace),
	    cmocka_unit_test(test_replace_odd),
	    cmocka_unit_test(test_runtime_args),
	    cmocka_unit_test(test_bad_op),
	    cmocka_unit_test(test_uninstall),
	    cmocka_unit_test(test_invalid_json),
	    cmocka_unit_test(test_runtimes_not_object),
	    cmocka_unit_test_setup_teardown(test_apply_missing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_apply_uninstall_missing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_apply_keeps_mode, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_apply_invalid_untouched, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_apply_symlink, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_apply_not_file, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_apply_unwritable, setup,
					    teardown),
	    cmocka_unit_test(test_action_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
