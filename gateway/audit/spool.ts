import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { canonicalForm, chainHash, GENESIS_HASH, type AuditEntry, type ChainHead } from './audit-record';

/**
 * The spool: audit records the store could not commit by the shutdown
 * deadline, kept in a file until the next start replays them into the chain,
 * in order, before any new record. The file holds the unsealed entries (the
 * same ids, codes and decisions a record holds, never a value), the head of
 * the chain they continue (their base), and an HMAC under the audit key over
 * all of it, so that an edited, reordered or cut-short spool is reported
 * rather than replayed. It is written whole, beside its final name, synced
 * to disk and renamed into place, the folder synced too: a spool is either
 * all there after a crash or power cut, or not there at all.
 *
 * Format, one JSON value a line: the header `{"spool":1,"base":{"seq","hash"},
 * "entries":N,"at":…}`, the N entries, then `{"mac":…}` over every byte
 * before it.
 */
export interface Spool {
  /** The head of the chain when the entries were spooled: they continue it. */
  base: ChainHead;
  entries: AuditEntry[];
  /** The spool's HMAC; the anchor written with it names it, so a deleted spool is noticed too. */
  mac: string;
}

/** What the anchor says of the spool written at the same shutdown. */
export interface SpoolSeal {
  entries: number;
  mac: string;
}

export type SpoolFault = 'edited' | 'truncated' | 'missing' | 'unrelated';

/** A spool that must not be replayed: the start stops, and audit:verify reports it, naming why. */
export class SpoolError extends Error {
  constructor(
    readonly fault: SpoolFault,
    readonly file: string,
    detail: string,
  ) {
    super(`the audit spool ${file} ${detail}`);
  }
}

const FORMAT = 1;

/** The spool beside the anchor, where the gateway's settings do not say otherwise (tests, tools); the gateway's is DATA_DIR/audit-spool.jsonl. */
export function defaultSpoolFile(anchorFile: string): string {
  return path.join(path.dirname(anchorFile), 'audit-spool.jsonl');
}

function spoolMac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update('audit-spool\n').update(text).digest('hex');
}

/** Makes a file's entry in its folder durable (a rename or an unlink), as fsync of the file alone does not. */
function syncFolder(file: string): void {
  const fd = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `entries` as the spool continuing `base`, readable by its owner
 * only, and returns its seal for the anchor. A spool already there (which
 * the store's start replays, so only a start that failed leaves one) is
 * kept: the new entries are added after its own.
 */
export function writeSpool(file: string, key: Buffer, base: ChainHead, entries: readonly AuditEntry[]): SpoolSeal {
  const earlier = readSpool(file, key);
  const all = earlier ? [...earlier.entries, ...entries] : entries;
  const header = {
    spool: FORMAT,
    base: earlier?.base ?? { seq: base.seq, hash: base.hash },
    entries: all.length,
    at: new Date().toISOString(),
  };
  const body = [header, ...all].map((value) => `${JSON.stringify(value)}\n`).join('');
  const mac = spoolMac(key, body);
  const draft = `${file}.${process.pid}.tmp`;
  const fd = openSync(draft, 'w', 0o600);
  try {
    writeSync(fd, `${body}${JSON.stringify({ mac })}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(draft, file);
  syncFolder(file);
  return { entries: all.length, mac };
}

/** The spool, or null if there is none; throws SpoolError if it is not as the gateway wrote it. */
export function readSpool(file: string, key: Buffer): Spool | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // The seal is the last line; a file cut anywhere has lost it (or holds half of it).
  const sealAt = text.lastIndexOf('\n', text.length - 2) + 1;
  let mac: unknown;
  try {
    mac = text.endsWith('\n') ? (JSON.parse(text.slice(sealAt)) as { mac?: unknown }).mac : undefined;
  } catch {
    mac = undefined;
  }
  if (typeof mac !== 'string') throw new SpoolError('truncated', file, 'ends before its seal: it was cut short');
  const body = text.slice(0, sealAt);
  const expected = Buffer.from(spoolMac(key, body), 'hex');
  const given = Buffer.from(mac, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SpoolError('edited', file, 'does not match its seal: it was changed, or not written with this audit key');
  }
  const [header, ...entries] = body
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
  const { spool, base, entries: count } = header as { spool: number; base: ChainHead; entries: number };
  if (spool !== FORMAT || count !== entries.length) throw new SpoolError('edited', file, `is sealed but not a spool of format ${FORMAT}`);
  return { base, entries: entries as AuditEntry[], mac };
}

/** Removes the spool once its entries are committed; the removal is synced to disk before this returns. */
export function removeSpool(file: string): void {
  unlinkSync(file);
  syncFolder(file);
}

/** What a spool's entries are looked for in: the trail's head, a record's hash, and the records that may be the entries. */
export interface SpooledTrail {
  head(): Promise<ChainHead>;
  hashAt(seq: number): Promise<string | null>;
  linksOf(after: number, requestIds: readonly string[], from: string, to: string): Promise<StoredLink[]>;
}

/** A stored record's place in the chain, enough to tell whether an entry was sealed into it. */
export interface StoredLink {
  seq: number;
  requestId: string;
  prevHash: string;
  hash: string;
}

/**
 * Which of the spool's entries the trail holds already (their indexes): a
 * start that replayed some may have stopped before removing the spool, and
 * the commit in doubt at the shutdown deadline may have gone through after
 * all. Other replicas write to the same trail, so the spool's entries are
 * not found by position: each is looked for among the records after the
 * spool's base with its request id and its time, and counts as there only
 * if a record's hash is the one the entry seals to at that record's number
 * after that record's predecessor. A spool whose base the trail does not
 * hold as it was belongs to another trail and is refused.
 */
export async function spooledInTrail(file: string, spool: Spool, key: Buffer, trail: SpooledTrail): Promise<Set<number>> {
  const { base, entries } = spool;
  const head = await trail.head();
  const baseHash = base.seq === 0 ? GENESIS_HASH : await trail.hashAt(base.seq);
  if (head.seq < base.seq || baseHash !== base.hash) {
    throw new SpoolError('unrelated', file, `continues record ${base.seq}, which this trail does not hold as it was`);
  }
  const present = new Set<number>();
  if (entries.length === 0 || head.seq === base.seq) return present;
  const times = entries.map((entry) => entry.at).sort();
  const stored = new Map<string, StoredLink[]>();
  for (const link of await trail.linksOf(
    base.seq,
    [...new Set(entries.map((entry) => entry.requestId))],
    times[0]!,
    times[times.length - 1]!,
  )) {
    stored.set(link.requestId, [...(stored.get(link.requestId) ?? []), link]);
  }
  // Each stored record stands for one entry: two entries alike (the same system event twice) need two records.
  const used = new Set<number>();
  for (const [i, entry] of entries.entries()) {
    const links = stored.get(entry.requestId) ?? [];
    const match = links.find((link) => !used.has(link.seq) && chainHash(key, link.prevHash, canonicalForm(link.seq, entry)) === link.hash);
    if (match) {
      used.add(match.seq);
      present.add(i);
    }
  }
  return present;
}
