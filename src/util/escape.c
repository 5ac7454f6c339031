/*
 * escape.c - making untrusted stream text inert for each output.
 *
 * Executor ids, method names and error strings come straight from the
 * record stream, so they may hold markup, table separators, terminal
 * escape sequences, bidi overrides or broken UTF-8.  Every writer runs
 * them through one of these functions.
 *
 All of them share one decoder and one notion of "unsafe" code point
 * (utf8_decode() and utf8_unsafe() in util/utf8.c):
 * C0 controls, DEL, C1 controls (U+0080-U+009F), the line and paragraph
 * separators U+2028/U+2029 and the bidi controls (U+061C, U+200E/U+200F,
 * U+202A-U+202E, U+2066-U+2069).  Those are shown as visible C-style
 * escapes ("\n", "\x1b", "\u202e"); bytes that are not valid UTF-8
 * (overlong forms, surrogates, past U+10FFFF, truncated sequences) as
 * "\xNN".  Everything else is valid printable UTF-8 and is kept, so CJK
 * and emoji pass through unchanged.  On top of that HTML turns & < > " '
 * into entities and Markdown puts a backslash before its punctuation.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"
#include "xmalloc.h"

/* Where escaped text goes: a stream, a growing buffer or a fixed one. */
struct esc_out {
	FILE	*fp;
	char	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 grow;	/* buf is ours and may be reallocated */
	bool	 full;	/* fixed buffer: a piece did not fit, stop */
	int	 error;	/* stream write failed */
};

/*
 * Appends one piece whole or not at all, so a fixed buffer is never cut
 * inside an escape or a UTF-8 sequence.  Fixed buffers keep room for the
 * terminating NUL.
 */
static void
esc_put(struct esc_out *o, const char *s, size_t n)
{
	size_t	 want;

	if (o->full || o->error)
		return;
	if (o->fp != NULL) {
		if (n != 0 && fwrite(s, 1, n, o->fp) != n)
			o->error = 1;
		return;
	}
	want = o->len + n + 1;
	if (want > o->cap) {
		if (!o->grow) {
			o->full = true;
			return;
		}
		while (o->cap < want)
			o->cap = o->cap < 64 ? 64 : o->cap * 2;
		o->buf = xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void
esc_puts(struct esc_out *o, const char *s)
{
	esc_put(o, s, strlen(s));
}

/* The visible form of an unsafe code point. */
static void
esc_visible(struct esc_out *o, uint32_t cp)
{
	char	 tmp[16];

	switch (cp) {
	case '\n':
		esc_puts(o, "\\n");
		return;
	case '\r':
		esc_puts(o, "\\r");
		return;
	case '\t':
		esc_puts(o, "\\t");
		return;
	}
	if (cp < 0x80)
		snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)cp);
	else
		snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
	esc_puts(o, tmp);
}

static void
esc_invalid(struct esc_out *o, unsigned char byte)
{
	char	 tmp[8];

	snprintf(tmp, sizeof tmp, "\\x%02x", byte);
	esc_puts(o, tmp);
}

enum esc_mode { ESC_TERMINAL, ESC_HTML, ESC_MARKDOWN, ESC_XML };

/* HTML's entity for a printable ASCII byte, or NULL. */
static const char *
esc_entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	return NULL;
}

/* Markdown punctuation that gets a backslash (the backslash itself too). */
#define ESC_MARKDOWN_SPECIAL "\\|`*_[]<>#~&"

static void
esc_run(struct esc_out *o, const char *src, enum esc_mode mode)
{
	const unsigned char	*s = (const unsigned char *)src;
	const char		*rep;
	uint32_t		 cp;
	size_t			 n;

	if (s == NULL)
		return;
	while (*s != '\0' && !o->full && !o->error) {
		if ((n = utf8_decode(s, SIZE_MAX, &cp)) == 0) {
			esc_invalid(o, *s);
			s++;
			continue;
		}
		if (utf8_unsafe(cp) ||
		    (mode == ESC_XML && (cp == 0xfffe || cp == 0xffff)))
			esc_visible(o, cp);
		else if ((mode == ESC_HTML || mode == ESC_XML) &&
		    (rep = esc_entity(*s)) != NULL)
			esc_puts(o, rep);
		else if (mode == ESC_MARKDOWN && n == 1 &&
		    strchr(ESC_MARKDOWN_SPECIAL, *s) != NULL) {
			esc_put(o, "\\", 1);
			esc_put(o, (const char *)s, 1);
		}
		else
			esc_put(o, (const char *)s, n);
		s += n;
	}
}

static int
esc_file(FILE *fp, const char *s, enum esc_mode mode)
{
	struct esc_out	 o;

	memset(&o, 0, sizeof o);
	o.fp = fp;
	esc_run(&o, s, mode);
	if (o.error || ferror(fp))
		return -1;
	return 0;
}

int
escape_html(FILE *fp, const char *s)
{
	return esc_file(fp, s, ESC_HTML);
}

int
escape_xml(FILE *fp, const char *s)
{
	return esc_file(fp, s, ESC_XML);
}

int
escape_markdown(FILE *fp, const char *s)
{
	return esc_file(fp, s, ESC_MARKDOWN);
}

char *
escape_terminal(const char *s)
{
	struct esc_out	 o;

	memset(&o, 0, sizeof o);
	o.grow = true;
	o.cap = (s != NULL ? strlen(s) : 0) + 1;
	o.buf = xmalloc(o.cap);
	o.buf[0] = '\0';
	esc_run(&o, s, ESC_TERMINAL);
	return o.buf;
}

void
escape_terminal_buf(const char *s, char *buf, size_t len)
{
	struct esc_out	 o;

	if (len == 0)
		return;
	memset(&o, 0, sizeof o);
	o.buf = buf;
	o.cap = len;
	buf[0] = '\0';
	esc_run(&o, s, ESC_TERMINAL);
}
