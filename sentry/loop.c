// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loop.c - epoll registration with typed references
 */
#include "loop.h"

#include <errno.h>
#include <unistd.h>

#include "base.h"

const char *const loop_type_str[] = {
    "notify", "tap",	    "sock",	"relay-listen", "signal",
    "child",  "ctl-listen", "ctl-conn", "pcap-out",	"dns",
};
static_assert(ARRAY_SIZE(loop_type_str) == LOOP_NUM_TYPES,
	      "loop_type_str out of sync");

static int loop_efd = -1;

/**
 * loop_init() - Create the epoll instance
 *
 * Return: 0 on success, -errno on failure
 */
int loop_init(void)
{
	loop_efd = epoll_create1(EPOLL_CLOEXEC);
	return loop_efd < 0 ? -errno : 0;
}

/**
 * ctl() - epoll_ctl with a typed reference
 * @op:		EPOLL_CTL_ADD or EPOLL_CTL_MOD
 * @fd:		File descriptor
 * @events:	EPOLL* mask
 * @type:	Reference type
 * @idx:	Object index for the handler
 *
 * Return: 0 on success, -errno on failure
 * #syscalls epoll_ctl
 */
static int ctl(int op, int fd, uint32_t events, enum loop_type type,
	       uint32_t idx)
{
	union loop_ref ref = {.type = type, .fd = (uint32_t)fd, .idx = idx};
	struct epoll_event ev = {.events = events, .data.u64 = ref.u64};

	if (epoll_ctl(loop_efd, op, fd, &ev) < 0)
		return -errno;
	return 0;
}

/**
 * loop_add() - Start watching an fd
 * @fd:		File descriptor (< 2^24)
 * @events:	EPOLL* mask
 * @type:	Reference type
 * @idx:	Object index
 *
 * Return: 0 on success, -errno on failure
 */
int loop_add(int fd, uint32_t events, enum loop_type type, uint32_t idx)
{
	return ctl(EPOLL_CTL_ADD, fd, events, type, idx);
}

/**
 * loop_mod() - Change the events watched on an fd
 * @fd:		File descriptor
 * @events:	EPOLL* mask
 * @type:	Reference type
 * @idx:	Object index
 *
 * Return: 0 on success, -errno on failure
 */
int loop_mod(int fd, uint32_t events, enum loop_type type, uint32_t idx)
{
	return ctl(EPOLL_CTL_MOD, fd, events, type, idx);
}

/**
 * loop_del() - Stop watching an fd
 * @fd:	File descriptor
 *
 * Return: 0 on success, -errno on failure
 * #syscalls epoll_ctl
 */
int loop_del(int fd)
{
	if (epoll_ctl(loop_efd, EPOLL_CTL_DEL, fd, NULL) < 0)
		return -errno;
	return 0;
}

/**
 * loop_wait() - Wait for events
 * @ev:		Event array
 * @max:	Capacity of @ev
 * @timeout_ms:	Timeout, -1 for none
 *
 * Return: number of events (0 on timeout or EINTR), or -errno
 * #syscalls epoll_wait
 */
int loop_wait(struct epoll_event *ev, int max, int timeout_ms)
{
	int n = epoll_wait(loop_efd, ev, max, timeout_ms);

	if (n < 0 && errno == EINTR)
		return 0;
	return n < 0 ? -errno : n;
}
