/*
 * numfmt.c - the shortest exact text of a double, in the C locale, for
 * the files exectop writes and reads back (see numfmt.h).
 */
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "xmalloc.h"

static locale_t		numfmt_c_locale;
static pthread_once_t	numfmt_once = PTHREAD_ONCE_INIT;

static void
numfmt_init(void)
{
	numfmt_c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (numfmt_c_locale == (locale_t)0)
		fatal("cannot create the C locale");
}

/* "1e+300" is a string to YAML 1.1 readers; "1.0e+300" is a number to
 * every reader (and to ynode_double()). */
static void
numfmt_dot_exponent(char *buf, size_t len)
{
	char	*e = strchr(buf, 'e');

	if (e == NULL || strchr(buf, '.') != NULL || strlen(buf) + 3 > len)
		return;
	memmove(e + 2, e, strlen(e) + 1);
	e[0] = '.';
	e[1] = '0';
}

void
numfmt_double(char *buf, size_t len, double v)
{
	locale_t	old;
	int		prec;

	pthread_once(&numfmt_once, numfmt_init);
	old = uselocale(numfmt_c_locale);
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, len, "%.17g", v);
	uselocale(old);
	numfmt_dot_exponent(buf, len);
}

int
numfmt_hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
