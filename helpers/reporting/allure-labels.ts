// Allure metadata of a scenario test: epic/feature/story/severity, the issue link, parameters
// (secret ones masked AND replaced, since a masked value would still be written to the results
// files), and a markdown description that carries the verdict. Synchronous (allure's sync
// facade) so a fixture can call it without awaiting.
import * as allure from 'allure-js-commons/sync';
import { CAUSES, type Verdict, verdictHeadline } from '../diagnosis/causes';

export const EPIC = 'WebSocket handshake auth';

/** Written instead of a secret parameter's value: Allure's `masked` mode only hides it on screen. */
export const MASKED_VALUE = '‹masked›';

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface ScenarioLabels {
  /** config-verification | valid-jwt | invalid-jwt | timeout | reproduce-403 */
  scenario: string;
  /** Defaults to the feature of the scenario (FEATURES), else the scenario name. */
  feature?: string;
  story: string;
  severity: Severity;
  issueId?: string;
  /** `{id}` (or `%s`) is replaced by issueId. Without it the bare id is linked, for allure-playwright's `links.issue.urlTemplate`. */
  issueUrlTemplate?: string;
  parameters: Record<string, string>;
  /** Names in `parameters` whose values must never be written. */
  secretParameters?: string[];
  description?: string;
}

/** The feature each scenario family belongs to. */
export const FEATURES: Record<string, string> = {
  'config-verification': 'Configuration verification',
  'valid-jwt': 'Valid token handshake',
  'invalid-jwt': 'Invalid token refusal',
  timeout: 'Handshake deadlines',
  'reproduce-403': 'Issue #631: 403 on the handshake',
};

export function issueUrl(issueId: string, template: string | undefined): string {
  if (!template) return issueId;
  return template.replace(/\{id\}|%s/g, encodeURIComponent(issueId));
}

/**
 * The twin's fault, as a parameter: Allure keys a test's history by its parameters, and runs
 * against different faults are different targets. Without it a deterministic failure under one
 * fault, between passing healthy runs, read as "flaky" (Allure 3 marks a failure flaky when a
 * pass sits between it and an earlier failure in the last five runs).
 */
export function targetVariantParameter(env: NodeJS.ProcessEnv = process.env): [string, string] | null {
  const fault = env.TWIN_FAULT?.trim();
  return fault && fault !== 'none' ? ['twin fault', fault] : null;
}

export function labelScenario(opts: ScenarioLabels, env: NodeJS.ProcessEnv = process.env): void {
  const secret = new Set(opts.secretParameters ?? []);
  allure.epic(EPIC);
  allure.feature(opts.feature ?? FEATURES[opts.scenario] ?? opts.scenario);
  allure.story(opts.story);
  allure.severity(opts.severity);
  allure.tag(opts.scenario);
  if (opts.issueId) allure.issue(issueUrl(opts.issueId, opts.issueUrlTemplate), `#${opts.issueId}`);
  for (const [name, value] of Object.entries(opts.parameters)) {
    if (secret.has(name)) {
      // Excluded from the history id too: a fresh token each run must not split the test's history.
      allure.parameter(name, MASKED_VALUE, { mode: 'masked', excluded: true });
    } else {
      allure.parameter(name, value);
    }
  }
  const variant = targetVariantParameter(env);
  if (variant) allure.parameter(variant[0], variant[1]);
  if (opts.description) allure.description(opts.description);
}

/** The verdict as markdown: headline, meaning of the cause, confidence, evidence lines. */
export function verdictMarkdown(verdict: Verdict): string {
  return [
    `**${verdictHeadline(verdict)}**`,
    '',
    `*${CAUSES[verdict.cause].title}* — ${CAUSES[verdict.cause].meaning}`,
    '',
    `Confidence: ${verdict.confidence}`,
    '',
    ...verdict.evidence.map((line) => `- ${line}`),
  ].join('\n');
}

/**
 * Puts the verdict where a triager looks first: the description's top line (the scenario's own
 * text follows it), and a `verdict` label holding its headline, beside the cause and layer
 * labels the report groups by. A failing test's message starts with the same headline, and
 * Allure shows that message in the test's header. The verdict is redacted again here.
 */
export function labelVerdict(verdict: Verdict, redact: (text: string) => string, scenarioDescription?: string): void {
  const parts = [verdictMarkdown(verdict), scenarioDescription].filter((p): p is string => !!p);
  allure.description(redact(parts.join('\n\n')));
  allure.label('verdict', redact(verdictHeadline(verdict)));
  allure.label('cause', verdict.cause);
  allure.label('layer', verdict.layer);
}
