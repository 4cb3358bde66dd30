// The #631 test's title path, shared by the test and playwright.config.ts (which decides whether
// a command line selected it: see environments/selection.ts selectsTest).
export const LOAD_TEST_TITLE = ['reproduce issue #631', 'a token the auth service accepts opens the chat socket on every channel'] as const;
