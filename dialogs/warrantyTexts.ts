import type { DamageKind, Locale } from '../knowledge';
import type { ServiceKind, WarrantyStatus } from '../desk/model';

/** The words of 保修查询 and what a repair costs: the verdict, its reasons, the fee ranges, the terms, damage that voids the warranty; one catalogue per language. */
export interface WarrantyTexts {
  kindNames: Record<ServiceKind, string>;
  statusNames: Record<WarrantyStatus, string>;
  fee: (name: string, min: number, max: number) => string;
  feeSpan: (min: number, max: number) => string;
  basedOnGivenDate: string;
  /** The purchase date came from the customer's Taobao order. */
  basedOnOrder: (orderId: string, date: string) => string;
  orderNotFound: (orderId: string) => string;
  orderUnavailable: string;
  orderNeedsModel: (date: string) => string;
  warrantyAsk: string;
  warrantyAskDate: (model: string) => string;
  warrantyResult: (model: string, reason: string, meaning: string) => string;
  warrantyMeaning: Record<ServiceKind | 'refund' | 'exchange', string>;
  offerReport: string;
  reportButton: string;
  /** Said once stated damage voids the warranty: why first, then the fee range, then that an engineer confirms. */
  damageNotice: (said: string, exclusion: string, feeLines: string) => string;
  damageSaid: Record<DamageKind, string>;
  /** The exclusion in the customer's language when the catalogue's own line is not in it. */
  exclusionNames: Record<DamageKind, string>;
  /** What a repair costs: a range from the catalogue, free in warranty. */
  feeAnswer: (product: string, feeLines: string) => string;
  feeAcross: (feeLines: string) => string;
  /** The range asked for in the middle of a flow, before its question comes back. */
  feeInFlow: (product: string, feeLines: string) => string;
  feeLine: (product: string, name: string, min: number, max: number) => string;
  feeAskProduct: string;
  /** The warranty terms of a model, when the purchase date cannot be known. */
  termsOnly: (model: string, terms: string) => string;
  termsLine: (refundDays: number, exchangeDays: number, months: number, parts: string) => string;
  partMonths: (name: string, months: number) => string;
}

const zhCN: WarrantyTexts = {
  kindNames: { free: '免费保修', contract: '延保契约服务', paid: '有偿维修' },
  statusNames: {
    refund: '7天内，可退货或换货',
    exchange: '15天内，可换货',
    repair: '在保修期内',
    outOfWarranty: '已过保修期',
    voided: '不在保修范围',
  },
  fee: (name, min, max) => `· ${name}：${min}–${max}元`,
  feeSpan: (min, max) => `${min}–${max}元`,
  basedOnGivenDate: '以上按您提供的购买日期计算，实际以购买凭证为准。',
  basedOnOrder: (orderId, date) => `购买日期按淘宝订单 ${orderId} 的付款日期（${date}）计算。`,
  orderNotFound: (orderId) => `没有查到订单 ${orderId}。只能查询本店的淘宝订单，请核对订单号；或者直接告诉我购买日期。`,
  orderUnavailable: '订单暂时查不到，请直接告诉我购买日期，例如“2025年3月5日”。',
  orderNeedsModel: (date) => `查到了订单，付款日期 ${date}。`,
  warrantyAsk: '请发一下设备的序列号（SN）；没有的话，告诉我型号也可以。',
  warrantyAskDate: (model) => `好的，${model}。请问是什么时候购买的？例如“2025年3月5日”“去年双十一”。`,
  warrantyResult: (model, reason, meaning) => `${model}：${reason}\n${meaning}`,
  warrantyMeaning: {
    refund: '现在出现性能故障，可以申请退货或换货，也可以免费维修。',
    exchange: '现在出现性能故障，可以申请换货或免费维修。',
    free: '在保修期内，维修免费。',
    contract: '在延保契约期内，维修按契约免费处理。',
    paid: '维修需要收费，常见维修参考价：',
  },
  offerReport: '需要的话，我可以直接为您报修。',
  reportButton: '报修',
  damageNotice: (said, exclusion, feeLines) =>
    `您提到${said}。按保修条款，“${exclusion}”不在免费保修范围内，所以这次维修很可能需要收费。参考价：\n${feeLines}\n这是参考范围，最终以工程师检测为准：如果检测确认故障和这个无关，仍按保修处理。`,
  damageSaid: { physicalDamage: '设备摔过或有碎裂', liquid: '设备进过水', disassembled: '设备拆过或在外面修过' },
  exclusionNames: {
    physicalDamage: '人为损坏（摔落、挤压、外力撞击）',
    liquid: '进水或受潮造成的损坏',
    disassembled: '未经授权的拆机或维修',
  },
  feeAnswer: (product, feeLines) =>
    `${product}的维修参考价：\n${feeLines}\n这是参考范围，具体以工程师检测后的报价为准，维修前会先和您确认。在保修期内、非人为损坏的性能故障维修免费。需要的话，回复“保修查询”或“报修”。`,
  feeAcross: (feeLines) =>
    `参考价（不同产品不一样）：\n${feeLines}\n这是参考范围，具体以工程师检测后的报价为准。在保修期内、非人为损坏的性能故障维修免费。告诉我具体型号，我可以说得更准。`,
  feeInFlow: (product, feeLines) =>
    `${product}的维修参考价：\n${feeLines}\n这是参考范围，具体以工程师检测后的报价为准；保修期内、非人为损坏的性能故障维修免费。`,
  feeLine: (product, name, min, max) => `· ${product}${name}：${min}–${max}元`,
  feeAskProduct: '请问是什么产品要修？点下面的选项，我告诉您参考价。',
  termsOnly: (model, terms) => `${model}的保修条款：${terms}\n具体以购买凭证上的日期为准；找到发票或订单后，随时发给我再查。`,
  termsLine: (refundDays, exchangeDays, months, parts) =>
    `${refundDays}天内性能故障可退货，${exchangeDays}天内可换货，整机保修${months}个月${parts ? `，${parts}` : ''}。`,
  partMonths: (name, months) => `${name}${months}个月`,
};

