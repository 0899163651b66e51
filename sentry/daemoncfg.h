/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemoncfg.h - add or remove one runtime in Docker's daemon.json
 *
 * Theory of operation: `runsc install` registers the runtime with dockerd
 * the way gVisor's `runsc install` does, by editing the "runtimes" object of
 * /etc/docker/daemon.json (oci-runtime-protocol.md section 1.1):
 *
 *   "runtimes": { "NAME": { "path": "/abs/runsc", "runtimeArgs": [...] } }
 *
 * daemoncfg_edit() is the pure part: JSON text in, JSON text out. The text
 * is loaded with jansson (JSON_REJECT_DUPLICATES, so that no member is
 * silently dropped) into an order-preserving tree; only runtimes.NAME is
 * added, replaced or removed, and the "runtimes" object itself when the
 * last runtime goes. Every other member keeps its value and its place; the
 * output is re-indented with four spaces, as gVisor writes it. Reals are
 * printed with 15 significant digits, so a number written by hand comes
 * back as written; integers beyond 64 bits are refused, as jansson cannot
 * hold them. Empty (or all-blank) input counts as {}.
 *
 * What is refused, with the file untouched: text that is not JSON, a top
 * level that is not an object, "runtimes" that is not an object (null
 * counts as absent), a bad NAME, and removing the runtime "default-runtime"
 * names (dockerd would not start). With runtimeArgs, dockerd runs the
 * runtime through a generated `#!/bin/sh` line that joins path and
 * arguments with spaces, unquoted; so then the path and every argument
 * must be made of characters that sh leaves alone ([A-Za-z0-9_@%+=:,./-]).
 * A runtimes.NAME that is not ours is replaced, as gVisor does; the caller
 * gets the old entry to show.
 *
 * daemoncfg_apply() adds the file: it reads the file (a missing one is
 * empty; a symlink is followed, and the target is what gets replaced),
 * edits it and, if anything changed, writes the result to a temporary file
 * in the same directory, with the old file's mode and owner (0644 for a new
 * file), fsyncs it, renames it over the old one and fsyncs the directory. A
 * reader sees the old or the new file, never a mix; on any error the old
 * file is left as it was. Nothing is written (and no directory created)
 * when the edit changes nothing.
 *
 * Errors are -errno; the one-line message for the user is in
 * struct daemoncfg_res.msg, prefixed with the file name (for invalid JSON
 * with line and column: "daemon.json:3:5: invalid JSON: ..."). Nothing here
 * logs, prints or looks at the process (the caller passes the binary's
 * path), and jansson does not cross this header. No threads, no locks:
 * two concurrent writers of daemon.json may lose one of the updates.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#ifndef DAEMONCFG_MAX_FILE
#define DAEMONCFG_MAX_FILE (4U << 20) /* bytes of daemon.json */
#endif
#ifndef DAEMONCFG_NAME_MAX
#define DAEMONCFG_NAME_MAX 128 /* bytes in a runtime name */
#endif

/* What daemoncfg_edit() did */
enum daemoncfg_action {
	DAEMONCFG_ADDED,     /* runtimes.NAME was absent and is now ours */
	DAEMONCFG_REPLACED,  /* a different runtimes.NAME was replaced */
	DAEMONCFG_UNCHANGED, /* runtimes.NAME already was exactly ours */
	DAEMONCFG_REMOVED,   /* runtimes.NAME was removed */
	DAEMONCFG_ABSENT,    /* nothing to remove */
	DAEMONCFG_NUM
};

/**
 * struct daemoncfg_op - The edit to make
 * @name:	Runtime name (daemoncfg_name_valid())
 * @path:	Absolute path of the runtime binary; unused by @uninstall
 * @args:	runtimeArgs, @nargs entries; the member is left out when 0
 * @nargs:	Number of @args
 * @uninstall:	Remove runtimes.NAME instead of adding it
 */
struct daemoncfg_op {
	const char *name;
	const char *path;
	const char *const *args;
	size_t nargs;
	bool uninstall;
};

/**
 * struct daemoncfg_res - What happened
 * @action:	On success, what the edit did
 * @old:	DAEMONCFG_REPLACED: the entry that was replaced, as compact
 *		JSON (cut with "..." if longer than the buffer)
 * @msg:	On failure, one line for the user naming the file and the
 *		problem; control characters are masked as '?'
 */
struct daemoncfg_res {
	enum daemoncfg_action action;
	char old[256];
	char msg[512];
};

int daemoncfg_name_valid(const char *name, char *msg, size_t len);
int daemoncfg_edit(const char *file, const char *text, size_t len,
		   const struct daemoncfg_op *op, struct daemoncfg_res *res,
		   char **out);
int daemoncfg_apply(const char *file, const struct daemoncfg_op *op,
		    struct daemoncfg_res *res);
const char *daemoncfg_action_str(enum daemoncfg_action action);
