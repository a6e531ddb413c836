/**
 * The turn-state key under which the dialogs leave the intent a turn was routed by; the channels
 * read it for the turn's log line. It sits below both so that neither imports the other.
 */
export const TURN_INTENT = Symbol('turnIntent');
