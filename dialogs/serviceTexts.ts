import type { DamageKind, Locale } from '../knowledge';
import type { Area, ServiceKind, ServiceMode, TicketStatus, WarrantyStatus } from '../desk/model';

/** The words of the service flows (报修, 保修查询, 工单进度), one catalogue per language. */
export interface ServiceTexts {
  askProduct: string;
  unknownSerial: (serial: string) => string;
  pickModel: (category: string) => string;
  /** The model question once the customer said they cannot tell the serial: it does not ask for it again. */
  pickModelNoSerial: (category: string) => string;
  /** Where a serial is printed, before the family is known. */
  serialWhereAny: string;
  /** No proof of purchase at hand: the report goes on pending it. */
  proofLater: string;
  productNotFound: string;
  askPurchaseDate: string;
  futureDate: string;
  badDate: string;
  askProof: string;
  yes: string;
  no: string;
  /** 是 / 不是: the answers to "是 X20 Pro 吗？". */
  yesItIs: string;
  noItIsNot: string;
  askSymptom: string;
  symptomTooShort: string;
  askDamage: string;
  damageOptions: [string, string, string, string];
  askConsent: (feeLines: string) => string;
  agree: string;
  disagree: string;
  declined: string;
  askServiceMode: string;
  askArea: string;
  areaNames: Record<Area, string>;
  askAddress: (mode: ServiceMode) => string;
  addressTooShort: string;
  askName: string;
  askPhone: string;
  badPhone: string;
  confirmSummary: (lines: string[]) => string;
  confirm: string;
  change: string;
  askWhichField: string;
  fieldNames: Record<string, string>;
  redo: (field: string) => string;
  /** Said on every channel: text channels number the options and say so themselves (adapters/textRendering.ts). */
  pleaseChoose: string;
  created: (id: string, kind: string, promise: string) => string;
  createFailed: string;
  summary: {
    product: string;
    serial: string;
    purchaseDate: string;
    warranty: string;
    symptom: string;
    damage: string;
    serviceMode: string;
    address: string;
    name: string;
    phone: string;
    fee: string;
  };
  modeNames: Record<ServiceMode, string>;
  kindNames: Record<ServiceKind, string>;
  statusNames: Record<WarrantyStatus, string>;
  ticketStatusNames: Record<TicketStatus, string>;
  fee: (name: string, min: number, max: number) => string;
  approximateDate: string;
  /** One line of the summary: label and value. */
  summaryLine: (label: string, value: string) => string;
  /** A remark after a value, e.g. the area after the service mode. */
  aside: (text: string) => string;
  feeSpan: (min: number, max: number) => string;
  basedOnGivenDate: string;
  /** The purchase date came from the customer's Taobao order. */
  basedOnOrder: (orderId: string, date: string) => string;
  orderNotFound: (orderId: string) => string;
  orderUnavailable: string;
  orderNeedsModel: (date: string) => string;
  promiseVisit: (when: string) => string;
  promiseCarryIn: string;
  promiseMailIn: string;
  warrantyAsk: string;
  warrantyAskDate: (model: string) => string;
  warrantyResult: (model: string, reason: string, meaning: string) => string;
  warrantyMeaning: Record<ServiceKind | 'refund' | 'exchange', string>;
  offerReport: string;
  reportButton: string;
  ticketAskId: string;
  ticketBadId: string;
  ticketAskPhone4: string;
  ticketBadPhone4: string;
  ticketMismatch: string;
  /** The number is forgotten: the phone given at the 报修 finds the tickets instead. */
  ticketAskPhoneLookup: string;
  /** Asked the second time: the ticket number, or the phone instead. */
  ticketAskIdOrPhone: string;
  ticketNoneForPhone: string;
  ticketsForPhone: (count: number, shown: number) => string;
  ticketSlowDown: (minutes: number) => string;
  /** The miss that paused the ticket: said instead of ticketMismatch. */
  ticketMismatchNowLocked: (minutes: number) => string;
  /** The ticket's lookup is paused (too many wrong digits, from anyone): even the right ones wait. */
  ticketLocked: (minutes: number) => string;
  ticketStatus: (id: string, status: string, deadline: string) => string;
  ticketHistoryLine: (when: string, what: string) => string;
  ticketCreatedEvent: string;

