/*
 * test_numfmt.c - numfmt_double(): the shortest exact text, plain
 * decimals without an exponent, ".0" before a bare exponent, the C
 * locale whatever LC_NUMERIC is.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "numfmt.h"

static void
expect_text(double v, const char *want)
{
	char	buf[NUMFMT_LEN];

	numfmt_double(buf, sizeof buf, v);
	cr_expect_str_eq(buf, want, "%.17g: got '%s', want '%s'", v, buf,
	    want);
	cr_expect_eq(strtod(buf, NULL), v, "'%s' does not read back", buf);
}

Test(numfmt, shortest_plain_text)
{
	expect_text(20, "20");
	expect_text(0.05, "0.05");
	expect_text(5e-05, "5.0e-05");
	expect_text(1e-7, "1.0e-07");
	expect_text(0.1 + 0.2, "0.30000000000000004");
	expect_text(1.0 + 1.0 / 3.0, "1.3333333333333333");
	expect_text(-3.5, "-3.5");
	expect_text(123456789012345678.0, "1.2345678901234568e+17");
	expect_text(1e300, "1.0e+300");
	expect_text(0, "0");
}

/* Every double of a wide sweep reads back exactly and fits NUMFMT_LEN. */
Test(numfmt, reads_back_exactly)
{
	char	buf[NUMFMT_LEN];
	double	v;
	int	i;

	srand(7);
	for (i = 0; i < 20000; i++) {
		v = ldexp((double)rand() / RAND_MAX + 0.5, rand() % 2000 - 1000);
		if (i & 1)
			v = -v;
		numfmt_double(buf, sizeof buf, v);
		cr_assert_eq(strtod(buf, NULL), v, "'%s' for %a", buf, v);
		cr_assert_lt(strlen(buf), sizeof buf - 1);
	}
	numfmt_double(buf, sizeof buf, -2.2250738585072014e-308);
	cr_assert_eq(strtod(buf, NULL), -2.2250738585072014e-308);
}

/* A comma locale changes neither the text nor the caller's locale. */
Test(numfmt, c_locale_whatever_lc_numeric)
{
	char		buf[NUMFMT_LEN];
	locale_t	de, old;

	de = newlocale(LC_NUMERIC_MASK, "de_DE.UTF-8", (locale_t)0);
	cr_assert_neq(de, (locale_t)0, "the de_DE.UTF-8 locale is missing "
	    "(.ci/deps.sh installs it)");
	old = uselocale(de);
	numfmt_double(buf, sizeof buf, 12.5);
	cr_expect_str_eq(buf, "12.5");
	snprintf(buf, sizeof buf, "%.1f", 12.5);
	cr_expect_str_eq(buf, "12,5", "the caller's locale was not restored");
	uselocale(old);
	freelocale(de);
}
