import type { Router } from "express";
import type { WebhookLane } from "../http/webhook-lane.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { Ingest } from "../queues/ingest.js";
import type { StatusRecorder } from "../queues/status-recorder.js";
import type { ChannelSender } from "./send-result.js";

/** The shared pipeline a channel hands its messages to, which exists only after the senders do. */
export type ChannelContext = {
  ingest: Ingest;
  /** Delivery-status callbacks (sent, delivered, read, failed) go here. */
  statuses: StatusRecorder;
  translator: Translator;
  log: Logger;
};

/** How fast a channel's platform lets us send, in messages per second; a missing rate is not limited. */
export type ChannelRate = {
  /** For the whole channel, across processes. */
  perSecond?: number;
  /** To one chat. */
  perChatPerSecond?: number;
};

/**
 * One switched-on channel as Naast wires it: its sender (one send queue each), its webhook and HTTP routes, what it
 * starts in a process that runs workers (platform set-up, long polling) and stops at shutdown, its rate.
 */
export type ChannelModule = {
  id: ChannelSender["channel"];
  sender: ChannelSender;
  /** The platform's webhook POST, served ahead of express in every process (`webhookListener`). */
  webhook?(ctx: ChannelContext): WebhookLane;
  /** Pages and other routes (the web chat, WhatsApp's verification GET), mounted on the app in every process. */
  routes?(ctx: ChannelContext): Router;
  /** Runs once in a process that runs workers, after the workers have started. */
  start?(ctx: ChannelContext): void;
  /** Ends what `start` or `routes` opened; safe to call when neither ran. */
  stop?(): Promise<void>;
  rate: ChannelRate;
};
