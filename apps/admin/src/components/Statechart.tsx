import { useMemo } from 'react';
import type { Deadline, MachineDescription } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { layoutStatechart, type LaidOutNode } from './statechart-layout';

export interface StatechartProps {
  machine: MachineDescription;
  /** The case's dotted state path, e.g. `investigation.reviewing`. */
  current: string;
  /** Live deadlines of the case, shown with time left on their transitions. */
  deadlines?: Deadline[];
  allowedEvents?: string[];
  /** The clock the time left is counted from (the page's ticking useNow), so rendering stays pure. */
  now: number;
}

type Point = { x: number; y: number };

/** Where the segment from a box's centre towards `toward` leaves the box. */
function exitPoint(box: LaidOutNode, toward: Point): Point {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const scale = Math.min(Math.abs(box.width / 2 / (dx || 1e-9)), Math.abs(box.height / 2 / (dy || 1e-9)));
  return { x: cx + dx * scale, y: cy + dy * scale };
}

const centre = (box: LaidOutNode): Point => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/**
 * The case's statechart as an own SVG (no network, no diagram library): compound states as
 * frames, leaf states as boxes, transitions as arrows labelled with their events; deadline
 * transitions dashed with the deadline's name and, when it is running, the time left.
 */
export function Statechart({ machine, current, deadlines = [], allowedEvents = [], now }: StatechartProps) {
  const i18n = useI18n();
  const layout = useMemo(() => layoutStatechart(machine), [machine]);
  const currentId = `${machine.id}.${current}`;
  const activeIds = new Set<string>();
  for (let id = currentId; id.includes('.'); id = id.slice(0, id.lastIndexOf('.'))) activeIds.add(id);
  const running = new Map(deadlines.map((deadline) => [deadline.name, deadline]));
  const allowed = new Set(allowedEvents);

  const frames = [...layout.nodes.values()].filter((node) => node.state.type === 'compound' || node.state.type === 'parallel');
  const leaves = [...layout.nodes.values()].filter((node) => node.state.type !== 'compound' && node.state.type !== 'parallel');

  return (
    <div style={{ overflowX: 'auto' }}>
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={i18n.t('case.statechart')}
        data-testid="statechart"
        style={{ fontFamily: 'inherit', fontSize: 12 }}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#8c8c8c" />
          </marker>
          <marker id="arrow-live" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#1677ff" />
          </marker>
        </defs>

        {frames.map((node) => {
          const active = activeIds.has(node.state.id);
          return (
            <g key={node.state.id} data-state={node.state.path} data-current={active ? 'true' : 'false'}>
              <rect
                x={node.x}
                y={node.y}
                width={node.width}
                height={node.height}
                rx={10}
                fill={active ? '#f0f7ff' : '#fafafa'}
                stroke={active ? '#1677ff' : '#d9d9d9'}
                strokeDasharray="4 3"
              />
              <text x={node.x + 10} y={node.y + 16} fontWeight={600} fill={active ? '#1677ff' : '#595959'}>
                {i18n.state(node.state.key)}
              </text>
              {node.state.description && <title>{node.state.description}</title>}
            </g>
          );
        })}

        {layout.edges.map((edge, index) => {
          const from = layout.nodes.get(edge.source);
          const to = layout.nodes.get(edge.target);
          if (!from || !to) return null;
          const a = exitPoint(from, centre(to));
          const b = exitPoint(to, centre(from));
          // Bend every edge a little to its left, so A→B and B→A do not sit on top of each other.
          const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
          const bend = 18;
          const control = { x: (a.x + b.x) / 2 - ((b.y - a.y) / length) * bend, y: (a.y + b.y) / 2 + ((b.x - a.x) / length) * bend };
          const label = { x: (a.x + 2 * control.x + b.x) / 4, y: (a.y + 2 * control.y + b.y) / 4 };
          const live = activeIds.has(edge.source) && edge.labels.some((l) => (l.deadline ? running.has(l.deadline) : allowed.has(l.event)));
          const text = edge.labels
            .map((l) => {
              if (!l.deadline) return i18n.event(l.event);
              const deadline = running.get(l.deadline);
              const name = i18n.deadline(l.deadline);
              return deadline && live ? `${name} (${i18n.duration(Date.parse(deadline.dueAt) - now)})` : name;
            })
            .join(' / ');
          return (
            <g key={`${edge.source}-${edge.target}-${index}`} data-edge={`${edge.source}->${edge.target}`} data-live={live ? 'true' : 'false'}>
              <path
                d={`M${a.x},${a.y} Q${control.x},${control.y} ${b.x},${b.y}`}
                fill="none"
                stroke={live ? '#1677ff' : '#bfbfbf'}
                strokeWidth={live ? 2 : 1.2}
                strokeDasharray={edge.deadline ? '5 4' : undefined}
                markerEnd={live ? 'url(#arrow-live)' : 'url(#arrow)'}
              />
              <text
                x={label.x}
                y={label.y}
                textAnchor="middle"
                fontSize={10.5}
                fontStyle={edge.deadline ? 'italic' : undefined}
                fill={live ? '#0958d9' : edge.deadline ? '#ad6800' : '#595959'}
                stroke="#fff"
                strokeWidth={3}
                paintOrder="stroke"
              >
                {text}
              </text>
              <title>{edge.labels.map((l) => `${l.event}${l.guard ? ` [${l.guard}]` : ''}`).join('\n')}</title>
            </g>
          );
        })}

        {leaves.map((node) => {
          const active = node.state.id === currentId;
          const final = node.state.type === 'final';
          return (
            <g key={node.state.id} data-state={node.state.path} data-current={active ? 'true' : 'false'}>
              <rect
                x={node.x}
                y={node.y}
                width={node.width}
                height={node.height}
                rx={8}
                fill={active ? '#1677ff' : '#fff'}
                stroke={active ? '#0958d9' : '#8c8c8c'}
                strokeWidth={active ? 2.5 : final ? 3 : 1}
              />
              {final && !active && <rect x={node.x + 3} y={node.y + 3} width={node.width - 6} height={node.height - 6} rx={6} fill="none" stroke="#8c8c8c" />}
              <text x={node.x + node.width / 2} y={node.y + node.height / 2 + 4} textAnchor="middle" fontWeight={active ? 700 : 500} fill={active ? '#fff' : '#262626'}>
                {i18n.state(node.state.key)}
              </text>
              {node.state.description && <title>{node.state.description}</title>}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
