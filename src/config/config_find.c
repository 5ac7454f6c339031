/*
 * config_find.c - which configuration file exectop reads: -c FILE, else
 * $EXECTOP_CONFIG, else the user's XDG config.yaml, else the installed
 * default, else none (built-in defaults).  The TUI, report, baseline and
 * `exectop config --print` (which shows the outcome) all ask here.
 */
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "paths.h"
#include "xmalloc.h"

/* See config.h for the order. */
void
config_find(const char *arg, struct config_source *src)
{
	const char	*env = getenv("EXECTOP_CONFIG"), *x;
	char		*dir, *p;

	src->path = NULL;
	src->origin = "built-in defaults";
	if (arg != NULL) {
		src->path = xstrdup(arg);
		src->origin = "-c";
		return;
	}
	if (env != NULL && *env != '\0') {
		src->path = xstrdup(env);
		src->origin = "$EXECTOP_CONFIG";
		return;
	}
	if ((dir = paths_user_dir()) != NULL) {
		p = xasprintf("%s/config.yaml", dir);
		free(dir);
		if (access(p, F_OK) == 0) {
			x = getenv("XDG_CONFIG_HOME");
			src->path = p;
			src->origin = x != NULL && x[0] == '/' ?
			    "$XDG_CONFIG_HOME/exectop/config.yaml" :
			    "~/.config/exectop/config.yaml";
			return;
		}
		free(p);
	}
	if ((dir = paths_data_dir()) != NULL) {
		p = xasprintf("%s/exectop.yaml", dir);
		free(dir);
		if (access(p, F_OK) == 0) {
			src->path = p;
			src->origin = "installed default";
			return;
		}
		free(p);
	}
}
