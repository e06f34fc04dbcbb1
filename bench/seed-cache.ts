import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEPARTMENTS } from '../common/departments';
import { DEFAULT_AS_OF, seedDatabases } from '../synth/seed-databases';

/**
 * The benchmark's county is seeded once and kept: a folder per size, seed and
 * fingerprint of the code that shapes the data (generator, seeders,
 * migrations), so a change to any of them seeds again. Each run works on a
 * copy, so the mutations of one run never change what the next one reads.
 */
const MARKER = 'seeded.json';
const databaseFile = (department: string) => `${department}.sqlite`;

/** The compiled code the seeded data depends on, under dist/. */
const DATA_SHAPING_CODE = ['synth', ...DEPARTMENTS.map((department) => department.folder)];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return Promise.resolve(entry.name.endsWith('.js') && /(synth|seed|migrations|entities)/.test(full) ? [full] : []);
    }),
  );
  return nested.flat().sort();
}

async function codeFingerprint(distRoot: string): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of DATA_SHAPING_CODE) {
    for (const file of await filesUnder(path.join(distRoot, dir))) {
      hash
        .update(path.relative(distRoot, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export interface SeededCounty {
  /** Folder of the pristine databases. */
  dir: string;
  /** Whether this call seeded it (false: it was cached). */
  seeded: boolean;
  seconds: number;
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** The seeded county for `residents` and `seed` under `cacheRoot`, seeding it if it is not there yet. */
export async function ensureSeededCounty(cacheRoot: string, residents: number, seed: number, distRoot: string): Promise<SeededCounty> {
  const name = `county-${residents}-${seed}-${await codeFingerprint(distRoot)}`;
  const dir = path.join(cacheRoot, name);
  if (await exists(path.join(dir, MARKER))) return { dir, seeded: false, seconds: 0 };
  await mkdir(cacheRoot, { recursive: true });
  // Older counties of the same size are stale now; they are large, so they go.
  for (const entry of await readdir(cacheRoot)) {
    if (entry.startsWith(`county-${residents}-`) && entry !== name) await rm(path.join(cacheRoot, entry), { recursive: true, force: true });
  }
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const started = Date.now();
  await seedDatabases({ residents, seed, asOf: DEFAULT_AS_OF }, (department) => ({
    kind: 'sqlite',
    path: path.join(partial, databaseFile(department)),
  }));
  await writeFile(
    path.join(partial, MARKER),
    `${JSON.stringify({ residents, seed, asOf: DEFAULT_AS_OF, at: new Date().toISOString() })}\n`,
  );
  await rename(partial, dir);
  return { dir, seeded: true, seconds: (Date.now() - started) / 1000 };
}

/** Copies the pristine databases into `runDir` for one run. */
export async function copyCounty(county: SeededCounty, runDir: string): Promise<void> {
  await mkdir(runDir, { recursive: true });
  for (const file of DEPARTMENTS.map((department) => databaseFile(department.name))) {
    for (const suffix of ['', '-wal', '-shm']) {
      const source = path.join(county.dir, file + suffix);
      if (await exists(source)) await copyFile(source, path.join(runDir, file + suffix));
    }
  }
}
