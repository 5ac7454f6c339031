/*
 * test_config.c - the strict YAML layer (ydoc) and the configuration:
 * defaults, the shipped file, every class of error with file:line:key,
 * and write-back that keeps the file's comments and layout.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "metric.h"
#include "testutil.h"
#include "ydoc.h"

TestSuite(config, .init = tu_dir_setup, .fini = tu_dir_teardown);
TestSuite(ydoc, .init = tu_dir_setup, .fini = tu_dir_teardown);

static void
assert_defaults(const struct config *c)
{
	cr_assert_eq(c->critical_factor, 2);
	cr_assert_eq(c->min_samples, 5);
	cr_assert_eq(c->significance, 0.05);
	cr_assert_eq(c->window, 50);
	cr_assert_eq(c->top_n, 10);
	cr_assert_eq(c->weight[METRIC_EXEC_TIME], 0.5);
	cr_assert_eq(c->weight[METRIC_MEM_FOOTPRINT], 0.3);
	cr_assert_eq(c->weight[METRIC_SER_TIME], 0.2);
	cr_assert_eq(c->weight[METRIC_MEM_PEAK], 0);
	cr_assert_eq(c->weight[METRIC_SER_SIZE], 0);
	cr_assert_eq(c->refresh_ms, 250);
	cr_assert_str_eq(c->theme, "default");
	cr_assert_str_eq(c->snapshot_dir, ".");
	cr_assert_eq(c->snapshot_formats, SNAP_JSON | SNAP_MARKDOWN | SNAP_HTML);
	cr_assert_eq(c->max_executors, 10000);
	cr_assert_eq(c->max_methods, 256);
	cr_assert_eq(c->max_line_bytes, 1048576);
	cr_assert(c->has_threshold[METRIC_EXEC_TIME]);
	cr_assert_eq(c->threshold[METRIC_EXEC_TIME], 20);
	cr_assert(c->has_threshold[METRIC_MEM_FOOTPRINT]);
	cr_assert_eq(c->threshold[METRIC_MEM_FOOTPRINT], 30);
	cr_assert(c->has_threshold[METRIC_MEM_PEAK]);
	cr_assert_eq(c->threshold[METRIC_MEM_PEAK], 30);
	cr_assert(c->has_threshold[METRIC_SER_TIME]);
	cr_assert_eq(c->threshold[METRIC_SER_TIME], 50);
	cr_assert(!c->has_threshold[METRIC_SER_SIZE]);
}

Test(config, defaults)
{
	struct config	c;

	config_defaults(&c);
	assert_defaults(&c);
	cr_assert_null(c.path);
	cr_assert_null(c.baseline);
	config_free(&c);
	config_free(&c);	/* leaves defaults: harmless twice */
	assert_defaults(&c);
}

Test(config, shipped_file_is_the_defaults)
{
	struct config	 c;
	char		*path = tu_fmt("%s/config/exectop.yaml", tu_root());
	char		*cause = NULL;

	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	assert_defaults(&c);
	cr_assert_str_eq(c.path, path);
	cr_assert_null(c.baseline);	/* shipped empty: the demo passes its own */
	config_free(&c);
	free(path);
}

/* Every key in the shipped file has a comment: on its line or right above. */
Test(config, shipped_file_comments_every_key)
{
	char	*path = tu_fmt("%s/config/exectop.yaml", tu_root());
	char	*text = tu_read_file(path, NULL), *line, *save = NULL;
	bool	 prev_comment = false;
	int	 keys = 0;

	cr_assert_not_null(text);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *p = line + strspn(line, " ");

		if (*p == '#') {
			prev_comment = true;
			continue;
		}
		if (strchr(p, ':') != NULL) {
			keys++;
			cr_assert(prev_comment || strchr(p, '#') != NULL,
			    "key without a comment: %s", line);
		}
		prev_comment = false;
	}
	cr_assert_geq(keys, 20);
	free(text);
	free(path);
}

Test(config, every_key_set)
{
	static const char text[] =
	    "baseline: /abs/base.yaml\n"
	    "thresholds:\n"
	    "  execution_time_ms: 12.5\n"
	    "  serialization_size_bytes: 7\n"
	    "critical_factor: 3\n"
	    "min_samples: 9\n"
	    "significance: 0\n"
	    "window: 0\n"
	    "bottleneck:\n"
	    "  top_n: 1000\n"
	    "  weights: {execution_time_ms: 1, memory_footprint_mb: 0, "
	    "serialization_time_ms: 2.5e-1}\n"
	    "ui:\n"
	    "  refresh_ms: 10\n"
	    "  theme: solarized\n"
	    "snapshot:\n"
	    "  dir: 'snaps'\n"
	    "  formats:\n"
	    "    - html\n"
	    "    - json\n"
	    "limits: {max_executors: 10000000, max_methods: 1, "
	    "max_line_bytes: 1024}\n";
	struct config	 c;
	char		*path = tu_put_len("c.yaml", text, sizeof text - 1);
	char		*cause = NULL;

	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	cr_assert_str_eq(c.baseline, "/abs/base.yaml");
	cr_assert_eq(c.threshold[METRIC_EXEC_TIME], 12.5);
	cr_assert(c.has_threshold[METRIC_SER_SIZE]);
	cr_assert_eq(c.threshold[METRIC_SER_SIZE], 7);
	/* Thresholds not listed keep their defaults. */
	cr_assert(c.has_threshold[METRIC_MEM_PEAK]);
	cr_assert_eq(c.threshold[METRIC_MEM_PEAK], 30);
	cr_assert_eq(c.critical_factor, 3);
	cr_assert_eq(c.min_samples, 9);
	cr_assert_eq(c.significance, 0);
	cr_assert_eq(c.window, 0);
	cr_assert_eq(c.top_n, 1000);
	cr_assert_eq(c.weight[METRIC_EXEC_TIME], 1);
	cr_assert_eq(c.weight[METRIC_MEM_FOOTPRINT], 0);
	cr_assert_eq(c.weight[METRIC_SER_TIME], 0.25);
	cr_assert_eq(c.refresh_ms, 10);
	cr_assert_str_eq(c.theme, "solarized");
	cr_assert_str_eq(c.snapshot_dir, "snaps");
	cr_assert_eq(c.snapshot_formats, SNAP_HTML | SNAP_JSON);
	cr_assert_eq(c.max_executors, 10000000);
	cr_assert_eq(c.max_methods, 1);
	cr_assert_eq(c.max_line_bytes, 1024);
	config_free(&c);
	free(path);
}

