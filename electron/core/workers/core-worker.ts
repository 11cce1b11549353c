/**
 * The core's worker threads' script: it becomes the worker its `workerData.role` names (the
 * attachment worker, or the passphrase KDF) and does nothing on the main thread.
 */
import { startIfAttachmentWorker } from '../crypto/attachment-worker';
import { startIfKdfWorker } from '../store/key-wrap/kdf-worker';

if (!startIfAttachmentWorker()) startIfKdfWorker();
