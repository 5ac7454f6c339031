#!/bin/sh
# side_by_side.sh - issue 10's row: `exectop report -j 1`, `-j 2` and the
# stdlib Python script (py_report.py) on the same file in the same run.
# Wall-clock seconds, so load on the machine shows; nothing is asserted.
#   usage: side_by_side.sh EXECTOP DIR [RECORDS]
set -eu
bin=$1 dir=$2 n=${3:-200000}
f=$dir/side.jsonl
[ -s "$f" ] || "$bin" gen --records "$n" --executors 100 --methods 5 > "$f"
secs() {	# secs CMD... -> wall seconds
	s=$(date +%s.%N)
	"$@" >/dev/null
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.2f", $2 - $1 }'
}
j1=$(secs "$bin" report --fail-on never -j 1 "$f")
j2=$(secs "$bin" report --fail-on never -j 2 "$f")
echo "side by side, $n records x 5 methods, 100 executors ($f):"
echo "  exectop report -j 1: $j1 s ($(echo "$n $j1" | awk '{ printf "%.0f", $1 / $2 }') records/s)"
echo "  exectop report -j 2: $j2 s ($(echo "$n $j2" | awk '{ printf "%.0f", $1 / $2 }') records/s)"
if command -v python3 >/dev/null 2>&1; then
	printf '  python3 json.loads + sums: '
	python3 "$(dirname "$0")/py_report.py" "$f"
else
	echo "  python3 not found: the Python row is skipped"
fi
