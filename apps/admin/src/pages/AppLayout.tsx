import { useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Result, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { TotpEnrolment } from './TotpEnrolment';
import { api, setUnauthenticatedHandler } from '../api/client';
import { useMe } from '../api/hooks';
import { InboxBell } from '../components/InboxBell';
import type { Agent } from '../api/types';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n';
import { errorCode, errorText } from '../lib/errors';

/** The configuration pages, by path (their menu keys are the same). */
const CONFIG_PAGES = ['sla-policies', 'calendars', 'merchants'] as const;

const RANK: Record<Agent['role'], number> = { agent: 0, supervisor: 1, admin: 2 };
export const atLeast = (agent: Agent | undefined | null, role: Agent['role']) => Boolean(agent && RANK[agent.role] >= RANK[role]);

export function PageSpinner() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

export function LanguageSwitch() {
  const { locale, setLocale } = useI18n();
  return (
    <Segmented
      data-testid="lang-switch"
      size="small"
      value={locale}
      onChange={(value) => setLocale(value as Locale)}
      options={(Object.keys(LOCALES) as Locale[]).map((value) => ({ value, label: LOCALES[value].name }))}
    />
  );
}

/** The signed-in frame: navigation by role, language, who is logged in. Sends strangers to /login. */
export function AppLayout() {
  const i18n = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();

  useEffect(() => {
    // Any 401 (an expired or revoked session) ends the session in the UI too.
    setUnauthenticatedHandler(() => {
      queryClient.clear();
      void navigate('/login', { state: { expired: true, from: location.pathname + location.search } });
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [navigate, queryClient, location.pathname, location.search]);

  if (me.isPending) return <PageSpinner />;
  if (me.isError) {
    if (errorCode(me.error) === 'UNAUTHENTICATED') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    return <Result status="warning" title={errorText(me.error, i18n)} extra={<Button onClick={() => void me.refetch()}>{i18n.t('common.retry')}</Button>} />;
  }
  const agent = me.data;
  const logout = async () => {
    // This tab leaves for the login page whatever the answer; a failure would have nowhere to show.
    await api('POST', '/v1/auth/logout').catch(() => undefined);
    queryClient.clear();
    void navigate('/login');
  };
  const selected = location.pathname.startsWith('/intake')
    ? 'intake'
    : location.pathname.startsWith('/supervisor')
      ? 'supervisor'
      : location.pathname.startsWith('/approvals')
        ? 'approvals'
        : location.pathname.startsWith('/macros')
          ? 'macros'
          : location.pathname.startsWith('/agents')
            ? 'agents'
            : location.pathname.startsWith('/reports')
              ? 'reports'
              : location.pathname.startsWith('/refund-policies')
                ? 'refundPolicies'
                : (CONFIG_PAGES.find((page) => location.pathname.startsWith(`/${page}`)) ?? 'queue');
  const items = [
    { key: 'queue', label: i18n.t('nav.queue'), onClick: () => navigate('/') },
    { key: 'intake', label: i18n.t('nav.intake'), onClick: () => navigate('/intake') },
    ...(atLeast(agent, 'supervisor') ? [{ key: 'supervisor', label: i18n.t('nav.supervisor'), onClick: () => navigate('/supervisor') }] : []),
    ...(atLeast(agent, 'supervisor') ? [{ key: 'reports', label: i18n.t('nav.reports'), onClick: () => navigate('/reports') }] : []),
    ...(atLeast(agent, 'supervisor') ? [{ key: 'approvals', label: i18n.t('nav.approvals'), onClick: () => navigate('/approvals') }] : []),
    ...(atLeast(agent, 'admin') ? [{ key: 'macros', label: i18n.t('nav.macros'), onClick: () => navigate('/macros') }] : []),
    ...(atLeast(agent, 'supervisor') ? [{ key: 'agents', label: i18n.t('nav.agents'), onClick: () => navigate('/agents') }] : []),
    ...(atLeast(agent, 'supervisor') ? [{ key: 'sla-policies', label: i18n.t('nav.slaPolicies'), onClick: () => navigate('/sla-policies') }] : []),
    ...(atLeast(agent, 'supervisor') ? [{ key: 'calendars', label: i18n.t('nav.calendars'), onClick: () => navigate('/calendars') }] : []),
    ...(atLeast(agent, 'admin') ? [{ key: 'merchants', label: i18n.t('nav.merchants'), onClick: () => navigate('/merchants') }] : []),
    ...(atLeast(agent, 'admin') ? [{ key: 'refundPolicies', label: i18n.t('nav.refundPolicies'), onClick: () => navigate('/refund-policies') }] : []),
  ];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: 24 }}>
        <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
          {i18n.t('app.title')}
        </Typography.Title>
        <Menu mode="horizontal" selectedKeys={[selected]} items={items} style={{ flex: 1, minWidth: 0, borderBottom: 'none' }} data-testid="nav" />
        <Space>
          <InboxBell />
          <LanguageSwitch />
          <span data-testid="who">
            {agent.displayName} <Tag>{i18n.t(`role.${agent.role}`)}</Tag>
          </span>
          <Button onClick={() => void logout()} data-testid="logout">
            {i18n.t('nav.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>{agent.totpEnrolmentRequired ? <TotpEnrolment /> : <Outlet context={agent} />}</Layout.Content>
    </Layout>
  );
}
