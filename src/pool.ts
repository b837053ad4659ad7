import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runJob, type Job, type JobResult } from './jobs.js';

export interface Pool {
  /**
   * Queue a job; of the jobs waiting, the one with the highest priority runs
   * next (equals in the order queued). `started` is called as it begins.
   */
  run<J extends Job>(job: J, priority: number, started?: () => void): Promise<JobResult<J>>;
  close(): Promise<void>;
}

interface Queued {
  job: Job;
  priority: number;
  started?: (() => void) | undefined;
  resolve: (r: JobResult<Job>) => void;
}

/** A queue ordered by priority, highest first; equals keep their order. */
function enqueue(queue: Queued[], item: Queued): void {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (queue[mid]!.priority >= item.priority) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, item);
}

/** What a failed job gives back, whatever its kind. */
const failure = (error: string) => ({ ok: false, error }) as JobResult<Job>;

/**
 * Build jobs (normalizing, writing books) across `size` worker threads, so
 * that this thread stays free to report progress and to act on Ctrl-C at
 * once. With `inThread` (or without the compiled worker at hand) jobs run
 * here instead, one at a time, yielding to the event loop between them:
 * that is faster for a small batch than starting a thread.
 */
export function createPool(size: number, options: { inThread?: boolean } = {}): Pool {
  const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (options.inThread || !existsSync(workerFile)) return inThreadPool();
  const queue: Queued[] = [];
  const idle: Worker[] = [];
  const pending = new Map<number, (r: JobResult<Job>) => void>();
  const busy = new Map<Worker, number>();
  let nextId = 0;
  const workers: Worker[] = [];
  let spawned = false;
  let closing = false;
  const pump = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const { job, started, resolve } = queue.shift()!;
      const id = nextId++;
      started?.();
      pending.set(id, resolve);
      busy.set(w, id);
      w.postMessage({ id, job });
    }
  };
  const spawn = () => {
    const w = new Worker(workerFile);
    w.on('message', (m: { id: number; result: JobResult<Job> }) => {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      busy.delete(w);
      idle.push(w);
      resolve?.(m.result);
      pump();
    });
    // A worker that dies (an error, running out of memory, exiting) fails its job, and a fresh one takes its place.
    let gone = false;
    const lost = (reason: string) => {
      if (gone || closing) return;
      gone = true;
      const id = busy.get(w);
      if (id !== undefined) {
        pending.get(id)?.(failure(reason));
        pending.delete(id);
      }
      busy.delete(w);
      const at = idle.indexOf(w);
      if (at >= 0) idle.splice(at, 1);
      workers.splice(workers.indexOf(w), 1);
      if (queue.length || workers.length === 0) {
        idle.push(spawn());
        pump();
      }
    };
    w.on('error', (err) => lost(err instanceof Error ? err.message : String(err)));
    w.on('exit', (code) => lost(`the worker thread stopped (exit code ${code})`));
    workers.push(w);
    return w;
  };
  return {
    run(job, priority, onStart) {
      if (!spawned) {
        spawned = true;
        for (let i = 0; i < Math.max(1, size); i++) idle.push(spawn());
      }
      return new Promise((resolve) => {
        enqueue(queue, { job, priority, started: onStart, resolve: resolve as (r: JobResult<Job>) => void });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Jobs in this thread, one at a time, with a turn of the event loop before each. */
function inThreadPool(): Pool {
  const queue: Queued[] = [];
  let running = false;
  const next = async () => {
    if (running) return;
    running = true;
    while (queue.length) {
      // Let results, progress and signals through before the next job takes the thread.
      await new Promise((r) => setImmediate(r));
      const { job, started, resolve } = queue.shift()!;
      started?.();
      resolve(await runJob(job));
    }
    running = false;
  };
  return {
    run(job, priority, onStart) {
      return new Promise((resolve) => {
        enqueue(queue, { job, priority, started: onStart, resolve: resolve as (r: JobResult<Job>) => void });
        void next();
      });
    },
    close: async () => {},
  };
}
