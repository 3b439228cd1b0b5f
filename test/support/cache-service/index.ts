/**
 * TEST INFRASTRUCTURE — not part of the action.
 *
 * A stand-in for the GitHub Actions cache service, for the REAL `@actions/cache` client: the
 * three calls of the v2 Twirp API (`github.actions.results.api.v1.CacheService`) that the
 * client makes — CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL — on
 * 127.0.0.1, handing out SAS URLs of a real blob store (Azurite), which the client uploads to
 * with the Azure SDK and downloads from over HTTP, as it does on GitHub.
 *
 * What it keeps of the real service: bearer-token check, entries keyed by (key, version), an
 * entry visible only once finalized (after checking the blob is there with the announced size),
 * no second entry for a (key, version), lookup by exact key and then by restore-key prefix,
 * newest created first. What it leaves out: scopes (branches), eviction, size limits,
 * cache-mode tokens.
 *
 * `startCacheService()` returns the environment the client needs (`env`): hand it to
 * `process.env` in-process, or to `node dist/index.js` in end-to-end tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BlobSASPermissions,
  ContainerClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from './azurite.js';

const SERVICE = 'github.actions.results.api.v1.CacheService';
const CONTAINER = 'actions-cache';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  blobName: string;
  /** When the entry was created (CreateCacheEntry); `seq` orders entries created in the same ms. */
  createdAt: number;
  seq: number;
  sizeBytes?: number;
  finalized: boolean;
}

export interface CacheService {
  /** What `@actions/cache` reads from the environment to reach this service. */
  env: Record<string, string>;
  /** Base URL of the Twirp endpoint (`ACTIONS_RESULTS_URL`). */
  url: string;
  /** The Azurite account URL behind it. */
  blobAccountUrl: string;
  /** A copy of the entries, in creation order. */
  entries(): CacheEntry[];
  stop(): Promise<void>;
}

export async function startCacheService(): Promise<CacheService> {
  const azurite = await startAzurite();
  try {
    return await startTwirp(azurite.accountUrl, azurite.stop);
  } catch (e) {
    await azurite.stop();
    throw e;
  }
}

async function startTwirp(
  accountUrl: string,
  stopAzurite: () => Promise<void>,
): Promise<CacheService> {
  const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
  const container = new ContainerClient(`${accountUrl}/${CONTAINER}`, credential);
  await container.createIfNotExists();

  const token = randomBytes(24).toString('hex');
  const entries: CacheEntry[] = [];
  let seq = 0;

  const sasUrl = (blobName: string, permissions: string): string => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 60 * 60 * 1000),
      },
      credential,
    ).toString();
    return `${container.getBlockBlobClient(blobName).url}?${sas}`;
  };

  const methods: Record<string, (req: Record<string, unknown>) => Promise<unknown>> = {
    async CreateCacheEntry(req) {
      const key = str(req.key);
      const version = str(req.version);
      if (!key || !version)
        throw new TwirpError(400, 'invalid_argument', 'key and version are required');
      if (entries.some((e) => e.key === key && e.version === version)) {
        return { ok: false, message: `cache entry ${key} already exists` };
      }
      const entry: CacheEntry = {
        id: entries.length + 1,
        key,
        version,
        blobName: randomUUID(),
        createdAt: Date.now(),
        seq: seq++,
        finalized: false,
      };
      entries.push(entry);
      return { ok: true, signed_upload_url: sasUrl(entry.blobName, 'cw') };
    },

    async FinalizeCacheEntryUpload(req) {
      const key = str(req.key);
      const version = str(req.version);
      const size = Number(req.size_bytes ?? req.sizeBytes);
      const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
      if (!entry) return { ok: false, message: `no cache entry ${key} is being uploaded` };
      const props = await container
        .getBlockBlobClient(entry.blobName)
        .getProperties()
        .catch(() => undefined);
      if (!props || props.contentLength !== size) {
        return { ok: false, message: `the upload of cache entry ${key} is incomplete` };
      }
      entry.sizeBytes = size;
      entry.finalized = true;
      return { ok: true, entry_id: String(entry.id) };
    },

    async GetCacheEntryDownloadURL(req) {
      const key = str(req.key);
      const version = str(req.version);
      const restoreKeys = Array.isArray(req.restore_keys ?? req.restoreKeys)
        ? ((req.restore_keys ?? req.restoreKeys) as unknown[]).map(str)
        : [];
      const candidates = entries.filter((e) => e.finalized && e.version === version);
      const newest = (list: CacheEntry[]) =>
        list.reduce<CacheEntry | undefined>(
          (best, e) =>
            !best ||
            e.createdAt > best.createdAt ||
            (e.createdAt === best.createdAt && e.seq > best.seq)
              ? e
              : best,
          undefined,
        );
      let match = newest(candidates.filter((e) => e.key === key));
      for (const prefix of restoreKeys) {
        if (match || !prefix) break;
        match = newest(candidates.filter((e) => e.key.startsWith(prefix)));
      }
      if (!match) return { ok: false };
      return { ok: true, signed_download_url: sasUrl(match.blobName, 'r'), matched_key: match.key };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof TwirpError ? e : new TwirpError(500, 'internal', String(e));
      send(res, err.status, { code: err.code, msg: err.message });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = new RegExp(`^/twirp/${SERVICE.replace(/\./g, '\\.')}/(\\w+)$`).exec(req.url ?? '');
    const method = m?.[1] ? methods[m[1]] : undefined;
    if (req.method !== 'POST' || !method) {
      throw new TwirpError(404, 'bad_route', `no handler for ${req.method} ${req.url}`);
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      throw new TwirpError(401, 'unauthenticated', 'invalid runtime token');
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      throw new TwirpError(400, 'malformed', 'the request body is not JSON');
    }
    send(res, 200, await method(body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;

  return {
    url,
    blobAccountUrl: accountUrl,
    env: {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: url,
      ACTIONS_RUNTIME_TOKEN: token,
      // Not GitHub Enterprise Server: the client uses service v2 only for github.com.
      GITHUB_SERVER_URL: 'https://github.com',
    },
    entries: () => entries.map((e) => ({ ...e })),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopAzurite();
    },
  };
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
