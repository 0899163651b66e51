/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctlsrv.h - the sentry's side of the control socket
 *
 * Theory of operation
 *
 * For an OCI container, `runsc create` made the state directory and
 * ctlsrv_listen() only listens in it; CTL_START (release the workload,
 * answered with ctlsrv_reply_start() once the execve outcome is known) and
 * CTL_EXEC (serve an exec'd process' seccomp listener) are its requests.
 * For `runsc do --id`, ctlsrv_open() makes the container's directory <root>/<id>/ (0700, with
 * state.c's lock file, as every state directory has) and listens on its
 * ctl socket (ctl.h); the loop then calls ctlsrv_accept() on
 * LOOP_CTL_LISTEN, ctlsrv_event() on LOOP_CTL_CONN and ctlsrv_pcap_event()
 * on LOOP_PCAP_OUT. Connections live in a fixed table of CTLSRV_CONNS
 * slots (the loop reference's index); each may own one live capture
 * (tap/capture.c), which ends with the connection. ctlsrv_handle() reads
 * one request and dispatches it through a table indexed by enum ctl_type:
 * a handler returns the reply's err (0 or -errno) and may fill the reply's
 * text, or CTLSRV_DEFER to answer later on the same fd. ctlsrv_close() ends
 * it all when the sandbox ends: every capture client gets its final
 * counters (an unsolicited CTL_STATS), every fd is closed, and the socket,
 * the lock file and the directory are removed; it is also the cleanup of a
 * failed start. Everything runs on the loop's thread and never blocks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef CTLSRV_CONNS
#define CTLSRV_CONNS 16 /* open control connections */
#endif
#define CTLSRV_DEFER 1 /* handler result: the reply is sent later */

struct sentry;

int ctlsrv_open(const char *root, const char *id);
int ctlsrv_listen(const char *path);
void ctlsrv_reply_start(int err, const char *text);
void ctlsrv_accept(struct sentry *s);
void ctlsrv_event(struct sentry *s, uint32_t idx, uint32_t events);
int ctlsrv_handle(struct sentry *s, uint32_t idx);
void ctlsrv_pcap_event(struct sentry *s, uint32_t idx, uint32_t events);
void ctlsrv_close(const struct sentry *s);
int ctlsrv_stats_json(const struct sentry *s, int cap, bool ended, char *buf,
		      size_t len);
