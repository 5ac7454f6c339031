/*
 * config_int.h - what config.c gives the rest of src/config (the writer
 * loads its edited text before writing it).
 */
#ifndef EXECTOP_CONFIG_INT_H
#define EXECTOP_CONFIG_INT_H

#include <stddef.h>

struct config;

/* Loads a configuration held in memory (path names it in messages);
 * *cfg is only written on success. */
int	config_load_buf(struct config *cfg, const char *path, const char *buf,
	    size_t len, char **cause);

#endif
