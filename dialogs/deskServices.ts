import type {
  CalendarDate,
  Category,
  FaultFacts,
  OrderLookup,
  ProductModel,
  ServiceContract,
  Ticket,
  TicketDraft,
  UnitRecord,
  WarrantyVerdict,
} from '../desk/model';
import type { ConversationFacts } from '../desk/conversationFacts';
import type { TicketChase } from '../desk/ticketChases';
import type { CallbackPromise } from '../desk/ticketPromises';
import type { TicketAsker, TicketGuessOutcome, TicketGuessRefusal, TicketGuessTry } from '../desk/ticketGuesses';

/** What the service flows need from the desk: a narrow port, composed in bot/app.ts. */
export interface DeskServices {
  catalogue: {
    findModel(text: string): ProductModel | undefined;
    findCategory(text: string): Category | undefined;
    model(id: string): ProductModel | undefined;
    category(id: string): Category | undefined;
    modelsOf(categoryId: string): ProductModel[];
    categoryOfSerial(serial: string): Category | undefined;
    categoryWords(categoryId: string): string[];
  };
  /** A serial written somewhere in a message, in its family's format. */
  findSerial(text: string): string | undefined;
  lookupUnit(serial: string): Promise<UnitRecord | undefined>;
  /** A Taobao order's purchase date; undefined when the shop's order lookup is not configured. */
  lookupOrder?: (orderId: string) => Promise<OrderLookup>;
  /** Remembers what was learnt (product, warranty, ticket …) for the agent who may take over. */
  noteFacts?: (conversationId: string, facts: ConversationFacts) => Promise<void>;
  /** Images and other references the customer sent in this conversation (they go on the ticket). */
  attachmentsOf?: (conversationId: string) => Promise<string[]>;
  warrantyOf(input: { category: Category; purchaseDate?: CalendarDate; today: CalendarDate; facts: FaultFacts; contract?: ServiceContract }): WarrantyVerdict;
  tickets: {
    create(draft: TicketDraft, by: string, idempotencyKey?: string): Promise<Ticket>;
    get(id: string): Promise<Ticket | undefined>;
  };
  findTicketId(text: string): string | undefined;
  /** One try at a ticket's phone digits, or a refusal while that ticket (from anyone) or this customer is paused. */
  allowTicketGuess(ticketId: string, asker: TicketAsker): Promise<TicketGuessTry | TicketGuessRefusal>;
  /** The try's outcome; a miss may pause the ticket or the customer (logged and listed for agents). */
  recordTicketGuess(attempt: TicketGuessTry, matched: boolean, details: { maskedPhone?: string }): Promise<TicketGuessOutcome>;
  today(): CalendarDate;
  timeZone: string;
  /** The clock promises are measured against; the wall clock when not given. */
  now?: () => Date;
  /** The open call-back of any of these conversations, with the time it is promised by. */
  openCallback?: (conversationIds: string[]) => Promise<CallbackPromise | undefined>;
  /** The customer found a ticket past its promised time: the desk hears of it (logged, listed, once a day). */
  chaseTicket?: (chase: Omit<TicketChase, 'at'>) => Promise<void>;
}
