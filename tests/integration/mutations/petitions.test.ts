import { expectRefused } from '../expect-error';
import { PETITIONS_OFFICER, startStack, type Stack } from '../stack';

const FIELDS =
  'id trackingNumber status assignedDepartment receivedAt acceptanceDueAt responseDueAt respondedAt response satisfaction overdue history { action department note }';
const SUBMIT = `mutation ($input: SubmitPetitionInput!) { submitPetition(input: $input) { ${FIELDS} petitioner { id } gridCell { id } } }`;
const DAY_MS = 86_400_000;

type PetitionResult = {
  id: string;
  status: string;
  receivedAt: string;
  acceptanceDueAt: string;
  responseDueAt: string | null;
  history: { action: string }[];
};

describe('petitions mutations: the petition state machine', () => {
  let stack: Stack;
  const submit = async () => {
    const petitioner = stack.county.residents[0]!;
    const input = {
      petitionerId: petitioner.id,
      channel: 'ONLINE',
      category: 'SOCIAL_ASSISTANCE',
      subject: '申请复核低保资格',
      content: '请求重新入户核查家庭经济状况。',
      areaCode: petitioner.areaCode,
    };
    const result = await stack.query<{ submitPetition: PetitionResult }>(SUBMIT, { input });
    expect(result.errors).toBeUndefined();
    return result.data!.submitPetition;
  };
  const step = (mutation: string, args: string, variables: Record<string, unknown>) =>
    stack.query<Record<string, PetitionResult>>(`mutation (${args}) { ${mutation} { ${FIELDS} } }`, variables);
  const stored = async (id: string) => {
    const ds = stack.dataSource('petitions');
    const [row] = await ds.query('SELECT status FROM petition WHERE id = ?', [id]);
    const [steps] = await ds.query('SELECT COUNT(*) AS n FROM petition_step WHERE petition_id = ?', [id]);
    return { status: row?.status as string, steps: Number(steps.n) };
  };

  beforeAll(async () => {
    stack = await startStack({ residents: 500, seed: 4, caller: PETITIONS_OFFICER });
  });
  afterAll(() => stack.stop());

  it('submits, accepts, assigns, responds and closes, recording each step with its deadlines', async () => {
    const petition = await submit();
    expect(petition).toMatchObject({
      status: 'RECEIVED',
      overdue: false,
      responseDueAt: null,
      history: [{ action: 'SUBMITTED', department: 'petitions' }],
    });
    expect(petition).toMatchObject({ trackingNumber: expect.stringMatching(/^XF\d{8}\d{5}$/) });
    expect(Date.parse(petition.acceptanceDueAt) - Date.parse(petition.receivedAt)).toBe(15 * DAY_MS);

    const accepted = await step('acceptPetition(id: $id, note: $note)', '$id: ID!, $note: String', {
      id: petition.id,
      note: '符合受理条件',
    });
    expect(accepted.data?.acceptPetition).toMatchObject({ status: 'ACCEPTED' });

    const assigned = await step('assignPetition(id: $id, department: $d)', '$id: ID!, $d: String!', {
      id: petition.id,
      d: 'civil-affairs',
    });
    expect(assigned.data?.assignPetition).toMatchObject({ status: 'ASSIGNED', assignedDepartment: 'civil-affairs' });
    const responded = await step('respondToPetition(id: $id, response: $r)', '$id: ID!, $r: String!', {
      id: petition.id,
      r: '经核查，已恢复低保待遇。',
    });
    expect(responded.data?.respondToPetition).toMatchObject({
      status: 'RESPONDED',
      response: '经核查，已恢复低保待遇。',
      respondedAt: expect.any(String),
    });
    const closed = await step('closePetition(id: $id, satisfaction: $s)', '$id: ID!, $s: Satisfaction', {
      id: petition.id,
      s: 'SATISFIED',
    });
    expect(closed.data?.closePetition).toMatchObject({
      status: 'CLOSED',
      satisfaction: 'SATISFIED',
      overdue: false,
      history: [
        { action: 'SUBMITTED', department: 'petitions', note: null },
        { action: 'ACCEPTED', department: 'petitions', note: '符合受理条件' },
        { action: 'ASSIGNED', department: 'petitions', note: null },
        { action: 'RESPONDED', department: 'civil-affairs', note: null },
        { action: 'CLOSED', department: 'petitions', note: null },
      ],
    });
  });

  it('sets the response deadline 60 days after acceptance', async () => {
    const petition = await submit();
    const accepted = await step('acceptPetition(id: $id)', '$id: ID!', { id: petition.id });
    const at = Date.parse(accepted.data!.acceptPetition!.responseDueAt!) - 60 * DAY_MS;
    expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
  });

  it('declines a received petition, after which it cannot be assigned', async () => {
    const petition = await submit();
    const rejected = await step('rejectPetition(id: $id, reason: $r)', '$id: ID!, $r: String!', {
      id: petition.id,
      r: '属于诉讼途径解决事项',
    });
    expect(rejected.data?.rejectPetition).toMatchObject({
      status: 'NOT_ACCEPTED',
      history: [{ action: 'SUBMITTED' }, { action: 'NOT_ACCEPTED', note: '属于诉讼途径解决事项' }],
    });
    const before = await stored(petition.id);
    expectRefused(
      await step('assignPetition(id: $id, department: $d)', '$id: ID!, $d: String!', { id: petition.id, d: 'housing' }),
      'INVALID_TRANSITION',
      /Petition in status NOT_ACCEPTED cannot be assigned/,
    );
    expect(await stored(petition.id)).toEqual(before);
  });

  it.each([
    ['closed before it was answered', 'closePetition(id: $id)', '$id: ID!', {}, /RECEIVED cannot be closed/],
    [
      'answered before it was assigned',
      'respondToPetition(id: $id, response: $r)',
      '$id: ID!, $r: String!',
      { r: '答复' },
      /RECEIVED cannot be responded/,
    ],
    [
      'assigned before it was accepted',
      'assignPetition(id: $id, department: $d)',
      '$id: ID!, $d: String!',
      { d: 'housing' },
      /RECEIVED cannot be assigned/,
    ],
  ])('refuses a petition %s with INVALID_TRANSITION and changes nothing', async (_case, mutation, args, extra, message) => {
    const petition = await submit();
    const before = await stored(petition.id);
    expectRefused(await step(mutation, args, { id: petition.id, ...extra }), 'INVALID_TRANSITION', message);
    expect(await stored(petition.id)).toEqual({ status: 'RECEIVED', steps: 1 });
    expect(before).toEqual({ status: 'RECEIVED', steps: 1 });
  });

  it('refuses a second acceptance', async () => {
    const petition = await submit();
    await step('acceptPetition(id: $id)', '$id: ID!', { id: petition.id });
    expectRefused(
      await step('acceptPetition(id: $id)', '$id: ID!', { id: petition.id }),
      'INVALID_TRANSITION',
      /ACCEPTED cannot be accepted/,
    );
    expect(await stored(petition.id)).toEqual({ status: 'ACCEPTED', steps: 2 });
  });

  it.each([
    ['an area code that is not 12 digits', { areaCode: '6109' }, /areaCode must be a 12-digit area code/],
    ['an empty subject', { subject: '' }, /subject/],
    ['content over 5000 characters', { content: '诉'.repeat(5001) }, /content/],
  ])('refuses a submission with %s and writes nothing', async (_case, change, message) => {
    const [before] = await stack.dataSource('petitions').query('SELECT COUNT(*) AS n FROM petition');
    const petitioner = stack.county.residents[1]!;
    const input = {
      petitionerId: petitioner.id,
      channel: 'VISIT',
      category: 'OTHER',
      subject: '建议',
      content: '内容',
      areaCode: petitioner.areaCode,
      ...change,
    };
    expectRefused(await stack.query(SUBMIT, { input }), 'BAD_USER_INPUT', message);
    const [after] = await stack.dataSource('petitions').query('SELECT COUNT(*) AS n FROM petition');
    expect(after).toEqual(before);
  });

  it('refuses a department code that is not one, and an unknown petition', async () => {
    const petition = await submit();
    await step('acceptPetition(id: $id)', '$id: ID!', { id: petition.id });
    expectRefused(
      await step('assignPetition(id: $id, department: $d)', '$id: ID!, $d: String!', { id: petition.id, d: 'DROP TABLE' }),
      'BAD_USER_INPUT',
      /department must be a department code/,
    );
    expect(await stored(petition.id)).toEqual({ status: 'ACCEPTED', steps: 2 });
    expectRefused(
      await step('acceptPetition(id: $id)', '$id: ID!', { id: 'no-such-petition' }),
      'BAD_USER_INPUT',
      /id does not name a petition/,
    );
  });
  describe('submitPetition checks its petitioner with civil affairs, as the caller', () => {
    const count = async () => Number((await stack.dataSource('petitions').query('SELECT COUNT(*) AS n FROM petition'))[0].n);
    const inputFor = (petitionerId: string, areaCode: string) => ({
      petitionerId,
      channel: 'VISIT',
      category: 'SOCIAL_ASSISTANCE',
      subject: '反映低保问题',
      content: '请求核查。',
      areaCode,
    });
    /** A petitions officer of one township, and a resident living outside it. */
    const township = () => {
      const inside = stack.county.residents[0]!;
      const areas = [inside.areaCode.slice(0, 9)];
      const outside = stack.county.residents.find((r) => !r.areaCode.startsWith(areas[0]!))!;
      return { inside, outside, as: { ...PETITIONS_OFFICER, areas } };
    };

    it('refuses a petitioner id that names no resident with BAD_USER_INPUT, and writes nothing', async () => {
      const before = await count();
      const result = await stack.query(SUBMIT, { input: inputFor('no-such-resident', stack.county.residents[0]!.areaCode) });
      expectRefused(result, 'BAD_USER_INPUT', /petitionerId does not name a Resident within your areas/);
      expect(result.status).toBe(400);
      expect(await count()).toBe(before);
    });

    it('refuses a petitioner living outside the officer’s areas the same way, telling nothing of whether they exist', async () => {
      const { inside, outside, as } = township();
      const before = await count();
      const result = await stack.query(SUBMIT, { input: inputFor(outside.id, inside.areaCode) }, { as });
      expectRefused(result, 'BAD_USER_INPUT', /petitionerId does not name a Resident within your areas/);
      expect(await count()).toBe(before);
    });

    it('accepts a petitioner within the officer’s areas, asking civil affairs for the key only', async () => {
      const { inside, as } = township();
      const result = await stack.query<{ submitPetition: { petitioner: { id: string } } }>(
        SUBMIT,
        { input: inputFor(inside.id, inside.areaCode) },
        { as, headers: { 'x-request-id': 'petitioner-check' } },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.submitPetition.petitioner).toEqual({ id: inside.id });
      const lookups = stack.sentFor('petitioner-check').filter((body) => body.includes('ReferenceCheck'));
      expect(lookups.map((body) => JSON.parse(body))).toEqual([
        {
          query:
            'query ReferenceCheck($representations: [_Any!]!) { _entities(representations: $representations) { ... on Resident { id } } }',
          variables: { representations: [{ __typename: 'Resident', id: inside.id }] },
        },
      ]);
    });

    it('refuses the mutation, writing nothing, when civil affairs cannot answer', async () => {
      const petitioner = stack.county.residents[0]!;
      const before = await count();
      stack.breakProxy('civil-affairs', { status: 503, contentType: 'text/plain', body: 'down' });
      try {
        expectRefused(
          await stack.query(SUBMIT, { input: inputFor(petitioner.id, petitioner.areaCode) }),
          'SUBGRAPH_UNAVAILABLE',
          /civil-affairs/,
        );
      } finally {
        stack.breakProxy('civil-affairs', undefined);
      }
      expect(await count()).toBe(before);
    });
  });
});
