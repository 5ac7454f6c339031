/*
 * paths.c - locating the shipped data (default config, demo baseline,
 * themes) relative to the running binary, and the user's config
 * directory (XDG), and finding a theme by name.  See paths.h for the
 * layouts.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "xmalloc.h"

static bool
paths_is_dir(const char *p)
{
	struct stat	st;

	return p != NULL && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
paths_is_file(const char *p)
{
	struct stat	st;

	return p != NULL && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *
paths_exe_dir(void)
{
	char	 exe[PATH_MAX], *slash;
	ssize_t	 n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	if (slash == exe)
		return xstrdup("/");
	*slash = '\0';
	return xstrdup(exe);
}

/* The binary's parent directory (PREFIX or ROOT), NULL when unknown. */
static char *
paths_prefix(void)
{
	char	*dir, *slash;

	if ((dir = paths_exe_dir()) == NULL)
		return NULL;
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		return NULL;
	}
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

/* ROOT when the binary runs from a source tree (ROOT/config/exectop.yaml
 * next to ROOT/build), else NULL. */
static char *
paths_source_root(void)
{
	char	*root, *f;
	bool	 ok;

	if ((root = paths_prefix()) == NULL)
		return NULL;
	f = xasprintf("%s/config/exectop.yaml", root);
	ok = paths_is_file(f);
	free(f);
	if (!ok) {
		free(root);
		return NULL;
	}
	return root;
}

char *
paths_data_dir(void)
{
	char	*prefix, *dir, *root;

	if ((prefix = paths_prefix()) != NULL) {
		dir = xasprintf("%s/share/exectop", prefix);
		free(prefix);
		if (paths_is_dir(dir))
			return dir;
		free(dir);
	}
	if ((root = paths_source_root()) != NULL) {
		free(root);
		return NULL;
	}
#ifdef EXECTOP_DATADIR
	if (paths_is_dir(EXECTOP_DATADIR))
		return xstrdup(EXECTOP_DATADIR);
#endif
	return NULL;
}

char *
paths_shipped_dir(void)
{
	char	*dir, *root;

	if ((dir = paths_data_dir()) != NULL)
		return dir;
	if ((root = paths_source_root()) != NULL) {
		dir = xasprintf("%s/config", root);
		free(root);
		return dir;
	}
	return NULL;
}

char *
paths_user_dir(void)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *home;

	/* The XDG spec: a relative value is invalid and ignored. */
	if (x != NULL && x[0] == '/')
		return xasprintf("%s/exectop", x);
	home = getenv("HOME");
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.config/exectop", home);
	return NULL;
}

/* Whether two paths name the same directory. */
static bool
paths_same(const char *a, const char *b)
{
	struct stat	sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Appends dir (taking it) when it exists and is not listed yet. */
static void
paths_add(char ***list, size_t *n, char *dir)
{
	size_t	i;

	if (dir == NULL)
		return;
	if (!paths_is_dir(dir)) {
		free(dir);
		return;
	}
	for (i = 0; i < *n; i++) {
		if (paths_same((*list)[i], dir)) {
			free(dir);
			return;
		}
	}
	(*list)[(*n)++] = dir;
}

char **
paths_theme_dirs(void)
{
	char	**list, *d;
	size_t	  n = 0;

	list = xcalloc(5, sizeof *list);
	if ((d = paths_user_dir()) != NULL) {
		paths_add(&list, &n, xasprintf("%s/themes", d));
		free(d);
	}
	if ((d = paths_source_root()) != NULL) {
		paths_add(&list, &n, xasprintf("%s/themes", d));
		free(d);
	}
	if ((d = paths_data_dir()) != NULL) {
		paths_add(&list, &n, xasprintf("%s/themes", d));
		free(d);
	}
	paths_add(&list, &n, xstrdup("themes"));
	list[n] = NULL;
	return list;
}

void
paths_list_free(char **list)
{
	size_t	i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

char *
paths_theme_find(const char *name, char **cause)
{
	char		**dirs, *path, *tried;
	struct stat	  st;
	size_t		  i, len = strlen(name);

	if (strchr(name, '/') != NULL ||
	    (len > 5 && strcmp(name + len - 5, ".yaml") == 0)) {
		if (stat(name, &st) == -1) {
			*cause = xasprintf("theme %s: %s", name, strerror(errno));
			return NULL;
		}
		return xstrdup(name);
	}
	if (len == 0 || name[0] == '.') {
		*cause = xasprintf("theme '%s': not a theme name", name);
		return NULL;
	}
	dirs = paths_theme_dirs();
	tried = xstrdup("");
	for (i = 0; dirs[i] != NULL; i++) {
		path = xasprintf("%s/%s.yaml", dirs[i], name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			free(tried);
			paths_list_free(dirs);
			return path;
		}
		free(path);
		path = xasprintf("%s%s%s", tried, i > 0 ? ", " : "", dirs[i]);
		free(tried);
		tried = path;
	}
	*cause = xasprintf("theme '%s' not found (looked in %s)", name, tried);
	free(tried);
	paths_list_free(dirs);
	return NULL;
}

static int
paths_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
paths_theme_names(size_t *np)
{
	char		**dirs, **names = NULL, *name;
	DIR		 *d;
	struct dirent	 *de;
	size_t		  i, j, n = 0, len;

	dirs = paths_theme_dirs();
	for (i = 0; dirs[i] != NULL; i++) {
		if ((d = opendir(dirs[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			if (len <= 5 || de->d_name[0] == '.' ||
			    strcmp(de->d_name + len - 5, ".yaml") != 0)
				continue;
			name = xstrndup(de->d_name, len - 5);
			for (j = 0; j < n; j++) {
				if (strcmp(names[j], name) == 0)
					break;
			}
			if (j < n) {
				free(name);
				continue;
			}
			names = xreallocarray(names, n + 2, sizeof *names);
			names[n++] = name;
		}
		closedir(d);
	}
	paths_list_free(dirs);
	if (names == NULL)
		names = xcalloc(1, sizeof *names);
	else
		qsort(names, n, sizeof *names, paths_name_cmp);
	names[n] = NULL;
	*np = n;
	return names;
}

bool
paths_theme_builtin(const char *name)
{
	return strcmp(name, "default") == 0 || strcmp(name, "mono") == 0;
}
