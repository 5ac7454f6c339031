/*
 * screen_detail.c - one executor in full: every metric baseline vs the
 * current window (mean, p50, p95, p99, n) with the analysis' finding, a
 * sparkline of recent execution times, and its sortable method table.
 *
 * Summaries come from the live model (executor_summary_all/_recent) and
 * the baseline (baseline_find); findings from the view's copy of the
 * analysis.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "metric.h"
#include "model.h"
#include "tui_int.h"
#include "xmalloc.h"

enum dcol {
	DCOL_METRIC, DCOL_BMEAN, DCOL_BP50, DCOL_BP95, DCOL_BN, DCOL_MEAN,
	DCOL_P50, DCOL_P95, DCOL_P99, DCOL_N, DCOL_DELTA, DCOL_FINDING,
	DCOL_COUNT
};

static const struct col_spec detail_cols[DCOL_COUNT] = {
	[DCOL_METRIC] =	 { "METRIC", 24, 26, 0, TEXT_LEFT, true },
	[DCOL_BMEAN] =	 { "base avg", 8, 8, 1, TEXT_RIGHT, false },
	[DCOL_BP50] =	 { "base p50", 8, 8, 8, TEXT_RIGHT, false },
	[DCOL_BP95] =	 { "base p95", 8, 8, 4, TEXT_RIGHT, false },
	[DCOL_BN] =	 { "base n", 8, 8, 9, TEXT_RIGHT, false },
	[DCOL_MEAN] =	 { "now avg", 8, 8, 0, TEXT_RIGHT, false },
	[DCOL_P50] =	 { "now p50", 8, 8, 7, TEXT_RIGHT, false },
	[DCOL_P95] =	 { "now p95", 8, 8, 3, TEXT_RIGHT, false },
	[DCOL_P99] =	 { "now p99", 8, 8, 6, TEXT_RIGHT, false },
	[DCOL_N] =	 { "now n", 7, 7, 5, TEXT_RIGHT, false },
	[DCOL_DELTA] =	 { "delta", 8, 9, 1, TEXT_RIGHT, false },
	[DCOL_FINDING] = { "finding", 14, 22, 2, TEXT_LEFT, true },
};

static const struct col_spec method_cols[MCOL_COUNT] = {
	[MCOL_NAME] =	{ "METHOD", 12, 60, 0, TEXT_LEFT, true },
	[MCOL_CALLS] =	{ "CALLS", 8, 10, 1, TEXT_RIGHT, false },
	[MCOL_TOTAL] =	{ "TOTAL ms", 9, 10, 0, TEXT_RIGHT, false },
	[MCOL_MEAN] =	{ "MEAN ms", 9, 10, 1, TEXT_RIGHT, false },
	[MCOL_MAX] =	{ "MAX ms", 9, 10, 2, TEXT_RIGHT, false },
	[MCOL_MEM] =	{ "MEM MB", 8, 10, 3, TEXT_RIGHT, false },
	[MCOL_FAIL] =	{ "FAIL", 6, 8, 2, TEXT_RIGHT, false },
};

void
screen_detail_open(struct tui *t, const char *id)
{
	free(t->detail_id);
	t->detail_id = xstrdup(id);
	t->msort = MCOL_TOTAL;
	t->mreverse = false;
	t->msel = 0;
	t->mtop = 0;
	tui_switch(t, SCREEN_DETAIL);
}

static const struct view_row *
detail_row(const struct tui *t, const struct executor *ex)
{
	const struct view_row	*r;

	if (ex->index < t->view.nrows) {
		r = &t->view.rows[ex->index];
		if (strcmp(r->id, ex->id) == 0)
			return r;
	}
	return NULL;
}

static void
detail_value(char *buf, size_t len, enum metric m, double v)
{
	if (metric_prec(m) == 0)
		text_bytes(buf, len, v);
	else
		text_num(buf, len, v);
}

static void
detail_finding(char *buf, size_t len, const struct view_finding *f,
    bool has_base)
{
	if (f == NULL || !f->has) {
		snprintf(buf, len, has_base ? "ok" : "-");
		return;
	}
	switch (f->kind) {
	case FINDING_REGRESSION:
		snprintf(buf, len, "%s >%.0f%%", f->severity ==
		    SEV_CRITICAL ? "CRIT" : "WARN", f->threshold);
		break;
	case FINDING_IMPROVEMENT:
		snprintf(buf, len, "improved");
		break;
	case FINDING_PENDING:
		snprintf(buf, len, "pending %llu/%llu",
		    (unsigned long long)f->samples,
		    (unsigned long long)f->min_samples);
		break;
	default:
		snprintf(buf, len, "new");
		break;
	}
}

static enum theme_el
detail_finding_el(const struct view_finding *f)
{
	if (f == NULL || !f->has)
		return THEME_OK;
	switch (f->kind) {
	case FINDING_REGRESSION:
		return f->severity == SEV_CRITICAL ? THEME_CRIT : THEME_WARN;
	case FINDING_IMPROVEMENT:
		return THEME_IMPROVED;
	case FINDING_PENDING:
		return THEME_PENDING;
	default:
		return THEME_NEW;
	}
}

/* The metrics block; returns the lines used. */
static int
detail_metrics(struct tui *t, const struct executor *ex,
    const struct view_row *vr, int y)
{
	const struct baseline_entry	*be;
	const struct baseline_metric	*bm;
	const struct view_finding	*f;
	struct summary			 s;
	enum metric			 m;
	char				 buf[64];
	int				 w[DCOL_COUNT], c, x;
	attr_t				 a = draw_attr(t, THEME_TABLE_HEADER);
	double				 delta;

	layout_columns(detail_cols, DCOL_COUNT, t->cols, NULL, w);
	draw_fill(y, 0, t->cols, a);
	for (c = 0, x = 0; c < DCOL_COUNT; c++) {
		if (w[c] == 0)
			continue;
		draw_text(y, x, w[c], detail_cols[c].title, detail_cols[c].align,
		    a);
		x += w[c] + 1;
	}
	be = t->bl != NULL ? baseline_find(t->bl, ex->id) : NULL;
	for (m = 0; m < METRIC_COUNT; m++) {
		y++;
		bm = be != NULL && be->m[m].present ? &be->m[m] : NULL;
		f = vr != NULL ? &vr->f[m] : NULL;
		executor_summary_recent(ex, t->model, m, &s);
		delta = NAN;
		if (f != NULL && f->has && !isnan(f->delta_percent))
			delta = f->delta_percent;
		else if (bm != NULL && s.n > 0)
			delta = metric_delta_percent(bm->mean, s.mean);
		for (c = 0, x = 0; c < DCOL_COUNT; c++) {
			if (w[c] == 0)
				continue;
			a = draw_attr(t, THEME_TABLE);
			switch (c) {
			case DCOL_METRIC:
				snprintf(buf, sizeof buf, "%s %s",
				    metric_label(m), metric_unit(m));
				break;
			case DCOL_BMEAN:
				detail_value(buf, sizeof buf, m,
				    bm ? bm->mean : NAN);
				break;
			case DCOL_BP50:
				detail_value(buf, sizeof buf, m,
				    bm ? bm->p50 : NAN);
				break;
			case DCOL_BP95:
				detail_value(buf, sizeof buf, m,
				    bm ? bm->p95 : NAN);
				break;
			case DCOL_BN:
				if (bm != NULL)
					snprintf(buf, sizeof buf, "%llu",
					    (unsigned long long)bm->n);
				else
					snprintf(buf, sizeof buf, "-");
				break;
			case DCOL_MEAN:
				detail_value(buf, sizeof buf, m, s.mean);
				break;
			case DCOL_P50:
				detail_value(buf, sizeof buf, m, s.p50);
				break;
			case DCOL_P95:
				detail_value(buf, sizeof buf, m, s.p95);
				break;
			case DCOL_P99:
				detail_value(buf, sizeof buf, m, s.p99);
				break;
			case DCOL_N:
				snprintf(buf, sizeof buf, "%llu",
				    (unsigned long long)s.n);
				break;
			case DCOL_DELTA:
				text_percent(buf, sizeof buf, delta);
				break;
			default:
				detail_finding(buf, sizeof buf, f, bm != NULL);
				a = draw_attr(t, detail_finding_el(f));
				break;
			}
			draw_text(y, x, w[c], buf, detail_cols[c].align, a);
			x += w[c] + 1;
		}
	}
	return METRIC_COUNT + 1;
}

