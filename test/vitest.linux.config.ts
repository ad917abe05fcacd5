// Vitest setup for `npm run test:linux` (after samples/linux/build.sh): the Linux boots of
// test/linux/, one at a time — each keeps a core busy for tens of seconds.
import path = require('node:path');
import vitest = require('vitest/config');

export = vitest.defineConfig({
  test: {
    root: path.resolve(__dirname, '..'),
    include: ['test/linux/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
