/** Topics a resident can ask news about; a subscription without a topic hears about everything. */
export const SUBSCRIPTION_TOPICS = ["meeting", "food", "parenting", "care", "money", "health", "youth", "faith"] as const;
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

/**
 * The subscription topic that hears about an activity of this topic. Housing rides with money (one
 * choice fewer on a phone); "other" reaches only those who asked for everything.
 */
export function subscriptionTopicOf(activityTopic: string): SubscriptionTopic | undefined {
  if (activityTopic === "housing") return "money";
  return SUBSCRIPTION_TOPICS.find((t) => t === activityTopic);
}
