import { Card, Descriptions, Drawer, Space, Table, Typography } from 'antd';
import { gql, REQUEST_DETAIL_FIELDS, type SharingPart, type SharingRequest, type SharingStep } from '../api';
import { Areas, Dept, Due, ErrorAlert, Fields, Purposes, StatusTag, useLoad } from '../components';
import { useI18n, type MessageKey } from '../i18n';
import { Link } from '../router';
import { useSession, type Session } from '../session';
import { AnswerForm, CoordinateForm, EscalateForm, ReviewForm } from './RequestForms';

/** The steps of the workflow `session` may take on `request` now (docs/sharing.md: who may take each step, from which state). */
export function availableSteps(session: Session, request: SharingRequest) {
  return {
    review: session.dataOffice && request.status === 'SUBMITTED',
    answer:
      request.status === 'FORWARDED' && request.parts.some((part) => part.provider === session.department && part.status === 'PENDING'),
    escalate:
      !session.dataOffice &&
      request.consumer === session.department &&
      request.status === 'ANSWERED' &&
      request.parts.some((part) => part.status === 'REFUSED'),
    coordinate: session.dataOffice && request.status === 'ESCALATED',
  };
}

/** A request's detail: what was asked, each provider's part, the full history, and the steps the steward may take. */
export function RequestDrawer({ id, onClose, onChanged }: { id: string | undefined; onClose(): void; onChanged(): void }) {
  const { t } = useI18n();
  const loaded = useLoad(
    () =>
      id
        ? gql<{ sharingRequest: SharingRequest | null }>(
            `query Request($id: ID!) { sharingRequest(id: $id) { ${REQUEST_DETAIL_FIELDS} } }`,
            {
              id,
            },
          ).then((data) => data.sharingRequest)
        : Promise.resolve(null),
    [id],
  );
  const request = loaded.data && loaded.data.id === id ? loaded.data : undefined;
  const changed = () => {
    loaded.reload();
    onChanged();
  };
  return (
    <Drawer open={Boolean(id)} onClose={onClose} size={960} title={id} destroyOnHidden>
      <ErrorAlert error={loaded.error} />
      {!loaded.loading && !loaded.error && loaded.data === null && <Typography.Text>{t('requests.notFound')}</Typography.Text>}
      {request && <RequestDetail request={request} onChanged={changed} />}
    </Drawer>
  );
}

