import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { gql, GRANT_FIELDS, sharingCatalog, type CatalogEntry, type Grant } from '../api';
import { Dept, ErrorAlert, useLoad } from '../components';
import { useI18n } from '../i18n';
import { Link } from '../router';

export const LEVEL_COLOURS: Record<string, string> = { UNCONDITIONAL: 'green', CONDITIONAL: 'gold', NONE: 'red' };

/** 共享目录: every field with its owners, sharing level, masker and the grants covering it; searchable by coordinate and owner. */
export function CatalogPage() {
  const { t, label } = useI18n();
  const loaded = useLoad(async () => {
    const [catalog, { grants }] = await Promise.all([
      sharingCatalog(),
      gql<{ grants: Grant[] }>(`query Grants { grants { ${GRANT_FIELDS} } }`),
    ]);
    return { catalog, grants };
  }, []);
  const [search, setSearch] = useState('');
  const [level, setLevel] = useState<string | undefined>();

  const rows = useMemo(() => {
    const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return (loaded.data?.catalog ?? []).filter(
      (entry) =>
        (!level || entry.sharing === level) &&
        words.every(
          (word) =>
            entry.coordinate.toLowerCase().includes(word) ||
            entry.owners.some((owner) => owner.toLowerCase().includes(word) || label('dept', owner).toLowerCase().includes(word)),
        ),
    );
  }, [loaded.data, search, level, label]);

  const covering = (entry: CatalogEntry) => (loaded.data?.grants ?? []).filter((grant) => grant.fields.includes(entry.coordinate));

  return (
    <>
      <Typography.Title level={3}>{t('catalog.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('catalog.intro')}</Typography.Paragraph>
      <ErrorAlert error={loaded.error} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          aria-label={t('catalog.search')}
          placeholder={t('catalog.search')}
          style={{ width: 320 }}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <Select
          allowClear
          aria-label={t('catalog.level')}
          placeholder={t('catalog.level')}
          style={{ width: 200 }}
          value={level}
          onChange={setLevel}
          options={['UNCONDITIONAL', 'CONDITIONAL', 'NONE'].map((value) => ({ value, label: label('level', value) }))}
        />
        <Typography.Text type="secondary">{t('common.total', { total: rows.length })}</Typography.Text>
      </Space>
      <Table<CatalogEntry>
        rowKey="coordinate"
        size="small"
        loading={loaded.loading}
        dataSource={rows}
        pagination={{ defaultPageSize: 50, showSizeChanger: true }}
        columns={[
          {
            title: t('catalog.coordinate'),
            className: 'gg-nowrap',
            dataIndex: 'coordinate',
            render: (value: string) => <Typography.Text code>{value}</Typography.Text>,
          },
          {
            title: t('catalog.owners'),
            className: 'gg-nowrap',
            dataIndex: 'owners',
            render: (owners: string[]) => (
              <Space size={4} wrap>
                {owners.map((owner) => (
                  <Dept key={owner} code={owner} />
                ))}
              </Space>
            ),
          },
          {
            title: t('catalog.level'),
            className: 'gg-nowrap',
            dataIndex: 'sharing',
            render: (sharing: string) => <Tag color={LEVEL_COLOURS[sharing]}>{label('level', sharing)}</Tag>,
          },
          { title: t('catalog.masker'), className: 'gg-nowrap', dataIndex: 'masker', render: (masker: string | null) => masker ?? '—' },
          {
            title: t('catalog.roles'),
            dataIndex: 'roles',
            render: (roles: string[] | null) => (roles ? roles.join(', ') : '—'),
          },
          {
            title: t('catalog.grants'),
            key: 'grants',
            render: (_, entry) => (
              <Space size={[0, 4]} wrap>
                {covering(entry).map((grant) => (
                  <Tag key={grant.id} color={grant.active ? (grant.masked.includes(entry.coordinate) ? 'purple' : 'blue') : 'default'}>
                    <Link to={`grants?search=${encodeURIComponent(grant.id)}`}>{grant.id}</Link> → {label('dept', grant.consumer)} ·{' '}
                    {grant.purposes.map((purpose) => label('purpose', purpose)).join('、')}
                    {grant.masked.includes(entry.coordinate) ? ` · ${t('common.masked')}` : ''}
                    {grant.active ? '' : ` · ${t('catalog.inactive')}`}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
