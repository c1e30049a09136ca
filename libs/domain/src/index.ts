export * from './cases/case-kind';
export * from './money/money';
export * from './errors';
export * from './machines/windows';
export * from './machines/effects';
export * from './machines/definition';
export * from './machines/registry';
export type { DisputeContext, DisputeDecision, DisputeOutcome } from './machines/dispute/dispute.machine';
export * from './engine/case-transition';
