/*
 * test_baseline.c - baselines: save and load round trips (any executor
 * id, exact numbers, unknown variance), the profiler's JSON baseline,
 * every error naming its line, building from the model, and atomic
 * saving that keeps the old file when writing fails.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "metric.h"
#include "model.h"
#include "record.h"
#include "testutil.h"

TestSuite(baseline, .init = tu_dir_setup, .fini = tu_dir_teardown);

static bool
same_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b && signbit(a) == signbit(b);
}

static void
assert_same_entry(const struct baseline_entry *a,
    const struct baseline_entry *b)
{
	int	k;

	cr_assert_str_eq(a->executor_id, b->executor_id);
	for (k = 0; k < METRIC_COUNT; k++) {
		const struct baseline_metric *x = &a->m[k], *y = &b->m[k];

		cr_assert_eq(x->present, y->present, "%s %d", a->executor_id, k);
		if (!x->present)
			continue;
		cr_assert_eq(x->n, y->n);
		cr_assert(same_double(x->mean, y->mean), "mean %.17g %.17g",
		    x->mean, y->mean);
		cr_assert(same_double(x->variance, y->variance),
		    "variance %.17g %.17g", x->variance, y->variance);
		cr_assert(same_double(x->min, y->min));
		cr_assert(same_double(x->max, y->max));
		cr_assert(same_double(x->p50, y->p50));
		cr_assert(same_double(x->p95, y->p95));
	}
}

static void
set_metric(struct baseline_entry *e, enum metric k, uint64_t n, double mean,
    double var)
{
	struct baseline_metric	*m = &e->m[k];

	m->present = true;
	m->n = n;
	m->mean = mean;
	m->variance = var;
	m->min = mean / 2;
	m->max = mean * 2;
	m->p50 = mean;
	m->p95 = mean * 1.5;
}

/* An id long enough that YAML needs an explicit "? key". */
static char *
long_id(void)
{
	char	*s = malloc(2001);

	memset(s, 'L', 2000);
	s[2000] = '\0';
	s[1000] = '"';
	return s;
}

static const char *odd_ids[] = {
	"D1-Q1",
	"quote\"d",
	"back\\slash",
	"new\nline",
	"unicode \xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
	"esc\x1b[31mred\x1b[0m",
	"tab\tcr\rbell\a",
	"c1 \xc2\x85 \xc2\x9b \xc2\xa0",
	"bidi \xe2\x80\xae and \xe2\x81\xa6",
	"line sep \xe2\x80\xa8 para \xe2\x80\xa9",
	"bom \xef\xbb\xbf nonchar \xef\xbf\xbe",
	"colon: x",
	"- dash",
	"# hash",
	"",
	"null",
	"~",
	"123",
	"yes",
	" leading and trailing ",
	"{flow}",
	"*alias",
	"&anchor",
	"'single'",
	"del \x7f",
};
#define NODD (sizeof odd_ids / sizeof odd_ids[0])

static struct baseline *
odd_baseline(void)
{
	struct baseline	*b = calloc(1, sizeof *b);
	size_t		 i;
	int		 k;

	b->version = BASELINE_VERSION;
	b->source = strdup("run \"1\".jsonl");
	b->created = strdup("2026-11-27T10:00:00Z");
	b->n = NODD + 1;
	b->entries = calloc(b->n, sizeof *b->entries);
	for (i = 0; i < b->n; i++) {
		struct baseline_entry *e = &b->entries[i];

		e->executor_id = i < NODD ? strdup(odd_ids[i]) : long_id();
		for (k = 0; k < METRIC_COUNT; k++) {
			e->m[k].variance = NAN;
			e->m[k].mean = e->m[k].min = e->m[k].max = NAN;
			e->m[k].p50 = e->m[k].p95 = NAN;
		}
		if (i % 7 == 3)
			continue;	/* no metric at all */
		set_metric(e, METRIC_EXEC_TIME, 120 + i, 12.5 + (double)i / 3,
		    1.2);
		set_metric(e, METRIC_SER_SIZE, 1, 4096, NAN);
		if (i % 2 == 0)
			set_metric(e, METRIC_MEM_FOOTPRINT, 3, -0.1 - 0.2, 0);
		if (i == 1) {
			set_metric(e, METRIC_MEM_PEAK, 7, 1e300, 5e-324);
			e->m[METRIC_MEM_PEAK].min = -0.0;
		}
	}
	return b;
}

