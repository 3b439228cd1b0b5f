// Test helper, run under `unshare -m` (a private mount namespace): bind-mounts the hosts file
// given first on /etc/hosts, then runs the rest of argv with this environment as it is (a
// shell would drop the runner's INPUT_* variables with '-' in their names) and exits with its
// status. The real resolver reads that file; nothing outside the namespace sees it.
import { execFileSync, spawnSync } from 'node:child_process';

const [hostsFile, program, ...args] = process.argv.slice(2);
execFileSync('mount', ['--bind', hostsFile, '/etc/hosts']);
const r = spawnSync(program, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
