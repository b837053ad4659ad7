import type { Work } from './model/types.js';
import { normalize } from './normalize/index.js';
import { renderBook, type BookResult, type BookTask } from './write/render.js';

/**
 * The CPU-bound work of a build, as plain data that can cross to a worker
 * thread: normalizing a work as read, and writing one book of a plan.
 */
export type Job = { kind: 'normalize'; work: Work; skip: string[] } | { kind: 'write'; task: BookTask };

export type NormalizeResult = { ok: true; work: Work } | { ok: false; error: string };

export type JobResult<J extends Job> = J extends { kind: 'normalize' } ? NormalizeResult : BookResult;

/** Run one job; never throws (a failure comes back as a value). */
export async function runJob<J extends Job>(job: J): Promise<JobResult<J>> {
  if (job.kind === 'write') return (await renderBook(job.task)) as JobResult<J>;
  try {
    return { ok: true, work: normalize(job.work, new Set(job.skip)) } as JobResult<J>;
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) } as JobResult<J>;
  }
}
