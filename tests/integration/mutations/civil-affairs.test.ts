import { computeCheckCharacter } from '../../../subgraphs/civil-affairs/domain/id-number';
import { expectRefused } from '../expect-error';
import { startStack, type Stack } from '../stack';

function idNumber(birth: string, serial: string, region = '610921'): string {
  const first17 = region + birth.replace(/-/g, '') + serial;
  return first17 + computeCheckCharacter(first17);
}

const REGISTER = `mutation Register($input: RegisterResidentInput!) {
  registerResident(input: $input) { id name gender birthDate idNumber phone areaCode address household { id head { id } members { id } } }
}`;

describe('civil-affairs mutations', () => {
  let stack: Stack;
  const counts = async () => {
    const ds = stack.dataSource('civil-affairs');
    const [residents, households, benefits] = await Promise.all(
      ['resident', 'household', 'benefit'].map(async (t) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)),
    );
    return { residents, households, benefits };
  };
  // Each call a fresh, valid, unregistered number (even serial: female).
  let serial = 200;
  const valid = () => ({
    name: '陈晓梅',
    gender: 'FEMALE',
    birthDate: '1988-03-14',
    idNumber: idNumber('1988-03-14', String((serial += 2))),
    phone: '13912345678',
    areaCode: stack.county.villages[0]!.code,
    address: '陕西省安康市汉阴县城关镇测试社区3栋12号',
  });

  beforeAll(async () => {
    stack = await startStack({ residents: 500, seed: 3 });
  });
  afterAll(() => stack.stop());

  describe('registerResident', () => {
    it('registers a resident as head of a new household', async () => {
      const before = await counts();
      const input = valid();
      const result = await stack.query<{
        registerResident: { id: string; household: { id: string; head: { id: string }; members: { id: string }[] } };
      }>(REGISTER, { input });
      expect(result.errors).toBeUndefined();
      const created = result.data!.registerResident;
      expect(created).toMatchObject({
        name: input.name,
        gender: 'FEMALE',
        birthDate: input.birthDate,
        idNumber: input.idNumber,
        areaCode: input.areaCode,
      });
      expect(created.household.head.id).toBe(created.id);
      expect(created.household.members).toEqual([{ id: created.id }]);
      expect(await counts()).toEqual({ ...before, residents: before.residents + 1, households: before.households + 1 });
    });

    it('adds a resident to an existing household', async () => {
      const household = stack.county.households[0]!;
      const input = {
        ...valid(),
        gender: 'MALE',
        birthDate: '2015-06-01',
        idNumber: idNumber('2015-06-01', '017'),
        householdId: household.id,
      };
      const result = await stack.query<{ registerResident: { id: string; household: { id: string; members: { id: string }[] } } }>(
        REGISTER,
        { input },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.registerResident.household.id).toBe(household.id);
      expect(result.data!.registerResident.household.members).toContainEqual({ id: result.data!.registerResident.id });
    });

    const refusals: [string, (input: ReturnType<typeof valid>) => Record<string, unknown>, RegExp][] = [
      [
        'a wrong check character',
        (i) => ({ ...i, idNumber: i.idNumber.slice(0, 17) + (i.idNumber[17] === '0' ? '1' : '0') }),
        /check character does not match/,
      ],
      [
        'a birth date that disagrees with birthDate',
        (i) => ({ ...i, idNumber: idNumber('1988-03-15', i.idNumber.slice(14, 17)) }),
        /birth date does not agree with birthDate/,
      ],
      [
        'a sex digit that disagrees with gender',
        (i) => ({ ...i, idNumber: idNumber('1988-03-14', String(Number(i.idNumber.slice(14, 17)) + 1)) }),
        /sex digit \(17th\) does not agree with gender/,
      ],
      [
        'an impossible date inside the number',
        (i) => ({ ...i, idNumber: idNumber('1988-02-30', '124') }),
        /does not contain a valid birth date/,
      ],
      ['a malformed number', (i) => ({ ...i, idNumber: '61092119880314124x' }), /17 digits followed by a digit or an upper-case X/],
      [
        'a birth date in the future',
        (i) => ({ ...i, birthDate: '2099-01-01', idNumber: idNumber('2099-01-01', '124') }),
        /must not be in the future/,
      ],
      ['a phone that is not a mobile number', (i) => ({ ...i, phone: '02912345678' }), /phone must be an 11-digit mobile number/],
      ['an area code of the wrong length', (i) => ({ ...i, areaCode: '610921' }), /areaCode must be a 12-digit area code/],
      ['an empty name', (i) => ({ ...i, name: '' }), /name must not be blank/],
      ['a name of spaces', (i) => ({ ...i, name: '   ' }), /name must not be blank/],
      ['an address of spaces', (i) => ({ ...i, address: ' \t ' }), /address must not be blank/],
      [
        'a household in another village',
        (i) => ({ ...i, householdId: stack.county.households.find((h) => h.areaCode !== i.areaCode)!.id }),
        /areaCode must be the household's area code/,
      ],
      ['an unknown household', (i) => ({ ...i, householdId: 'no-such-household' }), /householdId does not name a registered household/],
    ];
    it.each(refusals)('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, change, message) => {
      const before = await counts();
      const input = change(valid());
      const result = await stack.query(REGISTER, { input: { ...input, idNumber: input.idNumber ?? valid().idNumber } });
      expectRefused(result, 'BAD_USER_INPUT', message);
      expect(JSON.stringify(result)).not.toContain(String(input.idNumber));
      expect(await counts()).toEqual(before);
    });

    it('refuses an ID number that is already registered, without echoing it', async () => {
      const existing = stack.county.residents[5]!;
      const before = await counts();
      const input = { ...valid(), gender: existing.gender, birthDate: existing.birthDate, idNumber: existing.idNumber };
      const result = await stack.query(REGISTER, { input });
      expectRefused(result, 'BAD_USER_INPUT', /already registered/);
      expect(JSON.stringify(result)).not.toContain(existing.idNumber);
      expect(await counts()).toEqual(before);
    });

    it('refuses a malformed birthDate without quoting it back', async () => {
      const result = await stack.query(REGISTER, { input: { ...valid(), birthDate: '1988-13-45' } });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(result)).not.toContain('1988-13-45');
    });
  });

  describe('grantBenefit and endBenefit', () => {
    const GRANT = `mutation ($input: GrantBenefitInput!) { grantBenefit(input: $input) { id type status monthlyAmount startDate endDate resident { id } } }`;
    const END = `mutation ($id: ID!, $endDate: Date!) { endBenefit(id: $id, endDate: $endDate) { id status endDate } }`;
    const recipient = () => stack.county.residents.find((r) => !stack.county.benefits.some((b) => b.residentId === r.id))!;

    it('grants a benefit, refuses a second one of the same type, and ends it once', async () => {
      const resident = recipient();
      const input = { residentId: resident.id, type: 'MINIMUM_LIVING_ALLOWANCE', monthlyAmount: 520, startDate: '2026-01-01' };
      const granted = await stack.query<{ grantBenefit: { id: string } }>(GRANT, { input });
      expect(granted.errors).toBeUndefined();
      expect(granted.data!.grantBenefit).toEqual({
        id: expect.any(String),
        type: 'MINIMUM_LIVING_ALLOWANCE',
        status: 'ACTIVE',
        monthlyAmount: 520,
        startDate: '2026-01-01',
        endDate: null,
        resident: { id: resident.id },
      });
      const before = await counts();
      expectRefused(await stack.query(GRANT, { input }), 'BAD_USER_INPUT', /already holds a MINIMUM_LIVING_ALLOWANCE benefit/);
      expect(await counts()).toEqual(before);

      const id = granted.data!.grantBenefit.id;
      expectRefused(await stack.query(END, { id, endDate: '2025-12-31' }), 'BAD_USER_INPUT', /endDate must not be before startDate/);
      const ended = await stack.query(END, { id, endDate: '2026-06-30' });
      expect(ended).toMatchObject({ data: { endBenefit: { id, status: 'ENDED', endDate: '2026-06-30' } } });
      expectRefused(await stack.query(END, { id, endDate: '2026-07-31' }), 'INVALID_TRANSITION', /Benefit in status ENDED cannot be ended/);
      const row = await stack.dataSource('civil-affairs').query('SELECT status, end_date FROM benefit WHERE id = ?', [id]);
      expect(row).toEqual([{ status: 'ENDED', end_date: '2026-06-30' }]);
    });

    it.each([
      ['an unknown resident', { residentId: 'nobody' }, /residentId does not name a registered resident/],
      ['a zero amount', { monthlyAmount: 0 }, /monthlyAmount must be more than 0/],
      ['an amount above the ceiling', { monthlyAmount: 20000 }, /monthlyAmount must be at most 10000/],
    ])('refuses a grant with %s and writes nothing', async (_case, change, message) => {
      const before = await counts();
      const input = { residentId: recipient().id, type: 'DISABILITY_ALLOWANCE', monthlyAmount: 80, startDate: '2026-02-01', ...change };
      expectRefused(await stack.query(GRANT, { input }), 'BAD_USER_INPUT', message);
      expect(await counts()).toEqual(before);
    });

    it('refuses to end an unknown benefit', async () => {
      expectRefused(
        await stack.query(END, { id: 'no-such-benefit', endDate: '2026-01-01' }),
        'BAD_USER_INPUT',
        /id does not name a benefit/,
      );
    });
  });
});
