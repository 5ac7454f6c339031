/*
 * config_write.c - writing tuned values (thresholds, critical_factor,
 * min_samples, significance) back into the config file.
 *
 * config_write_back() edits the file text rather than re-emitting YAML:
 * it parses the file again, replaces the bytes of each tuned scalar, and
 * inserts lines for keys the file does not have, so every comment, blank
 * line and the key order survive.  The new text is loaded again before it
 * is written (atomically) to be sure it says what was meant.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "config.h"
#include "metric.h"
#include "numfmt.h"
#include "xmalloc.h"
#include "ydoc.h"
#include "ydoc_int.h"
#include "config_int.h"

struct config_edit {
	size_t	 at;		/* replace [at, end) with text */
	size_t	 end;
	char	*text;
	size_t	 seq;		/* order of edits at the same place */
};

struct config_edits {
	struct config_edit	*v;
	size_t			 n;
	size_t			 cap;
};

static void
config_edit_add(struct config_edits *e, size_t at, size_t end, char *text)
{
	if (e->n == e->cap) {
		e->cap = e->cap == 0 ? 16 : e->cap * 2;
		e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
	}
	e->v[e->n].at = at;
	e->v[e->n].end = end;
	e->v[e->n].text = text;
	e->v[e->n].seq = e->n;
	e->n++;
}

