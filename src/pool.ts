import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderBook, type BookResult, type BookTask } from './write/render.js';

export interface Pool {
  run(task: BookTask): Promise<BookResult>;
  close(): Promise<void>;
}

/**
 * Book writers across `size` worker threads (PDF layout and zip compression
 * are CPU-bound), or in this thread when `size` is 1 or the compiled worker
 * is not at hand. Tasks queue; each worker takes the next when it is free.
 */
export function createPool(size: number): Pool {
  const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (size <= 1 || !existsSync(workerFile)) {
    return { run: (task) => renderBook(task), close: async () => {} };
  }
  const queue: Array<{ task: BookTask; resolve: (r: BookResult) => void }> = [];
  const idle: Worker[] = [];
  const pending = new Map<number, (r: BookResult) => void>();
  const busy = new Map<Worker, number>();
  let nextId = 0;
  const workers: Worker[] = [];
  const pump = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const { task, resolve } = queue.shift()!;
      const id = nextId++;
      pending.set(id, resolve);
      busy.set(w, id);
      w.postMessage({ id, task });
    }
  };
  const spawn = () => {
    const w = new Worker(workerFile);
    w.on('message', (m: { id: number; result: BookResult }) => {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      busy.delete(w);
      idle.push(w);
      resolve?.(m.result);
      pump();
    });
    // A worker that dies (an error, running out of memory, exiting) fails its book, and a fresh one takes its place.
    let gone = false;
    const lost = (reason: string) => {
      if (gone || closing) return;
      gone = true;
      const id = busy.get(w);
      if (id !== undefined) {
        pending.get(id)?.({ ok: false, error: reason });
        pending.delete(id);
      }
      busy.delete(w);
      const at = idle.indexOf(w);
      if (at >= 0) idle.splice(at, 1);
      workers.splice(workers.indexOf(w), 1);
      if (queue.length) {
        idle.push(spawn());
        pump();
      }
    };
    w.on('error', (err) => lost(err instanceof Error ? err.message : String(err)));
    w.on('exit', (code) => lost(`the writer thread stopped (exit code ${code})`));
    workers.push(w);
    return w;
  };
  let started = false;
  let closing = false;
  return {
    run(task) {
      if (!started) {
        started = true;
        for (let i = 0; i < size; i++) idle.push(spawn());
      }
      return new Promise((resolve) => {
        queue.push({ task, resolve });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
