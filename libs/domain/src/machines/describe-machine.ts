import type { AnyStateNode } from 'xstate';
import { z } from 'zod';
import type { ActorKind, AgentRole, CaseKind } from '../cases/case-kind';
import { DomainError, DomainErrorCode } from '../errors';
import type { CaseMachineDefinition } from './definition';
import { allDefinitions } from './registry';

/**
 * A plain-JSON description of one machine version: its state tree, every transition (deadlines
 * included) and its event catalogue with payload fields. The admin UI draws the statechart and
 * builds each action's form from it, so the machine stays the only spec: a new state, event or
 * payload field shows up in the UI without a second copy of the lifecycle in the frontend.
 */
export interface MachineDescription {
  kind: CaseKind;
  version: number;
  /** The root state's id, e.g. `dispute`. */
  id: string;
  /** Id of the root's initial state. */
  initial: string | null;
  /** Every state below the root, depth first in declaration order (parents before children). */
  states: StateDescription[];
  transitions: TransitionDescription[];
  events: EventDescription[];
  deadlines: Array<{ name: string; label: string }>;
}

export interface StateDescription {
  /** XState's node id, e.g. `dispute.investigation.reviewing`. */
  id: string;
  /** Dotted path as stored on a case, e.g. `investigation.reviewing`. */
  path: string;
  key: string;
  /** Id of the parent state; null for top-level states. */
  parent: string | null;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** Id of the initial child of a compound state. */
  initial: string | null;
  description: string | null;
  depth: number;
}

export interface TransitionDescription {
  /** Id of the state that declares the transition. */
  source: string;
  /** The event type; `after:<deadline>` for a deadline and `always` for an eventless transition. */
  event: string;
  kind: 'event' | 'deadline' | 'always';
  /** Id of the target state; null for a targetless (self, actions only) transition. */
  target: string | null;
  /** The delay's name (a key of the definition's `deadlines`) for an `after` transition. */
  deadline: string | null;
  guard: string | null;
}

export interface PayloadFieldDescription {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'string[]' | 'unknown';
  required: boolean;
  /** Options of an enum field. */
  options?: string[];
  /** Lower and upper bounds: string length, number value, array length. */
  min?: number;
  max?: number;
  /** The value must be greater than zero (zod `positive()`). */
  positive?: boolean;
  /** Integer minor units of the case's currency (fields named `…Minor`): show a money input. */
  money?: boolean;
  /** The value from the catalogue's first example, when it has one. */
  example?: unknown;
}

export interface EventDescription {
  type: string;
  description: string;
  sentBy: readonly ActorKind[];
  minimumRole: AgentRole | null;
  fields: PayloadFieldDescription[];
  examples: readonly unknown[];
}

/** Describes a machine definition as plain JSON. Pure: reads the definition, changes nothing. */
export function describeMachine(definition: CaseMachineDefinition): MachineDescription {
  const root = definition.machine.root as AnyStateNode;
  const states: StateDescription[] = [];
  const transitions: TransitionDescription[] = [];

  const visit = (node: AnyStateNode, depth: number) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      states.push({
        id: child.id,
        path: child.path.join('.'),
        key: child.key,
        parent: node === root ? null : node.id,
        type: child.type,
        initial: initialOf(child),
        description: child.description ?? null,
        depth,
      });
      transitions.push(...transitionsOf(child));
      visit(child, depth + 1);
    }
  };
  transitions.push(...transitionsOf(root));
  visit(root, 0);

  return {
    kind: definition.kind,
    version: definition.version,
    id: root.id,
    initial: initialOf(root),
    states,
    transitions,
    events: Object.entries(definition.events).map(([type, spec]) => ({
      type,
      description: spec.description,
      sentBy: spec.sentBy,
      minimumRole: spec.minimumRole ?? null,
      fields: describePayload(spec.payload, spec.examples[0]),
      examples: spec.examples,
    })),
    deadlines: Object.entries(definition.deadlines).map(([name, { label }]) => ({ name, label })),
  };
}

const described = new Map<string, MachineDescription>();

/**
 * The description of a registered machine version, for the HTTP API. Unlike definitionFor (whose
 * miss is an internal error, since a stored case names its version), an unknown kind or version
 * here is the caller's mistake: NOT_FOUND (404).
 */
export function describeMachineVersion(kind: string, version: number): MachineDescription {
  const key = `${kind}@${version}`;
  const cached = described.get(key);
  if (cached) return cached;
  const definition = allDefinitions().find((candidate) => candidate.kind === kind && candidate.version === version);
  if (!definition) {
    throw new DomainError(DomainErrorCode.NotFound, `There is no ${kind} machine version ${version}.`, { kind, version });
  }
  // Definitions never change at run time, so neither does their description.
  const description = describeMachine(definition);
  described.set(key, description);
  return description;
}

/** The newest version of a kind (what new cases start on); NOT_FOUND for an unknown kind. */
export function describeCurrentMachine(kind: string): MachineDescription {
  const versions = allDefinitions()
    .filter((candidate) => candidate.kind === kind)
    .map((candidate) => candidate.version);
  if (versions.length === 0) throw new DomainError(DomainErrorCode.NotFound, `There is no ${kind} machine.`, { kind });
  return describeMachineVersion(kind, Math.max(...versions));
}

