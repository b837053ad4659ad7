import { parentPort } from 'node:worker_threads';
import { renderBook, type BookTask } from './write/render.js';

/** A pool worker: writes books in memory and hands the bytes back. */
parentPort?.on('message', async (message: { id: number; task: BookTask }) => {
  const result = await renderBook(message.task);
  if (result.ok) {
    const copy = result.bytes.slice();
    parentPort!.postMessage({ id: message.id, result: { ...result, bytes: copy } }, [copy.buffer]);
  } else parentPort!.postMessage({ id: message.id, result });
});
