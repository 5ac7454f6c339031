/*
 * test_tui_text.c - what the terminal UI puts in a cell: display widths
 * of UTF-8 (CJK, emoji, combining marks), fitting to an exact column
 * width, escaping of stream text, number formats and sparklines.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

static void
utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"),
	    "the C.UTF-8 locale is needed for wcwidth");
	text_set_utf8(true);
}

TestSuite(tui_text, .init = utf8_locale);

static char *
fit(const char *s, int w, enum text_align al)
{
	static char	buf[1024];

	return text_fit(buf, sizeof buf, s, w, al);
}

Test(tui_text, widths)
{
	cr_expect_eq(text_width(""), 0);
	cr_expect_eq(text_width("abc"), 3);
	cr_expect_eq(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);	/* 中文 */
	cr_expect_eq(text_width("\xf0\x9f\x98\x80"), 2);		/* 😀 */
	cr_expect_eq(text_width("e\xcc\x81"), 1);		/* e + U+0301 */
	cr_expect_eq(text_width("\xff"), 1);			/* invalid: '?' */
	cr_expect_eq(text_width("a\x1b" "b"), 3);		/* ESC: '?' */
}

Test(tui_text, pads_and_aligns)
{
	cr_expect_str_eq(fit("42", 5, TEXT_RIGHT), "   42");
	cr_expect_str_eq(fit("42", 5, TEXT_LEFT), "42   ");
	cr_expect_str_eq(fit("42", 6, TEXT_CENTER), "  42  ");
	cr_expect_str_eq(fit("abc", 3, TEXT_LEFT), "abc");
	cr_expect_str_eq(fit("abc", 0, TEXT_LEFT), "");
	cr_expect_str_eq(fit(NULL, 2, TEXT_LEFT), "  ");
	/* CJK padded by display width, not bytes. */
	cr_expect_str_eq(fit("\xe4\xb8\xad", 4, TEXT_LEFT), "\xe4\xb8\xad  ");
	cr_expect_str_eq(fit("\xe4\xb8\xad", 4, TEXT_RIGHT), "  \xe4\xb8\xad");
}

Test(tui_text, cuts_at_characters)
{
	/* 中文字 (6 columns) into 5: two characters and the ellipsis. */
	cr_expect_str_eq(fit("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5,
	    TEXT_LEFT), "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6");
	/* Into 4: the second would straddle the edge, a space stands in. */
	cr_expect_str_eq(fit("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4,
	    TEXT_LEFT), "\xe4\xb8\xad \xe2\x80\xa6");
	cr_expect_str_eq(fit("abcdef", 4, TEXT_RIGHT), "abc\xe2\x80\xa6");
	/* A combining mark stays with its letter. */
	cr_expect_str_eq(fit("e\xcc\x81" "abc", 3, TEXT_LEFT),
	    "e\xcc\x81" "a\xe2\x80\xa6");
}

Test(tui_text, unprintable_becomes_question_mark)
{
	cr_expect_str_eq(fit("a\x1b[31mb", 8, TEXT_LEFT), "a?[31mb ");
	cr_expect_str_eq(fit("\xff\xfe", 3, TEXT_LEFT), "?? ");
	cr_expect_str_eq(fit("\xe4\xb8", 2, TEXT_LEFT), "??");	/* torn */
}

/* Every kind of string fits every width exactly. */
Test(tui_text, always_exact_width)
{
	static const char *inputs[] = {
		"", "a", "D1-Q1", "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6",
		"\xf0\x9f\x98\x80\xf0\x9f\x98\x81x", "e\xcc\x81\xcc\x82z",
		"\xff\xc0\x80", "tab\there", "\x1b]0;title\x07",
		"\xe2\x80\xae" "evil", "mixed \xe4\xb8\xad a \xf0\x9f\x98\x80 b",
	};
	char	 buf[1024], out[1024];
	size_t	 i;
	int	 w, al;

	for (i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		for (w = 0; w <= 24; w++) {
			for (al = TEXT_LEFT; al <= TEXT_CENTER; al++) {
				text_fit(buf, sizeof buf, inputs[i], w, al);
				cr_expect_eq(text_width(buf), w,
				    "input %zu width %d align %d: \"%s\"", i, w,
				    al, buf);
				text_fit_stream(out, sizeof out, inputs[i], w,
				    al);
				cr_expect_eq(text_width(out), w,
				    "stream input %zu width %d", i, w);
				cr_expect_null(strchr(out, '\x1b'));
				cr_expect_null(strchr(out, '\t'));
			}
		}
	}
}

Test(tui_text, small_buffer_is_safe)
{
	char	buf[8];

	memset(buf, 'X', sizeof buf);
	text_fit(buf, sizeof buf, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 20,
	    TEXT_LEFT);
	cr_expect_lt(strlen(buf), sizeof buf);
}

