/**
 * Department codes as the platform names them (`civil-affairs`, `housing`,
 * `township`): in the department registry, and wherever an input names a
 * department, such as the department a petition or incident goes to.
 */
export const DEPARTMENT_CODE = /^[a-z][a-z0-9-]{1,39}$/;
export const DEPARTMENT_CODE_MESSAGE = 'department must be a department code: lower-case letters, digits and dashes, e.g. housing';