Test(config, baseline_path_resolution)
{
	struct config	 c;
	char		*sub = tu_fmt("%s/etc", tu_dir);
	char		*path, *cause = NULL, *want;

	mkdir(sub, 0755);
	path = tu_put_len("etc/a.yaml", "baseline: ../b/base.yaml\n", 25);
	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	want = tu_fmt("%s/etc/../b/base.yaml", tu_dir);
	cr_assert_str_eq(c.baseline, want);	/* not opened: does not exist */
	config_free(&c);
	free(want);
	free(path);

	path = tu_put_len("etc/a.yaml", "baseline: ~/b.yaml\n", 19);
	setenv("HOME", "/home/someone", 1);
	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	cr_assert_str_eq(c.baseline, "/home/someone/b.yaml");
	config_free(&c);
	free(path);

	/* Issue 12 (Low): with HOME unset, "~/" is the password database's
	 * home directory, never a literal "./~". */
	{
		struct passwd	*pw = getpwuid(getuid());
		char		*home;

		cr_assert_not_null(pw);
		home = tu_fmt("%s/snapx", pw->pw_dir);
		path = tu_put_len("etc/a.yaml", "snapshot: {dir: ~/snapx}\n"
		    "baseline: ~/b.yaml\n", 44);
		unsetenv("HOME");
		cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
		cr_expect_str_eq(c.snapshot_dir, home);
		cr_expect_eq(c.baseline[0], '/', "%s", c.baseline);
		cr_expect_null(strstr(c.baseline, "~"), "%s", c.baseline);
		setenv("HOME", "", 1);
		config_free(&c);
		cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
		cr_expect_str_eq(c.snapshot_dir, home);
		setenv("HOME", "/home/someone", 1);
		config_free(&c);
		free(home);
		free(path);
	}

	path = tu_put_len("etc/a.yaml", "baseline:\n", 10);
	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	cr_assert_null(c.baseline);
	config_free(&c);
	free(path);
	free(sub);
}

Test(config, copy_is_deep)
{
	struct config	 a, b;
	char		*path = tu_put_len("c.yaml", "ui: {theme: dark}\nbaseline: x.yaml\n",
			    35);
	char		*cause = NULL;

	cr_assert_eq(config_load(&a, path, &cause), 0, "%s", cause);
	config_copy(&b, &a);
	cr_assert_neq(a.theme, b.theme);
	cr_assert_neq(a.baseline, b.baseline);
	cr_assert_neq(a.path, b.path);
	cr_assert_str_eq(b.theme, "dark");
	cr_assert_str_eq(b.baseline, a.baseline);
	config_free(&a);
	cr_assert_str_eq(b.theme, "dark");	/* still valid */
	config_free(&b);

	config_defaults(&a);
	config_copy(&b, &a);
	config_free(&a);
	cr_assert_str_eq(b.theme, "default");
	config_free(&b);
	free(path);
}

Test(config, empty_files_are_defaults)
{
	static const char *texts[] = {
		"", "\n\n", "# only a comment\n", "---\n", "--- # x\n...\n"
	};
	struct config	 c;
	char		*path, *cause = NULL;
	size_t		 i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		path = tu_put_len("e.yaml", texts[i], strlen(texts[i]));
		cr_assert_eq(config_load(&c, path, &cause), 0, "%zu: %s", i,
		    cause);
		assert_defaults(&c);
		config_free(&c);
		free(path);
	}
}

/*
 * Loads text and expects an error containing each of the strings in
 * want[] (NULL-terminated); "@" at the start of one stands for the file
 * name.  The config must be left as the defaults.
 */
static void
expect_error(const char *text, size_t len, const char *want1,
    const char *want2)
{
	struct config	 c;
	char		*path = tu_put_len("bad.yaml", text, len);
	char		*cause = NULL, *w;

	c.critical_factor = 99;	/* must be overwritten */
	cr_assert_eq(config_load(&c, path, &cause), -1,
	    "loaded but should fail: %s", text);
	cr_assert_not_null(cause);
	w = tu_fmt("%s%s", want1[0] == '@' ? path : "",
	    want1[0] == '@' ? want1 + 1 : want1);
	cr_assert(strstr(cause, w) != NULL, "cause '%s' lacks '%s'", cause, w);
	if (want2 != NULL)
		cr_assert(strstr(cause, want2) != NULL,
		    "cause '%s' lacks '%s'", cause, want2);
	cr_assert_null(strchr(cause, '\x1b'), "raw escape in message");
	assert_defaults(&c);
	cr_assert_null(c.path);
	config_free(&c);
	free(cause);
	free(w);
	free(path);
}

