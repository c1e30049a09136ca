import { AgentEntity, AgentSessionEntity } from './agent.entity';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';
import { DeadlineEntity } from './deadline.entity';
import { OutboxEntity } from './outbox.entity';
import { RefundEntity } from './refund.entity';

export { AgentEntity, AgentSessionEntity, CaseEventEntity, CaseEntity, DeadlineEntity, OutboxEntity, RefundEntity };
export type { DeadlineStatus } from './deadline.entity';
export type { OutboxStatus } from './outbox.entity';
export type { RefundStatus } from './refund.entity';

export const ENTITIES = [AgentEntity, AgentSessionEntity, CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity, RefundEntity];
