// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcaplog.c - --pcap-log and --pcap-log-lo: capture files from the start
 *
 * See pcaplog.h for the theory of operation.
 */
#include "pcaplog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "log.h"
#include "tap/tap.h"

/**
 * struct pcaplog_file - one capture file
 * @path:	Expanded path
 * @slot:	Capture sink, -1 if none
 * @created:	We created the file (so a failed start removes it)
 */
struct pcaplog_file {
	char path[PATH_MAX];
	int slot;
	bool created;
};

static struct pcaplog_file files[2] = {{.slot = -1}, {.slot = -1}};

/**
 * put() - Append text to an expansion
 * @buf:	Destination
 * @len:	Its size
 * @at:		Current length, advanced
 * @s:		Text
 * @n:		Its length
 *
 * Return: 0, or -ENAMETOOLONG
 */
static int put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
	if (*at + n >= len)
		return -ENAMETOOLONG;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
	return 0;
}

/**
 * pcaplog_expand() - Replace %ID% and %TIMESTAMP% in a path
 * @pattern:	Path with placeholders; other text, and unknown %NAME%, is
 *		kept as it is
 * @id:		Container id
 * @now:	Start time (CLOCK_REALTIME); %TIMESTAMP% is its UTC form
 *		YYYYMMDD-HHMMSS.uuuuuu, as gVisor writes it
 * @buf:	Result
 * @len:	Size of @buf
 *
 * Return: 0, or -ENAMETOOLONG, -EINVAL (empty pattern or result)
 */
int pcaplog_expand(const char *pattern, const char *id,
		   const struct timespec *now, char *buf, size_t len)
{
	char ts[40];
	size_t at = 0, n;
	const char *p;
	struct tm tm;
	int r = 0;

	if (!len || !pattern[0])
		return -EINVAL;
	buf[0] = '\0';
	gmtime_r(&now->tv_sec, &tm);
	n = strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%06ld", now->tv_nsec / 1000);
	for (p = pattern; *p && !r;) {
		if (!strncmp(p, "%ID%", 4)) {
			r = put(buf, len, &at, id, strlen(id));
			p += 4;
		} else if (!strncmp(p, "%TIMESTAMP%", 11)) {
			r = put(buf, len, &at, ts, strlen(ts));
			p += 11;
		} else {
			r = put(buf, len, &at, p++, 1);
		}
	}
	return r;
}

/**
 * open_file() - Create one capture file and its sink
 * @f:		File, with @f->path set
 * @ifaces:	TAP_CAP_* bits it gets
 * @flag:	Option name, for messages
 *
 * Return: 0 or -errno (logged)
 * #syscalls:setup stat open
 */
static int open_file(struct pcaplog_file *f, unsigned int ifaces,
		     const char *flag)
{
	struct stat st;
	int fd, r;

	f->created = stat(f->path, &st) < 0 && errno == ENOENT;
	fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		f->created = false;
		err_errno(r, "%s: cannot write %s", flag, f->path);
		return r;
	}
	r = tap_cap_log_open(fd, ifaces, 0);
	if (r < 0) {
		err_errno(r, "%s: starting the capture into %s", flag, f->path);
		return r;
	}
	f->slot = r;
	return 0;
}

/**
 * pcaplog_open() - Create the capture files asked for
 * @eth:	--pcap-log path pattern, NULL for none
 * @lo:		--pcap-log-lo path pattern, NULL for none
 * @id:		Container id, for %ID%
 * @mode:	Network mode (host networking has nothing to capture)
 *
 * Setup stage. On failure nothing is left: files made here are removed.
 *
 * Return: 0 or -errno (logged)
 */
int pcaplog_open(const char *eth, const char *lo, const char *id,
		 enum net_mode mode)
{
	const char *pat[2] = {eth, lo},
		   *flag[2] = {"--pcap-log", "--pcap-log-lo"};
	unsigned int ifaces[2] = {TAP_CAP_ETH0, TAP_CAP_LO};
	struct timespec now;
	int i, r = 0;

	if (!eth && !lo)
		return 0;
	if (mode == NET_HOST) {
		err("%s: needs --network=sandbox or none (host networking is "
		    "not seen by the sentry)",
		    eth ? flag[0] : flag[1]);
		return -EINVAL;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < 2 && !r; i++) {
		if (!pat[i])
			continue;
		r = pcaplog_expand(pat[i], id, &now, files[i].path,
				   sizeof(files[i].path));
		if (r < 0)
			err_errno(r, "%s: bad path '%s'", flag[i], pat[i]);
	}
	if (!r && eth && lo && !strcmp(files[0].path, files[1].path)) {
		ifaces[0] |= TAP_CAP_LO; /* one file for both */
		pat[1] = NULL;
	}
	for (i = 0; i < 2 && !r; i++)
		if (pat[i])
			r = open_file(&files[i], ifaces[i], flag[i]);
	if (r < 0)
		pcaplog_close(true);
	return r;
}

/**
 * pcaplog_close() - End the capture files
 * @discard:	The sandbox never ran: remove the files we created
 * #syscalls write close
 */
void pcaplog_close(bool discard)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		if (files[i].slot >= 0)
			tap_cap_close(files[i].slot);
		if (discard && files[i].created)
			unlink(files[i].path);
		files[i].slot = -1;
		files[i].created = false;
	}
}
