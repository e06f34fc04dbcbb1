import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBuildStale, writeBuildStamp } from '../../../scripts/build.cjs';

/** The rule `npm run token` and the other dist/ commands rely on to skip tsc when nothing changed. */
describe('whether dist/ must be rebuilt', () => {
  let root: string;
  const inputs = ['src', 'tsconfig.json'];
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  const touch = (relative: string, when: Date) => utimesSync(path.join(root, relative), when, when);

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'govgraph-build-'));
    mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'deep', 'a.ts'), '');
    writeFileSync(path.join(root, 'tsconfig.json'), '{}');
    for (const entry of ['src/deep/a.ts', 'src/deep', 'src', 'tsconfig.json']) touch(entry, at(10));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is stale when no build has been stamped', () => {
    expect(isBuildStale(root, inputs)).toBe(true);
  });

  it('is up to date when every input is older than the stamp, and the stamp is dated when the build started', () => {
    writeBuildStamp(root, at(20));
    expect(isBuildStale(root, inputs)).toBe(false);
    // An edit made during the build (after it started) still makes the next run build.
    touch('src/deep/a.ts', at(21));
    expect(isBuildStale(root, inputs)).toBe(true);
  });

  it('is stale when a nested file, a listed file or a folder (an entry removed) is newer than the stamp', () => {
    writeBuildStamp(root, at(20));
    touch('tsconfig.json', at(30));
    expect(isBuildStale(root, inputs)).toBe(true);

    writeBuildStamp(root, at(40));
    unlinkSync(path.join(root, 'src', 'deep', 'a.ts'));
    touch('src/deep', at(50));
    expect(isBuildStale(root, inputs)).toBe(true);
  });

  it('ignores packages installed under an input (the benchmark installs its own), however new', () => {
    mkdirSync(path.join(root, 'src', 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'node_modules', 'pkg', 'index.js'), '');
    for (const entry of ['src/node_modules/pkg/index.js', 'src/node_modules/pkg', 'src/node_modules']) touch(entry, at(30));
    touch('src', at(10));
    writeBuildStamp(root, at(20));
    expect(isBuildStale(root, inputs)).toBe(false);
  });

  it('ignores inputs that do not exist', () => {
    writeBuildStamp(root, at(20));
    expect(isBuildStale(root, [...inputs, 'missing-folder'])).toBe(false);
  });
});
