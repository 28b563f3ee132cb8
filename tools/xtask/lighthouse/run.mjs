// Lighthouse on the built book, for `cargo xtask lighthouse` (tools/xtask/src/lighthouse.rs).
//
// usage: node run.mjs --book DIR --lighthouse DIR [--runs N] [--save-reports DIR] PAGE...
//
// Serves DIR (the built book/) on 127.0.0.1 with gzip for text types, because GitHub Pages serves
// the published book gzipped and the bytes a phone downloads are what the mobile preset's
// simulated slow 4G turns into time: unzipped files would make every page look several times
// heavier and slower than readers see it. Then runs Lighthouse (installed under the --lighthouse
// prefix, e.g. target/lighthouse/) N times on each PAGE with its default settings, the mobile
// preset (simulated slow 4G, 4x CPU slowdown), in the system Chromium (CHROME_PATH, default
// /usr/bin/chromium), and prints one JSON document on stdout:
//
//   {"lighthouse": "12.2.3", "origin": "http://127.0.0.1:PORT", "pages": [{"page": "ch01-x.html",
//     "runs": [{"performance": 0.91, "accessibility": 0.89, "bytes": 338000, "lcp_ms": 2000.5,
//               "tbt_ms": 0, "off_loopback": ["https://..."],
//               "flagged": [{"id": "font-display", "title": "...", "display": "..."}],
//               "errors": ["render-blocking-resources"]}]}]}
//
// --save-reports DIR also writes each run's full Lighthouse report (PAGE.runN.json) to DIR, for
// reading what holds a page back (the audits' details) beyond the summary.
//
// Scores are Lighthouse's 0..1 (null when Lighthouse could not compute one). Progress goes to
// stderr. Exits non-zero when it could not measure (no Lighthouse, no Chromium, a run failed).
// Node built-ins only; Lighthouse and chrome-launcher come from the --lighthouse install.

import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Types GitHub Pages compresses; images and fonts (woff2) are already compressed.
const TYPES = {
  '.html': ['text/html; charset=utf-8', true],
  '.css': ['text/css; charset=utf-8', true],
  '.js': ['application/javascript; charset=utf-8', true],
  '.mjs': ['application/javascript; charset=utf-8', true],
  '.json': ['application/json; charset=utf-8', true],
  '.svg': ['image/svg+xml', true],
  '.txt': ['text/plain; charset=utf-8', true],
  '.xml': ['application/xml', true],
  '.ttf': ['font/ttf', true],
  '.otf': ['font/otf', true],
  '.eot': ['application/vnd.ms-fontobject', true],
  '.woff': ['font/woff', false],
  '.woff2': ['font/woff2', false],
  '.png': ['image/png', false],
  '.jpg': ['image/jpeg', false],
  '.jpeg': ['image/jpeg', false],
  '.gif': ['image/gif', false],
  '.ico': ['image/x-icon', false],
  '.webp': ['image/webp', false],
  '.pdf': ['application/pdf', false],
};

function parseArgs(argv) {
  const options = {book: null, lighthouse: null, runs: 3, pages: [], saveReports: null};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--save-reports') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      options.saveReports = path.resolve(value);
    } else if (arg === '--book' || arg === '--lighthouse' || arg === '--runs') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      if (arg === '--runs') {
        options.runs = Number.parseInt(value, 10);
        if (!(options.runs >= 1)) throw new Error(`--runs ${value}: not a positive number`);
      } else {
        options[arg.slice(2)] = path.resolve(value);
      }
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      options.pages.push(arg);
    }
  }
  if (!options.book || !options.lighthouse) throw new Error('--book and --lighthouse are required');
  if (options.pages.length === 0) throw new Error('no page given');
  return options;
}

