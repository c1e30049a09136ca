import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Modal, Result, Select, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useOutletContext } from 'react-router';
import { api, fetchAllPages } from '../api/client';
import type { BusinessCalendar, SlaChangePreview, SlaChangePreviewItem, SlaPolicyRow } from '../api/config-types';
import type { Agent } from '../api/types';
import { useI18n, type I18n } from '../i18n/i18n';
import { errorText, invalidFields } from '../lib/errors';
import { atLeast } from './AppLayout';

export const slaConfigKeys = {
  policies: ['sla', 'policies'] as const,
  calendars: ['sla', 'calendars'] as const,
};

/** The targets a policy can set: the two clocks every matched case runs, and the two machine windows. */
const TARGETS = ['firstResponse', 'resolution', 'merchantResponse', 'customerReply'] as const;
type TargetName = (typeof TARGETS)[number];

interface PolicyForm {
  id: string;
  name: string;
  position: number;
  calendarId: string;
  active: boolean;
  match: string;
  reminders: string;
  targets: Record<TargetName, { minutes?: number | null; mode: 'business' | 'calendar' }>;
}

export function usePolicies(enabled = true) {
  return useQuery({ queryKey: slaConfigKeys.policies, queryFn: () => fetchAllPages<SlaPolicyRow>('/v1/sla/policies'), enabled });
}

export function useCalendars(enabled = true) {
  return useQuery({ queryKey: slaConfigKeys.calendars, queryFn: () => fetchAllPages<BusinessCalendar>('/v1/sla/calendars'), enabled });
}

/** "480 business minutes" as the desk reads it: "8 h (business)". */
export function targetText(i18n: I18n, target: { minutes: number; mode: 'business' | 'calendar' }): string {
  return `${i18n.duration(target.minutes * 60_000)} ${i18n.t(target.mode === 'business' ? 'slaConfig.mode.business' : 'slaConfig.mode.calendar')}`;
}

/**
 * SLA policies in match order. Admins edit one (or add one); before a change is saved the page
 * shows what it would do to open cases (the what-if: earlier or later deadlines, which would be
 * breached at once), and Save is offered only for the draft that was previewed. Supervisors see
 * the policies and may preview, read-only; agents are kept out.
 */
