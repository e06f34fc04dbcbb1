import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '../logger';

/**
 * Counts every SQL statement a DataSource sends, so tests and benchmarks can
 * show that statements per request do not grow with page size. Statements
 * are never logged with their parameters (they may hold personal data).
 */
export class StatementCounter implements TypeOrmLogger {
  private total = 0;

  constructor(private readonly logger?: Logger) {}

  get count(): number {
    return this.total;
  }

  logQuery(): void {
    this.total += 1;
  }

  /** TypeORM has already reported the statement through logQuery. */
  logQueryError(error: string | Error): void {
    this.logger?.error({ err: typeof error === 'string' ? new Error(error) : error }, 'SQL statement failed');
  }

  logQuerySlow(time: number): void {
    this.logger?.warn({ ms: time }, 'slow SQL statement');
  }

  logSchemaBuild(message: string): void {
    this.logger?.debug(message);
  }

  logMigration(message: string): void {
    this.logger?.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger?.warn({ detail: String(message) }, 'database warning');
  }
}
