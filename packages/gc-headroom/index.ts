export { OLD_GENERATION_GROWTH_PERCENT, widenGcHeadroom } from './gc-headroom';