struct detail_sort {
	const struct method_stats	*ms;
	enum method_col			 col;
	int				 dir;
};

static double
detail_mvalue(const struct method_stats *m, enum method_col c)
{
	switch (c) {
	case MCOL_CALLS:
		return (double)m->calls;
	case MCOL_TOTAL:
		return m->time_n > 0 ? m->total_time_ms : NAN;
	case MCOL_MEAN:
		return method_mean_time(m);
	case MCOL_MAX:
		return m->time_n > 0 ? m->max_time_ms : NAN;
	case MCOL_MEM:
		return method_mean_mem(m);
	case MCOL_FAIL:
		return (double)m->failures;
	default:
		return 0;
	}
}

static int
detail_mcmp(const void *pa, const void *pb, void *arg)
{
	const struct detail_sort	*s = arg;
	const struct method_stats	*a = &s->ms[*(const size_t *)pa];
	const struct method_stats	*b = &s->ms[*(const size_t *)pb];
	double				 x, y;
	int				 c;

	if (s->col == MCOL_NAME)
		c = s->dir * strcmp(a->name, b->name);
	else {
		x = detail_mvalue(a, s->col);
		y = detail_mvalue(b, s->col);
		if (isnan(x) || isnan(y))
			c = isnan(x) - isnan(y);
		else
			c = s->dir * ((x > y) - (x < y));
	}
	return c != 0 ? c : strcmp(a->name, b->name);
}

