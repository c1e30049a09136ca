import { Tag, Tooltip } from 'antd';
import { useI18n } from '../i18n/i18n';
import { slaLevel, type SlaLevel } from '../lib/sla';
import { useNow } from '../lib/use-now';

const COLORS: Record<SlaLevel, string> = { none: 'default', ok: 'green', warning: 'orange', overdue: 'red' };

export interface SlaBadgeProps {
  /** The deadline (ISO time), or null when none is running. */
  dueAt: string | null;
  /** When the window started, if known (the case's last change); sharpens the amber rule. */
  since?: string | null;
  /** Fixed time for tests and for rendering many badges off one clock; default: a ticking clock. */
  now?: number;
}

/** Time left to the next deadline: green, amber when it is getting close, red once it has passed. */
export function SlaBadge({ dueAt, since, now: fixedNow }: SlaBadgeProps) {
  const i18n = useI18n();
  const tickingNow = useNow();
  const now = fixedNow ?? tickingNow;
  const level = slaLevel(dueAt, now, since);
  const text =
    level === 'none'
      ? i18n.t('sla.none')
      : level === 'overdue'
        ? i18n.t('sla.overdue', { time: i18n.duration(now - Date.parse(dueAt!)) })
        : i18n.t('sla.left', { time: i18n.duration(Date.parse(dueAt!) - now) });
  const tag = (
    <Tag color={COLORS[level]} data-sla={level} data-testid="sla-badge">
      {text}
    </Tag>
  );
  return dueAt ? <Tooltip title={i18n.dateTime(dueAt)}>{tag}</Tooltip> : tag;
}
