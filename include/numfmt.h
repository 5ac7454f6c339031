/*
 * numfmt.h - numbers written for exectop's own files (baseline, config
 * write-back): the shortest text that reads back as exactly the double,
 * in the C locale whatever LC_NUMERIC says.
 */
#ifndef EXECTOP_NUMFMT_H
#define EXECTOP_NUMFMT_H

#include <stddef.h>

/* Room for any numfmt_double() text ("-2.2250738585072014e-308" and ".0"). */
#define NUMFMT_LEN 32

/*
 * Writes finite v into buf (len >= NUMFMT_LEN): the shortest of %.15g,
 * %.16g and %.17g that strtod() reads back as v, so plain decimals stay
 * plain ("20", "0.05", "1e-07") and an exponent appears only below 1e-4
 * or from 1e15 on.  A bare exponent gets ".0" ("1.0e+300"): "1e+300" is
 * a string to YAML 1.1 readers.  Thread-safe; the caller's locale is
 * left as it was.
 */
void	numfmt_double(char *buf, size_t len, double v);

/* The value of hexadecimal digit c (0-9, a-f, A-F), or -1. */
int	numfmt_hexdigit(int c);

#endif
