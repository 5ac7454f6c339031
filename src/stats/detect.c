/*
 * detect.c - the per executor and metric change detector (see detect.h):
 * a robust, autocorrelation-aware two-sided CUSUM in log space with a
 * held alarm, a change point and the mean shift since it.
 */
#include <math.h>

#include "detect.h"

#define DETECT_CLIP	4.0	/* |z| beyond this counts as this */
#define DETECT_MIN_N	10	/* baseline runs needed for a spread */
#define DETECT_MIN_SIG	0.005	/* floor of sigma (0.5%) */
#define DETECT_RHO0	0.3	/* prior autocorrelation */
#define DETECT_RHO_N	20.0	/* its weight in runs */
#define DETECT_RHO_MAX	0.9

double
detect_limit(double k, double arl)
{
	double	x, a;
	int	i;

	if (!(arl > 1))
		arl = 2;
	if (k < 1e-3)
		x = sqrt(arl);		/* the k -> 0 limit */
	else {
		/* Siegmund: ARL = (e^{2kx} - 2kx - 1) / (2k^2), x = h + 1.166 */
		a = 2 * k * k * arl;
		x = log(a + 1) / (2 * k);
		for (i = 0; i < 4; i++)
			x = log(a + 1 + 2 * k * x) / (2 * k);
	}
	x -= 1.166;
	return x > 0.5 ? x : 0.5;
}

void
detect_ref_init(struct detect_ref *r, uint64_t n, double p50, double p95,
    double thr, double arl)
{
	double	kappa;

	r->active = false;
	if (n < DETECT_MIN_N || !isfinite(p50) || !isfinite(p95) ||
	    !(p50 > 0) || !(p95 > p50) || !(thr >= 0) || !isfinite(thr))
		return;
	r->mu = log(p50);
	r->sigma = (log(p95) - r->mu) / 1.6449;
	if (r->sigma < DETECT_MIN_SIG)
		r->sigma = DETECT_MIN_SIG;
	/* Midway between half the threshold and the threshold. */
	kappa = (log1p(thr / 200.0) + log1p(thr / 100.0)) / 2;
	r->k = kappa / r->sigma;
	r->clip = DETECT_CLIP > 2 * r->k ? DETECT_CLIP : 2 * r->k;
	r->arl = arl;
	r->h0 = detect_limit(r->k, arl);
	r->active = true;
}

void
detect_init(struct detect *d)
{
	*d = (struct detect){ 0 };
	d->cp_ts = NAN;
	d->up.start_ts = d->down.start_ts = NAN;
}

double
detect_rho(const struct detect *d)
{
	double	p, rho;

	/* Sign concordance of consecutive runs (robust to outliers): for a
	 * Gaussian pair P(same sign) = 1/2 + asin(rho) / pi. */
	p = (d->dsum + (0.5 + asin(DETECT_RHO0) / M_PI) * DETECT_RHO_N) /
	    ((double)d->dn + DETECT_RHO_N);
	rho = sin(M_PI * (p - 0.5));
	return rho < 0 ? 0 : rho > DETECT_RHO_MAX ? DETECT_RHO_MAX : rho;
}

/* h for the current autocorrelation: the iid limit for the deflated
 * drift, inflated back (partial sums have variance (1+rho)/(1-rho)). */
static double
detect_h(const struct detect *d, const struct detect_ref *r)
{
	double	rho = detect_rho(d), f = sqrt((1 + rho) / (1 - rho));

	return detect_limit(r->k / f, r->arl) * f;
}

/* y winsorised at 4 sigma around the mean of sum/cnt. */
static double
detect_wins(double y, double sum, uint64_t cnt, double sigma)
{
	double	m = cnt > 0 ? sum / (double)cnt : 0;

	if (y > m + DETECT_CLIP * sigma)
		return m + DETECT_CLIP * sigma;
	if (y < m - DETECT_CLIP * sigma)
		return m - DETECT_CLIP * sigma;
	return y;
}

static void
detect_side_step(struct detect_side *s, double x, double y, double sigma,
    uint64_t run, double ts)
{
	if (s->s == 0 && x > 0) {
		s->start = run;
		s->start_ts = ts;
		s->sum = 0;
		s->cnt = 0;
	}
	s->s = s->s + x > 0 ? s->s + x : 0;
	if (s->s > 0) {
		s->sum += detect_wins(y, s->sum, s->cnt, sigma);
		s->cnt++;
	}
}

static void
detect_raise(struct detect *d, enum detect_state st,
    const struct detect_side *s)
{
	d->state = st;
	d->rec = 0;
	d->cp_run = s->start;
	d->cp_ts = s->start_ts;
	d->alarm_run = d->n;
	d->episodes++;
	d->ep_n = s->cnt;
	d->ep_sum = s->sum;
}

void
detect_update(struct detect *d, const struct detect_ref *r, double v,
    double ts)
{
	double	y, z, dz;

	if (!r->active || !(v > 0) || !isfinite(v))
		return;
	y = log(v) - r->mu;
	z = y / r->sigma;
	if (z > r->clip)
		z = r->clip;
	else if (z < -r->clip)
		z = -r->clip;
	d->n++;
	if (d->n > 1) {
		dz = z * d->prev_z;
		d->dsum += dz > 0 ? 1 : dz < 0 ? 0 : 0.5;
		d->dn++;
	}
	d->prev_z = z;

	if (d->state == DETECT_NONE) {
		detect_side_step(&d->up, z - r->k, y, r->sigma, d->n, ts);
		detect_side_step(&d->down, -z - r->k, y, r->sigma, d->n, ts);
		if (d->up.s > r->h0 && d->up.s > detect_h(d, r))
			detect_raise(d, DETECT_UP, &d->up);
		else if (d->down.s > r->h0 && d->down.s > detect_h(d, r))
			detect_raise(d, DETECT_DOWN, &d->down);
		return;
	} else {
		/* Evidence that the level is back within k of the reference. */
		double	x = d->state == DETECT_UP ? r->k - z : r->k + z;

		d->rec = d->rec + x > 0 ? d->rec + x : 0;
		if (d->rec > r->h0 && d->rec > detect_h(d, r)) {
			d->state = DETECT_NONE;
			d->up.s = d->down.s = 0;
			d->rec = 0;
			return;
		}
	}
	d->ep_sum += detect_wins(y, d->ep_sum, d->ep_n, r->sigma);
	d->ep_n++;
}
