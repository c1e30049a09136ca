export { SlaModule } from './sla.module';
export { SlaCatalogue, toPolicy, type SlaContext } from './sla-catalogue';
export { SlaTracker, readClocks, type AlarmFiring, type DeadlinePeek, type SlaPlan } from './sla-tracker';
export type { ClockStep } from './sla-clocks';
export type { AlarmPlan } from './sla-alarms';
export { ListSlaPolicies, SaveSlaPolicy, ListBusinessCalendars, SaveBusinessCalendar } from './use-cases/manage-sla-policies';
export { ListSlaBreaches, type SlaBreachQuery, type SlaBreachView } from './use-cases/list-sla-breaches';
export { CountUnreadNotifications, ListNotifications, MarkNotificationRead, type InboxReader } from './use-cases/agent-inbox';
export { PreviewSlaChange, type SlaChangePreview } from './use-cases/preview-sla-change';
