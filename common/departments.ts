import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEPARTMENT_CODE } from './department-code';
import { GATEWAY_KEY_FOLDER } from './key-files';
import { projectRoot } from './project-root';

/**
 * The departments of the deployment, read once from `departments.json` at the
 * project root: the one list the gateway's subgraph URLs, `npm start`, the
 * composition, the tests, the benchmark and the lint boundaries all derive
 * from. The file is read at run time (not bundled into dist/) so that it can
 * become the operator's configuration; a malformed entry stops whoever reads
 * it, naming the entry and the member.
 */
export interface Department {
  /** Code of the department: its subgraph's name in the supergraph and the audience of signed calls. */
  name: string;
  /** Chinese and English, for people. */
  title: string;
  /** The subgraph's folder, relative to the project root (and to dist/). */
  folder: string;
  defaultPort: number;
  /** Environment variables that override, per department, where it listens and keeps its data. */
  env: { url: string; port: string; databaseUrl: string };
  /** Its checked-in SDL, relative to the project root. */
  schemaFile: string;
  /**
   * Where its subgraph's own keys live in the sandbox: a folder relative to
   * DATA_DIR (`keys/grid`) that the gateway hands its key out into and that
   * subgraph alone reads.
   */
  keys: string;
}

export const DEPARTMENTS_FILE = 'departments.json';

const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
const FOLDER_NAME = /^[A-Za-z0-9._-]+$/;

/** A folder inside DATA_DIR: names of letters, digits, `.`, `_` and `-` joined by `/`, none of them `.` or `..`. */
function keyFolder(entry: Record<string, unknown>, where: string): string {
  const folder = text(entry, 'keys', where);
  const names = folder.split('/');
  if (!names.every((name) => FOLDER_NAME.test(name) && name !== '.' && name !== '..')) {
    throw new Error(`${DEPARTMENTS_FILE}: ${where} needs "keys" as a folder relative to DATA_DIR, without "." or ".." (keys/<name>)`);
  }
  return folder;
}

function text(entry: Record<string, unknown>, key: string, where: string, pattern?: RegExp): string {
  const value = entry[key];
  if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) {
    throw new Error(`${DEPARTMENTS_FILE}: ${where} needs "${key}" as ${pattern ? `text matching ${pattern}` : 'text'}`);
  }
  return value;
}

function parseDepartment(raw: unknown, index: number): Department {
  const where = `entry ${index}`;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${DEPARTMENTS_FILE}: ${where} is not an object`);
  const entry = raw as Record<string, unknown>;
  const env = (typeof entry.env === 'object' && entry.env !== null ? entry.env : {}) as Record<string, unknown>;
  const port = entry.defaultPort;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${DEPARTMENTS_FILE}: ${where} needs "defaultPort" as a TCP port`);
  }
  return {
    name: text(entry, 'name', where, DEPARTMENT_CODE),
    title: text(entry, 'title', where),
    folder: text(entry, 'folder', where),
    defaultPort: port,
    env: {
      url: text(env, 'url', `${where} env`, ENV_KEY),
      port: text(env, 'port', `${where} env`, ENV_KEY),
      databaseUrl: text(env, 'databaseUrl', `${where} env`, ENV_KEY),
    },
    schemaFile: text(entry, 'schemaFile', where),
    keys: keyFolder(entry, where),
  };
}

/** Whether one folder is the other or lies inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * Each department is its own trust domain: no key folder may be, hold or lie
 * inside another department's or the gateway's.
 */
function checkKeyFolders(departments: readonly Department[]): void {
  for (const [i, department] of departments.entries()) {
    if (overlaps(department.keys, GATEWAY_KEY_FOLDER)) {
      throw new Error(`${DEPARTMENTS_FILE}: entry ${i} "keys" overlaps the gateway's key folder ${GATEWAY_KEY_FOLDER}`);
    }
    const other = departments.findIndex((candidate, j) => j !== i && overlaps(department.keys, candidate.keys));
    if (other >= 0) throw new Error(`${DEPARTMENTS_FILE}: entries ${Math.min(i, other)} and ${Math.max(i, other)} share key folders`);
  }
}

/** Validates the registry's content: a non-empty list, names and ports each used once, key folders apart. */
export function parseDepartments(raw: unknown): readonly Department[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${DEPARTMENTS_FILE} must be a non-empty list of departments`);
  const departments = raw.map(parseDepartment);
  for (const key of ['name', 'defaultPort', 'folder', 'schemaFile'] as const) {
    const seen = new Set(departments.map((department) => department[key]));
    if (seen.size !== departments.length) throw new Error(`${DEPARTMENTS_FILE}: two departments share a ${key}`);
  }
  checkKeyFolders(departments);
  return Object.freeze(departments);
}

/**
 * The registry's file: `departments.json` at the project root, or the file
 * GOVGRAPH_DEPARTMENTS names (relative to the project root), for an
 * operator who keeps the deployment's registry apart from the checkout.
 * Folders in it are still relative to the project root, where the code is.
 */
export function departmentsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(projectRoot(), env.GOVGRAPH_DEPARTMENTS || DEPARTMENTS_FILE);
}

function readDepartments(): readonly Department[] {
  const file = departmentsFile();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`the department registry ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseDepartments(raw);
}

/** Every department, in the file's order (which is also the composition's order). */
export const DEPARTMENTS: readonly Department[] = readDepartments();

/** The department called `name`; an unknown name is a programming or configuration error. */
export function findDepartment(name: string): Department {
  const department = DEPARTMENTS.find((candidate) => candidate.name === name);
  if (!department) throw new Error(`${name} is not a department of ${DEPARTMENTS_FILE}`);
  return department;
}
