/*
 * ydoc.h - a small, strict YAML document tree on top of libyaml events.
 *
 * One document, nodes carry their line and byte offsets.  Rejected with a
 * "file:line: reason" cause: aliases and anchors ("aliases are not
 * allowed"), duplicate keys, non-scalar keys, nesting deeper than
 * YDOC_MAX_DEPTH, more than one document, files over YDOC_MAX_BYTES.
 * Config, baseline and theme loaders all read through it.
 */
#ifndef EXECTOP_YDOC_H
#define EXECTOP_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YDOC_MAX_DEPTH	32
#define YDOC_MAX_BYTES	(1024 * 1024)

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_type	 type;
	int		 line;		/* 1-based */
	size_t		 start;		/* byte offsets in the file */
	size_t		 end;
	char		*scalar;	/* YNODE_SCALAR */
	bool		 plain;		/* unquoted scalar */
	size_t		 n;		/* items or pairs */
	char		**keys;		/* YNODE_MAP */
	int		*key_lines;	/* YNODE_MAP */
	struct ynode	**items;	/* values (MAP) or items (SEQ) */
};

/* *root is NULL for an empty document.  Returns -1 with *cause set. */
int	ydoc_load_file(const char *path, struct ynode **root, char **cause);
int	ydoc_load_buf(const char *name, const char *buf, size_t len,
	    struct ynode **root, char **cause);
void	ynode_free(struct ynode *);
/* Value of a key in a map, NULL when absent. */
const struct ynode *ynode_get(const struct ynode *, const char *key);

/* Strict scalar readers: 0 on success, -1 with *cause naming
 * file:line and key.  Numbers are decimal only ("0x1F", "010", ".nan",
 * "yes" are rejected). */
int	ynode_double(const struct ynode *, const char *file, const char *key,
	    double *out, char **cause);
int	ynode_uint(const struct ynode *, const char *file, const char *key,
	    uint64_t *out, char **cause);
int	ynode_string(const struct ynode *, const char *file, const char *key,
	    const char **out, char **cause);
int	ynode_bool(const struct ynode *, const char *file, const char *key,
	    bool *out, char **cause);

#endif
