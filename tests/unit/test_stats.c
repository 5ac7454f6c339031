/*
 * test_stats.c - Welford statistics, exact summaries, Welch's t-test and
 * the quantile sketch's error bound.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "sketch.h"
#include "stats.h"

#define REL_EQ(a, b, tol) cr_assert(fabs((a) - (b)) <= (tol) * fabs(b), \
	"%.17g != %.17g (rel tol %g)", (double)(a), (double)(b), (double)(tol))

Test(stats, welford_exact_values)
{
	struct stat_acc	a;
	double		v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	size_t		i;

	stat_acc_init(&a);
	for (i = 0; i < 8; i++)
		stat_acc_add(&a, v[i]);
	cr_assert_eq(a.n, 8);
	REL_EQ(a.mean, 5.0, 1e-15);
	/* Population variance 4, sample variance 32/7. */
	REL_EQ(stat_acc_variance(&a), 32.0 / 7.0, 1e-14);
	cr_assert_eq(a.min, 2);
	cr_assert_eq(a.max, 9);
}

Test(stats, variance_undefined_below_two)
{
	struct stat_acc	a;
	struct summary	s;

	stat_acc_init(&a);
	stat_summary_from_acc(&s, &a);
	cr_assert(isnan(s.mean) && isnan(s.variance) && isnan(s.min));
	stat_acc_add(&a, 3);
	stat_summary_from_acc(&s, &a);
	cr_assert_eq(s.mean, 3);
	cr_assert(isnan(s.variance));
}

Test(stats, merge_equals_sequential)
{
	struct stat_acc	a, b, all;
	int		i;
	double		x;

	stat_acc_init(&a);
	stat_acc_init(&b);
	stat_acc_init(&all);
	for (i = 0; i < 1000; i++) {
		x = sin(i) * 100 + i * 0.5;
		stat_acc_add(i % 3 ? &a : &b, x);
		stat_acc_add(&all, x);
	}
	stat_acc_merge(&a, &b);
	cr_assert_eq(a.n, all.n);
	REL_EQ(a.mean, all.mean, 1e-12);
	REL_EQ(stat_acc_variance(&a), stat_acc_variance(&all), 1e-12);
	cr_assert_eq(a.min, all.min);
	cr_assert_eq(a.max, all.max);
}

Test(stats, exact_quantiles_lower_rank)
{
	double		v[] = { 5, 1, 4, 2, 3, 10, 9, 8, 7, 6 };
	struct summary	s;

	stat_summary_exact(&s, v, 10);
	/* rank floor(0.5 * 9) = 4 -> 5; floor(0.95 * 9) = 8 -> 9. */
	cr_assert_eq(s.p50, 5);
	cr_assert_eq(s.p95, 9);
	cr_assert_eq(s.p99, 9);
	REL_EQ(s.mean, 5.5, 1e-15);
}

Test(stats, student_t_known_values)
{
	/* df = 1 is Cauchy: P(|T| > 1) = 0.5 exactly. */
	REL_EQ(stat_t_two_sided(1.0, 1.0), 0.5, 1e-12);
	/* Critical values: t(0.975, 10) = 2.228138852, t(0.95, 5) = 2.015048373. */
	REL_EQ(stat_t_two_sided(2.228138852, 10), 0.05, 1e-6);
	REL_EQ(stat_t_two_sided(2.015048373, 5), 0.10, 1e-6);
	/* Large df approaches the normal: 1.959963985 -> 0.05. */
	REL_EQ(stat_t_two_sided(1.959963985, 1e7), 0.05, 1e-5);
	REL_EQ(stat_t_two_sided(0, 7), 1.0, 1e-12);
}

