/*
 * screen_main.c - the main screen: header, executor table, alerts panel,
 * bottlenecks panel and status line.
 *
 * Everything drawn comes from the view (t->view), the copy of the model
 * and analysis made at the last refresh; geometry from layout_main() and
 * layout_columns() on every draw, so a resize is just the next draw.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "metric.h"
#include "model.h"
#include "tui_int.h"
#include "xmalloc.h"

static const struct col_spec main_cols[COL_COUNT] = {
	[COL_RANK] =	{ "#", 3, 5, 8, TEXT_RIGHT, false },
	[COL_ID] =	{ "EXECUTOR", 9, 40, 0, TEXT_LEFT, true },
	[COL_RUNS] =	{ "RUNS", 7, 9, 3, TEXT_RIGHT, false },
	[COL_FAIL] =	{ "FAIL", 5, 6, 6, TEXT_RIGHT, false },
	[COL_AVG] =	{ "AVG ms", 7, 8, 1, TEXT_RIGHT, false },
	[COL_NOW] =	{ "NOW ms", 7, 8, 3, TEXT_RIGHT, false },
	[COL_P95] =	{ "P95 ms", 7, 8, 4, TEXT_RIGHT, false },
	[COL_MEM] =	{ "MEM MB", 7, 8, 5, TEXT_RIGHT, false },
	[COL_PEAK] =	{ "PEAK MB", 8, 8, 11, TEXT_RIGHT, false },
	[COL_SER] =	{ "SER ms", 7, 8, 9, TEXT_RIGHT, false },
	[COL_SERSIZE] =	{ "SER B", 7, 8, 10, TEXT_RIGHT, false },
	[COL_SCORE] =	{ "SCORE", 7, 8, 2, TEXT_RIGHT, false },
	[COL_TREND] =	{ "TREND", 8, 32, 7, TEXT_LEFT, true },
	[COL_STATUS] =	{ "STATUS", 8, 8, 0, TEXT_LEFT, false },
};

static const char *
main_arrow(bool down)
{
	if (text_utf8())
		return down ? "\xe2\x96\xbc" : "\xe2\x96\xb2";
	return down ? "v" : "^";
}

static const char *
main_to(void)
{
	return text_utf8() ? "\xe2\x86\x92" : "->";
}

/* The text of one table cell. */
static void
main_cell(const struct view_row *r, enum view_col c, int w, char *buf,
    size_t len)
{
	switch (c) {
	case COL_RANK:
		snprintf(buf, len, "%u", r->rank);
		break;
	case COL_ID:
		snprintf(buf, len, "%s", r->id);
		break;
	case COL_RUNS:
		snprintf(buf, len, "%llu", (unsigned long long)r->runs);
		break;
	case COL_FAIL:
		snprintf(buf, len, "%llu", (unsigned long long)r->failures);
		break;
	case COL_AVG:
		text_num(buf, len, r->avg);
		break;
	case COL_NOW:
		text_num(buf, len, r->now);
		break;
	case COL_P95:
		text_num(buf, len, r->p95);
		break;
	case COL_MEM:
		text_num(buf, len, r->mem);
		break;
	case COL_PEAK:
		text_num(buf, len, r->peak);
		break;
	case COL_SER:
		text_num(buf, len, r->ser);
		break;
	case COL_SERSIZE:
		text_bytes(buf, len, r->sersize);
		break;
	case COL_SCORE:
		text_num(buf, len, r->score);
		break;
	case COL_TREND:
		text_sparkline(buf, len, r->spark, r->nspark, w);
		break;
	case COL_STATUS:
		snprintf(buf, len, "%s", exec_status_name(r->status));
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

static void
main_table(struct tui *t, const struct rect *rc)
{
	const struct view_row	*r;
	enum view_col		 c;
	char			 buf[512], title[64];
	int			 want[COL_COUNT] = { 0 }, rows, i, x;
	size_t			 pos;
	attr_t			 base, a;
	bool			 sel;

	want[COL_ID] = t->view.id_width;
	want[COL_TREND] = MODEL_SPARK_LEN / 2;
	layout_columns(main_cols, COL_COUNT, rc->w, want, t->col_w);

	/* Column header, the sort column marked. */
	a = draw_attr(t, THEME_TABLE_HEADER);
	draw_fill(rc->y, 0, rc->w, a);
	for (c = 0, x = 0; c < COL_COUNT; c++) {
		if (t->col_w[c] == 0)
			continue;
		if (c == t->sort)
			snprintf(title, sizeof title, "%s%s", main_cols[c].title,
			    main_arrow(view_col_desc(c) != t->reverse));
		else
			snprintf(title, sizeof title, "%s", main_cols[c].title);
		draw_text(rc->y, x, t->col_w[c], title, main_cols[c].align,
		    c == t->sort ? a | A_UNDERLINE : a);
		x += t->col_w[c] + 1;
	}

	rows = rc->h - 1;
	if (t->view.norder == 0) {
		draw_text(rc->y + 1, 1, rc->w - 1, t->filter[0] != '\0' ?
		    "no executor matches the filter (Esc clears it)" :
		    t->model->records == 0 ? "waiting for records..." :
		    "no executors yet (press p if paused)", TEXT_LEFT,
		    draw_attr(t, THEME_PENDING));
		return;
	}
	t->top = layout_scroll(t->top, t->sel, t->view.norder, rows);
	for (i = 0; i < rows; i++) {
		pos = t->top + (size_t)i;
		if (pos >= t->view.norder)
			break;
		r = &t->view.rows[t->view.order[pos]];
		sel = pos == t->sel;
		base = draw_attr(t, sel && t->panel == PANEL_TABLE ?
		    THEME_SELECTED : THEME_TABLE);
		if (sel && t->panel != PANEL_TABLE)
			base |= A_BOLD;
		draw_fill(rc->y + 1 + i, 0, rc->w, base);
		for (c = 0, x = 0; c < COL_COUNT; c++) {
			if (t->col_w[c] == 0)
				continue;
			main_cell(r, c, t->col_w[c], buf, sizeof buf);
			a = base;
			if (c == COL_STATUS)
				a = draw_attr(t, draw_status_el(r->status));
			else if (c == COL_TREND && !sel)
				a = draw_attr(t, THEME_SPARKLINE);
			if (c == COL_ID)
				draw_stream(rc->y + 1 + i, x, t->col_w[c], buf,
				    main_cols[c].align, a);
			else
				draw_text(rc->y + 1 + i, x, t->col_w[c], buf,
				    main_cols[c].align, a);
			x += t->col_w[c] + 1;
		}
	}
}

static void
main_title(struct tui *t, int y, int w, enum tui_panel p, const char *s)
{
	attr_t	a = draw_attr(t, t->panel == p ? THEME_TITLE_FOCUS : THEME_TITLE);

	draw_fill(y, 0, w, a);
	draw_text(y, 0, w, s, TEXT_LEFT, a);
}

static void
main_p_value(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "p=-");
	else if (p < 0.0001)
		snprintf(buf, len, "p<0.0001");
	else
		snprintf(buf, len, "p=%.4f", p);
}

static void
main_value(char *buf, size_t len, enum metric m, double v)
{
	if (metric_prec(m) == 0)
		text_bytes(buf, len, v);
	else
		text_num(buf, len, v);
}

static void
main_alerts(struct tui *t, const struct rect *rc)
{
	const struct view_alert	*al;
	char			 title[256], line[1024], b[32], c[32], d[32];
	char			 p[32], vals[128];
	int			 rows, i, idw, x;
	size_t			 pos;
	attr_t			 base;

	if (rc->h == 0)
		return;
	snprintf(title, sizeof title, " Alerts: %zu active (%zu critical)"
	    "   improved %zu  pending %zu  new %zu  missing %zu", t->view.nalerts,
	    t->view.ncritical, t->view.nimprovements, t->view.npending,
	    t->view.nfresh, t->view.nmissing);
	main_title(t, rc->y, rc->w, PANEL_ALERTS, title);
	rows = rc->h - 1;
	if (t->view.nmissing > 0) {
		/* The last line of the panel: which baseline executors have
		 * not run (ids made inert by draw_stream). */
		size_t	k, len;

		len = (size_t)snprintf(line, sizeof line, "in the baseline, no "
		    "run: ");
		for (k = 0; k < t->view.nmissing && len < sizeof line / 2; k++)
			len += (size_t)snprintf(line + len, sizeof line - len,
			    "%s%s", k > 0 ? ", " : "", t->view.missing[k]);
		if (k < t->view.nmissing)
			snprintf(line + len, sizeof line - len, ", ...");
		base = draw_attr(t, THEME_WARN);
		draw_text(rc->y + rows, 1, 5, "MISS", TEXT_LEFT, base);
		if (rc->w > 7)
			draw_stream(rc->y + rows, 6, rc->w - 7, line, TEXT_LEFT,
			    draw_attr(t, THEME_ALERTS));
		if (--rows == 0)
			return;
	}
	if (t->view.nalerts == 0) {
		draw_text(rc->y + 1, 1, rc->w - 1, t->bl == NULL ?
		    "no baseline: press b to save one from the records so far "
		    "(or start with -b FILE)" : "no active regressions",
		    TEXT_LEFT, draw_attr(t, THEME_OK));
		return;
	}
	idw = t->view.id_width < 20 ? t->view.id_width : 20;
	t->alert_top = layout_scroll(t->alert_top, t->alert_sel,
	    t->view.nalerts, rows);
	for (i = 0; i < rows; i++) {
		pos = t->alert_top + (size_t)i;
		if (pos >= t->view.nalerts)
			break;
		al = &t->view.alerts[pos];
		base = draw_attr(t, t->panel == PANEL_ALERTS &&
		    pos == t->alert_sel ? THEME_SELECTED : THEME_ALERTS);
		draw_fill(rc->y + 1 + i, 0, rc->w, base);
		draw_text(rc->y + 1 + i, 1, 4, al->severity == SEV_CRITICAL ?
		    "CRIT" : "WARN", TEXT_LEFT, draw_attr(t,
		    al->severity == SEV_CRITICAL ? THEME_CRIT : THEME_WARN));
		x = 6;
		draw_stream(rc->y + 1 + i, x, idw, al->id, TEXT_LEFT, base);
		x += idw + 1;
		main_value(b, sizeof b, al->metric, al->baseline_value);
		main_value(c, sizeof c, al->metric, al->current_value);
		text_percent(d, sizeof d, al->delta_percent);
		main_p_value(p, sizeof p, al->p_value);
		snprintf(vals, sizeof vals, "%s %s %s %s", b, main_to(), c,
		    metric_unit(al->metric));
		snprintf(line, sizeof line, "%-18s %-24s %9s  %-9s n=%llu",
		    metric_label(al->metric), vals, d, p,
		    (unsigned long long)al->samples);
		if (al->detected) {
			size_t	l = strlen(line);

			text_percent(d, sizeof d, al->shift_percent);
			snprintf(line + l, sizeof line - l, "  %s since run %llu",
			    d, (unsigned long long)al->change_run);
		}
		draw_text(rc->y + 1 + i, x, rc->w - x, line, TEXT_LEFT, base);
	}
}

static void
main_bottlenecks(struct tui *t, const struct rect *rc)
{
	const struct view_bottleneck	*bn;
	char				 title[128], line[2048];
	char				 tm[32], mem[32], ser[32], sc[32], v[32];
	char				*slow = NULL, *memn = NULL, *extra, *n;
	int				 rows, i, idw, x;
	size_t				 pos;
	attr_t				 base;

	if (rc->h == 0)
		return;
	snprintf(title, sizeof title, " Bottlenecks: top %zu by score",
	    t->view.nbns);
	main_title(t, rc->y, rc->w, PANEL_BOTTLENECKS, title);
	rows = rc->h - 1;
	if (t->view.nbns == 0) {
		draw_text(rc->y + 1, 1, rc->w - 1, "none yet", TEXT_LEFT,
		    draw_attr(t, THEME_PENDING));
		return;
	}
	idw = t->view.id_width < 20 ? t->view.id_width : 20;
	t->bn_top = layout_scroll(t->bn_top, t->bn_sel, t->view.nbns, rows);
	for (i = 0; i < rows; i++) {
		pos = t->bn_top + (size_t)i;
		if (pos >= t->view.nbns)
			break;
		bn = &t->view.bns[pos];
		base = draw_attr(t, t->panel == PANEL_BOTTLENECKS &&
		    pos == t->bn_sel ? THEME_SELECTED : THEME_BOTTLENECKS);
		draw_fill(rc->y + 1 + i, 0, rc->w, base);
		draw_printf(rc->y + 1 + i, 0, 4, base, "%3zu", pos + 1);
		x = 4;
		draw_stream(rc->y + 1 + i, x, idw, bn->id, TEXT_LEFT, base);
		x += idw + 1;
		text_num(sc, sizeof sc, bn->score);
		text_num(tm, sizeof tm, bn->avg_time_ms);
		text_num(mem, sizeof mem, bn->avg_memory_mb);
		text_num(ser, sizeof ser, bn->avg_ser_time_ms);
		extra = xstrdup("");
		if (bn->slowest != NULL) {
			slow = escape_terminal(bn->slowest);
			text_num(v, sizeof v, bn->slowest_ms);
			n = xasprintf("%s  slowest %s %sms", extra, slow, v);
			free(extra);
			extra = n;
			free(slow);
		}
		if (bn->memory != NULL) {
			memn = escape_terminal(bn->memory);
			text_num(v, sizeof v, bn->memory_mb);
			n = xasprintf("%s  memory %s %sMB", extra, memn, v);
			free(extra);
			extra = n;
			free(memn);
		}
		snprintf(line, sizeof line, "score %5s  time %5sms  mem %5sMB"
		    "  ser %5sms%s  %s %s", sc, tm, mem, ser, extra, main_to(),
		    bn->recommendation != NULL ? bn->recommendation : "");
		free(extra);
		draw_text(rc->y + 1 + i, x, rc->w - x, line, TEXT_LEFT, base);
	}
}

static void
main_draw(struct tui *t)
{
	struct layout	*l = &t->lay;

	layout_main(l, t->cols, t->lines, draw_header_lines(t),
	    t->view.norder, t->view.nalerts, t->view.nbns);
	if (l->too_small) {
		draw_too_small(t);
		return;
	}
	draw_header(t, l->header.h);
	main_table(t, &l->table);
	main_alerts(t, &l->alerts);
	main_bottlenecks(t, &l->bottlenecks);
	draw_status(t, l->status.y);
}

/* Moves a selection by delta within count entries. */
static void
main_move(size_t *sel, size_t count, long delta)
{
	long	s = (long)*sel + delta;

	if (count == 0) {
		*sel = 0;
		return;
	}
	if (s < 0)
		s = 0;
	if (s >= (long)count)
		s = (long)count - 1;
	*sel = (size_t)s;
}

static void
main_sel_changed(struct tui *t)
{
	free(t->sel_id);
	t->sel_id = t->view.norder > 0 && t->sel < t->view.norder ?
	    xstrdup(t->view.rows[t->view.order[t->sel]].id) : NULL;
}

static int
main_panel_rows(const struct tui *t, enum tui_panel p)
{
	int	h;

	switch (p) {
	case PANEL_ALERTS:
		h = t->lay.alerts.h - 1;
		break;
	case PANEL_BOTTLENECKS:
		h = t->lay.bottlenecks.h - 1;
		break;
	default:
		h = t->lay.table.h - 1;
		break;
	}
	return h > 1 ? h : 1;
}

static void
main_scroll(struct tui *t, enum tui_panel p, long delta)
{
	switch (p) {
	case PANEL_ALERTS:
		main_move(&t->alert_sel, t->view.nalerts, delta);
		break;
	case PANEL_BOTTLENECKS:
		main_move(&t->bn_sel, t->view.nbns, delta);
		break;
	default:
		main_move(&t->sel, t->view.norder, delta);
		main_sel_changed(t);
		break;
	}
}

/* The executor an Enter opens in the focused panel. */
static const char *
main_focused_id(const struct tui *t)
{
	switch (t->panel) {
	case PANEL_ALERTS:
		return t->alert_sel < t->view.nalerts ?
		    t->view.alerts[t->alert_sel].id : NULL;
	case PANEL_BOTTLENECKS:
		return t->bn_sel < t->view.nbns ?
		    t->view.bns[t->bn_sel].id : NULL;
	default:
		return t->sel < t->view.norder ?
		    t->view.rows[t->view.order[t->sel]].id : NULL;
	}
}

static void
main_next_panel(struct tui *t, int dir)
{
	int	i, p = (int)t->panel;

	for (i = 0; i < PANEL_COUNT; i++) {
		p = (p + dir + PANEL_COUNT) % PANEL_COUNT;
		if (p == PANEL_TABLE ||
		    (p == PANEL_ALERTS && t->lay.alerts.h > 0) ||
		    (p == PANEL_BOTTLENECKS && t->lay.bottlenecks.h > 0))
			break;
	}
	t->panel = (enum tui_panel)p;
}

static void
main_sort_step(struct tui *t, int dir)
{
	int	c = (int)t->sort, i;
	bool	any = false;

	for (i = 0; i < COL_COUNT; i++)
		any = any || t->col_w[i] > 0;
	for (i = 0; i < COL_COUNT; i++) {
		c = (c + dir + COL_COUNT) % COL_COUNT;
		if (c == COL_TREND)
			continue;
		if (any && t->col_w[c] == 0)
			continue;
		break;
	}
	t->sort = (enum view_col)c;
	t->reverse = false;
	tui_reorder(t);
}

static int
main_key(struct tui *t, const struct tui_key *k)
{
	const char	*id;
	long		 page = main_panel_rows(t, t->panel);

	if (k->fn) {
		switch (k->code) {
		case KEY_UP:
			main_scroll(t, t->panel, -1);
			return 1;
		case KEY_DOWN:
			main_scroll(t, t->panel, 1);
			return 1;
		case KEY_PPAGE:
			main_scroll(t, t->panel, -page);
			return 1;
		case KEY_NPAGE:
			main_scroll(t, t->panel, page);
			return 1;
		case KEY_HOME:
			main_scroll(t, t->panel, -(long)1e9);
			return 1;
		case KEY_END:
			main_scroll(t, t->panel, (long)1e9);
			return 1;
		case KEY_ENTER:
			if ((id = main_focused_id(t)) != NULL)
				screen_detail_open(t, id);
			return 1;
		case KEY_BTAB:
			main_next_panel(t, -1);
			return 1;
		case KEY_F(6):
			main_sort_step(t, 1);
			return 1;
		case KEY_LEFT:
			main_sort_step(t, -1);
			return 1;
		case KEY_RIGHT:
			main_sort_step(t, 1);
			return 1;
		default:
			return 0;
		}
	}
	switch (k->code) {
	case 'k':
		main_scroll(t, t->panel, -1);
		return 1;
	case 'j':
		main_scroll(t, t->panel, 1);
		return 1;
	case 'g':
		main_scroll(t, t->panel, -(long)1e9);
		return 1;
	case 'G':
		main_scroll(t, t->panel, (long)1e9);
		return 1;
	case '\n':
	case '\r':
		if ((id = main_focused_id(t)) != NULL)
			screen_detail_open(t, id);
		return 1;
	case TUI_KEY_TAB:
		main_next_panel(t, 1);
		return 1;
	case '<':
	case ',':
		main_sort_step(t, -1);
		return 1;
	case '>':
	case '.':
		main_sort_step(t, 1);
		return 1;
	case 'r':
		t->reverse = !t->reverse;
		tui_reorder(t);
		return 1;
	case '/':
		t->prompt = PROMPT_FILTER;
		snprintf(t->input, sizeof t->input, "%s", t->filter);
		t->input_len = strlen(t->input);
		return 1;
	case TUI_KEY_ESC:
		if (t->filter[0] != '\0') {
			t->filter[0] = '\0';
			tui_reorder(t);
		}
		return 1;
	}
	return 0;
}

static bool
main_in(const struct rect *r, int y)
{
	return r->h > 0 && y >= r->y && y < r->y + r->h;
}

static void
main_mouse(struct tui *t, int y, int x, mmask_t b)
{
	const struct layout	*l = &t->lay;
	enum tui_panel		 p = t->panel;
	size_t			 idx;
	int			 c;

	if (main_in(&l->alerts, y))
		p = PANEL_ALERTS;
	else if (main_in(&l->bottlenecks, y))
		p = PANEL_BOTTLENECKS;
	else if (main_in(&l->table, y))
		p = PANEL_TABLE;
	if (b & BUTTON4_PRESSED) {
		main_scroll(t, p, -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (b & BUTTON5_PRESSED) {
		main_scroll(t, p, 3);
		return;
	}
#endif
	if (!(b & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (main_in(&l->table, y)) {
		if (y == l->table.y) {
			c = layout_column_at(t->col_w, COL_COUNT, x);
			if (c < 0 || c == COL_TREND)
				return;
			if ((enum view_col)c == t->sort)
				t->reverse = !t->reverse;
			else {
				t->sort = (enum view_col)c;
				t->reverse = false;
			}
			tui_reorder(t);
			return;
		}
		idx = t->top + (size_t)(y - l->table.y - 1);
		if (idx >= t->view.norder)
			return;
		if (idx == t->sel && t->panel == PANEL_TABLE) {
			screen_detail_open(t, t->view.rows[t->view.order[idx]].id);
			return;
		}
		t->panel = PANEL_TABLE;
		t->sel = idx;
		main_sel_changed(t);
	} else if (main_in(&l->alerts, y) && y > l->alerts.y) {
		idx = t->alert_top + (size_t)(y - l->alerts.y - 1);
		t->panel = PANEL_ALERTS;
		if (idx < t->view.nalerts)
			t->alert_sel = idx;
	} else if (main_in(&l->bottlenecks, y) && y > l->bottlenecks.y) {
		idx = t->bn_top + (size_t)(y - l->bottlenecks.y - 1);
		t->panel = PANEL_BOTTLENECKS;
		if (idx < t->view.nbns)
			t->bn_sel = idx;
	}
}

const struct tui_screen_ops screen_main_ops = {
	"main", main_draw, main_key, main_mouse
};
