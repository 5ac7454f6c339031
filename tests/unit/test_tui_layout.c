/*
 * test_tui_layout.c - screen geometry from the terminal size: the panels
 * never overlap or leave the screen, the table keeps its minimum, the
 * too-small message, and table column widths (dropping by priority,
 * growing flex columns, hit testing, scrolling).
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

static void
check_layout(const struct layout *l, int cols, int lines, int hl)
{
	cr_assert(!l->too_small);
	cr_expect_eq(l->header.y, 0);
	cr_expect_eq(l->header.h, hl);
	cr_expect_eq(l->table.y, l->header.y + l->header.h);
	cr_expect_eq(l->alerts.y, l->table.y + l->table.h);
	cr_expect_eq(l->bottlenecks.y, l->alerts.y + l->alerts.h);
	cr_expect_eq(l->status.y, lines - 1);
	cr_expect_eq(l->status.h, 1);
	cr_expect_eq(l->bottlenecks.y + l->bottlenecks.h, l->status.y,
	    "%dx%d: panels do not fill the body", cols, lines);
	cr_expect_geq(l->table.h, 1 + LAYOUT_TABLE_MIN_ROWS);
	/* A panel shown has a title and at least one row. */
	cr_expect(l->alerts.h == 0 || l->alerts.h >= 2);
	cr_expect(l->bottlenecks.h == 0 || l->bottlenecks.h >= 2);
	cr_expect_eq(l->table.w, cols);
}

Test(tui_layout, standard_80x24)
{
	struct layout	l;

	layout_main(&l, 80, 24, 3, 100, 2, 3);
	check_layout(&l, 80, 24, 3);
	cr_expect_eq(l.alerts.h, 3);		/* title + 2 alerts */
	cr_expect_eq(l.bottlenecks.h, 4);	/* title + 3 */
	cr_expect_eq(l.table.h, 24 - 3 - 1 - 3 - 4);
}

Test(tui_layout, empty_panels_keep_one_line)
{
	struct layout	l;

	layout_main(&l, 100, 30, 3, 100, 0, 0);
	check_layout(&l, 100, 30, 3);
	cr_expect_eq(l.alerts.h, 2);
	cr_expect_eq(l.bottlenecks.h, 2);
}

Test(tui_layout, many_alerts_take_a_quarter)
{
	struct layout	l;
	int		body = 50 - 3 - 1;

	layout_main(&l, 120, 50, 3, 100, 500, 500);
	check_layout(&l, 120, 50, 3);
	cr_expect_eq(l.alerts.h, 1 + body / 4);
	cr_expect_eq(l.bottlenecks.h, 1 + body / 5);
}

Test(tui_layout, every_size_holds)
{
	struct layout	l;
	int		cols, lines, hl;
	size_t		na, nb;

	for (cols = LAYOUT_MIN_COLS; cols <= 200; cols += 7)
		for (lines = LAYOUT_MIN_LINES; lines <= 90; lines++)
			for (hl = 3; hl <= 4; hl++)
				for (na = 0; na <= 40; na += 13)
					for (nb = 0; nb <= 12; nb += 4) {
						layout_main(&l, cols, lines, hl,
						    na * 3, na, nb);
						check_layout(&l, cols, lines,
						    hl);
					}
}

Test(tui_layout, few_rows_leave_room_to_panels)
{
	struct layout	l;

	/* 10 executors on 50 lines: the table takes what it needs, the
	 * bottlenecks then the alerts the rest. */
	layout_main(&l, 120, 50, 3, 10, 20, 10);
	check_layout(&l, 120, 50, 3);
	cr_expect_eq(l.bottlenecks.h, 11);	/* title + 10 */
	cr_expect_eq(l.alerts.h, 21);		/* title + 20 */
	cr_expect_eq(l.table.h, 46 - 11 - 21);	/* 11 needed, 3 to spare */
	/* Everything fits with room to spare: the table keeps the rest. */
	layout_main(&l, 120, 50, 3, 2, 1, 2);
	check_layout(&l, 120, 50, 3);
	cr_expect_eq(l.alerts.h, 2);
	cr_expect_eq(l.bottlenecks.h, 3);
	cr_expect_eq(l.table.h, 46 - 5);
}

Test(tui_layout, smallest_screen_drops_bottlenecks_first)
{
	struct layout	l;

	layout_main(&l, LAYOUT_MIN_COLS, LAYOUT_MIN_LINES, 4, 100, 5, 5);
	check_layout(&l, LAYOUT_MIN_COLS, LAYOUT_MIN_LINES, 4);
	cr_expect_geq(l.alerts.h, 2);
	cr_expect_leq(l.bottlenecks.h, l.alerts.h);
}

