/*
 * draw.c - everything that puts text on the terminal goes through here:
 * colour pairs from the theme, text fitted to its columns (text_fit),
 * text from the stream escaped first (escape_terminal via
 * text_fit_stream), and the header and status line every screen shares.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "escape.h"
#include "ingest.h"
#include "model.h"
#include "record.h"
#include "tui_int.h"
#include "xmalloc.h"

#define DRAW_MAX_COLS	1024	/* wider terminals are drawn this wide */

void
draw_colors(struct tui *t)
{
	const struct theme_style	*st;
	attr_t				 a;
	short				 fg, bg;
	size_t				 i;

	for (i = 0; i < THEME_COUNT; i++) {
		st = &t->theme.st[i];
		a = A_NORMAL;
		if (st->attrs & THEME_BOLD)
			a |= A_BOLD;
		if (st->attrs & THEME_UNDERLINE)
			a |= A_UNDERLINE;
		if (st->attrs & THEME_REVERSE)
			a |= A_REVERSE;
		if (st->attrs & THEME_DIM)
			a |= A_DIM;
		if (st->attrs & THEME_ITALIC)
			a |= A_ITALIC;
		if (st->attrs & THEME_BLINK)
			a |= A_BLINK;
		if (!t->mono && t->ncolors > 0 && t->curses) {
			fg = (short)theme_reduce(st->fg, t->ncolors);
			bg = (short)theme_reduce(st->bg, t->ncolors);
			if (!t->default_colors) {
				if (fg < 0)
					fg = COLOR_WHITE;
				if (bg < 0)
					bg = COLOR_BLACK;
			}
			if ((fg >= 0 || bg >= 0) &&
			    init_pair((short)(i + 1), fg, bg) == OK)
				a |= COLOR_PAIR((int)i + 1);
		}
		t->attr[i] = a;
	}
}

attr_t
draw_attr(const struct tui *t, enum theme_el el)
{
	return el < THEME_COUNT ? t->attr[el] : A_NORMAL;
}

enum theme_el
draw_status_el(enum exec_status s)
{
	switch (s) {
	case STATUS_WARN:
		return THEME_WARN;
	case STATUS_CRIT:
		return THEME_CRIT;
	case STATUS_NEW:
		return THEME_NEW;
	case STATUS_IMPROVED:
		return THEME_IMPROVED;
	case STATUS_PENDING:
		return THEME_PENDING;
	default:
		return THEME_OK;
	}
}

/* Clips a cell to the screen; 0 when nothing of it is visible. */
static int
draw_clip(int y, int x, int *w)
{
	int	lines, cols;

	getmaxyx(stdscr, lines, cols);
	if (y < 0 || y >= lines || x < 0 || x >= cols || *w <= 0)
		return 0;
	if (x + *w > cols)
		*w = cols - x;
	if (*w > DRAW_MAX_COLS)
		*w = DRAW_MAX_COLS;
	return 1;
}

static void
draw_put(int y, int x, const char *s, attr_t a)
{
	attrset(a);
	mvaddstr(y, x, s);
	attrset(A_NORMAL);
}

void
draw_text(int y, int x, int w, const char *s, enum text_align al, attr_t a)
{
	char	buf[DRAW_MAX_COLS * 4 + 1];

	if (!draw_clip(y, x, &w))
		return;
	text_fit(buf, sizeof buf, s, w, al);
	draw_put(y, x, buf, a);
}

void
draw_stream(int y, int x, int w, const char *s, enum text_align al,
    attr_t a)
{
	char	buf[DRAW_MAX_COLS * 4 + 1];

	if (!draw_clip(y, x, &w))
		return;
	text_fit_stream(buf, sizeof buf, s, w, al);
	draw_put(y, x, buf, a);
}

void
draw_printf(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	draw_text(y, x, w, s, TEXT_LEFT, a);
	free(s);
}

void
draw_fill(int y, int x, int w, attr_t a)
{
	draw_text(y, x, w, "", TEXT_LEFT, a);
}

void
draw_too_small(struct tui *t)
{
	char	msg[96];
	int	y;

	layout_too_small(msg, sizeof msg);
	y = t->lines / 2;
	draw_text(y > 0 ? y - 1 : 0, 0, t->cols, msg, TEXT_CENTER,
	    draw_attr(t, THEME_ERROR));
	draw_printf(y + 1 < t->lines ? y + 1 : 0, 0, t->cols, A_NORMAL,
	    "%*s(now %dx%d; q quits)", t->cols > 40 ? (t->cols - 24) / 2 : 0,
	    "", t->cols, t->lines);
}

int
draw_header_lines(const struct tui *t)
{
	return t->show_invalid ? 4 : 3;
}

/* Appends "text" to a header line at *x in the given style. */
static void
draw_seg(int y, int *x, int right, const char *s, attr_t a)
{
	int	w = text_width(s);

	if (*x >= right)
		return;
	if (*x + w > right)
		w = right - *x;
	draw_text(y, *x, w, s, TEXT_LEFT, a);
	*x += w;
}

