import { z } from 'zod';
import type { Area } from './model';
import { parseWorkingHours, type WorkingHours } from './workingHours';

const text = z.string().trim().min(1);

/** One service point (网点) as a service lead writes it in desk/data/servicePoints.yaml. */
export const servicePointSchema = z.strictObject({
  id: text,
  name: text,
  address: text,
  phone: text,
  /** "09:00-18:00 1-7", the desk's working-hours notation. */
  openingHours: text,
  /** GB/T 2260 district name → city or suburb (decides 6 or 7 working hours). */
  districts: z.record(text, z.enum(['city', 'suburb'] as const satisfies readonly Area[])),
  families: z.array(text).min(1),
  carryIn: z.boolean(),
  mailInAddress: text.optional(),
});

export const servicePointsFileSchema = z.strictObject({ servicePoints: z.array(servicePointSchema).min(1) });

export type ServicePointEntry = z.infer<typeof servicePointSchema>;

export interface CoveredDistrict {
  code: string;
  name: string;
  area: Area;
}

export interface ServicePoint {
  id: string;
  name: string;
  address: string;
  /** The number customers are given; engineers' own numbers are never shown. */
  phone: string;
  openingHours: WorkingHours;
  districts: CoveredDistrict[];
  families: string[];
  carryIn: boolean;
  mailInAddress?: string;
}

/** The opening hours as the desk reads them, or why they cannot be read. */
export function readOpeningHours(spec: string): WorkingHours | string {
  try {
    return parseWorkingHours(spec);
  } catch (error) {
    return (error as Error).message;
  }
}