const en: WarrantyTexts = {
  kindNames: { free: 'free warranty repair', contract: 'extended-warranty service', paid: 'paid repair' },
  statusNames: {
    refund: 'within 7 days: refund or exchange',
    exchange: 'within 15 days: exchange',
    repair: 'under warranty',
    outOfWarranty: 'out of warranty',
    voided: 'not covered',
  },
  fee: (name, min, max) => `· ${name}: ¥${min}–${max}`,
  feeSpan: (min, max) => `¥${min}–${max}`,
  basedOnGivenDate: 'This is based on the purchase date you gave; your proof of purchase decides.',
  basedOnOrder: (orderId, date) => `The purchase date is the payment date of Taobao order ${orderId} (${date}).`,
  orderNotFound: (orderId) =>
    `I couldn't find order ${orderId}. Only orders from our own Taobao shop can be checked; please check the number, or tell me the purchase date.`,
  orderUnavailable: "I can't look up orders right now. Please tell me the purchase date, e.g. 2025-03-05.",
  orderNeedsModel: (date) => `Found the order, paid on ${date}.`,
  warrantyAsk: "Please send the device's serial number (SN), or tell me the model.",
  warrantyAskDate: (model) => `OK, ${model}. When did you buy it? e.g. 2025-03-05.`,
  warrantyResult: (model, reason, meaning) => `${model}: ${reason}\n${meaning}`,
  warrantyMeaning: {
    refund: 'For a performance fault you can ask for a refund or an exchange, or a free repair.',
    exchange: 'For a performance fault you can ask for an exchange or a free repair.',
    free: 'Repairs are free while under warranty.',
    contract: 'Your extended-warranty contract covers repairs.',
    paid: 'Repairs are chargeable. Typical prices:',
  },
  offerReport: 'If you like, I can log a repair for you now.',
  reportButton: 'Report a fault',
  damageNotice: (said, exclusion, feeLines) =>
    `You mentioned that ${said}. Under the warranty terms, ${exclusion} is not covered, so this repair will probably be paid. Typical prices:\n${feeLines}\nThis is a range; the engineer confirms on inspection, and if the fault turns out to be unrelated, the warranty still applies.`,
  damageSaid: {
    physicalDamage: 'the device was dropped or cracked',
    liquid: 'the device got wet',
    disassembled: 'the device was opened or repaired elsewhere',
  },
  exclusionNames: {
    physicalDamage: 'man-made damage (drops, crushing, impact)',
    liquid: 'damage from liquid or damp',
    disassembled: 'unauthorised opening or repair',
  },
  feeAnswer: (product, feeLines) =>
    `Typical repair prices for the ${product}:\n${feeLines}\nThis is a range; the engineer quotes the exact price after inspection and asks you before repairing. A performance fault within the warranty period (not man-made damage) is repaired free. Say "warranty check" or "report a fault" if you'd like.`,
  feeAcross: (feeLines) =>
    `Typical prices (they differ by product):\n${feeLines}\nThis is a range; the engineer quotes the exact price after inspection. A performance fault within the warranty period (not man-made damage) is repaired free. Tell me your model for a closer figure.`,
  feeInFlow: (product, feeLines) =>
    `Typical repair prices for the ${product}:\n${feeLines}\nThis is a range; the engineer quotes the exact price after inspection. A performance fault within the warranty period (not man-made damage) is repaired free.`,
  feeLine: (product, name, min, max) => `· ${product} ${name.toLowerCase()}: ¥${min}–${max}`,
  feeAskProduct: 'Which product needs the repair? Tap one below and I will tell you the typical price.',
  termsOnly: (model, terms) =>
    `Warranty terms of the ${model}: ${terms}\nThe date on your proof of purchase decides; send me the invoice or order date any time to check again.`,
  termsLine: (refundDays, exchangeDays, months, parts) =>
    `refund within ${refundDays} days and exchange within ${exchangeDays} days for a performance fault, ${months} months for the main unit${parts ? `, ${parts}` : ''}.`,
  partMonths: (name, months) => `${name.toLowerCase()} ${months} months`,
};

export const warrantyTexts: Record<Locale, WarrantyTexts> = { 'zh-CN': zhCN, en };
