/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdcount.h - descriptor leak checks for unit tests
 *
 * A fixture counts the open descriptors before a test and asserts the
 * same count after it: whatever a test received and did not pass on must
 * have been closed.
 */
#pragma once

int fdcount(void);
