import { parseArgs } from 'node:util';
import { DEPARTMENTS } from '../common/departments';
import { loadGatewayConfig } from '../gateway/config';
import { identityFromClaims } from '../gateway/identity/identity';
import { loadSandboxSigningKey, mintSandboxToken } from '../gateway/identity/sandbox-keys';

/**
 * `npm run -s token -- --sub ID --department DEPT --roles r1,r2 --areas a1,a2 [--name NAME] [--ttl 8h]`
 * prints a sandbox token and nothing else on stdout.
 */
const USAGE =
  'usage: npm run -s token -- --sub ID --department DEPT --roles r1,r2 --areas 610921[,…] [--name NAME] [--ttl 8h]\n' +
  `  departments: ${[...DEPARTMENTS.map((department) => department.name), 'statistics', 'data-office'].join(', ')}; ` +
  'roles: officer, grid_worker, analyst, steward\n' +
  '  --ttl: seconds, or a number with s, m, h or d (default 8h)';

export function parseTtl(text: string): number {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text);
  if (!match) throw new Error(`--ttl must be seconds or a number with s, m, h or d, such as 8h`);
  const seconds = Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > 366 * 86_400) throw new Error('--ttl must be between 1 second and 366 days');
  return seconds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      department: { type: 'string' },
      roles: { type: 'string' },
      areas: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const list = (text: string | undefined) =>
    (text ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  // The same checks the gateway applies to a token's claims.
  const identity = identityFromClaims({
    sub: values.sub,
    name: values.name,
    department: values.department,
    roles: list(values.roles),
    areas: list(values.areas),
  });
  const config = loadGatewayConfig();
  if (config.auth.jwksUrl) throw new Error('AUTH_JWKS_URL is set: tokens come from your identity provider, not from the sandbox');
  const token = await mintSandboxToken(loadSandboxSigningKey(config.dataDir).privateKey, identity, parseTtl(values.ttl));
  process.stdout.write(`${token}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  });
}