Test(tui_text, stream_text_is_escaped)
{
	char	buf[256];

	text_fit_stream(buf, sizeof buf, "id\x1b[2Jx", 20, TEXT_LEFT);
	cr_expect_not_null(strstr(buf, "\\x1b[2Jx"), "got \"%s\"", buf);
	cr_expect_null(strchr(buf, '\x1b'));
	text_fit_stream(buf, sizeof buf, "\xe2\x80\xae" "abc", 20, TEXT_LEFT);
	cr_expect_not_null(strstr(buf, "\\u202e"), "got \"%s\"", buf);
	/* Printable UTF-8 is kept as is. */
	text_fit_stream(buf, sizeof buf, "\xe4\xb8\xad", 3, TEXT_LEFT);
	cr_expect_str_eq(buf, "\xe4\xb8\xad ");
}

Test(tui_text, ascii_terminal)
{
	text_set_utf8(false);
	cr_expect_str_eq(fit("\xe4\xb8\xad" "ab", 4, TEXT_LEFT), "?ab ");
	cr_expect_str_eq(fit("abcdef", 4, TEXT_LEFT), "abc~");
	cr_expect_eq(text_width("\xe4\xb8\xad"), 1);
	text_set_utf8(true);
}

Test(tui_text, numbers)
{
	char	b[32];

	cr_expect_str_eq(text_num(b, sizeof b, NAN), "-");
	cr_expect_str_eq(text_num(b, sizeof b, 0), "0.00");
	cr_expect_str_eq(text_num(b, sizeof b, 1.234), "1.23");
	cr_expect_str_eq(text_num(b, sizeof b, 12.34), "12.3");
	cr_expect_str_eq(text_num(b, sizeof b, 1234.4), "1234");
	cr_expect_str_eq(text_num(b, sizeof b, 12345), "12.3k");
	cr_expect_str_eq(text_num(b, sizeof b, 999999), "1.00M");
	cr_expect_str_eq(text_num(b, sizeof b, 1234567), "1.23M");
	cr_expect_str_eq(text_num(b, sizeof b, -5.5), "-5.50");
	cr_expect_leq(strlen(text_num(b, sizeof b, 1e20)), 6);
	cr_expect_str_eq(text_bytes(b, sizeof b, 512), "512");
	cr_expect_str_eq(text_bytes(b, sizeof b, 1536), "1.5K");
	cr_expect_str_eq(text_bytes(b, sizeof b, 10 * 1024 * 1024), "10M");
	cr_expect_str_eq(text_bytes(b, sizeof b, NAN), "-");
	cr_expect_str_eq(text_percent(b, sizeof b, 12.345), "+12.3%");
	cr_expect_str_eq(text_percent(b, sizeof b, -4), "-4.0%");
	cr_expect_str_eq(text_percent(b, sizeof b, NAN), "-");
	cr_expect_str_eq(text_duration(b, sizeof b, 59), "59s");
	cr_expect_str_eq(text_duration(b, sizeof b, 185), "3m05s");
	cr_expect_str_eq(text_duration(b, sizeof b, 3725), "1h02m");
	cr_expect_str_eq(text_duration(b, sizeof b, 2 * 86400 + 3 * 3600),
	    "2d03h");
}

Test(tui_text, catch_up_progress)
{
	char	b[128];

	cr_expect_str_eq(text_progress(b, sizeof b, 312345, 280.0 * 1048576,
	    667.0 * 1048576, 81234), "catching up 41%: 312k records, 280M of "
	    "667M, 81.2k/s");
	cr_expect_str_eq(text_progress(b, sizeof b, 0, 0, 0, 0),
	    "catching up 100%: 0.00 records, 0 of 0, 0.00/s");
	/* The file grew past the end first seen: never over 100%. */
	cr_expect_str_eq(text_progress(b, sizeof b, 10, 2048, 1024, 5),
	    "catching up 100%: 10.0 records, 2.0K of 1.0K, 5.00/s");
}

Test(tui_text, sparkline)
{
	double	v[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	double	flat[3] = { 5, 5, 5 };
	double	gap[3] = { 1, NAN, 3 };
	char	b[256];

	text_sparkline(b, sizeof b, v, 8, 8);
	cr_expect_str_eq(b, "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
	    "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	/* Narrower than the data: the newest values. */
	text_sparkline(b, sizeof b, v, 8, 2);
	cr_expect_str_eq(b, "\xe2\x96\x81\xe2\x96\x88");
	/* Wider: padded. */
	text_sparkline(b, sizeof b, flat, 3, 5);
	cr_expect_eq(text_width(b), 5);
	cr_expect_str_eq(b, "\xe2\x96\x84\xe2\x96\x84\xe2\x96\x84  ");
	text_sparkline(b, sizeof b, gap, 3, 3);
	cr_expect_str_eq(b, "\xe2\x96\x81 \xe2\x96\x88");
	text_set_utf8(false);
	text_sparkline(b, sizeof b, v, 8, 8);
	cr_expect_str_eq(b, "_.-~=+*#");
	text_set_utf8(true);
}
