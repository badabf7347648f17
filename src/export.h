/* SPDX-License-Identifier: GPL-2.0 */
/* `forkscope export`: a session log converted for other tools (Perfetto, SVG) or filtered (JSON Lines, text). */
#ifndef FORKSCOPE_EXPORT_H
#define FORKSCOPE_EXPORT_H

/*
 * forkscope export --format FMT [--pid PID] [--type LIST] [--from S] [--to S]
 *                  [-o OUT] FILE
 * argv[0] is "export". Returns the exit status: 0, 1 for an unreadable or
 * bad log (or an output that cannot be written), 2 for a usage error.
 */
int export_main(int argc, char **argv);

#endif /* FORKSCOPE_EXPORT_H */
