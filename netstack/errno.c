// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * errno.c - lwIP err_t to -errno, the only translation point
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>

#include "base.h"

/* Indexed by -err_t. ERR_BUF only comes from TCP's port allocation. */
static const int err_tab[] = {
    [-ERR_OK] = 0,
    [-ERR_MEM] = ENOMEM,
    [-ERR_BUF] = EADDRNOTAVAIL,
    [-ERR_TIMEOUT] = ETIMEDOUT,
    [-ERR_RTE] = ENETUNREACH,
    [-ERR_INPROGRESS] = EINPROGRESS,
    [-ERR_VAL] = EINVAL,
    [-ERR_WOULDBLOCK] = EAGAIN,
    [-ERR_USE] = EADDRINUSE,
    [-ERR_ALREADY] = EALREADY,
    [-ERR_ISCONN] = EISCONN,
    [-ERR_CONN] = ENOTCONN,
    [-ERR_IF] = ENETDOWN,
    [-ERR_ABRT] = ECONNABORTED,
    [-ERR_RST] = ECONNRESET,
    [-ERR_CLSD] = ENOTCONN,
    [-ERR_ARG] = EINVAL,
};

static_assert(ARRAY_SIZE(err_tab) == 1 - ERR_ARG, "err_tab out of sync");

/**
 * ns_err() - Translate an lwIP error to a negative errno
 * @e:	lwIP error (ERR_OK or a negative err_t)
 *
 * Return: 0 for ERR_OK, else -errno (-EIO for values lwIP does not define)
 */
int ns_err(err_t e)
{
	if (e > 0 || -e >= (int)ARRAY_SIZE(err_tab))
		return -EIO;
	return -err_tab[-e];
}
