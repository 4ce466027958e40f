/**
 * Writes to stdout and resolves when the data is flushed, so large outputs are not cut off when
 * the process exits, and a closed pipe (`| head`) ends quietly.
 */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.once('error', () => resolve());
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
