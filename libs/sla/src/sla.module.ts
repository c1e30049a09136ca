import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { SlaCatalogue } from './sla-catalogue';
import { SlaTracker } from './sla-tracker';
import { CountUnreadNotifications, ListNotifications, MarkNotificationRead } from './use-cases/agent-inbox';
import { ListSlaBreaches } from './use-cases/list-sla-breaches';
import { ImportCalendarSchedule } from './use-cases/import-calendar-schedule';
import { PreviewSlaChange } from './use-cases/preview-sla-change';
import { ListBusinessCalendars, ListSlaPolicies, SaveBusinessCalendar, SaveSlaPolicy } from './use-cases/manage-sla-policies';

const USE_CASES = [
  ListSlaPolicies,
  SaveSlaPolicy,
  ListBusinessCalendars,
  SaveBusinessCalendar,
  ListSlaBreaches,
  ListNotifications,
  CountUnreadNotifications,
  MarkNotificationRead,
  PreviewSlaChange,
  ImportCalendarSchedule,
];

// The admin audit log records policy and calendar changes.
@Module({ imports: [AuditModule], providers: [SlaCatalogue, SlaTracker, ...USE_CASES], exports: [SlaCatalogue, SlaTracker, ...USE_CASES] })
export class SlaModule {}