Test(tui_layout, too_small)
{
	struct layout	l;
	char		msg[128];

	layout_main(&l, 40, 10, 3, 1, 1, 1);
	cr_expect(l.too_small);
	layout_main(&l, LAYOUT_MIN_COLS - 1, 50, 3, 1, 1, 1);
	cr_expect(l.too_small);
	layout_main(&l, 200, LAYOUT_MIN_LINES - 1, 3, 1, 1, 1);
	cr_expect(l.too_small);
	cr_expect(!layout_fits(LAYOUT_MIN_COLS - 1, LAYOUT_MIN_LINES));
	cr_expect(layout_fits(LAYOUT_MIN_COLS, LAYOUT_MIN_LINES));
	layout_too_small(msg, sizeof msg);
	cr_expect_str_eq(msg, "terminal too small: need at least 60x14");
}

static const struct col_spec cols[] = {
	{ "#", 3, 3, 5, TEXT_RIGHT, false },
	{ "ID", 8, 30, 0, TEXT_LEFT, true },
	{ "A", 7, 7, 1, TEXT_RIGHT, false },
	{ "B", 7, 7, 3, TEXT_RIGHT, false },
	{ "C", 7, 7, 2, TEXT_RIGHT, false },
	{ "SPARK", 8, 20, 4, TEXT_LEFT, true },
	{ "ST", 8, 8, 0, TEXT_LEFT, false },
};
#define NCOLS (sizeof cols / sizeof cols[0])

static int
used(const int *w)
{
	size_t	i;
	int	t = 0, n = 0;

	for (i = 0; i < NCOLS; i++)
		if (w[i] > 0) {
			t += w[i];
			n++;
		}
	return t + (n > 1 ? n - 1 : 0);
}

Test(tui_layout, columns_wide_screen)
{
	int	w[NCOLS], want[NCOLS] = { 0, 12, 0, 0, 0, 0, 0 }, total;

	total = layout_columns(cols, NCOLS, 200, want, w);
	cr_expect_eq(w[0], 3);
	cr_expect_eq(w[1], 12);		/* what the ids need */
	cr_expect_eq(w[5], 20);		/* flex up to max */
	cr_expect_eq(w[6], 8);
	cr_expect_eq(total, used(w));
}

Test(tui_layout, columns_drop_by_priority)
{
	int	w[NCOLS], total;

	/* Minimums: 3+8+7+7+7+8+8 = 48 + 6 gaps = 54. */
	total = layout_columns(cols, NCOLS, 54, NULL, w);
	cr_expect_eq(total, 54);
	cr_expect_eq(w[0], 3);
	total = layout_columns(cols, NCOLS, 53, NULL, w);
	cr_expect_eq(w[0], 0, "prio 5 goes first");
	cr_expect_gt(w[5], 0);
	cr_expect_leq(total, 53);
	layout_columns(cols, NCOLS, 40, NULL, w);
	cr_expect_eq(w[5], 0, "then prio 4");
	cr_expect_eq(w[3], 0, "then prio 3");
	cr_expect_gt(w[1], 0);
	cr_expect_gt(w[6], 0);
	cr_expect_leq(used(w), 40);
}

Test(tui_layout, columns_always_fit)
{
	int	w[NCOLS], width, want[NCOLS] = { 0, 25, 0, 0, 0, 15, 0 };

	for (width = 1; width <= 150; width++) {
		layout_columns(cols, NCOLS, width, want, w);
		cr_expect_leq(used(w), width, "width %d", width);
		cr_expect_gt(w[1] + w[6], 0);
	}
}

Test(tui_layout, column_at)
{
	int	w[4] = { 3, 0, 5, 2 };

	cr_expect_eq(layout_column_at(w, 4, 0), 0);
	cr_expect_eq(layout_column_at(w, 4, 2), 0);
	cr_expect_eq(layout_column_at(w, 4, 3), -1);	/* the gap */
	cr_expect_eq(layout_column_at(w, 4, 4), 2);	/* 1 is hidden */
	cr_expect_eq(layout_column_at(w, 4, 8), 2);
	cr_expect_eq(layout_column_at(w, 4, 10), 3);
	cr_expect_eq(layout_column_at(w, 4, 12), -1);
}

Test(tui_layout, scroll_keeps_selection_visible)
{
	cr_expect_eq(layout_scroll(0, 0, 100, 10), 0);
	cr_expect_eq(layout_scroll(0, 9, 100, 10), 0);
	cr_expect_eq(layout_scroll(0, 10, 100, 10), 1);
	cr_expect_eq(layout_scroll(50, 20, 100, 10), 20);
	cr_expect_eq(layout_scroll(95, 99, 100, 10), 90);
	cr_expect_eq(layout_scroll(95, 500, 100, 10), 90);
	cr_expect_eq(layout_scroll(7, 3, 5, 10), 0);
	cr_expect_eq(layout_scroll(0, 0, 0, 0), 0);
}
