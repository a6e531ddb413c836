import type { Area, ServiceMode } from '../desk/model';
import type { Locale } from '../knowledge';

/** The words of 报修: the questions, their other ways, corrections, the summary and the ticket created; one catalogue per language. */
export interface ReportTexts {
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
  approximateDate: string;
  /** One line of the summary: label and value. */
  summaryLine: (label: string, value: string) => string;
  /** A remark after a value, e.g. the area after the service mode. */
  aside: (text: string) => string;
  promiseVisit: (when: string) => string;
  promiseCarryIn: string;
  promiseMailIn: string;

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
}

const zhCN: ReportTexts = {
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
  approximateDate: '（大概日期，以购买凭证为准）',
  summaryLine: (label, value) => `${label}：${value}`,
  aside: (text) => `（${text}）`,
  promiseVisit: (when) => `工程师会在 ${when} 前上门，上门前会先致电您确认时间。`,
  promiseCarryIn: '请带上设备和购买凭证到就近的服务网点，工作人员会优先为您处理。',
  promiseMailIn: '我们会在今天内把寄修地址和包装说明发给您，收到设备后会尽快检测。',

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
};

const en: ReportTexts = {
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
  approximateDate: ' (approximate; proof of purchase decides)',
  summaryLine: (label, value) => `${label}: ${value}`,
  aside: (text) => ` (${text})`,
  promiseVisit: (when) => `An engineer will visit before ${when} and will call before coming.`,
  promiseCarryIn: 'Please bring the device and proof of purchase to your nearest service point.',
  promiseMailIn: "We'll send you the shipping address and packing instructions today.",

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
};

export const reportTexts: Record<Locale, ReportTexts> = { 'zh-CN': zhCN, en };
