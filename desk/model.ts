/**
 * The service desk's vocabulary (docs/domain.md), shared by the catalogue, the warranty rules, tickets
 * and the dialogs. Dates without a time are calendar dates in Asia/Shanghai, written YYYY-MM-DD.
 */

/** A calendar date, YYYY-MM-DD, in Asia/Shanghai. */
export type CalendarDate = string;

/** 上门维修 / 送修 (carry-in to a service point) / 寄修 (mail-in, return to factory). */
export type ServiceMode = 'onsite' | 'carryIn' | 'mailIn';
export const SERVICE_MODES: readonly ServiceMode[] = ['onsite', 'carryIn', 'mailIn'];

/** City or suburb: decides the dispatch deadline (6 or 7 working hours) and whether 上门 is offered. */
export type Area = 'city' | 'suburb';

/** A part with its own repair period (battery, charger …). */
export interface WarrantedPart {
  id: string;
  name: string;
  nameEn: string;
  months: number;
}

/** A typical out-of-warranty repair and what it costs, in yuan. */
export interface FeeRange {
  id: string;
  name: string;
  nameEn: string;
  minYuan: number;
  maxYuan: number;
}

export interface WarrantyTerms {
  /** A performance fault within this many days of purchase: refund or exchange (三包: 7). */
  refundDays: number;
  /** Within this many days: exchange (三包: 15). */
  exchangeDays: number;
  /** Free repair of the main unit (typically 12). */
  mainUnitMonths: number;
  /** Parts with their own period, longer (main parts) or shorter (batteries, accessories). */
  parts: WarrantedPart[];
  /** A repaired part's own warranty (commonly 90 days). */
  repairedPartDays: number;
}

export interface Category {
  id: string;
  name: string;
  nameEn: string;
  /** Regular expression (anchored by the loader) every serial of this family matches. */
  serialPattern: string;
  /** One example serial, shown to customers who give a malformed one. */
  serialExample: string;
  terms: WarrantyTerms;
  /** Exclusions in plain words, shown when a warranty is voided. */
  exclusions: string[];
  /** Which service modes exist for this family (a TV is not mailed in; earbuds get no visit). */
  serviceModes: ServiceMode[];
  fees: FeeRange[];
}

export interface ProductModel {
  /** The model number, e.g. "X20 Pro". */
  id: string;
  name: string;
  nameEn: string;
  category: string;
  /** Other ways customers name it (型号 without spaces, nicknames). */
  aliases: string[];
}

export type SalesChannel = 'webshop' | 'taobao' | 'wechat' | 'offline';

export interface ServiceContract {
  id: string;
  /** The last day the contract covers. */
  endsOn: CalendarDate;
}

/** One sold unit, from the serial-number registry. */
export interface UnitRecord {
  serial: string;
  modelId: string;
  saleDate: CalendarDate;
  channel: SalesChannel;
  contract?: ServiceContract;
}

/** What the customer says about the fault that bears on the warranty. */
export interface FaultFacts {
  liquid?: boolean;
  physicalDamage?: boolean;
  disassembled?: boolean;
  /** A registry record, a Taobao order or an invoice: without one the warranty cannot apply. */
  hasProof: boolean;
  /**
   * The purchase date (if any) is the customer's word and the proof is shown at inspection: judge by
   * that date, and mark the verdict 待凭购机凭证核实 instead of refusing the warranty.
   */
  proofPending?: boolean;
  /** The faulty part, when it has its own period (a part id of the category's terms). */
  partId?: string;
  /** The faulty part was repaired by us before, on this date: it carries its own warranty. */
  repairedOn?: CalendarDate;
  /** Days the unit already spent in repair or waiting for parts: added to the warranty. */
  daysInRepair?: number;
}

export type WarrantyStatus = 'refund' | 'exchange' | 'repair' | 'outOfWarranty' | 'voided';
/** 免费服务 / 契约服务 / 有费服务. */
export type ServiceKind = 'free' | 'contract' | 'paid';
export type VoidCause = 'liquid' | 'physicalDamage' | 'disassembled' | 'noProof';
export type Coverage = 'mainUnit' | 'part' | 'repairedPart' | 'contract' | 'none';

export interface WarrantyVerdict {
  status: WarrantyStatus;
  serviceKind: ServiceKind;
  /** The last day of the coverage that applies (or that applied, when it has run out). */
  endsOn?: CalendarDate;
  /** Days from today to endsOn, counting today as 0; negative once it has ended. */
  daysLeft?: number;
  coverage: Coverage;
  voidedBy?: VoidCause;
  /** Plain words for the customer: why this status. */
  reason: string;
  reasonEn: string;
  /** Paid service: what the common repairs of this family cost. */
  fees: FeeRange[];
  /** 待凭购机凭证核实: holds only once a proof of purchase is shown (the date was the customer's word, or unknown). */
  pendingProof?: boolean;
}

export type TicketStatus = 'new' | 'accepted' | 'dispatched' | 'inRepair' | 'completed' | 'closed' | 'cancelled';

export interface TicketDraft {
  customer: { name: string; phone: string };
  product: { modelId: string; category: string; serial?: string };
  purchaseDate?: CalendarDate;
  warranty: { status: WarrantyStatus; serviceKind: ServiceKind; endsOn?: CalendarDate; pendingProof?: boolean };
  fault: {
    symptom: string;
    /** When it started, in the customer's words (昨天, 一周前 …). */
    since?: string;
    liquid: boolean;
    physicalDamage: boolean;
    disassembled: boolean;
  };
  serviceMode: ServiceMode;
  area: Area;
  address?: string;
  feeEstimate?: { minYuan: number; maxYuan: number };
  /** Out of warranty the customer must agree to the fee before anything is created. */
  consent: { fee: boolean; at?: string };
  channel: string;
  conversationId: string;
  /** Images and other references the customer sent (media ids, URLs). */
  attachments?: string[];
  /** Remote troubleshooting steps already tried, so nobody asks again. */
  stepsTried?: string[];
}

export interface TicketEvent {
  at: string;
  /** Who: "customer", "bot", "agent:<name>", "engineer:<id>", "system". */
  by: string;
  action: 'created' | 'moved' | 'updated';
  from?: TicketStatus;
  to?: TicketStatus;
  /** For updates: field → [before, after]. */
  changes?: Record<string, [unknown, unknown]>;
  note?: string;
}

/**
 * A visit booked for a ticket (预约上门). Appointments are not built yet: this is where they land, and
 * 工单进度 already promises this window instead of the dispatch deadline once a ticket carries one.
 */
export interface TicketAppointment {
  id?: string;
  /** ISO instants of the booked window. */
  start: string;
  end: string;
}

export interface Ticket extends TicketDraft {
  id: string;
  status: TicketStatus;
  createdAt: string;
  updatedAt: string;
  /** When an engineer must be there: 6 working hours after the report in the city, 7 in the suburbs. */
  dispatchDeadline: string;
  /** The booked visit, once the customer has one: what the customer is promised from then on. */
  appointment?: TicketAppointment;
  /** Increases with every change; with the id it makes the webhook's idempotency key. */
  version: number;
  history: TicketEvent[];
}

/** A Taobao order looked up for its purchase date (only the shop's own orders resolve). */
export type OrderLookup =
  | { status: 'found'; orderId: string; purchaseDate: CalendarDate; titles: string[] }
  | { status: 'notFound' }
  | { status: 'unavailable'; reason: string };
