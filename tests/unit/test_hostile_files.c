/*
 * test_hostile_files.c - issue 5, case 7: the same hostile files given
 * to each of the three YAML loaders (config, baseline, theme).  Each must
 * be refused with one error line that names the file and the line, holds
 * no raw control characters (the text is shown in the status line), and
 * come back quickly: nesting and aliases are stopped by the loader, not
 * left to libyaml.
 *
 * test_config.c, test_baseline.c and test_tui_theme.c check each
 * loader's own keys and values; this file checks the structural attacks
 * against all three at once.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "config.h"
#include "testutil.h"
#include "ydoc.h"
#include "internal.h"

/* 60 s: libyaml left alone takes ~24 s on 100,000 nested '[', and far
 * longer on the million below; the loaders must stop at depth 32. */
TestSuite(hostile_files, .init = tu_dir_setup, .fini = tu_dir_teardown,
    .timeout = 60);

enum loader { L_CONFIG, L_BASELINE, L_THEME, L_COUNT };
static const char *loader_names[L_COUNT] = { "config", "baseline", "theme" };

/* Loads path with one loader; returns its result and the cause. */
static int
load(enum loader l, const char *path, char **cause)
{
	struct config	 c;
	struct baseline	*b = NULL;
	struct theme	 t;
	int		 rc;

	*cause = NULL;
	switch (l) {
	case L_CONFIG:
		rc = config_load(&c, path, cause);
		config_free(&c);
		return rc;
	case L_BASELINE:
		rc = baseline_load(&b, path, cause);
		if (rc == 0)
			baseline_free(b);
		return rc;
	default:
		memset(&t, 0, sizeof t);
		rc = theme_load(&t, path, cause);
		if (rc == 0)
			theme_free(&t);
		return rc;
	}
}

/* Whether s holds a byte sequence that acts on a terminal: C0 controls,
 * DEL, C1 (U+0080-U+009F), U+2028/2029, bidi controls. */
static const char *
raw_control(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return (const char *)p;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return (const char *)p;
		if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9 ||
		    (p[2] >= 0xaa && p[2] <= 0xae)))
			return (const char *)p;
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9)
			return (const char *)p;
	}
	return NULL;
}

/*
 * Writes text to a file and expects loader l to refuse it with a single
 * clean line starting "PATH:" (PATH:LINE: when line > 0) and holding
 * want (when not NULL).
 */
static void
expect_refused(enum loader l, const char *text, size_t len, int line,
    const char *want)
{
	char	*path = tu_fmt("%s/hostile-%s.yaml", tu_dir, loader_names[l]);
	char	*cause, *prefix;
	int	 rc;

	tu_write_file(path, text, len, 0);
	rc = load(l, path, &cause);
	cr_assert_eq(rc, -1, "%s accepted: %.80s", loader_names[l], text);
	cr_assert_not_null(cause, "%s: no cause", loader_names[l]);
	prefix = line > 0 ? tu_fmt("%s:%d: ", path, line) : tu_fmt("%s", path);
	cr_assert(strncmp(cause, prefix, strlen(prefix)) == 0,
	    "%s: cause '%s' does not start with '%s' (input %.60s)",
	    loader_names[l], cause, prefix, text);
	cr_assert_null(strchr(cause, '\n'), "%s: more than one line: %s",
	    loader_names[l], cause);
	cr_assert_null(raw_control(cause), "%s: raw control in '%s'",
	    loader_names[l], cause);
	if (want != NULL)
		cr_assert(strstr(cause, want) != NULL, "%s: cause '%s' lacks "
		    "'%s'", loader_names[l], cause, want);
	free(prefix);
	free(cause);
	free(path);
}

#define ALL(text, line, want) do {					\
	enum loader l_;							\
	for (l_ = 0; l_ < L_COUNT; l_++)				\
		expect_refused(l_, text, sizeof(text) - 1, line, want);	\
} while (0)

