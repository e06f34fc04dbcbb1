import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { DatabaseConfig } from '../common/database/database-config';
import type { GovernanceContext } from '../common/governance-context';
import type { Logger } from '../common/logger';
import type { SubgraphConfig } from '../common/subgraph-config';
import type { County } from '../synth/county';

/**
 * What a department's folder gives whoever runs, composes or seeds every
 * department (`npm start`, composition, the seed, the tests, the benchmark):
 * its `server` module exports one `department` of this shape, found through
 * the registry (subgraphs/departments.ts). How the department is built
 * behind it is its own affair: the kit's departments get it from the kit
 * (kit/department.ts), social security implements it directly.
 */
export interface DepartmentServer {
  /** Its name in the registry: the subgraph's name in the supergraph and the audience of signed calls. */
  readonly name: string;
  /** Its subgraph schema, federation and @sharing directives included, as composition prints it. */
  schema(): GraphQLSchema | Promise<GraphQLSchema>;
  /** Opens its database (applying its migrations), then serves its subgraph; refuses every call the gateway did not sign. */
  start(config: SubgraphConfig, logger: Logger, options?: StartOptions): Promise<RunningDepartment>;
  /** Replaces its data with its part of a synthetic county; a department without synthetic data has none. */
  seed?(database: DatabaseConfig, county: County): Promise<void>;
}

export interface StartOptions {
  /** Only for harnesses next to gateways that cannot sign (the benchmark); see SecondListener. */
  secondListener?: SecondListener;
}

/**
 * The one extension point for harnesses that run a subgraph next to gateways
 * which cannot sign (the benchmark): a second listener on the same schema
 * and data, whose caller `identify` names from the request, or refuses by
 * throwing (UnauthenticatedError answers 401). No production entry point
 * passes it, no configuration sets it, and the signed listener stays as
 * strict as ever; the only code that trusts an unsigned caller lives with
 * the benchmark.
 */
export interface SecondListener {
  port: number;
  identify(req: IncomingMessage): GovernanceContext;
}

/** How many SQL statements a subgraph has sent: flat per request, whatever the page size. */
export interface StatementCount {
  readonly count: number;
}

export interface RunningDepartment {
  name: string;
  url: string;
  port: number;
  /** The second listener's URL, when one was asked for. */
  secondUrl?: string;
  statements: StatementCount;
  stop(): Promise<void>;
}
