// duckdb_report.mjs - issue 10's DuckDB row: DuckDB's read_json over the
// bench file and a GROUP BY executor_id with the same per-executor sums as
// py_report.py (runs, failures, each metric's sum), at THREADS threads.
// Times the query only (the instance is opened before the clock starts).
// @duckdb/node-api is loaded from MODULES_DIR (a bench-local npm folder,
// see side_by_side.sh).  Prints records/s.
//   usage: node duckdb_report.mjs MODULES_DIR FILE THREADS
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [dir, file, threads] = process.argv.slice(2);
const require = createRequire(dir + '/');
const { DuckDBInstance } = await import(
    pathToFileURL(require.resolve('@duckdb/node-api')).href);

const inst = await DuckDBInstance.create(':memory:', { threads: threads });
const con = await inst.connect();
const lit = "'" + file.replaceAll("'", "''") + "'";
const metrics = ['execution_time_ms', 'memory_footprint_mb', 'memory_peak_mb',
    'serialization_time_ms', 'serialization_size_bytes'];
const sql = 'SELECT executor_id, count(*) AS runs, ' +
    'count(*) FILTER (WHERE success = false) AS fail, ' +
    metrics.map((m) => `sum(${m}) AS ${m}`).join(', ') +
    ` FROM read_json(${lit}, format = 'newline_delimited', ` +
    "ignore_errors = true) GROUP BY executor_id";
const t0 = performance.now();
const res = await con.runAndReadAll(sql);
const rows = res.getRows();
const dt = (performance.now() - t0) / 1000;
let n = 0;
for (const r of rows)
	n += Number(r[1]);
console.log(`${n} records, ${rows.length} executors in ${dt.toFixed(2)} s: ` +
    `${(n / dt).toFixed(0)} records/s (duckdb ${threads} threads)`);
