/*
 * sketch.h - a mergeable quantile sketch with bounded relative error
 * (DDSketch-style logarithmic buckets).
 *
 * Any quantile it returns is within SKETCH_ALPHA relative error of the
 * exact value at rank floor(q * (n - 1)).  Memory is bounded by
 * SKETCH_MAX_BINS per sign, whatever the number of values: when the range
 * would need more, the lowest buckets are collapsed (their accuracy is
 * given up first; the high quantiles we report stay exact to alpha).
 */
#ifndef EXECTOP_SKETCH_H
#define EXECTOP_SKETCH_H

#include <stdint.h>

#define SKETCH_ALPHA	 0.005
#define SKETCH_MAX_BINS	 2048

struct sketch_store {
	uint32_t	*bins;
	int32_t		 offset;	/* bucket index of bins[0] */
	uint32_t	 len;
};

struct sketch {
	struct sketch_store	pos;
	struct sketch_store	neg;	/* buckets of -x for x < 0 */
	uint64_t		zero;	/* |x| below the smallest bucket */
	uint64_t		count;
	double			min;
	double			max;
};

void	sketch_init(struct sketch *);
void	sketch_free(struct sketch *);
void	sketch_add(struct sketch *, double);
/* a += b. */
void	sketch_merge(struct sketch *, const struct sketch *);
/* NAN when empty; q in [0, 1]. */
double	sketch_quantile(const struct sketch *, double);

#endif
