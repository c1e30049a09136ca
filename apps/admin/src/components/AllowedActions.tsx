import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography, type ButtonProps } from 'antd';
import { useEffect, useState } from 'react';
import type { EventDescription, PayloadFieldDescription } from '../api/types';
import { useI18n, type I18n } from '../i18n/i18n';
import { errorText, invalidFields, isStaleCase } from '../lib/errors';
import { currencyDigits, parseMajorToMinor } from '../lib/money';

/** Events that send money out: they ask for a confirmation first. */
export function movesMoney(type: string): boolean {
  return /^(DECIDE_FULL_REFUND|DECIDE_PARTIAL_REFUND|MERCHANT_ACCEPT|APPROVE_.+|REVERSE_PAYMENT|RETRY_REFUND)$/.test(type);
}

export interface AllowedActionsProps {
  /** The machine's event catalogue (GET /v1/machines/:kind/:version). */
  events: EventDescription[];
  /** What the API says this agent may send now (GET /v1/cases/:id): the only buttons shown. */
  allowedEvents: string[];
  /** The case's currency, for money fields. */
  currency: string | null;
  /** What a full refund would pay out now, for the confirmation and as a hint. */
  remainingMinor?: number | null;
  /** The case version on screen. */
  version: number;
  /**
   * Sends the event against `expectedVersion` (the version the agent decided on); rejects with an
   * ApiError when the API refuses.
   */
  onSend(type: string, payload: Record<string, unknown>, expectedVersion: number): Promise<void>;
  /** Reloads the case after a conflict. */
  onReload(): void;
}

type Draft = Record<string, unknown>;

/**
 * One button per allowed event; an event with a payload opens its form, built from the payload's
 * field descriptions. Typed values live in this component's state, so a 409 ("the case changed")
 * and the reload after it keep everything the agent typed.
 *
 * A form is sent against the version it was opened on, not the one on screen when it is sent: the
 * page polls, and a poll that brings someone else's change while the agent types must end in a
 * conflict the agent sees, not in a decision taken on a case the agent never looked at.
 */