  // The other ways, offered the second time a question is asked (不知道 / 跳过 / 换个方式 / 转人工).
  dontKnowSerial: string;
  dontKnowModel: string;
  dontRemember: string;
  anotherWay: string;
  skip: string;
  toPerson: string;
  noneOfThese: string;
  unsure: string;
  goOnWithout: string;
  keepAsIs: string;
  newNumber: string;
  /** The customer cannot tell the serial and has not named the family. */
  askFamily: string;
  /** Where the serial is printed on this family, for a customer who cannot find it. */
  serialWhere: (category: string, places: string[]) => string;
  /** The model is not known: the report goes on, the engineer confirms it. */
  modelLater: string;
  modelUnknownName: (category: string) => string;
  /** A fact from earlier in the conversation, confirmed instead of asked. */
  confirmProduct: (name: string) => string;
  confirmPhone: (masked: string) => string;
  /** A product the company does not make or service, and what the customer can do instead. */
  notOurs: (product: string) => string;
  notOursUnnamed: string;
  /** No purchase date: the order number or the invoice, or go on unverified. */
  askDateProof: string;
  dateUnverified: string;
  /** Said once stated damage voids the warranty: why first, then the fee range, then that an engineer confirms. */
  damageNotice: (said: string, exclusion: string, feeLines: string) => string;
  damageSaid: Record<DamageKind, string>;
  /** The exclusion in the customer's language when the catalogue's own line is not in it. */
  exclusionNames: Record<DamageKind, string>;
  /** The consent question after the damage notice has listed the fees. */
  askConsentShort: string;
  symptomNotGiven: string;
  nameNotGiven: string;
  pendingProofMark: string;
  pendingProofReminder: string;
  /** Asked the third time, in other words than the first two. */
  askPhoneOtherwise: string;
  askAddressOtherwise: string;
  askNameOtherwise: string;
  chooseOtherwise: string;
  /** The fourth time nothing was understood: no fifth question, the flow ends towards a person. */
  stuck: string;
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

  // ── 工单进度: what happens next and by when (issue 12, item 6). Times come formatted. ──
  /** On-site, before the visit: the dispatch deadline. */
  ticketVisitBy: (when: string) => string;
  ticketVisitLate: (when: string) => string;
  /** A booked visit (or carry-in slot, or pick-up) in `window`. */
  ticketAppointment: Record<ServiceMode, (window: string) => string>;
  ticketAppointmentLate: (window: string) => string;
  /** Carry-in and mail-in, before the repair: the desk gets in touch by the deadline. */
  ticketContactBy: Record<'carryIn' | 'mailIn', (when: string) => string>;
  ticketContactLate: (when: string) => string;
  ticketRepairing: Record<ServiceMode, string>;
  ticketCompleted: Record<ServiceMode, (when: string) => string>;
  ticketClosed: (when: string, repairedPartDays?: number) => string;
  ticketCancelled: (when: string) => string;
  ticketCallbackBy: (id: string, when: string) => string;
  ticketCallbackLate: (id: string) => string;
  /** A time window on one day: start (with its date) and end (time of day only). */
  ticketWindow: (start: string, endTime: string) => string;
}

