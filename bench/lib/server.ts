import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kontorEnv, REPO_ROOT, type Target } from './db';

/** A `node bin/kontor.js serve` process on 127.0.0.1, stopped by its PID. */
export interface ServerProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to "Kontor is running". */
  startupMs: number;
  /** Lines the server wrote (request logs at info level), counted, not kept. */
  lines(): number;
  tail(): string[];
  stop(): Promise<number | null>;
}

/** Resident and peak resident memory of a process, from /proc (Linux), in bytes. */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

const started = new Set<number>();
process.once('exit', () => {
  // Last resort when the benchmark dies: never leave a server behind.
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export function startServer(
  t: Target,
  opts: { logLevel: string; timeoutMs?: number },
): Promise<ServerProcess> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/kontor.js'), 'serve', '--host', '127.0.0.1', '--port', '0'],
    {
      cwd: REPO_ROOT,
      env: kontorEnv(t, { KONTOR_LOG_LEVEL: opts.logLevel }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid!;
  started.add(pid);
  let count = 0;
  const last: string[] = [];
  let exited: number | null | undefined;
  const exitPromise = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      exited = code;
      started.delete(pid);
      res(code);
    }),
  );
  const keep = (line: string) => {
    count++;
    last.push(line);
    if (last.length > 20) last.shift();
  };
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) {
        process.kill(pid, 'SIGKILL');
        reject(new Error(`the server did not start in time:\n${last.join('\n')}`));
      }
    }, opts.timeoutMs ?? 180_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        keep(line);
        const m = /Kontor is running at (http:\/\/\S+)/.exec(line);
        if (m && !ready) {
          ready = true;
          clearTimeout(timer);
          resolvePromise({
            pid,
            url: m[1],
            startupMs: performance.now() - t0,
            lines: () => count,
            tail: () => [...last],
            async stop() {
              if (exited !== undefined) return exited;
              process.kill(pid, 'SIGTERM');
              const killer = setTimeout(() => {
                if (exited === undefined) process.kill(pid, 'SIGKILL');
              }, 10_000);
              const code = await exitPromise;
              clearTimeout(killer);
              return code;
            },
          });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => keep(chunk.toString('utf8').trimEnd()));
    void exitPromise.then((code) => {
      if (!ready) {
        clearTimeout(timer);
        reject(
          new Error(`the server exited with ${code} before it was ready:\n${last.join('\n')}`),
        );
      }
    });
  });
}
