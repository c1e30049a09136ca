import type { MachineDescription, StateDescription } from '../api/types';

/**
 * A layered layout of a statechart, computed without any library:
 * - the nodes are the leaf states (atomic and final); a compound state is drawn as a frame
 *   around its children;
 * - each leaf gets a column = its shortest distance (in transitions) from the initial state, so
 *   the lifecycle reads left to right;
 * - each top-level state (a single leaf, or a compound with its children) is a block spanning its
 *   children's columns, placed greedily in the highest free rows, so frames never overlap.
 */
export const NODE_W = 160;
export const NODE_H = 40;
export const COL_GAP = 120;
export const ROW_GAP = 58;
export const FRAME_PAD = 14;
export const MARGIN = 24;

export interface LaidOutNode {
  state: StateDescription;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  source: string;
  target: string;
  /** Events or deadlines on this edge, merged when several lead the same way. */
  labels: Array<{ event: string; deadline: string | null; guard: string | null }>;
  deadline: boolean;
}

export interface StatechartLayout {
  width: number;
  height: number;
  nodes: Map<string, LaidOutNode>;
  edges: LaidOutEdge[];
}

export function layoutStatechart(machine: MachineDescription): StatechartLayout {
  const byId = new Map(machine.states.map((state) => [state.id, state]));
  const children = new Map<string, StateDescription[]>();
  for (const state of machine.states) {
    if (state.parent) children.set(state.parent, [...(children.get(state.parent) ?? []), state]);
  }
  const isLeaf = (state: StateDescription) => !children.has(state.id);
  const leavesOf = (id: string): StateDescription[] => {
    const state = byId.get(id);
    if (!state) return [];
    return isLeaf(state) ? [state] : (children.get(id) ?? []).flatMap((child) => leavesOf(child.id));
  };
  /** Where a transition into a state actually lands: descend through initial children. */
  const entryLeaf = (id: string): string => {
    let state = byId.get(id);
    while (state && !isLeaf(state)) state = byId.get(state.initial ?? children.get(state.id)?.[0]?.id ?? '');
    return state?.id ?? id;
  };

  // Columns: breadth-first from the initial leaf over all transitions.
  const column = new Map<string, number>();
  const start = machine.initial ? entryLeaf(machine.initial) : machine.states.find(isLeaf)?.id;
  const outgoing = new Map<string, string[]>();
  for (const transition of machine.transitions) {
    if (!transition.target) continue;
    const sources = transition.source === machine.id ? machine.states.filter(isLeaf) : leavesOf(transition.source);
    for (const source of sources) outgoing.set(source.id, [...(outgoing.get(source.id) ?? []), entryLeaf(transition.target)]);
  }
  if (start) {
    column.set(start, 0);
    const queue = [start];
    while (queue.length) {
      const id = queue.shift()!;
      for (const next of outgoing.get(id) ?? []) {
        if (!column.has(next)) {
          column.set(next, column.get(id)! + 1);
          queue.push(next);
        }
      }
    }
  }
  const deepest = Math.max(0, ...column.values());
  for (const leaf of machine.states.filter(isLeaf)) if (!column.has(leaf.id)) column.set(leaf.id, deepest + 1);
  // Rows: each top-level block takes the first rows free across all of its columns.
  const top = machine.states.filter((state) => state.parent === null);
  const occupied: boolean[][] = [];
  const rowOf = new Map<string, number>();
  const free = (row: number, from: number, to: number) => {
    for (let c = from; c <= to; c += 1) if (occupied[row]?.[c]) return false;
    return true;
  };
  for (const block of top) {
    const leaves = leavesOf(block.id);
    const cols = leaves.map((leaf) => column.get(leaf.id)!);
    const from = Math.min(...cols);
    const to = Math.max(...cols);
    const perColumn = new Map<number, StateDescription[]>();
    for (const leaf of leaves) perColumn.set(column.get(leaf.id)!, [...(perColumn.get(column.get(leaf.id)!) ?? []), leaf]);
    const height = Math.max(...[...perColumn.values()].map((list) => list.length));
    let row = 0;
    while (![...Array(height).keys()].every((offset) => free(row + offset, from, to))) row += 1;
    for (let offset = 0; offset < height; offset += 1) {
      occupied[row + offset] ??= [];
      for (let c = from; c <= to; c += 1) occupied[row + offset]![c] = true;
    }
    for (const [, list] of perColumn) list.forEach((leaf, index) => rowOf.set(leaf.id, row + index));
  }

  const nodes = new Map<string, LaidOutNode>();
  const rowHeight = NODE_H + ROW_GAP;
  const colWidth = NODE_W + COL_GAP;
  for (const leaf of machine.states.filter(isLeaf)) {
    nodes.set(leaf.id, {
      state: leaf,
      x: MARGIN + FRAME_PAD + column.get(leaf.id)! * colWidth,
      y: MARGIN + FRAME_PAD + 18 + rowOf.get(leaf.id)! * rowHeight,
      width: NODE_W,
      height: NODE_H,
    });
  }
  // Frames: the bounding box of their leaves, with room for the title above.
  for (const state of [...machine.states].reverse()) {
    if (isLeaf(state)) continue;
    const inner = leavesOf(state.id).map((leaf) => nodes.get(leaf.id)!);
    const x = Math.min(...inner.map((n) => n.x)) - FRAME_PAD;
    const y = Math.min(...inner.map((n) => n.y)) - FRAME_PAD - 18;
    const right = Math.max(...inner.map((n) => n.x + n.width)) + FRAME_PAD;
    const bottom = Math.max(...inner.map((n) => n.y + n.height)) + FRAME_PAD;
    nodes.set(state.id, { state, x, y, width: right - x, height: bottom - y });
  }

  const edges = new Map<string, LaidOutEdge>();
  for (const transition of machine.transitions) {
    if (!transition.target || transition.target === transition.source) continue;
    const key = `${transition.source}->${transition.target}:${transition.kind === 'deadline' ? 'd' : 'e'}`;
    const edge = edges.get(key) ?? { source: transition.source, target: transition.target, labels: [], deadline: transition.kind === 'deadline' };
    edge.labels.push({ event: transition.event, deadline: transition.deadline, guard: transition.guard });
    edges.set(key, edge);
  }

  const all = [...nodes.values()];
  return {
    width: Math.max(...all.map((n) => n.x + n.width)) + MARGIN,
    height: Math.max(...all.map((n) => n.y + n.height)) + MARGIN,
    nodes,
    edges: [...edges.values()],
  };
}
