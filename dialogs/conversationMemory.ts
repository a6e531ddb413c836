import type { ConversationFacts } from '../desk/conversationFacts';
import type { MessageFacts } from '../knowledge';

/** The facts of one message (knowledge/facts.ts), with today's date already applied by whoever composes it. */
export interface FactsReader {
  read(text: string): MessageFacts;
  /** The answer to "describe the fault", cut free of chatter; undefined when nothing is left. */
  describedSymptom(answer: string): string | undefined;
}

/** What of a message is worth keeping for the rest of the conversation, in the conversation's facts. */
export function rememberable(facts: MessageFacts): ConversationFacts {
  return {
    category: facts.category,
    modelId: facts.modelId,
    serial: facts.serial,
    phone: facts.phone,
    orderId: facts.orderId,
    purchaseDate: facts.purchaseDate,
    approximateDate: facts.purchaseDate ? facts.approximateDate : undefined,
    symptom: facts.symptom,
    physicalDamage: facts.damage.physicalDamage,
    liquid: facts.damage.liquid,
    disassembled: facts.damage.disassembled,
    damageWords: facts.damageWords.length ? facts.damageWords : undefined,
    proof: facts.proof,
  };
}

/** The conversation's facts in the shape of a message's, so that a flow takes both the same way. */
export function asMessageFacts(facts: ConversationFacts): MessageFacts {
  return {
    category: facts.category,
    modelId: facts.modelId,
    serial: facts.serial,
    phone: facts.phone,
    orderId: facts.orderId,
    purchaseDate: facts.purchaseDate,
    approximateDate: facts.approximateDate,
    symptom: facts.symptom,
    damage: { physicalDamage: facts.physicalDamage, liquid: facts.liquid, disassembled: facts.disassembled },
    damageWords: facts.damageWords ?? [],
    proof: facts.proof,
    asksFee: false,
  };
}
