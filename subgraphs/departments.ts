import path from 'node:path';
import type { Department } from '../common/departments';
import type { DepartmentServer } from './department-server';

/**
 * From the department registry to code: each department's folder exports
 * `department` (a DepartmentServer) from `server`, so whoever runs, composes
 * or seeds every department finds them through the registry instead of
 * importing each by name. Lives outside kit/ and outside any one department.
 */
export async function loadDepartment(department: Department): Promise<DepartmentServer> {
  // Relative to this file, so it resolves to the sources under ts-jest and to dist/ when compiled.
  const module = (await import(path.join(__dirname, '..', department.folder, 'server'))) as { department?: DepartmentServer };
  const server = module.department;
  if (!server || server.name !== department.name || typeof server.start !== 'function' || typeof server.schema !== 'function') {
    throw new Error(
      `${department.folder}/server must export the department ${department.name} as \`department\` (subgraphs/department-server.ts)`,
    );
  }
  return server;
}
