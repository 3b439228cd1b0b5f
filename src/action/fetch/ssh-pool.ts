/**
 * The run's shared ssh connections: one master per host (ControlMaster), opened once before
 * the host's first transfer so that parallel jobs do not each make a handshake, and closed at
 * the end of the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  closeSharedConnections,
  openSharedConnection,
  type SshSettings,
} from '../../transfer/ssh/index.js';

export class SshPool {
  /** The hosts this run has used over ssh (each may hold a master to close). */
  readonly hosts = new Set<string>();
  private readonly masters = new Map<string, Promise<void>>();

  private constructor(
    /** The private directory of the control sockets. */
    readonly controlDir: string,
    private readonly settings: SshSettings,
    private readonly debug: (message: string) => void,
  ) {}

  /** A pool with a new private control directory. */
  static async open(
    settings: Omit<SshSettings, 'controlDir'>,
    debug: (message: string) => void = () => {},
  ): Promise<SshPool> {
    const controlDir = await mkdtemp(path.join(tmpdir(), 'qqs-'));
    return new SshPool(controlDir, { ...settings, controlDir }, debug);
  }

  /** Note that the run reads from `host` over ssh (its master, if any, is closed at the end). */
  use(host: string): void {
    this.hosts.add(host);
  }

  /** The shared connection to `host`, opened once for the run (all its jobs wait for it). */
  connect(host: string, timeoutMs: number): Promise<void> {
    let opening = this.masters.get(host);
    if (!opening) {
      this.use(host);
      opening = openSharedConnection(host, this.settings, timeoutMs).then((r) =>
        this.debug(
          r.open
            ? `ssh: shared connection to '${host}' open ${r.detail}`
            : `ssh: no shared connection to '${host}' (${r.detail}); each transfer connects by itself`,
        ),
      );
      this.masters.set(host, opening);
    }
    return opening;
  }

  /** Close every master (one `ssh -O exit` per host) and remove the control directory. */
  async close(): Promise<void> {
    await closeSharedConnections(this.hosts, this.settings).catch(() => {});
    await rm(this.controlDir, { recursive: true, force: true });
  }
}
