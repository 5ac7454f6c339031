/*
 * text.c - display width and fitting of UTF-8 text, number formats and
 * sparklines for the terminal UI.
 *
 * Every cell of every table goes through text_fit(), which makes the
 * string exactly as wide as its column: wide CJK characters count two
 * columns, combining marks none, and a cut never splits a character.
 * Stream text is escaped first (text_fit_stream), so control characters
 * and bidi overrides arrive as visible "\x1b"-style escapes.
 */
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "escape.h"
#include "utf8.h"

#include "text.h"

static bool	text_is_utf8;

void
text_set_utf8(bool on)
{
	text_is_utf8 = on;
}

bool
text_utf8(void)
{
	return text_is_utf8;
}

void
text_detect_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	text_is_utf8 = cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0);
}

/*
 * Decodes one UTF-8 character at s.  Returns its byte length (>= 1) and
 * sets *cp, or sets *cp to -1 for a byte that starts no valid sequence
 * (length 1).
 */
static size_t
text_decode(const unsigned char *s, long *cp)
{
	uint32_t	 c;
	size_t		 n;

	if ((n = utf8_decode(s, SIZE_MAX, &c)) == 0) {
		*cp = -1;
		return 1;
	}
	*cp = (long)c;
	return n;
}

/*
 * One character as it will be shown: its columns, and whether it is
 * replaced by '?' (undecodable, unprintable, or not ASCII without a
 * UTF-8 locale).
 */
static int
text_char_width(long cp, bool *replace)
{
	int	w;

	*replace = false;
	if (cp < 0 || cp < 0x20 || cp == 0x7f) {
		*replace = true;
		return 1;
	}
	if (cp < 0x80)
		return 1;
	if (!text_is_utf8) {
		*replace = true;
		return 1;
	}
	w = wcwidth((wchar_t)cp);
	if (w < 0) {
		*replace = true;
		return 1;
	}
	return w;
}

int
text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	long			 cp;
	bool			 rep;
	int			 w = 0;

	while (*p != '\0') {
		p += text_decode(p, &cp);
		w += text_char_width(cp, &rep);
	}
	return w;
}

size_t
text_prefix(const char *s, int width)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;
	long			 cp;
	bool			 rep;
	int			 w = 0, cw;

	while (*p != '\0') {
		n = text_decode(p, &cp);
		cw = text_char_width(cp, &rep);
		if (w + cw > width)
			break;
		w += cw;
		p += n;
	}
	return (size_t)(p - (const unsigned char *)s);
}

/* Appends n bytes if they fit with room for the NUL. */
static void
text_put(char *out, size_t outsz, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > outsz)
		return;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

static void
text_spaces(char *out, size_t outsz, size_t *len, int n)
{
	while (n-- > 0)
		text_put(out, outsz, len, " ", 1);
}

char *
text_fit(char *out, size_t outsz, const char *s, int width,
    enum text_align align)
{
	const unsigned char	*p = (const unsigned char *)s;
	const char		*ell = text_is_utf8 ? "\xe2\x80\xa6" : "~";
	size_t			 len = 0, n;
	long			 cp;
	bool			 rep, cut;
	int			 total, room, used = 0, w, pad;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (width <= 0)
		return out;
	if (s == NULL)
		p = (const unsigned char *)(s = "");
	total = text_width(s);
	cut = total > width;
	room = cut ? width - 1 : width;

	if (!cut) {
		pad = width - total;
		if (align == TEXT_RIGHT)
			text_spaces(out, outsz, &len, pad);
		else if (align == TEXT_CENTER)
			text_spaces(out, outsz, &len, pad / 2);
	}
	while (*p != '\0') {
		n = text_decode(p, &cp);
		w = text_char_width(cp, &rep);
		if (used + w > room)
			break;
		if (rep)
			text_put(out, outsz, &len, "?", 1);
		else
			text_put(out, outsz, &len, (const char *)p, n);
		used += w;
		p += n;
	}
	if (cut) {
		text_spaces(out, outsz, &len, room - used);
		text_put(out, outsz, &len, ell, strlen(ell));
		return out;
	}
	if (align == TEXT_LEFT)
		text_spaces(out, outsz, &len, width - total);
	else if (align == TEXT_CENTER)
		text_spaces(out, outsz, &len, (width - total) - (width - total) / 2);
	return out;
}

