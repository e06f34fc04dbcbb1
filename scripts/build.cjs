/**
 * Builds dist/ with tsc, and the browser pages (web/: the IDE and the
 * console) into dist/web with Vite, each file also precompressed (Brotli,
 * gzip) for the gateway to send as it is. With --if-stale each part is
 * built only when one of its sources changed since its last successful
 * build, so `npm run token` and the other commands that need dist/ start at
 * once when nothing changed. `--web` adds the pages to an --if-stale build
 * (`npm start` needs them; `npm run token` does not); `--web-only` builds
 * the pages alone. Without flags, both are built.
 *
 * Plain CommonJS on purpose: it decides whether a build is needed, so it
 * cannot itself need one. Run as `node scripts/build.cjs [--if-stale]`.
 *
 * Staleness is by modification time: dist/ is stale when there is no stamp,
 * or when any input (a file or a folder: a folder's time changes when an
 * entry is added, removed or renamed) is newer than the stamp. The stamp is
 * dated when the build STARTED, so an edit made while tsc runs still counts
 * as newer and triggers the next build.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher that runs before anything is compiled */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** What dist/ is compiled from: the folders tsconfig.build.json includes and the files that change how it compiles. */
const INPUTS = [
  'common',
  'gateway',
  'subgraphs',
  'synth',
  'schema',
  'scripts',
  'bench',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

const STAMP = path.join('dist', '.build-stamp');

/** What dist/web is built from; its stamp lives inside it, so a new build (which empties the folder) starts unstamped. */
const WEB_INPUTS = ['web', 'package-lock.json'];
const WEB_STAMP = path.join('dist', 'web', '.build-stamp');
/** Files worth compressing: text, over a kilobyte. */
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

/** The newest modification time (ms) of `entry` and, for a folder, of everything under it but installed packages; 0 when it does not exist. */
function findNewestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  let newest = stat.mtimeMs;
  if (stat.isDirectory()) {
    // The benchmark's own packages (bench/node_modules) are installed, not compiled.
    for (const name of fs.readdirSync(entry)) {
      if (name !== 'node_modules') newest = Math.max(newest, findNewestMtime(path.join(entry, name)));
    }
  }
  return newest;
}

/** Whether dist/ under `root` must be rebuilt: no stamp, or an input newer than it. */
function isBuildStale(root, inputs = INPUTS, stampFile = STAMP) {
  let stamped;
  try {
    stamped = fs.statSync(path.join(root, stampFile)).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((input) => findNewestMtime(path.join(root, input)) > stamped);
}

/** Records a successful build that started at `startedAt` (a Date). */
function writeBuildStamp(root, startedAt, stampFile = STAMP) {
  const stamp = path.join(root, stampFile);
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${startedAt.toISOString()}\n`);
  fs.utimesSync(stamp, startedAt, startedAt);
}

/** Runs tsc on the build config; returns its exit status, writing the stamp only on success. */
function runBuild(root) {
  const startedAt = new Date();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  const status = result.status ?? 1;
  if (status === 0) writeBuildStamp(root, startedAt);
  return status;
}

/** Writes `file`.br and `file`.gz beside every compressible file under `folder`. */
function precompress(folder) {
  const zlib = require('node:zlib');
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) precompress(file);
    else if (COMPRESSIBLE.test(entry.name) && fs.statSync(file).size > 1024) {
      const content = fs.readFileSync(file);
      fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
    }
  }
}

/** Builds the browser pages with Vite into dist/web and precompresses them; returns the exit status. */
function runWebBuild(root) {
  const startedAt = new Date();
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Vite keeps a NODE_ENV it inherits: run from Jest (NODE_ENV=test) it would build React's and antd's development code.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const status = result.status ?? 1;
  if (status !== 0) return status;
  precompress(path.join(root, 'dist', 'web'));
  writeBuildStamp(root, startedAt, WEB_STAMP);
  return 0;
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const flags = new Set(process.argv.slice(2));
  const onlyIfStale = flags.has('--if-stale');
  const server = !flags.has('--web-only');
  const web = flags.has('--web') || flags.has('--web-only') || !onlyIfStale;
  let status = 0;
  if (server && (!onlyIfStale || isBuildStale(root))) status = runBuild(root);
  if (status === 0 && web && (!onlyIfStale || isBuildStale(root, WEB_INPUTS, WEB_STAMP))) status = runWebBuild(root);
  process.exitCode = status;
}

module.exports = { INPUTS, STAMP, WEB_INPUTS, WEB_STAMP, findNewestMtime, isBuildStale, writeBuildStamp };
