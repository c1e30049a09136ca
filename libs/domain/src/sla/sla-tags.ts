/**
 * State tags the machines use to drive SLA clocks. `sla:paused`: the case waits on someone outside
 * support (customer, merchant), so support's clocks stop counting. `sla:stopped`: the case is
 * resolved; its clocks freeze (and resume if it is reopened). A final state is stopped too.
 */
export const SLA_PAUSED = 'sla:paused';
export const SLA_STOPPED = 'sla:stopped';

export type SlaPhase = 'running' | 'paused' | 'stopped';
