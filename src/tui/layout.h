/*
 * layout.h - geometry of the screens from the terminal size: where the
 * header, the executor table, the alerts and bottleneck panels and the
 * status line go, and how wide each table column is.  Pure functions, no
 * ncurses, unit-tested without a terminal.
 */
#ifndef EXECTOP_TUI_LAYOUT_H
#define EXECTOP_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "text.h"

#define LAYOUT_MIN_COLS		60
#define LAYOUT_MIN_LINES	14
#define LAYOUT_TABLE_MIN_ROWS	3	/* data rows the table always keeps */

struct rect {
	int	y;
	int	x;
	int	h;	/* 0: not shown */
	int	w;
};

struct layout {
	bool		too_small;
	struct rect	header;
	struct rect	table;		/* first line is the column header */
	struct rect	alerts;		/* first line is the panel title */
	struct rect	bottlenecks;	/* first line is the panel title */
	struct rect	status;
};

/*
 * The main screen for a terminal of cols x lines, a header of
 * header_lines lines, and nrows table rows, nalerts/nbottlenecks panel
 * entries to show.  The table keeps at least a header and
 * LAYOUT_TABLE_MIN_ROWS rows; the alerts panel takes up to a quarter of
 * the body, the bottlenecks a fifth, each at least a title and one row,
 * the bottlenecks panel going first when space is short.  Lines the
 * table's rows do not need go to the bottlenecks, then the alerts, up to
 * what they have to show.
 */
void	layout_main(struct layout *, int cols, int lines, int header_lines,
	    size_t nrows, size_t nalerts, size_t nbottlenecks);
/* "terminal too small: need at least 60x14" into buf. */
char	*layout_too_small(char *buf, size_t len);
/* Whether a terminal is big enough for any screen. */
bool	layout_fits(int cols, int lines);

/* One table column. */
struct col_spec {
	const char	*title;
	int		 min;		/* width it needs to be shown */
	int		 max;		/* width it may grow to (flex) */
	int		 prio;		/* 0 = never dropped; higher drops first */
	enum text_align	 align;
	bool		 flex;		/* takes spare width up to want/max */
};

/*
 * Widths of n columns in width cells, one space between shown columns.
 * want[i] (may be NULL) is the width a flex column would like (e.g. the
 * longest executor id), clamped to [min, max].  Columns are dropped by
 * descending prio until the rest fits at their minimum; spare width then
 * goes to flex columns in order, up to their want.  out[i] is 0 for a
 * dropped column.  Returns the total width used.
 */
int	layout_columns(const struct col_spec *, size_t n, int width,
	    const int *want, int *out);

/* Index of the column at x (offset from the table's left edge) given the
 * widths from layout_columns(); -1 in a gap or past the end. */
int	layout_column_at(const int *widths, size_t n, int x);

/* First visible row so that sel is on screen in rows lines. */
size_t	layout_scroll(size_t top, size_t sel, size_t count, int rows);

#endif
