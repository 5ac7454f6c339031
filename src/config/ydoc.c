/*
 * ydoc.c - a small, strict YAML document tree built from libyaml events.
 *
 * Only what a configuration or baseline file needs is accepted: one
 * document of mappings, sequences and scalars.  Anchors, aliases and tags
 * are refused (no "billion laughs", no type tricks), duplicate keys and
 * non-scalar keys are errors, and nesting is checked as the events arrive,
 * so a file of 100,000 '[' fails after YDOC_MAX_DEPTH of them instead of
 * after libyaml has read the whole file.  Input must be UTF-8.
 *
 * libyaml marks count characters, not bytes; ydoc_offset() turns them
 * into byte offsets (nodes are edited in place by config_write_back()).
 *
 * The scalar readers are deliberately narrower than YAML: a number is
 * plain decimal ("0x1F", "010", ".nan", "1_000" are refused), a boolean
 * is true or false.  Every error is "file:line: key 'k': reason".
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "utf8.h"
#include "xmalloc.h"
#include "ydoc.h"
#include "ydoc_int.h"

struct ydoc_frame {
	struct ynode	*node;
	char		*key;		/* pending key of a map, or NULL */
	int		 key_line;
};

struct ydoc_parse {
	const char		*name;
	const unsigned char	*buf;
	size_t			 len;
	size_t			 base;	/* bytes of a UTF-8 byte order mark */
	size_t			 ci;	/* character cursor ... */
	size_t			 bi;	/* ... and its byte offset */

	struct ydoc_frame	 stack[YDOC_MAX_DEPTH];
	int			 depth;
	struct ynode		*root;
	int			 documents;
	char			*cause;
};

#define YDOC_CLEAN_MAX	64

/* ------------------------------------------------------------------------
 * Messages.
 */

static void
ydoc_append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		while (*len + n + 1 > *cap)
			*cap = *cap == 0 ? 64 : *cap * 2;
		*out = xrealloc(*out, *cap);
	}
	memcpy(*out + *len, s, n);
	*len += n;
	(*out)[*len] = '\0';
}

char *
ydoc_clean(const char *text)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 n = strlen(text), i = 0, len = 0, cap = 0;
	size_t			 step;
	uint32_t		 cp;
	char			*out = NULL, esc[16];

	ydoc_append(&out, &len, &cap, "", 0);
	while (i < n) {
		if (len >= YDOC_CLEAN_MAX) {
			ydoc_append(&out, &len, &cap, "...", 3);
			break;
		}
		step = utf8_decode(s + i, n - i, &cp);
		if (step == 0) {
			snprintf(esc, sizeof esc, "\\x%02x", s[i]);
			ydoc_append(&out, &len, &cap, esc, strlen(esc));
			i++;
			continue;
		}
		if (utf8_unsafe(cp)) {
			snprintf(esc, sizeof esc, cp < 0x80 ? "\\x%02x" :
			    "\\u%04x", (unsigned)cp);
			ydoc_append(&out, &len, &cap, esc, strlen(esc));
		} else
			ydoc_append(&out, &len, &cap, text + i, step);
		i += step;
	}
	return out;
}

char *
ydoc_where(const char *file, int line, const char *key)
{
	char	*k, *s;

	if (key == NULL) {
		if (line > 0)
			return xasprintf("%s:%d: ", file, line);
		return xasprintf("%s: ", file);
	}
	k = ydoc_clean(key);
	if (line > 0)
		s = xasprintf("%s:%d: key '%s': ", file, line, k);
	else
		s = xasprintf("%s: key '%s': ", file, k);
	free(k);
	return s;
}

int
ydoc_vfail(char **cause, const char *file, int line, const char *key,
    const char *fmt, va_list ap)
{
	char	*where, *msg;

	msg = xvasprintf(fmt, ap);
	where = ydoc_where(file, line, key);
	*cause = xasprintf("%s%s", where, msg);
	free(where);
	free(msg);
	return -1;
}

