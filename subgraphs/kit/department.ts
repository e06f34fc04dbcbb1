import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import type { County } from '../../synth/county';
import type { DepartmentServer } from '../department-server';
import { buildFederatedSchema } from './federated-schema';
import { startSubgraph, type SubgraphDefinition } from './subgraph';

/** Writes a department's part of a synthetic county into its open, migrated database. */
export type KitSeeder = (dataSource: DataSource, county: County) => Promise<void>;

/** A kit department as every runner sees it (subgraphs/department-server.ts): its definition, served by the kit. */
export function kitDepartment<TLoaders, TServices>(
  definition: SubgraphDefinition<TLoaders, TServices>,
  seeder: KitSeeder,
): DepartmentServer {
  return {
    name: definition.name,
    schema: () => buildFederatedSchema(definition.schema),
    start: (config, logger, options) => startSubgraph(definition, config, logger, options),
    seed: async (database, county) => {
      const dataSource = await openDataSource(createDataSource(database, definition.database, new StatementCounter()), database);
      try {
        await seeder(dataSource, county);
      } finally {
        await dataSource.destroy();
      }
    },
  };
}
