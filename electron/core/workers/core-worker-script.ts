/**
 * Where the core worker's script is (core-worker.ts): beside this module from sources, or
 * core-worker.cjs beside the bundle that runs the core (scripts/build.mjs puts one beside
 * each); in an installed app the bundle sits in app.asar and the worker's file is unpacked
 * beside it (electron-builder.yml).
 */
import { join } from 'node:path';

export function coreWorkerScript(): string {
  if (__filename.endsWith('.ts')) return join(__dirname, 'core-worker.ts');
  return join(__dirname, 'core-worker.cjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}
