import { Button, Checkbox, Select, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { gql, REQUEST_FIELDS, type PageInfo, type SharingRequest } from '../api';
import { Dept, Due, ErrorAlert, Fields, Pager, Purposes, StatusTag, useCursorPages, useLoad } from '../components';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { RequestDrawer } from './RequestDetail';
import { NewRequest } from './RequestForms';

const PAGE_SIZE = 20;
const STATUSES = ['SUBMITTED', 'RETURNED', 'FORWARDED', 'ANSWERED', 'ESCALATED', 'CLOSED'];

type Box = 'inbox' | 'outbox';

/**
 * 共享申请: the inbox (requests the steward's department provides for; for
 * the data authority, every request) and the outbox (those it filed), a
 * page at a time; /console/requests/<id> opens a request's detail, where
 * the steps the steward may take are offered.
 */
export function RequestsPage() {
  const { t } = useI18n();
  const session = useSession();
  const { segments } = useLocation();
  const openId = segments[1];
  // The data authority files no requests: it has no outbox.
  const [box, setBox] = useState<Box>('inbox');
  const [status, setStatus] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [filing, setFiling] = useState(false);

  const filter = {
    ...(box === 'outbox' ? { consumer: session.department } : session.dataOffice ? {} : { provider: session.department }),
    ...(status ? { status } : {}),
    ...(overdue ? { overdue: true } : {}),
  };
  const pages = useCursorPages(JSON.stringify(filter));
  const list = useLoad(
    () =>
      gql<{ sharingRequests: { totalCount: number; pageInfo: PageInfo; nodes: SharingRequest[] } }>(
        `query Requests($filter: SharingRequestFilter, $first: Int, $after: String) {
          sharingRequests(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${REQUEST_FIELDS} } }
        }`,
        { filter, first: PAGE_SIZE, after: pages.after },
      ).then((data) => data.sharingRequests),
    [JSON.stringify(filter), pages.after],
  );

  const tabs = [
    { key: 'inbox', label: session.dataOffice ? t('requests.inboxAll') : t('requests.inbox') },
    ...(session.dataOffice ? [] : [{ key: 'outbox', label: t('requests.outbox') }]),
  ];

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="baseline">
        <Typography.Title level={3}>{t('requests.title')}</Typography.Title>
        {!session.dataOffice && (
          <Button type="primary" onClick={() => setFiling(true)}>
            {t('requests.new')}
          </Button>
        )}
      </Space>
      <Tabs activeKey={box} onChange={(key) => setBox(key as Box)} items={tabs} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          aria-label={t('requests.status')}
          placeholder={t('requests.status')}
          style={{ width: 180 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((value) => ({ value, label: <StatusTag status={value} /> }))}
        />
        <Checkbox checked={overdue} onChange={(event) => setOverdue(event.target.checked)}>
          {t('requests.overdueOnly')}
        </Checkbox>
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
      </Space>
      <ErrorAlert error={list.error} />
      <Table<SharingRequest>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.nodes ?? []}
        pagination={false}
        onRow={(request) => ({ onClick: () => navigate(`requests/${encodeURIComponent(request.id)}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('requests.id'),
            className: 'gg-nowrap',
            dataIndex: 'id',
            render: (id: string) => <Link to={`requests/${encodeURIComponent(id)}`}>{id}</Link>,
          },
          {
            title: t('requests.consumer'),
            className: 'gg-nowrap',
            dataIndex: 'consumer',
            render: (consumer: string) => <Dept code={consumer} />,
          },
          {
            title: t('requests.providers'),
            className: 'gg-nowrap',
            key: 'providers',
            render: (_, request) => (
              <Space orientation="vertical" size={2}>
                {request.parts.map((part) => (
                  <Space key={part.provider} size={4}>
                    <Dept code={part.provider} />
                    <StatusTag part status={part.status} />
                  </Space>
                ))}
              </Space>
            ),
          },
          {
            title: t('requests.fields'),
            key: 'fields',
            render: (_, request) => <Fields fields={request.fields} masked={request.masked} />,
          },
          {
            title: t('requests.purposes'),
            className: 'gg-nowrap',
            dataIndex: 'purposes',
            render: (purposes: string[]) => <Purposes purposes={purposes} />,
          },
          {
            title: t('requests.status'),
            className: 'gg-nowrap',
            dataIndex: 'status',
            render: (value: string) => <StatusTag status={value} />,
          },
          {
            title: t('requests.due'),
            className: 'gg-nowrap',
            key: 'due',
            render: (_, request) => <Due due={request.due ?? request.parts.find((part) => part.due)?.due} overdue={request.overdue} />,
          },
          { title: t('requests.createdAt'), className: 'gg-nowrap', dataIndex: 'createdAt', render: (at: string) => <DateTime iso={at} /> },
        ]}
      />
      <Pager
        page={pages.page}
        total={list.data?.totalCount}
        hasNext={list.data?.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => pages.next(list.data?.pageInfo.endCursor ?? null)}
      />
      <RequestDrawer id={openId} onClose={() => navigate('requests')} onChanged={list.reload} />
      <NewRequest
        open={filing}
        onClose={() => setFiling(false)}
        onFiled={(id) => {
          setFiling(false);
          setBox('outbox');
          list.reload();
          navigate(`requests/${encodeURIComponent(id)}`);
        }}
      />
    </>
  );
}

function DateTime({ iso }: { iso: string }) {
  const { dateTime } = useI18n();
  return <>{dateTime(iso)}</>;
}
