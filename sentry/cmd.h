/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.h - the runtime's verbs
 *
 * main.c parses the global flags (gVisor's runsc and Docker put them before
 * the verb) into struct global_opts and calls one cmd_* function with the
 * remaining arguments. A verb returns the process exit status.
 */
#pragma once

#include <stdbool.h>

#include "gofer_spawn.h"
#include "intercept.h"

/**
 * struct global_opts - flags valid before any verb
 * @root:	State directory
 * @log:	Log file, or NULL for stderr
 * @log_json:	--log-format json
 * @debug:	--debug
 * @network:	--network
 * @pcap_log:	--pcap-log file, or NULL
 * @pcap_log_lo: --pcap-log-lo file (loopback), or NULL
 * @overlay:	--overlay=memory (default) | none: the root's upper layer
 * @overlay_size: --overlay-size: size of that layer (tmpfs size=), or NULL
 * @files:	--file-access, --file-audit, --file-deny (the gofer)
 */
struct global_opts {
	const char *root;
	const char *log;
	bool log_json;
	bool debug;
	enum net_mode network;
	const char *pcap_log;
	const char *pcap_log_lo;
	bool overlay;
	const char *overlay_size;
	struct file_opts files;
};

int cmd_install(const struct global_opts *g, int argc, char **argv);
int cmd_spec(const struct global_opts *g, int argc, char **argv);
int cmd_spec_json(bool rootless, char **out);
int cmd_do(const struct global_opts *g, int argc, char **argv);
int cmd_create(const struct global_opts *g, int argc, char **argv);
int cmd_run(const struct global_opts *g, int argc, char **argv);
int cmd_start(const struct global_opts *g, int argc, char **argv);
int cmd_state(const struct global_opts *g, int argc, char **argv);
int cmd_kill(const struct global_opts *g, int argc, char **argv);
int cmd_delete(const struct global_opts *g, int argc, char **argv);
int cmd_list(const struct global_opts *g, int argc, char **argv);
int cmd_ps(const struct global_opts *g, int argc, char **argv);
int cmd_pause(const struct global_opts *g, int argc, char **argv);
int cmd_resume(const struct global_opts *g, int argc, char **argv);
int cmd_wait(const struct global_opts *g, int argc, char **argv);
int cmd_gofer(const struct global_opts *g, int argc, char **argv);
int cmd_exec(const struct global_opts *g, int argc, char **argv);
