// TEST-ONLY preload (`node --import`), used by test/e2e/runner.test.ts alone: makes
// process.platform answer $QQ_SYNC_TEST_PLATFORM (win32, darwin) so that the bundle's check for
// a runner it cannot run on is exercised here on Linux. node:os is loaded first so that its
// EOL stays this machine's ('\n'), as the GITHUB_OUTPUT reader of the tests expects.
import 'node:os';

const platform = process.env.QQ_SYNC_TEST_PLATFORM;
if (platform) Object.defineProperty(process, 'platform', { value: platform });