/* Sets the parse error (the first one wins). */
static void __attribute__((format(printf, 3, 4)))
ydoc_error(struct ydoc_parse *p, size_t line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (p->cause != NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->cause = xasprintf("%s:%zu: %s", p->name, line, msg);
	free(msg);
}

/* ------------------------------------------------------------------------
 * Tree.
 */

void
ynode_free(struct ynode *node)
{
	size_t	i;

	if (node == NULL)
		return;
	for (i = 0; i < node->n; i++) {
		if (node->keys != NULL)
			free(node->keys[i]);
		ynode_free(node->items[i]);
	}
	free(node->keys);
	free(node->key_lines);
	free(node->items);
	free(node->scalar);
	free(node);
}

const struct ynode *
ynode_get(const struct ynode *node, const char *key)
{
	size_t	i;

	if (node == NULL || node->type != YNODE_MAP)
		return NULL;
	for (i = 0; i < node->n; i++) {
		if (strcmp(node->keys[i], key) == 0)
			return node->items[i];
	}
	return NULL;
}

/* Room for one more item: arrays grow in powers of two from 4. */
static void
ydoc_grow(struct ynode *node)
{
	size_t	cap;

	if (node->n != 0 && (node->n < 4 || (node->n & (node->n - 1)) != 0))
		return;
	cap = node->n == 0 ? 4 : node->n * 2;
	node->items = xreallocarray(node->items, cap, sizeof *node->items);
	if (node->type == YNODE_MAP) {
		node->keys = xreallocarray(node->keys, cap, sizeof *node->keys);
		node->key_lines = xreallocarray(node->key_lines, cap,
		    sizeof *node->key_lines);
	}
}

/* Byte offset of a libyaml mark (which counts characters). */
static size_t
ydoc_offset(struct ydoc_parse *p, size_t index)
{
	while (p->ci < index && p->bi < p->len) {
		p->bi++;
		while (p->bi < p->len && (p->buf[p->bi] & 0xc0) == 0x80)
			p->bi++;
		p->ci++;
	}
	while (p->ci > index && p->bi > p->base) {
		p->bi--;
		while (p->bi > p->base && (p->buf[p->bi] & 0xc0) == 0x80)
			p->bi--;
		p->ci--;
	}
	return p->bi;
}

static int
ydoc_key_cmp(const void *a, const void *b, void *arg)
{
	const struct ynode	*map = arg;
	size_t			 i = *(const size_t *)a, j = *(const size_t *)b;
	int			 c;

	if ((c = strcmp(map->keys[i], map->keys[j])) != 0)
		return c;
	return i < j ? -1 : (i > j);
}

/* Finds the first key (in file order) that repeats an earlier one. */
static int
ydoc_check_duplicates(struct ydoc_parse *p, const struct ynode *map)
{
	size_t	*order, i, j, dup = SIZE_MAX;
	char	*k;

	if (map->n < 2)
		return 0;
	if (map->n <= 16) {
		for (j = 1; j < map->n && dup == SIZE_MAX; j++) {
			for (i = 0; i < j; i++) {
				if (strcmp(map->keys[i], map->keys[j]) == 0) {
					dup = j;
					break;
				}
			}
		}
	} else {
		order = xreallocarray(NULL, map->n, sizeof *order);
		for (i = 0; i < map->n; i++)
			order[i] = i;
		qsort_r(order, map->n, sizeof *order, ydoc_key_cmp,
		    (void *)map);
		for (i = 1; i < map->n; i++) {
			if (strcmp(map->keys[order[i - 1]],
			    map->keys[order[i]]) == 0 && order[i] < dup)
				dup = order[i];
		}
		free(order);
	}
	if (dup == SIZE_MAX)
		return 0;
	k = ydoc_clean(map->keys[dup]);
	ydoc_error(p, map->key_lines[dup], "duplicate key '%s'", k);
	free(k);
	return -1;
}

/* Attaches a new node where the event stream says it goes. */
static void
ydoc_attach(struct ydoc_parse *p, struct ynode *node)
{
	struct ydoc_frame	*top;
	struct ynode		*parent;

	if (p->depth == 0) {
		p->root = node;
		return;
	}
	top = &p->stack[p->depth - 1];
	parent = top->node;
	ydoc_grow(parent);
	if (parent->type == YNODE_MAP) {
		parent->keys[parent->n] = top->key;
		parent->key_lines[parent->n] = top->key_line;
		top->key = NULL;
	}
	parent->items[parent->n++] = node;
}

/* True when the next scalar or collection is a key of the open map. */
static bool
ydoc_want_key(struct ydoc_parse *p)
{
	struct ydoc_frame	*top;

	if (p->depth == 0)
		return false;
	top = &p->stack[p->depth - 1];
	return top->node->type == YNODE_MAP && top->key == NULL;
}

/* Refuses anchors and tags on a node. */
static int
ydoc_check_props(struct ydoc_parse *p, const yaml_event_t *ev,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	size_t	line = ev->start_mark.line + 1;

	if (anchor != NULL) {
		ydoc_error(p, line, "anchors and aliases are not allowed");
		return -1;
	}
	if (tag != NULL) {
		ydoc_error(p, line, "tags are not allowed");
		return -1;
	}
	return 0;
}

static int
ydoc_event(struct ydoc_parse *p, const yaml_event_t *ev)
{
	struct ynode	*node;
	size_t		 line = ev->start_mark.line + 1;
	int		 type;

	switch (ev->type) {
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (p->documents > 0) {
			ydoc_error(p, line, "more than one document");
			return -1;
		}
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		p->documents++;
		return 0;
	case YAML_ALIAS_EVENT:
		ydoc_error(p, line, "aliases are not allowed");
		return -1;
	case YAML_SCALAR_EVENT:
		if (ydoc_check_props(p, ev, ev->data.scalar.anchor,
		    ev->data.scalar.tag) != 0)
			return -1;
		if (memchr(ev->data.scalar.value, '\0',
		    ev->data.scalar.length) != NULL) {
			ydoc_error(p, line, "NUL characters are not allowed");
			return -1;
		}
		if (ydoc_want_key(p)) {
			p->stack[p->depth - 1].key =
			    xstrdup((const char *)ev->data.scalar.value);
			p->stack[p->depth - 1].key_line = (int)line;
			return 0;
		}
		node = xcalloc(1, sizeof *node);
		node->type = YNODE_SCALAR;
		node->line = (int)line;
		node->start = ydoc_offset(p, ev->start_mark.index);
		node->end = ydoc_offset(p, ev->end_mark.index);
		node->scalar = xstrdup((const char *)ev->data.scalar.value);
		node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		ydoc_attach(p, node);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			type = YNODE_SEQ;
			if (ydoc_check_props(p, ev,
			    ev->data.sequence_start.anchor,
			    ev->data.sequence_start.tag) != 0)
				return -1;
		} else {
			type = YNODE_MAP;
			if (ydoc_check_props(p, ev,
			    ev->data.mapping_start.anchor,
			    ev->data.mapping_start.tag) != 0)
				return -1;
		}
		if (ydoc_want_key(p)) {
			ydoc_error(p, line, "keys must be scalars, not %s",
			    type == YNODE_MAP ? "mappings" : "sequences");
			return -1;
		}
		if (p->depth >= YDOC_MAX_DEPTH) {
			ydoc_error(p, line, "nesting deeper than %d levels",
			    YDOC_MAX_DEPTH);
			return -1;
		}
		node = xcalloc(1, sizeof *node);
		node->type = type;
		node->line = (int)line;
		node->start = ydoc_offset(p, ev->start_mark.index);
		ydoc_attach(p, node);
		p->stack[p->depth].node = node;
		p->stack[p->depth].key = NULL;
		p->stack[p->depth].key_line = 0;
		p->depth++;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (p->depth == 0)
			return 0;
		node = p->stack[p->depth - 1].node;
		node->end = ydoc_offset(p, ev->end_mark.index);
		p->depth--;
		if (node->type == YNODE_MAP)
			return ydoc_check_duplicates(p, node);
		return 0;
	}
	return 0;
}

