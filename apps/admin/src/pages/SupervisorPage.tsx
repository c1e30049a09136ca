import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Result, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { useOutletContext } from 'react-router';
import { api } from '../api/client';
import { FailedWorkCard } from '../components/FailedWorkCard';
import { queryKeys, useAgents } from '../api/hooks';
import type { Agent, QueueCounts, QueueStats, SlaBreaches } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { atLeast } from './AppLayout';

/** Where the API mounts Bull Board (apps/api/src/queue-dashboard.ts), behind the supervisor role. */
export const QUEUE_DASHBOARD_URL = '/admin/queues';

interface BreachRow {
  key: string;
  label: string;
  count: number;
}

const byCountDesc = (a: BreachRow, b: BreachRow) => b.count - a.count || a.label.localeCompare(b.label);

/**
 * Queue depths, SLA breach counts and the work that failed, for supervisors (the API refuses
 * agents too: GET /v1/stats/queues, GET /v1/sla/breaches and GET /v1/failed-work need supervisor).
 */
export default function SupervisorPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'supervisor');
  const stats = useQuery({
    queryKey: queryKeys.stats,
    queryFn: () => api<QueueStats>('GET', '/v1/stats/queues'),
    enabled: allowed,
    refetchInterval: 30_000,
  });
  const breaches = useQuery({
    queryKey: queryKeys.slaBreaches,
    queryFn: () => api<SlaBreaches>('GET', '/v1/sla/breaches'),
    enabled: allowed,
    refetchInterval: 30_000,
  });
  const agents = useAgents();
  if (!allowed) return <Result status="403" title={i18n.t('supervisor.forbidden')} />;

  const countColumns = [
    { title: i18n.t('supervisor.active'), dataIndex: 'active', align: 'right' as const, sorter: (a: QueueCounts, b: QueueCounts) => a.active - b.active },
    {
      title: i18n.t('supervisor.overdue'),
      dataIndex: 'overdue',
      align: 'right' as const,
      sorter: (a: QueueCounts, b: QueueCounts) => a.overdue - b.overdue,
      render: (value: number) => <Typography.Text type={value ? 'danger' : undefined}>{value}</Typography.Text>,
    },
    {
      title: i18n.t('supervisor.dueSoon'),
      dataIndex: 'dueSoon',
      align: 'right' as const,
      render: (value: number) => <Typography.Text type={value ? 'warning' : undefined}>{value}</Typography.Text>,
    },
    { title: i18n.t('supervisor.unassigned'), dataIndex: 'unassigned', align: 'right' as const },
  ];

  const agentName = (id: string) => {
    if (id === 'unassigned') return i18n.t('queue.unassigned');
    const agent = agents.data?.find((candidate) => candidate.id === id);
    return agent ? agent.displayName : i18n.t('supervisor.inactiveAgent', { id: id.slice(0, 8) });
  };
  const counts = breaches.data?.counts;
  const policyRows: BreachRow[] = Object.entries(counts?.byPolicy ?? {})
    .map(([key, count]) => ({ key, label: key, count }))
    .sort(byCountDesc);
  const agentRows: BreachRow[] = Object.entries(counts?.byAgent ?? {})
    .map(([key, count]) => ({ key, label: agentName(key), count }))
    .sort(byCountDesc);
  const breachTable = (testId: string, title: string, labelTitle: string, rows: BreachRow[]) => (
    <Card title={title} size="small" data-testid={testId}>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        locale={{ emptyText: <Empty description={i18n.t('supervisor.noBreaches')} /> }}
        columns={[
          { title: labelTitle, dataIndex: 'label' },
          {
            title: i18n.t('supervisor.breachCount'),
            dataIndex: 'count',
            align: 'right' as const,
            render: (value: number) => <Typography.Text type="danger">{value}</Typography.Text>,
          },
        ]}
      />
    </Card>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="supervisor-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {i18n.t('supervisor.title')}
        </Typography.Title>
        <Tooltip title={i18n.t('supervisor.dashboardHint')}>
          {/* A full page of the API (Bull Board), not a route of this app: a plain link, new tab. */}
          <Button href={QUEUE_DASHBOARD_URL} target="_blank" rel="noopener noreferrer" data-testid="queue-dashboard-link">
            {i18n.t('supervisor.dashboard')}
          </Button>
        </Tooltip>
      </Space>
      {stats.isError && <Alert type="error" showIcon title={errorText(stats.error, i18n)} />}
      {stats.data && (
        <>
          <Row gutter={16}>
            <Col span={6}>
              <Card>
                <Statistic title={i18n.t('supervisor.active')} value={stats.data.totals.active} />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic
                  title={i18n.t('supervisor.overdue')}
                  value={stats.data.totals.overdue}
                  styles={{ content: { color: stats.data.totals.overdue ? '#cf1322' : undefined } }}
                />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic
                  title={i18n.t('supervisor.dueSoon')}
                  value={stats.data.totals.dueSoon}
                  styles={{ content: { color: stats.data.totals.dueSoon ? '#d46b08' : undefined } }}
                />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic title={i18n.t('supervisor.unassigned')} value={stats.data.totals.unassigned} />
              </Card>
            </Col>
          </Row>
          <Card title={i18n.t('supervisor.byKindState')} size="small">
            <Table
              size="small"
              pagination={false}
              rowKey={(row) => `${row.kind}/${row.state}`}
              dataSource={stats.data.byKindState}
              locale={{ emptyText: <Empty description={i18n.t('supervisor.empty')} /> }}
              columns={[
                { title: i18n.t('queue.col.kind'), dataIndex: 'kind', render: (value: string) => i18n.kind(value) },
                { title: i18n.t('queue.col.state'), dataIndex: 'state', render: (value: string) => i18n.state(value) },
                ...countColumns,
              ]}
            />
          </Card>
          <Card title={i18n.t('supervisor.byAssignee')} size="small">
            <Table
              size="small"
              pagination={false}
              rowKey={(row) => row.assigneeId ?? 'none'}
              dataSource={stats.data.byAssignee}
              locale={{ emptyText: <Empty description={i18n.t('supervisor.empty')} /> }}
              columns={[
                { title: i18n.t('queue.col.assignee'), dataIndex: 'displayName', render: (value: string | null) => value ?? i18n.t('queue.unassigned') },
                ...countColumns.filter((column) => column.dataIndex !== 'unassigned'),
              ]}
            />
          </Card>
        </>
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {i18n.t('supervisor.breaches')}
      </Typography.Title>
      {breaches.isError && <Alert type="error" showIcon title={errorText(breaches.error, i18n)} data-testid="breaches-error" />}
      {breaches.data && (
        <Row gutter={16}>
          <Col span={12}>{breachTable('breaches-by-policy', i18n.t('supervisor.breachesByPolicy'), i18n.t('supervisor.policy'), policyRows)}</Col>
          <Col span={12}>{breachTable('breaches-by-agent', i18n.t('supervisor.breachesByAgent'), i18n.t('supervisor.agent'), agentRows)}</Col>
        </Row>
      )}
      {/* Keyed: Space keys its items by position, and the sections above appear as their data arrives; unkeyed, the card would mount again (and read its list again) each time. */}
      <FailedWorkCard key="failed-work" />
    </Space>
  );
}
