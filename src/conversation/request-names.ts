import { ACTIVITY_REQUESTS } from "../activities/activity-requests.js";
import { HANDOFF_REQUESTS } from "../handoffs/handoff-requests.js";

/**
 * The requests the conversation service answers itself: erasing the resident (also asked by the web chat's
 * exit button), and quiet mode on and off (kept on the resident row).
 */
export const CONVERSATION_REQUESTS = ["erase", "quiet_on", "quiet_off"] as const;

/**
 * Who handles each flow request, by name: the service itself and every desk. `npm run flows:check` fails on an
 * `emit` no one here handles; the conversation service checks at start that its desks declare the same names.
 */
export const REQUEST_HANDLERS: Readonly<Record<string, readonly string[]>> = {
  conversation: CONVERSATION_REQUESTS,
  activities: ACTIVITY_REQUESTS,
  handoffs: HANDOFF_REQUESTS,
};

/** Every request name someone handles. */
export const HANDLED_REQUESTS: ReadonlySet<string> = new Set(Object.values(REQUEST_HANDLERS).flat());
