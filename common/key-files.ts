import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

/**
 * The key gateway and subgraphs share to sign governance contexts: from
 * configuration (base64, at least 32 bytes) in production, or a file under
 * DATA_DIR in the sandbox.
 */
export function loadSigningKey(configured: string | undefined, dataDir: string): Buffer {
  return loadSecret('GOVERNANCE_SIGNING_KEY', configured, path.join(dataDir, 'keys', 'governance-signing.key'));
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