export default function SlaPoliciesPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'supervisor');
  const isAdmin = atLeast(me, 'admin');
  const policies = usePolicies(allowed);
  const calendars = useCalendars(allowed);
  const [editing, setEditing] = useState<SlaPolicyRow | 'new' | null>(null);
  if (!allowed) return <Result status="403" title={i18n.t('slaConfig.forbidden')} />;
  const calendarName = (id: string) => calendars.data?.find((calendar) => calendar.id === id)?.name ?? id;

  const columns = [
    { title: i18n.t('slaConfig.col.position'), dataIndex: 'position', key: 'position', width: 80 },
    {
      title: i18n.t('slaConfig.col.name'),
      key: 'name',
      render: (_: unknown, policy: SlaPolicyRow) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="policy-name">
            {policy.name}
          </Typography.Text>
          <Typography.Text type="secondary" code>
            {policy.id}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: i18n.t('slaConfig.col.match'),
      key: 'match',
      render: (_: unknown, policy: SlaPolicyRow) => <Typography.Text code>{JSON.stringify(policy.match)}</Typography.Text>,
    },
    { title: i18n.t('slaConfig.col.calendar'), key: 'calendar', render: (_: unknown, policy: SlaPolicyRow) => calendarName(policy.calendarId) },
    {
      title: i18n.t('slaConfig.col.targets'),
      key: 'targets',
      render: (_: unknown, policy: SlaPolicyRow) => (
        <Space orientation="vertical" size={0} data-testid="policy-targets">
          {TARGETS.filter((name) => policy.targets[name]).map((name) => (
            <span key={name} data-target={name}>
              {i18n.t(`slaConfig.target.${name}`)}: {targetText(i18n, policy.targets[name]!)}
            </span>
          ))}
        </Space>
      ),
    },
    {
      title: i18n.t('slaConfig.col.active'),
      key: 'active',
      render: (_: unknown, policy: SlaPolicyRow) => <Tag color={policy.active ? 'green' : 'default'}>{i18n.t(policy.active ? 'slaConfig.active' : 'slaConfig.inactive')}</Tag>,
    },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, policy: SlaPolicyRow) => (
        <Button size="small" data-testid="policy-edit" onClick={() => setEditing(policy)}>
          {i18n.t(isAdmin ? 'slaConfig.edit' : 'slaConfig.whatIf')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={i18n.t('slaConfig.policiesTitle')}
      data-testid="sla-policies-page"
      extra={
        isAdmin && (
          <Button type="primary" data-testid="policy-add" onClick={() => setEditing('new')}>
            {i18n.t('slaConfig.addPolicy')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{i18n.t('slaConfig.policiesHint')}</Typography.Paragraph>
      {!isAdmin && <Alert type="info" showIcon title={i18n.t('slaConfig.readOnly')} style={{ marginBottom: 12 }} data-testid="sla-read-only" />}
      {policies.isError ? (
        <Alert type="error" showIcon title={errorText(policies.error, i18n)} />
      ) : (
        <Table
          data-testid="sla-policies"
          rowKey="id"
          loading={policies.isPending}
          dataSource={policies.data ?? []}
          pagination={false}
          columns={columns}
          locale={{ emptyText: <Empty description={i18n.t('slaConfig.noPolicies')} /> }}
        />
      )}
      {editing && <PolicyEditor policy={editing === 'new' ? null : editing} calendars={calendars.data ?? []} canSave={isAdmin} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function toForm(policy: SlaPolicyRow | null, calendars: BusinessCalendar[]): PolicyForm {
  const targets = Object.fromEntries(
    TARGETS.map((name) => [name, { minutes: policy?.targets[name]?.minutes ?? null, mode: policy?.targets[name]?.mode ?? 'business' }]),
  ) as PolicyForm['targets'];
  return {
    id: policy?.id ?? '',
    name: policy?.name ?? '',
    position: policy?.position ?? 100,
    calendarId: policy?.calendarId ?? calendars[0]?.id ?? '',
    active: policy?.active ?? true,
    match: JSON.stringify(policy?.match ?? {}, null, 2),
    reminders: JSON.stringify(policy?.reminders ?? [], null, 2),
    targets,
  };
}

/** The body PUT /v1/sla/policies/:id and the what-if take, or the name of the JSON field that does not parse. */
function toDraft(values: PolicyForm): { draft: Record<string, unknown> } | { badJson: 'match' | 'reminders' } {
  const parse = (text: string) => {
    try {
      return { ok: true as const, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false as const };
    }
  };
  const match = parse(values.match);
  if (!match.ok) return { badJson: 'match' };
  const reminders = parse(values.reminders);
  if (!reminders.ok) return { badJson: 'reminders' };
  const targets = Object.fromEntries(
    TARGETS.filter((name) => typeof values.targets[name]?.minutes === 'number').map((name) => [name, { minutes: values.targets[name].minutes, mode: values.targets[name].mode }]),
  );
  return {
    draft: { name: values.name, position: values.position, match: match.value, calendarId: values.calendarId, targets, reminders: reminders.value, active: values.active },
  };
}

function PolicyEditor({ policy, calendars, canSave, onClose }: { policy: SlaPolicyRow | null; calendars: BusinessCalendar[]; canSave: boolean; onClose: () => void }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PolicyForm>();
  const [preview, setPreview] = useState<{ key: string; result: SlaChangePreview } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<'preview' | 'save' | null>(null);
  const [draftKey, setDraftKey] = useState('');
  const required = { required: true, message: i18n.t('slaConfig.required') };

  /** The validated draft, or null after marking what is wrong in the form. */
  const currentDraft = async (): Promise<{ id: string; draft: Record<string, unknown> } | null> => {
    let values: PolicyForm;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    const result = toDraft(values);
    if ('badJson' in result) {
      form.setFields([{ name: result.badJson, errors: [i18n.t('slaConfig.badJson')] }]);
      return null;
    }
    return { id: values.id.trim(), draft: result.draft };
  };

  const showApiError = (failure: unknown) => {
    setError(failure);
    const paths = invalidFields(failure);
    const top = new Set(['name', 'position', 'match', 'calendarId', 'reminders', 'id']);
    form.setFields(
      paths
        .map((path) => path.split('.'))
        .filter(([head]) => top.has(head!) || head === 'targets')
        .map(([head, target]) => ({
          name: (head === 'targets' && target ? ['targets', target, 'minutes'] : [head]) as never,
          errors: [i18n.t('error.VALIDATION_FAILED')],
        })),
    );
  };

  const runPreview = async () => {
    const current = await currentDraft();
    if (!current) return;
    setPending('preview');
    setError(null);
    try {
      const result = await api<SlaChangePreview>('POST', '/v1/sla/what-if', { policyId: current.id, policy: current.draft });
      // A preview of the form as opened (no edit yet) is current too.
      setDraftKey(JSON.stringify(current));
      setPreview({ key: JSON.stringify(current), result });
    } catch (failure) {
      showApiError(failure);
    } finally {
      setPending(null);
    }
  };

  const save = async () => {
    const current = await currentDraft();
    if (!current || !preview || preview.key !== JSON.stringify(current)) return;
    setPending('save');
    setError(null);
    try {
      await api('PUT', `/v1/sla/policies/${encodeURIComponent(current.id)}`, current.draft);
      toast.success(i18n.t('slaConfig.saved'));
      await queryClient.invalidateQueries({ queryKey: slaConfigKeys.policies });
      onClose();
    } catch (failure) {
      showApiError(failure);
    } finally {
      setPending(null);
    }
  };

  // Save is offered for exactly the draft that was previewed; any edit asks for a new preview.
  const previewIsCurrent = preview !== null && preview.key === draftKey;

  return (
    <Modal
      open
      width={960}
      title={policy ? i18n.t('slaConfig.editTitle', { name: policy.name }) : i18n.t('slaConfig.addPolicy')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{i18n.t('slaConfig.cancel')}</Button>
          <Button data-testid="policy-preview" loading={pending === 'preview'} onClick={() => void runPreview()}>
            {i18n.t('slaConfig.runWhatIf')}
          </Button>
          {canSave && (
            <Button type="primary" data-testid="policy-save" disabled={!previewIsCurrent} loading={pending === 'save'} onClick={() => void save()}>
              {i18n.t('slaConfig.save')}
            </Button>
          )}
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={toForm(policy, calendars)}
        onValuesChange={() => {
          const values = form.getFieldsValue(true) as PolicyForm;
          const result = toDraft(values);
          setDraftKey('draft' in result ? JSON.stringify({ id: values.id.trim(), draft: result.draft }) : '');
        }}
        disabled={pending !== null}
      >
        <Space wrap align="start">
          <Form.Item name="id" label={i18n.t('slaConfig.id')} rules={[required, { pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/, message: i18n.t('slaConfig.idRule') }]}>
            <Input data-testid="policy-form-id" disabled={policy !== null} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="name" label={i18n.t('slaConfig.name')} rules={[{ ...required, whitespace: true }]}>
            <Input data-testid="policy-form-name" maxLength={200} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="position" label={i18n.t('slaConfig.position')} rules={[required]}>
            <InputNumber data-testid="policy-form-position" precision={0} />
          </Form.Item>
          <Form.Item name="calendarId" label={i18n.t('slaConfig.calendar')} rules={[required]}>
            <Select data-testid="policy-form-calendar" style={{ width: 240 }} options={calendars.map((calendar) => ({ value: calendar.id, label: calendar.name }))} />
          </Form.Item>
          <Form.Item name="active" label={i18n.t('slaConfig.col.active')} valuePropName="checked">
            <Switch data-testid="policy-form-active" />
          </Form.Item>
        </Space>
        <Typography.Paragraph style={{ marginBottom: 4 }}>
          <Typography.Text strong>{i18n.t('slaConfig.col.targets')}</Typography.Text>
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{i18n.t('slaConfig.targetsHint')}</Typography.Paragraph>
        <Space wrap align="start">
          {TARGETS.map((name) => (
            <Space.Compact key={name} data-testid={`policy-target-${name}`}>
              <Form.Item
                name={['targets', name, 'minutes']}
                label={i18n.t(`slaConfig.target.${name}`)}
                rules={[{ type: 'number', min: 1, message: i18n.t('slaConfig.minutesRule') }]}
              >
                <InputNumber data-testid={`policy-form-${name}-minutes`} precision={0} suffix={i18n.t('slaConfig.minutes')} style={{ width: 170 }} />
              </Form.Item>
              <Form.Item name={['targets', name, 'mode']} label=" ">
                <Select
                  data-testid={`policy-form-${name}-mode`}
                  style={{ width: 130 }}
                  options={(['business', 'calendar'] as const).map((mode) => ({ value: mode, label: i18n.t(`slaConfig.mode.${mode}`) }))}
                />
              </Form.Item>
            </Space.Compact>
          ))}
        </Space>
        <Space wrap align="start" style={{ width: '100%' }}>
          <Form.Item name="match" label={i18n.t('slaConfig.match')} extra={i18n.t('slaConfig.matchHint')} rules={[required]}>
            <Input.TextArea data-testid="policy-form-match" rows={5} style={{ width: 420, fontFamily: 'monospace' }} />
          </Form.Item>
          <Form.Item name="reminders" label={i18n.t('slaConfig.reminders')} extra={i18n.t('slaConfig.remindersHint')} rules={[required]}>
            <Input.TextArea data-testid="policy-form-reminders" rows={5} style={{ width: 420, fontFamily: 'monospace' }} />
          </Form.Item>
        </Space>
      </Form>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          data-testid="policy-error"
          title={errorText(error, i18n)}
          description={invalidFields(error).length ? i18n.t('slaConfig.checkFields', { fields: invalidFields(error).join(', ') }) : undefined}
          style={{ marginBottom: 12 }}
        />
      )}
      {preview && <WhatIf preview={preview.result} stale={!previewIsCurrent} />}
    </Modal>
  );
}

function WhatIf({ preview, stale }: { preview: SlaChangePreview; stale: boolean }) {
  const i18n = useI18n();
  const { summary } = preview;
  const dueText = (iso: string | null) => (iso ? i18n.dateTime(iso) : '—');
  const effectColour: Record<SlaChangePreviewItem['effect'], string> = { earlier: 'orange', later: 'blue', unchanged: 'default', untracked: 'purple' };
  return (
    <Card size="small" title={i18n.t('slaConfig.whatIfTitle')} data-testid="what-if" data-stale={String(stale)}>
      {stale && <Alert type="warning" showIcon title={i18n.t('slaConfig.whatIfStale')} style={{ marginBottom: 12 }} data-testid="what-if-stale" />}
      <Space size="large" wrap>
        <Statistic title={i18n.t('slaConfig.summary.clocks')} value={summary.clocks} data-testid="what-if-clocks" />
        <Statistic title={i18n.t('slaConfig.summary.earlier')} value={summary.earlier} data-testid="what-if-earlier" />
        <Statistic title={i18n.t('slaConfig.summary.later')} value={summary.later} data-testid="what-if-later" />
        <Statistic title={i18n.t('slaConfig.summary.unchanged')} value={summary.unchanged} />
        <Statistic title={i18n.t('slaConfig.summary.untracked')} value={summary.untracked} />
        <Statistic
          title={i18n.t('slaConfig.summary.wouldBreachNow')}
          value={summary.wouldBreachNow}
          styles={{ content: summary.wouldBreachNow ? { color: '#cf1322' } : undefined }}
          data-testid="what-if-breach"
        />
      </Space>
      {preview.truncated && <Alert type="info" showIcon title={i18n.t('slaConfig.whatIfTruncated')} style={{ marginTop: 12 }} />}
      <Table
        style={{ marginTop: 12 }}
        size="small"
        data-testid="what-if-items"
        rowKey={(item) => `${item.caseId}:${item.target}`}
        dataSource={preview.items.filter((item) => item.effect !== 'unchanged')}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={i18n.t('slaConfig.whatIfNoChange')} /> }}
        columns={[
          {
            title: i18n.t('slaConfig.col.case'),
            key: 'case',
            render: (_: unknown, item: SlaChangePreviewItem) => <Link to={`/cases/${item.caseId}`}>{item.caseId.slice(0, 8)}</Link>,
          },
          { title: i18n.t('slaConfig.col.target'), key: 'target', render: (_: unknown, item: SlaChangePreviewItem) => targetLabel(i18n, item.target) },
          { title: i18n.t('slaConfig.col.currentDue'), key: 'current', render: (_: unknown, item: SlaChangePreviewItem) => dueText(item.currentDueAt) },
          { title: i18n.t('slaConfig.col.draftDue'), key: 'draft', render: (_: unknown, item: SlaChangePreviewItem) => dueText(item.draftDueAt) },
          {
            title: i18n.t('slaConfig.col.effect'),
            key: 'effect',
            render: (_: unknown, item: SlaChangePreviewItem) => (
              <Space size={4}>
                <Tag color={effectColour[item.effect]} data-testid="what-if-effect" data-effect={item.effect}>
                  {i18n.t(`slaConfig.effect.${item.effect}`)}
                </Tag>
                {item.wouldBreachNow && (
                  <Tag color="red" data-testid="what-if-would-breach">
                    {i18n.t('slaConfig.wouldBreachNow')}
                  </Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function targetLabel(i18n: I18n, target: string): string {
  return (TARGETS as readonly string[]).includes(target) ? i18n.t(`slaConfig.target.${target as TargetName}`) : target;
}