function RequestDetail({ request, onChanged }: { request: SharingRequest; onChanged(): void }) {
  const { t, dateTime, label } = useI18n();
  const session = useSession();
  const steps = availableSteps(session, request);
  const any = Object.values(steps).some(Boolean);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('requests.status')}>
          <StatusTag status={request.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.due')}>
          <Due due={request.due} overdue={request.overdue} />
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.consumer')}>
          <Dept code={request.consumer} />
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.requestedBy')}>{request.requestedBy}</Descriptions.Item>
        <Descriptions.Item label={t('requests.createdAt')}>{dateTime(request.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('requests.validUntil')}>{dateTime(request.validUntil)}</Descriptions.Item>
        <Descriptions.Item label={t('requests.fields')} span={2}>
          <Fields fields={request.fields} masked={request.masked} />
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.purposes')}>
          <Purposes purposes={request.purposes} />
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.areas')}>
          <Areas areas={request.areas} />
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.scenario')} span={2}>
          {request.scenario}
        </Descriptions.Item>
        <Descriptions.Item label={t('requests.basis')} span={2}>
          {request.basis}
        </Descriptions.Item>
      </Descriptions>

      <Card size="small" title={t('requests.actions')}>
        {!any && <Typography.Text type="secondary">{t('requests.noAction')}</Typography.Text>}
        {steps.review && <ReviewForm request={request} onDone={onChanged} />}
        {steps.answer && <AnswerForm request={request} onDone={onChanged} />}
        {steps.escalate && <EscalateForm request={request} onDone={onChanged} />}
        {steps.coordinate && <CoordinateForm request={request} onDone={onChanged} />}
      </Card>

      <div>
        <Typography.Title level={5}>{t('requests.parts')}</Typography.Title>
        <Table<SharingPart>
          rowKey="provider"
          size="small"
          pagination={false}
          dataSource={request.parts}
          columns={[
            {
              title: t('requests.providers'),
              className: 'gg-nowrap',
              dataIndex: 'provider',
              render: (provider: string) => <Dept code={provider} />,
            },
            { title: t('requests.fields'), key: 'fields', render: (_, part) => <Fields fields={part.fields} masked={request.masked} /> },
            {
              title: t('requests.status'),
              className: 'gg-nowrap',
              dataIndex: 'status',
              render: (status: string) => <StatusTag part status={status} />,
            },
            {
              title: t('requests.partDue'),
              className: 'gg-nowrap',
              key: 'due',
              render: (_, part) => <Due due={part.due} overdue={part.overdue} />,
            },
            {
              title: t('requests.grant'),
              className: 'gg-nowrap',
              dataIndex: 'grant',
              render: (grant: string | null) => (grant ? <GrantLink id={grant} /> : '—'),
            },
          ]}
        />
      </div>

      <div>
        <Typography.Title level={5}>{t('requests.history')}</Typography.Title>
        <Table<SharingStep>
          rowKey="seq"
          size="small"
          pagination={false}
          dataSource={request.history ?? []}
          columns={[
            { title: t('requests.seq'), className: 'gg-nowrap', dataIndex: 'seq', width: 48 },
            { title: t('requests.at'), className: 'gg-nowrap', dataIndex: 'at', render: (at: string) => dateTime(at) },
            { title: t('requests.actor'), className: 'gg-nowrap', dataIndex: 'actor' },
            {
              title: t('requests.department'),
              className: 'gg-nowrap',
              dataIndex: 'department',
              render: (department: string | null) => <Dept code={department} />,
            },
            { title: t('requests.action'), className: 'gg-nowrap', dataIndex: 'action', render: (action: string) => label('step', action) },
            {
              title: t('requests.providers'),
              className: 'gg-nowrap',
              dataIndex: 'provider',
              render: (provider: string | null) => <Dept code={provider} />,
            },
            {
              title: t('common.reason'),
              dataIndex: 'reason',
              render: (reason: string | null) => <div style={{ minWidth: 120 }}>{reason ?? '—'}</div>,
            },
            {
              title: t('requests.conditions'),
              dataIndex: 'conditions',
              render: (conditions: string | null) => <Conditions json={conditions} />,
            },
            {
              title: t('requests.grant'),
              className: 'gg-nowrap',
              dataIndex: 'grant',
              render: (grant: string | null) => (grant ? <GrantLink id={grant} /> : '—'),
            },
            {
              title: t('requests.auditRecord'),
              className: 'gg-nowrap',
              dataIndex: 'requestId',
              render: (requestId: string | null) =>
                requestId ? <Link to={`audit?requestId=${encodeURIComponent(requestId)}`}>{requestId.slice(0, 8)}…</Link> : '—',
            },
          ]}
        />
      </div>
    </Space>
  );
}

function GrantLink({ id }: { id: string }) {
  return <Link to={`grants?search=${encodeURIComponent(id)}`}>{id}</Link>;
}

const TERM_LABELS: Record<string, MessageKey> = {
  fields: 'requests.fields',
  purposes: 'requests.purposes',
  masked: 'requests.masked',
  validUntil: 'requests.validUntil',
  areas: 'requests.areas',
};

/** What an approval granted (JSON in the history), one term a line. */
function Conditions({ json }: { json: string | null }) {
  const { t, label, dateTime } = useI18n();
  if (!json) return <>—</>;
  let terms: Record<string, unknown>;
  try {
    terms = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return <Typography.Text code>{json}</Typography.Text>;
  }
  const show = (name: string, value: unknown): string => {
    if (value === null || value === undefined) return name === 'areas' ? t('common.allAreas') : '—';
    if (Array.isArray(value)) {
      if (value.length === 0) return t('common.none');
      return value.map((item) => (name === 'purposes' ? label('purpose', String(item)) : String(item))).join(', ');
    }
    return name === 'validUntil' ? dateTime(String(value)) : String(value);
  };
  return (
    <div style={{ fontSize: 12, minWidth: 200 }}>
      {Object.entries(terms).map(([name, value]) => (
        <div key={name}>
          <Typography.Text type="secondary">{TERM_LABELS[name] ? t(TERM_LABELS[name]) : name}:</Typography.Text> {show(name, value)}
        </div>
      ))}
    </div>
  );
}
