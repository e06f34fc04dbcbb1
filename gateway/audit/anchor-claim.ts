import { hostname } from 'node:os';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * One gateway process per anchor and spool. Replicas sharing a database
 * each keep their own (GATEWAY_REPLICA names them); two processes on one
 * anchor would overwrite each other's head and spool. A process claims its
 * anchor with a file beside it naming its host and pid, and a second live
 * process on the same host is refused at start. A claim left by a process
 * that is gone (a crash) is taken over.
 */
export class AnchorClaimedError extends Error {}

export interface AnchorClaim {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function claimAnchor(anchorFile: string): AnchorClaim {
  const file = `${anchorFile}.owner`;
  const me = { host: hostname(), pid: process.pid };
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as { host?: unknown; pid?: unknown };
    if (owner.host === me.host && typeof owner.pid === 'number' && owner.pid !== me.pid && alive(owner.pid)) {
      throw new AnchorClaimedError(
        `another gateway process (pid ${owner.pid}) keeps its audit anchor at ${anchorFile}: ` +
          'give each replica sharing a database its own GATEWAY_REPLICA name (or its own DATA_DIR)',
      );
    }
  } catch (error) {
    if (error instanceof AnchorClaimedError) throw error;
    // No claim, or an unreadable one: taken over below.
  }
  writeFileSync(file, JSON.stringify(me), { mode: 0o600 });
  return {
    release: () => {
      try {
        const owner = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
        if (owner.pid === me.pid) unlinkSync(file);
      } catch {
        // Gone already.
      }
    },
  };
}
