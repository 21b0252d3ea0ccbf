#!/usr/bin/env node
// Runs the W3C web-platform-tests for webrtc in Debian's Chromium twice per
// file: natively, then with the wasmrtc polyfill forced (dist/wasmrtc-polyfill.js
// with data-force and no gateway, so the connections of one page meet inside
// the engine's own network), and reports the subtests that pass natively but
// not with the polyfill (issue 12: the polyfill should pass every subtest
// native Chromium passes).
//
//   scripts/build.sh (or copy a built dist/), then, from the repository root:
//   WPT_DIR=/path/to/wpt flock /tmp/wasmrtc-heavy.lock scripts/lib/netns.sh node test/wpt/run.cjs [FILTER...]
//
// WPT_DIR is a checkout (or a partial copy) of web-platform-tests: it needs
// resources/testharness.js and webrtc/ with the tests and their helpers, plus
// whatever else they include (/common, /interfaces, /resources/idlharness.js).
// It is served at / on 127.0.0.1; dist/ is served at /wasmrtc/. WPT's
// /resources/testharnessreport.js is replaced by ours (test/wpt/testharnessreport.js).
// In polyfill mode every HTML page gets, before its first script,
//   <script src="/wasmrtc/wasmrtc-polyfill.js" data-force></script>
// (what test/browser/pages/peer.html does with ?polyfill=1, less the gateway).
// *.window.js and *.any.js tests get the wrapper page wptserve would make.
//
// FILTER arguments keep the test files whose path (relative to WPT_DIR)
// contains one of them. Environment:
//   WPT_DIR                 the WPT checkout (required)
//   WPT_OUT                 where report.json and report.md go (default build/wpt)
//   WPT_TIMEOUT_MULTIPLIER  scales testharness's timeouts (default 2: 20 s per file, 120 s for
//                           timeout=long), as wptrunner's --timeout-multiplier does
//   WPT_MODES               native,polyfill (default both)
//   WPT_NO_ISOLATE          set: skip the re-runs below
// A promise_test that times out leaves the later ones of its file NOTRUN; each
// of those that passed natively is then run alone with the polyfill (the page
// loaded with ?wpt-only=<name>, which our testharnessreport.js honours), and
// the report gives that result next to the NOTRUN.
// A page that has not completed 30 s after its harness timeout is recorded as
// a file TIMEOUT, with the subtests it finished and the others as TIMEOUT.
// One Chromium at a time, a fresh one for each file and mode. Nothing here
// names a server outside the machine: the tests only talk to each other.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { launchChromium, CHROMIUM } = require('../support/chromium.cjs');

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const REPORT_SCRIPT = path.join(__dirname, 'testharnessreport.js');
const POLYFILL_TAG = '<script src="/wasmrtc/wasmrtc-polyfill.js" data-force></script>';
const CHROMIUM_ARGS = [
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // As wptrunner runs Chrome: media elements of the tests play without a gesture.
  '--autoplay-policy=no-user-gesture-required',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.idl': 'text/plain; charset=utf-8',
  '.css': 'text/css',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

function fail(message) {
  console.error(`wpt: ${message}`);
  process.exit(2);
}

// ---- pages ----------------------------------------------------------------

/** Puts the polyfill tag before the first <script of an HTML page. */
function injectPolyfill(html) {
  const at = html.search(/<script\b/i);
  if (at >= 0) return html.slice(0, at) + POLYFILL_TAG + '\n' + html.slice(at);
  const head = html.search(/<head[^>]*>/i);
  if (head >= 0) {
    const end = html.indexOf('>', head) + 1;
    return html.slice(0, end) + POLYFILL_TAG + html.slice(end);
  }
  return POLYFILL_TAG + html;
}

/** The page wptserve makes for X.window.js / X.any.js, from its // META: lines. */
function wrapperPage(jsUrl, source, any) {
  const metas = [];
  for (const line of source.split('\n')) {
    const m = /^\/\/ META: *(\w+)=(.*)$/.exec(line.trim());
    if (m) metas.push([m[1], m[2].trim()]);
    else if (line.trim() && !line.trim().startsWith('//')) break;
  }
  const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  let html = '<!doctype html>\n<meta charset=utf-8>\n';
  for (const [key, value] of metas) {
    if (key === 'timeout' && value === 'long') html += '<meta name=timeout content=long>\n';
    if (key === 'title') html += `<title>${escape(value)}</title>\n`;
  }
  if (any) {
    html += '<script>self.GLOBAL = { isWindow: () => true, isWorker: () => false, isShadowRealm: () => false };</script>\n';
  }
  html += '<script src="/resources/testharness.js"></script>\n<script src="/resources/testharnessreport.js"></script>\n';
  for (const [key, value] of metas) if (key === 'script') html += `<script src="${escape(value)}"></script>\n`;
  html += `<div id=log></div>\n<script src="${escape(jsUrl)}"></script>\n`;
  return html;
}

// ---- server ---------------------------------------------------------------

/**
 * Serves WPT_DIR at / and dist/ at /wasmrtc/ on 127.0.0.1; with `polyfill`,
 * HTML pages get the polyfill tag. Resolves { origin, close }.
 */
function startServer(wptDir, { polyfill, multiplier }) {
  const reportScript = fs.readFileSync(REPORT_SCRIPT, 'utf8').replaceAll('__TIMEOUT_MULTIPLIER__', String(multiplier));
  const send = (res, status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    if (pathname === '/favicon.ico') {
      send(res, 204, 'text/plain', '');
      return;
    }
    if (pathname === '/resources/testharnessreport.js') {
      send(res, 200, TYPES['.js'], reportScript);
      return;
    }
    let root = wptDir;
    let rel = pathname;
    if (pathname.startsWith('/wasmrtc/')) {
      root = DIST;
      rel = pathname.slice('/wasmrtc'.length);
    }
    const file = path.normalize(path.join(root, rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      send(res, 403, 'text/plain', 'forbidden');
      return;
    }
    const wrapper = /\.(window|any)\.html$/.exec(file);
    if (wrapper && !fs.existsSync(file)) {
      const js = file.replace(/\.html$/, '.js');
      fs.readFile(js, 'utf8', (err, source) => {
        if (err) { send(res, 404, 'text/plain', 'not found'); return; }
        const page = wrapperPage(path.basename(js), source, wrapper[1] === 'any');
        send(res, 200, TYPES['.html'], polyfill ? injectPolyfill(page) : page);
      });
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) { send(res, 404, 'text/plain', 'not found'); return; }
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      if (polyfill && type.startsWith('text/html')) {
        send(res, 200, type, injectPolyfill(data.toString('utf8')));
        return;
      }
      send(res, 200, type, data);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
      });
    });
  });
}

