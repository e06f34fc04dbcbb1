import { loadOrNull } from '../kit/batch-loader';
import type { FederatedSchemaParts } from '../kit/federated-schema';
import { Petition } from './entities/references';
import type { GridContext } from './loaders/grid.loaders';
import { GridCellResolver, GridWorkerResolver } from './resolvers/grid-cell.resolver';
import { IncidentResolver } from './resolvers/incident.resolver';
import { PetitionGridResolver, ResidentGridResolver, VisitResolver } from './resolvers/resident-grid.resolver';

export const gridSchema: FederatedSchemaParts = {
  resolvers: [GridCellResolver, GridWorkerResolver, ResidentGridResolver, VisitResolver, IncidentResolver, PetitionGridResolver],
  // Petition is reachable only as an entity (through _entities), so it is listed here.
  orphanedTypes: [Petition],
  referenceResolvers: {
    GridCell: { __resolveReference: (ref: { id: string }, ctx: GridContext) => loadOrNull(ctx.loaders.cellById, ref.id) },
    GridWorker: { __resolveReference: (ref: { id: string }, ctx: GridContext) => loadOrNull(ctx.loaders.workerById, ref.id) },
    Incident: { __resolveReference: (ref: { id: string }, ctx: GridContext) => loadOrNull(ctx.loaders.incidentById, ref.id) },
    // The grid's own fields of a resident or petition are loaded in batches
    // by their field resolvers; the reference itself needs no lookup.
    Resident: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    Petition: { __resolveReference: (ref: { id: string; areaCode: string }) => ({ id: ref.id, areaCode: ref.areaCode }) },
  },
};