static int
config_edit_cmp(const void *a, const void *b)
{
	const struct config_edit	*x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/* The shortest text that reads back as exactly v, in the C locale. */
static char *
config_format_double(double v)
{
	char	buf[NUMFMT_LEN];

	numfmt_double(buf, sizeof buf, v);
	return xstrdup(buf);
}

/* Offset of the start of a 1-based line. */
static size_t
config_line_start(const char *buf, size_t len, int line)
{
	size_t	i = 0;

	while (line > 1 && i < len) {
		if (buf[i++] == '\n')
			line--;
	}
	return i;
}

/* Spaces at the start of a line. */
static int
config_indent(const char *buf, size_t len, int line)
{
	size_t	i = config_line_start(buf, len, line), n = 0;

	while (i + n < len && buf[i + n] == ' ')
		n++;
	return (int)n;
}

static bool
config_is_flow(const char *buf, const struct ynode *node)
{
	return node->type != YNODE_SCALAR &&
	    (buf[node->start] == '{' || buf[node->start] == '[');
}

/* End of the last thing written for a node (past any nested block). */
static size_t
config_last_end(const char *buf, const struct ynode *node)
{
	while (node->type != YNODE_SCALAR && !config_is_flow(buf, node) &&
	    node->n > 0)
		node = node->items[node->n - 1];
	return node->end;
}

/* Where a new line goes after a node: the start of the next line.  *nl
 * is set when the file ends without a newline there. */
static size_t
config_after_line(const char *buf, size_t len, size_t pos, bool *nl)
{
	*nl = false;
	if (pos > 0 && buf[pos - 1] == '\n')
		return pos;
	while (pos < len && buf[pos] != '\n')
		pos++;
	if (pos < len)
		return pos + 1;
	*nl = true;
	return len;
}

/* Value text of a tuned key, or NULL with *cause set when invalid. */
static char *
config_value_text(const struct config *cfg, const char *key, char **cause)
{
	int	m;

	if (strcmp(key, "min_samples") == 0) {
		if (cfg->min_samples < 1)
			goto bad;
		return xasprintf("%u", cfg->min_samples);
	}
	if (strcmp(key, "critical_factor") == 0) {
		if (!isfinite(cfg->critical_factor) || cfg->critical_factor < 1)
			goto bad;
		return config_format_double(cfg->critical_factor);
	}
	if (strcmp(key, "significance") == 0) {
		if (!(cfg->significance >= 0 && cfg->significance < 1))
			goto bad;
		return config_format_double(cfg->significance);
	}
	m = metric_from_name(key);
	if (m >= 0 && !cfg->has_threshold[m])
		return xstrdup("off");
	if (m < 0 || !isfinite(cfg->threshold[m]) || cfg->threshold[m] < 0)
		goto bad;
	return config_format_double(cfg->threshold[m]);

bad:
	*cause = xasprintf("cannot write %s: %s is out of range", cfg->path,
	    key);
	return NULL;
}

static const char *config_tuned[] = {
	"critical_factor", "min_samples", "significance"
};
#define CONFIG_NTUNED (sizeof config_tuned / sizeof config_tuned[0])

/*
 * Adds "key: value" entries to a mapping that lacks them: inside the
 * braces of a flow mapping, or as lines after the last entry of a block
 * one.  entries[] holds "key: value" strings.
 */
static void
config_insert(struct config_edits *edits, const char *buf, size_t len,
    const struct ynode *map, int indent, char **entries, size_t n)
{
	size_t	 i, at;
	bool	 nl;
	char	*text, *t;

	if (n == 0)
		return;
	if (map != NULL && config_is_flow(buf, map)) {
		at = map->end - 1;	/* the closing brace */
		text = xstrdup("");
		for (i = 0; i < n; i++) {
			t = xasprintf("%s%s%s", text,
			    (map->n > 0 || i > 0) ? ", " : "", entries[i]);
			free(text);
			text = t;
		}
		config_edit_add(edits, at, at, text);
		return;
	}
	if (map != NULL)
		at = config_after_line(buf, len, config_last_end(buf, map),
		    &nl);
	else {
		at = len;
		nl = len > 0 && buf[len - 1] != '\n';
	}
	text = xstrdup(nl ? "\n" : "");
	for (i = 0; i < n; i++) {
		t = xasprintf("%s%*s%s\n", text, indent, "", entries[i]);
		free(text);
		text = t;
	}
	config_edit_add(edits, at, at, text);
}

/* Works out the edits for cfg's tuned values in a parsed file. */
static int
config_plan(const struct config *cfg, const char *buf, size_t len,
    const struct ynode *root, struct config_edits *edits, char **cause)
{
	const struct ynode	*thr, *v;
	struct config		 defaults;
	char			*root_add[CONFIG_NTUNED + 1];
	char			*thr_add[METRIC_COUNT];
	size_t			 nroot = 0, nthr = 0, i;
	char			*value, *block, *t;
	int			 m, root_indent = 0, thr_indent;
	bool			 flow_root;

	if (root != NULL && root->type != YNODE_MAP) {
		*cause = xasprintf("cannot write %s: the file is not a mapping",
		    cfg->path);
		return -1;
	}
	if (root != NULL && root->n > 0)
		root_indent = config_indent(buf, len, root->key_lines[0]);
	flow_root = root != NULL && config_is_flow(buf, root);

	thr = ynode_get(root, "thresholds");
	if (thr != NULL && thr->type != YNODE_MAP) {
		*cause = xasprintf("cannot write %s: thresholds is not a "
		    "mapping", cfg->path);
		return -1;
	}

	/* The thresholds; one that is off but on by default is written as
	 * "off", one off by default and absent from the file is left out. */
	config_defaults(&defaults);
	for (m = 0; m < METRIC_COUNT; m++) {
		v = ynode_get(thr, metric_name(m));
		if (!cfg->has_threshold[m] && v == NULL &&
		    !defaults.has_threshold[m])
			continue;
		if ((value = config_value_text(cfg, metric_name(m),
		    cause)) == NULL)
			goto fail;
		if (v != NULL && v->type == YNODE_SCALAR) {
			config_edit_add(edits, v->start, v->end, value);
			continue;
		}
		if (v != NULL) {
			*cause = xasprintf("cannot write %s: thresholds.%s is "
			    "not a number", cfg->path, metric_name(m));
			free(value);
			goto fail;
		}
		thr_add[nthr++] = xasprintf("%s: %s", metric_name(m), value);
		free(value);
	}
	if (thr != NULL) {
		thr_indent = thr->n > 0 ?
		    config_indent(buf, len, thr->key_lines[0]) :
		    root_indent + 2;
		config_insert(edits, buf, len, thr, thr_indent, thr_add, nthr);
	} else if (nthr > 0) {
		/* A new thresholds block among the root's additions. */
		if (flow_root)
			block = xstrdup("thresholds: {");
		else
			block = xstrdup("thresholds:");
		for (i = 0; i < nthr; i++) {
			if (flow_root) {
				t = xasprintf("%s%s%s", block,
				    i > 0 ? ", " : "", thr_add[i]);
			} else {
				t = xasprintf("%s\n%*s%s", block,
				    root_indent + 2, "", thr_add[i]);
			}
			free(block);
			block = t;
		}
		if (flow_root) {
			t = xasprintf("%s}", block);
			free(block);
			block = t;
		}
		root_add[nroot++] = block;
	}
	for (i = 0; i < nthr; i++)
		free(thr_add[i]);
	nthr = 0;

	/* critical_factor, min_samples, significance. */
	for (i = 0; i < CONFIG_NTUNED; i++) {
		if ((value = config_value_text(cfg, config_tuned[i],
		    cause)) == NULL)
			goto fail;
		v = ynode_get(root, config_tuned[i]);
		if (v != NULL && v->type == YNODE_SCALAR) {
			config_edit_add(edits, v->start, v->end, value);
			continue;
		}
		if (v != NULL) {
			*cause = xasprintf("cannot write %s: %s is not a "
			    "number", cfg->path, config_tuned[i]);
			free(value);
			goto fail;
		}
		root_add[nroot++] = xasprintf("%s: %s", config_tuned[i],
		    value);
		free(value);
	}
	config_insert(edits, buf, len, root, root_indent, root_add, nroot);
	for (i = 0; i < nroot; i++)
		free(root_add[i]);
	return 0;

fail:
	for (i = 0; i < nthr; i++)
		free(thr_add[i]);
	for (i = 0; i < nroot; i++)
		free(root_add[i]);
	return -1;
}

/* The file text with the edits made. */
static char *
config_apply_edits(const char *buf, size_t len, struct config_edits *edits,
    size_t *outlen)
{
	char	*out;
	size_t	 i, pos = 0, n = 0, cap = len + 1;

	for (i = 0; i < edits->n; i++)
		cap += strlen(edits->v[i].text);
	out = xmalloc(cap);
	qsort(edits->v, edits->n, sizeof *edits->v, config_edit_cmp);
	for (i = 0; i < edits->n; i++) {
		struct config_edit	*e = &edits->v[i];
		size_t			 tl = strlen(e->text);

		memcpy(out + n, buf + pos, e->at - pos);
		n += e->at - pos;
		memcpy(out + n, e->text, tl);
		n += tl;
		pos = e->end;
	}
	memcpy(out + n, buf + pos, len - pos);
	n += len - pos;
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* True when the rewritten file reads back as the values meant. */
static bool
config_same_tuned(const struct config *a, const struct config *b)
{
	int	m;

	for (m = 0; m < METRIC_COUNT; m++) {
		if (a->has_threshold[m] != b->has_threshold[m])
			return false;
		if (a->has_threshold[m] && a->threshold[m] != b->threshold[m])
			return false;
	}
	return a->critical_factor == b->critical_factor &&
	    a->min_samples == b->min_samples &&
	    a->significance == b->significance;
}

int
config_write_back(const struct config *cfg, char **cause)
{
	struct config_edits	 edits = { NULL, 0, 0 };
	struct atomic_file	 af;
	struct config		 check;
	struct ynode		*root;
	char			*buf, *out, *why;
	size_t			 len, outlen, i;
	FILE			*fp;
	int			 rc = -1;

	if (cfg->path == NULL) {
		*cause = xstrdup("no configuration file to write to");
		return -1;
	}
	if (ydoc_read_file(cfg->path, YDOC_MAX_BYTES, &buf, &len, cause) != 0)
		return -1;
	if (ydoc_load_buf(cfg->path, buf, len, &root, cause) != 0) {
		free(buf);
		return -1;
	}
	if (config_plan(cfg, buf, len, root, &edits, cause) != 0) {
		ynode_free(root);
		goto out;
	}
	ynode_free(root);
	out = config_apply_edits(buf, len, &edits, &outlen);

	/* Never write a file that would not load back to these values. */
	if (config_load_buf(&check, cfg->path, out, outlen, &why) != 0) {
		*cause = xasprintf("cannot write %s: the edited file would not "
		    "load (%s)", cfg->path, why);
		free(why);
		free(out);
		goto out;
	}
	if (!config_same_tuned(cfg, &check)) {
		*cause = xasprintf("cannot write %s: the edited file does not "
		    "read back as the new values", cfg->path);
		config_free(&check);
		free(out);
		goto out;
	}
	config_free(&check);

	if ((fp = atomic_open(&af, cfg->path, cause)) == NULL) {
		free(out);
		goto out;
	}
	if (fwrite(out, 1, outlen, fp) != outlen) {
		*cause = xasprintf("cannot write %s: %s", cfg->path,
		    strerror(errno));
		atomic_abort(&af);
		free(out);
		goto out;
	}
	free(out);
	rc = atomic_commit(&af, cause);

out:
	for (i = 0; i < edits.n; i++)
		free(edits.v[i].text);
	free(edits.v);
	free(buf);
	return rc;
}
