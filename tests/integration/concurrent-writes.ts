import { computeCheckCharacter } from '../../subgraphs/civil-affairs/domain/id-number';
import { expectNothingInternal } from './expect-error';
import { PETITIONS_OFFICER, type GraphQLResult, type Stack } from './stack';

/** Codes of concurrent attempts at the same write: `ok` for a success. */
function outcomes(results: GraphQLResult<unknown>[]): string[] {
  for (const result of results) expectNothingInternal(result);
  return results.map((r) => (r.errors ? String(r.errors[0]?.extensions?.code) : 'ok')).sort();
}

const times = <T>(n: number, make: () => Promise<T>) => Promise.all(Array.from({ length: n }, make));

/**
 * The same writes sent at once: exactly one wins where only one may, the
 * others get the error a sequential caller would get, never INTERNAL.
 * Shared by the SQLite and the PostgreSQL suites.
 */
export function describeConcurrentWrites(stack: () => Stack): void {
  describe('concurrent writes', () => {
    it('give every concurrently submitted petition its own tracking number', async () => {
      const petitioner = stack().county.residents[10]!;
      const input = {
        petitionerId: petitioner.id,
        channel: 'HOTLINE',
        category: 'OTHER',
        subject: '建议增开公交',
        content: '班次太少。',
        areaCode: petitioner.areaCode,
      };
      const results = await times(6, () =>
        stack().query<{ submitPetition: { trackingNumber: string } }>(
          `mutation ($input: SubmitPetitionInput!) { submitPetition(input: $input) { trackingNumber } }`,
          { input },
          { as: PETITIONS_OFFICER },
        ),
      );
      expect(outcomes(results)).toEqual(Array(6).fill('ok'));
      expect(new Set(results.map((r) => r.data!.submitPetition.trackingNumber)).size).toBe(6);
    });

    it('grant one benefit of a type to a resident, however many ask at once', async () => {
      const resident = stack().county.residents.find(
        (r) => !stack().county.benefits.some((b) => b.residentId === r.id && b.type === 'ELDERLY_ALLOWANCE'),
      )!;
      const input = { residentId: resident.id, type: 'ELDERLY_ALLOWANCE', monthlyAmount: 100, startDate: '2026-01-01' };
      const results = await times(4, () =>
        stack().query(`mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { id } }`, { input }),
      );
      expect(outcomes(results)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'ok']);
      const rows = await stack()
        .dataSource('civil-affairs')
        .query(
          `SELECT COUNT(*) AS n FROM benefit WHERE resident_id = $1 AND type = 'ELDERLY_ALLOWANCE' AND status <> 'ENDED'`.replace(
            '$1',
            stack().dataSource('civil-affairs').options.type === 'postgres' ? '$1' : '?',
          ),
          [resident.id],
        );
      expect(Number(rows[0].n)).toBe(1);
    });

    it('end a benefit once, however many ask at once', async () => {
      const benefit = stack().county.benefits.find((b) => b.status === 'ACTIVE')!;
      const results = await times(4, () =>
        stack().query(`mutation ($id: ID!) { endBenefit(id: $id, endDate: "2026-10-31") { id } }`, { id: benefit.id }),
      );
      expect(outcomes(results)).toEqual(['INVALID_TRANSITION', 'INVALID_TRANSITION', 'INVALID_TRANSITION', 'ok']);
    });

    it('register an ID number once, however many ask at once', async () => {
      const first17 = `61092119900101${String(800 + Math.floor(Math.random() * 90) * 2 + 1).padStart(3, '0')}`;
      const input = {
        name: '赵测试',
        gender: 'MALE',
        birthDate: '1990-01-01',
        idNumber: first17 + computeCheckCharacter(first17),
        phone: '13800000000',
        areaCode: stack().county.villages[0]!.code,
        address: '测试地址',
      };
      const results = await times(4, () =>
        stack().query(`mutation ($input: RegisterResidentInput!) { registerResident(input: $input) { id } }`, { input }),
      );
      expect(outcomes(results)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'ok']);
    });

    it('keep every successful write when failing writes run alongside', async () => {
      const residents = stack()
        .county.residents.filter((r) => !stack().county.benefits.some((b) => b.residentId === r.id))
        .slice(50, 62);
      const grant = (residentId: string) =>
        stack().query<{ grantBenefit: { id: string } }>(`mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { id } }`, {
          input: { residentId, type: 'DISABILITY_ALLOWANCE', monthlyAmount: 80, startDate: '2026-05-01' },
        });
      // Failures interleaved with successes: each failure rolls back after reading inside its transaction.
      const results = await Promise.all(residents.flatMap((r) => [grant('no-such-resident'), grant(r.id)]));
      const succeeded = results.filter((r) => !r.errors).map((r) => r.data!.grantBenefit.id);
      expect(succeeded).toHaveLength(residents.length);
      const ds = stack().dataSource('civil-affairs');
      const placeholders = succeeded.map((_, i) => (ds.options.type === 'postgres' ? `$${i + 1}` : '?')).join(', ');
      const stored = await ds.query(`SELECT COUNT(*) AS n FROM benefit WHERE id IN (${placeholders})`, succeeded);
      expect(Number(stored[0].n)).toBe(residents.length);
    });

    it('accept a petition once, however many ask at once', async () => {
      const petition = stack().county.petitions.find((p) => p.status === 'RECEIVED') ?? stack().county.petitions[0]!;
      const fresh = await stack().query<{ submitPetition: { id: string } }>(
        `mutation ($input: SubmitPetitionInput!) { submitPetition(input: $input) { id } }`,
        {
          input: {
            petitionerId: petition.petitionerId,
            channel: 'VISIT',
            category: 'OTHER',
            subject: '来访',
            content: '来访内容',
            areaCode: petition.areaCode,
          },
        },
        { as: PETITIONS_OFFICER },
      );
      const id = fresh.data!.submitPetition.id;
      const results = await times(4, () =>
        stack().query(`mutation ($id: ID!) { acceptPetition(id: $id) { id } }`, { id }, { as: PETITIONS_OFFICER }),
      );
      expect(outcomes(results)).toEqual(['INVALID_TRANSITION', 'INVALID_TRANSITION', 'INVALID_TRANSITION', 'ok']);
      const history = await stack().query<{ petition: { history: { action: string }[] } }>(
        `query ($id: ID!) { petition(id: $id) { history { action } } }`,
        { id },
        { as: PETITIONS_OFFICER },
      );
      expect(history.data!.petition.history.map((h) => h.action)).toEqual(['SUBMITTED', 'ACCEPTED']);
    });
  });
}
