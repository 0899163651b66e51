/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * base.h - small helpers every module may use
 *
 * Nothing here allocates or logs except ASSERT(), which logs the failed
 * expression with file, line and function, then aborts: it is for
 * invariants of our own code, never for input from a guest or a peer.
 */
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define BIT(n) (1UL << (n))
#define UNUSED(x) ((void)(x))

void base_assert_fail(const char *expr, const char *file, int line,
		      const char *func) __attribute__((noreturn));

#define ASSERT(expr)                                                           \
	do {                                                                   \
		if (!(expr))                                                   \
			base_assert_fail(#expr, __FILE__, __LINE__, __func__); \
	} while (0)