function initialOf(node: AnyStateNode): string | null {
  if (node.type !== 'compound') return null;
  const target = node.initial?.target?.[0] as AnyStateNode | undefined;
  return target?.id ?? null;
}

function guardName(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  // XState's not/and/or are functions named after themselves that keep the guards they combine.
  const combined = (guard as { guards?: unknown }).guards;
  if (typeof guard === 'function' && Array.isArray(combined)) return `${guard.name}(${combined.map((inner) => guardName(inner) ?? 'inline').join(', ')})`;
  if (typeof guard === 'function') return guard.name || 'inline';
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') return (guard as { type: string }).type;
  return 'inline';
}

interface TransitionLike {
  target?: ReadonlyArray<AnyStateNode>;
  guard?: unknown;
  eventType: string;
  delay?: string | number;
}

function transitionsOf(node: AnyStateNode): TransitionDescription[] {
  const result: TransitionDescription[] = [];
  const delayed = new Map<string, string | number>();
  for (const after of node.after as unknown as TransitionLike[]) {
    if (after.delay !== undefined) delayed.set(after.eventType, after.delay);
  }
  for (const [eventType, list] of node.transitions as Map<string, TransitionLike[]>) {
    const delay = delayed.get(eventType);
    for (const transition of list) {
      const deadline = delay === undefined ? null : String(delay);
      const targets = transition.target?.length ? transition.target : [undefined];
      for (const target of targets) {
        result.push({
          source: node.id,
          event: deadline === null ? eventType : `after:${deadline}`,
          kind: deadline === null ? 'event' : 'deadline',
          target: target?.id ?? null,
          deadline,
          guard: guardName(transition.guard),
        });
      }
    }
  }
  for (const transition of (node.always ?? []) as unknown as TransitionLike[]) {
    const targets = transition.target?.length ? transition.target : [undefined];
    for (const target of targets) {
      result.push({ source: node.id, event: 'always', kind: 'always', target: target?.id ?? null, deadline: null, guard: guardName(transition.guard) });
    }
  }
  return result;
}

/** The fields of an event payload (a zod object), read from the schema's own definition. */
export function describePayload(schema: z.ZodTypeAny, example?: unknown): PayloadFieldDescription[] {
  const object = unwrap(schema).schema;
  if (!(object instanceof z.ZodObject)) return [];
  const shape = object.shape as Record<string, z.ZodTypeAny>;
  const sample = example && typeof example === 'object' ? (example as Record<string, unknown>) : {};
  return Object.entries(shape).map(([name, field]) => {
    const { schema: inner, optional } = unwrap(field);
    const description: PayloadFieldDescription = { name, required: !optional, ...describeField(inner) };
    if (description.type === 'integer' && /Minor$/.test(name)) description.money = true;
    if (name in sample) description.example = sample[name];
    return description;
  });
}

function unwrap(schema: z.ZodTypeAny): { schema: z.ZodTypeAny; optional: boolean } {
  let current = schema;
  let optional = false;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      optional = true;
      current = (current as z.ZodOptional<z.ZodTypeAny> | z.ZodNullable<z.ZodTypeAny>).unwrap();
    } else if (current instanceof z.ZodDefault) {
      optional = true;
      current = (current as z.ZodDefault<z.ZodTypeAny>).removeDefault();
    } else if (current instanceof z.ZodEffects) {
      current = (current as z.ZodEffects<z.ZodTypeAny>).innerType();
    } else {
      return { schema: current, optional };
    }
  }
}

type FieldShape = Omit<PayloadFieldDescription, 'name' | 'required'>;

function describeField(schema: z.ZodTypeAny): FieldShape {
  if (schema instanceof z.ZodString) {
    return { type: 'string', ...bounds(schema._def.checks, 'min', 'max') };
  }
  if (schema instanceof z.ZodNumber) {
    const checks = schema._def.checks;
    const integer = checks.some((check) => check.kind === 'int');
    const shape: FieldShape = { type: integer ? 'integer' : 'number' };
    for (const check of checks) {
      if (check.kind === 'min') {
        if (check.value === 0 && !check.inclusive) shape.positive = true;
        else shape.min = check.value;
      }
      if (check.kind === 'max') shape.max = check.value;
    }
    return shape;
  }
  if (schema instanceof z.ZodBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodEnum) return { type: 'enum', options: [...(schema.options as string[])] };
  if (schema instanceof z.ZodNativeEnum) {
    return { type: 'enum', options: Object.values(schema.enum as Record<string, string>).filter((v) => typeof v === 'string') };
  }
  if (schema instanceof z.ZodArray && unwrap((schema as z.ZodArray<z.ZodTypeAny>).element).schema instanceof z.ZodString) {
    const shape: FieldShape = { type: 'string[]' };
    if (schema._def.minLength) shape.min = schema._def.minLength.value;
    if (schema._def.maxLength) shape.max = schema._def.maxLength.value;
    return shape;
  }
  return { type: 'unknown' };
}

function bounds(checks: ReadonlyArray<{ kind: string; value?: unknown }>, minKind: string, maxKind: string): Pick<FieldShape, 'min' | 'max'> {
  const result: Pick<FieldShape, 'min' | 'max'> = {};
  for (const check of checks) {
    if (check.kind === minKind && typeof check.value === 'number') result.min = check.value;
    if (check.kind === maxKind && typeof check.value === 'number') result.max = check.value;
  }
  return result;
}
