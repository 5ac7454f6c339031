/*
 * theme.c - loading colour themes (themes/NAME.yaml) through the ydoc tree,
 * colour names and the xterm-256 palette, and finding theme files.
 *
 * "#rrggbb" is mapped to the nearest colour of the 6x6x6 cube and the
 * grey ramp (16-255), never to 0-15 whose values each terminal chooses;
 * a terminal with only 8 or 16 colours gets the nearest of those at draw
 * time (theme_reduce).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"
#include "escape.h"
#include "numfmt.h"
#include "xmalloc.h"
#include "ydoc.h"

static const char *theme_el_names[THEME_COUNT] = {
#define X(e, n) n,
	THEME_ELEMENTS
#undef X
};

static const char *theme_color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright_black", "bright_red", "bright_green", "bright_yellow",
	"bright_blue", "bright_magenta", "bright_cyan", "bright_white"
};

/* xterm's values for the 16 system colours. */
static const unsigned char theme_sys_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 }
};

static const int theme_cube[6] = { 0, 95, 135, 175, 215, 255 };

static const struct {
	const char	*name;
	unsigned	 bit;
} theme_attr_names[] = {
	{ "bold", THEME_BOLD },
	{ "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE },
	{ "dim", THEME_DIM },
	{ "italic", THEME_ITALIC },
	{ "blink", THEME_BLINK },
	{ "normal", 0 },
	{ "none", 0 },
};

/* A built-in element: colours as theme_parse_color() reads them. */
struct theme_builtin_el {
	enum theme_el	 el;
	const char	*fg;
	const char	*bg;
	unsigned	 attrs;
};

/* Same look as themes/default.yaml, for when no file can be found. */
static const struct theme_builtin_el theme_builtin_default[] = {
	{ THEME_HEADER, "#ffffff", "#005f87", 0 },
	{ THEME_PAUSED, "black", "#ffaf00", THEME_BOLD },
	{ THEME_STATUS, "#d0d0d0", "#303030", 0 },
	{ THEME_ERROR, "#ffffff", "#af0000", THEME_BOLD },
	{ THEME_PROMPT, "black", "#ffd75f", 0 },
	{ THEME_TITLE, "#87afd7", "default", THEME_BOLD },
	{ THEME_TITLE_FOCUS, "black", "#87afd7", THEME_BOLD },
	{ THEME_TABLE_HEADER, "black", "#5f8787", THEME_BOLD },
	{ THEME_TABLE, "default", "default", 0 },
	{ THEME_SELECTED, "black", "#87afd7", 0 },
	{ THEME_OK, "#5fd75f", "default", 0 },
	{ THEME_WARN, "#ffaf00", "default", THEME_BOLD },
	{ THEME_CRIT, "#ffffff", "#d70000", THEME_BOLD },
	{ THEME_NEW, "#5fafff", "default", 0 },
	{ THEME_IMPROVED, "#00d7af", "default", THEME_BOLD },
	{ THEME_PENDING, "#808080", "default", 0 },
	{ THEME_SPARKLINE, "#5fafd7", "default", 0 },
	{ THEME_ALERTS, "#ffd7af", "default", 0 },
	{ THEME_BOTTLENECKS, "default", "default", 0 },
	{ THEME_HELP, "default", "default", 0 },
	{ THEME_HELP_KEY, "#ffd75f", "default", THEME_BOLD },
};

/* Attributes only: readable on any terminal, and what NO_COLOR gets. */
static const struct theme_builtin_el theme_builtin_mono[] = {
	{ THEME_HEADER, "default", "default", THEME_REVERSE },
	{ THEME_PAUSED, "default", "default", THEME_BOLD },
	{ THEME_STATUS, "default", "default", THEME_REVERSE },
	{ THEME_ERROR, "default", "default", THEME_BOLD | THEME_REVERSE },
	{ THEME_PROMPT, "default", "default", THEME_BOLD },
	{ THEME_TITLE, "default", "default", THEME_BOLD },
	{ THEME_TITLE_FOCUS, "default", "default", THEME_BOLD | THEME_REVERSE },
	{ THEME_TABLE_HEADER, "default", "default", THEME_BOLD | THEME_UNDERLINE },
	{ THEME_SELECTED, "default", "default", THEME_REVERSE },
	{ THEME_WARN, "default", "default", THEME_BOLD },
	{ THEME_CRIT, "default", "default", THEME_BOLD | THEME_REVERSE },
	{ THEME_NEW, "default", "default", THEME_UNDERLINE },
	{ THEME_IMPROVED, "default", "default", THEME_BOLD },
	{ THEME_PENDING, "default", "default", THEME_DIM },
	{ THEME_HELP_KEY, "default", "default", THEME_BOLD },
};

const char *
theme_element_name(enum theme_el el)
{
	return el < THEME_COUNT ? theme_el_names[el] : "?";
}

/* Terminal colours, no attributes, but a visible selection. */
static void
theme_neutral(struct theme *t)
{
	size_t	i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < THEME_COUNT; i++) {
		t->st[i].fg = THEME_DEFAULT_COLOR;
		t->st[i].bg = THEME_DEFAULT_COLOR;
	}
	t->st[THEME_SELECTED].attrs = THEME_REVERSE;
	t->st[THEME_HEADER].attrs = THEME_REVERSE;
	t->st[THEME_STATUS].attrs = THEME_REVERSE;
	t->st[THEME_TITLE_FOCUS].attrs = THEME_REVERSE;
}

