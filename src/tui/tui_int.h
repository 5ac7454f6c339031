/*
 * tui_int.h - the terminal UI's shared state and the functions its files
 * call on each other.  Only src/tui includes this (and ncurses).
 *
 * Files: tui.c (event loop, signals, terminal set-up), actions.c (config
 * reload, snapshot, baseline, theme switch), draw.c (safe text output and
 * colours), screen_main.c, screen_detail.c, screen_help.c, editor.c (one
 * screen each, reached through struct tui_screen_ops), view.c (the
 * display copy of model and analysis), layout.c, text.c, theme.c (pure),
 * benchlog.c (the measurement hook of `make bench`).
 *
 * Input handlers only change state and set t->dirty; tui.c draws once,
 * later, through the current screen's draw function.
 */
#ifndef EXECTOP_TUI_INT_H
#define EXECTOP_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include <curses.h>

#include "config.h"
#include "layout.h"
#include "text.h"
#include "theme.h"
#include "tui.h"
#include "view.h"

struct baseline;
struct catchup;
struct model;
struct source;
struct tui;

#define TUI_READ_BUDGET		(256 * 1024)	/* bytes per source per pass */
#define TUI_CATCHUP_MIN		(1024 * 1024)	/* parallel catch-up from here */
#define TUI_APPLY_US		20000	/* catch-up: applying per loop pass */
#define TUI_CATCHUP_REFRESH_MS	200	/* refresh at most this while it runs */
#define TUI_COALESCE_MS		25	/* a pipe that gave records rests */
#define TUI_PIPE_SIZE		(1024 * 1024)	/* pipe buffer we ask for */
#define TUI_ANALYSIS_SHARE	10	/* % of the time a huge table's
					   analysis may take */
#define TUI_TICK_MS		100	/* source_tick and file polling */
#define TUI_CONFIG_CHECK_MS	500	/* config file change check */
#define TUI_STATUS_MS		10000	/* how long a status message shows */
#define TUI_REFRESH_MIN		10
#define TUI_REFRESH_MAX		10000
#define TUI_RATE_SAMPLES	16

enum tui_screen_id { SCREEN_MAIN, SCREEN_DETAIL, SCREEN_HELP, SCREEN_EDITOR };
enum tui_panel { PANEL_TABLE, PANEL_ALERTS, PANEL_BOTTLENECKS, PANEL_COUNT };
enum tui_prompt_kind {
	PROMPT_NONE,
	PROMPT_FILTER,		/* "/" */
	PROMPT_BASELINE,	/* "b": y/n */
	PROMPT_VALUE,		/* editor: type a value */
	PROMPT_QUIT		/* q with unsaved thresholds: w/d/c */
};

/* A key: a character (wide) or a KEY_* code when fn is set. */
struct tui_key {
	int	code;
	bool	fn;
};

#define TUI_KEY_CTRL_L	0x0c
#define TUI_KEY_TAB	0x09
#define TUI_KEY_ESC	0x1b
#define TUI_KEY_DEL	0x7f

struct tui_screen_ops {
	const char	*name;
	void		(*draw)(struct tui *);
	/* Returns 1 when the key was used; 0 lets the global keys see it. */
	int		(*key)(struct tui *, const struct tui_key *);
	/* Mouse press/click or wheel at a screen position; may be NULL. */
	void		(*mouse)(struct tui *, int y, int x, mmask_t);
};

/* Method table of the detail view. */
enum method_col {
	MCOL_NAME, MCOL_CALLS, MCOL_TOTAL, MCOL_MEAN, MCOL_MAX, MCOL_MEM,
	MCOL_FAIL, MCOL_COUNT
};

#define EDITOR_ROWS	(METRIC_COUNT + 3)

