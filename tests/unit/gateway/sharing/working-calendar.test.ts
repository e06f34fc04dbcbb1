import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../../common/env';
import { projectRoot } from '../../../../common/project-root';
import { chinaDate, WorkingCalendar } from '../../../../gateway/sharing/working-calendar';

/** Noon in Beijing on a day, as an instant. */
const beijingNoon = (date: string) => new Date(`${date}T04:00:00Z`);

describe('the working calendar', () => {
  const calendar = WorkingCalendar.load(path.join(projectRoot(), 'calendar', 'cn-working-days.json'));

  it('covers 2026 and counts a day in China Standard Time', () => {
    expect(calendar.years).toEqual(['2026']);
    expect(chinaDate(new Date('2026-03-02T16:30:00Z'))).toBe('2026-03-03');
  });

  it('counts from the next day and skips an ordinary weekend', () => {
    // Filed on a Friday: Monday is the first working day, Tuesday the second.
    expect(calendar.addWorkingDays(beijingNoon('2026-03-06'), 2)).toEqual({
      date: '2026-03-10',
      endsAt: '2026-03-10T16:00:00.000Z',
      estimated: false,
    });
  });

  it('counts a weekend day worked in exchange (调休) and skips the Spring Festival', () => {
    // Friday 13 Feb: Saturday 14th is worked, 15th-23rd are the holiday, Tuesday 24th is the second working day.
    expect(calendar.addWorkingDays(beijingNoon('2026-02-13'), 2).date).toBe('2026-02-24');
    // From the 24th, five working days: 25, 26, 27, Saturday 28 (worked) and Monday 2 March.
    expect(calendar.addWorkingDays(beijingNoon('2026-02-24'), 5).date).toBe('2026-03-02');
  });

  it('skips National Day and counts Saturday 10 October, worked in exchange', () => {
    expect(calendar.addWorkingDays(beijingNoon('2026-09-30'), 5).date).toBe('2026-10-13');
    expect(calendar.isWorkingDay('2026-10-10')).toEqual({ working: true, known: true });
    expect(calendar.isWorkingDay('2026-10-05')).toEqual({ working: false, known: true });
  });

  it('counts a year it does not cover on weekends alone, and says so', () => {
    const due = calendar.addWorkingDays(beijingNoon('2026-12-30'), 5);
    // 31 Dec, then 1 Jan 2027 (a holiday every year, but not known here), 4, 5, 6 Jan.
    expect(due).toEqual({ date: '2027-01-06', endsAt: '2027-01-06T16:00:00.000Z', estimated: true });
    expect(calendar.addWorkingDays(beijingNoon('2026-12-21'), 2).estimated).toBe(false);
  });

  it('takes a year added as data', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-calendar-'));
    const file = path.join(dir, 'calendar.json');
    writeFileSync(
      file,
      JSON.stringify({
        years: {
          '2026': { source: 'test', holidays: [], workdays: [] },
          '2027': { source: 'test', holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] },
        },
      }),
    );
    const extended = WorkingCalendar.load(file);
    expect(extended.addWorkingDays(beijingNoon('2026-12-30'), 2)).toMatchObject({ date: '2027-01-04', estimated: false });
  });

  it('refuses a malformed calendar, naming what is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-calendar-'));
    const write = (content: unknown) => {
      const file = path.join(dir, `c${Math.random()}.json`);
      writeFileSync(file, JSON.stringify(content));
      return file;
    };
    expect(() => WorkingCalendar.load(write({}))).toThrow(ConfigError);
    expect(() => WorkingCalendar.load(write({ years: { '2027': { source: 's', holidays: [], workdays: ['2027-1-4'] } } }))).toThrow(
      /YYYY-MM-DD/,
    );
    expect(() => WorkingCalendar.load(write({ years: { '2027': { source: 's', holidays: [], workdays: ['2026-12-31'] } } }))).toThrow(
      /must lie in 2027/,
    );
    expect(() => WorkingCalendar.load(path.join(dir, 'missing.json'))).toThrow(/cannot be read/);
  });
});
