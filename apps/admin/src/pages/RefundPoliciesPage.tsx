import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, InputNumber, Modal, Popconfirm, Result, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useOutletContext } from 'react-router';
import { api, withQuery, type Page } from '../api/client';
import type { MerchantRow } from '../api/config-types';
import type { components } from '../api/generated/schema';
import type { Agent } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { atLeast } from './AppLayout';

/** GET /v1/admin/merchants (libs/merchants MerchantView). */
type Merchant = MerchantRow;

/** GET /v1/admin/merchants/:id/refund-policy (libs/merchants RefundPolicyView). */
type RefundPolicy = components['schemas']['RefundPolicyViewDto'];

type PolicyForm = Pick<RefundPolicy, 'refundWindowDays' | 'partialRefundsAllowed' | 'nonRefundableFeeMinor'>;

const policyKey = (merchantId: string) => ['refund-policy', merchantId];

/**
 * Each merchant's refund policy for refund requests: the global one unless an admin set one of its
 * own. Admins set and remove them (audited); a change applies to new refund requests only.
 */
export default function RefundPoliciesPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'admin');
  const merchants = useInfiniteQuery({
    queryKey: ['merchants'],
    queryFn: ({ pageParam }) => api<Page<Merchant>>('GET', withQuery('/v1/admin/merchants', { cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
  });
  const rows = useMemo(() => merchants.data?.pages.flatMap((page) => page.data) ?? [], [merchants.data]);
  const [editing, setEditing] = useState<{ merchant: Merchant; policy: RefundPolicy } | null>(null);
  if (!allowed) return <Result status="403" title={i18n.t('refundPolicies.forbidden')} />;

  const columns = [
    {
      title: i18n.t('refundPolicies.col.merchant'),
      key: 'merchant',
      render: (_: unknown, merchant: Merchant) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{merchant.name}</Typography.Text>
          <Typography.Text type="secondary">{merchant.id}</Typography.Text>
        </Space>
      ),
    },
    {
      title: i18n.t('refundPolicies.col.policy'),
      key: 'policy',
      render: (_: unknown, merchant: Merchant) => <PolicyCell merchant={merchant} onEdit={(policy) => setEditing({ merchant, policy })} />,
    },
  ];
  return (
    <Card title={i18n.t('refundPolicies.title')}>
      <Typography.Paragraph type="secondary">{i18n.t('refundPolicies.intro')}</Typography.Paragraph>
      {merchants.isError && <Alert type="error" showIcon title={errorText(merchants.error, i18n)} />}
      <Table
        rowKey="id"
        size="small"
        loading={merchants.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        locale={{ emptyText: <Empty description={i18n.t('refundPolicies.empty')} /> }}
        data-testid="refund-policies"
      />
      {merchants.hasNextPage && (
        <Button style={{ marginTop: 12 }} loading={merchants.isFetchingNextPage} onClick={() => void merchants.fetchNextPage()}>
          {i18n.t('refundPolicies.more')}
        </Button>
      )}
      {editing && <EditPolicy merchant={editing.merchant} policy={editing.policy} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function PolicyCell({ merchant, onEdit }: { merchant: Merchant; onEdit: (policy: RefundPolicy) => void }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const { message: toast } = App.useApp();
  const policy = useQuery({ queryKey: policyKey(merchant.id), queryFn: () => api<RefundPolicy>('GET', `/v1/admin/merchants/${merchant.id}/refund-policy`) });
  const [removeError, setRemoveError] = useState<unknown>(null);
  if (policy.isPending) return <Spin size="small" />;
  if (policy.isError) return <Typography.Text type="danger">{errorText(policy.error, i18n)}</Typography.Text>;
  const current = policy.data;
  const remove = async () => {
    setRemoveError(null);
    try {
      await api('DELETE', `/v1/admin/merchants/${merchant.id}/refund-policy`);
      toast.success(i18n.t('refundPolicies.removed'));
    } catch (failure) {
      setRemoveError(failure);
    }
    await queryClient.invalidateQueries({ queryKey: policyKey(merchant.id) });
  };
  return (
    <Space wrap data-testid={`policy-${merchant.id}`} data-source={current.source}>
      <Tag color={current.source === 'merchant' ? 'blue' : 'default'}>{i18n.t(current.source === 'merchant' ? 'refundPolicies.own' : 'refundPolicies.global')}</Tag>
      <Typography.Text>
        {i18n.t('refundPolicies.summary', {
          days: current.refundWindowDays,
          partial: i18n.t(current.partialRefundsAllowed ? 'refundPolicies.partialYes' : 'refundPolicies.partialNo'),
          fee: current.nonRefundableFeeMinor,
        })}
      </Typography.Text>
      <Button size="small" onClick={() => onEdit(current)} data-testid={`edit-${merchant.id}`}>
        {i18n.t('refundPolicies.edit')}
      </Button>
      {current.source === 'merchant' && (
        <Popconfirm title={i18n.t('refundPolicies.removeConfirm')} okButtonProps={{ 'data-testid': `confirm-remove-${merchant.id}` }} onConfirm={() => void remove()}>
          <Button size="small" danger data-testid={`remove-${merchant.id}`}>
            {i18n.t('refundPolicies.remove')}
          </Button>
        </Popconfirm>
      )}
      {removeError !== null && <Typography.Text type="danger">{errorText(removeError, i18n)}</Typography.Text>}
    </Space>
  );
}

function EditPolicy({ merchant, policy, onClose }: { merchant: Merchant; policy: RefundPolicy; onClose: () => void }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const { message: toast } = App.useApp();
  const [form] = Form.useForm<PolicyForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (values: PolicyForm) => {
    setSaving(true);
    setError(null);
    try {
      await api('PUT', `/v1/admin/merchants/${merchant.id}/refund-policy`, values);
      toast.success(i18n.t('refundPolicies.saved'));
      await queryClient.invalidateQueries({ queryKey: policyKey(merchant.id) });
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={i18n.t('refundPolicies.editTitle', { name: merchant.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'policy-submit' }}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ refundWindowDays: policy.refundWindowDays, partialRefundsAllowed: policy.partialRefundsAllowed, nonRefundableFeeMinor: policy.nonRefundableFeeMinor }}
        onFinish={(values) => void save(values)}
      >
        <Form.Item name="refundWindowDays" label={i18n.t('refundPolicies.field.window')} rules={[{ required: true, type: 'integer', min: 0, max: 3650 }]}>
          <InputNumber min={0} max={3650} precision={0} style={{ width: 160 }} data-testid="policy-window" />
        </Form.Item>
        <Form.Item name="partialRefundsAllowed" label={i18n.t('refundPolicies.field.partial')} valuePropName="checked">
          <Switch data-testid="policy-partial" />
        </Form.Item>
        <Form.Item name="nonRefundableFeeMinor" label={i18n.t('refundPolicies.field.fee')} rules={[{ required: true, type: 'integer', min: 0 }]}>
          <InputNumber min={0} precision={0} style={{ width: 160 }} data-testid="policy-fee" />
        </Form.Item>
      </Form>
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} data-testid="policy-error" />}
    </Modal>
  );
}
