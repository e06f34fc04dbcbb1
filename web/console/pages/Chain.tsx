import { Alert, Button, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { gql } from '../api';
import { ErrorAlert, useLoad } from '../components';
import { useI18n, type Translate } from '../i18n';

interface ChainStatus {
  head: { seq: number; hash: string; at: string | null };
  anchor: { seq: number; hash: string; writtenAt: string; ageSeconds: number } | null;
  lastVerification: { at: string; intact: boolean; records: number; detail: string | null } | null;
}

/** An anchor is expected to follow the head within about a second; a minute behind is worth a look. */
const ANCHOR_LAG_S = 60;

/**
 * What needs attention, none when all is well: no anchor; an anchor more
 * than a minute old that is behind the head (one at the head is current
 * however old: nothing was committed since); no verification yet; or a
 * verification that found the trail broken.
 */
export function chainWarnings(status: ChainStatus, t: Translate): string[] {
  const warnings: string[] = [];
  if (!status.anchor) {
    if (status.head.seq > 0) warnings.push(t('chain.noAnchor'));
  } else if (status.anchor.ageSeconds > ANCHOR_LAG_S && status.anchor.seq < status.head.seq) {
    warnings.push(t('chain.anchorBehind', { anchor: status.anchor.seq, head: status.head.seq }));
  }
  if (!status.lastVerification) warnings.push(t('chain.noVerification'));
  else if (!status.lastVerification.intact) warnings.push(t('chain.broken', { detail: status.lastVerification.detail ?? '—' }));
  return warnings;
}

/** 链状态: the head, its anchor outside the database, and the last `npm run audit:verify`, with an ok or warning state. */
export function ChainPage() {
  const { t, dateTime } = useI18n();
  const loaded = useLoad(
    () =>
      gql<{ auditChainStatus: ChainStatus }>(
        'query ChainStatus { auditChainStatus { head { seq hash at } anchor { seq hash writtenAt ageSeconds } lastVerification { at intact records detail } } }',
      ).then((data) => data.auditChainStatus),
    [],
  );
  const status = loaded.data;
  const warnings = status ? chainWarnings(status, t) : [];
  const hash = (value: string) => (
    <Typography.Text code copyable={{ text: value }} style={{ fontSize: 11, wordBreak: 'break-all' }}>
      {value || '—'}
    </Typography.Text>
  );
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="baseline">
        <Typography.Title level={3}>{t('chain.title')}</Typography.Title>
        <Button onClick={loaded.reload}>{t('common.refresh')}</Button>
      </Space>
      <ErrorAlert error={loaded.error} />
      {status && (
        <>
          <Alert
            type={warnings.length === 0 ? 'success' : 'warning'}
            showIcon
            title={warnings.length === 0 ? t('chain.ok') : t('chain.warning')}
            description={
              warnings.length > 0 ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              ) : undefined
            }
            style={{ marginBottom: 16 }}
          />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={8}>
              <Card title={t('chain.head')} size="small">
                {status.head.seq === 0 ? (
                  t('chain.empty')
                ) : (
                  <Descriptions column={1} size="small">
                    <Descriptions.Item label={t('chain.seq')}>#{status.head.seq}</Descriptions.Item>
                    <Descriptions.Item label={t('chain.at')}>{dateTime(status.head.at)}</Descriptions.Item>
                    <Descriptions.Item label={t('chain.hash')}>{hash(status.head.hash)}</Descriptions.Item>
                  </Descriptions>
                )}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('chain.anchor')} size="small">
                {status.anchor ? (
                  <Descriptions column={1} size="small">
                    <Descriptions.Item label={t('chain.seq')}>
                      #{status.anchor.seq} {status.anchor.seq === status.head.seq && <Tag color="green">{t('chain.anchorCurrent')}</Tag>}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('chain.writtenAt')}>{dateTime(status.anchor.writtenAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('chain.age')}>
                      {t('chain.ageSeconds', { seconds: status.anchor.ageSeconds })}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('chain.hash')}>{hash(status.anchor.hash)}</Descriptions.Item>
                  </Descriptions>
                ) : (
                  t('chain.noAnchor')
                )}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('chain.verification')} size="small">
                {status.lastVerification ? (
                  <Descriptions column={1} size="small">
                    <Descriptions.Item label={t('chain.at')}>{dateTime(status.lastVerification.at)}</Descriptions.Item>
                    <Descriptions.Item label={t('chain.intact')}>
                      <Tag color={status.lastVerification.intact ? 'green' : 'red'}>
                        {status.lastVerification.intact ? t('common.yes') : t('common.no')}
                      </Tag>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('chain.records')}>{status.lastVerification.records}</Descriptions.Item>
                    <Descriptions.Item label={t('chain.detail')}>{status.lastVerification.detail ?? '—'}</Descriptions.Item>
                  </Descriptions>
                ) : (
                  t('chain.noVerification')
                )}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
