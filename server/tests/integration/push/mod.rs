//! Web Push, decrypted at a local push service.

mod delivery;
