import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A library loaded the first time it is used, not when Quire starts: a build
 * of plain-text stories never pays for the Markdown, HTML or YAML parsers.
 */
export function lazy<T>(name: string): () => T {
  let mod: T | undefined;
  return () => {
    if (mod === undefined) {
      const m = require(name) as T & { default?: T };
      mod = (m && typeof m === 'object' && 'default' in m && m.default ? m.default : m) as T;
    }
    return mod;
  };
}
