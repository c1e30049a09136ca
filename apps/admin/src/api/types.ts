/**
 * Shapes of the agent API's answers, as the UI reads them: aliases of the types generated from the
 * API's OpenAPI document (./generated/schema.ts, `npm run generate:api-types`), so they cannot
 * drift from what the routes return (test/e2e/api-responses-conform checks real answers against
 * the same document). Only the names are the UI's.
 */
import type { components } from './generated/schema';

type Schemas = components['schemas'];

export type { components, paths } from './generated/schema';

export type MachineDescription = Schemas['MachineDescriptionDto'];
export type StateDescription = Schemas['StateDescriptionDto'];
export type TransitionDescription = Schemas['TransitionDescriptionDto'];
export type EventDescription = Schemas['EventDescriptionDto'];
export type PayloadFieldDescription = Schemas['PayloadFieldDescriptionDto'];

export type CaseKind = Schemas['CaseSummaryDto']['kind'];
export type Channel = Schemas['CaseSummaryDto']['channel'];
export type Priority = Schemas['CaseSummaryDto']['priority'];
export type AgentRole = Schemas['AgentDto']['role'];

/** Disputes only: the reason, who it is against, and each side's evidence against its requirements (merchant null without one). */
export type EvidenceRequirements = Schemas['EvidenceRequirementsDto'];
export type EvidenceRequirementsStatus = Schemas['EvidenceRequirementsStatusDto'];

export type Agent = Schemas['AgentDto'];
/** GET /v1/agents: one row; `totpEnabled` and `lastLoginAt` for supervisors and admins only. */
export type AgentAccount = Schemas['AgentAccountDto'];

export type Money = Schemas['MoneyDto'];
export type CaseSummary = Schemas['CaseSummaryDto'];
export type Deadline = Schemas['DeadlineDto'];
/** A refund sent to the wallet for the case (GET /v1/cases/:id). */
export type Refund = Schemas['RefundDto'];
export type CaseDetail = Schemas['CaseDetailDto'];
/** Masked: 138****5678, w***@example.com. */
export type CustomerContact = Schemas['CustomerContactDto'];
export type RevealedContact = Schemas['RevealedContactDto'];
export type CasePage = Schemas['CasePageDto'];
export type TimelineEntry = Schemas['TimelineEntryDto'];

export type QueueCounts = Schemas['QueueCountsDto'];
export type QueueStats = Schemas['QueueStatsDto'];
/** GET /v1/sla/breaches (supervisor role): counts keyed by policy id and by agent id ('unassigned' for none). */
export type SlaBreaches = Schemas['SlaBreachesDto'];
/** GET /v1/failed-work (supervisor role): cases with effects or deadlines the job queues gave up on. */
export type FailedWorkPage = Schemas['FailedWorkPageDto'];
export type FailedWorkCase = Schemas['FailedWorkCaseDto'];
/** POST /v1/cases/:id/effects/redrive and …/deadlines/redrive. */
export type EffectsRedriven = Schemas['RedrivenDto'];
export type DeadlinesRedriven = Schemas['DeadlinesRedrivenDto'];

/** GET /v1/notifications: the agent inbox (SLA reminders and breaches, customers' and merchants' replies). */
export type InboxEntry = Schemas['InboxEntryDto'];

export type MessageLocale = Schemas['CaseMessageDto']['locale'];
export type MessageParty = Schemas['CaseMessageDto']['party'];
export type CaseMessage = Schemas['CaseMessageDto'];
/** GET /v1/cases/:id/messages */
export type CaseConversation = Schemas['CaseConversationDto'];
export type Macro = Schemas['MacroDto'];
export type RenderedMacro = Schemas['RenderedMacroDto'];

/** One proposal waiting for a second person (GET /v1/approvals). */
export type ApprovalItem = Schemas['ApprovalItemDto'];
export type ApprovalPage = Schemas['ApprovalPageDto'];
