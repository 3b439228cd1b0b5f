export const ALLOWED_LICENSES: string[];
export const NOTICES_FILE: string;
export const STATS_FILE: string;
export const NCC_ARGS: string[];
export interface WebpackStatsModule {
  identifier?: string;
  chunks?: Array<string | number>;
  modules?: WebpackStatsModule[];
}
export interface WebpackStats {
  assets?: Array<{ name: string; size: number }>;
  modules?: WebpackStatsModule[];
}
export interface BundledPackage {
  name: string;
  version: string;
  dir: string;
}
export function bundledPackageDirs(stats: WebpackStats): string[];
export function bundledPackages(stats: WebpackStats): BundledPackage[];
export function licenseAllowed(expression: string): boolean;
export function buildNotices(
  packages: BundledPackage[],
  root: string,
): Promise<{ text: string; problems: string[] }>;
export function parseNotices(text: string): Map<string, { license: string; text: string }>;
export function describe(pkg: BundledPackage, root: string): string;