static void
detail_methods(struct tui *t, const struct executor *ex, int y, int h)
{
	struct detail_sort	 s;
	size_t			*idx, i, pos;
	const struct method_stats *m;
	char			 buf[64], title[128];
	int			 c, x, row;
	attr_t			 a;

	t->mtable_y = -1;
	t->mtable_h = 0;
	if (h < 2)
		return;
	snprintf(title, sizeof title, " Methods: %zu%s", ex->nmethods,
	    ex->dropped_methods > 0 ? " (more dropped: limits.max_methods)" :
	    "");
	draw_text(y, 0, t->cols, title, TEXT_LEFT, draw_attr(t, THEME_TITLE));
	y++;
	h--;
	layout_columns(method_cols, MCOL_COUNT, t->cols, NULL, t->mcol_w);
	a = draw_attr(t, THEME_TABLE_HEADER);
	draw_fill(y, 0, t->cols, a);
	for (c = 0, x = 0; c < MCOL_COUNT; c++) {
		if (t->mcol_w[c] == 0)
			continue;
		if (c == (int)t->msort)
			snprintf(buf, sizeof buf, "%s%s", method_cols[c].title,
			    (c != MCOL_NAME) != t->mreverse ?
			    (text_utf8() ? "\xe2\x96\xbc" : "v") :
			    (text_utf8() ? "\xe2\x96\xb2" : "^"));
		else
			snprintf(buf, sizeof buf, "%s", method_cols[c].title);
		draw_text(y, x, t->mcol_w[c], buf, method_cols[c].align, a);
		x += t->mcol_w[c] + 1;
	}
	t->mtable_y = y;
	t->mtable_h = h;
	y++;
	h--;
	if (ex->nmethods == 0) {
		draw_text(y, 1, t->cols - 1, "no method calls recorded",
		    TEXT_LEFT, draw_attr(t, THEME_PENDING));
		return;
	}
	idx = xcalloc(ex->nmethods, sizeof *idx);
	for (i = 0; i < ex->nmethods; i++)
		idx[i] = i;
	s.ms = ex->methods;
	s.col = t->msort;
	s.dir = t->msort == MCOL_NAME ? 1 : -1;
	if (t->mreverse)
		s.dir = -s.dir;
	qsort_r(idx, ex->nmethods, sizeof *idx, detail_mcmp, &s);
	if (t->msel >= ex->nmethods)
		t->msel = ex->nmethods - 1;
	t->mtop = layout_scroll(t->mtop, t->msel, ex->nmethods, h);
	for (row = 0; row < h; row++) {
		pos = t->mtop + (size_t)row;
		if (pos >= ex->nmethods)
			break;
		m = &ex->methods[idx[pos]];
		a = draw_attr(t, pos == t->msel ? THEME_SELECTED : THEME_TABLE);
		draw_fill(y + row, 0, t->cols, a);
		for (c = 0, x = 0; c < MCOL_COUNT; c++) {
			if (t->mcol_w[c] == 0)
				continue;
			switch (c) {
			case MCOL_NAME:
				draw_stream(y + row, x, t->mcol_w[c], m->name,
				    TEXT_LEFT, a);
				x += t->mcol_w[c] + 1;
				continue;
			case MCOL_CALLS:
			case MCOL_FAIL:
				snprintf(buf, sizeof buf, "%.0f",
				    detail_mvalue(m, c));
				break;
			default:
				text_num(buf, sizeof buf, detail_mvalue(m, c));
				break;
			}
			draw_text(y + row, x, t->mcol_w[c], buf,
			    method_cols[c].align, a);
			x += t->mcol_w[c] + 1;
		}
	}
	free(idx);
}

