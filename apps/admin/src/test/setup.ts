import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom lacks the layout APIs antd's responsive and overflow helpers call; stubs keep it rendering.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (!('ResizeObserver' in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// This file runs before every test file, and the files of a Vitest worker share one window
// (vite.config.mts: isolate: false): what it adds to the window, it adds once.
const patched = window as unknown as { adminTestSetupDone?: boolean };
if (!patched.adminTestSetupDone) {
  patched.adminTestSetupDone = true;
  // jsdom implements getComputedStyle without pseudo-elements; antd's Table asks for ::-webkit-scrollbar.
  const computedStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = (element: Element) => computedStyle(element);
  // jsdom lays nothing out, so it has no scrollIntoView; the queue keeps the keyboard cursor's row in view with it.
  Element.prototype.scrollIntoView = () => undefined;
}

// CI machines are shared and slow at times: wait longer for antd's async rendering than the 1 s default.
configure({ asyncUtilTimeout: 5000 });

afterEach(async () => {
  cleanup();
  // An update that arrived outside act (a query answered after the test's last wait) runs on React's
  // scheduler, a macrotask; on a busy machine the last one could run after the file's DOM was torn
  // down ("window is not defined"). Let it run while the DOM is still there.
  await new Promise((resolve) => setTimeout(resolve, 20));
});