export function AllowedActions({ events, allowedEvents, currency, remainingMinor, version, onSend, onReload }: AllowedActionsProps) {
  const i18n = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  // basis: the version the agent decided on (see below).
  const [confirming, setConfirming] = useState<{ type: string; payload: Record<string, unknown>; basis: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<string[]>([]);
  // The version the open form was opened on; null while no form is open.
  const [decidedOn, setDecidedOn] = useState<number | null>(null);
  // After "Reload the case", the next version to arrive is the one the agent now decides on.
  const [rebaseOnNextVersion, setRebaseOnNextVersion] = useState(false);
  // Adjusted while rendering (React's pattern for state that follows a prop), not in an effect.
  if (rebaseOnNextVersion && decidedOn !== null && version !== decidedOn) {
    setDecidedOn(version);
    setRebaseOnNextVersion(false);
  }

  const byType = new Map(events.map((event) => [event.type, event]));
  const visible = allowedEvents.filter((type) => byType.has(type));
  // A form stays open (and keeps its draft) only while its event is still allowed.
  const current = open && visible.includes(open) ? byType.get(open) : undefined;

  const send = async (type: string, payload: Record<string, unknown>, basis: number) => {
    setPending(true);
    setError(null);
    setStale(false);
    setDone(null);
    setFieldErrors([]);
    try {
      await onSend(type, payload, basis);
      setDrafts((all) => ({ ...all, [type]: {} }));
      setOpen(null);
      setDecidedOn(null);
      setDone(type);
    } catch (failure) {
      if (isStaleCase(failure)) setStale(true);
      else setError(failure);
      setFieldErrors(invalidFields(failure).map((path) => path.replace(/^payload\./, '')));
    } finally {
      setPending(false);
      setConfirming(null);
    }
  };

  const request = (type: string, payload: Record<string, unknown>, basis: number) => {
    if (movesMoney(type)) setConfirming({ type, payload, basis });
    else void send(type, payload, basis);
  };

  const clickEvent = (event: EventDescription) => {
    setError(null);
    setDone(null);
    if (event.fields.length === 0) {
      setOpen(null);
      setDecidedOn(null);
      // A button without a form decides on what is on screen now.
      request(event.type, {}, version);
      return;
    }
    setFieldErrors([]);
    if (open !== event.type) setDecidedOn(version);
    setOpen(event.type);
  };

  const confirmAmount = (() => {
    if (!confirming || !currency) return '';
    const amount = typeof confirming.payload.amountMinor === 'number' ? confirming.payload.amountMinor : remainingMinor;
    return typeof amount === 'number' ? i18n.t('case.actions.confirmAmount', { amount: i18n.money(amount, currency) }) : '';
  })();

  return (
    <div data-testid="allowed-actions">
      {visible.length === 0 ? (
        <Typography.Text type="secondary">{i18n.t('case.actions.none')}</Typography.Text>
      ) : (
        <Space wrap>
          {visible.map((type) => {
            const event = byType.get(type)!;
            return (
              <Button
                key={type}
                data-event={type}
                type={open === type ? 'primary' : 'default'}
                danger={movesMoney(type)}
                loading={pending && (open === type || confirming?.type === type)}
                disabled={pending}
                onClick={() => clickEvent(event)}
                title={event.description}
              >
                {i18n.event(type, event.description)}
              </Button>
            );
          })}
        </Space>
      )}

      {stale && (
        <Alert
          data-testid="conflict"
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={i18n.t('case.conflict.title')}
          description={i18n.t('case.conflict.body')}
          action={
            <Button
              onClick={() => {
                setStale(false);
                setRebaseOnNextVersion(true);
                onReload();
              }}
            >
              {i18n.t('case.conflict.reload')}
            </Button>
          }
        />
      )}
      {error !== null && <Alert data-testid="action-error" style={{ marginTop: 12 }} type="error" showIcon title={errorText(error, i18n, currency ?? undefined)} />}
      {done && !stale && error === null && <Alert style={{ marginTop: 12 }} type="success" showIcon title={i18n.t('case.actions.done', { action: i18n.event(done) })} />}

      {current && (
        <EventForm
          key={current.type}
          event={current}
          draft={drafts[current.type] ?? {}}
          onChange={(values) => setDrafts((previous) => ({ ...previous, [current.type]: values }))}
          onSubmit={(values) => request(current.type, toPayload(current, values, currency), decidedOn ?? version)}
          onCancel={() => {
            setOpen(null);
            setDecidedOn(null);
          }}
          pending={pending}
          fieldErrors={fieldErrors}
          currency={currency}
          remainingMinor={remainingMinor}
        />
      )}

      <Modal
        open={confirming !== null}
        title={i18n.t('case.actions.confirmTitle')}
        okText={i18n.t('case.actions.confirmOk')}
        cancelText={i18n.t('case.actions.cancel')}
        okButtonProps={{ danger: true, loading: pending, 'data-testid': 'confirm-ok' } as ButtonProps}
        onOk={() => confirming && void send(confirming.type, confirming.payload, confirming.basis)}
        onCancel={() => setConfirming(null)}
        destroyOnHidden
      >
        {confirming && i18n.t('case.actions.confirmBody', { action: i18n.event(confirming.type), amount: confirmAmount })}
      </Modal>
    </div>
  );
}

interface EventFormProps {
  event: EventDescription;
  draft: Draft;
  onChange(values: Draft): void;
  onSubmit(values: Draft): void;
  onCancel(): void;
  pending: boolean;
  fieldErrors: string[];
  currency: string | null;
  remainingMinor?: number | null;
}

/** The form of one event. Remounted per event (keyed), starting from the event's saved draft. */
function EventForm({ event, draft, onChange, onSubmit, onCancel, pending, fieldErrors, currency, remainingMinor }: EventFormProps) {
  const i18n = useI18n();
  const [form] = Form.useForm<Draft>();
  useEffect(() => {
    const known = new Set(event.fields.map((field) => field.name));
    const names = fieldErrors.filter((name) => known.has(name));
    if (names.length) form.setFields(names.map((name) => ({ name, errors: [i18n.t('error.VALIDATION_FAILED')] })));
  }, [fieldErrors, event, form, i18n]);
  return (
    <Card size="small" style={{ marginTop: 12 }} title={i18n.event(event.type, event.description)} data-testid={`form-${event.type}`}>
      <Form form={form} layout="vertical" initialValues={draft} onFinish={onSubmit} onValuesChange={(_, all: Draft) => onChange(all)}>
        {event.fields.map((field) => (
          <FieldInput key={field.name} field={field} currency={currency} i18n={i18n} />
        ))}
        {event.fields.some((field) => field.money) && typeof remainingMinor === 'number' && currency && (
          <Typography.Paragraph type="secondary">{i18n.t('case.actions.remaining', { amount: i18n.money(remainingMinor, currency) })}</Typography.Paragraph>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={pending} data-testid="action-submit">
            {i18n.t('case.actions.submit')}
          </Button>
          <Button onClick={onCancel} disabled={pending}>
            {i18n.t('case.actions.cancel')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

function FieldInput({ field, currency, i18n }: { field: PayloadFieldDescription; currency: string | null; i18n: I18n }) {
  const label = i18n.field(field.name);
  const required = field.required ? [{ required: true, message: i18n.t('case.actions.required') }] : [];
  if (field.money) {
    const cur = currency ?? 'CNY';
    const digits = currencyDigits(cur);
    return (
      <Form.Item
        name={field.name}
        label={label}
        rules={[
          ...required,
          {
            validator: async (_, value: unknown) => {
              if (value === undefined || value === null || value === '') return;
              const parsed = parseMajorToMinor(String(value), cur);
              if (!parsed.ok) throw new Error(i18n.t('case.actions.moneyInvalid', { digits }));
              if (field.positive && parsed.amountMinor <= 0) throw new Error(i18n.t('case.actions.moneyPositive'));
            },
          },
        ]}
      >
        <Input inputMode="decimal" suffix={cur} placeholder={digits ? `0.${'0'.repeat(digits)}` : '0'} data-field={field.name} />
      </Form.Item>
    );
  }
  switch (field.type) {
    case 'boolean':
      return (
        <Form.Item name={field.name} valuePropName="checked" initialValue={false}>
          <Checkbox data-field={field.name}>{label}</Checkbox>
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item name={field.name} label={label} rules={required}>
          <Select data-field={field.name} options={(field.options ?? []).map((option) => ({ value: option, label: option.replace(/_/g, ' ') }))} />
        </Form.Item>
      );
    case 'string[]':
      return (
        <Form.Item name={field.name} label={label} rules={required} initialValue={[]}>
          <Select mode="tags" data-field={field.name} tokenSeparators={[',', ' ']} open={false} />
        </Form.Item>
      );
    case 'integer':
    case 'number':
      return (
        <Form.Item name={field.name} label={label} rules={required}>
          <InputNumber data-field={field.name} min={field.min} max={field.max} precision={field.type === 'integer' ? 0 : undefined} style={{ width: '100%' }} />
        </Form.Item>
      );
    default: {
      const rules = [
        ...required,
        ...(field.max ? [{ max: field.max, message: i18n.t('case.actions.tooLong', { max: field.max }) }] : []),
        // The API trims text; a field of spaces is as empty as an empty one.
        ...(field.required ? [{ whitespace: true, message: i18n.t('case.actions.required') }] : []),
      ];
      return (
        <Form.Item name={field.name} label={label} rules={rules}>
          {field.max !== undefined && field.max <= 300 ? <Input data-field={field.name} /> : <Input.TextArea data-field={field.name} autoSize={{ minRows: 2, maxRows: 6 }} />}
        </Form.Item>
      );
    }
  }
}

/** Form values → the event payload the API expects: money to integer minor units, empty optionals dropped. */
export function toPayload(event: EventDescription, values: Draft, currency: string | null): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of event.fields) {
    const value = values[field.name];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '' && !field.required)) continue;
    if (field.money) {
      const parsed = parseMajorToMinor(String(value), currency ?? 'CNY');
      if (parsed.ok) payload[field.name] = parsed.amountMinor;
      continue;
    }
    payload[field.name] = typeof value === 'string' ? value.trim() : value;
  }
  return payload;
}
