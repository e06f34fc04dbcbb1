import type { StateMachine } from '../../kit/state-machine';
import { BenefitStatus } from '../entities/enums';

export type BenefitAction = 'ended';

/** A benefit being paid or suspended can be ended; an ended one stays ended. */
export const BENEFIT_MACHINE: StateMachine<BenefitStatus, BenefitAction> = {
  ended: { from: [BenefitStatus.ACTIVE, BenefitStatus.SUSPENDED], to: BenefitStatus.ENDED },
};
