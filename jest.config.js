/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.ts$': swc },
  setupFiles: ['reflect-metadata'],
  testTimeout: 60_000,
  // Integration suites start real servers; two at a time suits a two-core machine.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
};