static void
detail_draw(struct tui *t)
{
	const struct executor	*ex;
	const struct view_row	*vr;
	double			 spark[MODEL_SPARK_LEN], lo = NAN, hi = NAN;
	char			 line[512], sc[32], lo_s[32], hi_s[32];
	char			 sp[MODEL_SPARK_LEN * 4 + 1];
	size_t			 n, i;
	int			 hl = draw_header_lines(t), y, sw, bottom;
	attr_t			 a;

	draw_header(t, hl);
	bottom = t->lines - 1;
	draw_status(t, bottom);
	y = hl;
	ex = t->detail_id != NULL ? model_find(t->model, t->detail_id) : NULL;
	if (ex == NULL) {
		draw_text(y, 1, t->cols - 1, "executor not found (Esc goes "
		    "back)", TEXT_LEFT, draw_attr(t, THEME_ERROR));
		return;
	}
	vr = detail_row(t, ex);

	/* Title: id, status, counts. */
	a = draw_attr(t, THEME_TITLE_FOCUS);
	draw_fill(y, 0, t->cols, a);
	draw_text(y, 0, 1, "", TEXT_LEFT, a);
	draw_stream(y, 1, t->cols / 2, ex->id, TEXT_LEFT, a | A_BOLD);
	i = (size_t)text_width(ex->id);
	if ((int)i > t->cols / 2)
		i = (size_t)t->cols / 2;
	text_num(sc, sizeof sc, vr != NULL ? vr->score : NAN);
	if (vr != NULL)
		draw_text(y, (int)i + 2, 9, exec_status_name(vr->status),
		    TEXT_CENTER, draw_attr(t, draw_status_el(vr->status)));
	snprintf(line, sizeof line, "runs %llu  failures %llu  score %s  "
	    "rank %u of %zu  window %zu runs", (unsigned long long)ex->runs,
	    (unsigned long long)ex->failures, sc, vr != NULL ? vr->rank : 0,
	    t->view.nrows, t->cfg.window);
	draw_text(y, (int)i + 12, t->cols - (int)i - 12, line, TEXT_LEFT, a);
	y++;
	if (ex->last_error != NULL && y < bottom) {
		draw_text(y, 0, 13, " last error: ", TEXT_LEFT,
		    draw_attr(t, THEME_ERROR));
		draw_stream(y, 13, t->cols - 13, ex->last_error, TEXT_LEFT,
		    draw_attr(t, THEME_TABLE));
		y++;
	}
	if (y + METRIC_COUNT + 1 < bottom)
		y += detail_metrics(t, ex, vr, y);

	/* Sparkline of recent execution times. */
	n = executor_spark(ex, spark);
	for (i = 0; i < n; i++) {
		if (isnan(spark[i]))
			continue;
		if (isnan(lo) || spark[i] < lo)
			lo = spark[i];
		if (isnan(hi) || spark[i] > hi)
			hi = spark[i];
	}
	if (y + 1 < bottom) {
		y++;
		snprintf(line, sizeof line, " execution time, last %zu runs: ",
		    n);
		draw_text(y, 0, t->cols, line, TEXT_LEFT,
		    draw_attr(t, THEME_TITLE));
		sw = t->cols - text_width(line) - 24;
		if (sw > (int)n)
			sw = (int)n;
		if (sw > 0) {
			text_sparkline(sp, sizeof sp, spark, n, sw);
			draw_text(y, text_width(line), sw, sp, TEXT_LEFT,
			    draw_attr(t, THEME_SPARKLINE));
			text_num(lo_s, sizeof lo_s, lo);
			text_num(hi_s, sizeof hi_s, hi);
			draw_printf(y, text_width(line) + sw + 1, 23,
			    draw_attr(t, THEME_TABLE), "min %s max %s ms",
			    lo_s, hi_s);
		}
		y += 2;
	}
	detail_methods(t, ex, y, bottom - y);
}

