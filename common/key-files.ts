import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyIdOf, type SigningKey, type VerifyingKeys } from './governance-context';

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

/** In the sandbox: the gateway's private signing key, and its public half for the subgraphs. */
export function governanceKeyFiles(dataDir: string): { privateKey: string; publicKey: string } {
  return {
    privateKey: path.join(dataDir, 'keys', 'governance-signing.pem'),
    publicKey: path.join(dataDir, 'keys', 'governance-signing.pub.pem'),
  };
}

/** A PEM, given as is or base64-encoded (an environment variable holds one line more easily). */
function pemText(configured: string): string {
  const text = configured.trim();
  return text.startsWith('-----BEGIN') ? text : Buffer.from(text, 'base64').toString('utf8');
}

/**
 * The gateway's key to sign governance contexts (Ed25519): from
 * configuration (a PKCS#8 PEM, or its base64) in production, or in the
 * sandbox a file under DATA_DIR made on first use, its public half written
 * beside it for the subgraphs.
 */
export function loadGovernanceSigningKey(configured: string | undefined, dataDir: string): SigningKey {
  const files = governanceKeyFiles(dataDir);
  const privateKey = createPrivateKey(
    configured
      ? pemText(configured)
      : readOrCreateKeyFile(files.privateKey, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('GOVERNANCE_SIGNING_KEY must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  if (!configured) readOrCreateKeyFile(files.publicKey, () => publicKey.export({ type: 'spki', format: 'pem' }));
  return { keyId: keyIdOf(publicKey), privateKey };
}

function publicKeysIn(pems: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const pem of pems.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? []) {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('a governance verifying key is not an Ed25519 public key');
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

/**
 * The gateway's public keys a subgraph accepts, by key id: from
 * configuration (one or more SPKI PEMs, or their base64, comma-separated:
 * old and new side by side while a key is rotated), or in the sandbox the
 * public half the gateway writes under DATA_DIR, read again (at most once a
 * second) when a request names a key id not yet known.
 */
export function loadGovernanceVerifyingKeys(configured: string | undefined, dataDir: string): VerifyingKeys {
  if (configured) {
    const keys = publicKeysIn(configured.split(',').map(pemText).join('\n'));
    if (keys.size === 0) throw new Error('GOVERNANCE_VERIFY_KEYS holds no Ed25519 public key');
    return (keyId) => keys.get(keyId);
  }
  const file = governanceKeyFiles(dataDir).publicKey;
  let keys = new Map<string, KeyObject>();
  let readAt = 0;
  return (keyId) => {
    if (!keys.has(keyId) && Date.now() - readAt >= 1000) {
      readAt = Date.now();
      try {
        keys = publicKeysIn(readFileSync(file, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
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
