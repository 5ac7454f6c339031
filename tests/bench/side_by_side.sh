#!/bin/sh
# side_by_side.sh - issue 10's rows: `exectop report -j 1`, `-j 2`, the
# stdlib Python script (py_report.py) and DuckDB (read_json + GROUP BY
# executor_id, duckdb_report.mjs) on the same file in the same run, with
# the ratios against issue 10's targets.  DuckDB comes from npm's
# @duckdb/node-api, installed into DIR/duckdb when node and npm are there
# (skipped with a note otherwise).  Wall-clock seconds, so load on the
# machine shows; nothing is asserted.  Appends a table to DIR/side.md.
#   usage: side_by_side.sh EXECTOP DIR [RECORDS...]   (default 200000 2000000)
set -eu
bin=$1 dir=$2
shift 2
[ $# -gt 0 ] || set -- 200000 2000000
here=$(cd "$(dirname "$0")" && pwd)
md=$dir/side.md
mods=$dir/duckdb

duck=
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	if [ ! -d "$mods/node_modules/@duckdb/node-api" ]; then
		mkdir -p "$mods"
		npm install --prefix "$mods" --no-audit --no-fund \
		    --loglevel=error @duckdb/node-api >/dev/null 2>&1 || true
	fi
	[ -d "$mods/node_modules/@duckdb/node-api" ] && duck=1
fi

secs() {	# secs CMD... -> wall seconds
	s=$(date +%s.%N)
	"$@" >/dev/null
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.2f", $2 - $1 }'
}
rate() { echo "$1 $2" | awk '{ printf "%.0f", $1 / $2 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

{
	echo "## Side by side (tests/bench/side_by_side.sh)"
	echo
	echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1),"\
	    "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
	echo
	echo "| file | what | seconds | records/s | target | |"
	echo "| --- | --- | --- | --- | --- | --- |"
} > "$md"

for n in "$@"; do
	f=$dir/side-$n.jsonl
	[ -s "$f" ] || "$bin" gen --records "$n" --executors 100 --methods 5 > "$f"
	name="$((n / 1000))k x 5 methods"
	j1=$(secs "$bin" report --fail-on never -j 1 "$f")
	j2=$(secs "$bin" report --fail-on never -j 2 "$f")
	py=
	if command -v python3 >/dev/null 2>&1; then
		py=$(python3 "$here/py_report.py" "$f" |
		    sed -n 's/.* in \([0-9.]*\) s:.*/\1/p')
	fi
	dk=
	if [ -n "$duck" ]; then
		dk=$(node "$here/duckdb_report.mjs" "$mods" "$f" 2 |
		    sed -n 's/.* in \([0-9.]*\) s:.*/\1/p') || dk=
	fi
	{
		if [ -n "$py" ]; then
			v=$(ratio "$py" "$j1")
			ok=$(echo "$v $(rate "$n" "$j1")" |
			    awk '{ print ($1 >= 2 && $2 >= 141000 ? "met" : "MISS") }')
			echo "| $name | report -j 1 | $j1 | $(rate "$n" "$j1") | >= 2x Python and >= 141k/s (3x the 47k/s before issue 10) | ${v}x Python, $ok |"
		else
			echo "| $name | report -j 1 | $j1 | $(rate "$n" "$j1") | >= 2x Python | no python3 |"
		fi
		if [ -n "$dk" ]; then
			v=$(ratio "$dk" "$j2")
			ok=$(echo "$v" | awk '{ print ($1 > 1 ? "met" : "MISS") }')
			echo "| $name | report -j 2 | $j2 | $(rate "$n" "$j2") | faster than DuckDB | ${v}x DuckDB, $ok |"
		else
			echo "| $name | report -j 2 | $j2 | $(rate "$n" "$j2") | faster than DuckDB | DuckDB skipped |"
		fi
		[ -z "$py" ] || echo "| $name | Python json.loads + sums, 1 thread | $py | $(rate "$n" "$py") | - | |"
		if [ -n "$dk" ]; then
			echo "| $name | DuckDB read_json + GROUP BY, 2 threads (query) | $dk | $(rate "$n" "$dk") | - | |"
		else
			echo "| $name | DuckDB | - | - | - | skipped: no node/npm or the npm install failed |"
		fi
	} >> "$md"
	[ "$n" -lt 1000000 ] || rm -f "$f"	# 1.9 GB at 2M: do not keep
done
cat "$md"
