// Which environments a `playwright test` run will execute, read from its own command line.
//
// Why process.argv: Playwright evaluates playwright.config.ts before it applies --project and
// hands the config no view of the CLI, yet the config must decide whether a broken NAME.env
// stops this run. The alternative, registering the broken env as a project whose one test fails,
// would end as a failing test: exit 1, "target failing", a page for a configuration mistake. So
// the config reads the same flags the CLI does (--project X, --project=X, -p X, comma lists are
// not split by Playwright, so neither here; `*` wildcards and case are matched like Playwright).
//
// Worker processes evaluate the config again with a different argv: they only ever run projects
// the main process accepted, so there broken environments are simply left out (never fatal).

/**
 * The --project values on a command line; [] when none is given (every project runs). Playwright
 * declares --project variadic, so the words after it may be projects too: they are counted as
 * filters here, which can only make a broken env count as selected (a stop), never skip one.
 */
export function projectFilters(argv: readonly string[]): string[] {
  const out: string[] = [];
  let collecting = false;
  for (const arg of argv) {
    if (arg === '--project' || arg === '-p') collecting = true;
    else if (arg.startsWith('--project=')) {
      out.push(arg.slice('--project='.length));
      collecting = true;
    } else if (arg.startsWith('-')) collecting = false;
    else if (collecting) out.push(arg);
  }
  return out;
}

function matches(filter: string, name: string): boolean {
  const pattern = filter.toLowerCase().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(name.toLowerCase());
}

/** True when a run with these --project filters executes project `name`. */
export function isSelected(name: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => matches(f, name));
}

/** `playwright test`; other commands that read the config (merge-reports, show-report) run no project. */
export function runsTests(argv: readonly string[]): boolean {
  return argv.some((a) => a === 'test');
}

/** The values of an option given as `--name value`, `--name=value` or `-short value`. */
function optionValues(argv: readonly string[], long: string, short?: string): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    if (arg.startsWith(`${long}=`)) out.push(arg.slice(long.length + 1));
    else if ((arg === long || (short && arg === short)) && argv[i + 1] !== undefined) out.push(argv[i + 1] as string);
  });
  return out;
}

/**
 * Does this command line select a test with this title path in this file? Playwright runs a
 * teardown project's tests even when --grep or file arguments leave nothing of it selected, so
 * the load test asks this itself (answer computed in the main process, see playwright.config.ts).
 */
export function selectsTest(argv: readonly string[], file: string, titlePath: readonly string[]): boolean {
  const title = [file, ...titlePath].join(' ');
  const grep = optionValues(argv, '--grep', '-g');
  const invert = optionValues(argv, '--grep-invert', '-gv');
  const ok = (re: string) => {
    try {
      return new RegExp(re).test(title);
    } catch {
      return true;
    }
  };
  if (grep.length && !grep.some(ok)) return false;
  if (invert.some(ok)) return false;
  const testAt = argv.indexOf('test');
  const files = testAt === -1 ? [] : argv.slice(testAt + 1).filter((a, i, rest) => !a.startsWith('-') && !(rest[i - 1] ?? '').startsWith('-') && /\.ts$|\/|spec/.test(a));
  return files.length === 0 || files.some((f) => file.includes(f.replace(/^\.\//, '').replace(/:\d+$/, '')) || new RegExp(f).test(file));
}

/** `--shard=i/N` (or `--shard i/N`): true when absent or when this is the last shard. */
export function isLastShardOrUnsharded(argv: readonly string[]): boolean {
  const value = optionValues(argv, '--shard')[0];
  const m = value ? /^(\d+)\/(\d+)$/.exec(value) : null;
  return !m || m[1] === m[2];
}
