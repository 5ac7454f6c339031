/*
 * main.c - exectop's entry point: sets up the process, parses the command
 * line (cli.c) and runs the command it names (one cmd_*.c each: the live
 * TUI by default, report, baseline, gen, demo, config).
 */
#include <malloc.h>
#include <signal.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	struct cli	c;

	/*
	 * The parallel reader's batches are large and short-lived.  A fixed
	 * mmap threshold keeps them mmap'd, so freeing one gives it back;
	 * glibc's adaptive threshold would move them into heap arenas that
	 * only grow, and peak memory would creep up with the number of
	 * records instead of staying flat.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	signal(SIGPIPE, SIG_IGN);
	/* Past the file size limit write() fails with EFBIG (reported)
	 * instead of the process being killed. */
	signal(SIGXFSZ, SIG_IGN);
	cli_parse(&c, argc, argv);
	return cli_command_of(c.cmd)->exec(&c);
}
