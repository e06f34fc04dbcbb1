/**
 * The sandbox's sample identities, one per kind of user, offered to the IDE
 * and the console (GET /sandbox/identities) with a token minted for each, so
 * that a developer or a steward trying the sandbox picks who to be instead
 * of running `npm run token`. Only the sandbox has them: with an identity
 * provider (AUTH_JWKS_URL) the route does not exist, and even in the
 * sandbox it answers callers on this machine only: a loopback peer, naming
 * this machine as Host, not forwarded by a proxy.
 */
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from './identity';
import { mintSandboxToken } from './sandbox-keys';

interface Sample extends Identity {
  key: string;
  label: string;
  purpose: string;
}

const COUNTY = ['610921'];

/** Villages and townships of the seeded county (synth/), so the grid worker sees residents. */
export const SAMPLE_IDENTITIES: readonly Sample[] = [
  {
    key: 'ca-officer',
    label: '民政 · 科员 (civil-affairs officer)',
    sub: 'ca-0001',
    name: '民政科员',
    department: 'civil-affairs',
    roles: ['officer'],
    areas: COUNTY,
    purpose: 'service',
  },
  {
    key: 'grid-worker',
    label: '网格 · 网格员 (grid worker)',
    sub: 'w-0001',
    name: '网格员甲',
    department: 'grid',
    roles: ['grid_worker'],
    areas: ['610921102201'],
    purpose: 'assistance',
  },
  {
    key: 'petitions-officer',
    label: '信访 · 科员 (petitions officer)',
    sub: 'xf-0001',
    name: '信访科员',
    department: 'petitions',
    roles: ['officer'],
    areas: COUNTY,
    purpose: 'petition_handling',
  },
  {
    key: 'analyst',
    label: '统计 · 分析员 (statistics analyst)',
    sub: 'tj-0001',
    name: '统计分析员',
    department: 'statistics',
    roles: ['analyst'],
    areas: COUNTY,
    purpose: 'statistics',
  },
  {
    key: 'grid-steward',
    label: '网格 · 数据管理员 (grid steward)',
    sub: 'grid-steward',
    name: '网格数据管理员',
    department: 'grid',
    roles: ['steward'],
    areas: COUNTY,
    purpose: 'supervision',
  },
  {
    key: 'ca-steward',
    label: '民政 · 数据管理员 (civil-affairs steward)',
    sub: 'ca-steward',
    name: '民政数据管理员',
    department: 'civil-affairs',
    roles: ['steward'],
    areas: COUNTY,
    purpose: 'supervision',
  },
  {
    key: 'petitions-steward',
    label: '信访 · 数据管理员 (petitions steward)',
    sub: 'xf-steward',
    name: '信访数据管理员',
    department: 'petitions',
    roles: ['steward'],
    areas: COUNTY,
    purpose: 'supervision',
  },
  {
    key: 'ss-steward',
    label: '人社 · 数据管理员 (social-security steward)',
    sub: 'rs-steward',
    name: '人社数据管理员',
    department: 'social-security',
    roles: ['steward'],
    areas: COUNTY,
    purpose: 'supervision',
  },
  {
    key: 'office-steward',
    label: '数据局 · 数据管理员 (data-office steward)',
    sub: 'office-steward',
    name: '数据局管理员',
    department: 'data-office',
    roles: ['steward'],
    areas: COUNTY,
    purpose: 'supervision',
  },
];

const TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * Whether the Host a browser named is this machine by a name no web page
 * can rebind: a page that points its own name at 127.0.0.1 (DNS rebinding)
 * still sends its own name as Host, and is refused.
 */
export function localHost(host: string | undefined): boolean {
  return host !== undefined && /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i.test(host);
}

/** Whether a peer address is this machine's own: 127.0.0.0/8 or ::1, however the socket writes it. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/** The route: GET /sandbox/identities, answered with the samples and a fresh token for each. */
export function sampleIdentityRoute(privateKey: KeyObject): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  return (req, res, url) => {
    if (url.pathname !== '/sandbox/identities' || req.method !== 'GET') return false;
    const answer = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (!isLoopback(req.socket.remoteAddress) || !localHost(req.headers.host) || req.headers['x-forwarded-for'] || req.headers.forwarded) {
      answer(403, {
        errors: [{ message: 'Sample identities are offered to this machine only', extensions: { code: 'FORBIDDEN_OPERATION' } }],
      });
      return true;
    }
    Promise.all(
      SAMPLE_IDENTITIES.map(async ({ key, label, purpose, ...identity }) => ({
        key,
        label,
        purpose,
        department: identity.department,
        roles: identity.roles,
        areas: identity.areas,
        token: await mintSandboxToken(privateKey, identity, TOKEN_TTL_SECONDS),
      })),
    ).then(
      (identities) => answer(200, { identities }),
      () => answer(500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL' } }] }),
    );
    return true;
  };
}

/**
 * GET /auth/config: what a browser app needs to know to get a token: the
 * issuer and audience the gateway accepts, and whether this is the sandbox
 * (whose sample identities it can offer). Public facts, no secret.
 */
export function authConfigRoute(config: { issuer: string; audience: string; sandbox: boolean }) {
  const text = JSON.stringify(config);
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (url.pathname !== '/auth/config' || req.method !== 'GET') return false;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
    return true;
  };
}
