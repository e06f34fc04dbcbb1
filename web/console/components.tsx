/**
 * Small pieces the pages share: loading an operation's data, showing the
 * server's error with its code, departments, fields, due dates, status tags
 * and cursor paging.
 */
import { Alert, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError, type DueDate } from './api';
import { useI18n, type I18n } from './i18n';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload()); keeps the last data while a new load runs, drops answers that arrive late. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => run === latest.current && setState({ data, loading: false }),
      (error: unknown) => run === latest.current && setState({ error, loading: false }),
    );
    // The caller names what `load` depends on.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The server's message as it came, with its code (INVALID_TRANSITION, FORBIDDEN_OPERATION, BAD_USER_INPUT...). */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  const more = error instanceof ApiError ? error.messages.slice(1) : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={message}
      description={
        code || more.length > 0 ? (
          <>
            {code && <Typography.Text code>{code}</Typography.Text>}
            {more.map((text) => (
              <div key={text}>{text}</div>
            ))}
          </>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}

export function Dept({ code }: { code: string | null | undefined }) {
  const { label } = useI18n();
  if (!code) return <>—</>;
  const text = label('dept', code);
  return text === code ? <>{code}</> : <Tooltip title={code}>{text}</Tooltip>;
}

/** Field coordinates as tags; those in `masked` marked so. */
export function Fields({ fields, masked = [] }: { fields: readonly string[]; masked?: readonly string[] }) {
  const { t } = useI18n();
  return (
    <Space size={[0, 4]} wrap>
      {fields.map((field) => (
        <Tag key={field} color={masked.includes(field) ? 'purple' : undefined}>
          {field}
          {masked.includes(field) ? ` · ${t('common.masked')}` : ''}
        </Tag>
      ))}
    </Space>
  );
}

export function Purposes({ purposes }: { purposes: readonly string[] }) {
  const { label } = useI18n();
  return <>{purposes.map((purpose) => label('purpose', purpose)).join('、')}</>;
}

export function Areas({ areas }: { areas: readonly string[] | null | undefined }) {
  const { t } = useI18n();
  return <>{areas && areas.length > 0 ? areas.join(', ') : t('common.allAreas')}</>;
}

export const OUTCOME_COLOURS: Record<string, string> = { ok: 'green', partial: 'gold', refused: 'red', error: 'volcano' };
export const DECISION_COLOURS: Record<string, string> = { allow: 'green', mask: 'purple', deny: 'red' };

const STATUS_COLOURS: Record<string, string> = {
  SUBMITTED: 'blue',
  RETURNED: 'default',
  FORWARDED: 'gold',
  ANSWERED: 'green',
  ESCALATED: 'volcano',
  CLOSED: 'default',
  WAITING: 'blue',
  PENDING: 'gold',
  APPROVED: 'green',
  REFUSED: 'red',
};

export function StatusTag({ status, part = false }: { status: string; part?: boolean }) {
  const { label } = useI18n();
  return <Tag color={STATUS_COLOURS[status]}>{label(part ? 'part' : 'status', status)}</Tag>;
}

/** A due date, marked when estimated (the holiday calendar did not cover it) and when overdue. */
export function Due({ due, overdue }: { due: DueDate | null | undefined; overdue: boolean }) {
  const { t, dateTime } = useI18n();
  return (
    <Space size={4} wrap>
      {due ? (
        <Tooltip title={dateTime(due.endsAt)}>
          <span>{due.date}</span>
        </Tooltip>
      ) : (
        '—'
      )}
      {due?.estimated && <Tag color="default">{t('common.estimated')}</Tag>}
      {overdue && <Tag color="red">{t('common.overdue')}</Tag>}
    </Space>
  );
}

/**
 * Cursor paging: the cursors of the pages seen so far, so that Previous goes
 * back without the server's help. A new `key` (another filter) starts again
 * at the first page, in the same render, so no page of the old list is asked
 * for with the new filter.
 */
export function useCursorPages(key: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = state.key === key ? state.cursors : [null];
  return {
    after: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (endCursor: string | null) => endCursor && setState({ key, cursors: [...cursors, endCursor] }),
    previous: () => setState({ key, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
  };
}

export function Pager({
  page,
  total,
  hasNext,
  onPrevious,
  onNext,
}: {
  page: number;
  total: number | undefined;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 16 }}>
      <Button onClick={onPrevious} disabled={page <= 1}>
        {t('common.prev')}
      </Button>
      <Typography.Text>{t('common.page', { page, total: total ?? '…' })}</Typography.Text>
      <Button onClick={onNext} disabled={!hasNext}>
        {t('common.next')}
      </Button>
    </Space>
  );
}

/** The first columns of any list of audit records: number, time, caller, department, purpose. */
export function recordColumns({ t, dateTime, label }: I18n) {
  return [
    { title: t('audit.seq'), className: 'gg-nowrap', dataIndex: 'seq', width: 70 },
    { title: t('audit.at'), className: 'gg-nowrap', dataIndex: 'at', render: (at: string) => dateTime(at) },
    { title: t('audit.sub'), className: 'gg-nowrap', dataIndex: 'sub', render: (sub: string | null) => sub ?? '—' },
    {
      title: t('audit.department'),
      className: 'gg-nowrap',
      dataIndex: 'department',
      render: (department: string | null) => <Dept code={department} />,
    },
    {
      title: t('audit.purpose'),
      className: 'gg-nowrap',
      dataIndex: 'purpose',
      render: (purpose: string | null) => label('purpose', purpose),
    },
  ];
}