Test(hostile_files, not_yaml)
{
	ALL("window: [1, 2\n", 0, NULL);
	ALL("a: 1\n\tb: 2\n", 2, NULL);
	ALL("a: b: c\n", 1, NULL);
	ALL("a: \"unterminated\n", 0, NULL);
	ALL("@reserved: 1\n", 1, NULL);
	ALL("a: 1\n  b: 2\n", 0, NULL);
	ALL("%YAML 9.9\n---\na: 1\n", 0, NULL);
	ALL("a: 1\nb: \xff\xfe\n", 0, NULL);
	ALL("a: 1\nb: \"x\0y\"\n", 2, NULL);
}

Test(hostile_files, not_a_mapping)
{
	ALL("- a\n- b\n", 1, NULL);
	ALL("just a scalar\n", 1, NULL);
	ALL("[1, 2, 3]\n", 1, NULL);
	ALL("\"quoted\"\n", 1, NULL);
}

Test(hostile_files, two_documents)
{
	ALL("a: 1\n---\nb: 2\n", 2, "more than one document");
	ALL("---\na: 1\n...\n---\na: 1\n", 4, "more than one document");
}

Test(hostile_files, tags_refused)
{
	ALL("a: !!python/object/apply:os.system [\"id\"]\n", 1, "tags are not allowed");
	ALL("a: !custom 1\n", 1, "tags are not allowed");
}

Test(hostile_files, aliases_refused)
{
	/* The 342-byte "billion laughs". */
	static const char lol[] =
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";

	ALL(lol, 1, "aliases are not allowed");
	/* Self-reference. */
	ALL("a: &a [*a]\n", 1, "aliases are not allowed");
	ALL("x: 1\nloop: &a [*a]\n", 2, "aliases are not allowed");
	/* An alias to nothing, and a merge key. */
	ALL("x: 1\ny: *nowhere\n", 2, "aliases are not allowed");
	ALL("base: &b {a: 1}\nother:\n  <<: *b\n", 1, "aliases are not allowed");
	/* An anchor on a key. */
	ALL("&k key: 1\n", 1, "aliases are not allowed");
}

/* Builds prefix + n copies of c + "\n". */
static char *
repeat(const char *prefix, char c, size_t n, size_t *len)
{
	size_t	 lp = strlen(prefix);
	char	*s = malloc(lp + n + 2);

	memcpy(s, prefix, lp);
	memset(s + lp, c, n);
	s[lp + n] = '\n';
	s[lp + n + 1] = '\0';
	*len = lp + n + 1;
	return s;
}

Test(hostile_files, deep_nesting_stops_at_the_limit)
{
	char	*s;
	size_t	 len, i;
	enum loader l;

	/* A million '[' (just under the 1 MiB limit): unbounded, libyaml
	 * would run for far longer than the suite's timeout. */
	s = repeat("a: ", '[', 1000000, &len);
	for (l = 0; l < L_COUNT; l++)
		expect_refused(l, s, len, 1, "nesting deeper than 32 levels");
	free(s);
	/* Flow mappings: "{a: {a: {a: ..." */
	s = malloc(4 * 250000 + 2);
	for (i = 0; i < 250000; i++)
		memcpy(s + 4 * i, "{a: ", 4);
	s[4 * i] = '\n';
	len = 4 * i + 1;
	for (l = 0; l < L_COUNT; l++)
		expect_refused(l, s, len, 1, "nesting deeper than 32 levels");
	free(s);
	/* Block style, 40 levels: refused at the line where it goes too deep. */
	s = malloc(40 * 100);
	s[0] = '\0';
	for (i = 0; i < 40; i++)
		sprintf(s + strlen(s), "%*sk%zu:\n", (int)(2 * i), "", i);
	for (l = 0; l < L_COUNT; l++)
		expect_refused(l, s, strlen(s), 33, "nesting deeper than 32 levels");
	/* Sequences of sequences in block style. */
	s[0] = '\0';
	for (i = 0; i < 40; i++)
		sprintf(s + strlen(s), "%*s- \n", (int)(2 * i), "");
	for (l = 0; l < L_COUNT; l++)
		expect_refused(l, s, strlen(s), 0, "nesting deeper than 32 levels");
	free(s);
}

