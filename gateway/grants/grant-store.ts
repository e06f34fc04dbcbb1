import { createHash } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../common/logger';
import { isGrantActive } from '../access/decide';
import type { GrantSource } from '../access/grants';
import type { Grant } from '../access/policy';
import { GrantRecord } from './grant.entity';

/** The PostgreSQL channel on which a replica tells the others that grants changed. */
const CHANNEL = 'govgraph_grants';
/** How long a lost LISTEN connection waits before connecting again. */
const RELISTEN_MS = 1000;

/**
 * Grants in the gateway's own database, read again every `reloadMs`: a new,
 * expired or revoked grant changes decisions within seconds, without a
 * restart. The version is a digest of the grants in force, so cached
 * decisions made under another set are never reused.
 *
 * A step that makes or ends a grant is applied at once by the replica that
 * took it, and on PostgreSQL announced on a channel every replica listens
 * on, so that the others read the grants again at once too. Should the
 * announcement be lost (a listener reconnecting), the periodic read still
 * applies it within `reloadMs`.
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

  private reading: Promise<void> | null = null;
  private readAgain = false;
  private listener: Client | undefined;
  private stopped = false;

  /**
   * Reads the grants again. Reads follow one another: one asked for while
   * another is under way runs after it, so an older read never replaces a newer one.
   */
  reload(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.readAgain = false;
          await this.read();
        } while (this.readAgain);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /**
   * A step made or ended a grant: tells the other replicas, and resolves
   * once this one has read the grants again, so that the step's answer
   * leaves with the change in force here. Never rejects: a failure is
   * logged, and the periodic reading applies the change.
   */
  async announceChange(): Promise<void> {
    if (this.dataSource.options.type === 'postgres') {
      this.dataSource
        .query(`SELECT pg_notify('${CHANNEL}', '')`)
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not announce a change of grants; the other replicas apply it at their next reading'),
        );
    }
    await this.reloadLogged();
  }

  /** Reads the grants again; a failure is logged, never thrown (the periodic reading tries again). */
  private reloadLogged(): Promise<void> {
    return this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'could not reload grants'));
  }

  private async read(): Promise<void> {
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
    // A failed read keeps the last known grants; it is logged and tried again.
    this.timer = setInterval(() => void this.reloadLogged(), reloadMs);
    this.timer.unref();
    this.listen();
  }

  /** On PostgreSQL, a connection of its own listening for other replicas' announcements. */
  private listen(): void {
    const url = this.dataSource.options.type === 'postgres' ? (this.dataSource.options as { url?: string }).url : undefined;
    if (!url || this.stopped) return;
    // Keepalive: a connection the network dropped without a word is noticed, and the listener reconnects.
    const client = new Client({ connectionString: url, keepAlive: true });
    this.listener = client;
    const lost = (error?: unknown) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'lost the connection listening for changes of grants; connecting again');
      setTimeout(() => this.listen(), RELISTEN_MS).unref();
    };
    client.on('notification', () => void this.reloadLogged());
    client.on('error', lost);
    client.on('end', () => lost());
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      // What was announced while no one listened.
      .then(() => this.reloadLogged())
      .catch(lost);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    listener?.end().catch(() => undefined);
  }
}
