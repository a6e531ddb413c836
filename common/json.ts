/** Parsed JSON, or undefined when the text is not JSON (stored or received data is checked after). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
