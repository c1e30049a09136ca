import { CASE_KINDS } from '../../cases/case-kind';
import { DomainErrorCode } from '../../errors';
import { allowedEvents, replayEvents, restoreSnapshot } from '../../engine/case-transition';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { allDefinitions, currentDefinition } from '../registry';
import { MERGE_EVENT, MERGED_STATE } from './merge-closure';

const ORIGINAL = '11111111-1111-4111-8111-111111111111';

describe.each(CASE_KINDS)('a %s opened as a duplicate of another case', (kind) => {
  it('closes into the merged state with the original recorded, its deadlines cancelled, and replays', () => {
    const duplicate = CaseHarness.open(currentDefinition(kind), SAMPLE_FACTS[kind]);
    const transition = duplicate.send(MERGE_EVENT, { intoCaseId: ORIGINAL, mergedBy: 'agent@example.com' }, SENDERS.system);
    expect([duplicate.state, transition.status, duplicate.context.mergedInto]).toEqual([MERGED_STATE, 'done', ORIGINAL]);
    expect(duplicate.pendingDeadlines()).toEqual([]);
    expect(replayEvents(duplicate.definition, duplicate.input, duplicate.log)).toEqual(duplicate.snapshot);
  });

  it('is merged only by the merge itself: agents are not offered the bare event and are refused it', () => {
    const duplicate = CaseHarness.open(currentDefinition(kind), SAMPLE_FACTS[kind]);
    expect(allowedEvents(duplicate.definition, restoreSnapshot(duplicate.definition, duplicate.snapshot), SENDERS.supervisor)).not.toContain(MERGE_EVENT);
    const refused = catchDomainError(() => duplicate.send(MERGE_EVENT, { intoCaseId: ORIGINAL, mergedBy: 'agent@example.com' }, SENDERS.supervisor));
    expect(refused.code).toBe(DomainErrorCode.EventNotPermitted);
  });

  it('refuses a merge without the original it closes into', () => {
    const duplicate = CaseHarness.open(currentDefinition(kind), SAMPLE_FACTS[kind]);
    expect(catchDomainError(() => duplicate.send(MERGE_EVENT, { intoCaseId: 'not-a-case', mergedBy: 'a' }, SENDERS.system)).code).toBe(DomainErrorCode.ValidationFailed);
  });
});

/** The version of each kind that brought the merge; the versions after it keep it. */
const MERGE_SINCE = { dispute: 5, refund_request: 4, payment_failure: 4, balance_discrepancy: 4, account_security: 4, inquiry: 2 } as const;

it('older machine versions keep their lifecycle: none from before the merge knows it, every one since does', () => {
  const older = allDefinitions().filter((definition) => definition.version < MERGE_SINCE[definition.kind]);
  expect(older.length).toBeGreaterThan(0);
  for (const definition of allDefinitions()) {
    expect({ kind: definition.kind, version: definition.version, merge: MERGE_EVENT in definition.events }).toEqual({
      kind: definition.kind,
      version: definition.version,
      merge: definition.version >= MERGE_SINCE[definition.kind],
    });
  }
});
