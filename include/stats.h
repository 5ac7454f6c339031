/*
 * stats.h - running statistics: Welford mean/variance, min, max, and the
 * summaries (with quantiles) that every view reads.
 */
#ifndef EXECTOP_STATS_H
#define EXECTOP_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stat_acc {
	uint64_t	n;
	double		mean;
	double		m2;	/* sum of squared deviations (Welford) */
	double		min;
	double		max;
};

/* A finished summary of one metric.  Fields are NAN when undefined
 * (variance with n < 2, anything with n == 0). */
struct summary {
	uint64_t	n;
	double		mean;
	double		variance;	/* sample variance (n - 1) */
	double		stddev;
	double		min;
	double		max;
	double		p50;
	double		p95;
	double		p99;
};

void	stat_acc_init(struct stat_acc *);
void	stat_acc_add(struct stat_acc *, double);
/* Chan et al. parallel merge: a += b. */
void	stat_acc_merge(struct stat_acc *, const struct stat_acc *);
/* Sample variance, NAN when n < 2. */
double	stat_acc_variance(const struct stat_acc *);

/* Fills n, mean, variance, stddev, min, max from an accumulator; leaves
 * the quantiles NAN. */
void	stat_summary_from_acc(struct summary *, const struct stat_acc *);

/* Exact summary of an array (sorted in place): quantile q is the value at
 * rank floor(q * (n - 1)) of the sorted values. */
void	stat_summary_exact(struct summary *, double *, size_t);

/* Quantile of sorted values by the same rank rule. */
double	stat_quantile_sorted(const double *, size_t, double);

/*
 * Welch's two-sample t-test from summary statistics.  Returns the
 * two-sided p-value, or NAN when it cannot be computed (n < 2 on a side,
 * or a variance missing).  Zero variance on both sides gives 0 when the
 * means differ and 1 when they are equal.
 */
double	stat_welch_p(double mean1, double var1, uint64_t n1,
	    double mean2, double var2, uint64_t n2);

/* Student t distribution: P(|T| > t) with df degrees of freedom. */
double	stat_t_two_sided(double t, double df);

#endif
