import { Alert, Button, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { CustomerContact, RevealedContact } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

/**
 * The customer's contact details as the case shows them: masked. "Show" asks the API for them in
 * full, which records who looked and when (it appears on the timeline); they are kept only in this
 * component's state, never in the query cache.
 */
export function CustomerContactItem({ caseId, contact, onRevealed }: { caseId: string; contact: CustomerContact | null; onRevealed(): void }) {
  const i18n = useI18n();
  const [revealed, setRevealed] = useState<RevealedContact | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!contact) return <Typography.Text type="secondary">{i18n.t('case.contact.none')}</Typography.Text>;
  const hasSecrets = Boolean(contact.phone || contact.email || contact.wechatOpenId);
  const show = async () => {
    setPending(true);
    setError(null);
    try {
      setRevealed(await api<RevealedContact>('POST', `/v1/cases/${caseId}/customer-contact/reveal`, {}));
      onRevealed();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  const line = (label: string, masked: string | null, full: string | undefined, testId: string) =>
    masked ? (
      <div>
        <Typography.Text type="secondary">{label}: </Typography.Text>
        <Typography.Text data-testid={testId} copyable={Boolean(full)}>
          {full ?? masked}
        </Typography.Text>
      </div>
    ) : null;
  return (
    <Space orientation="vertical" size={0} data-testid="customer-contact">
      <div>
        <Typography.Text type="secondary">{i18n.t('case.contact.language')}: </Typography.Text>
        {contact.locale} · <Typography.Text type="secondary">{i18n.t('case.contact.push')}: </Typography.Text>
        {i18n.t(contact.pushEnabled ? 'case.contact.on' : 'case.contact.off')}
      </div>
      {line(i18n.t('case.contact.phone'), contact.phone, revealed?.phone, 'contact-phone')}
      {line(i18n.t('case.contact.email'), contact.email, revealed?.email, 'contact-email')}
      {line(i18n.t('case.contact.wechat'), contact.wechatOpenId, revealed?.wechatOpenId, 'contact-wechat')}
      {hasSecrets && !revealed && (
        <Tooltip title={i18n.t('case.contact.showHint')}>
          <Button size="small" onClick={() => void show()} loading={pending} data-testid="contact-reveal">
            {i18n.t('case.contact.show')}
          </Button>
        </Tooltip>
      )}
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
    </Space>
  );
}
