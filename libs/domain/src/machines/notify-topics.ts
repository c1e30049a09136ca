import type { AnyStateNode } from 'xstate';
import type { CaseMachineDefinition } from './definition';
import type { NotifyEffect } from './effects';

interface ActionLike {
  type?: string;
  params?: unknown;
}

function notifiesIn(actions: unknown): NotifyEffect['params'][] {
  return ((actions ?? []) as ActionLike[])
    .filter((action) => action?.type === 'notify' && action.params && typeof action.params === 'object')
    .map((action) => action.params as NotifyEffect['params']);
}

function walk(node: AnyStateNode, found: NotifyEffect['params'][]): void {
  found.push(...notifiesIn(node.entry), ...notifiesIn(node.exit));
  for (const list of (node.transitions as Map<string, Array<{ actions: unknown }>>).values()) {
    for (const transition of list) found.push(...notifiesIn(transition.actions));
  }
  for (const transition of (node.always ?? []) as Array<{ actions: unknown }>) found.push(...notifiesIn(transition.actions));
  for (const child of Object.values(node.states)) walk(child, found);
}

/**
 * Every `notify` a machine version can ask for, with its audience, read from the machine itself
 * so that the notification catalogue can be checked against it at boot (a topic addressed to the
 * customer with no template must stop the process, not be discovered when a customer waits).
 */
export function notifyTopicsOf(definition: CaseMachineDefinition): NotifyEffect['params'][] {
  const found: NotifyEffect['params'][] = [];
  walk(definition.machine.root, found);
  const seen = new Set<string>();
  return found.filter((params) => {
    const key = `${params.topic}|${params.audience.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
