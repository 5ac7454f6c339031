/*
 * test_report_e2e.c - the real binary end to end: `exectop report` on
 * generated streams checked against an independent computation from the
 * same lines, the CI gate (--fail-on), FIFOs and stdin as sources, the
 * baseline command, and usage/config errors.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define MAXEX 64
#define MAXRUN 4096

/* Independent per-executor aggregation straight from the JSON lines. */
struct indep {
	char	 id[32];
	size_t	 n;
	double	 t[MAXRUN], mem[MAXRUN], ser[MAXRUN];
	int	 fail;
};

static struct indep ind[MAXEX];
static size_t nind;

static struct indep *
indep_get(const char *id)
{
	size_t	i;

	for (i = 0; i < nind; i++)
		if (strcmp(ind[i].id, id) == 0)
			return &ind[i];
	cr_assert_lt(nind, MAXEX);
	snprintf(ind[nind].id, sizeof ind[nind].id, "%s", id);
	ind[nind].n = 0;
	ind[nind].fail = 0;
	return &ind[nind++];
}

static void
indep_load(const char *path)
{
	FILE		*f = fopen(path, "r");
	char		*line = NULL;
	size_t		 cap = 0;
	json_t		*o;
	struct indep	*e;

	nind = 0;
	cr_assert_not_null(f);
	while (getline(&line, &cap, f) > 0) {
		o = json_loads(line, 0, NULL);
		cr_assert_not_null(o);
		e = indep_get(json_string_value(json_object_get(o, "executor_id")));
		cr_assert_lt(e->n, MAXRUN);
		e->t[e->n] = json_number_value(json_object_get(o, "execution_time_ms"));
		e->mem[e->n] = json_number_value(json_object_get(o, "memory_footprint_mb"));
		e->ser[e->n] = json_number_value(json_object_get(o, "serialization_time_ms"));
		e->fail += json_is_false(json_object_get(o, "success"));
		e->n++;
		json_decref(o);
	}
	free(line);
	fclose(f);
}

static double
mean_of(const double *v, size_t from, size_t n)
{
	double	s = 0;
	size_t	i;

	for (i = from; i < n; i++)
		s += v[i];
	return s / (double)(n - from);
}

static int
cmpd(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
quantile_of(const double *v, size_t n, double q)
{
	double	*c = malloc(n * sizeof *c), r;

	memcpy(c, v, n * sizeof *c);
	qsort(c, n, sizeof *c, cmpd);
	r = c[(size_t)floor(q * (double)(n - 1))];
	free(c);
	return r;
}

#define REL_NEAR(got, want, tol) cr_assert(fabs((got) - (want)) <= (tol) * fabs(want) + 1e-12, \
	"%s: got %.17g want %.17g", #got, (double)(got), (double)(want))

static json_t *
run_json(const char *cmd, int want_status)
{
	char		*out = NULL, *err = NULL;
	json_error_t	 je;
	json_t		*j;
	int		 st = tu_run(cmd, &out, &err);

	cr_assert_eq(st, want_status, "%s: exit %d, stderr: %s", cmd, st, err);
	j = json_loads(out, 0, &je);
	cr_assert_not_null(j, "%s: not JSON (%s): %.200s", cmd, je.text, out);
	free(out);
	free(err);
	return j;
}

static void
gen_file(const char *path, const char *args)
{
	char	*cmd = tu_fmt("'%s' gen %s > '%s'", tu_exectop(), args, path);

	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);
}

static json_t *
find_executor(json_t *report, const char *id)
{
	size_t	 i;
	json_t	*e;

	json_array_foreach(json_object_get(report, "executors"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "executor_id")), id) == 0)
			return e;
	}
	return NULL;
}

