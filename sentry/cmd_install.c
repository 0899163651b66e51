// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_install.c - `runsc install`: register this binary with dockerd
 *
 *   runsc install [--config FILE] [--runtime NAME] [--uninstall]
 *                 [-- FLAG...]
 *
 * Adds (or with --uninstall removes) runtimes.NAME in Docker's daemon.json
 * (default /etc/docker/daemon.json, default NAME "runsc"), pointing at this
 * binary as /proc/self/exe names it, with FLAG... as its runtimeArgs:
 * dockerd puts them before the global flags of every call, so they are
 * runsc's own global flags (--network=host, --debug, ...). The edit itself
 * is daemoncfg.c's; this file parses the flags, finds the binary and says
 * what happened. The exit status is 0 (also when nothing had to change),
 * 1 on failure (the file is then left as it was), 2 on a usage error.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "daemoncfg.h"
#include "log.h"

#define INSTALL_CONFIG "/etc/docker/daemon.json"
#define INSTALL_NAME "runsc"
#define INSTALL_RELOAD "reload dockerd: kill -HUP $(pidof dockerd)"
#define INSTALL_USAGE                                                          \
	"usage: runsc install [--config FILE] [--runtime NAME] "               \
	"[--uninstall] [-- FLAG...]"

/**
 * struct install_opts - parsed `runsc install` flags
 * @config:	daemon.json path
 * @name:	Runtime name
 * @uninstall:	--uninstall
 * @flags:	runtimeArgs: the arguments after "--"
 * @nflags:	Number of @flags
 */
struct install_opts {
	const char *config;
	const char *name;
	bool uninstall;
	char **flags;
	int nflags;
};

/**
 * parse_args() - `runsc install` flags
 * @argc:	Argument count (argv[0] is "install")
 * @argv:	Arguments
 * @o:		Result
 *
 * Runtime flags must follow "--", so that a misspelt install flag is an
 * error and not a runtimeArgs entry.
 *
 * Return: 0, or -EINVAL after printing what is wrong
 */
static int parse_args(int argc, char **argv, struct install_opts *o)
{
	static const struct option lopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"runtime", required_argument, NULL, 'r'},
	    {"uninstall", no_argument, NULL, 'u'},
	    {NULL, 0, NULL, 0},
	};
	const char *last = NULL;
	int c;

	*o = (struct install_opts){.config = INSTALL_CONFIG,
				   .name = INSTALL_NAME};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", lopts, NULL)) != -1) {
		if (c == 'c')
			o->config = last = optarg;
		else if (c == 'r')
			o->name = last = optarg;
		else if (c == 'u')
			o->uninstall = true;
		else
			break;
	}
	if (c == ':') {
		err("install: %s needs an argument", argv[optind - 1]);
		return -EINVAL;
	}
	if (c != -1 || (optind < argc && (argv[optind - 1] == last ||
					  strcmp(argv[optind - 1], "--")))) {
		err("install: unexpected argument '%s' (" INSTALL_USAGE ")",
		    c != -1 ? argv[optind - 1] : argv[optind]);
		return -EINVAL;
	}
	o->flags = argv + optind;
	o->nflags = argc - optind;
	if (o->uninstall && o->nflags) {
		err("install: --uninstall takes no runtime flags");
		return -EINVAL;
	}
	if (!o->config[0]) {
		err("install: --config needs a file name");
		return -EINVAL;
	}
	return 0;
}

/**
 * self_path() - Absolute path of this binary
 * @buf:	Destination
 * @len:	Size of @buf
 *
 * Return: 0, or -ENOENT if the binary was deleted, other -errno
 * #syscalls:setup readlink
 */
static int self_path(char *buf, size_t len)
{
	static const char deleted[] = " (deleted)";
	ssize_t n = readlink("/proc/self/exe", buf, len);
	size_t d = sizeof(deleted) - 1;

	if (n < 0)
		return -errno;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	if ((size_t)n > d && !strcmp(buf + n - d, deleted))
		return -ENOENT;
	return 0;
}

/**
 * cmdline() - The runtime's command line, for messages
 * @exe:	Binary
 * @o:		Options (runtime flags)
 * @buf:	Destination, cut short if too small
 * @len:	Size of @buf
 */
static void cmdline(const char *exe, const struct install_opts *o, char *buf,
		    size_t len)
{
	size_t n;
	int i;

	snprintf(buf, len, "%s", exe);
	for (i = 0; i < o->nflags; i++) {
		n = strlen(buf);
		snprintf(buf + n, len - n, " %s", o->flags[i]);
	}
}

/**
 * say() - Tell the user what was done
 * @o:		Options
 * @cmd:	The runtime's command line
 * @res:	What daemoncfg_apply() did
 */
static void say(const struct install_opts *o, const char *cmd,
		const struct daemoncfg_res *res)
{
	const char *pre = "runsc install:";

	switch (res->action) {
	case DAEMONCFG_REPLACED:
		printf("%s note: replacing the existing runtime \"%s\": %s\n",
		       pre, o->name, res->old);
		/* fall through */
	case DAEMONCFG_ADDED:
		printf("%s %s runtime \"%s\" (%s) %s %s; " INSTALL_RELOAD "\n",
		       pre, daemoncfg_action_str(res->action), o->name, cmd,
		       res->action == DAEMONCFG_ADDED ? "to" : "in", o->config);
		break;
	case DAEMONCFG_UNCHANGED:
		printf("%s runtime \"%s\" (%s) is already in %s; nothing to "
		       "do\n",
		       pre, o->name, cmd, o->config);
		break;
	case DAEMONCFG_REMOVED:
		printf("%s removed runtime \"%s\" from %s; " INSTALL_RELOAD
		       "\n",
		       pre, o->name, o->config);
		break;
	default:
		printf("%s runtime \"%s\" is not in %s; nothing to do\n", pre,
		       o->name, o->config);
	}
}

/**
 * cmd_install() - `runsc install`
 * @g:		Global options (unused)
 * @argc:	Argument count (argv[0] is "install")
 * @argv:	Arguments
 *
 * Return: exit status: 0, 1 on failure, 2 on a usage error
 */
int cmd_install(const struct global_opts *g, int argc, char **argv)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 512];
	struct daemoncfg_op op = {0};
	struct daemoncfg_res res;
	struct install_opts o;
	int ret;

	UNUSED(g);
	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (daemoncfg_name_valid(o.name, res.msg, sizeof(res.msg)) < 0) {
		err("install: %s", res.msg);
		return 2;
	}
	ret = self_path(exe, sizeof(exe));
	if (ret < 0) {
		err_errno(ret, "install: finding this binary (/proc/self/exe)");
		return 1;
	}
	op = (struct daemoncfg_op){.name = o.name,
				   .path = exe,
				   .args = (const char *const *)o.flags,
				   .nargs = (size_t)o.nflags,
				   .uninstall = o.uninstall};
	if (daemoncfg_apply(o.config, &op, &res) < 0) {
		err("install: %s (nothing written)", res.msg);
		return 1;
	}
	cmdline(exe, &o, cmd, sizeof(cmd));
	say(&o, cmd, &res);
	return 0;
}
