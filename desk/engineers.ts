import { z } from 'zod';

const text = z.string().trim().min(1);

/** One engineer as a service lead writes them in desk/data/engineers.yaml. */
export const engineerSchema = z.strictObject({
  id: text,
  name: text,
  servicePoint: text,
  families: z.array(text).min(1),
  /** ISO weekdays, "1-5" or "1-3,6,7". */
  workingDays: z.union([text, z.array(z.number().int())]),
  /** "09:00-12:00"; several a day, never overlapping. */
  shifts: z.array(text).min(1),
  visitsPerHalfDay: z.number().int().min(1),
});

export const engineersFileSchema = z.strictObject({ engineers: z.array(engineerSchema).min(1) });

export type EngineerEntry = z.infer<typeof engineerSchema>;

/** Minutes after midnight. */
export interface Shift {
  start: number;
  end: number;
}

export interface Engineer {
  id: string;
  /** Shown to the customer with the service point's phone, never a private number. */
  name: string;
  servicePointId: string;
  families: string[];
  workingDays: number[];
  shifts: Shift[];
  visitsPerHalfDay: number;
}

/** ISO weekdays from "1-5", "1-3,6,7" or [1, 2, 3], or why not. */
export function readWeekdays(value: string | number[]): number[] | string {
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value.map(String);
  const days = new Set<number>();
  for (const item of items) {
    const m = /^([1-7])(?:-([1-7]))?$/.exec(item);
    if (!m) return `"${item}" is not an ISO weekday (1 = Monday … 7 = Sunday) or a range of them`;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first) return `weekday range "${item}" runs backwards`;
    for (let d = first; d <= last; d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

/** A shift "09:00-12:00", or why not. */
export function readShift(spec: string): Shift | string {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(spec.trim());
  if (!m) return `"${spec}" is not a shift HH:mm-HH:mm`;
  const [start, end] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
  if (Number(m[2]) > 59 || Number(m[4]) > 59 || end > 24 * 60) return `"${spec}" is not a time of day`;
  if (end <= start) return `shift "${spec}" ends before it starts (no shift crosses midnight)`;
  return { start, end };
}

/** The index of the first shift that overlaps an earlier one. */
export function overlappingShift(shifts: readonly Shift[]): number | undefined {
  for (let i = 1; i < shifts.length; i++) {
    for (let j = 0; j < i; j++) if (shifts[i].start < shifts[j].end && shifts[j].start < shifts[i].end) return i;
  }
  return undefined;
}
