import { SUBSCRIPTION_TOPICS, type SubscriptionTopic } from "../content/vocabulary.js";

/**
 * The subscription topic that hears about an activity of this topic. Housing rides with money (one
 * choice fewer on a phone); "other" reaches only those who asked for everything.
 */
export function subscriptionTopicOf(activityTopic: string): SubscriptionTopic | undefined {
  if (activityTopic === "housing") return "money";
  return SUBSCRIPTION_TOPICS.find((t) => t === activityTopic);
}
