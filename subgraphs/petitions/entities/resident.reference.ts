import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The civil-affairs resident, as petitions knows it: only its key. */
@ObjectType({ description: '居民 · A person registered with civil affairs (民政)' })
@Directive('@key(fields: "id")')
export class Resident {
  @Field(() => ID, { description: '居民标识 · Opaque identifier of the resident; never the ID number' })
  id!: string;
}
