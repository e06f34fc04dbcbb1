import { parseSubgraphConfig, type SubgraphConfig } from '../kit/config';

export function loadPetitionsConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return parseSubgraphConfig(
    { service: 'petitions', portKey: 'PETITIONS_PORT', defaultPort: 4002, databaseUrlKey: 'PETITIONS_DATABASE_URL' },
    env,
  );
}