void
theme_builtin(struct theme *t, bool mono)
{
	const struct theme_builtin_el	*b;
	size_t				 i, n;

	theme_neutral(t);
	b = mono ? theme_builtin_mono : theme_builtin_default;
	n = mono ? sizeof theme_builtin_mono / sizeof *b :
	    sizeof theme_builtin_default / sizeof *b;
	for (i = 0; i < n; i++) {
		theme_parse_color(b[i].fg, &t->st[b[i].el].fg);
		theme_parse_color(b[i].bg, &t->st[b[i].el].bg);
		t->st[b[i].el].attrs = b[i].attrs;
	}
	t->name = xstrdup(mono ? "mono" : "default");
	t->path = NULL;
}

void
theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->path);
	t->name = NULL;
	t->path = NULL;
}

void
theme_256_rgb(int idx, int *r, int *g, int *b)
{
	int	v;

	if (idx < 0 || idx > 255)
		idx = 0;
	if (idx < 16) {
		*r = theme_sys_rgb[idx][0];
		*g = theme_sys_rgb[idx][1];
		*b = theme_sys_rgb[idx][2];
	} else if (idx < 232) {
		idx -= 16;
		*r = theme_cube[idx / 36];
		*g = theme_cube[idx / 6 % 6];
		*b = theme_cube[idx % 6];
	} else {
		v = 8 + 10 * (idx - 232);
		*r = *g = *b = v;
	}
}

static int
theme_dist(int r1, int g1, int b1, int r2, int g2, int b2)
{
	return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) +
	    (b1 - b2) * (b1 - b2);
}

int
theme_rgb_to_256(int r, int g, int b)
{
	int	i, best = 16, bestd = -1, d, cr, cg, cb;

	for (i = 16; i < 256; i++) {
		theme_256_rgb(i, &cr, &cg, &cb);
		d = theme_dist(r, g, b, cr, cg, cb);
		if (bestd == -1 || d < bestd) {
			best = i;
			bestd = d;
		}
	}
	return best;
}

int
theme_reduce(int idx, int n)
{
	int	i, best = 0, bestd = -1, d, r, g, b, cr, cg, cb;

	if (idx < 0 || idx < n)
		return idx;
	if (n > 16)
		n = 16;
	theme_256_rgb(idx, &r, &g, &b);
	for (i = 0; i < n; i++) {
		theme_256_rgb(i, &cr, &cg, &cb);
		d = theme_dist(r, g, b, cr, cg, cb);
		if (bestd == -1 || d < bestd) {
			best = i;
			bestd = d;
		}
	}
	return best;
}

