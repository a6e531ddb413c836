/** A line of a command's report on standard output (the scripts' results are their output). */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A line on standard error: usage mistakes and failures. */
export function complain(line: string): void {
  process.stderr.write(`${line}\n`);
}
