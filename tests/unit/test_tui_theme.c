/*
 * test_tui_theme.c - colour themes: colour names, numbers and #rrggbb
 * mapped to the nearest of the 256 xterm colours, reduction to 8/16
 * colours, the shipped theme files, errors that name file:line, and
 * finding themes by name.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "internal.h"
#include "paths.h"
#include "testutil.h"

static short
color(const char *s)
{
	short	c = 999;

	cr_assert_eq(theme_parse_color(s, &c), 0, "'%s' should parse", s);
	return c;
}

static void
bad_color(const char *s)
{
	short	c = 999;

	cr_expect_eq(theme_parse_color(s, &c), -1, "'%s' should not parse", s);
	cr_expect_eq(c, 999);
}

Test(tui_theme, color_names_and_numbers)
{
	cr_expect_eq(color("black"), 0);
	cr_expect_eq(color("red"), 1);
	cr_expect_eq(color("white"), 7);
	cr_expect_eq(color("bright_red"), 9);
	cr_expect_eq(color("brightred"), 9);
	cr_expect_eq(color("Bright-Red"), 9);
	cr_expect_eq(color("bright_white"), 15);
	cr_expect_eq(color("grey"), 8);
	cr_expect_eq(color("default"), THEME_DEFAULT_COLOR);
	cr_expect_eq(color("0"), 0);
	cr_expect_eq(color("196"), 196);
	cr_expect_eq(color("255"), 255);
	bad_color("256");
	bad_color("-1");
	bad_color("007");
	bad_color("1.5");
	bad_color("purple");
	bad_color("");
	bad_color(NULL);
	bad_color("#12345");
	bad_color("#1234567");
	bad_color("#gg0000");
	bad_color("ff0000");
}

Test(tui_theme, hex_to_nearest_256)
{
	cr_expect_eq(color("#ff0000"), 196);
	cr_expect_eq(color("#FF0000"), 196);
	cr_expect_eq(color("#000000"), 16);
	cr_expect_eq(color("#ffffff"), 231);
	cr_expect_eq(color("#808080"), 244);	/* grey ramp: 8 + 10 * 12 */
	cr_expect_eq(color("#5fafd7"), 74);	/* cube (1, 3, 4) */
	cr_expect_eq(color("#d70000"), 160);
	cr_expect_eq(color("#010101"), 16);	/* nearest, not exact */
	cr_expect_eq(color("#fe0101"), 196);
	cr_expect_eq(color("#767676"), 243);
}

/* Every colour of the cube and ramp maps back to itself. */
Test(tui_theme, palette_round_trip)
{
	int	i, r, g, b;

	for (i = 16; i < 256; i++) {
		theme_256_rgb(i, &r, &g, &b);
		cr_expect_eq(theme_rgb_to_256(r, g, b), i, "colour %d", i);
	}
	/* And the nearest is really nearest: check against every colour. */
	for (r = 0; r < 256; r += 37)
		for (g = 0; g < 256; g += 41)
			for (b = 0; b < 256; b += 43) {
				int	best = theme_rgb_to_256(r, g, b), cr, cg, cb;
				long	d, bd;

				theme_256_rgb(best, &cr, &cg, &cb);
				bd = (long)(r - cr) * (r - cr) +
				    (long)(g - cg) * (g - cg) +
				    (long)(b - cb) * (b - cb);
				for (i = 16; i < 256; i++) {
					theme_256_rgb(i, &cr, &cg, &cb);
					d = (long)(r - cr) * (r - cr) +
					    (long)(g - cg) * (g - cg) +
					    (long)(b - cb) * (b - cb);
					cr_expect_geq(d, bd);
				}
			}
}

Test(tui_theme, reduce_for_small_terminals)
{
	cr_expect_eq(theme_reduce(196, 8), 1);		/* red */
	cr_expect_eq(theme_reduce(21, 8), 4);		/* blue */
	cr_expect_eq(theme_reduce(231, 8), 7);		/* white */
	cr_expect_eq(theme_reduce(16, 8), 0);		/* black */
	cr_expect_eq(theme_reduce(46, 16), 10);		/* bright green */
	cr_expect_eq(theme_reduce(5, 8), 5);
	cr_expect_eq(theme_reduce(12, 8), 4);		/* bright blue -> blue */
	cr_expect_eq(theme_reduce(THEME_DEFAULT_COLOR, 8), THEME_DEFAULT_COLOR);
	cr_expect_eq(theme_reduce(100, 256), 100);
}

