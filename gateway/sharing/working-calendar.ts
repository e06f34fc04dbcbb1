/**
 * Working days as Chinese administrative time limits count them: Monday to
 * Friday, less the official holidays, plus the weekend days worked in
 * exchange (调休上班). The holidays are data (calendar/cn-working-days.json,
 * or the file WORKING_CALENDAR_PATH names), one entry per year, since the
 * State Council publishes each year's arrangement only shortly before it.
 * A date in a year the calendar does not cover is counted on weekends alone,
 * and the result says so.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../common/env';

/** China Standard Time, in which every time limit is counted: a day runs from 00:00 to 24:00 UTC+8. */
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface DueDate {
  /** The last working day of the time limit (YYYY-MM-DD, China Standard Time). */
  date: string;
  /** The instant the time limit ends: the end of that day in China Standard Time. */
  endsAt: string;
  /** True when some day counted lies in a year the calendar does not cover: weekends alone were skipped there. */
  estimated: boolean;
}

interface YearEntry {
  source: string;
  holidays: { name: string; from: string; to: string }[];
  workdays: string[];
}

/** The calendar day, in China Standard Time, of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

export class WorkingCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly covered: ReadonlySet<string>;

  constructor(years: Readonly<Record<string, YearEntry>>) {
    for (const [year, entry] of Object.entries(years)) {
      for (const { from, to } of entry.holidays) {
        for (let date = from; date <= to; date = nextDay(date)) this.holidays.add(date);
      }
      for (const date of entry.workdays) this.workdays.add(date);
      if (![...entry.workdays, ...entry.holidays.flatMap((h) => [h.from, h.to])].every((date) => date.startsWith(`${year}-`))) {
        throw new ConfigError(`working calendar: every date of ${year} must lie in ${year}`);
      }
    }
    this.covered = new Set(Object.keys(years));
  }

  /** Reads a calendar file; a malformed one stops the gateway, naming what is wrong. */
  static load(file: string): WorkingCalendar {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`working calendar ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const years = (parsed as { years?: unknown }).years;
    if (typeof years !== 'object' || years === null) throw new ConfigError(`working calendar ${file} has no "years"`);
    for (const [year, entry] of Object.entries(years as Record<string, YearEntry>)) {
      const dates = [...(entry.workdays ?? []), ...(entry.holidays ?? []).flatMap((h) => [h.from, h.to])];
      if (!/^\d{4}$/.test(year) || typeof entry.source !== 'string' || !Array.isArray(entry.holidays) || !Array.isArray(entry.workdays)) {
        throw new ConfigError(`working calendar ${file}: year "${year}" needs a source, holidays and workdays`);
      }
      if (!dates.every((date) => typeof date === 'string' && ISO_DATE.test(date))) {
        throw new ConfigError(`working calendar ${file}: year ${year} holds a date that is not YYYY-MM-DD`);
      }
    }
    return new WorkingCalendar(years as Record<string, YearEntry>);
  }

  /** The years the calendar covers, in order. */
  get years(): string[] {
    return [...this.covered].sort();
  }

  /** Whether `date` (YYYY-MM-DD) is a working day, and whether the calendar knew its year. */
  isWorkingDay(date: string): { working: boolean; known: boolean } {
    const known = this.covered.has(date.slice(0, 4));
    if (!known) return { working: !isWeekend(date), known };
    if (this.workdays.has(date)) return { working: true, known };
    return { working: !isWeekend(date) && !this.holidays.has(date), known };
  }

  /**
   * The end of a time limit of `days` working days that starts with an
   * event at `from`: counted from the next day, as administrative time
   * limits are, so a request filed on a Friday afternoon is due, with two
   * working days, at the end of Tuesday.
   */
  addWorkingDays(from: Date, days: number): DueDate {
    let date = chinaDate(from);
    let estimated = false;
    for (let counted = 0; counted < days; ) {
      date = nextDay(date);
      const { working, known } = this.isWorkingDay(date);
      if (!known) estimated = true;
      if (working) counted += 1;
    }
    const endsAt = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - CST_OFFSET_MS).toISOString();
    return { date, endsAt, estimated };
  }
}