// A static file server for `root` on 127.0.0.1 (an ephemeral port), gzipping text types when the
// client accepts it, as GitHub Pages does. Compressed bodies are cached: the files do not change
// during a measurement, and compressing on every request would add server time to the figures.
function serve(root) {
  const gzipped = new Map();
  const server = http.createServer((request, response) => {
    let file;
    try {
      const pathname = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
      file = path.join(root, pathname);
      if (!file.startsWith(root + path.sep) && file !== root) throw new Error('outside the book');
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch {
      file = null;
    }
    if (!file || !fs.existsSync(file)) {
      response.writeHead(404, {'Content-Type': 'text/plain'});
      response.end('not found');
      return;
    }
    const [type, compressible] = TYPES[path.extname(file).toLowerCase()] ?? ['application/octet-stream', false];
    const headers = {'Content-Type': type, 'Cache-Control': 'max-age=600'};
    let body = fs.readFileSync(file);
    if (compressible && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(body, {level: 6}));
      body = gzipped.get(file);
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    }
    headers['Content-Length'] = body.length;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// The audits Lighthouse flags (a score below 0.9 that counts), to say what holds a page back.
function flagged(lhr) {
  const ids = new Set();
  for (const category of Object.values(lhr.categories)) {
    for (const ref of category.auditRefs) ids.add(ref.id);
  }
  const result = [];
  for (const id of ids) {
    const audit = lhr.audits[id];
    if (!audit || audit.score === null || audit.score >= 0.9) continue;
    if (['informative', 'notApplicable', 'manual', 'error'].includes(audit.scoreDisplayMode)) continue;
    result.push({id, title: audit.title, display: audit.displayValue ?? ''});
  }
  return result;
}

function summarize(lhr, origin) {
  if (lhr.runtimeError) {
    throw new Error(`Lighthouse runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  }
  const numeric = (id) => {
    const value = lhr.audits[id]?.numericValue;
    return typeof value === 'number' ? value : null;
  };
  const requests = lhr.audits['network-requests']?.details?.items ?? [];
  const off = requests
    .map((item) => item.url)
    .filter((url) => typeof url === 'string' && !url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:'));
  return {
    performance: lhr.categories.performance?.score ?? null,
    accessibility: lhr.categories.accessibility?.score ?? null,
    bytes: numeric('total-byte-weight'),
    lcp_ms: numeric('largest-contentful-paint'),
    tbt_ms: numeric('total-blocking-time'),
    off_loopback: [...new Set(off)],
    // How fast this machine was at the start of the run (Lighthouse's own CPU benchmark; higher is
    // faster). The simulated throttling multiplies the page's observed main-thread time by 4, so a
    // run on a momentarily slowed machine (a busy neighbour on a shared host) reads slower.
    benchmark_index: lhr.environment?.benchmarkIndex ?? null,
    flagged: flagged(lhr),
    // Audits Lighthouse could not run (with this Chromium, 12.2.3's trace engine fails on a few).
    errors: Object.entries(lhr.audits)
      .filter(([, audit]) => audit.scoreDisplayMode === 'error')
      .map(([id]) => id),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const modules = path.join(options.lighthouse, 'node_modules');
  const {default: lighthouse} = await import(pathToFileURL(path.join(modules, 'lighthouse', 'core', 'index.js')).href);
  const chromeLauncher = await import(pathToFileURL(path.join(modules, 'chrome-launcher', 'dist', 'index.js')).href);
  const version = JSON.parse(fs.readFileSync(path.join(modules, 'lighthouse', 'package.json'), 'utf8')).version;

  const server = await serve(options.book);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  const pages = [];
  try {
    for (const page of options.pages) {
      const runs = [];
      for (let run = 1; run <= options.runs; run++) {
        // A fresh Chromium per run: no warm caches or leftover state between runs.
        const chrome = await chromeLauncher.launch({chromePath, chromeFlags: CHROME_FLAGS, logLevel: 'silent'});
        try {
          const started = Date.now();
          const result = await lighthouse(`${origin}/${page}`, {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance', 'accessibility'],
          });
          if (!result) throw new Error(`Lighthouse returned nothing for ${page}`);
          if (options.saveReports) {
            fs.mkdirSync(options.saveReports, {recursive: true});
            fs.writeFileSync(path.join(options.saveReports, `${page.replaceAll('/', '_')}.run${run}.json`), result.report);
          }
          const summary = summarize(result.lhr, origin);
          runs.push(summary);
          process.stderr.write(
            `lighthouse: ${page} run ${run}/${options.runs}: performance ${summary.performance}, ` +
              `accessibility ${summary.accessibility}, LCP ${Math.round(summary.lcp_ms)} ms, ` +
              `TBT ${Math.round(summary.tbt_ms)} ms (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
          );
        } finally {
          await chrome.kill();
        }
      }
      pages.push({page, runs});
    }
  } finally {
    server.close();
  }
  process.stdout.write(JSON.stringify({lighthouse: version, origin, pages}) + '\n');
}

main().catch((error) => {
  process.stderr.write(`lighthouse: ${error?.stack ?? error}\n`);
  process.exit(1);
});