/* Line (1-based) of a byte offset in the buffer. */
static size_t
ydoc_line_of(const struct ydoc_parse *p, size_t offset)
{
	size_t	i, line = 1;

	for (i = 0; i < offset && i < p->len; i++) {
		if (p->buf[i] == '\n')
			line++;
	}
	return line;
}

static void
ydoc_parser_error(struct ydoc_parse *p, const yaml_parser_t *parser)
{
	const char	*problem = parser->problem;
	size_t		 line;

	if (problem == NULL)
		problem = "invalid YAML";
	if (parser->error == YAML_READER_ERROR) {
		line = ydoc_line_of(p, p->base + parser->problem_offset);
		ydoc_error(p, line, "%s (the file must be UTF-8 text)",
		    problem);
		return;
	}
	if (parser->error == YAML_MEMORY_ERROR)
		fatal("out of memory parsing YAML");
	line = parser->problem_mark.line + 1;
	if (parser->context != NULL) {
		ydoc_error(p, line, "%s (%s at line %zu)", problem,
		    parser->context, parser->context_mark.line + 1);
	} else
		ydoc_error(p, line, "%s", problem);
}

static int
ydoc_parse_buf(const char *name, const char *buf, size_t len,
    size_t max_bytes, struct ynode **root, char **cause)
{
	struct ydoc_parse	 p;
	yaml_parser_t		 parser;
	yaml_event_t		 ev;
	int			 done = 0, i, error = 0;

	*root = NULL;
	if (len > max_bytes) {
		*cause = xasprintf("%s: file is larger than %zu bytes", name,
		    max_bytes);
		return -1;
	}

	memset(&p, 0, sizeof p);
	p.name = name;
	p.buf = (const unsigned char *)buf;
	p.len = len;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p.base = 3;
	p.bi = p.base;

	if (!yaml_parser_initialize(&parser))
		fatal("out of memory parsing YAML");
	/* The mark is skipped here: libyaml told the encoding would take
	 * it for a character of the document. */
	yaml_parser_set_input_string(&parser,
	    (const unsigned char *)buf + p.base, len - p.base);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ydoc_parser_error(&p, &parser);
			error = 1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (ydoc_event(&p, &ev) != 0)
			error = 1;
		yaml_event_delete(&ev);
		if (error)
			break;
	}
	yaml_parser_delete(&parser);

	for (i = 0; i < p.depth; i++)
		free(p.stack[i].key);
	if (error) {
		ynode_free(p.root);
		*cause = p.cause;
		return -1;
	}
	/* A document with nothing in it ("---" alone) is empty. */
	if (p.root != NULL && p.root->type == YNODE_SCALAR && p.root->plain &&
	    *p.root->scalar == '\0') {
		ynode_free(p.root);
		p.root = NULL;
	}
	*root = p.root;
	return 0;
}

