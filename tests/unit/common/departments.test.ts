import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEPARTMENTS, findDepartment, parseDepartments } from '../../../common/departments';
import { projectRoot } from '../../../common/project-root';
import { loadGatewayConfig } from '../../../gateway/config';
import { loadDepartmentConfig } from '../../../common/subgraph-config';

const civil = {
  name: 'civil-affairs',
  title: '民政 · Civil affairs',
  folder: 'subgraphs/civil-affairs',
  defaultPort: 4001,
  env: { url: 'CIVIL_AFFAIRS_URL', port: 'CIVIL_AFFAIRS_PORT', databaseUrl: 'CIVIL_AFFAIRS_DATABASE_URL' },
  schemaFile: 'schema/civil-affairs.graphql',
  keys: 'keys/civil-affairs',
};
const housing = {
  ...civil,
  name: 'housing',
  folder: 'subgraphs/housing',
  defaultPort: 4004,
  env: { url: 'HOUSING_URL', port: 'HOUSING_PORT', databaseUrl: 'HOUSING_DATABASE_URL' },
  schemaFile: 'schema/housing.graphql',
  keys: 'keys/housing',
};

describe('the department registry', () => {
  it('is the file at the project root, in its order', () => {
    const file = JSON.parse(readFileSync(path.join(projectRoot(), 'departments.json'), 'utf8')) as unknown;
    expect(DEPARTMENTS).toEqual(file);
    expect(DEPARTMENTS.map((department) => department.name)).toEqual(['civil-affairs', 'petitions', 'grid', 'social-security']);
  });

  it('accepts well-formed entries as they are', () => {
    expect(parseDepartments([civil, housing])).toEqual([civil, housing]);
  });

  it.each([
    ['an empty list', [], 'departments.json must be a non-empty list of departments'],
    [
      'a name that is not a department code',
      [{ ...civil, name: 'Civil Affairs' }],
      'departments.json: entry 0 needs "name" as text matching',
    ],
    ['a missing title', [{ ...civil, title: undefined }], 'departments.json: entry 0 needs "title" as text'],
    ['a port out of range', [civil, { ...housing, defaultPort: 70000 }], 'departments.json: entry 1 needs "defaultPort" as a TCP port'],
    [
      'an environment key in lower case',
      [{ ...civil, env: { ...civil.env, url: 'civil_url' } }],
      'departments.json: entry 0 env needs "url"',
    ],
    ['a name used twice', [civil, { ...housing, name: 'civil-affairs' }], 'departments.json: two departments share a name'],
    ['a port used twice', [civil, { ...housing, defaultPort: 4001 }], 'departments.json: two departments share a defaultPort'],
    ['no key folder', [{ ...civil, keys: undefined }], 'departments.json: entry 0 needs "keys" as text'],
    [
      'an absolute key folder',
      [civil, { ...housing, keys: '/etc/keys' }],
      'departments.json: entry 1 needs "keys" as a folder relative to DATA_DIR',
    ],
    [
      'a key folder leaving DATA_DIR',
      [civil, { ...housing, keys: 'keys/../..' }],
      'departments.json: entry 1 needs "keys" as a folder relative to DATA_DIR',
    ],
    [
      'a key folder starting at .',
      [civil, { ...housing, keys: './keys' }],
      'departments.json: entry 1 needs "keys" as a folder relative to DATA_DIR',
    ],
    [
      'a key folder ending in /',
      [civil, { ...housing, keys: 'keys/x/' }],
      'departments.json: entry 1 needs "keys" as a folder relative to DATA_DIR',
    ],
    [
      'a key folder inside the gateway’s',
      [{ ...civil, keys: 'keys/gateway/civil' }],
      'entry 0 "keys" overlaps the gateway\'s key folder keys/gateway',
    ],
    ['a key folder holding the gateway’s', [{ ...civil, keys: 'keys' }], 'entry 0 "keys" overlaps the gateway\'s key folder keys/gateway'],
    ['a key folder shared', [civil, { ...housing, keys: 'keys/civil-affairs' }], 'departments.json: entries 0 and 1 share key folders'],
    [
      'a key folder inside another’s',
      [civil, { ...housing, keys: 'keys/civil-affairs/housing' }],
      'departments.json: entries 0 and 1 share key folders',
    ],
  ])('refuses %s, naming the entry and the member', (_case, raw, message) => {
    expect(() => parseDepartments(raw)).toThrow(message);
  });

  it('finds a department by name and refuses one it does not list', () => {
    expect(findDepartment('grid').defaultPort).toBe(4003);
    expect(() => findDepartment('housing')).toThrow('housing is not a department of departments.json');
  });
});

describe('configuration from the registry', () => {
  it("gives the gateway every department's URL: its URL variable, else its port variable, else its default port", () => {
    const config = loadGatewayConfig({ DATA_DIR: '/tmp/x', PETITIONS_URL: 'http://petitions.internal/graphql', GRID_PORT: '5003' });
    expect(config.subgraphs).toEqual([
      { name: 'civil-affairs', url: 'http://127.0.0.1:4001/graphql', keys: 'keys/civil-affairs' },
      { name: 'petitions', url: 'http://petitions.internal/graphql', keys: 'keys/petitions' },
      { name: 'grid', url: 'http://127.0.0.1:5003/graphql', keys: 'keys/grid' },
      { name: 'social-security', url: 'http://127.0.0.1:4004/graphql', keys: 'keys/social-security' },
    ]);
  });

  it("gives a subgraph its port and database from its department's variables", () => {
    const env = { DATA_DIR: '/tmp/x', GRID_PORT: '5003', GRID_DATABASE_URL: 'postgres://db/grid', PETITIONS_PORT: '1' };
    const common = { host: '127.0.0.1', logLevel: 'info', dataDir: '/tmp/x', verifyKeys: undefined };
    expect(loadDepartmentConfig('grid', env)).toEqual({
      ...common,
      service: 'grid',
      keysFolder: '/tmp/x/keys/grid',
      port: 5003,
      database: { kind: 'postgres', url: 'postgres://db/grid' },
    });
    expect(loadDepartmentConfig('civil-affairs', env)).toEqual({
      ...common,
      service: 'civil-affairs',
      keysFolder: '/tmp/x/keys/civil-affairs',
      port: 4001,
      database: { kind: 'sqlite', path: '/tmp/x/civil-affairs.sqlite' },
    });
  });
});
