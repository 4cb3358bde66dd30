// Allure 3 configuration (`allure generate -c allurerc.mjs`, driven by `npm run report`).
// Plain ESM: it cannot import the TypeScript CAUSES table, so scripts/report.ts first writes the
// categories generated from CAUSES to <REPORTS_DIR>/.allure/categories.json and this file reads
// them — CAUSES stays the one source of truth.
//
// History: trends need the JSONL history to survive between runs. It lives outside the
// folders a run cleans (html/, allure-results/, allure-report/), at ALLURE_HISTORY_PATH or
// <REPORTS_DIR>/history/allure-history.jsonl; a scheduler must persist that one file between
// runs (CI cache or artifact), nothing else.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'allure';

const reportsDir = path.resolve(process.env.REPORTS_DIR ?? 'reports');
const categoriesFile = path.join(reportsDir, '.allure', 'categories.json');

export default defineConfig({
  name: 'WebSocket handshake auth',
  output: path.join(reportsDir, 'allure-report'),
  historyPath: path.resolve(process.env.ALLURE_HISTORY_PATH ?? path.join(reportsDir, 'history', 'allure-history.jsonl')),
  categories: existsSync(categoriesFile) ? JSON.parse(readFileSync(categoriesFile, 'utf8')) : undefined,
  plugins: {
    awesome: {
      options: { singleFile: true, reportName: 'WebSocket handshake auth' },
    },
  },
});