struct editor {
	size_t		sel;
	bool		modified;	/* live values differ from the file */
	char		last[256];	/* effect of the last change */
	/* Effect of one step down / up on the selected row. */
	bool		preview_valid;
	uint64_t	preview_gen;
	size_t		preview_sel;
	size_t		raise[2];
	size_t		clear[2];
	size_t		now_alerts;
	size_t		now_critical;
};

struct tui {
	const struct tui_opts	*opts;

	/* Engine. */
	struct config		 cfg;
	uint64_t		 cfg_gen;	/* bumped on every change */
	char			*cfg_error;	/* last reload error, or NULL */
	bool			 cfg_seen;	/* stamp valid */
	dev_t			 cfg_dev;
	ino_t			 cfg_ino;
	off_t			 cfg_size;
	struct timespec		 cfg_mtime;
	struct baseline		*bl;
	char			*bl_path;	/* the loaded one, or NULL */
	struct model		*model;
	struct source		**src;
	size_t			 nsrc;
	char			*sources_desc;
	/* Parallel catch-up of each source (NULL: none running). */
	struct catchup		**catchup;
	uint64_t		*catchup_ms;	/* when it began */
	/* Pipes (FIFOs, stdin): read in batches, see tui.c. */
	int			*src_fd;	/* descriptor last seen */
	size_t			*src_pipe;	/* its buffer size, 0: no pipe */
	uint64_t		*src_quiet;	/* not polled before (ms) */
	unsigned		 nthreads;	/* parser threads */

	/* The display copy. */
	struct view		 view;
	bool			 view_built;
	uint64_t		 view_model_gen;
	uint64_t		 view_cfg_gen;
	uint64_t		 rebuild_cost_ms;	/* the last analysis */
	uint64_t		 next_rebuild;	/* not before (huge tables) */

	/* Screens. */
	enum tui_screen_id	 screen;
	enum tui_screen_id	 back;		/* where Esc from help goes */
	enum tui_panel		 panel;
	enum view_col		 sort;
	bool			 reverse;
	char			 filter[256];
	size_t			 sel;		/* position in view.order */
	size_t			 top;
	char			*sel_id;	/* keeps the selection on re-sort */
	size_t			 alert_sel, alert_top;
	size_t			 bn_sel, bn_top;
	bool			 paused;
	bool			 show_invalid;
	unsigned		 refresh_ms;
	bool			 refresh_user;	/* set with +/-: config won't */

	char			*detail_id;
	enum method_col		 msort;
	bool			 mreverse;
	size_t			 msel, mtop;

	size_t			 help_top;
	struct editor		 ed;

	enum tui_prompt_kind	 prompt;
	char			 input[256];
	size_t			 input_len;
	bool			 input_prefilled;	/* typing replaces the input */

	char			*status;
	bool			 status_error;
	uint64_t		 status_until;

	/* Look. */
	struct theme		 theme;
	bool			 mono;		/* no colours at all */
	int			 ncolors;	/* 256, 16, 8, or 0 */
	bool			 default_colors;	/* -1 allowed */
	bool			 curses;	/* the terminal is set up */
	attr_t			 attr[THEME_COUNT];
	char			**theme_names;
	size_t			 ntheme_names;
	bool			 mouse;

	/* Mouse hit areas of the last draw. */
	struct layout		 lay;
	int			 col_w[COL_COUNT];
	int			 mcol_w[MCOL_COUNT];
	int			 mtable_y;	/* first method row, -1 none */
	int			 mtable_h;

	/* Loop. */
	bool			 dirty;
	bool			 clear;		/* clearok on the next draw */
	bool			 quit;
	uint64_t		 drawn_gen;	/* model generation last drawn */
	uint64_t		 drawn_sec;
	uint64_t		 start_ms;
	uint64_t		 rate_t[TUI_RATE_SAMPLES];
	uint64_t		 rate_n[TUI_RATE_SAMPLES];
	unsigned		 rate_head, rate_count;
	double			 rate;
	int			 lines, cols;

