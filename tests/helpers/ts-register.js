/**
 * Lets a child process run the TypeScript sources directly, as jest does
 * (transpile only, CommonJS), so a test can start a service as its own
 * process without building dist first: node -r tests/helpers/ts-register.js gateway/main.ts
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload, loaded with node -r */
const ts = require('typescript');
const fs = require('node:fs');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
