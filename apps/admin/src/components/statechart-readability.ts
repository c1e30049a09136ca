/**
 * Objective checks that a drawn statechart is readable, on plain geometry (so the same checks run
 * on a computed layout and on boxes measured in a browser): no two edge labels overlap, no label
 * sits on a state box or a frame's title, no two sibling states overlap, and no edge passes through
 * a state box other than its own ends.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawnState extends Rect {
  id: string;
  parent: string | null;
  /** A compound state's frame (its title band is its top `titleHeight` pixels). */
  frame: boolean;
  titleHeight?: number;
}

export interface DrawnEdge {
  source: string;
  target: string;
  points: Array<{ x: number; y: number }>;
  label: Rect | null;
  text: string;
}

const overlaps = (a: Rect, b: Rect, tolerance = 0.5) =>
  a.x + tolerance < b.x + b.width && b.x + tolerance < a.x + a.width && a.y + tolerance < b.y + b.height && b.y + tolerance < a.y + a.height;

/** Whether the segment p→q passes through the inside of the box (touching its border does not count). */
function segmentCrosses(p: { x: number; y: number }, q: { x: number; y: number }, box: Rect, inset = 1): boolean {
  const left = box.x + inset;
  const right = box.x + box.width - inset;
  const top = box.y + inset;
  const bottom = box.y + box.height - inset;
  if (right <= left || bottom <= top) return false;
  // Liang–Barsky clipping: does any part of the segment lie strictly inside?
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  for (const [pk, qk] of [
    [-dx, p.x - left],
    [dx, right - p.x],
    [-dy, p.y - top],
    [dy, bottom - p.y],
  ] as const) {
    if (pk === 0) {
      if (qk <= 0) return false;
    } else {
      const t = qk / pk;
      if (pk < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
  }
  return true;
}

export function readabilityProblems(states: DrawnState[], edges: DrawnEdge[]): string[] {
  const problems: string[] = [];
  const leaves = states.filter((state) => !state.frame);
  const titles = states.filter((state) => state.frame).map((frame) => ({ id: frame.id, x: frame.x, y: frame.y, width: frame.width, height: frame.titleHeight ?? 24 }));
  const labelled = edges.filter((edge): edge is DrawnEdge & { label: Rect } => edge.label !== null);

  for (let i = 0; i < labelled.length; i += 1) {
    for (let j = i + 1; j < labelled.length; j += 1) {
      if (overlaps(labelled[i]!.label, labelled[j]!.label)) problems.push(`labels "${labelled[i]!.text}" and "${labelled[j]!.text}" overlap`);
    }
    for (const box of [...leaves, ...titles]) {
      if (overlaps(labelled[i]!.label, box)) problems.push(`label "${labelled[i]!.text}" covers ${box.id}`);
    }
  }
  for (let i = 0; i < states.length; i += 1) {
    for (let j = i + 1; j < states.length; j += 1) {
      const [a, b] = [states[i]!, states[j]!];
      if (a.parent === b.parent && overlaps(a, b)) problems.push(`states ${a.id} and ${b.id} overlap`);
    }
  }
  for (const edge of edges) {
    for (const leaf of leaves) {
      if (leaf.id === edge.source || leaf.id === edge.target) continue;
      for (let k = 1; k < edge.points.length; k += 1) {
        if (segmentCrosses(edge.points[k - 1]!, edge.points[k]!, leaf)) {
          problems.push(`edge ${edge.source} → ${edge.target} ("${edge.text}") passes through ${leaf.id}`);
          break;
        }
      }
    }
  }
  return problems;
}
