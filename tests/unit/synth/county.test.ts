import { createHash } from 'node:crypto';
import { checkIdNumber } from '../../../subgraphs/civil-affairs/domain/id-number';
import { Gender } from '../../../subgraphs/civil-affairs/entities/enums';
import { MOBILE_PHONE } from '../../../subgraphs/civil-affairs/domain/phone';
import { nextState } from '../../../subgraphs/kit/state-machine';
import { PETITION_MACHINE, type PetitionTransition } from '../../../subgraphs/petitions/domain/petition.machine';
import { PetitionStatus } from '../../../subgraphs/petitions/entities/enums';
import { generateCounty, type County } from '../../../synth/county';

const AS_OF = '2026-11-01T00:00:00.000Z';
const digest = (county: County) => createHash('sha256').update(JSON.stringify(county)).digest('hex');

describe('the synthetic county generator', () => {
  const county = generateCounty({ residents: 5000, seed: 42, asOf: AS_OF });

  it('gives the same data for the same seed, and different data for another', () => {
    expect(digest(generateCounty({ residents: 5000, seed: 42, asOf: AS_OF }))).toBe(digest(county));
    const other = generateCounty({ residents: 5000, seed: 43, asOf: AS_OF });
    expect(digest(other)).not.toBe(digest(county));
    expect(other.residents[0]!.id).not.toBe(county.residents[0]!.id);
  });

  it('writes exactly the residents asked for, in households of 1 to 6', () => {
    expect(county.residents).toHaveLength(5000);
    const sizes = new Map<string, number>();
    for (const r of county.residents) sizes.set(r.householdId, (sizes.get(r.householdId) ?? 0) + 1);
    expect(sizes.size).toBe(county.households.length);
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(6);
    for (const h of county.households) expect(county.residents.find((r) => r.id === h.headId)?.householdId).toBe(h.id);
  });

  it('gives everyone a valid, unique ID number that agrees with birth date and gender, and a mobile number', () => {
    const problems = county.residents.flatMap((r) => checkIdNumber(r.idNumber, { birthDate: r.birthDate, gender: r.gender as Gender }));
    expect(problems).toEqual([]);
    expect(new Set(county.residents.map((r) => r.idNumber)).size).toBe(5000);
    expect(new Set(county.residents.map((r) => r.id)).size).toBe(5000);
    expect(county.residents.every((r) => MOBILE_PHONE.test(r.phone))).toBe(true);
    expect(county.residents.every((r) => /^610921\d{6}$/.test(r.areaCode) && r.address.startsWith('陕西省安康市汉阴县'))).toBe(true);
  });

  it('puts about 5% of residents on a benefit and about 1% on a petition', () => {
    const recipients = new Set(county.benefits.map((b) => b.residentId)).size / 5000;
    expect(recipients).toBeGreaterThan(0.03);
    expect(recipients).toBeLessThan(0.07);
    expect(county.petitions.length).toBe(50);
  });

  it('gives every basic cell a worker and registers every resident in a basic cell of their village', () => {
    const cells = new Map(county.cells.map((c) => [c.id, c]));
    const basic = county.cells.filter((c) => c.level === 3);
    expect(basic.length).toBeGreaterThan(0);
    expect(basic.every((c) => county.workers.some((w) => w.id === c.workerId))).toBe(true);
    expect(county.registrations).toHaveLength(5000);
    const villageOf = new Map(county.residents.map((r) => [r.id, r.areaCode]));
    for (const reg of county.registrations) {
      expect(cells.get(reg.cellId)?.level).toBe(3);
      expect(cells.get(reg.cellId)?.areaCode).toBe(villageOf.get(reg.residentId));
    }
    for (const cell of county.cells) {
      if (cell.level > 1) expect(cells.get(cell.parentId!)?.level).toBe(cell.level - 1);
      if (cell.level > 1) expect(cell.code.startsWith(cells.get(cell.parentId!)!.code)).toBe(true);
    }
    expect(county.visits.length).toBeGreaterThan(0);
    expect(county.incidents.length).toBeGreaterThan(0);
  });

  it('files every visit under the basic cell its resident is registered in, and every incident under a basic cell', () => {
    const cellOf = new Map(county.registrations.map((r) => [r.residentId, r.cellId]));
    const cells = new Map(county.cells.map((c) => [c.id, c]));
    for (const visit of county.visits) {
      expect(visit.cellId).toBe(cellOf.get(visit.residentId));
      expect(cells.get(visit.cellId)?.areaCode).toBe(visit.areaCode);
    }
    expect(county.incidents.every((i) => cells.get(i.cellId)?.level === 3 && cells.get(i.cellId)?.areaCode === i.areaCode)).toBe(true);
  });

  it('gives every petition a history that follows the state machine and ends in its status, all before asOf', () => {
    const stepsOf = new Map<string, string[]>();
    for (const step of county.petitionSteps) {
      expect(step.at <= AS_OF).toBe(true);
      stepsOf.set(step.petitionId, [...(stepsOf.get(step.petitionId) ?? []), step.action]);
    }
    const transitionOf: Record<string, PetitionTransition> = {
      ACCEPTED: 'accepted',
      NOT_ACCEPTED: 'rejected',
      ASSIGNED: 'assigned',
      RESPONDED: 'responded',
      CLOSED: 'closed',
    };
    for (const petition of county.petitions) {
      const [first, ...rest] = stepsOf.get(petition.id)!;
      expect(first).toBe('SUBMITTED');
      const final = rest.reduce(
        (status, action) => nextState(PETITION_MACHINE, 'Petition', status, transitionOf[action]!),
        PetitionStatus.RECEIVED,
      );
      expect(final).toBe(petition.status);
    }
  });

  it('gives social security a record for about 55% of adults in work, 20% retired, 3% registered unemployed, and none for a minor', () => {
    const ageOf = new Map(county.residents.map((r) => [r.id, 2026 - Number(r.birthDate.slice(0, 4))]));
    const adults = county.residents.filter((r) => ageOf.get(r.id)! >= 18).length;
    const share = (...statuses: string[]) => county.employments.filter((e) => statuses.includes(e.status)).length / adults;
    expect(share('EMPLOYED', 'FLEXIBLE')).toBeGreaterThan(0.5);
    expect(share('EMPLOYED', 'FLEXIBLE')).toBeLessThan(0.6);
    expect(share('RETIRED')).toBeGreaterThan(0.17);
    expect(share('RETIRED')).toBeLessThan(0.23);
    expect(share('UNEMPLOYED_REGISTERED')).toBeGreaterThan(0.02);
    expect(share('UNEMPLOYED_REGISTERED')).toBeLessThan(0.045);
    expect(county.employments.every((e) => ageOf.get(e.residentId)! >= 18)).toBe(true);
    expect(new Set(county.employments.map((e) => e.residentId)).size).toBe(county.employments.length);
  });

  it('pays every retiree a pension for recent months since retiring, on the employees’ scheme only with a past employer', () => {
    const residents = new Map(county.residents.map((r) => [r.id, r]));
    const employment = new Map(county.employments.map((e) => [e.residentId, e]));
    const retirees = county.employments.filter((e) => e.status === 'RETIRED');
    const paid = new Set(county.pensionPayments.map((p) => p.residentId));
    // Retired before the earliest month paid: a pension for each of the three months.
    expect(retirees.filter((e) => e.since < '2026-08-10').every((e) => paid.has(e.residentId))).toBe(true);
    for (const payment of county.pensionPayments) {
      const record = employment.get(payment.residentId)!;
      expect(record.status).toBe('RETIRED');
      expect(['2026-08', '2026-09', '2026-10']).toContain(payment.month);
      expect(payment.paidOn >= record.since && payment.paidOn < AS_OF).toBe(true);
      expect(payment.scheme).toBe(record.employerName ? 'URBAN_EMPLOYEE' : 'URBAN_RURAL_RESIDENT');
      expect(payment.areaCode).toBe(residents.get(payment.residentId)!.areaCode);
    }
    expect(county.employments.every((e) => e.areaCode === residents.get(e.residentId)!.areaCode)).toBe(true);
  });

  it('makes a resident on 低保 plausible: seldom employed, a low pension if any', () => {
    const onAllowance = new Set(
      county.benefits.filter((b) => b.type === 'MINIMUM_LIVING_ALLOWANCE' && b.status === 'ACTIVE').map((b) => b.residentId),
    );
    const records = county.employments.filter((e) => onAllowance.has(e.residentId));
    expect(records.filter((e) => e.status === 'EMPLOYED').length / records.length).toBeLessThan(0.15);
    const pensions = county.pensionPayments.filter((p) => onAllowance.has(p.residentId));
    expect(pensions.length).toBeGreaterThan(0);
    expect(pensions.every((p) => p.scheme === 'URBAN_RURAL_RESIDENT' && p.amount <= 220)).toBe(true);
  });

  it('refuses a resident count that is not a positive integer', () => {
    expect(() => generateCounty({ residents: 0, seed: 1, asOf: AS_OF })).toThrow('residents must be a positive integer');
  });
});