Test(baseline, save_load_round_trip)
{
	struct baseline		*b = odd_baseline(), *l;
	const struct baseline_entry *e;
	char			*path = tu_fmt("%s/sub/dir/base.yaml", tu_dir);
	char			*cause = NULL, *text;
	size_t			 i, len;

	cr_assert_eq(baseline_save(b, path, &cause), 0, "%s", cause);
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_str_eq(l->path, path);
	cr_assert_str_eq(l->source, b->source);
	cr_assert_str_eq(l->created, b->created);
	cr_assert_eq(l->version, BASELINE_VERSION);
	cr_assert_eq(l->n, b->n);
	for (i = 0; i < b->n; i++) {
		e = baseline_find(l, b->entries[i].executor_id);
		cr_assert_not_null(e, "lost id #%zu", i);
		assert_same_entry(&b->entries[i], e);
	}
	for (i = 1; i < l->n; i++)
		cr_assert_lt(strcmp(l->entries[i - 1].executor_id,
		    l->entries[i].executor_id), 0, "not sorted");
	cr_assert_null(baseline_find(l, "absent"));
	cr_assert_null(baseline_find(NULL, "x"));

	/* The file is plain printable text: nothing from an id reaches a
	 * terminal that cats it. */
	text = tu_read_file(path, &len);
	for (i = 0; i < len; i++) {
		unsigned char c = text[i];

		cr_assert(c == '\n' || (c >= 0x20 && c != 0x7f),
		    "raw byte 0x%02x at %zu", c, i);
	}
	cr_assert_null(strstr(text, "\xc2\x85"));
	cr_assert_null(strstr(text, "\xe2\x80\xae"));
	cr_assert(strstr(text, "version: 1\n") != NULL);
	cr_assert(strstr(text, "variance: null") != NULL);

	/* Saving what was loaded gives the same file again. */
	{
		char	*path2 = tu_fmt("%s/again.yaml", tu_dir), *text2;

		cr_assert_eq(baseline_save(l, path2, &cause), 0, "%s", cause);
		text2 = tu_read_file(path2, NULL);
		cr_assert_str_eq(text2, text);
		free(text2);
		free(path2);
	}
	free(text);
	baseline_free(b);
	baseline_free(l);
	free(path);
}

Test(baseline, empty_baseline_round_trip)
{
	struct baseline	 b = { .version = BASELINE_VERSION }, *l;
	char		*path = tu_fmt("%s/empty.yaml", tu_dir);
	char		*cause = NULL;

	cr_assert_eq(baseline_save(&b, path, &cause), 0, "%s", cause);
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_eq(l->n, 0);
	cr_assert_null(baseline_find(l, "x"));
	/* created is filled in when unknown: an ISO-8601 UTC time. */
	cr_assert_eq(strlen(l->created), 20, "%s", l->created);
	cr_assert_eq(l->created[4], '-');
	cr_assert_eq(l->created[10], 'T');
	cr_assert_eq(l->created[19], 'Z');
	baseline_free(l);
	free(path);
}

Test(baseline, many_executors)
{
	struct baseline	*b = calloc(1, sizeof *b), *l;
	char		*path = tu_fmt("%s/big.yaml", tu_dir);
	char		*cause = NULL;
	struct stat	 sb;
	size_t		 i;
	int		 k;

	b->n = 3000;
	b->entries = calloc(b->n, sizeof *b->entries);
	for (i = 0; i < b->n; i++) {
		b->entries[i].executor_id = tu_fmt("executor-%05zu", i);
		for (k = 0; k < METRIC_COUNT; k++)
			set_metric(&b->entries[i], k, i + 2, 1.0 / (i + 3), 0.1);
	}
	cr_assert_eq(baseline_save(b, path, &cause), 0, "%s", cause);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_gt(sb.st_size, 1024 * 1024, "the test wants a large file");
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_eq(l->n, b->n);
	for (i = 0; i < b->n; i += 97)
		assert_same_entry(&b->entries[i],
		    baseline_find(l, b->entries[i].executor_id));
	baseline_free(b);
	baseline_free(l);
	free(path);
}

