import { parseSubgraphConfig, type SubgraphConfig } from '../kit/config';

export function loadGridConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return parseSubgraphConfig({ service: 'grid', portKey: 'GRID_PORT', defaultPort: 4003, databaseUrlKey: 'GRID_DATABASE_URL' }, env);
}
