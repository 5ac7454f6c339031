/*
 * theme.h - colour themes: what each UI element looks like.
 *
 * A theme file (themes/NAME.yaml) maps elements to colours and
 * attributes:
 *
 *   name: default
 *   colors:
 *     header:   {fg: black, bg: "#5fafd7", attrs: [bold]}
 *     crit:     {fg: 196, attrs: bold}
 *
 * Colours are names (black, red, ..., white, bright_black ...
 * bright_white, default), 0-255, or "#rrggbb" (mapped to the nearest of
 * the 256 xterm colours).  Attributes: bold, underline, reverse, dim,
 * italic, blink, normal.  Elements left out keep a neutral look.  Parsing
 * uses no ncurses: the screens turn a theme into colour pairs.
 */
#ifndef EXECTOP_TUI_THEME_H
#define EXECTOP_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* Every themable element: X(enum suffix, name in the file). */
#define THEME_ELEMENTS \
	X(HEADER, "header") \
	X(PAUSED, "paused") \
	X(STATUS, "status") \
	X(ERROR, "error") \
	X(PROMPT, "prompt") \
	X(TITLE, "title") \
	X(TITLE_FOCUS, "title_focus") \
	X(TABLE_HEADER, "table_header") \
	X(TABLE, "table") \
	X(SELECTED, "selected") \
	X(OK, "ok") \
	X(WARN, "warn") \
	X(CRIT, "crit") \
	X(NEW, "new") \
	X(IMPROVED, "improved") \
	X(PENDING, "pending") \
	X(SPARKLINE, "sparkline") \
	X(ALERTS, "alerts") \
	X(BOTTLENECKS, "bottlenecks") \
	X(HELP, "help") \
	X(HELP_KEY, "help_key")

enum theme_el {
#define X(e, n) THEME_##e,
	THEME_ELEMENTS
#undef X
	THEME_COUNT
};

#define THEME_BOLD	0x01
#define THEME_UNDERLINE	0x02
#define THEME_REVERSE	0x04
#define THEME_DIM	0x08
#define THEME_ITALIC	0x10
#define THEME_BLINK	0x20

#define THEME_DEFAULT_COLOR	(-1)	/* the terminal's own fg/bg */

struct theme_style {
	short		fg;	/* 0-255 or THEME_DEFAULT_COLOR */
	short		bg;
	unsigned	attrs;	/* THEME_* bits */
};

struct theme {
	char			*name;
	char			*path;	/* NULL for a built-in theme */
	struct theme_style	 st[THEME_COUNT];
};

const char	*theme_element_name(enum theme_el);

/* Built-in fallbacks: "default" (colours) or "mono" (attributes only).
 * Replaces whatever t held (call theme_free first if it owned a theme). */
void		 theme_builtin(struct theme *, bool mono);
/* Loads a theme file over the neutral look; -1 with *cause naming
 * "file:line: ..." on error (t is then left untouched). */
int		 theme_load(struct theme *, const char *path, char **cause);
void		 theme_free(struct theme *);

/* "red", "bright_red", "default", "196", "#ff0000" -> 0-255 or
 * THEME_DEFAULT_COLOR; -1 when not a colour (returns 0 on success). */
int		 theme_parse_color(const char *, short *out);
/* Nearest of the 240 xterm colours 16-255 (cube and greys), the same on
 * every terminal. */
int		 theme_rgb_to_256(int r, int g, int b);
/* The RGB value of an xterm colour. */
void		 theme_256_rgb(int idx, int *r, int *g, int *b);
/* Nearest of the first n (8 or 16) colours, for smaller terminals. */
int		 theme_reduce(int idx, int n);

#endif