Test(hostile_files, too_large)
{
	size_t	 n = 1024 * 1024 + 1, i;
	char	*s = malloc(n);

	for (i = 0; i < n; i++)
		s[i] = (i % 80 == 79) ? '\n' : (i % 80 == 0 ? '#' : 'x');
	/* Config and theme stop at 1 MiB; a baseline may be larger (many
	 * executors) and is limited separately. */
	expect_refused(L_CONFIG, s, n, 0, "larger than 1048576 bytes");
	expect_refused(L_THEME, s, n, 0, "larger than 1048576 bytes");
	free(s);
}

Test(hostile_files, duplicate_keys)
{
	expect_refused(L_CONFIG, "window: 5\nmin_samples: 2\nwindow: 5\n",
	    sizeof "window: 5\nmin_samples: 2\nwindow: 5\n" - 1, 3,
	    "duplicate key 'window'");
	expect_refused(L_BASELINE, "version: 1\nversion: 1\nexecutors: {}\n",
	    sizeof "version: 1\nversion: 1\nexecutors: {}\n" - 1, 2,
	    "duplicate key 'version'");
	expect_refused(L_THEME, "colors:\n  ok: {fg: red}\n  ok: {fg: blue}\n",
	    sizeof "colors:\n  ok: {fg: red}\n  ok: {fg: blue}\n" - 1, 3,
	    "duplicate key 'ok'");
	/* Keys that differ only by escapes are the same key. */
	expect_refused(L_CONFIG, "window: 5\n\"\\x77indow\": 6\n",
	    sizeof "window: 5\n\"\\x77indow\": 6\n" - 1, 2, "duplicate key");
}

Test(hostile_files, strict_scalars_and_ranges)
{
	static const struct {
		const char	*text;
		int		 line;
	} cfg[] = {
		{ "thresholds:\n  execution_time_ms: .nan\n", 2 },
		{ "thresholds:\n  execution_time_ms: 0x1F\n", 2 },
		{ "thresholds:\n  execution_time_ms: 010\n", 2 },
		{ "thresholds:\n  execution_time_ms: yes\n", 2 },
		{ "thresholds:\n  execution_time_ms: -1\n", 2 },
		{ "thresholds:\n  execution_time_ms: .inf\n", 2 },
		{ "thresholds:\n  execution_time_ms: 1e400\n", 2 },
		{ "thresholds:\n  execution_time_ms: \"20\"\n", 2 },
		{ "thresholds:\n  execution_time_ms: ~\n", 2 },
		{ "thresholds:\n  execution_time_ms: [20]\n", 2 },
		{ "# below 1\ncritical_factor: 0.99\n", 2 },
		{ "significance: 1\n", 1 },
		{ "significance: -0.01\n", 1 },
		{ "ui:\n  refresh_ms: 0\n", 2 },
	};
	static const char *bl[] = {
		"version: 1\nexecutors:\n  A:\n    execution_time_ms: {n: 2, mean: .nan, "
		"variance: 0, min: 1, max: 1, p50: 1, p95: 1}\n",
		"version: 1\nexecutors:\n  A:\n    execution_time_ms: {n: 2, mean: 1, "
		"variance: 0, min: 1, max: 1, p50: yes, p95: 1}\n",
		"version: 1\nexecutors:\n  A:\n    execution_time_ms: {n: 0x2, mean: 1, "
		"variance: 0, min: 1, max: 1, p50: 1, p95: 1}\n",
		"version: 1\nexecutors:\n  A:\n    execution_time_ms: {n: 2, mean: 1, "
		"variance: .inf, min: 1, max: 1, p50: 1, p95: 1}\n",
	};
	size_t	i;

	for (i = 0; i < sizeof cfg / sizeof cfg[0]; i++)
		expect_refused(L_CONFIG, cfg[i].text, strlen(cfg[i].text),
		    cfg[i].line, "key '");
	for (i = 0; i < sizeof bl / sizeof bl[0]; i++)
		expect_refused(L_BASELINE, bl[i], strlen(bl[i]), 4,
		    "key 'executors.A.execution_time_ms.");
	expect_refused(L_BASELINE, "version: 99\nexecutors: {}\n",
	    sizeof "version: 99\nexecutors: {}\n" - 1, 1,
	    "unsupported baseline version 99");
	expect_refused(L_BASELINE, "version: 0\nexecutors: {}\n",
	    sizeof "version: 0\nexecutors: {}\n" - 1, 1, "version");
	expect_refused(L_BASELINE, "version: -1\nexecutors: {}\n",
	    sizeof "version: -1\nexecutors: {}\n" - 1, 1, "version");
	expect_refused(L_THEME, "colors:\n  ok: {fg: 256}\n",
	    sizeof "colors:\n  ok: {fg: 256}\n" - 1, 2, "256");
	expect_refused(L_THEME, "colors:\n  ok: {fg: -1}\n",
	    sizeof "colors:\n  ok: {fg: -1}\n" - 1, 2, NULL);
	expect_refused(L_THEME, "colors:\n  ok: {fg: 0x10}\n",
	    sizeof "colors:\n  ok: {fg: 0x10}\n" - 1, 2, NULL);
}

