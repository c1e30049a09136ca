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

it('older machine versions keep their lifecycle: none of them knows the merge', () => {
  const older = allDefinitions().filter((definition) => definition.version < currentDefinition(definition.kind).version);
  expect(older.length).toBeGreaterThan(0);
  for (const definition of older) expect({ kind: definition.kind, version: definition.version, merge: MERGE_EVENT in definition.events }).toMatchObject({ merge: false });
});
