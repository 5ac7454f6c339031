/*
 * layout.c - panel geometry and column widths from the terminal size.
 *
 * The screens call these on every draw with the current size, so a
 * resize is nothing more than the next draw.  Nothing here touches the
 * terminal.
 */
#include <stdio.h>

#include "layout.h"

bool
layout_fits(int cols, int lines)
{
	return cols >= LAYOUT_MIN_COLS && lines >= LAYOUT_MIN_LINES;
}

char *
layout_too_small(char *buf, size_t len)
{
	snprintf(buf, len, "terminal too small: need at least %dx%d",
	    LAYOUT_MIN_COLS, LAYOUT_MIN_LINES);
	return buf;
}

static int
clampi(int v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

void
layout_main(struct layout *l, int cols, int lines, int header_lines,
    size_t nrows, size_t nalerts, size_t nbottlenecks)
{
	int	body, spare, a_want, b_want, a, b, na, nb, nr, excess, g;

	l->too_small = !layout_fits(cols, lines);
	l->header = (struct rect){ 0, 0, 0, cols };
	l->table = (struct rect){ 0, 0, 0, cols };
	l->alerts = (struct rect){ 0, 0, 0, cols };
	l->bottlenecks = (struct rect){ 0, 0, 0, cols };
	l->status = (struct rect){ 0, 0, 0, cols };
	if (l->too_small)
		return;

	header_lines = clampi(header_lines, 1, lines / 3);
	l->header.h = header_lines;
	l->status.y = lines - 1;
	l->status.h = 1;
	body = lines - header_lines - 1;

	/* What the table cannot give up; the rest is shared. */
	spare = body - (1 + LAYOUT_TABLE_MIN_ROWS);
	na = nalerts > 1000 ? 1000 : (int)nalerts;
	nb = nbottlenecks > 1000 ? 1000 : (int)nbottlenecks;
	a_want = 1 + clampi(na, 1, body / 4 > 1 ? body / 4 : 1);
	b_want = 1 + clampi(nb, 1, body / 5 > 1 ? body / 5 : 1);

	a = 0;
	b = 0;
	if (spare >= 2) {
		a = a_want < spare ? a_want : spare;
		if (spare - a >= 2)
			b = b_want < spare - a ? b_want : spare - a;
	}
	/* Room the table's rows do not need goes to the panels' rows. */
	nr = nrows > 100000 ? 100000 : (int)nrows;
	if (nr < LAYOUT_TABLE_MIN_ROWS)
		nr = LAYOUT_TABLE_MIN_ROWS;
	excess = body - a - b - (1 + nr);
	if (excess > 0 && b > 0 && nb + 1 > b) {
		g = nb + 1 - b < excess ? nb + 1 - b : excess;
		b += g;
		excess -= g;
	}
	if (excess > 0 && a > 0 && na + 1 > a) {
		g = na + 1 - a < excess ? na + 1 - a : excess;
		a += g;
		excess -= g;
	}
	l->table.y = header_lines;
	l->table.h = body - a - b;
	l->alerts.y = l->table.y + l->table.h;
	l->alerts.h = a;
	l->bottlenecks.y = l->alerts.y + a;
	l->bottlenecks.h = b;
}

int
layout_columns(const struct col_spec *c, size_t n, int width,
    const int *want, int *out)
{
	size_t	i, drop;
	int	total, shown, grow, w;

	for (i = 0; i < n; i++)
		out[i] = c[i].min;

	/* Drop the least important columns until the minimums fit. */
	for (;;) {
		total = 0;
		shown = 0;
		for (i = 0; i < n; i++) {
			if (out[i] > 0) {
				total += out[i];
				shown++;
			}
		}
		if (shown > 1)
			total += shown - 1;
		if (total <= width)
			break;
		drop = n;
		for (i = 0; i < n; i++) {
			if (out[i] > 0 && c[i].prio > 0 &&
			    (drop == n || c[i].prio >= c[drop].prio))
				drop = i;
		}
		if (drop == n) {
			/* Only undroppable columns left: squeeze the last
			 * one shown (the next pass squeezes further). */
			for (i = n; i-- > 0;) {
				if (out[i] > 0) {
					w = out[i] - (total - width);
					out[i] = w > 0 ? w : 0;
					break;
				}
			}
			continue;
		}
		out[drop] = 0;
	}

	/* Spare width to flex columns, in order. */
	for (i = 0; i < n; i++) {
		if (out[i] == 0 || !c[i].flex || total >= width)
			continue;
		w = want != NULL && want[i] > 0 ? want[i] : c[i].max;
		w = clampi(w, c[i].min, c[i].max);
		grow = w - out[i];
		if (grow > width - total)
			grow = width - total;
		if (grow > 0) {
			out[i] += grow;
			total += grow;
		}
	}
	return total > width ? width : total;
}

int
layout_column_at(const int *widths, size_t n, int x)
{
	size_t	i;
	int	pos = 0;

	for (i = 0; i < n; i++) {
		if (widths[i] == 0)
			continue;
		if (x >= pos && x < pos + widths[i])
			return (int)i;
		pos += widths[i] + 1;
	}
	return -1;
}

size_t
layout_scroll(size_t top, size_t sel, size_t count, int rows)
{
	size_t	r = rows > 0 ? (size_t)rows : 1;

	if (count <= r)
		return 0;
	if (sel >= count)
		sel = count - 1;
	if (sel < top)
		top = sel;
	else if (sel >= top + r)
		top = sel - r + 1;
	if (top + r > count)
		top = count - r;
	return top;
}
