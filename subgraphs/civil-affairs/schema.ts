import { loadOrNull } from '../kit/batch-loader';
import type { FederatedSchemaParts } from '../kit/federated-schema';
import type { CivilAffairsContext } from './loaders/civil-affairs.loaders';
import { BenefitResolver } from './resolvers/benefit.resolver';
import { HouseholdResolver } from './resolvers/household.resolver';
import { ResidentResolver } from './resolvers/resident.resolver';

export const civilAffairsSchema: FederatedSchemaParts = {
  resolvers: [ResidentResolver, HouseholdResolver, BenefitResolver],
  referenceResolvers: {
    Resident: {
      __resolveReference: (ref: { id: string }, ctx: CivilAffairsContext) => loadOrNull(ctx.loaders.residentById, ref.id),
    },
    Household: {
      __resolveReference: (ref: { id: string }, ctx: CivilAffairsContext) => loadOrNull(ctx.loaders.householdById, ref.id),
    },
  },
};
