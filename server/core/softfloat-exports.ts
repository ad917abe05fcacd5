// Test entry: exports the soft-float library on its own so test/unit/softfloat.test.ts can
// compile and drive it without the rest of the core.
export * from './softfloat';
