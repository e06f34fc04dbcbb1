/** The county keeps China Standard Time: a day starts at 00:00 in Beijing, not in UTC. */
export const COUNTY_TIME_ZONE = 'Asia/Shanghai';

const FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: COUNTY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date (YYYY-MM-DD) in the county at `instant`. */
export function localDate(instant: Date | string | number): string {
  const parts = Object.fromEntries(FORMAT.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
