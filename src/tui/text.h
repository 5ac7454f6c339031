/*
 * text.h - column-width aware text for the terminal: display width of
 * UTF-8 (wcwidth), fitting a string into exactly N columns, and the
 * number formats every screen uses.  Pure functions, no ncurses, so the
 * unit tests run without a terminal.
 */
#ifndef EXECTOP_TUI_TEXT_H
#define EXECTOP_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_align { TEXT_LEFT, TEXT_RIGHT, TEXT_CENTER };

/* Whether the locale is UTF-8 (set once from nl_langinfo at start-up).
 * Without it every byte above 0x7f is shown as '?' so columns stay put. */
void		 text_set_utf8(bool);
bool		 text_utf8(void);
/* Sets text_utf8() from the current locale's codeset. */
void		 text_detect_utf8(void);

/* Display columns of a UTF-8 string (zero-width characters count 0,
 * wide ones 2, anything undecodable 1). */
int		 text_width(const char *);
/* Bytes of the longest prefix of s shown in at most width columns. */
size_t		 text_prefix(const char *, int width);

/*
 * Writes s into out fitted to exactly width columns: cut at a character
 * boundary (an ellipsis marks the cut), then padded with spaces by align.
 * A wide character that would straddle the edge is replaced by a space.
 * out needs room for 4 * width + 1 bytes; it is always NUL-terminated.
 * Returns out.
 */
char		*text_fit(char *out, size_t outsz, const char *s, int width,
		    enum text_align align);
/* The same after escape_terminal(): for text that came from the stream. */
char		*text_fit_stream(char *out, size_t outsz, const char *s,
		    int width, enum text_align align);

/* Numbers: "-" for NAN; 4 significant digits, then k/M/G suffixes. */
char		*text_num(char *buf, size_t len, double v);
/* Byte sizes: "512", "1.5K", "12.0M". */
char		*text_bytes(char *buf, size_t len, double v);
/* The catch-up's progress: "catching up 42%: 312k records, 280M of
 * 667M, 81.2k/s" (done and total in bytes, rate in records/s). */
char		*text_progress(char *buf, size_t len, uint64_t records,
		    double done, double total, double rate);
/* A signed percentage, "+12.3%", "-4.0%", "-" for NAN. */
char		*text_percent(char *buf, size_t len, double v);
/* Elapsed time "12s", "3m05s", "1h02m", "2d03h". */
char		*text_duration(char *buf, size_t len, uint64_t seconds);

/*
 * Sparkline of n values into width columns (the newest values; the scale
 * runs from the smallest to the largest shown).  Block elements
 * (U+2581-U+2588) when UTF-8, else ASCII "_.-~=+*#".  NAN values are
 * shown as spaces.  Returns out (padded to width).
 */
char		*text_sparkline(char *out, size_t outsz, const double *vals,
		    size_t n, int width);

#endif
