/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cleanup.h - scope-bound ownership of heap memory and file descriptors
 *
 * An owning local is declared with _cleanup_free_ or _cleanup_close_ and an
 * initial value (NULL or -1); ownership leaves the scope only through
 * TAKE_PTR() or TAKE_FD(), so every exit path is checked by the compiler.
 */
#pragma once

#include <stdlib.h>
#include <unistd.h>

/**
 * freep() - free() the pointer a cleanup variable holds
 * @p:	Address of the variable
 */
static inline void freep(void *p)
{
	free(*(void **)p);
}

/**
 * closep() - close() the fd a cleanup variable holds, if any
 * @fd:	Address of the variable; -1 means none
 */
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))

#define TAKE_PTR(p)                                                            \
	({                                                                     \
		__typeof__(p) _p = (p);                                        \
		(p) = NULL;                                                    \
		_p;                                                            \
	})

#define TAKE_FD(fd)                                                            \
	({                                                                     \
		int _fd = (fd);                                                \
		(fd) = -1;                                                     \
		_fd;                                                           \
	})
