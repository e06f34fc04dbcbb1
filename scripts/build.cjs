/**
 * Builds dist/ with tsc, and with --if-stale only when a source changed
 * since the last successful build, so `npm run token` and the other
 * commands that need dist/ start at once when nothing changed.
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
function isBuildStale(root, inputs = INPUTS) {
  let stamped;
  try {
    stamped = fs.statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((input) => findNewestMtime(path.join(root, input)) > stamped);
}

/** Records a successful build that started at `startedAt` (a Date). */
function writeBuildStamp(root, startedAt) {
  const stamp = path.join(root, STAMP);
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

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const onlyIfStale = process.argv.includes('--if-stale');
  process.exitCode = !onlyIfStale || isBuildStale(root) ? runBuild(root) : 0;
}

module.exports = { INPUTS, STAMP, findNewestMtime, isBuildStale, writeBuildStamp };
