/** The attachment worker's own bundle (scripts/build.mjs builds one beside each Node bundle). */
import { startIfAttachmentWorker } from './attachment-worker';

startIfAttachmentWorker();