Test(baseline, hand_written_yaml)
{
	struct baseline	*l;
	const struct baseline_entry *e;
	char		*path, *cause = NULL;

	path = tu_put("h.yaml",
	    "# written by hand\n"
	    "version: 1\n"
	    "created: \"2026-11-27T10:00:00Z\"\n"
	    "source: \"run.jsonl\"\n"
	    "executors:\n"
	    "  D1-Q1:\n"
	    "    execution_time_ms: {n: 120, mean: 12.5, variance: 1.2, min: 10,\n"
	    "                        max: 15, p50: 12.4, p95: 14.1}\n"
	    "    memory_peak_mb:\n"
	    "      n: 4\n"
	    "      mean: 3\n"
	    "      stddev: 2\n"
	    "      min: 1\n"
	    "      max: 5\n"
	    "      p50: ~\n"
	    "      p95: null\n"
	    "  other: {}\n");
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_eq(l->n, 2);
	cr_assert_str_eq(l->source, "run.jsonl");
	e = baseline_find(l, "D1-Q1");
	cr_assert_not_null(e);
	cr_assert(e->m[METRIC_EXEC_TIME].present);
	cr_assert_eq(e->m[METRIC_EXEC_TIME].n, 120);
	cr_assert_eq(e->m[METRIC_EXEC_TIME].mean, 12.5);
	cr_assert_eq(e->m[METRIC_EXEC_TIME].variance, 1.2);
	cr_assert_eq(e->m[METRIC_EXEC_TIME].p95, 14.1);
	cr_assert_eq(e->m[METRIC_MEM_PEAK].variance, 4);	/* stddev^2 */
	cr_assert(isnan(e->m[METRIC_MEM_PEAK].p50));
	cr_assert(isnan(e->m[METRIC_MEM_PEAK].p95));
	cr_assert(!e->m[METRIC_SER_TIME].present);
	e = baseline_find(l, "other");
	cr_assert_not_null(e);
	cr_assert(!e->m[METRIC_EXEC_TIME].present);
	baseline_free(l);
	free(path);
}

Test(baseline, profiler_json)
{
	struct baseline	*l;
	const struct baseline_entry *e;
	const struct baseline_metric *m;
	char		*path, *cause = NULL;

	path = tu_put("p.json",
	    "{\n"
	    "  \"D1-Q1\": {\n"
	    "    \"executor_id\": \"D1-Q1\",\n"
	    "    \"execution_time_ms\": 12.5,\n"
	    "    \"memory_footprint_mb\": -1.25,\n"
	    "    \"memory_peak_mb\": 40,\n"
	    "    \"serialization_time_ms\": null,\n"
	    "    \"serialization_size_bytes\": 1024,\n"
	    "    \"success\": true,\n"
	    "    \"method_calls\": [{\"class_name\": \"A\", \"calls\": {\"x\": [1]}}]\n"
	    "  },\n"
	    "  \"emoji \\ud83d\\ude00 \\u001b\": {\"execution_time_ms\": 1e-3}\n"
	    "}\n");
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_eq(l->n, 2);
	e = baseline_find(l, "D1-Q1");
	cr_assert_not_null(e);
	m = &e->m[METRIC_EXEC_TIME];
	cr_assert(m->present);
	cr_assert_eq(m->n, 1);
	cr_assert_eq(m->mean, 12.5);
	cr_assert(isnan(m->variance));
	cr_assert_eq(m->min, 12.5);
	cr_assert_eq(m->max, 12.5);
	cr_assert_eq(m->p50, 12.5);
	cr_assert_eq(m->p95, 12.5);
	cr_assert_eq(e->m[METRIC_MEM_FOOTPRINT].mean, -1.25);
	cr_assert_eq(e->m[METRIC_MEM_PEAK].mean, 40);
	cr_assert(!e->m[METRIC_SER_TIME].present);
	cr_assert_eq(e->m[METRIC_SER_SIZE].mean, 1024);
	e = baseline_find(l, "emoji \xf0\x9f\x98\x80 \x1b");
	cr_assert_not_null(e);
	cr_assert_eq(e->m[METRIC_EXEC_TIME].mean, 1e-3);
	cr_assert(!e->m[METRIC_MEM_PEAK].present);

	/* A converted baseline saves and loads back the same. */
	{
		struct baseline	*again;
		char		*out = tu_fmt("%s/conv.yaml", tu_dir);

		cr_assert_eq(baseline_save(l, out, &cause), 0, "%s", cause);
		cr_assert_eq(baseline_load(&again, out, &cause), 0, "%s", cause);
		cr_assert_eq(again->n, 2);
		assert_same_entry(&l->entries[0], &again->entries[0]);
		assert_same_entry(&l->entries[1], &again->entries[1]);
		baseline_free(again);
		free(out);
	}
	baseline_free(l);
	free(path);
}

