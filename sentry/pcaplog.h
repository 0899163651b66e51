/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcaplog.h - --pcap-log and --pcap-log-lo: capture files from the start
 *
 * Theory of operation
 *
 * At setup, before anything of the sandbox exists, pcaplog_open() expands
 * the placeholders of each path (pcaplog_expand(): %ID% is the container
 * id, %TIMESTAMP% the start time, so that one daemon.json entry makes one
 * file per container), creates the files and hands their fds to
 * tap/capture.c as --pcap-log sinks: the external link's frames go to the
 * --pcap-log file, loopback's to the --pcap-log-lo file, and both to one
 * file when the two paths are the same. pcaplog_close() ends them (the
 * files are complete then); after a failed start it also removes the files
 * it created, so a bad start leaves nothing behind.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "intercept.h"

int pcaplog_expand(const char *pattern, const char *id,
		   const struct timespec *now, char *buf, size_t len);
int pcaplog_open(const char *eth, const char *lo, const char *id,
		 enum net_mode mode);
void pcaplog_close(bool discard);
