import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Result, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { useOutletContext } from 'react-router';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { Agent, QueueCounts, QueueStats } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { atLeast } from './AppLayout';

/** Queue depths for supervisors (the API refuses agents too: GET /v1/stats/queues needs supervisor). */
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

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="supervisor-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {i18n.t('supervisor.title')}
        </Typography.Title>
        <Tooltip title={i18n.t('supervisor.dashboardSoon')}>
          {/* Placeholder until the job queue dashboard is mounted behind the supervisor role. */}
          <Button disabled data-testid="queue-dashboard-link">
            {i18n.t('supervisor.dashboard')}
          </Button>
        </Tooltip>
      </Space>
      {stats.isError && <Alert type="error" showIcon title={errorText(stats.error, i18n)} />}
      {stats.data && (
        <>
          <Row gutter={16}>
            <Col span={6}><Card><Statistic title={i18n.t('supervisor.active')} value={stats.data.totals.active} /></Card></Col>
            <Col span={6}><Card><Statistic title={i18n.t('supervisor.overdue')} value={stats.data.totals.overdue} valueStyle={{ color: stats.data.totals.overdue ? '#cf1322' : undefined }} /></Card></Col>
            <Col span={6}><Card><Statistic title={i18n.t('supervisor.dueSoon')} value={stats.data.totals.dueSoon} valueStyle={{ color: stats.data.totals.dueSoon ? '#d46b08' : undefined }} /></Card></Col>
            <Col span={6}><Card><Statistic title={i18n.t('supervisor.unassigned')} value={stats.data.totals.unassigned} /></Card></Col>
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
    </Space>
  );
}
