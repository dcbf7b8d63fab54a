// Test helper: the emulator's query engine, except that a statement containing /*hold*/ runs until it is
// cancelled or times out, so tests can see QUEUED/RUNNING queries, the concurrency limit and CancelQuery
// without racing a real query's speed.
import {
  createLakeQueryEngine,
  type LakeQueryEngine,
} from '../../../src/emulator/lake-sql/index.js';

export const HOLD = '/*hold*/';

export function holdingQueryEngine(): LakeQueryEngine {
  const real = createLakeQueryEngine();
  return {
    run(sql, options) {
      if (!sql.includes(HOLD)) return real.run(sql, options);
      return new Promise((_, reject) =>
        options.signal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('held query stopped'), { code: 'Aborted' })),
        ),
      );
    },
    close: () => real.close(),
  };
}
