import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../../common/logger';
import type { ChainHead } from './audit-record';

/**
 * The anchor: the chain's head, kept in a file outside the database and
 * signed with the audit key, so that a tail cut off the trail (which leaves
 * an intact, shorter chain) is detected too: by the store when it opens, and
 * by audit:verify.
 */
export type Anchor = ChainHead;

/** How long the anchor may lag behind the head, also when traffic stops. */
const FOLLOW_MS = 1000;

function anchorMac(key: Buffer, anchor: Anchor): string {
  return createHmac('sha256', key).update(`anchor\n${anchor.seq}\n${anchor.hash}`).digest('hex');
}

/** Replaces the anchor file at once (written aside, then renamed), readable by its owner only. */
export async function writeAnchor(file: string, key: Buffer, anchor: Anchor): Promise<void> {
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(
    draft,
    JSON.stringify({ seq: anchor.seq, hash: anchor.hash, at: new Date().toISOString(), mac: anchorMac(key, anchor) }),
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
  const parsed = JSON.parse(raw) as { seq: number; hash: string; mac: string };
  if (anchorMac(key, parsed) !== parsed.mac) throw new Error(`the audit anchor ${file} was not written with the audit key`);
  return { seq: parsed.seq, hash: parsed.hash };
}

/** Keeps the anchor file following the chain's head. */
export class AnchorKeeper {
  private anchoredAt = 0;
  private latest: Anchor = { seq: 0, hash: '' };
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private readonly logger: Logger,
  ) {}

  /**
   * Throws unless the stored chain still reaches the anchored record: a
   * tail cut off while the gateway was down must not be papered over by new
   * records under the same numbers.
   */
  async check(head: ChainHead, hashAt: (seq: number) => Promise<string | null>): Promise<void> {
    const anchor = readAnchor(this.file, this.key);
    if (!anchor) return;
    if (head.seq < anchor.seq || (await hashAt(anchor.seq)) !== anchor.hash) {
      throw new Error(`the audit trail no longer reaches its anchored record ${anchor.seq}: run npm run audit:verify before starting`);
    }
  }

  /** The head moved: anchored at once if the last write is a while ago, else within FOLLOW_MS. */
  follow(head: ChainHead): void {
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
    if (head.seq === 0) return this.writing;
    this.anchoredAt = Date.now();
    const anchor = { ...head };
    this.writing = this.writing
      .then(() => writeAnchor(this.file, this.key, anchor))
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not write the audit anchor'));
    return this.writing;
  }
}
