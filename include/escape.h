/*
 * escape.h - making untrusted stream text inert for each output.
 */
#ifndef EXECTOP_ESCAPE_H
#define EXECTOP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* HTML text and attribute values: & < > " ' as entities. */
int	escape_html(FILE *, const char *);
/* XML text and attribute values (JUnit): as escape_html(), and the
 * non-characters U+FFFE/U+FFFF, which XML 1.0 forbids, as "\ufffe". */
int	escape_xml(FILE *, const char *);
/* Markdown table cells: backslash first, then | ` * _ [ ] < > and
 * newlines (as a space-like "<br>"-free escape). */
int	escape_markdown(FILE *, const char *);
/*
 * For the terminal: returns a malloc'd copy where every control character
 * (C0, DEL, C1), U+2028/U+2029 and bidi controls (U+202A-U+202E,
 * U+2066-U+2069) are shown as visible escapes ("\x1b", "\u202e"), and
 * invalid UTF-8 bytes as "\xNN".  Printable UTF-8 is kept.
 */
char	*escape_terminal(const char *);
/* Same into a caller buffer (truncated, always NUL-terminated). */
void	 escape_terminal_buf(const char *, char *, size_t);

#endif
