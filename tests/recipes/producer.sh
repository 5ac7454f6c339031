#!/bin/sh
# producer.sh - replay an existing JSON log into exectop with jq.
#
#   producer.sh LOG [FIFO]
#
# LOG holds ExecutorMetrics objects: a JSON array, or objects one after
# another (pretty-printed or not).  jq -c prints each as one compact line;
# --unbuffered flushes after every line, so each line leaves in one write()
# (lines up to 4 KiB stay whole even when other producers share the FIFO).
# Without FIFO the lines go to stdout (pipe them into `exectop -`).
# Writing to a FIFO waits for a reader: this replays a log, it is not a
# live pipeline (see producer.py for that).
set -eu
log=$1
filter='if type == "array" then .[] else . end'
if [ $# -ge 2 ]; then
	exec jq -c --unbuffered "$filter" "$log" > "$2"
fi
exec jq -c --unbuffered "$filter" "$log"
