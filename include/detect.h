/*
 * detect.h - the regression detector: a robust two-sided CUSUM on the
 * logarithm of one metric of one executor, against a reference (the
 * baseline's median and spread), updated once per run in O(1).
 *
 * Each value becomes z = (ln v - mu) / sigma, clipped (one 6x outlier adds
 * a bounded amount).  The upper sum S+ = max(0, S+ + z - k) alarms when it
 * passes h: k sits between half the user's threshold and the threshold
 * (in log units), so shifts at or above the threshold drive it up and
 * clearly smaller ones drive it down; h is chosen for a target average run
 * length between false alarms (Siegmund's approximation), scaled for the
 * lag-one autocorrelation estimated from the stream.  Once raised, an
 * alarm holds until a CUSUM the other way shows the level back under k;
 * the run where S+ last left zero is the estimated change point.  The
 * lower side does the same for improvements.
 */
#ifndef EXECTOP_DETECT_H
#define EXECTOP_DETECT_H

#include <stdbool.h>
#include <stdint.h>

struct detect_ref {
	bool	 active;	/* false: no usable reference, detector idle */
	double	 mu;		/* ln of the baseline median */
	double	 sigma;		/* sd of ln v in the baseline */
	double	 k;		/* drift, in sigma units */
	double	 clip;		/* |z| limit */
	double	 arl;		/* target runs between false alarms */
	double	 h0;		/* h without autocorrelation */
};

enum detect_state { DETECT_NONE = 0, DETECT_UP = 1, DETECT_DOWN = -1 };

struct detect_side {
	double		 s;		/* the CUSUM */
	uint64_t	 start;		/* run where s last left 0 */
	double		 start_ts;
	double		 sum;		/* of ln(v) - mu since then */
	uint64_t	 cnt;
};

struct detect {
	uint64_t		n;	/* values seen */
	double			prev_z;
	double			dsum;	/* consecutive runs on the same side */
	uint64_t		dn;
	struct detect_side	up, down;
	enum detect_state	state;
	double			rec;	/* recovery CUSUM while alarmed */
	uint64_t		cp_run;	/* change point of the alarm (1-based) */
	double			cp_ts;	/* NAN when unknown */
	uint64_t		alarm_run;
	uint64_t		ep_n;	/* runs since the change point */
	double			ep_sum;	/* sum of ln(v) - mu since then,
					   winsorised around its own mean */
	uint64_t		episodes;	/* alarms raised so far */
};

/* A reference from the baseline median p50 and 95th percentile p95 (n runs),
 * the threshold in percent and the target average run length; inactive
 * when the baseline cannot give a spread (n < 10, p95 <= p50, ...). */
void	detect_ref_init(struct detect_ref *, uint64_t n, double p50, double p95,
	    double threshold_pct, double arl);
void	detect_init(struct detect *);
/* One run's value (v > 0; others are ignored) at timestamp ts (NAN when
 * unknown). */
void	detect_update(struct detect *, const struct detect_ref *, double v,
	    double ts);
/* Estimated lag-one autocorrelation of the stream (0 .. 0.9). */
double	detect_rho(const struct detect *);
/* The decision limit h for drift k at target ARL (iid, sigma units). */
double	detect_limit(double k, double arl);

#endif