/* Loads text, expecting an error containing want (with "@" standing for
 * the file name at its start). */
static void
expect_error(const char *name, const char *text, const char *want)
{
	struct baseline	*l = (void *)1;
	char		*path = tu_put(name, text), *cause = NULL, *w;

	w = want[0] == '@' ? tu_fmt("%s%s", path, want + 1) : strdup(want);
	cr_assert_eq(baseline_load(&l, path, &cause), -1, "loaded:\n%s", text);
	cr_assert_null(l);
	cr_assert(strstr(cause, w) != NULL, "cause '%s' lacks '%s'", cause, w);
	free(cause);
	free(w);
	free(path);
}

static const char good_stats[] =
    "{n: 2, mean: 1, variance: 0, min: 1, max: 1, p50: 1, p95: 1}";

Test(baseline, version_errors)
{
	expect_error("v.yaml", "version: 2\nexecutors: {}\n",
	    "@:1: key 'version': unsupported baseline version 2");
	expect_error("v.yaml", "# c\nexecutors: {}\n\nversion: 7\n",
	    "@:4: key 'version': unsupported baseline version 7");
	expect_error("v.yaml", "version: one\nexecutors: {}\n",
	    "@:1: key 'version': expected a whole number");
	expect_error("v.yaml", "version: 1.0\nexecutors: {}\n",
	    "@:1: key 'version'");
	expect_error("v.yaml", "version: 1\n", "@:1: missing key 'executors'");
}

Test(baseline, structure_errors)
{
	char	*t;

	expect_error("e.yaml", "", "@: the baseline file is empty");
	expect_error("e.yaml", "- 1\n- 2\n", "@:1: a baseline must be a mapping");
	expect_error("e.yaml", "version: 1\nexecutors: {}\ncomment: x\n",
	    "@:3: key 'comment': unknown key");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n    cpu_ms: 1\n",
	    "@:4: key 'executors.A.cpu_ms': unknown metric");
	t = tu_fmt("version: 1\nexecutors:\n  A:\n    execution_time_ms: "
	    "{n: 2, mean: 1, variance: 0, min: 1, max: 1, p50: 1, p95: 1, "
	    "p99: 1}\n");
	expect_error("e.yaml", t,
	    "@:4: key 'executors.A.execution_time_ms.p99': unknown key");
	free(t);
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 2, mean: 1, variance: 0}\n",
	    "@:4: key 'executors.A.execution_time_ms': missing 'min'");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 2, mean: 1, min: 1, max: 1, p50: 1, "
	    "p95: 1}\n", "missing 'variance'");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 0, mean: 1, variance: 0, min: 1, "
	    "max: 1, p50: 1, p95: 1}\n",
	    "@:4: key 'executors.A.execution_time_ms.n': must be at least 1");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 2, mean: 1, variance: -1, min: 1, "
	    "max: 1, p50: 1, p95: 1}\n", "variance': must not be negative");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 2, mean: null, variance: 1, min: 1, "
	    "max: 1, p50: 1, p95: 1}\n", "mean': expected a number");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 2, mean: 0x10, variance: 1, min: 1, "
	    "max: 1, p50: 1, p95: 1}\n", "'0x10'");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A:\n"
	    "    execution_time_ms: {n: 2, mean: 1, variance: 1, stddev: 1, "
	    "min: 1, max: 1, p50: 1, p95: 1}\n", "not both");
	t = tu_fmt("version: 1\nexecutors:\n  A:\n    execution_time_ms: %s\n"
	    "  A:\n    execution_time_ms: %s\n", good_stats, good_stats);
	expect_error("e.yaml", t, "@:5: duplicate key 'A'");
	free(t);
	t = tu_fmt("version: 1\nexecutors:\n  A:\n    execution_time_ms: &s %s\n"
	    "  B:\n    execution_time_ms: *s\n", good_stats);
	expect_error("e.yaml", t, "aliases are not allowed");
	free(t);
	expect_error("e.yaml", "version: 1\nexecutors: [a]\n",
	    "@:2: key 'executors': expected a mapping");
	expect_error("e.yaml", "version: 1\nexecutors:\n  A: 5\n",
	    "@:3: key 'executors.A': expected a mapping of metrics");
}

