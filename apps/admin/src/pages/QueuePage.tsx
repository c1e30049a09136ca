import { useInfiniteQuery, useQueries, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Empty, Input, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useOutletContext, useSearchParams } from 'react-router';
import { CASE_KINDS, CHANNELS, PRIORITIES } from '@domain/cases/case-kind';
import { api, withQuery } from '../api/client';
import { queryKeys, useAgents, useMachine } from '../api/hooks';
import type { Agent, CaseDetail, CasePage, CaseSummary, MachineDescription } from '../api/types';
import { movesMoney } from '../components/AllowedActions';
import { SavedViewsBar } from '../components/SavedViewsBar';
import { SlaBadge } from '../components/SlaBadge';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { QUEUE_SORTS, queueQuery, readQueueUrl, toSearchParams, type QueueUrlState, type TabKey } from '../lib/queue-url';
import { AMBER_MS } from '../lib/sla';
import { useNow } from '../lib/use-now';

interface Filters {
  kind?: string;
  state?: string;
  priority?: string;
  channel?: string;
  /** Merchants' test-mode cases instead of live ones: the API never mixes the two. */
  testMode?: boolean;
}
type RowResult = { status: 'pending' } | { status: 'ok' } | { status: 'error'; text: string };

const PAGE_SIZE = 50;

/**
 * "Breached" asks the API for cases an SLA breach escalated. "Breaching soon" asks for cases due
 * before the amber threshold and drops, here, the ones already past due (they sort first, so
 * once a loaded row is inside the window every later row is too).
 */
function windowOf(tab: TabKey, now: number): { from: number; to: number } | null {
  if (tab === 'dueSoon') return { from: now, to: now + AMBER_MS };
  return null;
}

