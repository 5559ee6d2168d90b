#![deny(deprecated)]

sfini::workflow! {
    #[workflow(allow = [choice_without_default])]
    pub Routing {
        route: choice {
            "$.n" < 10 => small,
            "$.n" >= 10 => large,
        },
        small: succeed,
        large: pass {
            allow: [path_like_text],
            parameters: { "echo": "$.n" },
        },
    }
}

sfini::workflow! {
    pub Quiet {
        route: choice {
            allow: [choice_without_default, numeric_text],
            "$.amount" > "100000" => done,
        },
        done: succeed,
    }
}

fn main() {}
