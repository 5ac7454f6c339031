/*
 * editor.c - the threshold editor (`t`): thresholds per metric,
 * critical_factor, min_samples and significance, changed live.
 *
 * Each change is applied to the running config at once (the main screen
 * re-evaluates the kept data), and its effect is measured by running the
 * analysis with the old and the new config over the same model: "2
 * raised, 1 cleared".  For the selected setting the effect of one step
 * down and one step up is shown before it is made.  `w` writes the values
 * back with config_write_back(), which replaces the scalars in place so
 * the file's comments and layout stay.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "config.h"
#include "metric.h"
#include "model.h"
#include "tui_int.h"
#include "paths.h"
#include "xmalloc.h"

enum {
	ED_CRITICAL = METRIC_COUNT,
	ED_MIN_SAMPLES,
	ED_SIGNIFICANCE
};

static void
editor_name(size_t row, char *buf, size_t len)
{
	if (row < METRIC_COUNT)
		snprintf(buf, len, "threshold %s", metric_name((enum metric)row));
	else if (row == ED_CRITICAL)
		snprintf(buf, len, "critical_factor");
	else if (row == ED_MIN_SAMPLES)
		snprintf(buf, len, "min_samples");
	else
		snprintf(buf, len, "significance");
}

static void
editor_value(const struct config *c, size_t row, char *buf, size_t len)
{
	if (row < METRIC_COUNT) {
		if (!c->has_threshold[row])
			snprintf(buf, len, "off");
		else
			snprintf(buf, len, "%g%%", c->threshold[row]);
	} else if (row == ED_CRITICAL)
		snprintf(buf, len, "%g", c->critical_factor);
	else if (row == ED_MIN_SAMPLES)
		snprintf(buf, len, "%u", c->min_samples);
	else
		snprintf(buf, len, c->significance == 0 ? "0 (test off)" : "%g",
		    c->significance);
}

/* One step down (dir < 0) or up; returns 0 when the value would not
 * change. */
static int
editor_step(struct config *c, size_t row, int dir)
{
	double	v;

	if (row < METRIC_COUNT) {
		if (!c->has_threshold[row]) {
			if (dir < 0)
				return 0;
			c->has_threshold[row] = true;
			c->threshold[row] = 5;
			return 1;
		}
		v = c->threshold[row];
		if (dir < 0 && v <= 1) {	/* 0% is refused: off */
			c->has_threshold[row] = false;
			return 1;
		}
		v += dir * (v > 10 || (v == 10 && dir > 0) ? 5 : 1);
		c->threshold[row] = v < 0 ? 0 : v;
		return 1;
	}
	if (row == ED_CRITICAL) {
		v = c->critical_factor + dir * 0.25;
		if (v < 1)
			v = 1;
		if (v == c->critical_factor)
			return 0;
		c->critical_factor = v;
		return 1;
	}
	if (row == ED_MIN_SAMPLES) {
		if (dir < 0 && c->min_samples <= 1)
			return 0;
		c->min_samples = (unsigned)((int)c->min_samples + dir);
		return 1;
	}
	v = round((c->significance + dir * 0.01) * 100) / 100;
	if (v < 0)
		v = 0;
	if (v > 0.99)
		v = 0.99;
	if (v == c->significance)
		return 0;
	c->significance = v;
	return 1;
}

/* Makes nc the running config, reporting what the change did. */
static void
editor_apply(struct tui *t, size_t row, struct config *nc)
{
	struct analysis	*before, *after;
	char		 name[64], was[32], now[32];
	size_t		 raised, cleared;

	editor_name(row, name, sizeof name);
	editor_value(&t->cfg, row, was, sizeof was);
	editor_value(nc, row, now, sizeof now);
	before = tui_analyse(t, &t->cfg);
	after = tui_analyse(t, nc);
	view_alert_diff(before, after, &raised, &cleared);
	snprintf(t->ed.last, sizeof t->ed.last, "%s %s -> %s: %zu raised, "
	    "%zu cleared (now %zu alerts, %zu critical)", name, was, now,
	    raised, cleared, after->nregressions, after->ncritical);
	analysis_free(before);
	analysis_free(after);
	config_free(&t->cfg);
	t->cfg = *nc;
	t->cfg_gen++;
	t->ed.modified = true;
	t->ed.preview_valid = false;
	tui_rebuild_view(t);
	tui_set_status(t, false, "%s", t->ed.last);
}

static void
editor_change(struct tui *t, int dir)
{
	struct config	nc;

	config_copy(&nc, &t->cfg);
	if (editor_step(&nc, t->ed.sel, dir) == 0) {
		config_free(&nc);
		return;
	}
	editor_apply(t, t->ed.sel, &nc);
}

