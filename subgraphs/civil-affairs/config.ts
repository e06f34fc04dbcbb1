import { parseSubgraphConfig, type SubgraphConfig } from '../kit/config';

export function loadCivilAffairsConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return parseSubgraphConfig(
    { service: 'civil-affairs', portKey: 'CIVIL_AFFAIRS_PORT', defaultPort: 4001, databaseUrlKey: 'CIVIL_AFFAIRS_DATABASE_URL' },
    env,
  );
}
