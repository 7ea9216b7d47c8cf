import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-*/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration tests start their own emulator; keep file parallelism modest.
    maxWorkers: 2,
    // On Node < 22 the AWS SDK prints eight lines about its 2027 releases in every worker and every CLI a test
    // starts; the SDK's own switch silences it for the run (the CLI then prints nothing either).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // No test touches the user's files: each test file gets a HOME (and XDG and AWS config paths) of its own, and
    // the run fails if anything under the real HOME's app directories was created or changed.
    globalSetup: ['src-main/testing/vitest-home-guard.ts'],
    setupFiles: ['src-main/testing/vitest-isolated-home.ts'],
  },
});
