// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_gofer.c - `runsc gofer`: the internal mode gofer_spawn() starts
 *
 * The global flags (log) were applied by main.c; the gofer's own flags
 * are parsed by gofer_main() (gofer/gofer.c).
 */
#include "cmd.h"
#include "gofer/gofer.h"

/**
 * cmd_gofer() - Run the gofer
 * @g:		Global options (--overlay, --overlay-size; the log is set up)
 * @argc:	Argument count (argv[0] is "gofer")
 * @argv:	Arguments
 *
 * Return: exit status
 */
int cmd_gofer(const struct global_opts *g, int argc, char **argv)
{
	struct ctr_fs fs = {g->overlay, g->overlay_size};

	return gofer_main(argc, argv, &fs);
}