	/* The bench hook (EXECTOP_BENCH_LOG, see benchlog.c). */
	FILE			*bench;
	uint64_t		*bench_runs;	/* runs seen per executor */
	size_t			 bench_nruns;
};

/* tui.c */
uint64_t	tui_now_ms(void);
void		tui_set_status(struct tui *, bool error, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		tui_switch(struct tui *, enum tui_screen_id);
/* Draws the current screen now (one frame: erase, draw, doupdate). */
void		tui_draw(struct tui *);
/* Rebuilds the display copy now (runs the analysis). */
void		tui_rebuild_view(struct tui *);
/* Re-sorts and re-filters the copy, keeping the selected executor. */
void		tui_reorder(struct tui *);
/* Runs the analysis on the live model (for snapshots and the editor);
 * the caller analysis_free()s it. */
struct analysis	*tui_analyse(struct tui *, const struct config *);
const struct tui_screen_ops *tui_screen(const struct tui *);

/* benchlog.c: the hidden measurement hook of `make bench`.  Each does
 * nothing unless EXECTOP_BENCH_LOG named a file at start-up. */
void		benchlog_open(struct tui *);
void		benchlog_close(struct tui *);
void		benchlog_frame(struct tui *);
void		benchlog_key(struct tui *, const struct tui_key *);
/* After a read from a source: write-to-model latency of new records. */
void		benchlog_ingested(struct tui *);
/* A parallel catch-up finished. */
void		benchlog_catchup(struct tui *, uint64_t records, uint64_t bytes);

/* actions.c */
/* Checks the config file's stamp; reloads when it changed (or force).
 * quiet: no "reloaded" message (after our own write-back). */
void		action_config_check(struct tui *, bool force, bool quiet);
void		action_snapshot(struct tui *);
void		action_baseline_prompt(struct tui *);
void		action_baseline_save(struct tui *);
/* Where `b` writes: -b, the config's baseline, or ./baseline.yaml. */
const char	*action_baseline_path(const struct tui *);
/* Loads the baseline at path (NULL: none); status line on error. */
void		action_baseline_load(struct tui *, const char *path);
void		action_theme_cycle(struct tui *);
/* Loads and applies a theme by name or path; -1 with *cause. */
int		action_theme_set(struct tui *, const char *, char **cause);

/* draw.c */
void		draw_colors(struct tui *);
attr_t		draw_attr(const struct tui *, enum theme_el);
/* Trusted text (our own labels) fitted to w columns at y, x. */
void		draw_text(int y, int x, int w, const char *, enum text_align,
		    attr_t);
/* Text from the stream: escaped first, then fitted. */
void		draw_stream(int y, int x, int w, const char *,
		    enum text_align, attr_t);
void		draw_printf(int y, int x, int w, attr_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
void		draw_fill(int y, int x, int w, attr_t);
/* The header, status line and prompt every screen shares. */
int		draw_header_lines(const struct tui *);
void		draw_header(struct tui *, int lines);
void		draw_status(struct tui *, int y);
void		draw_too_small(struct tui *);
/* Theme element of a status. */
enum theme_el	draw_status_el(enum exec_status);

/* screen_main.c, screen_detail.c, screen_help.c, editor.c */
extern const struct tui_screen_ops screen_main_ops;
extern const struct tui_screen_ops screen_detail_ops;
extern const struct tui_screen_ops screen_help_ops;
extern const struct tui_screen_ops screen_editor_ops;
/* Opens the detail view of an executor. */
void		screen_detail_open(struct tui *, const char *id);
/* Key rows of the help screen (shared with docs). */
struct help_line {
	const char	*keys;
	const char	*what;
};
extern const struct help_line	 help_lines[];
extern const size_t		 help_nlines;
/* Editor: applies the value typed at the prompt. */
void		editor_set_value(struct tui *, const char *);
void		editor_reset(struct tui *);
/* w: writes the tuned values into the config file. */
void		editor_write(struct tui *);

#endif
