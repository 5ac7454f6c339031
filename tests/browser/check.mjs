// check.mjs - opens exectop HTML reports in headless Chromium and checks
// them as a person would see them.  Run by tests/e2e/test_browser.c.
//
//   node check.mjs CHROMIUM REPORT.html HOSTILE.html CONTROL.html SHOT.png
//
// REPORT has a critical regression; HOSTILE was built from a stream whose
// executor ids, method names and errors carry <script> and <img onerror>
// payloads; CONTROL is HOSTILE with one payload pasted in unescaped, to
// prove the payload would be caught if the report let it through.
//
// Chromium is driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4), with
// Node's standard library only: no npm package, no network, no port.
// Prints one "ok ..." line per check; exits 1 with "FAIL ..." on the first
// failed check.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [chromium, reportPath, hostilePath, controlPath, shotPath] =
    process.argv.slice(2);
if (!shotPath) {
	console.error('usage: check.mjs CHROMIUM REPORT HOSTILE CONTROL SHOT');
	process.exit(2);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'exectop-chromium-'));
const browser = spawn(chromium, [
	'--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
	'--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--disable-dev-shm-usage',
	`--user-data-dir=${profile}`, '--remote-debugging-pipe',
	'--window-size=1280,1000', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });

let stderr = '';
browser.stderr.on('data', (d) => { stderr += d; });

function cleanup() {
	try { browser.kill('SIGKILL'); } catch (e) { /* gone */ }
	/* Chromium's helper processes may still be writing the profile for a
	 * moment after the browser exits: retry, and never fail on it. */
	try {
		fs.rmSync(profile, { recursive: true, force: true,
		    maxRetries: 20, retryDelay: 100 });
	} catch (e) {
		console.log(`note: could not remove ${profile}: ${e.message}`);
	}
}

function fail(msg) {
	console.log(`FAIL ${msg}`);
	if (stderr) console.log(`chromium stderr:\n${stderr.slice(-4000)}`);
	cleanup();
	process.exit(1);
}

// A whole run may not hang a test suite: a bound, not a measurement.
const guard = setTimeout(() => fail('no result within 120 s'), 120000);
browser.on('exit', (code, sig) => fail(`chromium exited (${code}, ${sig})`));
browser.on('error', (e) => fail(`cannot start ${chromium}: ${e.message}`));

// --- the protocol ---------------------------------------------------------
const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buf = Buffer.alloc(0);

fromBrowser.on('data', (chunk) => {
	buf = Buffer.concat([buf, chunk]);
	let nul;
	while ((nul = buf.indexOf(0)) !== -1) {
		const msg = JSON.parse(buf.subarray(0, nul).toString('utf8'));
		buf = buf.subarray(nul + 1);
		if (msg.id !== undefined && pending.has(msg.id)) {
			const { resolve, reject, method } = pending.get(msg.id);
			pending.delete(msg.id);
			if (msg.error)
				reject(new Error(`${method}: ${msg.error.message}`));
			else
				resolve(msg.result);
		} else if (msg.method) {
			for (const l of listeners.slice())
				l(msg);
		}
	}
});

function send(method, params = {}, sessionId) {
	const id = nextId++;
	const msg = { id, method, params };
	if (sessionId) msg.sessionId = sessionId;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject, method });
		toBrowser.write(JSON.stringify(msg) + '\0');
	});
}

function once(method, sessionId) {
	return new Promise((resolve) => {
		const l = (msg) => {
			if (msg.method === method && msg.sessionId === sessionId) {
				listeners.splice(listeners.indexOf(l), 1);
				resolve(msg.params);
			}
		};
		listeners.push(l);
	});
}

