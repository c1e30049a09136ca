import { Module } from '@nestjs/common';
import { AdminAuditLog } from './admin-audit-log';

@Module({ providers: [AdminAuditLog], exports: [AdminAuditLog] })
export class AuditModule {}
