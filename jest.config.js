// ESM + ts-jest: tests import workspace packages from their sources, so `npm test` never
// depends on a stale dist/. Type checking is done once by `tsc` (npm run typecheck), so
// ts-jest only transpiles (isolatedModules in tsconfig.base.json).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    '^@agentkit/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@agentkit/core/version$': '<rootDir>/packages/core/src/version.ts',
    // A package's keys alone, for what must not load the rest of it (`@agentkit/logs/config-keys`).
    '^@agentkit/([a-z-]+)/config-keys$': '<rootDir>/packages/$1/src/config-keys.ts',
    // The light entries `agentkit exec` loads before its program starts (`@agentkit/serverless/setup`, …/prebound).
    '^@agentkit/([a-z-]+)/(setup|prebound|tokens)$': '<rootDir>/packages/$1/src/$2.ts',
    '^@agentkit/([a-z-]+)/testing$': '<rootDir>/packages/$1/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.check.json' }],
  },
  testTimeout: 20000,
};
