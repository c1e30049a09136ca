import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { Agent } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorCode, errorText } from '../lib/errors';
import { LanguageSwitch } from './AppLayout';

type Credentials = { email: string; password: string; totpCode?: string };

export function LoginPage() {
  const i18n = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const state = (location.state ?? {}) as { expired?: boolean; from?: string };
  const [error, setError] = useState<unknown>(state.expired ? 'expired' : null);
  const [pending, setPending] = useState(false);
  // Asked for once the API says this account signs in with a one-time code (TOTP_REQUIRED).
  const [needsCode, setNeedsCode] = useState(false);

  const submit = async (values: Credentials) => {
    setPending(true);
    setError(null);
    try {
      // The API sets the httpOnly session cookie; the token in the body is for API clients and is dropped here.
      const { agent } = await api<{ agent: Agent }>('POST', '/v1/auth/login', values);
      queryClient.setQueryData(queryKeys.me, agent);
      void navigate(state.from && state.from !== '/login' ? state.from : '/', { replace: true });
    } catch (failure) {
      if (errorCode(failure) === 'TOTP_REQUIRED') {
        setNeedsCode(true);
        setError(null);
      } else setError(failure);
    } finally {
      setPending(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {i18n.t('login.title')}
            </Typography.Title>
            <LanguageSwitch />
          </Space>
          {error !== null && (
            <Alert
              type={error === 'expired' ? 'info' : 'error'}
              showIcon
              title={error === 'expired' ? i18n.t('error.UNAUTHENTICATED') : errorText(error, i18n)}
              data-testid="login-error"
            />
          )}
          <Form<Credentials> layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
            <Form.Item name="email" label={i18n.t('login.email')} rules={[{ required: true, message: i18n.t('login.emailRequired') }]}>
              <Input type="email" autoComplete="username" autoFocus data-testid="login-email" />
            </Form.Item>
            <Form.Item name="password" label={i18n.t('login.password')} rules={[{ required: true, message: i18n.t('login.passwordRequired') }]}>
              <Input.Password autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            {needsCode && (
              <Form.Item
                name="totpCode"
                label={i18n.t('login.totpCode')}
                extra={i18n.t('login.totpCodeHelp')}
                rules={[{ required: true, message: i18n.t('login.totpCodeRequired') }]}
              >
                <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} autoFocus data-testid="login-totp" />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block loading={pending} data-testid="login-submit">
              {i18n.t('login.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
