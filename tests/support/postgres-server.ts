/**
 * A real PostgreSQL 15 server for a test, from Debian's package: initdb in a temporary folder,
 * started on a free loopback port (and a socket in that folder), stopped by its PID, folder
 * removed. As root it runs as the `postgres` user (PostgreSQL refuses to run as root). When it
 * cannot start, the error says why (and shows the server log), so the test fails with a reason.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port';
import { stopByPid, stopOnExit } from './stop-by-pid';

const run = promisify(execFile);

export const POSTGRES_BIN = process.env.PARLEY_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  /** Connection string of the `parley` database, owned by the `parley` role. */
  readonly url: string;
  readonly port: number;
  /** A new, empty schema in that database; the URL puts it first on the search path. */
  createSchema(): Promise<string>;
  stop(): Promise<void>;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs a PostgreSQL program, as `postgres` when we are root. */
async function asPostgres(program: string, args: readonly string[]): Promise<string> {
  const path = join(POSTGRES_BIN, program);
  if (process.getuid?.() === 0) {
    const command = [path, ...args].map(quote).join(' ');
    const { stdout } = await run('su', ['postgres', '-s', '/bin/sh', '-c', command]);
    return stdout;
  }
  const { stdout } = await run(path, [...args]);
  return stdout;
}

function userIds(name: string): { uid: number; gid: number } | null {
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
    if (!line) return null;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

function explain(error: unknown, logFile: string): string {
  const e = error as { stderr?: string; message?: string };
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  return `${e.stderr?.trim() || e.message || String(error)}${log ? `\nserver log:\n${log}` : ''}`;
}

export async function startPostgres(): Promise<PostgresServer> {
  if (!existsSync(join(POSTGRES_BIN, 'initdb'))) {
    throw new Error(
      `PostgreSQL could not start: ${join(POSTGRES_BIN, 'initdb')} is missing. Install it with "apt-get install -y postgresql" (.ci/run does).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (process.getuid?.() === 0) {
    const ids = userIds('postgres');
    if (!ids) throw new Error('PostgreSQL could not start: there is no "postgres" user to run it as.');
    chownSync(dir, ids.uid, ids.gid);
  }
  chmodSync(dir, 0o700);

  let pid: number | null = null;
  let release = () => {};
  try {
    await asPostgres('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      // A test server: durability is the relay's job to prove on SQLite, speed matters here.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await asPostgres('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const started = pid;
    release = stopOnExit(started);

    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query('CREATE ROLE parley LOGIN');
      await admin.query('CREATE DATABASE parley OWNER parley');
    } finally {
      await admin.end();
    }
    const url = `postgres://parley@127.0.0.1:${port}/parley`;
    let schemas = 0;
    return {
      url,
      port,
      async createSchema() {
        const name = `t${++schemas}_${process.pid}`;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE SCHEMA ${name}`);
        } finally {
          await client.end();
        }
        return `${url}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
      },
      async stop() {
        release();
        // SIGINT is PostgreSQL's fast shutdown: it ends sessions and stops cleanly.
        await stopByPid(started, 'SIGINT');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    release();
    if (pid !== null) await stopByPid(pid, 'SIGINT').catch(() => {});
    const reason = explain(error, logFile);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL could not start: ${reason}`);
  }
}
