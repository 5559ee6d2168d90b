#![deny(deprecated)]

sfini::workflow! {
    pub Flow {
        route: choice {
            "$.n" < 10 => small,
            "$.n" >= 10 => large,
        },
        small: succeed,
        large: succeed,
    }
}

fn main() {}