/* The same for text from the stream: escaped first. */
static void
draw_seg_stream(int y, int *x, int right, const char *s, attr_t a)
{
	char	*safe;

	safe = escape_terminal(s);
	draw_seg(y, x, right, safe, a);
	free(safe);
}

/* Progress of a source's parallel catch-up: records, bytes, rate, %. */
static void
draw_catchup_status(const struct tui *t, size_t i, char *buf, size_t len)
{
	struct catchup_progress	pr;
	uint64_t		ms;

	catchup_progress(t->catchup[i], &pr);
	ms = tui_now_ms() - t->catchup_ms[i];
	text_progress(buf, len, pr.records, (double)pr.offset,
	    (double)pr.end, ms > 0 ? (double)pr.records * 1000.0 / (double)ms :
	    0);
}

void
draw_header(struct tui *t, int lines)
{
	const struct rejection	*rej;
	attr_t			 h = draw_attr(t, THEME_HEADER);
	char			 buf[512], st[256], num[32], dur[32];
	uint64_t		 up;
	size_t			 i;
	int			 x, y, right = t->cols;

	for (y = 0; y < lines; y++)
		draw_fill(y, 0, t->cols, h);

	/* Line 1: counts. */
	up = (tui_now_ms() - t->start_ms) / 1000;
	text_num(num, sizeof num, t->rate);
	text_duration(dur, sizeof dur, up);
	x = 0;
	snprintf(buf, sizeof buf, " exectop  records %llu  %s/s  invalid %llu"
	    "  executors %zu  alerts %zu (%zu crit)  up %s ",
	    (unsigned long long)t->model->records, num,
	    (unsigned long long)t->model->invalid, t->model->nexecs,
	    t->view.nalerts, t->view.ncritical, dur);
	draw_seg(0, &x, right, buf, h | A_BOLD);
	if (t->model->dropped_records > 0) {
		snprintf(buf, sizeof buf, " dropped %llu (max_executors) ",
		    (unsigned long long)t->model->dropped_records);
		draw_seg(0, &x, right, buf, draw_attr(t, THEME_WARN));
	}
	if (t->paused && right - x >= 8) {
		x = right - 8;
		draw_seg(0, &x, right, " PAUSED ", draw_attr(t, THEME_PAUSED));
	}

	/* Line 2: sources and their states. */
	x = 0;
	draw_seg(1, &x, right, " sources:", h);
	for (i = 0; i < t->nsrc; i++) {
		draw_seg(1, &x, right, " ", h);
		draw_seg_stream(1, &x, right, source_path(t->src[i]), h | A_BOLD);
		if (t->catchup != NULL && t->catchup[i] != NULL)
			draw_catchup_status(t, i, st, sizeof st);
		else
			source_status(t->src[i], st, sizeof st);
		snprintf(buf, sizeof buf, " [%s]", st);
		draw_seg_stream(1, &x, right, buf,
		    source_state(t->src[i]) == SOURCE_ERROR ?
		    draw_attr(t, THEME_ERROR) : h);
	}

	/* Line 3: config, baseline, sort, filter. */
	x = 0;
	draw_seg(2, &x, right, " config: ", h);
	draw_seg_stream(2, &x, right, t->cfg.path != NULL ? t->cfg.path :
	    "(defaults)", h);
	if (t->cfg_error != NULL)
		draw_seg(2, &x, right, " (error)", draw_attr(t, THEME_ERROR));
	draw_seg(2, &x, right, "  baseline: ", h);
	if (t->bl != NULL) {
		draw_seg_stream(2, &x, right, t->bl_path != NULL ? t->bl_path :
		    "(in memory)", h);
		snprintf(buf, sizeof buf, " (%zu)", t->bl->n);
		draw_seg(2, &x, right, buf, h);
	} else if (t->bl_path != NULL && (t->opts->baseline_path != NULL ||
	    t->cfg.baseline != NULL)) {
		/* Named (-b or the config) but absent: say which file. */
		draw_seg_stream(2, &x, right, t->bl_path, h);
		draw_seg(2, &x, right, " not found: b creates it", h);
	} else
		draw_seg(2, &x, right, "none (b saves one)", h);
	snprintf(buf, sizeof buf, "  sort: %s%s", view_col_title(t->sort),
	    t->reverse ? " (reversed)" : "");
	draw_seg(2, &x, right, buf, h);
	if (t->filter[0] != '\0') {
		draw_seg(2, &x, right, "  filter: ", h);
		draw_seg_stream(2, &x, right, t->filter, h | A_BOLD);
	}
	snprintf(buf, sizeof buf, "  refresh %u ms", t->refresh_ms);
	draw_seg(2, &x, right, buf, h);
	if (t->rebuild_cost_ms * 10 > t->refresh_ms) {
		/* A huge table: its analysis is spaced out (tui.c). */
		snprintf(buf, sizeof buf, " (table every %.1f s)",
		    (double)(t->rebuild_cost_ms * (100 / TUI_ANALYSIS_SHARE)) /
		    1000.0);
		draw_seg(2, &x, right, buf, h);
	}

	/* Line 4 (i): the last rejected line. */
	if (lines >= 4) {
		x = 0;
		rej = model_rejection(t->model, 0);
		if (rej == NULL)
			draw_seg(3, &x, right, " no invalid records", h);
		else {
			snprintf(buf, sizeof buf, " last invalid: %s:%llu %s: ",
			    rej->source, (unsigned long long)rej->line,
			    record_reject_name(rej->reason));
			draw_seg_stream(3, &x, right, buf, h);
			draw_seg_stream(3, &x, right, rej->detail, h);
		}
		if (t->model->nunknown > 0 || t->model->no_metric > 0) {
			model_unknown_summary(t->model, buf, sizeof buf);
			draw_seg(3, &x, right, t->model->nunknown > 0 ?
			    "  unknown fields: " : "", h);
			draw_seg_stream(3, &x, right, buf, h);
			if (t->model->no_metric > 0) {
				snprintf(buf, sizeof buf, "  %llu without metrics",
				    (unsigned long long)t->model->no_metric);
				draw_seg(3, &x, right, buf, h);
			}
		}
	}
}

