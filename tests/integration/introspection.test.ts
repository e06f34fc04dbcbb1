import Database from 'better-sqlite3';
import path from 'node:path';
import { buildClientSchema, getIntrospectionQuery, isObjectType, type IntrospectionQuery } from 'graphql';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow } from '../../gateway/audit/audit-rows';
import { waitFor } from '../helpers/wait-for';
import { postGraphQL, startStack, type Stack } from './stack';

/** The sandbox's sample callers: whoever the gateway lets in may read the schema. */
const ROLES = [
  { department: 'civil-affairs', roles: ['officer'], purpose: 'service' },
  { department: 'petitions', roles: ['officer'], purpose: 'petition_handling' },
  { department: 'grid', roles: ['grid_worker'], purpose: 'assistance' },
  { department: 'statistics', roles: ['analyst'], purpose: 'statistics' },
  { department: 'data-office', roles: ['steward'], purpose: 'supervision' },
];

describe('introspection', () => {
  let stack: Stack;
  let db: Database.Database;
  const recordOf = async (requestId: string) => {
    const read = () =>
      (
        db.prepare(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} WHERE e.client_request_id = ?`).all(requestId) as Record<
          string,
          unknown
        >[]
      ).map(fromRow);
    await waitFor(() => read().length > 0, { what: `the audit record of ${requestId}`, timeoutMs: 20_000 });
    return read();
  };

  beforeAll(async () => {
    stack = await startStack({ residents: 200, seed: 83 });
    db = new Database(path.join(stack.dataDir, 'gateway.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await stack.stop();
  });

  it.each(ROLES)('gives $department ($roles) the whole schema a client generator needs, and records the request', async (caller) => {
    const requestId = `introspect-${caller.department}`;
    const result = await stack.query<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true }), undefined, {
      as: { department: caller.department, roles: caller.roles },
      purpose: caller.purpose,
      headers: { 'x-request-id': requestId },
    });
    expect(result.errors).toBeUndefined();
    const schema = buildClientSchema(result.data!);
    const resident = schema.getType('Resident');
    expect(isObjectType(resident) && Object.keys(resident.getFields())).toEqual(expect.arrayContaining(['id', 'name', 'idNumber']));
    expect(resident?.description).toMatch(/居民/);
    const gridEvent = schema.getType('GridEvent');
    expect(
      gridEvent &&
        schema
          .getPossibleTypes(gridEvent as never)
          .map((type) => type.name)
          .sort(),
    ).toEqual(['Incident', 'Visit']);
    const [record] = await recordOf(requestId);
    expect(record).toMatchObject({ outcome: 'ok', status: 200, department: caller.department, purpose: caller.purpose });
    expect(record!.decisions).toEqual([{ coordinate: 'Query.__schema', decision: 'allow' }]);
  });

  it('answers __type for one type, as the IDE asks for a type it shows', async () => {
    const result = await stack.query<{ __type: { name: string; fields: { name: string }[] } }>(
      '{ __type(name: "Resident") { name fields { name } } }',
      undefined,
      { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.__type.fields.map((field) => field.name)).toContain('idNumber');
  });

  it('shows the schema only: introspection next to a denied field still nulls the field', async () => {
    const result = await stack.query<Record<string, unknown>>(
      '{ __type(name: "Benefit") { name } residents(first: 1) { nodes { idNumber } } }',
      undefined,
      { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' },
    );
    expect(result.data!.__type).toEqual({ name: 'Benefit' });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
  });

  it('refuses the unauthenticated with 401, and records that too', async () => {
    const response = await postGraphQL(stack.gatewayUrl, '{ __schema { types { name } } }', undefined, {
      'x-purpose': 'service',
      'x-request-id': 'introspect-anonymous',
    });
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.errors)).toContain('UNAUTHENTICATED');
    const [record] = await recordOf('introspect-anonymous');
    expect(record).toMatchObject({ outcome: 'refused', status: 401, sub: null });
  });
});
