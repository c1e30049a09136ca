import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Input, Result, Row, Segmented, Select, Space, Statistic, Table, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useOutletContext } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, fetchAllPages } from '../api/client';
import { useAgents } from '../api/hooks';
import { REPORT_NAMES, reportCsvPath, reportPath, type Money, type Report, type ReportFilters, type ReportName } from '../api/reports';
import type { Agent } from '../api/types';
import type { MessageKey } from '../i18n/en';
import { useI18n, type I18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { atLeast } from './AppLayout';

const KINDS = ['dispute', 'refund_request', 'payment_failure', 'balance_discrepancy', 'account_security', 'inquiry'];
const CHANNELS = ['hotline', 'chat', 'email', 'wechat', 'weibo', 'app'];
const COLORS = { a: '#1677ff', b: '#52c41a', c: '#fa8c16', d: '#cf1322' };
const CHART_HEIGHT = 280;

const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)} %`);
const minutes = (value: number | null) => (value === null ? '–' : value.toFixed(1));
const moneyText = (i18n: I18n, items: Money[]) => (items.length ? items.map((item) => i18n.money(item.amountMinor, item.currency)).join(' · ') : '–');

function Chart({ children }: { children: ReactNode }) {
  return (
    <div data-testid="report-chart" style={{ width: '100%', height: CHART_HEIGHT }}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        {children as never}
      </ResponsiveContainer>
    </div>
  );
}

function complianceColumns(i18n: I18n) {
  return [
    { title: i18n.t('reports.met'), dataIndex: 'met', align: 'right' as const },
    { title: i18n.t('reports.breached'), dataIndex: 'breached', align: 'right' as const },
    { title: i18n.t('reports.compliance'), dataIndex: 'rate', align: 'right' as const, render: (rate: number | null) => percent(rate) },
  ];
}

/** The chart and the table of one report, as the API answered it. */
function ReportView({ report }: { report: Report }) {
  const i18n = useI18n();
  const table = (rows: object[], columns: object[], rowKey: string) => (
    <Table
      size="small"
      pagination={false}
      rowKey={rowKey}
      dataSource={rows}
      columns={columns as never}
      data-testid="report-table"
      locale={{ emptyText: <Empty description={i18n.t('reports.none')} /> }}
    />
  );
  switch (report.report) {
    case 'volume':
      return (
        <>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={i18n.t('reports.opened')} value={report.totals.opened} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.closed')} value={report.totals.closed} />
            </Col>
          </Row>
          <Chart>
            <LineChart data={report.periods}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Line type="monotone" dataKey="opened" name={i18n.t('reports.opened')} stroke={COLORS.a} dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="closed" name={i18n.t('reports.closed')} stroke={COLORS.b} dot={false} isAnimationActive={false} />
            </LineChart>
          </Chart>
          {table(
            report.periods,
            [
              { title: i18n.t('reports.period'), dataIndex: 'period' },
              { title: i18n.t('reports.opened'), dataIndex: 'opened', align: 'right' },
              { title: i18n.t('reports.closed'), dataIndex: 'closed', align: 'right' },
            ],
            'period',
          )}
        </>
      );
    case 'response-times': {
      const targetName = (target: string) => i18n.t(target === 'firstResponse' ? 'reports.target.firstResponse' : 'reports.target.resolution');
      const rows = report.targets.map((row) => ({ ...row, name: targetName(row.target) }));
      return (
        <>
          <Typography.Paragraph type="secondary">{i18n.t('reports.minutesNote')}</Typography.Paragraph>
          <Chart>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis />
              <Tooltip />
              <Legend />
              <Bar dataKey="medianMinutes" name={i18n.t('reports.median')} fill={COLORS.a} isAnimationActive={false} />
              <Bar dataKey="p90Minutes" name={i18n.t('reports.p90')} fill={COLORS.c} isAnimationActive={false} />
            </BarChart>
          </Chart>
          {table(
            rows,
            [
              { title: i18n.t('reports.target'), dataIndex: 'name' },
              { title: i18n.t('reports.count'), dataIndex: 'count', align: 'right' },
              { title: i18n.t('reports.median'), dataIndex: 'medianMinutes', align: 'right', render: minutes },
              { title: i18n.t('reports.p90'), dataIndex: 'p90Minutes', align: 'right', render: minutes },
            ],
            'target',
          )}
        </>
      );
    }
    case 'sla-compliance': {
      const weeks = report.byWeek.map((row) => ({ ...row, percent: row.rate === null ? null : Math.round(row.rate * 1000) / 10 }));
      const agentName = (row: { agentId: string | null; displayName: string | null }) => row.displayName ?? (row.agentId ? row.agentId.slice(0, 8) : i18n.t('queue.unassigned'));
      return (
        <>
          <Statistic title={i18n.t('reports.compliance')} value={percent(report.totals.rate)} />
          <Chart>
            <BarChart data={weeks}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" />
              <YAxis domain={[0, 100]} unit="%" />
              <Tooltip />
              <Bar dataKey="percent" name={i18n.t('reports.compliance')} fill={COLORS.b} isAnimationActive={false} />
            </BarChart>
          </Chart>
          <Row gutter={16}>
            <Col span={12}>
              <Card size="small" title={i18n.t('reports.byPolicy')}>
                {table(
                  report.byPolicy,
                  [{ title: i18n.t('reports.policy'), dataIndex: 'policyId', render: (id: string, row: { name: string | null }) => row.name ?? id }, ...complianceColumns(i18n)],
                  'policyId',
                )}
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title={i18n.t('reports.byAgent')}>
                {table(
                  report.byAgent.map((row) => ({ ...row, key: row.agentId ?? 'unassigned', name: agentName(row) })),
                  [{ title: i18n.t('reports.agent'), dataIndex: 'name' }, ...complianceColumns(i18n)],
                  'key',
                )}
              </Card>
            </Col>
          </Row>
          <Card size="small" title={i18n.t('reports.byWeek')}>
            {table(report.byWeek, [{ title: i18n.t('reports.week'), dataIndex: 'week' }, ...complianceColumns(i18n)], 'week')}
          </Card>
        </>
      );
    }
    case 'dispute-outcomes': {
      const rows = report.rows.map((row) => ({
        ...row,
        key: `${row.merchantId ?? ''}/${row.reason ?? ''}`,
        label: `${row.merchantId ?? '–'} · ${row.reason ? i18n.reason(row.reason) : '–'}`,
      }));
      return (
        <>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={i18n.t('reports.won')} value={report.totals.won} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.lost')} value={report.totals.lost} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.withdrawn')} value={report.totals.withdrawn} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.refunded')} value={moneyText(i18n, report.totals.refunded)} />
            </Col>
          </Row>
          <Chart>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="won" stackId="o" name={i18n.t('reports.won')} fill={COLORS.b} isAnimationActive={false} />
              <Bar dataKey="lost" stackId="o" name={i18n.t('reports.lost')} fill={COLORS.d} isAnimationActive={false} />
              <Bar dataKey="withdrawn" stackId="o" name={i18n.t('reports.withdrawn')} fill={COLORS.c} isAnimationActive={false} />
            </BarChart>
          </Chart>
          {table(
            rows,
            [
              { title: i18n.t('reports.merchant'), dataIndex: 'merchantId' },
              { title: i18n.t('reports.reason'), dataIndex: 'reason', render: (reason: string | null) => (reason ? i18n.reason(reason) : '–') },
              { title: i18n.t('reports.won'), dataIndex: 'won', align: 'right' },
              { title: i18n.t('reports.lost'), dataIndex: 'lost', align: 'right' },
              { title: i18n.t('reports.withdrawn'), dataIndex: 'withdrawn', align: 'right' },
              { title: i18n.t('reports.refunded'), dataIndex: 'refunded', align: 'right', render: (items: Money[]) => moneyText(i18n, items) },
            ],
            'key',
          )}
        </>
      );
    }
    case 'refund-requests':
      return (
        <>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={i18n.t('reports.approved')} value={report.totals.approved} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.rejected')} value={report.totals.rejected} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.withdrawn')} value={report.totals.withdrawn} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.refunded')} value={moneyText(i18n, report.totals.refunded)} />
            </Col>
          </Row>
          <Chart>
            <BarChart data={report.periods}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="approved" stackId="r" name={i18n.t('reports.approved')} fill={COLORS.b} isAnimationActive={false} />
              <Bar dataKey="rejected" stackId="r" name={i18n.t('reports.rejected')} fill={COLORS.d} isAnimationActive={false} />
              <Bar dataKey="withdrawn" stackId="r" name={i18n.t('reports.withdrawn')} fill={COLORS.c} isAnimationActive={false} />
            </BarChart>
          </Chart>
          {table(
            report.periods,
            [
              { title: i18n.t('reports.period'), dataIndex: 'period' },
              { title: i18n.t('reports.approved'), dataIndex: 'approved', align: 'right' },
              { title: i18n.t('reports.rejected'), dataIndex: 'rejected', align: 'right' },
              { title: i18n.t('reports.withdrawn'), dataIndex: 'withdrawn', align: 'right' },
            ],
            'period',
          )}
        </>
      );
    case 'ratings':
      return (
        <>
          <Typography.Paragraph type="secondary">{i18n.t('reports.ratingsNote')}</Typography.Paragraph>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={i18n.t('reports.ratings')} value={report.totals.count} />
            </Col>
            <Col span={6}>
              <Statistic title={i18n.t('reports.average')} value={report.totals.average ?? '–'} />
            </Col>
          </Row>
          <Chart>
            <BarChart data={report.distribution}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="score" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" name={i18n.t('reports.ratings')} fill={COLORS.a} isAnimationActive={false} />
            </BarChart>
          </Chart>
          {table(
            report.distribution,
            [
              { title: i18n.t('reports.score'), dataIndex: 'score' },
              { title: i18n.t('reports.ratings'), dataIndex: 'count', align: 'right' },
            ],
            'score',
          )}
        </>
      );
  }
}

/**
 * Supervisors' reports with charts, filtered by date range, kind, channel, SLA policy, agent and
 * merchant; each exports to CSV. A lazy page: recharts loads only here. The API refuses agents too.
 */
export default function ReportsPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'supervisor');
  const [name, setName] = useState<ReportName>('volume');
  const [filters, setFilters] = useState<ReportFilters>({ interval: 'day' });
  const [merchant, setMerchant] = useState('');
  const report = useQuery({ queryKey: ['report', name, filters], queryFn: () => api<Report>('GET', reportPath(name, filters)), enabled: allowed });
  const agents = useAgents();
  const policies = useQuery({ queryKey: ['sla', 'policies'], queryFn: () => fetchAllPages<{ id: string; name: string }>('/v1/sla/policies'), enabled: allowed, staleTime: 60_000 });
  if (!allowed) return <Result status="403" title={i18n.t('reports.forbidden')} />;

  const set = (patch: Partial<ReportFilters>) => setFilters((current) => ({ ...current, ...patch }));
  const range = report.data?.filters;
  const select = (testId: string, placeholder: MessageKey, value: string | undefined, options: Array<{ value: string; label: string }>, onChange: (value?: string) => void) => (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      style={{ minWidth: 160 }}
      placeholder={i18n.t(placeholder)}
      value={value}
      options={options}
      onChange={(next) => onChange(next ?? undefined)}
      data-testid={testId}
    />
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="reports-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {i18n.t('reports.title')}
        </Typography.Title>
        <Button href={reportCsvPath(name, filters)} download data-testid="report-csv">
          {i18n.t('reports.exportCsv')}
        </Button>
      </Space>
      <Segmented<ReportName>
        value={name}
        onChange={setName}
        options={REPORT_NAMES.map((value) => ({ value, label: i18n.t(`reports.name.${value}`) }))}
        data-testid="report-picker"
      />
      <Space wrap data-testid="report-filters">
        <Input
          type="date"
          aria-label={i18n.t('reports.from')}
          value={filters.from ?? range?.from ?? ''}
          onChange={(event) => set({ from: event.target.value || undefined })}
          data-testid="report-from"
        />
        <Input
          type="date"
          aria-label={i18n.t('reports.to')}
          value={filters.to ?? range?.to ?? ''}
          onChange={(event) => set({ to: event.target.value || undefined })}
          data-testid="report-to"
        />
        <Select
          style={{ minWidth: 100 }}
          value={filters.interval}
          onChange={(interval) => set({ interval })}
          options={(['day', 'week', 'month'] as const).map((value) => ({ value, label: i18n.t(`reports.interval.${value}`) }))}
          data-testid="report-interval"
        />
        {select(
          'report-kind',
          'reports.kind',
          filters.kind,
          KINDS.map((value) => ({ value, label: i18n.kind(value) })),
          (kind) => set({ kind }),
        )}
        {select(
          'report-channel',
          'reports.channel',
          filters.channel,
          CHANNELS.map((value) => ({ value, label: i18n.channel(value) })),
          (channel) => set({ channel }),
        )}
        {select(
          'report-policy',
          'reports.policy',
          filters.policyId,
          (policies.data ?? []).map((policy) => ({ value: policy.id, label: policy.name })),
          (policyId) => set({ policyId }),
        )}
        {select(
          'report-agent',
          'reports.agent',
          filters.agentId,
          (agents.data ?? []).map((agent) => ({ value: agent.id, label: agent.displayName })),
          (agentId) => set({ agentId }),
        )}
        <Input.Search
          allowClear
          placeholder={i18n.t('reports.merchant')}
          value={merchant}
          onChange={(event) => setMerchant(event.target.value)}
          onSearch={(value) => set({ merchantId: value.trim() || undefined })}
          style={{ width: 180 }}
          data-testid="report-merchant"
        />
      </Space>
      <Typography.Text type="secondary">{i18n.t('reports.basis')}</Typography.Text>
      {report.isError && <Alert type="error" showIcon title={errorText(report.error, i18n)} data-testid="report-error" />}
      {report.data && report.data.report === name && (
        <Card size="small" title={i18n.t(`reports.name.${name}`)} data-testid={`report-${name}`}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <ReportView report={report.data} />
          </Space>
        </Card>
      )}
    </Space>
  );
}