#define EXPECT(text, w1, w2) expect_error(text, sizeof(text) - 1, w1, w2)

Test(config, unknown_keys)
{
	EXPECT("window: 5\nfoo: 1\n", "@:2: key 'foo': unknown key", NULL);
	EXPECT("ui:\n  refresh_ms: 100\n  colour: red\n",
	    "@:3: key 'ui.colour': unknown key", NULL);
	EXPECT("thresholds:\n  cpu_time_ms: 5\n",
	    "@:2: key 'thresholds.cpu_time_ms': unknown key", NULL);
	EXPECT("bottleneck:\n  weights:\n    memory_peak_mb: 1\n",
	    "@:3: key 'bottleneck.weights.memory_peak_mb': unknown key", NULL);
	EXPECT("limits: {max_threads: 4}\n",
	    "@:1: key 'limits.max_threads'", NULL);
	EXPECT("snapshot:\n  where: x\n", "@:2: key 'snapshot.where'", NULL);
	/* An escape sequence in a key is shown, not sent to the terminal. */
	EXPECT("\"\\e[31mred\": 1\n", "@:1: key '\\x1b[31mred'", NULL);
}

Test(config, wrong_types)
{
	EXPECT("thresholds:\n  execution_time_ms: abc\n",
	    "@:2: key 'thresholds.execution_time_ms': expected a number, "
	    "got 'abc'", NULL);
	EXPECT("thresholds: 5\n", "@:1: key 'thresholds': expected a mapping",
	    NULL);
	EXPECT("thresholds:\n", "@:1: key 'thresholds': expected a mapping",
	    NULL);
	EXPECT("critical_factor: \"3\"\n",
	    "@:1: key 'critical_factor': expected a number", "quoted");
	EXPECT("min_samples: 1.5\n", "@:1: key 'min_samples': expected a whole "
	    "number", "'1.5'");
	EXPECT("min_samples: -1\n", "@:1: key 'min_samples'", "'-1'");
	EXPECT("window: [1, 2]\n", "@:1: key 'window'", "a sequence");
	EXPECT("ui:\n  theme: [a]\n", "@:2: key 'ui.theme': expected a string",
	    NULL);
	EXPECT("ui: 5\n", "@:1: key 'ui': expected a mapping", NULL);
	EXPECT("significance:\n", "@:1: key 'significance': expected a number",
	    NULL);
	EXPECT("snapshot:\n  formats: json\n",
	    "@:2: key 'snapshot.formats': expected a list", NULL);
	EXPECT("snapshot:\n  formats:\n    - json\n    - pdf\n",
	    "@:4: key 'snapshot.formats': unknown format 'pdf'", NULL);
	EXPECT("snapshot:\n  formats: []\n",
	    "@:2: key 'snapshot.formats': must name at least one", NULL);
	EXPECT("snapshot: {dir: ''}\n", "@:1: key 'snapshot.dir': must not be "
	    "empty", NULL);
}

Test(config, not_plain_decimal)
{
	EXPECT("window: 0x1F\n", "@:1: key 'window'", "'0x1F'");
	EXPECT("thresholds:\n  memory_peak_mb: 0x1F\n",
	    "@:2: key 'thresholds.memory_peak_mb': expected a number, got "
	    "'0x1F'", NULL);
	EXPECT("critical_factor: 010\n", "@:1: key 'critical_factor': expected "
	    "a number, got '010'", NULL);
	EXPECT("min_samples: 010\n", "@:1: key 'min_samples'", "'010'");
	EXPECT("significance: .nan\n", "@:1: key 'significance': expected a "
	    "number, got '.nan'", NULL);
	EXPECT("critical_factor: .inf\n", "@:1: key 'critical_factor'",
	    "'.inf'");
	EXPECT("critical_factor: yes\n", "@:1: key 'critical_factor'", "'yes'");
	EXPECT("window: 1_000\n", "@:1: key 'window'", "'1_000'");
	EXPECT("critical_factor: 1e999\n", "@:1: key 'critical_factor'",
	    "out of range");
	EXPECT("window: 99999999999999999999999\n", "@:1: key 'window'",
	    "out of range");
	EXPECT("critical_factor: 1.5.2\n", "@:1: key 'critical_factor'", NULL);
	EXPECT("critical_factor: 1e\n", "@:1: key 'critical_factor'", NULL);
	EXPECT("critical_factor: +\n", "@:1: key 'critical_factor'", NULL);
}

Test(config, out_of_range)
{
	EXPECT("critical_factor: 0.5\n", "@:1: key 'critical_factor': must be "
	    "at least 1, got 0.5", NULL);
	EXPECT("min_samples: 0\n", "@:1: key 'min_samples': must be from 1",
	    NULL);
	EXPECT("significance: 1\n", "@:1: key 'significance': must be from 0",
	    "got 1");
	EXPECT("significance: -0.1\n", "@:1: key 'significance'", NULL);
	EXPECT("window: 100001\n", "@:1: key 'window': must be from 0 to 100000",
	    NULL);
	EXPECT("thresholds:\n  execution_time_ms: -5\n",
	    "@:2: key 'thresholds.execution_time_ms': must be at least 0", NULL);
	EXPECT("thresholds:\n  memory_peak_mb: 0\n",
	    "@:2: key 'thresholds.memory_peak_mb': must be more than 0", "off");
	EXPECT("bottleneck:\n  top_n: 0\n", "@:2: key 'bottleneck.top_n'", NULL);
	EXPECT("bottleneck:\n  top_n: 1001\n", "@:2: key 'bottleneck.top_n'",
	    NULL);
	EXPECT("bottleneck:\n  weights: {execution_time_ms: -1}\n",
	    "@:2: key 'bottleneck.weights.execution_time_ms'", NULL);
	EXPECT("ui:\n  refresh_ms: 9\n", "@:2: key 'ui.refresh_ms'", NULL);
	EXPECT("ui:\n  refresh_ms: 60001\n", "@:2: key 'ui.refresh_ms'", NULL);
	EXPECT("limits:\n  max_executors: 0\n", "@:2: key 'limits.max_executors'",
	    NULL);
	EXPECT("limits:\n  max_executors: 10000001\n",
	    "@:2: key 'limits.max_executors'", NULL);
	EXPECT("limits:\n  max_methods: 100001\n", "@:2: key 'limits.max_methods'",
	    NULL);
	EXPECT("limits:\n  max_line_bytes: 1023\n",
	    "@:2: key 'limits.max_line_bytes'", NULL);
	EXPECT("limits:\n  max_line_bytes: 1073741825\n",
	    "@:2: key 'limits.max_line_bytes'", NULL);
}

