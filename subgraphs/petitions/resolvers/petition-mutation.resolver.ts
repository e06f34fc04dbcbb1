import { Matches, MaxLength } from 'class-validator';
import { NotBlank } from '../../kit/validation';
import { Arg, ArgsType, Args, Ctx, Field, ID, Mutation, Resolver } from 'type-graphql';
import { Petition } from '../entities/petition.entity';
import { Satisfaction } from '../entities/enums';
import { DEPARTMENT_CODE, DEPARTMENT_CODE_MESSAGE } from '../../../common/department-code';
import { SubmitPetitionInput } from '../inputs/petition.inputs';
import type { PetitionsContext } from '../loaders/petitions.loaders';
import { addDays, RESPONSE_DAYS } from '../domain/petition.machine';
import { PETITIONS_BUREAU } from '../services/petition.service';
import { Sharing } from '../../kit/sharing';

@ArgsType()
class NoteArgs {
  @Field(() => ID, { description: '信访事项标识 · The petition' })
  id!: string;

  @Field(() => String, { nullable: true, description: '说明 · Note recorded with the step' })
  @MaxLength(1000)
  note?: string | null;
}

@ArgsType()
class ReasonArgs {
  @Field(() => ID, { description: '信访事项标识 · The petition' })
  id!: string;

  @Field({ description: '不予受理理由 · Why it is not accepted' })
  @NotBlank()
  @MaxLength(1000)
  reason!: string;
}

@ArgsType()
class AssignArgs extends NoteArgs {
  @Field({ description: '承办单位 · Department code, e.g. housing' })
  @Matches(DEPARTMENT_CODE, { message: DEPARTMENT_CODE_MESSAGE })
  department!: string;
}

@ArgsType()
class RespondArgs {
  @Field(() => ID, { description: '信访事项标识 · The petition' })
  id!: string;

  @Field({ description: '答复意见 · The answer, at most 5000 characters' })
  @NotBlank()
  @MaxLength(5000)
  response!: string;
}

@ArgsType()
class CloseArgs extends NoteArgs {
  @Field(() => Satisfaction, { nullable: true, description: '满意度 · The petitioner’s rating' })
  satisfaction?: Satisfaction | null;
}

/** 信访 mutations: intake and every step of the state machine. */
@Resolver(() => Petition)
export class PetitionMutationResolver {
  @Mutation(() => Petition, { description: '登记信访事项 · Register a petition (status RECEIVED, acceptance due in 15 days)' })
  @Sharing('NONE', { roles: ['officer'] })
  submitPetition(
    @Arg('input', { description: '输入 · The input' }) input: SubmitPetitionInput,
    @Ctx() ctx: PetitionsContext,
  ): Promise<Petition> {
    return ctx.services.petitions.submit(input, PETITIONS_BUREAU);
  }

  @Mutation(() => Petition, { description: '受理 · Accept a received petition (response due in 60 days)' })
  @Sharing('NONE', { roles: ['officer'] })
  acceptPetition(@Args() { id, note }: NoteArgs, @Ctx() ctx: PetitionsContext): Promise<Petition> {
    return ctx.services.petitions.advance(id, 'accepted', (_, now) => ({
      changes: { acceptedAt: now, responseDueAt: addDays(now, RESPONSE_DAYS) },
      step: { department: PETITIONS_BUREAU, note },
    }));
  }

  @Mutation(() => Petition, { description: '不予受理 · Decline a received petition, giving the reason' })
  @Sharing('NONE', { roles: ['officer'] })
  rejectPetition(@Args() { id, reason }: ReasonArgs, @Ctx() ctx: PetitionsContext): Promise<Petition> {
    return ctx.services.petitions.advance(id, 'rejected', () => ({ step: { department: PETITIONS_BUREAU, note: reason } }));
  }

  @Mutation(() => Petition, { description: '交办 · Assign an accepted petition to a department' })
  @Sharing('NONE', { roles: ['officer'] })
  assignPetition(@Args() { id, department, note }: AssignArgs, @Ctx() ctx: PetitionsContext): Promise<Petition> {
    return ctx.services.petitions.advance(id, 'assigned', () => ({
      changes: { assignedDepartment: department },
      step: { department: PETITIONS_BUREAU, note },
    }));
  }

  @Mutation(() => Petition, { description: '答复 · Record the answer of the assigned department' })
  @Sharing('NONE', { roles: ['officer'] })
  respondToPetition(@Args() { id, response }: RespondArgs, @Ctx() ctx: PetitionsContext): Promise<Petition> {
    return ctx.services.petitions.advance(id, 'responded', (petition, now) => ({
      changes: { response, respondedAt: now },
      step: { department: petition.assignedDepartment ?? PETITIONS_BUREAU },
    }));
  }

  @Mutation(() => Petition, { description: '办结 · Close an answered petition, with the petitioner’s rating' })
  @Sharing('NONE', { roles: ['officer'] })
  closePetition(@Args() { id, satisfaction, note }: CloseArgs, @Ctx() ctx: PetitionsContext): Promise<Petition> {
    return ctx.services.petitions.advance(id, 'closed', () => ({
      changes: { satisfaction: satisfaction ?? null },
      step: { department: PETITIONS_BUREAU, note },
    }));
  }
}