char *
text_fit_stream(char *out, size_t outsz, const char *s, int width,
    enum text_align align)
{
	char	*safe;

	safe = escape_terminal(s == NULL ? "" : s);
	text_fit(out, outsz, safe, width, align);
	free(safe);
	return out;
}

char *
text_num(char *buf, size_t len, double v)
{
	static const char	*suffix[] = { "k", "M", "G", "T", "P" };
	double			 a = fabs(v);
	size_t			 i;

	if (isnan(v))
		snprintf(buf, len, "-");
	else if (isinf(v))
		snprintf(buf, len, v < 0 ? "-inf" : "inf");
	else if (a < 9.995)
		snprintf(buf, len, "%.2f", v);
	else if (a < 99.95)
		snprintf(buf, len, "%.1f", v);
	else if (a < 9999.5)
		snprintf(buf, len, "%.0f", v);
	else {
		v /= 1000;
		a /= 1000;
		for (i = 0; i < 4 && a >= 999.5; i++) {
			v /= 1000;
			a /= 1000;
		}
		if (a >= 999.5)
			snprintf(buf, len, "%.0e", v * 1e15);
		else
			snprintf(buf, len, a < 9.995 ? "%.2f%s" :
			    a < 99.95 ? "%.1f%s" : "%.0f%s", v, suffix[i]);
	}
	return buf;
}

char *
text_bytes(char *buf, size_t len, double v)
{
	static const char	*suffix[] = { "K", "M", "G", "T" };
	size_t			 i;

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (fabs(v) < 1024) {
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	v /= 1024;
	for (i = 0; i < 3 && fabs(v) >= 1024; i++)
		v /= 1024;
	snprintf(buf, len, fabs(v) < 10 ? "%.1f%s" : "%.0f%s", v, suffix[i]);
	return buf;
}

char *
text_progress(char *buf, size_t len, uint64_t records, double done,
    double total, double rate)
{
	char	r[32], d[32], t[32], v[32];
	int	pct;

	pct = total > 0 ? (int)(100.0 * done / total) : 100;
	if (pct > 100)
		pct = 100;
	text_num(r, sizeof r, (double)records);
	text_bytes(d, sizeof d, done);
	text_bytes(t, sizeof t, total);
	text_num(v, sizeof v, rate);
	snprintf(buf, len, "catching up %d%%: %s records, %s of %s, %s/s", pct,
	    r, d, t, v);
	return buf;
}

char *
text_percent(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 10000)
		snprintf(buf, len, "%+.0e%%", v);
	else
		snprintf(buf, len, "%+.1f%%", v);
	return buf;
}

char *
text_duration(char *buf, size_t len, uint64_t s)
{
	if (s < 60)
		snprintf(buf, len, "%us", (unsigned)s);
	else if (s < 3600)
		snprintf(buf, len, "%um%02us", (unsigned)(s / 60),
		    (unsigned)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%uh%02um", (unsigned)(s / 3600),
		    (unsigned)(s % 3600 / 60));
	else
		snprintf(buf, len, "%llud%02uh", (unsigned long long)(s / 86400),
		    (unsigned)(s % 86400 / 3600));
	return buf;
}

char *
text_sparkline(char *out, size_t outsz, const double *vals, size_t n,
    int width)
{
	static const char	*blocks[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char	 ascii[] = "_.-~=+*#";
	size_t			 len = 0, i, first;
	double			 lo = INFINITY, hi = -INFINITY;
	int			 level, shown;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (width <= 0)
		return out;
	first = n > (size_t)width ? n - (size_t)width : 0;
	for (i = first; i < n; i++) {
		if (isnan(vals[i]))
			continue;
		if (vals[i] < lo)
			lo = vals[i];
		if (vals[i] > hi)
			hi = vals[i];
	}
	shown = (int)(n - first);
	for (i = first; i < n; i++) {
		if (isnan(vals[i]) || isinf(lo)) {
			text_put(out, outsz, &len, " ", 1);
			continue;
		}
		if (hi > lo)
			level = (int)((vals[i] - lo) / (hi - lo) * 7.0 + 0.5);
		else
			level = 3;
		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		if (text_is_utf8)
			text_put(out, outsz, &len, blocks[level],
			    strlen(blocks[level]));
		else
			text_put(out, outsz, &len, &ascii[level], 1);
	}
	text_spaces(out, outsz, &len, width - shown);
	return out;
}
