import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { AGENT_ROLES, type CaseKind } from '../cases/case-kind';
import { allowedEvents, applyEvent, fireDeadline, restoreSnapshot, stateToString, type EventSender, type PersistedSnapshot } from '../engine/case-transition';
import type { CaseMachineDefinition, EventSpec } from './definition';
import { allDefinitions } from './registry';

/**
 * Every registered machine version must keep driving the cases already in flight on it. Each
 * version has committed fixtures (machines/<kind>/fixtures/v<version>-<state>.json): a persisted
 * snapshot as the database stores it, the events that were allowed in it and the deadlines that
 * were pending. Never regenerate a fixture to make this pass: a failure here means a change would
 * break live cases; make a new version (or a tested snapshot migration) instead.
 */
interface VersionFixture {
  kind: CaseKind;
  version: number;
  state: string;
  allowedEvents: string[];
  pendingDeadlines: string[];
  snapshot: PersistedSnapshot;
}

function fixturesOf(definition: CaseMachineDefinition): Array<[string, VersionFixture]> {
  const dir = join(__dirname, definition.kind.replace(/_/g, '-'), 'fixtures');
  const prefix = `v${definition.version}-`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as VersionFixture]);
}

/** Someone allowed to send the event: the first kind it lists, with the role it needs. */
function permittedSender(spec: EventSpec): EventSender {
  const kind = spec.sentBy[0]!;
  // An agent with an id of their own: approvals refuse senders the engine cannot name.
  return kind === 'agent' ? { kind, role: spec.minimumRole ?? AGENT_ROLES[0], id: 'fixture-sender' } : { kind };
}

describe.each(allDefinitions().map((definition) => [`${definition.kind} v${definition.version}`, definition] as const))('persisted snapshots of %s', (_, definition) => {
  const fixtures = fixturesOf(definition);

  it('has at least one committed fixture', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  // (Jest refuses an empty table; the test above already fails for a version without fixtures.)
  if (fixtures.length === 0) return;

  describe.each(fixtures)('%s', (_file, fixture) => {
    it('belongs to this machine version', () => {
      expect([fixture.kind, fixture.version]).toEqual([definition.kind, definition.version]);
    });

    it('restores into the state it was saved in', () => {
      const snapshot = restoreSnapshot(definition, fixture.snapshot);
      expect(stateToString(snapshot.value)).toBe(fixture.state);
      expect(snapshot.status).toBe('active');
    });

    // Exactly those: an event a version gains later is as much a change to the cases on it as one it loses.
    it('allows exactly the events it allowed', () => {
      const snapshot = restoreSnapshot(definition, fixture.snapshot);
      expect([...allowedEvents(definition, snapshot)].sort()).toEqual([...fixture.allowedEvents].sort());
    });

    it('accepts each allowed event with a valid payload and moves on', () => {
      for (const type of fixture.allowedEvents) {
        const spec = definition.events[type]!;
        const next = applyEvent(definition, fixture.snapshot, { type, ...(spec.examples[0] as object) }, permittedSender(spec));
        expect({ type, changed: JSON.stringify(next.snapshot) !== JSON.stringify(fixture.snapshot) }).toEqual({ type, changed: true });
      }
    });

    it('still fires the deadlines that were pending', () => {
      for (const type of fixture.pendingDeadlines) {
        const next = fireDeadline(definition, fixture.snapshot, { type });
        expect({ type, fired: next !== undefined }).toEqual({ type, fired: true });
      }
    });
  });
});
