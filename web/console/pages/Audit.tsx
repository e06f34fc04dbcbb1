import { AutoComplete, Button, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { PURPOSES } from '../../shared/identities';
import { AUDIT_EVENT_FIELDS, gql, sharingCatalog, type AuditEvent, type PageInfo } from '../api';
import { DECISION_COLOURS, Dept, ErrorAlert, OUTCOME_COLOURS, Pager, recordColumns, useCursorPages, useLoad } from '../components';
import { useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';

const PAGE_SIZE = 20;
export const DEPARTMENTS = ['civil-affairs', 'petitions', 'grid', 'social-security', 'statistics', 'data-office'];
const TEXT_FILTERS = ['sub', 'department', 'purpose', 'coordinate', 'decision', 'outcome', 'address', 'requestId'] as const;

type Filter = Partial<Record<(typeof TEXT_FILTERS)[number] | 'from' | 'to', string>>;
type FilterValues = Partial<Record<(typeof TEXT_FILTERS)[number], string>> & { time?: [Dayjs | null, Dayjs | null] | null };

/** 审计: the trail searched with auditEvents' filters, newest first, a page (cursor) at a time; a record's detail in a drawer. */
export function AuditPage() {
  const i18n = useI18n();
  const { t, label } = i18n;
  const session = useSession();
  const { query } = useLocation();
  const [form] = Form.useForm<FilterValues>();
  const initial: Filter = Object.fromEntries(TEXT_FILTERS.flatMap((name) => (query.get(name) ? [[name, query.get(name)!]] : [])));
  const [filter, setFilter] = useState<Filter>(initial);
  const [open, setOpen] = useState<AuditEvent | undefined>();
  const pages = useCursorPages(JSON.stringify(filter));
  const catalog = useLoad(sharingCatalog, []);

  const list = useLoad(
    () =>
      gql<{ auditEvents: { totalCount: number; pageInfo: PageInfo; nodes: AuditEvent[] } }>(
        `query Audit($filter: AuditFilter, $first: Int, $after: String) {
          auditEvents(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${AUDIT_EVENT_FIELDS} } }
        }`,
        { filter, first: PAGE_SIZE, after: pages.after },
      ).then((data) => data.auditEvents),
    [JSON.stringify(filter), pages.after],
  );

  const apply = (values: FilterValues) => {
    const next: Filter = {};
    for (const name of TEXT_FILTERS) {
      const value = values[name]?.trim();
      if (value) next[name] = value;
    }
    const [from, to] = values.time ?? [];
    if (from) next.from = from.toISOString();
    if (to) next.to = to.toISOString();
    setFilter(next);
  };

  const coordinates = (catalog.data ?? []).map((entry) => ({ value: entry.coordinate }));
  return (
    <>
      <Typography.Title level={3}>{t('audit.title')}</Typography.Title>
      <Form
        form={form}
        name="audit-filter"
        layout="inline"
        initialValues={{ ...initial, ...(session.dataOffice ? {} : { department: session.department }) }}
        onFinish={apply}
        style={{ rowGap: 12, marginBottom: 16 }}
      >
        <Form.Item name="time" label={t('audit.time')}>
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="sub" label={t('audit.sub')}>
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="department" label={t('audit.department')} tooltip={session.dataOffice ? undefined : t('audit.ownDepartment')}>
          <AutoComplete
            allowClear
            disabled={!session.dataOffice}
            style={{ width: 160 }}
            options={DEPARTMENTS.map((value) => ({ value, label: `${label('dept', value)} · ${value}` }))}
          />
        </Form.Item>
        <Form.Item name="purpose" label={t('audit.purpose')}>
          <Select allowClear style={{ width: 140 }} options={PURPOSES.map((value) => ({ value, label: label('purpose', value) }))} />
        </Form.Item>
        <Form.Item name="coordinate" label={t('audit.coordinate')}>
          <AutoComplete
            allowClear
            style={{ width: 220 }}
            options={coordinates}
            showSearch={{ filterOption: (input, option) => (option?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
          />
        </Form.Item>
        <Form.Item name="decision" label={t('audit.decision')}>
          <Select
            allowClear
            style={{ width: 110 }}
            options={['allow', 'mask', 'deny'].map((value) => ({ value, label: label('decision', value) }))}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t('audit.outcome')}>
          <Select
            allowClear
            style={{ width: 110 }}
            options={['ok', 'partial', 'refused', 'error'].map((value) => ({ value, label: label('outcome', value) }))}
          />
        </Form.Item>
        <Form.Item name="address" label={t('audit.address')}>
          <Input allowClear style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="requestId" label={t('audit.requestId')}>
          <Input allowClear style={{ width: 300 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue(Object.fromEntries(TEXT_FILTERS.map((name) => [name, undefined])));
              if (!session.dataOffice) form.setFieldsValue({ department: session.department });
              setFilter({});
            }}
          >
            {t('common.reset')}
          </Button>
          <Button onClick={list.reload}>{t('common.refresh')}</Button>
        </Space>
      </Form>
      <ErrorAlert error={list.error} />
      <Table<AuditEvent>
        rowKey="seq"
        size="small"
        loading={list.loading}
        dataSource={list.data?.nodes ?? []}
        pagination={false}
        onRow={(record) => ({ onClick: () => setOpen(record), style: { cursor: 'pointer' } })}
        columns={[
          ...recordColumns(i18n),
          {
            title: t('audit.operation'),
            className: 'gg-nowrap',
            key: 'operation',
            render: (_, record) => [record.operationType, record.operationName].filter(Boolean).join(' ') || '—',
          },
          {
            title: t('audit.outcome'),
            className: 'gg-nowrap',
            dataIndex: 'outcome',
            render: (outcome: string, record) => (
              <Space size={4}>
                <Tag color={OUTCOME_COLOURS[outcome]}>{label('outcome', outcome)}</Tag>
                {record.status}
                {record.requestCount !== null && <Tag>×{record.requestCount}</Tag>}
              </Space>
            ),
          },
          {
            title: t('audit.steps'),
            key: 'steps',
            render: (_, record) => (
              <Space size={[0, 4]} wrap>
                {record.steps.map((step, index) => (
                  <Tag key={index} color="blue">
                    {label('step', step.action)} · {step.request}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('common.detail'),
            key: 'detail',
            render: (_, record) => (
              <Button size="small" type="link" onClick={() => setOpen(record)} aria-label={t('audit.record', { seq: record.seq })}>
                {t('common.detail')}
              </Button>
            ),
          },
        ]}
      />
      <Pager
        page={pages.page}
        total={list.data?.totalCount}
        hasNext={list.data?.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => pages.next(list.data?.pageInfo.endCursor ?? null)}
      />
      <Drawer open={Boolean(open)} onClose={() => setOpen(undefined)} size={860} title={open && t('audit.record', { seq: open.seq })}>
        {open && <AuditRecord record={open} />}
      </Drawer>
    </>
  );
}

/** One record: who, why, what was decided for each field, whose data, the sharing steps, and where it came from. */
export function AuditRecord({ record }: { record: AuditEvent }) {
  const { t, label, dateTime } = useI18n();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('audit.at')}>{dateTime(record.at)}</Descriptions.Item>
        <Descriptions.Item label={t('audit.outcome')}>
          <Tag color={OUTCOME_COLOURS[record.outcome]}>{label('outcome', record.outcome)}</Tag> {record.status}
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.sub')}>{record.sub ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('audit.department')}>
          <Dept code={record.department} />
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.roles')}>{record.roles.join(', ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('audit.purpose')}>{label('purpose', record.purpose)}</Descriptions.Item>
        <Descriptions.Item label={t('audit.operation')}>
          {[record.operationType, record.operationName].filter(Boolean).join(' ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.duration')}>{record.durationMs}</Descriptions.Item>
        <Descriptions.Item label={t('audit.requestId')} span={2}>
          <Typography.Text copyable>{record.requestId}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.clientRequestId')}>{record.clientRequestId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('audit.address')}>{record.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('audit.client')}>
          {[record.clientName, record.clientVersion].filter(Boolean).join(' ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.requestCount')}>{record.requestCount ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('audit.documentHash')} span={2}>
          <Typography.Text code style={{ fontSize: 11 }}>
            {record.documentHash ?? '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.hash')} span={2}>
          <Typography.Text code style={{ fontSize: 11 }}>
            {record.hash}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>

      <div>
        <Typography.Title level={5}>{t('audit.steps')}</Typography.Title>
        <Table
          rowKey={(step) => `${step.action}-${step.request}-${step.provider ?? ''}-${step.grant ?? ''}`}
          size="small"
          pagination={false}
          dataSource={record.steps}
          columns={[
            { title: t('requests.action'), className: 'gg-nowrap', dataIndex: 'action', render: (action: string) => label('step', action) },
            {
              title: t('audit.step.request'),
              className: 'gg-nowrap',
              dataIndex: 'request',
              render: (request: string) => <Link to={`requests/${encodeURIComponent(request)}`}>{request}</Link>,
            },
            {
              title: t('audit.step.provider'),
              className: 'gg-nowrap',
              dataIndex: 'provider',
              render: (provider: string | null) => <Dept code={provider} />,
            },
            { title: t('audit.grant'), className: 'gg-nowrap', dataIndex: 'grant', render: (grant: string | null) => grant ?? '—' },
            {
              title: t('audit.step.reasonHash'),
              dataIndex: 'reasonHash',
              render: (hash: string | null) => (hash ? <Typography.Text code>{hash.slice(0, 16)}…</Typography.Text> : '—'),
            },
          ]}
        />
      </div>

      <div>
        <Typography.Title level={5}>{t('audit.decisions')}</Typography.Title>
        <Table
          rowKey="coordinate"
          size="small"
          pagination={false}
          dataSource={record.decisions}
          columns={[
            {
              title: t('audit.coordinate'),
              className: 'gg-nowrap',
              dataIndex: 'coordinate',
              render: (value: string) => <Typography.Text code>{value}</Typography.Text>,
            },
            {
              title: t('audit.decision'),
              className: 'gg-nowrap',
              dataIndex: 'decision',
              render: (decision: string) => <Tag color={DECISION_COLOURS[decision]}>{label('decision', decision)}</Tag>,
            },
            { title: t('audit.grant'), className: 'gg-nowrap', dataIndex: 'grant', render: (grant: string | null) => grant ?? '—' },
          ]}
        />
      </div>

      <div>
        <Typography.Title level={5}>{t('audit.subjects')}</Typography.Title>
        <Table
          rowKey={(subject) => `${subject.type}:${subject.id}`}
          size="small"
          pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
          dataSource={record.subjects}
          columns={[
            { title: t('audit.subjectType'), className: 'gg-nowrap', dataIndex: 'type' },
            {
              title: t('audit.subjectId'),
              dataIndex: 'id',
              render: (id: string, subject) => (
                <Link to={`access?type=${encodeURIComponent(subject.type)}&id=${encodeURIComponent(id)}`}>{id}</Link>
              ),
            },
          ]}
        />
      </div>
    </Space>
  );
}
