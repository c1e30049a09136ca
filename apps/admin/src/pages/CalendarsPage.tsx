import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Result, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useOutletContext } from 'react-router';
import { api } from '../api/client';
import type { BusinessCalendar } from '../api/config-types';
import type { Agent } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { unconfirmedScheduleYears } from '../lib/calendar-schedule';
import { errorText, invalidFields } from '../lib/errors';
import { atLeast } from './AppLayout';
import { slaConfigKeys, useCalendars } from './SlaPoliciesPage';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** The year of `now` in the calendar's zone: a banner about "this year" must not flip a day early. */
function yearIn(timeZone: string, now: Date): number {
  try {
    return Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(now));
  } catch {
    return now.getUTCFullYear();
  }
}

/**
 * Business calendars: the weekly hours (with lunch breaks), and each year's holidays and make-up
 * working days (调休) on a year view. Admins edit the weekly hours and import a year's schedule
 * from a JSON or iCalendar file; a banner names every calendar whose schedule for this year or
 * the next is not confirmed. Supervisors see it all read-only; agents are kept out.
 */
export default function CalendarsPage({ now = () => new Date() }: { now?: () => Date }) {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const allowed = atLeast(me, 'supervisor');
  const isAdmin = atLeast(me, 'admin');
  const calendars = useCalendars(allowed);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [editingHours, setEditingHours] = useState(false);
  if (!allowed) return <Result status="403" title={i18n.t('calendars.forbidden')} />;

  const list = calendars.data ?? [];
  const calendar = list.find((candidate) => candidate.id === selectedId) ?? list.find((candidate) => candidate.id === 'prc-default') ?? list[0];
  const thisYear = calendar ? yearIn(calendar.timeZone, now()) : now().getFullYear();
  const shownYear = year ?? thisYear;
  const warnings = list.flatMap((candidate) => {
    const years = unconfirmedScheduleYears(candidate, yearIn(candidate.timeZone, now()));
    return years.length ? [{ calendar: candidate, years }] : [];
  });

  return (
    <Card
      title={i18n.t('calendars.title')}
      data-testid="calendars-page"
      extra={
        calendar && (
          <Select
            data-testid="calendar-select"
            style={{ minWidth: 260 }}
            value={calendar.id}
            onChange={(id: string) => setSelectedId(id)}
            options={list.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          />
        )
      }
    >
      {warnings.map(({ calendar: warned, years }) => (
        <Alert
          key={warned.id}
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="schedule-banner"
          data-calendar={warned.id}
          title={i18n.t('calendars.unconfirmedBanner', { calendar: warned.name, years: years.join(', ') })}
          description={i18n.t(isAdmin ? 'calendars.unconfirmedHintAdmin' : 'calendars.unconfirmedHint')}
        />
      ))}
      {!isAdmin && <Alert type="info" showIcon title={i18n.t('calendars.readOnly')} style={{ marginBottom: 12 }} data-testid="calendars-read-only" />}
      {calendars.isError && <Alert type="error" showIcon title={errorText(calendars.error, i18n)} />}
      {!calendar && !calendars.isPending && !calendars.isError && <Empty description={i18n.t('calendars.empty')} />}
      {calendar && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={i18n.t('calendars.id')}>
              <Typography.Text code>{calendar.id}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={i18n.t('calendars.timeZone')}>{calendar.timeZone}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title={i18n.t('calendars.weeklyHours')}
            extra={
              isAdmin && (
                <Button size="small" data-testid="weekly-hours-edit" onClick={() => setEditingHours(true)}>
                  {i18n.t('calendars.editHours')}
                </Button>
              )
            }
          >
            <Descriptions size="small" column={1} data-testid="weekly-hours">
              {WEEKDAYS.map((day) => (
                <Descriptions.Item key={day} label={i18n.t(`calendars.weekday.${day}`)}>
                  <span data-testid={`weekly-hours-${day}`}>{spansText(calendar.weeklyHours[day]) || i18n.t('calendars.dayOff')}</span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          </Card>
          <YearView
            calendar={calendar}
            year={shownYear}
            onYear={setYear}
            thisYear={thisYear}
            extra={
              isAdmin && (
                <Button type="primary" data-testid="schedule-import" onClick={() => setImporting(true)}>
                  {i18n.t('calendars.import')}
                </Button>
              )
            }
          />
        </Space>
      )}
      {importing && calendar && <ImportModal calendar={calendar} year={shownYear} onClose={() => setImporting(false)} onImported={(imported) => setYear(imported)} />}
      {editingHours && calendar && <WeeklyHoursModal calendar={calendar} onClose={() => setEditingHours(false)} />}
    </Card>
  );
}

function spansText(spans: readonly { start: string; end: string }[] | undefined): string {
  return (spans ?? []).map((span) => `${span.start}–${span.end}`).join(', ');
}

function YearView({
  calendar,
  year,
  onYear,
  thisYear,
  extra,
}: {
  calendar: BusinessCalendar;
  year: number;
  onYear: (year: number) => void;
  thisYear: number;
  extra: React.ReactNode;
}) {
  const i18n = useI18n();
  const holidays = useMemo(() => new Map(calendar.holidays.map((holiday) => [holiday.date, holiday.name])), [calendar]);
  const makeUps = useMemo(() => new Map(calendar.makeUpWorkdays.map((workday) => [workday.date, workday.name])), [calendar]);
  const schedule = calendar.schedules?.find((candidate) => candidate.year === year);
  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, thisYear + 2, ...(calendar.schedules ?? []).map((candidate) => candidate.year)])].sort();
  const inYear = (date: string) => date.startsWith(`${year}-`);
  const monthName = new Intl.DateTimeFormat(i18n.locale, { month: 'long', timeZone: 'UTC' });
  return (
    <Card
      size="small"
      data-testid="year-view"
      data-year={year}
      title={
        <Space wrap>
          <Select data-testid="year-select" value={year} onChange={onYear} options={years.map((value) => ({ value, label: String(value) }))} style={{ width: 100 }} />
          <Tag color={schedule?.status === 'confirmed' ? 'green' : schedule ? 'orange' : 'default'} data-testid="year-status" data-status={schedule?.status ?? 'none'}>
            {i18n.t(schedule ? `calendars.status.${schedule.status}` : 'calendars.status.none')}
          </Tag>
          {schedule?.source && (
            <Typography.Text type="secondary" data-testid="year-source">
              {schedule.source}
            </Typography.Text>
          )}
        </Space>
      }
      extra={extra}
    >
      <Space size="large" style={{ marginBottom: 12 }} wrap>
        <span data-testid="year-holiday-count">{i18n.t('calendars.holidayCount', { count: calendar.holidays.filter((holiday) => inYear(holiday.date)).length })}</span>
        <span data-testid="year-makeup-count">{i18n.t('calendars.makeUpCount', { count: calendar.makeUpWorkdays.filter((workday) => inYear(workday.date)).length })}</span>
        <Tag color="red">{i18n.t('calendars.legend.holiday')}</Tag>
        <Tag color="blue">{i18n.t('calendars.legend.makeUp')}</Tag>
        <Tag>{i18n.t('calendars.legend.dayOff')}</Tag>
      </Space>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 16 }}>
        {Array.from({ length: 12 }, (_, month) => {
          const first = new Date(Date.UTC(year, month, 1));
          const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
          const offset = (first.getUTCDay() + 6) % 7; // Monday first
          return (
            <div key={month} data-testid={`month-${month + 1}`}>
              <Typography.Text strong>{monthName.format(first)}</Typography.Text>
              <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, marginTop: 4, fontSize: 12, textAlign: 'center' }}>
                {WEEKDAYS.map((day) => (
                  <span key={day} style={{ color: '#999' }}>
                    {i18n.t(`calendars.weekdayShort.${day}`)}
                  </span>
                ))}
                {Array.from({ length: offset }, (_, index) => (
                  <span key={`blank-${index}`} />
                ))}
                {Array.from({ length: days }, (_, index) => {
                  const date = `${year}-${String(month + 1).padStart(2, '0')}-${String(index + 1).padStart(2, '0')}`;
                  const weekday = (((offset + index) % 7) + 1) as Weekday;
                  const holiday = holidays.get(date);
                  const makeUp = makeUps.get(date);
                  const kind = holiday ? 'holiday' : makeUp ? 'makeUp' : calendar.weeklyHours[weekday]?.length ? 'work' : 'off';
                  const style = {
                    holiday: { background: '#fff1f0', color: '#cf1322', fontWeight: 600 },
                    makeUp: { background: '#e6f4ff', color: '#0958d9', fontWeight: 600 },
                    off: { color: '#bbb' },
                    work: {},
                  }[kind];
                  const cell = (
                    <span key={date} data-testid={`day-${date}`} data-kind={kind} style={{ borderRadius: 4, padding: '2px 0', ...style }}>
                      {index + 1}
                    </span>
                  );
                  return holiday || makeUp ? (
                    <Tooltip key={date} title={`${date} ${holiday ?? makeUp}`}>
                      {cell}
                    </Tooltip>
                  ) : (
                    cell
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
    </Card>
  );
}

function ImportModal({ calendar, year, onClose, onImported }: { calendar: BusinessCalendar; year: number; onClose: () => void; onImported: (year: number) => void }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [importYear, setImportYear] = useState<number | null>(year);
  const [file, setFile] = useState<File | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const submit = async () => {
    if (!file || !importYear) {
      setMissing(true);
      return;
    }
    setPending(true);
    setError(null);
    try {
      const content = await readText(file);
      const format = /\.json$/i.test(file.name) || file.type === 'application/json' ? 'json' : 'ics';
      await api('POST', `/v1/sla/calendars/${encodeURIComponent(calendar.id)}/schedule-import`, { year: importYear, format, content });
      toast.success(i18n.t('calendars.imported', { year: importYear }));
      await queryClient.invalidateQueries({ queryKey: slaConfigKeys.calendars });
      onImported(importYear);
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open
      title={i18n.t('calendars.importTitle', { calendar: calendar.name })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={i18n.t('calendars.importSubmit')}
      cancelText={i18n.t('calendars.cancel')}
      confirmLoading={pending}
      okButtonProps={{ 'data-testid': 'schedule-import-submit' }}
    >
      <Typography.Paragraph type="secondary">{i18n.t('calendars.importHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={i18n.t('calendars.importYear')} required validateStatus={missing && !importYear ? 'error' : undefined}>
          <InputNumber data-testid="schedule-import-year" min={2000} max={2100} precision={0} value={importYear} onChange={(value) => setImportYear(value)} />
        </Form.Item>
        <Form.Item
          label={i18n.t('calendars.importFile')}
          required
          validateStatus={missing && !file ? 'error' : undefined}
          help={missing && !file ? i18n.t('calendars.importFileMissing') : undefined}
        >
          <input
            data-testid="schedule-import-file"
            type="file"
            accept=".ics,.ical,.ifb,.json,text/calendar,application/json"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </Form.Item>
      </Form>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          data-testid="schedule-import-error"
          title={errorText(error, i18n)}
          description={invalidFields(error).length ? i18n.t('calendars.importProblems', { fields: invalidFields(error).join(', ') }) : undefined}
        />
      )}
    </Modal>
  );
}

/** A chosen file's text (UTF-8). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

/** "09:00-12:00, 13:00-18:00" → spans; undefined when the text is not that shape. */
function parseSpans(text: string): { start: string; end: string }[] | undefined {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const spans = trimmed.split(/[,，;]/).map((part) => /^\s*(\d{2}:\d{2})\s*[-–~]\s*(\d{2}:\d{2})\s*$/.exec(part));
  return spans.every(Boolean) ? spans.map((match) => ({ start: match![1]!, end: match![2]! })) : undefined;
}

function WeeklyHoursModal({ calendar, onClose }: { calendar: BusinessCalendar; onClose: () => void }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Record<string, string>>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const initial = Object.fromEntries(WEEKDAYS.map((day) => [String(day), spansText(calendar.weeklyHours[day]).replace(/–/g, '-')]));

  const submit = async (values: Record<string, string>) => {
    const weeklyHours = Object.fromEntries(WEEKDAYS.map((day) => [String(day), parseSpans(values[String(day)] ?? '')!]));
    setPending(true);
    setError(null);
    try {
      // The whole calendar goes back as it is, with only the weekly hours changed.
      const { id: _id, ...rest } = calendar;
      await api('PUT', `/v1/sla/calendars/${encodeURIComponent(calendar.id)}`, { ...rest, weeklyHours });
      toast.success(i18n.t('calendars.saved'));
      await queryClient.invalidateQueries({ queryKey: slaConfigKeys.calendars });
      onClose();
    } catch (failure) {
      setError(failure);
      form.setFields(
        invalidFields(failure)
          .map((path) => /^weeklyHours\.(\d)/.exec(path)?.[1])
          .filter((day): day is string => Boolean(day))
          .map((day) => ({ name: day, errors: [i18n.t('calendars.hoursRule')] })),
      );
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open
      title={i18n.t('calendars.editHours')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={i18n.t('calendars.save')}
      cancelText={i18n.t('calendars.cancel')}
      confirmLoading={pending}
      okButtonProps={{ 'data-testid': 'weekly-hours-submit' }}
    >
      <Typography.Paragraph type="secondary">{i18n.t('calendars.hoursHint')}</Typography.Paragraph>
      <Form form={form} layout="horizontal" labelCol={{ span: 6 }} initialValues={initial} onFinish={(values) => void submit(values)}>
        {WEEKDAYS.map((day) => (
          <Form.Item
            key={day}
            name={String(day)}
            label={i18n.t(`calendars.weekday.${day}`)}
            rules={[{ validator: async (_, value: string) => (parseSpans(value ?? '') ? undefined : Promise.reject(new Error(i18n.t('calendars.hoursRule')))) }]}
          >
            <Input data-testid={`weekly-hours-input-${day}`} placeholder="09:00-12:00, 13:00-18:00" />
          </Form.Item>
        ))}
      </Form>
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} data-testid="weekly-hours-error" />}
    </Modal>
  );
}
