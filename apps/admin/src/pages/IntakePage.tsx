import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, type InputProps } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CASE_KINDS, DISPUTE_REASONS, SECURITY_REPORTS } from '@domain/cases/case-kind';
import { api, withQuery } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { CaseDetail, CasePage } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText, invalidFields } from '../lib/errors';
import { currencyDigits, parseMajorToMinor } from '../lib/money';

/** Channels an agent types in by hand; `app` cases come from the wallet backend's intake API. */
const MANUAL_CHANNELS = ['hotline', 'email', 'wechat', 'weibo', 'chat'] as const;
const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'JPY'];
const NEEDS_AMOUNT = new Set(['dispute', 'refund_request']);

interface IntakeValues {
  channel: string;
  kind: string;
  priority: string;
  subject: string;
  customerId: string;
  customerName?: string;
  merchantId?: string;
  transactionRef?: string;
  amount?: string;
  currency: string;
  reason?: string;
  description?: string;
  purchasedAt?: string;
  securityReport?: string;
}

/** The transaction reference after the agent stops typing for a moment. */
function useSettled(value: string, ms = 400): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The amount typed beside its currency (antd's Space.Compact), as the amount's form control: its
 * Form.Item hands the input its value, id (for the label) and error description; the currency is a
 * field of its own.
 */
function AmountWithCurrency({ currencyLabel, ...input }: InputProps & { currencyLabel: string }) {
  return (
    <Space.Compact block>
      <Input {...input} inputMode="decimal" data-testid="intake-amount" />
      <Form.Item name="currency" noStyle>
        <Select aria-label={currencyLabel} data-testid="intake-currency" style={{ width: 90 }} options={CURRENCIES.map((value) => ({ value, label: value }))} />
      </Form.Item>
    </Space.Compact>
  );
}

export default function IntakePage() {
  const i18n = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<IntakeValues>();
  const kind = Form.useWatch('kind', form) ?? 'dispute';
  const transactionRef = useSettled((Form.useWatch('transactionRef', form) ?? '').trim());
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  // Duplicate check: open cases whose text mentions this transaction, narrowed to an exact match.
  const duplicates = useQuery({
    queryKey: ['duplicates', transactionRef],
    queryFn: () => api<CasePage>('GET', withQuery('/v1/cases', { q: transactionRef, status: 'active', limit: 20 })),
    enabled: transactionRef.length >= 3,
    // The engine stores references normalised (trimmed, upper case), as the wallet does.
    select: (page) => page.items.filter((item) => item.transactionRef?.toUpperCase() === transactionRef.toUpperCase()),
  });

  const submit = async (values: IntakeValues) => {
    setPending(true);
    setError(null);
    const parsed = values.amount ? parseMajorToMinor(values.amount, values.currency) : null;
    const body = {
      kind: values.kind,
      channel: values.channel,
      priority: values.priority,
      subject: values.subject.trim(),
      description: values.description?.trim() || undefined,
      customer: { id: values.customerId.trim(), name: values.customerName?.trim() || undefined },
      merchantId: values.merchantId?.trim() || undefined,
      transactionRef: values.transactionRef?.trim() || undefined,
      amount: parsed?.ok ? { amountMinor: parsed.amountMinor, currency: values.currency } : undefined,
      reason: values.reason || undefined,
      purchasedAt: values.purchasedAt ? new Date(`${values.purchasedAt}T12:00:00`).toISOString() : undefined,
      securityReport: values.kind === 'account_security' ? values.securityReport : undefined,
    };
    try {
      const created = await api<CaseDetail>('POST', '/v1/cases', body);
      queryClient.setQueryData(queryKeys.case(created.id), created);
      void queryClient.invalidateQueries({ queryKey: queryKeys.cases });
      void navigate(`/cases/${created.id}`);
    } catch (failure) {
      setError(failure);
      const map: Record<string, keyof IntakeValues> = {
        'customer.id': 'customerId',
        'customer.name': 'customerName',
        amount: 'amount',
        'amount.amountMinor': 'amount',
        'amount.currency': 'currency',
      };
      const known = new Set<string>([
        'channel',
        'kind',
        'priority',
        'subject',
        'customerId',
        'customerName',
        'merchantId',
        'transactionRef',
        'amount',
        'currency',
        'reason',
        'description',
        'purchasedAt',
        'securityReport',
      ]);
      const names = invalidFields(failure)
        .map((path) => map[path] ?? path)
        .filter((name): name is keyof IntakeValues => known.has(name));
      form.setFields(names.map((name) => ({ name, errors: [i18n.t('error.VALIDATION_FAILED')] })));
    } finally {
      setPending(false);
    }
  };

  const required = { required: true, message: i18n.t('case.actions.required') };
  return (
    <Card title={i18n.t('intake.title')} style={{ maxWidth: 960 }}>
      <Form<IntakeValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={{ channel: 'hotline', kind: 'dispute', priority: 'normal', currency: 'CNY', securityReport: 'stolen_account' }}
        data-testid="intake-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="channel" label={i18n.t('intake.channel')} rules={[required]}>
              <Select data-testid="intake-channel" options={MANUAL_CHANNELS.map((value) => ({ value, label: i18n.channel(value) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="kind" label={i18n.t('intake.kind')} rules={[required]}>
              <Select data-testid="intake-kind" options={CASE_KINDS.map((value) => ({ value, label: i18n.kind(value) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="priority" label={i18n.t('intake.priority')}>
              <Select options={(['low', 'normal', 'high', 'urgent'] as const).map((value) => ({ value, label: i18n.priority(value) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="subject"
          label={i18n.t('intake.subject')}
          extra={i18n.t('intake.subjectHint')}
          rules={[required, { whitespace: true, message: i18n.t('case.actions.required') }, { max: 300, message: i18n.t('case.actions.tooLong', { max: 300 }) }]}
        >
          <Input data-testid="intake-subject" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="customerId" label={i18n.t('intake.customerId')} rules={[required, { whitespace: true, message: i18n.t('case.actions.required') }]}>
              <Input data-testid="intake-customer-id" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="customerName" label={i18n.t('intake.customerName')}>
              <Input data-testid="intake-customer-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="merchantId" label={i18n.t('intake.merchantId')}>
              <Input data-testid="intake-merchant" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="transactionRef" label={i18n.t('intake.transactionRef')}>
              <Input data-testid="intake-transaction" />
            </Form.Item>
          </Col>
        </Row>
        {(duplicates.data?.length ?? 0) > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="duplicate-warning"
            title={i18n.t('intake.duplicate')}
            description={
              <Space orientation="vertical" size={0}>
                <span>{i18n.t('intake.duplicateBody')}</span>
                {duplicates.data!.map((item) => (
                  <Link key={item.id} to={`/cases/${item.id}`}>
                    {item.subject} · {i18n.kind(item.kind)} · {i18n.state(item.state)}
                  </Link>
                ))}
              </Space>
            }
          />
        )}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="amount"
              label={i18n.t('intake.amount')}
              required={NEEDS_AMOUNT.has(kind)}
              // Checked again when the currency or the kind changes, against them as they are then
              // (a rule made in a render would still see the ones before).
              dependencies={['currency', 'kind']}
              rules={[
                ({ getFieldValue }) => ({ required: NEEDS_AMOUNT.has(getFieldValue('kind') as string), message: i18n.t('intake.amountNeeded') }),
                ({ getFieldValue }) => ({
                  validator: async (_, value: unknown) => {
                    if (value === undefined || value === null || String(value).trim() === '') return;
                    const chosen = (getFieldValue('currency') as string | undefined) ?? 'CNY';
                    const parsed = parseMajorToMinor(String(value), chosen);
                    if (!parsed.ok) throw new Error(i18n.t('case.actions.moneyInvalid', { digits: currencyDigits(chosen) }));
                    if (parsed.amountMinor <= 0 && NEEDS_AMOUNT.has(getFieldValue('kind') as string)) throw new Error(i18n.t('case.actions.moneyPositive'));
                  },
                }),
              ]}
            >
              <AmountWithCurrency currencyLabel={i18n.t('intake.currency')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            {kind === 'dispute' ? (
              <Form.Item name="reason" label={i18n.t('intake.reason')} rules={[required]}>
                <Select data-testid="intake-reason" options={DISPUTE_REASONS.map((value) => ({ value, label: i18n.reason(value) }))} />
              </Form.Item>
            ) : (
              <Form.Item name="reason" label={i18n.t('intake.reason')}>
                <Input maxLength={100} />
              </Form.Item>
            )}
          </Col>
        </Row>
        {kind === 'account_security' && (
          <Form.Item name="securityReport" label={i18n.t('intake.securityReport')} rules={[required]}>
            <Select data-testid="intake-security-report" options={SECURITY_REPORTS.map((value) => ({ value, label: i18n.t(`intake.securityReport.${value}`) }))} />
          </Form.Item>
        )}
        {kind === 'refund_request' && (
          <Form.Item name="purchasedAt" label={i18n.t('intake.purchasedAt')} rules={[required]}>
            <Input type="date" style={{ width: 200 }} />
          </Form.Item>
        )}
        <Form.Item name="description" label={i18n.t('intake.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20_000} data-testid="intake-description" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(error, i18n)} data-testid="intake-error" />}
        <Button type="primary" htmlType="submit" loading={pending} data-testid="intake-submit">
          {i18n.t('intake.submit')}
        </Button>
      </Form>
    </Card>
  );
}
