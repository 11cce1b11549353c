/**
 * `npm start`: the desktop app where Electron's binary is installed, otherwise the browser host
 * (the same core, with the UI in the system browser).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function electronBinary(): string | null {
  try {
    // The electron package exports the path of its binary, and throws when it was not installed.
    const path: unknown = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary) {
  const child = spawn(binary, [join(__dirname, 'electron', 'main.cjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
} else {
  process.stdout.write(
    'Electron is not installed on this machine; starting Parley in your browser instead.\n',
  );
  require(join(__dirname, 'host.cjs'));
}
