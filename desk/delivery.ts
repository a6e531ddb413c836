/**
 * What became of a message sent to a customer outside their turn (an agent's reply, a reminder):
 * the console shows it to the agent, and each channel's adapter reports it.
 */
export type DeliveryOutcome =
  | { status: 'delivered' }
  /** Not sent now (e.g. WeChat's 5-in-48-hours budget is spent): kept for when the customer writes again. */
  | { status: 'kept'; reason: string }
  | { status: 'failed'; reason: string };
