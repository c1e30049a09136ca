import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Input, List, Rate, Result, Row, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useOutletContext, useParams } from 'react-router';
import { api } from '../api/client';
import { queryKeys, useMachine } from '../api/hooks';
import type { Agent, CaseDetail, TimelineEntry } from '../api/types';
import { AllowedActions } from '../components/AllowedActions';
import { ConversationPanel } from '../components/ConversationPanel';
import { CustomerContactItem } from '../components/CustomerContactItem';
import { EvidenceSection } from '../components/EvidenceSection';
import { EvidenceRequirementsCard } from '../components/EvidenceRequirementsCard';
import { RefundsCard } from '../components/RefundsCard';
import { RelatedCasesCard } from '../components/RelatedCasesCard';
import { SlaBadge } from '../components/SlaBadge';
import { Statechart } from '../components/Statechart';
import { useI18n, type I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { errorCode, errorText, merchantUnreachableText } from '../lib/errors';
import { useNow } from '../lib/use-now';

const POLL_MS = 5_000;

/** What a full refund would pay now (the disputed amount less what went back already), or approving the open proposal. */
function remainingOf(detail: CaseDetail): number | null {
  const context = (detail.details ?? {}) as { amount?: { amountMinor?: unknown }; refundedMinor?: unknown; proposal?: { amountMinor?: unknown } | null };
  // While a proposal waits for approval, approving it pays out what was proposed, not all that is left.
  // (A proposal that moves no money, an unfreeze, has amountMinor 0 and falls through.)
  if (typeof context.proposal?.amountMinor === 'number' && context.proposal.amountMinor > 0) return context.proposal.amountMinor;
  const total = typeof context.amount?.amountMinor === 'number' ? context.amount.amountMinor : detail.amount?.amountMinor;
  if (typeof total !== 'number') return null;
  return Math.max(0, total - (typeof context.refundedMinor === 'number' ? context.refundedMinor : 0));
}

export default function CasePage() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const queryClient = useQueryClient();
  const now = useNow(15_000);
  // Deadlines and workers (refunds, merchants) change cases too: poll so the page stays current.
  // A poll never touches a form being typed; a form is sent against the version it was opened on
  // (AllowedActions), so a change that arrives meanwhile ends in a 409 the agent sees.
  const caseQuery = useQuery({
    queryKey: queryKeys.case(id),
    queryFn: () => api<CaseDetail>('GET', `/v1/cases/${encodeURIComponent(id)}`),
    refetchInterval: POLL_MS,
  });
  const timeline = useQuery({
    queryKey: queryKeys.timeline(id),
    queryFn: () => api<TimelineEntry[]>('GET', `/v1/cases/${encodeURIComponent(id)}/timeline`),
    refetchInterval: POLL_MS,
  });
  const detail = caseQuery.data;
  const machine = useMachine(detail?.kind, detail?.machineVersion);

  if (caseQuery.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (caseQuery.isError || !detail) {
    return (
      <Result
        status={errorCode(caseQuery.error) === 'CASE_NOT_FOUND' ? '404' : 'warning'}
        title={errorText(caseQuery.error, i18n)}
        extra={
          <Space>
            <Link to="/">{i18n.t('case.back')}</Link>
            <Button onClick={() => void caseQuery.refetch()}>{i18n.t('common.retry')}</Button>
          </Space>
        }
      />
    );
  }

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.case(id) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(id) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.cases });
  };
  const send = async (type: string, payload: Record<string, unknown>, expectedVersion: number) => {
    // expectedVersion is the version the agent decided on: if anyone changed the case since, the API says 409.
    const updated = await api<CaseDetail>('POST', `/v1/cases/${detail.id}/events`, { type, payload, expectedVersion }).catch((error) => {
      // The merchant lost its last key or endpoint since the page loaded: reload so the page says so.
      if (errorCode(error) === 'MERCHANT_UNREACHABLE') refresh();
      throw error;
    });
    queryClient.setQueryData(queryKeys.case(id), updated);
    refresh();
  };
  const assignToMe = async () => {
    const updated = await api<CaseDetail>('POST', `/v1/cases/${detail.id}/assign`, { assigneeId: me.id, expectedVersion: detail.version }).catch((error) => {
      refresh();
      throw error;
    });
    queryClient.setQueryData(queryKeys.case(id), updated);
    refresh();
  };
  const currency = detail.amount?.currency ?? null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="case-page" data-case-id={detail.id} data-version={detail.version}>
      <Link to="/">← {i18n.t('case.back')}</Link>
      <Card
        title={
          <Space>
            <span data-testid="case-subject">{detail.subject}</span>
            <Tag color={detail.status === 'done' ? 'default' : 'blue'} data-testid="case-state">
              {i18n.state(detail.state)}
            </Tag>
          </Space>
        }
        extra={<SlaBadge dueAt={detail.nextDeadlineAt} since={detail.updatedAt} now={now} />}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          <Descriptions.Item label={i18n.t('case.customer')}>
            {detail.customer.name ?? i18n.t('common.none')} <Typography.Text type="secondary">({detail.customer.id})</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.contact')}>
            <CustomerContactItem
              caseId={detail.id}
              contact={detail.customerContact ?? null}
              onRevealed={() => void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(id) })}
            />
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.merchant')}>
            {detail.merchantId ?? i18n.t('common.none')}
            {detail.merchantReachability && !detail.merchantReachability.reachable && (
              <Tooltip title={i18n.t('case.merchant.unreachableHint', { why: merchantUnreachableText(detail.merchantReachability.reason, i18n) })}>
                <Tag color="warning" style={{ marginLeft: 8 }} data-testid="merchant-unreachable" data-reason={detail.merchantReachability.reason ?? ''}>
                  {i18n.t('case.merchant.unreachable')}
                </Tag>
              </Tooltip>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.transaction')}>
            <Typography.Text copyable={Boolean(detail.transactionRef)}>{detail.transactionRef ?? i18n.t('common.none')}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.amount')}>
            <span data-testid="case-amount">{detail.amount ? i18n.money(detail.amount.amountMinor, detail.amount.currency) : i18n.t('common.none')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.kind')}>{i18n.kind(detail.kind)}</Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.priority')}>{i18n.priority(detail.priority)}</Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.channel')}>{i18n.channel(detail.channel)}</Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.version')}>
            <span data-testid="case-version">{detail.version}</span>
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.assignee')}>
            <Space size="small">
              <span data-testid="case-assignee">{detail.assignee?.displayName ?? i18n.t('queue.unassigned')}</span>
              {detail.assignee?.id !== me.id && detail.status === 'active' && (
                <Button size="small" onClick={() => void assignToMe().catch(() => undefined)} data-testid="assign-me">
                  {i18n.t('case.assignMe')}
                </Button>
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={i18n.t('case.opened')}>{i18n.dateTime(detail.createdAt)}</Descriptions.Item>
        </Descriptions>
        {detail.description && (
          <Typography.Paragraph style={{ marginTop: 12, whiteSpace: 'pre-wrap' }}>
            <Typography.Text type="secondary">{i18n.t('case.description')}: </Typography.Text>
            {detail.description}
          </Typography.Paragraph>
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={i18n.t('case.actions')} size="small">
            {detail.status === 'done' ? (
              <Typography.Text type="secondary">{i18n.t('case.closed')}</Typography.Text>
            ) : machine.data ? (
              <AllowedActions
                events={machine.data.events}
                allowedEvents={detail.allowedEvents}
                currency={currency}
                remainingMinor={remainingOf(detail)}
                version={detail.version}
                onSend={send}
                onReload={refresh}
              />
            ) : machine.isError ? (
              <Alert type="error" showIcon title={errorText(machine.error, i18n)} />
            ) : (
              <Spin />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={i18n.t('case.deadlines')} size="small" data-testid="deadlines">
            {detail.deadlines.length === 0 ? (
              <Typography.Text type="secondary">{i18n.t('case.deadlines.none')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={detail.deadlines}
                renderItem={(deadline) => (
                  <List.Item data-deadline={deadline.name}>
                    <Space orientation="vertical" size={0}>
                      <Typography.Text strong>{i18n.deadline(deadline.name, deadline.label)}</Typography.Text>
                      <Typography.Text type="secondary">{i18n.dateTime(deadline.dueAt)}</Typography.Text>
                    </Space>
                    <SlaBadge dueAt={deadline.dueAt} now={now} />
                  </List.Item>
                )}
              />
            )}
          </Card>
          {detail.evidenceRequirements && <EvidenceRequirementsCard requirements={detail.evidenceRequirements} />}
          {detail.refunds && detail.refunds.length > 0 && <RefundsCard refunds={detail.refunds} />}
          <RelatedCasesCard detail={detail} />
          {detail.customerRating && (
            <Card title={i18n.t('case.rating')} size="small" data-testid="customer-rating">
              <Rate disabled value={detail.customerRating.score} /> <Typography.Text>{i18n.t('case.rating.score', { score: detail.customerRating.score })}</Typography.Text>
              {detail.customerRating.comment && <Typography.Paragraph style={{ margin: '8px 0 0' }}>{detail.customerRating.comment}</Typography.Paragraph>}
            </Card>
          )}
        </Col>
      </Row>
      <Card title={i18n.t('conversation.title')} size="small" data-testid="conversation-card">
        <ConversationPanel caseId={detail.id} />
      </Card>
      <Card title={i18n.t('case.statechart')} size="small" extra={<Typography.Text type="secondary">{i18n.t('case.statechart.legend')}</Typography.Text>}>
        {machine.data ? <Statechart machine={machine.data} current={detail.state} deadlines={detail.deadlines} allowedEvents={detail.allowedEvents} now={now} /> : <Spin />}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={i18n.t('case.timeline')} size="small">
            <NoteForm caseId={detail.id} onAdded={() => void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(id) })} />
            {timeline.isError ? (
              <Alert type="error" showIcon title={errorText(timeline.error, i18n)} />
            ) : timeline.data?.length === 0 ? (
              <Empty description={i18n.t('case.timeline.empty')} />
            ) : (
              <CaseTimeline entries={timeline.data ?? []} currency={currency} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={i18n.t('case.evidence')} size="small" data-testid="evidence">
            <EvidenceSection caseId={detail.id} merchantId={detail.merchantId} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function NoteForm({ caseId, onAdded }: { caseId: string; onAdded(): void }) {
  const i18n = useI18n();
  const [body, setBody] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const add = async () => {
    if (!body.trim()) return;
    setPending(true);
    setError(null);
    try {
      await api('POST', `/v1/cases/${caseId}/notes`, { body: body.trim() });
      setBody('');
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
      <Input.TextArea
        value={body}
        onChange={(event) => setBody(event.target.value)}
        placeholder={i18n.t('case.notes.placeholder')}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={20_000}
        data-testid="note-input"
      />
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
      <Button onClick={() => void add()} loading={pending} disabled={!body.trim()} data-testid="note-add">
        {i18n.t('case.notes.add')}
      </Button>
    </Space>
  );
}

function payloadLines(entry: TimelineEntry, i18n: I18n, currency: string | null): string[] {
  const { type: _type, input: _input, ...rest } = entry.payload as Record<string, unknown>;
  // Merged records (customer messages) carry empty fields (no error, not sent yet): show what is there.
  return Object.entries(rest)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => {
      const shown =
        typeof value === 'number' && /Minor$/.test(key) && currency
          ? i18n.money(value, currency)
          : Array.isArray(value)
            ? value.join(', ')
            : typeof value === 'object' && value !== null
              ? JSON.stringify(value)
              : String(value);
      return `${i18n.field(key)}: ${shown}`;
    });
}

function entryTitle(entry: TimelineEntry, i18n: I18n): string {
  if (entry.type === 'case.note_added') return i18n.t('case.timeline.note');
  if (entry.type === 'case.assigned') {
    const name = (entry.payload as { toName?: string | null }).toName;
    return name ? i18n.t('case.timeline.assigned', { name }) : i18n.t('case.timeline.unassigned');
  }
  if (entry.type === 'xstate.init') return i18n.t('case.timeline.opened');
  if (entry.category === 'notification') {
    const { channel, status, audience } = entry.payload as { channel: string; status: string; audience?: string };
    return i18n.t(audience === 'agent' ? 'case.timeline.agentNotification' : 'case.timeline.notification', {
      channel: i18n.t(`notification.channel.${channel}` as MessageKey),
      status: i18n.t(`notification.status.${status}` as MessageKey),
    });
  }
  if (entry.category === 'contact_reveal') return i18n.t('case.timeline.revealed');
  const deadline = /^xstate\.after\.([^.]+)\./.exec(entry.type);
  if (deadline) return i18n.t('case.timeline.deadline', { name: i18n.deadline(deadline[1]!) });
  return i18n.event(entry.type);
}

/** Every event, newest first: what happened, who did it, when, from → to, and its payload. */
function CaseTimeline({ entries, currency }: { entries: TimelineEntry[]; currency: string | null }) {
  const i18n = useI18n();
  return (
    <Timeline
      data-testid="timeline"
      items={[...entries].reverse().map((entry) => {
        const note = entry.type === 'case.note_added';
        const who = entry.actor.name ?? (entry.actor.kind === 'system' ? i18n.t('case.timeline.system') : entry.actor.kind);
        const moved = entry.category === 'machine' && entry.from !== entry.to;
        return {
          key: entry.id,
          color: note
            ? 'gray'
            : entry.category === 'machine'
              ? 'blue'
              : entry.type === 'notification.failed'
                ? 'red'
                : entry.category === 'notification'
                  ? 'cyan'
                  : entry.category === 'contact_reveal'
                    ? 'orange'
                    : 'green',
          children: (
            <div data-testid="timeline-entry" data-type={entry.type}>
              <Space wrap size="small">
                <Typography.Text strong>{entryTitle(entry, i18n)}</Typography.Text>
                {moved && (
                  <Typography.Text type="secondary" data-testid="timeline-move">
                    {entry.from ? i18n.state(entry.from) : '∅'} → {entry.to ? i18n.state(entry.to) : '∅'}
                  </Typography.Text>
                )}
              </Space>
              <div>
                <Typography.Text type="secondary">
                  {i18n.dateTime(entry.at)} · {i18n.t('case.timeline.by', { who })}
                </Typography.Text>
              </div>
              {note ? (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0', background: '#fffbe6', padding: '4px 8px' }}>
                  {String((entry.payload as { body?: unknown }).body ?? '')}
                </Typography.Paragraph>
              ) : entry.type !== 'case.assigned' ? (
                payloadLines(entry, i18n, currency).map((line) => (
                  <div key={line}>
                    <Typography.Text>{line}</Typography.Text>
                  </div>
                ))
              ) : null}
            </div>
          ),
        };
      })}
    />
  );
}