export function QueuePage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const now = useNow(30_000);
  // Tab, filters, search and sort live in the URL: a reload, a shared link or a saved view restores the same queue.
  const [params, setParams] = useSearchParams();
  const url = readQueueUrl(params);
  // From the latest URL, not this render's: two quick changes (a filter, then a search) must both stay.
  // React Router renders a navigation as a transition, so a URL asked for may not be rendered yet when
  // the next change comes (a filter, then at once a search): the page remembers what it asked for
  // until that is the URL it renders; a URL it did not ask for (back, a link) is taken as it comes.
  const requested = useRef<string | null>(null);
  useEffect(() => {
    if (requested.current === params.toString()) requested.current = null;
  }, [params]);
  const setUrl = (patch: Partial<QueueUrlState>) => {
    const latest = requested.current !== null ? new URLSearchParams(requested.current) : params;
    const next = toSearchParams(queueQuery({ ...readQueueUrl(latest), ...patch }));
    requested.current = next.toString();
    setParams(next);
  };
  const tab = url.tab;
  const byKind = url.tab === 'byKind' ? (url.kind ?? 'dispute') : 'dispute';
  const filters: Filters = { kind: url.tab === 'byKind' ? undefined : url.kind, state: url.state, priority: url.priority, channel: url.channel, testMode: url.testMode };
  const q = url.q ?? '';
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [results, setResults] = useState<Record<string, RowResult>>({});
  const [assignee, setAssignee] = useState<string | undefined>();
  const [bulkEvent, setBulkEvent] = useState<string | undefined>();
  const agents = useAgents();

  const kind = tab === 'byKind' ? byKind : filters.kind;
  const query = {
    status: 'active',
    // "Breaching soon" reads the deadline order to know where its window ends.
    sort: tab === 'dueSoon' ? 'nextDeadline' : url.sort,
    limit: PAGE_SIZE,
    assigneeId: tab === 'mine' ? 'me' : tab === 'unassigned' ? 'none' : undefined,
    escalated: tab === 'overdue' ? 'true' : undefined,
    // Rounded to the minute so the query key (and the cache) does not change on every tick.
    dueBefore: tab === 'dueSoon' ? new Date(Math.ceil((now + AMBER_MS) / 60_000) * 60_000).toISOString() : undefined,
    kind,
    state: kind ? filters.state : undefined,
    priority: filters.priority,
    channel: filters.channel,
    livemode: filters.testMode ? 'false' : undefined,
    q: q.trim() || undefined,
  };
  const listKey = [...queryKeys.cases, query] as const;
  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) => api<CasePage>('GET', withQuery('/v1/cases', { ...query, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const machine = useMachine(kind);

  const window = windowOf(tab, now);
  const loaded = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const rows = useMemo(
    () => (window ? loaded.filter((row) => row.nextDeadlineAt !== null && Date.parse(row.nextDeadlineAt) >= window.from && Date.parse(row.nextDeadlineAt) < window.to) : loaded),
    [loaded, window?.from, window?.to], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const lastLoaded = loaded[loaded.length - 1];
  const pastWindow = window !== null && lastLoaded !== undefined && (lastLoaded.nextDeadlineAt === null || Date.parse(lastLoaded.nextDeadlineAt) >= window.to);
  const canLoadMore = list.hasNextPage && !pastWindow;

  useEffect(() => {
    setCursor((current) => Math.min(current, Math.max(rows.length - 1, 0)));
  }, [rows.length]);
  useEffect(() => {
    setSelected([]);
    setResults({});
    setCursor(0);
  }, [tab, JSON.stringify(filters), byKind, q]); // eslint-disable-line react-hooks/exhaustive-deps

  const tableRef = useRef<HTMLDivElement>(null);
  const open = useCallback(
    (row: CaseSummary | undefined) => {
      if (row) void navigate(`/cases/${row.id}`);
    },
    [navigate],
  );
  useEffect(() => {
    // j/k/Enter/x like a mail client; ignored while typing in a field.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.closest('input, textarea, select, [contenteditable="true"], .ant-select') || target.isContentEditable)) return;
      if (event.key === 'j') setCursor((c) => Math.min(c + 1, rows.length - 1));
      else if (event.key === 'k') setCursor((c) => Math.max(c - 1, 0));
      else if (event.key === 'Enter') open(rows[cursor]);
      else if (event.key === 'x' && rows[cursor]) {
        const id = rows[cursor]!.id;
        setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
      } else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [rows, cursor, open]);
  useEffect(() => {
    tableRef.current?.querySelector(`[data-row-key="${rows[cursor]?.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor, rows]);

  /** Replaces rows in the cached pages with what the API answered, so results stay beside their rows. */
  const patchRows = (updated: CaseDetail[]) => {
    const byId = new Map(updated.map((row) => [row.id, row]));
    queryClient.setQueryData<InfiniteData<CasePage>>(
      listKey,
      (data) => data && { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => byId.get(item.id) ?? item) })) },
    );
  };

  /** Runs one request per selected row, at most 4 at a time, and records each row's outcome. */
  const runBulk = async (call: (row: CaseSummary) => Promise<CaseDetail>) => {
    const targets = loaded.filter((row) => selected.includes(row.id));
    setResults(Object.fromEntries(targets.map((row) => [row.id, { status: 'pending' } as RowResult])));
    const updated: CaseDetail[] = [];
    const queue = [...targets];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const id = row.id;
        try {
          updated.push(await call(row));
          setResults((all) => ({ ...all, [id]: { status: 'ok' } }));
        } catch (failure) {
          setResults((all) => ({ ...all, [id]: { status: 'error', text: errorText(failure, i18n) } }));
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    patchRows(updated);
    void queryClient.invalidateQueries({ queryKey: queryKeys.stats });
  };
  const assign = (assigneeId: string | null) => runBulk((row) => api<CaseDetail>('POST', `/v1/cases/${row.id}/assign`, { assigneeId, expectedVersion: row.version }));
  const sendBulkEvent = (type: string) => runBulk((row) => api<CaseDetail>('POST', `/v1/cases/${row.id}/events`, { type, expectedVersion: row.version }));

  // Bulk actions: events that need no input and move no money, from the selected rows' machines.
  const selectedKinds = [...new Set(loaded.filter((row) => selected.includes(row.id)).map((row) => row.kind))];
  const machines = useQueries({
    queries: selectedKinds.map((k) => ({
      queryKey: queryKeys.machine(k, 0),
      queryFn: () => api<MachineDescription>('GET', `/v1/machines/${encodeURIComponent(k)}`),
      staleTime: Infinity,
    })),
  });
  const bulkEvents = [
    ...new Set(
      machines
        .flatMap((m) => m.data?.events ?? [])
        .filter((e) => e.fields.length === 0 && e.sentBy.includes('agent') && !movesMoney(e.type))
        .map((e) => e.type),
    ),
  ];

  const resultsList = Object.values(results);
  const finished = resultsList.length > 0 && resultsList.every((r) => r.status !== 'pending');

  const columns: TableColumnsType<CaseSummary> = [
    {
      title: i18n.t('queue.col.subject'),
      dataIndex: 'subject',
      render: (_, row) => (
        <>
          {row.livemode === false && (
            <Tag color="orange" data-testid="row-test-case">
              {i18n.t('queue.testCase')}
            </Tag>
          )}
          <Link to={`/cases/${row.id}`} onClick={(event) => event.stopPropagation()}>
            {row.subject}
          </Link>
        </>
      ),
      ellipsis: true,
    },
    { title: i18n.t('queue.col.kind'), dataIndex: 'kind', render: (value: string) => i18n.kind(value), width: 120 },
    { title: i18n.t('queue.col.state'), dataIndex: 'state', render: (value: string) => <span data-testid="row-state">{i18n.state(value)}</span>, width: 170 },
    {
      title: i18n.t('queue.col.priority'),
      dataIndex: 'priority',
      width: 90,
      render: (value: string) => <Tag color={value === 'urgent' ? 'red' : value === 'high' ? 'volcano' : value === 'low' ? 'default' : 'blue'}>{i18n.priority(value)}</Tag>,
    },
    { title: i18n.t('queue.col.channel'), dataIndex: 'channel', render: (value: string) => i18n.channel(value), width: 100 },
    {
      title: i18n.t('queue.col.amount'),
      dataIndex: 'amount',
      align: 'right',
      width: 120,
      render: (amount: CaseSummary['amount']) => (amount ? i18n.money(amount.amountMinor, amount.currency) : i18n.t('common.none')),
    },
    {
      title: i18n.t('queue.col.assignee'),
      dataIndex: 'assignee',
      width: 140,
      render: (value: CaseSummary['assignee']) => value?.displayName ?? <Typography.Text type="secondary">{i18n.t('queue.unassigned')}</Typography.Text>,
    },
    {
      title: i18n.t('queue.col.sla'),
      dataIndex: 'nextDeadlineAt',
      width: 150,
      render: (value: string | null, row) => <SlaBadge dueAt={value} since={row.updatedAt} now={now} />,
    },
    ...(resultsList.length
      ? [
          {
            title: i18n.t('queue.col.result'),
            key: 'result',
            width: 200,
            render: (_: unknown, row: CaseSummary) => {
              const result = results[row.id];
              if (!result) return null;
              if (result.status === 'pending') return <Tag>{i18n.t('queue.bulk.pending')}</Tag>;
              if (result.status === 'ok')
                return (
                  <Tag color="green" data-testid="row-result" data-result="ok">
                    {i18n.t('queue.bulk.ok')}
                  </Tag>
                );
              return (
                <Typography.Text type="danger" data-testid="row-result" data-result="error">
                  {result.text}
                </Typography.Text>
              );
            },
          },
        ]
      : []),
  ];

  const filtered = Boolean(kind || filters.priority || filters.channel || filters.testMode || q.trim());
  const option = (values: readonly string[], label: (value: string) => string) => values.map((value) => ({ value, label: label(value) }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setUrl({ tab: key as TabKey })}
        tabBarExtraContent={<SavedViewsBar me={me} current={queueQuery(url)} onOpen={(query) => setParams(toSearchParams(query))} />}
        items={[
          { key: 'mine', label: i18n.t('queue.tab.mine') },
          { key: 'unassigned', label: i18n.t('queue.tab.unassigned') },
          { key: 'dueSoon', label: i18n.t('queue.tab.dueSoon') },
          { key: 'overdue', label: i18n.t('queue.tab.overdue') },
          { key: 'byKind', label: i18n.t('queue.tab.byKind') },
        ]}
        data-testid="queue-tabs"
      />
      <Space wrap>
        {tab === 'byKind' ? (
          <Select
            style={{ width: 170 }}
            value={byKind}
            onChange={(value) => setUrl({ kind: value, state: undefined })}
            options={option(CASE_KINDS, i18n.kind)}
            data-testid="filter-bykind"
          />
        ) : (
          <Select
            allowClear
            style={{ width: 170 }}
            placeholder={i18n.t('queue.filter.kind')}
            value={filters.kind}
            onChange={(value) => setUrl({ kind: value, state: undefined })}
            options={option(CASE_KINDS, i18n.kind)}
            data-testid="filter-kind"
          />
        )}
        <Select
          allowClear
          style={{ width: 220 }}
          disabled={!kind}
          placeholder={kind ? i18n.t('queue.filter.state') : i18n.t('queue.filter.stateNeedsKind')}
          value={filters.state}
          onChange={(value) => setUrl({ state: value })}
          options={(machine.data?.states ?? []).map((state) => ({ value: state.path, label: i18n.state(state.path) }))}
          data-testid="filter-state"
        />
        <Select
          allowClear
          style={{ width: 130 }}
          placeholder={i18n.t('queue.filter.priority')}
          value={filters.priority}
          onChange={(value) => setUrl({ priority: value })}
          options={option(PRIORITIES, i18n.priority)}
          data-testid="filter-priority"
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={i18n.t('queue.filter.channel')}
          value={filters.channel}
          onChange={(value) => setUrl({ channel: value })}
          options={option(CHANNELS, i18n.channel)}
          data-testid="filter-channel"
        />
        <Checkbox checked={Boolean(filters.testMode)} onChange={(event) => setUrl({ testMode: event.target.checked || undefined })} data-testid="filter-test-mode">
          {i18n.t('queue.filter.testMode')}
        </Checkbox>
        <Input.Search
          key={q}
          defaultValue={q}
          allowClear
          style={{ width: 300 }}
          placeholder={i18n.t('queue.search')}
          onSearch={(value) => setUrl({ q: value.trim() || undefined })}
          data-testid="queue-search"
        />
        <Select
          style={{ width: 190 }}
          disabled={tab === 'dueSoon'}
          value={tab === 'dueSoon' ? 'nextDeadline' : url.sort}
          onChange={(value) => setUrl({ sort: value })}
          options={QUEUE_SORTS.map((value) => ({ value, label: i18n.t(`queue.sort.${value}`) }))}
          data-testid="queue-sort"
        />
      </Space>

      {selected.length > 0 && (
        <Space wrap data-testid="bulk-bar">
          <Typography.Text strong>{i18n.t('queue.selected', { count: selected.length })}</Typography.Text>
          <Button onClick={() => void assign(me.id)} data-testid="bulk-assign-me">
            {i18n.t('queue.bulk.assignMe')}
          </Button>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 200 }}
            placeholder={i18n.t('queue.bulk.assignTo')}
            value={assignee}
            onChange={setAssignee}
            options={(agents.data ?? []).map((agent) => ({ value: agent.id, label: agent.displayName }))}
            data-testid="bulk-assignee"
          />
          <Button disabled={!assignee} onClick={() => void assign(assignee!)} data-testid="bulk-assign">
            {i18n.t('queue.bulk.assign')}
          </Button>
          <Button onClick={() => void assign(null)}>{i18n.t('queue.bulk.unassign')}</Button>
          {bulkEvents.length > 0 && (
            <>
              <Select
                style={{ width: 220 }}
                placeholder={i18n.t('queue.bulk.event')}
                value={bulkEvent}
                onChange={setBulkEvent}
                options={bulkEvents.map((type) => ({ value: type, label: i18n.event(type) }))}
                data-testid="bulk-event"
              />
              <Button disabled={!bulkEvent} onClick={() => bulkEvent && void sendBulkEvent(bulkEvent)}>
                {i18n.t('queue.bulk.send')}
              </Button>
            </>
          )}
        </Space>
      )}
      {finished && (
        <Alert
          type={resultsList.some((r) => r.status === 'error') ? 'warning' : 'success'}
          showIcon
          data-testid="bulk-summary"
          title={i18n.t('queue.bulk.done', { ok: resultsList.filter((r) => r.status === 'ok').length, failed: resultsList.filter((r) => r.status === 'error').length })}
        />
      )}
      {list.isError && <Alert type="error" showIcon title={errorText(list.error, i18n)} action={<Button onClick={() => void list.refetch()}>{i18n.t('common.retry')}</Button>} />}

      <div ref={tableRef}>
        <Table<CaseSummary>
          data-testid="queue-table"
          rowKey="id"
          size="middle"
          loading={list.isPending}
          columns={columns}
          dataSource={rows}
          pagination={false}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          onRow={(row, index) =>
            ({
              onClick: (event) => {
                // Ticking the checkbox selects; it does not open the case.
                if ((event.target as HTMLElement).closest('.ant-table-selection-column, a')) return;
                open(row);
              },
              className: index === cursor ? 'queue-row-active' : undefined,
              'data-active': index === cursor ? 'true' : 'false',
              style: { cursor: 'pointer', ...(index === cursor ? { boxShadow: 'inset 3px 0 0 #1677ff', background: '#f0f7ff' } : {}) },
            }) as HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty description={filtered ? i18n.t('queue.emptyFiltered') : i18n.t('queue.empty')} /> }}
        />
      </div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">
          {i18n.t('queue.keys')} · {i18n.t('queue.slaRule')}
        </Typography.Text>
        {canLoadMore ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">
            {i18n.t('queue.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{i18n.t('queue.allLoaded')}</Typography.Text>
        )}
      </Space>
    </Space>
  );
}