void
editor_set_value(struct tui *t, const char *s)
{
	struct config	 nc;
	size_t		 row = t->ed.sel;
	char		*end, name[64];
	double		 v;

	editor_name(row, name, sizeof name);
	config_copy(&nc, &t->cfg);
	if (row < METRIC_COUNT && (strcmp(s, "off") == 0 || *s == '\0')) {
		nc.has_threshold[row] = false;
		editor_apply(t, row, &nc);
		return;
	}
	errno = 0;
	v = strtod(s, &end);
	while (*end == ' ' || (*end == '%' && row < METRIC_COUNT))
		end++;
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(v))
		goto bad;
	if (row < METRIC_COUNT) {
		if (!(v > 0))
			goto bad;
		nc.has_threshold[row] = true;
		nc.threshold[row] = v;
	} else if (row == ED_CRITICAL) {
		if (v < 1)
			goto bad;
		nc.critical_factor = v;
	} else if (row == ED_MIN_SAMPLES) {
		if (v < 1 || v != floor(v) || v > 1e9)
			goto bad;
		nc.min_samples = (unsigned)v;
	} else {
		if (v < 0 || v >= 1)
			goto bad;
		nc.significance = v;
	}
	editor_apply(t, row, &nc);
	return;
bad:
	config_free(&nc);
	tui_set_status(t, true, "%s: '%s' is not a valid value (%s)", name, s,
	    row < METRIC_COUNT ? "a percentage >= 0, or off" :
	    row == ED_CRITICAL ? "a number >= 1" :
	    row == ED_MIN_SAMPLES ? "a whole number >= 1" : "0 to below 1");
}

void
editor_reset(struct tui *t)
{
	struct config	d;
	size_t		i;

	if (!t->ed.modified) {
		tui_set_status(t, false, "no unsaved threshold changes");
		return;
	}
	if (t->opts->config_path != NULL) {
		action_config_check(t, true, true);
		if (t->cfg_error == NULL)
			tui_set_status(t, false, "thresholds back to %s",
			    t->opts->config_path);
		return;
	}
	config_defaults(&d);
	for (i = 0; i < METRIC_COUNT; i++) {
		t->cfg.has_threshold[i] = d.has_threshold[i];
		t->cfg.threshold[i] = d.threshold[i];
	}
	t->cfg.critical_factor = d.critical_factor;
	t->cfg.min_samples = d.min_samples;
	t->cfg.significance = d.significance;
	config_free(&d);
	t->cfg_gen++;
	t->ed.modified = false;
	t->ed.preview_valid = false;
	tui_rebuild_view(t);
	tui_set_status(t, false, "thresholds back to the built-in defaults");
}

void
editor_write(struct tui *t)
{
	char	*cause = NULL, *data;

	if (t->cfg.path == NULL || t->opts->config_path == NULL) {
		tui_set_status(t, true, "no config file to write to (start "
		    "with -c FILE)");
		return;
	}
	if ((data = paths_data_dir()) != NULL &&
	    strncmp(t->cfg.path, data, strlen(data)) == 0 &&
	    t->cfg.path[strlen(data)] == '/') {
		/* The installed default is shared by every user. */
		tui_set_status(t, true, "%s is the installed default: copy it "
		    "to ~/.config/exectop/config.yaml to keep your thresholds",
		    t->cfg.path);
		free(data);
		return;
	}
	free(data);
	if (config_write_back(&t->cfg, &cause) == -1) {
		tui_set_status(t, true, "thresholds not written: %s", cause);
		free(cause);
		return;
	}
	/* Read it back at once: the positions of added keys changed. */
	action_config_check(t, true, true);
	t->ed.modified = false;
	tui_set_status(t, false, "thresholds written to %s (comments kept)",
	    t->opts->config_path);
}

/* Effects of one step down and up on the selected row. */
static void
editor_preview(struct tui *t)
{
	struct analysis	*now, *a;
	struct config	 c;
	int		 d;

	if (t->ed.preview_valid && t->ed.preview_gen == t->model->generation &&
	    t->ed.preview_sel == t->ed.sel)
		return;
	now = tui_analyse(t, &t->cfg);
	t->ed.now_alerts = now->nregressions;
	t->ed.now_critical = now->ncritical;
	for (d = 0; d < 2; d++) {
		t->ed.raise[d] = t->ed.clear[d] = (size_t)-1;
		config_copy(&c, &t->cfg);
		if (editor_step(&c, t->ed.sel, d == 0 ? -1 : 1) == 1) {
			a = tui_analyse(t, &c);
			view_alert_diff(now, a, &t->ed.raise[d], &t->ed.clear[d]);
			analysis_free(a);
		}
		config_free(&c);
	}
	analysis_free(now);
	t->ed.preview_valid = true;
	t->ed.preview_gen = t->model->generation;
	t->ed.preview_sel = t->ed.sel;
}

static void
editor_effect(char *buf, size_t len, const char *what, size_t raise,
    size_t clear)
{
	if (raise == (size_t)-1)
		snprintf(buf, len, "%s: -", what);
	else
		snprintf(buf, len, "%s: +%zu / -%zu alerts", what, raise, clear);
}