/*
 * A message too long for the status line takes the line above too
 * (issue 13 item 8): the full text stays readable while it is shown.
 */
static void
draw_status_message(struct tui *t, int y)
{
	attr_t	 a = draw_attr(t, t->status_error ? THEME_ERROR : THEME_STATUS);
	char	*safe = escape_terminal(t->status), *first;
	size_t	 n;
	int	 x = 0;

	if (text_width(safe) + 1 > t->cols && y > 0 && t->cols > 1) {
		n = text_prefix(safe, t->cols - 1);
		first = xstrndup(safe, n);
		draw_fill(y - 1, 0, t->cols, a);
		draw_seg(y - 1, &x, t->cols, " ", a);
		draw_seg(y - 1, &x, t->cols, first, a);
		free(first);
		memmove(safe, safe + n, strlen(safe + n) + 1);
		x = 0;
	}
	draw_fill(y, 0, t->cols, a);
	draw_seg(y, &x, t->cols, " ", a);
	draw_seg(y, &x, t->cols, safe, a);
	free(safe);
}

void
draw_status(struct tui *t, int y)
{
	const char	*hint;
	char		 buf[1024];
	attr_t		 a = draw_attr(t, THEME_STATUS);
	int		 x = 0;

	draw_fill(y, 0, t->cols, a);
	switch (t->prompt) {
	case PROMPT_FILTER:
		a = draw_attr(t, THEME_PROMPT);
		draw_fill(y, 0, t->cols, a);
		draw_seg(y, &x, t->cols, " filter: ", a);
		draw_seg_stream(y, &x, t->cols, t->input, a | A_BOLD);
		draw_seg(y, &x, t->cols, "_  (Enter keeps, Esc clears)", a);
		return;
	case PROMPT_QUIT:
		a = draw_attr(t, THEME_PROMPT);
		draw_fill(y, 0, t->cols, a);
		draw_seg(y, &x, t->cols, " unsaved threshold changes: w write "
		    "and quit, d discard and quit, c cancel ", a | A_BOLD);
		return;
	case PROMPT_BASELINE:
		a = draw_attr(t, THEME_PROMPT);
		draw_fill(y, 0, t->cols, a);
		snprintf(buf, sizeof buf, " save a baseline of %zu executors "
		    "(%llu runs) to ", t->model->nexecs,
		    (unsigned long long)t->model->records);
		draw_seg(y, &x, t->cols, buf, a);
		draw_seg_stream(y, &x, t->cols, action_baseline_path(t), a);
		draw_seg(y, &x, t->cols, "? (y/n) ", a | A_BOLD);
		return;
	case PROMPT_VALUE:
		a = draw_attr(t, THEME_PROMPT);
		draw_fill(y, 0, t->cols, a);
		draw_seg(y, &x, t->cols, " new value: ", a);
		draw_seg_stream(y, &x, t->cols, t->input, a | A_BOLD);
		draw_seg(y, &x, t->cols, "_  (Enter sets, Esc cancels)", a);
		return;
	default:
		break;
	}
	if (t->status != NULL) {
		draw_status_message(t, y);
		return;
	}
	if (t->cfg_error != NULL) {
		a = draw_attr(t, THEME_ERROR);
		draw_fill(y, 0, t->cols, a);
		draw_seg(y, &x, t->cols, " config not reloaded: ", a);
		draw_seg_stream(y, &x, t->cols, t->cfg_error, a);
		return;
	}
	switch (t->screen) {
	case SCREEN_DETAIL:
		hint = " Esc back  arrows scroll methods  </> sort  r reverse  "
		    "s snapshot  ? help  q quit";
		break;
	case SCREEN_HELP:
		hint = " Esc back  arrows scroll  q quit";
		break;
	case SCREEN_EDITOR:
		hint = " arrows select  -/+ change  Enter type  w write  "
		    "u undo  Esc back";
		break;
	default:
		hint = " q quit  ? help  Enter detail  Tab panel  / filter  "
		    "</> sort  p pause  s snapshot  b baseline  t thresholds";
		break;
	}
	draw_seg(y, &x, t->cols, hint, a);
}
