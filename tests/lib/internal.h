/*
 * internal.h - the one door from the tests to exectop's internal headers
 * (those under src/, not in include/): the TUI's layout, text, theme and
 * view modules, which unit tests and the theme fuzz target exercise
 * directly, and the TUI's internal state (its help table, which the docs
 * test checks against the man page; the frame benchmark).
 *
 * A test includes public headers (include/), the helpers of tests/lib,
 * and, only when it must reach inside, this header; never a path into
 * src/ (test_docs checks).  The Makefile builds tests with -Isrc for it.
 */
#ifndef EXECTOP_TEST_INTERNAL_H
#define EXECTOP_TEST_INTERNAL_H

#include "tui/tui_int.h"	/* layout.h, text.h, theme.h, view.h */

#endif
