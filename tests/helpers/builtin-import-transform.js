/**
 * Jest only: OpenTelemetry's OTLP exporter loads `http`/`https` with a
 * dynamic `import()` when it first sends, which Jest's CommonJS sandbox
 * refuses without --experimental-vm-modules (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG;
 * open-telemetry/opentelemetry-js#6035). For that package's files alone,
 * `import('http')` becomes the `require` it stands for, so the tests send
 * real OTLP requests with the real exporter; outside Jest nothing changes.
 */
const BUILTIN_IMPORT = /\bimport\((['"])(https?)\1\)/g;

module.exports = {
  process(source) {
    return { code: source.replace(BUILTIN_IMPORT, "Promise.resolve().then(() => require('$2'))") };
  },
};
