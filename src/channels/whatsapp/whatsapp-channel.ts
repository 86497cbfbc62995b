import type { WhatsAppConfig } from "../../config.js";
import type { ChannelModule } from "../channel-module.js";
import { WhatsAppSender } from "./whatsapp-sender.js";
import { whatsappVerifyRoute, whatsappWebhook } from "./whatsapp-webhook.js";

/** The WhatsApp Cloud API, when its token, number id, app secret and verify token are configured. */
export function whatsappChannel(config: WhatsAppConfig | undefined): ChannelModule | undefined {
  if (!config) return undefined;
  return {
    id: "whatsapp",
    sender: new WhatsAppSender(config),
    rate: { perSecond: config.ratePerSecond },
    webhook: (ctx) =>
      whatsappWebhook({ appSecret: config.appSecret, phoneNumberId: config.phoneNumberId, ingest: ctx.ingest, statuses: ctx.statuses, log: ctx.log }),
    routes: () => whatsappVerifyRoute({ verifyToken: config.verifyToken }),
  };
}