Test(hostile_files, unknown_keys)
{
	expect_refused(L_CONFIG, "windw: 5\n", 9, 1, "unknown key");
	expect_refused(L_BASELINE, "version: 1\nexecutors: {}\nextra: 1\n",
	    sizeof "version: 1\nexecutors: {}\nextra: 1\n" - 1, 3, "unknown key");
	expect_refused(L_THEME, "name: x\ncolours: {}\n",
	    sizeof "name: x\ncolours: {}\n" - 1, 2, "unknown key");
}

/* Stream-like text in keys and values comes back escaped: one test per
 * loader, so each failure shows on its own. */
static void
controls_in_keys(enum loader l)
{
	static const char *texts[] = {
		"\"\\e]8;;http://x\\a\": 1\n",
		"\"\\e[2J\\e[H\": 1\n",
		"\"a\\rb\\bc\": 1\n",
		"\"\\x9b31m\": 1\n",
		"\"\\u202eevil\": 1\n",
		"\"line\\Lsep\": 1\n",
		"\"nl\\nkey\": 1\n",
	};
	size_t	i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		expect_refused(l, texts[i], strlen(texts[i]), 1, NULL);
}

#define REFUSED(l, text, line) \
	expect_refused((l), (text), sizeof(text) - 1, (line), NULL)

Test(hostile_files, control_characters_in_config_messages)
{
	controls_in_keys(L_CONFIG);
	REFUSED(L_CONFIG, "window: \"\\e]0;pwned\\a\"\n", 1);
	REFUSED(L_CONFIG, "ui:\n  theme: [a\n\n\n  b]\n", 2);
}

Test(hostile_files, control_characters_in_baseline_messages)
{
	controls_in_keys(L_BASELINE);
	REFUSED(L_BASELINE, "version: \"\\e[31m\"\nexecutors: {}\n", 1);
	/* The profiler's JSON baseline: jansson's error text quotes the
	 * bytes near the error; they must come out escaped too. */
	REFUSED(L_BASELINE, "{\"A\": {\"execution_time_ms\": \x1c}}\n", 1);
	REFUSED(L_BASELINE, "{\"A\": {\"execution_time_ms\": 1}\x1b]0;x\x07}\n", 1);
}

Test(hostile_files, control_characters_in_theme_messages)
{
	controls_in_keys(L_THEME);
	REFUSED(L_THEME, "colors:\n  ok: {fg: \"\\e[31m\"}\n", 2);
	/* A plain scalar folded over several lines keeps line breaks. */
	REFUSED(L_THEME, "colors:\n  ok: {attrs: [rev\n\n\n  erse]}\n", 0);
}

Test(hostile_files, empty)
{
	struct config	 c;
	char		*path = tu_fmt("%s/empty.yaml", tu_dir), *cause = NULL;

	/* An empty config is the defaults (documented); an empty baseline
	 * or theme is an error. */
	tu_write_file(path, "", 0, 0);
	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	config_free(&c);
	free(path);
	expect_refused(L_BASELINE, "", 0, 0, "empty");
	expect_refused(L_THEME, "", 0, 0, "empty");
	expect_refused(L_BASELINE, "# only a comment\n", 17, 0, "empty");
	expect_refused(L_THEME, "---\n...\n", 8, 0, "empty");
}