static double
jnum(json_t *o, const char *path)
{
	char	buf[256], *tok, *save;
	json_t	*v = o;

	snprintf(buf, sizeof buf, "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	cr_assert(json_is_number(v), "%s is not a number", path);
	return json_number_value(v);
}

Test(report_e2e, matches_independent_computation)
{
	char	*dir = tu_tmpdir(), *path = tu_fmt("%s/s.jsonl", dir), *cmd;
	json_t	*r, *e, *b, *arr;
	size_t	 i;
	double	 score[MAXEX], total_t = 0;
	size_t	 total_runs = 0;

	gen_file(path, "--records 3500 --executors 7 --methods 3 --seed 5");
	indep_load(path);
	cr_assert_eq(nind, 7);
	cmd = tu_fmt("'%s' report '%s'", tu_exectop(), path);
	r = run_json(cmd, 0);

	for (i = 0; i < nind; i++) {
		struct indep	*x = &ind[i];

		e = find_executor(r, x->id);
		cr_assert_not_null(e, "executor %s missing", x->id);
		cr_assert_eq(jnum(e, "runs"), (double)x->n);
		cr_assert_eq(jnum(e, "failures"), (double)x->fail);
		REL_NEAR(jnum(e, "metrics.execution_time_ms.mean"), mean_of(x->t, 0, x->n), 1e-9);
		REL_NEAR(jnum(e, "metrics.memory_footprint_mb.mean"), mean_of(x->mem, 0, x->n), 1e-9);
		REL_NEAR(jnum(e, "metrics.serialization_time_ms.mean"), mean_of(x->ser, 0, x->n), 1e-9);
		REL_NEAR(jnum(e, "metrics.execution_time_ms.p50"), quantile_of(x->t, x->n, 0.5), 0.01);
		REL_NEAR(jnum(e, "metrics.execution_time_ms.p95"), quantile_of(x->t, x->n, 0.95), 0.01);
		REL_NEAR(jnum(e, "metrics.execution_time_ms.p99"), quantile_of(x->t, x->n, 0.99), 0.01);
		/* The recent window (default 50 runs). */
		REL_NEAR(jnum(e, "metrics.execution_time_ms.recent.mean"), mean_of(x->t, x->n - 50, x->n), 1e-9);
		score[i] = 0.5 * mean_of(x->t, 0, x->n) + 0.3 * mean_of(x->mem, 0, x->n) +
		    0.2 * mean_of(x->ser, 0, x->n);
		REL_NEAR(jnum(e, "bottleneck_score"), score[i], 1e-9);
		total_runs += x->n;
		total_t += mean_of(x->t, 0, x->n) * (double)x->n;
	}
	cr_assert_eq(jnum(r, "total_runs"), (double)total_runs);
	cr_assert_eq(jnum(r, "total_executors"), 7);
	REL_NEAR(jnum(r, "total_execution_time_ms"), total_t, 1e-9);

	/* Bottlenecks in descending score, each entry's fields. */
	arr = json_object_get(r, "bottlenecks");
	cr_assert_eq(json_array_size(arr), 7);
	for (i = 0; i + 1 < json_array_size(arr); i++)
		cr_assert_geq(jnum(json_array_get(arr, i), "bottleneck_score"),
		    jnum(json_array_get(arr, i + 1), "bottleneck_score"));
	b = json_array_get(arr, 0);
	{
		size_t	best = 0;

		for (i = 1; i < nind; i++)
			if (score[i] > score[best])
				best = i;
		cr_assert_str_eq(json_string_value(json_object_get(b, "executor_id")), ind[best].id);
	}
	cr_assert(json_is_string(json_object_get(b, "slowest_method")));
	cr_assert(json_is_string(json_object_get(b, "memory_intensive_method")));
	cr_assert(json_is_string(json_object_get(b, "recommendation")));

	/* Rankings: slowest by average execution time. */
	arr = json_object_get(json_object_get(r, "executor_rankings"), "slowest");
	cr_assert_eq(json_array_size(arr), 7);
	for (i = 0; i + 1 < json_array_size(arr); i++) {
		struct indep	*a = indep_get(json_string_value(json_object_get(json_array_get(arr, i), "executor_id")));
		struct indep	*c = indep_get(json_string_value(json_object_get(json_array_get(arr, i + 1), "executor_id")));

		cr_assert_geq(mean_of(a->t, 0, a->n), mean_of(c->t, 0, c->n));
	}
	cr_assert_eq(json_array_size(json_object_get(r, "regressions")), 0);
	json_decref(r);
	free(cmd);
	tu_rmtree(dir);
}

Test(report_e2e, ci_gate_slowdown_and_noise)
{
	char	*dir = tu_tmpdir();
	char	*base = tu_fmt("%s/base.jsonl", dir), *bl = tu_fmt("%s/baseline.yaml", dir);
	char	*slow = tu_fmt("%s/slow.jsonl", dir), *fresh = tu_fmt("%s/fresh.jsonl", dir);
	char	*cmd, *err = NULL;
	json_t	*r, *reg;
	struct indep	 *x;
	double	 bmean;
	size_t	 i;

	gen_file(base, "--records 2000 --executors 10 --seed 1");
	gen_file(slow, "--records 2000 --executors 10 --seed 2 --slow D1-Q2:3");
	gen_file(fresh, "--records 2000 --executors 10 --seed 3");

	cmd = tu_fmt("'%s' baseline -o '%s' '%s'", tu_exectop(), bl, base);
	cr_assert_eq(tu_run(cmd, NULL, &err), 0, "%s", err);
	cr_assert(strstr(err, "10 executors") != NULL, "%s", err);
	free(cmd);
	free(err);
	indep_load(base);
	bmean = mean_of(indep_get("D1-Q2")->t, 0, indep_get("D1-Q2")->n);

	/* 3x slowdown of one executor: critical, exit 1. */
	cmd = tu_fmt("'%s' report -b '%s' --fail-on critical '%s'", tu_exectop(), bl, slow);
	r = run_json(cmd, 1);
	free(cmd);
	reg = json_object_get(r, "regressions");
	cr_assert_geq(json_array_size(reg), 1);
	{
		json_t	*g;

		json_array_foreach(reg, i, g)
			cr_assert_str_eq(json_string_value(json_object_get(g,
			    "executor_id")), "D1-Q2");
	}
	{
		json_t	*f = json_array_get(reg, 0);

		cr_assert_str_eq(json_string_value(json_object_get(f, "metric_name")), "execution_time_ms");
		cr_assert_str_eq(json_string_value(json_object_get(f, "severity")), "critical");
		indep_load(slow);
		x = indep_get("D1-Q2");
		REL_NEAR(jnum(f, "current_value"), mean_of(x->t, x->n - 50, x->n), 1e-9);
		REL_NEAR(jnum(f, "baseline_value"), bmean, 1e-9);
		REL_NEAR(jnum(f, "delta_percent"),
		    (mean_of(x->t, x->n - 50, x->n) - bmean) / bmean * 100, 1e-9);
		cr_assert_lt(jnum(f, "p_value"), 0.05);
		cr_assert_eq(jnum(f, "samples"), 50);
		cr_assert(strstr(json_string_value(json_object_get(f, "recommendation")),
		    "execution time increased by") != NULL);
	}
	json_decref(r);

	/* --fail-on never: exit 0 with the same findings. */
	cmd = tu_fmt("'%s' report -b '%s' --fail-on never '%s'", tu_exectop(), bl, slow);
	r = run_json(cmd, 0);
	cr_assert_geq(json_array_size(json_object_get(r, "regressions")), 1);
	json_decref(r);
	free(cmd);

	/* Same profiles, another noise seed: nothing raised, exit 0. */
	cmd = tu_fmt("'%s' report -b '%s' --fail-on warning '%s'", tu_exectop(), bl, fresh);
	r = run_json(cmd, 0);
	cr_assert_eq(json_array_size(json_object_get(r, "regressions")), 0);
	cr_assert_eq(json_array_size(json_object_get(r, "improvements")), 0);
	cr_assert_eq(json_array_size(json_object_get(r, "new")), 0);
	json_decref(r);
	free(cmd);
	tu_rmtree(dir);
}

Test(report_e2e, fifo_and_stdin_sources_merge)
{
	char	*dir = tu_tmpdir(), *fifo = tu_fmt("%s/in.fifo", dir), *cmd;
	json_t	*r;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	/* The report starts first and waits for the FIFO's writer. */
	cmd = tu_fmt("('%s' gen --records 700 --executors 4 --seed 9 > '%s' &) ; "
	    "'%s' gen --records 300 --executors 4 --seed 8 | '%s' report '%s' -",
	    tu_exectop(), fifo, tu_exectop(), tu_exectop(), fifo);
	r = run_json(cmd, 0);
	cr_assert_eq(jnum(r, "total_runs"), 1000);
	cr_assert_eq(jnum(r, "total_executors"), 4);
	json_decref(r);
	free(cmd);
	tu_rmtree(dir);
}

Test(report_e2e, bad_lines_counted_never_fatal)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/mixed.jsonl", dir), *cmd;
	const char	*data =
	    "{\"executor_id\":\"A\",\"execution_time_ms\":10}\n"
	    "not json\n"
	    "[1,2]\n"
	    "{\"execution_time_ms\":1}\n"
	    "\n"
	    "{\"executor_id\":\"A\",\"execution_time_ms\":\"12\"}\n"
	    "{\"executor_id\":\"A\",\"execution_time_ms\":20}";	/* no newline */
	json_t		*r, *inv;

	tu_write_file(path, data, strlen(data), 0);
	cmd = tu_fmt("'%s' report '%s'", tu_exectop(), path);
	r = run_json(cmd, 0);
	cr_assert_eq(jnum(r, "total_runs"), 2);
	inv = json_object_get(r, "invalid_records");
	cr_assert_eq(jnum(inv, "total"), 4);
	cr_assert_eq(jnum(inv, "invalid_json"), 1);
	cr_assert_eq(jnum(inv, "not_object"), 1);
	cr_assert_eq(jnum(inv, "missing_executor_id"), 1);
	cr_assert_eq(jnum(inv, "wrong_type"), 1);
	json_decref(r);
	free(cmd);
	tu_rmtree(dir);
}

