/*
 * linebuf.c - split a byte stream into lines.
 *
 * Complete lines inside one chunk are handed over without copying; only a
 * partial line is held between reads.  A line longer than `max` is dropped
 * up to its newline and reported once with too_long set, so memory stays
 * bounded whatever the input.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "xmalloc.h"

void
linebuf_init(struct linebuf *lb, size_t max)
{
	memset(lb, 0, sizeof *lb);
	lb->max = max > 0 ? max : 1024 * 1024;
}

void
linebuf_free(struct linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->len = lb->cap = 0;
}

void
linebuf_reset(struct linebuf *lb)
{
	lb->len = 0;
	lb->discarding = false;
}

static void
linebuf_append(struct linebuf *lb, const char *p, size_t n)
{
	if (lb->discarding)
		return;
	if (lb->len + n > lb->max) {
		lb->discarding = true;
		lb->len = 0;
		return;
	}
	if (lb->len + n > lb->cap) {
		while (lb->cap < lb->len + n)
			lb->cap = lb->cap == 0 ? 4096 : lb->cap * 2;
		if (lb->cap > lb->max)
			lb->cap = lb->max;
		lb->buf = xrealloc(lb->buf, lb->cap);
	}
	memcpy(lb->buf + lb->len, p, n);
	lb->len += n;
}

/* Ends the current line (held part plus p[0..n)). */
static void
linebuf_emit(struct linebuf *lb, const char *p, size_t n, linebuf_cb *fn,
    void *arg)
{
	lb->lineno++;
	if (!lb->discarding && lb->len == 0 && n <= lb->max) {
		fn(arg, p, n, lb->lineno, false);
		return;
	}
	linebuf_append(lb, p, n);
	if (lb->discarding)
		fn(arg, NULL, 0, lb->lineno, true);
	else
		fn(arg, lb->buf, lb->len, lb->lineno, false);
	linebuf_reset(lb);
}

void
linebuf_feed(struct linebuf *lb, const char *data, size_t len,
    linebuf_cb *fn, void *arg)
{
	const char	*p = data, *end = data + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			linebuf_append(lb, p, (size_t)(end - p));
			return;
		}
		linebuf_emit(lb, p, (size_t)(nl - p), fn, arg);
		p = nl + 1;
	}
}

int
linebuf_flush(struct linebuf *lb, linebuf_cb *fn, void *arg)
{
	if (lb->len == 0 && !lb->discarding)
		return 0;
	linebuf_emit(lb, "", 0, fn, arg);
	return 1;
}
