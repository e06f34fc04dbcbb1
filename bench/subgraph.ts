import 'reflect-metadata';
import { createLogger } from '../common/logger';
import { stopOnSignals } from '../common/process';
import { civilAffairs } from '../subgraphs/civil-affairs/server';
import { loadCivilAffairsConfig } from '../subgraphs/civil-affairs/config';
import { grid } from '../subgraphs/grid/server';
import { loadGridConfig } from '../subgraphs/grid/config';
import { petitions } from '../subgraphs/petitions/server';
import { loadPetitionsConfig } from '../subgraphs/petitions/config';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '../subgraphs/kit/subgraph';
import type { SubgraphConfig } from '../subgraphs/kit/config';
import { onStatsRequest } from './ipc';

/**
 * One department's subgraph for the benchmark: its usual signed listener for
 * govgraph, plus an unsigned one for the gateways that cannot sign. Reports
 * the SQL statements it has sent when the benchmark asks, over IPC.
 *
 * usage (forked by bench/main): node dist/bench/subgraph.js <department> <unsigned port>
 */
const DEPARTMENTS: Record<string, [SubgraphDefinition<unknown, unknown>, () => SubgraphConfig]> = {
  'civil-affairs': [civilAffairs as SubgraphDefinition<unknown, unknown>, loadCivilAffairsConfig],
  petitions: [petitions as SubgraphDefinition<unknown, unknown>, loadPetitionsConfig],
  grid: [grid as SubgraphDefinition<unknown, unknown>, loadGridConfig],
};

async function main(): Promise<void> {
  const [department = '', unsignedPort = ''] = process.argv.slice(2);
  const entry = DEPARTMENTS[department];
  if (!entry || !/^\d{1,5}$/.test(unsignedPort)) throw new Error('usage: subgraph.js <civil-affairs|petitions|grid> <unsigned port>');
  const [definition, loadConfig] = entry;
  const config = loadConfig();
  const logger = createLogger(definition.name, config.logLevel);
  const running: RunningSubgraph = await startSubgraph(definition, config, logger, { unsignedBenchPort: Number(unsignedPort) });
  onStatsRequest(() => ({ statements: running.statements.count }));
  stopOnSignals(logger, running.stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench subgraph could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