Test(report_e2e, formats_to_files)
{
	char	*dir = tu_tmpdir(), *path = tu_fmt("%s/s.jsonl", dir), *cmd, *body;
	const char *fmts[] = { "json", "markdown", "html" };
	const char *marks[] = { "\"bottlenecks\"", "| ", "<html" };
	int	 i;

	gen_file(path, "--records 200 --executors 3");
	for (i = 0; i < 3; i++) {
		char	*out = tu_fmt("%s/r.%s", dir, fmts[i]);

		cmd = tu_fmt("'%s' report --format %s -o '%s' '%s'", tu_exectop(),
		    fmts[i], out, path);
		cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
		body = tu_read_file(out, NULL);
		cr_assert_not_null(body);
		cr_assert(strstr(body, marks[i]) != NULL, "%s lacks %s", fmts[i], marks[i]);
		free(body);
		free(cmd);
		free(out);
	}
	tu_rmtree(dir);
}

/* Runs cmd, expects exit 2 and a one-line stderr containing want. */
static void
expect_usage_error(const char *cmd, const char *want)
{
	char	*err = NULL;
	int	 st = tu_run(cmd, NULL, &err);

	cr_assert_eq(st, 2, "%s: exit %d", cmd, st);
	cr_assert(strncmp(err, "exectop: ", 9) == 0, "%s: stderr %s", cmd, err);
	cr_assert(strstr(err, want) != NULL, "%s: stderr lacks '%s': %s", cmd, want, err);
	free(err);
}

