export { SlaModule } from './sla.module';
export { SlaCatalogue, toPolicy, type SlaContext } from './sla-catalogue';
export { SlaTracker, type DeadlinePeek, type SlaWork } from './sla-tracker';
export { ListSlaPolicies, SaveSlaPolicy, ListBusinessCalendars, SaveBusinessCalendar } from './use-cases/manage-sla-policies';
export { ListSlaBreaches, type SlaBreachQuery, type SlaBreachView } from './use-cases/list-sla-breaches';
export { CountUnreadNotifications, ListNotifications, MarkNotificationRead, type InboxReader } from './use-cases/agent-inbox';
export { PreviewSlaChange, type SlaChangePreview } from './use-cases/preview-sla-change';
export { ImportCalendarSchedule, type ImportCalendarScheduleCommand } from './use-cases/import-calendar-schedule';
