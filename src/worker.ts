import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './jobs.js';

/** A pool worker: runs build jobs (normalize a work, write a book in memory) and hands the results back. */
parentPort?.on('message', async (message: { id: number; job: Job }) => {
  const result = await runJob(message.job);
  if ('bytes' in result && result.ok) {
    // The book's bytes move to the main thread rather than being copied.
    const copy = result.bytes.slice();
    parentPort!.postMessage({ id: message.id, result: { ...result, bytes: copy } }, [copy.buffer]);
  } else parentPort!.postMessage({ id: message.id, result });
});
