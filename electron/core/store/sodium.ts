/**
 * The libsodium instance the store uses for key wrapping: the same loader and type as the
 * protocol core's (sumo, for `crypto_pwhash`), passed in rather than held in a module.
 */
export { loadSodium, type Sodium } from '../crypto/sodium';