static void
editor_draw(struct tui *t)
{
	struct config	 c;
	char		 name[64], val[32], down[128], up[128], next[32];
	char		 title[512];
	int		 hl = draw_header_lines(t), y;
	size_t		 row;
	attr_t		 a;

	draw_header(t, hl);
	y = hl;
	snprintf(title, sizeof title, " Threshold editor: changes apply live;"
	    " w writes them to %s, u undoes, Esc returns",
	    t->opts->config_path != NULL ? t->opts->config_path :
	    "(no config file)");
	draw_stream(y, 0, t->cols, title, TEXT_LEFT,
	    draw_attr(t, THEME_TITLE_FOCUS));
	y += 2;
	editor_preview(t);
	draw_text(y, 0, t->cols, "   SETTING                              VALUE"
	    "   ONE STEP DOWN              ONE STEP UP", TEXT_LEFT,
	    draw_attr(t, THEME_TABLE_HEADER));
	y++;
	for (row = 0; row < EDITOR_ROWS && y < t->lines - 5; row++, y++) {
		a = draw_attr(t, row == t->ed.sel ? THEME_SELECTED :
		    THEME_TABLE);
		draw_fill(y, 0, t->cols, a);
		editor_name(row, name, sizeof name);
		editor_value(&t->cfg, row, val, sizeof val);
		draw_text(y, 0, 3, row == t->ed.sel ? " >" : "", TEXT_LEFT, a);
		draw_text(y, 3, 36, name, TEXT_LEFT, a);
		draw_text(y, 40, 8, val, TEXT_RIGHT, a | A_BOLD);
		if (row != t->ed.sel)
			continue;
		config_copy(&c, &t->cfg);
		if (editor_step(&c, row, -1) == 1)
			editor_value(&c, row, next, sizeof next);
		else
			snprintf(next, sizeof next, "-");
		config_free(&c);
		editor_effect(down, sizeof down, next, t->ed.raise[0],
		    t->ed.clear[0]);
		config_copy(&c, &t->cfg);
		if (editor_step(&c, row, 1) == 1)
			editor_value(&c, row, next, sizeof next);
		else
			snprintf(next, sizeof next, "-");
		config_free(&c);
		editor_effect(up, sizeof up, next, t->ed.raise[1],
		    t->ed.clear[1]);
		draw_text(y, 51, 26, down, TEXT_LEFT, a);
		draw_text(y, 78, t->cols - 78, up, TEXT_LEFT, a);
	}
	y++;
	draw_printf(y++, 0, t->cols, draw_attr(t, THEME_TABLE),
	    " alerts now: %zu (%zu critical)%s", t->ed.now_alerts,
	    t->ed.now_critical, t->ed.modified ?
	    "   unsaved changes: w writes them, u undoes" : "");
	if (t->ed.last[0] != '\0')
		draw_printf(y, 0, t->cols, draw_attr(t, THEME_TABLE),
		    " last change: %s", t->ed.last);
	draw_status(t, t->lines - 1);
}

static int
editor_key(struct tui *t, const struct tui_key *k)
{
	char	val[32];

	if (k->fn) {
		switch (k->code) {
		case KEY_UP:
			if (t->ed.sel > 0)
				t->ed.sel--;
			return 1;
		case KEY_DOWN:
			if (t->ed.sel + 1 < EDITOR_ROWS)
				t->ed.sel++;
			return 1;
		case KEY_LEFT:
			editor_change(t, -1);
			return 1;
		case KEY_RIGHT:
			editor_change(t, 1);
			return 1;
		case KEY_ENTER:
			goto enter;
		}
		return 0;
	}
	switch (k->code) {
	case 'k':
		if (t->ed.sel > 0)
			t->ed.sel--;
		return 1;
	case 'j':
		if (t->ed.sel + 1 < EDITOR_ROWS)
			t->ed.sel++;
		return 1;
	case '-':
	case '_':
	case 'h':
		editor_change(t, -1);
		return 1;
	case '+':
	case '=':
	case 'l':
		editor_change(t, 1);
		return 1;
	case '\n':
	case '\r':
		goto enter;
	case 'w':
		editor_write(t);
		return 1;
	case 'u':
		editor_reset(t);
		return 1;
	case TUI_KEY_ESC:
	case 't':
		tui_switch(t, SCREEN_MAIN);
		return 1;
	}
	return 0;
enter:
	editor_value(&t->cfg, t->ed.sel, val, sizeof val);
	t->prompt = PROMPT_VALUE;
	if (strcmp(val, "off") == 0)
		val[0] = '\0';
	val[strcspn(val, "% (")] = '\0';
	snprintf(t->input, sizeof t->input, "%s", val);
	t->input_len = strlen(t->input);
	t->input_prefilled = true;	/* typing replaces, Backspace edits */
	return 1;
}

const struct tui_screen_ops screen_editor_ops = {
	"editor", editor_draw, editor_key, NULL
};
