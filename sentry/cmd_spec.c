// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_spec.c - `runsc spec`: write a default config.json, as `runc spec` does
 *
 *   runsc spec [--bundle DIR] [--rootless]
 *
 * The document is runc 1.1's default spec, byte for byte in the same
 * layout (tab indent, no final newline), except "hostname", which is
 * "runsc": `sh` on a terminal as root in a read-only "rootfs", the
 * capabilities AUDIT_WRITE, KILL and NET_BIND_SERVICE, RLIMIT_NOFILE 1024,
 * no_new_privs, the proc/dev/devpts/shm/mqueue/sys/cgroup mounts, runc's
 * masked and read-only paths, all devices denied, and new pid, network,
 * ipc, uts and mount namespaces. --rootless makes runc's rootless changes:
 * a user namespace mapping root to the caller's effective uid and gid
 * instead of a network namespace, /sys bind-mounted from the host, no
 * gid= on devpts and no resources.
 *
 * The text is assembled from fixed pieces rather than through jansson
 * (which lives in spec.c); sentry_cmd_spec.c checks that spec_parse()
 * accepts both variants. An existing config.json is never overwritten.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "fd.h"
#include "log.h"

#define SPEC_FILE "config.json"

/* from the top down to the capability sets */
static const char spec_head[] =
    "{\n"
    "\t\"ociVersion\": \"1.0.2-dev\",\n"
    "\t\"process\": {\n"
    "\t\t\"terminal\": true,\n"
    "\t\t\"user\": {\n"
    "\t\t\t\"uid\": 0,\n"
    "\t\t\t\"gid\": 0\n"
    "\t\t},\n"
    "\t\t\"args\": [\n"
    "\t\t\t\"sh\"\n"
    "\t\t],\n"
    "\t\t\"env\": [\n"
    "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:"
    "/bin\",\n"
    "\t\t\t\"TERM=xterm\"\n"
    "\t\t],\n"
    "\t\t\"cwd\": \"/\",\n"
    "\t\t\"capabilities\": {\n";

/* after the capability sets, down to the devpts "mode=0620" option */
static const char spec_proc[] = "\t\t},\n"
				"\t\t\"rlimits\": [\n"
				"\t\t\t{\n"
				"\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
				"\t\t\t\t\"hard\": 1024,\n"
				"\t\t\t\t\"soft\": 1024\n"
				"\t\t\t}\n"
				"\t\t],\n"
				"\t\t\"noNewPrivileges\": true\n"
				"\t},\n"
				"\t\"root\": {\n"
				"\t\t\"path\": \"rootfs\",\n"
				"\t\t\"readonly\": true\n"
				"\t},\n"
				"\t\"hostname\": \"runsc\",\n"
				"\t\"mounts\": [\n"
				"\t\t{\n"
				"\t\t\t\"destination\": \"/proc\",\n"
				"\t\t\t\"type\": \"proc\",\n"
				"\t\t\t\"source\": \"proc\"\n"
				"\t\t},\n"
				"\t\t{\n"
				"\t\t\t\"destination\": \"/dev\",\n"
				"\t\t\t\"type\": \"tmpfs\",\n"
				"\t\t\t\"source\": \"tmpfs\",\n"
				"\t\t\t\"options\": [\n"
				"\t\t\t\t\"nosuid\",\n"
				"\t\t\t\t\"strictatime\",\n"
				"\t\t\t\t\"mode=755\",\n"
				"\t\t\t\t\"size=65536k\"\n"
				"\t\t\t]\n"
				"\t\t},\n"
				"\t\t{\n"
				"\t\t\t\"destination\": \"/dev/pts\",\n"
				"\t\t\t\"type\": \"devpts\",\n"
				"\t\t\t\"source\": \"devpts\",\n"
				"\t\t\t\"options\": [\n"
				"\t\t\t\t\"nosuid\",\n"
				"\t\t\t\t\"noexec\",\n"
				"\t\t\t\t\"newinstance\",\n"
				"\t\t\t\t\"ptmxmode=0666\",\n"
				"\t\t\t\t\"mode=0620\"";

/* one capability set, printed with its name */
static const char spec_caps[] = "\t\t\t\"%s\": [\n"
				"\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
				"\t\t\t\t\"CAP_KILL\",\n"
				"\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
				"\t\t\t]%s\n";

