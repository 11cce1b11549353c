/**
 * Sending one file, in the order the contract asks for: file.check refuses what the rules refuse
 * before a byte is read; the preview is made; file.begin stores the message (which shows at once
 * with its progress bar); the file is handed over in pieces; file.finish lets the core complete
 * the upload and send the message. Cancel aborts the hand-over and tells the core.
 */
import type { FileRulesView, MessageView } from '../../../shared/ipc';
import type { Result } from '../../../shared/result';
import type { Invoke } from '../state/safe-invoke';
import { CANCELLED, handOver } from './hand-over';
import type { MakeThumbnail } from './make-thumbnail';

export interface SendFileDeps {
  readonly invoke: Invoke;
  readonly rules: () => Promise<Result<FileRulesView>>;
  readonly makeThumbnail: MakeThumbnail;
  /** Hand-overs under way, by transfer id, so that Cancel can stop one. */
  readonly handOvers: Map<string, AbortController>;
}

export interface FileBegunLocally {
  readonly message: MessageView;
  /** Settles when the file is handed over: the finished message, or why it was not sent. */
  readonly handedOver: Promise<Result<MessageView>>;
}

/** What the browser says of a file, as the core's checks want it. */
export function describeFile(file: File): { name: string; size: number; mimeType: string } {
  return { name: file.name.trim() === '' ? 'file' : file.name, size: file.size, mimeType: file.type };
}

/**
 * Checks and begins sending `file`. A refusal (FILE_TOO_LARGE, FILE_TYPE_BLOCKED, ...) comes back
 * before anything is read or stored; otherwise the message is returned at once and the hand-over
 * goes on in the background.
 */
export async function beginSendingFile(
  deps: SendFileDeps,
  conversationId: string,
  file: File,
): Promise<Result<FileBegunLocally>> {
  const { invoke } = deps;
  const described = describeFile(file);
  const checked = await invoke('file.check', described);
  if (!checked.ok) return checked;
  const rules = await deps.rules();
  if (!rules.ok) return rules;
  const thumbnail = await deps.makeThumbnail(file, described.mimeType, rules.value.maxThumbnailBytes);
  const begun = await invoke('file.begin', { conversationId, ...described, thumbnail });
  if (!begun.ok) return begun;
  const { transferId, message } = begun.value;
  const controller = new AbortController();
  deps.handOvers.set(transferId, controller);
  const handedOver = handOver(file, {
    chunkBytes: rules.value.maxChunkBytes,
    signal: controller.signal,
    send: (offset, data) => invoke('file.chunk', { transferId, offset, data }),
  })
    .then(async (result): Promise<Result<MessageView>> => {
      if (!result.ok) {
        // The core may have removed it already (a full disk); if not, nothing half-sent stays.
        if (result.error.code !== CANCELLED.code) await invoke('file.cancel', { transferId });
        return result;
      }
      return invoke('file.finish', { transferId });
    })
    .finally(() => deps.handOvers.delete(transferId));
  return { ok: true, value: { message, handedOver } };
}

/** Stops a file this window is still handing over; true if there was one. */
export function stopHandOver(handOvers: Map<string, AbortController>, transferId: string): boolean {
  const controller = handOvers.get(transferId);
  if (!controller) return false;
  controller.abort();
  return true;
}
