import type {
  CalendarDate,
  Category,
  FaultFacts,
  FeeRange,
  OrderLookup,
  ProductModel,
  ServiceContract,
  Ticket,
  TicketDraft,
  UnitRecord,
  WarrantyVerdict,
} from '../desk/model';
import type { SerialLocation } from '../desk/catalogue';
import type { ConversationFacts } from '../desk/conversationFacts';
import type { TicketChase } from '../desk/ticketChases';
import type { CallbackPromise } from '../desk/ticketPromises';
import type { TicketAsker, TicketGuessOutcome, TicketGuessRefusal, TicketGuessTry } from '../desk/ticketGuesses';

/** What the service flows need from the desk: a narrow port, composed in app/app.ts. */
export interface DeskServices {
  catalogue: {
    findModel(text: string): ProductModel | undefined;
    findCategory(text: string): Category | undefined;
    model(id: string): ProductModel | undefined;
    category(id: string): Category | undefined;
    categories(): Category[];
    modelsOf(categoryId: string): ProductModel[];
    categoryOfSerial(serial: string): Category | undefined;
    categoryWords(categoryId: string): string[];
    /** Where the serial is printed on this family (two or three places), for customers who cannot find it. */
    serialLocations(categoryId: string): readonly SerialLocation[];
    /** The family's fees a sentence asks about ("换个屏幕多少钱" → 换屏); empty when it names none. */
    feesAsked(categoryId: string, sentence: string): FeeRange[];
  };
  /** A serial written somewhere in a message, in its family's format. */
  findSerial(text: string): string | undefined;
  lookupUnit(serial: string): Promise<UnitRecord | undefined>;
  /** A Taobao order's purchase date; undefined when the shop's order lookup is not configured. */
  lookupOrder?: (orderId: string) => Promise<OrderLookup>;
  /** Remembers what was learnt (product, warranty, ticket …) for the agent who may take over. */
  noteFacts?: (conversationId: string, facts: ConversationFacts) => Promise<void>;
  /** What the customer said earlier in the conversation (any flow): read before asking, confirmed rather than asked. */
  factsOf?: (conversationId: string) => Promise<ConversationFacts>;
  /** Images and other references the customer sent in this conversation (they go on the ticket). */
  attachmentsOf?: (conversationId: string) => Promise<string[]>;
  warrantyOf(input: {
    category: Category;
    purchaseDate?: CalendarDate;
    today: CalendarDate;
    facts: FaultFacts;
    contract?: ServiceContract;
  }): WarrantyVerdict;
  tickets: {
    create(draft: TicketDraft, by: string, idempotencyKey?: string): Promise<Ticket>;
    get(id: string): Promise<Ticket | undefined>;
    /** A phone's tickets, newest first (工单进度 for a customer who forgot the number). */
    byPhone?(phone: string): Promise<Ticket[]>;
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
