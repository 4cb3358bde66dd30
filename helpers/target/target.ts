// A target as the scenarios see it: the validated settings of one environment plus the
// endpoints resolved from them (or from the embedded twin). Helpers take a Target and never
// ask which environment is running.
import type { EnvSettings } from '../../environments/schema';

export interface Target {
  /** The environment (and Playwright project) name. */
  name: string;
  settings: EnvSettings;
  frontendUrl: string;
  backendUrl: string;
  authUrl: string;
  wsUrl: string;
  /** The Origin a browser on the frontend sends. */
  origin: string;
  /** PEM of the extra CA to trust (CA_FILE, or the twin's own when it serves TLS). */
  ca: string | null;
  /** Every secret value of this target, for redaction. */
  secrets: string[];
}
