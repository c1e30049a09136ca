import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Empty, Form, Input, Modal, Popconfirm, Result, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useOutletContext } from 'react-router';
import { api, withQuery, type Page } from '../api/client';
import type { ApiKeyRow, CreatedApiKey, MerchantRow, WebhookDeliveryRow, WebhookEndpointRow } from '../api/config-types';
import type { Agent } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText, invalidFields } from '../lib/errors';
import { atLeast } from './AppLayout';

const merchantKeys = {
  merchants: ['merchants'] as const,
  keys: (id: string) => ['merchants', id, 'keys'] as const,
  endpoints: (id: string) => ['merchants', id, 'webhook-endpoints'] as const,
  deliveries: (id: string) => ['merchants', id, 'webhook-deliveries'] as const,
};

/**
 * Merchants and what connects them: their API keys (created and shown once, revoked), their
 * webhook endpoints, and the deliveries to them with every attempt, each replayable. Admins only:
 * keys are credentials.
 */
export default function MerchantsPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'admin');
  const list = useInfiniteQuery({
    queryKey: merchantKeys.merchants,
    queryFn: ({ pageParam }) => api<Page<MerchantRow>>('GET', withQuery('/v1/admin/merchants', { cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<MerchantRow | null>(null);
  if (!allowed) return <Result status="403" title={i18n.t('merchants.forbidden')} />;

  return (
    <Card
      title={i18n.t('merchants.title')}
      data-testid="merchants-page"
      extra={
        <Button type="primary" data-testid="merchant-add" onClick={() => setCreating(true)}>
          {i18n.t('merchants.add')}
        </Button>
      }
    >
      {list.isError ? (
        <Alert type="error" showIcon title={errorText(list.error, i18n)} />
      ) : (
        <Table
          data-testid="merchants"
          rowKey="id"
          loading={list.isPending}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: <Empty description={i18n.t('merchants.empty')} /> }}
          columns={[
            { title: i18n.t('merchants.col.id'), dataIndex: 'id', key: 'id', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
            { title: i18n.t('merchants.col.name'), dataIndex: 'name', key: 'name', render: (name: string) => <span data-testid="merchant-name">{name}</span> },
            { title: i18n.t('merchants.col.created'), dataIndex: 'createdAt', key: 'createdAt', render: (at: string) => i18n.dateTime(at) },
            {
              title: '',
              key: 'open',
              render: (_: unknown, merchant: MerchantRow) => (
                <Button size="small" data-testid="merchant-open" onClick={() => setOpen(merchant)}>
                  {i18n.t('merchants.manage')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {i18n.t('merchants.loadMore')}
          </Button>
        </div>
      )}
      {creating && <CreateMerchantModal onClose={() => setCreating(false)} />}
      {open && <MerchantDrawer merchant={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function CreateMerchantModal({ onClose }: { onClose: () => void }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ id?: string; name: string }>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (values: { id?: string; name: string }) => {
    setPending(true);
    setError(null);
    try {
      await api('POST', '/v1/admin/merchants', { name: values.name.trim(), ...(values.id?.trim() ? { id: values.id.trim() } : {}) });
      toast.success(i18n.t('merchants.created'));
      await queryClient.invalidateQueries({ queryKey: merchantKeys.merchants });
      onClose();
    } catch (failure) {
      setError(failure);
      form.setFields(
        invalidFields(failure)
          .filter((name) => name === 'id' || name === 'name')
          .map((name) => ({ name: name as 'id' | 'name', errors: [i18n.t('error.VALIDATION_FAILED')] })),
      );
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal
      open
      title={i18n.t('merchants.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={i18n.t('merchants.create')}
      cancelText={i18n.t('merchants.cancel')}
      confirmLoading={pending}
      okButtonProps={{ 'data-testid': 'merchant-create-submit' }}
    >
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="id" label={i18n.t('merchants.id')} extra={i18n.t('merchants.idHint')} rules={[{ pattern: /^[A-Za-z0-9_-]{1,64}$/, message: i18n.t('merchants.idRule') }]}>
          <Input data-testid="merchant-form-id" maxLength={64} />
        </Form.Item>
        <Form.Item name="name" label={i18n.t('merchants.name')} rules={[{ required: true, whitespace: true, message: i18n.t('merchants.required') }]}>
          <Input data-testid="merchant-form-name" maxLength={200} />
        </Form.Item>
      </Form>
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
    </Modal>
  );
}

function MerchantDrawer({ merchant, onClose }: { merchant: MerchantRow; onClose: () => void }) {
  const i18n = useI18n();
  return (
    <Drawer open size={960} title={`${merchant.name} (${merchant.id})`} onClose={onClose} data-testid="merchant-drawer">
      <Tabs
        items={[
          { key: 'keys', label: i18n.t('merchants.tab.keys'), children: <ApiKeys merchant={merchant} /> },
          { key: 'webhooks', label: i18n.t('merchants.tab.webhooks'), children: <Webhooks merchant={merchant} /> },
        ]}
      />
    </Drawer>
  );
}

function ApiKeys({ merchant }: { merchant: MerchantRow }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: merchantKeys.keys(merchant.id),
    queryFn: () => api<Page<ApiKeyRow>>('GET', withQuery(`/v1/admin/merchants/${encodeURIComponent(merchant.id)}/api-keys`, { limit: 200 })),
  });
  const [kind, setKind] = useState<'secret' | 'restricted'>('secret');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setCreated(await api<CreatedApiKey>('POST', `/v1/admin/merchants/${encodeURIComponent(merchant.id)}/api-keys`, { kind, ...(name.trim() ? { name: name.trim() } : {}) }));
      setName('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: merchantKeys.keys(merchant.id) });
    }
  };
  const revoke = async (key: ApiKeyRow) => {
    setError(null);
    try {
      await api('DELETE', `/v1/admin/merchants/${encodeURIComponent(merchant.id)}/api-keys/${key.id}`);
      toast.success(i18n.t('merchants.keyRevoked'));
    } catch (failure) {
      setError(failure);
    } finally {
      await queryClient.invalidateQueries({ queryKey: merchantKeys.keys(merchant.id) });
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          data-testid="key-kind"
          value={kind}
          onChange={setKind}
          style={{ width: 220 }}
          options={(['secret', 'restricted'] as const).map((value) => ({ value, label: i18n.t(`merchants.keyKind.${value}`) }))}
        />
        <Input
          data-testid="key-name"
          placeholder={i18n.t('merchants.keyName')}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={200}
          style={{ width: 240 }}
        />
        <Button type="primary" data-testid="key-create" loading={busy} onClick={() => void create()}>
          {i18n.t('merchants.createKey')}
        </Button>
      </Space>
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
      <Table
        data-testid="api-keys"
        rowKey="id"
        size="small"
        loading={keys.isPending}
        dataSource={keys.data?.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={i18n.t('merchants.noKeys')} /> }}
        columns={[
          { title: i18n.t('merchants.col.prefix'), dataIndex: 'prefix', key: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
          { title: i18n.t('merchants.col.kind'), dataIndex: 'kind', key: 'kind', render: (value: ApiKeyRow['kind']) => i18n.t(`merchants.keyKind.${value}`) },
          { title: i18n.t('merchants.col.keyName'), dataIndex: 'name', key: 'name', render: (value: string | null) => value ?? '—' },
          { title: i18n.t('merchants.col.created'), dataIndex: 'createdAt', key: 'createdAt', render: (at: string) => i18n.dateTime(at) },
          {
            title: i18n.t('merchants.col.lastUsed'),
            dataIndex: 'lastUsedAt',
            key: 'lastUsedAt',
            render: (at: string | null) => (at ? i18n.dateTime(at) : i18n.t('merchants.never')),
          },
          {
            title: '',
            key: 'state',
            render: (_: unknown, key: ApiKeyRow) =>
              key.revokedAt ? (
                <Tag data-testid="key-revoked">{i18n.t('merchants.revokedAt', { at: i18n.dateTime(key.revokedAt) })}</Tag>
              ) : (
                <Popconfirm
                  title={i18n.t('merchants.revokeConfirm', { prefix: key.prefix })}
                  okText={i18n.t('merchants.revoke')}
                  cancelText={i18n.t('merchants.cancel')}
                  okButtonProps={{ danger: true, 'data-testid': 'confirm-revoke' }}
                  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Popconfirm's OK button spins until a returned promise settles (its type says void)
                  onConfirm={() => revoke(key)}
                >
                  <Button size="small" danger data-testid="key-revoke">
                    {i18n.t('merchants.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {created && (
        <Modal
          open
          title={i18n.t('merchants.keyCreatedTitle')}
          onCancel={() => setCreated(null)}
          footer={
            <Button type="primary" data-testid="key-created-done" onClick={() => setCreated(null)}>
              {i18n.t('merchants.keyCreatedDone')}
            </Button>
          }
        >
          <Alert type="warning" showIcon title={i18n.t('merchants.keyShownOnce')} style={{ marginBottom: 12 }} />
          <Typography.Paragraph copyable={{ text: created.key }} code data-testid="key-created-value">
            {created.key}
          </Typography.Paragraph>
        </Modal>
      )}
    </Space>
  );
}

function Webhooks({ merchant }: { merchant: MerchantRow }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const base = `/v1/admin/merchants/${encodeURIComponent(merchant.id)}`;
  const endpoints = useQuery({ queryKey: merchantKeys.endpoints(merchant.id), queryFn: () => api<{ data: WebhookEndpointRow[] }>('GET', `${base}/webhook-endpoints`) });
  const [endpointId, setEndpointId] = useState<string | undefined>(undefined);
  const deliveries = useQuery({
    queryKey: [...merchantKeys.deliveries(merchant.id), endpointId ?? null],
    queryFn: () => api<{ data: WebhookDeliveryRow[] }>('GET', withQuery(`${base}/webhook-deliveries`, { endpoint_id: endpointId, limit: 100 })),
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const statusColour: Record<WebhookDeliveryRow['status'], string> = { pending: 'gold', succeeded: 'green', failed: 'red' };

  const replay = async (delivery: WebhookDeliveryRow) => {
    setError(null);
    setBusy(delivery.id);
    try {
      await api('POST', `${base}/webhook-deliveries/${delivery.id}/replay`);
      toast.success(i18n.t('merchants.replayed'));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: merchantKeys.deliveries(merchant.id) });
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>{i18n.t('merchants.endpoints')}</Typography.Title>
      <Table
        data-testid="webhook-endpoints"
        rowKey="id"
        size="small"
        loading={endpoints.isPending}
        dataSource={endpoints.data?.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={i18n.t('merchants.noEndpoints')} /> }}
        columns={[
          { title: i18n.t('merchants.col.url'), dataIndex: 'url', key: 'url', render: (url: string) => <Typography.Text code>{url}</Typography.Text> },
          { title: i18n.t('merchants.col.events'), dataIndex: 'events', key: 'events', render: (events: string[]) => events.join(', ') },
          {
            title: i18n.t('merchants.col.status'),
            key: 'status',
            render: (_: unknown, endpoint: WebhookEndpointRow) => (
              <Tag color={endpoint.status === 'enabled' ? 'green' : 'default'} data-testid="endpoint-status">
                {i18n.t(`merchants.endpointStatus.${endpoint.status}`)}
                {endpoint.disabled_reason ? ` (${endpoint.disabled_reason})` : ''}
              </Tag>
            ),
          },
          { title: i18n.t('merchants.col.created'), dataIndex: 'created', key: 'created', render: (at: string) => i18n.dateTime(at) },
        ]}
      />
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={5}>{i18n.t('merchants.deliveries')}</Typography.Title>
        <Select
          allowClear
          data-testid="delivery-endpoint-filter"
          placeholder={i18n.t('merchants.allEndpoints')}
          style={{ minWidth: 280 }}
          value={endpointId}
          onChange={(value?: string) => setEndpointId(value)}
          options={(endpoints.data?.data ?? []).map((endpoint) => ({ value: endpoint.id, label: endpoint.url }))}
        />
      </Space>
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} data-testid="delivery-error" />}
      <Table
        data-testid="webhook-deliveries"
        rowKey="id"
        size="small"
        loading={deliveries.isPending}
        dataSource={deliveries.data?.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={i18n.t('merchants.noDeliveries')} /> }}
        expandable={{
          expandedRowRender: (delivery: WebhookDeliveryRow) => (
            <Table
              size="small"
              rowKey={(attempt) => `${attempt.generation}:${attempt.attempt}`}
              dataSource={delivery.attempts}
              pagination={false}
              columns={[
                { title: i18n.t('merchants.col.attemptAt'), dataIndex: 'at', key: 'at', render: (at: string) => i18n.dateTime(at) },
                { title: i18n.t('merchants.col.attempt'), key: 'attempt', render: (_: unknown, attempt) => `${attempt.generation}.${attempt.attempt}` },
                { title: i18n.t('merchants.col.statusCode'), dataIndex: 'status_code', key: 'code', render: (code: number | null) => code ?? '—' },
                { title: i18n.t('merchants.col.error'), dataIndex: 'error', key: 'error', render: (text: string | null) => text ?? '—' },
                { title: i18n.t('merchants.col.duration'), dataIndex: 'duration_ms', key: 'duration', render: (ms: number) => `${ms} ms` },
              ]}
            />
          ),
        }}
        columns={[
          { title: i18n.t('merchants.col.event'), dataIndex: 'event_type', key: 'type', render: (type: string) => <Typography.Text code>{type}</Typography.Text> },
          { title: i18n.t('merchants.col.eventId'), dataIndex: 'event_id', key: 'eventId', render: (id: string) => <Typography.Text type="secondary">{id}</Typography.Text> },
          {
            title: i18n.t('merchants.col.status'),
            key: 'status',
            render: (_: unknown, delivery: WebhookDeliveryRow) => (
              <Tag color={statusColour[delivery.status]} data-testid="delivery-status" data-status={delivery.status}>
                {i18n.t(`merchants.deliveryStatus.${delivery.status}`)}
              </Tag>
            ),
          },
          { title: i18n.t('merchants.col.attempts'), key: 'attempts', render: (_: unknown, delivery: WebhookDeliveryRow) => delivery.attempts.length },
          { title: i18n.t('merchants.col.created'), dataIndex: 'created', key: 'created', render: (at: string) => i18n.dateTime(at) },
          {
            title: '',
            key: 'replay',
            render: (_: unknown, delivery: WebhookDeliveryRow) => (
              <Button size="small" data-testid="delivery-replay" loading={busy === delivery.id} onClick={() => void replay(delivery)}>
                {i18n.t('merchants.replay')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
