import { useSyncExternalStore } from 'react';

const REDUCE_MOTION = '(prefers-reduced-motion: reduce)';

/**
 * Whether the person asked their system for less motion (WCAG 2.3.3): App.tsx then switches the
 * UI's animations off (dialogs, drawers, dropdowns, messages, the click wave), and follows the
 * setting when it changes, without a reload.
 */
export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, prefersReducedMotion, () => false);
}

function prefersReducedMotion(): boolean {
  return window.matchMedia(REDUCE_MOTION).matches;
}

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(REDUCE_MOTION);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
