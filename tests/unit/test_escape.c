/*
 * test_escape.c - escaping of hostile stream text for HTML, Markdown and
 * the terminal and XML, and the one set of unsafe code points.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "config.h"
#include "escape.h"
#include "testutil.h"
#include "utf8.h"

/* Runs one FILE-based escaper into a string (malloc'd). */
static char *
run_file(int (*fn)(FILE *, const char *), const char *in)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(fn(fp, in), 0);
	cr_assert_eq(fclose(fp), 0);
	return buf;
}

static void
check_file(int (*fn)(FILE *, const char *), const char *in, const char *want)
{
	char	*got = run_file(fn, in);

	cr_expect_str_eq(got, want, "input \"%s\"", in);
	free(got);
}

static void
check_term(const char *in, const char *want)
{
	char	*got = escape_terminal(in);
	char	 buf[256];

	cr_expect_str_eq(got, want);
	free(got);
	escape_terminal_buf(in, buf, sizeof buf);
	cr_expect_str_eq(buf, want);
}

/* An independent strict UTF-8 check for the property tests. */
static bool
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		 i = 0, n, k;
	uint32_t	 c;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			c = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			c = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			c = s[i] & 0x07;
		} else
			return false;
		if (i + n > len)
			return false;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
		    (n == 4 && c < 0x10000) || c > 0x10ffff ||
		    (c >= 0xd800 && c <= 0xdfff))
			return false;
		/* C1, separators and bidi controls must not survive */
		if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
		    (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f)
			return false;
		i += n;
	}
	return true;
}

/* ------------------------------------------------------------------ */