// ---- test files -----------------------------------------------------------

/** The test files under WPT_DIR/webrtc, as URL paths (window/any JS tests as their wrapper pages). */
function listTests(wptDir, filters) {
  const out = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = '/' + path.relative(wptDir, full).split(path.sep).join('/');
      if (fs.statSync(full).isDirectory()) {
        if (!['resources', 'tools', 'support'].includes(name)) walk(full);
        continue;
      }
      if (/\.(window|any)\.js$/.test(name)) {
        out.push(rel.replace(/\.js$/, '.html'));
      } else if (/\.html?$/.test(name)) {
        // Pages that do not load testharness.js are helpers (iframes, workers).
        if (/\/resources\/testharness\.js/.test(fs.readFileSync(full, 'utf8'))) out.push(rel);
      }
    }
  };
  walk(path.join(wptDir, 'webrtc'));
  return filters.length ? out.filter((t) => filters.some((f) => t.includes(f))) : out;
}

/** testharness's own timeout for a page: 10 s, or 60 s with <meta name=timeout content=long>. */
function harnessTimeout(wptDir, test, multiplier) {
  let text = '';
  const file = path.join(wptDir, test);
  try {
    text = fs.readFileSync(fs.existsSync(file) ? file : file.replace(/\.html$/, '.js'), 'utf8');
  } catch (e) { /* unreadable: the page load will say so */ }
  const long = /<meta\s+name=["']?timeout["']?\s+content=["']?long/i.test(text) || /^\/\/ META: *timeout=long/m.test(text);
  return (long ? 60000 : 10000) * multiplier;
}

// ---- one page -------------------------------------------------------------

let current = null; // the Chromium of the page under way, closed on SIGINT/SIGTERM

