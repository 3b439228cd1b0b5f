/**
 * Where the action is started, and what to say when that is the wrong place: it works only on
 * a Linux self-hosted runner on the cluster (a login node that sees the jobs' files and the
 * scheduler).
 */

const NOT_HERE =
  'qq-sync runs on a Linux self-hosted runner on the cluster: a login node (or a machine like it) that sees the jobs’ files and can run the scheduler’s commands.';

/** The message for a platform the action cannot run on (Windows, macOS), or undefined. */
export function unsupportedPlatform(
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const name = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : undefined;
  return name ? `This runner is ${name}. ${NOT_HERE}` : undefined;
}

/** Throws at once on Windows or macOS. */
export function assertSupportedPlatform(platform: NodeJS.Platform = process.platform): void {
  const problem = unsupportedPlatform(platform);
  if (problem) throw new Error(problem);
}

/**
 * Beside a fatal error on a GitHub-hosted runner (`RUNNER_ENVIRONMENT=github-hosted`), where no
 * job can be found: what the action needs, and the cache hand-off that brings the results to
 * such a runner ('' elsewhere).
 */
export function hostedRunnerHint(env: NodeJS.ProcessEnv): string {
  if (env.RUNNER_ENVIRONMENT !== 'github-hosted') return '';
  return `This is a GitHub-hosted runner, which cannot see the cluster: ${NOT_HERE} To use the results on a GitHub-hosted runner, fetch them on the cluster's runner with \`cache: true\` and restore them here with actions/cache (README: "Hand the results to a GitHub-hosted runner through the Actions cache").`;
}