Test(baseline, profiler_errors)
{
	expect_error("p.json", "{\"A\": {\"execution_time_ms\": \"fast\"}}",
	    "key 'A.execution_time_ms': expected a number");
	expect_error("p.json", "{\"A\": {\"success\": true}}",
	    "key 'A': no metrics");
	expect_error("p.json", "{\"A\": 5}", "key 'A': expected the executor's "
	    "metrics");
	expect_error("p.json", "{\"A\": {\"execution_time_ms\": 1},\n"
	    "\"A\": {\"execution_time_ms\": 2}}", "@:2: ");
	expect_error("p.json", "{\"A\": {\"execution_time_ms\": 1,\n\n}",
	    "@:3: ");
	/* A config file given as a baseline by mistake. */
	expect_error("c.yaml", "window: 5\nui: {theme: x}\n",
	    "@:1: key 'window': expected the executor's metrics");
}

Test(baseline, profiler_format_in_yaml)
{
	struct baseline	*l;
	char		*path, *cause = NULL;

	path = tu_put("p.yaml", "X:\n  execution_time_ms: 3\n  notes: [a, b]\n");
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_eq(l->n, 1);
	cr_assert_eq(l->entries[0].m[METRIC_EXEC_TIME].n, 1);
	cr_assert_eq(l->entries[0].m[METRIC_EXEC_TIME].mean, 3);
	baseline_free(l);
	free(path);
}

Test(baseline, missing_file)
{
	struct baseline	*l;
	char		*path = tu_fmt("%s/none.yaml", tu_dir), *cause = NULL;

	cr_assert_eq(baseline_load(&l, path, &cause), -1);
	cr_assert(strstr(cause, "cannot read") != NULL, "%s", cause);
	free(cause);
	free(path);
}

static void
add_run(struct model *m, const char *id, double t, double mem)
{
	struct record	r;

	record_init(&r);
	r.executor_id = id;
	for (int k = 0; k < METRIC_COUNT; k++)
		r.v[k] = NAN;
	r.v[METRIC_EXEC_TIME] = t;
	r.v[METRIC_MEM_FOOTPRINT] = mem;
	r.success = true;
	r.timestamp = NAN;
	cr_assert_eq(model_add_record(m, &r), 0);
	record_free(&r);
}

Test(baseline, from_model)
{
	struct model_limits	 lim = { .window = 10 };
	struct model		*m = model_create(&lim);
	struct baseline		*b, *l;
	const struct baseline_entry *e;
	const struct baseline_metric *bm;
	char			*path = tu_fmt("%s/m.yaml", tu_dir);
	char			*cause = NULL;

	add_run(m, "zeta", 10, NAN);
	add_run(m, "alpha", 5, 1);
	add_run(m, "zeta", 20, NAN);
	add_run(m, "zeta", 30, NAN);

	b = baseline_from_model(m, "run.jsonl");
	cr_assert_null(b->path);
	cr_assert_str_eq(b->source, "run.jsonl");
	cr_assert_eq(strlen(b->created), 20);
	cr_assert_eq(b->n, 2);
	cr_assert_str_eq(b->entries[0].executor_id, "alpha");	/* sorted */

	e = baseline_find(b, "zeta");
	cr_assert_not_null(e);
	bm = &e->m[METRIC_EXEC_TIME];
	cr_assert(bm->present);
	cr_assert_eq(bm->n, 3);
	cr_assert_float_eq(bm->mean, 20, 1e-12);
	cr_assert_float_eq(bm->variance, 100, 1e-9);
	cr_assert_eq(bm->min, 10);
	cr_assert_eq(bm->max, 30);
	cr_assert(bm->p50 >= 10 && bm->p50 <= 30, "p50 %g", bm->p50);
	cr_assert(bm->p95 >= bm->p50 && bm->p95 <= 30, "p95 %g", bm->p95);
	cr_assert(!e->m[METRIC_MEM_FOOTPRINT].present);
	cr_assert(!e->m[METRIC_SER_TIME].present);

	e = baseline_find(b, "alpha");
	cr_assert_eq(e->m[METRIC_EXEC_TIME].n, 1);
	cr_assert(isnan(e->m[METRIC_EXEC_TIME].variance));
	cr_assert(e->m[METRIC_MEM_FOOTPRINT].present);

	cr_assert_eq(baseline_save(b, path, &cause), 0, "%s", cause);
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_str_eq(l->source, "run.jsonl");
	cr_assert_str_eq(l->created, b->created);
	assert_same_entry(&b->entries[0], &l->entries[0]);
	assert_same_entry(&b->entries[1], &l->entries[1]);
	baseline_free(b);
	baseline_free(l);
	model_free(m);
	free(path);

	/* An empty model: an empty baseline. */
	m = model_create(NULL);
	b = baseline_from_model(m, NULL);
	cr_assert_eq(b->n, 0);
	cr_assert_str_eq(b->source, "");
	baseline_free(b);
	model_free(m);
}

