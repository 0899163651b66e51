// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - command table and global options
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "cmd.h"
#include "fd.h"
#include "proc.h"
#include "log.h"

/**
 * struct cmd - one verb
 * @name:	Verb
 * @fn:		Implementation
 * @help:	One line of usage
 */
struct cmd {
	const char *name;
	int (*fn)(const struct global_opts *g, int argc, char **argv);
	const char *help;
};

static const struct cmd cmds[] = {
    {"install", cmd_install,
     "install [--config FILE] [--runtime NAME] [--uninstall] [-- FLAG...]"},
    {"spec", cmd_spec, "spec [--bundle DIR] [--rootless]"},
    {"do", cmd_do,
     "do [-p [IP:]H:G] [--network=MODE] [--id NAME] -- CMD [ARG]..."},
    {"create", cmd_create,
     "create [--bundle DIR] [--pid-file F] [--console-socket S] ID"},
    {"start", cmd_start, "start ID"},
    {"run", cmd_run, "run [--bundle DIR] [--pid-file F] [--detach] ID"},
    {"state", cmd_state, "state ID"},
    {"kill", cmd_kill, "kill [--all] ID [SIGNAL]"},
    {"delete", cmd_delete, "delete [--force] ID"},
    {"exec", cmd_exec,
     "exec [--process F | ID CMD...] [--detach] [--pid-file F] "
     "[--console-socket S] [--cwd D] [--env K=V] [--user U[:G]] [-t] ID"},
    {"ps", cmd_ps, "ps [--format table|json] ID"},
    {"list", cmd_list, "list [--format table|json] [--quiet]"},
    {"pause", cmd_pause, "pause ID"},
    {"resume", cmd_resume, "resume ID"},
    {"wait", cmd_wait, "wait ID"},
    {"gofer", cmd_gofer,
     "gofer --sock-fd=N [--audit-fd=N] [--file-deny=P]... (internal)"},
};

/**
 * usage() - Print the verbs
 * @f:	Stream
 */
static void usage(FILE *f)
{
	unsigned int i;

	fprintf(
	    f, "usage: runsc [--network=sandbox|none|host] [--debug] "
	       "[--root DIR] [--log FILE] [--log-format text|json] "
	       "[--pcap-log FILE] [--pcap-log-lo FILE] [--overlay=memory|none] "
	       "[--overlay-size SIZE] [--file-access=direct|mediated] "
	       "[--file-audit FILE] [--file-deny PATTERN]... VERB ...\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  runsc %s\n", cmds[i].help);
}

/**
 * valid_size() - Check a tmpfs size: digits, then at most one of k m g
 * @s:	Text
 *
 * Return: true if valid
 */
static bool valid_size(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n && n < 20 && (!s[n] || (strchr("kmgKMG", s[n]) && !s[n + 1]));
}

/**
 * copy_arg() - Keep a flag's value (a copy: argv becomes the process
 * title), replacing the one an earlier instance of the flag gave
 * @dst:	Where the value goes (freed by free_global())
 * @arg:	Value
 *
 * Return: 0 or -ENOMEM
 */
static int copy_arg(const char **dst, const char *arg)
{
	free((void *)*dst);
	*dst = strdup(arg);
	return *dst ? 0 : -ENOMEM;
}

/**
 * parse_file_flag() - The file-system global flags
 * @c:		Option letter
 * @arg:	Its argument
 * @g:		Result
 *
 * Return: 0 or -EINVAL
 */
static int parse_file_flag(int c, const char *arg, struct global_opts *g)
{
	switch (c) {
	case 'A':
		if (strcmp(arg, "mediated") && strcmp(arg, "direct"))
			return -EINVAL;
		g->files.mediated = !strcmp(arg, "mediated");
		return 0;
	case 'U':
		return *arg ? copy_arg(&g->files.audit, arg) : -EINVAL;
	case 'D':
		if (!*arg || strlen(arg) >= 4096 ||
		    g->files.n_deny >= GOFER_MAX_DENY)
			return -EINVAL;
		return copy_arg(&g->files.deny[g->files.n_deny++], arg);
	case 'O':
		if (strcmp(arg, "memory") && strcmp(arg, "none"))
			return -EINVAL;
		g->overlay = !strcmp(arg, "memory");
		return 0;
	default: /* 'S' */
		if (!valid_size(arg))
			return -EINVAL;
		return copy_arg(&g->overlay_size, arg);
	}
}

