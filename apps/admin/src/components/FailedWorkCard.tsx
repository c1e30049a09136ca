import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { DeadlinesRedriven, EffectsRedriven, FailedWorkCase, FailedWorkPage } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

/**
 * What the job queues gave up on (GET /v1/failed-work, supervisors): each case with its failed
 * effects and deadlines, the longest waiting first, and a button that redrives them once the cause
 * is fixed. A redrive sends the case's failed effects and its failed deadlines back (each keeps its
 * id, so a refund is never paid twice); a deadline the case has moved past is settled as stale by
 * the API rather than put back, and the message says how many were.
 */
export function FailedWorkCard() {
  const i18n = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const failedWork = useQuery({
    queryKey: queryKeys.failedWork,
    queryFn: () => api<FailedWorkPage>('GET', '/v1/failed-work'),
    refetchInterval: 30_000,
  });
  const redrive = useMutation({
    mutationFn: async (item: FailedWorkCase) => {
      const effects = item.effects.length ? await api<EffectsRedriven>('POST', `/v1/cases/${item.caseId}/effects/redrive`) : { redriven: [] };
      const deadlines = item.deadlines.length ? await api<DeadlinesRedriven>('POST', `/v1/cases/${item.caseId}/deadlines/redrive`) : { redriven: [], settledAsStale: [] };
      return { redriven: effects.redriven.length + deadlines.redriven.length, stale: deadlines.settledAsStale.length };
    },
    onSuccess: (counts) => void message.success(i18n.t('failedWork.redriven', counts)),
    onError: (error) => void message.error(errorText(error, i18n)),
    // Either way the list is read again: a redrive that failed half-way may have sent back the effects.
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.failedWork }),
  });

  const data = failedWork.data;
  return (
    <Card
      size="small"
      data-testid="failed-work"
      title={
        <Tooltip title={i18n.t('failedWork.hint')}>
          <span>{i18n.t('failedWork.title')}</span>
        </Tooltip>
      }
      extra={
        data && data.total > data.data.length ? (
          <Typography.Text type="secondary">{i18n.t('failedWork.more', { shown: data.data.length, total: data.total })}</Typography.Text>
        ) : null
      }
    >
      {failedWork.isError && <Alert type="error" showIcon title={errorText(failedWork.error, i18n)} data-testid="failed-work-error" />}
      <Table
        size="small"
        pagination={false}
        rowKey="caseId"
        loading={failedWork.isLoading}
        dataSource={data?.data ?? []}
        locale={{ emptyText: <Empty description={i18n.t('failedWork.none')} /> }}
        columns={[
          {
            title: i18n.t('failedWork.case'),
            dataIndex: 'subject',
            render: (subject: string, item: FailedWorkCase) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/cases/${item.caseId}`}>{subject}</Link>
                <Typography.Text type="secondary">
                  {i18n.kind(item.kind)} · {i18n.state(item.state)}
                  {item.livemode ? null : <Tag style={{ marginLeft: 8 }}>{i18n.t('failedWork.testMode')}</Tag>}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: i18n.t('failedWork.failed'),
            key: 'failed',
            render: (_: unknown, item: FailedWorkCase) => (
              <Space orientation="vertical" size={0}>
                {item.effects.map((effect) => (
                  <Tooltip key={effect.id} title={effect.lastError ?? i18n.t('failedWork.noError')}>
                    <Typography.Text type="danger">{i18n.t('failedWork.effect', { type: effect.type, attempts: effect.attempts })}</Typography.Text>
                  </Tooltip>
                ))}
                {item.deadlines.map((deadline) => (
                  <Typography.Text key={deadline.id} type="danger">
                    {i18n.t('failedWork.deadline', { name: i18n.deadline(deadline.name), dueAt: i18n.dateTime(deadline.dueAt) })}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          { title: i18n.t('failedWork.since'), dataIndex: 'oldestAt', render: (iso: string) => i18n.dateTime(iso) },
          {
            title: '',
            key: 'redrive',
            align: 'right' as const,
            render: (_: unknown, item: FailedWorkCase) => (
              <Button
                size="small"
                onClick={() => redrive.mutate(item)}
                loading={redrive.isPending && redrive.variables?.caseId === item.caseId}
                disabled={redrive.isPending}
                data-testid={`redrive-${item.caseId}`}
              >
                {i18n.t('failedWork.redrive')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