Test(stats, welch_test)
{
	/* Same numbers as scipy.stats.ttest_ind(equal_var=False):
	 * a = [1..10] (mean 5.5, var 9.1667), b = [3..12] + 0.5 ... computed
	 * by hand: t = -2.5 / sqrt(2 * 9.16667 / 10) = -1.8464, df = 18. */
	double	p = stat_welch_p(5.5, 55.0 / 6.0, 10, 8.0, 55.0 / 6.0, 10);

	REL_EQ(p, 0.081352, 1e-4);
	cr_assert(isnan(stat_welch_p(1, NAN, 10, 2, 1, 10)));
	cr_assert(isnan(stat_welch_p(1, 1, 1, 2, 1, 10)));
	cr_assert_eq(stat_welch_p(1, 0, 5, 2, 0, 5), 0.0);
	cr_assert_eq(stat_welch_p(2, 0, 5, 2, 0, 5), 1.0);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Every sketch quantile within alpha (<= 1%) of the exact one. */
static void
check_sketch(double *v, size_t n)
{
	struct sketch	s;
	double		qs[] = { 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999 };
	size_t		i;
	double		exact, got;

	sketch_init(&s);
	for (i = 0; i < n; i++)
		sketch_add(&s, v[i]);
	qsort(v, n, sizeof *v, cmp_double);
	for (i = 0; i < sizeof qs / sizeof *qs; i++) {
		exact = stat_quantile_sorted(v, n, qs[i]);
		got = sketch_quantile(&s, qs[i]);
		cr_assert(fabs(got - exact) <= 0.01 * fabs(exact) + 1e-9,
		    "q%.3f: sketch %.9g exact %.9g", qs[i], got, exact);
	}
	cr_assert_eq(sketch_quantile(&s, 0), v[0]);
	cr_assert_eq(sketch_quantile(&s, 1), v[n - 1]);
	sketch_free(&s);
}

Test(sketch, relative_error_lognormal)
{
	size_t	n = 200000, i;
	double	*v = malloc(n * sizeof *v);

	srand(7);
	for (i = 0; i < n; i++) {
		double	u = (rand() + 1.0) / (RAND_MAX + 2.0);
		double	w = (rand() + 1.0) / (RAND_MAX + 2.0);

		v[i] = 50 * exp(1.2 * sqrt(-2 * log(u)) * cos(2 * M_PI * w));
	}
	check_sketch(v, n);
	free(v);
}

Test(sketch, negative_zero_and_positive)
{
	size_t	n = 20001, i;
	double	*v = malloc(n * sizeof *v);

	for (i = 0; i < n; i++)
		v[i] = ((double)i - 10000.0) / 7.0;	/* includes 0 */
	check_sketch(v, n);
	free(v);
}

Test(sketch, merge_equals_single)
{
	struct sketch	a, b, all;
	int		i;
	double		x;

	sketch_init(&a);
	sketch_init(&b);
	sketch_init(&all);
	for (i = 1; i <= 5000; i++) {
		x = i * 1.37;
		sketch_add(i % 2 ? &a : &b, x);
		sketch_add(&all, x);
	}
	sketch_merge(&a, &b);
	cr_assert_eq(a.count, all.count);
	cr_assert_eq(sketch_quantile(&a, 0.5), sketch_quantile(&all, 0.5));
	cr_assert_eq(sketch_quantile(&a, 0.99), sketch_quantile(&all, 0.99));
	sketch_free(&a);
	sketch_free(&b);
	sketch_free(&all);
}

Test(sketch, memory_bounded)
{
	struct sketch	s;
	int		i;

	sketch_init(&s);
	for (i = 0; i < 300; i++)
		sketch_add(&s, pow(10, -8 + i * 0.07));	/* 1e-8 .. 1e13 */
	cr_assert_leq(s.pos.len, SKETCH_MAX_BINS);
	/* The high quantiles keep their accuracy after folding. */
	cr_assert(fabs(sketch_quantile(&s, 0.99) / pow(10, -8 + 296 * 0.07) - 1)
	    <= 0.01);
	cr_assert(isnan(sketch_quantile(&(struct sketch){ .count = 0 }, 0.5)));
	sketch_free(&s);
}

/* Issue 9 item 1: scaling all data by 1e+-100 changes no p-value (the
 * degrees of freedom used to under/overflow to NaN). */
Test(stats, welch_scale_invariant)
{
	static const double	w[5] = { 0.6, 0.8, 1.2, 1.6, 2.05 };
	static const double	scale[] = { 1e100, 1e-100, 1e150, 1e-150 };
	double			m = 0, v = 0, p1, p;
	size_t			i;

	for (i = 0; i < 5; i++)
		m += w[i] / 5;
	for (i = 0; i < 5; i++)
		v += (w[i] - m) * (w[i] - m) / 4;
	p1 = stat_welch_p(m, v, 5, 1.0, 0.01, 50);
	cr_assert(p1 > 0.05 && p1 < 1, "p %g", p1);
	for (i = 0; i < sizeof scale / sizeof *scale; i++) {
		double	s = scale[i];

		p = stat_welch_p(m * s, v * s * s, 5, s, 0.01 * s * s, 50);
		cr_assert(fabs(p - p1) <= 1e-9 * p1, "scale %g: p %g vs %g", s,
		    p, p1);
	}
}
