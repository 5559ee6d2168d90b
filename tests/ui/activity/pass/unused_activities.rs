//! Activities nobody refers to yet compile without warnings.
#![deny(warnings)]

/// Private and unused.
#[sfini::activity]
async fn private_unused(a: i64) -> i64 {
    a
}

/// Public in a private module.
mod hidden {
    #[sfini::activity]
    pub fn plain(text: String) -> usize {
        text.len()
    }

    #[sfini::activity]
    pub(crate) async fn crate_visible() {}

    pub(super) mod deeper {
        #[sfini::activity(name = "deeper-activity")]
        pub(in crate::hidden) async fn restricted(value: Option<u8>) -> u8 {
            value.unwrap_or(1)
        }
    }
}

fn main() {}
