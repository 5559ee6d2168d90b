//! A keyed hash by which an engine recognises the tokens it gave out (task
//! tokens, page tokens): a token carries a tag of its contents made with a
//! random key of the engine, which no caller knows, so that a token made up
//! or altered by a caller, or given by another engine, does not check.
//!
//! The hash is std's SipHash ([`RandomState`], seeded from the operating
//! system's randomness) over a further random salt: 64 bits of tag, enough
//! for an engine that lives as long as its process and where a wrong guess
//! costs the guesser a request.

use std::hash::{BuildHasher, Hasher, RandomState};

/// A random key of one engine.
#[derive(Clone)]
pub(crate) struct Key {
    hasher: RandomState,
    salt: u128,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is secret: it is never written out.
        f.write_str("Key(..)")
    }
}

impl Default for Key {
    /// A new random key.
    fn default() -> Key {
        Key::random()
    }
}

impl Key {
    /// A new random key.
    pub(crate) fn random() -> Key {
        Key {
            hasher: RandomState::new(),
            salt: rand::random(),
        }
    }

    /// The tag of `parts` for the use named by `domain`: each part is
    /// hashed with its length, so that no two lists of parts share their
    /// input, and `domain` keeps the tags of one use from checking for
    /// another.
    pub(crate) fn tag(&self, domain: &str, parts: &[&[u8]]) -> u64 {
        let mut hasher = self.hasher.build_hasher();
        hasher.write_u128(self.salt);
        hasher.write_usize(domain.len());
        hasher.write(domain.as_bytes());
        for part in parts {
            hasher.write_usize(part.len());
            hasher.write(part);
        }
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_depend_on_the_key_the_domain_and_every_part() {
        let key = Key::random();
        let tag = key.tag("page", &[b"ab", b"c"]);
        assert_eq!(key.tag("page", &[b"ab", b"c"]), tag);
        assert_eq!(key.clone().tag("page", &[b"ab", b"c"]), tag);
        assert_ne!(key.tag("page", &[b"a", b"bc"]), tag);
        assert_ne!(key.tag("task", &[b"ab", b"c"]), tag);
        assert_ne!(Key::random().tag("page", &[b"ab", b"c"]), tag);
        assert_eq!(format!("{key:?}"), "Key(..)");
    }
}
