/** What a fault report (报修) knows between turns, and what it ends with. */
import type { Area, ServiceContract, ServiceMode } from '../desk/model';
import type { DamageKind } from '../knowledge';

/** In the order of the damage question's options. */
export const DAMAGES = ['none', 'physicalDamage', 'liquid', 'disassembled'] as const;
export type Damage = (typeof DAMAGES)[number];
export type Slot =
  | 'product'
  | 'confirmProduct'
  | 'family'
  | 'model'
  | 'purchaseDate'
  | 'dateProof'
  | 'proof'
  | 'symptom'
  | 'damage'
  | 'consent'
  | 'serviceMode'
  | 'area'
  | 'address'
  | 'name'
  | 'confirmPhone'
  | 'phone'
  | 'editWhich'
  | 'confirm';

/** A question is asked at most twice the same way and a third time differently; there is no fourth: the flow ends towards a person. */
export const GIVE_UP_AFTER = 3;

/** Everything the customer has told us so far; travels with the dialog from turn to turn. */
export interface FaultReportState {
  startedAt: string;
  modelId?: string;
  categoryId?: string;
  serial?: string;
  purchaseDate?: string;
  approximateDate?: boolean;
  /** The purchase date came from the registry or the shop's own order: there is nothing to verify. */
  dateProven?: boolean;
  /** The customer was asked for the order number or the invoice, not the date. */
  dateLookup?: boolean;
  /** No date and nothing to find it by: the report goes on, pending proof of purchase. */
  dateUnknown?: boolean;
  /** The customer's Taobao order the purchase date came from. */
  orderId?: string;
  contract?: ServiceContract;
  hasProof?: boolean;
  proofUnsure?: boolean;
  /** The customer cannot tell the serial: the family and its models are offered instead. */
  serialUnknown?: boolean;
  /** The customer cannot tell the model either: the engineer confirms it. */
  modelUnknown?: boolean;
  symptom?: string;
  damage?: Damage;
  /** Every kind of damage stated (a drop and water can both be true). */
  damageKinds?: DamageKind[];
  damageUnsure?: boolean;
  consent?: boolean;
  serviceMode?: ServiceMode;
  /** The service the customer asked for in passing (要寄修), taken when the product allows it. */
  wantedMode?: ServiceMode;
  area?: Area;
  address?: string;
  name?: string;
  phone?: string;
  /** Facts from earlier in the conversation: confirmed ("是 X20 Pro 吗？"), not asked again. */
  toConfirm?: { modelId?: string; serial?: string; phone?: string };
  editing?: boolean;
  stepsTried?: string[];
  asking?: Slot;
  /** How often each question has been asked. */
  asked?: Partial<Record<Slot, number>>;
  /** Things said once: the damage notice, where the serial is printed. */
  told?: { damage?: boolean; serialPlaces?: boolean };
  /** Said before the next question: why an answer was not taken, or what happens now. */
  note?: string;
}

export interface FaultReportOptions {
  utterance?: string;
  /** Facts already known (from troubleshooting): product, symptom, steps tried. */
  prefill?: Partial<FaultReportState>;
}

/** What the flow ended with, for the main dialog. */
export interface FaultReportResult {
  ticketId?: string;
  /** The product is not ours (洗衣机): nothing to report. */
  notOurs?: boolean;
  /** A question went unanswered four times: the customer is pointed to a person. */
  stuck?: boolean;
}
