import type { Config } from '../core/config/schema.ts';
import { parseMarkdownPost } from '../core/posts/markdown.ts';
import type { Post } from '../core/posts/post.ts';
import type { PublishResult } from './publish-post.ts';
import type { ScheduleResult } from './schedule-send.ts';

/** What one list got, in the short form the publish function logs and answers with. */
export interface ListSummary {
  readonly listId: string;
  readonly action: PublishResult['lists'][number]['action'];
  readonly editionId?: string;
  readonly reason?: string;
  /** Recipients put on the send queue, when the edition was planned in this process. */
  readonly enqueued?: number;
}

/**
 * Publishes one Markdown post as an author sends it (a file put in the bucket, a POST to the publish URL):
 * parses the front matter (an error names the file and the field), publishes it, and sums up what each
 * list got.
 */
export async function publishMarkdown(
  deps: {
    readonly config: Config;
    readonly publish: (
      post: Post,
      options?: { readonly list?: string; readonly resend?: boolean },
    ) => Promise<PublishResult>;
    /** Schedules a post whose front matter has `sendAt` (app.scheduled.add). */
    readonly schedule: (
      post: Post,
      at: string,
      options: { readonly list?: string; readonly resend?: boolean; readonly where: string },
    ) => Promise<ScheduleResult>;
  },
  input: {
    readonly markdown: string;
    readonly path: string;
    readonly options?: { readonly list?: string; readonly resend?: boolean };
  },
): Promise<{
  readonly postId: string;
  readonly version: number;
  readonly lists: readonly ListSummary[];
  /** Set when the front matter's `sendAt` scheduled the post instead of sending it now. */
  readonly scheduled?: ScheduleResult;
}> {
  const post = parseMarkdownPost(input.markdown, { path: input.path, siteUrl: deps.config.site.url });
  if (post.sendAt !== undefined && !post.draft) {
    const scheduled = await deps.schedule(post, post.sendAt, {
      ...input.options,
      where: `${input.path}: front matter "sendAt"`,
    });
    return { postId: post.id, version: 0, lists: [], scheduled };
  }
  const result = await deps.publish(post, input.options ?? {});
  const lists = result.lists.map((l) => ({
    listId: l.listId,
    action: l.action,
    ...('editionId' in l ? { editionId: l.editionId } : {}),
    ...('reason' in l ? { reason: l.reason } : {}),
    ...('plan' in l && l.plan ? { enqueued: l.plan.enqueued } : {}),
  }));
  return { postId: post.id, version: result.version, lists };
}