Test(config, structure_errors)
{
	EXPECT("window: 5\nwindow: 6\n", "@:2: duplicate key 'window'", NULL);
	EXPECT("ui:\n  theme: a\n  refresh_ms: 20\n  theme: b\n",
	    "@:4: duplicate key 'theme'", NULL);
	EXPECT("window: &w 5\n", "@:1: ", "aliases are not allowed");
	EXPECT("a: 1\nb: *w\n", "@:2: aliases are not allowed", NULL);
	EXPECT("window: !!str 5\n", "@:1: tags are not allowed", NULL);
	EXPECT("? [a, b]\n: 1\n", "@:1: keys must be scalars", NULL);
	EXPECT("window: 1\n---\nwindow: 2\n", "@:2: more than one document",
	    NULL);
	EXPECT("- a\n- b\n", "@:1: the configuration must be a mapping", NULL);
	EXPECT("hello\n", "@:1: the configuration must be a mapping", NULL);
	EXPECT("window: 5\nui:\n  refresh_ms: [1\n", "@:", NULL);
	EXPECT("window: 5\n\tui: 1\n", "@:2: ", NULL);
	EXPECT("window: 5\ntheme: \"\xc3\x28\"\n", "@:2: ", "UTF-8");
	EXPECT("window: 5\nui: {theme: \"a\\0b\"}\n", "@:2: NUL", NULL);
}

/* The classic "billion laughs": refused at the first anchor, long before
 * anything is expanded. */
Test(config, billion_laughs)
{
	static const char text[] =
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";

	EXPECT(text, "@:1: ", "aliases are not allowed");
}

Test(config, deep_nesting)
{
	size_t	 n = 100000, i;
	char	*text = malloc(n + 16);

	memcpy(text, "window: ", 8);
	for (i = 0; i < n; i++)
		text[8 + i] = '[';
	text[8 + n] = '\n';
	expect_error(text, 8 + n + 1, "@:1: nesting deeper than 32 levels",
	    NULL);
	/* Same for block mappings. */
	{
		char	*path = tu_fmt("%s/deep.yaml", tu_dir);
		struct ynode *root;
		char	*cause = NULL;

		for (i = 0; i < 40; i++) {
			char *t = tu_fmt("%*sk%zu:\n", (int)(2 * i), "", i);

			tu_write_file(path, t, strlen(t), i > 0);
			free(t);
		}

		cr_assert_eq(ydoc_load_file(path, &root, &cause), -1);
		cr_assert(strstr(cause, "nesting deeper") != NULL, "%s", cause);
		cr_assert(strstr(cause, ":33: ") != NULL, "%s", cause);
		free(cause);
		free(path);
	}
	free(text);
}

Test(config, too_large)
{
	size_t	 n = 1024 * 1024 + 10, i;
	char	*text = malloc(n);

	for (i = 0; i < n; i++)
		text[i] = (i % 64 == 63) ? '\n' : (i % 64 == 0 ? '#' : 'x');
	expect_error(text, n, "@: file is larger than 1048576 bytes", NULL);
	free(text);
}

Test(config, missing_file)
{
	struct config	 c;
	char		*path = tu_fmt("%s/nope.yaml", tu_dir);
	char		*cause = NULL;

	cr_assert_eq(config_load(&c, path, &cause), -1);
	cr_assert(strstr(cause, "cannot read") != NULL, "%s", cause);
	cr_assert(strstr(cause, "No such file") != NULL, "%s", cause);
	assert_defaults(&c);
	free(cause);
	free(path);
}

/* ------------------------------------------------------------------------
 * Write-back.
 */

