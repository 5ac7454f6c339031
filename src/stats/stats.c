/*
 * stats.c - Welford running statistics, exact summaries, and Welch's
 * t-test (Student's t distribution through the regularized incomplete
 * beta function, evaluated by its continued fraction).
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

void
stat_acc_init(struct stat_acc *a)
{
	a->n = 0;
	a->mean = 0;
	a->m2 = 0;
	a->min = NAN;
	a->max = NAN;
}

void
stat_acc_add(struct stat_acc *a, double x)
{
	double	delta;

	a->n++;
	delta = x - a->mean;
	a->mean += delta / (double)a->n;
	a->m2 += delta * (x - a->mean);
	if (a->n == 1 || x < a->min)
		a->min = x;
	if (a->n == 1 || x > a->max)
		a->max = x;
}

void
stat_acc_merge(struct stat_acc *a, const struct stat_acc *b)
{
	double	delta, n;

	if (b->n == 0)
		return;
	if (a->n == 0) {
		*a = *b;
		return;
	}
	n = (double)a->n + (double)b->n;
	delta = b->mean - a->mean;
	a->mean += delta * (double)b->n / n;
	a->m2 += b->m2 + delta * delta * (double)a->n * (double)b->n / n;
	a->n += b->n;
	if (b->min < a->min)
		a->min = b->min;
	if (b->max > a->max)
		a->max = b->max;
}

double
stat_acc_variance(const struct stat_acc *a)
{
	if (a->n < 2)
		return NAN;
	return a->m2 / (double)(a->n - 1);
}

void
stat_summary_from_acc(struct summary *s, const struct stat_acc *a)
{
	s->n = a->n;
	s->mean = a->n > 0 ? a->mean : NAN;
	s->variance = stat_acc_variance(a);
	s->stddev = isnan(s->variance) ? NAN : sqrt(s->variance);
	s->min = a->n > 0 ? a->min : NAN;
	s->max = a->n > 0 ? a->max : NAN;
	s->p50 = s->p95 = s->p99 = NAN;
}

static int
stat_cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
stat_quantile_sorted(const double *v, size_t n, double q)
{
	size_t	rank;

	if (n == 0)
		return NAN;
	if (q <= 0)
		return v[0];
	if (q >= 1)
		return v[n - 1];
	rank = (size_t)floor(q * (double)(n - 1));
	return v[rank];
}

void
stat_summary_exact(struct summary *s, double *v, size_t n)
{
	struct stat_acc	a;
	size_t		i;

	stat_acc_init(&a);
	for (i = 0; i < n; i++)
		stat_acc_add(&a, v[i]);
	stat_summary_from_acc(s, &a);
	qsort(v, n, sizeof *v, stat_cmp_double);
	s->p50 = stat_quantile_sorted(v, n, 0.50);
	s->p95 = stat_quantile_sorted(v, n, 0.95);
	s->p99 = stat_quantile_sorted(v, n, 0.99);
}

/* Continued fraction for the incomplete beta function (modified Lentz). */
static double
stat_betacf(double a, double b, double x)
{
	const double	tiny = 1e-300, eps = 1e-15;
	double		c, d, h, aa, del;
	int		m, m2;

	c = 1.0;
	d = 1.0 - (a + b) * x / (a + 1.0);
	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= 1000; m++) {
		m2 = 2 * m;
		aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < eps)
			break;
	}
	return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double
stat_betai(double a, double b, double x)
{
	double	front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) +
	    a * log(x) + b * log1p(-x));
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * stat_betacf(a, b, x) / a;
	return 1.0 - front * stat_betacf(b, a, 1.0 - x) / b;
}

double
stat_t_two_sided(double t, double df)
{
	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(t))
		return 0;
	return stat_betai(df / 2.0, 0.5, df / (df + t * t));
}

double
stat_welch_p(double mean1, double var1, uint64_t n1, double mean2,
    double var2, uint64_t n2)
{
	double	se1, se2, se, t, df;

	if (n1 < 2 || n2 < 2 || isnan(var1) || isnan(var2) ||
	    isnan(mean1) || isnan(mean2))
		return NAN;
	se1 = var1 / (double)n1;
	se2 = var2 / (double)n2;
	se = se1 + se2;
	if (se <= 0)
		return mean1 == mean2 ? 1.0 : 0.0;
	t = (mean1 - mean2) / sqrt(se);
	/* Welch-Satterthwaite in shares of se: se * se under/overflows for
	 * values around 1e+-100. */
	se1 /= se;
	se2 /= se;
	df = 1.0 / (se1 * se1 / (double)(n1 - 1) + se2 * se2 / (double)(n2 - 1));
	return stat_t_two_sided(t, df);
}
