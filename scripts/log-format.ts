import { DEPARTMENTS } from '../common/departments';

/** Turns the services' JSON log lines into one readable stream: time, service, level, message, fields. */

/** One column wide enough for every service's name: the registry's departments, `gateway` and `govgraph`. */
const SERVICE_WIDTH = Math.max(13, ...DEPARTMENTS.map((department) => department.name.length + 1));
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'service', 'msg', 'pid', 'hostname']);

export interface LogLabel {
  /** Shown instead of the line's own service: one replica among several of a service (gateway-2). */
  label?: string;
  /** The service column's width, when the labels are wider than the services' names. */
  width?: number;
}

export function formatLogLine(line: string, fallbackService: string, { label, width = SERVICE_WIDTH }: LogLabel = {}): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${' '.repeat(12)} ${(label ?? fallbackService).padEnd(width)} ${line}`;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const service = label ?? (typeof entry.service === 'string' ? entry.service : fallbackService);
  const level = LEVELS[Number(entry.level)] ?? 'INFO ';
  const fields = Object.entries(entry)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${time} ${service.padEnd(width)} ${level} ${String(entry.msg ?? '')}${fields ? `  ${fields}` : ''}`;
}
