import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyIdOf, subgraphKey, type SigningKey, type VerifyingKeys } from './governance-context';

/**
 * Reads a sandbox secret from `file`, creating it with `create()` if it does
 * not exist. Several services start at once: the file is written aside and
 * linked into place, so every one of them reads the same complete secret.
 */
export function readOrCreateKeyFile(file: string, create: () => Buffer | string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, create(), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file);
}

/** The gateway's own key folder, relative to DATA_DIR; no department's may overlap it. */
export const GATEWAY_KEY_FOLDER = 'keys/gateway';

/**
 * In the sandbox, where a key only the gateway reads lives: its own folder,
 * DATA_DIR/keys/gateway/ (0700). A key an earlier version kept directly in
 * DATA_DIR/keys/ is moved there, so an existing sandbox keeps its keys.
 */
export function gatewayKeyFile(dataDir: string, name: string): string {
  const file = path.join(dataDir, GATEWAY_KEY_FOLDER, name);
  const earlier = path.join(dataDir, 'keys', name);
  if (!existsSync(file) && existsSync(earlier)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      renameSync(earlier, file);
    } catch (error) {
      // Another service moved it first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return file;
}

/**
 * The gateway's master key for the governance context: from configuration
 * (base64, at least 32 bytes) in production, or in the sandbox a file under
 * DATA_DIR made on first use. Subgraphs never read it: each gets its own key
 * derived from it (handOutSubgraphKeys).
 */
export function loadGovernanceSigningKey(configured: string | undefined, dataDir: string): SigningKey {
  const master = loadSecret('GOVERNANCE_SIGNING_KEY', configured, gatewayKeyFile(dataDir, 'governance-signing.key'));
  return { keyId: keyIdOf(master), master };
}

/**
 * In the sandbox, where a subgraph's own keys live: the folder its registry
 * entry names (`keys`, relative to DATA_DIR), one file per master key id.
 */
export function subgraphKeyFolder(dataDir: string, keys: string): string {
  return path.join(dataDir, keys);
}

/** A subgraph the gateway signs for: its name (the audience) and its key folder as the registry gives it. */
export interface KeyHolder {
  name: string;
  keys: string;
}

/**
 * In the sandbox, the gateway hands each subgraph its own key: written to
 * DATA_DIR/<its keys folder>/governance-<key id>.key (folder 0700, file
 * 0600), which is all that subgraph reads. In production an operator gives
 * each subgraph its key (docs/subgraph-protocol.md).
 */
export function handOutSubgraphKeys(key: SigningKey, dataDir: string, subgraphs: readonly KeyHolder[]): void {
  for (const { name, keys } of subgraphs) {
    const file = path.join(subgraphKeyFolder(dataDir, keys), `governance-${key.keyId}.key`);
    readOrCreateKeyFile(file, () => subgraphKey(key.master, name));
  }
}

/**
 * A subgraph's own keys by id: from configuration (`<key id>:<base64 key>`,
 * comma-separated: old and new side by side while the master key is
 * rotated), or in the sandbox the files the gateway hands out into its own
 * folder, read again (at most once a second) when a call names an id not yet
 * known.
 */
export function loadGovernanceVerifyingKeys(configured: string | undefined, folder: string): VerifyingKeys {
  if (configured) {
    const keys = new Map<string, Buffer>();
    for (const entry of configured.split(',')) {
      const [keyId, encoded] = entry.trim().split(':');
      const key = Buffer.from(encoded ?? '', 'base64');
      if (!keyId || key.length !== 32) throw new Error('GOVERNANCE_VERIFY_KEYS must list <key id>:<base64 32-byte key>, comma-separated');
      keys.set(keyId, key);
    }
    return (keyId) => keys.get(keyId);
  }
  let keys = new Map<string, Buffer>();
  let readAt = 0;
  return (keyId) => {
    if (!keys.has(keyId) && Date.now() - readAt >= 1000) {
      readAt = Date.now();
      const found = new Map<string, Buffer>();
      try {
        for (const file of readdirSync(folder)) {
          const match = /^governance-([A-Za-z0-9_-]{16})\.key$/.exec(file);
          if (match) found.set(match[1]!, readFileSync(path.join(folder, file)));
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      keys = found;
    }
    return keys.get(keyId);
  };
}

/** A 32-byte (or longer) secret: from configuration (base64) or, in the sandbox, a file made on first use. */
export function loadSecret(name: string, configured: string | undefined, file: string): Buffer {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length < 32) throw new Error(`${name} must be at least 32 bytes, base64-encoded`);
    return key;
  }
  return readOrCreateKeyFile(file, () => randomBytes(32));
}
