/*
 * test_gen.c - the generator's noise model: steps at the right run of the
 * right executor, outliers, the log-normal AR(1) noise's spread and
 * correlation, and the option parsers.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

/* Runs the generator into a temporary file and collects the execution
 * times of executor `id` in order; returns how many. */
static size_t
gen_times(const struct gen_opts *o, const char *id, double *out, size_t max)
{
	FILE	*f = tmpfile();
	char	*line = NULL;
	size_t	 cap = 0, n = 0;

	cr_assert_not_null(f);
	cr_assert_eq(gen_run(o, fileno(f)), 0);
	rewind(f);
	while (getline(&line, &cap, f) != -1) {
		json_t	*j = json_loads(line, 0, NULL);

		cr_assert_not_null(j, "bad line %s", line);
		if (strcmp(json_string_value(json_object_get(j, "executor_id")),
		    id) == 0 && n < max)
			out[n++] = json_real_value(json_object_get(j,
			    "execution_time_ms"));
		json_decref(j);
	}
	free(line);
	fclose(f);
	return n;
}

/* The defaults with k executors and n records. */
static void
gen_small(struct gen_opts *o, unsigned k, uint64_t n)
{
	gen_defaults(o);
	o->executors = k;
	o->records = n;
}

/* gen_times() that must find n runs of id. */
static void
gen_times_n(const struct gen_opts *o, const char *id, double *out, size_t n)
{
	size_t	got = gen_times(o, id, out, n);

	cr_assert_eq(got, n, "%zu runs of %s, want %zu", got, id, n);
}

Test(gen, step_at_run_of_that_executor)
{
	struct gen_opts	o;
	double		a[20], b[20];
	size_t		i;

	gen_small(&o, 3, 60);
	cr_assert_eq(gen_add_step(&o, "D1-Q2:2.5@7"), 0);
	gen_times_n(&o, "D1-Q2", a, 20);
	gen_times_n(&o, "D1-Q1", b, 20);
	/* No noise: runs 1-6 at the profile's time, 7 on 2.5x. */
	for (i = 1; i < 20; i++) {
		double	want = i < 6 ? a[0] : a[0] * 2.5;

		cr_assert(fabs(a[i] - want) < 0.002, "run %zu: %g, want %g",
		    i + 1, a[i], want);
		cr_assert(fabs(b[i] - b[0]) < 0.002, "D1-Q1 run %zu moved", i + 1);
	}
}

Test(gen, outliers_multiply)
{
	struct gen_opts	o;
	double		a[10], b[10];
	size_t		i;

	gen_small(&o, 1, 10);
	cr_assert_eq(gen_add_step(&o, "nobody:1@1"), 0);
	gen_times_n(&o, "D1-Q1", a, 10);
	cr_assert_eq(gen_set_outliers(&o, "1:3-3"), 0);
	gen_times_n(&o, "D1-Q1", b, 10);
	for (i = 0; i < 10; i++)
		cr_assert(fabs(b[i] - 3 * a[i]) < 0.005, "%g vs 3 x %g", b[i], a[i]);
}

Test(gen, lognormal_ar1_spread_and_correlation)
{
	static double	t[4000];
	struct gen_opts	o;
	double		mean = 0, var = 0, cov = 0;
	size_t		n = 4000, i;

	gen_small(&o, 1, n);
	o.noise = 0.15;
	o.ar = 0.5;
	gen_times_n(&o, "D1-Q1", t, n);
	for (i = 0; i < n; i++)
		mean += (t[i] = log(t[i])) / (double)n;
	for (i = 0; i < n; i++) {
		var += (t[i] - mean) * (t[i] - mean) / (double)n;
		if (i > 0)
			cov += (t[i] - mean) * (t[i - 1] - mean) / (double)(n - 1);
	}
	cr_assert(fabs(sqrt(var) - 0.15) < 0.015, "sd %g", sqrt(var));
	cr_assert(fabs(cov / var - 0.5) < 0.08, "rho %g", cov / var);
}

Test(gen, parsers_reject_malformed)
{
	struct gen_opts	o;

	gen_defaults(&o);
	cr_assert_eq(gen_add_step(&o, "D1-Q1:2"), -1);
	cr_assert_eq(gen_add_step(&o, "D1-Q1:2@0"), -1);
	cr_assert_eq(gen_add_step(&o, ":2@5"), -1);
	cr_assert_eq(gen_add_step(&o, "D1-Q1:-1@5"), -1);
	cr_assert_eq(gen_add_step(&o, "D1-Q1:2@5x"), -1);
	/* Issue 12: factors are plain decimals up to GEN_MAX_FACTOR, so no
	 * generated value is inf (1e308 wrote "inf", invalid JSON). */
	cr_assert_eq(gen_add_step(&o, "D1-Q1:0x10@5"), -1);
	cr_assert_eq(gen_add_step(&o, "D1-Q1:1e308@5"), -1);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:1e308"), -1);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:0x10"), -1);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:inf"), -1);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:nan"), -1);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:"), -1);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:1e6"), 0);
	cr_assert_eq(gen_add_slow(&o, "D1-Q1:1000001"), -1);
	o.nslow = 0;
	cr_assert_eq(gen_add_step(&o, "a:b:1.5@3"), 0);
	cr_assert_str_eq(o.step[0].id, "a:b");
	cr_assert_eq(o.step[0].run, 3);
	{
		int	k;

		for (k = 0; k < GEN_MAX_SLOW; k++)
			cr_assert_eq(gen_add_slow(&o, "X:2"), 0);
		cr_assert_eq(gen_add_slow(&o, "X:2"), -1, "more than 16");
	}
	cr_assert_eq(gen_set_outliers(&o, "0.02:2-6"), 0);
	cr_assert_float_eq(o.outlier_max, 6, 1e-12);
	cr_assert_eq(gen_set_outliers(&o, "2:2-6"), -1);
	cr_assert_eq(gen_set_outliers(&o, "0.1:6-2"), -1);
	cr_assert_eq(gen_set_outliers(&o, "0.1:0-2"), -1);
	cr_assert_eq(gen_set_outliers(&o, "0.1"), -1);
}
