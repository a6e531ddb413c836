import type { TicketDraft } from '../../desk/model';

/** A plain in-warranty phone repair for tests that need some ticket to look up, with this phone. */
export function sampleTicketDraft(phone = '13812345678'): TicketDraft {
  return {
    customer: { name: '张伟', phone },
    product: { modelId: 'X20 Pro', category: 'phone' },
    warranty: { status: 'repair', serviceKind: 'free' },
    fault: { symptom: '屏幕不亮', liquid: false, physicalDamage: false, disassembled: false },
    serviceMode: 'carryIn',
    area: 'city',
    consent: { fee: false },
    channel: 'wechat',
    conversationId: 'conv-owner',
  };
}