const zhCN: ServiceTexts = {
  askProduct: '请提供设备的序列号（SN，一般在包装盒、机身背面或“设置-关于本机”里）；不方便查的话，直接告诉我型号也可以。',
  unknownSerial: (serial) => `没有查到序列号 ${serial}，请核对后再发一次；或者直接告诉我型号。`,
  pickModel: (category) => `请问是哪一款${category}？可以点下面的型号，或直接发序列号。`,
  pickModelNoSerial: (category) => `没关系，不用序列号。请问是哪一款${category}？点下面的型号就行，不确定可以点“不知道型号”。`,
  serialWhereAny:
    '序列号一般印在包装盒侧面的标签上、机身背面或底部，手机和平板也可以在“设置-关于本机”里看到。找不到也没关系，告诉我是什么产品就行。',
  proofLater: '没关系，先按您说的日期登记，保修待凭购机凭证核实；之后找到发票或订单截图，检测时带上就行。',
  productNotFound: '抱歉，没能识别这个序列号或型号。请再发一次序列号，或告诉我具体型号（例如“星耀 X20 Pro”）。',
  askPurchaseDate: '请问是什么时候购买的？例如“2025年3月5日”“去年双十一”“上个月”。',
  futureDate: '购买日期不能晚于今天，请再确认一下是什么时候买的。',
  badDate: '抱歉，没能识别这个日期。请按“2025年3月5日”这样的格式告诉我，大概的日期也可以，例如“三个月前”。',
  askProof: '您手上有购买凭证吗（发票、电子订单或购物截图）？',
  yes: '有',
  no: '没有',
  yesItIs: '是',
  noItIsNot: '不是',
  askSymptom: '请简单描述一下故障现象，以及大概从什么时候开始的。',
  symptomTooShort: '请再具体描述一下故障现象，例如“充不进电”“开不了机”“屏幕有条纹”。',
  askDamage: '为了判断保修，请问设备有没有摔过或压过、进过水，或者自己拆过？',
  damageOptions: ['都没有', '摔过或压过', '进过水', '自己拆过'],
  askConsent: (feeLines) =>
    `这次维修需要收费，常见维修的参考价格：\n${feeLines}\n具体费用以工程师检测后的报价为准，维修前会再和您确认。您同意按此标准申请维修吗？`,
  agree: '同意',
  disagree: '不同意',
  declined: '好的，不会为您创建维修工单。如果之后需要维修，随时找我。',
  askServiceMode: '请选择服务方式：',
  askArea: '请问上门地址在市区还是郊区？',
  areaNames: { city: '市区', suburb: '郊区' },
  askAddress: (mode) => (mode === 'mailIn' ? '请提供收件地址（维修好后寄回给您），需写到门牌号。' : '请提供上门地址，需写到门牌号。'),
  addressTooShort: '地址好像不完整，请写清楚所在的区、街道和门牌号。',
  askName: '请问怎么称呼您？',
  askPhone: '请留一个联系电话（11位手机号），工程师会通过它和您联系。',
  badPhone: '这个号码好像不对，请提供11位中国大陆手机号，例如 13800138000。',
  confirmSummary: (lines) => `请核对报修信息：\n${lines.join('\n')}\n确认无误就点“确认提交”；要改哪一项，直接告诉我，比如“电话写错了”。`,
  confirm: '确认提交',
  change: '修改信息',
  askWhichField: '请问要修改哪一项？',
  fieldNames: {
    product: '型号',
    purchaseDate: '购买日期',
    symptom: '故障描述',
    damage: '损坏情况',
    serviceMode: '服务方式',
    address: '地址',
    name: '联系人',
    phone: '电话',
  },
  redo: (field) => `好的，我们重新填写${field}。`,
  pleaseChoose: '请从下面的选项中选一个。',
  created: (id, kind, promise) => `已为您创建维修工单，工单号 ${id}（${kind}）。${promise}\n之后可以随时发“工单进度”加工单号查询进展。`,
  createFailed: '抱歉，工单没能创建成功，请稍后再试，或回复“转人工”由客服为您登记。',
  summary: {
    product: '产品',
    serial: '序列号',
    purchaseDate: '购买日期',
    warranty: '保修状态',
    symptom: '故障',
    damage: '损坏情况',
    serviceMode: '服务方式',
    address: '地址',
    name: '联系人',
    phone: '电话',
    fee: '费用',
  },
  modeNames: { onsite: '上门维修', carryIn: '送修到服务网点', mailIn: '寄修' },
  kindNames: { free: '免费保修', contract: '延保契约服务', paid: '有偿维修' },
  statusNames: {
    refund: '7天内，可退货或换货',
    exchange: '15天内，可换货',
    repair: '在保修期内',
    outOfWarranty: '已过保修期',
    voided: '不在保修范围',
  },
  ticketStatusNames: {
    new: '已受理，等待确认',
    accepted: '已确认，正在安排工程师',
    dispatched: '已派工，工程师将与您联系',
    inRepair: '维修中',
    completed: '已修好',
    closed: '已完成',
    cancelled: '已取消',
  },
  fee: (name, min, max) => `· ${name}：${min}–${max}元`,
  approximateDate: '（大概日期，以购买凭证为准）',
  summaryLine: (label, value) => `${label}：${value}`,
  aside: (text) => `（${text}）`,
  feeSpan: (min, max) => `${min}–${max}元`,
  basedOnGivenDate: '以上按您提供的购买日期计算，实际以购买凭证为准。',
  basedOnOrder: (orderId, date) => `购买日期按淘宝订单 ${orderId} 的付款日期（${date}）计算。`,
  orderNotFound: (orderId) => `没有查到订单 ${orderId}。只能查询本店的淘宝订单，请核对订单号；或者直接告诉我购买日期。`,
  orderUnavailable: '订单暂时查不到，请直接告诉我购买日期，例如“2025年3月5日”。',
  orderNeedsModel: (date) => `查到了订单，付款日期 ${date}。`,
  promiseVisit: (when) => `工程师会在 ${when} 前上门，上门前会先致电您确认时间。`,
  promiseCarryIn: '请带上设备和购买凭证到就近的服务网点，工作人员会优先为您处理。',
  promiseMailIn: '我们会在今天内把寄修地址和包装说明发给您，收到设备后会尽快检测。',
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
  ticketAskId: '请发一下工单号（例如 S261122-0042）。',
  ticketBadId: '没能识别工单号，工单号的格式类似 S261122-0042，请再发一次。',
  ticketAskPhone4: '为了保护您的信息，请提供工单上联系电话的后四位。',
  ticketBadPhone4: '请发4位数字，即工单上联系电话的最后四位。',
  ticketMismatch: '工单号和电话后四位对不上，请核对后重新查询。',
  ticketAskPhoneLookup: '没关系，请发一下报修时留的手机号（11位），我帮您查。',
  ticketAskIdOrPhone: '请发工单号（例如 S261122-0042）；不记得的话，发报修时留的手机号也可以。',
  ticketNoneForPhone: '这个手机号下没有查到工单。请核对是不是报修时留的号码，或发工单号查询；也可以回复“转人工”。',
  ticketsForPhone: (count, shown) =>
    count > shown ? `这个手机号下有 ${count} 张工单，最近的 ${shown} 张：` : `这个手机号下有 ${count} 张工单：`,
  ticketSlowDown: (minutes) => `查询次数太多了，为了保护客户信息，请 ${minutes} 分钟后再试，或回复“转人工”。`,
  ticketMismatchNowLocked: (minutes) =>
    `工单号和电话后四位对不上。为了保护客户信息，这张工单的自助查询暂停 ${minutes} 分钟。如需马上了解进度，请回复“转人工”，由客服为您查询。`,
  ticketLocked: (minutes) =>
    `为了保护客户信息，这张工单的自助查询已暂停，请 ${minutes} 分钟后再试。如需马上了解进度，请回复“转人工”，由客服为您查询。`,
  ticketStatus: (id, status, deadline) => `工单 ${id}：${status}。${deadline}`,
  ticketHistoryLine: (when, what) => `· ${when} ${what}`,
  ticketCreatedEvent: '报修已受理',

  dontKnowSerial: '不知道序列号',
  dontKnowModel: '不知道型号',
  dontRemember: '不记得了',
  anotherWay: '换个方式',
  skip: '跳过',
  toPerson: '转人工',
  noneOfThese: '都不是',
  unsure: '不确定',
  goOnWithout: '没有，先继续',
  keepAsIs: '不改了',
  newNumber: '换一个号码',
  askFamily: '没关系，我们换个方式。请问是什么产品？点下面的选项就行。',
  serialWhere: (category, places) =>
    `${category}的序列号一般在：\n${places.map((place) => `· ${place}`).join('\n')}\n找不到也没关系，点下面的型号就行。`,
  modelLater: '好的，型号先不填，工程师检测时会确认。',
  modelUnknownName: (category) => `型号待确认（${category}）`,
  confirmProduct: (name) => `是${name}吗？`,
  confirmPhone: (masked) => `还用 ${masked} 这个号码联系您吗？`,
  notOurs: (product) =>
    `抱歉，${product}不是我们的产品，我们没法提供维修服务，建议联系${product}品牌的售后。我们服务的是手机、笔记本电脑、平板、路由器、电视、耳机和智能手表；需要人工客服的话，可以在下面的菜单里选“转人工”。`,
  notOursUnnamed:
    '抱歉，这个产品可能不是我们的，我们没法提供维修服务。我们服务的是手机、笔记本电脑、平板、路由器、电视、耳机和智能手表；需要人工客服的话，可以在下面的菜单里选“转人工”。',
  askDateProof:
    '没关系。如果是在我们淘宝店买的，发一下订单号我帮您查；有发票的话，告诉我发票上的日期也行。都没有的话可以先继续，保修待凭购机凭证核实。',
  dateUnverified: '好的，购买日期先空着，保修待凭购机凭证核实：检测时请带上发票、电子订单或保修卡。',
  damageNotice: (said, exclusion, feeLines) =>
    `您提到${said}。按保修条款，“${exclusion}”不在免费保修范围内，所以这次维修很可能需要收费。参考价：\n${feeLines}\n这是参考范围，最终以工程师检测为准：如果检测确认故障和这个无关，仍按保修处理。`,
  damageSaid: { physicalDamage: '设备摔过或有碎裂', liquid: '设备进过水', disassembled: '设备拆过或在外面修过' },
  exclusionNames: {
    physicalDamage: '人为损坏（摔落、挤压、外力撞击）',
    liquid: '进水或受潮造成的损坏',
    disassembled: '未经授权的拆机或维修',
  },
  askConsentShort: '按有偿维修申请，您同意吗？维修前工程师会先检测并报价，您确认后才会维修。',
  symptomNotGiven: '客户未详细描述，待工程师检测',
  nameNotGiven: '客户未留姓名',
  pendingProofMark: '待凭购机凭证核实',
  pendingProofReminder: '保修待凭购机凭证核实，检测时请带上发票、电子订单或保修卡。',
  askPhoneOtherwise: '工程师需要一个能联系到您的手机号，11位，例如 13800138000。不方便留的话，可以选“转人工”。',
  askAddressOtherwise: '请把地址写完整一些，例如“上海市浦东新区世纪大道88号3栋201”。也可以换个服务方式，或选“转人工”。',
  askNameOtherwise: '工程师联系您时怎么称呼？写个姓就行，例如“王先生”；不想留也可以跳过。',
  chooseOtherwise: '我换个问法：请直接点下面的一个选项。',
  stuck: '抱歉，这一步我没能帮上忙。您说的情况我已经记下了，可以在下面的菜单里选“转人工”，由客服为您办理。',
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

  // ── 工单进度: what happens next and by when (issue 12, item 6) ──
  ticketVisitBy: (when) => `工程师会在 ${when} 前上门，出发前会先电话联系您。`,
  ticketVisitLate: (when) =>
    `原定 ${when} 前上门，已超过承诺时间，非常抱歉！我们已为您催办，会优先安排工程师；如需马上联系客服，请回复“转人工”。`,
  ticketAppointment: {
    onsite: (window) => `工程师会在您预约的 ${window} 上门，出发前会先电话联系您。`,
    carryIn: (window) => `您预约的送修时间是 ${window}，请带上设备和购买凭证到服务网点。`,
    mailIn: (window) => `快递员会在您预约的 ${window} 上门取件。`,
  },
  ticketAppointmentLate: (window) =>
    `您预约的 ${window} 已经过了，让您久等了，非常抱歉！我们已为您催办，会优先处理；如需马上联系客服，请回复“转人工”。`,
  ticketContactBy: {
    carryIn: (when) => `工程师会在 ${when} 前联系您，约好送修的网点和时间。`,
    mailIn: (when) => `工程师会在 ${when} 前联系您，告诉您寄修地址和包装方法。`,
  },
  ticketContactLate: (when) =>
    `原定 ${when} 前联系您，已超过承诺时间，非常抱歉！我们已为您催办，会优先处理；如需马上联系客服，请回复“转人工”。`,
  ticketRepairing: {
    onsite: '工程师正在为您维修；如需更换配件，会先和您确认。',
    carryIn: '设备正在维修，修好后会电话通知您到网点取机。',
    mailIn: '设备正在维修，修好后会寄回给您，并告诉您快递单号。',
  },
  ticketCompleted: {
    onsite: (when) => `维修完成于 ${when}。接下来我们会请您对这次服务做个评价，有问题随时找我。`,
    carryIn: (when) => `维修完成于 ${when}，请凭工单号到服务网点取机。`,
    mailIn: (when) => `维修完成于 ${when}，我们会尽快寄回，发货后把快递单号告诉您。`,
  },
  ticketClosed: (when, days) => `服务已于 ${when} 结束。${days ? `维修过的部件另有 ${days} 天保修，` : ''}再有问题随时找我。`,
  ticketCancelled: (when) => `工单已于 ${when} 取消。如还需要维修，回复“报修”即可重新提交。`,
  ticketCallbackBy: (id, when) => `您登记的回电（编号 ${id}）：客服会在 ${when} 前给您打电话。`,
  ticketCallbackLate: (id) => `您登记的回电（编号 ${id}）还没打给您，非常抱歉！我们已催办，客服会尽快给您打电话。`,
  ticketWindow: (start, endTime) => `${start}–${endTime}`,
};