static char *
root_path(const char *rel)
{
	return tu_fmt("%s/%s", tu_root(), rel);
}

Test(tui_theme, shipped_themes_load)
{
	static const char	*names[] = { "default", "light", "mono" };
	struct theme		 t;
	char			*path, *cause = NULL;
	size_t			 i, e;

	for (i = 0; i < 3; i++) {
		path = tu_fmt("%s/themes/%s.yaml", tu_root(), names[i]);
		cr_assert_eq(theme_load(&t, path, &cause), 0, "%s: %s", path,
		    cause != NULL ? cause : "");
		cr_expect_str_eq(t.name, names[i]);
		cr_expect_str_eq(t.path, path);
		if (strcmp(names[i], "mono") == 0) {
			for (e = 0; e < THEME_COUNT; e++) {
				cr_expect_eq(t.st[e].fg, THEME_DEFAULT_COLOR);
				cr_expect_eq(t.st[e].bg, THEME_DEFAULT_COLOR);
			}
			cr_expect(t.st[THEME_SELECTED].attrs & THEME_REVERSE);
		}
		theme_free(&t);
		free(path);
	}
}

/* The built-in fallbacks look exactly like the shipped files. */
Test(tui_theme, builtin_matches_files)
{
	struct theme	 file, builtin;
	char		*path, *cause = NULL;
	int		 mono;
	size_t		 e;

	for (mono = 0; mono <= 1; mono++) {
		path = root_path(mono ? "themes/mono.yaml" : "themes/default.yaml");
		cr_assert_eq(theme_load(&file, path, &cause), 0, "%s", cause);
		theme_builtin(&builtin, mono);
		for (e = 0; e < THEME_COUNT; e++) {
			cr_expect_eq(file.st[e].fg, builtin.st[e].fg, "%s %s fg",
			    path, theme_element_name(e));
			cr_expect_eq(file.st[e].bg, builtin.st[e].bg, "%s %s bg",
			    path, theme_element_name(e));
			cr_expect_eq(file.st[e].attrs, builtin.st[e].attrs,
			    "%s %s attrs", path, theme_element_name(e));
		}
		theme_free(&file);
		theme_free(&builtin);
		free(path);
	}
}

