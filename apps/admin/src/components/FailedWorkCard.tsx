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
 * the API rather than put back, and the message says how many were, and what was refused if
 * either redrive was.
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
    // The two redrives are independent (the effects' and the deadlines' rows): both are tried, and
    // the message says what each did, so that one refused does not hide the other having worked.
    mutationFn: async (item: FailedWorkCase) => {
      const [effects, deadlines] = await Promise.allSettled([
        item.effects.length ? api<EffectsRedriven>('POST', `/v1/cases/${item.caseId}/effects/redrive`) : Promise.resolve({ redriven: [] }),
        item.deadlines.length ? api<DeadlinesRedriven>('POST', `/v1/cases/${item.caseId}/deadlines/redrive`) : Promise.resolve({ redriven: [], settledAsStale: [] }),
      ]);
      const counts = {
        redriven: (effects.status === 'fulfilled' ? effects.value.redriven.length : 0) + (deadlines.status === 'fulfilled' ? deadlines.value.redriven.length : 0),
        stale: deadlines.status === 'fulfilled' ? deadlines.value.settledAsStale.length : 0,
      };
      const refused = [effects, deadlines].find((outcome) => outcome.status === 'rejected');
      return { ...counts, refused: refused?.reason as unknown };
    },
    onSuccess: ({ refused, ...counts }) => {
      if (refused === undefined) void message.success(i18n.t('failedWork.redriven', counts));
      else if (counts.redriven + counts.stale === 0) void message.error(errorText(refused, i18n));
      else void message.warning(i18n.t('failedWork.partlyRedriven', { ...counts, error: errorText(refused, i18n) }));
    },
    // The list is read again either way: what was sent back leaves it, what was refused stays.
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
                    <Typography.Text type="danger">{i18n.t('failedWork.effect', { effect: i18n.effect(effect.type), attempts: effect.attempts })}</Typography.Text>
                  </Tooltip>
                ))}
                {item.deadlines.map((deadline) => (
                  <Typography.Text key={deadline.id} type="danger">
                    {/* A machine deadline has a name people read; an SLA alarm's (breach, reminder-80pct, merchant-reminder-…) is shown as the policy calls it. */}
                    {i18n.t(deadline.kind === 'machine' ? 'failedWork.deadline' : 'failedWork.slaAlarm', {
                      name: deadline.kind === 'machine' ? i18n.deadline(deadline.name) : deadline.name,
                      dueAt: i18n.dateTime(deadline.dueAt),
                    })}
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
