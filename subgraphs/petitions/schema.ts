import { loadOrNull } from '../kit/batch-loader';
import type { FederatedSchemaParts } from '../kit/federated-schema';
import type { PetitionsContext } from './loaders/petitions.loaders';
import { PetitionMutationResolver } from './resolvers/petition-mutation.resolver';
import { PetitionResolver, ResidentPetitionsResolver } from './resolvers/petition.resolver';

export const petitionsSchema: FederatedSchemaParts = {
  resolvers: [PetitionResolver, PetitionMutationResolver, ResidentPetitionsResolver],
  referenceResolvers: {
    Petition: {
      __resolveReference: (ref: { id: string }, ctx: PetitionsContext) => loadOrNull(ctx.loaders.petitionById, ref.id),
    },
    // Petitions keeps no resident data: a reference is just its key, and
    // `petitions` is loaded in one batch for all references of a request.
    Resident: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
  },
};