/* the rest of devpts, shm, mqueue, and /sys up to its options */
static const char spec_mid[] = "\n"
			       "\t\t\t]\n"
			       "\t\t},\n"
			       "\t\t{\n"
			       "\t\t\t\"destination\": \"/dev/shm\",\n"
			       "\t\t\t\"type\": \"tmpfs\",\n"
			       "\t\t\t\"source\": \"shm\",\n"
			       "\t\t\t\"options\": [\n"
			       "\t\t\t\t\"nosuid\",\n"
			       "\t\t\t\t\"noexec\",\n"
			       "\t\t\t\t\"nodev\",\n"
			       "\t\t\t\t\"mode=1777\",\n"
			       "\t\t\t\t\"size=65536k\"\n"
			       "\t\t\t]\n"
			       "\t\t},\n"
			       "\t\t{\n"
			       "\t\t\t\"destination\": \"/dev/mqueue\",\n"
			       "\t\t\t\"type\": \"mqueue\",\n"
			       "\t\t\t\"source\": \"mqueue\",\n"
			       "\t\t\t\"options\": [\n"
			       "\t\t\t\t\"nosuid\",\n"
			       "\t\t\t\t\"noexec\",\n"
			       "\t\t\t\t\"nodev\"\n"
			       "\t\t\t]\n"
			       "\t\t},\n"
			       "\t\t{\n"
			       "\t\t\t\"destination\": \"/sys\",\n";

/* /sys as root (a new sysfs) */
static const char spec_sys[] = "\t\t\t\"type\": \"sysfs\",\n"
			       "\t\t\t\"source\": \"sysfs\",\n"
			       "\t\t\t\"options\": [\n";

/* /sys rootless (a bind mount of the host's) */
static const char spec_sys_rootless[] = "\t\t\t\"type\": \"none\",\n"
					"\t\t\t\"source\": \"/sys\",\n"
					"\t\t\t\"options\": [\n"
					"\t\t\t\t\"rbind\",\n";

/* the rest of /sys, the cgroup mount, up to the linux members */
static const char spec_cgroup[] = "\t\t\t\t\"nosuid\",\n"
				  "\t\t\t\t\"noexec\",\n"
				  "\t\t\t\t\"nodev\",\n"
				  "\t\t\t\t\"ro\"\n"
				  "\t\t\t]\n"
				  "\t\t},\n"
				  "\t\t{\n"
				  "\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"
				  "\t\t\t\"type\": \"cgroup\",\n"
				  "\t\t\t\"source\": \"cgroup\",\n"
				  "\t\t\t\"options\": [\n"
				  "\t\t\t\t\"nosuid\",\n"
				  "\t\t\t\t\"noexec\",\n"
				  "\t\t\t\t\"nodev\",\n"
				  "\t\t\t\t\"relatime\",\n"
				  "\t\t\t\t\"ro\"\n"
				  "\t\t\t]\n"
				  "\t\t}\n"
				  "\t],\n"
				  "\t\"linux\": {\n";

/* linux.resources as root: every device denied */
static const char spec_resources[] = "\t\t\"resources\": {\n"
				     "\t\t\t\"devices\": [\n"
				     "\t\t\t\t{\n"
				     "\t\t\t\t\t\"allow\": false,\n"
				     "\t\t\t\t\t\"access\": \"rwm\"\n"
				     "\t\t\t\t}\n"
				     "\t\t\t]\n"
				     "\t\t},\n";

/* one uidMappings or gidMappings member mapping root to @id */
static const char spec_idmap[] = "\t\t\"%s\": [\n"
				 "\t\t\t{\n"
				 "\t\t\t\t\"containerID\": 0,\n"
				 "\t\t\t\t\"hostID\": %u,\n"
				 "\t\t\t\t\"size\": 1\n"
				 "\t\t\t}\n"
				 "\t\t],\n";

/* one linux.namespaces entry */
static const char spec_ns[] = "\t\t\t{\n"
			      "\t\t\t\t\"type\": \"%s\"\n"
			      "\t\t\t}%s\n";

/* after the namespaces: masked and read-only paths, and the end */
static const char spec_tail[] = "\t\t],\n"
				"\t\t\"maskedPaths\": [\n"
				"\t\t\t\"/proc/acpi\",\n"
				"\t\t\t\"/proc/asound\",\n"
				"\t\t\t\"/proc/kcore\",\n"
				"\t\t\t\"/proc/keys\",\n"
				"\t\t\t\"/proc/latency_stats\",\n"
				"\t\t\t\"/proc/timer_list\",\n"
				"\t\t\t\"/proc/timer_stats\",\n"
				"\t\t\t\"/proc/sched_debug\",\n"
				"\t\t\t\"/sys/firmware\",\n"
				"\t\t\t\"/proc/scsi\"\n"
				"\t\t],\n"
				"\t\t\"readonlyPaths\": [\n"
				"\t\t\t\"/proc/bus\",\n"
				"\t\t\t\"/proc/fs\",\n"
				"\t\t\t\"/proc/irq\",\n"
				"\t\t\t\"/proc/sys\",\n"
				"\t\t\t\"/proc/sysrq-trigger\"\n"
				"\t\t]\n"
				"\t}\n"
				"}";

static const char *const ns_root[] = {"pid", "network", "ipc", "uts", "mount"};
static const char *const ns_rootless[] = {"pid", "ipc", "uts", "mount", "user"};

/**
 * fclosep() - Cleanup helper: close a stream, if any
 * @f:	Address of a FILE pointer
 */
static void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/**
 * put_process() - The top, the process object and the first mounts
 * @f:	Stream
 */