async function runPage(server, test, mode, budget) {
  const browser = await launchChromium(CHROMIUM_ARGS);
  current = browser;
  const errors = [];
  const result = { status: 'OK', message: null, tests: [], errors, polyfill: null };
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('crash', () => errors.push('crash: the page crashed'));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    const started = Date.now();
    try {
      await page.goto(server.origin + test, { waitUntil: 'domcontentloaded', timeout: budget });
      await page.waitForFunction(() => window.__wptReport && window.__wptReport.done, null,
        { timeout: Math.max(1000, budget - (Date.now() - started)), polling: 200 });
    } catch (e) {
      result.status = 'TIMEOUT';
      result.message = `the page did not complete within ${budget} ms (${e.message.split('\n')[0]})`;
    }
    const report = await page.evaluate(() => {
      const r = window.__wptReport;
      const w = window.wasmrtc;
      return {
        report: r ? { done: r.done, harness: r.harness, tests: r.tests.filter(Boolean), only: r.only || null } : null,
        polyfill: !!(w && w.installed && window.RTCPeerConnection === w.RTCPeerConnection),
      };
    }).catch((e) => ({ report: null, polyfill: null, error: e.message }));
    result.polyfill = report.polyfill;
    if (report.error) errors.push(`evaluate: ${report.error}`);
    if (report.report) {
      result.tests = report.report.tests;
      if (report.report.only) result.only = report.report.only;
      if (report.report.done) {
        result.status = report.report.harness.status;
        result.message = report.report.harness.message;
      } else {
        for (const t of result.tests) if (t.status === 'NOTRUN') t.status = 'TIMEOUT';
      }
    } else if (result.status === 'OK') {
      result.status = 'ERROR';
      result.message = 'no results: the report script did not run';
    }
    if (mode === 'polyfill' && !result.polyfill) errors.unshift('the polyfill was not installed on this page');
    if (mode === 'native' && result.polyfill) errors.unshift('the polyfill was installed on a native page');
  } finally {
    current = null;
    await browser.close().catch(() => {});
  }
  return result;
}

// ---- report ---------------------------------------------------------------

/** Subtest names made unique within a file (a repeated name gets " (2)", " (3)"...). */
function byName(tests) {
  const out = new Map();
  for (const t of tests) {
    let name = t.name;
    for (let n = 2; out.has(name); n++) name = `${t.name} (${n})`;
    out.set(name, t);
  }
  return out;
}

function compare(file) {
  const native = byName(file.native ? file.native.tests : []);
  const poly = byName(file.polyfill ? file.polyfill.tests : []);
  const names = [...new Set([...native.keys(), ...poly.keys()])];
  file.subtests = names.length;
  file.nativePass = [...native.values()].filter((t) => t.status === 'PASS').length;
  file.polyfillPass = [...poly.values()].filter((t) => t.status === 'PASS').length;
  file.regressions = [];
  file.polyfillOnly = [];
  for (const name of names) {
    const n = native.get(name);
    const p = poly.get(name);
    if (n && n.status === 'PASS' && (!p || p.status !== 'PASS')) {
      file.regressions.push({
        name, original: n.name, status: p ? p.status : 'MISSING', message: p ? p.message : 'the subtest did not run with the polyfill',
      });
    } else if (p && p.status === 'PASS' && (!n || n.status !== 'PASS')) {
      file.polyfillOnly.push({ name, native: n ? n.status : 'MISSING', message: n ? n.message : null });
    }
  }
}

