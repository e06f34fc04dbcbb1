import { App, Button, Form, Input, Modal, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { gql, GRANT_FIELDS, type Grant } from '../api';
import { Areas, Dept, ErrorAlert, Fields, Purposes, useLoad } from '../components';
import { useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';

const DAY_MS = 86_400_000;
type Tab = 'active' | 'expiring' | 'expired' | 'revoked';

/** Which tab a grant belongs to: revoked, expired (its validity over), or active (expiring when it ends within 30 days). */
function tabsOf(grant: Grant, now: number): Tab[] {
  if (grant.revokedAt) return ['revoked'];
  const until = Date.parse(grant.validUntil);
  if (until <= now) return ['expired'];
  return until - now <= 30 * DAY_MS ? ['active', 'expiring'] : ['active'];
}

/** 授权: grants by state, each with its request, provider, terms and validity; revocable by its provider's stewards and the data authority. */
export function GrantsPage() {
  const { t, dateTime, date } = useI18n();
  const session = useSession();
  const { query } = useLocation();
  const [tab, setTab] = useState<Tab>('active');
  const [search, setSearch] = useState(query.get('search') ?? '');
  const [revoking, setRevoking] = useState<Grant | undefined>();
  const loaded = useLoad(() => gql<{ grants: Grant[] }>(`query Grants { grants { ${GRANT_FIELDS} } }`).then((data) => data.grants), []);

  const now = Date.now();
  const matching = useMemo(() => {
    const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return (loaded.data ?? []).filter((grant) => {
      const text = [grant.id, grant.requestId, grant.consumer, grant.provider, ...grant.fields, ...grant.purposes].join(' ').toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }, [loaded.data, search]);
  const byTab = (name: Tab) => matching.filter((grant) => tabsOf(grant, now).includes(name));
  const mayRevoke = (grant: Grant) =>
    tabsOf(grant, now).includes('active') && (session.dataOffice || (grant.provider !== null && grant.provider === session.department));

  const names: Tab[] = ['active', 'expiring', 'expired', 'revoked'];
  return (
    <>
      <Typography.Title level={3}>{t('grants.title')}</Typography.Title>
      <ErrorAlert error={loaded.error} />
      <Space style={{ marginBottom: 8 }}>
        <Input.Search
          allowClear
          aria-label={t('common.search')}
          placeholder={`${t('grants.id')} / ${t('grants.request')} / ${t('requests.fields')}`}
          style={{ width: 360 }}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <Button onClick={loaded.reload}>{t('common.refresh')}</Button>
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as Tab)}
        items={names.map((name) => ({ key: name, label: `${t(`grants.${name}`)} (${byTab(name).length})` }))}
      />
      <Table<Grant>
        rowKey="id"
        size="small"
        loading={loaded.loading}
        dataSource={byTab(tab)}
        pagination={{ defaultPageSize: 20 }}
        columns={[
          {
            title: t('grants.id'),
            className: 'gg-nowrap',
            dataIndex: 'id',
            render: (id: string) => <Typography.Text strong>{id}</Typography.Text>,
          },
          {
            title: t('grants.request'),
            className: 'gg-nowrap',
            dataIndex: 'requestId',
            render: (requestId: string | null) =>
              requestId ? <Link to={`requests/${encodeURIComponent(requestId)}`}>{requestId}</Link> : '—',
          },
          {
            title: t('grants.consumer'),
            className: 'gg-nowrap',
            dataIndex: 'consumer',
            render: (consumer: string) => <Dept code={consumer} />,
          },
          {
            title: t('grants.provider'),
            className: 'gg-nowrap',
            dataIndex: 'provider',
            render: (provider: string | null) => <Dept code={provider} />,
          },
          { title: t('requests.fields'), key: 'fields', render: (_, grant) => <Fields fields={grant.fields} masked={grant.masked} /> },
          {
            title: t('requests.purposes'),
            className: 'gg-nowrap',
            dataIndex: 'purposes',
            render: (purposes: string[]) => <Purposes purposes={purposes} />,
          },
          { title: t('requests.areas'), dataIndex: 'areas', render: (areas: string[] | null) => <Areas areas={areas} /> },
          {
            title: t('grants.validity'),
            key: 'validity',
            className: 'gg-nowrap',
            render: (_, grant) => (
              <>
                <Tooltip title={`${dateTime(grant.validFrom)} – ${dateTime(grant.validUntil)}`}>
                  {date(grant.validFrom)} – {date(grant.validUntil)}
                </Tooltip>
                {!grant.revokedAt && Date.parse(grant.validFrom) > now && <Tag style={{ marginLeft: 4 }}>{t('grants.notYet')}</Tag>}
              </>
            ),
          },
          ...(tab === 'revoked'
            ? [
                {
                  title: t('grants.revokedAt'),
                  className: 'gg-nowrap',
                  dataIndex: 'revokedAt',
                  render: (at: string | null) => dateTime(at),
                },
                { title: t('grants.revokedBy'), className: 'gg-nowrap', dataIndex: 'revokedBy' },
                { title: t('common.reason'), dataIndex: 'revokedReason' },
              ]
            : []),
          {
            title: '',
            key: 'actions',
            render: (_, grant) =>
              mayRevoke(grant) ? (
                <Button danger size="small" onClick={() => setRevoking(grant)}>
                  {t('action.revoke')}
                </Button>
              ) : null,
          },
        ]}
      />
      {revoking && (
        <RevokeGrant
          grant={revoking}
          onClose={() => setRevoking(undefined)}
          onRevoked={() => {
            setRevoking(undefined);
            loaded.reload();
          }}
          onFailed={loaded.reload}
        />
      )}
    </>
  );
}

/** Revocation with its reason; on refusal the reason stays, and the list behind is read again (the grant may have changed meanwhile). */
function RevokeGrant({ grant, onClose, onRevoked, onFailed }: { grant: Grant; onClose(): void; onRevoked(): void; onFailed(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const revoke = async ({ reason }: { reason: string }) => {
    setRunning(true);
    setError(undefined);
    try {
      await gql('mutation Revoke($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { id active revokedAt } }', {
        id: grant.id,
        reason,
      });
      message.success(t('grants.revoked.done', { id: grant.id }));
      onRevoked();
    } catch (failure) {
      setError(failure);
      onFailed();
    } finally {
      setRunning(false);
    }
  };
  return (
    <Modal open title={t('action.revokeTitle', { id: grant.id })} onCancel={onClose} footer={null}>
      <ErrorAlert error={error} />
      <Form form={form} name="revoke" layout="vertical" onFinish={revoke}>
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        <Space>
          <Button danger type="primary" htmlType="submit" loading={running}>
            {t('action.revoke')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
