export { AuditModule, AuditWorkerModule } from './audit.module';
export { AdminAuditLog, COMMAND_LINE_ACTOR, changesBetween, type AdminAuditActor, type AdminAuditEntry, type AdminAuditRecord } from './admin-audit-log';
export { AnchorCaseLogs } from './anchor-case-logs';
export { CaseLogVerifier, type CaseLogProblem, type CaseLogProblemKind, type CaseLogProof } from './case-log-verifier';
export { CaseLogAnchoring } from './case-log-anchoring';
