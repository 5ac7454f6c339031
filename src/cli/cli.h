/*
 * cli.h - what the command files of exectop share (internal to src/cli):
 * the parsed command line, the command table entry each cmd_*.c defines
 * (tmux's cmd_entry), and the helpers every command uses.
 *
 * Exit status: 0 fine, 1 the regression gate tripped (report --fail-on),
 * 2 usage, config or input error, 3 report read no valid record or more
 * invalid ones than --max-invalid.  Every error goes to stderr prefixed
 * "exectop: ".
 */
#ifndef EXECTOP_CLI_H
#define EXECTOP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "baseline.h"
#include "config.h"
#include "gen.h"
#include "model.h"
#include "tui.h"

#define EXECTOP_VERSION "0.1.0"

enum cli_cmd {
	CMD_TUI = 1 << 0,
	CMD_REPORT = 1 << 1,
	CMD_BASELINE = 1 << 2,
	CMD_GEN = 1 << 3,
	CMD_DEMO = 1 << 4,
	CMD_CONFIG = 1 << 5,
	CMD_ALL = (1 << 6) - 1
};

struct cli;

/* One command: defined by its cmd_*.c, listed in cli_commands. */
struct cli_command {
	const char	*name;		/* "tui" for the default command */
	enum cli_cmd	 cmd;
	const char	*synopsis;
	const char	*about;		/* one line, for `exectop --help` */
	const char	*text;		/* the paragraph of `COMMAND --help` */
	int		(*exec)(struct cli *);
};

/* Everything the command line can say; each command reads its part. */
struct cli {
	enum cli_cmd	 cmd;
	const char	*config;
	const char	*baseline;
	const char	*output;
	int		 format;
	int		 fail_on;	/* SEV_* or -1 for never */
	int64_t		 max_invalid;	/* --max-invalid, -1 for no limit */
	bool		 fail_on_missing;
	bool		 from_start;	/* --from-start: Redis streams replayed */
	unsigned	 timeout;	/* --timeout seconds, 0 = none */
	unsigned	 threads;	/* parser threads for regular files */
	struct tui_opts	 tui;
	struct gen_opts	 gen;
	char		**sources;
	size_t		 nsources;
};

extern const struct cli_command cli_cmd_tui;
extern const struct cli_command cli_cmd_report;
extern const struct cli_command cli_cmd_baseline;
extern const struct cli_command cli_cmd_gen;
extern const struct cli_command cli_cmd_demo;
extern const struct cli_command cli_cmd_config;

/* cli.c: the command and option tables, --help, parsing. */
const struct cli_command *cli_command_of(enum cli_cmd);
void	 cli_parse(struct cli *, int, char **);
void	 usage_error(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/* cli_common.c: what several commands load and print. */
int	 cli_load(const struct cli *, struct config *, struct baseline **);
const char *cli_baseline_path(const struct cli *, const struct config *,
	    const char **);
struct model *cli_ingest(const struct cli *, const struct config *,
	    const struct baseline *);

#endif
