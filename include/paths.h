/*
 * paths.h - where exectop finds its shipped files (default config, the
 * demo's baseline, themes) and the user's own config directory, without
 * the source tree.
 *
 * Two layouts are recognised from the running binary (/proc/self/exe):
 *   installed    PREFIX/bin/exectop, PREFIX/share/exectop/{exectop.yaml,
 *                baseline.yaml,themes/}
 *   source tree  ROOT/build/exectop, ROOT/config/{exectop.yaml,
 *                baseline.yaml}, ROOT/themes/
 * When the binary is in neither (copied elsewhere, /proc missing), the
 * compile-time EXECTOP_DATADIR (the Makefile passes $(PREFIX)/share/exectop)
 * is used if it exists.  A binary in a source tree never looks at
 * EXECTOP_DATADIR, so an older installed copy cannot leak into tests.
 *
 * Every function returns malloc'd strings (or NULL) the caller frees.
 */
#ifndef EXECTOP_PATHS_H
#define EXECTOP_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The directory of the running binary, NULL when unknown. */
char	*paths_exe_dir(void);
/* The installed data directory (PREFIX/share/exectop) that belongs to
 * this binary, NULL when there is none (e.g. in a source tree). */
char	*paths_data_dir(void);
/* The directory of the shipped exectop.yaml and baseline.yaml: the data
 * directory when installed, ROOT/config in a source tree; NULL when
 * neither exists. */
char	*paths_shipped_dir(void);
/* The user's config directory: $XDG_CONFIG_HOME/exectop when that is set
 * and absolute, else $HOME/.config/exectop; NULL without either.  Not
 * checked for existence. */
char	*paths_user_dir(void);
/*
 * The directories searched for NAME.yaml themes, in order: the user's
 * (paths_user_dir()/themes), the source tree's ROOT/themes, the data
 * directory's themes, then ./themes.  Only directories that exist are
 * listed.  NULL-terminated; free with paths_list_free().
 */
char	**paths_theme_dirs(void);
void	 paths_list_free(char **);
/*
 * Finds a theme, for the TUI and `exectop config` alike: a value
 * containing '/' or ending ".yaml" is that file (it must exist); any
 * other is NAME.yaml, a regular file, in paths_theme_dirs() order (an
 * empty NAME or one starting with '.' is refused).  Returns the path, or
 * NULL with *cause (malloc'd).
 */
char	*paths_theme_find(const char *name, char **cause);
/* True for the themes built into the binary ("default", "mono"): they
 * load even when paths_theme_find() finds no file. */
bool	 paths_theme_builtin(const char *name);
/* Names of every NAME.yaml in those directories, sorted, without
 * duplicates; NULL-terminated, free with paths_list_free(). */
char	**paths_theme_names(size_t *n);

#endif
