import { Alert, App as AntApp, Button, ConfigProvider, Layout, Menu, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { sampleIdentities, type SampleIdentity } from '../shared/identities';
import { claimsOf, storedToken, storeToken } from './api';
import { Dept } from './components';
import { I18nContext, makeI18n, storedLang, storeLang, useI18n, type Lang, type MessageKey } from './i18n';
import { SignIn } from './SignIn';
import { navigate, useLocation } from './router';
import { SessionContext, sessionOf } from './session';

/**
 * The data stewards' console at /console: sharing requests and grants, the
 * catalogue, the audit trail, a resident's access history and the chain's
 * state, through the same governed GraphQL API as every other client. Each
 * page is loaded when first shown, so the first load carries the shell only.
 */
const PAGES = {
  catalog: lazy(() => import('./pages/Catalog').then((module) => ({ default: module.CatalogPage }))),
  requests: lazy(() => import('./pages/Requests').then((module) => ({ default: module.RequestsPage }))),
  grants: lazy(() => import('./pages/Grants').then((module) => ({ default: module.GrantsPage }))),
  audit: lazy(() => import('./pages/Audit').then((module) => ({ default: module.AuditPage }))),
  access: lazy(() => import('./pages/AccessHistory').then((module) => ({ default: module.AccessHistoryPage }))),
  chain: lazy(() => import('./pages/Chain').then((module) => ({ default: module.ChainPage }))),
};
type PageName = keyof typeof PAGES;
const PAGE_NAMES = Object.keys(PAGES) as PageName[];
const DEFAULT_PAGE: PageName = 'requests';

export function App() {
  const [lang, setLang] = useState<Lang>(storedLang);
  const i18n = useMemo(
    () =>
      makeI18n(lang, (next) => {
        storeLang(next);
        setLang(next);
      }),
    [lang],
  );
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  useEffect(() => storeLang(lang), [lang]);
  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { fontFamily: FONTS } }} button={{ autoInsertSpace: false }}>
        <AntApp>
          <Shell />
        </AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

/** System fonts only (no web font is loaded): CJK faces first where the system has them. */
const FONTS =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif";

function Shell() {
  const { t, lang, setLang } = useI18n();
  const [token, setToken] = useState(storedToken);
  // undefined while the sandbox is asked for its sample identities; [] outside the sandbox.
  const [identities, setIdentities] = useState<SampleIdentity[] | undefined>(undefined);
  useEffect(() => {
    sampleIdentities().then(setIdentities, () => setIdentities([]));
  }, []);
  const signIn = (next: string) => {
    storeToken(next);
    setToken(next);
  };
  const session = useMemo(() => {
    const claims = token ? claimsOf(token) : undefined;
    return claims ? sessionOf(claims) : undefined;
  }, [token]);

  const { segments } = useLocation();
  const page = PAGE_NAMES.includes(segments[0] as PageName) ? (segments[0] as PageName) : undefined;
  useEffect(() => {
    if (!page) navigate(DEFAULT_PAGE, { replace: true });
  }, [page]);
  const Page = PAGES[page ?? DEFAULT_PAGE];

  let content: ReactNode;
  if (!session || identities === undefined) {
    content = identities === undefined ? <Spin /> : <SignIn sandbox={identities.length > 0} onSignIn={signIn} />;
  } else {
    const expired = session.claims.expiresAt !== undefined && session.claims.expiresAt < Date.now();
    content = (
      <SessionContext.Provider value={session}>
        {!session.claims.roles.includes('steward') && (
          <Alert type="warning" showIcon title={t('identity.notSteward')} style={{ marginBottom: 16 }} />
        )}
        {expired && (
          <Alert
            type="warning"
            showIcon
            title={t('identity.expired', { at: new Date(session.claims.expiresAt!).toLocaleString() })}
            style={{ marginBottom: 16 }}
          />
        )}
        <Suspense fallback={<Spin />}>
          {/* A new identity starts every page afresh. */}
          <Page key={token} />
        </Suspense>
      </SessionContext.Provider>
    );
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          govgraph · {t('app.title')}
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <Identity identities={identities ?? []} token={token} onPick={signIn} />
        <Segmented<Lang>
          aria-label={t('lang.switch')}
          value={lang}
          onChange={setLang}
          options={[
            { label: '中文', value: 'zh' },
            { label: 'English', value: 'en' },
          ]}
        />
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light">
          <Menu
            mode="inline"
            aria-label="menu"
            selectedKeys={page ? [page] : []}
            onClick={({ key }) => navigate(key)}
            items={PAGE_NAMES.map((name) => ({ key: name, label: t(`menu.${name}` as MessageKey) }))}
            style={{ height: '100%', borderInlineEnd: 0 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>{content}</Layout.Content>
      </Layout>
    </Layout>
  );
}

/** The header's identity: in the sandbox a picker of its sample identities (stewards first); then who is signed in, and sign-out. */
function Identity({ identities, token, onPick }: { identities: SampleIdentity[]; token: string; onPick(token: string): void }) {
  const { t } = useI18n();
  const claims = token ? claimsOf(token) : undefined;
  const subs = useMemo(() => new Map(identities.map((identity) => [identity.key, claimsOf(identity.token)?.sub])), [identities]);
  const current = claims ? identities.find((identity) => subs.get(identity.key) === claims.sub) : undefined;
  const isSteward = (identity: SampleIdentity) => identity.roles.includes('steward');
  const option = (identity: SampleIdentity) => ({ label: identity.label, value: identity.key });
  return (
    <Space>
      {identities.length > 0 && (
        <Select
          aria-label={t('identity.label')}
          placeholder={t('identity.pick')}
          showSearch={{ optionFilterProp: 'label' }}
          value={current?.key}
          style={{ width: 300 }}
          onChange={(key: string) => onPick(identities.find((identity) => identity.key === key)!.token)}
          options={[
            { label: t('identity.stewards'), options: identities.filter(isSteward).map(option) },
            { label: t('identity.others'), options: identities.filter((identity) => !isSteward(identity)).map(option) },
          ]}
        />
      )}
      {claims && (
        <>
          {!current && (
            <Typography.Text style={{ color: '#fff' }}>
              {claims.name} · <Dept code={claims.department} />
            </Typography.Text>
          )}
          {claims.roles.map((role) => (
            <Tag key={role} color={role === 'steward' ? 'green' : 'default'}>
              {role}
            </Tag>
          ))}
          <Button onClick={() => onPick('')}>{t('identity.signOut')}</Button>
        </>
      )}
    </Space>
  );
}