/* Replaces the first occurrence of from in s (which must exist). */
static char *
replace(char *s, const char *from, const char *to)
{
	char	*p = strstr(s, from), *r;

	cr_assert_not_null(p, "'%s' not in text", from);
	r = tu_fmt("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	free(s);
	return r;
}

static void
load_ok(struct config *c, const char *path)
{
	char	*cause = NULL;

	cr_assert_eq(config_load(c, path, &cause), 0, "%s", cause);
}

Test(config, write_back_unchanged_is_identity)
{
	char		*src = tu_fmt("%s/config/exectop.yaml", tu_root());
	char		*orig = tu_read_file(src, NULL), *path, *now;
	char		*cause = NULL;
	struct config	 c;

	path = tu_put_len("x.yaml", orig, strlen(orig));
	load_ok(&c, path);
	cr_assert_eq(config_write_back(&c, &cause), 0, "%s", cause);
	now = tu_read_file(path, NULL);
	cr_assert_str_eq(now, orig);
	config_free(&c);
	free(now);
	free(orig);
	free(path);
	free(src);
}

Test(config, write_back_shipped_file)
{
	char		*src = tu_fmt("%s/config/exectop.yaml", tu_root());
	char		*orig = tu_read_file(src, NULL), *path, *now, *want;
	char		*cause = NULL;
	struct config	 c, d;
	struct stat	 sb;

	path = tu_put_len("x.yaml", orig, strlen(orig));
	chmod(path, 0604);
	load_ok(&c, path);
	c.threshold[METRIC_EXEC_TIME] = 25.5;
	c.threshold[METRIC_MEM_PEAK] = 0.1;
	c.has_threshold[METRIC_SER_SIZE] = true;
	c.threshold[METRIC_SER_SIZE] = 15;
	c.critical_factor = 3;
	c.min_samples = 12;
	c.significance = 0.001;
	cr_assert_eq(config_write_back(&c, &cause), 0, "%s", cause);

	/* Exactly the values changed, the new key added under thresholds
	 * with the block's indentation; every other byte kept. */
	want = strdup(orig);
	want = replace(want, "  execution_time_ms: 20       #",
	    "  execution_time_ms: 25.5       #");
	want = replace(want, "  memory_peak_mb: 30          #",
	    "  memory_peak_mb: 0.1          #");
	want = replace(want, "serializing the result\n",
	    "serializing the result\n  serialization_size_bytes: 15\n");
	want = replace(want, "\ncritical_factor: 2\n", "\ncritical_factor: 3\n");
	want = replace(want, "\nmin_samples: 5\n", "\nmin_samples: 12\n");
	want = replace(want, "\nsignificance: 0.05\n",
	    "\nsignificance: 0.001\n");
	now = tu_read_file(path, NULL);
	cr_assert_str_eq(now, want);

	load_ok(&d, path);
	cr_assert_eq(d.threshold[METRIC_EXEC_TIME], 25.5);
	cr_assert_eq(d.threshold[METRIC_MEM_PEAK], 0.1);
	cr_assert(d.has_threshold[METRIC_SER_SIZE]);
	cr_assert_eq(d.threshold[METRIC_SER_SIZE], 15);
	cr_assert_eq(d.critical_factor, 3);
	cr_assert_eq(d.min_samples, 12);
	cr_assert_eq(d.significance, 0.001);
	cr_assert_eq(d.window, 50);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0604);
	config_free(&c);
	config_free(&d);
	free(now);
	free(want);
	free(orig);
	free(path);
	free(src);
}

/* Round-trips values that need all 17 digits. */
Test(config, write_back_exact_values)
{
	char		*path = tu_put_len("x.yaml", "critical_factor: 2\n", 19);
	struct config	 c, d;
	char		*cause = NULL;

	load_ok(&c, path);
	c.critical_factor = 1.0 + 1.0 / 3.0;
	c.threshold[METRIC_EXEC_TIME] = 1e-7;
	c.threshold[METRIC_SER_TIME] = 123456789012345678.0;
	c.significance = 0.1 + 0.2;
	cr_assert_eq(config_write_back(&c, &cause), 0, "%s", cause);
	load_ok(&d, path);
	cr_assert_eq(d.critical_factor, c.critical_factor);
	cr_assert_eq(d.threshold[METRIC_EXEC_TIME], 1e-7);
	cr_assert_eq(d.threshold[METRIC_SER_TIME], 123456789012345678.0);
	cr_assert_eq(d.significance, 0.1 + 0.2);
	config_free(&c);
	config_free(&d);
	free(path);
}

/* Written numbers are the shortest exact text (numfmt): 5e-05 is
 * "5.0e-05", not the 17-digit "5.0000000000000002e-05". */
Test(config, write_back_short_numbers)
{
	char		*path = tu_put_len("n.yaml", "significance: 0.05\n", 19);
	char		*cause = NULL, *text;
	struct config	 c;

	load_ok(&c, path);
	c.significance = 5e-05;
	c.critical_factor = 20;
	cr_assert_eq(config_write_back(&c, &cause), 0, "%s", cause);
	text = tu_read_file(path, NULL);
	cr_assert(strstr(text, "significance: 5.0e-05\n") != NULL, "%s", text);
	cr_assert(strstr(text, "critical_factor: 20\n") != NULL, "%s", text);
	free(text);
	config_free(&c);
	free(path);
}

static void
write_back_case(const char *text, const char *must_contain)
{
	char		*path = tu_put_len("w.yaml", text, strlen(text));
	struct config	 c, d;
	char		*cause = NULL, *now;
	int		 m;

	load_ok(&c, path);
	c.threshold[METRIC_EXEC_TIME] = 11;
	c.threshold[METRIC_MEM_FOOTPRINT] = 22;
	c.has_threshold[METRIC_SER_SIZE] = true;
	c.threshold[METRIC_SER_SIZE] = 33;
	c.critical_factor = 4;
	c.min_samples = 1;	/* fits every window below */
	c.significance = 0.2;
	cr_assert_eq(config_write_back(&c, &cause), 0, "%s", cause);
	now = tu_read_file(path, NULL);
	load_ok(&d, path);
	for (m = 0; m < METRIC_COUNT; m++) {
		cr_assert_eq(d.has_threshold[m], c.has_threshold[m], "%s", now);
		cr_assert_eq(d.threshold[m], c.threshold[m], "%s", now);
	}
	cr_assert_eq(d.critical_factor, 4, "%s", now);
	cr_assert_eq(d.min_samples, 1, "%s", now);
	cr_assert_eq(d.significance, 0.2, "%s", now);
	cr_assert_eq(d.window, c.window, "%s", now);
	cr_assert_eq(d.top_n, c.top_n, "%s", now);
	if (must_contain != NULL)
		cr_assert(strstr(now, must_contain) != NULL,
		    "'%s' not in:\n%s", must_contain, now);
	config_free(&c);
	config_free(&d);
	free(now);
	free(path);
}

