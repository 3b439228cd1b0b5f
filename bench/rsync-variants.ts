/**
 * npx tsx bench/rsync-variants.ts [files=20000] [reps=5] [variant,...]
 *
 * What each option the action gives rsync over ssh costs, one at a time: raw `rsync -rltD -e
 * ssh` (the bench's baseline) against the same with one addition, and against the action's
 * whole command line (bench/bench.ts's `small` section), on a real sshd on loopback, into a
 * tmpfs. Rounds alternate the order of the variants (forward, then backward); medians. No
 * assertion: a table to read. `QQ_VARIANTS_BIG=<MiB>` times one file of that size instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OUT_FORMAT } from '../src/transfer/rsync/records.js';
import { rsyncRsh, sshArgs } from '../src/transfer/ssh/index.js';
import { startSshd } from '../test/support/sshd.js';

const files = Number(process.argv[2] ?? 20_000);
const reps = Number(process.argv[3] ?? 5);
const onlyArg = process.argv[4]?.split(',');
const bigMiB = Number(process.env.QQ_VARIANTS_BIG ?? 0);

/** CPU seconds of the local side (rsync and its ssh client), summed over the runs; from GNU time. */
let cpuLocal = 0;
function timed(argv: string[], stdoutTo: 'null' | string): Promise<number> {
  const started = performance.now();
  const out = stdoutTo === 'null' ? 'ignore' : openSync(stdoutTo, 'w');
  const cpuFile = join(base, 'cpu');
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', cpuFile, '-f', '%U %S', ...argv], {
      stdio: ['ignore', out, 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      if (typeof out === 'number') closeSync(out);
      const [u, s] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      cpuLocal += (u ?? 0) + (s ?? 0);
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`${argv.join(' ')}: exit ${code}: ${err}`));
    });
  });
}

/** CPU seconds of sshd's reaped children (the remote rsync and its sshd session) so far. */
function cpuRemote(): number {
  const pid = readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim();
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in clock ticks
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const sshd = await startSshd();
const base = mkdtempSync('/dev/shm/qq-variants-');

try {
  const work = join(base, 'work');
  if (bigMiB > 0) {
    mkdirSync(work);
    execFileSync('dd', [
      'if=/dev/urandom',
      `of=${join(work, 'big')}`,
      'bs=1M',
      `count=${bigMiB}`,
      'status=none',
    ]);
  } else {
    for (let i = 0; i < files; i++) {
      const sub = join(work, `d${Math.floor(i / 500)}`);
      if (i % 500 === 0) mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `f${i}.dat`), Buffer.alloc(1024, i % 251));
    }
  }
  const controlDir = mkdtempSync(join(base, 'ctl-'));
  const user = [
    `-p ${sshd.port}`,
    `-i ${sshd.keyPath}`,
    `-l ${sshd.user}`,
    `-o UserKnownHostsFile=${sshd.knownHostsPath}`,
  ];
  const settings = { sshOptions: user, strictHostKeyChecking: 'yes' as const };
  const rawSsh = `ssh -p ${sshd.port} -i ${sshd.keyPath} -l ${sshd.user} -o UserKnownHostsFile=${sshd.knownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  const ourSsh = rsyncRsh(settings);
  const muxSsh = rsyncRsh({ ...settings, controlDir });
  const src = `127.0.0.1:${work}/`;
  const dest = join(base, 'dest');
  const stdoutFile = join(base, 'stdout');
  const rsync = (rsh: string, extra: string[]) => [
    'rsync',
    '-e',
    rsh,
    '-rltD',
    ...extra,
    '--',
    src,
    dest,
  ];
  const ours = ['-s', '--stats', '--info=progress2', OUT_FORMAT];
  const openMaster = () =>
    timed(
      [
        'ssh',
        ...sshArgs({ ...settings, controlDir }),
        '-o',
        'ControlMaster=yes',
        '-f',
        '-N',
        '--',
        '127.0.0.1',
      ],
      'null',
    );
  const closeMaster = () =>
    timed(
      ['ssh', ...sshArgs({ ...settings, controlDir }), '-O', 'exit', '--', '127.0.0.1'],
      'null',
    ).catch(() => 0);
  const variants: Record<string, () => Promise<number>> = {
    raw: () => timed(rsync(rawSsh, []), 'null'),
    'raw aes128-gcm': () => timed(rsync(`${rawSsh} -c aes128-gcm@openssh.com`, []), 'null'),
    'raw chacha20': () => timed(rsync(`${rawSsh} -c chacha20-poly1305@openssh.com`, []), 'null'),
    'our ssh options': () => timed(rsync(ourSsh, []), 'null'),
    '+mux (open+close incl.)': async () => {
      const t0 = performance.now();
      await openMaster();
      await timed(rsync(muxSsh, []), 'null');
      await closeMaster();
      return performance.now() - t0;
    },
    '+ -s': () => timed(rsync(rawSsh, ['-s']), 'null'),
    '+ --stats': () => timed(rsync(rawSsh, ['--stats']), stdoutFile),
    '+ progress2': () => timed(rsync(rawSsh, ['--info=progress2']), stdoutFile),
    '+ out-format': () => timed(rsync(rawSsh, [OUT_FORMAT]), stdoutFile),
    'ours (no mux)': () => timed(rsync(ourSsh, ours), stdoutFile),
    'ours - progress2': () => timed(rsync(ourSsh, ['-s', '--stats', OUT_FORMAT]), stdoutFile),
    'ours - out-format': () =>
      timed(rsync(ourSsh, ['-s', '--stats', '--info=progress2']), stdoutFile),
  };
  const names = Object.keys(variants).filter((n) => !onlyArg || onlyArg.includes(n));
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, { local: number[]; remote: number[] }> = Object.fromEntries(
    names.map((n) => [n, { local: [], remote: [] }]),
  );
  const clean = () => {
    rmSync(dest, { recursive: true, force: true });
    execFileSync('sync');
  };
  console.log(
    `load at start ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, ${cpus().length} cpus; ${bigMiB ? `${bigMiB} MiB file` : `${files} files`}`,
  );
  for (const n of names) {
    clean();
    await variants[n]?.();
  }
  for (let r = 0; r < reps; r++) {
    for (const n of r % 2 ? [...names].reverse() : names) {
      clean();
      const [l0, r0] = [cpuLocal, cpuRemote()];
      (times[n] as number[]).push(await (variants[n] as () => Promise<number>)());
      await sleep(100); // sshd reaps its session
      cpu[n]?.local.push(cpuLocal - l0);
      cpu[n]?.remote.push(cpuRemote() - r0);
    }
  }
  const rawMedian = median(times.raw ?? [1]);
  for (const n of names) {
    const m = median(times[n] as number[]);
    const c = cpu[n] as { local: number[]; remote: number[] };
    console.log(
      `${n.padEnd(26)} ${m.toFixed(0).padStart(6)} ms  ${(m / rawMedian).toFixed(2)}×  cpu local ${(median(c.local) * 1000).toFixed(0)} ms, remote ${(median(c.remote) * 1000).toFixed(0)} ms  [${(times[n] as number[]).map((x) => x.toFixed(0)).join(' ')}]`,
    );
  }
  console.log(
    `load at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await sshd.stop();
  rmSync(base, { recursive: true, force: true });
}