Test(escape_html, markup_and_quotes)
{
	check_file(escape_html, "<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	check_file(escape_html, "a\"b'c&d", "a&quot;b&#39;c&amp;d");
	check_file(escape_html, "\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	check_file(escape_html, "&amp;", "&amp;amp;");
	check_file(escape_html, "", "");
	check_file(escape_html, "plain id-1.2_x", "plain id-1.2_x");
}

Test(escape_html, controls_and_utf8)
{
	check_file(escape_html, "a\nb\rc", "a\\nb\\rc");
	check_file(escape_html, "\x1b]8;;x\x07", "\\x1b]8;;x\\x07");
	check_file(escape_html, "x\xe2\x80\xaey", "x\\u202ey");
	check_file(escape_html, "\xff<", "\\xff&lt;");
	check_file(escape_html, "日本語 😀", "日本語 😀");
}

Test(escape_markdown, table_syntax)
{
	check_file(escape_markdown, "a|b", "a\\|b");
	check_file(escape_markdown, "back\\slash|", "back\\\\slash\\|");
	check_file(escape_markdown, "*_`[]<>#~&",
	    "\\*\\_\\`\\[\\]\\<\\>\\#\\~\\&");
	check_file(escape_markdown, "<script>alert(1)</script>",
	    "\\<script\\>alert(1)\\</script\\>");
	check_file(escape_markdown, "[x](javascript:alert(1))",
	    "\\[x\\](javascript:alert(1))");
	check_file(escape_markdown, "plain-id.1", "plain-id.1");
}

Test(escape_markdown, one_line)
{
	check_file(escape_markdown, "line1\nline2\r\n", "line1\\nline2\\r\\n");
	check_file(escape_markdown, "tab\there", "tab\\there");
	check_file(escape_markdown, "\x1b[31mred\x1b[0m", "\\x1b\\[31mred\\x1b\\[0m");
	check_file(escape_markdown, "bell\x07", "bell\\x07");
	check_file(escape_markdown, "sep\xe2\x80\xa8x", "sep\\u2028x");
	check_file(escape_markdown, "bad\xc3", "bad\\xc3");
	check_file(escape_markdown, "中文|😀", "中文\\|😀");
}

Test(escape_terminal, c0_del_and_escape_sequences)
{
	check_term("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred");
	check_term("\x1b]8;;x", "\\x1b]8;;x");		/* unterminated OSC */
	check_term("\x1b]0;title\x07", "\\x1b]0;title\\x07");
	check_term("ding\x07", "ding\\x07");
	check_term("over\rwrite", "over\\rwrite");
	check_term("back\bspace", "back\\x08space");
	check_term("a\nb\tc", "a\\nb\\tc");
	check_term("del\x7f", "del\\x7f");
	check_term("\x01\x1f", "\\x01\\x1f");
}

Test(escape_terminal, c1_separators_and_bidi)
{
	check_term("csi\xc2\x9b" "31m", "csi\\u009b31m");
	check_term("\xc2\x80\xc2\x9f", "\\u0080\\u009f");
	check_term("evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe");
	check_term("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "\\u202a\\u202b\\u202c\\u202d");
	check_term("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "\\u2066\\u2067\\u2068\\u2069");
	check_term("\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f");
	check_term("line\xe2\x80\xa8sep\xe2\x80\xa9", "line\\u2028sep\\u2029");
	/* U+00A0 and U+2027 are printable neighbours: kept */
	check_term("\xc2\xa0\xe2\x80\xa7", "\xc2\xa0\xe2\x80\xa7");
}

Test(escape_terminal, invalid_utf8)
{
	check_term("\xff\xfe", "\\xff\\xfe");
	check_term("\xc0\xaf", "\\xc0\\xaf");			/* overlong '/' */
	check_term("\xe0\x80\xaf", "\\xe0\\x80\\xaf");		/* overlong */
	check_term("\xed\xa0\x80", "\\xed\\xa0\\x80");		/* surrogate */
	check_term("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");	/* > U+10FFFF */
	check_term("ok\xe4\xb8", "ok\\xe4\\xb8");		/* truncated */
	check_term("\x80x", "\\x80x");				/* lone continuation */
	check_term("\xe4\xb8" "A", "\\xe4\\xb8" "A");
}

Test(escape_terminal, printable_kept)
{
	check_term("", "");
	check_term("D1-Q1 executor", "D1-Q1 executor");
	check_term("back\\slash", "back\\slash");
	check_term("日本語", "日本語");
	check_term("한국어 中文", "한국어 中文");
	check_term("😀🚀", "😀🚀");
	check_term("e\xcc\x81", "e\xcc\x81");		/* combining accent */
	check_term("<b>&amp;</b>", "<b>&amp;</b>");
}

Test(escape_terminal, null_input)
{
	char	*s = escape_terminal(NULL);
	char	 buf[8] = "junk";

	cr_assert_str_eq(s, "");
	free(s);
	escape_terminal_buf(NULL, buf, sizeof buf);
	cr_assert_str_eq(buf, "");
}

Test(escape_terminal_buf, truncates_whole_pieces)
{
	char	 buf[16];

	memset(buf, 'Z', sizeof buf);
	escape_terminal_buf("\x1b" "ab", buf, 4);	/* "\x1b" needs 5 */
	cr_assert_str_eq(buf, "");
	escape_terminal_buf("\x1b" "ab", buf, 5);
	cr_assert_str_eq(buf, "\\x1b");
	escape_terminal_buf("\x1b" "ab", buf, 6);
	cr_assert_str_eq(buf, "\\x1ba");
	escape_terminal_buf("日本", buf, 6);		/* never half a char */
	cr_assert_str_eq(buf, "日");
	escape_terminal_buf("日本", buf, 7);
	cr_assert_str_eq(buf, "日本");
	escape_terminal_buf("abc", buf, 1);
	cr_assert_str_eq(buf, "");

	memset(buf, 'Z', sizeof buf);
	escape_terminal_buf("abc", buf, 0);		/* untouched */
	cr_assert_eq(buf[0], 'Z');
}

Test(escape_terminal, long_input_grows)
{
	char	*in, *out;
	size_t	 i, n = 10000;

	in = malloc(n + 1);
	for (i = 0; i < n; i++)
		in[i] = (i % 2) ? '\x1b' : 'a';
	in[n] = '\0';
	out = escape_terminal(in);
	cr_assert_eq(strlen(out), n / 2 + (n / 2) * 4);
	cr_assert_eq(strncmp(out, "a\\x1ba\\x1b", 10), 0);
	free(in);
	free(out);
}

/* Random bytes: whatever comes in, nothing unsafe comes out. */
Test(escape, random_bytes_are_inert)
{
	unsigned char	 in[64];
	uint32_t	 seed = 12345;
	char		*t, *h, *m, *p;
	size_t		 iter, i, len;

	for (iter = 0; iter < 5000; iter++) {
		len = iter % (sizeof in - 1);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)(seed >> 16);
			if (in[i] == 0)
				in[i] = 0xe2;	/* leads into U+20xx often */
		}
		in[len] = '\0';

		t = escape_terminal((char *)in);
		h = run_file(escape_html, (char *)in);
		m = run_file(escape_markdown, (char *)in);
		for (p = t; *p != '\0'; p++)
			cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f);
		cr_assert(valid_utf8((unsigned char *)t, strlen(t)));
		cr_assert(valid_utf8((unsigned char *)h, strlen(h)));
		cr_assert(valid_utf8((unsigned char *)m, strlen(m)));
		cr_assert_null(strpbrk(h, "<>\"'\n\r\x1b"));
		for (p = strchr(h, '&'); p != NULL; p = strchr(p + 1, '&'))
			cr_assert(strncmp(p, "&amp;", 5) == 0 ||
			    strncmp(p, "&lt;", 4) == 0 ||
			    strncmp(p, "&gt;", 4) == 0 ||
			    strncmp(p, "&quot;", 6) == 0 ||
			    strncmp(p, "&#39;", 5) == 0);
		/* every | in Markdown is escaped by an odd run of '\' */
		cr_assert_null(strpbrk(m, "\n\r\x1b"));
		for (p = strchr(m, '|'); p != NULL; p = strchr(p + 1, '|')) {
			const char	*q = p;
			size_t		 bs = 0;

			while (q > m && q[-1] == '\\') {
				q--;
				bs++;
			}
			cr_assert(bs % 2 == 1, "unescaped | in \"%s\"", m);
		}
		free(t);
		free(h);
		free(m);
	}
}

