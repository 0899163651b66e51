/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cc.h - lwIP architecture glue for Linux/glibc, NO_SYS=1
 *
 * lwIP includes this from lwip/arch.h. Only what glibc does not already
 * provide through lwIP's defaults is defined here: byte order, the
 * diagnostic and assertion hooks, and LWIP_RAND(), which draws from a
 * getrandom()-seeded PRNG in netstack/core.c.
 */
#pragma once

#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

/* glibc's <endian.h> defines BYTE_ORDER and LITTLE_ENDIAN (1234) */
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define lwip_htons(x) __builtin_bswap16(x)
#define lwip_htonl(x) __builtin_bswap32(x)
#endif
/* htons() and friends come from <arpa/inet.h>, not lwIP */
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1

/* glibc has these; lwIP would otherwise define its own copies. */
#define LWIP_TIMEVAL_PRIVATE 0
#define LWIP_ERRNO_STDINCLUDE 1

uint32_t ns_lwip_rand(void);
#define LWIP_RAND() ns_lwip_rand()

#define LWIP_PLATFORM_DIAG(x)                                                  \
	do {                                                                   \
		printf x;                                                      \
	} while (0)

void ns_lwip_assert(const char *msg, const char *file, int line)
    __attribute__((noreturn));
#define LWIP_PLATFORM_ASSERT(x) ns_lwip_assert((x), __FILE__, __LINE__)