Test(config, write_back_adds_missing_keys)
{
	/* Nothing to edit: a whole thresholds block is appended. */
	write_back_case("# my settings\nwindow: 10\n",
	    "# my settings\nwindow: 10\nthresholds:\n"
	    "  execution_time_ms: 11\n");
	/* No trailing newline. */
	write_back_case("window: 10", "window: 10\nthresholds:\n");
	/* Empty and comment-only files. */
	write_back_case("", "thresholds:\n");
	write_back_case("# nothing yet\n", "# nothing yet\nthresholds:\n");
	/* Thresholds present with 4-space indentation, comments after. */
	write_back_case("thresholds:\n    execution_time_ms: 5  # keep me\n"
	    "\n# trailing comment\nwindow: 7\n",
	    "    execution_time_ms: 11  # keep me\n    memory_footprint_mb: 22\n");
	/* Thresholds as the last block, root keys after it. */
	write_back_case("window: 7\nthresholds:\n  memory_peak_mb: 1\n",
	    "thresholds:\n  memory_peak_mb: 1\n  execution_time_ms: 11\n");
	/* Flow mappings. */
	write_back_case("thresholds: {execution_time_ms: 1}\nwindow: 3\n",
	    "thresholds: {execution_time_ms: 11, memory_footprint_mb: 22");
	write_back_case("thresholds: {}\n", "thresholds: {execution_time_ms: 11");
	write_back_case("{window: 3}\n", "{window: 3, thresholds: {");
	/* Nested block last: the new root keys go after it, at the root. */
	write_back_case("ui:\n  theme: x\n  refresh_ms: 20\n# end\n",
	    "  refresh_ms: 20\nthresholds:\n");
	/* A document marker and an end marker. */
	write_back_case("---\nwindow: 4\n...\n", "window: 4\nthresholds:");
}

Test(config, threshold_off)
{
	char		*path = tu_put_len("o.yaml", "thresholds:\n  memory_peak_mb: off\n"
			    "  execution_time_ms: 5\nwindow: 1\n", 67);
	struct config	 c, d;
	char		*cause = NULL, *now;

	load_ok(&c, path);
	cr_assert(!c.has_threshold[METRIC_MEM_PEAK]);
	cr_assert(c.has_threshold[METRIC_EXEC_TIME]);
	cr_assert(c.has_threshold[METRIC_SER_TIME]);	/* default */

	/* Turned off in the TUI: written as "off", in place or added. */
	c.has_threshold[METRIC_EXEC_TIME] = false;
	c.has_threshold[METRIC_SER_TIME] = false;
	c.has_threshold[METRIC_MEM_PEAK] = true;
	c.threshold[METRIC_MEM_PEAK] = 44;
	cr_assert_eq(config_write_back(&c, &cause), 0, "%s", cause);
	now = tu_read_file(path, NULL);
	cr_assert(strstr(now, "thresholds:\n  memory_peak_mb: 44\n"
	    "  execution_time_ms: off\n") != NULL, "%s", now);
	cr_assert(strstr(now, "  serialization_time_ms: off\n") != NULL,
	    "%s", now);
	cr_assert_null(strstr(now, "serialization_size_bytes"), "%s", now);
	load_ok(&d, path);
	cr_assert(!d.has_threshold[METRIC_EXEC_TIME]);
	cr_assert(!d.has_threshold[METRIC_SER_TIME]);
	cr_assert(!d.has_threshold[METRIC_SER_SIZE]);
	cr_assert(d.has_threshold[METRIC_MEM_PEAK]);
	cr_assert_eq(d.threshold[METRIC_MEM_PEAK], 44);
	config_free(&c);
	config_free(&d);
	free(now);
	free(path);

	/* Only "off" itself. */
	EXPECT("thresholds:\n  memory_peak_mb: Off\n",
	    "@:2: key 'thresholds.memory_peak_mb': expected a number", NULL);
	EXPECT("thresholds:\n  memory_peak_mb: 'off'\n",
	    "@:2: key 'thresholds.memory_peak_mb'", NULL);
}

