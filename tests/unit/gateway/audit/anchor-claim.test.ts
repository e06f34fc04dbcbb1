import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { AnchorClaimedError, claimAnchor } from '../../../../gateway/audit/anchor-claim';

/** One live gateway process per anchor: a second is refused, a dead one's claim taken over. */
describe('claiming the audit anchor', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-claim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second live process on this host, and takes over once it is gone', async () => {
    const anchor = path.join(dir, 'audit-anchor.json');
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${anchor}.owner`, JSON.stringify({ host: hostname(), pid: other.pid }));
      expect(() => claimAnchor(anchor)).toThrow(AnchorClaimedError);
      expect(() => claimAnchor(anchor)).toThrow(`another gateway process (pid ${other.pid})`);
    } finally {
      const exited = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGKILL');
      await exited;
    }
    const claim = claimAnchor(anchor);
    expect(JSON.parse(readFileSync(`${anchor}.owner`, 'utf8'))).toEqual({ host: hostname(), pid: process.pid });
    claim.release();
    expect(existsSync(`${anchor}.owner`)).toBe(false);
  });

  it('takes over a claim from another host (a volume moved with its replica) or one it cannot read', () => {
    const anchor = path.join(dir, 'audit-anchor.json');
    writeFileSync(`${anchor}.owner`, JSON.stringify({ host: 'elsewhere', pid: process.ppid }));
    claimAnchor(anchor).release();
    writeFileSync(`${anchor}.owner`, '{half');
    claimAnchor(anchor).release();
    expect(existsSync(`${anchor}.owner`)).toBe(false);
  });
});
