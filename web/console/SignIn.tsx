import { Alert, Button, Card, Descriptions, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { authConfig, type AuthConfig } from '../shared/identities';
import { ApiError, claimsOf, gql } from './api';
import { ErrorAlert } from './components';
import { useI18n } from './i18n';

/**
 * Sign-in outside the sandbox: the steward pastes the token their identity
 * provider issued. The console names the issuer the gateway accepts (GET
 * /auth/config), shows what the pasted token says of itself (issuer
 * included, flagged when it is another), and asks the gateway once before
 * keeping it, so that a token the gateway refuses is refused here with the
 * gateway's reason.
 */
export function SignIn({ sandbox, onSignIn }: { sandbox: boolean; onSignIn(token: string): void }) {
  const { t, dateTime } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(false);
  const [accepted, setAccepted] = useState<AuthConfig>();
  useEffect(() => {
    authConfig().then(setAccepted, () => setAccepted(undefined));
  }, []);
  const text = token.trim().replace(/^Bearer\s+/i, '');
  const claims = text ? claimsOf(text) : undefined;

  const submit = async () => {
    if (!claims) return setError(new Error(t('signin.invalid')));
    setChecking(true);
    setError(undefined);
    try {
      await gql('query SignIn { __typename }', undefined, { token: text });
      onSignIn(text);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new Error(String(failure)));
    } finally {
      setChecking(false);
    }
  };

  return (
    <Card title={t('signin.title')} style={{ maxWidth: 720 }}>
      <Typography.Paragraph>{t('signin.intro')}</Typography.Paragraph>
      {accepted && (
        <Typography.Paragraph>
          {t('signin.accepts')} <Typography.Text code>{accepted.issuer}</Typography.Text>
        </Typography.Paragraph>
      )}
      {sandbox && <Alert type="info" showIcon title={t('signin.sandbox')} style={{ marginBottom: 16 }} />}
      <ErrorAlert error={error} />
      <Form layout="vertical" onFinish={submit}>
        <Form.Item label={t('signin.token')} htmlFor="console-token">
          {/* Masked like a password: a token is a credential, not to be read over a shoulder. */}
          <Input.Password
            id="console-token"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
              setError(undefined);
            }}
            placeholder="eyJhbGciOi…"
          />
        </Form.Item>
        {claims && (
          <Descriptions title={t('signin.preview')} size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('signin.sub')}>{claims.sub}</Descriptions.Item>
            <Descriptions.Item label={t('audit.department')}>{claims.department}</Descriptions.Item>
            <Descriptions.Item label={t('audit.roles')}>{claims.roles.join(', ')}</Descriptions.Item>
            <Descriptions.Item label={t('signin.issuer')}>
              {claims.issuer ?? '—'}
              {accepted && claims.issuer !== accepted.issuer && (
                <Typography.Text type="danger"> ({t('signin.otherIssuer')})</Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('signin.expires')}>
              {claims.expiresAt ? dateTime(new Date(claims.expiresAt).toISOString()) : '—'}
            </Descriptions.Item>
          </Descriptions>
        )}
        <Button type="primary" htmlType="submit" loading={checking} disabled={!text}>
          {t('signin.submit')}
        </Button>
      </Form>
    </Card>
  );
}