// --- a page ---------------------------------------------------------------
async function openPage(file) {
	const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
	const { sessionId } = await send('Target.attachToTarget',
	    { targetId, flatten: true });
	const page = { sessionId, targetId, errors: [] };
	listeners.push((msg) => {
		if (msg.sessionId !== sessionId) return;
		if (msg.method === 'Runtime.consoleAPICalled' &&
		    (msg.params.type === 'error' || msg.params.type === 'assert'))
			page.errors.push('console: ' + msg.params.args.map(
			    (a) => a.value ?? a.description).join(' '));
		else if (msg.method === 'Runtime.exceptionThrown')
			page.errors.push('exception: ' +
			    msg.params.exceptionDetails.text + ' ' +
			    (msg.params.exceptionDetails.exception?.description ?? ''));
		else if (msg.method === 'Log.entryAdded' &&
		    msg.params.entry.level === 'error')
			page.errors.push('log: ' + msg.params.entry.text);
	});
	await send('Runtime.enable', {}, sessionId);
	await send('Log.enable', {}, sessionId);
	await send('Page.enable', {}, sessionId);
	await send('Emulation.setDeviceMetricsOverride', { width: 1280,
	    height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
	const loaded = once('Page.loadEventFired', sessionId);
	await send('Page.navigate', { url: 'file://' + path.resolve(file) },
	    sessionId);
	await loaded;
	await settle(page);
	return page;
}

async function evaluate(page, expr) {
	const r = await send('Runtime.evaluate', { expression: expr,
	    returnByValue: true, awaitPromise: true }, page.sessionId);
	if (r.exceptionDetails)
		throw new Error(`evaluate ${expr}: ${r.exceptionDetails.text}`);
	return r.result.value;
}

// Lets pending events (image errors, timers) run: two frames and a task.
function settle(page) {
	return evaluate(page, `new Promise((r) => requestAnimationFrame(() =>
	    requestAnimationFrame(() => setTimeout(r, 100))))`);
}

// A real mouse click at the centre of the element the selector finds.
async function click(page, selector) {
	const box = await evaluate(page, `(() => {
		const e = document.querySelector(${JSON.stringify(selector)});
		if (!e) return null;
		e.scrollIntoView({ block: 'center' });
		const r = e.getBoundingClientRect();
		return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
	})()`);
	if (!box) fail(`nothing matches ${selector}`);
	for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased'])
		await send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y,
		    button: 'left', clickCount: 1 }, page.sessionId);
	await settle(page);
}

function ok(cond, msg) {
	if (!cond) fail(msg);
	console.log(`ok ${msg}`);
}

// --- the checks -----------------------------------------------------------
async function checkReport() {
	const page = await openPage(reportPath);
	ok(page.errors.length === 0, `report loads without console errors ` +
	    `(${page.errors.join('; ')})`);
	ok(await evaluate(page, `document.title.startsWith('exectop report')`),
	    'report title');

	// Sorting the executors table by "Avg time (ms)".
	const table = '#executors table';
	const col = await evaluate(page, `Array.prototype.findIndex.call(
	    document.querySelectorAll('${table} thead th'),
	    (th) => th.textContent.trim() === 'Avg time (ms)')`);
	ok(col >= 0, 'executors table has an "Avg time (ms)" column');
	const rows = `Array.from(document.querySelectorAll('${table} tbody tr'))
	    .map((tr) => [tr.cells[0].textContent,
	    parseFloat(tr.cells[${col}].getAttribute('data-v'))])`;
	const before = await evaluate(page, rows);
	ok(before.length >= 5, `executors table has ${before.length} rows`);
	const asc = before.slice().sort((a, b) => a[1] - b[1]);
	ok(JSON.stringify(asc) !== JSON.stringify(before),
	    'rows start out of time order (so sorting is visible)');

	await click(page, `${table} thead th:nth-child(${col + 1})`);
	const after = await evaluate(page, rows);
	ok(JSON.stringify(after) === JSON.stringify(asc),
	    `one click on the header sorts ascending: ${after.map((r) => r[0])}`);
	ok(await evaluate(page, `document.querySelector('${table} thead ` +
	    `th:nth-child(${col + 1})').getAttribute('aria-sort')`) ===
	    'ascending', 'the header shows aria-sort=ascending');
	await click(page, `${table} thead th:nth-child(${col + 1})`);
	const desc = await evaluate(page, rows);
	ok(JSON.stringify(desc) === JSON.stringify(asc.slice().reverse()),
	    'a second click sorts descending');
	await click(page, `${table} thead th:nth-child(1)`);
	const byName = await evaluate(page, rows);
	ok(JSON.stringify(byName.map((r) => r[0])) === JSON.stringify(
	    byName.map((r) => r[0]).slice().sort((a, b) => a.localeCompare(b))),
	    'clicking "Executor" sorts by name');

	// Severity colours, as computed by the browser.
	const style = (sel, prop) => evaluate(page, `(() => {
		const e = document.querySelector(${JSON.stringify(sel)});
		return e ? getComputedStyle(e)[${JSON.stringify(prop)}] : null;
	})()`);
	const critRow = await style('#regressions tr.critical td',
	    'backgroundColor');
	ok(critRow === 'rgb(255, 235, 233)',
	    `a critical regression row is tinted red (${critRow})`);
	const critBadge = await style('#regressions .badge.critical',
	    'backgroundColor');
	ok(critBadge === 'rgb(207, 34, 46)',
	    `the critical badge is red (${critBadge})`);
	const statusBadge = await style('#executors .badge.crit',
	    'backgroundColor');
	ok(statusBadge === 'rgb(207, 34, 46)',
	    `the CRIT status badge is red (${statusBadge})`);
	const okBadge = await style('#executors .badge.ok', 'backgroundColor');
	ok(okBadge !== null && okBadge !== critBadge,
	    `an OK badge is not red (${okBadge})`);
	ok(page.errors.length === 0, 'no console errors after the clicks');

	// No horizontal overflow in a 1400 x 1000 window (issue 13 item 12):
	// every column of the executors table, Score included, is visible.
	await send('Emulation.setDeviceMetricsOverride', { width: 1400,
	    height: 1000, deviceScaleFactor: 1, mobile: false }, page.sessionId);
	await settle(page);
	const fit = await evaluate(page, `({ sw: document.documentElement.scrollWidth,
	    cw: document.documentElement.clientWidth,
	    right: Math.max(...Array.from(document.querySelectorAll('table'))
	    .map((t) => t.getBoundingClientRect().right)) })`);
	ok(fit.sw <= fit.cw && fit.right <= fit.cw,
	    `no horizontal overflow at 1400 px (scroll ${fit.sw}, client ${fit.cw}, ` +
	    `widest table ends at ${Math.round(fit.right)})`);

	// The screenshot kept in the repository (top of the page).
	await evaluate(page, 'window.scrollTo(0, 0)');
	await click(page, `${table} thead th:nth-child(${col + 1})`);
	await evaluate(page, 'window.scrollTo(0, 0)');
	const shot = await send('Page.captureScreenshot', { format: 'png' },
	    page.sessionId);
	fs.writeFileSync(shotPath, Buffer.from(shot.data, 'base64'));
	ok(fs.statSync(shotPath).size > 10000, `screenshot saved to ${shotPath}`);
	await send('Target.closeTarget', { targetId: page.targetId });
}

