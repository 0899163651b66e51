// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gofer_ops.c - unit tests for mediated opens (gofer/ops.c, gofer/serve.c)
 *
 * The pure pieces (JSON escaping, flag names, path join, deny matching,
 * root stripping) are called directly. The server runs in a forked child
 * on one end of a SOCK_SEQPACKET socketpair; the test is the (hostile)
 * sentry: it sends PROTO_OPEN requests with its own credentials and a temp
 * directory as the guest's root. Every answer must be an error or a file,
 * the child must survive, and no descriptor may be left behind here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fdcount.h"
#include "gofer/ops.h"
#include "gofer/proto.h"
#include "log.h"

/* the server child, its socket, the temp root and the audit log */
struct fx {
	int sock;
	pid_t child;
	char root[64];
	int rootfd;
	char audit[96];
	int nfds_before;
};

static struct proto_msg msg;
static struct fx fx;

/**
 * put() - Create a file below the temp root
 * @rel:	Path relative to it
 * @text:	Content
 */
static void put(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", fx.root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/**
 * fx_up() - Fixture: temp root with files, symlinks, a denied dir; server
 * @state:	Unused
 *
 * Return: 0
 */
static int fx_up(void **state)
{
	static const char *deny[] = {"/secret", "/etc/*.key"};
	struct gofer_cfg cfg = {.tree_fd = -1};
	int sv[2], afd, i;
	char p[256];

	snprintf(fx.root, sizeof(fx.root), "/tmp/gofer-ops-XXXXXX");
	assert_non_null(mkdtemp(fx.root));
	snprintf(fx.audit, sizeof(fx.audit), "%s.audit", fx.root);
	snprintf(p, sizeof(p), "%s/etc", fx.root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/secret", fx.root);
	assert_int_equal(mkdir(p, 0755), 0);
	put("etc/passwd", "inside\n");
	put("secret/data", "no\n");
	put("etc/a.key", "no\n");
	snprintf(p, sizeof(p), "%s/abs", fx.root);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	snprintf(p, sizeof(p), "%s/tosecret", fx.root);
	assert_int_equal(symlink("/secret/data", p), 0);
	fx.rootfd = open(fx.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fx.rootfd >= 0);
	afd = open(fx.audit, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	assert_true(afd >= 0);
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	fx.child = fork();
	assert_true(fx.child >= 0);
	if (fx.child == 0) {
		close(sv[0]);
		cfg.sock_fd = sv[1];
		for (i = 0; i < 2; i++)
			cfg.policy.deny[i] = deny[i];
		cfg.policy.n_deny = 2;
		cfg.policy.audit_fd = afd;
		_exit(gofer_serve_opens(&cfg) == 0 ? 0 : 3);
	}
	close(sv[1]);
	close(afd);
	fx.sock = sv[0];
	fx.nfds_before = fdcount();
	*state = &fx;
	return 0;
}

/**
 * fx_down() - Fixture: no fd left here, the server exits cleanly at EOF
 * @state:	Unused
 *
 * Return: 0
 */
static int fx_down(void **state)
{
	char cmd[256];
	int st;

	assert_int_equal(fdcount(), fx.nfds_before);
	close(fx.sock);
	assert_int_equal(waitpid(fx.child, &st, 0), fx.child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	close(fx.rootfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", fx.root, fx.audit);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/**
 * own_creds() - A request body with this process's credentials
 * @o:		Result
 * @flags:	open(2) flags
 */
static void own_creds(struct proto_open *o, int flags)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct c[2];
	gid_t g[PROTO_MAX_GROUPS];
	int n = getgroups(PROTO_MAX_GROUPS, g), i;

	memset(o, 0, sizeof(*o));
	o->flags = flags;
	o->mode = 0666;
	o->umask = 022;
	o->pid = getpid();
	o->uid = geteuid();
	o->gid = getegid();
	o->ngroups = n > 0 ? (uint32_t)n : 0;
	for (i = 0; i < n; i++)
		o->groups[i] = g[i];
	assert_int_equal(syscall(SYS_capget, &h, c), 0);
	o->cap_eff = c[0].effective | (uint64_t)c[1].effective << 32;
}

/**
 * ask() - Send one request, return the result and the fd that came back
 * @o:		Body
 * @path:	Path
 * @fds:	Handles
 * @nfds:	Their number
 * @fd:		Received fd or -1 (the caller closes it)
 *
 * Return: the reply's result
 */
static int ask(const struct proto_open *o, const char *path, const int *fds,
	       int nfds, int *fd)
{
	static uint32_t id = 100;

	assert_int_equal(proto_send_open(fx.sock, ++id, o, path, fds, nfds), 0);
	assert_int_equal(proto_recv(fx.sock, &msg), 0);
	assert_int_equal(msg.hdr.op, PROTO_REPLY);
	assert_int_equal(msg.hdr.id, id);
	*fd = msg.nfds ? msg.fds[0] : -1;
	return msg.reply.result;
}

/**
 * open_rd() - Open @path read-only below the temp root
 * @path:	Guest path
 * @fd:		Result fd or -1
 *
 * Return: reply result
 */
static int open_rd(const char *path, int *fd)
{
	struct proto_open o;

	own_creds(&o, O_RDONLY);
	return ask(&o, path, &fx.rootfd, 1, fd);
}

/**
 * read_fd() - Read a small file's text and close it
 * @fd:		Descriptor, consumed
 * @buf:	Result (64 bytes)
 */
static void read_fd(int fd, char *buf)
{
	ssize_t n = read(fd, buf, 63);

	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
}

/**
 * test_json_escape() - Quotes, control characters, invalid UTF-8
 * @state:	Unused
 */
static void test_json_escape(void **state)
{
	char out[64];

	assert_int_equal(json_quote(out, sizeof(out), "a\"b\\c"), 9);
	assert_string_equal(out, "\"a\\\"b\\\\c\"");
	json_quote(out, sizeof(out), "x\n\x01\x7f");
	assert_string_equal(out, "\"x\\u000a\\u0001\\u007f\"");
	json_quote(out, sizeof(out), "\xc3\xa9\xff\xc3(\xed\xa0\x80");
	assert_string_equal(out, "\"\xc3\xa9\\u00ff\\u00c3(\\u00ed\\u00a0"
				 "\\u0080\"");
	json_quote(out, sizeof(out), "\xc0\xaf"); /* overlong "/" */
	assert_string_equal(out, "\"\\u00c0\\u00af\"");
	assert_int_equal(json_quote(out, 4, "abc"), -ENOSPC);
}

/**
 * test_flag_names() - Access mode, named bits, unknown bits in hex
 * @state:	Unused
 */
static void test_flag_names(void **state)
{
	char out[128];

	gofer_flag_names(out, sizeof(out), O_RDONLY | O_CLOEXEC);
	assert_string_equal(out, "O_RDONLY|O_CLOEXEC");
	gofer_flag_names(out, sizeof(out), O_RDWR | O_CREAT | O_TRUNC);
	assert_string_equal(out, "O_RDWR|O_CREAT|O_TRUNC");
	gofer_flag_names(out, sizeof(out), O_WRONLY | O_TMPFILE);
	assert_string_equal(out, "O_WRONLY|O_TMPFILE");
	gofer_flag_names(out, sizeof(out), O_RDONLY | 0x40000000);
	assert_string_equal(out, "O_RDONLY|0x40000000");
	assert_int_equal(gofer_flag_names(out, 5, O_RDWR), -ENOSPC);
}

/**
 * test_path_join() - Slashes and "." folded, ".." kept, absolute wins
 * @state:	Unused
 */
static void test_path_join(void **state)
{
	char out[32];

	gofer_path_join(out, sizeof(out), "/a//b/", "./c/../d");
	assert_string_equal(out, "/a/b/c/../d");
	gofer_path_join(out, sizeof(out), "/a", "/etc/x");
	assert_string_equal(out, "/etc/x");
	gofer_path_join(out, sizeof(out), "/", ".");
	assert_string_equal(out, "/");
	gofer_path_join(out, sizeof(out), "/a", "b/");
	assert_string_equal(out, "/a/b/");
	assert_int_equal(gofer_path_join(out, sizeof(out), "rel", "x"),
			 -EINVAL);
	assert_int_equal(gofer_path_join(out, 8, "/abcdef", "ghij"),
			 -ENAMETOOLONG);
}

/**
 * test_denied() - Patterns match the path or a leading directory
 * @state:	Unused
 */
static void test_denied(void **state)
{
	struct gofer_policy p = {.deny = {"/etc/ssh", "*.key", "/home/*/.ssh"},
				 .n_deny = 3,
				 .audit_fd = -1};

	assert_true(gofer_denied(&p, "/etc/ssh"));
	assert_true(gofer_denied(&p, "/etc/ssh/sshd_config"));
	assert_false(gofer_denied(&p, "/etc/sshd"));
	assert_true(gofer_denied(&p, "/home/u/.ssh/id_rsa"));
	assert_false(gofer_denied(&p, "/home/u/ssh"));
	assert_false(gofer_denied(&p, "/etc/a.key")); /* FNM_PATHNAME */
	assert_false(gofer_denied(&p, "/etc/passwd"));
}

/**
 * test_strip_root() - readlink results made guest-view, bad ones refused
 * @state:	Unused
 */
static void test_strip_root(void **state)
{
	char p[64];

	strcpy(p, "/srv/root/etc/x");
	assert_int_equal(gofer_strip_root(p, "/srv/root"), 0);
	assert_string_equal(p, "/etc/x");
	strcpy(p, "/srv/root");
	assert_int_equal(gofer_strip_root(p, "/srv/root"), 0);
	assert_string_equal(p, "/");
	strcpy(p, "/srv/rootx/a");
	assert_int_equal(gofer_strip_root(p, "/srv/root"), -ENOENT);
	strcpy(p, "/a (deleted)");
	assert_int_equal(gofer_strip_root(p, "/"), -ENOENT);
	strcpy(p, "pipe:[123]");
	assert_int_equal(gofer_strip_root(p, "/"), -ENOENT);
	assert_string_equal(gofer_errname(ENOENT), "ENOENT");
}

/**
 * test_inside_root() - "..", absolute symlinks resolve below the root
 * @state:	Unused
 */
static void test_inside_root(void **state)
{
	struct proto_open o;
	char buf[64];
	int fd;

	assert_int_equal(open_rd("/etc/passwd", &fd), 0);
	read_fd(fd, buf);
	assert_string_equal(buf, "inside\n");
	assert_int_equal(open_rd("/../../../etc/passwd", &fd), 0);
	read_fd(fd, buf);
	assert_string_equal(buf, "inside\n");
	assert_int_equal(open_rd("/abs", &fd), 0); /* -> /etc/passwd */
	read_fd(fd, buf);
	assert_string_equal(buf, "inside\n");
	assert_int_equal(open_rd("/etc/shadow", &fd), -ENOENT);
	assert_int_equal(fd, -1);
	own_creds(&o, O_PATH | O_NONBLOCK | 0x40000000); /* kernel-ignored */
	assert_int_equal(ask(&o, "/etc", &fx.rootfd, 1, &fd), 0);
	assert_true(fcntl(fd, F_GETFL) & O_PATH);
	close(fd);
	assert_int_equal(open_rd("/proc/self/fd/0", &fd), -ENOENT);
}

/**
 * test_relative() - A relative path is joined to its directory's path
 * @state:	Unused
 */
static void test_relative(void **state)
{
	struct proto_open o;
	char p[128], buf[64];
	int fds[2], fd;

	snprintf(p, sizeof(p), "%s/etc", fx.root);
	fds[0] = fx.rootfd;
	fds[1] = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	own_creds(&o, O_RDONLY);
	assert_int_equal(ask(&o, "passwd", fds, 2, &fd), 0);
	read_fd(fd, buf);
	assert_string_equal(buf, "inside\n");
	assert_int_equal(ask(&o, "../../../etc/passwd", fds, 2, &fd), 0);
	read_fd(fd, buf);
	assert_string_equal(buf, "inside\n");
	assert_int_equal(ask(&o, "passwd", fds, 1, &fd), -EBADF);
	close(fds[1]);
}

/**
 * deny_beneath_and_tmpfile() - Creates the deny list must stop before the
 * file exists: a bare name below a dirfd in a denied directory
 * (RESOLVE_BENEATH), and an O_TMPFILE there; absolute paths with
 * RESOLVE_BENEATH / RESOLVE_IN_ROOT
 */
static void deny_beneath_and_tmpfile(void)
{
	struct proto_open o;
	char p[128];
	int fds[2] = {fx.rootfd, -1}, fd;

	snprintf(p, sizeof(p), "%s/secret", fx.root);
	fds[1] = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fds[1] >= 0);
	own_creds(&o, O_WRONLY | O_CREAT | O_EXCL);
	o.resolve = RESOLVE_BENEATH;
	assert_int_equal(ask(&o, "beneath-new", fds, 2, &fd), -EACCES);
	/* an absolute path stays relative to the dirfd, as in the kernel:
	 * EXDEV for RESOLVE_BENEATH, the dirfd as "/" for RESOLVE_IN_ROOT */
	own_creds(&o, O_RDONLY);
	o.resolve = RESOLVE_BENEATH;
	assert_int_equal(ask(&o, "/secret/data", fds, 2, &fd), -EXDEV);
	o.resolve = RESOLVE_IN_ROOT;
	assert_int_equal(ask(&o, "/data", fds, 2, &fd), -EACCES);
	close(fds[1]);
	snprintf(p, sizeof(p), "%s/secret/beneath-new", fx.root);
	assert_int_equal(access(p, F_OK), -1);
	own_creds(&o, O_RDWR | O_TMPFILE);
	o.mode = 0600;
	assert_int_equal(ask(&o, "/secret", &fx.rootfd, 1, &fd), -EACCES);
	assert_int_equal(ask(&o, "/etc", &fx.rootfd, 1, &fd), 0);
	close(fd);
}

/**
 * test_deny() - Denied by resolved path: directly, via symlink, by glob
 * @state:	Unused
 */
static void test_deny(void **state)
{
	struct proto_open o;
	char line[4096];
	int fd, afd;
	ssize_t n;

	assert_int_equal(open_rd("/secret/data", &fd), -EACCES);
	assert_int_equal(open_rd("/tosecret", &fd), -EACCES);
	assert_int_equal(open_rd("/etc/../secret", &fd), -EACCES);
	assert_int_equal(open_rd("/etc/a.key", &fd), -EACCES);
	own_creds(&o, O_WRONLY | O_CREAT | O_TRUNC);
	assert_int_equal(ask(&o, "/secret/new", &fx.rootfd, 1, &fd), -EACCES);
	assert_int_equal(ask(&o, "/secret/data", &fx.rootfd, 1, &fd), -EACCES);
	assert_int_equal(access("/tmp", F_OK), 0);
	deny_beneath_and_tmpfile();
	afd = open(fx.audit, O_RDONLY | O_CLOEXEC);
	n = read(afd, line, sizeof(line) - 1);
	close(afd);
	assert_true(n > 0);
	line[n] = '\0';
	assert_non_null(strstr(line, "\"path\":\"/tosecret\",\"resolved\":"
				     "\"/secret/data\",\"flags\":\"O_RDONLY\","
				     "\"result\":\"EACCES\",\"denied\":true}"));
	assert_non_null(strstr(line, "\"resolved\":\"/secret/new\""));
}

/**
 * test_create() - O_CREAT makes a file with the umask applied
 * @state:	Unused
 */
static void test_create(void **state)
{
	struct proto_open o;
	struct stat st;
	char p[128];
	int fd;

	own_creds(&o, O_WRONLY | O_CREAT | O_EXCL);
	o.umask = 027;
	assert_int_equal(ask(&o, "/etc/new", &fx.rootfd, 1, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	snprintf(p, sizeof(p), "%s/etc/new", fx.root);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(st.st_uid, geteuid());
	assert_int_equal(ask(&o, "/etc/new", &fx.rootfd, 1, &fd), -EEXIST);
	own_creds(&o, O_WRONLY | O_TRUNC);
	assert_int_equal(ask(&o, "/etc/new", &fx.rootfd, 1, &fd), 0);
	close(fd);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 0);
}

/**
 * test_creds() - As root: a request as uid 1000 cannot read a 0600 file
 * @state:	Unused
 *
 * Proves the gofer acts with the guest's credentials, not its own; skipped
 * without root (there is nobody to switch to).
 */
static void test_creds(void **state)
{
	struct proto_open o;
	char p[128];
	int fd;

	if (geteuid() != 0)
		skip();
	snprintf(p, sizeof(p), "%s/etc/passwd", fx.root);
	assert_int_equal(chmod(p, 0600), 0);
	own_creds(&o, O_RDONLY);
	o.uid = o.gid = 1000;
	o.ngroups = 0;
	o.cap_eff = 0;
	assert_int_equal(ask(&o, "/etc/passwd", &fx.rootfd, 1, &fd), -EACCES);
	o.cap_eff = 1ULL << 1; /* CAP_DAC_OVERRIDE: allowed again */
	assert_int_equal(ask(&o, "/etc/passwd", &fx.rootfd, 1, &fd), 0);
	close(fd);
	assert_int_equal(open_rd("/etc/passwd", &fd), 0); /* restored */
	close(fd);
	assert_int_equal(access(p, R_OK), 0);
}

/**
 * test_bad_handles() - A file as root, a closed fd, too many fds
 * @state:	Unused
 */
static void test_bad_handles(void **state)
{
	struct proto_open o;
	int fds[3], fd, p[2];
	char path[128];

	snprintf(path, sizeof(path), "%s/etc/passwd", fx.root);
	fds[0] = open(path, O_RDONLY | O_CLOEXEC);
	own_creds(&o, O_RDONLY);
	assert_int_equal(ask(&o, "/etc/passwd", fds, 1, &fd), -EBADF);
	close(fds[0]);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(ask(&o, "/etc/passwd", p, 1, &fd), -EBADF);
	fds[0] = fds[1] = fds[2] = fx.rootfd;
	/* three fds: refused by the checked decoding, answered -EBADMSG */
	assert_int_equal(ask(&o, "/etc/passwd", fds, 3, &fd), -EBADMSG);
	fds[1] = p[0];
	assert_int_equal(ask(&o, "x", fds, 2, &fd), -ENOTDIR);
	close(p[0]);
	close(p[1]);
}

/**
 * test_garbage() - Malformed packets get -EBADMSG, the server goes on
 * @state:	Unused
 */
static void test_garbage(void **state)
{
	unsigned char junk[40] = {1, 0, 0, 0, 200, 0, 0, 0};
	struct proto_hdr h = {.op = PROTO_OPEN, .len = sizeof(h), .id = 7};
	int fd;

	assert_int_equal(send(fx.sock, junk, sizeof(junk), 0), sizeof(junk));
	assert_int_equal(proto_recv(fx.sock, &msg), 0);
	assert_int_equal(msg.reply.result, -EBADMSG);
	assert_int_equal(send(fx.sock, &h, sizeof(h), 0), sizeof(h));
	assert_int_equal(proto_recv(fx.sock, &msg), 0);
	assert_int_equal(msg.reply.result, -EBADMSG);
	assert_int_equal(send(fx.sock, "x", 1, 0), 1);
	assert_int_equal(proto_recv(fx.sock, &msg), 0);
	assert_int_equal(msg.reply.result, -EBADMSG);
	assert_int_equal(proto_send_reply(fx.sock, 9, 0, NULL, -1), 0);
	assert_int_equal(proto_recv(fx.sock, &msg), 0);
	assert_int_equal(msg.reply.result, -EOPNOTSUPP);
	assert_int_equal(open_rd("/etc/passwd", &fd), 0); /* still serving */
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_escape),
	    cmocka_unit_test(test_flag_names),
	    cmocka_unit_test(test_path_join),
	    cmocka_unit_test(test_denied),
	    cmocka_unit_test(test_strip_root),
	    cmocka_unit_test_setup_teardown(test_inside_root, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_relative, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_deny, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_create, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_creds, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_bad_handles, fx_up, fx_down),
	    cmocka_unit_test_setup_teardown(test_garbage, fx_up, fx_down),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