function oneLine(text, max = 400) {
  const s = String(text === null || text === undefined ? '' : text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function cell(text) {
  return oneLine(text).replace(/\|/g, '\\|');
}

function writeReport(out, meta, files) {
  const totals = { files: files.length, subtests: 0, nativePass: 0, polyfillPass: 0, regressions: 0, polyfillOnly: 0 };
  for (const f of files) {
    totals.subtests += f.subtests;
    totals.nativePass += f.nativePass;
    totals.polyfillPass += f.polyfillPass;
    totals.regressions += f.regressions.length;
    totals.polyfillOnly += f.polyfillOnly.length;
    for (const r of f.regressions) {
      if (!r.alone) continue;
      totals.runAlone = (totals.runAlone || 0) + 1;
      if (r.alone.status === 'PASS') totals.passAlone = (totals.passAlone || 0) + 1;
    }
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify({ ...meta, totals, files }, null, 1));

  const md = [];
  md.push('# web-platform-tests for webrtc: native Chromium vs the wasmrtc polyfill', '');
  md.push(`Generated ${meta.finished} by test/wpt/run.cjs. Chromium: ${meta.chromium}. WPT_DIR: ${meta.wptDir}.`);
  md.push(`Polyfill: dist/wasmrtc-polyfill.js (sha256 ${meta.dist['wasmrtc-polyfill.js']}), forced (data-force), no gateway. Timeout multiplier: ${meta.multiplier}.`, '');
  md.push('| | |', '|---|---|');
  md.push(`| test files | ${totals.files} |`);
  md.push(`| subtests | ${totals.subtests} |`);
  md.push(`| pass natively | ${totals.nativePass} |`);
  md.push(`| pass with the polyfill | ${totals.polyfillPass} |`);
  md.push(`| **regressions** (pass natively, not with the polyfill) | **${totals.regressions}** |`);
  if (totals.runAlone) md.push(`| of the regressions, NOTRUN ones re-run alone / passing alone | ${totals.runAlone} / ${totals.passAlone || 0} |`);
  md.push(`| pass with the polyfill only | ${totals.polyfillOnly} |`, '');
  md.push('## Per file', '');
  md.push('| file | subtests | native pass | polyfill pass | regressions | native harness | polyfill harness |');
  md.push('|---|---|---|---|---|---|---|');
  for (const f of files) {
    const h = (r) => (r ? r.status : '-');
    md.push(`| ${f.file} | ${f.subtests} | ${f.nativePass} | ${f.polyfillPass} | ${f.regressions.length} | ${h(f.native)} | ${h(f.polyfill)} |`);
  }
  md.push('', '## Regressions: subtests that pass natively but not with the polyfill', '');
  for (const f of files.filter((x) => x.regressions.length)) {
    md.push(`### ${f.file}`, '');
    if (f.polyfill && f.polyfill.status !== 'OK') md.push(`Polyfill harness status: ${f.polyfill.status}${f.polyfill.message ? ` (${cell(f.polyfill.message)})` : ''}`, '');
    md.push('| subtest | polyfill status | polyfill message |', '|---|---|---|');
    for (const r of f.regressions) {
      const alone = r.alone ? ` (run alone: ${r.alone.status}${r.alone.message ? `: ${r.alone.message}` : ''})` : '';
      md.push(`| ${cell(r.name)} | ${r.status}${r.alone ? ` / alone ${r.alone.status}` : ''} | ${cell(`${r.message || ''}${alone}`)} |`);
    }
    md.push('');
  }
  md.push('## Harness errors and timeouts', '');
  for (const f of files) {
    for (const mode of ['native', 'polyfill']) {
      const r = f[mode];
      if (r && r.status !== 'OK') md.push(`- ${f.file} (${mode}): ${r.status}${r.message ? `: ${cell(r.message)}` : ''}`);
    }
  }
  md.push('', '## Pass with the polyfill only (for information)', '');
  for (const f of files.filter((x) => x.polyfillOnly.length)) {
    for (const p of f.polyfillOnly) md.push(`- ${f.file}: ${cell(p.name)} (native ${p.native}${p.message ? `: ${cell(p.message, 200)}` : ''})`);
  }
  md.push('');
  fs.writeFileSync(path.join(out, 'report.md'), md.join('\n'));
  return totals;
}

// ---- main -----------------------------------------------------------------

async function main() {
  const wptDir = process.env.WPT_DIR && path.resolve(process.env.WPT_DIR);
  if (!wptDir || !fs.existsSync(path.join(wptDir, 'resources', 'testharness.js'))) {
    fail('set WPT_DIR to a web-platform-tests checkout (resources/testharness.js and webrtc/)');
  }
  for (const f of ['wasmrtc-polyfill.js', 'wasmrtc-worker.js', 'wasmrtc-core.wasm']) {
    if (!fs.existsSync(path.join(DIST, f))) fail(`dist/${f} is missing: build first (scripts/build.sh)`);
  }
  const out = path.resolve(process.env.WPT_OUT || path.join(ROOT, 'build', 'wpt'));
  const multiplier = Number(process.env.WPT_TIMEOUT_MULTIPLIER || 2);
  const modes = (process.env.WPT_MODES || 'native,polyfill').split(',').map((m) => m.trim()).filter(Boolean);
  if (!modes.every((m) => m === 'native' || m === 'polyfill')) fail('WPT_MODES takes native and/or polyfill');
  const tests = listTests(wptDir, process.argv.slice(2));
  if (!tests.length) fail('no test files matched');

  const servers = {
    native: await startServer(wptDir, { polyfill: false, multiplier }),
    polyfill: await startServer(wptDir, { polyfill: true, multiplier }),
  };
  const meta = {
    started: new Date().toISOString(), wptDir, multiplier, modes, chromium: CHROMIUM, chromiumArgs: CHROMIUM_ARGS,
  };
  try {
    const { execFileSync } = require('child_process');
    meta.chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (e) { /* keep the path */ }
  // Which build was measured: dist/ is not versioned, so record what was served.
  meta.dist = {};
  for (const f of ['wasmrtc-polyfill.js', 'wasmrtc-worker.js', 'wasmrtc-core.js', 'wasmrtc-core.wasm']) {
    const p = path.join(DIST, f);
    if (fs.existsSync(p)) meta.dist[f] = require('crypto').createHash('sha256').update(fs.readFileSync(p)).digest('hex').slice(0, 16);
  }

  const files = [];
  let interrupted = false;
  // Stop after the page under way (its Chromium is closed now), still writing the report.
  const stop = () => { interrupted = true; if (current) current.close().catch(() => {}); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    for (const [i, test] of tests.entries()) {
      if (interrupted) break;
      const budget = harnessTimeout(wptDir, test, multiplier) + 30000;
      const file = { file: test };
      for (const mode of modes) {
        const t0 = Date.now();
        try {
          file[mode] = await runPage(servers[mode], test, mode, budget);
        } catch (e) {
          file[mode] = { status: 'ERROR', message: `runner: ${e.message}`, tests: [], errors: [] };
        }
        file[mode].ms = Date.now() - t0;
      }
      if (interrupted) break; // a file cut short is left out
      compare(file);
      // A promise_test that times out leaves the later ones NOTRUN: run each
      // of those that pass natively alone (?wpt-only=), so the report says
      // what they do with the polyfill rather than nothing.
      if (modes.includes('polyfill') && !process.env.WPT_NO_ISOLATE) {
        for (const r of file.regressions.filter((x) => x.status === 'NOTRUN' || x.status === 'MISSING')) {
          if (interrupted) break;
          let alone;
          try {
            alone = await runPage(servers.polyfill, `${test}?wpt-only=${encodeURIComponent(r.original || r.name)}`, 'polyfill', budget);
          } catch (e) {
            alone = { status: 'ERROR', message: `runner: ${e.message}`, tests: [] };
          }
          const t = alone.only && alone.only.registered === 1 ? alone.tests.find((x) => x.name === (r.original || r.name)) : null;
          r.alone = t ? { status: t.status, message: t.message }
            : { status: 'NOT ISOLATED', message: alone.only ? `${alone.only.registered} promise_tests of that name` : 'not a promise_test (only those can run alone)' };
        }
      }
      files.push(file);
      const line = modes.map((m) => `${m} ${file[m].tests.filter((t) => t.status === 'PASS').length}/${file[m].tests.length} ${file[m].status} ${(file[m].ms / 1000).toFixed(1)}s`).join(', ');
      console.log(`[${i + 1}/${tests.length}] ${test}: ${line}${file.regressions.length ? `, ${file.regressions.length} regressions` : ''}`);
      meta.finished = new Date().toISOString();
      writeReport(out, meta, files);
    }
  } finally {
    await servers.native.close();
    await servers.polyfill.close();
  }
  const totals = writeReport(out, { ...meta, finished: new Date().toISOString() }, files);
  console.log(`files ${totals.files}, subtests ${totals.subtests}, native pass ${totals.nativePass}, polyfill pass ${totals.polyfillPass}, regressions ${totals.regressions}`);
  console.log(`report: ${path.join(out, 'report.md')}`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });

module.exports = { startServer, listTests, injectPolyfill, wrapperPage };
