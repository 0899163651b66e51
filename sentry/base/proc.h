/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the process title: what ps and `docker top` show
 *
 * The runtime forks its long-lived processes (sentry, init stub, exec
 * waiter) without exec, so they would show the command line of the verb
 * that made them, the whole of Docker's arguments. proc_title_set()
 * rewrites the argument area in place (as setproctitle() does; the text
 * is cut to the area's size) and the comm name with PR_SET_NAME.
 */
#pragma once

void proc_title_init(int argc, char **argv);
void proc_title_set(const char *title);
