import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../../common/logger';
import { GENESIS_HASH, type ChainHead } from './audit-record';
import type { SpoolSeal } from './spool';

/**
 * The anchor: the chain's head, kept in a file outside the database and
 * signed with the audit key, so that a tail cut off the trail (which leaves
 * an intact, shorter chain) is detected too: by the store when it opens, and
 * by audit:verify. The anchor written at a shutdown that left records in the
 * spool also names that spool, so that a spool deleted before the next start
 * is detected as well.
 */
export interface Anchor extends ChainHead {
  spool?: SpoolSeal;
}

/** How long the anchor may lag behind the head, also when traffic stops. */
const FOLLOW_MS = 1000;

function anchorMac(key: Buffer, anchor: Anchor): string {
  const spool = anchor.spool ? `\nspool\n${anchor.spool.entries}\n${anchor.spool.mac}` : '';
  return createHmac('sha256', key).update(`anchor\n${anchor.seq}\n${anchor.hash}${spool}`).digest('hex');
}

/** Replaces the anchor file at once (written aside, then renamed), readable by its owner only. */
export async function writeAnchor(file: string, key: Buffer, anchor: Anchor): Promise<void> {
  const draft = `${file}.${process.pid}.tmp`;
  const spool = anchor.spool ? { spool: { entries: anchor.spool.entries, mac: anchor.spool.mac } } : {};
  await writeFile(
    draft,
    JSON.stringify({ seq: anchor.seq, hash: anchor.hash, ...spool, at: new Date().toISOString(), mac: anchorMac(key, anchor) }),
    { mode: 0o600 },
  );
  await rename(draft, file);
}

/** The anchored head, or null if no anchor was written yet; throws if the file was not written with this key. */
export function readAnchor(file: string, key: Buffer): Anchor | null {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(raw) as { seq: number; hash: string; spool?: SpoolSeal; mac: string };
  if (anchorMac(key, parsed) !== parsed.mac) throw new Error(`the audit anchor ${file} was not written with the audit key`);
  return parsed.spool ? { seq: parsed.seq, hash: parsed.hash, spool: parsed.spool } : { seq: parsed.seq, hash: parsed.hash };
}

/** Keeps the anchor file following the chain's head. */
export class AnchorKeeper {
  private anchoredAt = 0;
  private latest: Anchor = { seq: 0, hash: '' };
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Set by seal(): the shutdown's anchor is written, and no later head replaces it. */
  private sealed = false;

  constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private readonly logger: Logger,
  ) {}

  /**
   * Throws unless the stored chain still reaches the anchored record: a
   * tail cut off while the gateway was down must not be papered over by new
   * records under the same numbers. Returns the anchor, for the spool it may name.
   */
  async check(head: ChainHead, hashAt: (seq: number) => Promise<string | null>): Promise<Anchor | null> {
    const anchor = readAnchor(this.file, this.key);
    if (!anchor) return null;
    // Anchored at 0 only when the first records of all went to the spool.
    const stored = anchor.seq === 0 ? GENESIS_HASH : await hashAt(anchor.seq);
    if (head.seq < anchor.seq || stored !== anchor.hash) {
      throw new Error(`the audit trail no longer reaches its anchored record ${anchor.seq}: run npm run audit:verify before starting`);
    }
    return anchor;
  }

  /** The head moved: anchored at once if the last write is a while ago, else within FOLLOW_MS. */
  follow(head: ChainHead): void {
    if (this.sealed) return;
    this.latest = head;
    if (Date.now() - this.anchoredAt > FOLLOW_MS) {
      void this.write(head);
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.write(this.latest);
    }, FOLLOW_MS).unref();
  }

  /**
   * Off the event loop: a rename can take milliseconds on some filesystems.
   * Writes follow one another, each with the head it was given; a failure
   * is logged (the next write tries again), never thrown at the caller.
   */
  write(head: ChainHead): Promise<void> {
    if (head.seq === 0 || this.sealed) return this.writing;
    return this.queueWrite({ seq: head.seq, hash: head.hash });
  }

  /** Anchors `head` now, after any write under way; throws if it cannot (the caller must not go on as if it had). */
  async replace(head: ChainHead): Promise<void> {
    await this.writing;
    this.anchoredAt = Date.now();
    const write = writeAnchor(this.file, this.key, { seq: head.seq, hash: head.hash });
    this.writing = write.catch(() => undefined);
    await write;
  }

  /**
   * The last write, at shutdown: the head and the spool left with it, if
   * any. Nothing follows it, so that the anchor keeps naming the spool
   * until the next start has replayed it.
   */
  seal(head: ChainHead, spool: SpoolSeal | undefined): Promise<void> {
    this.sealed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (head.seq === 0 && !spool) return this.writing;
    return this.queueWrite(spool ? { seq: head.seq, hash: head.hash, spool } : { seq: head.seq, hash: head.hash });
  }

  private queueWrite(anchor: Anchor): Promise<void> {
    this.anchoredAt = Date.now();
    this.writing = this.writing
      .then(() => writeAnchor(this.file, this.key, anchor))
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not write the audit anchor'));
    return this.writing;
  }
}
