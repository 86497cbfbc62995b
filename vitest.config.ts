import { defineConfig } from "vitest/config";

/**
 * Pure tests: they open no database, server, browser or process (engine, content, rendering, matching,
 * payloads, recognition, the safety corpus). `npm run test:fast` runs only these, in one thread per CPU
 * without per-file isolation, so flows, locales and the recognizer are loaded once per worker instead of
 * once per file (test/support/content.ts). A new pure test file goes here; anything else lands in
 * `integration` by default.
 */
const FAST = [
  "test/activities/activity-lifecycle.test.ts",
  "test/admin/pages/**/*.test.ts",
  "test/admin/security.test.ts",
  "test/channels/render.test.ts",
  "test/channels/web-tokens.test.ts",
  "test/channels/whatsapp-retry-after.test.ts",
  "test/channels/whatsapp-window.test.ts",
  "test/config.test.ts",
  "test/content/channel-truth.test.ts",
  "test/crypto/sealed-handover.test.ts",
  "test/content/flows-check*.test.ts",
  "test/content/reachability.test.ts",
  "test/content/vocabulary.test.ts",
  "test/conversation/render-events.test.ts",
  "test/engine/**/*.test.ts",
  "test/handoffs/handoff-lifecycle.test.ts",
  "test/http/webhook-lane.test.ts",
  "test/handoffs/matching.test.ts",
  "test/insights/suppression.test.ts",
  "test/insights/insight-period.test.ts",
  "test/logger.test.ts",
  "test/ops/grafana-dashboard.test.ts",
  "test/queues/inbound-worker.test.ts",
  "test/safety/**/*.test.ts",
  "test/storage/database-unreachable.test.ts",
  "test/security/forget-sensitive-path.test.ts",
  "test/structure/**/*.test.ts",
];

/** Tests that start a real browser or a whole Naast process (npm start, a CLI, the release folder, kill -9). */
const SLOW = [
  "test/**/*.browser.test.ts",
  "test/release/**/*.test.ts",
  "test/broadcasts/broadcast-restart.test.ts",
  "test/http/process.test.ts",
  "test/security/shutdown.test.ts",
  "test/cli/**/*.test.ts",
  "test/storage/backup.test.ts",
  "test/http/startup-backlog.test.ts",
  "test/queues/fault-injection.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
    projects: [
      { extends: true, test: { name: "fast", include: FAST, pool: "threads", isolate: false } },
      { extends: true, test: { name: "integration", include: ["test/**/*.test.ts"], exclude: [...FAST, ...SLOW] } },
      { extends: true, test: { name: "slow", include: SLOW } },
    ],
  },
});