int
ydoc_load_buf(const char *name, const char *buf, size_t len,
    struct ynode **root, char **cause)
{
	return ydoc_parse_buf(name, buf, len, YDOC_MAX_BYTES, root, cause);
}

int
ydoc_read_file(const char *path, size_t max_bytes, char **bufp, size_t *lenp,
    char **cause)
{
	struct stat	 sb;
	char		*buf;
	size_t		 len = 0, cap;
	ssize_t		 got;
	int		 fd;

	*bufp = NULL;
	*lenp = 0;
	/* O_NONBLOCK: a FIFO with no writer must not hang the caller (the
	 * TUI's reload); blocking reads again once it is open. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("cannot read %s: %s", path,
		    strerror(EISDIR));
		close(fd);
		return -1;
	}
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uintmax_t)sb.st_size > max_bytes) {
		*cause = xasprintf("%s: file is larger than %zu bytes", path,
		    max_bytes);
		close(fd);
		return -1;
	}

	cap = 8192;
	buf = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap > max_bytes)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		got = read(fd, buf + len, cap - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			*cause = xasprintf("cannot read %s: %s", path,
			    strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		len += got;
	}
	close(fd);
	if (len > max_bytes) {
		*cause = xasprintf("%s: file is larger than %zu bytes", path,
		    max_bytes);
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
ydoc_load_buf_max(const char *name, const char *buf, size_t len,
    size_t max_bytes, struct ynode **root, char **cause)
{
	return ydoc_parse_buf(name, buf, len, max_bytes, root, cause);
}

int
ydoc_load_file(const char *path, struct ynode **root, char **cause)
{
	char	*buf;
	size_t	 len;
	int	 rc;

	*root = NULL;
	if (ydoc_read_file(path, YDOC_MAX_BYTES, &buf, &len, cause) != 0)
		return -1;
	rc = ydoc_parse_buf(path, buf, len, YDOC_MAX_BYTES, root, cause);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------------
 * Scalar readers.
 */

/* What a value was, for "expected X, got Y". */
static char *
ynode_describe(const struct ynode *node)
{
	char	*v, *s;

	if (node == NULL)
		return xstrdup("nothing");
	switch (node->type) {
	case YNODE_MAP:
		return xstrdup("a mapping");
	case YNODE_SEQ:
		return xstrdup("a sequence");
	case YNODE_SCALAR:
		break;
	}
	if (node->plain && *node->scalar == '\0')
		return xstrdup("nothing (null)");
	v = ydoc_clean(node->scalar);
	if (node->plain)
		s = xasprintf("'%s'", v);
	else
		s = xasprintf("'%s' (a quoted string)", v);
	free(v);
	return s;
}

static int
ynode_fail(const struct ynode *node, const char *file, const char *key,
    const char *expected, char **cause)
{
	char	*where, *got;

	where = ydoc_where(file, node != NULL ? node->line : 0, key);
	got = ynode_describe(node);
	*cause = xasprintf("%sexpected %s, got %s", where, expected, got);
	free(where);
	free(got);
	return -1;
}

static int
ynode_out_of_range(const struct ynode *node, const char *file,
    const char *key, char **cause)
{
	char	*where, *v;

	where = ydoc_where(file, node->line, key);
	v = ydoc_clean(node->scalar);
	*cause = xasprintf("%snumber '%s' is out of range", where, v);
	free(where);
	free(v);
	return -1;
}

/* Plain decimal: [+-]? (0 | [1-9][0-9]*) (. [0-9]*)? ([eE] [+-]? [0-9]+)?
 * or [+-]? . [0-9]+ (exponent)?.  No hex, octal, underscores, inf, nan. */
static bool
ynode_is_decimal(const char *s)
{
	bool	int_digits = false, frac_digits = false;

	if (*s == '+' || *s == '-')
		s++;
	if (*s == '0') {
		int_digits = true;
		s++;
		if (*s >= '0' && *s <= '9')
			return false;	/* "010" is octal in YAML 1.1 */
	} else {
		while (*s >= '0' && *s <= '9') {
			int_digits = true;
			s++;
		}
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			frac_digits = true;
			s++;
		}
	}
	if (!int_digits && !frac_digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int
ynode_double(const struct ynode *node, const char *file, const char *key,
    double *out, char **cause)
{
	locale_t	 c;
	double		 v;

	if (node == NULL || node->type != YNODE_SCALAR || !node->plain ||
	    !ynode_is_decimal(node->scalar))
		return ynode_fail(node, file, key, "a number", cause);

	/* The grammar above is the C locale's, whatever LC_NUMERIC is. */
	if ((c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		fatal("cannot create the C locale");
	v = strtod_l(node->scalar, NULL, c);
	freelocale(c);
	if (!isfinite(v))
		return ynode_out_of_range(node, file, key, cause);
	*out = v;
	return 0;
}

int
ynode_uint(const struct ynode *node, const char *file, const char *key,
    uint64_t *out, char **cause)
{
	const char	*s;
	uint64_t	 v = 0;

	if (node == NULL || node->type != YNODE_SCALAR || !node->plain)
		goto bad;
	s = node->scalar;
	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		goto bad;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) {
			/* Keep checking it is a number at all. */
			while (*s >= '0' && *s <= '9')
				s++;
			if (*s != '\0')
				goto bad;
			return ynode_out_of_range(node, file, key, cause);
		}
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;

bad:
	return ynode_fail(node, file, key, "a whole number (0 or more)", cause);
}

int
ynode_string(const struct ynode *node, const char *file, const char *key,
    const char **out, char **cause)
{
	if (node == NULL || node->type != YNODE_SCALAR)
		return ynode_fail(node, file, key, "a string", cause);
	*out = node->scalar;
	return 0;
}

int
ynode_bool(const struct ynode *node, const char *file, const char *key,
    bool *out, char **cause)
{
	if (node != NULL && node->type == YNODE_SCALAR && node->plain) {
		if (strcmp(node->scalar, "true") == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(node->scalar, "false") == 0) {
			*out = false;
			return 0;
		}
	}
	return ynode_fail(node, file, key, "true or false", cause);
}
