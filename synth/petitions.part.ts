import { localDate } from '../subgraphs/kit/local-date';
import type { CountyOptions, ResidentRow } from './county';
import type { Random } from './random';
import { HANDLING_DEPARTMENTS, PETITION_RESPONSES, PETITION_TEXTS } from './texts';

export interface PetitionRow {
  id: string;
  trackingNumber: string;
  petitionerId: string;
  channel: string;
  category: string;
  subject: string;
  content: string;
  areaCode: string;
  status: string;
  riskLevel: string;
  assignedDepartment: string | null;
  receivedAt: string;
  acceptanceDueAt: string;
  acceptedAt: string | null;
  responseDueAt: string | null;
  respondedAt: string | null;
  response: string | null;
  satisfaction: string | null;
}

export interface PetitionStepRow {
  id: string;
  petitionId: string;
  seq: number;
  at: string;
  action: string;
  department: string;
  note: string | null;
}

export interface PetitionPart {
  petitions: PetitionRow[];
  petitionSteps: PetitionStepRow[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CATEGORIES = Object.keys(PETITION_TEXTS).map((category, i) => [category, [14, 16, 14, 14, 8, 7, 8, 10, 9][i] ?? 5] as const);

/** About 1% of residents have filed a petition; its history follows the state machine up to `asOf`. */
export function generatePetitions(random: Random, options: CountyOptions, residents: readonly ResidentRow[]): PetitionPart {
  const asOf = Date.parse(options.asOf);
  const adultBefore = `${Number(options.asOf.slice(0, 4)) - 18}`;
  const adults = residents.filter((r) => r.birthDate.slice(0, 4) <= adultBefore);
  const count = adults.length === 0 ? 0 : Math.max(1, Math.round(residents.length * 0.01));
  const drafts = Array.from({ length: count }, () => asOf - random.int(1, 730 * 24) * HOUR_MS).sort((a, b) => a - b);
  const perDay = new Map<string, number>();
  const petitions: PetitionRow[] = [];
  const petitionSteps: PetitionStepRow[] = [];

  for (const received of drafts) {
    const petitioner = random.pick(adults);
    const category = random.weighted(CATEGORIES);
    const text = random.pick(PETITION_TEXTS[category]!);
    const day = localDate(received).replace(/-/g, '');
    const seq = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, seq);
    const id = random.uuid();
    const steps: Omit<PetitionStepRow, 'id' | 'petitionId' | 'seq'>[] = [];
    const at = (ms: number) => new Date(ms).toISOString();
    const petition: PetitionRow = {
      id,
      trackingNumber: `XF${day}${String(seq).padStart(5, '0')}`,
      petitionerId: petitioner.id,
      channel: random.weighted([
        ['VISIT', 35],
        ['LETTER', 15],
        ['ONLINE', 35],
        ['HOTLINE', 15],
      ] as const),
      category,
      subject: text.subject,
      content: text.content,
      areaCode: petitioner.areaCode,
      status: 'RECEIVED',
      riskLevel: random.weighted([
        ['LOW', 70],
        ['MEDIUM', 22],
        ['HIGH', 8],
      ] as const),
      assignedDepartment: null,
      receivedAt: at(received),
      acceptanceDueAt: at(received + 15 * DAY_MS),
      acceptedAt: null,
      responseDueAt: null,
      respondedAt: null,
      response: null,
      satisfaction: null,
    };
    steps.push({ at: petition.receivedAt, action: 'SUBMITTED', department: 'petitions', note: null });
    // Each later step happens only if its time has come; a few stall (and so become overdue).
    const stalls = () => random.chance(0.03);
    const decided = received + random.int(1, 14 * 24) * HOUR_MS;
    if (decided <= asOf && !stalls()) {
      if (random.chance(0.08)) {
        petition.status = 'NOT_ACCEPTED';
        steps.push({
          at: at(decided),
          action: 'NOT_ACCEPTED',
          department: 'petitions',
          note: '不属于信访事项受理范围，已告知通过法定途径解决。',
        });
      } else {
        Object.assign(petition, { status: 'ACCEPTED', acceptedAt: at(decided), responseDueAt: at(decided + 60 * DAY_MS) });
        steps.push({ at: at(decided), action: 'ACCEPTED', department: 'petitions', note: null });
        const assigned = decided + random.int(1, 5 * 24) * HOUR_MS;
        if (assigned <= asOf && !stalls()) {
          const department = random.pick(HANDLING_DEPARTMENTS);
          Object.assign(petition, { status: 'ASSIGNED', assignedDepartment: department });
          steps.push({ at: at(assigned), action: 'ASSIGNED', department: 'petitions', note: null });
          const responded = assigned + random.int(5 * 24, (random.chance(0.05) ? 70 : 54) * 24) * HOUR_MS;
          if (responded <= asOf && !stalls()) {
            const response = random.pick(PETITION_RESPONSES);
            Object.assign(petition, { status: 'RESPONDED', respondedAt: at(responded), response });
            steps.push({ at: at(responded), action: 'RESPONDED', department, note: null });
            const closed = responded + random.int(3 * 24, 20 * 24) * HOUR_MS;
            if (closed <= asOf) {
              const satisfaction = random.weighted([
                ['SATISFIED', 60],
                ['BASICALLY_SATISFIED', 30],
                ['DISSATISFIED', 10],
              ] as const);
              Object.assign(petition, { status: 'CLOSED', satisfaction });
              steps.push({ at: at(closed), action: 'CLOSED', department: 'petitions', note: null });
            }
          }
        }
      }
    }
    petitions.push(petition);
    steps.forEach((step, i) => petitionSteps.push({ id: random.uuid(), petitionId: id, seq: i + 1, ...step }));
  }
  return { petitions, petitionSteps };
}