const en: ServiceTexts = {
  askProduct:
    "What's the device's serial number (SN — on the box, the back of the device or in Settings > About)? If that's hard to find, just tell me the model.",
  unknownSerial: (serial) => `I couldn't find serial ${serial}. Please check it and send it again, or tell me the model.`,
  pickModel: (category) => `Which ${category.toLowerCase()} is it? Tap a model below, or send the serial number.`,
  pickModelNoSerial: (category) =>
    `No problem, we can do without it. Which ${category.toLowerCase()} is it? Tap a model below, or "I don't know the model" if unsure.`,
  serialWhereAny:
    "The serial is usually on the label on the side of the box, on the back or bottom of the device, and for phones and tablets in Settings > About. If you can't find it, just tell me what product it is.",
  proofLater:
    "No problem: we'll go by the date you gave, pending proof of purchase; if you find the invoice or order later, bring it to the inspection.",
  productNotFound:
    'Sorry, I couldn\'t recognise that serial number or model. Please send the serial again, or the exact model (e.g. "X20 Pro").',
  askPurchaseDate: 'When did you buy it? For example "2025-03-05", "last month" or "3 months ago".',
  futureDate: "The purchase date can't be later than today. When did you buy it?",
  badDate: "Sorry, I couldn't read that date. Please write it like 2025-03-05; an approximate date is fine.",
  askProof: 'Do you have proof of purchase (invoice, online order or receipt)?',
  yes: 'Yes',
  no: 'No',
  yesItIs: 'Yes',
  noItIsNot: 'No',
  askSymptom: 'Please describe the problem briefly, and roughly when it started.',
  symptomTooShort: 'Could you describe the problem a little more, e.g. "won\'t charge", "won\'t turn on"?',
  askDamage: 'To check the warranty: has the device been dropped or crushed, got wet, or been opened by anyone?',
  damageOptions: ['None of these', 'Dropped or crushed', 'Got wet', 'Opened it myself'],
  askConsent: (feeLines) =>
    `This repair is chargeable. Typical prices:\n${feeLines}\nThe engineer confirms the exact price after inspection, before repairing. Do you agree to go ahead on this basis?`,
  agree: 'Agree',
  disagree: "Don't agree",
  declined: "OK, I won't create a repair ticket. If you need a repair later, just ask.",
  askServiceMode: 'How would you like it serviced?',
  askArea: 'Is the address in the city or in the suburbs?',
  areaNames: { city: 'City', suburb: 'Suburbs' },
  askAddress: (mode) =>
    mode === 'mailIn'
      ? 'Please give the return address (street and number).'
      : 'Please give the address for the visit (street and number).',
  addressTooShort: 'The address looks incomplete: please include district, street and number.',
  askName: 'May I have your name?',
  askPhone: 'Please leave a mobile number (11 digits) so the engineer can reach you.',
  badPhone: "That number doesn't look right. Please give an 11-digit mainland mobile number, e.g. 13800138000.",
  confirmSummary: (lines) =>
    `Please check your repair request:\n${lines.join('\n')}\nTap "Submit" if it's right, or tell me what to change, e.g. "wrong phone".`,
  confirm: 'Submit',
  change: 'Change something',
  askWhichField: 'What would you like to change?',
  fieldNames: {
    product: 'model',
    purchaseDate: 'purchase date',
    symptom: 'problem',
    damage: 'damage',
    serviceMode: 'service type',
    address: 'address',
    name: 'name',
    phone: 'phone',
  },
  redo: (field) => `OK, let's redo the ${field}.`,
  pleaseChoose: 'Please pick one of the options below.',
  created: (id, kind, promise) =>
    `Your repair ticket is ${id} (${kind}). ${promise}\nYou can check on it any time: say "ticket status" and the number.`,
  createFailed: 'Sorry, the ticket could not be created. Please try again shortly, or say "agent" and a colleague will log it.',
  summary: {
    product: 'Product',
    serial: 'Serial',
    purchaseDate: 'Purchased',
    warranty: 'Warranty',
    symptom: 'Problem',
    damage: 'Damage',
    serviceMode: 'Service',
    address: 'Address',
    name: 'Name',
    phone: 'Phone',
    fee: 'Fees',
  },
  modeNames: { onsite: 'On-site visit', carryIn: 'Carry-in to a service point', mailIn: 'Mail-in' },
  kindNames: { free: 'free warranty repair', contract: 'extended-warranty service', paid: 'paid repair' },
  statusNames: {
    refund: 'within 7 days: refund or exchange',
    exchange: 'within 15 days: exchange',
    repair: 'under warranty',
    outOfWarranty: 'out of warranty',
    voided: 'not covered',
  },
  ticketStatusNames: {
    new: 'received, awaiting confirmation',
    accepted: 'confirmed, assigning an engineer',
    dispatched: 'dispatched, the engineer will contact you',
    inRepair: 'being repaired',
    completed: 'repaired',
    closed: 'closed',
    cancelled: 'cancelled',
  },
  fee: (name, min, max) => `· ${name}: ¥${min}–${max}`,
  approximateDate: ' (approximate; proof of purchase decides)',
  summaryLine: (label, value) => `${label}: ${value}`,
  aside: (text) => ` (${text})`,
  feeSpan: (min, max) => `¥${min}–${max}`,
  basedOnGivenDate: 'This is based on the purchase date you gave; your proof of purchase decides.',
  basedOnOrder: (orderId, date) => `The purchase date is the payment date of Taobao order ${orderId} (${date}).`,
  orderNotFound: (orderId) =>
    `I couldn't find order ${orderId}. Only orders from our own Taobao shop can be checked; please check the number, or tell me the purchase date.`,
  orderUnavailable: "I can't look up orders right now. Please tell me the purchase date, e.g. 2025-03-05.",
  orderNeedsModel: (date) => `Found the order, paid on ${date}.`,
  promiseVisit: (when) => `An engineer will visit before ${when} and will call before coming.`,
  promiseCarryIn: 'Please bring the device and proof of purchase to your nearest service point.',
  promiseMailIn: "We'll send you the shipping address and packing instructions today.",
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
  ticketAskId: 'Please send the ticket number (e.g. S261122-0042).',
  ticketBadId: "I couldn't read a ticket number. It looks like S261122-0042; please send it again.",
  ticketAskPhone4: 'To protect your data, please give the last four digits of the phone number on the ticket.',
  ticketBadPhone4: 'Please send 4 digits: the last four of the phone number on the ticket.',
  ticketMismatch: "The ticket number and the phone digits don't match. Please check and try again.",
  ticketAskPhoneLookup: "No problem. Please send the mobile number you gave when reporting the fault, and I'll look it up.",
  ticketAskIdOrPhone:
    "Please send the ticket number (e.g. S261122-0042), or, if you don't have it, the mobile number you gave when reporting the fault.",
  ticketNoneForPhone:
    'I found no ticket for this mobile number. Please check it is the one you gave when reporting, or send the ticket number; you can also say "agent".',
  ticketsForPhone: (count, shown) =>
    count > shown
      ? `This number has ${count} tickets; the latest ${shown}:`
      : count === 1
        ? 'This number has 1 ticket:'
        : `This number has ${count} tickets:`,
  ticketSlowDown: (minutes) => `Too many attempts. To protect our customers, please try again in ${minutes} minutes, or say "agent".`,
  ticketMismatchNowLocked: (minutes) =>
    `The ticket number and the phone digits don't match. To protect our customers, online lookup of this ticket is paused for ${minutes} minutes. If you need the status now, say "agent" and a colleague will look it up for you.`,
  ticketLocked: (minutes) =>
    `To protect our customers, online lookup of this ticket is paused. Please try again in ${minutes} minutes, or say "agent" and a colleague will look it up for you.`,
  ticketStatus: (id, status, deadline) => `Ticket ${id}: ${status}. ${deadline}`,
  ticketHistoryLine: (when, what) => `· ${when} ${what}`,
  ticketCreatedEvent: 'repair request received',

  dontKnowSerial: "I don't know the serial",
  dontKnowModel: "I don't know the model",
  dontRemember: "Don't remember",
  anotherWay: 'Another way',
  skip: 'Skip',
  toPerson: 'Talk to an agent',
  noneOfThese: 'None of these',
  unsure: 'Not sure',
  goOnWithout: 'No, go on',
  keepAsIs: 'Keep it as it is',
  newNumber: 'Another number',
  askFamily: "No problem, let's do it another way. What kind of product is it? Tap one below.",
  serialWhere: (category, places) =>
    `Where to find the serial on your ${category.toLowerCase()}:\n${places.map((place) => `· ${place}`).join('\n')}\nIf you can't find it, just tap the model below.`,
  modelLater: "OK, we'll leave the model open; the engineer confirms it on inspection.",
  modelUnknownName: (category) => `model to be confirmed (${category})`,
  confirmProduct: (name) => `Is it the ${name}?`,
  confirmPhone: (masked) => `Shall we call you on ${masked}?`,
  notOurs: (product) =>
    `Sorry, ${product} is not one of our products, so we can't repair it; its maker's service line can help. We service phones, laptops, tablets, routers, TVs, earbuds and smartwatches. To talk to an agent, pick "Talk to an agent" in the menu below.`,
  notOursUnnamed:
    'Sorry, this does not seem to be one of our products, so we cannot repair it. We service phones, laptops, tablets, routers, TVs, earbuds and smartwatches. To talk to an agent, pick "Talk to an agent" in the menu below.',
  askDateProof:
    "No problem. If you bought it in our Taobao shop, send me the order number and I'll look it up; or tell me the date on the invoice. If you have neither, we can go on and the warranty is checked against a proof of purchase later.",
  dateUnverified:
    "OK, we'll leave the purchase date open; the warranty is pending proof of purchase: please bring the invoice, online order or warranty card to the inspection.",
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
  askConsentShort: 'Shall we go ahead as a paid repair? The engineer inspects and quotes first, and repairs only once you agree.',
  symptomNotGiven: 'not described, to be checked by the engineer',
  nameNotGiven: 'name not given',
  pendingProofMark: 'pending proof of purchase',
  pendingProofReminder:
    'The warranty is pending proof of purchase: please bring the invoice, online order or warranty card to the inspection.',
  askPhoneOtherwise:
    'The engineer needs a mobile number to reach you: 11 digits, e.g. 13800138000. If you would rather not, pick "Talk to an agent".',
  askAddressOtherwise:
    'Please write the full address, e.g. "88 Century Avenue, Building 3, Room 201, Pudong, Shanghai". You can also choose another service type, or talk to an agent.',
  askNameOtherwise: 'How should the engineer address you? A surname is enough, e.g. "Mr Wang"; you can also skip it.',
  chooseOtherwise: 'Let me put it another way: please tap one of the options below.',
  stuck:
    'Sorry, I couldn\'t get this step right. I\'ve noted what you told me; pick "Talk to an agent" in the menu below and a colleague will take care of it.',
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

  // ── 工单进度: what happens next and by when (issue 12, item 6) ──
  ticketVisitBy: (when) => `The engineer will visit by ${when} and will phone you before setting off.`,
  ticketVisitLate: (when) =>
    `The visit was due by ${when} and we are late. We're very sorry: we've chased it and it is being handled with priority. To talk to a person now, say "agent".`,
  ticketAppointment: {
    onsite: (window) => `The engineer will visit in your booked slot, ${window}, and will phone you before setting off.`,
    carryIn: (window) => `Your carry-in is booked for ${window}; please bring the device and proof of purchase to the service point.`,
    mailIn: (window) => `A courier will collect the device in your booked slot, ${window}.`,
  },
  ticketAppointmentLate: (window) =>
    `Your booked slot, ${window}, has passed. We're very sorry: we've chased it and it is being handled with priority. To talk to a person now, say "agent".`,
  ticketContactBy: {
    carryIn: (when) => `An engineer will contact you by ${when} to arrange the service point and time.`,
    mailIn: (when) => `An engineer will contact you by ${when} with the mailing address and packing instructions.`,
  },
  ticketContactLate: (when) =>
    `We promised to contact you by ${when} and we are late. We're very sorry: we've chased it and it is being handled with priority. To talk to a person now, say "agent".`,
  ticketRepairing: {
    onsite: 'The engineer is repairing it; if a part needs replacing, they will check with you first.',
    carryIn: "It is being repaired; we'll phone you when it is ready to collect.",
    mailIn: "It is being repaired; we'll send it back when it's done and give you the tracking number.",
  },
  ticketCompleted: {
    onsite: (when) => `Repaired on ${when}. We'll ask you to rate the service; tell me if anything is still wrong.`,
    carryIn: (when) => `Repaired on ${when}: please collect it at the service point with your ticket number.`,
    mailIn: (when) => `Repaired on ${when}: we'll send it back soon and give you the tracking number.`,
  },
  ticketClosed: (when, days) =>
    `Closed on ${when}.${days ? ` Repaired parts carry a ${days}-day warranty.` : ''} Write any time if something is wrong.`,
  ticketCancelled: (when) => `Cancelled on ${when}. If you still need a repair, say "report a fault" to start again.`,
  ticketCallbackBy: (id, when) => `Your call-back (number ${id}): an agent will phone you by ${when}.`,
  ticketCallbackLate: (id) =>
    `Your call-back (number ${id}) hasn't been made yet. We're sorry: we've chased it and an agent will phone you as soon as possible.`,
  ticketWindow: (start, endTime) => `${start}–${endTime}`,
};

const catalogues: Record<Locale, ServiceTexts> = { 'zh-CN': zhCN, en };

export function serviceTextsFor(locale: Locale): ServiceTexts {
  return catalogues[locale];
}
