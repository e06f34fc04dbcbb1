/**
 * Lets a child process run the TypeScript sources directly, as jest does
 * (transpile only, CommonJS), so a test can start a service as its own
 * process without building dist first: node -r tests/helpers/ts-register.js gateway/main.ts
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload, loaded with node -r */
const ts = require('typescript');
const fs = require('node:fs');
const path = require('node:path');

// The project's own compiler options (decorators, target, interop), as jest's ts-jest uses them.
const root = path.join(__dirname, '..', '..');
const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { ...options, module: ts.ModuleKind.CommonJS },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
