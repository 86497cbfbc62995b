import type { ChannelSender } from "../channels/send-result.js";
import type { ConversationService } from "../conversation/conversation-service.js";
import type { Outbox } from "../outbox/outbox.js";
import type { Job, JobQueue } from "./job-queue.js";
import { jobIds, type InboundJob } from "./job-schemas.js";

/** Messages handled for one resident before the job yields to others (it re-queues itself). */
const PER_JOB = 20;

/** Drains a resident's inbox in order and hands the replies to the outbound queues. */
export class InboundWorker {
  constructor(
    private readonly conversations: ConversationService,
    private readonly outbox: Outbox,
    private readonly senders: ReadonlyMap<string, ChannelSender>,
    private readonly self: JobQueue<InboundJob>,
  ) {}

  async handle(job: Job<InboundJob>): Promise<void> {
    for (let i = 0; i < PER_JOB; i++) {
      // A turn of the event loop between messages, so requests are read while a backlog is worked off (see MemoryJobQueue).
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const handled = await this.conversations.handleNext(job.data.pseudonym);
      if (!handled) return;
      if (handled.callbackQueryId) await this.senders.get(handled.channel)?.acknowledge?.(handled.callbackQueryId);
      // Replies go to the resident's channel; a notice to a professional may go to another one.
      await this.outbox.queue(handled.outbound);
      // Nothing else was waiting: no need for another (empty) transaction to find that out.
      if (!handled.more) return;
      // Named after the message handled last; `requeue`, because after a database restore that name may be
      // remembered from a job that finished before it.
      if (i === PER_JOB - 1) await this.self.requeue([{ id: jobIds.inboundMore(handled.message.channel, handled.message.keyedId), data: job.data }]);
    }
  }
}
