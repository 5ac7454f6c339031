/*
 * test_browser.c - the HTML report in a real browser: headless Chromium
 * (Debian's chromium, installed by .ci/deps.sh test) driven over the
 * DevTools protocol by tests/browser/check.mjs.
 *
 * It checks that the report loads without console errors, that clicking a
 * column header sorts the table (row order before and after), that the
 * severity colours are what the browser computes, and that a report built
 * from a stream with <script> and <img onerror> payloads in executor ids,
 * method names and errors runs none of them, while a control copy with one
 * payload left unescaped is caught.  A missing chromium or node fails the
 * test: it never skips.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define PWN_SCRIPT "<script>window.__pwned=1;document.title='pwned'</script>"
#define PWN_IMG "<img src=x onerror=\\\"window.__pwned=2;document.title='pwned'\\\">"

/* Which path a command has, or fails the test naming the package. */
static char *
need(const char *cmd, const char *package)
{
	char	*c = tu_fmt("command -v %s", cmd), *out = NULL;

	if (tu_run(c, &out, NULL) != 0 || out == NULL || *out == '\0')
		cr_assert_fail("%s is not installed (Debian package %s): "
		    "run .ci/deps.sh test; this test never skips", cmd, package);
	out[strcspn(out, "\n")] = '\0';
	free(c);
	return out;
}

/* A stream whose strings carry HTML payloads in every text field. */
static void
write_hostile(const char *path)
{
	static const char *const ids[] = { PWN_SCRIPT, PWN_IMG, "plain",
	    PWN_SCRIPT PWN_IMG };
	FILE	*f = fopen(path, "w");
	int	 i;

	cr_assert_not_null(f);
	for (i = 0; i < 24; i++) {
		fprintf(f, "{\"executor_id\": \"%s\", \"execution_time_ms\": %d,"
		    " \"memory_footprint_mb\": 1.5, \"success\": %s,"
		    " \"error\": %s, \"method_calls\": [{\"class_name\": \"%s\","
		    " \"method_name\": \"%s\", \"execution_time_ms\": 3,"
		    " \"error\": \"%s\"}]}\n", ids[i % 4], 10 + i,
		    i % 2 ? "false" : "true",
		    i % 2 ? "\"" PWN_IMG PWN_SCRIPT "\"" : "null",
		    PWN_SCRIPT, PWN_IMG, PWN_SCRIPT);
	}
	/* A rejected line is shown too (most recent invalid records). */
	fprintf(f, "%s\n", PWN_SCRIPT);
	cr_assert_eq(fclose(f), 0);
}

Test(browser, html_report_in_headless_chromium, .timeout = 300)
{
	char	*chromium = need("chromium", "chromium");
	char	*node = need("node", "nodejs");
	char	*dir = tu_tmpdir(), *cmd, *out = NULL, *err = NULL, *html, *p;
	char	*control, *shot;
	size_t	 len;
	int	 st, oks = 0;

	/* A report with a critical and a warning regression. */
	cmd = tu_fmt("cd '%s' && E='%s' && "
	    "$E gen --records 3000 > run.jsonl && "
	    "$E baseline -o baseline.yaml run.jsonl 2>/dev/null && "
	    "$E gen --records 3000 --seed 2 --slow D1-Q2:3 --slow D1-Q3:1.3 "
	    "> slow.jsonl && SOURCE_DATE_EPOCH=1795773600 $E report "
	    "-b baseline.yaml -f html -o report.html slow.jsonl; "
	    "test $? = 1", dir, tu_exectop());
	st = tu_run(cmd, NULL, &err);
	cr_assert_eq(st, 0, "%s: %s", cmd, err);
	free(cmd);
	free(err);

	/* The hostile report, and its control with one raw payload. */
	p = tu_fmt("%s/hostile.jsonl", dir);
	write_hostile(p);
	cmd = tu_fmt("'%s' report -f html -o '%s/hostile.html' '%s'",
	    tu_exectop(), dir, p);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);
	free(p);
	p = tu_fmt("%s/hostile.html", dir);
	html = tu_read_file(p, &len);
	cr_assert_not_null(html);
	cr_assert_null(strstr(html, "<script>window.__pwned"),
	    "a payload reached the HTML unescaped");
	cr_assert_not_null(strstr(html, "&lt;script&gt;window.__pwned"));
	control = tu_fmt("%s/control.html", dir);
	*strstr(html, "</body>") = '\0';
	p = tu_fmt("%s<script>window.__pwned=3;document.title='pwned'</script>"
	    "</body>\n</html>\n", html);
	tu_write_file(control, p, strlen(p), 0);
	free(p);
	free(html);

	shot = tu_fmt("%s/report.png", dir);
	cmd = tu_fmt("'%s' '%s/tests/browser/check.mjs' '%s' '%s/report.html' "
	    "'%s/hostile.html' '%s' '%s'", node, tu_root(), chromium, dir, dir,
	    control, shot);
	st = tu_run(cmd, &out, &err);
	fprintf(stderr, "%s", out);
	cr_assert_eq(st, 0, "%s\n%s\n%s", cmd, out, err);
	cr_assert_not_null(strstr(out, "all browser checks passed"), "%s", out);
	for (p = out; (p = strstr(p, "\nok ")) != NULL; p++)
		oks++;
	cr_expect_geq(oks, 20, "only %d checks ran:\n%s", oks, out);

	/* The screenshot is a PNG. */
	html = tu_read_file(shot, &len);
	cr_assert_not_null(html);
	cr_expect(len > 10000 && memcmp(html, "\x89PNG\r\n\x1a\n", 8) == 0,
	    "not a PNG screenshot");
	free(html);
	free(out);
	free(err);
	free(cmd);
	free(shot);
	free(control);
	free(chromium);
	free(node);
	tu_rmtree(dir);
}
