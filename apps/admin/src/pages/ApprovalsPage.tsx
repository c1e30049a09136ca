import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Result, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useOutletContext } from 'react-router';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { Agent, ApprovalItem, ApprovalPage } from '../api/types';
import { en, type MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { atLeast } from './AppLayout';

const PAGE_SIZE = 100;
const KNOWN_ACTIONS = new Set(Object.keys(en.messages).filter((key) => key.startsWith('approvals.action.')));

/**
 * The supervisors' approvals queue (maker–checker): proposals waiting for a second person,
 * longest waiting first. Approve or reject from here; the API refuses the proposer
 * (SELF_APPROVAL) and an approver whose limit is below the amount, and the list only offers the
 * buttons this person may use.
 */
export default function ApprovalsPage() {
  const i18n = useI18n();
  // The app's message API, not antd's static one: it follows the app's language, theme and motion.
  const { message } = App.useApp();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'supervisor');
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState<ApprovalItem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const approvals = useInfiniteQuery({
    queryKey: queryKeys.approvals,
    queryFn: ({ pageParam }) => api<ApprovalPage>('GET', `/v1/approvals?limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: allowed,
    refetchInterval: 30_000,
  });
  const items = approvals.data?.pages.flatMap((page) => page.items) ?? [];
  if (!allowed) return <Result status="403" title={i18n.t('approvals.forbidden')} />;

  const decide = async (item: ApprovalItem, type: string, payload: Record<string, unknown>) => {
    setBusy(item.case.id);
    try {
      await api('POST', `/v1/cases/${item.case.id}/events`, { type, payload, expectedVersion: item.case.version });
      message.success(i18n.t(type === item.decideWith.approve ? 'approvals.approved' : 'approvals.rejected'));
    } catch (error) {
      message.error(errorText(error, i18n));
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.approvals });
    }
  };
  const reject = async () => {
    // An empty reason keeps the dialog open with the field's message (validateFields rejects).
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { reason } = values;
    const item = rejecting!;
    setRejecting(null);
    form.resetFields();
    await decide(item, item.decideWith.reject!, { reason });
  };

  const proposalText = (item: ApprovalItem) => {
    const money = item.proposal.amountMinor && item.proposal.currency ? ` · ${i18n.money(item.proposal.amountMinor, item.proposal.currency)}` : '';
    const direction = item.proposal.direction ? ` (${i18n.t(`approvals.direction.${item.proposal.direction}`)})` : '';
    return `${actionLabel(item.proposal.action)}${money}${direction}`;
  };
  const actionLabel = (action: string | null) => {
    if (!action) return i18n.t('common.none');
    const key = `approvals.action.${action}`;
    // A proposal kind a newer machine adds shows its own name until it is translated.
    return KNOWN_ACTIONS.has(key) ? i18n.t(key as MessageKey) : action;
  };
  const columns = [
    {
      title: i18n.t('approvals.col.case'),
      key: 'case',
      render: (_: unknown, item: ApprovalItem) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/cases/${item.case.id}`}>{item.case.subject}</Link>
          <Typography.Text type="secondary">{i18n.kind(item.case.kind)}</Typography.Text>
        </Space>
      ),
    },
    {
      title: i18n.t('approvals.col.proposal'),
      key: 'proposal',
      render: (_: unknown, item: ApprovalItem) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="approval-action">
            {proposalText(item)}
          </Typography.Text>
          {item.proposal.reason ? <Typography.Text type="secondary">{item.proposal.reason}</Typography.Text> : null}
        </Space>
      ),
    },
    {
      title: i18n.t('approvals.col.proposedBy'),
      key: 'proposedBy',
      render: (_: unknown, item: ApprovalItem) =>
        item.proposal.proposedBy ? (
          <Space>
            {item.proposal.proposedBy.displayName}
            {item.proposal.proposedBy.id === me.id ? <Tag>{i18n.t('approvals.yours')}</Tag> : null}
          </Space>
        ) : (
          i18n.t('common.none')
        ),
    },
    {
      title: i18n.t('approvals.col.due'),
      key: 'due',
      render: (_: unknown, item: ApprovalItem) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text type="secondary">{i18n.t('approvals.since', { time: i18n.dateTime(item.waitingSince) })}</Typography.Text>
          {item.dueAt ? <Typography.Text>{i18n.dateTime(item.dueAt)}</Typography.Text> : null}
          {item.overdue ? (
            <Tag color="red" data-testid="approval-overdue">
              {i18n.t('approvals.overdue')}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    {
      title: '',
      key: 'decide',
      render: (_: unknown, item: ApprovalItem) =>
        item.decideWith.approve || item.decideWith.reject ? (
          <Space>
            {item.decideWith.approve ? (
              // Approving moves money or unlocks an account: one more look at what exactly.
              <Popconfirm
                title={i18n.t('approvals.confirmApprove', { action: proposalText(item) })}
                okText={i18n.t('approvals.approve')}
                okButtonProps={{ 'data-testid': 'approve-confirm' } as never}
                // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Popconfirm's OK button spins until a returned promise settles (its type says void)
                onConfirm={() => decide(item, item.decideWith.approve!, {})}
              >
                <Button type="primary" size="small" loading={busy === item.case.id} data-testid="approve">
                  {i18n.t('approvals.approve')}
                </Button>
              </Popconfirm>
            ) : null}
            {item.decideWith.reject ? (
              <Button danger size="small" disabled={busy === item.case.id} data-testid="reject" onClick={() => setRejecting(item)}>
                {i18n.t('approvals.reject')}
              </Button>
            ) : null}
          </Space>
        ) : (
          <Typography.Text type="secondary">{i18n.t('approvals.notYours')}</Typography.Text>
        ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="approvals-page">
      <Typography.Title level={3}>{i18n.t('approvals.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{i18n.t('approvals.hint')}</Typography.Paragraph>
      {approvals.isError ? <Alert type="error" message={errorText(approvals.error, i18n)} /> : null}
      <Table
        rowKey={(item: ApprovalItem) => item.case.id}
        loading={approvals.isPending}
        dataSource={items}
        columns={columns}
        pagination={false}
        locale={{ emptyText: <Empty description={i18n.t('approvals.empty')} /> }}
      />
      {approvals.hasNextPage ? (
        <Button onClick={() => void approvals.fetchNextPage()} loading={approvals.isFetchingNextPage} data-testid="approvals-more">
          {i18n.t('approvals.loadMore')}
        </Button>
      ) : null}
      <Modal
        open={rejecting !== null}
        title={i18n.t('approvals.rejectTitle')}
        okText={i18n.t('approvals.reject')}
        okButtonProps={{ danger: true, 'data-testid': 'reject-confirm' } as never}
        onCancel={() => setRejecting(null)}
        onOk={() => void reject()}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={i18n.t('approvals.rejectReason')} rules={[{ required: true, whitespace: true, message: i18n.t('approvals.rejectReason') }]}>
            <Input.TextArea rows={3} data-testid="reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