static void put_process(FILE *f)
{
	static const char *const sets[] = {"bounding", "effective", "permitted",
					   "ambient"};
	size_t i;

	fputs(spec_head, f);
	for (i = 0; i < ARRAY_SIZE(sets); i++)
		fprintf(f, spec_caps, sets[i],
			i + 1 < ARRAY_SIZE(sets) ? "," : "");
	fputs(spec_proc, f);
}

/**
 * put_linux() - The linux object's variable part, up to the namespaces
 * @f:		Stream
 * @rootless:	Rootless variant
 */
static void put_linux(FILE *f, bool rootless)
{
	const char *const *ns = rootless ? ns_rootless : ns_root;
	size_t i, n = rootless ? ARRAY_SIZE(ns_rootless) : ARRAY_SIZE(ns_root);

	if (rootless) {
		fprintf(f, spec_idmap, "uidMappings", (unsigned int)geteuid());
		fprintf(f, spec_idmap, "gidMappings", (unsigned int)getegid());
	} else {
		fputs(spec_resources, f);
	}
	fputs("\t\t\"namespaces\": [\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, spec_ns, ns[i], i + 1 < n ? "," : "");
}

/**
 * cmd_spec_json() - The default config.json text
 * @rootless:	runc's rootless variant, mapping root to the caller's
 *		effective uid and gid
 * @out:	Set to a new NUL-terminated string, freed by the caller
 *
 * Return: 0, or -ENOMEM
 */
int cmd_spec_json(bool rootless, char **out)
{
	_cleanup_free_ char *buf = NULL; /* freed after f is closed */
	__attribute__((cleanup(fclosep))) FILE *f = NULL;
	size_t len = 0;
	int bad;

	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	put_process(f);
	if (!rootless)
		fputs(",\n\t\t\t\t\"gid=5\"", f);
	fputs(spec_mid, f);
	fputs(rootless ? spec_sys_rootless : spec_sys, f);
	fputs(spec_cgroup, f);
	put_linux(f, rootless);
	fputs(spec_tail, f);
	bad = ferror(f);
	if (fclose(TAKE_PTR(f)) || bad)
		return -ENOMEM;
	*out = TAKE_PTR(buf);
	return 0;
}

/**
 * parse_args() - `runsc spec` flags
 * @argc:	Argument count (argv[0] is "spec")
 * @argv:	Arguments
 * @bundle:	Set to the bundle directory (default ".")
 * @rootless:	Set for --rootless
 *
 * Return: 0, or -EINVAL after printing what is wrong
 */
static int parse_args(int argc, char **argv, const char **bundle,
		      bool *rootless)
{
	static const struct option lopts[] = {
	    {"bundle", required_argument, NULL, 'b'},
	    {"rootless", no_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*bundle = ".";
	*rootless = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:b:", lopts, NULL)) != -1) {
		if (c == 'b') {
			*bundle = optarg;
		} else if (c == 'R') {
			*rootless = true;
		} else if (c == ':') {
			err("spec: %s needs an argument", argv[optind - 1]);
			return -EINVAL;
		} else {
			err("spec: bad argument '%s' (usage: runsc spec "
			    "[--bundle DIR] [--rootless])",
			    argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		err("spec: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/**
 * write_spec() - Create DIR/config.json with @text, never replacing one
 * @bundle:	Bundle directory
 * @text:	Contents
 *
 * Return: 0, or -EEXIST, other -errno (logged here)
 * #syscalls:setup openat write close unlinkat
 */
static int write_spec(const char *bundle, const char *text)
{
	_cleanup_close_ int dfd = -1;
	_cleanup_close_ int fd = -1;
	int ret;

	dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		ret = -errno;
		err_errno(ret, "spec: bundle %s", bundle);
		return ret;
	}
	fd = openat(dfd, SPEC_FILE,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		ret = -errno;
		if (ret == -EEXIST)
			err("spec: File " SPEC_FILE " exists. Remove it first");
		else
			err_errno(ret, "spec: creating %s/" SPEC_FILE, bundle);
		return ret;
	}
	ret = write_all(fd, text, strlen(text));
	if (!ret && close(TAKE_FD(fd)) < 0)
		ret = -errno;
	if (ret) {
		err_errno(ret, "spec: writing %s/" SPEC_FILE, bundle);
		unlinkat(dfd, SPEC_FILE, 0);
	}
	return ret;
}

/**
 * cmd_spec() - `runsc spec`
 * @g:		Global options (unused)
 * @argc:	Argument count (argv[0] is "spec")
 * @argv:	Arguments
 *
 * Return: exit status: 0, 1 on failure, 2 on a usage error
 */
int cmd_spec(const struct global_opts *g, int argc, char **argv)
{
	_cleanup_free_ char *text = NULL;
	const char *bundle;
	bool rootless;

	UNUSED(g);
	if (parse_args(argc, argv, &bundle, &rootless) < 0)
		return 2;
	if (cmd_spec_json(rootless, &text) < 0) {
		err("spec: out of memory");
		return 1;
	}
	return write_spec(bundle, text) < 0 ? 1 : 0;
}
