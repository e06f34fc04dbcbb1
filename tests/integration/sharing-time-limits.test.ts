import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import { projectRoot } from '../../common/project-root';
import { readCatalog } from '../../gateway/access/catalog';
import { GrantRecord } from '../../gateway/grants/grant.entity';
import { GRANT_MIGRATIONS } from '../../gateway/grants/migrations';
import { CreateSharingRequests1796688000002 } from '../../gateway/sharing/migrations/1796688000002-create-sharing-requests';
import { SharingService, type SharingEvent } from '../../gateway/sharing/sharing-service';
import { SharingPartRecord, SharingRequestRecord, SharingStepRecord } from '../../gateway/sharing/sharing.entities';
import { WorkingCalendar } from '../../gateway/sharing/working-calendar';

const GRID = { sub: 'grid-steward', department: 'grid', roles: ['steward'] };
const OFFICE = { sub: 'office-steward', department: 'data-office', roles: ['steward'] };

/**
 * Time limits as the workflow keeps them, on a real SQLite file with the
 * clock set: due dates over a Spring Festival and its exchanged Saturday,
 * `overdue` turning true the moment a limit ends, a date past the calendar's
 * years marked estimated, and an expired grant recorded once.
 */
describe('sharing time limits', () => {
  let dir: string;
  let dataSource: DataSource;
  let now: Date;
  let service: SharingService;
  const recorded: SharingEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-sharing-'));
    const db: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(
      createDataSource(
        db,
        {
          entities: [GrantRecord, SharingRequestRecord, SharingPartRecord, SharingStepRecord],
          migrations: [...GRANT_MIGRATIONS, CreateSharingRequests1796688000002],
        },
        new StatementCounter(),
      ),
      db,
    );
    service = new SharingService({
      dataSource,
      catalog: readCatalog(readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8')).catalog,
      calendar: WorkingCalendar.load(path.join(projectRoot(), 'calendar', 'cn-working-days.json')),
      recordSystemEvent: (event) => recorded.push(event),
      logger: createLogger('test', 'silent'),
      clock: () => now,
    });
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (validUntil: string) => ({
    fields: ['Resident.birthDate'],
    purposes: ['assistance'],
    scenario: '高龄津贴',
    basis: '条例',
    validUntil,
  });
  const overdueIds = async (overdue: boolean) => (await service.list(OFFICE, { overdue }, 100, undefined)).nodes.map((r) => r.id);

  it('counts the review over the Spring Festival, and is overdue only once its last day has ended in Beijing', async () => {
    now = new Date('2026-02-13T04:00:00Z');
    const { view } = await service.request(GRID, input('2026-06-01T00:00:00Z'), 'r1');
    // Saturday 14 February is worked in exchange; 15-23 February are the holiday.
    expect(view).toMatchObject({ status: 'SUBMITTED', dueDate: '2026-02-24', dueAt: '2026-02-24T16:00:00.000Z', dueEstimated: false });
    now = new Date('2026-02-24T15:59:59Z');
    expect(await overdueIds(true)).not.toContain(view.id);
    expect(await overdueIds(false)).toContain(view.id);
    now = new Date('2026-02-24T16:00:01Z');
    expect(await overdueIds(true)).toContain(view.id);
    expect(await overdueIds(false)).not.toContain(view.id);

    // Forwarded on Wednesday 25 February: five working days, the third the exchanged Saturday 28.
    now = new Date('2026-02-25T02:00:00Z');
    const { view: forwarded } = await service.review(OFFICE, view.id, true, null, 'r2');
    expect(forwarded.parts).toEqual([expect.objectContaining({ status: 'PENDING', dueDate: '2026-03-03' })]);
    expect(await overdueIds(true)).not.toContain(view.id);
    now = new Date('2026-03-03T16:00:01Z');
    expect(await overdueIds(true)).toContain(view.id);
  });

  it('marks a due date in a year the calendar does not cover as estimated', async () => {
    now = new Date('2026-12-30T04:00:00Z');
    const { view } = await service.request(GRID, input('2027-06-01T00:00:00Z'), 'r3');
    expect(view).toMatchObject({ dueDate: '2027-01-01', dueEstimated: true });
  });

  it('records an approved grant’s expiry once, as a step of its request', async () => {
    now = new Date('2026-03-05T02:00:00Z');
    const [first] = (await service.list(OFFICE, { status: 'FORWARDED' }, 1, undefined)).nodes;
    const { view } = await service.answer(
      { sub: 'ca', department: 'civil-affairs', roles: ['steward'] },
      first!.id,
      true,
      null,
      { validUntil: '2026-04-01T00:00:00Z' },
      'r4',
    );
    const grant = view.parts[0]!.grantId!;
    expect(await service.recordExpiries()).toBe(0);
    now = new Date('2026-04-01T00:00:01Z');
    expect(await Promise.all([service.recordExpiries(), service.recordExpiries()])).toEqual(expect.arrayContaining([1, 0]));
    expect(await service.recordExpiries()).toBe(0);
    expect(recorded).toEqual([expect.objectContaining({ action: 'EXPIRE', request: first!.id, grant })]);
    expect((await service.find(first!.id))!.history.map((step) => step.action)).toEqual(['REQUEST', 'FORWARD', 'APPROVE', 'EXPIRE']);
  });
});
