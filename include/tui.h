/*
 * tui.h - the live terminal UI (ncurses), entry point for the CLI.
 *
 * The TUI owns the event loop: one poll() over the keyboard and every
 * source descriptor, ingestion into the model, analysis when the model or
 * the config changed, and a redraw at most once per refresh interval.
 */
#ifndef EXECTOP_TUI_H
#define EXECTOP_TUI_H

#include <stdbool.h>
#include <stddef.h>

struct tui_opts {
	const char	*config_path;	/* NULL: built-in defaults */
	const char	*baseline_path;	/* -b, overrides the config's; may be NULL */
	const char	*theme;		/* --theme NAME|FILE, NULL: config's ui.theme */
	bool		 no_mouse;
	bool		 no_color;
	char		**sources;	/* paths, "-" for stdin */
	size_t		 nsources;
};

/* Runs until the user quits.  Returns the process exit status (0, or 2
 * with a message on stderr when the terminal cannot be used). */
int	tui_run(const struct tui_opts *);

#endif
