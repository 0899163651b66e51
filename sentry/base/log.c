// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - text or JSON-lines logging on a pre-opened fd
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base.h"

static int log_out = 2;
static bool log_json;
static char log_last[512]; /* text of the last error line */
static enum log_level log_max = LOG_LVL_INFO;
static const char *log_prefix = "runsc";

static const char *const log_level_str[] = {
    "error", "warning", "info", "debug", "trace",
};
static_assert(ARRAY_SIZE(log_level_str) == LOG_LVL_NUM,
	      "log_level_str out of sync");

/**
 * log_setup() - Choose the sink, format and verbosity
 * @fd:		Destination fd (not owned; stays open for the process)
 * @json:	Write JSON lines instead of text
 * @max:	Most verbose level written
 * @prefix:	Program name for text lines
 */
void log_setup(int fd, bool json, enum log_level max, const char *prefix)
{
	log_out = fd;
	log_json = json;
	log_max = max;
	log_prefix = prefix;
}

/**
 * log_enabled() - Tell whether a level would be written
 * @lvl:	Level
 *
 * Return: true if messages at @lvl reach the sink
 */
bool log_enabled(enum log_level lvl)
{
	return lvl <= log_max;
}

/**
 * json_quote() - Write @s as a JSON string, quotes included
 * @out:	Buffer
 * @cap:	Its size
 * @s:		NUL-terminated bytes, not necessarily UTF-8
 *
 * Quotes, backslashes and control characters are escaped; bytes that are
 * not part of valid UTF-8 become \u00XX, so the line stays valid JSON.
 *
 * Return: length written (NUL excluded), or -ENOSPC
 */
int json_quote(char *out, size_t cap, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, need, k, i;
	char tmp[8];

	if (cap < 3)
		return -ENOSPC;
	out[n++] = '"';
	while (*p) {
		k = 1;
		if (*p >= 0xc2 && *p <= 0xf4) { /* lead byte: length of seq */
			k = *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
			for (i = 1; i < k; i++)
				if ((p[i] & 0xc0) != 0x80)
					break;
			if (i < k || (*p == 0xe0 && p[1] < 0xa0) ||
			    (*p == 0xed && p[1] > 0x9f) ||
			    (*p == 0xf0 && p[1] < 0x90) ||
			    (*p == 0xf4 && p[1] > 0x8f))
				k = 0; /* invalid or overlong */
		} else if (*p >= 0x80) {
			k = 0;
		}
		if (k > 1) {
			memcpy(tmp, p, k);
			need = k;
		} else if (*p == '"' || *p == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)*p;
			need = 2;
		} else if (k == 0 || *p < 0x20 || *p == 0x7f) {
			need =
			    (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", *p);
			k = 1;
		} else {
			tmp[0] = (char)*p;
			need = 1;
		}
		if (n + need + 2 > cap)
			return -ENOSPC;
		memcpy(out + n, tmp, need);
		n += need;
		p += k;
	}
	out[n++] = '"';
	out[n] = '\0';
	return (int)n;
}

/**
 * log_msg() - Format and write one message
 * @lvl:	Level
 * @errnum:	Positive errno to append as ": strerror", or 0
 * @fmt:	printf format
 */
void log_msg(enum log_level lvl, int errnum, const char *fmt, ...)
{
	int saved = errno;
	char msg[1024], esc[6 * 1024 + 3], line[6 * 1024 + 128];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if (lvl > log_max)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (errnum && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s",
			 strerror(errnum));
	if (lvl == LOG_LVL_ERR)
		snprintf(log_last, sizeof(log_last), "%.*s",
			 (int)sizeof(log_last) - 1, msg);
	if (log_json) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		json_quote(esc, sizeof(esc), msg); /* fits: 6 bytes a byte */
		n = snprintf(line, sizeof(line),
			     "{\"level\":\"%s\",\"msg\":%s,\"time\":"
			     "\"%04d-%02d-%02dT%02d:%02d:%02dZ\"}\n",
			     log_level_str[lvl], esc, tm.tm_year + 1900,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			     tm.tm_sec);
	} else {
		n = snprintf(line, sizeof(line), "%s: %s%s\n", log_prefix,
			     lvl == LOG_LVL_ERR	   ? ""
			     : lvl == LOG_LVL_WARN ? "warning: "
						   : "",
			     msg);
	}
	if (n > 0 && write(log_out, line, MIN((size_t)n, sizeof(line) - 1)) < 0)
		n = 0;
	errno = saved;
}

/**
 * die() - Log an error and exit with status 1 (setup paths only)
 * @fmt:	printf format
 */
void die(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_LVL_ERR, 0, "%s", msg);
	_exit(1);
}

/**
 * base_assert_fail() - Report a broken invariant and abort
 * @expr:	Expression text
 * @file:	Source file
 * @line:	Source line
 * @func:	Function name
 */
void base_assert_fail(const char *expr, const char *file, int line,
		      const char *func)
{
	log_msg(LOG_LVL_ERR, 0, "assertion failed: %s (%s:%d %s)", expr, file,
		line, func);
	abort();
}

/**
 * log_is_json() - Are log lines JSON (--log-format json)?
 *
 * Return: true for JSON lines
 */
bool log_is_json(void)
{
	return log_json;
}

/**
 * log_get_fd() - The descriptor log lines go to
 *
 * Return: fd (2 unless log_setup() chose another)
 */
int log_get_fd(void)
{
	return log_out;
}

/**
 * log_last_error() - Text of the last error logged by this process
 *
 * Return: the message, "" if none
 */
const char *log_last_error(void)
{
	return log_last;
}
