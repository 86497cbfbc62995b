import type { RequestArgs } from "../engine/events.js";

/** A subscription to activity news: a topic (undefined: any) in a neighbourhood (undefined: both). */
export type SubscriptionRequest = {
  topic?: string | undefined;
  neighbourhood?: string | undefined;
  /** The resident changed the neighbourhood just chosen for them: that subscription (same topic) is withdrawn. */
  replaces?: { neighbourhood?: string | undefined };
};

/**
 * The subscription a flow's `subscribe` request asks for, from its arguments `topic` (`all`: any), `area`
 * (`both`: either neighbourhood) and `previous` (the neighbourhood subscribed to a moment ago, if another).
 */
export function subscriptionOf(args: RequestArgs): SubscriptionRequest {
  const { topic, area, previous } = args;
  return {
    topic: typeof topic === "string" && topic !== "all" ? topic : undefined,
    neighbourhood: typeof area === "string" && area !== "both" ? area : undefined,
    ...(typeof previous === "string" && previous !== area ? { replaces: { neighbourhood: previous === "both" ? undefined : previous } } : {}),
  };
}
