import { GENERAL_TOPIC, type RecognizedTopic } from "./vocabulary.js";

/** The flows the engine starts by itself. */
export const ENTRY_FLOWS = {
  onboarding: "onboarding",
  menu: "menu",
  safety: "safety",
  language: "language",
  erase: "erase",
  unsubscribe: "unsubscribe",
  welcomeBack: "welcome-back",
  crisis: "crisis",
  safetyAndCrisis: "safety/with-crisis",
  hint: "hint",
  /** A carer at the end of their rope, typed in their own words (`Recognition.carer`). */
  carerStrain: "caregiving/too-much",
  talk: "handoff",
  talkNone: "handoff/none",
} as const;

/** The flow each practical topic leads to when a resident types it ("schulden", "borç", "długi"). */
export const TOPIC_FLOWS: Readonly<Record<RecognizedTopic, string>> = {
  money: "money",
  housing: "housing",
  caregiving: "caregiving",
  parenting: "parenting",
  meeting: "meeting",
  relationships: "relationships",
};

/**
 * The field that carries the handoff topic into the talk flow (`handoff`), and the topic when a flow has none
 * of its own (matching's general social worker).
 */
export const TALK_TOPIC = { field: "handoff_topic", fallback: GENERAL_TOPIC } as const;
