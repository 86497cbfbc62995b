/**
 * The flow requests (`emit: <name>`) the activity desk handles: subscribing to activity news (`topic`, `area`,
 * `previous` as arguments), stopping it, listing upcoming activities and the resident's subscriptions, and a
 * key figure's guided activity draft (its answers as arguments). A plain constant, so `npm run flows:check`
 * can read it without a database.
 */
export const ACTIVITY_REQUESTS = ["subscribe", "unsubscribe", "activities", "subscriptions", "activity_draft"] as const;
