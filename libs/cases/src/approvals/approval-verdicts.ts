import { allDefinitions, type CaseKind } from '@app/domain';

/** The events by which a second person decides a proposal, in every machine with approval states. */
export const APPROVAL_VERDICTS: Readonly<Record<string, 'approved' | 'rejected'>> = {
  APPROVE_PROPOSAL: 'approved',
  REJECT_PROPOSAL: 'rejected',
  APPROVE_CORRECTION: 'approved',
  REJECT_CORRECTION: 'rejected',
};

/** Every (kind, machine version, state) in which a proposal waits for approval, from the machine registry. */
export function approvalStates(): Array<{ kind: CaseKind; version: number; state: string }> {
  return allDefinitions().flatMap((definition) => (definition.approvalStates ?? []).map((state) => ({ kind: definition.kind, version: definition.version, state })));
}
