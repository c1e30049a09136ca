import { Card, List, Space, Tag, Typography } from 'antd';
import type { Refund } from '../api/types';
import { useI18n } from '../i18n/i18n';

const STATUS_COLOUR: Record<Refund['status'], string> = { requested: 'default', processing: 'processing', succeeded: 'success', failed: 'error' };

/** The case's refunds as the wallet last reported them: bank-card refunds take days, so "on its way" shows when it should arrive. */
export function RefundsCard({ refunds }: { refunds: Refund[] }) {
  const i18n = useI18n();
  return (
    <Card title={i18n.t('case.refunds')} size="small" data-testid="refunds" style={{ marginTop: 16 }}>
      <List
        size="small"
        dataSource={refunds}
        renderItem={(refund) => (
          <List.Item data-refund-status={refund.status}>
            <Space orientation="vertical" size={0}>
              <Space>
                <Typography.Text strong>{i18n.money(refund.amountMinor, refund.currency)}</Typography.Text>
                <Tag color={STATUS_COLOUR[refund.status]}>{i18n.t(`case.refunds.status.${refund.status}`)}</Tag>
              </Space>
              {refund.status === 'processing' && refund.expectedArrivalAt && (
                <Typography.Text type="secondary">{i18n.t('case.refunds.expectedArrival', { at: i18n.dateTime(refund.expectedArrivalAt) })}</Typography.Text>
              )}
              {refund.settledAt && refund.status === 'succeeded' && (
                <Typography.Text type="secondary">{i18n.t('case.refunds.settled', { at: i18n.dateTime(refund.settledAt) })}</Typography.Text>
              )}
              {refund.status === 'failed' && refund.failureReason && <Typography.Text type="danger">{refund.failureReason}</Typography.Text>}
              {refund.walletRefundId && (
                <Typography.Text type="secondary" copyable={{ text: refund.walletRefundId }}>
                  {i18n.t('case.refunds.walletId', { id: refund.walletRefundId })}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
