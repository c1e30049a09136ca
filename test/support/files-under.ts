import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under a folder, relative to it: what a test checks was (not) left on disk. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out;
}
