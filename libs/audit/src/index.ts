export { AuditModule } from './audit.module';
export { AdminAuditLog, type AdminAuditActor, type AdminAuditEntry, type AdminAuditRecord } from './admin-audit-log';
