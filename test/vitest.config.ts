// Vitest setup for `npm test`: fast suites run in parallel first, then the guest-heavy
// suites (ISA programs, fuzzing, boots) one file at a time, since each keeps a core busy.
// test/linux/ is apart: `npm run test:linux` (vitest.linux.config.ts) after building its guest.
// CommonJS form (the package is CommonJS): Vite loads the file without ESM warnings.
import path = require('node:path');
import vitest = require('vitest/config');

const root = path.resolve(__dirname, '..');
const guestSuites = ['test/isa/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/boot/**/*.test.ts', 'test/gdb/**/*.test.ts', 'test/dap/**/*.test.ts', 'test/batch/batch.test.ts', 'test/vmm/**/*.test.ts'];

export = vitest.defineConfig({
  test: {
    root,
    // Guests run real code (and QEMU as the reference): allow them time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...guestSuites, 'test/linux/**', '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'guest',
          include: guestSuites,
          // One guest-heavy file at a time, after the unit group: two cores are not enough
          // for several guests plus their QEMU references without timeouts.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
