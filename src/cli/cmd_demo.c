/*
 * cmd_demo.c - `exectop demo` (make run): the live UI fed by the
 * generator through a real FIFO, on copies of the shipped config and the
 * demo's baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "paths.h"
#include "xmalloc.h"

static int	cmd_demo(struct cli *);

const struct cli_command cli_cmd_demo = {
	"demo", CMD_DEMO,
	"exectop demo [--theme NAME|FILE] [--no-mouse] [--no-color]",
	"the TUI fed by the generator through a FIFO (make run)",
	"Runs the live UI on the generator (200 records/s, D1-Q2 slowed 3x)\n"
	"through a real FIFO, with the shipped config and the demo's\n"
	"baseline (next to the binary, in the source tree or installed):\n"
	"a CRIT alert shows within seconds.\n",
	cmd_demo
};

/* Copies src into dir/name; returns the copy's path, NULL on failure. */
static char *
demo_copy(const char *src, const char *dir, const char *name)
{
	char	 buf[65536], *dst;
	size_t	 n;
	FILE	*in, *out;
	int	 ok = 1;

	if ((in = fopen(src, "rb")) == NULL)
		return NULL;
	dst = xasprintf("%s/%s", dir, name);
	if ((out = fopen(dst, "wb")) == NULL)
		ok = 0;
	while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	ok = ok && !ferror(in);
	if (out != NULL && fclose(out) != 0)
		ok = 0;
	fclose(in);
	if (!ok) {
		unlink(dst);
		free(dst);
		return NULL;
	}
	return dst;
}

static int
cmd_demo(struct cli *c)
{
	char		 tmpl[] = "/tmp/exectop-demo.XXXXXX", *fifo, *dir;
	char		*config = NULL, *baseline = NULL;
	pid_t		 pid;
	int		 rc, fd, status;

	if (c->nsources != 0)
		usage_error("demo: unexpected argument '%s'", c->sources[0]);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "exectop: demo: %s\n", strerror(errno));
		return 2;
	}
	/*
	 * The shipped config and the demo's baseline (ROOT/config in a source
	 * tree, PREFIX/share/exectop when installed), copied next to the FIFO:
	 * the threshold editor's `w` and the `b` key then change the copies,
	 * never the shipped files.
	 */
	if ((dir = paths_shipped_dir()) != NULL) {
		char	*src = xasprintf("%s/exectop.yaml", dir);

		config = demo_copy(src, tmpl, "exectop.yaml");
		free(src);
		src = xasprintf("%s/baseline.yaml", dir);
		baseline = demo_copy(src, tmpl, "baseline.yaml");
		free(src);
		free(dir);
	}
	if (config == NULL)
		fprintf(stderr, "exectop: demo: no shipped config found next "
		    "to the binary; using the built-in defaults\n");
	fifo = xasprintf("%s/records.fifo", tmpl);
	if (mkfifo(fifo, 0600) == -1) {
		fprintf(stderr, "exectop: demo: mkfifo %s: %s\n", fifo,
		    strerror(errno));
		rc = 2;
		goto out;
	}

	/* The producer: the generator at a steady rate, one executor slowed. */
	c->gen.records = 0;
	c->gen.rate = 200;
	c->gen.executors = 10;
	if (c->gen.nslow == 0)
		gen_add_slow(&c->gen, "D1-Q2:3");
	c->gen.seed = (uint64_t)time(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "exectop: demo: fork: %s\n", strerror(errno));
		rc = 2;
		goto out;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_IGN);
		if ((fd = open(fifo, O_WRONLY)) == -1)
			_exit(2);
		gen_run(&c->gen, fd);
		_exit(0);
	}
	c->tui.config_path = config;
	c->tui.baseline_path = baseline;
	c->tui.sources = &fifo;
	c->tui.nsources = 1;
	rc = tui_run(&c->tui);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
out:
	unlink(fifo);
	if (config != NULL)
		unlink(config);
	if (baseline != NULL)
		unlink(baseline);
	rmdir(tmpl);
	free(fifo);
	free(config);
	free(baseline);
	return rc;
}
