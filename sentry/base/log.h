/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the one logging vocabulary
 *
 * Messages are lowercase, name the object, and have no trailing period or
 * newline. The sink is a pre-opened fd (stderr by default, or the OCI
 * --log file) in text or JSON-lines format ({"level","msg","time"}).
 * Logging never changes errno.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
	LOG_LVL_TRACE,
	LOG_LVL_NUM,
};

void log_setup(int fd, bool json, enum log_level max, const char *prefix);
void log_msg(enum log_level lvl, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
bool log_enabled(enum log_level lvl);
bool log_is_json(void);
int log_get_fd(void);
const char *log_last_error(void);
int json_quote(char *out, size_t cap, const char *s);

#define err(...) log_msg(LOG_LVL_ERR, 0, __VA_ARGS__)
#define warn(...) log_msg(LOG_LVL_WARN, 0, __VA_ARGS__)
#define info(...) log_msg(LOG_LVL_INFO, 0, __VA_ARGS__)
#define debug(...)                                                             \
	do {                                                                   \
		if (log_enabled(LOG_LVL_DEBUG))                                \
			log_msg(LOG_LVL_DEBUG, 0, __VA_ARGS__);                \
	} while (0)
#define trace(...)                                                             \
	do {                                                                   \
		if (log_enabled(LOG_LVL_TRACE))                                \
			log_msg(LOG_LVL_TRACE, 0, __VA_ARGS__);                \
	} while (0)
/* The *_errno forms take a negative errno (as our functions return). */
#define err_errno(e, ...) log_msg(LOG_LVL_ERR, -(e), __VA_ARGS__)
#define warn_errno(e, ...) log_msg(LOG_LVL_WARN, -(e), __VA_ARGS__)
#define debug_errno(e, ...)                                                    \
	do {                                                                   \
		if (log_enabled(LOG_LVL_DEBUG))                                \
			log_msg(LOG_LVL_DEBUG, -(e), __VA_ARGS__);             \
	} while (0)