static int
count_temps(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".tmp.") != NULL)
			n++;
	}
	closedir(d);
	return n;
}

Test(baseline, failed_save_keeps_old_file)
{
	struct baseline	*b = odd_baseline(), *big, *l;
	char		*path = tu_fmt("%s/keep.yaml", tu_dir);
	char		*file = tu_fmt("%s/plain", tu_dir);
	char		*under = tu_fmt("%s/plain/base.yaml", tu_dir);
	char		*cause = NULL, *before, *after;
	struct rlimit	 rl;
	size_t		 i;

	/* Parent is a regular file: nothing can be written. */
	tu_write_file(file, "x", 1, 0);
	cr_assert_eq(baseline_save(b, under, &cause), -1);
	cr_assert(strstr(cause, "plain") != NULL, "%s", cause);
	free(cause);

	/* A write that fails part-way (file size limit): the old baseline
	 * is still there, whole, and no temporary file is left. */
	cr_assert_eq(baseline_save(b, path, &cause), 0, "%s", cause);
	before = tu_read_file(path, NULL);
	big = calloc(1, sizeof *big);
	big->n = 2000;
	big->entries = calloc(big->n, sizeof *big->entries);
	for (i = 0; i < big->n; i++) {
		big->entries[i].executor_id = tu_fmt("e%zu", i);
		set_metric(&big->entries[i], METRIC_EXEC_TIME, 5, 1.0 / 3, 1);
	}
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 64 * 1024;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	cr_assert_eq(baseline_save(big, path, &cause), -1);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_FSIZE, &rl);
	cr_assert(strstr(cause, "cannot write") != NULL, "%s", cause);
	free(cause);
	after = tu_read_file(path, NULL);
	cr_assert_str_eq(after, before);
	cr_assert_eq(count_temps(tu_dir), 0);
	cr_assert_eq(baseline_load(&l, path, &cause), 0, "%s", cause);
	cr_assert_eq(l->n, b->n);
	baseline_free(l);

	baseline_free(b);
	baseline_free(big);
	free(before);
	free(after);
	free(path);
	free(file);
	free(under);
}

/* Issue 12 (Low): a record stream given as the baseline (-b run.jsonl)
 * is named as such, for one line and for many (it used to say "end of
 * file expected near '{'" or fail on a field). */
Test(baseline, record_stream_is_named)
{
	static const char *const texts[] = {
		"{\"executor_id\":\"A\",\"execution_time_ms\":1}\n"
		"{\"executor_id\":\"B\",\"execution_time_ms\":2}\n",
		"{\"executor_id\":\"A\",\"execution_time_ms\":1}\n",
	};
	struct baseline	*b = NULL;
	char		*path, *cause = NULL;
	size_t		 i;

	for (i = 0; i < sizeof texts / sizeof *texts; i++) {
		path = tu_put("run.jsonl", texts[i]);
		cr_assert_eq(baseline_load(&b, path, &cause), -1);
		cr_assert_not_null(cause);
		cr_expect_not_null(strstr(cause, "looks like a record stream"),
		    "%s", cause);
		free(cause);
		cause = NULL;
		free(path);
	}
}