Test(report_e2e, usage_and_config_errors_exit_2)
{
	char	*dir = tu_tmpdir(), *cfg = tu_fmt("%s/bad.yaml", dir), *cmd;
	const char *bad = "thresholds:\n  execution_time_ms: 20\n  bogus_metric: 5\n";

	cmd = tu_fmt("'%s' report --format pdf x", tu_exectop());
	expect_usage_error(cmd, "unknown format 'pdf'");
	free(cmd);
	cmd = tu_fmt("'%s' report", tu_exectop());
	expect_usage_error(cmd, "no SOURCE");
	free(cmd);
	cmd = tu_fmt("'%s' report --fail-on sometimes x", tu_exectop());
	expect_usage_error(cmd, "--fail-on");
	free(cmd);
	cmd = tu_fmt("'%s' report /nonexistent/file.jsonl", tu_exectop());
	expect_usage_error(cmd, "/nonexistent/file.jsonl");
	free(cmd);
	cmd = tu_fmt("'%s' baseline x", tu_exectop());
	expect_usage_error(cmd, "-o FILE");
	free(cmd);
	cmd = tu_fmt("'%s' gen --slow nocolon", tu_exectop());
	expect_usage_error(cmd, "--slow");
	free(cmd);

	tu_write_file(cfg, bad, strlen(bad), 0);
	cmd = tu_fmt("'%s' report -c '%s' /dev/null", tu_exectop(), cfg);
	expect_usage_error(cmd, ":3:");
	expect_usage_error(cmd, "bogus_metric");
	free(cmd);
	tu_rmtree(dir);
}

