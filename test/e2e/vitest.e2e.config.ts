// Vitest setup for `npm run test:e2e`: the extension in a real VS Code (code-server) driven
// through Debian's Chromium. Apart from `npm test`: it needs test/e2e/setup.sh's tools and
// takes a minute or two. One file, one browser, nothing in parallel.
import path = require('node:path');
import vitest = require('vitest/config');

export = vitest.defineConfig({
  test: {
    root: path.resolve(__dirname, '..', '..'),
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
