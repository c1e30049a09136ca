import { Alert, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { Deadline, MachineDescription } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { layoutStatechartElk, type ElkLaidOutEdge, type ElkStatechartLayout } from './statechart-elk';

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

const FRAME_TITLE_H = 24;

/**
 * The case's statechart as an own SVG, laid out by ELK (loaded on first use): compound states as
 * frames, leaf states as boxes, transitions as orthogonal arrows labelled with their events in
 * boxes of their own; deadline transitions dashed with the deadline's name and, when it is
 * running, the time left.
 */
export function Statechart({ machine, current, deadlines = [], allowedEvents = [], now }: StatechartProps) {
  const i18n = useI18n();
  // Keyed by what it was laid out for, so a new machine or language shows the spinner, not a stale drawing.
  const [result, setResult] = useState<{ key: string; layout: ElkStatechartLayout | null } | null>(null);
  const key = `${machine.kind}:${machine.version}:${i18n.locale}`;
  const edgeText = (labels: ElkLaidOutEdge['labels']) => labels.map((l) => (l.deadline ? i18n.deadline(l.deadline) : i18n.event(l.event))).join(' / ');
  useEffect(() => {
    let cancelled = false;
    layoutStatechartElk(machine, { state: (state) => i18n.state(state.key), edge: edgeText })
      .then((next) => !cancelled && setResult({ key, layout: next }))
      .catch(() => !cancelled && setResult({ key, layout: null }));
    return () => {
      cancelled = true;
    };
    // The layout depends on the machine and the words in the boxes (the language), not on the clock.
  }, [machine, key]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!result || result.key !== key) return <Spin />;
  const { layout } = result;
  if (!layout) return <Alert type="error" showIcon title={i18n.t('error.unknown', { code: 'LAYOUT' })} />;

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
            <g
              key={node.state.id}
              data-state={node.state.path}
              data-state-id={node.state.id}
              data-parent={node.state.parent ?? ''}
              data-frame="true"
              data-current={active ? 'true' : 'false'}
            >
              <rect
                x={node.x}
                y={node.y}
                width={node.width}
                height={node.height}
                rx={10}
                fill={active ? '#f0f7ff' : '#fafafa'}
                stroke={active ? '#1677ff' : '#d9d9d9'}
                strokeDasharray="4 3"
                data-title-height={FRAME_TITLE_H}
              />
              <text x={node.x + 10} y={node.y + 17} fontWeight={600} fill={active ? '#1677ff' : '#595959'}>
                {i18n.state(node.state.key)}
              </text>
              {node.state.description && <title>{node.state.description}</title>}
            </g>
          );
        })}

        {layout.edges.map((edge, index) => {
          if (edge.points.length < 2) return null;
          const live = activeIds.has(edge.source) && edge.labels.some((l) => (l.deadline ? running.has(l.deadline) : allowed.has(l.event)));
          const text = edge.labels
            .map((l) => {
              if (!l.deadline) return i18n.event(l.event);
              const deadline = running.get(l.deadline);
              const name = i18n.deadline(l.deadline);
              return deadline && live ? `${name} (${i18n.duration(Date.parse(deadline.dueAt) - now)})` : name;
            })
            .join(' / ');
          const d = edge.points.map((point, i) => `${i === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
          return (
            <g
              key={`${edge.source}-${edge.target}-${index}`}
              data-edge={`${edge.source}->${edge.target}`}
              data-source={edge.source}
              data-target={edge.target}
              data-live={live ? 'true' : 'false'}
            >
              <path
                d={d}
                fill="none"
                stroke={live ? '#1677ff' : '#bfbfbf'}
                strokeWidth={live ? 2 : 1.2}
                strokeDasharray={edge.deadline ? '5 4' : undefined}
                markerEnd={live ? 'url(#arrow-live)' : 'url(#arrow)'}
                data-points={JSON.stringify(edge.points)}
              />
              <text
                x={edge.label.x + 4}
                y={edge.label.y + edge.label.height - 4}
                fontSize={10.5}
                fontStyle={edge.deadline ? 'italic' : undefined}
                fill={live ? '#0958d9' : edge.deadline ? '#ad6800' : '#595959'}
                stroke="#fff"
                strokeWidth={3}
                paintOrder="stroke"
                data-edge-label="true"
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
            <g
              key={node.state.id}
              data-state={node.state.path}
              data-state-id={node.state.id}
              data-parent={node.state.parent ?? ''}
              data-frame="false"
              data-current={active ? 'true' : 'false'}
            >
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