int
theme_parse_color(const char *s, short *out)
{
	char		 norm[32];
	size_t		 i;
	int		 v[6], n;

	if (s == NULL || *s == '\0')
		return -1;
	if (s[0] == '#') {
		if (strlen(s) != 7)
			return -1;
		for (i = 0; i < 6; i++) {
			if ((v[i] = numfmt_hexdigit(s[i + 1])) == -1)
				return -1;
		}
		*out = (short)theme_rgb_to_256(v[0] * 16 + v[1],
		    v[2] * 16 + v[3], v[4] * 16 + v[5]);
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9') {
		n = 0;
		for (i = 0; s[i] != '\0'; i++) {
			if (s[i] < '0' || s[i] > '9' || i >= 3)
				return -1;
			n = n * 10 + (s[i] - '0');
		}
		if (n > 255 || (s[0] == '0' && s[1] != '\0'))
			return -1;
		*out = (short)n;
		return 0;
	}
	/* Names: case-insensitive; "bright-red", "brightred" and "grey"
	 * spellings too. */
	if (strlen(s) >= sizeof norm)
		return -1;
	for (i = 0, n = 0; s[i] != '\0'; i++) {
		if (s[i] == '-' || s[i] == '_' || s[i] == ' ')
			continue;
		norm[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	}
	norm[n] = '\0';
	if (strcmp(norm, "default") == 0 || strcmp(norm, "none") == 0) {
		*out = THEME_DEFAULT_COLOR;
		return 0;
	}
	if (strcmp(norm, "gray") == 0 || strcmp(norm, "grey") == 0) {
		*out = 8;
		return 0;
	}
	for (i = 0; i < 16; i++) {
		char	 want[32];
		size_t	 j, k;

		for (j = 0, k = 0; theme_color_names[i][j] != '\0'; j++) {
			if (theme_color_names[i][j] != '_')
				want[k++] = theme_color_names[i][j];
		}
		want[k] = '\0';
		if (strcmp(norm, want) == 0) {
			*out = (short)i;
			return 0;
		}
	}
	return -1;
}

static int
theme_error(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The message quotes keys and values from the file: shown escaped, so a
 * hostile theme cannot put control sequences on the terminal. */
static int
theme_error(char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*raw;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	*cause = escape_terminal(raw);
	free(raw);
	return -1;
}

static int
theme_attr(const char *file, int line, const char *el, const char *word,
    size_t len, unsigned *attrs, char **cause)
{
	size_t	i;

	for (i = 0; i < sizeof theme_attr_names / sizeof *theme_attr_names;
	    i++) {
		if (strlen(theme_attr_names[i].name) == len &&
		    strncasecmp(theme_attr_names[i].name, word, len) == 0) {
			*attrs |= theme_attr_names[i].bit;
			return 0;
		}
	}
	return theme_error(cause, "%s:%d: key 'colors.%s.attrs': unknown "
	    "attribute '%.*s' (bold, underline, reverse, dim, italic, blink, "
	    "normal)", file, line, el, (int)len, word);
}

/* "bold", "bold, underline" or "bold underline". */
static int
theme_attr_words(const char *file, int line, const char *el, const char *s,
    unsigned *attrs, char **cause)
{
	size_t	n;

	for (;;) {
		s += strspn(s, " ,\t");
		if (*s == '\0')
			return 0;
		n = strcspn(s, " ,\t");
		if (theme_attr(file, line, el, s, n, attrs, cause) == -1)
			return -1;
		s += n;
	}
}

static int
theme_style(const char *file, const char *el, const struct ynode *node,
    struct theme_style *st, char **cause)
{
	const struct ynode	*v;
	size_t			 i, j;
	unsigned		 attrs = 0;
	short			*dst;

	if (node->type != YNODE_MAP)
		return theme_error(cause, "%s:%d: key 'colors.%s': expected a "
		    "map like {fg: white, bg: blue, attrs: [bold]}", file,
		    node->line, el);
	/* An element given replaces the whole style. */
	st->fg = THEME_DEFAULT_COLOR;
	st->bg = THEME_DEFAULT_COLOR;
	st->attrs = 0;
	for (i = 0; i < node->n; i++) {
		v = node->items[i];
		if (strcmp(node->keys[i], "fg") == 0 ||
		    strcmp(node->keys[i], "bg") == 0) {
			dst = node->keys[i][0] == 'f' ? &st->fg : &st->bg;
			if (v->type != YNODE_SCALAR ||
			    theme_parse_color(v->scalar, dst) == -1)
				return theme_error(cause, "%s:%d: key "
				    "'colors.%s.%s': unknown colour '%s' (a "
				    "name, 0-255, or \"#rrggbb\" in quotes)",
				    file, v->line, el, node->keys[i],
				    v->type == YNODE_SCALAR ? v->scalar : "");
		} else if (strcmp(node->keys[i], "attrs") == 0) {
			attrs = 0;
			if (v->type == YNODE_SCALAR) {
				if (theme_attr_words(file, v->line, el,
				    v->scalar, &attrs, cause) == -1)
					return -1;
			} else if (v->type == YNODE_SEQ) {
				for (j = 0; j < v->n; j++) {
					if (v->items[j]->type != YNODE_SCALAR)
						return theme_error(cause,
						    "%s:%d: key 'colors.%s.attrs'"
						    ": expected attribute names",
						    file, v->items[j]->line, el);
					if (theme_attr_words(file,
					    v->items[j]->line, el,
					    v->items[j]->scalar, &attrs,
					    cause) == -1)
						return -1;
				}
			} else
				return theme_error(cause, "%s:%d: key "
				    "'colors.%s.attrs': expected a list of "
				    "attributes", file, v->line, el);
			st->attrs = attrs;
		} else
			return theme_error(cause, "%s:%d: key 'colors.%s.%s': "
			    "unknown key (expected fg, bg, attrs)", file,
			    node->key_lines[i], el, node->keys[i]);
	}
	return 0;
}

static int
theme_colors(const char *file, const struct ynode *colors, struct theme *t,
    char **cause)
{
	size_t	i, e;

	if (colors->type != YNODE_MAP)
		return theme_error(cause, "%s:%d: key 'colors': expected a map "
		    "of elements", file, colors->line);
	for (i = 0; i < colors->n; i++) {
		for (e = 0; e < THEME_COUNT; e++) {
			if (strcmp(colors->keys[i], theme_el_names[e]) == 0)
				break;
		}
		if (e == THEME_COUNT)
			return theme_error(cause, "%s:%d: key 'colors.%s': "
			    "unknown element (see themes/default.yaml for the "
			    "list)", file, colors->key_lines[i],
			    colors->keys[i]);
		if (theme_style(file, colors->keys[i], colors->items[i],
		    &t->st[e], cause) == -1)
			return -1;
	}
	return 0;
}

int
theme_load(struct theme *out, const char *path, char **cause)
{
	struct ynode		*root = NULL;
	struct theme		 t;
	const char		*name = NULL, *slash, *s;
	size_t			 i;
	int			 rc = -1;

	if (ydoc_load_file(path, &root, cause) == -1)
		return -1;
	theme_neutral(&t);
	if (root == NULL) {
		theme_error(cause, "%s:1: empty theme (expected a map with "
		    "'colors')", path);
		goto out;
	}
	if (root->type != YNODE_MAP) {
		theme_error(cause, "%s:%d: expected a map with 'name' and "
		    "'colors'", path, root->line);
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		if (strcmp(root->keys[i], "name") == 0 ||
		    strcmp(root->keys[i], "description") == 0) {
			if (ynode_string(root->items[i], path, root->keys[i], &s,
			    cause) == -1)
				goto out;
			if (root->keys[i][0] == 'n')
				name = s;
		} else if (strcmp(root->keys[i], "colors") == 0) {
			if (theme_colors(path, root->items[i], &t, cause) == -1)
				goto out;
		} else {
			theme_error(cause, "%s:%d: key '%s': unknown key "
			    "(expected name, description, colors)", path,
			    root->key_lines[i], root->keys[i]);
			goto out;
		}
	}
	if (name != NULL)
		t.name = xstrdup(name);
	else {
		/* The file name without directory and ".yaml". */
		slash = strrchr(path, '/');
		s = slash != NULL ? slash + 1 : path;
		i = strlen(s);
		if (i > 5 && strcmp(s + i - 5, ".yaml") == 0)
			i -= 5;
		t.name = xstrndup(s, i);
	}
	t.path = xstrdup(path);
	*out = t;
	rc = 0;
out:
	ynode_free(root);
	return rc;
}
