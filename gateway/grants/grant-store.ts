import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../common/logger';
import { isGrantActive } from '../access/decide';
import type { GrantSource } from '../access/grants';
import type { Grant } from '../access/policy';
import { GrantRecord } from './grant.entity';

/**
 * Grants in the gateway's own database, read again every `reloadMs`: a new,
 * expired or revoked grant changes decisions within seconds, without a
 * restart. The version is a digest of the grants in force, so cached
 * decisions made under another set are never reused.
 */
export class GrantStore implements GrantSource {
  private snapshot: { grants: readonly Grant[]; version: string } = { grants: [], version: 'empty' };
  private timer: NodeJS.Timeout | undefined;
  private loadedAt = 0;
  /** How long the last grants read may serve when reading fails; afterwards no grant applies. */
  private maxAgeMs = 30_000;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  current(): { grants: readonly Grant[]; version: string } {
    // Fail closed: grants that cannot be re-read are not trusted for long (one may have been revoked).
    if (this.clock().getTime() - this.loadedAt > this.maxAgeMs) return { grants: [], version: 'stale' };
    return this.snapshot;
  }

  /** Seeds `grants` when the store holds none (the sandbox's G1–G5). */
  async seedIfEmpty(grants: readonly Grant[]): Promise<void> {
    const repository = this.dataSource.getRepository(GrantRecord);
    if ((await repository.count()) > 0) return;
    await repository.insert(
      grants.map((grant) => ({
        ...grant,
        fields: [...grant.fields],
        purposes: [...grant.purposes],
        masked: [...grant.masked],
        areas: grant.areas ? [...grant.areas] : null,
        revokedAt: grant.revokedAt ?? null,
      })),
    );
  }

  async reload(): Promise<void> {
    const now = this.clock().toISOString();
    const rows = await this.dataSource.getRepository(GrantRecord).find({ order: { id: 'ASC' } });
    const grants: Grant[] = rows.filter((grant) => isGrantActive(grant, now));
    const version = createHash('sha256').update(JSON.stringify(grants)).digest('base64url').slice(0, 16);
    if (version !== this.snapshot.version) this.logger.info({ grants: grants.map((g) => g.id), version }, 'grants in force');
    this.snapshot = { grants, version };
    this.loadedAt = this.clock().getTime();
  }

  /** Every grant, in force or not (for stewards). */
  async listAll(): Promise<Grant[]> {
    return this.dataSource.getRepository(GrantRecord).find({ order: { id: 'ASC' } });
  }

  start(reloadMs: number): void {
    this.maxAgeMs = Math.max(30_000, 10 * reloadMs);
    this.timer = setInterval(() => {
      // A failed read keeps the last known grants; it is logged and tried again.
      this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'could not reload grants'));
    }, reloadMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