Test(escape, write_error_reported)
{
	FILE	*fp = fopen("/dev/full", "w");
	char	 big[8192];

	cr_assert_not_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_expect_eq(escape_html(fp, big), -1);
	clearerr(fp);
	cr_expect_eq(escape_markdown(fp, big), -1);
	fclose(fp);
}

/* ------------------------------------------------------------------ */

/*
 * One set of unsafe code points for every output: each of them, between
 * two letters, comes out of the terminal, HTML, Markdown and XML escapes
 * and out of a config error message (ydoc_clean) as the same visible
 * escape, and utf8_unsafe() says so; the neighbours of each range stay
 * raw.  U+061C, U+200E and U+200F were once missing from the config path.
 */
static const uint32_t unsafe_cps[] = { 0x01, 0x1b, 0x7f, 0x85, 0x9b, 0x061c,
    0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069 };
static const uint32_t safe_cps[] = { 0x20, 0x7e, 0xa0, 0x061b, 0x200d,
    0x2010, 0x2027, 0x202f, 0x2065, 0x206a, 0x6f22 };

static size_t
put_utf8(char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	p[0] = (char)(0xe0 | (cp >> 12));
	p[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	p[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

static void
check_everywhere(uint32_t cp, bool unsafe)
{
	int	(*const fns[])(FILE *, const char *) = { escape_html,
	    escape_markdown, escape_xml };
	char	 in[16], raw[8], vis[16], *out, *path, *cause = NULL;
	struct config	 cfg;
	size_t	 n, i;

	n = put_utf8(raw, cp);
	raw[n] = '\0';
	snprintf(in, sizeof in, "a%sb", raw);
	if (cp == 0x1b || cp == 0x01 || cp == 0x7f)
		snprintf(vis, sizeof vis, "\\x%02x", (unsigned)cp);
	else
		snprintf(vis, sizeof vis, "\\u%04x", (unsigned)cp);
	cr_expect_eq(utf8_unsafe(cp), unsafe, "utf8_unsafe(U+%04X)",
	    (unsigned)cp);
	out = escape_terminal(in);
	cr_expect_eq(strstr(out, unsafe ? vis : raw) != NULL, true,
	    "terminal U+%04X: %s", (unsigned)cp, out);
	free(out);
	for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		out = run_file(fns[i], in);
		if (cp != 0x20 && cp != 0x7e)	/* markdown escapes '~' */
			cr_expect(strstr(out, unsafe ? vis : raw) != NULL,
			    "writer %zu U+%04X: %s", i, (unsigned)cp, out);
		if (unsafe)
			cr_expect_null(strstr(out, raw));
		free(out);
	}
	if (cp < 0x20)
		return;	/* not a YAML key character */
	path = tu_fmt("%s/c.yaml", tu_tmpdir());
	out = tu_fmt("thresholds:\n  k%s: 5\n", raw);
	tu_write_file(path, out, strlen(out), 0);
	config_defaults(&cfg);
	cr_expect_eq(config_load(&cfg, path, &cause), -1, "U+%04X accepted",
	    (unsigned)cp);
	/* libyaml itself refuses C1 and U+2028/9 before any key is read */
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f || !unsafe)
		cr_expect(cause != NULL && strstr(cause, "key '") != NULL,
		    "U+%04X: %s", (unsigned)cp, cause);
	if (cause != NULL && strstr(cause, "key '") != NULL)
		cr_expect_eq(strstr(cause, unsafe ? vis : raw) != NULL, true,
		    "config message U+%04X: %s", (unsigned)cp, cause);
	if (cause != NULL) {
		if (unsafe)
			cr_expect_null(strstr(cause, raw), "%s", cause);
	}
	free(cause);
	config_free(&cfg);
	free(out);
	free(path);
}

Test(escape, one_unsafe_set_for_every_output)
{
	size_t	 i;

	for (i = 0; i < sizeof unsafe_cps / sizeof unsafe_cps[0]; i++)
		check_everywhere(unsafe_cps[i], true);
	for (i = 0; i < sizeof safe_cps / sizeof safe_cps[0]; i++)
		check_everywhere(safe_cps[i], false);
}

Test(escape_xml, markup_and_nonchars)
{
	check_file(escape_xml, "a<b>&\"'\xef\xbf\xbe\xef\xbf\xbfz",
	    "a&lt;b&gt;&amp;&quot;&#39;\\ufffe\\uffffz");
}
