/*
 * cmd_tui.c - exectop with no command: the live terminal UI (src/tui) on
 * the sources of the command line, with the discovered config.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xmalloc.h"

static int	cmd_tui(struct cli *);

const struct cli_command cli_cmd_tui = {
	"tui", CMD_TUI,
	"exectop [-c CONFIG] [-b BASELINE] [--theme NAME|FILE] [--no-mouse]\n"
	"               [--no-color] SOURCE...",
	"the live terminal UI (no command)",
	"The live terminal UI: reads every SOURCE (a regular file followed\n"
	"like tail -F, a named FIFO, or - for stdin; several are merged)\n"
	"and shows live rankings, bottleneck scores and regression alerts\n"
	"against the baseline.  Press ? in it for the keys.\n",
	cmd_tui
};

static int
cmd_tui(struct cli *c)
{
	struct config_source	src;
	char			**from = NULL;
	size_t			 i;
	int			 rc;

	if (c->nsources == 0)
		usage_error("no SOURCE given (a file, a FIFO, or - for stdin)");
	config_find(c->config, &src);
	c->tui.config_path = src.path;
	c->tui.baseline_path = c->baseline;
	c->tui.sources = c->sources;
	c->tui.nsources = c->nsources;
	if (c->from_start) {
		/* A Redis URL without parameters gets ?from-start. */
		from = xcalloc(c->nsources, sizeof *from);
		for (i = 0; i < c->nsources; i++) {
			from[i] = strncmp(c->sources[i], "redis://", 8) == 0 &&
			    strchr(c->sources[i], '?') == NULL ?
			    xasprintf("%s?from-start", c->sources[i]) :
			    xstrdup(c->sources[i]);
		}
		c->tui.sources = from;
	}
	rc = tui_run(&c->tui);
	for (i = 0; from != NULL && i < c->nsources; i++)
		free(from[i]);
	free(from);
	free(src.path);
	return rc;
}
