import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadDepartmentConfig } from '../common/subgraph-config';
import { DEFAULT_AS_OF, seedDatabases, type DatabaseOf } from '../synth/seed-databases';

export const DEFAULT_RESIDENTS = 20_000;
export const DEFAULT_SEED = 1;

/** Each department's database as its subgraph would open it, from the same environment. */
export const departmentDatabase: DatabaseOf = (department) => loadDepartmentConfig(department).database;

const USAGE = 'usage: npm run seed -- [--residents N] [--seed S] [--as-of 2026-11-01T00:00:00Z]';

function parseOptions(argv: string[]): { residents: number; seed: number; asOf: string } {
  const { values } = parseArgs({
    args: argv,
    options: { residents: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const residents = Number(values.residents ?? DEFAULT_RESIDENTS);
  const seed = Number(values.seed ?? DEFAULT_SEED);
  const asOf = values['as-of'] ?? DEFAULT_AS_OF;
  if (!Number.isInteger(residents) || residents < 1 || residents > 5_000_000)
    throw new Error(`--residents must be an integer from 1 to 5000000\n${USAGE}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer from 0 to 4294967295\n${USAGE}`);
  if (Number.isNaN(Date.parse(asOf))) throw new Error(`--as-of must be an ISO 8601 instant\n${USAGE}`);
  return { residents, seed, asOf: new Date(asOf).toISOString() };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const county = await seedDatabases(options, departmentDatabase);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `seeded ${county.residents.length} residents in ${county.households.length} households, ` +
      `${county.benefits.length} benefits, ${county.petitions.length} petitions, ` +
      `${county.cells.length} grid cells, ${county.workers.length} workers, ${county.visits.length} visits, ` +
      `${county.incidents.length} incidents, ${county.employments.length} employment records, ` +
      `${county.pensionPayments.length} pension payments (seed ${options.seed}) in ${seconds}s\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
