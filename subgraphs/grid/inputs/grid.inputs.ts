import { Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeScalar } from '../../kit/scalars';
import { NotBlank } from '../../kit/validation';
import { IncidentCategory, IncidentStatus } from '../entities/enums';

@InputType({ description: '网格查询条件 · Which cells to list' })
export class GridCellFilter {
  @Field(() => String, { nullable: true, description: '行政区划代码前缀 · Area-code prefix' })
  areaCode?: string | null;

  @Field(() => Int, { nullable: true, description: '网格层级 · Only cells of this level (1-3)' })
  @Min(1)
  @Max(3)
  level?: number | null;
}

@InputType({ description: '事件查询条件 · Which incidents to list' })
export class IncidentFilter {
  @Field(() => IncidentStatus, { nullable: true, description: '事件状态 · In this status' })
  status?: IncidentStatus | null;

  @Field(() => IncidentCategory, { nullable: true, description: '事件类别 · Of this kind' })
  category?: IncidentCategory | null;

  @Field(() => String, { nullable: true, description: '行政区划代码前缀 · Area-code prefix' })
  areaCode?: string | null;
}

@InputType({ description: '走访登记 · A home visit to record' })
export class RecordVisitInput {
  @Field(() => ID, { description: '被走访居民 · The resident visited' })
  residentId!: string;

  @Field(() => ID, {
    nullable: true,
    description: '网格员 · The worker who visited: the caller when absent; only a grid officer may name another worker',
  })
  workerId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: '走访时间 · When; now if absent' })
  visitedAt?: string | null;

  @Field({ description: '走访情况 · What the worker noted, at most 2000 characters' })
  @NotBlank()
  @MaxLength(2000)
  notes!: string;

  @Field({ description: '需跟进 · Whether a follow-up is needed' })
  followUpNeeded!: boolean;
}

@InputType({ description: '事件上报 · An incident to report' })
export class ReportIncidentInput {
  @Field(() => ID, { description: '网格 · The cell it happened in' })
  cellId!: string;

  @Field(() => ID, {
    nullable: true,
    description: '上报网格员 · The reporting worker: the caller when absent; only a grid officer may name another worker',
  })
  reportedById?: string | null;

  @Field(() => IncidentCategory, { description: '事件类别 · Kind of incident' })
  category!: IncidentCategory;

  @Field({ description: '事件描述 · What happened, at most 2000 characters' })
  @NotBlank()
  @MaxLength(2000)
  description!: string;
}
