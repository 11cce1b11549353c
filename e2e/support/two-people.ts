/**
 * The world most specs need: a relay and a browser host each for Alice and Bob, all real
 * processes in temporary folders, started before a spec and removed after it.
 */
import {
  type HostProcess,
  type RelayProcess,
  startHostProcess,
  startRelayProcess,
  type TempDir,
  tempDir,
} from './processes';

export type Person = 'alice' | 'bob';

export interface TwoPeople {
  readonly relay: RelayProcess;
  readonly dirs: Readonly<Record<Person, TempDir>>;
  /** Each person's host as it runs now (restart replaces it). */
  host(person: Person): HostProcess;
  /** Stops a person's host and starts it again on the same data folder. */
  restart(person: Person): Promise<HostProcess>;
  /** Stops both hosts (to look at what they left on disk); stop() still removes everything. */
  stopHosts(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTwoPeople(prefix: string): Promise<TwoPeople> {
  const dirs = { alice: tempDir(`${prefix}-alice`), bob: tempDir(`${prefix}-bob`) };
  const relay = await startRelayProcess();
  const hosts: Partial<Record<Person, HostProcess>> = {};
  try {
    [hosts.alice, hosts.bob] = await Promise.all([
      startHostProcess(dirs.alice.path, relay.url),
      startHostProcess(dirs.bob.path, relay.url),
    ]);
  } catch (error) {
    for (const host of Object.values(hosts)) await host?.stop();
    await relay.stop();
    throw error;
  }
  const running = hosts as Record<Person, HostProcess>;
  return {
    relay,
    dirs,
    host: (person) => running[person],
    async restart(person) {
      await running[person].stop();
      running[person] = await startHostProcess(dirs[person].path, relay.url);
      return running[person];
    },
    async stopHosts() {
      for (const host of Object.values(running)) await host.stop();
    },
    async stop() {
      for (const host of Object.values(running)) await host.stop();
      await relay.stop();
      for (const dir of [dirs.alice, dirs.bob, relay.dir]) dir.remove();
    },
  };
}
