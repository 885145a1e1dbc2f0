/** Progress goes to stderr, so stdout holds only the table and the machine. */
const started = performance.now();

export function progress(message: string): void {
  const at = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${at} s] ${message}\n`);
}