Test(report_e2e, gen_is_deterministic)
{
	char	*a = NULL, *b = NULL, *c = NULL, *cmd;

	cmd = tu_fmt("'%s' gen --records 50 --seed 4", tu_exectop());
	cr_assert_eq(tu_run(cmd, &a, NULL), 0);
	cr_assert_eq(tu_run(cmd, &b, NULL), 0);
	free(cmd);
	cr_assert_str_eq(a, b);
	cmd = tu_fmt("'%s' gen --records 50 --seed 5", tu_exectop());
	cr_assert_eq(tu_run(cmd, &c, NULL), 0);
	cr_assert_str_neq(a, c);
	free(cmd);
	free(a);
	free(b);
	free(c);
}

Test(report_e2e, identical_whatever_the_thread_count)
{
	char		*dir = tu_tmpdir(), *path = tu_fmt("%s/s.jsonl", dir);
	char		*out[5] = { NULL }, *cmd;
	const char	*how[5] = { "-j 1", "-j 2", "-j 3", "-j 8", "- <" };
	const char	*junk = "not json\n{\"executor_id\":\"Z\",\"execution_time_ms\":1}\n\n[]\n";
	int		 i;

	/* Several batches' worth, with bad lines in the middle and a last
	 * line without a newline. */
	gen_file(path, "--records 6000 --executors 13 --methods 4 --seed 3");
	tu_write_file(path, junk, strlen(junk), 1);
	/* A 2 MB line (over the 1 MiB limit) and a 600 KB one (under it,
	 * longer than a batch). */
	cmd = tu_fmt("head -c 2000000 /dev/zero | tr '\\0' x >> '%s' && echo >> '%s' && "
	    "printf '{\"executor_id\":\"L\",\"error\":\"' >> '%s' && "
	    "head -c 600000 /dev/zero | tr '\\0' y >> '%s' && echo '\"}' >> '%s'",
	    path, path, path, path, path);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);
	cmd = tu_fmt("'%s' gen --records 3000 --executors 5 --seed 4 | head -c 1500000 >> '%s'",
	    tu_exectop(), path);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0);
	free(cmd);
	for (i = 0; i < 5; i++) {
		/* Only the "sources" line may differ (stdin is named "-"). */
		cmd = tu_fmt("SOURCE_DATE_EPOCH=1800000000 "
		    "'%s' report %s '%s' | grep -v '\"sources\":'",
		    tu_exectop(), how[i], path);
		cr_assert_eq(tu_run(cmd, &out[i], NULL), 0, "%s", cmd);
		free(cmd);
		if (i > 0)
			cr_assert_str_eq(out[i], out[0], "report %s differs from -j 1", how[i]);
	}
	cr_assert(strstr(out[0], "\"invalid_json\": 2") != NULL, "expected 2 invalid_json");
	cr_assert(strstr(out[0], "\"line_too_long\": 1") != NULL, "expected 1 line_too_long");
	cr_assert(strstr(out[0], "\"executor_id\": \"L\"") != NULL, "the 600 KB line is a record");
	for (i = 0; i < 5; i++)
		free(out[i]);
	tu_rmtree(dir);
}