Test(tui_theme, parses_attrs_and_defaults)
{
	struct theme	 t;
	char		*dir = tu_tmpdir(), *path, *cause = NULL;
	const char	*yaml =
	    "# a comment\n"
	    "colors:\n"
	    "  header: {fg: white, bg: \"#005f87\", attrs: [bold, underline]}\n"
	    "  crit:\n"
	    "    fg: 196\n"
	    "    attrs: \"bold, reverse\"\n"
	    "  ok: {attrs: dim}\n";

	path = tu_fmt("%s/mine.yaml", dir);
	tu_write_file(path, yaml, strlen(yaml), 0);
	cr_assert_eq(theme_load(&t, path, &cause), 0, "%s", cause);
	cr_expect_str_eq(t.name, "mine");	/* from the file name */
	cr_expect_eq(t.st[THEME_HEADER].fg, 7);
	cr_expect_eq(t.st[THEME_HEADER].bg, 24);
	cr_expect_eq(t.st[THEME_HEADER].attrs, THEME_BOLD | THEME_UNDERLINE);
	cr_expect_eq(t.st[THEME_CRIT].fg, 196);
	cr_expect_eq(t.st[THEME_CRIT].bg, THEME_DEFAULT_COLOR);
	cr_expect_eq(t.st[THEME_CRIT].attrs, THEME_BOLD | THEME_REVERSE);
	cr_expect_eq(t.st[THEME_OK].attrs, THEME_DIM);
	/* Left out: neutral, but the selection stays visible. */
	cr_expect_eq(t.st[THEME_TABLE].fg, THEME_DEFAULT_COLOR);
	cr_expect(t.st[THEME_SELECTED].attrs & THEME_REVERSE);
	theme_free(&t);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* Loads yaml as a theme file, expects failure with "file:line:" and
 * every word of want in the cause. */
static void
bad_theme(const char *yaml, int line, const char *want)
{
	struct theme	 t;
	char		*dir = tu_tmpdir(), *path, *cause = NULL, *prefix;

	memset(&t, 0x5a, sizeof t);
	path = tu_fmt("%s/bad.yaml", dir);
	tu_write_file(path, yaml, strlen(yaml), 0);
	cr_assert_eq(theme_load(&t, path, &cause), -1, "accepted:\n%s", yaml);
	cr_assert_not_null(cause);
	prefix = tu_fmt("%s:%d:", path, line);
	cr_expect_eq(strncmp(cause, prefix, strlen(prefix)), 0,
	    "cause \"%s\" should start with \"%s\"", cause, prefix);
	cr_expect_not_null(strstr(cause, want), "cause \"%s\" lacks \"%s\"",
	    cause, want);
	/* Untouched on failure. */
	cr_expect_eq(t.st[0].attrs, 0x5a5a5a5au);
	free(prefix);
	free(cause);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

Test(tui_theme, bad_files_name_file_and_line)
{
	bad_theme("name: x\ncolors:\n  header: {fg: white}\n"
	    "  headr: {fg: red}\n", 4, "unknown element");
	bad_theme("colors:\n  header:\n    fg: purple\n", 3, "purple");
	bad_theme("colors:\n  header:\n    bg: 300\n", 3, "300");
	bad_theme("colors:\n  ok: {attrs: [bold, sparkly]}\n", 2, "sparkly");
	bad_theme("colors:\n  ok: {fg: red, colour: blue}\n", 2,
	    "unknown key");
	bad_theme("colors:\n  ok: red\n", 2, "expected a map");
	bad_theme("colours:\n  ok: {fg: red}\n", 1, "unknown key");
	bad_theme("- just\n- a list\n", 1, "expected a map");
	/* Unquoted #rrggbb is a YAML comment: the value is empty. */
	bad_theme("colors:\n  ok:\n    fg: #ff0000\n", 3, "colour");
	/* Broken YAML: the parser's own line. */
	bad_theme("colors:\n  ok: {fg: red\n  warn: x\n", 3, "");
}

Test(tui_theme, missing_file)
{
	struct theme	 t;
	char		*cause = NULL;

	cr_expect_eq(theme_load(&t, "/nonexistent/x.yaml", &cause), -1);
	cr_expect_not_null(cause);
	free(cause);
}

Test(tui_theme, find_by_name_and_path)
{
	char		*p, *cause = NULL, **names;
	size_t		 n, i;
	bool		 dflt = false, light = false, mono = false;

	cr_assert_eq(chdir(tu_root()), 0);
	p = paths_theme_find("light", &cause);
	cr_assert_not_null(p, "%s", cause);
	cr_expect_not_null(strstr(p, "themes/light.yaml"), "%s", p);
	free(p);
	p = paths_theme_find("themes/mono.yaml", &cause);
	cr_assert_not_null(p);
	cr_expect_str_eq(p, "themes/mono.yaml");
	free(p);
	cr_expect_null(paths_theme_find("no-such-theme", &cause));
	cr_expect_not_null(strstr(cause, "not found"), "%s", cause);
	free(cause);
	cause = NULL;
	cr_expect_null(paths_theme_find("/nonexistent/t.yaml", &cause));
	free(cause);
	cause = NULL;
	cr_expect_null(paths_theme_find("../etc", &cause));
	free(cause);

	names = paths_theme_names(&n);
	for (i = 0; i < n; i++) {
		if (i > 0)
			cr_expect_lt(strcmp(names[i - 1], names[i]), 0);
		dflt = dflt || strcmp(names[i], "default") == 0;
		light = light || strcmp(names[i], "light") == 0;
		mono = mono || strcmp(names[i], "mono") == 0;
	}
	cr_expect(dflt && light && mono);
	cr_expect_null(names[n]);
	paths_list_free(names);
}
