/**
 * Dispatch (派单): for a ticket's family, district and service mode, who can do it, when, and whether
 * in time. By DOMAIN: by product type, fault (its service mode), location and engineer availability;
 * the deadline is the ticket's own (6 working hours in the city, 7 in the suburbs, from the report).
 */
import { halfDaysAhead, isoWeekdayOf, windowOf, type HalfDay } from '../common/halfDays';
import type { Engineer } from './engineers';
import type { Area, ServiceMode } from './model';
import type { ServicePoint } from './servicePoints';
import { dispatchDeadlineOf } from './tickets';
import { worksHalfDay, type VisitNetwork } from './visitNetwork';
import type { EngineerSlot, VisitSlots } from './visitSlots';
import type { WorkingHours } from './workingHours';

/** How far ahead visits are offered. */
export const BOOKING_DAYS = 14;

export interface DispatchRequest {
  /** Catalogue category id (tv, laptop …). */
  family: string;
  /** GB/T 2260 code of the customer's district (desk/districts.ts). */
  districtCode: string;
  mode: ServiceMode;
  reportedAt: Date;
  /** The ticket's dispatchDeadline once it exists; otherwise computed from reportedAt and the district's area. */
  deadline?: Date;
}

/**
 * How a half-day stands against the deadline: `met` when the whole window ends before it; `possible`
 * when it begins before it (in time if the engineer comes there first); `missed` otherwise.
 */
export type DeadlineFit = 'met' | 'possible' | 'missed';

export interface VisitOffer {
  slot: EngineerSlot;
  engineer: Engineer;
  start: Date;
  end: Date;
  /** Places still free for this engineer in this half-day. */
  free: number;
  deadline: DeadlineFit;
}

export type DispatchPlan =
  /** No service point covers the district, or the covering one does not repair the family: agents decide. */
  | { kind: 'uncovered'; reason: 'district' | 'family' | 'mode' }
  | {
      kind: 'onsite';
      servicePoint: ServicePoint;
      area: Area;
      deadline: Date;
      /** Who can do it, least loaded first. */
      engineers: Engineer[];
      /** One offer per half-day with a free place (its least loaded engineer), soonest first. */
      offers: VisitOffer[];
      /** No engineer can be there before the deadline: flag the ticket for agents now, not once late. */
      atRisk: boolean;
    }
  | { kind: 'carryIn'; servicePoint: ServicePoint; area: Area; deadline: Date }
  | { kind: 'mailIn'; servicePoint: ServicePoint & { mailInAddress: string }; area: Area; deadline: Date };

export interface DispatchDeps {
  network: VisitNetwork;
  slots: Pick<VisitSlots, 'taken'>;
  workingHours: WorkingHours;
  now: () => Date;
}

export async function planDispatch(request: DispatchRequest, deps: DispatchDeps): Promise<DispatchPlan> {
  const cover = deps.network.coverOf(request.districtCode);
  if (!cover) return { kind: 'uncovered', reason: 'district' };
  const deadline = request.deadline ?? dispatchDeadlineOf(request.reportedAt, cover.area, deps.workingHours);
  const repairs = (point: ServicePoint): boolean => point.families.includes(request.family);

  if (request.mode === 'carryIn') {
    // The covering point is the nearest; another one only when it takes no carry-in of this family.
    const point = [cover.servicePoint, ...deps.network.servicePoints()].find((p) => p.carryIn && repairs(p));
    return point ? { kind: 'carryIn', servicePoint: point, area: cover.area, deadline } : { kind: 'uncovered', reason: 'mode' };
  }
  if (request.mode === 'mailIn') {
    const point = [cover.servicePoint, ...deps.network.servicePoints()].find((p) => p.mailInAddress !== undefined && repairs(p));
    return point?.mailInAddress !== undefined
      ? { kind: 'mailIn', servicePoint: { ...point, mailInAddress: point.mailInAddress }, area: cover.area, deadline }
      : { kind: 'uncovered', reason: 'mode' };
  }

  if (!repairs(cover.servicePoint)) return { kind: 'uncovered', reason: 'family' };
  const engineers = deps.network.engineersFor(request.family, request.districtCode);
  const now = deps.now();
  const halfDays = halfDaysAhead(now, BOOKING_DAYS);
  const shifts = engineers.flatMap((engineer) =>
    halfDays
      .filter((h) => worksHalfDay(engineer, isoWeekdayOf(h.date), h.halfDay))
      .map((h) => ({ engineer, slot: { engineerId: engineer.id, date: h.date, halfDay: h.halfDay } })),
  );
  const taken = await deps.slots.taken(shifts.map((s) => s.slot));
  const load = new Map<string, number>(engineers.map((e) => [e.id, 0]));
  shifts.forEach((s, i) => load.set(s.engineer.id, (load.get(s.engineer.id) ?? 0) + taken[i]));
  // Array.prototype.sort is stable: equal loads keep the data's order.
  const byLoad = [...engineers].sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0));
  const rank = new Map(byLoad.map((e, i) => [e.id, i]));

  const offers: VisitOffer[] = [];
  for (const h of halfDays) {
    const candidates = shifts
      .map((s, i) => ({ ...s, free: s.engineer.visitsPerHalfDay - taken[i] }))
      .filter((s) => s.slot.date === h.date && s.slot.halfDay === h.halfDay && s.free > 0)
      .sort((a, b) => (rank.get(a.engineer.id) ?? 0) - (rank.get(b.engineer.id) ?? 0));
    const chosen = candidates[0];
    if (!chosen) continue;
    const { start, end } = windowOf(chosen.slot);
    offers.push({ slot: chosen.slot, engineer: chosen.engineer, start, end, free: chosen.free, deadline: fitOf(start, end, deadline) });
  }
  return {
    kind: 'onsite',
    servicePoint: cover.servicePoint,
    area: cover.area,
    deadline,
    engineers: byLoad,
    offers,
    atRisk: !offers.some((o) => o.deadline !== 'missed'),
  };
}

function fitOf(start: Date, end: Date, deadline: Date): DeadlineFit {
  if (end.getTime() <= deadline.getTime()) return 'met';
  if (start.getTime() < deadline.getTime()) return 'possible';
  return 'missed';
}

/** The offer for a half-day the customer asked for (明天下午), if one is free. */
export function offerFor(offers: readonly VisitOffer[], date: string, halfDay: HalfDay): VisitOffer | undefined {
  return offers.find((o) => o.slot.date === date && o.slot.halfDay === halfDay);
}
