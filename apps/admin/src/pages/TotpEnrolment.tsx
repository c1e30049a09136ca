import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

/**
 * Shown instead of the desk while the agent's role needs two-factor login and they have not set it
 * up (the API refuses everything else with TOTP_ENROLMENT_REQUIRED): a seed for the authenticator
 * app, then a current code, then the recovery codes, shown this once.
 */
export function TotpEnrolment() {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const [seed, setSeed] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  const start = () => run(async () => setSeed(await api<{ secret: string; otpauthUrl: string }>('POST', '/v1/auth/totp/enrolment')));
  const confirm = () => run(async () => setRecoveryCodes((await api<{ recoveryCodes: string[] }>('POST', '/v1/auth/totp/activation', { code: code.trim() })).recoveryCodes));

  return (
    <Card title={i18n.t('totp.title')} style={{ maxWidth: 560 }} data-testid="totp-enrolment">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
        {recoveryCodes ? (
          <>
            <Alert type="success" showIcon title={i18n.t('totp.done')} />
            <Typography.Paragraph>{i18n.t('totp.recoveryCodes')}</Typography.Paragraph>
            <Typography.Paragraph code copyable data-testid="recovery-codes">
              {recoveryCodes.join('\n')}
            </Typography.Paragraph>
            <Button type="primary" onClick={() => void queryClient.invalidateQueries({ queryKey: queryKeys.me })}>
              {i18n.t('totp.continue')}
            </Button>
          </>
        ) : seed ? (
          <>
            <Typography.Paragraph>{i18n.t('totp.addToApp')}</Typography.Paragraph>
            <Typography.Paragraph code copyable data-testid="totp-secret">
              {seed.secret}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" copyable={{ text: seed.otpauthUrl }}>
              {i18n.t('totp.otpauthUrl')}
            </Typography.Paragraph>
            <Input value={code} onChange={(event) => setCode(event.target.value)} placeholder="123456" inputMode="numeric" maxLength={6} data-testid="totp-code" />
            <Button type="primary" onClick={() => void confirm()} loading={pending} disabled={code.trim().length !== 6} data-testid="totp-confirm">
              {i18n.t('totp.confirm')}
            </Button>
          </>
        ) : (
          <>
            <Typography.Paragraph>{i18n.t('totp.why')}</Typography.Paragraph>
            <Button type="primary" onClick={() => void start()} loading={pending} data-testid="totp-start">
              {i18n.t('totp.start')}
            </Button>
          </>
        )}
      </Space>
    </Card>
  );
}
