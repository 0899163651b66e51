/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decode.h - pcap-dump's one line per frame
 *
 * Theory of operation
 *
 * decode_line() turns one captured Ethernet frame into the line pcap-dump
 * prints without -w: the time of day, the interface (lo for the zero MAC
 * addresses the sentry gives loopback frames, else eth0), the protocol,
 * the addresses and ports, TCP flags and payload length, and the frame's
 * length on the wire. Every read goes through one bounds-checked accessor
 * on the captured bytes: a short or malformed frame yields a shorter
 * line, never a read past @caplen. Nothing allocates.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DECODE_LINE_MAX 256 /* bytes of a line, with its NUL */

int decode_line(const struct timespec *ts, const uint8_t *frame, size_t caplen,
		size_t len, char *buf, size_t size);