Test(config, write_back_errors)
{
	struct config	 c;
	char		*cause = NULL, *path, *before, *after;

	config_defaults(&c);
	cr_assert_eq(config_write_back(&c, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);

	/* An invalid value is refused and the file left alone. */
	path = tu_put_len("v.yaml", "critical_factor: 2\n", 19);
	load_ok(&c, path);
	before = tu_read_file(path, NULL);
	c.critical_factor = 0.5;
	cr_assert_eq(config_write_back(&c, &cause), -1);
	cr_assert(strstr(cause, "critical_factor") != NULL, "%s", cause);
	free(cause);
	c.critical_factor = 2;
	c.significance = NAN;
	cr_assert_eq(config_write_back(&c, &cause), -1);
	free(cause);
	after = tu_read_file(path, NULL);
	cr_assert_str_eq(before, after);
	config_free(&c);
	free(before);
	free(after);
	free(path);
}

/* ------------------------------------------------------------------------
 * ydoc itself.
 */

Test(ydoc, tree_lines_and_offsets)
{
	static const char text[] =
	    "# c\n"
	    "name: \"h\xc3\xa9llo\"\n"
	    "h\xc3\xa9: [1, two, 'three']\n"
	    "map:\n"
	    "  k: v  # comment\n";
	struct ynode		*root;
	const struct ynode	*v;
	char			*cause = NULL;

	cr_assert_eq(ydoc_load_buf("t", text, sizeof text - 1, &root, &cause),
	    0, "%s", cause);
	cr_assert_eq(root->type, YNODE_MAP);
	cr_assert_eq(root->n, 3);
	cr_assert_str_eq(root->keys[1], "h\xc3\xa9");
	cr_assert_eq(root->key_lines[1], 3);

	v = ynode_get(root, "name");
	cr_assert_str_eq(v->scalar, "h\xc3\xa9llo");
	cr_assert(!v->plain);
	cr_assert_eq(v->line, 2);

	v = ynode_get(root, "h\xc3\xa9");
	cr_assert_eq(v->type, YNODE_SEQ);
	cr_assert_eq(v->n, 3);
	cr_assert(v->items[1]->plain);
	cr_assert(!v->items[2]->plain);
	/* Byte offsets, after multi-byte characters. */
	cr_assert_eq(strncmp(text + v->start, "[1, two", 7), 0);
	cr_assert_eq(text[v->end - 1], ']');
	cr_assert_eq(strncmp(text + v->items[1]->start, "two", 3), 0);
	cr_assert_eq(v->items[1]->end - v->items[1]->start, 3);

	v = ynode_get(ynode_get(root, "map"), "k");
	cr_assert_eq(v->line, 5);
	cr_assert_eq(strncmp(text + v->start, "v  #", 4), 0);
	cr_assert_eq(v->end, v->start + 1);
	cr_assert_null(ynode_get(root, "nope"));
	cr_assert_null(ynode_get(v, "k"));
	ynode_free(root);
}

Test(ydoc, byte_order_mark)
{
	static const char text[] = "\xef\xbb\xbfk: \xc3\xa9\xc3\xa9 x\nn: 5\n";
	struct ynode		*root;
	const struct ynode	*v;
	char			*cause = NULL;

	cr_assert_eq(ydoc_load_buf("t", text, sizeof text - 1, &root, &cause),
	    0, "%s", cause);
	v = ynode_get(root, "n");
	cr_assert_eq(text[v->start], '5');
	v = ynode_get(root, "k");
	cr_assert_eq(strncmp(text + v->start, "\xc3\xa9\xc3\xa9 x", 6), 0);
	cr_assert_eq(v->end - v->start, 6);
	ynode_free(root);
}

Test(ydoc, many_keys_duplicate)
{
	size_t	 i, len = 0;
	char	*text = malloc(200000), *cause = NULL;
	struct ynode *root;

	for (i = 0; i < 5000; i++)
		len += sprintf(text + len, "key%zu: %zu\n", i, i);
	cr_assert_eq(ydoc_load_buf("t", text, len, &root, &cause), 0);
	cr_assert_eq(root->n, 5000);
	ynode_free(root);
	len += sprintf(text + len, "key17: again\n");
	cr_assert_eq(ydoc_load_buf("t", text, len, &root, &cause), -1);
	cr_assert_str_eq(cause, "t:5001: duplicate key 'key17'");
	free(cause);
	free(text);
}

static struct ynode *
scalar(const char *s, bool plain)
{
	struct ynode	*n = calloc(1, sizeof *n);

	n->type = YNODE_SCALAR;
	n->line = 7;
	n->scalar = strdup(s);
	n->plain = plain;
	return n;
}

Test(ydoc, scalar_readers)
{
	static const char *good[] = { "0", "-0", "+1", "1.5", "0.25", "1e3",
	    "1E-3", "-2.5e+10", "12345678901234567890", ".5", "1.", "0.0" };
	static const double good_v[] = { 0, 0, 1, 1.5, 0.25, 1e3, 1e-3,
	    -2.5e10, 12345678901234567890.0, 0.5, 1, 0 };
	static const char *bad[] = { "0x1F", "010", "00", ".nan", ".inf",
	    "-.inf", "yes", "true", "1_000", "", "abc", "1e", "--1", "0b1",
	    "0o7", "1.2.3", " 1", "1 ", "nan", "inf", "Infinity", "+", "." };
	struct ynode	*n;
	double		 d;
	uint64_t	 u;
	bool		 b;
	const char	*s;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		n = scalar(good[i], true);
		cr_assert_eq(ynode_double(n, "f", "k", &d, &cause), 0,
		    "%s: %s", good[i], cause);
		cr_assert_eq(d, good_v[i], "%s", good[i]);
		ynode_free(n);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = scalar(bad[i], true);
		cr_assert_eq(ynode_double(n, "f", "a.b", &d, &cause), -1,
		    "accepted '%s'", bad[i]);
		cr_assert(strncmp(cause, "f:7: key 'a.b': ", 16) == 0, "%s",
		    cause);
		free(cause);
		ynode_free(n);
	}
	n = scalar("20", false);
	cr_assert_eq(ynode_double(n, "f", "k", &d, &cause), -1);
	free(cause);
	cr_assert_eq(ynode_uint(n, "f", "k", &u, &cause), -1);
	free(cause);
	cr_assert_eq(ynode_string(n, "f", "k", &s, &cause), 0);
	cr_assert_str_eq(s, "20");
	ynode_free(n);

	n = scalar("18446744073709551615", true);
	cr_assert_eq(ynode_uint(n, "f", "k", &u, &cause), 0);
	cr_assert_eq(u, UINT64_MAX);
	ynode_free(n);
	n = scalar("18446744073709551616", true);
	cr_assert_eq(ynode_uint(n, "f", "k", &u, &cause), -1);
	cr_assert(strstr(cause, "out of range") != NULL, "%s", cause);
	free(cause);
	ynode_free(n);
	n = scalar("1e3", true);
	cr_assert_eq(ynode_uint(n, "f", "k", &u, &cause), -1);
	free(cause);
	ynode_free(n);

	n = scalar("true", true);
	cr_assert_eq(ynode_bool(n, "f", "k", &b, &cause), 0);
	cr_assert(b);
	ynode_free(n);
	n = scalar("false", true);
	cr_assert_eq(ynode_bool(n, "f", "k", &b, &cause), 0);
	cr_assert(!b);
	ynode_free(n);
	n = scalar("yes", true);
	cr_assert_eq(ynode_bool(n, "f", "k", &b, &cause), -1);
	cr_assert_str_eq(cause, "f:7: key 'k': expected true or false, got "
	    "'yes'");
	free(cause);
	ynode_free(n);
	n = scalar("true", false);
	cr_assert_eq(ynode_bool(n, "f", "k", &b, &cause), -1);
	free(cause);
	ynode_free(n);

	cr_assert_eq(ynode_double(NULL, "f", "k", &d, &cause), -1);
	free(cause);
}

