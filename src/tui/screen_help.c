/*
 * screen_help.c - every key, one line each (`?` or F1).  The same table
 * is in the README.
 */
#include <stdio.h>

#include "tui_int.h"

const struct help_line help_lines[] = {
	{ NULL, "Main screen" },
	{ "q", "quit (from any screen)" },
	{ "? F1 h", "this help" },
	{ "Up Down j k", "move the selection in the focused panel" },
	{ "PgUp PgDn", "move a page" },
	{ "Home End g G", "first / last entry" },
	{ "Enter", "detail of the selected executor (table, alert or "
	    "bottleneck)" },
	{ "Esc", "back; in the main screen clears the filter" },
	{ "Tab Shift-Tab", "next / previous panel (table, alerts, "
	    "bottlenecks)" },
	{ "< > F6 Left Right", "choose the sort column" },
	{ "r", "reverse the sort order" },
	{ "/", "filter executors by substring (Enter keeps, Esc clears)" },
	{ "p", "pause the display (records keep being read; header shows "
	    "PAUSED)" },
	{ "+ -", "slower / faster refresh" },
	{ "s", "snapshot: report in every snapshot.formats into "
	    "snapshot.dir" },
	{ "b", "save the records so far as the baseline (asks y/n), then "
	    "compare against it" },
	{ "t", "threshold editor" },
	{ "R", "reload the config now (also automatic on change, and on "
	    "SIGHUP)" },
	{ "c", "next colour theme" },
	{ "i", "show the last invalid record (source:line, reason)" },
	{ "Ctrl-L", "redraw the screen" },
	{ "mouse", "click selects a row or sorts by a column header; wheel "
	    "scrolls (--no-mouse turns it off)" },
	{ NULL, "" },
	{ NULL, "Detail view" },
	{ "Up Down PgUp PgDn", "scroll the method table" },
	{ "< > F6 r", "sort the method table, reverse" },
	{ "Esc Backspace Left", "back to the main screen" },
	{ NULL, "" },
	{ NULL, "Threshold editor (t)" },
	{ "Up Down", "choose a setting" },
	{ "- + Left Right", "lower / raise it; applies live, shows the "
	    "alerts it raises and clears" },
	{ "Enter", "type a value (\"off\" disables a threshold)" },
	{ "w", "write the values into the config file (comments kept)" },
	{ "u", "undo: back to the values in the file" },
	{ "Esc t", "back to the main screen" },
	{ NULL, "" },
	{ NULL, "Status column" },
	{ "OK", "within thresholds of the baseline" },
	{ "WARN CRIT", "regression above threshold (CRIT: above threshold x "
	    "critical_factor)" },
	{ "IMPROVED", "faster or smaller than the baseline beyond the "
	    "threshold" },
	{ "PENDING", "fewer than min_samples runs in the window" },
	{ "NEW", "no baseline for this executor or metric" },
};
const size_t help_nlines = sizeof help_lines / sizeof help_lines[0];

static void
help_draw(struct tui *t)
{
	const struct help_line	*h;
	int			 hl = draw_header_lines(t), y, rows, kw = 20;
	size_t			 i;

	draw_header(t, hl);
	draw_text(hl, 0, t->cols, " exectop help (Esc to go back)",
	    TEXT_LEFT, draw_attr(t, THEME_TITLE_FOCUS));
	rows = t->lines - 1 - (hl + 1);
	if (rows < 1)
		rows = 1;
	if (help_nlines <= (size_t)rows)
		t->help_top = 0;
	else if (t->help_top > help_nlines - (size_t)rows)
		t->help_top = help_nlines - (size_t)rows;
	for (y = 0; y < rows; y++) {
		i = t->help_top + (size_t)y;
		if (i >= help_nlines)
			break;
		h = &help_lines[i];
		if (h->keys == NULL) {
			draw_text(hl + 1 + y, 1, t->cols - 1, h->what, TEXT_LEFT,
			    draw_attr(t, THEME_TITLE));
			continue;
		}
		draw_text(hl + 1 + y, 2, kw, h->keys, TEXT_LEFT,
		    draw_attr(t, THEME_HELP_KEY));
		draw_text(hl + 1 + y, 3 + kw, t->cols - 3 - kw, h->what,
		    TEXT_LEFT, draw_attr(t, THEME_HELP));
	}
	draw_status(t, t->lines - 1);
}

static int
help_key(struct tui *t, const struct tui_key *k)
{
	if (k->fn) {
		switch (k->code) {
		case KEY_UP:
			if (t->help_top > 0)
				t->help_top--;
			return 1;
		case KEY_DOWN:
			t->help_top++;
			return 1;
		case KEY_PPAGE:
			t->help_top = t->help_top > 10 ? t->help_top - 10 : 0;
			return 1;
		case KEY_NPAGE:
			t->help_top += 10;
			return 1;
		case KEY_HOME:
			t->help_top = 0;
			return 1;
		case KEY_END:
			t->help_top = help_nlines;
			return 1;
		case KEY_F(1):
		case KEY_BACKSPACE:
		case KEY_LEFT:
			tui_switch(t, t->back);
			return 1;
		}
		return 0;
	}
	switch (k->code) {
	case 'k':
		if (t->help_top > 0)
			t->help_top--;
		return 1;
	case 'j':
	case ' ':
		t->help_top++;
		return 1;
	case TUI_KEY_ESC:
	case '?':
	case 'h':
	case '\n':
	case '\r':
	case TUI_KEY_DEL:
		tui_switch(t, t->back);
		return 1;
	}
	return 0;
}

const struct tui_screen_ops screen_help_ops = {
	"help", help_draw, help_key, NULL
};
