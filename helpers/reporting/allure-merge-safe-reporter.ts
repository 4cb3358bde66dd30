// allure-playwright, safe under `playwright merge-reports` (sharded runs). allure-playwright 3
// reads config.projects[0].outputDir in onConfigure, but a merge configures its reporters before
// the blobs' projects are known (config.projects is empty), so it threw "Cannot read properties
// of undefined (reading 'outputDir')" and the merge exited 1. This subclass configures Allure
// with the merged suite's projects instead, at onBegin; a normal run is untouched.
import type { FullConfig } from '@playwright/test';
import type { FullProject, Suite } from '@playwright/test/reporter';
import { AllureReporter } from 'allure-playwright';

export default class AllureMergeSafeReporter extends AllureReporter {
  private deferred = false;

  override onConfigure(config: FullConfig): void {
    if (config.projects.length > 0) {
      super.onConfigure(config);
      return;
    }
    this.config = config;
    this.deferred = true;
  }

  override onBegin(suite: Suite): void {
    if (this.deferred) {
      const projects = suite.suites.map((s) => s.project()).filter((p): p is FullProject => p !== undefined);
      // No project at all (an empty merge): Allure only misses the snapshot dirs it maps diffs with.
      if (projects.length > 0) super.onConfigure({ ...this.config, projects });
      this.deferred = false;
    }
    super.onBegin(suite);
  }
}