Test(ydoc, decimal_ignores_locale)
{
	struct ynode	*n = scalar("1.5", true);
	double		 d;
	char		*cause = NULL;

	/* Where a comma is the decimal point, "1.5" is still 1.5. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL &&
	    setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL) {
		ynode_free(n);
		cr_skip_test("no locale with a decimal comma installed");
	}
	cr_assert_eq(ynode_double(n, "f", "k", &d, &cause), 0);
	cr_assert_eq(d, 1.5);
	setlocale(LC_NUMERIC, "C");
	ynode_free(n);
}

Test(ydoc, empty_and_errors)
{
	struct ynode	*root = (void *)1;
	char		*cause = NULL;

	cr_assert_eq(ydoc_load_buf("t", "", 0, &root, &cause), 0);
	cr_assert_null(root);
	cr_assert_eq(ydoc_load_buf("t", "a: [\n", 5, &root, &cause), -1);
	cr_assert(strncmp(cause, "t:", 2) == 0, "%s", cause);
	cr_assert_null(root);
	free(cause);
	cr_assert_eq(ydoc_load_buf("t", "a: 1\nb: {c: &x 1}\n", 18, &root,
	    &cause), -1);
	cr_assert_str_eq(cause, "t:2: anchors and aliases are not allowed");
	free(cause);
}

/* Issue 9 item 5: min_samples above a non-zero window would leave every
 * metric pending forever: refused at load, naming the key and line. */
Test(config, min_samples_above_window_rejected)
{
	static const char	a[] = "window: 10\nmin_samples: 11\n";
	static const char	b[] = "min_samples: 20\nwindow: 8\n";
	static const char	ok[] = "window: 0\nmin_samples: 500\n";
	static const char	small[] = "window: 3\n";
	struct config		c;
	char			*cause = NULL, *path;

	path = tu_put_len("a.yaml", a, sizeof a - 1);
	cr_assert_eq(config_load(&c, path, &cause), -1);
	cr_assert(strstr(cause, ":2: key 'min_samples'") != NULL, "%s", cause);
	cr_assert(strstr(cause, "window 10") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	free(path);
	path = tu_put_len("b.yaml", b, sizeof b - 1);
	cr_assert_eq(config_load(&c, path, &cause), -1);
	cr_assert(strstr(cause, ":1: key 'min_samples'") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	free(path);
	path = tu_put_len("ok.yaml", ok, sizeof ok - 1);
	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	cr_assert_eq(c.min_samples, 500);
	config_free(&c);
	free(path);
	/* The default 5 follows a window of 3 down. */
	path = tu_put_len("s.yaml", small, sizeof small - 1);
	cr_assert_eq(config_load(&c, path, &cause), 0, "%s", cause);
	cr_assert_eq(c.min_samples, 3);
	config_free(&c);
	free(path);
}

/* config_find: -c, then $EXECTOP_CONFIG, then the user's XDG file when it
 * exists, else the installed default (none in a source tree), else none. */
Test(config, find_order)
{
	struct config_source	 src;
	char			*xdg = tu_fmt("%s/xdg", tu_dir);
	char			*dir = tu_fmt("%s/exectop", xdg);
	char			*user = tu_fmt("%s/config.yaml", dir);

	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("EXECTOP_CONFIG", "/env/c.yaml", 1);
	config_find("/arg/c.yaml", &src);
	cr_assert_str_eq(src.path, "/arg/c.yaml");
	cr_assert_str_eq(src.origin, "-c");
	free(src.path);
	config_find(NULL, &src);
	cr_assert_str_eq(src.path, "/env/c.yaml");
	cr_assert_str_eq(src.origin, "$EXECTOP_CONFIG");
	free(src.path);

	setenv("EXECTOP_CONFIG", "", 1);	/* empty: not set */
	config_find(NULL, &src);
	cr_assert_null(src.path, "%s", src.path);
	cr_assert_str_eq(src.origin, "built-in defaults");
	cr_assert_eq(mkdir(xdg, 0700), 0);
	cr_assert_eq(mkdir(dir, 0700), 0);
	tu_write_file(user, "window: 5\n", 10, 0);
	config_find(NULL, &src);
	cr_assert_str_eq(src.path, user);
	cr_assert_str_eq(src.origin, "$XDG_CONFIG_HOME/exectop/config.yaml");
	free(src.path);
	free(user);
	free(dir);
	free(xdg);
}
