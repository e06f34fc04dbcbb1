/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  // Transpile only: `npm test` type-checks the whole project with tsc first.
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // The OTLP exporter's import('http'), which Jest cannot run: see the transform.
    '/@opentelemetry/otlp-exporter-base/build/src/.+\\.js$': '<rootDir>/tests/helpers/builtin-import-transform.js',
  },
  // node_modules stay untransformed, but for the OTLP exporter's base.
  transformIgnorePatterns: ['^(?!.*/@opentelemetry/otlp-exporter-base/).*/node_modules/'],
  // reflect-metadata for the decorators; one fixed seed for every property test.
  setupFiles: ['reflect-metadata', '<rootDir>/tests/helpers/property-seed.ts'],
  // The gateway serves the browser pages: they are built first if stale.
  globalSetup: '<rootDir>/tests/helpers/global-setup.js',
  testTimeout: 60_000,
  // Integration suites start real servers; two at a time suits a two-core machine.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
};
