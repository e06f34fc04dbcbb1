/**
 * Before any suite: the browser pages (dist/web) are built if a source of
 * them changed, since the gateway the tests start serves them (the IDE at
 * GET /graphql, the console). About 20 s the first time, nothing after.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads its global setup as CommonJS, before anything is compiled */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildPages() {
  const root = path.join(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.cjs'), '--if-stale', '--web-only'], { cwd: root, stdio: 'inherit' });
};
