// @ts-check
import { readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/**
 * Architecture boundaries (STYLE.md): a subgraph never imports another
 * subgraph or the gateway; the gateway knows the graph only through schema/;
 * the kit and common/ belong to nobody.
 */
/** The departments' subgraph folder names, from the registry (common/departments.ts validates it). */
const SUBGRAPHS = JSON.parse(readFileSync(new URL('./departments.json', import.meta.url), 'utf8')).map(
  (/** @type {{ folder: string }} */ department) => department.folder.replace(/^subgraphs\//, ''),
);

/** Import specifiers that reach subgraph `name`, relative or not, the folder or a file in it. */
function pathsTo(name) {
  return ['../', '../../', '../../../', '**/subgraphs/'].flatMap((prefix) => [`${prefix}${name}`, `${prefix}${name}/**`]);
}

function boundary(message, groups) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  ...SUBGRAPHS.map((name) => ({
    files: [`subgraphs/${name}/**/*.ts`],
    rules: boundary(`subgraphs/${name} may not import another subgraph or the gateway: departments link through federation keys`, [
      ...SUBGRAPHS.filter((other) => other !== name).flatMap(pathsTo),
      '**/gateway',
      '**/gateway/**',
    ]),
  })),
  {
    // Listed after the departments' rule, which it replaces for these files, so it repeats that rule's bans.
    files: ['subgraphs/social-security/**/*.ts'],
    rules: boundary(
      'subgraphs/social-security is built on its own stack from docs/subgraph-protocol.md: it may not import another subgraph, the kit, the gateway or the reference verifier (common/governance-context)',
      [
        ...SUBGRAPHS.filter((other) => other !== 'social-security').flatMap(pathsTo),
        ...pathsTo('kit'),
        '**/gateway',
        '**/gateway/**',
        '**/common/governance-context',
      ],
    ),
  },
  {
    files: ['subgraphs/kit/**/*.ts'],
    rules: boundary('the subgraph kit is shared by every subgraph and may not import any of them or the gateway', [
      ...SUBGRAPHS.flatMap(pathsTo),
      '**/gateway/**',
    ]),
  },
  {
    files: ['gateway/**/*.ts'],
    rules: boundary('the gateway imports no subgraph code: it knows the graph only through schema/supergraph.graphql', ['**/subgraphs/**']),
  },
  {
    // Listed after the gateway's rule, which it replaces for these files, so it repeats the subgraph ban.
    files: ['gateway/access/**/*.ts'],
    rules: boundary(
      'the access engine is pure policy, data in and data out: it imports no server, store, request or audit code, no database and no HTTP',
      [
        '**/subgraphs/**',
        ...['request', 'audit', 'grants', 'steward', 'identity'].flatMap((folder) => [`../${folder}`, `../${folder}/**`]),
        ...['server', 'stores', 'federation', 'config', 'readiness', 'subgraph-datasource', 'pooled-datasource'].map(
          (file) => `../${file}`,
        ),
        '../../common/database/**',
        '../../common/http-server',
        'typeorm',
        'better-sqlite3',
        'pg',
        'node:http',
        '@apollo/*',
      ],
    ),
  },
  {
    files: ['common/**/*.ts'],
    rules: boundary('common/ is shared by every service and may not import any of them', ['**/subgraphs/**', '**/gateway/**']),
  },
);
