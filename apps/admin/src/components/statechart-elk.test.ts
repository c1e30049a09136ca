import { describe, expect, it } from 'vitest';
import { allDefinitions } from '@domain/machines/registry';
import { describeMachine } from '@domain/machines/describe-machine';
import type { MachineDescription, StateDescription } from '../api/types';
import { layoutStatechartElk, type ElkLaidOutEdge } from './statechart-elk';
import { readabilityProblems } from './statechart-readability';

const texts = {
  state: (state: StateDescription) => state.key,
  edge: (labels: ElkLaidOutEdge['labels']) => labels.map((label) => label.deadline ?? label.event).join(' / '),
};

describe('the statechart layout (ELK)', () => {
  it.each(allDefinitions().map((definition) => [`${definition.kind} v${definition.version}`, describeMachine(definition) as unknown as MachineDescription] as const))(
    '%s: no label on another or on a state, no edge through a state box',
    async (_name, machine) => {
      const layout = await layoutStatechartElk(machine, texts);
      expect(layout.nodes.size).toBe(machine.states.length);
      const states = [...layout.nodes.values()].map((node) => ({
        ...node,
        id: node.state.id,
        parent: node.state.parent,
        frame: node.state.type === 'compound' || node.state.type === 'parallel',
        titleHeight: 24,
      }));
      const edges = layout.edges.map((edge) => ({ ...edge, text: texts.edge(edge.labels) }));
      expect(edges.every((edge) => edge.points.length >= 2)).toBe(true);
      expect(readabilityProblems(states, edges)).toEqual([]);
    },
  );
});

describe('the readability check itself', () => {
  it('finds overlapping labels, a label on a state and an edge through a state', () => {
    const states = [
      { id: 'a', parent: null, frame: false, x: 0, y: 0, width: 100, height: 36 },
      { id: 'b', parent: null, frame: false, x: 200, y: 0, width: 100, height: 36 },
      { id: 'c', parent: null, frame: false, x: 400, y: 0, width: 100, height: 36 },
    ];
    const edges = [
      {
        source: 'a',
        target: 'c',
        points: [
          { x: 100, y: 18 },
          { x: 400, y: 18 },
        ],
        label: { x: 120, y: 40, width: 60, height: 16 },
        text: 'GO',
      },
      {
        source: 'c',
        target: 'a',
        points: [
          { x: 400, y: 30 },
          { x: 100, y: 30 },
        ],
        label: { x: 150, y: 45, width: 60, height: 16 },
        text: 'BACK',
      },
      {
        source: 'a',
        target: 'b',
        points: [
          { x: 100, y: 10 },
          { x: 200, y: 10 },
        ],
        label: { x: 190, y: 10, width: 40, height: 16 },
        text: 'ON',
      },
    ];
    expect(readabilityProblems(states, edges)).toEqual([
      'labels "GO" and "BACK" overlap',
      'label "ON" covers b',
      'edge a → c ("GO") passes through b',
      'edge c → a ("BACK") passes through b',
    ]);
  });
});
