import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { MachineDescription, StateDescription } from '../api/types';

/**
 * The statechart's layout, computed by ELK's layered algorithm (the library is loaded on demand,
 * so the queue's first load does not pay for it): compound states are frames around their
 * children, transitions are routed orthogonally around the boxes, and each edge's label gets a
 * box of its own that ELK keeps clear of nodes and other labels.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ElkLaidOutNode extends Box {
  state: StateDescription;
}

export interface ElkLaidOutEdge {
  source: string;
  target: string;
  /** Events or deadlines on this edge, merged when several lead the same way. */
  labels: Array<{ event: string; deadline: string | null; guard: string | null }>;
  deadline: boolean;
  /** The routed line, start to end, bends in between. */
  points: Point[];
  /** Where the edge's text goes (room for the live time left included on deadline edges). */
  label: Box;
}

export interface ElkStatechartLayout {
  width: number;
  height: number;
  nodes: Map<string, ElkLaidOutNode>;
  edges: ElkLaidOutEdge[];
}

export interface LabelTexts {
  state(state: StateDescription): string;
  edge(labels: ElkLaidOutEdge['labels']): string;
}

export const LEAF_H = 36;
export const LABEL_H = 16;
const FRAME_TITLE = 26;
/** Room for " (3 d 4 h)" after a deadline's name, so a running clock never grows out of its box. */
const LIVE_RESERVE = 64;

/** A conservative text width (wider than rendered): CJK glyphs are about square, Latin ones narrower. */
export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? fontSize * 1.05 : fontSize * 0.62;
  return Math.ceil(width);
}

type Elk = { layout(graph: ElkNode): Promise<ElkNode> };
let elk: Promise<Elk> | undefined;
/**
 * In the browser ELK runs in a worker (a script of this bundle, which the CSP's worker-src 'self'
 * allows), so laying out a large machine never blocks the page; where there are no workers (the
 * component tests' jsdom) it runs in-process.
 */
function loadElk(): Promise<Elk> {
  elk ??=
    typeof Worker === 'undefined'
      ? import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK() as unknown as Elk)
      : Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(
          ([{ default: ELK }, { default: workerUrl }]) => new ELK({ workerUrl }) as unknown as Elk,
        );
  return elk;
}

export async function layoutStatechartElk(machine: MachineDescription, texts: LabelTexts): Promise<ElkStatechartLayout> {
  const children = new Map<string | null, StateDescription[]>();
  for (const state of machine.states) children.set(state.parent, [...(children.get(state.parent) ?? []), state]);
  const known = new Set(machine.states.map((state) => state.id));

  const toNode = (state: StateDescription): ElkNode => {
    const inner = children.get(state.id);
    if (!inner) {
      return { id: state.id, width: Math.max(110, textWidth(texts.state(state), 12) + 28), height: LEAF_H };
    }
    return {
      id: state.id,
      layoutOptions: { 'elk.padding': `[top=${FRAME_TITLE + 10},left=16,bottom=16,right=16]`, 'elk.nodeSize.constraints': 'MINIMUM_SIZE' },
      // The frame's title must fit across the top.
      width: textWidth(texts.state(state), 12) + 40,
      height: FRAME_TITLE + 20,
      children: inner.map(toNode),
    };
  };

  // One edge per source, target and kind, its events joined; self-loops and the root's own
  // transitions (which any state may take, e.g. a merge) are not arrows between boxes.
  const merged = new Map<string, Omit<ElkLaidOutEdge, 'points' | 'label'>>();
  for (const transition of machine.transitions) {
    if (!transition.target || transition.target === transition.source || !known.has(transition.source) || !known.has(transition.target)) continue;
    const key = `${transition.source}->${transition.target}:${transition.kind === 'deadline' ? 'd' : 'e'}`;
    const edge = merged.get(key) ?? { source: transition.source, target: transition.target, labels: [], deadline: transition.kind === 'deadline' };
    edge.labels.push({ event: transition.event, deadline: transition.deadline, guard: transition.guard });
    merged.set(key, edge);
  }
  const edgeList = [...merged.values()];
  const elkEdges: ElkExtendedEdge[] = edgeList.map((edge, index) => ({
    id: `e${index}`,
    sources: [edge.source],
    targets: [edge.target],
    labels: [{ id: `l${index}`, text: texts.edge(edge.labels), width: textWidth(texts.edge(edge.labels), 10.5) + 8 + (edge.deadline ? LIVE_RESERVE : 0), height: LABEL_H }],
  }));

  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.spacing.edgeNodeBetweenLayers': '18',
      'elk.spacing.nodeNode': '36',
      'elk.spacing.edgeNode': '18',
      'elk.spacing.edgeEdge': '12',
      'elk.spacing.edgeLabel': '4',
      'elk.spacing.labelLabel': '6',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
      // Every coordinate relative to the whole drawing, so nothing needs re-basing per frame.
      'elk.json.edgeCoords': 'ROOT',
      'elk.json.shapeCoords': 'ROOT',
    },
    children: (children.get(null) ?? []).map(toNode),
    edges: elkEdges,
  };
  const laidOut = await (await loadElk()).layout(graph);

  const byId = new Map(machine.states.map((state) => [state.id, state]));
  const nodes = new Map<string, ElkLaidOutNode>();
  const collect = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      nodes.set(child.id, { state: byId.get(child.id)!, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      collect(child);
    }
  };
  collect(laidOut);
  const routed = new Map<string, ElkExtendedEdge>();
  const collectEdges = (node: ElkNode) => {
    for (const edge of node.edges ?? []) routed.set(edge.id, edge);
    for (const child of node.children ?? []) collectEdges(child);
  };
  collectEdges(laidOut);
  const edges = edgeList.map((edge, index): ElkLaidOutEdge => {
    const routedEdge = routed.get(`e${index}`);
    const section = routedEdge?.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const label = routedEdge?.labels?.[0];
    return { ...edge, points, label: { x: label?.x ?? 0, y: label?.y ?? 0, width: label?.width ?? 0, height: label?.height ?? LABEL_H } };
  });
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, nodes, edges };
}
