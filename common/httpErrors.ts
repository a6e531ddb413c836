import type { Response } from 'restify';

/** Every refusal carries a machine-readable code and a sentence a developer can act on. */
export function refuse(res: Response, status: number, code: string, message: string): void {
  res.send(status, { code, message });
}