static int
detail_key(struct tui *t, const struct tui_key *k)
{
	long	page = t->mtable_h > 2 ? t->mtable_h - 1 : 1;
	long	d = 0;
	bool	sort = false;
	int	c;

	if (k->fn) {
		switch (k->code) {
		case KEY_UP:
			d = -1;
			break;
		case KEY_DOWN:
			d = 1;
			break;
		case KEY_PPAGE:
			d = -page;
			break;
		case KEY_NPAGE:
			d = page;
			break;
		case KEY_HOME:
			d = -(long)1e9;
			break;
		case KEY_END:
			d = (long)1e9;
			break;
		case KEY_BACKSPACE:
		case KEY_LEFT:
			tui_switch(t, SCREEN_MAIN);
			return 1;
		case KEY_F(6):
			c = ((int)t->msort + 1) % MCOL_COUNT;
			t->msort = (enum method_col)c;
			t->mreverse = false;
			return 1;
		default:
			return 0;
		}
	} else {
		switch (k->code) {
		case TUI_KEY_ESC:
		case TUI_KEY_DEL:
		case '\b':
			tui_switch(t, SCREEN_MAIN);
			return 1;
		case 'k':
			d = -1;
			break;
		case 'j':
			d = 1;
			break;
		case 'g':
			d = -(long)1e9;
			break;
		case 'G':
			d = (long)1e9;
			break;
		case '<':
		case ',':
			c = ((int)t->msort + MCOL_COUNT - 1) % MCOL_COUNT;
			t->msort = (enum method_col)c;
			sort = true;
			break;
		case '>':
		case '.':
			c = ((int)t->msort + 1) % MCOL_COUNT;
			t->msort = (enum method_col)c;
			sort = true;
			break;
		case 'r':
			t->mreverse = !t->mreverse;
			return 1;
		case '\n':
		case '\r':
			return 1;
		default:
			return 0;
		}
	}
	if (sort) {
		t->mreverse = false;
		return 1;
	}
	if (d < 0 && (size_t)-d > t->msel)
		t->msel = 0;
	else
		t->msel = (size_t)((long)t->msel + d);	/* clamped at draw */
	if (d > 0 && t->msel > (size_t)1e9)
		t->msel = (size_t)1e9;
	return 1;
}

static void
detail_mouse(struct tui *t, int y, int x, mmask_t b)
{
	int	c;

	if (b & BUTTON4_PRESSED) {
		t->msel = t->msel > 3 ? t->msel - 3 : 0;
		return;
	}
#ifdef BUTTON5_PRESSED
	if (b & BUTTON5_PRESSED) {
		t->msel += 3;
		return;
	}
#endif
	if (!(b & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || t->mtable_y < 0)
		return;
	if (y == t->mtable_y) {
		c = layout_column_at(t->mcol_w, MCOL_COUNT, x);
		if (c < 0)
			return;
		if ((enum method_col)c == t->msort)
			t->mreverse = !t->mreverse;
		else {
			t->msort = (enum method_col)c;
			t->mreverse = false;
		}
	} else if (y > t->mtable_y && y < t->mtable_y + t->mtable_h)
		t->msel = t->mtop + (size_t)(y - t->mtable_y - 1);
}

const struct tui_screen_ops screen_detail_ops = {
	"detail", detail_draw, detail_key, detail_mouse
};