/**
 * parse_global() - Global flags, up to the verb
 * @argc:	Argument count
 * @argv:	Arguments
 * @g:		Result
 *
 * Unknown global flags are errors; Docker's runtimeArgs land here too.
 *
 * Return: index of the verb, or -EINVAL
 */
static int parse_global(int argc, char **argv, struct global_opts *g)
{
	static const struct option lopts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"log", required_argument, NULL, 'l'},
	    {"log-format", required_argument, NULL, 'f'},
	    {"debug", no_argument, NULL, 'd'},
	    {"network", required_argument, NULL, 'n'},
	    {"pcap-log", required_argument, NULL, 'P'},
	    {"pcap-log-lo", required_argument, NULL, 'L'},
	    {"overlay", required_argument, NULL, 'O'},
	    {"overlay-size", required_argument, NULL, 'S'},
	    {"file-access", required_argument, NULL, 'A'},
	    {"file-audit", required_argument, NULL, 'U'},
	    {"file-deny", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "+", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			g->root = optarg;
			break;
		case 'l':
			g->log = optarg;
			break;
		case 'f':
			g->log_json = !strcmp(optarg, "json");
			break;
		case 'd':
			g->debug = true;
			break;
		case 'n':
			if (!strcmp(optarg, "sandbox"))
				g->network = NET_SANDBOX;
			else if (!strcmp(optarg, "none"))
				g->network = NET_NONE;
			else if (!strcmp(optarg, "host"))
				g->network = NET_HOST;
			else
				return -EINVAL;
			break;
		case 'P':
			if (copy_arg(&g->pcap_log, optarg))
				return -ENOMEM;
			break;
		case 'L':
			if (copy_arg(&g->pcap_log_lo, optarg))
				return -ENOMEM;
			break;
		case 'O':
		case 'S':
		case 'A':
		case 'U':
		case 'D':
			if (parse_file_flag(c, optarg, g))
				return -EINVAL;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	return optind < argc ? optind : -EINVAL;
}

/**
 * free_global() - Free the strings parse_global() copied out of argv
 * @g:	Options; their copied strings are not used after this
 */
static void free_global(struct global_opts *g)
{
	int i;

	free((void *)g->pcap_log);
	free((void *)g->pcap_log_lo);
	free((void *)g->overlay_size);
	free((void *)g->files.audit);
	for (i = 0; i < g->files.n_deny; i++)
		free((void *)g->files.deny[i]);
}

/**
 * run_verb() - Check the global flags together and run the verb
 * @g:		Options
 * @argc:	Arguments from the verb on
 * @argv:	Them
 *
 * Return: the verb's exit status, or 125
 */
static int run_verb(const struct global_opts *g, int argc, char **argv)
{
	int i;

	if (!g->files.mediated && (g->files.audit || g->files.n_deny)) {
		err("--file-audit and --file-deny need --file-access=mediated");
		return 125;
	}
	for (i = 0; i < (int)ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].fn(g, argc, argv);
	err("unknown verb '%s'", argv[0]);
	usage(stderr);
	return 125;
}

/**
 * main() - Parse global flags and run one verb
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: the verb's exit status
 */
int main(int argc, char **argv)
{
	struct global_opts g = {
	    .root = "/run/runsc", .network = NET_SANDBOX, .overlay = true};
	int r, v, fd = 2;

	proc_title_init(argc, argv);
	v = parse_global(argc, argv, &g);
	/* descriptors of whoever started us (Docker's shim leaks some) must
	 * reach neither the sandbox nor the guest; the gofer's were donated
	 * by the sentry (gofer_main() closes the others) */
	if (v < 0 || strcmp(argv[v], "gofer"))
		fd_close_from(3, NULL, 0);
	if (g.log) {
		fd = open(g.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			  0644);
		if (fd < 0)
			fd = 2;
	}
	log_setup(fd, g.log_json, g.debug ? LOG_LVL_DEBUG : LOG_LVL_WARN,
		  "runsc");
	if (v < 0) {
		usage(stderr);
		r = 125;
	} else {
		r = run_verb(&g, argc - v, argv + v);
	}
	free_global(&g);
	return r;
}
