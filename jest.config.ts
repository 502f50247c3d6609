import type { Config } from 'jest';

// Tests run TypeScript through SWC (transpile only; `npm run typecheck` does the type checking),
// which keeps a full run fast on a 2-core machine.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Long polls, heartbeats and reconnects take real seconds against the embedded bus.
  testTimeout: 30_000,
  setupFilesAfterEnv: ['<rootDir>/spec/helpers/setup.ts'],
  // Tests share a 2-core machine with the servers they start.
  maxWorkers: 2,
};

export default config;
