import { Alert, Card, Space, Tag, Typography } from 'antd';
import type { EvidenceRequirements, EvidenceRequirementsStatus } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { evidenceTypeText } from '../lib/errors';

/**
 * What a dispute's reason asks of each side (Adyen's defense documents, Stripe's evidence per
 * reason), ticked off against what each side has handed in, so the agent sees at a glance whether
 * a merchant may contest and what to ask the customer for.
 */
export function EvidenceRequirementsCard({ requirements }: { requirements: EvidenceRequirements }) {
  const i18n = useI18n();
  return (
    <Card title={i18n.t('case.requirements')} size="small" data-testid="evidence-requirements" data-reason={requirements.reason} style={{ marginTop: 16 }}>
      <Space orientation="vertical" size="small" style={{ width: '100%' }}>
        <Typography.Text strong>{i18n.t('case.requirements.reason', { reason: i18n.reason(requirements.reason) })}</Typography.Text>
        <Typography.Text type="secondary" data-testid="evidence-counterparty">
          {i18n.t(`case.requirements.counterparty.${requirements.counterparty}`)}
        </Typography.Text>
        {requirements.merchant ? (
          <Side side="merchant" title={i18n.t('case.requirements.merchant')} status={requirements.merchant} />
        ) : (
          <Typography.Text type="secondary">{i18n.t('case.requirements.noMerchant')}</Typography.Text>
        )}
        {requirements.customer && <Side side="customer" title={i18n.t('case.requirements.customer')} status={requirements.customer} />}
      </Space>
    </Card>
  );
}

function Side({ side, title, status }: { side: 'merchant' | 'customer'; title: string; status: EvidenceRequirementsStatus }) {
  const i18n = useI18n();
  const item = (type: string) => {
    const provided = status.provided.includes(type as never);
    return (
      <Tag key={type} color={provided ? 'success' : undefined} data-evidence-type={type} data-provided={String(provided)}>
        {provided ? '✓ ' : ''}
        {evidenceTypeText(type, i18n)}
      </Tag>
    );
  };
  const separator = i18n.locale === 'zh-CN' ? '、' : ', ';
  return (
    <div data-testid={`requirements-${side}`}>
      <Typography.Text strong>{title}</Typography.Text>
      <div style={{ marginTop: 4 }}>
        <Typography.Text type="secondary">{i18n.t('case.requirements.required')}: </Typography.Text>
        {status.required.length > 0 ? status.required.map(item) : <Typography.Text type="secondary">{i18n.t('case.requirements.none')}</Typography.Text>}
      </div>
      {status.optional.length > 0 && (
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">{i18n.t('case.requirements.optional')}: </Typography.Text>
          {status.optional.map(item)}
        </div>
      )}
      <div style={{ marginTop: 4 }} data-testid={`requirements-${side}-missing`}>
        {status.missing.length > 0 ? (
          <Alert type="warning" showIcon title={i18n.t('case.requirements.missing', { items: status.missing.map((type) => evidenceTypeText(type, i18n)).join(separator) })} />
        ) : (
          <Typography.Text type="success">{i18n.t('case.requirements.complete')}</Typography.Text>
        )}
      </div>
    </div>
  );
}
