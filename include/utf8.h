/*
 * utf8.h - strict UTF-8 decoding, shared by every place that checks or
 * escapes text from outside (reports, terminal, YAML files).
 */
#ifndef EXECTOP_UTF8_H
#define EXECTOP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Length (1 to 4) of the valid UTF-8 sequence at s, reading at most n
 * bytes (SIZE_MAX for a NUL-terminated string: a NUL is never a
 * continuation byte), with its code point in *cp.  0 when the bytes are
 * not valid UTF-8: a stray continuation byte, an overlong form, a
 * surrogate, a code point beyond U+10FFFF, or a sequence cut short.
 */
size_t	utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/*
 * The one definition of an "unsafe" code point, shared by every output
 * (terminal, reports, config error messages): C0 controls, DEL, C1
 * controls (U+0080-U+009F), the line and paragraph separators
 * U+2028/U+2029 and the bidi controls (U+061C, U+200E/U+200F,
 * U+202A-U+202E, U+2066-U+2069).  They could move the cursor, reorder
 * or break lines, so they are shown as visible escapes, never raw.
 */
bool	utf8_unsafe(uint32_t cp);

#endif
