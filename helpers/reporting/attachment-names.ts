// The names tests attach evidence under and the reporter reads back: one place, so the
// writer (evidence-attachments.ts) and the readers (summary reporter) cannot drift apart.

export const ATTACHMENT = {
  verdict: 'verdict',
  /** Followed by the record's label: `record: valid token via subprotocol`. */
  recordPrefix: 'record: ',
  configFacts: 'config-facts',
  burst: 'burst',
  /** The burst ramp's steps as JSON (results.json reads its compact form from it). */
  ramp: 'burst-ramp',
  /** SVG charts (image/svg+xml); the summary reporter copies every SVG to <REPORTS_DIR>/charts/. */
  timingWaterfall: 'timing waterfall',
  rampChart: 'burst ramp chart',
  console: 'console',
  screenshot: 'screenshot',
  target: 'target',
} as const;

/** Annotation types a scenario test carries; the reporter copies them into results.json. */
export const ANNOTATION = {
  scenario: 'scenario',
  channel: 'channel',
  transport: 'transport',
  tokenVariant: 'token-variant',
  /** Chromium's version as `browser.version()` reports it, for the Allure environment info. */
  browserVersion: 'browser-version',
} as const;
