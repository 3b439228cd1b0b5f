export const MAJOR: number;
export const cacheDir: string;
export function nodeVersion(bin: string): string | undefined;
export function findNode24(
  env?: NodeJS.ProcessEnv,
):
  | { path: string; version: string; from: string; why?: undefined }
  | { path?: undefined; why: string };
export function fetchNode24(): string;
