import { Alert, Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { gql, type AuditEvent } from '../api';
import { DECISION_COLOURS, ErrorAlert, OUTCOME_COLOURS, recordColumns, useLoad } from '../components';
import { useI18n, type Translate } from '../i18n';
import { useLocation } from '../router';
import { useSession } from '../session';

type HistoryRow = Pick<
  AuditEvent,
  'seq' | 'at' | 'requestId' | 'sub' | 'department' | 'purpose' | 'outcome' | 'status' | 'clientRequestId' | 'decisions'
>;

const HISTORY_FIELDS = 'seq at requestId sub department purpose outcome status clientRequestId decisions { coordinate decision grant }';

/** A cell as CSV writes it: quoted when it must be, and never read by a spreadsheet as a formula. */
function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `coordinate=decision(grant)` for each field decided, `; `-separated. */
export function decisionsText(decisions: HistoryRow['decisions']): string {
  return decisions.map((d) => `${d.coordinate}=${d.decision}${d.grant ? `(${d.grant})` : ''}`).join('; ');
}

/**
 * The rows as CSV: UTF-8 with a byte-order mark (so Excel reads Chinese),
 * CRLF line ends, a header row in the console's language, then exactly the
 * rows shown, in the same order.
 */
export function historyCsv(rows: readonly HistoryRow[], t: Translate): string {
  const header = [
    t('audit.seq'),
    t('audit.at'),
    t('audit.sub'),
    t('audit.department'),
    t('audit.purpose'),
    t('audit.outcome'),
    t('audit.status'),
    t('audit.requestId'),
    t('audit.clientRequestId'),
    t('audit.decisions'),
  ];
  const lines = rows.map((row) =>
    [
      row.seq,
      row.at,
      row.sub,
      row.department,
      row.purpose,
      row.outcome,
      row.status,
      row.requestId,
      row.clientRequestId,
      decisionsText(row.decisions),
    ].map(csvCell),
  );
  return `\uFEFF${[header.map(csvCell), ...lines].map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

/** 访问记录: who saw this resident — accessHistory for one subject, as a table and as CSV for an individual's information request. */
export function AccessHistoryPage() {
  const i18n = useI18n();
  const { t, label } = i18n;
  const session = useSession();
  const { query } = useLocation();
  const [subject, setSubject] = useState<{ type: string; id: string } | undefined>(
    query.get('id') ? { type: query.get('type') || 'Resident', id: query.get('id')! } : undefined,
  );
  const loaded = useLoad(
    () =>
      subject
        ? gql<{ accessHistory: HistoryRow[] }>(
            `query History($type: String!, $id: ID!) { accessHistory(subjectType: $type, subjectId: $id) { ${HISTORY_FIELDS} } }`,
            { type: subject.type, id: subject.id },
          ).then((data) => data.accessHistory)
        : Promise.resolve(undefined),
    [subject?.type, subject?.id],
  );
  const rows = loaded.data ?? [];

  const exportCsv = () => {
    if (!subject) return;
    const blob = new Blob([historyCsv(rows, t)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `access-history-${subject.type}-${subject.id}.csv`.replace(/[^\w.-]+/g, '_');
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  return (
    <>
      <Typography.Title level={3}>{t('access.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('access.intro')}</Typography.Paragraph>
      {!session.dataOffice && <Alert type="info" showIcon title={t('access.ownDepartment')} style={{ marginBottom: 16 }} />}
      <Form
        name="access-history"
        layout="inline"
        initialValues={{ type: subject?.type ?? 'Resident', id: subject?.id ?? '' }}
        onFinish={(values: { type: string; id: string }) => setSubject({ type: values.type.trim(), id: values.id.trim() })}
        style={{ marginBottom: 16, rowGap: 12 }}
      >
        <Form.Item name="type" label={t('access.subjectType')} rules={[{ required: true, whitespace: true }]}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="id" label={t('access.subjectId')} rules={[{ required: true, whitespace: true }]}>
          <Input style={{ width: 360 }} allowClear />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('common.search')}
          </Button>
          <Button onClick={exportCsv} disabled={!subject || loaded.loading || Boolean(loaded.error)}>
            {t('access.export')}
          </Button>
        </Space>
      </Form>
      <ErrorAlert error={loaded.error} />
      {subject && (
        <Table<HistoryRow>
          rowKey="seq"
          size="small"
          loading={loaded.loading}
          dataSource={rows}
          locale={{ emptyText: t('access.empty') }}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
          columns={[
            ...recordColumns(i18n),
            {
              title: t('audit.outcome'),
              className: 'gg-nowrap',
              dataIndex: 'outcome',
              render: (outcome: string) => <Tag color={OUTCOME_COLOURS[outcome]}>{label('outcome', outcome)}</Tag>,
            },
            {
              title: t('audit.requestId'),
              className: 'gg-nowrap',
              dataIndex: 'requestId',
              render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
            },
            {
              title: t('audit.decisions'),
              dataIndex: 'decisions',
              render: (decisions: HistoryRow['decisions']) => (
                <Space size={[0, 4]} wrap>
                  {decisions.map((decision) => (
                    <Tag key={decision.coordinate} color={DECISION_COLOURS[decision.decision]}>
                      {decision.coordinate} · {label('decision', decision.decision)}
                      {decision.grant ? ` · ${decision.grant}` : ''}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