const probe = `({ pwned: window.__pwned ?? null, title: document.title,
    scripts: document.scripts.length,
    imgs: document.getElementsByTagName('img').length,
    text: document.body.textContent })`;

async function checkHostile() {
	const page = await openPage(hostilePath);
	const r = await evaluate(page, probe);
	ok(r.pwned === null, `no payload ran (window.__pwned = ${r.pwned})`);
	ok(r.title.startsWith('exectop report'), `title unchanged (${r.title})`);
	ok(r.scripts === 1, `only the report's own script (${r.scripts})`);
	ok(r.imgs === 0, `no <img> element was created (${r.imgs})`);
	ok(r.text.includes('<script>window.__pwned'),
	    'the <script> payload shows as text');
	ok(r.text.includes('<img src=x onerror='),
	    'the <img onerror> payload shows as text');
	ok(page.errors.length === 0, `no console errors (${page.errors})`);
	// Sorting still works and still runs no payload.
	await click(page, '#executors table thead th:nth-child(1)');
	const r2 = await evaluate(page, probe);
	ok(r2.pwned === null && r2.title.startsWith('exectop report'),
	    'sorting the hostile table runs no payload');
	await send('Target.closeTarget', { targetId: page.targetId });
}

async function checkControl() {
	const page = await openPage(controlPath);
	const r = await evaluate(page, probe);
	ok(r.pwned !== null || !r.title.startsWith('exectop report'),
	    `control: an unescaped payload is detected (__pwned = ${r.pwned})`);
	await send('Target.closeTarget', { targetId: page.targetId });
}

try {
	await checkReport();
	await checkHostile();
	await checkControl();
} catch (e) {
	fail(e.stack || String(e));
}
clearTimeout(guard);
browser.removeAllListeners('exit');
const exited = new Promise((resolve) => {
	if (browser.exitCode !== null || browser.signalCode !== null)
		resolve();
	else
		browser.once('exit', resolve);
	setTimeout(resolve, 5000);
});
await send('Browser.close').catch(() => {});
await exited;
cleanup();
console.log('all browser checks passed');
process.exit(0);
