import type { Redis } from "ioredis";
import type { Cipher } from "../../crypto/cipher.js";
import type { Pseudonymizer } from "../../crypto/pseudonymizer.js";
import type { WebMailboxStore } from "../../storage/web-mailbox-store.js";
import type { ChannelModule } from "../channel-module.js";
import { LongPollHub } from "./long-poll-hub.js";
import { LocalMailNotifier, RedisMailNotifier, type MailNotifier } from "./mail-notifier.js";
import { webChatRoutes } from "./web-chat-routes.js";
import { WebChatLimits, type WebChatLimitSettings } from "./web-chat-limits.js";
import { webChatTexts } from "./web-chat-texts.js";
import { WebSender } from "./web-sender.js";
import type { WebTokens } from "./web-tokens.js";

/** What the web chat needs. */
export type WebChannelOptions = {
  /** Replies wait here for the page to collect them. */
  mailbox: WebMailboxStore;
  cipher: Cipher;
  pseudonymizer: Pseudonymizer;
  tokens: WebTokens;
  limits: WebChatLimitSettings;
  /** With Redis, limits and "new mail" wake-ups are shared between processes; without, they are per process. */
  redis?: { connection: Redis; prefix: string } | undefined;
};

/** Polls still open at shutdown are waited for this many times 50 ms (they answer at once once closed). */
const CLOSE_WAITS = 40;

/** The web chat: always on. Its "platform" is the mailbox its pages long-poll. */
export function webChannel(opts: WebChannelOptions): ChannelModule {
  const notifier: MailNotifier = opts.redis ? new RedisMailNotifier(opts.redis.connection, opts.redis.prefix) : new LocalMailNotifier();
  const limits = new WebChatLimits(opts.limits, opts.redis);
  const polls = new LongPollHub(notifier);
  return {
    id: "web",
    sender: new WebSender(opts.mailbox, opts.cipher, opts.pseudonymizer, notifier),
    rate: {},
    routes: (ctx) =>
      webChatRoutes({
        ingest: ctx.ingest,
        mailbox: opts.mailbox,
        cipher: opts.cipher,
        pseudonymizer: opts.pseudonymizer,
        tokens: opts.tokens,
        limits,
        polls,
        log: ctx.log,
        texts: webChatTexts(ctx.translator),
      }),
    async stop() {
      // Long polls answer at once (the pages poll again elsewhere), so the HTTP server can finish.
      polls.close();
      for (let i = 0; i < CLOSE_WAITS && limits.openPolls > 0; i++) await new Promise((r) => setTimeout(r, 50));
      await notifier.close();
    },
  };
}
