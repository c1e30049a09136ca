import { Module } from '@nestjs/common';
import { AdminAuditLog } from './admin-audit-log';
import { AnchorCaseLogs } from './anchor-case-logs';
import { CaseLogAnchoring } from './case-log-anchoring';
import { CaseLogVerifier } from './case-log-verifier';

@Module({ providers: [AdminAuditLog, CaseLogVerifier, AnchorCaseLogs], exports: [AdminAuditLog, CaseLogVerifier, AnchorCaseLogs] })
export class AuditModule {}

/** The workers' part: the periodic anchor of the case logs. */
@Module({ imports: [AuditModule], providers: [CaseLogAnchoring] })
export class AuditWorkerModule {}
